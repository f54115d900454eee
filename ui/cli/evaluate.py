"""``claimscope eval``: run a benchmark, resume one, compare two runs, fetch or list datasets.

    claimscope eval PATH_OR_NAME [--setting open|oracle] [--limit N] [--seed S] [--out DIR]
    claimscope eval --resume RUN
    claimscope eval compare RUN_A RUN_B [--seed S] [--resamples N]
    claimscope eval fetch NAME [--data-dir DIR]
    claimscope eval list
    claimscope eval extract SET [--sensitivity S] [--date D] [--limit N] [--out DIR]

``ui/cli/main.py`` calls :func:`register` and dispatches to the ``func`` it sets.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from claims.errors import InputError
from claims.settings import Settings

USAGE = """claimscope eval PATH_OR_NAME [--setting open|oracle] [--limit N] [--seed S] [--out DIR]
       claimscope eval --resume RUN
       claimscope eval compare RUN_A RUN_B [--seed S] [--resamples N]
       claimscope eval fetch NAME [--data-dir DIR]
       claimscope eval list
       claimscope eval extract SET [--sensitivity strict|normal|all] [--date YYYY-MM-DD]
                               [--limit N] [--out DIR]"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``eval`` command to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "eval",
        help="evaluate on a benchmark (or compare two runs)",
        usage=USAGE,
        description="Run the pipeline on a labelled dataset and write per-example results, "
        "a summary, a report and plots into a run folder.",
    )
    parser.add_argument(
        "target", nargs="?", metavar="PATH_OR_NAME",
        help="a folder with claims.jsonl (+ corpus.jsonl), a known dataset name[:split], "
        "or one of: compare, fetch, list, extract",
    )  # fmt: skip
    parser.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--setting", choices=["open", "oracle"], default="open",
                        help="open: retrieve from the corpus; oracle: verify against gold evidence")  # fmt: skip
    parser.add_argument("--limit", type=int, help="a stratified, seeded sample of N examples")
    parser.add_argument("--seed", type=int, default=0, help="sample / bootstrap seed (default 0)")
    parser.add_argument(
        "--out", type=Path, default=Path("runs"), help="runs folder (default runs/)"
    )
    parser.add_argument("--resume", type=Path, metavar="RUN", help="continue an interrupted run")
    parser.add_argument("--data-dir", type=Path,
                        help="where known datasets live (default $CLAIMSCOPE_DATA_DIR or <home>/datasets)")  # fmt: skip
    parser.add_argument("--verifier", choices=["auto", "baseline", "nli"], default="auto",
                        help="auto: what the settings choose; or force an offline verifier")  # fmt: skip
    parser.add_argument(
        "--llm",
        choices=["none", "openai", "local"],
        help="offline models, an OpenAI-compatible endpoint, or the installed local LLM",
    )
    parser.add_argument("--model", help="LLM model name (with --llm openai)")
    parser.add_argument("--no-cross-check", dest="cross_check", action="store_false", default=None,
                        help="with an LLM, do not also run the offline verifier on each claim")  # fmt: skip
    parser.add_argument("--top-k", type=int, help="passages retrieved per claim (open setting)")
    parser.add_argument(
        "--prices", type=Path, help='JSON {"model": {"input": $/1M, "output": $/1M}}'
    )
    parser.add_argument("--max-corpus", type=int, metavar="N",
                        help="open setting: ingest only the sampled claims' documents plus seeded "
                        "distractors, N documents in all (for slow machines; recorded in the run)")  # fmt: skip
    parser.add_argument("--keep-kb", action="store_true", help="keep the run's Chroma store")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (compare)")
    parser.add_argument("--sensitivity", choices=["strict", "normal", "all"],
                        help="extract: the extractor's sensitivity (default: the settings')")  # fmt: skip
    parser.add_argument("--date", help="extract: the article's date for an ARTICLE.txt set")
    parser.add_argument("--base-url", help=argparse.SUPPRESS)  # fetch from a mirror (tests)
    parser.add_argument(
        "--ray", metavar="auto|local|ADDRESS",
        help="verify the claims on a Ray cluster, one actor per worker (pip install "
        "'claimscope[ray]'); the open setting needs a one-machine cluster",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="Ray actors with --ray (default 2)")
    parser.set_defaults(func=cmd_eval)
    return parser


def data_dir(args: argparse.Namespace, settings: Settings) -> Path:
    if args.data_dir is not None:
        return args.data_dir.expanduser()
    if settings.datasets_dir is not None:  # CLAIMSCOPE_DATA_DIR
        return settings.datasets_dir.expanduser()
    return settings.data_dir / "datasets"


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    if args.target == "compare":
        return cmd_compare(args)
    if args.target == "fetch":
        return cmd_fetch(args, settings)
    if args.target == "list":
        return cmd_list()
    if args.target == "extract":
        return cmd_extract(args, settings)
    if args.extra:
        raise InputError(f"unexpected arguments: {' '.join(args.extra)} (see claimscope eval -h)")
    from eval.runner import execute, read_config, start_run

    if args.resume is not None:
        if args.target is not None:
            raise InputError("give either a dataset or --resume RUN, not both")
        run_dir = args.resume
        recorded = read_config(run_dir).settings
        settings = settings.model_copy(
            update={
                k: recorded[k]
                for k in (
                    "llm",
                    "model",
                    "top_k",
                    "structured_method",
                    "cross_check",
                    "verify_prompt",
                )
                if k in recorded
            }
        )
    elif args.target is None:
        raise InputError("name a dataset or a folder (see claimscope eval -h)")
    else:
        run_dir = start_run(
            args.target, settings=settings, data_dir=data_dir(args, settings), out=args.out,
            setting=args.setting, limit=args.limit, seed=args.seed,
            verifier_choice=args.verifier, prices=_prices(args.prices), max_corpus=args.max_corpus,
        )  # fmt: skip
    print(f"run folder: {run_dir}", file=sys.stderr)
    distribute = None
    if args.ray is not None:
        from ui.batch_ray import eval_distributor

        if args.workers < 1:
            raise InputError("--workers must be at least 1")
        distribute = eval_distributor(args.ray, args.workers)
    summary = execute(
        run_dir, settings, progress=not args.no_progress, keep_kb=args.keep_kb,
        distribute=distribute,
    )  # fmt: skip
    print(headline(summary, run_dir))
    return 1 if summary["n_failed"] else 0


def headline(summary: dict[str, Any], run_dir: Path) -> str:
    """The run folder, then the task's headline figures as ``key=value`` pairs."""
    from eval import report

    keys = [key for key, _ in report.HEADLINE[report.task_of(summary)]]
    parts = [f"{k}={report.format_value(summary.get(k), digits=4)}" for k in keys]
    return f"{run_dir}\n" + "  ".join(parts)


def _prices(path: Path | None) -> dict[str, dict[str, float]] | None:
    if path is None:
        return None
    from eval.report import DEFAULT_PRICES

    try:
        table = json.loads(path.read_text(encoding="utf-8"))
        prices = {
            str(model): {"input": float(p["input"]), "output": float(p["output"])}
            for model, p in table.items()
        }
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(
            f'{path}: expected {{"model": {{"input": USD per 1M, "output": USD per 1M}}}} ({exc})'
        ) from None
    return {**DEFAULT_PRICES, **prices}


def cmd_compare(args: argparse.Namespace) -> int:
    from eval.compare import compare_runs, format_deltas

    if len(args.extra) != 2:
        raise InputError("usage: claimscope eval compare RUN_A RUN_B")
    run_a, run_b = (Path(p) for p in args.extra)
    deltas, counts = compare_runs(run_a, run_b, resamples=args.resamples, seed=args.seed)
    print(f"A: {run_a}\nB: {run_b}")
    print(format_deltas(deltas, counts))
    return 0


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from eval.datasets import fetch_dataset

    if len(args.extra) != 1:
        raise InputError("usage: claimscope eval fetch NAME [--data-dir DIR]")
    written = fetch_dataset(args.extra[0], data_dir(args, settings), base_url=args.base_url)
    for path in written:
        print(path)
    return 0


def cmd_list() -> int:
    from eval.datasets import KNOWN

    for spec in KNOWN.values():
        print(
            f"{spec.name:<16} {spec.task:<16} default split {spec.default_split:<9} {spec.description}"
        )
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """Claim extraction against gold claims: recall, precision, atomicity, unresolved share."""
    import time

    from claims.factory import build_extractor
    from eval.extraction import evaluate_extraction, summarise_documents
    from eval.extraction_sets import load_extraction_set
    from retrieval.embedder import default_embedder

    if len(args.extra) != 1:
        raise InputError(
            "usage: claimscope eval extract SET (a JSONL extraction set, ARTICLE.txt with "
            "ARTICLE.gold-claims.jsonl beside it, or wice-subclaims[:dev|test])"
        )
    name, documents = load_extraction_set(args.extra[0], data_dir(args, settings), date=args.date)
    if args.limit is not None:
        documents = documents[: args.limit]
    if args.sensitivity is not None:
        settings = settings.model_copy(update={"sensitivity": args.sensitivity})
    extractor = build_extractor(settings, default_embedder())
    results = evaluate_extraction(documents, extractor)
    summary = {
        "task": "extraction",
        "set": name,
        "extractor": extractor.name,
        "sensitivity": settings.sensitivity,
        **summarise_documents(results),
    }
    run_dir = args.out / f"{time.strftime('%Y%m%d-%H%M%S')}-extraction-{name}"
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / "documents.jsonl").open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(result.model_dump_json() + "\n")
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    keys = ("documents", "gold", "claims", "recall", "precision", "gold_per_matched_claim",
            "unresolved_share", "failed")  # fmt: skip
    print(f"{run_dir}\n" + "  ".join(f"{k}={summary[k]}" for k in keys))
    return 1 if summary["failed"] else 0
