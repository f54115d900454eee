"""Time to the first verdict on screen in the app, against the app of an older commit.

    python -m benchmarks.bench_app [--baseline REF] [--runs 3] [--kb-docs 300] [--home DIR]

Builds a knowledge base of the first N SciFact abstracts (or reuses ``--home``), then
runs two Streamlit servers on loopback with the real offline wiring: this checkout,
and the app as it was at ``--baseline`` (a ``git archive`` of that commit, same
virtual environment, a copy of the same store). Headless Chromium pastes the example
article and clicks *Check claims* on each, warm (one check per server first, not
counted), alternating between the two so that both see the same machine load. A
MutationObserver in the page notes, from the click:

* ``claims``: the first claim listed (this checkout lists them while they are checked);
* ``first verdict``: the first verdict on screen (a desk row, or a verdict badge in the
  older app's running list);
* ``desk``: the review desk with its review buttons (reviewing can start).

Then the same check in this process, stopped after its first verdict, gives the floor
(extraction, then the first claim's search and verification) that any page adds to.
Prints the figures and writes ``runs/benchmarks/<timestamp>-app/``
(``examples.jsonl``: one line per timed check; ``summary.json``); nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from claims.settings import Settings, default_data_dir
from eval.runner import append_jsonl, new_run_folder, write_summary

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEFAULT_BASELINE = "4a831cbe5d923b2013de20283c381c5b1513730a"  # the desk before streaming

#: Runs in the page: notes when each milestone first shows, from the click.
OBSERVER = """() => {
  const verdicts = /\\[\\d+\\] (Supported|Refuted|Not enough info|Conflicting|Failed)/;
  const badges = new Set(["Supported", "Refuted", "Not enough info", "Conflicting", "Failed"]);
  const marks = {};
  window.__csMarks = marks;
  const t0 = performance.now();
  const look = () => {
    const now = performance.now() - t0;
    const rows = [...document.querySelectorAll('[class*="st-key-cs_row_"] button')];
    if (marks.claims === undefined && rows.length) marks.claims = now;
    if (marks.first === undefined && (
        rows.some(b => verdicts.test(b.innerText.trim())) ||
        [...document.querySelectorAll('[data-testid="stMain"] span')]
          .some(s => badges.has(s.textContent.trim())))) marks.first = now;
    if (marks.desk === undefined && document.querySelector('[class*="st-key-cs_do_confirm"]'))
      marks.desk = now;
    if (marks.server_first === undefined) {  // what the job itself measured (this checkout)
      for (const small of document.querySelectorAll('[data-testid="stMain"] small')) {
        const found = small.textContent.match(
          /claims found in ([\\d.]+) s · first verdict after ([\\d.]+) s/);
        if (found) { marks.server_claims = 1000 * found[1]; marks.server_first = 1000 * found[2]; }
      }
    }
  };
  new MutationObserver(look).observe(document.body, {childList: true, subtree: true,
                                                     characterData: true});
}"""


class Timing(BaseModel):
    """One timed check in the browser (seconds from the click), or the in-process floor."""

    app: str
    run: int
    claims_s: float | None = None
    first_verdict_s: float | None = None
    desk_s: float | None = None
    extract_s: float | None = None
    server_claims_s: float | None = None  # as the job measured them, from its start
    server_first_verdict_s: float | None = None
    load_1m: float


def _export(ref: str, target: Path) -> Path:
    """The tree of commit ``ref`` under ``target`` (what the app and its imports need)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "claims", "retrieval", "ui", "eval"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _check_in_browser(browser, url: str, article: str, timeout_s: float) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(timeout_s * 1000)
    try:
        page.goto(url)
        page.get_by_label("Article text").fill(article)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        page.evaluate(OBSERVER)
        page.get_by_role("button", name="Check claims").click()
        page.wait_for_function("() => window.__csMarks.desk !== undefined", polling=100)
        marks = page.evaluate("() => window.__csMarks")
    finally:
        page.close()
    return {k: v / 1000 for k, v in marks.items()}


class _FirstVerdict(Exception):
    pass


def _floor(home: Path, article: str, runs: int) -> list[tuple[float, float]]:
    """(extraction, first verdict) seconds of ``check_article`` in this process, warm."""
    from retrieval import open_knowledge_base
    from ui.wiring import models

    settings = Settings.from_env(home=home, llm="none")
    extractor, verifier = models(settings)
    kb = open_knowledge_base(settings)
    timed = [_first_verdict(article, extractor, kb, verifier, settings) for _ in range(runs + 1)]
    return timed[1:]  # the first warms the models up


def _first_verdict(
    article: str, extractor: Any, kb: Any, verifier: Any, settings: Settings
) -> tuple[float, float]:
    """One check, stopped after its first verdict: (extraction, first verdict) seconds."""
    from claims.models import Article, Extraction
    from claims.pipeline import check_article

    t0 = time.perf_counter()
    seen: dict[str, float] = {}

    class Timed:
        name = extractor.name

        def extract(self, a: Article) -> Extraction:
            extraction: Extraction = extractor.extract(a)
            seen["extract"] = time.perf_counter() - t0
            return extraction

    def progress(done: int, total: int, result: object) -> None:
        seen["first"] = time.perf_counter() - t0
        raise _FirstVerdict

    try:
        check_article(
            Article(text=article, title="bench"),
            extractor=Timed(),
            retriever=kb,
            verifier=verifier,
            settings=settings,
            progress=progress,
        )
    except _FirstVerdict:
        pass
    return seen["extract"], seen["first"]


def _stats(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):5.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--article", type=Path, default=SHARED / "examples" / "brics-summit-kazan.txt"
    )
    parser.add_argument(
        "--corpus", type=Path, default=default_data_dir() / "scifact" / "corpus.jsonl"
    )
    parser.add_argument("--kb-docs", type=int, default=300)
    parser.add_argument("--home", type=Path, help="reuse this store instead of building one")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git commit to compare with")
    parser.add_argument("--runs", type=int, default=3, help="timed checks per app")
    parser.add_argument("--timeout-s", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "benchmarks")
    args = parser.parse_args(argv)
    chromium = Path("/usr/bin/chromium")
    for path in (args.article, chromium, *([] if args.home else [args.corpus])):
        if not path.exists():
            print(f"missing input: {path}", file=sys.stderr)
            return 2
    article = args.article.read_text(encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="claimscope-bench-app-"))
    home = args.home
    if home is None:
        from benchmarks.bench_pipeline import _build_kb

        home = work / "home"
        passages = _build_kb(home, args.corpus, args.kb_docs)
        print(f"knowledge base: {args.kb_docs} SciFact abstracts, {passages} passages")
    old_home = work / "home-baseline"
    shutil.copytree(home, old_home, ignore=shutil.ignore_patterns("reviews.sqlite3*"))
    old_tree = _export(args.baseline, work / "baseline")

    from playwright.sync_api import sync_playwright

    from tests.browser.server import CHROMIUM_ARGS, streamlit_server

    data_dir = str(default_data_dir())
    folder = new_run_folder(args.out, "app")
    timings: list[Timing] = []
    with ExitStack() as stack:
        servers = {
            "this checkout": stack.enter_context(
                streamlit_server(
                    {"CLAIMSCOPE_HOME": str(home), "CLAIMSCOPE_DATA_DIR": data_dir},
                    work / "new.log",
                )
            ),
            f"baseline {args.baseline[:10]}": stack.enter_context(
                streamlit_server(
                    {"CLAIMSCOPE_HOME": str(old_home), "CLAIMSCOPE_DATA_DIR": data_dir},
                    work / "old.log",
                    checkout=old_tree,
                )
            ),
        }
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        for run in range(args.runs + 1):
            for name, server in servers.items():
                marks = _check_in_browser(browser, server.url, article, args.timeout_s)
                label = "warm-up" if run == 0 else f"run {run}"
                print(
                    f"{name:>22} {label:>8}: claims {marks.get('claims', float('nan')):5.2f} s, "
                    f"first verdict {marks.get('first', float('nan')):5.2f} s, "
                    f"desk {marks.get('desk', float('nan')):5.2f} s "
                    f"(load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                if run:
                    timings.append(
                        Timing(
                            app=name,
                            run=run,
                            claims_s=marks.get("claims"),
                            first_verdict_s=marks.get("first"),
                            desk_s=marks.get("desk"),
                            server_claims_s=marks.get("server_claims"),
                            server_first_verdict_s=marks.get("server_first"),
                            load_1m=os.getloadavg()[0],
                        )
                    )
        browser.close()
    for run, (extract_s, first_s) in enumerate(_floor(home, article, args.runs), start=1):
        timings.append(
            Timing(
                app="in-process floor",
                run=run,
                extract_s=extract_s,
                first_verdict_s=first_s,
                load_1m=os.getloadavg()[0],
            )
        )
    write = append_jsonl(folder / "examples.jsonl")
    for timing in timings:
        write(timing)

    summary: dict[str, object] = {
        "article": str(args.article),
        "kb_docs": args.kb_docs,
        "baseline": args.baseline,
        "cpus": os.cpu_count(),
    }
    print(f"\nfirst verdict on screen, example article, warm, median of {args.runs}:")
    for name in [*servers, "in-process floor"]:
        mine = [t for t in timings if t.app == name]
        first = [t.first_verdict_s for t in mine if t.first_verdict_s is not None]
        claims = [t.claims_s for t in mine if t.claims_s is not None]
        desk = [t.desk_s for t in mine if t.desk_s is not None]
        extract = [t.extract_s for t in mine if t.extract_s is not None]
        extract += [t.server_claims_s for t in mine if t.server_claims_s is not None]
        job_first = [t.server_first_verdict_s for t in mine if t.server_first_verdict_s]
        print(f"  {name}:")
        print(f"    first verdict {_stats(first)}")
        if claims:
            print(f"    claims listed {_stats(claims)}")
        if desk:
            print(f"    review desk   {_stats(desk)}")
        if extract:
            print(f"    extraction    {_stats(extract)}")
        if job_first:
            print(f"    first verdict in the job (from its start) {_stats(job_first)}")
        summary[name] = {
            "first_verdict_s": statistics.median(first) if first else None,
            "claims_s": statistics.median(claims) if claims else None,
            "desk_s": statistics.median(desk) if desk else None,
            "extract_s": statistics.median(extract) if extract else None,
            "job_first_verdict_s": statistics.median(job_first) if job_first else None,
            "load_1m": [t.load_1m for t in mine],
        }
    new, old = (summary[name] for name in servers)
    if isinstance(new, dict) and isinstance(old, dict) and new["first_verdict_s"]:
        ratio = old["first_verdict_s"] / new["first_verdict_s"]
        print(f"  first verdict: baseline / this checkout = {ratio:.2f}x")
        print(
            f"  reviewing can start: baseline / this checkout = "
            f"{old['desk_s'] / new['desk_s']:.2f}x"
        )
        summary["first_verdict_ratio"] = ratio
    write_summary(folder, summary)
    print(f"\nwritten to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
