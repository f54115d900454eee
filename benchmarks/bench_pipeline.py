"""Benchmark `claimscope check` on the example article, offline, cold and warm.

    python -m benchmarks.bench_pipeline [--article PATH] [--kb-docs N]
    python -m benchmarks.bench_pipeline --pages benchmarks/data/brics_kb/pages.jsonl

Builds a knowledge base from the first N SciFact abstracts (a store of
realistic size; their topics are unrelated to the article, so this measures
time, not verdict quality; the verifier reads only sentences about a claim, so
few are read), or with ``--pages`` from a JSONL of pages on the article's topics
(a small store where most sentences are about the claims: the verifier's
heavier case), then:

* cold: a fresh `claimscope check --json` process (imports, model loading, check);
* warm: `check_article` run again in this process with every model loaded.

Prints the figures and writes them under ``runs/benchmarks/<timestamp>-pipeline/``
(``examples.jsonl``: one line per timed check; ``summary.json``); nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from claims.settings import Settings, child_environment, default_data_dir

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def _build_kb(home: Path, corpus: Path, n_docs: int) -> int:
    from eval.datasets import scifact
    from eval.runner import corpus_documents
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    abstracts = scifact.read_corpus(corpus.parent)[:n_docs]
    kb = open_knowledge_base(Settings(home=home), default_embedder())
    kb.ingest_documents(corpus_documents(abstracts, "scifact"))
    return int(kb.stats()["passages"])


def _build_kb_from_pages(home: Path, pages: Path) -> int:
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    kb = open_knowledge_base(Settings(home=home), default_embedder())
    kb.ingest_paths([pages], progress=False)
    return int(kb.stats()["passages"])


class Timing(BaseModel):
    """One timed check of the article: the cold process or a warm call."""

    run: str
    seconds: float
    claims: int


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--article", type=Path, default=SHARED / "examples" / "brics-summit-kazan.txt"
    )
    parser.add_argument(
        "--corpus", type=Path, default=default_data_dir() / "scifact" / "corpus.jsonl"
    )
    parser.add_argument("--kb-docs", type=int, default=1000)
    parser.add_argument(
        "--pages", type=Path, default=None, help="a pages JSONL to ingest instead of SciFact"
    )
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "benchmarks")
    args = parser.parse_args(argv)
    for path in (args.article, args.pages or args.corpus):
        if not path.exists():
            print(f"missing input: {path}", file=sys.stderr)
            return 2

    home = Path(tempfile.mkdtemp(prefix="claimscope-bench-"))
    if args.pages is not None:
        passages = _build_kb_from_pages(home, args.pages)
        print(f"knowledge base: {args.pages}, {passages} passages")
    else:
        passages = _build_kb(home, args.corpus, args.kb_docs)
        print(f"knowledge base: {args.kb_docs} SciFact abstracts, {passages} passages")

    env = child_environment(Settings.from_env(home=home, llm="none"))  # offline, this store
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "ui.cli.main", "check", str(args.article), "--json"],
        env=env, capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    cold = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
        return 1
    n_claims = len(json.loads(proc.stdout)["claims"])

    from claims.factory import build_extractor, build_verifier
    from claims.models import Article
    from claims.pipeline import check_article
    from eval.runner import append_jsonl, new_run_folder, write_summary
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    run_dir = new_run_folder(args.out, "pipeline")
    write = append_jsonl(run_dir / "examples.jsonl")
    write(Timing(run="cold", seconds=cold, claims=n_claims))
    settings = Settings(home=home)
    embedder = default_embedder()
    parts = {
        "extractor": build_extractor(settings, embedder),
        "retriever": open_knowledge_base(settings, embedder),
        "verifier": build_verifier(settings, embedder),
    }
    article = Article(text=args.article.read_text(encoding="utf-8"))
    check_article(article, settings=settings, **parts)  # load everything once
    warm = []
    for _ in range(args.warm_runs):
        t0 = time.perf_counter()
        report = check_article(article, settings=settings, **parts)
        warm.append(time.perf_counter() - t0)
        write(Timing(run=f"warm-{len(warm)}", seconds=warm[-1], claims=len(report.claims)))
    print(f"article: {args.article.name}, {len(article.text)} chars, {n_claims} claims")
    print(f"extractor {report.extractor}, verifier {report.verifier}, cpus {os.cpu_count()}")
    print(f"cold `claimscope check` process: {cold:.2f} s")
    print(f"warm check_article: median {statistics.median(warm):.2f} s over {len(warm)} runs")
    print(f"warm / cold ratio: {statistics.median(warm) / cold:.2f}")
    figures = {
        "article": args.article.name, "article_chars": len(article.text), "claims": n_claims,
        "extractor": report.extractor, "verifier": report.verifier, "cpus": os.cpu_count(),
        "kb_docs": args.kb_docs, "kb_passages": passages, "cold_s": cold,
        "warm_median_s": statistics.median(warm), "warm_runs": len(warm),
    }  # fmt: skip
    write_summary(run_dir, {"arguments": vars(args), "figures": figures})
    print(f"results: {run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
