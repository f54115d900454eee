"""BM25 over the knowledge base's passages (``bm25s``), with metadata masks for filters.

The index is a snapshot of the collection: :class:`KnowledgeBase` rebuilds it when
the collection's revision changes, and keeps it on disk in a :class:`LexicalStore`
(one folder per revision), so a new process loads it instead of rebuilding it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

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
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        *,
        bm25: Any = None,
    ):
        """``bm25``: an index already built over exactly these passages (loaded from disk)."""
        self.ids = list(ids)
        self.texts = list(texts)
        self.metadatas = list(metadatas)
        self._position = {pid: i for i, pid in enumerate(self.ids)}
        self._sources = np.array([m.get("source", "") for m in self.metadatas], dtype=object)
        self._published = np.array(
            [m.get("published_ord", -1) for m in self.metadatas], dtype=np.int64
        )
        self._bm25: Any = bm25
        if self.ids and bm25 is None:
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


RECORDS_FILE = "records.json"
BM25_FOLDER = "bm25"
TEMP_PREFIX = ".tmp-"
KEEP_PREVIOUS = 1  # older revisions kept for readers that are still loading them
STALE_TEMP_S = 3600.0  # a temporary folder this old belongs to a writer that died


class LexicalStore:
    """Snapshots saved under ``directory``, one folder per collection revision.

    A snapshot is written into a temporary folder and then renamed to its revision's
    name, so a reader sees a whole snapshot or none; two processes saving the same
    revision race harmlessly (the second rename fails and its copy is dropped).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def load(self, key: str) -> LexicalIndex | None:
        """The snapshot saved for ``key``, or None when there is none (or it is unreadable)."""
        folder = self.directory / _folder_name(key)
        if not (folder / RECORDS_FILE).is_file():
            return None
        try:
            with (folder / RECORDS_FILE).open(encoding="utf-8") as handle:
                records = json.load(handle)
            bm25 = None
            if records["ids"]:
                import bm25s

                bm25 = bm25s.BM25.load(str(folder / BM25_FOLDER), mmap=True, show_progress=False)
            return LexicalIndex(records["ids"], records["texts"], records["metadatas"], bm25=bm25)
        except (OSError, ValueError, KeyError) as exc:  # removed or damaged: rebuild instead
            log.warning("cannot load the saved BM25 index %s (%s); rebuilding it", folder, exc)
            return None

    def save(self, key: str, index: LexicalIndex) -> bool:
        """Save ``index`` as ``key``'s snapshot; False when it could not be written."""
        target = self.directory / _folder_name(key)
        if target.exists():
            return True
        temp = self.directory / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        try:
            temp.mkdir(parents=True)
            if index._bm25 is not None:
                index._bm25.save(str(temp / BM25_FOLDER), show_progress=False)
            records = {"ids": index.ids, "texts": index.texts, "metadatas": index.metadatas}
            with (temp / RECORDS_FILE).open("w", encoding="utf-8") as handle:
                json.dump(records, handle, ensure_ascii=False)
            try:
                os.rename(temp, target)
            except OSError:
                if not target.exists():
                    raise
                shutil.rmtree(temp, ignore_errors=True)  # another process saved it first
        except OSError as exc:
            shutil.rmtree(temp, ignore_errors=True)
            log.warning("cannot save the BM25 index under %s: %s", self.directory, exc)
            return False
        self._prune(keep=target.name)
        return True

    def _prune(self, keep: str) -> None:
        """Drop all but the newest revisions, and temporary folders of dead writers."""
        try:
            folders = [f for f in self.directory.iterdir() if f.is_dir()]
        except OSError:
            return
        now = time.time()
        saved = sorted(
            (f for f in folders if not f.name.startswith(TEMP_PREFIX) and f.name != keep),
            key=_mtime,
            reverse=True,
        )
        stale = [f for f in folders if f.name.startswith(TEMP_PREFIX)]
        stale = [f for f in stale if now - _mtime(f) > STALE_TEMP_S]
        for folder in saved[KEEP_PREVIOUS:] + stale:
            shutil.rmtree(folder, ignore_errors=True)


def _folder_name(key: str) -> str:
    """A revision key (``<revision>:<count>``) as a folder name."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "-", key)
    return safe if safe and not safe.startswith(".") else f"r{safe}"


def _mtime(folder: Path) -> float:
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0
