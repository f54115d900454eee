"""The sidebar: page choice and the settings of this browser session.

An API key typed here (the LLM's, or an evidence provider's: Brave, Tavily, Serper,
Fact Check Tools) lives only in ``st.session_state`` under a private key: the
password box is emptied as soon as the key is taken, so the key is not echoed
back into the page, and it is never written to disk, logs or exports (reports
store ``Settings.public_dict()``, which leaves every key out).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import streamlit as st
from pydantic import SecretStr

from claims.errors import ConfigError
from claims.models import SearchFilters, Usage
from claims.settings import Settings
from ui.app.render import md_escape

PAGES = {
    "check": "Check an article",
    "history": "History",
    "kb": "Knowledge base",
    "eval": "Evaluation",
}
KEY_STATE = "_cs_api_key"
PAGE_STATE = "cs_page"
KEY_INPUT = "cs_api_key_input"
#: Evidence providers' keys typed in the sidebar: Settings field → (label, placeholder).
#: Each lives in ``st.session_state[f"_cs_{field}"]`` only, like the LLM key; its
#: password box (``cs_{field}_input``) is emptied as soon as the key is taken.
PROVIDER_KEYS = {
    "brave_api_key": ("Brave Search API key", "web search"),
    "tavily_api_key": ("Tavily API key", "web search"),
    "serper_api_key": ("Serper API key", "web search (Google results)"),
    "factcheck_api_key": ("Fact Check Tools API key", "published fact-checks"),
}
SEARXNG_INPUT = "cs_searxng_url"
#: Settings that only evidence gathering reads: they don't change the models.
_EVIDENCE_FIELDS = ("searxng_url", *PROVIDER_KEYS)


def provider_key_state(field: str) -> str:
    return f"_cs_{field}"


def provider_key_input(field: str) -> str:
    return f"cs_{field}_input"


@dataclass(frozen=True)
class Session:
    """What every page gets: the settings, the search filters and the reviewer."""

    page: str
    settings: Settings
    filters: SearchFilters
    reviewer: str
    price_prompt: float  # USD per million prompt tokens
    price_completion: float

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
        return usage.cost_usd(self.price_prompt, self.price_completion)

    @property
    def fingerprint(self) -> str:
        """Identifies the models these settings need, without revealing the key."""
        public = self.settings.public_dict()
        public.pop("top_k", None)  # retrieval depth does not change the models
        for field in _EVIDENCE_FIELDS:  # nor do the evidence providers
            public.pop(field, None)
            public.pop(f"{field}_set", None)
        key = self.settings.openai_api_key
        public["key_hash"] = (
            hashlib.sha256(key.get_secret_value().encode()).hexdigest()[:16] if key else None
        )
        return json.dumps(public, sort_keys=True, default=str)


def _take_key() -> None:
    typed = (st.session_state.get(KEY_INPUT) or "").strip()
    if typed:
        st.session_state[KEY_STATE] = typed
    st.session_state[KEY_INPUT] = ""


def _forget_key() -> None:
    st.session_state.pop(KEY_STATE, None)


def _take_provider_key(field: str) -> None:
    typed = (st.session_state.get(provider_key_input(field)) or "").strip()
    if typed:
        st.session_state[provider_key_state(field)] = typed
    st.session_state[provider_key_input(field)] = ""


def _forget_provider_key(field: str) -> None:
    st.session_state.pop(provider_key_state(field), None)


def _evidence_settings(configured: Settings) -> dict[str, object]:
    """The evidence providers' address and keys for this browser session."""
    overrides: dict[str, object] = {}
    with st.expander("Evidence sources", expanded=False):
        st.caption(
            "For *+ web*, *+ Wikipedia*, *+ fact-checks* on the check page. Keys stay in "
            "this browser session only: never saved, logged or exported."
        )
        url = st.text_input(
            "SearXNG URL (web search, no key)",
            key=SEARXNG_INPUT,
            value=configured.searxng_url or "",
            placeholder="https://searx.example.org",
            help="A self-hosted SearXNG instance with format=json enabled; used before the "
            "keyed web searches below.",
        ).strip()
        overrides["searxng_url"] = url or None
        for field, (label, what) in PROVIDER_KEYS.items():
            state = provider_key_state(field)
            configured_key = getattr(configured, field) is not None
            st.text_input(
                label,
                type="password",
                key=provider_key_input(field),
                on_change=_take_provider_key,
                args=(field,),
                placeholder="set (hidden)"
                if st.session_state.get(state) or configured_key
                else what,
                help="Kept in this browser session only: never saved, logged or exported.",
            )
            if st.session_state.get(state):
                name, forget = st.columns([3, 2], vertical_alignment="center")
                name.caption(f"{label}: •••••••• (this session only)")
                forget.button(
                    "Forget", key=f"cs_forget_{field}", on_click=_forget_provider_key, args=(field,)
                )
                overrides[field] = SecretStr(st.session_state[state])
    return overrides


def _on_page_change() -> None:
    page = st.session_state[PAGE_STATE]
    st.query_params["page"] = page
    if page != "check":
        st.query_params.pop("article", None)


def _choose_page() -> str:
    """The page radio, kept in step with ``?page=`` both ways (links, reloads, History)."""
    wanted = st.query_params.get("page", "check")
    if wanted not in PAGES:
        wanted = "check"
    if st.session_state.get(PAGE_STATE) != wanted:
        st.session_state[PAGE_STATE] = wanted
    return st.radio(
        "Page",
        list(PAGES),
        key=PAGE_STATE,
        format_func=PAGES.__getitem__,
        on_change=_on_page_change,
        label_visibility="collapsed",
    )


def render_sidebar(configured: Settings) -> Session:
    """Draw the sidebar and return this run's :class:`Session`.

    ``configured`` (the environment's settings) gives the widgets' starting values;
    the session's settings are those with the sidebar's choices applied.
    """
    with st.sidebar:
        st.markdown("### claimscope")
        page = _choose_page()
        st.divider()
        reviewer = st.text_input(
            "Reviewer name", key="cs_reviewer", placeholder="who signs reviews", max_chars=80
        )
        with st.expander("Settings", expanded=False):
            modes = {
                "none": "Offline (no network)",
                "openai": "LLM endpoint",
                "local": "Local LLM (CPU, slow)",
            }
            mode = st.radio(
                "Models",
                list(modes),
                index=list(modes).index(configured.llm),
                format_func=modes.__getitem__,
                key="cs_mode",
            )
            overrides: dict[str, object] = {"llm": mode}
            price_prompt = price_completion = 0.0
            if mode == "openai":
                overrides["openai_base_url"] = (
                    st.text_input(
                        "Endpoint URL",
                        key="cs_base_url",
                        value=configured.openai_base_url or "",
                        placeholder="https://api.openai.com/v1",
                    ).strip()
                    or None
                )
                overrides["model"] = st.text_input("Model", key="cs_model", value=configured.model)
                methods = ["json_schema", "function_calling", "json_mode"]
                overrides["structured_method"] = st.selectbox(
                    "Structured output",
                    methods,
                    index=methods.index(configured.structured_method),
                    key="cs_method",
                    help="Local servers (vLLM, Ollama, llama.cpp) may need function_calling or json_mode.",
                )
                st.text_input(
                    "API key",
                    type="password",
                    key=KEY_INPUT,
                    on_change=_take_key,
                    placeholder="set (hidden)" if st.session_state.get(KEY_STATE) else "sk-…",
                    help="Kept in this browser session only: never saved, logged or exported.",
                )
                if st.session_state.get(KEY_STATE):
                    st.caption("API key: •••••••• (this session only)")
                    st.button("Forget key", on_click=_forget_key)
                c1, c2 = st.columns(2)
                price_prompt = c1.number_input("$ / 1M in", min_value=0.0, value=0.0, key="cs_pin")
                price_completion = c2.number_input(
                    "$ / 1M out", min_value=0.0, value=0.0, key="cs_pout"
                )
            if mode != "none":
                overrides["cross_check"] = st.checkbox(
                    "Cross-check with the offline verifier",
                    value=configured.cross_check,
                    key="cs_cross_check",
                    help="The offline NLI model also judges each claim on the same evidence; "
                    "claims where it disagrees with the LLM are flagged for review.",
                )
            if st.session_state.get(KEY_STATE):
                overrides["openai_api_key"] = SecretStr(st.session_state[KEY_STATE])
            overrides["sensitivity"] = st.selectbox(
                "Claim sensitivity (offline extraction)",
                ["normal", "strict", "all"],
                index=["normal", "strict", "all"].index(configured.sensitivity),
                key="cs_sensitivity",
                help="normal: news articles; strict: only the most check-worthy claims; "
                "all: every claim the rules find, opinion quotes included.",
            )
            overrides["top_k"] = st.slider(
                "Passages per claim (top-k)",
                1,
                max(20, configured.top_k),
                configured.top_k,
                key="cs_top_k",
            )
            cutoff: date | None = None
            if st.checkbox("Only evidence published before…", key="cs_cutoff_on"):
                cutoff = st.date_input("Cut-off date", key="cs_cutoff")
        overrides.update(_evidence_settings(configured))
        try:
            settings = configured.with_overrides(**overrides)
        except ConfigError as exc:
            st.error(md_escape(str(exc)))
            settings = configured.with_overrides(llm="none")
    return Session(
        page=page,
        settings=settings,
        filters=SearchFilters(published_before=cutoff),
        reviewer=reviewer.strip(),
        price_prompt=price_prompt,
        price_completion=price_completion,
    )
