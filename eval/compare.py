"""Compare two runs on the examples they share: deltas with paired bootstrap intervals.

Both runs' results are paired by example id and resampled together (the same
indices for A and B), so the interval is for the difference on this data, not
for each run alone. Seeded: the same runs and seed print the same intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claims.errors import InputError
from claims.models import Label
from eval import metrics
from eval.report import MISSING, format_value, read_rows

Rows = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Delta:
    metric: str
    a: float | None
    b: float | None
    low: float | None
    high: float | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a


def _verification_metrics(labels: list[str]) -> dict[str, Callable[[Rows], float | None]]:
    def confidences(rows: Rows) -> list[float]:
        return [float(r["confidence"]) if r.get("predicted") else 0.0 for r in rows]

    def open_only(rows: Rows) -> tuple[list, list]:
        chosen = [r for r in rows if r.get("setting", "open") == "open"]
        return [r.get("gold_doc_ids") or [] for r in chosen], [
            r.get("retrieved_doc_ids") or [] for r in chosen
        ]

    return {
        "accuracy": lambda rows: metrics.accuracy(
            [r["gold"] for r in rows], [r.get("predicted") for r in rows]
        ),
        "macro_f1": lambda rows: metrics.macro_f1(
            [r["gold"] for r in rows], [r.get("predicted") for r in rows], labels
        ),
        "ece": lambda rows: metrics.expected_calibration_error(
            confidences(rows), [bool(r["correct"]) for r in rows]
        ),
        "recall_at_5": lambda rows: metrics.recall_at_k(*open_only(rows), 5),
        "mrr": lambda rows: metrics.mean_reciprocal_rank(*open_only(rows)),
        "latency_p50_s": lambda rows: metrics.percentile([float(r["latency_s"]) for r in rows], 50),
    }


def _checkworthiness_metrics() -> dict[str, Callable[[Rows], float | None]]:
    def prf(rows: Rows, key: str) -> float:
        return metrics.binary_prf(
            [bool(r["gold"]) for r in rows], [bool(r.get("predicted")) for r in rows]
        )[key]

    return {
        "precision": lambda rows: prf(rows, "precision"),
        "recall": lambda rows: prf(rows, "recall"),
        "f1": lambda rows: prf(rows, "f1"),
        "latency_p50_s": lambda rows: metrics.percentile([float(r["latency_s"]) for r in rows], 50),
    }


def paired(rows_a: Rows, rows_b: Rows) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """The rows of both runs for the ids they share, in A's order."""
    by_id = {r["id"]: r for r in rows_b}
    shared = [r for r in rows_a if r["id"] in by_id]
    return shared, [by_id[r["id"]] for r in shared]


def compare_rows(
    rows_a: Rows, rows_b: Rows, *, resamples: int = 1000, seed: int = 0, confidence: float = 0.95
) -> list[Delta]:
    """Each metric on A and B (shared examples only) and a bootstrap interval of B − A."""
    a, b = paired(rows_a, rows_b)
    if not a:
        raise InputError("the two runs share no example ids: nothing to compare")
    if isinstance(a[0]["gold"], str):
        present = {r["gold"] for r in a}
        table = _verification_metrics([label.value for label in Label if label in present])
    else:
        table = _checkworthiness_metrics()
    out = []
    for offset, (name, metric) in enumerate(table.items()):
        value_a, value_b = metric(a), metric(b)
        if value_a is None or value_b is None:
            out.append(Delta(name, value_a, value_b, None, None))
            continue

        def delta(indices: np.ndarray, metric=metric) -> float:
            picked_a = [a[i] for i in indices]
            picked_b = [b[i] for i in indices]
            va, vb = metric(picked_a), metric(picked_b)
            return float("nan") if va is None or vb is None else vb - va

        low, high = metrics.bootstrap_ci(
            delta, len(a), resamples=resamples, confidence=confidence, seed=seed + offset
        )
        out.append(Delta(name, value_a, value_b, low, high))
    return out


def compare_runs(
    run_a: Path, run_b: Path, *, resamples: int = 1000, seed: int = 0
) -> tuple[list[Delta], dict[str, int]]:
    rows_a, rows_b = read_rows(run_a), read_rows(run_b)
    for run, rows in ((run_a, rows_a), (run_b, rows_b)):
        if not rows:
            raise InputError(f"{run} holds no results (results.jsonl missing or empty)")
    shared, _ = paired(rows_a, rows_b)
    counts = {"a": len(rows_a), "b": len(rows_b), "shared": len(shared)}
    return compare_rows(rows_a, rows_b, resamples=resamples, seed=seed), counts


def format_deltas(
    deltas: Sequence[Delta], counts: Mapping[str, int], confidence: float = 0.95
) -> str:
    def show(value: float | None, signed: bool = False) -> str:
        return format_value(value, digits=4, signed=signed)

    header = f"{'metric':<15} {'A':>9} {'B':>9} {'B − A':>9}   {int(confidence * 100)}% CI of B − A"
    lines = [
        f"{counts['shared']} shared examples (A has {counts['a']}, B has {counts['b']})",
        header,
        "-" * len(header),
    ]
    for d in deltas:
        interval = MISSING if d.low is None else f"[{show(d.low, True)}, {show(d.high, True)}]"
        lines.append(
            f"{d.metric:<15} {show(d.a):>9} {show(d.b):>9} {show(d.delta, True):>9}   {interval}"
        )
    return "\n".join(lines)
