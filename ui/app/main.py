"""claimscope's Streamlit app (``make app`` / ``claimscope app``).

Pages: check an article and review its verdicts, history of checked articles,
the knowledge base, and evaluation runs. Heavy resources (embedder, models,
Chroma client) are built once per process with ``st.cache_resource``; the
settings are read here, from the environment and ``.env`` (``claimscope app``
passes on its whole configuration that way), and each browser session's
sidebar adjusts them.
"""

from __future__ import annotations

import gc

import streamlit as st

from claims.errors import ClaimscopeError
from claims.protocols import Extractor, Verifier
from claims.settings import Settings
from ui.app.bridge import RESTORE, remember_reviewer
from ui.app.render import md_escape
from ui.app.review_store import ReviewStore
from ui.app.sidebar import Session, render_sidebar
from ui.app.views.check import page_check
from ui.app.views.evaluation import page_eval
from ui.app.views.history import page_history
from ui.app.views.knowledge_base import page_kb
from ui.wiring import KnowledgeBase, Services, wiring

# Less empty space above the page at laptop sizes (1280x800).
_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 1rem; }
/* Captions in a grey that keeps a 4.5:1 contrast on white (Streamlit fades them to ~2.6:1). */
[data-testid="stCaptionContainer"] { color: #57606a !important; opacity: 1 !important; }
/* The desk: list rows read left to right; the review buttons fit three to a row. */
.st-key-cs_pane_claims [class*="st-key-cs_row_"] button,
.st-key-cs_pane_claims [class*="st-key-cs_row_"] button > div {
  justify-content: flex-start; text-align: left; width: 100%; }
.st-key-cs_pane_claims [class*="st-key-cs_row_"] button p { text-align: left; }
.st-key-cs_pane_claims [class*="st-key-cs_do_"] button { padding: 0.25rem 0.35rem; min-height: 2.2rem; }
.st-key-cs_pane_claims [class*="st-key-cs_do_"] button p { font-size: 0.88rem; }
iframe[title="ui.app.bridge.claimscope_desk_bridge"] { display: none; }
</style>"""


@st.cache_resource(show_spinner="Opening the knowledge base…", max_entries=4)
def _knowledge_base(store: str, _settings: Settings) -> KnowledgeBase:
    """One knowledge-base client per store (data directory or server, and collection)."""
    knowledge_base = wiring(_settings).knowledge_base(_settings)
    _settle()
    return knowledge_base


@st.cache_resource(show_spinner="Loading the models…", max_entries=4)
def _models(fingerprint: str, _settings: Settings) -> tuple[Extractor, Verifier]:
    """One extractor and verifier per distinct configuration (the API key enters as a hash)."""
    built = wiring(_settings).models(_settings)
    _settle()
    return built


def _settle() -> None:
    """Take what was just loaded for the whole process (models, the store's client) out of
    the garbage collector's full passes.

    Streamlit collects garbage after every script run: each click, and each poll of a
    running check (ui/app/views/check.py). Walking the models' ~180k objects took 0.1-0.25 s
    each time, holding the GIL the check needs (measured with py-spy: most of the
    script thread's time while a check ran). Frozen objects are skipped; what was frozen
    before is thawed and collected first, so models dropped from the cache are freed."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def main() -> None:
    st.set_page_config(page_title="claimscope", page_icon=":material/fact_check:", layout="wide")
    st.html(_CSS)
    try:
        configured = Settings.from_env()  # the environment and .env; the sidebar adjusts them
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        st.stop()
    # The reviewer name this browser remembered (sent by the desk's bridge, see
    # ui/app/bridge.py) goes into the sidebar's box before the box is drawn.
    restored = st.session_state.pop(RESTORE, None)
    if restored and not st.session_state.get("cs_reviewer"):
        st.session_state["cs_reviewer"] = restored
    session: Session = render_sidebar(configured)
    try:
        store = ReviewStore.in_data_dir(session.settings.data_dir)
    except ClaimscopeError as exc:
        st.error(str(exc))
        st.stop()

    settings = session.settings
    store_key = f"{settings.chroma_url or settings.chroma_dir}|{settings.collection}"
    shared = Services(
        knowledge_base=lambda: _knowledge_base(store_key, settings),
        models=lambda: _models(session.fingerprint, settings),
    )

    def services() -> Services:
        return shared

    if session.page != "check":  # the check page draws its own (the desk's)
        remember_reviewer(session)
    if session.page == "check":
        page_check(session, store, services)
    elif session.page == "history":
        page_history(store, settings)
    elif session.page == "kb":
        page_kb(session, services)
    else:
        page_eval(session)


main()
