"""The check page: give an article, watch its claims being checked, review the verdicts.

The article being reviewed is named in the URL (``?article=ID``) and read back
from the review store on every run, so a reload or a restart shows the same
article with every review kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd
import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import ClaimResult, Report
from claims.pipeline import validate_article
from claims.redaction import redact
from ui.app import exports
from ui.app.bridge import remember_reviewer
from ui.app.cards import status_for
from ui.app.inputs import ARTICLE_TYPES, article_from_text, article_from_upload, article_from_url
from ui.app.jobs import registry, start_check
from ui.app.render import STYLES, badge, md_escape
from ui.app.review_store import ClaimReview, ReviewStore
from ui.app.sidebar import Session
from ui.app.views.desk import adopt_live, desk, live_desk, review_first, reviewed
from ui.app.views.more_evidence import EVIDENCE_CHOICES, EVIDENCE_STATE, build_gatherer
from ui.wiring import Services

JOB_STATE = "cs_job"
#: Evidence sources chosen on the check page: the widget's key (the choice itself is kept
#: for the browser session under ``EVIDENCE_STATE``, see ui/app/views/more_evidence.py).
EVIDENCE_INPUT = "cs_evidence_input"
#: How often a running check is polled (the progress bar; the first verdict shows within this).
LIVE_POLL_S = 0.3
#: After the first verdict is on screen, the desk is drawn again at most this often
#: (verdicts come every ~0.7 s offline; each redraw of the desk costs the check CPU time).
LIVE_REDRAW_S = 1.0
#: (job id, job version, when, with verdicts) of the live desk last drawn in this session.
LIVE_DRAWN = "_cs_live_drawn"
SORTS = {
    "review": "Review first",
    "article": "Article order",
    "worth": "Check-worthiness, high first",
    "conf_low": "Confidence, low first",
    "conf_high": "Confidence, high first",
}


def page_check(session: Session, store: ReviewStore, services: Callable[[], Services]) -> None:
    article_id = st.query_params.get("article")
    if article_id:
        try:
            report = store.report(article_id)
        except ClaimscopeError as exc:
            st.error(md_escape(str(exc)))
            if st.button("Check a new article"):
                st.query_params.pop("article", None)
                st.rerun()
            return
        show_report(article_id, report, session, store, services)
        return
    job_id = st.query_params.get("job") or st.session_state.get(JOB_STATE)
    if job_id:
        job_panel(job_id, session)
    else:
        new_article(session, store, services)


# -- a new article ---------------------------------------------------------------------


def new_article(session: Session, store: ReviewStore, services: Callable[[], Services]) -> None:
    st.subheader("Check an article")
    remember_reviewer(session)
    _kb_hint(services)
    how = st.radio(
        "Article from",
        ["paste", "upload", "url"],
        format_func={"paste": "Paste text", "upload": "Upload a file", "url": "Web address"}.get,
        horizontal=True,
        key="cs_input_kind",
        label_visibility="collapsed",
    )
    chosen = _evidence_selector(session)
    with st.form("cs_new_article", border=False):
        title = st.text_input("Title (optional)", key="cs_title")
        text, upload, url = "", None, ""
        if how == "paste":
            text = st.text_area(
                "Article text",
                height=260,
                key="cs_article_text",
                placeholder="Paste the article here…",
            )
        elif how == "upload":
            upload = st.file_uploader("Article file", type=ARTICLE_TYPES, key="cs_upload")
        else:
            url = st.text_input("Article URL", key="cs_url", placeholder="https://…")
        submitted = st.form_submit_button("Check claims", type="primary")
    if not submitted:
        return
    try:
        if how == "paste":
            article = article_from_text(text, title)
        elif how == "upload":
            if upload is None:
                st.error("choose a file to upload first")
                return
            article = article_from_upload(upload.name, upload.getvalue(), title)
        else:
            with st.spinner("Fetching the page…"):
                article = article_from_url(url, title, settings=session.settings)
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    try:
        validate_article(article, session.settings.max_article_chars)
        with st.spinner("Loading the models…"):
            parts = services()
            extractor, verifier = parts.extractor, parts.verifier
            knowledge_base = parts.knowledge_base
        settings = session.settings.with_overrides(evidence_sources=",".join(chosen))
        gatherer = build_gatherer(knowledge_base, settings, session, article) if chosen else None
    except ClaimscopeError as exc:
        message = redact(str(exc), *session.settings.secrets)
        st.error(md_escape(f"The article could not be checked: {message}"))
        return
    job = start_check(
        article,
        extractor=extractor,
        retriever=gatherer or knowledge_base,
        verifier=verifier,
        settings=settings,
        filters=session.filters,
        store=store,
        gatherer=gatherer,
    )
    st.session_state[JOB_STATE] = job.id
    st.query_params["job"] = job.id
    st.rerun()


def _evidence_selector(session: Session) -> list[str]:
    """Where evidence comes from: the knowledge base, plus the sources chosen here."""
    if EVIDENCE_INPUT not in st.session_state:
        configured = [k.strip() for k in session.settings.evidence_sources.split(",") if k.strip()]
        default = [k for k in configured if k in EVIDENCE_CHOICES]
        st.session_state[EVIDENCE_INPUT] = st.session_state.get(EVIDENCE_STATE, default)
    chosen: list[str] = st.multiselect(
        "Evidence: knowledge base, plus",
        list(EVIDENCE_CHOICES),
        format_func=EVIDENCE_CHOICES.__getitem__,
        key=EVIDENCE_INPUT,
        placeholder="knowledge base only",
        help="Search these sources per claim, fetch what they find into the knowledge base "
        "(with its address and dates), then verify as usual. Keys and addresses come from the "
        "settings (see docs/evidence.md).",
    )
    st.session_state[EVIDENCE_STATE] = chosen
    return chosen


def job_panel(job_id: str, session: Session) -> None:
    """A running check: the desk fills in claim by claim; opens the report when it is done.

    The desk is drawn in the page's own run, and only when the job changed: a small
    fragment polls the job every ``LIVE_POLL_S`` (it draws just the progress bar) and asks
    for the page again when the job's version moved, at once until the first verdict is
    on screen, then at most every ``LIVE_REDRAW_S``. Drawing the whole desk (the article
    with its highlights, a row per claim) on every poll made the check itself slower."""
    job = registry().get(job_id)
    if job is None:
        st.warning("This check is no longer running (the app was restarted). See History.")
        _forget_job()
        return
    # Read before drawing (verdicts first): a change meanwhile is drawn on the next poll.
    had_verdicts = bool(job.checked())
    version = job.version
    if job.finished:
        _forget_job()
        if job.article_id is not None:
            adopt_live(job.id, job.article_id)
            st.query_params["article"] = job.article_id
            st.rerun(scope="app")
        message = redact(job.error or "unknown error", session.settings.openai_api_key)
        st.error(md_escape(f"The article could not be checked: {message}"))
        if st.button("Check another article"):
            st.rerun(scope="app")
        return
    st.subheader(f"Checking: {job.title}", anchor=False)
    progress = st.container()
    live_desk(job, session)
    st.session_state[LIVE_DRAWN] = (job.id, version, time.monotonic(), had_verdicts)
    with progress:
        _live_poll(job.id)
    st.caption("You can use the other pages meanwhile; the result is saved to History.")


@st.fragment(run_every=LIVE_POLL_S)
def _live_poll(job_id: str) -> None:
    """The running check's progress bar; the whole page again when the job moved."""
    job = registry().get(job_id)
    if job is None:
        st.rerun(scope="app")
        return
    drawn = st.session_state.get(LIVE_DRAWN)
    if drawn is None or drawn[0] != job_id or job.finished:
        st.rerun(scope="app")
    _, version, at, had_verdicts = drawn
    if job.version != version and (not had_verdicts or time.monotonic() - at >= LIVE_REDRAW_S):
        st.rerun(scope="app")
    if job.total is None:
        st.progress(0.0, text=f"Extracting claims… ({job.elapsed:.0f} s)")
    else:
        done = len(job.results)
        st.progress(
            done / max(job.total, 1),
            text=f"Checked {done} of {job.total} claims ({job.elapsed:.0f} s)",
        )


def _forget_job() -> None:
    st.session_state.pop(JOB_STATE, None)
    st.query_params.pop("job", None)


def _kb_hint(services: Callable[[], Services]) -> None:
    try:
        passages = services().knowledge_base.stats().get("passages", 0)
    except ClaimscopeError as exc:
        st.warning(f"The knowledge base cannot be opened: {exc}")
        return
    if passages:
        return
    chosen = st.session_state.get(EVIDENCE_INPUT, st.session_state.get(EVIDENCE_STATE)) or []
    if chosen:
        st.info(
            "The knowledge base is empty: evidence will come only from "
            + ", ".join(EVIDENCE_CHOICES[k].removeprefix("+ ") for k in chosen)
            + ", fetched for each claim.",
            icon=":material/info:",
        )
        return
    with st.container(border=False, key="cs_empty_kb"):
        st.info(
            "The knowledge base is empty, so every claim will lack evidence. "
            "Add trusted sources first, or look for evidence on the web per claim.",
            icon=":material/info:",
        )
        buttons = st.container(horizontal=True)
    if buttons.button("Open the knowledge base", key="cs_go_kb", icon=":material/library_books:"):
        st.query_params["page"] = "kb"
        st.rerun()
    buttons.button(
        "Search the web per claim",
        key="cs_go_web",
        icon=":material/travel_explore:",
        help="Adds + web and + Wikipedia to the evidence below (the web search's address or "
        "key comes from the settings, see docs/evidence.md).",
        on_click=_choose_web_evidence,
    )


def _choose_web_evidence() -> None:
    """The notice's button: web search and Wikipedia for this check (a callback, so it runs
    before the evidence selector is drawn)."""
    st.session_state[EVIDENCE_INPUT] = ["web", "wikipedia"]
    st.session_state[EVIDENCE_STATE] = ["web", "wikipedia"]


# -- an article that has been checked ---------------------------------------------------


def show_report(
    article_id: str,
    report: Report,
    session: Session,
    store: ReviewStore,
    services: Callable[[], Services],
) -> None:
    reviews = store.reviews(article_id)
    head, action = st.columns([5, 1])
    with head:
        st.subheader(report.article.title or "Untitled article", anchor=False)
        meta = [
            f"checked {report.created_at:%Y-%m-%d %H:%M} UTC",
            f"extractor {report.extractor}",
            f"verifier {report.verifier}",
        ]
        if report.article.source:
            meta.insert(0, report.article.source)
        st.caption(md_escape(" · ".join(meta)))
    if action.button("New article", width="stretch"):
        st.query_params.pop("article", None)
        st.rerun()
    _summary(report, reviews, session)
    if not report.claims:
        st.info("No check-worthy claims were found in this article.")
    tab_review, tab_table, tab_export, tab_audit = st.tabs(
        ["Desk", "Table", "Export", "Audit trail"]
    )
    with tab_review:
        desk(article_id, report, _filtered(report, reviews), reviews, session, store, services)
    with tab_table:
        _table_tab(report, reviews, session)
    with tab_export:
        _export_tab(article_id, report, reviews, store)
    with tab_audit:
        _audit_tab(article_id, report, store)


def _summary(report: Report, reviews: dict[str, ClaimReview], session: Session) -> None:
    counts: dict[str, int] = {}
    for r in report.claims:
        key = status_for(r, reviews.get(r.claim.id))
        counts[key] = counts.get(key, 0) + 1
    pills = " ".join(
        badge(k, f"{counts[k]} {STYLES[k].name.lower()}") for k in STYLES if k in counts
    )
    total = report.timings.get("total_s")
    done = sum(1 for r in report.claims if reviewed(reviews.get(r.claim.id)))
    extra = [f"{len(report.claims)} claims", f"{done} reviewed"]
    if total is not None:
        extra.append(f"{total:.1f} s")
    if report.usage.total_tokens:
        extra.append(f"{report.usage.total_tokens:,} tokens")
        cost = session.cost(report.usage.prompt_tokens, report.usage.completion_tokens)
        if cost:
            extra.append(f"${cost:.4f}")
    st.markdown(f"{pills} &nbsp; <small>{' · '.join(extra)}</small>", unsafe_allow_html=True)


def _filtered(report: Report, reviews: dict[str, ClaimReview]) -> list[tuple[int, ClaimResult]]:
    statuses = list(STYLES)
    with st.popover("Filter and sort", icon=":material/filter_list:"):
        return _filter_widgets(report, reviews, statuses)


def _filter_widgets(
    report: Report, reviews: dict[str, ClaimReview], statuses: list[str]
) -> list[tuple[int, ClaimResult]]:
    f1, f2, f3 = st.columns(3, vertical_alignment="bottom")
    chosen = (
        f1.multiselect(
            "Show verdicts",
            statuses,
            default=[],
            format_func=lambda k: STYLES[k].name,
            key="cs_filter_status",
            placeholder="All verdicts",
        )
        or statuses
    )
    min_worth = f2.slider("Min. check-worthiness", 0.0, 1.0, 0.0, 0.05, key="cs_filter_worth")
    sort = f3.selectbox("Sort by", list(SORTS), format_func=SORTS.__getitem__, key="cs_sort")
    numbered = list(enumerate(report.claims, start=1))
    kept = [
        (n, r)
        for n, r in numbered
        if status_for(r, reviews.get(r.claim.id)) in chosen and r.claim.checkworthiness >= min_worth
    ]

    def confidence(item: tuple[int, ClaimResult]) -> float:
        verdict = item[1].verdict
        return verdict.confidence if verdict else -1.0

    if sort == "review":
        kept = review_first(kept)
    elif sort == "worth":
        kept.sort(key=lambda item: -item[1].claim.checkworthiness)
    elif sort == "conf_low":
        kept.sort(key=confidence)
    elif sort == "conf_high":
        kept.sort(key=lambda item: -confidence(item))
    return kept


def _table_tab(report: Report, reviews: dict[str, ClaimReview], session: Session) -> None:
    records = []
    for row in exports.rows(report, reviews):
        r = row.result
        citation = r.verdict.citations[0] if r.verdict and r.verdict.citations else None
        top = r.evidence[0].passage if r.evidence else None
        records.append(
            {
                "#": row.number,
                "verdict": STYLES[status_for(r, None)].name,
                "reviewer": STYLES[row.review.label.value].name if row.review.label else "",
                "claim": row.text,
                "confidence": r.verdict.confidence if r.verdict else None,
                "check-worthiness": r.claim.checkworthiness,
                "kind": r.claim.kind.value,
                "evidence": (citation.text if citation else (top.text[:160] if top else "")),
                "source": (
                    (citation.title or citation.source)
                    if citation
                    else ((top.title or top.source) if top else "")
                ),
                "seconds": round(r.timings.get("total_s", sum(r.timings.values())), 3),
                "tokens": r.usage.total_tokens,
                "cost $": session.cost(r.usage.prompt_tokens, r.usage.completion_tokens),
            }
        )
    frame = pd.DataFrame.from_records(records)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "confidence": st.column_config.ProgressColumn(
                min_value=0.0, max_value=1.0, format="%.2f"
            ),
            "check-worthiness": st.column_config.NumberColumn(format="%.2f"),
            "cost $": st.column_config.NumberColumn(format="%.4f"),
            "claim": st.column_config.TextColumn(width="large"),
            "evidence": st.column_config.TextColumn(width="large"),
        },
    )


def _export_tab(
    article_id: str, report: Report, reviews: dict[str, ClaimReview], store: ReviewStore
) -> None:
    events = store.events(article_id)
    st.caption(
        "Exports hold the machine verdicts and every review. No settings or keys are included."
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "JSON report",
        exports.to_json(report, reviews, events),
        file_name=f"claimscope-{article_id}.json",
        mime="application/json",
        width="stretch",
        on_click="ignore",  # nothing to rerun; a rerun can cancel the download
    )
    c2.download_button(
        "CSV (one row per claim)",
        exports.to_csv(report, reviews),
        file_name=f"claimscope-{article_id}.csv",
        mime="text/csv",
        width="stretch",
        on_click="ignore",  # nothing to rerun; a rerun can cancel the download
    )
    c3.download_button(
        "Markdown summary",
        exports.to_markdown(report, reviews),
        file_name=f"claimscope-{article_id}.md",
        mime="text/markdown",
        width="stretch",
        on_click="ignore",  # nothing to rerun; a rerun can cancel the download
    )
    reviewed = exports.to_claimreview(report, reviews)
    c4.download_button(
        f"ClaimReview JSON-LD ({len(reviewed)})",
        exports.claimreview_jsonld(report, reviews),
        file_name=f"claimreview-{article_id}.jsonld",
        mime="application/ld+json",
        width="stretch",
        on_click="ignore",  # nothing to rerun; a rerun can cancel the download
        disabled=not reviewed,
    )
    if not reviewed:
        st.info(
            "ClaimReview publishes reviewer verdicts: set or confirm a verdict on a claim first."
        )


def _audit_tab(article_id: str, report: Report, store: ReviewStore) -> None:
    events = store.events(article_id)
    if not events:
        st.caption("No reviews yet.")
        return
    numbers = {r.claim.id: n for n, r in enumerate(report.claims, start=1)}
    st.dataframe(
        pd.DataFrame.from_records(
            [
                {
                    "when (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"),
                    "who": e.reviewer,
                    "claim": numbers.get(e.claim_id, e.claim_id),
                    "action": e.action.replace("_", " "),
                    "before": e.before or "",
                    "after": e.after or "",
                    "note": e.note,
                }
                for e in reversed(events)
            ]
        ),
        hide_index=True,
        width="stretch",
    )
