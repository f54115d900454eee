"""The review desk's browser side: highlight clicks, scrolling, keyboard shortcuts, reviewer.

Streamlit cannot see a click inside HTML it rendered, scroll an element into
view or read the browser's storage, so a zero-height component
(``desk_bridge/index.html``, no build step, no network) does those few things
and reports back small JSON events: ``{"action": "open", "claim": 3}``, a
shortcut's action (``"next"``, ``"confirm"``, a label, ``"dismiss"``) or
``{"action": "reviewer", "reviewer": "…"}`` with the name this browser remembered.
A component keeps returning its last value on every rerun, so each event
carries a nonce and is handed out once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from ui.app.sidebar import Session

_COMPONENT = components.declare_component(
    "claimscope_desk_bridge", path=str(Path(__file__).parent / "desk_bridge")
)
_SEEN = "_cs_bridge_seen"
#: Where a remembered reviewer name waits for the next run (main.py moves it into the box).
RESTORE = "cs_reviewer_restore"

#: Keyboard shortcuts of the desk (key: what it does), shown on the page and in docs/app.md.
SHORTCUTS = {
    "j": "next claim",
    "k": "previous claim",
    "c": "confirm the machine verdict",
    "s": "mark supported",
    "r": "mark refuted",
    "n": "mark not enough info",
    "m": "mark conflicting",
    "d": "dismiss / restore",
}


def bridge(
    *, reviewer: str, desk: bool, scroll_to: int | None, scroll_key: str
) -> dict[str, Any] | None:
    """Draw the bridge; return a new event from the browser, or None."""
    event = _COMPONENT(
        reviewer=reviewer,
        desk=desk,
        scroll_to=scroll_to,
        scroll_key=scroll_key,
        key="cs_desk_bridge",
        default=None,
    )
    if not isinstance(event, dict) or event.get("nonce") == st.session_state.get(_SEEN):
        return None
    st.session_state[_SEEN] = event.get("nonce")
    return event


def remember_reviewer(session: Session) -> None:
    """The bridge on a page without the desk: keeps the browser's reviewer name in step
    (stored when typed, put back into the sidebar after a reload)."""
    event = bridge(reviewer=session.reviewer, desk=False, scroll_to=None, scroll_key="")
    if event is not None:
        restore_reviewer(event, session)


def restore_reviewer(event: dict[str, Any], session: Session) -> None:
    """Put a remembered name into the sidebar's box (drawn again at once; see main.py)."""
    name = str(event.get("reviewer") or "").strip()[:80]
    if event.get("action") == "reviewer" and name and not session.reviewer:
        st.session_state[RESTORE] = name
        st.rerun()
