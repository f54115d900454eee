"""Split documents into sentences and group sentences into bounded passages.

Offsets are kept exactly: a passage is ``document.text[start:end]`` and each of its
sentences is a :class:`Span` into the passage text. Passage ids hash the source,
the document id and the passage text, so unchanged text keeps its id across ingests.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from functools import cache
from typing import Any

from claims.models import Passage, Span
from retrieval.documents import Document

MAX_PASSAGE_CHARS = 800
MAX_PASSAGE_SENTENCES = 8
# pysbd is careful but slow (~600 sentences/s here) and its regexes can blow up on
# very long runs of text; blocks beyond this size use the regex splitter instead.
PYSBD_MAX_BLOCK_CHARS = 20_000

_BLOCK_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_REGEX_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|e\.g|i\.e|al|Fig|No|Inc|Ltd|Co|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])\.$"
)


@cache
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)`` into ``text``, whitespace trimmed, in order.

    Blank lines always end a sentence (headings, paragraphs, list blocks).
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_BLOCK_BREAK.finditer(text), None]:
        block_end = match.start() if match else len(text)
        spans.extend(_split_block(text, position, block_end))
        if match:
            position = match.end()
    return spans


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    if not block.strip():
        return []
    if len(block) <= PYSBD_MAX_BLOCK_CHARS:
        located = _locate(block, _segmenter().segment(block))
        if located is not None:
            return [(start + s, start + e) for s, e in located]
    return [(start + s, start + e) for s, e in _regex_split(block)]


def _locate(block: str, sentences: list[str]) -> list[tuple[int, int]] | None:
    """Offsets of pysbd's sentences in ``block``; None if pysbd changed the text."""
    spans = []
    cursor = 0
    for sentence in sentences:
        needle = sentence.strip()
        if not needle:
            continue
        at = block.find(needle, cursor)
        if at < 0:
            return None
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def _regex_split(block: str) -> list[tuple[int, int]]:
    """A fast splitter on end punctuation followed by a capitalised word."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _REGEX_BOUNDARY.finditer(block):
        candidate = block[cursor : match.start()].rstrip()
        if _ABBREVIATION.search(candidate):
            continue
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(block)))
    return [_trim(block, s, e) for s, e in spans if block[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
