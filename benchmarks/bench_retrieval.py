"""Knowledge-base benchmark on SciFact: ingest throughput vs. the raw embedder, search
latency and evidence recall@5.

    python -m benchmarks.bench_retrieval [--data DIR] [--limit-docs N] [--raw-sample N] [--out DIR]

The raw embedder is timed on the same chunked passage texts that ingest embeds
(a deterministic sample of them, ``--raw-sample``; 0 = all), half right before
and half right after the ingest, so both sides of the ratio see the same load. Recall@5 counts a dev claim with
gold evidence as found when a passage of one of its gold abstracts is in the top 5.

Each run writes ``runs/benchmarks/<timestamp>-retrieval/``: ``examples.jsonl``
(one line per dev claim: gold and retrieved abstracts, found, latency) and
``summary.json`` (every figure printed, plus the command's arguments).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from claims.settings import Settings, default_data_dir
from eval.datasets import scifact
from eval.metrics import percentile
from eval.runner import append_jsonl, corpus_documents, new_run_folder, write_summary
from retrieval import Document, open_knowledge_base
from retrieval.chunking import chunk_document
from retrieval.embedder import default_embedder
from retrieval.lexical import index_text

REPO = Path(__file__).resolve().parent.parent
KEPT_COLLECTION = "scifact"  # the collection benchmarks.bench_verifier --retrieval kb reads
DEFAULT_DATA = default_data_dir() / "scifact"  # CLAIMSCOPE_DATA_DIR
DEFAULT_OUT = REPO / "runs" / "benchmarks"


class Example(BaseModel):
    """One dev claim's search: what was gold, what came back, how long it took."""

    id: str
    claim: str
    gold_doc_ids: list[str]
    retrieved_doc_ids: list[str]
    found: bool
    latency_s: float
    cpu_s: float


def load_corpus(data: Path) -> list[Document]:
    """The SciFact abstracts as knowledge-base documents (bench_verifier's KB uses them too)."""
    return corpus_documents(scifact.read_corpus(data), str((data / "corpus.jsonl").resolve()))


def load_dev_claims(data: Path) -> list[scifact.SciFactClaim]:
    """The dev claims that have gold evidence."""
    return [claim for claim in scifact.read_claims(data, "dev") if claim.rationales]


def limit_corpus(
    documents: list[Document], claims: list[scifact.SciFactClaim], limit: int | None
) -> list[Document]:
    """All gold abstracts plus the first others, up to ``limit`` documents."""
    if not limit or limit >= len(documents):
        return documents
    gold = {doc_id for claim in claims for doc_id in claim.gold_doc_ids}
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


def run(
    data: Path,
    limit_docs: int | None,
    raw_sample: int,
    keep: Path | None = None,
    examples: Path | None = None,
) -> dict[str, float]:
    """Every figure; with ``examples``, one JSON line per dev claim appended there."""
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
        write = append_jsonl(examples) if examples is not None else None
        results = []
        for claim in claims:
            started, cpu = time.perf_counter(), time.process_time()
            evidence = kb.search(claim.claim, top_k=5)
            latency, cpu_s = time.perf_counter() - started, time.process_time() - cpu
            retrieved = list(dict.fromkeys(e.passage.doc_id for e in evidence))
            result = Example(
                id=claim.id, claim=claim.claim, gold_doc_ids=claim.gold_doc_ids,
                retrieved_doc_ids=retrieved, found=bool(set(retrieved) & set(claim.gold_doc_ids)),
                latency_s=latency, cpu_s=cpu_s,
            )  # fmt: skip
            results.append(result)
            if write is not None:
                write(result)
        latencies = [r.latency_s for r in results]
        cpu_times = [r.cpu_s for r in results]
        figures["claims"] = len(results)
        figures["search_p50_ms"] = 1000 * (percentile(latencies, 50) or 0.0)
        figures["search_p95_ms"] = 1000 * (percentile(latencies, 95) or 0.0)
        figures["search_cpu_p50_ms"] = 1000 * (percentile(cpu_times, 50) or 0.0)
        figures["search_cpu_p95_ms"] = 1000 * (percentile(cpu_times, 95) or 0.0)
        figures["recall_at_5"] = sum(r.found for r in results) / len(results)
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
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="folder for the run's examples.jsonl and summary.json (default: runs/benchmarks)",
    )
    args = parser.parse_args(argv)
    if not (args.data / "corpus.jsonl").is_file():
        print(f"bench_retrieval: error: no SciFact corpus at {args.data}", file=sys.stderr)
        return 2
    run_dir = new_run_folder(args.out, "retrieval")
    f = run(args.data, args.limit_docs, args.raw_sample, args.keep, run_dir / "examples.jsonl")
    write_summary(run_dir, {"arguments": vars(args), "figures": f})
    print(
        f"corpus: {f['documents']:.0f} abstracts -> {f['passages']:.0f} passages (chunking {f['chunking_s']:.1f} s)"
    )
    print(
        f"raw embedder: {f['raw_passages_per_s']:.1f} passages/s (on {f['raw_sample']:.0f} of those passages)"
    )
    print(f"ingest: {f['ingest_passages_per_s']:.1f} passages/s ({f['ingest_s']:.1f} s)")
    print(
        f"ingest / raw embedder: {f['ratio']:.2f} (goal >= 0.8 before sentence vectors; "
        "ingest now also embeds each passage's sentences: see benchmarks.bench_scale)"
    )
    print(f"per CPU-second (load-independent): raw {f['raw_passages_per_cpu_s']:.1f}, "
          f"ingest {f['ingest_passages_per_cpu_s']:.1f} passages, ratio {f['cpu_ratio']:.2f}")  # fmt: skip
    print(f"search latency over {f['claims']:.0f} dev claims: p50 {f['search_p50_ms']:.0f} ms, "
          f"p95 {f['search_p95_ms']:.0f} ms (BM25 snapshot built once in {f['bm25_snapshot_s']:.1f} s)")  # fmt: skip
    print(
        f"search CPU time per query: p50 {f['search_cpu_p50_ms']:.0f} ms, p95 {f['search_cpu_p95_ms']:.0f} ms"
    )
    print(f"evidence recall@5 (gold abstract in top 5): {f['recall_at_5']:.3f}")
    print(f"per-claim results and summary: {run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
