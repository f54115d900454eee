"""Group a document's sentences into bounded passages.

Sentences come from :func:`claims.segment.split_sentences`, the project's one
sentence splitter (pysbd, a regex splitter for huge blocks; blank lines end a
sentence).

Offsets are kept exactly: a passage is ``document.text[start:end]`` and each of its
sentences is a :class:`Span` into the passage text. Passage ids hash the source,
the document id and the passage text, so unchanged text keeps its id across ingests.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from claims.models import Passage, Span
from claims.segment import PYSBD_MAX_BLOCK_CHARS, split_sentences
from claims.segment import trim as _trim
from retrieval.documents import Document

MAX_PASSAGE_CHARS = 800
MAX_PASSAGE_SENTENCES = 8


__all__ = [
    "MAX_PASSAGE_CHARS",
    "MAX_PASSAGE_SENTENCES",
    "PYSBD_MAX_BLOCK_CHARS",
    "chunk_document",
    "passage_id",
    "split_sentences",
]


def _cap_length(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than ``limit`` at whitespace (or hard, if it has none)."""
    pieces = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        pieces.append(_trim(text, start, cut))
        start = _trim(text, cut, end)[0]
    pieces.append((start, end))
    return [p for p in pieces if p[1] > p[0]]


def passage_id(source: str, doc_id: str, text: str) -> str:
    """A content hash: the same passage of the same document always gets the same id."""
    digest = hashlib.sha256(f"{source}\x1f{doc_id}\x1f{text}".encode())
    return digest.hexdigest()[:20]


def chunk_document(
    document: Document,
    *,
    ingested_at: datetime | None = None,
    max_chars: int = MAX_PASSAGE_CHARS,
    max_sentences: int = MAX_PASSAGE_SENTENCES,
) -> list[Passage]:
    """The document's passages: whole sentences, at most ``max_chars`` / ``max_sentences`` each."""
    text = document.text
    sentences = [
        piece for s, e in split_sentences(text) for piece in _cap_length(text, s, e, max_chars)
    ]
    groups: list[list[tuple[int, int]]] = []
    for span in sentences:
        current = groups[-1] if groups else None
        if current and len(current) < max_sentences and span[1] - current[0][0] <= max_chars:
            current.append(span)
        else:
            groups.append([span])
    return [_passage(document, group, ingested_at) for group in groups]


def _passage(
    document: Document, group: list[tuple[int, int]], ingested_at: datetime | None
) -> Passage:
    start, end = group[0][0], group[-1][1]
    text = document.text[start:end]
    return Passage(
        id=passage_id(document.source, document.id, text),
        doc_id=document.id,
        text=text,
        source=document.source,
        title=document.title,
        url=document.url,
        published=document.published,
        ingested_at=ingested_at,
        kind=document.kind,
        retrieved_at=document.retrieved_at,
        start=start,
        end=end,
        sentences=[Span.of(text, s - start, e - start) for s, e in group],
    )
