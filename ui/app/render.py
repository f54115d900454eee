"""HTML for the app: the article with claim spans highlighted, and evidence passages.

Article text, evidence and model output are untrusted. Every piece of text that
goes into HTML passes through :func:`html.escape` here, and only the markup this
module writes itself is left unescaped. Styles are inline so the output does
not depend on page-level CSS, and the HTML is one line so that Streamlit's
markdown parser cannot reinterpret blank lines or indentation inside it.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from claims.models import Citation, ClaimResult, Evidence, Label

FAILED = "FAILED"
DISMISSED = "DISMISSED"


@dataclass(frozen=True)
class Style:
    name: str
    background: str
    foreground: str


STYLES: dict[str, Style] = {
    Label.SUPPORTED.value: Style("Supported", "#d3f5dc", "#116329"),
    Label.REFUTED.value: Style("Refuted", "#ffd8d3", "#a40e26"),
    Label.NOT_ENOUGH_INFO.value: Style("Not enough info", "#e6e9ee", "#3d444d"),
    Label.CONFLICTING.value: Style("Conflicting", "#fff1b8", "#7a5200"),
    FAILED: Style("Failed", "#eddcff", "#6639ba"),
    DISMISSED: Style("Dismissed", "#f3f3f3", "#8c959f"),
}

#: A claim still being checked (the desk while its article is checked). Not a verdict,
#: so it stays out of STYLES, which the filters and counts list.
PENDING = "PENDING"
PENDING_STYLE = Style("Checking…", "#f6f8fa", "#6e7781")


def status_of(
    result: ClaimResult, *, reviewer_label: Label | None = None, dismissed: bool = False
) -> str:
    """The key into :data:`STYLES` that a claim is shown with (review wins over machine)."""
    if dismissed:
        return DISMISSED
    if reviewer_label is not None:
        return reviewer_label.value
    if result.failure is not None:
        return FAILED
    assert result.verdict is not None
    return result.verdict.label.value


def badge(status: str, text: str | None = None) -> str:
    """A small coloured pill naming a verdict."""
    style = STYLES[status]
    label = html.escape(text if text is not None else style.name)
    return (
        f'<span style="background:{style.background};color:{style.foreground};'
        "border-radius:0.6em;padding:0.05em 0.55em;font-size:0.85em;font-weight:600;"
        f'white-space:nowrap">{label}</span>'
    )


@dataclass(frozen=True)
class Highlight:
    """One claim span to colour in the article."""

    start: int
    end: int
    status: str
    number: int
    tooltip: str


def highlight_article(
    text: str, highlights: Sequence[Highlight], dimmed: Sequence[tuple[int, int]] = ()
) -> str:
    """The article as escaped HTML with each highlight's span marked in its colour.

    Overlapping spans (two claims split from one sentence) are cut at every
    boundary; a piece covered by several claims takes the first claim's colour
    and its tooltip names all of them. Each claim's number is shown after its span.
    Every mark carries ``data-claim`` (the desk opens that claim on a click) and
    the first piece of each claim an ``id="cs-span-N"`` (the desk scrolls to it).
    ``dimmed`` spans (page furniture: credits, sign-up prompts) are shown faded.
    """
    bounds = sorted(
        {
            0,
            len(text),
            *(h.start for h in highlights),
            *(h.end for h in highlights),
            *(max(0, min(len(text), b)) for span in dimmed for b in span),
        }
    )
    ends: dict[int, list[int]] = {}
    for h in highlights:
        ends.setdefault(h.end, []).append(h.number)
    anchored: set[int] = set()
    parts: list[str] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if lo in ends:
            parts.append(_numbers(ends.pop(lo)))
        piece = _escape_text(text[lo:hi])
        if any(a <= lo and hi <= b for a, b in dimmed):
            piece = f'<span class="cs-furniture" style="color:#57606a;font-size:0.85em;font-style:italic">{piece}</span>'
        covering = [h for h in highlights if h.start <= lo and hi <= h.end and h.start < h.end]
        if not covering:
            parts.append(piece)
            continue
        first = covering[0]
        style = PENDING_STYLE if first.status == PENDING else STYLES[first.status]
        tip = html.escape(" | ".join(h.tooltip for h in covering), quote=True)
        decoration = "line-through" if first.status == DISMISSED else "none"
        line = "dashed" if first.status == PENDING else "solid"  # not a verdict yet
        anchor = ""
        if first.number not in anchored:
            anchored.add(first.number)
            anchor = f' id="cs-span-{first.number}"'
        numbers = " ".join(str(h.number) for h in covering)
        parts.append(
            f'<mark{anchor} data-claim="{first.number}" data-claims="{numbers}" title="{tip}" '
            f'style="background:{style.background};color:inherit;cursor:pointer;'
            f"text-decoration:{decoration};border-bottom:2px {line} {style.foreground};"
            f'padding:0 1px;border-radius:2px">{piece}</mark>'
        )
    if len(text) in ends:
        parts.append(_numbers(ends.pop(len(text))))
    return (
        '<div class="cs-article" style="line-height:1.7;font-size:0.98rem;'
        f'white-space:normal">{"".join(parts)}</div>'
    )


def _numbers(numbers: list[int]) -> str:
    label = ",".join(str(n) for n in sorted(numbers))
    return f'<sup style="font-weight:700;color:#57606a">[{label}]</sup>'


def _escape_text(text: str) -> str:
    """Escape, and keep line breaks without leaving a newline in the HTML."""
    return html.escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def legend() -> str:
    return " ".join(badge(key) for key in STYLES)


def passage_with_sentence(passage_text: str, start: int, end: int, stance: str = "neutral") -> str:
    """The passage escaped, with ``passage_text[start:end]`` highlighted."""
    start = max(0, min(start, len(passage_text)))
    end = max(start, min(end, len(passage_text)))
    colour = {"supports": "#d3f5dc", "refutes": "#ffd8d3"}.get(stance, "#fff1b8")
    return (
        '<div class="cs-passage" style="border-left:3px solid #d0d7de;padding:0.2em 0.7em;'
        'color:#3d444d;font-size:0.92rem;line-height:1.55">'
        f"{_escape_text(passage_text[:start])}"
        f'<mark style="background:{colour};color:#1f2328;font-weight:600">'
        f"{_escape_text(passage_text[start:end])}</mark>"
        f"{_escape_text(passage_text[end:])}</div>"
    )


def citation_passage(citation: Citation, evidence: Sequence[Evidence]) -> str:
    """The cited sentence inside its passage when the passage was retrieved, else alone."""
    for ev in evidence:
        if ev.passage.id == citation.passage_id:
            text = ev.passage.text
            if text[citation.start : citation.end] == citation.text:
                return passage_with_sentence(text, citation.start, citation.end, citation.stance)
            found = text.find(citation.text)
            if found >= 0:
                return passage_with_sentence(
                    text, found, found + len(citation.text), citation.stance
                )
            return passage_with_sentence(text, 0, 0)
    return passage_with_sentence(citation.text, 0, len(citation.text), citation.stance)


def evidence_passage(ev: Evidence) -> str:
    """A retrieved passage with its best-matching sentence highlighted."""
    sentences = ev.passage.sentences
    if ev.best_sentences and 0 <= ev.best_sentences[0] < len(sentences):
        best = sentences[ev.best_sentences[0]]
        return passage_with_sentence(ev.passage.text, best.start, best.end)
    return passage_with_sentence(ev.passage.text, 0, 0)


def safe_link(url: str | None, text: str) -> str:
    """An escaped link when ``url`` is http(s); otherwise the escaped text alone."""
    if url and urlparse(url).scheme in {"http", "https"}:
        return (
            f'<a href="{html.escape(url, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer nofollow">{html.escape(text)}</a>'
        )
    return html.escape(text)


def md_escape(text: str | None) -> str:
    """Untrusted text made inert for ``st.markdown``: no HTML, links, images or emphasis."""
    text = html.escape(" ".join((text or "").split()), quote=False)
    for ch in "\\`*_[]#|~$":
        text = text.replace(ch, "\\" + ch)
    return text


def figure(png: bytes, caption: str) -> str:
    """A PNG plot with its caption as alt text (``st.image`` leaves images without one)."""
    data = base64.b64encode(png).decode("ascii")
    text = html.escape(caption, quote=True)
    return (
        f'<figure style="margin:0"><img src="data:image/png;base64,{data}" alt="{text}" '
        f'style="max-width:100%"><figcaption style="font-size:0.85rem;color:#57606a">'
        f"{text}</figcaption></figure>"
    )
