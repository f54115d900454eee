"""The offline claim extractor: no network, no LLM.

Steps, each a small function: segment the article into sentences with exact
spans (:mod:`claims.segment`); drop what cannot be a claim (headings, credits,
questions, fragments without a verb, quotes of pure opinion); split compound
sentences into independent clauses where each side has its own subject and
verb; score every candidate's check-worthiness in one embedding batch; keep
those at or above the threshold, in article order. Every claim's ``span`` is
the exact clause in the article and ``sentence`` the sentence it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from claims import cues
from claims.checkworthiness import SentenceScorer, load_model
from claims.errors import EmptyArticleError
from claims.models import Article, Claim, Extraction, Span
from claims.protocols import Embedder
from claims.segment import Segment, sentences

MIN_WORDS = 4

# "KAZAN, Russia – " / "WASHINGTON (Reuters) - ": a dateline, not part of the claim.
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]{2,}(?:,\s*[A-Z][\w .'\-]*)?(?:\s*\([^)]*\))?\s+[–—-]\s+")
# Where a compound sentence may be cut: the separator is dropped from both parts.
_SEPARATORS = re.compile(
    r";\s+|,\s+(?:and|but|while|whereas|yet)\s+|\s+amid reports that\s+", re.IGNORECASE
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’(?!\w)")
_TRAILING = " ,;:–—-"


@dataclass(frozen=True)
class Candidate:
    """A clause that might become a claim: its span and the sentence's."""

    start: int
    end: int
    sentence: Segment


class OfflineExtractor:
    """Check-worthy clauses of an article, scored by a model over an injected embedder."""

    name = "offline-checkworthiness-v1"

    def __init__(
        self,
        embedder: Embedder,
        model: SentenceScorer | None = None,
        *,
        min_checkworthiness: float | None = None,
    ) -> None:
        self.embedder = embedder
        self.model = model if model is not None else load_model()
        check = getattr(self.model, "check_embedder", None)
        if check is not None:
            check(embedder)
        self.min_checkworthiness = (
            self.model.threshold if min_checkworthiness is None else min_checkworthiness
        )

    def extract(self, article: Article) -> Extraction:
        text = article.text
        if not text.strip():
            raise EmptyArticleError("the article is empty")
        found = candidates(text)
        scores = self.model.score([_claim_text(text, c) for c in found], self.embedder)
        claims = [
            _claim(text, c, float(score))
            for c, score in zip(found, scores, strict=True)
            if score >= self.min_checkworthiness
        ]
        return Extraction(claims=sorted(claims, key=lambda c: (c.span.start, c.span.end)))


def candidates(text: str) -> list[Candidate]:
    """Every clause of the article that could be a claim, before scoring."""
    out = []
    for sentence in sentences(text):
        if not could_be_claim(sentence.text):
            continue
        start = sentence.start + _dateline_length(sentence.text)
        for s, e in split_clauses(text, start, sentence.end):
            if could_be_claim(text[s:e]):
                out.append(Candidate(s, e, sentence))
    return out


def could_be_claim(text: str) -> bool:
    """Rules that rule a piece out: too short, no verb, a question, an opinion quote."""
    if len(cues.words(text)) < MIN_WORDS or cues.is_question(text):
        return False
    if not cues.has_finite_verb(text):
        return False
    return not is_opinion_quote(text)


def is_opinion_quote(text: str) -> bool:
    """Mostly a quotation, and what is quoted is opinion: hedges, "I"/"we", no figures."""
    if cues.quoted_fraction(text) < 0.5:
        return False
    quoted = " ".join(cues.quotes(text))
    has_figures = bool(cues.numbers(quoted) or cues.has_number_word(quoted) or cues.years(quoted))
    personal = cues.first_person(quoted) or cues.second_person(quoted)
    return not has_figures and (personal or bool(cues.opinion_words(quoted)))


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at "; " / ", and" / ", but" ... where both sides are clauses.

    Never cuts inside quotation marks. Returns trimmed, exact sub-spans.
    """
    piece = text[start:end]
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(piece)]
    cuts = [
        (m.start(), m.end())
        for m in _SEPARATORS.finditer(piece)
        if not any(qs < m.start() < qe for qs, qe in quoted)
    ]
    parts: list[tuple[int, int]] = []
    left_start = 0
    for i, (cut_start, cut_end) in enumerate(cuts):
        right_end = cuts[i + 1][0] if i + 1 < len(cuts) else len(piece)
        left, right = piece[left_start:cut_start], piece[cut_end:right_end]
        if cues.is_clause(left) and cues.is_clause(right):
            parts.append((left_start, cut_start))
            left_start = cut_end
    parts.append((left_start, len(piece)))
    return [_trim(text, start + s, start + e) for s, e in parts]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return start, end


def _dateline_length(sentence: str) -> int:
    m = _DATELINE.match(sentence)
    return m.end() if m else 0


def _claim_text(article: str, candidate: Candidate) -> str:
    """The clause as a claim: whitespace collapsed, capitalised, with a final period."""
    clause = " ".join(article[candidate.start : candidate.end].split())
    clause = clause[0].upper() + clause[1:]
    if not re.search(r"[.!?…][\"'”’)]*$", clause):
        clause += "."
    return clause


def claim_id(span: Span) -> str:
    """Stable across runs: a hash of the span's offsets and text."""
    digest = hashlib.sha256(f"{span.start}:{span.end}:{span.text}".encode()).hexdigest()
    return f"c-{digest[:12]}"


def _claim(article: str, candidate: Candidate, score: float) -> Claim:
    span = Span.of(article, candidate.start, candidate.end)
    sentence = Span.of(article, candidate.sentence.start, candidate.sentence.end)
    text = _claim_text(article, candidate)
    return Claim(
        id=claim_id(span),
        text=text,
        span=span,
        sentence=sentence,
        checkworthiness=min(1.0, max(0.0, score)),
        kind=cues.classify_kind(text),
    )
