"""The history page: every checked article, reopened with its reviews, and the batches
run with ``claimscope check --out DIR`` (their summary, and each article's report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from claims.errors import ClaimscopeError
from claims.settings import Settings
from ui import batch
from ui.app.render import md_escape
from ui.app.review_store import ReviewStore


def page_history(store: ReviewStore, settings: Settings | None = None) -> None:
    st.subheader("History")
    if settings is not None:
        batches_section(store, settings)
    try:
        articles = store.articles()
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    if not articles:
        st.info("No articles checked yet. Check one on the **Check an article** page.")
        return
    query = st.text_input("Filter by title or source", key="cs_history_filter").strip().lower()
    if query:
        articles = [a for a in articles if query in f"{a.title or ''} {a.source or ''}".lower()]
    plural = "s" if len(articles) != 1 else ""
    st.caption(f"{len(articles)} article{plural}, newest first. Reviews are kept in {store.path}.")
    for a in articles[:200]:
        c1, c2, c3 = st.columns([6, 1, 1], vertical_alignment="center")
        reviews = f"{a.n_events} review events" if a.n_events else "not reviewed"
        c1.markdown(
            f"**{md_escape(a.title or 'Untitled')}**  \n"
            f"<small>{a.created_at:%Y-%m-%d %H:%M} UTC · {a.n_claims} claims · {reviews}"
            f"{' · ' + md_escape(a.source) if a.source else ''}</small>",
            unsafe_allow_html=True,
        )
        if c2.button("Open", key=f"cs_open_{a.id}", width="stretch"):
            st.query_params["page"] = "check"
            st.query_params["article"] = a.id
            st.rerun()
        with c3.popover("Delete", width="stretch"):
            st.caption("Delete this article, its verdicts and its audit trail?")
            if st.button("Delete for good", key=f"cs_delete_{a.id}", type="primary"):
                store.delete_article(a.id)
                st.rerun()


def batches_section(store: ReviewStore, settings: Settings) -> None:
    """The batches this data directory ran: pick one, see its summary, open a report."""
    batches = batch.known_batches(settings)
    if not batches:
        return
    with st.expander(f"Batches ({len(batches)})", expanded=True):
        labels = [_batch_label(b) for b in batches]
        chosen = st.selectbox(
            "Batch", range(len(batches)), format_func=labels.__getitem__, key="cs_batch_pick"
        )
        out_dir = Path(batches[chosen or 0]["out_dir"])
        rows = batch.read_summary(out_dir)
        failed = sum(1 for r in rows if r["status"] == "failed")
        st.caption(
            f"{len(rows)} articles, {failed} failed · summary.csv and one report per "
            f"article in {md_escape(str(out_dir))}"
        )
        st.dataframe(
            [{k: v for k, v in r.items() if k != "report"} for r in rows],
            hide_index=True,
            width="stretch",
            key="cs_batch_table",
        )
        done = [r for r in rows if r["status"] == "done"]
        if not done:
            return
        c1, c2 = st.columns([6, 1], vertical_alignment="bottom")
        pick = c1.selectbox(
            "Article",
            range(len(done)),
            format_func=lambda i: f"{done[i]['id']} - {done[i]['claims']} claims",
            key="cs_batch_article",
        )
        if c2.button("Open", key="cs_batch_open", width="stretch"):
            try:
                article_id = _open_in_review_store(store, out_dir, done[pick or 0])
            except ClaimscopeError as exc:
                st.error(md_escape(str(exc)))
                return
            st.query_params["page"] = "check"
            st.query_params["article"] = article_id
            st.rerun()


def _batch_label(entry: dict[str, Any]) -> str:
    name = Path(entry["out_dir"]).name or entry["out_dir"]
    failed = f", {entry['failed_articles']} failed" if entry.get("failed_articles") else ""
    return (
        f"{name} · {entry.get('finished_at', '')} · {entry.get('articles', '?')} articles{failed}"
    )


def _open_in_review_store(store: ReviewStore, out_dir: Path, row: dict[str, Any]) -> str:
    """The review store's id for this batch report, adding the report on first open (so
    it can be reviewed like any checked article; opening it again finds the same one)."""
    report = batch.read_report(out_dir, row)
    for existing in store.articles():
        if existing.created_at == report.created_at and existing.source == report.article.source:
            return existing.id
    return store.save_report(report)
