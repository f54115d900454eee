"""BM25 over the knowledge base's passages (``bm25s``), with metadata masks for filters.

The index is a snapshot of the collection: :class:`KnowledgeBase` rebuilds it when
the collection's revision changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

_TOKEN = re.compile(r"\w\w+")
# bm25s's English list, kept here because importing bm25s costs seconds on a cold start.
_STOPWORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens without English stopwords, with plurals folded."""
    return [_fold(t) for t in _TOKEN.findall(text.lower()) if t not in _STOPWORDS]


def _fold(token: str) -> str:
    # A light stemmer: "cells" and "cell" match; no stemming package ships offline.
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def index_text(title: str | None, text: str) -> str:
    """What is embedded and indexed for a passage: its title gives it context."""
    if title and not text.startswith(title):
        return f"{title}\n{text}"
    return text


class LexicalIndex:
    """BM25 scores for every passage of one snapshot of the collection."""

    def __init__(
        self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]]
    ):
        self.ids = list(ids)
        self.texts = list(texts)
        self.metadatas = list(metadatas)
        self._position = {pid: i for i, pid in enumerate(self.ids)}
        self._sources = np.array([m.get("source", "") for m in self.metadatas], dtype=object)
        self._published = np.array(
            [m.get("published_ord", -1) for m in self.metadatas], dtype=np.int64
        )
        self._bm25: Any = None
        if self.ids:
            import bm25s

            corpus = [
                tokenize(index_text(m.get("title"), t)) or [""]
                for t, m in zip(self.texts, self.metadatas, strict=True)
            ]
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return len(self.ids)

    def record(self, pid: str) -> tuple[str, dict[str, Any]] | None:
        at = self._position.get(pid)
        return None if at is None else (self.texts[at], self.metadatas[at])

    def search(
        self,
        query: str,
        *,
        top_k: int,
        source: str | None = None,
        published_before: date | None = None,
    ) -> list[tuple[str, float]]:
        """``(id, score)`` of the best passages with a positive score, best first."""
        if self._bm25 is None:
            return []
        tokens = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        mask = np.ones(len(self.ids), dtype=bool)
        if source:
            mask &= self._sources == source
        if published_before:
            mask &= (self._published >= 0) & (self._published < published_before.toordinal())
        scores = np.where(mask & (scores > 0), scores, -np.inf)
        top = min(top_k, int(np.isfinite(scores).sum()))
        if top == 0:
            return []
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in best]
