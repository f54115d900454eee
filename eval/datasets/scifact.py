"""SciFact (Wadden et al., EMNLP 2020): scientific claims against a corpus of abstracts.

Original files (the official release tarball, ``data/``)::

    claims_{train,dev,test}.jsonl  {"id", "claim", "evidence": {doc_id: [{"sentences", "label"}]},
                                    "cited_doc_ids"}
    corpus.jsonl                   {"doc_id", "title", "abstract": [sentence, ...], "structured"}

Labels: SUPPORT → SUPPORTED, CONTRADICT → REFUTED, no evidence → NOT_ENOUGH_INFO.
Claims, evidence: CC BY 4.0; abstracts: ODC-By 1.0.
"""

from __future__ import annotations

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


def load(root: Path, split: str = "dev") -> Dataset:
    """The labelled split (train or dev; test labels are hidden) with the full corpus."""
    if split not in SPLITS:
        raise InputError(f"SciFact split {split!r} has no public labels; use one of {SPLITS}")
    claims = [_claim(record) for record in jsonl_records(root / f"claims_{split}.jsonl")]
    corpus = [_document(record) for record in jsonl_records(root / "corpus.jsonl")]
    return Dataset(f"scifact-{split}", claims, corpus)


def _claim(record: dict) -> EvalClaim:
    evidence: list[GoldEvidence] = []
    labels: set[str] = set()
    for doc_id, rationales in (record.get("evidence") or {}).items():
        sentences = sorted({i for r in rationales for i in r["sentences"]})
        evidence.append(GoldEvidence(doc_id=str(doc_id), sentences=sentences))
        labels.update(r["label"] for r in rationales)
    if not labels:
        label, original = Label.NOT_ENOUGH_INFO, "NOT_ENOUGH_INFO"
    elif len(labels) == 1:
        original = labels.pop()
        label = LABELS[original]
    else:  # rationales disagree: never seen in the release, kept visible if it happens
        label, original = Label.CONFLICTING, "/".join(sorted(labels))
    return EvalClaim(
        id=str(record["id"]),
        claim=record["claim"],
        label=label,
        evidence=evidence,
        cited_doc_ids=[str(d) for d in record.get("cited_doc_ids") or []],
        original_label=original,
    )


def _document(record: dict) -> CorpusDoc:
    sentences = [s.strip() for s in record["abstract"]]
    return CorpusDoc(
        id=str(record["doc_id"]),
        title=record.get("title") or None,
        text=" ".join(sentences),
        sentences=sentences,
    )
