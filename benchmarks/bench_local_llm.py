"""Offline models vs. the local LLM vs. both, on the same seeded slices. Prints figures.

    python -m benchmarks.bench_local_llm [--scifact N] [--fever N] [--seed S] [--no-extract]

* SciFact dev, oracle setting (gold rationale abstracts; cited abstracts for NEI
  claims): macro-F1 over SUPPORTED / REFUTED / NOT_ENOUGH_INFO.
* FEVER-Symmetric v0.2 test, oracle (its one evidence sentence): accuracy.
* Seconds per claim for each verifier, measured warm (the local model is loaded
  once before the clock starts; its load time is printed apart).
* "both": the LLM verdict cross-checked by the offline verifier, computed from
  the same per-claim predictions: how often they agree, the LLM's score on the
  claims where they agree, and a tie-break that keeps the more confident label.
* Extraction on the example article: claims found and seconds, offline and local
  (``--extract-prompt``: the compact prompt, local mode's default, in its own
  1,200-character windows unless ``--windows`` lists sizes to try).
* The pipeline runs the same cross-check itself in the LLM modes
  (``verdict.cross_check``); here it is computed from the two runs, so each
  verifier's seconds per claim are its own.

Slices are label-stratified and seeded (``eval.datasets.stratified_sample``), so
every verifier sees the same claims. Each verifier's per-claim results (the
eval runner's ``ExampleResult`` lines) go to
``runs/benchmarks/<timestamp>-local-llm/<slice>--<verifier>.jsonl``, its scores
to ``summary.json`` there (``--out`` moves them). The LLM cache is off: every answer is a
real model call. Nothing is asserted; run it under ``nice``.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claims.settings import default_data_dir

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LABELS_3 = ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]


@dataclass
class Run:
    """One verifier's predictions on one slice."""

    verifier: str
    gold: list[str]
    predicted: list[str | None]
    confidence: list[float | None]
    seconds: list[float]
    errors: int


def run_verifier(verifier, claims, dataset, examples: Path | None = None) -> Run:
    """The verifier on the claims with their gold evidence; each result appended to ``examples``."""
    from eval.runner import append_jsonl, evaluate

    name = _name_of(verifier)
    write = append_jsonl(examples) if examples is not None else None

    def show(result) -> None:
        print(
            f"  [{name}] {result.id}: gold {result.gold}, predicted {result.predicted} "
            f"({result.confidence}), {result.latency_s:.1f} s",
            flush=True,
        )
        if write is not None:
            write(result)

    results = evaluate(
        claims, verifier=verifier, setting="oracle", dataset=dataset, progress=False, on_result=show
    )
    return Run(
        verifier=name,
        gold=[r.gold for r in results],
        predicted=[r.predicted for r in results],
        confidence=[r.confidence for r in results],
        seconds=[r.latency_s for r in results],
        errors=sum(r.error is not None for r in results),
    )


def scores(run: Run, labels: Sequence[str]) -> dict[str, float | int | None]:
    """A verifier's figures on one slice, as summary.json records them."""
    from eval.metrics import accuracy, macro_f1

    return {
        "macro_f1": macro_f1(run.gold, run.predicted, labels) if run.gold else None,
        "accuracy": accuracy(run.gold, run.predicted) if run.gold else None,
        "seconds_per_claim": sum(run.seconds) / max(1, len(run.seconds)),
        "errors": run.errors,
        "n": len(run.gold),
    }


def examples_file(run_dir: Path, slice_name: str, verifier: str) -> Path:
    """``<slice>--<verifier>.jsonl`` in the run folder, with only safe characters."""
    parts = (re.sub(r"[^A-Za-z0-9._-]+", "-", p).strip("-") for p in (slice_name, verifier))
    return run_dir / ("--".join(parts) + ".jsonl")


def score(gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str]) -> str:
    from eval.metrics import accuracy, macro_f1

    if not gold:
        return "n/a"
    return f"macro-F1 {macro_f1(gold, predicted, labels):.3f}, accuracy {accuracy(gold, predicted):.3f}"


def cross_check(llm: Run, offline: Run) -> tuple[list[int], list[str | None]]:
    """Indices where both agree, and the tie-break prediction (the more confident label)."""
    agree = [
        i for i, (a, b) in enumerate(zip(llm.predicted, offline.predicted, strict=True)) if a == b
    ]
    merged: list[str | None] = []
    for a, b, ca, cb in zip(
        llm.predicted, offline.predicted, llm.confidence, offline.confidence, strict=True
    ):
        if a is None or (b is not None and (cb or 0.0) > (ca or 0.0)):
            merged.append(b)
        else:
            merged.append(a)
    return agree, merged


def report(name: str, labels: Sequence[str], offline: Run, llms: Sequence[Run]) -> None:
    n = len(offline.gold)
    names = " / ".join(run.verifier for run in llms) or "-"
    print(f"\n-- {name}: gold / {offline.verifier} / {names} --")
    for i, gold in enumerate(offline.gold):
        theirs = " / ".join(f"{run.predicted[i]} ({run.confidence[i]})" for run in llms) or "-"
        print(f"  {gold:<16} {offline.predicted[i]} ({offline.confidence[i]}) / {theirs}")
    print(f"\n== {name}: {n} claims (seeded, label-stratified) ==")
    for run in (offline, *llms):
        per_claim = sum(run.seconds) / max(1, len(run.seconds))
        predicted = {label: run.predicted.count(label) for label in labels}
        print(
            f"{run.verifier:<60} {score(run.gold, run.predicted, labels)}; "
            f"{per_claim:.2f} s/claim; {run.errors} errors; predicted {predicted}"
        )
    for llm in llms:
        agree, merged = cross_check(llm, offline)
        gold_a = [llm.gold[i] for i in agree]
        pred_a = [llm.predicted[i] for i in agree]
        both_s = (sum(llm.seconds) + sum(offline.seconds)) / max(1, n)
        print(
            f"{'both (' + llm.verifier + '): agreement':<60} {len(agree)}/{n} claims agree; "
            f"on those: {score(gold_a, pred_a, labels)}"
        )
        print(
            f"{'both (' + llm.verifier + '): more-confident label':<60} "
            f"{score(llm.gold, merged, labels)}; {both_s:.2f} s/claim"
        )


def bench_extraction(article: Path, settings, embedder, windows: Sequence[int]) -> None:
    from claims.extract_llm import LLMExtractor
    from claims.factory import build_extractor

    text = article.read_text(encoding="utf-8")
    print(f"\n== extraction: {article.name} ({len(text.split())} words, {len(text)} chars) ==")
    try:
        offline = build_extractor(settings.model_copy(update={"llm": "none"}), embedder)
        timed_extraction("offline " + getattr(offline, "name", ""), offline, text)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every part it can
        print(f"offline extractor unavailable: {exc}")
    local = build_extractor(settings, embedder)
    assert isinstance(local, LLMExtractor)
    for window in windows or [local.window_chars]:
        local.window_chars, local.overlap_chars = window, min(local.overlap_chars, window // 5)
        label = f"{local.name}, windows of {window} chars"
        timed_extraction(label, local, text)


def timed_extraction(label: str, extractor, text: str) -> None:
    from claims.errors import ClaimscopeError
    from claims.models import Article

    started = time.perf_counter()
    try:
        extraction = extractor.extract(Article(text=text))
    except ClaimscopeError as exc:
        print(f"{label:<40} failed after {time.perf_counter() - started:.1f} s: {exc}")
        return
    seconds = time.perf_counter() - started
    per_window = f"; usage {extraction.usage.calls} calls, {extraction.usage.completion_tokens} answer tokens"
    print(f"{label:<40} {len(extraction.claims)} claims in {seconds:.1f} s{per_window}")
    for claim in extraction.claims[:60]:
        print(f"    - {claim.text}")


def offline_or_baseline(embedder, build_offline_verifier):
    """The trained NLI verifier when its model has shipped, else the similarity baseline."""
    from claims.errors import ModelFileError
    from claims.verify_baseline import BaselineVerifier

    try:
        return build_offline_verifier(embedder)
    except ModelFileError as exc:
        print(f"trained verifier unavailable ({exc}); offline = similarity baseline")
        return BaselineVerifier(embedder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument(
        "--article", type=Path, default=SHARED / "examples" / "brics-summit-kazan.txt"
    )
    parser.add_argument("--scifact", type=int, default=30, help="SciFact dev claims")
    parser.add_argument("--fever", type=int, default=30, help="FEVER-Symmetric test claims")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: all cores)")
    parser.add_argument("--no-llm", action="store_true", help="offline verifier only")
    parser.add_argument("--no-extract", action="store_true")
    parser.add_argument(
        "--windows",
        default="",
        help="extraction window sizes to try (default: the extraction prompt's own, "
        "1,200 characters for the compact prompt)",
    )
    parser.add_argument(
        "--extract-prompt",
        choices=["standard", "compact"],
        default="compact",
        help="LLM extraction prompt (compact is local mode's default)",
    )
    parser.add_argument(
        "--prompts", default="standard,compact", help="LLM verifier prompts to compare"
    )
    parser.add_argument(
        "--split",
        default="test",
        help="FEVER-Symmetric split (dev for prompt work, test to report)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "runs" / "benchmarks", help="where the run folder goes"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from claims.factory import build_offline_verifier, build_verifier
    from claims.local_llm import LocalLLMConfig, shared_server
    from claims.settings import Settings
    from eval.datasets import fever, scifact, stratified_sample
    from eval.runner import new_run_folder, write_summary
    from retrieval.embedder import default_embedder

    run_dir = new_run_folder(args.out, "local-llm")
    figures: dict[str, dict[str, dict[str, float | int | None]]] = {}
    summary = {"arguments": vars(args), "slices": figures}

    print(f"machine: {os.cpu_count()} cores, load average at start {os.getloadavg()}")
    embedder = default_embedder()
    # cross_check off: this benchmark runs the offline verifier itself and computes
    # "both" from the two runs, so the LLM timings stay the LLM's own
    settings = Settings.from_env(
        llm="local", use_cache=False, local_threads=args.threads, cross_check=False
    )
    offline_verifier = offline_or_baseline(embedder, build_offline_verifier)
    llm_verifiers = []
    if not args.no_llm:
        server = shared_server(LocalLLMConfig.from_settings(settings))
        print(
            f"local LLM: {server.config.model_path.name}, {server.config.threads} threads, "
            f"loaded in {server.load_seconds:.1f} s"
        )
        llm_verifiers = [
            build_verifier(settings.model_copy(update={"verify_prompt": prompt}), embedder)
            for prompt in args.prompts.split(",")
            if prompt
        ]
    print(f"offline verifier: {_name_of(offline_verifier)}")

    slices = []
    if args.fever:
        data = fever.load_symmetric(args.data / "fever_symmetric", args.split)
        slices.append(
            (f"FEVER-Symmetric {args.split}, oracle", data, args.fever, ["SUPPORTED", "REFUTED"])
        )
    if args.scifact:
        data = scifact.load(args.data / "scifact", "dev")
        slices.append(("SciFact dev, oracle", data, args.scifact, LABELS_3))
    for name, data, n, labels in slices:
        claims = stratified_sample(data.claims, n, args.seed)
        runs = [
            run_verifier(v, claims, data, examples_file(run_dir, name, _name_of(v)))
            for v in (offline_verifier, *llm_verifiers)
        ]
        report(name, labels, runs[0], runs[1:])
        figures[name] = {run.verifier: scores(run, labels) for run in runs}
        write_summary(run_dir, summary)
        sys.stdout.flush()

    if not args.no_extract and not args.no_llm:
        windows = [int(w) for w in args.windows.split(",") if w]
        extract_settings = settings.model_copy(update={"extract_prompt": args.extract_prompt})
        bench_extraction(args.article, extract_settings, embedder, windows)
    print(f"\nload average at end {os.getloadavg()}")
    print(f"per-claim results and summary: {run_dir}")
    return 0


def _name_of(verifier) -> str:
    return getattr(verifier, "name", type(verifier).__name__)


if __name__ == "__main__":
    raise SystemExit(main())
