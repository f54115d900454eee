"""Summaries, report.md and plots, rebuilt from a run's results.jsonl (and run.json).

Nothing here runs a model: ``python -m eval.report RUN_DIR`` (or ``write_report``)
recomputes every figure from the per-example lines, so a report can be redone,
or its metrics changed, without rerunning the pipeline. ``run.json`` adds the
reproducibility record and the price table when present.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claims.models import Label
from eval import metrics, plots

SUMMARY_FILE, REPORT_FILE = "summary.json", "report.md"
PLOTS = {
    "confusion": "confusion_matrix.png",
    "reliability": "reliability_diagram.png",
    "latency": "latency_histogram.png",
}
# USD per million tokens (OpenAI list prices for the default models); extend with --prices FILE.
DEFAULT_PRICES: dict[str, dict[str, float]] = {
    "gpt-4o-mini": {"input": 0.15, "output": 0.60},
    "gpt-4o": {"input": 2.50, "output": 10.00},
}
ECE_BINS = 10
MISSING = "–"  # how every table (report.md, CLI, app) shows a value that is absent or undefined

#: The headline figures of each task: summary key and its column title, in order.
HEADLINE: dict[str, tuple[tuple[str, str], ...]] = {
    "verification": (
        ("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("ece", "ECE"),
        ("recall_at_5", "recall@5"), ("mrr", "MRR"), ("latency_p50_s", "latency p50 (s)"),
        ("latency_p95_s", "latency p95 (s)"), ("n", "n"), ("n_failed", "failed"),
    ),
    "checkworthiness": (
        ("precision", "precision"), ("recall", "recall"), ("f1", "F1"), ("accuracy", "accuracy"),
        ("latency_p50_s", "latency p50 (s)"), ("n", "n"), ("n_failed", "failed"),
    ),
}  # fmt: skip


def task_of(summary: Mapping[str, Any]) -> str:
    """``verification`` or ``checkworthiness`` (older summaries without a task are verification)."""
    return "checkworthiness" if summary.get("task") == "checkworthiness" else "verification"


def headline(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The task's headline figures, column title -> value (None when the run lacks one)."""
    return {title: summary.get(key) for key, title in HEADLINE[task_of(summary)]}


def format_value(value: Any, digits: int = 3, *, signed: bool = False) -> str:
    """A figure as the tables show it: floats rounded (with a sign for differences when
    ``signed``), absent or NaN values as ``MISSING``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, float):
        return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return str(value)


@dataclass(frozen=True)
class RunSummary:
    """A run folder and its summary.json."""

    path: Path
    summary: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def find_runs(roots: Iterable[Path]) -> list[RunSummary]:
    """Every run folder (one holding a readable summary.json) under the roots, newest name first."""
    runs: dict[Path, RunSummary] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for path in root.glob(f"*/{SUMMARY_FILE}"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                runs[path.parent.resolve()] = RunSummary(path.parent, data)
    return sorted(runs.values(), key=lambda r: r.name, reverse=True)


def verification_summary(
    rows: Sequence[Mapping[str, Any]],
    *,
    prices: Mapping[str, Mapping[str, float]] = DEFAULT_PRICES,
    model: str | None = None,
) -> dict[str, Any]:
    """The headline figures and tables of a verification run, from its result rows."""
    gold = [r["gold"] for r in rows]
    predicted = [r.get("predicted") for r in rows]
    present = set(gold)
    labels = [label.value for label in Label if label in present]
    extra = sorted({p for p in predicted if p} - set(labels))
    confidences = [float(r["confidence"]) if r.get("predicted") else 0.0 for r in rows]
    correct = [bool(r.get("predicted")) and r["predicted"] == r["gold"] for r in rows]
    open_rows = [r for r in rows if r.get("setting", "open") == "open"]
    latencies = [float(r["latency_s"]) for r in rows]
    summary: dict[str, Any] = {
        "task": "verification",
        "accuracy": metrics.accuracy(gold, predicted),
        "macro_f1": metrics.macro_f1(gold, predicted, labels),
        "per_class": metrics.per_class(gold, predicted, labels + extra),
        "ece": metrics.expected_calibration_error(confidences, correct, ECE_BINS),
        "recall_at_5": _retrieval(open_rows, "recall"),
        "mrr": _retrieval(open_rows, "mrr"),
        "latency_p50_s": metrics.percentile(latencies, 50),
        "latency_p95_s": metrics.percentile(latencies, 95),
        "n": len(rows),
        "n_failed": sum(1 for r in rows if r.get("error")),
        "labels": labels,
        "confusion_matrix": metrics.confusion_matrix(gold, predicted, labels),
        "reliability": metrics.reliability_table(confidences, correct, ECE_BINS),
        "predicted_counts": dict(Counter(p or metrics.FAILED for p in predicted)),
        "by_original_label": _by_original_label(rows),
        "verifiers": dict(Counter(r["verifier"] for r in rows if r.get("verifier"))),
        "cross_check": cross_check_summary(rows, labels),
    }
    summary.update(_usage(rows, prices, model))
    summary["failed"] = [
        {"id": r["id"], **{k: r["error"][k] for k in ("stage", "error", "message")}}
        for r in rows
        if r.get("error")
    ]
    return summary


def checkworthiness_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Precision / recall / F1 of check-worthy sentence detection, from result rows."""
    gold = [bool(r["gold"]) for r in rows]
    predicted = [r.get("predicted") for r in rows]
    prf = metrics.binary_prf(gold, [bool(p) for p in predicted])
    latencies = [float(r["latency_s"]) for r in rows]
    return {
        "task": "checkworthiness",
        "precision": prf["precision"],
        "recall": prf["recall"],
        "f1": prf["f1"],
        "accuracy": sum(1 for r in rows if r["correct"]) / len(rows) if rows else 0.0,
        "latency_p50_s": metrics.percentile(latencies, 50),
        "latency_p95_s": metrics.percentile(latencies, 95),
        "n": len(rows),
        "n_failed": sum(1 for r in rows if r.get("error")),
        "confusion_matrix": {
            "check-worthy": {"check-worthy": prf["tp"], "other": prf["fn"]},
            "other": {"check-worthy": prf["fp"], "other": prf["tn"]},
        },
        "extractors": dict(Counter(r["extractor"] for r in rows if r.get("extractor"))),
        "failed": [
            {"id": r["id"], **{k: r["error"][k] for k in ("stage", "error", "message")}}
            for r in rows
            if r.get("error")
        ],
    }


def cross_check_summary(
    rows: Sequence[Mapping[str, Any]], labels: Sequence[str]
) -> dict[str, Any] | None:
    """How the offline cross-check compares with the verdicts; None when none ran.

    ``agreement`` is the share of checked claims where both gave the same label,
    ``accuracy_when_agree`` / ``accuracy_when_disagree`` the verdict's accuracy on
    each part (a useful cross-check makes the first clearly higher), and
    ``checker_accuracy`` / ``checker_macro_f1`` the cross-check's own score.
    """
    checked = [r for r in rows if r.get("predicted") and (r.get("cross_check") or {}).get("label")]
    failed = sum(1 for r in rows if (r.get("cross_check") or {}).get("failure"))
    if not checked and not failed:
        return None
    agree = [r for r in checked if r["cross_check"]["agrees"]]
    disagree = [r for r in checked if not r["cross_check"]["agrees"]]

    def accuracy(group: Sequence[Mapping[str, Any]]) -> float | None:
        return sum(1 for r in group if r["predicted"] == r["gold"]) / len(group) if group else None

    gold = [r["gold"] for r in checked]
    second = [r["cross_check"]["label"] for r in checked]
    verifiers = Counter(r["cross_check"]["verifier"] for r in rows if r.get("cross_check"))
    return {
        "verifier": ", ".join(verifiers),
        "n": len(checked),
        "n_failed": failed,
        "agreement": len(agree) / len(checked) if checked else None,
        "n_agree": len(agree),
        "accuracy_when_agree": accuracy(agree),
        "accuracy_when_disagree": accuracy(disagree),
        "checker_accuracy": metrics.accuracy(gold, second) if checked else None,
        "checker_macro_f1": metrics.macro_f1(gold, second, list(labels)) if checked else None,
    }


def _retrieval(rows: Sequence[Mapping[str, Any]], which: str) -> float | None:
    if not rows:
        return None
    gold = [r.get("gold_doc_ids") or [] for r in rows]
    ranked = [r.get("retrieved_doc_ids") or [] for r in rows]
    if which == "recall":
        return metrics.recall_at_k(gold, ranked, 5)
    return metrics.mean_reciprocal_rank(gold, ranked)


def _by_original_label(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        if r.get("original_label"):
            groups.setdefault(r["original_label"], []).append(r)
    return {
        label: {
            "n": len(members),
            "accuracy": sum(1 for r in members if r["correct"]) / len(members),
            "predicted": dict(Counter(r.get("predicted") or metrics.FAILED for r in members)),
        }
        for label, members in sorted(groups.items())
    }


def _usage(
    rows: Sequence[Mapping[str, Any]], prices: Mapping[str, Mapping[str, float]], model: str | None
) -> dict[str, Any]:
    prompt = sum(int((r.get("usage") or {}).get("prompt_tokens", 0)) for r in rows)
    completion = sum(int((r.get("usage") or {}).get("completion_tokens", 0)) for r in rows)
    n = max(len(rows), 1)
    if prompt + completion == 0:
        total: float | None = 0.0
    else:
        total = metrics.cost_usd(prompt, completion, model or "", prices)
    return {
        "tokens": {
            "prompt": prompt,
            "completion": completion,
            "per_claim": (prompt + completion) / n,
        },
        "cost_usd": {
            "model": model,
            "total": total,
            "per_claim": None if total is None else total / n,
            "price_table_usd_per_1m_tokens": dict(prices),
        },
    }


# ------------------------------------------------------------------ files


def read_rows(run_dir: Path) -> list[dict[str, Any]]:
    """The result lines of a run; a last line cut short by a kill is skipped."""
    path = run_dir / "results.jsonl"
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        try:
            rows.append(json.loads(line))
        except ValueError:
            break
    return rows


def build_summary(run_dir: Path) -> dict[str, Any]:
    """The summary of the run in ``run_dir`` from results.jsonl (+ run.json when present)."""
    rows = read_rows(run_dir)
    config = _config(run_dir)
    task = config.get("task") or (
        "verification" if rows and isinstance(rows[0].get("gold"), str) else "checkworthiness"
    )
    if task == "checkworthiness":
        summary = checkworthiness_summary(rows)
    else:
        settings = config.get("settings") or {}
        model = settings.get("model") if settings.get("llm") == "openai" else None
        summary = verification_summary(
            rows, prices=config.get("prices") or DEFAULT_PRICES, model=model
        )
    if config:
        sessions = config.get("sessions") or []
        summary["run"] = {
            "dataset": config.get("dataset_name"),
            "setting": config.get("setting"),
            "planned": len(config.get("ids") or []),
            "complete": len(rows) >= len(config.get("ids") or []),
            "wall_s": sum(s.get("wall_s", 0.0) for s in sessions),
            "ingest_s": sum(s.get("ingest_s", 0.0) for s in sessions),
            "max_corpus": config.get("max_corpus"),
            "corpus_docs": next(
                (s["corpus_docs"] for s in reversed(sessions) if "corpus_docs" in s), None
            ),
            "sessions": len(sessions),
        }
        summary["reproducibility"] = {
            "code": config.get("code"),
            "model_hashes": config.get("model_hashes"),
            "settings": config.get("settings"),
            "dataset": config.get("dataset"),
            "dataset_hash": config.get("dataset_hash"),
            "seed": config.get("seed"),
            "limit": config.get("limit"),
            "verifier_choice": config.get("verifier_choice"),
            "command": reproduce_command(config),
        }
    return summary


def reproduce_command(config: Mapping[str, Any]) -> str:
    parts = ["claimscope", "eval", str(config.get("dataset"))]
    if config.get("task") == "verification":
        parts += ["--setting", str(config.get("setting"))]
    if config.get("limit"):
        parts += ["--limit", str(config["limit"]), "--seed", str(config.get("seed", 0))]
    if config.get("max_corpus"):
        parts += ["--max-corpus", str(config["max_corpus"])]
    if config.get("verifier_choice") not in (None, "auto"):
        parts += ["--verifier", str(config["verifier_choice"])]
    if config.get("data_dir"):
        parts += ["--data-dir", str(config["data_dir"])]
    return " ".join(parts)


def write_report(run_dir: Path) -> dict[str, Any]:
    """Write summary.json, report.md and the PNG plots of ``run_dir``; returns the summary."""
    summary = build_summary(run_dir)
    rows = read_rows(run_dir)
    title = run_dir.name
    written = {}
    if summary["task"] == "verification":
        written["confusion"] = plots.confusion_plot(
            summary["confusion_matrix"], run_dir / PLOTS["confusion"], f"confusion · {title}"
        )
        written["reliability"] = plots.reliability_plot(
            summary["reliability"], run_dir / PLOTS["reliability"],
            f"reliability (ECE {summary['ece']:.3f}) · {title}",
        )  # fmt: skip
    else:
        written["confusion"] = plots.confusion_plot(
            summary["confusion_matrix"], run_dir / PLOTS["confusion"], f"check-worthiness · {title}"
        )
    written["latency"] = plots.latency_plot(
        [float(r["latency_s"]) for r in rows], run_dir / PLOTS["latency"], f"latency · {title}"
    )
    summary["plots"] = {name: path.name for name, path in written.items()}
    (run_dir / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (run_dir / REPORT_FILE).write_text(render_markdown(summary, title), encoding="utf-8")
    return summary


def _config(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "run.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ markdown


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(format_value(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _headline_table(summary: Mapping[str, Any]) -> list[str]:
    top = headline(summary)
    return _table(list(top), [list(top.values())])


def render_markdown(summary: Mapping[str, Any], title: str) -> str:
    run = summary.get("run") or {}
    lines = [f"# Evaluation run `{title}`", ""]
    if run:
        lines += [
            f"Dataset **{run.get('dataset')}**, setting **{run.get('setting') or 'extraction'}**, "
            f"{summary['n']} examples ({summary['n_failed']} failed), "
            f"wall time {run.get('wall_s', 0):.0f} s"
            + (f" (of which corpus ingest {run['ingest_s']:.0f} s)" if run.get("ingest_s") else "")
            + (
                f"; corpus reduced to {run['corpus_docs']} documents (--max-corpus)"
                if run.get("max_corpus")
                else ""
            )
            + ("." if run.get("complete") else " — INCOMPLETE: resume with `--resume`."),
            "",
        ]
    if summary["task"] == "verification":
        lines += _verification_markdown(summary)
    else:
        lines += _checkworthiness_markdown(summary)
    if summary.get("failed"):
        lines += ["## Failed examples (counted as wrong)", ""]
        lines += _table(
            ["id", "stage", "error", "message"],
            [[f["id"], f["stage"], f["error"], f["message"][:160]] for f in summary["failed"]],
        )
    repro = summary.get("reproducibility")
    if repro:
        code = repro.get("code") or {}
        lines += [
            "## Reproducibility",
            "",
            f"- command: `{repro.get('command')}`",
            f"- code: `{code.get('commit')}`"
            + (" (uncommitted changes)" if code.get("dirty") else ""),
            f"- dataset sha256: `{repro.get('dataset_hash')}`",
            "- model files (sha256): "
            + ", ".join(f"`{k}` {v[:12]}" for k, v in (repro.get("model_hashes") or {}).items()),
            "- settings: `" + json.dumps(repro.get("settings"), sort_keys=True) + "`",
            "",
        ]
    for name in (summary.get("plots") or {}).values():
        lines.append(f"![{name}]({name})")
    return "\n".join(lines) + "\n"


def _verification_markdown(summary: Mapping[str, Any]) -> list[str]:
    lines = ["## Headline", ""]
    lines += _headline_table(summary)
    lines += ["## Per class", ""]
    lines += _table(
        ["label", "precision", "recall", "F1", "support"],
        [
            [k, v["precision"], v["recall"], v["f1"], v["support"]]
            for k, v in summary["per_class"].items()
        ],
    )
    matrix = summary["confusion_matrix"]
    columns = list(next(iter(matrix.values()))) if matrix else []
    lines += ["## Confusion matrix (rows gold, columns predicted)", ""]
    lines += _table(
        ["gold \\ predicted", *columns], [[g, *row.values()] for g, row in matrix.items()]
    )
    lines += ["## Reliability", ""]
    lines += _table(
        ["confidence", "count", "mean confidence", "accuracy"],
        [[f"{r['lower']:.1f}–{r['upper']:.1f}", r["count"], r["mean_confidence"], r["accuracy"]]
         for r in summary["reliability"] if r["count"]],
    )  # fmt: skip
    if summary.get("by_original_label"):
        lines += ["## By the dataset's own label", ""]
        lines += _table(
            ["original label", "n", "accuracy", "predicted"],
            [[k, v["n"], v["accuracy"], ", ".join(f"{p} {c}" for p, c in v["predicted"].items())]
             for k, v in summary["by_original_label"].items()],
        )  # fmt: skip
    check = summary.get("cross_check")
    if check:
        lines += [f"## Cross-check ({check['verifier']})", ""]
        lines += _table(
            ["claims checked", "agreement", "verdict accuracy when they agree",
             "verdict accuracy when they disagree", "cross-check accuracy", "cross-check macro-F1",
             "cross-check failed"],
            [[check["n"], check["agreement"], check["accuracy_when_agree"],
              check["accuracy_when_disagree"], check["checker_accuracy"], check["checker_macro_f1"],
              check["n_failed"]]],
        )  # fmt: skip
    tokens, cost = summary["tokens"], summary["cost_usd"]
    lines += [
        "## Cost",
        "",
        f"{tokens['prompt']} prompt + {tokens['completion']} completion tokens "
        f"({tokens['per_claim']:.1f} per claim); estimated cost "
        + (
            "unknown (model not in the price table)"
            if cost["total"] is None
            else f"${cost['total']:.4f}"
        )
        + f"; verifier(s): {', '.join(summary['verifiers']) or '–'}.",
        "",
    ]
    return lines


def _checkworthiness_markdown(summary: Mapping[str, Any]) -> list[str]:
    lines = ["## Check-worthy sentence detection", ""]
    lines += _headline_table(summary)
    lines += [f"Extractor(s): {', '.join(summary['extractors']) or '–'}.", ""]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m eval.report RUN_DIR``: rebuild a run's summary, report and plots."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m eval.report RUN_DIR", file=sys.stderr)
        return 2
    summary = write_report(Path(args[0]))
    print(json.dumps({k: summary.get(k) for k in ("accuracy", "macro_f1", "n", "n_failed")}))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
