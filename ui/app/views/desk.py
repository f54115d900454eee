"""The review desk: the article on the left, the claims on the right, one click per review.

The left pane shows the article with every claim highlighted and page furniture
(credits, sign-up prompts, captions) dimmed; the right pane lists the claims in
"review first" order and opens one at a time under its row. Clicking a
highlight opens its claim; opening a claim scrolls its span into view; both go
through the small browser bridge (``ui/app/bridge.py``), which also carries
the keyboard shortcuts. Each review action moves on to the next claim not yet
reviewed, so a whole article takes one click (or key) per claim.

While the article is still being checked, :func:`live_desk` draws the same two
panes from the running job (``ui/app/jobs.py``): the article at once, every claim
as soon as extraction is done (pending, grey), and each verdict the moment it
arrives, in the order the claims are checked. A claim can be opened and read
meanwhile; reviewing starts when the check is done and the report is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import Claim, ClaimResult, Label, Report, Span
from claims.pipeline import check_claim, dated_claims
from claims.segment import segment
from ui.app.bridge import SHORTCUTS, bridge, restore_reviewer
from ui.app.cards import card_icon, render_detail, render_preview, row_label, status_for
from ui.app.jobs import Job
from ui.app.render import PENDING, STYLES, Highlight, badge, highlight_article, md_escape
from ui.app.review_store import ClaimReview, ReviewStore
from ui.app.sidebar import Session
from ui.app.views.more_evidence import more_evidence
from ui.wiring import Services

#: Below this confidence a machine verdict is put before the confident ones.
LOW_CONFIDENCE = 0.6
PANE_HEIGHT = 600
FLASH = "_cs_desk_flash"
_FURNITURE = {"boilerplate", "caption"}


def opened_key(article_id: str) -> str:
    return f"cs_opened_{article_id}"


def selected_key(article_id: str) -> str:
    """Text the reviewer selected in the article, offered as a new claim."""
    return f"cs_selected_{article_id}"


def review_priority(result: ClaimResult) -> int:
    """Where a claim goes in the "review first" order (lower first).

    Refuted, conflicting, cross-check disagreements, failed (no verdict at all),
    low confidence, no evidence, then the rest.
    """
    verdict = result.verdict
    if verdict is None:
        return 3
    if verdict.label == Label.REFUTED:
        return 0
    if verdict.label == Label.CONFLICTING:
        return 1
    if result.cross_check_disagrees:
        return 2
    if verdict.confidence < LOW_CONFIDENCE:
        return 4
    if not result.evidence:
        return 5
    return 6


def review_first(numbered: Sequence[tuple[int, ClaimResult]]) -> list[tuple[int, ClaimResult]]:
    """Claims in "review first" order; article order within each group."""
    return sorted(numbered, key=lambda item: (review_priority(item[1]), item[0]))


def reviewed(review: ClaimReview | None) -> bool:
    return review is not None and (review.label is not None or review.dismissed)


@lru_cache(maxsize=16)  # the desk is drawn again on every click, and twice a second live
def furniture(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of page furniture (photo credits, sign-up prompts, captions) to dim."""
    try:
        return tuple((s.start, s.end) for s in segment(text) if s.kind in _FURNITURE)
    except Exception:  # noqa: BLE001 - dimming is cosmetic; the article is shown regardless
        return ()


def next_claim(
    order: Sequence[int], current: int | None, done: set[int], step: int = 1
) -> int | None:
    """The next claim after ``current`` in ``order`` that is not in ``done`` (wrapping)."""
    if not order:
        return None
    start = order.index(current) if current in order else -1
    for i in range(1, len(order) + 1):
        candidate = order[(start + step * i) % len(order)]
        if candidate not in done:
            return candidate
    return None


def desk(
    article_id: str,
    report: Report,
    shown: list[tuple[int, ClaimResult]],
    reviews: dict[str, ClaimReview],
    session: Session,
    store: ReviewStore,
    services: Callable[[], Services],
) -> None:
    """Both panes of the desk for the claims ``shown`` (already filtered and ordered)."""
    key = opened_key(article_id)
    order = [n for n, _ in shown]
    done = {n for n, r in shown if reviewed(reviews.get(r.claim.id))}
    if key not in st.session_state:
        st.session_state[key] = next_claim(order, None, done) or (order[0] if order else None)
    opened: int | None = st.session_state[key]
    event = bridge(
        reviewer=session.reviewer,
        desk=True,
        scroll_to=opened,
        scroll_key=f"{article_id}:{opened}:{st.session_state.get('_cs_open_count', 0)}",
    )
    if event is not None and _handle(event, article_id, shown, reviews, session, store):
        st.rerun()
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.error(md_escape(flash))
    if not session.reviewer:
        st.warning(
            "Type your name in the sidebar (*Reviewer name*) to review; this browser remembers it.",
            icon=":material/badge:",
        )
    left, right = st.columns([11, 10], gap="medium")
    with left:
        highlights = [
            Highlight(
                start=r.claim.span.start,
                end=r.claim.span.end,
                status=status_for(r, reviews.get(r.claim.id)),
                number=n,
                tooltip=f"[{n}] {STYLES[status_for(r, reviews.get(r.claim.id))].name}",
            )
            for n, r in sorted(shown, key=lambda item: item[0])
        ]
        _article_pane(report.article.text, highlights)
    with right, st.container(height=PANE_HEIGHT, border=True, key="cs_pane_claims"):
        _add_claim(article_id, report, session, store, services)
        for n, result in shown:
            review = reviews.get(result.claim.id)
            st.button(
                row_label(n, result, review),
                key=f"cs_row_{n}",
                icon=card_icon(result, review),
                type="primary" if n == opened else "secondary",
                width="stretch",
                on_click=_open,
                args=(key, None if n == opened else n),
            )
            if n == opened:
                with st.container(border=True, key=f"cs_detail_{n}"):
                    render_detail(
                        article_id,
                        n,
                        result,
                        review,
                        session,
                        store,
                        on_review=lambda action, n=n: review_action(
                            action, n, article_id, shown, reviews, session, store
                        ),
                    )
                    more_evidence(article_id, result, report, session, store, services)
    st.caption(
        "Keys: "
        + " · ".join(f"**{k}** {what}" for k, what in SHORTCUTS.items())
        + " · click a highlight to open its claim"
    )


def _article_pane(text: str, highlights: Sequence[Highlight]) -> None:
    with st.container(height=PANE_HEIGHT, border=True, key="cs_pane_article"):
        st.html(highlight_article(text, highlights, furniture(text)))


def _open(key: str, number: int | None) -> None:
    st.session_state[key] = number
    st.session_state["_cs_open_count"] = st.session_state.get("_cs_open_count", 0) + 1


def _handle(
    event: dict[str, Any],
    article_id: str,
    shown: list[tuple[int, ClaimResult]],
    reviews: dict[str, ClaimReview],
    session: Session,
    store: ReviewStore,
) -> bool:
    """Apply one browser event; True when the page must be drawn again."""
    action = event.get("action")
    key = opened_key(article_id)
    order = [n for n, _ in shown]
    if action == "reviewer":
        restore_reviewer(event, session)  # reruns when it restores a name
        return False
    if action == "select":
        st.session_state[selected_key(article_id)] = " ".join(str(event.get("text", "")).split())
        return True
    if action == "open":
        number = event.get("claim")
        if number in order:
            _open(key, number)
            return True
        return False
    if action in ("next", "prev"):
        _open(
            key, next_claim(order, st.session_state.get(key), set(), -1 if action == "prev" else 1)
        )
        return True
    opened = st.session_state.get(key)
    if opened in order and isinstance(action, str):
        review_action(action, opened, article_id, shown, reviews, session, store)
        return True
    return False


def review_action(
    action: str,
    number: int,
    article_id: str,
    shown: list[tuple[int, ClaimResult]],
    reviews: dict[str, ClaimReview],
    session: Session,
    store: ReviewStore,
) -> None:
    """One click's review of claim ``number``; on success open the next unreviewed claim.

    ``action`` is "confirm" (the machine verdict), a :class:`Label` value (override),
    or "dismiss" (dismiss, or restore a dismissed claim). Errors are kept for the
    next run of the page to show.
    """
    result = dict(shown)[number]
    claim_id = result.claim.id
    review = reviews.get(claim_id) or ClaimReview(claim_id=claim_id)
    note = (st.session_state.get(f"cs_note_{article_id}_{claim_id}") or "").strip()
    machine = result.verdict.label.value if result.verdict else None
    current = review.label.value if review.label else machine
    # A click runs as a callback before the page is drawn again: a name typed in the
    # same run is in the sidebar box's state, not yet in ``session``.
    reviewer = str(st.session_state.get("cs_reviewer") or session.reviewer).strip()
    if not reviewer:
        st.session_state[FLASH] = (
            "Set your reviewer name in the sidebar first: every review is signed."
        )
        return
    try:
        if action == "confirm":
            if machine is None:
                st.session_state[FLASH] = (
                    "This claim has no machine verdict to confirm: choose a verdict instead."
                )
                return
            store.record(
                article_id, claim_id, "confirm", reviewer=reviewer,
                before=current, after=machine, note=note,
            )  # fmt: skip
        elif action == "dismiss":
            store.record(
                article_id, claim_id, "restore" if review.dismissed else "dismiss",
                reviewer=reviewer, note=note,
            )  # fmt: skip
        elif action in {label.value for label in Label}:
            store.record(
                article_id, claim_id, "override", reviewer=reviewer,
                before=current, after=action, note=note,
            )  # fmt: skip
        else:
            return
    except ClaimscopeError as exc:
        st.session_state[FLASH] = str(exc)
        return
    done = {n for n, r in shown if reviewed(reviews.get(r.claim.id))} | {number}
    if action == "dismiss" and review.dismissed:
        done.discard(number)
    _open(opened_key(article_id), next_claim([n for n, _ in shown], number, done))


# -- a claim added by hand ---------------------------------------------------------------


def claim_from_text(article_text: str, text: str, claim_id: str) -> Claim:
    """A typed claim tied to the article sentence it matches, else to the whole article.

    A sentence matches when it contains the typed text, or shares at least half
    of its words (so a lightly reworded claim still points at its sentence).
    """
    text = " ".join(text.split())
    found = article_text.lower().find(text.lower())
    sentences = [s for s in segment(article_text) if s.text.strip()]
    span: Span | None = None
    if found >= 0:
        span = Span.of(article_text, found, found + len(text))
        holder = next(
            (s for s in sentences if s.start <= found and found + len(text) <= s.end), None
        )
        sentence = Span.of(article_text, holder.start, holder.end) if holder else span
    else:
        wanted = _words(text)
        best = max(
            sentences,
            key=lambda s: len(wanted & _words(s.text)),
            default=None,
        )
        if best is not None and wanted and len(wanted & _words(best.text)) >= len(wanted) / 2:
            span = sentence = Span.of(article_text, best.start, best.end)
        else:
            span = sentence = Span.of(article_text, 0, len(article_text))
    return Claim(id=claim_id, text=text, span=span, sentence=sentence, checkworthiness=1.0)


def _words(text: str) -> set[str]:
    return {
        w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 2
    }


def _add_claim(
    article_id: str,
    report: Report,
    session: Session,
    store: ReviewStore,
    services: Callable[[], Services],
) -> None:
    selected = st.session_state.get(selected_key(article_id))
    if selected:
        short = selected if len(selected) <= 80 else selected[:79] + "…"
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        add = c1.button(
            f"Add “{md_escape(short)}” as a claim",
            key="cs_add_selected",
            icon=":material/add_comment:",
        )
        if c2.button("Clear", key="cs_add_selected_clear"):
            st.session_state.pop(selected_key(article_id), None)
            st.rerun()
        if add:
            st.session_state.pop(selected_key(article_id), None)
            _add(article_id, report, session, store, services, selected)
    with st.expander("Add a claim the extraction missed", icon=":material/add_comment:"):
        with st.form(f"cs_add_claim_{article_id}", clear_on_submit=True, border=False):
            typed = st.text_area(
                "Claim", key=f"cs_add_text_{article_id}", height=68,
                placeholder="Type the claim, or select its words in the article",
            )  # fmt: skip
            submitted = st.form_submit_button("Add and check")
        if submitted and typed.strip():
            _add(article_id, report, session, store, services, typed)


def _add(
    article_id: str,
    report: Report,
    session: Session,
    store: ReviewStore,
    services: Callable[[], Services],
    typed: str,
) -> None:
    """Check a claim a person gave, store it signed, and open it."""
    if not session.reviewer:
        st.error("Set your reviewer name in the sidebar first: an added claim is signed.")
        return
    existing = {r.claim.id for r in report.claims}
    claim_id = f"added-{len(existing) + 1}"
    while claim_id in existing:
        claim_id += "x"
    claim = dated_claims([claim_from_text(report.article.text, typed, claim_id)], report.article)[0]
    try:
        parts = services()
        with st.spinner("Checking the claim…"):
            result = check_claim(
                claim,
                retriever=parts.knowledge_base,
                verifier=parts.verifier,
                top_k=session.settings.top_k,
                filters=session.filters,
            )
        store.add_claim(article_id, result, reviewer=session.reviewer)
    except ClaimscopeError as exc:
        st.error(md_escape(f"The claim could not be added: {exc}"))
        return
    _open(opened_key(article_id), len(report.claims) + 1)
    st.rerun()


# -- the desk while the article is being checked -------------------------------------------


def live_key(job_id: str) -> str:
    """The claim the reader opened while the check runs (0: they closed it; absent: none)."""
    return f"cs_live_opened_{job_id}"


def live_order(job: Job) -> tuple[list[tuple[int, ClaimResult]], list[tuple[int, Claim]]]:
    """The checked claims in "review first" order, and the pending ones in article order."""
    claims = list(job.claims or [])
    results = job.checked()
    numbered = list(enumerate(claims, start=1))
    done = review_first([(n, results[c.id]) for n, c in numbered if c.id in results])
    pending = [(n, c) for n, c in numbered if c.id not in results]
    return done, pending


def live_desk(job: Job, session: Session) -> None:
    """Both panes of the desk for a running check: the article from the start, the claims
    pending as soon as they are extracted, each verdict as it arrives (read-only)."""
    done, pending = live_order(job)
    order = [n for n, _ in done] + [n for n, _ in pending]
    key = live_key(job.id)
    chosen = st.session_state.get(key)
    event = bridge(
        reviewer=session.reviewer,
        desk=True,
        scroll_to=chosen or None,
        scroll_key=f"{job.id}:{chosen}:{st.session_state.get('_cs_open_count', 0)}",
    )
    if event is not None:
        action = event.get("action")
        if action == "reviewer":
            restore_reviewer(event, session)
        elif action == "open" and event.get("claim") in order:
            _open(key, event["claim"])
        elif action in ("next", "prev") and order:
            current = chosen or (order[0] if done else None)
            _open(key, next_claim(order, current, set(), -1 if action == "prev" else 1))
        elif action not in ("select", None):
            st.info(
                "Reviewing starts when every claim is checked; open and read them meanwhile.",
                icon=":material/hourglass_top:",
            )
        chosen = st.session_state.get(key)
    # Until the reader opens one, the claim at the top of the list is open.
    opened = chosen if chosen in order else (None if chosen == 0 or not done else done[0][0])
    counts: dict[str, int] = {}
    for _, r in done:
        counts[status_for(r, None)] = counts.get(status_for(r, None), 0) + 1
    pills = [badge(k, f"{counts[k]} {STYLES[k].name.lower()}") for k in STYLES if k in counts]
    if job.claims is not None:
        timing = [f"{len(pending)} being checked", f"claims found in {job.extracted_s or 0:.1f} s"]
        if job.first_result_s is not None:
            timing.append(f"first verdict after {job.first_result_s:.1f} s")
        pills.append(f"<small>{' · '.join(timing)}</small>")
        st.markdown(" ".join(pills), unsafe_allow_html=True)
    left, right = st.columns([11, 10], gap="medium")
    with left:
        text = job.article.text if job.article is not None else ""
        highlights = [
            Highlight(
                start=r.claim.span.start, end=r.claim.span.end, status=status_for(r, None),
                number=n, tooltip=f"[{n}] {STYLES[status_for(r, None)].name}",
            )
            for n, r in done
        ] + [
            Highlight(
                start=c.span.start, end=c.span.end, status=PENDING, number=n,
                tooltip=f"[{n}] being checked",
            )
            for n, c in pending
        ]  # fmt: skip
        _article_pane(text, sorted(highlights, key=lambda h: h.number))
    with right, st.container(height=PANE_HEIGHT, border=True, key="cs_pane_claims"):
        if job.claims is None:
            st.caption("Finding the claims in the article…")
            return
        if not order:
            st.caption("No check-worthy claims were found in this article.")
        for n, result in done:
            _live_row(key, n, opened, row_label(n, result, None), card_icon(result, None))
            if n == opened:
                with st.container(border=True, key=f"cs_detail_{n}"):
                    render_preview(result, session)
                    st.caption("Reviewing starts when every claim is checked.")
        for n, claim in pending:
            short = claim.text if len(claim.text) <= 110 else claim.text[:109] + "…"
            label = f"[{n}] Being checked… — {md_escape(short)}"
            _live_row(key, n, opened, label, ":material/hourglass_top:")
            if n == opened:
                with st.container(border=True, key=f"cs_detail_{n}"):
                    st.markdown(f"**Claim:** {md_escape(claim.text)}")
                    st.caption("Being checked: its verdict shows here as soon as it is ready.")


def _live_row(key: str, number: int, opened: int | None, label: str, icon: str) -> None:
    st.button(
        label,
        key=f"cs_row_{number}",
        icon=icon,
        type="primary" if number == opened else "secondary",
        width="stretch",
        on_click=_open,
        args=(key, 0 if number == opened else number),
    )


def adopt_live(job_id: str, article_id: str) -> None:
    """The finished desk opens the claim the reader had open while the check ran."""
    chosen = st.session_state.pop(live_key(job_id), None)
    if chosen is not None:
        st.session_state[opened_key(article_id)] = chosen or None
