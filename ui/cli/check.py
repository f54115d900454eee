"""``claimscope check``: extract the claims of an article and verify each one."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from claims.errors import InputError
from claims.models import Article, CrossCheck, Report, SearchFilters
from claims.settings import Settings
from ui.cli import search as search_command
from ui.cli.kb import knowledge_base
from ui.cli.options import one_line

log = logging.getLogger("claimscope")


def register(sub: Any) -> None:
    """Add ``check`` to the CLI's subparsers."""
    check = sub.add_parser(
        "check",
        help="check an article (a file, or - for standard input), or a batch of them",
        description="Check one article and print its report, or check a batch (several "
        "files, a folder, or --batch articles.jsonl) into --out DIR: one report per article "
        "plus summary.jsonl and summary.csv. See docs/cli.md.",
    )
    check.add_argument("files", nargs="*", metavar="FILE|-|FOLDER")
    check.add_argument("--json", action="store_true", help="print the full report as JSON")
    check.add_argument("--top-k", type=int, help="passages retrieved per claim")
    check.add_argument(
        "--before", type=date.fromisoformat, help="only evidence published before YYYY-MM-DD"
    )
    check.add_argument("--source", help="only evidence from this source")
    check.add_argument(
        "--search",
        metavar="SOURCES",
        help="also gather evidence per claim from web, wikipedia, factchecks (comma-separated); "
        "found pages are stored in the knowledge base",
    )
    check.add_argument(
        "--include-later",
        dest="include_later",
        action="store_true",
        default=None,
        help="with --search and --before, keep evidence published after that date",
    )
    check.add_argument(
        "--llm",
        choices=["none", "openai", "local"],
        help="offline models, an OpenAI-compatible endpoint, or the installed local LLM",
    )
    check.add_argument("--model", help="LLM model name (with --llm openai)")
    check.add_argument(
        "--no-cross-check",
        dest="cross_check",
        action="store_false",
        default=None,
        help="with an LLM, skip the offline verifier's second opinion on each verdict",
    )
    check.add_argument(
        "--sensitivity",
        choices=["strict", "normal", "all"],
        help="offline extraction: strict, normal (default, news) or all claims the rules find",
    )
    check.add_argument(
        "--claim",
        dest="claims",
        action="append",
        default=[],
        metavar="TEXT",
        help="also check this claim, marked as added by a person (repeatable)",
    )
    check.add_argument(
        "--date",
        type=date.fromisoformat,
        help="the article's date (YYYY-MM-DD), for dates like 'on Oct 24'; "
        "default: the article's own date in its text (a 'Published ...' line, a dateline, "
        "a date on a line of its own; for an HTML file also its metadata)",
    )
    batch = check.add_argument_group("batch checking")
    batch.add_argument(
        "--batch",
        type=Path,
        metavar="ARTICLES.jsonl",
        help='check every article of a JSONL file: {"id", "text"[, "title", "url", "date"]}',
    )
    batch.add_argument(
        "--out", type=Path, metavar="DIR", help="write the batch's reports and summary here"
    )
    batch.add_argument(
        "--workers", type=int, default=1, help="articles checked in parallel (default 1)"
    )
    batch.add_argument(
        "--resume",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip the articles DIR already has reports for (default: on when DIR holds a "
        "batch manifest); --no-resume starts over",
    )
    batch.add_argument(
        "--ray",
        metavar="auto|local|ADDRESS",
        help="run the batch's workers on a Ray cluster (pip install 'claimscope[ray]'); "
        "a cluster of several machines needs --chroma-url",
    )
    batch.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    check.set_defaults(func=cmd_check)


def read_article(spec: str, stdin: TextIO | None = None) -> Article:
    """The article at ``spec`` (a path, or ``-`` for standard input)."""
    if spec == "-":
        from retrieval.loaders import decode_text

        stream = stdin or sys.stdin
        buffer = getattr(stream, "buffer", None)
        # Standard input goes through the same decoding checks as a file: binary data,
        # invalid UTF-8 and NUL bytes are refused; UTF-16/32 with a byte-order mark is read.
        data = buffer.read() if buffer is not None else stream.read().encode("utf-8")
        return Article(text=decode_text(data, "standard input"), source="<stdin>")
    from retrieval.loaders import load_file, printable_name

    path = Path(spec)
    documents = load_file(path)
    text = "\n\n".join(d.text for d in documents)
    title = documents[0].title if documents else None
    published = documents[0].published if documents else None  # an HTML page's own date
    return Article(text=text, title=title, published=published, source=printable_name(str(path)))


def is_batch(args: argparse.Namespace) -> bool:
    """A batch: several inputs, a folder, a JSONL of articles, or any batch option."""
    if args.batch is not None or args.out is not None or args.ray is not None:
        return True
    return len(args.files) != 1 or (args.files[0] != "-" and Path(args.files[0]).is_dir())


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    if is_batch(args):
        return cmd_check_batch(args, settings)
    args.file = args.files[0]
    return cmd_check_one(args, settings)


def cmd_check_batch(args: argparse.Namespace, settings: Settings) -> int:
    from ui import batch

    if not args.files and args.batch is None:
        raise InputError("give an article file (- for standard input), files, a folder or --batch")
    if args.out is None:
        raise InputError("a batch writes one report per article: give --out DIR")
    for flag, given in (
        ("--json", args.json),
        ("--claim", args.claims),
        ("--date", args.date),
        ("- (standard input)", "-" in args.files),
    ):
        if given:
            raise InputError(f"{flag} applies to one article, not to a batch")
    articles = batch.articles_from_paths([Path(f) for f in args.files]) if args.files else []
    if args.batch is not None:
        articles += batch.articles_from_jsonl(args.batch)
    result = batch.run_batch(
        articles,
        args.out,
        settings,
        options=batch.CheckOptions(before=args.before, source=args.source),
        workers=args.workers,
        resume=args.resume,
        ray_address=args.ray,
        progress=not args.no_progress,
    )
    failed = result.n_failed_articles
    print(
        f"{len(result.rows)} articles ({result.checked} checked, {result.skipped} already done), "
        f"{failed} failed, {result.n_failed_claims} claims failed; "
        f"summary in {one_line(str(args.out / batch.SUMMARY_CSV))}"
    )
    for row in result.rows:
        if row["status"] == "failed":
            print(f"  FAILED {one_line(row['id'])}: {one_line(row['error'])}")
    return result.exit_code


def cmd_check_one(args: argparse.Namespace, settings: Settings) -> int:
    from claims.factory import build_extractor, build_question_writer, build_verifier
    from claims.manual import WithPersonClaims
    from claims.pipeline import check_article, validate_article
    from retrieval.embedder import default_embedder

    article = read_article(args.file)
    if args.date is not None:
        article = article.model_copy(update={"published": args.date})
    validate_article(article, settings.max_article_chars)  # fail fast, before loading models
    embedder = default_embedder()
    kb = knowledge_base(settings)
    gatherer = None
    if settings.evidence_sources:
        from retrieval.gather import EvidenceGatherer
        from retrieval.sources import build_sources

        gatherer = EvidenceGatherer(
            kb,
            build_sources(settings, settings.evidence_sources),
            settings,
            before=search_command.cutoff(article, args.before, settings),
            questions=build_question_writer(settings),
        )
    elif not kb.stats().get("passages"):
        log.warning(
            "the knowledge base is empty: every claim will lack evidence (see `claimscope ingest`)"
        )
    # A --source the store doesn't hold would silently filter out every passage.
    source = kb.resolve_source(args.source) if args.source else None
    report = check_article(
        article,
        extractor=WithPersonClaims(build_extractor(settings, embedder), args.claims),
        retriever=gatherer or kb,
        verifier=build_verifier(settings, embedder),
        settings=settings,
        filters=SearchFilters(published_before=args.before, source=source),
    )
    evidence_code = 0
    if gatherer is not None:
        report = gatherer.annotate(report)
        gatherer.close()
        evidence_code = search_command.evidence_exit_code(report)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print_report(report)
    return 1 if report.n_failed else evidence_code


def print_report(report: Report, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    print(
        f"{len(report.claims)} claims · extractor {report.extractor} · verifier {report.verifier}",
        file=out,
    )
    for number, result in enumerate(report.claims, start=1):
        claim = result.claim
        if result.failure is not None:
            head = (
                f"FAILED ({result.failure.stage}: {result.failure.error}: {result.failure.message})"
            )
        else:
            head = f"{result.verdict.label.value} ({result.verdict.confidence:.2f})"
        print(f"\n[{number}] {head}", file=out)
        where = (
            "added by a person"
            if claim.added_by == "person"
            else f"chars {claim.span.start}-{claim.span.end}"
        )
        flags = ", needs context" if claim.needs_context else ""
        print(
            f"    claim: {claim.text}  [{where}, "
            f"{claim.kind.value}, check-worthiness {claim.checkworthiness:.2f}{flags}]",
            file=out,
        )
        if result.verdict is not None:
            if result.verdict.rationale:
                print(f"    why:   {result.verdict.rationale}", file=out)
            for citation in result.verdict.citations:
                where = citation.title or citation.source or citation.passage_id
                print(f'    quote: "{citation.text}" ({citation.stance}; {where})', file=out)
            if result.verdict.cross_check is not None:
                print(f"    cross-check: {cross_check_text(result.verdict.cross_check)}", file=out)
        search_command.print_evidence(result, out)
    disagree = [n for n, r in enumerate(report.claims, 1) if r.cross_check_disagrees]
    if disagree:
        print(
            f"\nthe offline cross-check disagrees on claims {', '.join(map(str, disagree))}: review those first",
            file=out,
        )
    flagged = [n for n, r in enumerate(report.claims, 1) if r.fact_check_disagrees]
    if flagged:
        print(
            f"\na published fact-check disagrees on claims {', '.join(map(str, flagged))}: review those",
            file=out,
        )
    unavailable = sum(1 for r in report.claims if r.evidence_unavailable)
    if unavailable:
        print(
            f"\nan evidence source was unavailable for {unavailable} of {len(report.claims)} claims "
            "(see the notes); their verdicts rest on the knowledge base alone",
            file=out,
        )
    if report.n_failed:
        print(
            f"\n{report.n_failed} of {len(report.claims)} claims failed (shown as FAILED, not as verdicts)",
            file=out,
        )


def cross_check_text(check: CrossCheck) -> str:
    """One line: the second verifier's label and whether it agrees, or why it failed."""
    if check.failure is not None:
        return f"FAILED ({check.failure.error}: {check.failure.message}) [{check.verifier}]"
    agreement = "agrees" if check.agrees else "DISAGREES"
    return f"{check.label.value} ({check.confidence:.2f}), {agreement} [{check.verifier}]"
