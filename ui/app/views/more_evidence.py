"""Evidence on demand for one claim: "Find more evidence" in the claim's detail on the desk.

The reviewer picks sources (the check page's choice by default), and the claim is
gathered for — searched, its pages fetched into the knowledge base — then verified
again against the store; the new result replaces the old one in the article's report,
signed in the audit trail (``more_evidence``: the verdict before and after). What could
not be searched or fetched shows as notes on the claim, as for a whole check: the
verdict stays the verifier's on whatever the store holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import Article, ClaimResult, Report
from claims.pipeline import check_claim
from claims.redaction import redact
from claims.settings import Settings
from ui.app.render import STYLES, md_escape, status_of
from ui.app.review_store import ReviewStore
from ui.app.sidebar import Session
from ui.wiring import Services

if TYPE_CHECKING:
    from retrieval.gather import EvidenceGatherer

#: Evidence sources chosen on the check page: the widget's key, and where the choice is
#: kept for the browser session (a widget's own state is dropped when another page shows).
EVIDENCE_STATE = "cs_evidence"
EVIDENCE_CHOICES = {
    "web": "+ web",
    "wikipedia": "+ Wikipedia",
    "factchecks": "+ fact-checks",
}
#: What the last "Find more evidence" said, shown once under the button.
OUTCOME = "_cs_more_evidence_outcome"


def build_gatherer(
    knowledge_base: object, settings: Settings, session: Session, article: Article | None = None
) -> EvidenceGatherer:
    """The evidence gatherer for ``settings.evidence_sources`` (the CLI's ``check --search``
    wiring): evidence published after the sidebar's cut-off, else after the article's own
    date (found in its text), is left out; in the LLM modes the LLM writes the questions."""
    from claims.factory import build_question_writer
    from retrieval.gather import EvidenceGatherer, evidence_cutoff
    from retrieval.sources import build_sources

    before = session.filters.published_before
    if before is None and article is not None and not settings.evidence_include_later:
        before = evidence_cutoff(article)
    return EvidenceGatherer(
        knowledge_base,  # type: ignore[arg-type]  # the app's KB is retrieval's, or a fake
        build_sources(settings, settings.evidence_sources),
        settings,
        before=before,
        questions=build_question_writer(settings),
    )


def default_sources(session: Session) -> list[str]:
    """The check page's choice in this browser session, else the configured sources."""
    chosen = st.session_state.get(EVIDENCE_STATE)
    if chosen:
        return [k for k in chosen if k in EVIDENCE_CHOICES]
    configured = [k.strip() for k in session.settings.evidence_sources.split(",")]
    return [k for k in configured if k in EVIDENCE_CHOICES] or ["web"]


def more_evidence(
    article_id: str,
    result: ClaimResult,
    report: Report,
    session: Session,
    store: ReviewStore,
    services: Callable[[], Services],
) -> None:
    """The call-out under an opened claim: choose sources, gather, re-verify."""
    claim_id = result.claim.id
    widget = f"cs_more_sources_{article_id}_{claim_id}"
    if widget not in st.session_state:
        st.session_state[widget] = default_sources(session)
    with st.container(border=True, key=f"cs_more_{claim_id}"):
        chosen: list[str] = st.multiselect(
            "Sources to search for this claim",
            list(EVIDENCE_CHOICES),
            format_func=lambda k: EVIDENCE_CHOICES[k].removeprefix("+ "),
            key=widget,
            placeholder="choose sources",
        )
        clicked = st.button(
            "Find more evidence",
            key=f"cs_more_go_{article_id}_{claim_id}",
            icon=":material/travel_explore:",
            disabled=not chosen,
            help="Search these sources for this claim, store what they find in the knowledge "
            "base, and check the claim again. Signed with your reviewer name.",
        )
        outcome = st.session_state.get(OUTCOME)
        if outcome and outcome[0] == (article_id, claim_id):
            kind, message = outcome[1], outcome[2]
            (st.success if kind == "ok" else st.error)(md_escape(message))
        if clicked:
            st.session_state.pop(OUTCOME, None)
            _find(article_id, result, report, chosen, session, store, services)


def _find(
    article_id: str,
    result: ClaimResult,
    report: Report,
    chosen: list[str],
    session: Session,
    store: ReviewStore,
    services: Callable[[], Services],
) -> None:
    key = (article_id, result.claim.id)
    reviewer = str(st.session_state.get("cs_reviewer") or session.reviewer).strip()
    if not reviewer:
        st.error("Set your reviewer name in the sidebar first: a re-checked claim is signed.")
        return
    settings = session.settings
    try:
        parts = services()
        sources = settings.with_overrides(evidence_sources=",".join(chosen))
        gatherer = build_gatherer(parts.knowledge_base, sources, session, report.article)
    except ClaimscopeError as exc:
        st.error(md_escape(f"No evidence could be gathered: {redact(str(exc), *settings.secrets)}"))
        return
    try:
        with st.spinner("Searching, fetching and checking the claim again…"):
            fresh = check_claim(
                result.claim,
                retriever=gatherer,
                verifier=parts.verifier,
                top_k=settings.top_k,
                filters=session.filters,
            )
            fresh = gatherer.annotate_result(fresh)
    finally:
        gatherer.close()
    if fresh.failure is not None:  # the result stands; a failure never replaces it
        f = fresh.failure
        st.session_state[OUTCOME] = (
            key,
            "error",
            f"The claim could not be checked again: {f.stage} failed ({f.error}): {f.message}. "
            "Its result is unchanged; what was found stays in the knowledge base.",
        )
        st.rerun()
    gathered = gatherer.gathered(result.claim.text)
    stored = len(gathered.documents) if gathered is not None else 0
    summary = (
        f"{', '.join(chosen)}: {stored} new document{'s' * (stored != 1)} stored; "
        f"verdict {STYLES[status_of(result)].name} → {STYLES[status_of(fresh)].name}"
    )
    if fresh.notes:
        summary += f"; {len(fresh.notes)} note{'s' * (len(fresh.notes) != 1)} on the claim"
    try:
        store.replace_result(article_id, fresh, reviewer=reviewer, note=summary)
    except ClaimscopeError as exc:
        st.session_state[OUTCOME] = (key, "error", f"The new result could not be saved: {exc}")
    else:
        st.session_state[OUTCOME] = (key, "ok", summary[:1].upper() + summary[1:])
    st.rerun()
