"""SciFact (Wadden et al., EMNLP 2020): scientific claims against a corpus of abstracts.

Original files (the official release tarball, ``data/``)::

    claims_{train,dev,test}.jsonl  {"id", "claim", "evidence": {doc_id: [{"sentences", "label"}]},
                                    "cited_doc_ids"}
    corpus.jsonl                   {"doc_id", "title", "abstract": [sentence, ...], "structured"}

Labels: SUPPORT → SUPPORTED, CONTRADICT → REFUTED, no evidence → NOT_ENOUGH_INFO.

The project's one SciFact reader: :func:`load` gives the generic
:class:`~eval.datasets.format.Dataset`; :func:`read_claims` (rationales kept
one by one, for training pairs) and :func:`read_corpus` give the parts, for
benchmarks and training that need the release's own structure.
Claims, evidence: CC BY 4.0; abstracts: ODC-By 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claims.errors import InputError
from claims.models import Label
from eval.datasets.fetch import Download
from eval.datasets.format import CorpusDoc, Dataset, EvalClaim, GoldEvidence, jsonl_records

DOWNLOADS = (
    Download(
        url="https://scifact.s3-us-west-2.amazonaws.com/release/latest/data.tar.gz",
        target=".",
        extract="data",
    ),
)
SPLITS = ("train", "dev")
LABELS = {"SUPPORT": Label.SUPPORTED, "CONTRADICT": Label.REFUTED}


@dataclass(frozen=True)
class Rationale:
    """One gold rationale as the release gives it: sentences of one abstract, one label."""

    doc_id: str
    sentences: tuple[int, ...]
    label: str  # the release's own: SUPPORT or CONTRADICT


@dataclass(frozen=True)
class SciFactClaim:
    """A claim record of ``claims_{split}.jsonl``, rationales kept apart (training pairs need them)."""

    id: str
    claim: str
    rationales: tuple[Rationale, ...]
    cited_doc_ids: tuple[str, ...]

    @property
    def gold_doc_ids(self) -> list[str]:
        """Abstracts holding a rationale, in the release's order, without repeats."""
        return list(dict.fromkeys(r.doc_id for r in self.rationales))


def read_claims(root: Path, split: str = "dev") -> list[SciFactClaim]:
    """The claim records of a split that has labels (train or dev), ids as strings."""
    if split not in SPLITS:
        raise InputError(f"SciFact split {split!r} has no public labels; use one of {SPLITS}")
    return [_record(record) for record in jsonl_records(root / f"claims_{split}.jsonl")]


def read_corpus(root: Path, *, strip: bool = True) -> list[CorpusDoc]:
    """Every abstract, its sentences (stripped) kept as the list gold indices refer to.

    ``strip=False`` keeps each sentence exactly as the release has it (about 8 % carry
    leading or trailing spaces): the shipped verifier's training pairs and calibration
    evidence were built from the raw text."""
    return [_document(record, strip) for record in jsonl_records(root / "corpus.jsonl")]


def load(root: Path, split: str = "dev") -> Dataset:
    """The labelled split (train or dev; test labels are hidden) with the full corpus."""
    claims = [_claim(record) for record in read_claims(root, split)]
    return Dataset(f"scifact-{split}", claims, read_corpus(root))


def _record(record: dict) -> SciFactClaim:
    rationales = tuple(
        Rationale(str(doc_id), tuple(r["sentences"]), r["label"])
        for doc_id, found in (record.get("evidence") or {}).items()
        for r in found
    )
    return SciFactClaim(
        id=str(record["id"]),
        claim=record["claim"],
        rationales=rationales,
        cited_doc_ids=tuple(str(d) for d in record.get("cited_doc_ids") or []),
    )


def _claim(record: SciFactClaim) -> EvalClaim:
    evidence = [
        GoldEvidence(
            doc_id=doc_id,
            sentences=sorted(
                {i for r in record.rationales if r.doc_id == doc_id for i in r.sentences}
            ),
        )
        for doc_id in record.gold_doc_ids
    ]
    labels = {r.label for r in record.rationales}
    if not labels:
        label, original = Label.NOT_ENOUGH_INFO, "NOT_ENOUGH_INFO"
    elif len(labels) == 1:
        original = labels.pop()
        label = LABELS[original]
    else:  # rationales disagree: never seen in the release, kept visible if it happens
        label, original = Label.CONFLICTING, "/".join(sorted(labels))
    return EvalClaim(
        id=record.id,
        claim=record.claim,
        label=label,
        evidence=evidence,
        cited_doc_ids=list(record.cited_doc_ids),
        original_label=original,
    )


def _document(record: dict, strip: bool = True) -> CorpusDoc:
    sentences = [s.strip() for s in record["abstract"]] if strip else list(record["abstract"])
    return CorpusDoc(
        id=str(record["doc_id"]),
        title=record.get("title") or None,
        text=" ".join(sentences),
        sentences=sentences,
    )
