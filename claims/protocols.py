"""The seams: each external system sits behind one of these protocols.

``retrieval`` implements :class:`Retriever` and :class:`Embedder`; ``claims``
never imports it. Fakes for every protocol live in ``tests/fakes.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from claims.models import Article, Claim, Evidence, Extraction, SearchFilters, Verdict


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Retriever(Protocol):
    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]: ...


@runtime_checkable
class Extractor(Protocol):
    name: str

    def extract(self, article: Article) -> Extraction: ...


@runtime_checkable
class Verifier(Protocol):
    name: str

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict: ...
