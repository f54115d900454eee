"""Exports of a reviewed article: JSON, CSV, Markdown and schema.org ClaimReview JSON-LD.

Each export combines the machine :class:`~claims.models.Report` with the
reviewer's state of each claim (:class:`~ui.app.review_store.ClaimReview`); the
machine verdict is always kept beside the reviewer's. Nothing here sees
settings, so no API key can reach an export.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from claims.models import ClaimResult, CrossCheck, Label, Report
from ui.app.review_store import ClaimReview, ReviewEvent

#: schema.org ClaimReview rating scale: 1 = false ... 5 = true.
RATINGS: dict[Label, tuple[int, str]] = {
    Label.REFUTED: (1, "False"),
    Label.CONFLICTING: (2, "Mixed"),
    Label.NOT_ENOUGH_INFO: (3, "Unproven"),
    Label.SUPPORTED: (5, "True"),
}

CSV_COLUMNS = [
    "number",
    "claim_id",
    "claim",
    "original_claim",
    "kind",
    "checkworthiness",
    "span_start",
    "span_end",
    "machine_verdict",
    "machine_confidence",
    "cross_check_verdict",
    "cross_check_confidence",
    "cross_check_agrees",
    "failure",
    "reviewer_verdict",
    "dismissed",
    "review_note",
    "reviewer",
    "final_verdict",
    "rationale",
    "citations",
    "sources",
    "seconds",
    "tokens",
]


@dataclass(frozen=True)
class Row:
    """One claim with its machine and reviewed state, the unit every export walks."""

    number: int
    result: ClaimResult
    review: ClaimReview

    @property
    def text(self) -> str:
        return self.review.text or self.result.claim.text

    @property
    def machine_label(self) -> Label | None:
        return self.result.verdict.label if self.result.verdict else None

    @property
    def final_label(self) -> Label | None:
        return self.review.label or self.machine_label


def rows(report: Report, reviews: Mapping[str, ClaimReview]) -> list[Row]:
    return [
        Row(n, r, reviews.get(r.claim.id) or ClaimReview(claim_id=r.claim.id))
        for n, r in enumerate(report.claims, start=1)
    ]


def to_json(
    report: Report,
    reviews: Mapping[str, ClaimReview],
    events: Sequence[ReviewEvent] = (),
) -> str:
    """The full Report, each claim's review state, and the audit trail."""
    payload = {
        "report": report.model_dump(mode="json"),
        "reviews": [
            reviews[r.claim.id].model_dump(mode="json")
            for r in report.claims
            if r.claim.id in reviews
        ],
        "audit": [e.model_dump(mode="json") for e in events],
        "exported_at": datetime.now(UTC).isoformat(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def to_csv(report: Report, reviews: Mapping[str, ClaimReview]) -> str:
    """One row per claim, machine and reviewer verdicts side by side."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows(report, reviews):
        result, review = row.result, row.review
        verdict = result.verdict
        citations = verdict.citations if verdict else []
        writer.writerow(
            {
                "number": row.number,
                "claim_id": result.claim.id,
                "claim": _cell(row.text),
                "original_claim": _cell(result.claim.text),
                "kind": result.claim.kind.value,
                "checkworthiness": f"{result.claim.checkworthiness:.3f}",
                "span_start": result.claim.span.start,
                "span_end": result.claim.span.end,
                "machine_verdict": verdict.label.value if verdict else "",
                "machine_confidence": f"{verdict.confidence:.3f}" if verdict else "",
                **_cross_check_cells(verdict.cross_check if verdict else None),
                "failure": _failure_text(result),
                "reviewer_verdict": review.label.value if review.label else "",
                "dismissed": "yes" if review.dismissed else "no",
                "review_note": _cell(review.note),
                "reviewer": review.reviewer or "",
                "final_verdict": row.final_label.value if row.final_label else "FAILED",
                "rationale": _cell(verdict.rationale if verdict else ""),
                "citations": " | ".join(_cell(c.text) for c in citations),
                "sources": " | ".join(
                    _cell(c.title or c.source or c.passage_id) for c in citations
                ),
                "seconds": f"{result.timings.get('total_s', sum(result.timings.values())):.3f}",
                "tokens": result.usage.total_tokens,
            }
        )
    return buffer.getvalue()


def _cell(text: str | None) -> str:
    """A CSV cell that spreadsheets will not run as a formula."""
    text = " ".join((text or "").split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _cross_check_cells(check: CrossCheck | None) -> dict[str, str]:
    """Empty when no cross-check ran; FAILED (with no agreement) when it could not run."""
    if check is None:
        return {"cross_check_verdict": "", "cross_check_confidence": "", "cross_check_agrees": ""}
    if check.label is None:
        return {
            "cross_check_verdict": "FAILED",
            "cross_check_confidence": "",
            "cross_check_agrees": "",
        }
    return {
        "cross_check_verdict": check.label.value,
        "cross_check_confidence": f"{check.confidence or 0.0:.3f}",
        "cross_check_agrees": "yes" if check.agrees else "no",
    }


def _failure_text(result: ClaimResult) -> str:
    f = result.failure
    return f"{f.stage}: {f.error}: {f.message}" if f else ""


def to_markdown(report: Report, reviews: Mapping[str, ClaimReview]) -> str:
    """A readable fact-check summary: each claim, its verdict, and the quotes it rests on."""
    title = report.article.title or "Untitled article"
    lines = [f"# Fact-check: {_md(title)}", ""]
    if report.article.source:
        lines += [f"Source: {_md(report.article.source)}", ""]
    all_rows = rows(report, reviews)
    kept = [r for r in all_rows if not r.review.dismissed]
    counts: dict[str, int] = {}
    for r in kept:
        key = r.final_label.value if r.final_label else "FAILED"
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{n} {k.lower().replace('_', ' ')}" for k, n in sorted(counts.items()))
    lines += [
        f"Checked {report.created_at:%Y-%m-%d %H:%M} UTC with extractor `{report.extractor}` "
        f"and verifier `{report.verifier}`: {len(kept)} claims ({summary or 'none'}).",
        "",
    ]
    for r in kept:
        lines += _markdown_claim(r)
    dismissed = [r for r in all_rows if r.review.dismissed]
    if dismissed:
        lines += ["## Dismissed by the reviewer", ""]
        lines += [f"- [{r.number}] {_md(r.text)}" for r in dismissed]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_claim(row: Row) -> list[str]:
    result, review = row.result, row.review
    lines = [f"## [{row.number}] {_md(row.text)}", ""]
    if result.failure is not None:
        lines.append(f"**Could not be checked** ({_md(_failure_text(result))}).")
    elif result.verdict is not None:
        machine = f"{result.verdict.label.value} (confidence {result.verdict.confidence:.2f})"
        lines.append(f"**Machine verdict:** {machine}")
        check = result.verdict.cross_check
        if check is not None and check.label is not None:
            agreement = "agrees" if check.agrees else "**disagrees**"
            lines.append(
                f"  \n**Offline cross-check** (`{_md(check.verifier)}`): {check.label.value} "
                f"(confidence {check.confidence or 0.0:.2f}), {agreement}"
            )
        elif check is not None and check.failure is not None:
            lines.append(
                f"  \n**Offline cross-check** (`{_md(check.verifier)}`) failed: "
                f"{_md(check.failure.error)}: {_md(check.failure.message)}"
            )
    if review.label is not None:
        by = f" by {_md(review.reviewer)}" if review.reviewer else ""
        lines.append(f"  \n**Reviewer verdict{by}:** {review.label.value}")
        if review.note:
            lines.append(f"  \n**Note:** {_md(review.note)}")
    if review.text is not None:
        lines.append(f"  \n*Claim edited by the reviewer; extracted as:* {_md(result.claim.text)}")
    lines.append("")
    if result.verdict is not None and result.verdict.rationale:
        lines += [_md(result.verdict.rationale), ""]
    for c in result.verdict.citations if result.verdict else []:
        where = _md(c.title or c.source or c.passage_id)
        if c.url and c.url.startswith(("http://", "https://")):
            where = f"[{where}](<{_md_url(c.url)}>)"
        lines.append(f"> {_md(c.text)}\n>\n> — {where} ({c.stance})")
        lines.append("")
    return lines


def _md_url(url: str) -> str:
    """A URL safe inside Markdown's ``(<…>)`` link destination."""
    return "".join(ch if ch.isprintable() and ch not in "<> " else f"%{ord(ch):02X}" for ch in url)


def _md(text: str | None) -> str:
    """Untrusted text made inert in Markdown: one line, no raw HTML, no link syntax."""
    text = " ".join((text or "").split())
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def to_claimreview(
    report: Report,
    reviews: Mapping[str, ClaimReview],
    *,
    publisher: str | None = None,
) -> list[dict[str, Any]]:
    """schema.org ClaimReview objects, one per claim that carries a reviewer verdict.

    The reviewer's verdict is the ``reviewRating`` (1 = False ... 5 = True); a
    claim the reviewer dismissed is not published.
    """
    out = []
    article_url = report.article.source if _is_url(report.article.source) else None
    for row in rows(report, reviews):
        review = row.review
        if review.label is None or review.dismissed:
            continue
        value, name = RATINGS[review.label]
        appearance: dict[str, Any] = {"@type": "CreativeWork"}
        if article_url:
            appearance["url"] = article_url
        if report.article.title:
            appearance["headline"] = report.article.title
        item: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": row.text,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": name,
            },
            "author": {"@type": "Person", "name": review.reviewer or "unknown"},
            "datePublished": (review.reviewed_at or datetime.now(UTC)).date().isoformat(),
            "itemReviewed": {
                "@type": "Claim",
                "appearance": appearance,
                "firstAppearance": appearance,
            },
        }
        if article_url:
            item["url"] = f"{article_url}#claim-{row.number}"
        if publisher:
            item["publisher"] = {"@type": "Organization", "name": publisher}
        if review.note:
            item["reviewBody"] = review.note
        out.append(item)
    return out


def claimreview_jsonld(report: Report, reviews: Mapping[str, ClaimReview]) -> str:
    return json.dumps(to_claimreview(report, reviews), indent=2, ensure_ascii=False)


def _is_url(value: str | None) -> bool:
    return bool(value) and value.startswith(("http://", "https://"))  # type: ignore[union-attr]


REQUIRED_CLAIMREVIEW = (
    "@context",
    "@type",
    "claimReviewed",
    "reviewRating",
    "author",
    "datePublished",
    "itemReviewed",
)


def claimreview_problems(item: Mapping[str, Any]) -> list[str]:
    """What a ClaimReview object lacks of the schema.org fields fact-check readers require."""
    problems = [f"missing {key}" for key in REQUIRED_CLAIMREVIEW if key not in item]
    if item.get("@type") != "ClaimReview":
        problems.append("@type is not ClaimReview")
    if "schema.org" not in str(item.get("@context", "")):
        problems.append("@context is not schema.org")
    rating = item.get("reviewRating") or {}
    if rating.get("@type") != "Rating":
        problems.append("reviewRating.@type is not Rating")
    for key in ("ratingValue", "alternateName"):
        if key not in rating:
            problems.append(f"reviewRating lacks {key}")
    if not (item.get("claimReviewed") or "").strip():
        problems.append("claimReviewed is empty")
    try:
        datetime.fromisoformat(str(item.get("datePublished")))
    except ValueError:
        problems.append("datePublished is not an ISO date")
    if (item.get("itemReviewed") or {}).get("@type") != "Claim":
        problems.append("itemReviewed.@type is not Claim")
    return problems
