"""The history page: every checked article, reopened with its reviews."""

from __future__ import annotations

import streamlit as st

from claims.errors import ClaimscopeError
from ui.app.render import md_escape
from ui.app.review_store import ReviewStore


def page_history(store: ReviewStore) -> None:
    st.subheader("History")
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
