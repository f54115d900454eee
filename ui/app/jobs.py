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

import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import Article, ClaimResult, SearchFilters
from claims.pipeline import check_article
from claims.protocols import Extractor, Retriever, Verifier
from claims.settings import Settings
from ui.app.review_store import ReviewStore

log = logging.getLogger(__name__)
MAX_JOBS = 64


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
) -> Job:
    """Start checking ``article`` in a daemon thread and return its job at once."""
    jobs = registry()
    for old in [j for j in jobs.values() if j.finished][: max(0, len(jobs) - MAX_JOBS)]:
        jobs.pop(old.id, None)
    job = Job(id=uuid.uuid4().hex[:12], title=article.title or "article")
    jobs[job.id] = job
    public = settings.public_dict()

    def progress(done: int, total: int, result: ClaimResult) -> None:
        job.total = total
        job.results.append(result)

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
            job.total = len(report.claims)
            job.article_id = store.save_report(report, settings=public)
        except ClaimscopeError as exc:
            job.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the page must learn that the thread died
            log.exception("check job %s crashed", job.id)
            job.error = f"unexpected {type(exc).__name__}: {exc}"
        finally:
            job.finished = True

    threading.Thread(target=work, name=f"claimscope-check-{job.id}", daemon=True).start()
    return job
