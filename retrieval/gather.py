"""Evidence on demand: per claim, ask the evidence sources, fetch and store what they
found, then search the knowledge base as usual.

:class:`EvidenceGatherer` implements the claims ``Retriever`` protocol, so the
pipeline uses it in place of the knowledge base. What went wrong while gathering
(a source unreachable, rate limited or erroring; pages that could not be read) is
kept per claim and attached to the claim's result by :meth:`EvidenceGatherer.annotate`
as :class:`~claims.models.Note` s: the knowledge-base verdict stands and nothing
becomes a verdict. Published fact-checks found for a claim go on its result too,
flagged where their rating says the opposite of the verdict.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from claims.article_date import detect_article_date
from claims.errors import ClaimscopeError, EvidenceError
from claims.models import (
    Article,
    ClaimResult,
    Evidence,
    FactCheck,
    Label,
    Note,
    Report,
    SearchFilters,
    Usage,
)
from claims.redaction import redact
from claims.settings import Settings
from retrieval.documents import Document
from retrieval.fetch import FetchCache, Fetcher
from retrieval.knowledge_base import KnowledgeBase
from retrieval.queries import build_queries
from retrieval.sources import EvidenceSource, FoundDocument

if TYPE_CHECKING:
    from claims.search_questions import SearchQuestionWriter

log = logging.getLogger(__name__)

_FALSE_RATING = re.compile(
    r"\b(false|fake|pants on fire|incorrect|wrong|inaccurate|fabricated|baseless|no evidence|"
    r"not true|untrue|hoax|debunked|misattributed|scam)\b",
    re.IGNORECASE,
)
_TRUE_RATING = re.compile(
    r"^\s*(true|correct|accurate|mostly true|mostly correct|verified)\b", re.IGNORECASE
)


def rating_side(rating: str) -> Label | None:
    """What a published textual rating says: REFUTED, SUPPORTED, or None (mixed, unproven…)."""
    if re.search(
        r"\b(half|partly|partially|mixed|mixture|missing context|unproven)\b", rating, re.I
    ):
        return None
    if _FALSE_RATING.search(rating):
        return Label.REFUTED
    if _TRUE_RATING.search(rating):
        return Label.SUPPORTED
    return None


def disagrees(check: FactCheck, verdict: Label | None) -> bool | None:
    """True when the rating and the verdict take opposite sides; None when either takes none."""
    side = rating_side(check.rating)
    if side is None or verdict not in (Label.SUPPORTED, Label.REFUTED):
        return None
    return side != verdict


@dataclass
class Gathered:
    """What gathering found for one claim text."""

    notes: list[Note] = field(default_factory=list)
    fact_checks: list[FactCheck] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    found: list[FoundDocument] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


class EvidenceGatherer:
    """A ``Retriever``: gather evidence for the query from ``sources``, store it in ``kb``,
    then search ``kb``. Thread-safe; page fetches share one pool of ``fetch_concurrency``."""

    def __init__(
        self,
        kb: KnowledgeBase,
        sources: Sequence[EvidenceSource],
        settings: Settings,
        *,
        fetcher: Fetcher | None = None,
        before: date | None = None,
        questions: SearchQuestionWriter | None = None,
    ) -> None:
        self.kb = kb
        self.sources = list(sources)
        self._questions = questions
        self._settings = settings
        self._fetcher = fetcher or Fetcher(settings)
        self._before = before
        self._cache = FetchCache(timedelta(days=settings.fetch_ttl_days))
        for row in kb.sources():
            if row.get("kind") and row.get("retrieved_at"):
                self._cache.remember(row["source"], datetime.fromisoformat(row["retrieved_at"]))
        self._pool = ThreadPoolExecutor(
            max_workers=settings.fetch_concurrency, thread_name_prefix="fetch"
        )
        self._gathered: dict[str, Gathered] = {}
        self._lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._fetches: dict[str, Future[Document]] = {}

    # ------------------------------------------------------------ Retriever

    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]:
        """Gather evidence for ``query``, then the ``top_k`` knowledge-base passages for it."""
        gathered = self.gather(query)
        with self._lock:
            self._gathered[query] = gathered
        return self.kb.search(query, top_k=top_k, filters=filters)

    def gathered(self, query: str) -> Gathered | None:
        with self._lock:
            return self._gathered.get(query)

    # ------------------------------------------------------------ gathering

    def gather(self, claim: str) -> Gathered:
        """Ask every source about ``claim``, fetch the pages found, and ingest them."""
        started = time.monotonic()
        deadline = started + self._settings.evidence_deadline_s
        result = Gathered()
        found = self._ask_sources(claim, result, deadline)
        result.timings["search_s"] = time.monotonic() - started
        found = [f for f in found if self._in_time(f.published)]
        result.found = found
        result.fact_checks = _unique_checks(f.fact_check for f in found if f.fact_check is not None)
        documents = [_document(f) for f in found if f.text and not self._cache.fresh(source_key(f))]
        fetch_started = time.monotonic()
        documents += self._fetch_pages([f for f in found if not f.text], result, deadline)
        result.timings["fetch_s"] = time.monotonic() - fetch_started
        documents = [d for d in documents if self._in_time(d.published)]
        ingest_started = time.monotonic()
        if documents:
            try:
                # One writer at a time inside this process too: the threads of one check
                # would otherwise queue on the store's lock file, each logging that it waits.
                with self._ingest_lock:
                    self.kb.ingest_documents(documents)
            except Exception as exc:  # noqa: BLE001 - a store error is the KB search's to report
                result.notes.append(
                    Note(
                        kind="fetch_failed",
                        message=f"found evidence could not be stored: {redact(str(exc))}",
                    )
                )
            else:
                for document in documents:
                    self._cache.remember(document.source)
        result.timings["ingest_s"] = time.monotonic() - ingest_started
        result.documents = documents
        result.seconds = time.monotonic() - started
        return result

    def _queries(self, claim: str, offline: list[str], result: Gathered) -> list[str]:
        """The search queries for ``claim`` (:func:`search_queries`), noting a fallback."""
        queries, note, usage = search_queries(
            claim, offline, self._questions, self.sources, self._settings
        )
        if note is not None:
            result.notes.append(note)
        if usage is not None:
            result.usage = result.usage + usage
        return queries

    def _ask_sources(self, claim: str, result: Gathered, deadline: float) -> list[FoundDocument]:
        offline = build_queries(claim)
        queries = self._queries(claim, offline, result)
        result.queries = queries
        claim_query = offline[:1]
        found: dict[str, FoundDocument] = {}
        for source in self.sources:
            # Fact-check databases match claims, not keywords: the claim text alone.
            asked = claim_query if source.kind == "fact-check" else queries
            errors: list[str] = []
            for query in asked:
                if time.monotonic() > deadline:
                    errors.append(
                        f"no time left (CLAIMSCOPE_EVIDENCE_DEADLINE_S={self._settings.evidence_deadline_s:g})"
                    )
                    break
                try:
                    hits = source.search(
                        query, before=self._before, limit=self._settings.search_results
                    )
                except EvidenceError as exc:
                    errors.append(str(exc))
                    continue
                except Exception as exc:  # noqa: BLE001 - an odd answer must not fail the claim
                    log.exception("evidence source %s failed", source.name)
                    errors.append(f"{source.name}: {type(exc).__name__}: {exc}")
                    continue
                for hit in hits:
                    found.setdefault(source_key(hit), hit)
            if errors and len(errors) == len(asked):
                label = {
                    "web": "web search",
                    "wikipedia": "Wikipedia",
                    "fact-check": "fact-check search",
                }[source.kind]
                result.notes.append(
                    Note(
                        kind="source_unavailable",
                        message=redact(
                            f"{label} unavailable: {errors[0]}", *self._settings.secrets
                        ),
                    )
                )
        return list(found.values())

    def _fetch_pages(
        self, found: list[FoundDocument], result: Gathered, deadline: float
    ) -> list[Document]:
        wanted = [f for f in found if not self._cache.fresh(f.url)][
            : self._settings.evidence_pages_per_claim
        ]
        futures: dict[Future[Document], FoundDocument] = {self._fetch(f): f for f in wanted}
        done, pending = wait(futures, timeout=max(0.0, deadline - time.monotonic()))
        documents: list[Document] = []
        problems: list[str] = []
        for future in done:
            try:
                document = future.result()
            except EvidenceError as exc:
                problems.append(str(exc))
                continue
            except Exception as exc:  # noqa: BLE001 - a page that breaks the extractor is skipped, said
                problems.append(f"{futures[future].url}: {type(exc).__name__}: {exc}")
                continue
            hit = futures[future]
            if document.title in (None, document.url) and hit.title:
                document = document.model_copy(update={"title": hit.title})
            if document.text.strip():
                documents.append(document)
        for future in pending:
            future.cancel()
            problems.append(f"{futures[future].url}: not fetched before the evidence deadline")
        if problems:
            result.notes.append(
                Note(
                    kind="fetch_failed",
                    message=redact(
                        f"{len(problems)} of {len(wanted)} pages could not be read: "
                        + "; ".join(problems[:3])
                    ),
                )
            )
        return documents

    def _fetch(self, found: FoundDocument) -> Future[Document]:
        """The fetch of ``found.url``, shared by every claim that finds the same page during
        this gatherer's life (a page is fetched and extracted once, failed or not)."""
        with self._lock:
            future = self._fetches.get(found.url)
            if future is None or future.cancelled():
                future = self._pool.submit(
                    self._fetcher.document, found.url, kind=found.kind, published=found.published
                )
                self._fetches[found.url] = future
            return future

    def _in_time(self, published: date | None) -> bool:
        """Evidence published on or after the article's date is left out unless asked for."""
        if self._before is None or published is None or self._settings.evidence_include_later:
            return True
        return published < self._before

    # ------------------------------------------------------------ results

    def annotate_result(self, result: ClaimResult) -> ClaimResult:
        """``result`` with the notes and fact-checks gathered for its claim."""
        gathered = self.gathered(result.claim.text)
        if gathered is None:
            return result
        label = result.verdict.label if result.verdict is not None else None
        checks = [
            c.model_copy(update={"disagrees": disagrees(c, label)}) for c in gathered.fact_checks
        ]
        notes = list(gathered.notes)
        for check in checks:
            if check.disagrees:
                notes.append(
                    Note(
                        kind="fact_check_disagrees",
                        message=f"{check.publisher} rated a matching claim {check.rating!r}; the "
                        f"verdict is {label.value if label else 'none'}: review this claim",
                    )
                )
        timings = {**result.timings, "gather_s": gathered.seconds}
        return result.model_copy(
            update={
                "notes": notes,
                "fact_checks": checks,
                "timings": timings,
                "usage": result.usage + gathered.usage,
            }
        )

    def annotate(self, report: Report) -> Report:
        """The report with every claim's notes and fact-checks attached."""
        return report.model_copy(
            update={"claims": [self.annotate_result(r) for r in report.claims]}
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._fetcher.close()


def search_queries(
    claim: str,
    offline: list[str],
    writer: SearchQuestionWriter | None,
    sources: Sequence[EvidenceSource],
    settings: Settings,
) -> tuple[list[str], Note | None, Usage | None]:
    """The web queries for ``claim``: the LLM's questions in the LLM modes (``writer``),
    else the ``offline`` ones; when the LLM fails, the offline ones and a note saying so.
    Fact-check sources are asked the claim itself either way."""
    if writer is None or not any(s.kind != "fact-check" for s in sources):
        return offline, None, None
    try:
        questions, usage = writer.questions(claim)
    except ClaimscopeError as exc:
        note = Note(
            kind="queries_offline",
            message=redact(
                f"the LLM's search questions are unavailable ({exc}): the offline "
                "queries were used",
                *settings.secrets,
            ),
        )
        return offline, note, None
    return questions, None, usage


def evidence_cutoff(article: Article, html: str | None = None) -> date | None:
    """The date evidence must predate for ``article``: the day after its date (given, or
    found in its text or page metadata by :func:`claims.article_date.detect_article_date`),
    so that pages of the article's own day still count; None when the date is unknown."""
    day = article.published or detect_article_date(article.text, html)
    return day + timedelta(days=1) if day is not None else None


def source_key(found: FoundDocument) -> str:
    """The knowledge-base source a found document is stored under: its URL, except that a
    fact-check's ClaimReview summary gets its own (``URL#claimreview``), so the review's
    page itself can be stored under its URL beside it."""
    return f"{found.url}#claimreview" if found.fact_check is not None else found.url


def _document(found: FoundDocument) -> Document:
    return Document(
        id=source_key(found),
        text=found.text or "",
        source=source_key(found),
        title=found.title,
        url=found.url,
        published=found.published,
        kind=found.kind,
        retrieved_at=datetime.now(UTC),
    )


def _unique_checks(checks: Iterable[FactCheck]) -> list[FactCheck]:
    seen: set[str] = set()
    out: list[FactCheck] = []
    for check in checks:
        if check.url not in seen:
            seen.add(check.url)
            out.append(check)
    return out
