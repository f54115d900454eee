"""Knowledge base at scale: a store of N passages from the shared data, its ingest
throughput against the raw embedder, peak memory, disk, and search latency.

    python -m benchmarks.bench_scale --passages 100000 [--store DIR] [--data DIR]
    python -m benchmarks.bench_scale --passages 1000000 --chroma-url http://127.0.0.1:8000

Documents come, in this order and with duplicate texts removed, from the SciFact
corpus, FEVEROUS evidence lines (grouped by Wikipedia page), WiCE cited pages, FM2
page sentences (grouped by page), VitaminC evidence (sample and official test
splits), and, when those do not reach N passages, FEVER-NLI and SufficientFacts
evidence. The first documents that reach N passages are ingested in batches of
``--batch-docs``; each batch is one source, and a batch already in the store
(``progress.json`` in the store folder) is skipped, so an interrupted run resumes.

Figures, all from the same run:

* ingest: passages/s of this run's batches (chunking, embedding passages and their
  sentences, writing, BM25 snapshot) against the raw embedder on a sample of the same
  texts, timed half before and half after the ingest. Two ratios: against the raw
  embedder on the passage texts alone (the work an ingest without sentence vectors
  does) and on the passages plus their sentences (the same work as the ingest);
* peak RSS of this process, the store's size on disk;
* BM25 snapshot: built from the records vs. loaded from disk by a new instance;
* search latency p50/p95 over SciFact dev claims (and FEVEROUS claims) for dense,
  BM25, fused, fused + sentence ranking from stored vectors, and the old path
  (sentences embedded at query time) as the baseline.

Each run writes ``runs/benchmarks/<timestamp>-scale/summary.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import numpy as np

from claims.models import Passage, SearchFilters
from claims.settings import Settings, default_data_dir
from eval.datasets import scifact
from eval.metrics import percentile
from eval.runner import new_run_folder, write_summary
from retrieval import Document, KnowledgeBase, open_knowledge_base
from retrieval.chunking import chunk_document
from retrieval.embedder import default_embedder
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.lexical import LexicalIndex, index_text
from retrieval.store import as_float32

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "runs" / "benchmarks"
COLLECTION = "scale"
WIKI_LINK = re.compile(r"\[\[[^|\]]*\|([^\]]*)\]\]")


# ------------------------------------------------------------------ documents


def _jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _pages(name: str, pages: dict[str, list[str]]) -> Iterator[Document]:
    for title, lines in pages.items():
        text = " ".join(dict.fromkeys(line.strip() for line in lines if line.strip()))
        yield Document(id=title, title=title or None, text=text, source=name)


def scifact_documents(data: Path) -> Iterator[Document]:
    for doc in scifact.read_corpus(data / "scifact"):
        yield Document(id=doc.id, title=doc.title, text=doc.text, source="scifact")


def feverous_documents(data: Path) -> Iterator[Document]:
    path = data / "feverous" / "programfc_feverous_s_dev.json"
    if not path.is_file():
        return
    pages: dict[str, list[str]] = defaultdict(list)
    for record in json.loads(path.read_text(encoding="utf-8")):
        for line in (record.get("evidence") or "").splitlines():
            title, _, sentence = line.partition("\t")
            pages[title].append(WIKI_LINK.sub(r"\1", sentence))
    yield from _pages("feverous", pages)


def wice_documents(data: Path) -> Iterator[Document]:
    for split in ("dev", "test"):
        path = data / "wice" / "data" / "entailment_retrieval" / "claim" / f"{split}.jsonl"
        for n, record in enumerate(_jsonl(path)):
            sentences = [s for s in record.get("evidence") or [] if not s.startswith("(meta")]
            yield Document(id=f"{split}-{n}", text=" ".join(sentences), source="wice")


def fm2_documents(data: Path) -> Iterator[Document]:
    pages: dict[str, list[str]] = defaultdict(list)
    for split in ("dev", "test"):
        for record in _jsonl(data / "fm2" / f"{split}.jsonl"):
            page = str(record.get("wikipedia_page") or "")
            for item in (record.get("gold_evidence") or []) + (
                record.get("retrieved_evidence") or []
            ):
                pages[page].append(str(item.get("text") or ""))
    yield from _pages("fm2", pages)


def _sentences(name: str, texts: Iterator[str]) -> Iterator[Document]:
    for text in texts:
        yield Document(id=hashlib.sha256(text.encode()).hexdigest()[:16], text=text, source=name)


def vitaminc_documents(data: Path) -> Iterator[Document]:
    paths = sorted((data / "vitaminc").glob("*.jsonl")) + [
        data / "vitaminc_official_test" / "real" / "test.jsonl",
        data / "vitaminc_official_test" / "synthetic" / "test.jsonl",
    ]
    yield from _sentences(
        "vitaminc", (str(r.get("evidence") or "") for p in paths for r in _jsonl(p))
    )


def extra_documents(data: Path) -> Iterator[Document]:
    """FEVER-NLI and SufficientFacts evidence: used only beyond the five named sets."""

    def texts() -> Iterator[str]:
        for split in ("dev", "test"):
            path = data / "fever_nli_binary" / f"{split}.tsv"
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    fields = line.split("\t")
                    if len(fields) == 3:
                        yield fields[1]
        for path in sorted((data / "sufficient_facts").glob("*_sufficient_facts.jsonl")):
            for record in _jsonl(path):
                for _title, sentence in record.get("evidence") or []:
                    yield str(sentence)

    yield from _sentences("extra", texts())


SETS: list[Callable[[Path], Iterator[Document]]] = [
    scifact_documents,
    feverous_documents,
    wice_documents,
    fm2_documents,
    vitaminc_documents,
    extra_documents,
]


def jsonl_documents(path: Path) -> Iterator[Document]:
    """A corpus of your own (one ``{id, title, text}`` per line), e.g. for a 1M store."""
    for n, record in enumerate(_jsonl(path)):
        yield Document(
            id=str(record.get("id", n)),
            title=record.get("title"),
            text=str(record.get("text") or ""),
            source=path.stem,
        )


def select_documents(
    data: Path, passages: int, corpora: list[Path] | None = None
) -> tuple[list[Document], list[Passage]]:
    """The first documents (duplicate texts removed) whose passages reach ``passages``."""
    seen: set[str] = set()
    documents: list[Document] = []
    chunks: list[Passage] = []
    readers = [partial(read, data) for read in SETS]
    readers += [partial(jsonl_documents, path) for path in corpora or []]
    for read in readers:
        for document in read():
            key = " ".join(document.text.lower().split())
            digest = hashlib.sha256(key.encode()).hexdigest()
            if not key or digest in seen:
                continue
            seen.add(digest)
            documents.append(document)
            chunks.extend(chunk_document(document))
            if len(chunks) >= passages:
                return documents, chunks
    return documents, chunks


# ------------------------------------------------------------------ ingest


def batch_source(document: Document, batch: int) -> Document:
    return document.model_copy(update={"source": f"bench-scale/{document.source}/{batch:05d}"})


def ingest(
    kb: KnowledgeBase, documents: list[Document], store: Path, batch_docs: int, budget_s: float
) -> dict[str, float]:
    """Ingest the batches not yet in the store, starting no batch after ``budget_s``
    seconds (0: no limit); figures of this run's batches only."""
    deadline = time.monotonic() + budget_s if budget_s else float("inf")
    progress_file = store / "progress.json"
    done: set[int] = set()
    if progress_file.is_file():
        done = set(json.loads(progress_file.read_text())["batches"])
    added = seconds = cpu = 0.0
    batches = range(0, len(documents), batch_docs)
    for number, lo in enumerate(batches):
        if number in done:
            continue
        if time.monotonic() > deadline:
            print(f"  ingest budget spent: stopping before batch {number + 1}", flush=True)
            break
        batch = [batch_source(d, number) for d in documents[lo : lo + batch_docs]]
        started = time.process_time()
        report = kb.ingest_documents(batch)
        cpu += time.process_time() - started
        added += report.added
        seconds += report.seconds
        done.add(number)
        progress_file.write_text(json.dumps({"batches": sorted(done)}))
        print(
            f"  batch {number + 1}/{len(batches)}: +{report.added} passages "
            f"({report.added / max(report.seconds, 1e-9):.1f}/s), "
            f"store {kb._collection.count()}",
            flush=True,
        )
    return {"ingested_now": added, "ingest_s": seconds, "ingest_cpu_s": cpu}


# ------------------------------------------------------------------ search


class QueryTimeSentences(KnowledgeBase):
    """The old path: every found passage's sentences embedded at query time."""

    def _stored_sentence_vectors(self, passages: list[Passage]) -> list[Passage]:
        return passages


def queries(data: Path, limit: int) -> list[str]:
    claims = [c.claim for c in scifact.read_claims(data / "scifact", "dev") if c.rationales]
    path = data / "feverous" / "programfc_feverous_s_dev.json"
    if path.is_file():
        claims += [r["claim"] for r in json.loads(path.read_text(encoding="utf-8"))]
    return claims[:limit]


def latencies(run: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    """Wall-clock and CPU (all threads of this process) milliseconds per query."""
    run("warm-up query")
    times, cpu = [], []
    for text in texts:
        started, cpu_started = time.perf_counter(), time.process_time()
        run(text)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return {
        "p50_ms": 1000 * (percentile(times, 50) or 0.0),
        "p95_ms": 1000 * (percentile(times, 95) or 0.0),
        "cpu_p50_ms": 1000 * (percentile(cpu, 50) or 0.0),
        "cpu_p95_ms": 1000 * (percentile(cpu, 95) or 0.0),
    }


def search_modes(kb: KnowledgeBase, baseline: KnowledgeBase, texts: list[str]) -> dict:
    embedder = kb._embedder
    filters = SearchFilters()

    def dense(text: str) -> object:
        return kb._dense(as_float32(embedder.embed([text]))[0], 20, filters)

    def bm25(text: str) -> object:
        return kb._current_snapshot().search(text, top_k=20)

    def fused(text: str) -> object:
        snapshot = kb._current_snapshot()
        dense_hits = kb._dense(as_float32(embedder.embed([text]))[0], 20, filters)
        lexical = snapshot.search(text, top_k=20)
        ranked = reciprocal_rank_fusion([[p for p, _ in dense_hits], [p for p, _ in lexical]])
        return [kb._passage(pid, snapshot) for pid, _ in ranked[:5]]

    return {
        "dense": latencies(dense, texts),
        "bm25": latencies(bm25, texts),
        "fused": latencies(fused, texts),
        "fused_sentences": latencies(lambda t: kb.search(t, top_k=5), texts),
        "fused_sentences_query_time": latencies(lambda t: baseline.search(t, top_k=5), texts),
    }


# ------------------------------------------------------------------ run


def _timed(function: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _timed_cpu(function: Callable[..., object], *args: object) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def disk_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> dict:
    embedder = default_embedder()
    started = time.perf_counter()
    documents, passages = select_documents(args.data, args.passages, args.corpus)
    figures: dict = {
        "documents": len(documents),
        "passages_selected": len(passages),
        "sentences_selected": sum(len(p.sentences) for p in passages),
        "selection_s": time.perf_counter() - started,
    }
    step = max(1, len(passages) // args.raw_sample)
    sample = passages[::step][: args.raw_sample]
    passage_texts = [index_text(p.title, p.text) for p in sample]
    all_texts = passage_texts + [s.text for p in sample for s in p.sentences]
    embedder.embed(passage_texts[:8])  # warm the session

    def raw(texts: list[str], half: int) -> np.ndarray:
        ordered = sorted(texts, key=len)  # as ingest orders them
        part = ordered[::2] if half == 0 else ordered[1::2]
        return np.array(_timed_cpu(embedder.embed, part))

    raw_passages = raw(passage_texts, 0)
    raw_all = raw(all_texts, 0)

    settings = Settings(home=args.store, collection=COLLECTION, chroma_url=args.chroma_url)
    kb = open_knowledge_base(settings, embedder)
    figures.update(ingest(kb, documents, args.store, args.batch_docs, args.ingest_budget_s))
    raw_passages += raw(passage_texts, 1)
    raw_all += raw(all_texts, 1)
    figures["peak_rss_after_ingest_mb"] = peak_rss_mb()

    n = len(passage_texts)
    figures["raw_passages_per_s"], figures["raw_passages_per_cpu_s"] = n / raw_passages
    figures["raw_with_sentences_passages_per_s"], figures["raw_with_sentences_per_cpu_s"] = (
        n / raw_all
    )
    if figures["ingested_now"]:
        rate = figures["ingested_now"] / figures["ingest_s"]
        per_cpu = figures["ingested_now"] / figures["ingest_cpu_s"]
        figures["ingest_passages_per_s"] = rate
        figures["ingest_passages_per_cpu_s"] = per_cpu
        figures["ratio_vs_raw_passages"] = rate / figures["raw_passages_per_s"]
        figures["ratio_vs_raw_same_texts"] = rate / figures["raw_with_sentences_passages_per_s"]
        figures["cpu_ratio_vs_raw_passages"] = per_cpu / figures["raw_passages_per_cpu_s"]
        figures["cpu_ratio_vs_raw_same_texts"] = per_cpu / figures["raw_with_sentences_per_cpu_s"]
    figures["store_passages"] = kb._collection.count()
    figures["store_sentences"] = kb._sentences.count()
    figures["disk_mb"] = disk_bytes(args.store) / 2**20  # a server's own disk is not counted

    fresh = open_knowledge_base(settings, embedder)
    figures["bm25_load_s"] = _timed(fresh._current_snapshot)
    figures["bm25_loads"], figures["bm25_builds"] = fresh.lexical_loads, fresh.lexical_builds
    snapshot = fresh._current_snapshot()
    figures["bm25_build_s"] = _timed(LexicalIndex, snapshot.ids, snapshot.texts, snapshot.metadatas)

    baseline = open_knowledge_base(settings, embedder)
    baseline.__class__ = QueryTimeSentences
    texts = queries(args.data, args.queries)
    figures["queries"] = len(texts)
    figures["search"] = search_modes(fresh, baseline, texts)
    figures["sentence_fallbacks"] = fresh.sentence_fallbacks
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_scale", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--passages", type=int, default=100_000, help="store size to build")
    parser.add_argument(
        "--store",
        type=Path,
        help="data directory of the store (kept; an interrupted run resumes there); "
        "default runs/scale/kb-<passages>",
    )
    parser.add_argument(
        "--chroma-url",
        help="build the store on this Chroma server (e.g. http://127.0.0.1:8000) instead "
        "of an embedded one in --store (which then keeps the progress file and BM25 cache)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        help="a JSONL corpus ({id, title, text} per line) read after the shared data, "
        "which holds only ~66k distinct passages; repeatable",
    )
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data")
    parser.add_argument("--batch-docs", type=int, default=2000, help="documents per ingest")
    parser.add_argument(
        "--ingest-budget-s",
        type=float,
        default=0.0,
        help="start no ingest batch after this many seconds (0: no limit); search is then "
        "measured on what the store holds, and a later run resumes the ingest",
    )
    parser.add_argument("--raw-sample", type=int, default=1000, help="passages for the raw timing")
    parser.add_argument("--queries", type=int, default=300, help="search queries timed")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.data / "scifact" / "corpus.jsonl").is_file():
        print(f"bench_scale: error: no SciFact corpus under {args.data}", file=sys.stderr)
        return 2
    args.store = args.store or REPO / "runs" / "scale" / f"kb-{args.passages}"
    args.store.mkdir(parents=True, exist_ok=True)
    run_dir = new_run_folder(args.out, "scale")
    f = run(args)
    write_summary(run_dir, {"arguments": {k: str(v) for k, v in vars(args).items()}, "figures": f})
    print(f"store: {f['store_passages']} passages, {f['store_sentences']} sentence vectors, "
          f"{f['disk_mb']:.0f} MB on disk ({f['documents']} documents selected)")  # fmt: skip
    print(f"raw embedder: {f['raw_passages_per_s']:.1f} passages/s; with their sentences "
          f"{f['raw_with_sentences_passages_per_s']:.1f} passages/s")  # fmt: skip
    if "ingest_passages_per_s" in f:
        print(f"ingest (this run, {f['ingested_now']:.0f} passages): "
              f"{f['ingest_passages_per_s']:.1f} passages/s; ratio vs raw passages "
              f"{f['ratio_vs_raw_passages']:.2f}, vs raw same texts {f['ratio_vs_raw_same_texts']:.2f}")  # fmt: skip
        print(f"per CPU-second (load-independent): raw {f['raw_passages_per_cpu_s']:.1f} passages, "
              f"with sentences {f['raw_with_sentences_per_cpu_s']:.1f}, ingest "
              f"{f['ingest_passages_per_cpu_s']:.1f}; ratios {f['cpu_ratio_vs_raw_passages']:.2f} "
              f"and {f['cpu_ratio_vs_raw_same_texts']:.2f}")  # fmt: skip
    print(f"peak RSS: {f['peak_rss_after_ingest_mb']:.0f} MB after ingest, "
          f"{f['peak_rss_mb']:.0f} MB at the end")  # fmt: skip
    print(f"BM25 snapshot: loaded by a new instance in {f['bm25_load_s']:.2f} s "
          f"(loads {f['bm25_loads']}, builds {f['bm25_builds']}); building it takes "
          f"{f['bm25_build_s']:.2f} s")  # fmt: skip
    for mode, t in f["search"].items():
        print(f"search {mode:28s} p50 {t['p50_ms']:6.1f} ms  p95 {t['p95_ms']:6.1f} ms  "
              f"(CPU p50 {t['cpu_p50_ms']:6.1f} ms, p95 {t['cpu_p95_ms']:6.1f} ms)")  # fmt: skip
    print(f"({f['queries']} queries; sentence fallbacks {f['sentence_fallbacks']}) -> {run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
