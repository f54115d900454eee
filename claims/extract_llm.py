"""LLM claim extraction: atomic, self-contained claims, each tied to its exact article span.

The model is asked (see :data:`claims.prompts.EXTRACTION_PROMPT`) for claims
that quote their source sentence. A validator locates every quote in the
article (tolerating whitespace and quote-character differences, yet always
returning a span of exact article text) and re-asks with the error when a
quote is not there. Long articles go in overlapping windows (later ones also see
the article's opening, to resolve names and dates); claims found
twice in an overlap are merged.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from langchain_core.language_models.chat_models import BaseChatModel

from claims import segment
from claims.chat import InvalidAnswer, ask_validated, chat_model_name
from claims.llm_cache import LLMCache
from claims.models import Article, Claim, Extraction, Span, Usage
from claims.prompts import (
    EXTRACTION_PROMPT,
    ExtractedClaim,
    ExtractedClaims,
    ExtractionInput,
    StructuredPrompt,
)
from claims.settings import StructuredMethod

MIN_QUOTE_CHARS = 8

_BREAK = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+|\n\s*")
_QUOTE_CHARS = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)


class LLMExtractor:
    """Extracts claims with a chat model; implements :class:`claims.protocols.Extractor`."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        method: StructuredMethod = "json_schema",
        max_retries: int = 2,
        cache: LLMCache | None = None,
        window_chars: int = 6000,
        overlap_chars: int = 800,
        context_chars: int = 600,
        model_name: str | None = None,
        prompt: StructuredPrompt[ExtractionInput, ExtractedClaims] = EXTRACTION_PROMPT,
    ) -> None:
        if overlap_chars >= window_chars:
            raise ValueError("overlap_chars must be smaller than window_chars")
        self.chat_model = chat_model
        self.method: StructuredMethod = method
        self.max_retries = max_retries
        self.cache = cache
        self.window_chars = window_chars
        self.overlap_chars = overlap_chars
        self.context_chars = context_chars
        self.prompt = prompt
        self.model_name = model_name or chat_model_name(chat_model)
        self.name = f"llm:{self.model_name}"
        if prompt is not EXTRACTION_PROMPT:
            self.name += f" ({prompt.name})"

    def extract(self, article: Article) -> Extraction:
        """All claims of ``article``, in article order, with the tokens they cost."""
        text = article.text
        windows = split_windows(text, self.window_chars, self.overlap_chars)
        found: list[Claim] = []
        usage = Usage()
        for part, (start, end) in enumerate(windows, start=1):
            claims, spent = self._extract_window(article, start, end, part, len(windows))
            found.extend(claims)
            usage = usage + spent
        return Extraction(claims=_number(dedupe(found)), usage=usage)

    def _extract_window(
        self, article: Article, start: int, end: int, part: int, parts: int
    ) -> tuple[list[Claim], Usage]:
        value = ExtractionInput(
            article=article.text[start:end],
            title=article.title,
            part=part,
            parts=parts,
            context=opening(article.text, min(self.context_chars, start)) or None,
            published=article.published.isoformat() if article.published else None,
        )
        messages = self.prompt.messages(value, method=self.method)

        def validate(answer: ExtractedClaims) -> list[Claim]:
            return claims_from_answer(answer, article.text, start, end)

        return ask_validated(
            self.chat_model,
            messages,
            self.prompt.output_schema,
            validate,
            method=self.method,
            max_retries=self.max_retries,
            cache=self.cache,
            model_name=self.model_name,
        )


def claims_from_answer(
    answer: ExtractedClaims, text: str, window_start: int, window_end: int
) -> list[Claim]:
    """Claims with exact spans for every answered claim; :class:`InvalidAnswer` if any quote is not in ``text``."""
    claims: list[Claim] = []
    problems: list[str] = []
    for i, item in enumerate(answer.claims):
        claim_text = " ".join(item.claim.split())
        if not claim_text:
            problems.append(f"claims[{i}].claim is empty")
            continue
        span = locate_quote(text, item.quote, window_start, window_end)
        if span is None:
            problems.append(
                f"claims[{i}].quote is not in the article: {item.quote[:160]!r}. "
                "Copy the source sentence exactly as the article writes it."
            )
            continue
        claims.append(_claim(item, claim_text, span, text))
    if problems:
        raise InvalidAnswer("; ".join(problems))
    return claims


def _claim(item: ExtractedClaim, claim_text: str, span: Span, text: str) -> Claim:
    return Claim(
        id=f"at{span.start}",
        text=claim_text,
        span=span,
        sentence=sentence_around(text, span),
        checkworthiness=item.checkworthiness,
        kind=item.kind,
    )


def locate_quote(
    text: str, quote: str, window_start: int = 0, window_end: int | None = None
) -> Span | None:
    """The span of ``quote`` in ``text``, preferring the window; None when it is not there.

    Whitespace runs, curly versus straight quotes and dashes may differ; the
    returned span always covers exact characters of ``text``. Quotes shorter
    than :data:`MIN_QUOTE_CHARS` are refused: they would match almost anywhere.
    """
    window_end = len(text) if window_end is None else window_end
    wanted = quote.replace("&lt;", "<").strip()
    if len(wanted) < MIN_QUOTE_CHARS:
        return None
    for lo, hi in ((window_start, window_end), (0, len(text))):
        at = text.find(wanted, lo, hi)
        if at >= 0:
            return Span.of(text, at, at + len(wanted))
    norm_quote = _normalise(wanted).strip(" \"'")
    if len(norm_quote) < MIN_QUOTE_CHARS:
        return None
    # the window first: normalising a whole long article for every quote would be slow
    for lo, hi in ((window_start, window_end), (0, len(text))):
        norm_text, index = _normalise_with_index(text[lo:hi])
        at = norm_text.find(norm_quote)
        if at >= 0:
            return Span.of(text, lo + index[at], lo + index[at + len(norm_quote) - 1] + 1)
    return near_sentence(text, norm_quote, window_start, window_end)


NEAR_QUOTE_COVERAGE = 0.85
NEAR_QUOTE_MIN_CHARS = 20


def near_sentence(text: str, norm_quote: str, lo: int, hi: int) -> Span | None:
    """The window's sentence that a slightly misquoted ``norm_quote`` was copied from.

    Small models copy a sentence with a word changed, its case changed or a
    clause dropped ("Russia launched a full-scale military campaign" for "...
    which began when Moscow launched a full-scale military campaign"). A
    stretch of one to three consecutive pieces of the window (pieces are cut at
    sentence ends and line breaks: scraped articles break lines inside
    sentences) counts when the quote's characters, aligned in order, are at
    least 85% found in it; the best stretch's exact span is returned (the
    shorter one on a tie), never the model's text. Quotes under 20 characters
    are not matched this way.
    """
    if len(norm_quote) < NEAR_QUOTE_MIN_CHARS:
        return None
    wanted = norm_quote.lower()
    pieces: list[tuple[int, int]] = []
    start = lo
    for match in [*_BREAK.finditer(text, lo, hi), None]:
        end = _sentence_end(match) if match is not None else hi
        if text[start:end].strip():
            pieces.append((start, end))
        if match is not None:
            start = match.end()
    best: tuple[float, int, int, int] | None = None  # coverage, -length, start, end
    for i in range(len(pieces)):
        for j in range(i, min(i + 3, len(pieces))):
            s, e = pieces[i][0], pieces[j][1]
            candidate = _normalise(text[s:e]).lower()
            matcher = difflib.SequenceMatcher(None, wanted, candidate, autojunk=False)
            coverage = sum(b.size for b in matcher.get_matching_blocks()) / len(wanted)
            key = (coverage, -(e - s), s, e)
            if coverage >= NEAR_QUOTE_COVERAGE and (best is None or key[:2] > best[:2]):
                best = key
    if best is None:
        return None
    s, e = best[2], best[3]
    while s < e and text[s].isspace():
        s += 1
    return Span.of(text, s, e)


def _normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTE_CHARS).split())


def _normalise_with_index(text: str) -> tuple[str, list[int]]:
    """``_normalise(text)`` and, for each of its characters, its offset in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    pending_space = False
    for offset, ch in enumerate(text.translate(_QUOTE_CHARS)):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            index.append(offset - 1)
            pending_space = False
        chars.append(ch)
        index.append(offset)
    return "".join(chars), index


def sentence_around(text: str, span: Span) -> Span:
    """The span of the article sentence(s) containing ``span`` (see :mod:`claims.segment`)."""
    start, end = segment.sentence_around(text, span.start, span.end)
    return Span.of(text, start, end)


def opening(text: str, limit: int) -> str:
    """The article's first ``limit`` characters, cut at a sentence end where there is one.

    Later windows get it so the model can resolve names and dates introduced at the top.
    """
    if limit <= 0:
        return ""
    cut = _last_break(text, limit // 2, limit) or limit
    return text[:cut].strip()


def _sentence_end(match: re.Match[str]) -> int:
    """Where the sentence before a break ends: after its closing quotes, before the space."""
    return match.end(1) if match.group(1) is not None else match.start()


def split_windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """Overlapping ``(start, end)`` windows of at most ``size`` characters, cut at sentence breaks where possible."""
    n = len(text)
    if n <= size:
        return [(0, n)]
    windows: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + size, n)
        if end < n:
            end = _last_break(text, start + size // 2, end) or end
        windows.append((start, end))
        if end >= n:
            return windows
        nxt = max(end - overlap, start + 1)
        start = _first_break(text, nxt, end) or nxt


def _last_break(text: str, lo: int, hi: int) -> int | None:
    best = None
    for match in _BREAK.finditer(text, lo, hi):
        best = _sentence_end(match)
    return best


def _first_break(text: str, lo: int, hi: int) -> int | None:
    match = _BREAK.search(text, lo, hi)
    return match.end() if match is not None and match.end() < hi else None


def dedupe(claims: Sequence[Claim]) -> list[Claim]:
    """Claims in article order, merging those with the same span and near-identical text."""
    kept: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (c.span.start, c.span.end)):
        twin = next((k for k in kept if _same_claim(k, claim)), None)
        if twin is None:
            kept.append(claim)
        elif claim.checkworthiness > twin.checkworthiness:
            kept[kept.index(twin)] = twin.model_copy(
                update={"checkworthiness": claim.checkworthiness}
            )
    return kept


def _same_claim(a: Claim, b: Claim) -> bool:
    if (a.span.start, a.span.end) != (b.span.start, b.span.end):
        return False
    x, y = _normalise(a.text).lower(), _normalise(b.text).lower()
    return x == y or difflib.SequenceMatcher(None, x, y).ratio() >= 0.9


def _number(claims: list[Claim]) -> list[Claim]:
    """Give claims short ids in article order (``c1``, ``c2``...), stable for one article."""
    return [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(claims, start=1)]
