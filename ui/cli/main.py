"""The ``claimscope`` command line.

Exit codes: 0 done; 1 some claims failed (or a model could not be reached);
2 bad input or configuration. Errors print one line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from claims.errors import ClaimscopeError, StoreError
from claims.models import Article, CrossCheck, Report, SearchFilters
from claims.redaction import redact
from claims.settings import Settings, child_environment
from ui.cli import config as config_command
from ui.cli import evaluate as eval_command
from ui.cli import models as models_command
from ui.cli import search as search_command
from ui.cli.options import setting_overrides

log = logging.getLogger("claimscope")
APP_PATH = Path(__file__).resolve().parent.parent / "app" / "main.py"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimscope",
        description="Extract checkable claims from an article and verify them against your sources.",
    )
    parser.add_argument(
        "--home", type=Path, help="data directory (default $CLAIMSCOPE_HOME or ~/.claimscope)"
    )
    parser.add_argument("--chroma-url", help="use a Chroma server instead of the embedded store")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="set any setting for this run, e.g. --set max_article_chars=50000 "
        "(repeatable; `claimscope config` lists the fields)",
    )
    parser.add_argument(
        "--env-file", type=Path, help="read settings from this dotenv file instead of ./.env"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="add files or folders to the knowledge base")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ingest.set_defaults(func=cmd_ingest)

    kb = sub.add_parser("kb", help="inspect or edit the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    kb_sub.add_parser("stats", help="passage and source counts").set_defaults(func=cmd_kb_stats)
    kb_sources = kb_sub.add_parser("sources", help="list ingested sources")
    kb_sources.add_argument(
        "--kind",
        choices=["web", "wikipedia", "fact-check"],
        help="only fetched evidence of this kind",
    )
    kb_sources.set_defaults(func=cmd_kb_sources)
    kb_sub.add_parser(
        "check", help="check that the vector index agrees with the stored passages"
    ).set_defaults(func=cmd_kb_check)
    repair = kb_sub.add_parser("repair", help="re-embed every stored passage into a fresh index")
    repair.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    repair.set_defaults(func=cmd_kb_repair)
    remove = kb_sub.add_parser("remove", help="remove a source and its passages")
    remove.add_argument("source")
    remove.set_defaults(func=cmd_kb_remove)

    check = sub.add_parser("check", help="check an article (a file, or - for standard input)")
    check.add_argument("file", metavar="FILE|-")
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
        "default: the first full date in the text",
    )
    check.set_defaults(func=cmd_check)

    app = sub.add_parser("app", help="start the Streamlit app")
    app.add_argument("--port", type=int, default=8501)
    app.add_argument("--host", default="127.0.0.1")
    app.set_defaults(func=cmd_app)

    eval_command.register(sub)
    models_command.register(sub)
    config_command.register(sub)
    search_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    settings: Settings | None = None
    try:
        settings = Settings.from_env(env_file=args.env_file, **setting_overrides(args))
        return args.func(args, settings)
    except ClaimscopeError as exc:
        print(f"claimscope: error: {error_line(str(exc), settings)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("claimscope: interrupted", file=sys.stderr)
        return 130


def configure_logging(verbose: int) -> None:
    """Warnings on stderr; -v info, -vv debug.

    The level is set on the handler too: some libraries set their own logger to
    DEBUG (bm25s does), which would otherwise reach stderr past the root level.
    Like ``basicConfig``, this leaves logging alone when the host (a test runner)
    has configured it already.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


def error_line(message: str, settings: Settings | None) -> str:
    """``message`` on one line, with the API key and other secrets redacted."""
    key = None
    if settings is not None and settings.openai_api_key is not None:
        key = settings.openai_api_key.get_secret_value()
    return redact(" ".join(message.split()), key)


def _knowledge_base(settings: Settings, *, check_index: bool = True):
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    return open_knowledge_base(settings, default_embedder(), check_index=check_index)


def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings, check_index=False)
    problem = kb.index_problem()
    if problem:
        print(f"damaged: {problem}; run `claimscope kb repair`")
        return 1
    print(f"ok: {kb.stats()['passages']} passages, the vector index agrees")
    return 0


def cmd_kb_repair(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings, check_index=False)
    count = kb.repair(progress=not args.no_progress)
    problem = kb.index_problem()
    if problem:
        raise StoreError(f"the repair did not take: {problem}")
    print(f"repaired: {count} passages re-embedded; the vector index agrees")
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings)
    report = kb.ingest_paths(args.paths, progress=not args.no_progress)
    print(report.summary())
    return 0


def cmd_kb_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = _knowledge_base(settings).stats()
    for key, value in stats.items():
        print(f"{key}: {value}")
    return 0


def cmd_kb_sources(args: argparse.Namespace, settings: Settings) -> int:
    kind = getattr(args, "kind", None)
    sources = _knowledge_base(settings).sources(kind=kind)
    if not sources:
        print(
            f"no fetched evidence of kind {kind} in the knowledge base"
            if kind
            else "the knowledge base is empty: add sources with `claimscope ingest PATH`"
        )
    for s in sources:
        published = s.get("published") or "-"
        source, title = one_line(s["source"]), one_line(s.get("title") or "")
        fetched = f"  [{s['kind']}, fetched {s['retrieved_at'][:10]}]" if s.get("kind") else ""
        print(f"{s['passages']:6d}  {published:10}  {source}  {title}{fetched}".rstrip())
    return 0


def cmd_kb_remove(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings)
    source = kb.resolve_source(args.source)  # InputError with near matches when unknown
    removed = kb.remove_source(source)
    print(f"removed {removed} passages of {source}")
    return 0


def one_line(text: str) -> str:
    """``text`` with control characters (a newline in a file name) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


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
    return Article(text=text, title=title, source=printable_name(str(path)))


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from claims.factory import build_extractor, build_question_writer, build_verifier
    from claims.manual import WithPersonClaims
    from claims.pipeline import check_article, validate_article
    from retrieval.embedder import default_embedder

    article = read_article(args.file)
    if args.date is not None:
        article = article.model_copy(update={"published": args.date})
    validate_article(article, settings.max_article_chars)  # fail fast, before loading models
    embedder = default_embedder()
    kb = _knowledge_base(settings)
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


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        "--server.address", args.host, "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    return subprocess.call(command, env=child_environment(settings))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
