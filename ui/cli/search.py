"""``claimscope search`` and the evidence-on-demand parts of ``check --search``.

    claimscope search "claim text"                      # what each configured source found
    claimscope search "claim text" --sources wikipedia --before 2024-10-25 --json
    claimscope check ARTICLE --search web,wikipedia,factchecks

Sources are configured in the settings (``CLAIMSCOPE_SEARXNG_URL``, the API keys,
``CLAIMSCOPE_WIKIPEDIA_LANGUAGE``); see docs/evidence.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from claims.errors import EvidenceError
from claims.models import Article, ClaimResult, Report
from claims.settings import Settings
from ui.cli.options import one_line

DEFAULT_SOURCES = "web,wikipedia,factchecks"


def register(subparsers: Any) -> None:
    """Add the ``search`` command to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "search",
        help="ask the evidence sources about a claim and print what each found",
        description="Ask each evidence source (web search, Wikipedia, fact-checks) about a "
        "claim and print what it found; nothing is fetched or stored.",
    )
    parser.add_argument("claim", help="the claim text")
    parser.add_argument(
        "--sources",
        help="comma-separated: web, wikipedia, factchecks (default: the configured ones of "
        f"{DEFAULT_SOURCES})",
    )
    parser.add_argument(
        "--before", type=date.fromisoformat, help="only results published before YYYY-MM-DD"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from claims.factory import build_question_writer
    from retrieval.gather import search_queries
    from retrieval.queries import build_queries
    from retrieval.sources import build_sources

    spec = args.sources or settings.evidence_sources or configured_sources(settings)
    sources = build_sources(settings, spec)
    offline = build_queries(args.claim)
    # in the LLM modes the LLM's search questions, as check --search asks them
    queries, note, _ = search_queries(
        args.claim, offline, build_question_writer(settings), sources, settings
    )
    if note is not None:
        print(one_line(note.message), file=sys.stderr)
    rows: list[dict[str, Any]] = []
    failed = 0
    for source in sources:
        asked = offline[:1] if source.kind == "fact-check" else queries
        row: dict[str, Any] = {"source": source.name, "kind": source.kind, "queries": asked}
        found: dict[str, Any] = {}
        errors: list[str] = []
        for query in asked:
            try:
                hits = source.search(query, before=args.before, limit=settings.search_results)
            except EvidenceError as exc:
                errors.append(str(exc))
                continue
            for hit in hits:
                found.setdefault(hit.url, hit.model_dump(mode="json", exclude={"text"}))
        row["results"] = list(found.values())
        if errors:
            row["errors"] = errors
        failed += len(errors) == len(asked)
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print_search(rows)
    return 1 if failed else 0


def configured_sources(settings: Settings) -> str:
    """The sources usable with these settings: Wikipedia always, web and fact-checks when set up."""
    names = ["wikipedia"]
    if (
        settings.searxng_url
        or settings.brave_api_key
        or settings.tavily_api_key
        or settings.serper_api_key
    ):
        names.append("web")
    if settings.factcheck_api_key is not None:
        names.append("factchecks")
    return ",".join(names)


def print_search(rows: list[dict[str, Any]], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for row in rows:
        print(f"== {row['source']} ({row['kind']}): {len(row['results'])} result(s)", file=out)
        for error in row.get("errors", []):
            print(f"   unavailable: {error}", file=out)
        for number, hit in enumerate(row["results"], start=1):
            published = hit.get("published") or "undated"
            print(
                f"{number:3d}. {one_line(hit.get('title') or hit['url'])} [{published}]", file=out
            )
            print(f"     {one_line(hit['url'])}", file=out)
            check = hit.get("fact_check")
            if check:
                print(
                    f"     rating: {one_line(check['rating'])} ({one_line(check['publisher'])})",
                    file=out,
                )
            elif hit.get("snippet"):
                print(f"     {one_line(hit['snippet'])[:200]}", file=out)


def print_evidence(result: ClaimResult, out: TextIO) -> None:
    """The fact-checks and notes of one claim result, under its verdict."""
    for check in result.fact_checks:
        flag = "  DISAGREES with the verdict" if check.disagrees else ""
        reviewed = check.reviewed.isoformat() if check.reviewed else "undated"
        print(
            f"    fact-check: {one_line(check.publisher)} rated it {one_line(check.rating)!r} "
            f"({reviewed}) {one_line(check.url)}{flag}",
            file=out,
        )
    for note in result.notes:
        print(f"    note: {one_line(note.message)}", file=out)


def cutoff(article: Article, before: date | None, settings: Settings) -> date | None:
    """The date gathered evidence must predate: ``--before``, else the day after the
    article's date (``--date``, or found in an HTML file's metadata or in the text:
    "Published …", a dateline), unless ``--include-later``. Says on standard error which
    date it took from the article."""
    if before is not None or settings.evidence_include_later:
        return before
    from retrieval.gather import evidence_cutoff

    html = None
    page = Path(article.source or "")
    if page.suffix.lower() in (".html", ".htm") and page.is_file():
        html = page.read_text(encoding="utf-8", errors="replace")  # its metadata: the date
    found = evidence_cutoff(article, html)
    if found is not None:
        day = found - timedelta(days=1)
        print(
            f"evidence published after the article's date ({day.isoformat()}) is left out; "
            "--include-later keeps it",
            file=sys.stderr,
        )
    return found


def evidence_exit_code(report: Report) -> int:
    """1 when an evidence source was unavailable for some claim, else 0."""
    return 1 if any(r.evidence_unavailable for r in report.claims) else 0
