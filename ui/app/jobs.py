"""Checks run in a background thread, so the app stays usable while a long article is checked.

A :class:`Job` lives in a process-wide registry (``st.cache_resource``); the
thread only updates the job object and never calls Streamlit. The job holds the
article, its claims as soon as extraction is done (``claims``), and each claim's
result as it is verified (``results``), so the page can draw the desk while the
check goes on. The check page polls the job in a fragment, and the job id sits in
the URL (``?job=…``) so a reload keeps watching it. When the check ends the
report is saved to the review store, so it is never lost even if the browser
was closed meanwhile: History lists it.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import (
    Article,
    Claim,
    ClaimResult,
    Evidence,
    Extraction,
    Report,
    SearchFilters,
    Verdict,
)
from claims.pipeline import check_article
from claims.protocols import Extractor, Retriever, Verifier
from claims.settings import Settings
from ui.app.review_store import ReviewStore

log = logging.getLogger(__name__)
MAX_JOBS = 64


class Gatherer(Protocol):
    """The part of ``retrieval.gather.EvidenceGatherer`` a job uses (it is the retriever too)."""

    def annotate_result(self, result: ClaimResult) -> ClaimResult: ...

    def annotate(self, report: Report) -> Report: ...

    def close(self) -> None: ...


@dataclass
class Job:
    """One article being checked; read by the page, written by the worker thread."""

    id: str
    title: str
    article: Article | None = None
    started: float = field(default_factory=time.monotonic)
    total: int | None = None  # None until the claims are extracted
    claims: list[Claim] | None = None  # in article order, as soon as they are extracted
    results: list[ClaimResult] = field(default_factory=list)  # as the pipeline reports them
    #: Verdicts made but not reported yet: with several claims at a time (an LLM verifier)
    #: the pipeline reports them in article order, the page shows them as they come.
    early: dict[str, ClaimResult] = field(default_factory=dict)
    extracted_s: float | None = None  # seconds from the start to the claims
    first_result_s: float | None = None  # seconds from the start to the first verdict
    article_id: str | None = None
    error: str | None = None
    finished: bool = False
    #: Bumped on every change the page shows (claims, a verdict, the end): the page draws
    #: the desk again only when it moved (see ``ui/app/views/check.py``).
    version: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def changed(self) -> None:
        """Note a change the page should draw (called after the change is made)."""
        with self._lock:
            self.version += 1

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def result_for(self, claim_id: str) -> ClaimResult | None:
        """The claim's result once it is checked (None while it is pending)."""
        reported = next((r for r in list(self.results) if r.claim.id == claim_id), None)
        return reported or self.early.get(claim_id)

    def checked(self) -> dict[str, ClaimResult]:
        """Every claim checked so far, by claim id (reported results over early verdicts)."""
        return {**self.early, **{r.claim.id: r for r in list(self.results)}}

    def mark_first(self) -> None:
        """Note when the first verdict arrived (the header and the benchmark say it)."""
        if self.first_result_s is None:
            self.first_result_s = self.elapsed


class _Announcing:
    """The extractor, telling the job its claims the moment extraction is done (the
    pipeline then verifies them one by one; the page shows them pending meanwhile)."""

    def __init__(self, extractor: Extractor, job: Job) -> None:
        self._extractor = extractor
        self._job = job
        self.name = extractor.name

    def extract(self, article: Article) -> Extraction:
        extraction = self._extractor.extract(article)
        self._job.claims = list(extraction.claims)
        self._job.total = len(extraction.claims)
        self._job.extracted_s = self._job.elapsed
        self._job.changed()
        return extraction


class _Publishing:
    """The verifier, handing each verdict to the job the moment it is made (first come,
    first shown); everything else is the wrapped verifier's (name, max_concurrency)."""

    def __init__(self, verifier: Verifier, job: Job, gatherer: Gatherer | None) -> None:
        self._verifier = verifier
        self._job = job
        self._gatherer = gatherer

    def __getattr__(self, name: str) -> object:
        return getattr(self._verifier, name)

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        started = time.perf_counter()
        verdict = self._verifier.verify(claim, evidence)
        result = ClaimResult(
            claim=claim,
            evidence=list(evidence),
            verdict=verdict,
            timings={"verify_s": time.perf_counter() - started},
            usage=verdict.usage,
        )
        if self._gatherer is not None:
            result = self._gatherer.annotate_result(result)
        self._job.early[claim.id] = result
        self._job.mark_first()
        self._job.changed()
        return verdict


@st.cache_resource
def registry() -> dict[str, Job]:
    """Every job of this process, by id (shared by all browser sessions)."""
    return {}


def start_check(
    article: Article,
    *,
    extractor: Extractor,
    retriever: Retriever,
    verifier: Verifier,
    settings: Settings,
    filters: SearchFilters,
    store: ReviewStore,
    gatherer: Gatherer | None = None,
) -> Job:
    """Start checking ``article`` in a daemon thread and return its job at once.

    With a ``gatherer`` (the evidence gatherer, also passed as ``retriever``), each
    finished claim gets the notes and fact-checks gathered for it, and the gatherer is
    closed when the check ends, whatever its outcome."""
    jobs = registry()
    for old in [j for j in jobs.values() if j.finished][: max(0, len(jobs) - MAX_JOBS)]:
        jobs.pop(old.id, None)
    job = Job(id=uuid.uuid4().hex[:12], title=article.title or "article", article=article)
    jobs[job.id] = job
    public = settings.public_dict()

    def progress(done: int, total: int, result: ClaimResult) -> None:
        job.total = total
        job.results.append(gatherer.annotate_result(result) if gatherer else result)
        job.mark_first()
        job.changed()

    def work() -> None:
        try:
            report = check_article(
                article,
                extractor=_Announcing(extractor, job),
                retriever=retriever,
                verifier=_Publishing(verifier, job, gatherer),
                settings=settings,
                filters=filters,
                progress=progress,
            )
            if gatherer is not None:
                report = gatherer.annotate(report)
            job.total = len(report.claims)
            job.article_id = store.save_report(report, settings=public)
        except ClaimscopeError as exc:
            job.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the page must learn that the thread died
            log.exception("check job %s crashed", job.id)
            job.error = f"unexpected {type(exc).__name__}: {exc}"
        finally:
            if gatherer is not None:
                try:
                    gatherer.close()
                except Exception:  # noqa: BLE001 - the check's outcome stands
                    log.exception("closing the evidence gatherer of job %s failed", job.id)
            job.finished = True
            job.changed()

    threading.Thread(target=work, name=f"claimscope-check-{job.id}", daemon=True).start()
    return job
