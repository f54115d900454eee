"""Domain types: what an article, a claim, evidence and a verdict are.

Pure pydantic models with no I/O. Offsets are Python string indices
(code points): ``article.text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from claims.redaction import redact


class Span(BaseModel):
    """A character range of a text, with the text it covers."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError("span text length does not match its offsets")
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        return cls(start=start, end=end, text=text[start:end])

    def is_in(self, text: str) -> bool:
        """True when this span points at the same characters of ``text``."""
        return text[self.start : self.end] == self.text


class Article(BaseModel):
    """The text a user wants checked. Untrusted: never rendered unescaped."""

    text: str
    title: str | None = None
    source: str | None = None
    published: date | None = Field(
        default=None, description="publication date; relative dates in claims are resolved by it"
    )


class ClaimKind(StrEnum):
    NUMERIC = "numeric"
    TEMPORAL = "temporal"
    QUOTE = "quote"
    EVENT = "event"
    ATTRIBUTE = "attribute"
    ATTRIBUTED = "attributed"
    OTHER = "other"


ClaimOrigin = Literal["extractor", "person"]


class Claim(BaseModel):
    """One atomic, checkable statement tied back to the article."""

    id: str
    text: str = Field(min_length=1)
    span: Span
    sentence: Span
    checkworthiness: float = Field(ge=0.0, le=1.0)
    kind: ClaimKind = ClaimKind.OTHER
    spans: list[Span] = Field(
        default_factory=list,
        description="the pieces of the article the claim rests on when they are not one "
        "contiguous stretch; `span` then covers them all",
    )
    attributed_to: str | None = Field(
        default=None, description="who the claim reports as saying or believing it"
    )
    needs_context: bool = Field(
        default=False,
        description="still refers to something only the article names (a pronoun, 'the deal')",
    )
    context_names: list[str] = Field(
        default_factory=list,
        description=(
            "the places, organisations and people the article names up to the claim: "
            "what a claim that needs context may rely on, and what tells a source about "
            "another such thing from one about the article's"
        ),
    )
    added_by: ClaimOrigin = Field(
        default="extractor", description="'person' for a claim a reviewer typed or picked"
    )
    article_date: date | None = Field(
        default=None,
        description=(
            "the date of the article the claim comes from (given, or found in its text): "
            "the verifier dates the claim's weekdays by it"
        ),
    )


#: How a fetched knowledge-base document was found (files ingested by hand have none).
EvidenceKind = Literal["web", "wikipedia", "fact-check"]


class Passage(BaseModel):
    """A chunk of a knowledge-base document, with sentence offsets inside it."""

    id: str
    doc_id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    ingested_at: datetime | None = None
    kind: EvidenceKind | None = Field(
        default=None, description="how it was found: None for ingested files"
    )
    retrieved_at: datetime | None = Field(default=None, description="when a fetched page was read")
    start: int = Field(default=0, ge=0, description="offset of the passage in its document")
    end: int = Field(default=0, ge=0)
    sentences: list[Span] = Field(default_factory=list, description="offsets into `text`")


class Evidence(BaseModel):
    """A retrieved passage with its scores and the sentences that best match the claim."""

    passage: Passage
    score: float
    rank: int = Field(ge=1)
    dense_score: float | None = None
    bm25_score: float | None = None
    best_sentences: list[int] = Field(
        default_factory=list, description="indices into passage.sentences, best first"
    )


class SearchFilters(BaseModel):
    """Metadata filters applied to a knowledge-base search."""

    source: str | None = None
    published_before: date | None = None


class Label(StrEnum):
    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    NOT_ENOUGH_INFO = "NOT_ENOUGH_INFO"
    CONFLICTING = "CONFLICTING"


Stance = Literal["supports", "refutes", "neutral"]


class Citation(BaseModel):
    """One evidence sentence a verdict rests on, quoted exactly."""

    passage_id: str
    sentence_index: int = Field(ge=0)
    start: int = Field(ge=0, description="offset of the sentence in the passage text")
    end: int = Field(ge=0)
    text: str
    stance: Stance = "neutral"
    source: str | None = None
    title: str | None = None
    url: str | None = None


class Usage(BaseModel):
    """Tokens spent by LLM calls (zero for offline models)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached_calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
            cached_calls=self.cached_calls + other.cached_calls,
        )

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def cost_usd(self, input_per_million: float, output_per_million: float) -> float:
        """What these tokens cost at the given prices (USD per million tokens)."""
        return (
            self.prompt_tokens * input_per_million + self.completion_tokens * output_per_million
        ) / 1_000_000


FailureStage = Literal["extract", "retrieve", "verify", "cross_check"]


class Failure(BaseModel):
    """A step that could not be done. Shown as a failure, never as a verdict."""

    stage: FailureStage
    error: str = Field(description="error class name")
    message: str

    @classmethod
    def of(cls, stage: FailureStage, exc: BaseException) -> Failure:
        """The failure of ``stage`` that ``exc`` describes."""
        # Messages leave the process (reports, exports): URL credentials and key-shaped
        # strings are masked here, whichever library built the text.
        return cls(stage=stage, error=type(exc).__name__, message=redact(str(exc) or repr(exc)))


class CrossCheck(BaseModel):
    """A second verifier's judgement of the same claim on the same evidence.

    Beside an LLM verdict, the offline NLI verifier gives an independent
    opinion; where the two disagree a reviewer should look first. It never
    replaces the verdict it sits on. Holds exactly one of ``label`` or ``failure``.
    """

    verifier: str
    label: Label | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    citations: list[Citation] = Field(default_factory=list)
    rationale: str = ""
    failure: Failure | None = None
    agrees: bool | None = Field(
        default=None, description="same label as the verdict; None when the cross-check failed"
    )

    @model_validator(mode="after")
    def _label_xor_failure(self) -> CrossCheck:
        if (self.label is None) == (self.failure is None):
            raise ValueError("a cross-check holds exactly one of label or failure")
        if self.label is not None and self.confidence is None:
            raise ValueError("a cross-check label needs its confidence")
        return self


class Verdict(BaseModel):
    label: Label
    confidence: float = Field(ge=0.0, le=1.0)
    citations: list[Citation] = Field(default_factory=list)
    rationale: str = ""
    verifier: str = Field(description="name of the verifier that produced this verdict")
    usage: Usage = Field(default_factory=Usage)
    cross_check: CrossCheck | None = Field(
        default=None, description="the offline verifier's opinion beside an LLM verdict"
    )


NoteKind = Literal["source_unavailable", "fetch_failed", "fact_check_disagrees", "queries_offline"]


class Note(BaseModel):
    """Something a reviewer should know about a claim's result that is not its verdict:
    an evidence source that could not be asked, pages that could not be read, a published
    fact-check that disagrees. Never turned into a verdict."""

    kind: NoteKind
    message: str


class FactCheck(BaseModel):
    """A published fact-check (ClaimReview) of a claim like this one."""

    publisher: str
    rating: str = Field(description="the publisher's textual rating, as published")
    url: str
    title: str | None = None
    reviewed: date | None = None
    claim_text: str | None = Field(default=None, description="the claim as the publisher stated it")
    claimant: str | None = None
    disagrees: bool | None = Field(
        default=None,
        description="the rating says the opposite of the verdict (True) or not (False); None: the "
        "rating or the verdict takes no side",
    )


class ClaimResult(BaseModel):
    claim: Claim
    evidence: list[Evidence] = Field(default_factory=list)
    verdict: Verdict | None = None
    failure: Failure | None = None
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per stage")
    usage: Usage = Field(default_factory=Usage)
    fact_checks: list[FactCheck] = Field(
        default_factory=list, description="published fact-checks found for the claim"
    )
    notes: list[Note] = Field(default_factory=list)

    @model_validator(mode="after")
    def _verdict_xor_failure(self) -> ClaimResult:
        if (self.verdict is None) == (self.failure is None):
            raise ValueError("a claim result holds exactly one of verdict or failure")
        return self

    @property
    def failed(self) -> bool:
        return self.failure is not None

    @property
    def fact_check_disagrees(self) -> bool:
        """True when a published fact-check's rating says the opposite of the verdict."""
        return any(f.disagrees for f in self.fact_checks)

    @property
    def evidence_unavailable(self) -> bool:
        """True when an evidence source asked for this claim could not be reached."""
        return any(n.kind == "source_unavailable" for n in self.notes)

    @property
    def cross_check_disagrees(self) -> bool:
        """True when the offline cross-check gave another label than the verdict."""
        check = self.verdict.cross_check if self.verdict is not None else None
        return check is not None and check.agrees is False


class Extraction(BaseModel):
    """What an extractor returns: the claims and what it cost."""

    claims: list[Claim]
    usage: Usage = Field(default_factory=Usage)


class Report(BaseModel):
    """Everything claimscope found about one article."""

    article: Article
    claims: list[ClaimResult]
    extractor: str
    verifier: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    timings: dict[str, float] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)

    @property
    def n_failed(self) -> int:
        return sum(1 for r in self.claims if r.failed)
