"""Checks run in a background thread, so the app stays usable while a long article is checked.

A :class:`Job` lives in a process-wide registry (``st.cache_resource``); the
thread only updates the job object and never calls Streamlit. The check page
polls the job in a fragment that reruns every second, and the job id sits in
the URL (``?job=…``) so a reload keeps watching it. When the check ends the
report is saved to the review store, so it is never lost even if the browser
was closed meanwhile: History lists it.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Protocol

import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import Article, ClaimResult, Report, SearchFilters
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
    started: float = field(default_factory=time.monotonic)
    total: int | None = None  # None until the claims are extracted
    results: list[ClaimResult] = field(default_factory=list)
    article_id: str | None = None
    error: str | None = None
    finished: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


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
    job = Job(id=uuid.uuid4().hex[:12], title=article.title or "article")
    jobs[job.id] = job
    public = settings.public_dict()

    def progress(done: int, total: int, result: ClaimResult) -> None:
        job.total = total
        job.results.append(gatherer.annotate_result(result) if gatherer else result)

    def work() -> None:
        try:
            report = check_article(
                article,
                extractor=extractor,
                retriever=retriever,
                verifier=verifier,
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

    threading.Thread(target=work, name=f"claimscope-check-{job.id}", daemon=True).start()
    return job
