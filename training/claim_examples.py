"""Claim-level examples for calibration: claims, evidence and a BM25 retriever over
the SciFact corpus (read by ``eval.datasets.scifact``, the one SciFact reader), built
from claimscope's own models and lexical index.

Training's readers, also used by ``benchmarks/bench_verifier.py`` (training imports
nothing from ``benchmarks``): the calibration
step needs claims verified as the app verifies them, against given or retrieved
evidence, and a memo so that the threshold grid scores each pair once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claims.models import Claim, Evidence, Label, Passage, Span
from eval.datasets.scifact import SciFactClaim, read_corpus

#: The 3-way labels that the threshold is chosen on (macro-F1).
THREE_WAY = [Label.SUPPORTED.value, Label.REFUTED.value, Label.NOT_ENOUGH_INFO.value]
_WORD = re.compile(r"[a-z0-9]+")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def scifact_gold(claim: SciFactClaim) -> str:
    """A SciFact claim's label value: its first rationale's (SUPPORT or CONTRADICT), or
    NOT_ENOUGH_INFO without one."""
    if not claim.rationales:
        return Label.NOT_ENOUGH_INFO.value
    return (Label.SUPPORTED if claim.rationales[0].label == "SUPPORT" else Label.REFUTED).value


def word_overlap(claim: str, sentence: str) -> float:
    """Share of the claim's words that the sentence contains."""
    a = set(_WORD.findall(claim.lower()))
    return len(a & set(_WORD.findall(sentence.lower()))) / max(1, len(a))


def as_claim(text: str, *, claim_id: str = "calibration") -> Claim:
    span = Span.of(text, 0, len(text))
    return Claim(id=claim_id, text=text, span=span, sentence=span, checkworthiness=1.0)


def as_evidence(
    pid: str,
    sentences: Sequence[str],
    rank: int,
    title: str | None = None,
    *,
    source: str = "calibration",
) -> Evidence:
    """A passage of ``sentences`` (joined by spaces, each a sentence span) at ``rank``."""
    text, spans, at = "", [], 0
    for s in sentences:
        if text:
            text += " "
            at += 1
        spans.append(Span(start=at, end=at + len(s), text=s))
        text += s
        at += len(s)
    passage = Passage(id=pid, doc_id=pid, text=text, source=source, title=title, sentences=spans)
    return Evidence(passage=passage, score=1.0 / rank, rank=rank)


class LexicalRetriever:
    """BM25 over whole SciFact abstracts with claimscope's lexical index
    (``retrieval.lexical``); best sentences by query-word overlap, as the knowledge
    base ranks them."""

    def __init__(self, data: Path, *, source: str = "calibration") -> None:
        from retrieval.lexical import LexicalIndex

        self._source = source
        # raw sentences (not stripped): the shipped calibration was fitted on them
        self._docs = {d.id: d for d in read_corpus(data / "scifact", strip=False)}
        ids = list(self._docs)
        texts = [self._docs[i].text for i in ids]
        self._index = LexicalIndex(ids, texts, [{"title": self._docs[i].title} for i in ids])

    def search(self, query: str, *, top_k: int = 5, filters: object = None) -> list[Evidence]:
        from retrieval.lexical import tokenize

        words = set(tokenize(query))
        out = []
        for rank, (doc, score) in enumerate(self._index.search(query, top_k=top_k), start=1):
            row = self._docs[doc]
            sentences = row.sentences or []
            item = as_evidence(doc, sentences, rank, row.title, source=self._source)
            overlap = [len(words & set(tokenize(s))) for s in sentences]
            order = sorted(range(len(overlap)), key=lambda i: -overlap[i])
            out.append(item.model_copy(update={"score": score, "best_sentences": order}))
        return out


class MemoScorer:
    """A scorer with a memory: the thresholds of one calibration grid score each
    (claim, sentence) pair once."""

    def __init__(self, scorer) -> None:
        self._scorer = scorer
        self.calibration = scorer.calibration
        self._memo: dict[tuple[str, str], np.ndarray] = {}

    def probabilities(self, pairs):
        missing = list(dict.fromkeys(p for p in pairs if p not in self._memo))
        if missing:
            for pair, row in zip(missing, self._scorer.probabilities(missing), strict=True):
                self._memo[pair] = row
        return np.array([self._memo[p] for p in pairs]).reshape(len(pairs), 3)
