"""PNG plots of a run (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first


def confusion_plot(matrix: Mapping[str, Mapping[str, int]], path: Path, title: str) -> Path:
    rows = list(matrix)
    columns = list(next(iter(matrix.values()))) if matrix else []
    values = [[matrix[r][c] for c in columns] for r in rows]
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(columns), 1.2 + 0.9 * len(rows)))
    image = ax.imshow(values or [[0]], cmap="Blues")
    ax.set_xticks(range(len(columns)), [_short(c) for c in columns], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), [_short(r) for r in rows])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    peak = max((v for row in values for v in row), default=0)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            color = "white" if peak and value > peak / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", color=color)
    fig.colorbar(image, ax=ax, fraction=0.046)
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def reliability_plot(table: Sequence[Mapping[str, float]], path: Path, title: str) -> Path:
    fig, ax = plt.subplots(figsize=(5, 4.5))
    width = table[0]["upper"] - table[0]["lower"] if table else 0.1
    filled = [row for row in table if row["count"]]
    ax.bar(
        [row["lower"] for row in filled], [row["accuracy"] for row in filled], width=width,
        align="edge", edgecolor="black", alpha=0.75, label="accuracy in bin",
    )  # fmt: skip
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for row in filled:
        ax.text(row["lower"] + width / 2, min(row["accuracy"] + 0.02, 0.97), str(int(row["count"])),
                ha="center", fontsize=7)  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def latency_plot(latencies: Sequence[float], path: Path, title: str) -> Path:
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.hist(list(latencies) or [0.0], bins=30, edgecolor="black", alpha=0.75)
    ax.set_xlabel("seconds per example")
    ax.set_ylabel("examples")
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def _short(label: str) -> str:
    return {"NOT_ENOUGH_INFO": "NEI"}.get(label, label)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
