"""Sentence segmentation that keeps each sentence's exact character span.

News text copied from a web page is not clean prose: a sentence may be broken
over blank lines ("a forum Moscow hopes will\\n\\nhelp forge ..."), and between
paragraphs sit headings, bylines, photo credits and captions ("PHOTO: EPA-EFE",
"Follow topic:", "Sign up now: ..."). So the text is first cut into lines,
lines are joined back into paragraphs where a sentence clearly runs on, each
paragraph is split into sentences (pysbd, or a regex splitter for very large
texts where pysbd would take too long), and every piece is tagged:
a real ``sentence``, a ``heading`` (no final punctuation), ``boilerplate``
(credits, sign-up prompts) or a ``caption`` (the paragraph before a photo credit).

This is the one sentence splitter of claimscope: knowledge-base chunking uses
:func:`split_sentences` (blank lines end sentences, no joining), the offline
extractor :func:`segment`, the LLM extractor :func:`sentence_around`. Sentence
boundaries stay rule-based (pysbd): spaCy's parser, which the extractor runs on
each sentence for its linguistics, splits quoted speech at every full stop
("“We will win. They will lose,” the mayor said." became two sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

SegmentKind = Literal["sentence", "heading", "boilerplate", "caption"]

#: Above this many characters the regex splitter replaces pysbd: pysbd, called per
#: paragraph, ran at ~50-200 KB/s here; the regex splitter does 5 MB in ~3-5 s.
PYSBD_MAX_CHARS = 100_000
#: pysbd is careful but slow (~600 sentences/s here) and its regexes can blow up on
#: very long runs of text; blocks beyond this size use the regex splitter instead.
PYSBD_MAX_BLOCK_CHARS = 20_000

_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_OPENS_LOWER = re.compile(r"^[\"“‘'(\[]?[a-z0-9]")
_BOILERPLATE = re.compile(
    r"^(?:photo|photos|image|picture|video|graphic|source|credit|caption)s?\s*:"
    r"|^(?:follow topic|sign up|subscribe|read more|see more|see also|related|advertisement"
    r"|share this|click here|listen to|watch:|download the|join st'?s?|get the latest)",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^(?:photo|photos|image|picture)s?\s*:", re.IGNORECASE)
_BLOCK_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_REGEX_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|e\.g|i\.e|al|Fig|No|Inc|Ltd|Co|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])\.$"
)
_SOFT_WRAP_MIN_LINE = 50


@dataclass(frozen=True)
class Segment:
    """A piece of the article with its exact offsets: ``article[start:end] == text``."""

    start: int
    end: int
    text: str
    kind: SegmentKind = "sentence"

    @property
    def is_sentence(self) -> bool:
        return self.kind == "sentence"


def segment(text: str) -> list[Segment]:
    """All segments of ``text`` in order, each trimmed of surrounding whitespace."""
    paragraphs = _paragraphs(text)
    use_pysbd = len(text) <= PYSBD_MAX_CHARS
    out: list[Segment] = []
    for i, (start, end) in enumerate(paragraphs):
        block = text[start:end]
        next_block = text[slice(*paragraphs[i + 1])] if i + 1 < len(paragraphs) else ""
        caption = bool(_CREDIT.match(next_block)) and not _BOILERPLATE.match(block)
        for s, e in _split_sentences(block, use_pysbd):
            piece = text[start + s : start + e]
            out.append(Segment(start + s, start + e, piece, _kind(piece, caption)))
    return out


def sentences(text: str) -> list[Segment]:
    """Only the segments that are real sentences (no headings, credits or captions)."""
    return [s for s in segment(text) if s.is_sentence]


def _kind(piece: str, caption: bool) -> SegmentKind:
    if _BOILERPLATE.match(piece):
        return "boilerplate"
    if caption:
        return "caption"
    if not _TERMINAL.search(piece):
        return "heading"
    return "sentence"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of runs of lines that belong together (a sentence running over a line break).

    Linear in the text: each line is compared with the current paragraph's first and
    last lines only (re-reading the growing paragraph for every line made a 2M-character
    text of unpunctuated lines take minutes)."""
    spans: list[tuple[int, int]] = []
    first_line = last_line = ""
    blank_before = False
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            blank_before = True
            continue
        start = line_start + len(line) - len(line.lstrip())
        end = line_start + len(line.rstrip())
        current = text[start:end]
        if spans and _continues(first_line, last_line, current, blank_before):
            spans[-1] = (spans[-1][0], end)
            last_line = current
        else:
            spans.append((start, end))
            first_line = last_line = current
        blank_before = False
    return spans


def _continues(first_line: str, last_line: str, line: str, after_blank_line: bool) -> bool:
    """Whether ``line`` continues the paragraph that opens with ``first_line`` and so far
    ends with ``last_line``."""
    if _TERMINAL.search(last_line) or _BOILERPLATE.match(first_line) or _BOILERPLATE.match(line):
        return False
    if _OPENS_LOWER.match(line):
        return True
    return not after_blank_line and len(last_line) >= _SOFT_WRAP_MIN_LINE


def _split_sentences(block: str, use_pysbd: bool) -> list[tuple[int, int]]:
    """Trimmed sentence offsets inside a paragraph ``block``."""
    flat = re.sub(r"\s", " ", block)  # same length: offsets stay valid
    return split_block(flat, use_pysbd=use_pysbd)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)`` into ``text``, whitespace trimmed, in order.

    The plain splitter for documents that are not news pages (knowledge-base
    ingest): blank lines always end a sentence (headings, paragraphs, list
    blocks); no paragraph joining, no segment kinds.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_BLOCK_BREAK.finditer(text), None]:
        block_end = match.start() if match else len(text)
        spans.extend((position + s, position + e) for s, e in split_block(text[position:block_end]))
        if match:
            position = match.end()
    return spans


def split_block(block: str, *, use_pysbd: bool = True) -> list[tuple[int, int]]:
    """Trimmed sentence offsets in one block of running text.

    pysbd where it is affordable; the regex splitter for blocks over
    PYSBD_MAX_BLOCK_CHARS (pysbd's regexes can blow up on very long runs) or when
    pysbd changed the text so its sentences cannot be located.
    """
    if not block.strip():
        return []
    if use_pysbd and len(block) <= PYSBD_MAX_BLOCK_CHARS:
        located = _locate(block, _segmenter().segment(block))
        if located is not None:
            return located
    return _regex_split(block)


@cache
def _segmenter() -> Any:  # pysbd.Segmenter (pysbd has no type information)
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _locate(block: str, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Offsets of pysbd's sentences in ``block``; None if pysbd changed the text."""
    spans = []
    cursor = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        at = block.find(needle, cursor)
        if at < 0:
            return None
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def _regex_split(block: str) -> list[tuple[int, int]]:
    """Split after . ! ? before a capital or digit, except after common abbreviations."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _REGEX_BOUNDARY.finditer(block):
        candidate = block[cursor : match.start()].rstrip()
        if _ABBREVIATION.search(candidate):
            continue
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(block)))
    return [trim(block, s, e) for s, e in spans if block[s:e].strip()]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@lru_cache(maxsize=8)
def _segments_of(text: str) -> tuple[Segment, ...]:
    return tuple(segment(text))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the segment(s) of ``text`` that ``text[start:end]`` lies in.

    Segments are cached per text, so locating many claims of one article
    segments it once. A span in no segment (only whitespace) is returned as is.
    """
    hits = [s for s in _segments_of(text) if s.start < max(end, start + 1) and start < s.end]
    if not hits:
        return start, end
    return min(hits[0].start, start), max(hits[-1].end, end)
