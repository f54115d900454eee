"""The generic evaluation format that every loader produces and users can write by hand.

A verification dataset is a folder holding::

    claims.jsonl   {"id", "claim", "label", "evidence"?: [{"doc_id", "sentences"?: [int], "text"?}],
                    "cited_doc_ids"?: [str], "published"?: "YYYY-MM-DD", "original_label"?}
    corpus.jsonl   {"id", "title"?, "text", "url"?, "published"?, "sentences"?: [str]}   (optional)

``label`` is one of SUPPORTED / REFUTED / NOT_ENOUGH_INFO / CONFLICTING. A gold
evidence item names a corpus document and, optionally, the indices of its
rationale sentences (into the document's ``sentences`` list) or the evidence text
itself. ``cited_doc_ids`` are documents to show the verifier in the oracle setting
when a claim has no rationale (SciFact's NEI claims cite abstracts).

A check-worthiness set is a folder holding ``sentences.jsonl`` with
``{"id", "text", "checkworthy": true|false}``.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from claims.errors import InputError
from claims.models import Label

CLAIMS_FILE = "claims.jsonl"
CORPUS_FILE = "corpus.jsonl"
SENTENCES_FILE = "sentences.jsonl"

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def _id_text(value: object) -> object:
    """Whole-number ids (SciFact's own files use them) are read as their decimal text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_id_text)]
"""An id: a string, or a whole number read as one (``7`` and ``"7"`` are the same id)."""


class GoldEvidence(BaseModel):
    """One gold evidence item: a document, optionally its rationale sentences or the text."""

    doc_id: Id
    sentences: list[int] | None = None
    text: str | None = None


class EvalClaim(BaseModel):
    id: Id
    claim: str = Field(min_length=1)
    label: Label
    evidence: list[GoldEvidence] = Field(default_factory=list)
    cited_doc_ids: list[Id] = Field(default_factory=list)
    published: date | None = None
    original_label: str | None = Field(default=None, description="the dataset's own label")

    @property
    def gold_doc_ids(self) -> list[str]:
        """Documents holding gold evidence, in order, without repeats (for recall@k, MRR)."""
        return list(dict.fromkeys(e.doc_id for e in self.evidence))


class CorpusDoc(BaseModel):
    id: Id
    text: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    sentences: list[str] | None = Field(
        default=None, description="the dataset's own sentence split, which gold indices refer to"
    )


class CheckworthySentence(BaseModel):
    id: Id
    text: str
    checkworthy: bool


@dataclass
class Dataset:
    """A verification dataset in memory: claims, and the corpus their evidence comes from."""

    name: str
    claims: list[EvalClaim]
    corpus: list[CorpusDoc] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """The gold labels present, in the order of :class:`Label`."""
        present = {c.label for c in self.claims}
        return [label.value for label in Label if label in present]

    def fingerprint(self) -> str:
        """sha256 of the canonical JSONL of claims and corpus: names exactly this data."""
        digest = hashlib.sha256()
        for line in _jsonl_lines(self.claims):
            digest.update(line.encode())
        digest.update(b"\x00corpus\x00")
        for line in _jsonl_lines(self.corpus):
            digest.update(line.encode())
        return digest.hexdigest()

    def with_corpus_limit(self, max_docs: int, claim_ids: Iterable[str], seed: int) -> Dataset:
        """At most ``max_docs`` corpus documents: every document the given claims' gold
        evidence or citations name, then a seeded sample of the others as distractors.

        For machines where embedding the full corpus takes too long; the run records it.
        """
        wanted = set(claim_ids)
        needed = {
            doc_id
            for claim in self.claims
            if claim.id in wanted
            for doc_id in [*claim.gold_doc_ids, *claim.cited_doc_ids]
        }
        others = [i for i, doc in enumerate(self.corpus) if doc.id not in needed]
        room = max(0, max_docs - len(needed))
        keep = set(random.Random(seed).sample(others, min(room, len(others))))
        corpus = [d for i, d in enumerate(self.corpus) if d.id in needed or i in keep]
        return Dataset(self.name, self.claims, corpus)

    def subset(self, ids: Iterable[str]) -> Dataset:
        """The same dataset with only the claims named (in the dataset's order)."""
        wanted = set(ids)
        return Dataset(self.name, [c for c in self.claims if c.id in wanted], self.corpus)


@dataclass
class CheckworthinessSet:
    name: str
    sentences: list[CheckworthySentence]

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for line in _jsonl_lines(self.sentences):
            digest.update(line.encode())
        return digest.hexdigest()


def is_checkworthiness_folder(path: Path) -> bool:
    return (path / SENTENCES_FILE).is_file() and not (path / CLAIMS_FILE).is_file()


def read_dataset(path: Path, name: str | None = None) -> Dataset:
    """Read a folder in the generic format; every line is validated, errors name the line."""
    claims_path = path / CLAIMS_FILE
    if not claims_path.is_file():
        raise InputError(f"{path} is not an evaluation dataset: {CLAIMS_FILE} is missing")
    numbered = list(read_numbered_jsonl(claims_path, EvalClaim))
    claims = [claim for _, claim in numbered]
    corpus = (
        list(read_jsonl(path / CORPUS_FILE, CorpusDoc)) if (path / CORPUS_FILE).is_file() else []
    )
    _check_unique([c.id for c in claims], claims_path)
    if corpus:
        _check_gold_evidence(numbered, {d.id: d for d in corpus}, claims_path)
    return Dataset(name or path.resolve().name, claims, corpus)


def _check_gold_evidence(
    numbered: list[tuple[int, EvalClaim]], corpus: dict[str, CorpusDoc], path: Path
) -> None:
    """Gold evidence must point at real documents and sentences: a missing document or an
    out-of-range sentence index would silently score the claim against nothing."""
    for number, claim in numbered:
        for gold in claim.evidence:
            doc = corpus.get(gold.doc_id)
            if doc is None:
                if gold.text:
                    continue  # the evidence carries its own text
                raise InputError(
                    f"{path}:{number}: evidence names document {gold.doc_id!r}, "
                    f"which is not in {CORPUS_FILE}"
                )
            if not gold.sentences:
                continue
            if doc.sentences is None:
                raise InputError(
                    f"{path}:{number}: evidence gives sentence indices for document "
                    f"{gold.doc_id!r}, which has no `sentences` list in {CORPUS_FILE}"
                )
            bad = [i for i in gold.sentences if not 0 <= i < len(doc.sentences)]
            if bad:
                raise InputError(
                    f"{path}:{number}: sentence index {bad[0]} is out of range for document "
                    f"{gold.doc_id!r} ({len(doc.sentences)} sentences)"
                )


def write_dataset(dataset: Dataset, path: Path) -> Path:
    """Write ``dataset`` as a generic-format folder (the corpus only when there is one)."""
    path.mkdir(parents=True, exist_ok=True)
    _write_lines(path / CLAIMS_FILE, _jsonl_lines(dataset.claims))
    if dataset.corpus:
        _write_lines(path / CORPUS_FILE, _jsonl_lines(dataset.corpus))
    return path


def read_checkworthiness(path: Path, name: str | None = None) -> CheckworthinessSet:
    sentences = list(read_jsonl(path / SENTENCES_FILE, CheckworthySentence))
    _check_unique([s.id for s in sentences], path / SENTENCES_FILE)
    return CheckworthinessSet(name or path.resolve().name, sentences)


def write_checkworthiness(data: CheckworthinessSet, path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    _write_lines(path / SENTENCES_FILE, _jsonl_lines(data.sentences))
    return path


def read_jsonl(path: Path, model: type[M]) -> Iterator[M]:
    """Validated records of a JSONL file; a bad line raises InputError naming file and line."""
    for _, record in read_numbered_jsonl(path, model):
        yield record


def read_numbered_jsonl(path: Path, model: type[M]) -> Iterator[tuple[int, M]]:
    """Like :func:`read_jsonl`, with each record's line number."""
    for number, line in _numbered_lines(path):
        try:
            yield number, model.model_validate_json(line)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise InputError(f"{path}:{number}: {where}: {first['msg']}") from None


def stratified_sample(
    items: Sequence[T], n: int, seed: int, key: Callable[[T], str] | None = None
) -> list[T]:
    """``n`` items keeping each label's share (largest remainder), seeded, in dataset order.

    ``key`` gives an item's stratum (default: a claim's gold label).
    """
    key = key or (lambda item: item.label.value)
    if n >= len(items):
        return list(items)
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_label[key(item)].append(index)
    quotas = {label: n * len(idx) / len(items) for label, idx in by_label.items()}
    counts = {label: int(q) for label, q in quotas.items()}
    short = n - sum(counts.values())
    for label in sorted(quotas, key=lambda lab: (-(quotas[lab] - counts[lab]), lab))[:short]:
        counts[label] += 1
    rng = random.Random(seed)
    chosen: list[int] = []
    for label in sorted(by_label):
        chosen.extend(rng.sample(by_label[label], counts[label]))
    return [items[i] for i in sorted(chosen)]


def _jsonl_lines(records: Iterable[BaseModel]) -> Iterator[str]:
    for record in records:
        yield record.model_dump_json(exclude_none=True, exclude_defaults=True) + "\n"


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.writelines(lines)
    tmp.replace(path)


def _check_unique(ids: list[str], path: Path) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise InputError(f"{path}: id {value!r} appears more than once")
        seen.add(value)


def jsonl_records(path: Path) -> Iterator[dict]:
    """Plain JSON objects of an original JSONL file (for loaders of the original formats)."""
    for number, line in _numbered_lines(path):
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON: {exc.msg}") from None


def _numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a text file with their 1-based numbers; InputError if unreadable."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line
