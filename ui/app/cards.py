"""One claim's card: verdict, evidence with the quoted sentences, and the review controls."""

from __future__ import annotations

import html

import streamlit as st

from claims.errors import ClaimscopeError
from claims.models import ClaimResult, CrossCheck, Evidence, Label
from ui.app.render import (
    DISMISSED,
    FAILED,
    STYLES,
    badge,
    citation_passage,
    evidence_passage,
    md_escape,
    safe_link,
    status_of,
)
from ui.app.review_store import ClaimReview, ReviewStore
from ui.app.sidebar import Session

MACHINE = "machine"
#: Streamlit markdown colour and a Material icon per status: colour plus shape, so
#: the verdict is readable without colour vision too.
LOOKS = {
    Label.SUPPORTED.value: ("green", ":material/check_circle:"),
    Label.REFUTED.value: ("red", ":material/cancel:"),
    Label.NOT_ENOUGH_INFO.value: ("gray", ":material/help:"),
    Label.CONFLICTING.value: ("orange", ":material/warning:"),
    "FAILED": ("violet", ":material/error:"),
    DISMISSED: ("gray", ":material/block:"),
}


def status_for(result: ClaimResult, review: ClaimReview | None) -> str:
    if review is None:
        return status_of(result)
    return status_of(result, reviewer_label=review.label, dismissed=review.dismissed)


def card_icon(result: ClaimResult, review: ClaimReview | None) -> str:
    return LOOKS[status_for(result, review)][1]


def card_title(number: int, result: ClaimResult, review: ClaimReview | None) -> str:
    """The expander label: number, verdict (coloured), confidence and the start of the claim."""
    status = status_for(result, review)
    text = (review.text if review and review.text else None) or result.claim.text
    short = text if len(text) <= 90 else text[:89] + "…"
    verdict = STYLES[status].name
    if review and review.label and not review.dismissed:
        verdict += " (reviewed)"
    elif result.verdict is not None and not (review and review.dismissed):
        verdict += f" {result.verdict.confidence:.0%}"
    colour = LOOKS[status][0]
    flag = ""
    if result.cross_check_disagrees and not (review and (review.label or review.dismissed)):
        flag = " :orange[:material/compare_arrows: cross-check disagrees]"
    return f"[{number}] :{colour}-background[{verdict}]{flag} {md_escape(short)}"


def render_card(
    article_id: str,
    number: int,
    result: ClaimResult,
    review: ClaimReview | None,
    session: Session,
    store: ReviewStore,
) -> None:
    review = review or ClaimReview(claim_id=result.claim.id)
    _verdict_block(result, review, session)
    _evidence_block(result)
    _review_block(article_id, number, result, review, session, store)


def _verdict_block(result: ClaimResult, review: ClaimReview, session: Session) -> None:
    claim = result.claim
    pills = []
    if result.failure is not None:
        pills.append(badge("FAILED", f"Failed at {result.failure.stage}"))
    elif result.verdict is not None:
        pills.append(
            badge(
                result.verdict.label.value,
                f"Machine: {STYLES[result.verdict.label.value].name} "
                f"{result.verdict.confidence:.0%}",
            )
        )
    check = result.verdict.cross_check if result.verdict is not None else None
    if check is not None:
        pills.append(cross_check_badge(check))
    if review.label is not None:
        pills.append(badge(review.label.value, f"Reviewer: {STYLES[review.label.value].name}"))
    if review.dismissed:
        pills.append(badge(DISMISSED))
    seconds = result.timings.get("total_s", sum(result.timings.values()))
    facts = [claim.kind.value, f"check-worthiness {claim.checkworthiness:.2f}", f"{seconds:.2f} s"]
    if result.usage.total_tokens:
        facts.append(f"{result.usage.total_tokens:,} tokens")
        cost = session.cost(result.usage.prompt_tokens, result.usage.completion_tokens)
        if cost:
            facts.append(f"${cost:.4f}")
    st.html(
        f'<div style="display:flex;gap:0.4em;flex-wrap:wrap;align-items:center">{" ".join(pills)}'
        f'<span style="color:#57606a;font-size:0.85em">{html.escape(" · ".join(facts))}</span></div>'
    )
    if review.text is not None:
        st.markdown(f"**Claim (edited):** {md_escape(review.text)}")
        st.caption(f"Extracted as: {md_escape(claim.text)}")
    else:
        st.markdown(f"**Claim:** {md_escape(claim.text)}")
    if claim.sentence.text.strip() and claim.sentence.text.strip() != claim.text.strip():
        st.caption(f"In the article: “{md_escape(claim.sentence.text)}”")
    if result.failure is not None:
        f = result.failure
        st.error(
            md_escape(f"This claim could not be checked: {f.stage} failed ({f.error}): {f.message}")
        )
    elif result.verdict is not None:
        if result.verdict.rationale:
            st.markdown(f"**Why:** {md_escape(result.verdict.rationale)}")
        st.caption(f"verifier: {md_escape(result.verdict.verifier)}")
        if check is not None:
            _cross_check_note(check)
    if review.note:
        st.markdown(f"**Reviewer note:** {md_escape(review.note)}")


def cross_check_badge(check: CrossCheck) -> str:
    """The second opinion's pill: its label and confidence, or that it failed."""
    if check.label is None:
        return badge(FAILED, "Cross-check failed")
    name = STYLES[check.label.value].name
    return badge(check.label.value, f"Cross-check: {name} {check.confidence or 0.0:.0%}")


def _cross_check_note(check: CrossCheck) -> None:
    if check.failure is not None:
        f = check.failure
        st.warning(
            md_escape(
                f"The offline cross-check ({check.verifier}) failed ({f.error}): {f.message}. "
                "The verdict above stands unchecked."
            )
        )
    elif check.agrees is False and check.label is not None:
        quotes = "; ".join(f"“{c.text}”" for c in check.citations[:2])
        st.warning(
            md_escape(
                f"The offline verifier ({check.verifier}) disagrees: "
                f"{check.label.value} on the same evidence. Review this claim."
                + (f" It relied on: {quotes}" if quotes else "")
            ),
            icon=":material/compare_arrows:",
        )
    else:
        st.caption(md_escape(f"cross-check: {check.verifier} agrees"))


def _source_line(
    ev: Evidence | None, title: str | None, source: str | None, url: str | None
) -> str:
    passage = ev.passage if ev else None
    name = (
        title
        or (passage.title if passage else None)
        or source
        or (passage.source if passage else "")
    )
    link = safe_link(url or (passage.url if passage else None), name or "source")
    bits = [link]
    if passage is not None and passage.published:
        bits.append(html.escape(passage.published.isoformat()))
    if passage is not None and source != passage.source and passage.source != name:
        bits.append(html.escape(passage.source))
    return " · ".join(bits)


def _evidence_block(result: ClaimResult) -> None:
    by_id = {ev.passage.id: ev for ev in result.evidence}
    citations = result.verdict.citations if result.verdict else []
    if citations:
        st.markdown("**Cited evidence**")
        for i, c in enumerate(citations, start=1):
            ev = by_id.get(c.passage_id)
            stance = {"supports": "supports", "refutes": "refutes"}.get(c.stance, "neutral")
            st.html(
                '<div style="margin:0.3em 0 0.6em 0">'
                f'<div style="font-size:0.92rem"><b>{i}.</b> “{html.escape(c.text)}” '
                f'<span style="color:#57606a">({stance})</span></div>'
                f'<div style="font-size:0.85rem;color:#57606a;margin:0.15em 0">'
                f"{_source_line(ev, c.title, c.source, c.url)}</div>"
                f"{citation_passage(c, result.evidence)}</div>"
            )
    others = [
        ev for ev in result.evidence if ev.passage.id not in {c.passage_id for c in citations}
    ]
    if others:
        label = "Other retrieved passages" if citations else "Retrieved passages (none cited)"
        st.markdown(f"**{label}**")
        for ev in others[:3]:
            st.html(
                '<div style="margin:0.2em 0 0.6em 0">'
                f'<div style="font-size:0.85rem;color:#57606a">#{ev.rank} · score {ev.score:.3f} · '
                f"{_source_line(ev, None, None, None)}</div>{evidence_passage(ev)}</div>"
            )
        if len(others) > 3:
            st.caption(f"{len(others) - 3} more passages in the JSON export.")
    elif not citations:
        st.caption("No evidence was retrieved for this claim.")


def _review_block(
    article_id: str,
    number: int,
    result: ClaimResult,
    review: ClaimReview,
    session: Session,
    store: ReviewStore,
) -> None:
    claim_id = result.claim.id
    machine = result.verdict.label.value if result.verdict else None
    options = [MACHINE, *[label.value for label in Label]]
    machine_name = STYLES[machine].name if machine else "failed"
    names = {
        MACHINE: f"Keep machine verdict ({machine_name})",
        **{label.value: STYLES[label.value].name for label in Label},
    }
    current = review.label.value if review.label else MACHINE
    with st.form(f"cs_review_{article_id}_{claim_id}", border=True):
        st.markdown("**Review**")
        text = st.text_area(
            "Claim text",
            value=review.text or result.claim.text,
            height=80,
            key=f"cs_text_{article_id}_{claim_id}",
        )
        c1, c2 = st.columns([2, 3])
        label = c1.selectbox(
            "Verdict",
            options,
            index=options.index(current),
            format_func=names.__getitem__,
            key=f"cs_label_{article_id}_{claim_id}",
        )
        note = c2.text_input(
            "Note",
            value=review.note,
            key=f"cs_note_{article_id}_{claim_id}",
            placeholder="why (kept in the audit trail)",
        )
        saved = st.form_submit_button("Save review")
    if saved:
        _save(article_id, result, review, session, store, text=text, label=label, note=note)
    dismiss_label = "Restore claim" if review.dismissed else "Dismiss claim"
    if st.button(dismiss_label, key=f"cs_dismiss_{article_id}_{claim_id}"):
        _record(store, article_id, claim_id, "restore" if review.dismissed else "dismiss", session)
    events = store.events(article_id, claim_id)
    if events:
        st.caption("History")
        lines = []
        for e in reversed(events):
            change = (
                f"{e.before or '–'} → {e.after or '–'}" if e.action in ("override", "edit") else ""
            )
            note = f" — {e.note}" if e.note else ""
            lines.append(
                f"{e.at:%Y-%m-%d %H:%M} · {e.reviewer} · {e.action.replace('_', ' ')} {change}{note}"
            )
        st.html(
            '<div style="font-size:0.8rem;color:#57606a">'
            + "<br>".join(html.escape(line) for line in lines)
            + "</div>"
        )


def _save(
    article_id: str,
    result: ClaimResult,
    review: ClaimReview,
    session: Session,
    store: ReviewStore,
    *,
    text: str,
    label: str,
    note: str,
) -> None:
    """Record what changed in the review form as audit events, then redraw."""
    claim_id = result.claim.id
    if not session.reviewer:
        st.error("Set your reviewer name in the sidebar first: every review is signed.")
        return
    current_text = review.text or result.claim.text
    text = text.strip()
    changed = False
    try:
        if text and text != current_text:
            store.record(
                article_id,
                claim_id,
                "edit",
                reviewer=session.reviewer,
                before=current_text,
                after=text,
                note=note.strip(),
            )
            changed = True
        machine = result.verdict.label.value if result.verdict else None
        before = review.label.value if review.label else machine
        if label == MACHINE and review.label is not None:
            store.record(
                article_id,
                claim_id,
                "clear_override",
                reviewer=session.reviewer,
                before=before,
                after=machine,
                note=note.strip(),
            )
            changed = True
        elif label != MACHINE and (
            label != before or review.label is None or note.strip() != review.note
        ):
            store.record(
                article_id,
                claim_id,
                "override",
                reviewer=session.reviewer,
                before=before,
                after=label,
                note=note.strip(),
            )
            changed = True
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    if changed:
        st.rerun()
    st.info("Nothing changed.")


def _record(store: ReviewStore, article_id: str, claim_id: str, action, session: Session) -> None:
    if not session.reviewer:
        st.error("Set your reviewer name in the sidebar first: every review is signed.")
        return
    try:
        store.record(article_id, claim_id, action, reviewer=session.reviewer)
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    st.rerun()
