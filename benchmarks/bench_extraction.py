"""Claim extraction benchmark: the offline extractor against a fact-checker's gold list.

    python -m benchmarks.bench_extraction [--examples DIR] [--date YYYY-MM-DD]
        [--sensitivity strict|normal|all] [--out runs/DIR]

Reads ``brics-summit-kazan.txt`` and ``brics-summit-kazan.gold-claims.jsonl`` from
``--examples`` (default: ``shared/examples`` beside the repository) and reports,
by the matching rule of :mod:`eval.extraction` (a gold claim is found when an
extracted claim rests on its sentence and holds at least 60% of its content
lemmas):

- recall: gold claims found / gold claims;
- precision: extracted claims that cover a gold claim or lie within one (60% of
  their own content lemmas in a gold claim on their sentence) / claims, and
  ``precision_matched``: claims that cover at least one whole gold claim / claims;
- atomicity: gold claims per matched extracted claim (1.0 = one fact per claim);
- claims marked ``needs_context`` by the extractor, and claims an independent
  pattern flags as holding an unresolved pronoun or bare definite description;
- warm extraction time (median of ``--repeat`` runs after one warm-up run), its CPU
  time (all threads of the process) and the machine's load average.

Writes ``gold.jsonl`` (one line per gold claim), ``claims.jsonl`` (one line per
extracted claim) and ``summary.json`` under ``--out``.

``--set FILE.jsonl`` measures your own documents instead (the generic format of
:mod:`eval.extraction`: ``id``, ``text``, optional ``date``, gold ``claims`` with
optional ``anchor`` spans) and writes ``documents.jsonl`` + ``summary.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

from claims.models import Article
from eval.extraction import extraction_summary, match_claims, read_article_with_gold

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EXAMPLES = REPO.parent / "shared" / "examples"
ARTICLE = "brics-summit-kazan"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES)
    parser.add_argument("--date", default="2024-10-24", help="the article's publication date")
    parser.add_argument("--sensitivity", default=None, choices=["strict", "normal", "all"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "bench_extraction")
    parser.add_argument("--set", type=Path, help="a JSONL extraction set instead of the example")
    args = parser.parse_args(argv)
    if args.set is not None:
        return _run_set(args)

    doc = read_article_with_gold(
        args.examples / f"{ARTICLE}.txt",
        args.examples / f"{ARTICLE}.gold-claims.jsonl",
        date=args.date,
    )
    from claims.extract_offline import OfflineExtractor
    from retrieval.embedder import default_embedder

    options = {} if args.sensitivity is None else {"sensitivity": args.sensitivity}
    extractor = OfflineExtractor(default_embedder(), **options)
    article = _article(doc.text, args.date)
    extractor.extract(article)  # warm-up: loads spaCy, the embedder session
    times, cpu = [], []
    for _ in range(max(1, args.repeat)):
        started, started_cpu = time.perf_counter(), time.process_time()
        extraction = extractor.extract(article)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    matches, results = match_claims(doc.claims, extraction.claims)
    summary = {
        "article": ARTICLE,
        "extractor": extractor.name,
        "sensitivity": args.sensitivity or "default",
        **extraction_summary(matches, results),
        "warm_seconds": round(statistics.median(times), 3),
        # CPU seconds of this process (all its threads): less sensitive to other jobs
        "warm_cpu_seconds": round(statistics.median(cpu), 3),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(args.out / "gold.jsonl", [m.model_dump() for m in matches])
    _write_jsonl(args.out / "claims.jsonl", [r.model_dump() for r in results])
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    _print(summary, matches, results)
    return summary


def _run_set(args: argparse.Namespace) -> dict:
    from claims.extract_offline import OfflineExtractor
    from eval.extraction import evaluate_extraction, read_extraction_set, summarise_documents
    from retrieval.embedder import default_embedder

    options = {} if args.sensitivity is None else {"sensitivity": args.sensitivity}
    extractor = OfflineExtractor(default_embedder(), **options)
    results = evaluate_extraction(read_extraction_set(args.set), extractor)
    summary = {"set": str(args.set), "extractor": extractor.name, **summarise_documents(results)}
    args.out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(args.out / "documents.jsonl", [r.model_dump(mode="json") for r in results])
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1))
    return summary


def _article(text: str, published: str | None) -> Article:
    fields = Article.model_fields
    if published and "published" in fields:
        return Article(text=text, published=date.fromisoformat(published))
    return Article(text=text)


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _print(summary: dict, matches, results) -> None:
    for r in results:
        flags = ("C" if r.needs_context else " ") + ("U" if r.unresolved_reference else " ")
        print(f"[{r.gold_covered}{flags}] {r.text}")
    print("--- missed gold claims")
    for m in matches:
        if not m.found:
            print(f"  ({m.coverage:.2f}) {m.gold}\n        best: {m.claim}")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
