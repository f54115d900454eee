"""Knowledge-base benchmark on SciFact: ingest throughput vs. the raw embedder, search
latency and evidence recall@5.

    python -m benchmarks.bench_retrieval [--data DIR] [--limit-docs N] [--raw-sample N]

The raw embedder is timed on the same chunked passage texts that ingest embeds
(a deterministic sample of them, ``--raw-sample``; 0 = all), half right before
and half right after the ingest, so both sides of the ratio see the same load. Recall@5 counts a dev claim with
gold evidence as found when a passage of one of its gold abstracts is in the top 5.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from claims.settings import Settings, default_data_dir
from retrieval import Document, open_knowledge_base
from retrieval.chunking import chunk_document
from retrieval.embedder import default_embedder
from retrieval.lexical import index_text

KEPT_COLLECTION = "scifact"  # the collection benchmarks.bench_verifier --retrieval kb reads
DEFAULT_DATA = default_data_dir() / "scifact"  # CLAIMSCOPE_DATA_DIR


def load_corpus(data: Path) -> list[Document]:
    source = str((data / "corpus.jsonl").resolve())
    documents = []
    with (data / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            documents.append(
                Document(
                    id=str(row["doc_id"]),
                    title=row["title"],
                    text=" ".join(row["abstract"]),
                    source=source,
                )
            )
    return documents


def load_dev_claims(data: Path) -> list[tuple[str, set[str]]]:
    """``(claim, gold doc ids)`` for dev claims that have gold evidence."""
    claims = []
    with (data / "claims_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("evidence"):
                claims.append((row["claim"], set(row["evidence"])))
    return claims


def limit_corpus(
    documents: list[Document], claims: list[tuple[str, set[str]]], limit: int | None
) -> list[Document]:
    """All gold abstracts plus the first others, up to ``limit`` documents."""
    if not limit or limit >= len(documents):
        return documents
    gold = set().union(*(g for _, g in claims))
    kept = [d for d in documents if d.id in gold]
    for d in documents:
        if len(kept) >= limit:
            break
        if d.id not in gold:
            kept.append(d)
    return kept


def _timed(function, *args) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    data: Path, limit_docs: int | None, raw_sample: int, keep: Path | None = None
) -> dict[str, float]:
    claims = load_dev_claims(data)
    documents = limit_corpus(load_corpus(data), claims, limit_docs)
    embedder = default_embedder()
    figures: dict[str, float] = {"documents": len(documents)}

    started = time.perf_counter()
    passages = [p for d in documents for p in chunk_document(d)]
    figures["passages"] = len(passages)
    figures["chunking_s"] = time.perf_counter() - started
    texts = [index_text(p.title, p.text) for p in passages]
    step = max(1, len(texts) // raw_sample) if raw_sample else 1
    sample = texts[::step][: raw_sample or None]
    embedder.embed(sample[:8])  # warm the session
    half = len(sample) // 2
    raw_wall, raw_cpu = _timed(embedder.embed, sample[:half])
    figures["raw_sample"] = len(sample)

    with tempfile.TemporaryDirectory(prefix="bench-kb-") as scratch:
        home = keep if keep is not None else Path(scratch)
        kb = open_knowledge_base(Settings(home=home, collection=KEPT_COLLECTION), embedder)
        if kb.stats().get("passages"):
            raise SystemExit(f"bench_retrieval: {home} already holds a knowledge base")
        cpu = time.process_time()
        report = kb.ingest_documents(documents, progress=True)
        figures["ingest_s"] = report.seconds
        figures["ingest_passages_per_s"] = report.added / report.seconds
        figures["ingest_passages_per_cpu_s"] = report.added / (time.process_time() - cpu)
        # The second half of the raw sample runs after the ingest, so a change of
        # machine load during the ingest weighs on both sides of the ratio.
        wall, cpu = _timed(embedder.embed, sample[half:])
        figures["raw_passages_per_s"] = len(sample) / (raw_wall + wall)
        figures["raw_passages_per_cpu_s"] = len(sample) / (raw_cpu + cpu)
        figures["ratio"] = figures["ingest_passages_per_s"] / figures["raw_passages_per_s"]
        figures["cpu_ratio"] = (
            figures["ingest_passages_per_cpu_s"] / figures["raw_passages_per_cpu_s"]
        )

        started = time.perf_counter()
        kb.search("warm-up query", top_k=5)  # builds the BM25 snapshot once
        figures["bm25_snapshot_s"] = time.perf_counter() - started
        latencies, cpu_times, found = [], [], 0
        for claim, gold in claims:
            started, cpu = time.perf_counter(), time.process_time()
            evidence = kb.search(claim, top_k=5)
            latencies.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
            found += any(e.passage.doc_id in gold for e in evidence)
        figures["claims"] = len(claims)
        figures["search_p50_ms"] = 1000 * statistics.median(latencies)
        figures["search_p95_ms"] = 1000 * percentile(latencies, 0.95)
        figures["search_cpu_p50_ms"] = 1000 * statistics.median(cpu_times)
        figures["search_cpu_p95_ms"] = 1000 * percentile(cpu_times, 0.95)
        figures["recall_at_5"] = found / len(claims)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_retrieval", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="SciFact folder (corpus.jsonl, claims_dev.jsonl)",
    )
    parser.add_argument(
        "--limit-docs", type=int, help="ingest only this many abstracts (gold ones first)"
    )
    parser.add_argument(
        "--raw-sample", type=int, default=2000, help="passages timed on the raw embedder (0: all)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="ingest into this (empty) data directory and keep it, e.g. runs/nli/kb-scifact "
        "for `python -m benchmarks.bench_verifier --retrieval kb`",
    )
    args = parser.parse_args(argv)
    if not (args.data / "corpus.jsonl").is_file():
        print(f"bench_retrieval: error: no SciFact corpus at {args.data}", file=sys.stderr)
        return 2
    f = run(args.data, args.limit_docs, args.raw_sample, args.keep)
    print(
        f"corpus: {f['documents']:.0f} abstracts -> {f['passages']:.0f} passages (chunking {f['chunking_s']:.1f} s)"
    )
    print(
        f"raw embedder: {f['raw_passages_per_s']:.1f} passages/s (on {f['raw_sample']:.0f} of those passages)"
    )
    print(f"ingest: {f['ingest_passages_per_s']:.1f} passages/s ({f['ingest_s']:.1f} s)")
    print(f"ingest / raw embedder: {f['ratio']:.2f} (goal >= 0.8)")
    print(f"per CPU-second (load-independent): raw {f['raw_passages_per_cpu_s']:.1f}, "
          f"ingest {f['ingest_passages_per_cpu_s']:.1f} passages, ratio {f['cpu_ratio']:.2f}")  # fmt: skip
    print(f"search latency over {f['claims']:.0f} dev claims: p50 {f['search_p50_ms']:.0f} ms, "
          f"p95 {f['search_p95_ms']:.0f} ms (BM25 snapshot built once in {f['bm25_snapshot_s']:.1f} s)")  # fmt: skip
    print(
        f"search CPU time per query: p50 {f['search_cpu_p50_ms']:.0f} ms, p95 {f['search_cpu_p95_ms']:.0f} ms"
    )
    print(f"evidence recall@5 (gold abstract in top 5): {f['recall_at_5']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
