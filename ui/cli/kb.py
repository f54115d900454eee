"""``claimscope ingest`` and ``claimscope kb``: fill, inspect and mend the knowledge base."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from claims.errors import StoreError
from claims.settings import Settings
from ui.cli.options import one_line


def register(sub: Any) -> None:
    """Add ``ingest`` and ``kb`` to the CLI's subparsers."""
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


def knowledge_base(settings: Settings, *, check_index: bool = True):
    """The store ``settings`` name, with the default embedder (imported late: models are slow)."""
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    return open_knowledge_base(settings, default_embedder(), check_index=check_index)


def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    kb = knowledge_base(settings, check_index=False)
    problem = kb.index_problem()
    if problem:
        print(f"damaged: {problem}; run `claimscope kb repair`")
        return 1
    print(f"ok: {kb.stats()['passages']} passages, the vector index agrees")
    return 0


def cmd_kb_repair(args: argparse.Namespace, settings: Settings) -> int:
    kb = knowledge_base(settings, check_index=False)
    count = kb.repair(progress=not args.no_progress)
    problem = kb.index_problem()
    if problem:
        raise StoreError(f"the repair did not take: {problem}")
    print(f"repaired: {count} passages re-embedded; the vector index agrees")
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    kb = knowledge_base(settings)
    report = kb.ingest_paths(args.paths, progress=not args.no_progress)
    print(report.summary())
    return 0


def cmd_kb_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = knowledge_base(settings).stats()
    for key, value in stats.items():
        print(f"{key}: {value}")
    return 0


def cmd_kb_sources(args: argparse.Namespace, settings: Settings) -> int:
    kind = getattr(args, "kind", None)
    sources = knowledge_base(settings).sources(kind=kind)
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
    kb = knowledge_base(settings)
    source = kb.resolve_source(args.source)  # InputError with near matches when unknown
    removed = kb.remove_source(source)
    print(f"removed {removed} passages of {source}")
    return 0
