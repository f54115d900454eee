"""``check_article``: extract → retrieve → verify, one article at a time.

Errors are never turned into verdicts: a step that fails becomes a
:class:`~claims.models.Failure` on that claim's result, and the other claims
go on. Only problems with the article itself (empty, too large) or with
extraction (no claims can exist without it) raise.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from claims.article_date import article_date
from claims.errors import (
    ArticleTooLargeError,
    ClaimscopeError,
    DeadlineError,
    EmptyArticleError,
)
from claims.models import (
    Article,
    Claim,
    ClaimResult,
    Evidence,
    Failure,
    FailureStage,
    Report,
    SearchFilters,
    Usage,
)
from claims.protocols import Extractor, Retriever, Verifier
from claims.settings import Settings

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, ClaimResult], None]


def validate_article(article: Article, max_chars: int) -> None:
    """Raise an :class:`InputError` subclass when the article cannot be checked."""
    if not article.text.strip():
        raise EmptyArticleError("the article is empty (no text to check)")
    if len(article.text) > max_chars:
        raise ArticleTooLargeError(
            f"the article has {len(article.text):,} characters; the limit is {max_chars:,} "
            "(raise CLAIMSCOPE_MAX_ARTICLE_CHARS or split the article)"
        )


def check_article(
    article: Article,
    *,
    extractor: Extractor,
    retriever: Retriever,
    verifier: Verifier,
    settings: Settings,
    filters: SearchFilters | None = None,
    progress: ProgressCallback | None = None,
    max_workers: int | None = None,
) -> Report:
    """Check every claim of ``article`` and return the full :class:`Report`.

    ``progress`` is called once per finished claim (from the calling thread), so a
    UI can show results claim by claim. ``max_workers`` bounds concurrent claims
    (default: ``settings.llm_concurrency``).
    """
    validate_article(article, settings.max_article_chars)
    started = time.perf_counter()
    extraction = extractor.extract(article)
    extract_s = time.perf_counter() - started

    claims = dated_claims(extraction.claims, article)
    # An LLM verifier waits on the network: claims go out llm_concurrency at a time. A
    # local model that already uses every core (``max_concurrency`` on the verifier)
    # only slows down when claims compete for the cores (measured: 36 claims of the
    # example article, 17.8 s with 4 at a time vs 13.6 s one after another, 2 cores).
    limit = getattr(verifier, "max_concurrency", None) or settings.llm_concurrency
    workers = max(1, min(max_workers or limit, len(claims) or 1))
    results: list[ClaimResult] = []

    def run(claim: Claim) -> ClaimResult:
        return check_claim(
            claim, retriever=retriever, verifier=verifier, top_k=settings.top_k, filters=filters
        )

    # The whole check has a deadline: a claim still unfinished then (a stalled store or
    # endpoint) becomes a FAILED result saying so, and the check returns.
    deadline = started + settings.check_deadline_s
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = [pool.submit(run, claim) for claim in claims]
    try:
        for done, (claim, future) in enumerate(zip(claims, futures, strict=True), start=1):
            try:
                result = future.result(timeout=max(0.0, deadline - time.perf_counter()))
            except FutureTimeout:
                result = _failed(
                    claim,
                    "verify",
                    DeadlineError(
                        f"the check's deadline of {settings.check_deadline_s:g} s "
                        "(CLAIMSCOPE_CHECK_DEADLINE_S) passed before this claim was checked"
                    ),
                    {},
                    [],
                )
            results.append(result)
            if progress is not None:
                progress(done, len(claims), result)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)

    usage = sum((r.usage for r in results), extraction.usage)
    return Report(
        article=article,
        claims=results,
        extractor=extractor.name,
        verifier=verifier.name,
        timings={"extract_s": extract_s, "total_s": time.perf_counter() - started},
        usage=usage,
    )


def dated_claims(claims: Sequence[Claim], article: Article) -> list[Claim]:
    """The claims with their article's date (:attr:`Claim.article_date`): the one given,
    else the one found in its text (:func:`claims.article_date.article_date`)."""
    day = article_date(article.text, article.published)
    if day is None:
        return list(claims)
    return [c if c.article_date else c.model_copy(update={"article_date": day}) for c in claims]


def check_claim(
    claim: Claim,
    *,
    retriever: Retriever,
    verifier: Verifier,
    top_k: int,
    filters: SearchFilters | None = None,
) -> ClaimResult:
    """Retrieve evidence for one claim and verify it; a failed step becomes a Failure."""
    timings: dict[str, float] = {}
    evidence: list[Evidence] = []
    t0 = time.perf_counter()
    try:
        evidence = retriever.search(claim.text, top_k=top_k, filters=filters)
    except Exception as exc:  # noqa: BLE001 - any error is recorded as this claim's failure
        timings["retrieve_s"] = time.perf_counter() - t0
        return _failed(claim, "retrieve", exc, timings, evidence)
    timings["retrieve_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    try:
        verdict = verifier.verify(claim, evidence)
    except Exception as exc:  # noqa: BLE001 - any error is recorded as this claim's failure
        timings["verify_s"] = time.perf_counter() - t1
        return _failed(claim, "verify", exc, timings, evidence)
    timings["verify_s"] = time.perf_counter() - t1
    timings["total_s"] = time.perf_counter() - t0
    return ClaimResult(
        claim=claim, evidence=evidence, verdict=verdict, timings=timings, usage=verdict.usage
    )


def _failed(
    claim: Claim,
    stage: FailureStage,
    exc: Exception,
    timings: dict[str, float],
    evidence: Sequence[Evidence],
) -> ClaimResult:
    if isinstance(exc, ClaimscopeError):
        log.warning("claim %s: %s failed: %s", claim.id, stage, exc)
    else:
        log.exception("claim %s: unexpected error during %s", claim.id, stage)
    failure = Failure.of(stage, exc)
    return ClaimResult(
        claim=claim, evidence=list(evidence), failure=failure, timings=timings, usage=Usage()
    )
