"""Benchmark batch checking: sequential vs local worker processes vs Ray local workers.

    python -m benchmarks.bench_batch [--articles 50] [--workers 2] [--no-ray]

Builds N articles: the example article, then news-like pages from the shared WiCE
data (the web pages Wikipedia cites; each article is the first ``--sentences``
sentences of one page). The knowledge base holds the hand-written Brics pages
(benchmarks/data/brics_kb) and the rest of each WiCE page, so claims find related
evidence. Then checks the same batch three ways, each into a fresh folder and
starting from cold (model loading counts: a batch pays it once per worker):

* sequential: ``--workers 1`` in this process;
* processes: ``--workers N`` local processes;
* ray: ``--ray local --workers N`` (skipped when Ray is not installed).

Checks that every run gives identical reports (claims, spans, verdicts, confidences,
citations, evidence ids) and prints wall times and speed-ups against the
sequential run, with the machine's load average before and after. Writes
``runs/benchmarks/<timestamp>-batch/summary.json``; nothing is asserted beyond
the identical reports.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claims.models import Article
from claims.settings import Settings, default_data_dir
from ui import batch

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLE = SHARED / "examples" / "brics-summit-kazan.txt"
BRICS_KB = REPO / "benchmarks" / "data" / "brics_kb" / "pages.jsonl"


def wice_pages(data_dir: Path, n: int) -> list[tuple[str, list[str]]]:
    """The first ``n`` distinct WiCE dev pages with at least 16 prose sentences."""
    path = data_dir / "wice" / "data" / "entailment_retrieval" / "claim" / "dev.jsonl"
    if not path.exists():
        sys.exit(f"WiCE not found at {path} (shared data lives beside the repository)")
    pages: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sentences = [s.strip() for s in row["evidence"] if _prose(s)]
        key = " ".join(sentences[:3])
        if len(sentences) < 16 or key in seen:
            continue
        seen.add(key)
        pages.append((row["meta"]["id"], sentences))
        if len(pages) == n:
            break
    return pages


def _prose(sentence: str) -> bool:
    """A sentence of running text, not a menu, date line or caption."""
    words = sentence.split()
    return 8 <= len(words) <= 60 and bool(re.search(r"[.!?][\"')]?$", sentence.strip()))


def build(n_articles: int, sentences: int, data_dir: Path) -> tuple[list[Any], list[Any]]:
    """The batch's articles and the knowledge base's documents."""
    from retrieval.loaders import load_file

    articles = [batch.BatchArticle("brics-summit-kazan", Article(text=EXAMPLE.read_text()))]
    documents = list(load_file(BRICS_KB))
    from retrieval.documents import Document

    for page_id, page in wice_pages(data_dir, n_articles - 1):
        text = " ".join(page[:sentences])
        articles.append(batch.BatchArticle(f"wice-{page_id}", Article(text=text)))
        documents.append(
            Document(
                id=page_id,
                source=f"wice:{page_id}",
                text=" ".join(page[sentences : sentences + 40]),
            )
        )
    return articles, documents


def essence(out: Path) -> dict[str, Any]:
    """What must not depend on how the batch ran: claims, verdicts, evidence, per article
    (the reports are "identical" when this is; tests/test_batch_parallel.py uses it too)."""
    found: dict[str, Any] = {}
    for row in batch.read_summary(out):
        if row["status"] != "done":
            found[row["id"]] = ("failed", row["error"])
            continue
        report = batch.read_report(out, row)
        found[row["id"]] = [
            (
                r.claim.text,
                r.claim.span.start,
                r.verdict.label if r.verdict else None,
                round(r.verdict.confidence, 6) if r.verdict else None,
                [c.text for c in r.verdict.citations] if r.verdict else None,
                [e.passage.id for e in r.evidence],
            )
            for r in report.claims
        ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--sentences", type=int, default=8, help="sentences per WiCE article")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    args = parser.parse_args(argv)

    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    articles, documents = build(args.articles, args.sentences, args.data_dir)
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    settings = Settings(home=work / "home")
    kb = open_knowledge_base(settings, default_embedder())
    kb.ingest_documents(documents)
    passages = int(kb.stats()["passages"])
    del kb
    chars = sum(len(a.article.text) for a in articles if a.article)
    print(f"{len(articles)} articles ({chars:,} chars), knowledge base {passages} passages")

    runs: list[tuple[str, dict[str, Any]]] = [
        ("sequential", {"workers": 1}),
        (f"processes x{args.workers}", {"workers": args.workers}),
    ]
    if not args.no_ray:
        if importlib.util.find_spec("ray") is None:
            print("ray not installed: pip install 'claimscope[ray]' (skipping the Ray run)")
        else:
            runs.append(
                (f"ray local x{args.workers}", {"workers": args.workers, "ray_address": "local"})
            )

    load_before = os.getloadavg()
    figures: list[dict[str, Any]] = []
    reference: dict[str, Any] | None = None
    for name, kwargs in runs:
        out = work / re.sub(r"\W+", "-", name)
        started = time.perf_counter()
        result = batch.run_batch(articles, out, settings, progress=False, **kwargs)
        seconds = time.perf_counter() - started
        found = essence(out)
        claims = sum(len(v) for v in found.values() if isinstance(v, list))
        identical = reference is None or found == reference
        reference = reference or found
        figures.append(
            {
                "run": name,
                "seconds": round(seconds, 1),
                "articles": len(result.rows),
                "failed_articles": result.n_failed_articles,
                "claims": claims,
                "identical_to_sequential": identical,
            }
        )
        print(
            f"{name:>18}: {seconds:7.1f} s, {claims} claims, "
            f"{result.n_failed_articles} failed articles, identical: {identical}"
        )
    load_after = os.getloadavg()
    base = figures[0]["seconds"]
    for figure in figures:
        figure["speed_up"] = round(base / figure["seconds"], 2)
        print(f"{figure['run']:>18}: speed-up {figure['speed_up']:.2f}x vs sequential")
    print(
        f"load average (1/5/15 min) before {load_before}, after {load_after}; {os.cpu_count()} CPUs"
    )

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = REPO / "runs" / "benchmarks" / f"{stamp}-batch"
    folder.mkdir(parents=True, exist_ok=True)
    summary = {
        "date": stamp,
        "articles": len(articles),
        "chars": chars,
        "passages": passages,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_after,
        "runs": figures,
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"written to {folder}")
    return 0 if all(f["identical_to_sequential"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
