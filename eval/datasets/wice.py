"""WiCE (Kamoi et al., EMNLP 2023): Wikipedia claims against the web pages they cite.

Original ``data/entailment_retrieval/claim/{dev,test}.jsonl``: ``{"label":
supported|partially_supported|not_supported, "supporting_sentences": [[idx, ...], ...],
"claim", "evidence": [sentence, ...], "meta": {"id", ...}}``.

Each claim's cited page becomes one corpus document (so the pages of the other
claims are distractors in the open setting). ``not_supported`` means "not
entailed by the cited page", not "refuted", so it maps to NOT_ENOUGH_INFO, as
does ``partially_supported`` (the page does not entail the whole claim); the
original label is kept in ``original_label``. Annotations ODC-BY 1.0.
"""

from __future__ import annotations

from pathlib import Path

from claims.errors import InputError
from claims.models import Label
from eval.datasets.fetch import Download
from eval.datasets.format import CorpusDoc, Dataset, EvalClaim, GoldEvidence, jsonl_records

BASE = (
    "https://raw.githubusercontent.com/ryokamoi/wice/"
    "ddeb6c183665e2a20c5f03c5aa07f03888b9870f/data/entailment_retrieval/claim"
)
DOWNLOADS = tuple(
    Download(url=f"{BASE}/{split}.jsonl", target=f"data/entailment_retrieval/claim/{split}.jsonl")
    for split in ("dev", "test")
)
LABELS = {
    "supported": Label.SUPPORTED,
    "partially_supported": Label.NOT_ENOUGH_INFO,
    "not_supported": Label.NOT_ENOUGH_INFO,
}


def load(root: Path, split: str = "test") -> Dataset:
    if split not in ("dev", "test"):
        raise InputError(f"WiCE has public splits dev and test, not {split!r}")
    claims, corpus = [], []
    for record in jsonl_records(
        root / "data" / "entailment_retrieval" / "claim" / f"{split}.jsonl"
    ):
        doc_id = f"wice-{record['meta']['id']}"
        sentences = [s.strip() for s in record["evidence"]]
        corpus.append(
            CorpusDoc(
                id=doc_id,
                title=record["meta"].get("claim_title") or None,
                text=" ".join(s for s in sentences if s),
                sentences=sentences,
            )
        )
        supporting = sorted({i for group in record["supporting_sentences"] for i in group})
        claims.append(
            EvalClaim(
                id=record["meta"]["id"],
                claim=record["claim"],
                label=LABELS[record["label"]],
                evidence=[GoldEvidence(doc_id=doc_id, sentences=supporting)],
                cited_doc_ids=[doc_id],
                original_label=record["label"],
            )
        )
    return Dataset(f"wice-{split}", claims, corpus)
