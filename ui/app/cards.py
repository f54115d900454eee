"""One claim's card: verdict, evidence with the quoted sentences, and the review controls."""

from __future__ import annotations

import html
from collections.abc import Callable

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


def row_label(number: int, result: ClaimResult, review: ClaimReview | None) -> str:
    """A claim's row in the desk's list: number, verdict, confidence, flags and its text."""
    status = status_for(result, review)
    text = (review.text if review and review.text else None) or result.claim.text
    short = text if len(text) <= 110 else text[:109] + "…"
    verdict = STYLES[status].name
    if review and review.label and not review.dismissed:
        verdict += " ✓ reviewed"
    elif result.verdict is not None and not (review and review.dismissed):
        verdict += f" {result.verdict.confidence:.0%}"
    flags = ""
    if result.cross_check_disagrees and not (review and (review.label or review.dismissed)):
        flags += " · cross-check disagrees"
    if review and review.added_by:
        flags += " · added by hand"
    return f"[{number}] {verdict}{flags} — {md_escape(short)}"


def claim_labels(result: ClaimResult, review: ClaimReview | None) -> list[str]:
    """Small labels for what the extraction said about a claim (fields read only when present)."""
    claim = result.claim
    labels = []
    if getattr(claim, "needs_context", False):
        labels.append("needs context")
    kind = getattr(claim, "kind", None)
    if getattr(kind, "value", kind) == "attributed" or getattr(claim, "attributed", False):
        labels.append("attributed")
    if review is not None and review.added_by:
        labels.append(f"added by {review.added_by}")
    return labels


ReviewHandler = Callable[[str], None]


def render_detail(
    article_id: str,
    number: int,
    result: ClaimResult,
    review: ClaimReview | None,
    session: Session,
    store: ReviewStore,
    *,
    on_review: ReviewHandler,
) -> None:
    """The opened claim: verdict and reason, cited evidence, then the one-click review."""
    review = review or ClaimReview(claim_id=result.claim.id)
    _fact_checks_block(result)
    _notes_block(result)
    _verdict_block(result, review, session)
    _review_buttons(article_id, result, review, on_review)
    _evidence_block(result)
    _review_history(article_id, result, review, session, store)


def _fact_checks_block(result: ClaimResult) -> None:
    """Published fact-checks of a matching claim, first: a reviewer's first stop."""
    if not result.fact_checks:
        return
    if result.fact_check_disagrees:
        st.error(
            "A published fact-check disagrees with the machine verdict: review this claim.",
            icon=":material/report:",
        )
    st.markdown("**Published fact-checks**")
    for check in result.fact_checks:
        bits = [safe_link(check.url, check.publisher or "fact-check")]
        bits.append(f"rated <b>{html.escape(check.rating)}</b>")
        if check.reviewed:
            bits.append(html.escape(check.reviewed.isoformat()))
        if check.disagrees:
            bits.append('<b style="color:#a40e26">disagrees with the verdict</b>')
        stated = (
            f'<div style="color:#57606a">“{html.escape(check.claim_text)}”'
            + (f" ({html.escape(check.claimant)})" if check.claimant else "")
            + "</div>"
            if check.claim_text
            else ""
        )
        st.html(
            f'<div style="margin:0.2em 0 0.4em 0;font-size:0.9rem">{" · ".join(bits)}{stated}</div>'
        )


def _notes_block(result: ClaimResult) -> None:
    """What went wrong while gathering evidence: said, never turned into a verdict."""
    for note in result.notes:
        if note.kind == "fact_check_disagrees":
            continue  # shown with the fact-checks above
        st.warning(md_escape(note.message), icon=":material/warning:")


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
    pills.extend(
        '<span style="border:1px solid #8c959f;color:#3d444d;border-radius:0.6em;'
        f'padding:0 0.5em;font-size:0.8em">{html.escape(label)}</span>'
        for label in claim_labels(result, review)
    )
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
        reason = getattr(result.verdict, "reason", None) or result.verdict.rationale
        if reason:
            st.markdown(f"**Why:** {md_escape(reason)}")
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
    if passage is not None and passage.kind:
        bits.append(html.escape(passage.kind))
    if passage is not None and passage.published:
        bits.append(html.escape(f"published {passage.published.isoformat()}"))
    if passage is not None and passage.retrieved_at:
        bits.append(html.escape(f"retrieved {passage.retrieved_at:%Y-%m-%d %H:%M} UTC"))
    if passage is not None and source != passage.source and passage.source != name:
        bits.append(html.escape(passage.source))
    return " · ".join(bits)


def _evidence_block(result: ClaimResult) -> None:
    """Each cited sentence quoted once, with its source; its passage and the rest folded away."""
    by_id = {ev.passage.id: ev for ev in result.evidence}
    citations = result.verdict.citations if result.verdict else []
    if citations:
        st.markdown("**Cited evidence**")
        for i, c in enumerate(citations, start=1):
            ev = by_id.get(c.passage_id)
            stance = {"supports": "supports", "refutes": "refutes"}.get(c.stance, "neutral")
            colour = {"supports": "#116329", "refutes": "#a40e26"}.get(stance, "#57606a")
            st.html(
                '<div style="margin:0.2em 0 0.3em 0">'
                f'<blockquote style="margin:0;padding:0.1em 0.7em;border-left:3px solid {colour};'
                f'font-size:0.95rem"><b>{i}.</b> “{html.escape(c.text)}” '
                f'<span style="color:{colour};font-size:0.85em">({stance})</span></blockquote>'
                '<div style="font-size:0.85rem;color:#57606a;margin:0.15em 0 0 0.8em">'
                f"{_source_line(ev, c.title, c.source, c.url)}</div></div>"
            )
            if ev is not None and ev.passage.text.strip() != c.text.strip():
                with st.expander(f"The passage around quote {i}", icon=":material/article:"):
                    st.html(citation_passage(c, result.evidence))
    others = [
        ev for ev in result.evidence if ev.passage.id not in {c.passage_id for c in citations}
    ]
    if others:
        label = "Other retrieved evidence" if citations else "Retrieved evidence (none cited)"
        with st.expander(f"{label} ({len(others)})", icon=":material/folder_open:"):
            for ev in others:
                st.html(
                    '<div style="margin:0.2em 0 0.6em 0">'
                    f'<div style="font-size:0.85rem;color:#57606a">#{ev.rank} · score {ev.score:.3f}'
                    f" · {_source_line(ev, None, None, None)}</div>{evidence_passage(ev)}</div>"
                )
    elif not citations:
        st.caption("No evidence was retrieved for this claim.")


#: One-click review buttons: (action, label, shortcut key).
REVIEW_BUTTONS = [
    ("confirm", "Confirm", "c"),
    (Label.SUPPORTED.value, "Supported", "s"),
    (Label.REFUTED.value, "Refuted", "r"),
    (Label.NOT_ENOUGH_INFO.value, "No info", "n"),
    (Label.CONFLICTING.value, "Conflicting", "m"),
    ("dismiss", "Dismiss", "d"),
]


def _review_buttons(
    article_id: str, result: ClaimResult, review: ClaimReview, on_review: ReviewHandler
) -> None:
    claim_id = result.claim.id
    st.text_input(
        "Note",
        value=review.note,
        key=f"cs_note_{article_id}_{claim_id}",
        placeholder="why (optional; kept in the audit trail with the next click)",
    )
    machine = STYLES[result.verdict.label.value].name if result.verdict else None
    columns = [*st.columns(3, gap="small"), *st.columns(3, gap="small")]
    for column, (action, name, shortcut) in zip(columns, REVIEW_BUTTONS, strict=True):
        if action == "confirm":
            help_text = f"Confirm the machine verdict ({machine})" if machine else "No verdict"
        elif action == "dismiss":
            name = "Restore" if review.dismissed else name
            help_text = "Not a claim worth checking" if not review.dismissed else "Restore it"
        else:
            help_text = f"Set the verdict to {STYLES[action].name}"
        column.button(
            f"{name} · {shortcut}",
            key=f"cs_do_{action}_{article_id}_{claim_id}",
            help=help_text,
            type="primary" if action == "confirm" else "secondary",
            width="stretch",
            disabled=action == "confirm" and machine is None,
            on_click=on_review,
            args=(action,),
        )


def _review_history(
    article_id: str,
    result: ClaimResult,
    review: ClaimReview,
    session: Session,
    store: ReviewStore,
) -> None:
    claim_id = result.claim.id
    with st.expander("Edit the claim's text", icon=":material/edit:"):
        with st.form(f"cs_review_{article_id}_{claim_id}", border=False):
            text = st.text_area(
                "Claim text",
                value=review.text or result.claim.text,
                height=80,
                key=f"cs_text_{article_id}_{claim_id}",
            )
            saved = st.form_submit_button("Save text")
        if saved:
            _save_text(article_id, result, review, session, store, text=text)
    events = store.events(article_id, claim_id)
    if events:
        lines = []
        for e in reversed(events):
            change = (
                f"{e.before or '–'} → {e.after or '–'}"
                if e.action in ("override", "edit", "confirm")
                else ""
            )
            note = f" — {e.note}" if e.note else ""
            lines.append(
                f"{e.at:%Y-%m-%d %H:%M} · {e.reviewer} · {e.action.replace('_', ' ')} {change}{note}"
            )
        st.html(
            '<div style="font-size:0.8rem;color:#57606a"><b>History</b><br>'
            + "<br>".join(html.escape(line) for line in lines)
            + "</div>"
        )


def _save_text(
    article_id: str,
    result: ClaimResult,
    review: ClaimReview,
    session: Session,
    store: ReviewStore,
    *,
    text: str,
) -> None:
    """Record an edit of the claim's text as an audit event, then redraw."""
    if not session.reviewer:
        st.error("Set your reviewer name in the sidebar first: every review is signed.")
        return
    current = review.text or result.claim.text
    text = " ".join(text.split())
    if not text or text == current:
        st.info("Nothing changed.")
        return
    try:
        store.record(
            article_id, result.claim.id, "edit", reviewer=session.reviewer,
            before=current, after=text,
        )  # fmt: skip
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    st.rerun()


def render_preview(result: ClaimResult, session: Session) -> None:
    """A claim's detail while its article is still being checked: the verdict, the reason
    and the evidence, without the review controls (reviews open when the check is done)."""
    review = ClaimReview(claim_id=result.claim.id)
    _fact_checks_block(result)
    _notes_block(result)
    _verdict_block(result, review, session)
    _evidence_block(result)
