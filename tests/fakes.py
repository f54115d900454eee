"""Fakes for the seams in claims/protocols.py. Unit tests only."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from claims.models import (
    Article,
    Claim,
    Evidence,
    Extraction,
    Label,
    Passage,
    SearchFilters,
    Span,
    Verdict,
)

DIM = 64


class FakeEmbedder:
    """Bag-of-words hashing embedder: texts sharing words get similar vectors."""

    name = "fake-embedder"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-9, None)


def make_passage(text: str, *, pid: str = "p1", source: str = "src.txt") -> Passage:
    """A passage whose sentences are split on '. '."""
    sentences = []
    for match in re.finditer(r"[^.!?]+[.!?]?", text):
        chunk = match.group()
        lead = len(chunk) - len(chunk.lstrip())
        s, e = match.start() + lead, match.end()
        if e > s:
            sentences.append(Span.of(text, s, e))
    return Passage(
        id=pid, doc_id=source, text=text, source=source, title=source, sentences=sentences
    )


def make_evidence(text: str, *, pid: str = "p1", rank: int = 1) -> Evidence:
    passage = make_passage(text, pid=pid)
    return Evidence(passage=passage, score=1.0 / rank, rank=rank, best_sentences=[])


def make_claim(text: str, article: str | None = None, *, score: float = 0.9) -> Claim:
    article = article if article is not None else text
    start = article.index(text)
    span = Span.of(article, start, start + len(text))
    return Claim(id=f"c{start}", text=text, span=span, sentence=span, checkworthiness=score)


class FakeExtractor:
    """Each sentence ending in '.' becomes a claim."""

    name = "fake-extractor"

    def extract(self, article: Article) -> Extraction:
        claims = []
        for m in re.finditer(r"[^.]+\.", article.text):
            lead = len(m.group()) - len(m.group().lstrip())
            span = Span.of(article.text, m.start() + lead, m.end())
            claims.append(
                Claim(
                    id=f"c{span.start}",
                    text=span.text,
                    span=span,
                    sentence=span,
                    checkworthiness=0.8,
                )
            )
        return Extraction(claims=claims)


class FakeRetriever:
    """Returns the given passages for every query; raises for queries containing `fail_on`."""

    def __init__(self, passages: Sequence[str] = (), *, fail_on: str | None = None) -> None:
        self.passages = list(passages)
        self.fail_on = fail_on
        self.queries: list[tuple[str, int, SearchFilters | None]] = []

    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]:
        from claims.errors import StoreError

        self.queries.append((query, top_k, filters))
        if self.fail_on and self.fail_on in query:
            raise StoreError("store unreachable")
        return [
            make_evidence(t, pid=f"p{i}", rank=i + 1) for i, t in enumerate(self.passages[:top_k])
        ]


class FakeVerifier:
    """SUPPORTED when any evidence exists; raises for claims containing `fail_on`."""

    name = "fake-verifier"

    def __init__(self, *, fail_on: str | None = None) -> None:
        self.fail_on = fail_on

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        from claims.errors import EndpointError

        if self.fail_on and self.fail_on in claim.text:
            raise EndpointError("endpoint answered 500", status=500)
        label = Label.SUPPORTED if evidence else Label.NOT_ENOUGH_INFO
        return Verdict(label=label, confidence=0.7, verifier=self.name)
