"""Evidence on demand, measured against the loopback provider server (nothing leaves the machine).

    python -m benchmarks.bench_evidence [--out DIR] [--padding-kb 200] [--page-delay-s 0.2]

Three figures (issue #14's goals):

1. **coverage**: of the example article's 40 gold claims
   (``../shared/examples/brics-summit-kazan.gold-claims.jsonl``), the share with at least one
   relevant document fetched into the knowledge base for it, gathering from the
   SearXNG-shaped server over ``benchmarks/data/evidence_corpus.jsonl`` (17 pages of our
   own text; each page lists the gold claims it is relevant to), with the article's date
   as the cut-off. Also: the share whose top-5 evidence holds a relevant page.
2. **added time for 20 claims**: 20 claims gathered as the pipeline does (4 claims at a
   time, 4 parallel fetches, pages of ``--padding-kb`` HTML served after
   ``--page-delay-s``), minus the same 20 knowledge-base searches without gathering.
3. **every provider failing**: ``claimscope check ARTICLE --search web,wikipedia,factchecks``
   against a server whose every API answers 503: it finishes, every claim carries the
   note, and the exit code is 1.

Writes ``runs/benchmarks/<timestamp>-evidence/``: ``examples.jsonl`` (one line per gold
claim) and ``summary.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from claims.settings import Settings
from eval.runner import append_jsonl, new_run_folder, write_summary
from retrieval import open_knowledge_base
from retrieval.embedder import default_embedder
from retrieval.gather import EvidenceGatherer
from retrieval.sources import build_sources

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the loopback server lives with the tests
from tests.evidence_server import KEY, EvidenceServer, load_corpus  # noqa: E402

EXAMPLES = REPO.parent / "shared" / "examples"
ARTICLE = EXAMPLES / "brics-summit-kazan.txt"
GOLD = EXAMPLES / "brics-summit-kazan.gold-claims.jsonl"
ARTICLE_DATE = date(2024, 10, 25)  # the article is of 24 October 2024: evidence before the 25th
DEFAULT_OUT = REPO / "runs" / "benchmarks"


class Example(BaseModel):
    index: int
    claim: str
    relevant: list[str]
    available: list[str]  # found pages that are in the store for this claim (fetched now or before)
    retrieved: list[str]  # top-5 evidence pages
    covered: bool
    retrieved_relevant: bool
    notes: list[str]
    seconds: float


def settings_for(server: EvidenceServer, home: Path, **overrides: object) -> Settings:
    return Settings.from_env(
        {},
        home=home,
        searxng_url=f"{server.url}/searxng",
        wikipedia_url=f"{server.url}/wiki",
        factcheck_url=f"{server.url}/factcheck",
        factcheck_api_key=KEY,
        fetch_allow_loopback=True,
        **overrides,
    )


def coverage(server: EvidenceServer, claims: list[str], out: Path) -> dict[str, float]:
    relevant = {i: [] for i in range(len(claims))}
    for page in load_corpus():
        for index in page["covers"]:
            relevant[index].append(server.page_url(page))
    write = append_jsonl(out / "examples.jsonl")
    with tempfile.TemporaryDirectory() as home:
        settings = settings_for(server, Path(home))
        kb = open_knowledge_base(settings, default_embedder())
        gatherer = EvidenceGatherer(
            kb, build_sources(settings, "web"), settings, before=ARTICLE_DATE
        )
        covered = retrieved_ok = 0
        for index, claim in enumerate(claims):
            started = time.perf_counter()
            evidence = gatherer.search(claim, top_k=5)
            gathered = gatherer.gathered(claim)
            assert gathered is not None
            stored = {row["source"] for row in kb.sources(kind="web")}
            available = sorted({f.url for f in gathered.found} & stored)
            retrieved = [e.passage.url or e.passage.source for e in evidence]
            example = Example(
                index=index,
                claim=claim,
                relevant=relevant[index],
                available=available,
                retrieved=retrieved,
                covered=bool(set(available) & set(relevant[index])),
                retrieved_relevant=bool(set(retrieved) & set(relevant[index])),
                notes=[n.message for n in gathered.notes],
                seconds=time.perf_counter() - started,
            )
            covered += example.covered
            retrieved_ok += example.retrieved_relevant
            write(example)
        gatherer.close()
    return {
        "claims": len(claims),
        "covered_share": covered / len(claims),
        "top5_relevant_share": retrieved_ok / len(claims),
    }


def added_time(server: EvidenceServer, claims: list[str]) -> dict[str, float]:
    """Wall time of 20 claims with gathering minus without, 4 claims and 4 fetches at a time."""
    with tempfile.TemporaryDirectory() as home:
        settings = settings_for(server, Path(home), fetch_concurrency=4)
        kb = open_knowledge_base(settings, default_embedder())
        kb.search("warm up the embedder", top_k=5)
        gatherer = EvidenceGatherer(
            kb, build_sources(settings, "web"), settings, before=ARTICLE_DATE
        )
        with ThreadPoolExecutor(max_workers=4) as pool:
            started, cpu = time.perf_counter(), time.process_time()
            list(pool.map(lambda c: gatherer.search(c, top_k=5), claims))
            with_gathering = time.perf_counter() - started
            with_gathering_cpu = time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            list(pool.map(lambda c: kb.search(c, top_k=5), claims))
            kb_only = time.perf_counter() - started
            kb_only_cpu = time.process_time() - cpu
        pages = len(kb.sources(kind="web"))
        # Where the time went, summed over the claims (they overlap, 4 at a time).
        stages: dict[str, float] = {}
        for claim in claims:
            gathered = gatherer.gathered(claim)
            for stage, seconds in (gathered.timings if gathered else {}).items():
                stages[stage] = stages.get(stage, 0.0) + seconds
        gatherer.close()
    return {
        "claims": len(claims),
        "with_gathering_s": with_gathering,
        "kb_only_s": kb_only,
        "added_s": with_gathering - kb_only,
        # CPU seconds of this process: what the load of other jobs on the machine inflates
        # least (the server's page rendering runs in this process too).
        "with_gathering_cpu_s": with_gathering_cpu,
        "kb_only_cpu_s": kb_only_cpu,
        "added_cpu_s": with_gathering_cpu - kb_only_cpu,
        "stage_sums_s": stages,
        "pages_fetched": pages,
    }


def all_failing() -> dict[str, object]:
    from ui.cli import main as cli

    with tempfile.TemporaryDirectory() as home, EvidenceServer(failing=True) as failing:
        argv = ["--home", home, "--set", f"searxng_url={failing.url}/searxng",
                "--set", f"wikipedia_url={failing.url}/wiki", "--set", f"factcheck_url={failing.url}/factcheck",
                "--set", f"factcheck_api_key={KEY}",
                "check", str(ARTICLE), "--search", "web,wikipedia,factchecks", "--json"]  # fmt: skip
        buffer = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(buffer):
            code = cli.main(argv)
        seconds = time.perf_counter() - started
    report = json.loads(buffer.getvalue())
    noted = sum(
        any(n["kind"] == "source_unavailable" for n in c["notes"]) for c in report["claims"]
    )
    return {
        "exit_code": code,
        "claims": len(report["claims"]),
        "claims_with_note": noted,
        "claims_failed": sum(c["failure"] is not None for c in report["claims"]),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--padding-kb", type=int, default=200, help="HTML around each page's text")
    parser.add_argument("--page-delay-s", type=float, default=0.2, help="server latency per page")
    args = parser.parse_args(argv)
    claims = [
        json.loads(line)["claim"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line
    ]
    out = new_run_folder(args.out, "evidence")
    with EvidenceServer(page_delay_s=args.page_delay_s, page_padding_kb=args.padding_kb) as server:
        cover = coverage(server, claims, out)
        print(f"coverage: {cover['covered_share']:.0%} of {cover['claims']} claims with >= 1 relevant "
              f"fetched page; top-5 evidence relevant for {cover['top5_relevant_share']:.0%}")  # fmt: skip
        timing = added_time(server, claims[:20])
        print(f"20 claims: {timing['with_gathering_s']:.1f} s with gathering, {timing['kb_only_s']:.1f} s "
              f"without: added {timing['added_s']:.1f} s ({timing['pages_fetched']} pages fetched); "
              f"CPU added {timing['added_cpu_s']:.1f} s; per stage (summed over claims): "
              + ", ".join(f"{k} {v:.1f}" for k, v in timing["stage_sums_s"].items()))  # fmt: skip
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    failing = all_failing()
    print(f"every provider failing: exit {failing['exit_code']}, {failing['claims_with_note']} of "
          f"{failing['claims']} claims carry the note, {failing['claims_failed']} failed, "
          f"{failing['seconds']:.1f} s")  # fmt: skip
    write_summary(
        out,
        {"arguments": vars(args), "coverage": cover, "added_time": timing, "all_failing": failing},
    )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
