"""Evaluation of extraction: check-worthiness on gold sentences, claims on gold claim lists.

Each gold sentence is given to the extractor as a one-sentence article; the
sentence counts as detected check-worthy when at least one claim comes out.
That measures the extractor as the pipeline runs it (its filters, its clause
splitting, its threshold), not only the scorer inside it.

Claim extraction is measured on documents with gold claims (JSONL, one
:class:`ExtractionDocument` per line: ``id``, ``text``, optional ``date``, and
``claims`` of ``{"claim": ..., "anchor": {"start", "end"}}`` with the anchor
optional). The matching rule: a gold claim is found when an extracted claim
rests on its sentence (the claim's sentence or spans overlap the gold anchor;
any claim when there is no anchor) and holds at least ``MATCH_COVERAGE`` (60%)
of the gold claim's content lemmas (:func:`content_lemmas`). An extracted claim
is right (precision) when, on its sentence, it covers a gold claim that way or a
gold claim holds at least 60% of *its* content lemmas (a part of a gold claim,
stated atomically, counts). Reported: recall, precision, the share of extracted
claims that cover a whole gold claim (``precision_matched``), gold claims per
matched claim (atomicity; 1.0 is one fact per claim) and the share of claims with
an unresolved reference (marked ``needs_context`` by the extractor, or flagged
by :func:`has_unresolved_reference`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from pydantic import BaseModel
from tqdm import tqdm

from claims.models import Article, Claim, Failure, Usage
from claims.protocols import Embedder, Extractor
from claims.settings import Settings
from eval.datasets import CheckworthySentence


class SentenceResult(BaseModel):
    id: str
    text: str
    gold: bool
    predicted: bool | None = None
    score: float | None = None
    claims: int = 0
    correct: bool
    latency_s: float
    usage: Usage = Usage()
    extractor: str | None = None
    error: Failure | None = None


def evaluate_checkworthiness(
    sentences: Sequence[CheckworthySentence],
    *,
    settings: Settings,
    embedder: Embedder,
    extractor: Extractor | None = None,
    skip: Iterable[str] = (),
    on_result: Callable[[SentenceResult], None] | None = None,
    progress: bool = True,
) -> list[SentenceResult]:
    """One result per sentence; an extractor error is recorded on it and counts as wrong."""
    if extractor is None:
        from claims.factory import build_extractor

        extractor = build_extractor(settings, embedder)
    done = set(skip)
    todo = [s for s in sentences if s.id not in done]
    results = []
    with tqdm(
        total=len(sentences), initial=len(sentences) - len(todo), desc="eval extract",
        unit="sentence", disable=not progress,
    ) as bar:  # fmt: skip
        for sentence in todo:
            result = check_sentence(sentence, extractor)
            results.append(result)
            if on_result is not None:
                on_result(result)
            bar.update(1)
    return results


def check_sentence(sentence: CheckworthySentence, extractor: Extractor) -> SentenceResult:
    started = time.perf_counter()
    try:
        extraction = extractor.extract(Article(text=sentence.text))
    except Exception as exc:  # noqa: BLE001 - any error is this sentence's failure
        return SentenceResult(
            id=sentence.id, text=sentence.text, gold=sentence.checkworthy, correct=False,
            latency_s=time.perf_counter() - started, extractor=extractor.name,
            error=Failure.of("extract", exc),
        )  # fmt: skip
    found = extraction.claims
    predicted = bool(found)
    return SentenceResult(
        id=sentence.id,
        text=sentence.text,
        gold=sentence.checkworthy,
        predicted=predicted,
        score=max((c.checkworthiness for c in found), default=None),
        claims=len(found),
        correct=predicted == sentence.checkworthy,
        latency_s=time.perf_counter() - started,
        usage=extraction.usage,
        extractor=extractor.name,
    )


# --- Claim extraction against gold claims --------------------------------------------
#
# Matching rule (documented in the docstring of `covers`): a gold claim is found when
# an extracted claim rests on the gold claim's sentence (its sentence span overlaps the
# gold anchor; skipped when the gold claim has no anchor) and holds at least
# MATCH_COVERAGE of the gold claim's content lemmas.

MATCH_COVERAGE = 0.6
_CONTENT_POS = frozenset({"PROPN", "NOUN", "VERB", "ADJ", "NUM", "ADV"})


class GoldSpan(BaseModel):
    start: int
    end: int
    text: str | None = None


class GoldClaim(BaseModel):
    """A claim as a person wrote it, optionally with the article span it comes from."""

    claim: str
    anchor: GoldSpan | None = None


class ExtractionDocument(BaseModel):
    """One document of an extraction set: its text, optional date, and its gold claims."""

    id: str
    text: str
    date: str | None = None
    claims: list[GoldClaim]


def read_extraction_set(path: Path) -> list[ExtractionDocument]:
    """Documents from a JSONL file, one ``ExtractionDocument`` per line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ExtractionDocument.model_validate_json(line) for line in lines if line.strip()]


def read_article_with_gold(
    article: Path, gold: Path, *, date: str | None = None
) -> ExtractionDocument:
    """The example layout: an article text file beside a JSONL of ``{claim, anchor}`` lines."""
    claims = [
        GoldClaim.model_validate_json(line)
        for line in gold.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    text = article.read_text(encoding="utf-8")
    return ExtractionDocument(id=article.stem, text=text, date=date, claims=claims)


def content_lemmas(text: str) -> frozenset[str]:
    """Lower-cased lemmas of the words that carry content.

    Nouns, proper nouns, verbs, adjectives, adverbs and numbers, less spaCy's
    English stop words (numbers and ordinals are kept even when they are stop
    words: "two", "first").
    """
    from claims.nlp import pipeline

    doc = pipeline()(text)
    return frozenset(
        t.lemma_.lower().strip("'’")
        for t in doc
        if t.pos_ in _CONTENT_POS
        and (not t.is_stop or t.like_num or t.ent_type_ in ("ORDINAL", "CARDINAL"))
        and any(ch.isalnum() for ch in t.text)
    )


def coverage(gold: frozenset[str], extracted: frozenset[str]) -> float:
    """Share of the gold claim's content lemmas that the extracted claim holds."""
    return len(gold & extracted) / len(gold) if gold else 0.0


def rests_on(claim: Claim, anchor: GoldSpan | None) -> bool:
    """The claim's sentence overlaps the gold anchor (true when there is no anchor)."""
    if anchor is None:
        return True
    spans = [claim.sentence, claim.span, *claim.spans]
    return any(s.start < anchor.end and anchor.start < s.end for s in spans)


class ClaimMatch(BaseModel):
    """One gold claim and the extracted claim that covers it best."""

    gold: str
    found: bool
    claim_id: str | None = None
    claim: str | None = None
    coverage: float = 0.0


class ExtractedClaimResult(BaseModel):
    """One extracted claim: which gold claims it covers, and whether it needs context."""

    id: str
    text: str
    span: str
    gold_covered: int
    within_gold: bool = False  # a gold claim on its sentence holds >= 60% of its lemmas
    needs_context: bool
    unresolved_reference: bool
    kind: str
    checkworthiness: float


def match_claims(
    gold: Sequence[GoldClaim], claims: Sequence[Claim]
) -> tuple[list[ClaimMatch], list[ExtractedClaimResult]]:
    """Per gold claim the best covering claim; per extracted claim the gold claims it covers."""
    gold_lemmas = [content_lemmas(g.claim) for g in gold]
    claim_lemmas = [content_lemmas(c.text) for c in claims]
    covered_by: list[int] = [0] * len(claims)
    within: list[bool] = [False] * len(claims)
    matches = []
    for g, lemmas in zip(gold, gold_lemmas, strict=True):
        best: tuple[float, int] | None = None
        for j, c in enumerate(claims):
            if not rests_on(c, g.anchor):
                continue
            if coverage(claim_lemmas[j], lemmas) >= MATCH_COVERAGE:
                within[j] = True
            share = coverage(lemmas, claim_lemmas[j])
            if share >= MATCH_COVERAGE:
                covered_by[j] += 1
            if best is None or share > best[0]:
                best = (share, j)
        found = best is not None and best[0] >= MATCH_COVERAGE
        matches.append(
            ClaimMatch(
                gold=g.claim,
                found=found,
                claim_id=claims[best[1]].id if best else None,
                claim=claims[best[1]].text if best else None,
                coverage=round(best[0], 3) if best else 0.0,
            )
        )
    results = [
        ExtractedClaimResult(
            id=c.id,
            text=c.text,
            span=c.span.text,
            gold_covered=covered_by[j],
            within_gold=within[j],
            needs_context=c.needs_context,
            unresolved_reference=has_unresolved_reference(c.text),
            kind=str(c.kind),
            checkworthiness=c.checkworthiness,
        )
        for j, c in enumerate(claims)
    ]
    return matches, results


_QUOTE_SPAN = re.compile(r"[«“\"][^»”\"]*[»”\"]")
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|his|their|this|these|those)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+")
_DESCRIPTION = re.compile(
    r"\bthe (?:two \w+|(?-i:[A-Z]{2,} )?(?:document|reports?|talks|meeting|deal|treaty|pact|offensive|conflict"
    r"|visit|allegations|position|decision|plan|move|summit|leader|chief)\b(?! (?:of|with|in|that|"
    r"between|on|to|for)\b))",
    re.IGNORECASE,
)


def has_unresolved_reference(text: str) -> bool:
    """A pronoun with no name before it, or a bare definite description, outside quotes.

    An independent pattern over the claim's words, not the extractor's own
    judgement: a third-person pronoun or demonstrative counts when no capitalised
    name comes before it in the claim; "the meeting", "the two men", "the
    conflict" count unless a phrase follows that says which ("the meeting with
    Putin"). It over-counts rather than under-counts ("the summit" may be clear).
    """
    plain = _QUOTE_SPAN.sub(" ", text)
    if _DESCRIPTION.search(plain):
        return True
    pronoun = _PRONOUN.search(plain)
    return pronoun is not None and not _NAME.search(plain[: pronoun.start()])


def extraction_summary(
    matches: Sequence[ClaimMatch], results: Sequence[ExtractedClaimResult]
) -> dict[str, float | int]:
    """Recall, precision, atomicity and the share of claims that need context."""
    n = len(results)
    matched = [r for r in results if r.gold_covered]
    return {
        "gold": len(matches),
        "claims": n,
        "recall": round(sum(m.found for m in matches) / max(1, len(matches)), 3),
        "precision": round(
            sum(bool(r.gold_covered) or r.within_gold for r in results) / max(1, n), 3
        ),
        "precision_matched": round(len(matched) / max(1, n), 3),
        "gold_per_matched_claim": round(
            sum(r.gold_covered for r in matched) / max(1, len(matched)), 3
        ),
        "needs_context": sum(r.needs_context for r in results),
        "unresolved_reference": sum(r.unresolved_reference for r in results),
        "unresolved_share": round(
            sum(r.needs_context or r.unresolved_reference for r in results) / max(1, n), 3
        ),
    }


class DocumentResult(BaseModel):
    """One document of an extraction set: its gold matches, its claims, or its failure."""

    id: str
    gold: list[ClaimMatch] = []
    claims: list[ExtractedClaimResult] = []
    latency_s: float
    error: Failure | None = None


def evaluate_extraction(
    documents: Sequence[ExtractionDocument], extractor: Extractor
) -> list[DocumentResult]:
    """Extract claims from every document and match them to its gold claims.

    An extractor error is recorded on its document (and that document's gold
    claims count as missed in :func:`summarise_documents`).
    """
    results = []
    for doc in documents:
        started = time.perf_counter()
        published = date.fromisoformat(doc.date) if doc.date else None
        try:
            extraction = extractor.extract(Article(text=doc.text, published=published))
        except Exception as exc:  # noqa: BLE001 - any error is this document's failure
            results.append(
                DocumentResult(
                    id=doc.id,
                    gold=[ClaimMatch(gold=g.claim, found=False) for g in doc.claims],
                    latency_s=time.perf_counter() - started,
                    error=Failure.of("extract", exc),
                )
            )
            continue
        elapsed = time.perf_counter() - started
        matches, claims = match_claims(doc.claims, extraction.claims)
        results.append(DocumentResult(id=doc.id, gold=matches, claims=claims, latency_s=elapsed))
    return results


def summarise_documents(results: Sequence[DocumentResult]) -> dict[str, float | int]:
    """The summary of :func:`extraction_summary` over all documents' claims together."""
    summary = extraction_summary(
        [m for r in results for m in r.gold], [c for r in results for c in r.claims]
    )
    return {
        **summary,
        "documents": len(results),
        "failed": sum(r.error is not None for r in results),
    }
