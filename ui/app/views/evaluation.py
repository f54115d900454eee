"""The evaluation page: runs written by ``claimscope eval``, their figures, plots and a comparison.

A run is a folder ``runs/<timestamp>-<dataset>-<mode>/`` holding ``summary.json``,
``results.jsonl``, ``report.md`` and plots (``*.png``). Runs are looked for in
``$CLAIMSCOPE_RUNS_DIR`` when set, else in ``./runs`` and ``<data dir>/runs``.

Everything shown comes from the harness: :func:`eval.report.find_runs` lists
the runs, :func:`eval.report.headline` picks the figures (missing ones shown
as :data:`eval.report.MISSING`, as in report.md and the CLI), and
:func:`eval.compare.compare_runs` pairs two runs' examples with bootstrap
intervals, exactly as ``claimscope eval compare`` does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from claims.errors import InputError
from eval.compare import Delta, compare_runs
from eval.report import MISSING, RunSummary, find_runs, format_value, headline, task_of
from ui.app.render import figure, md_escape
from ui.app.sidebar import Session

PER_CLASS_COLUMNS = ("precision", "recall", "f1", "support")


def run_roots(data_dir: Path, runs_dir: Path | None = None) -> list[Path]:
    if runs_dir is not None:  # the runs_dir setting, CLAIMSCOPE_RUNS_DIR
        return [runs_dir.expanduser()]
    return [Path.cwd() / "runs", data_dir / "runs"]


def metrics_table(runs: list[RunSummary]) -> pd.DataFrame:
    """One row per run: dataset, task and every headline figure, formatted alike."""
    rows = []
    for run in runs:
        about = run.summary.get("run") or {}
        row = {"run": run.name, "dataset": about.get("dataset"), "task": task_of(run.summary)}
        row.update(headline(run.summary))
        rows.append(row)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    # formatted cell by cell: a column holding None would turn pandas' integers into floats
    return pd.DataFrame(
        [[format_value(row.get(c)) for c in columns] for row in rows], columns=columns
    )


def per_class_table(summary: Mapping[str, Any]) -> pd.DataFrame | None:
    """Precision, recall, F1 and support of each label (rows), or None when the run has none."""
    table = summary.get("per_class")
    if not isinstance(table, Mapping) or not table:
        return None
    return pd.DataFrame(
        [
            [label, *(format_value(scores.get(c)) for c in PER_CLASS_COLUMNS)]
            for label, scores in table.items()
        ],
        columns=["label", *PER_CLASS_COLUMNS],
    )


def confusion_table(summary: Mapping[str, Any]) -> pd.DataFrame | None:
    """Counts with gold labels as rows and predictions as columns, or None."""
    matrix = summary.get("confusion_matrix")
    if not isinstance(matrix, Mapping) or not matrix:
        return None
    return pd.DataFrame.from_dict(dict(matrix), orient="index").fillna(0).astype(int)


def comparison_table(deltas: list[Delta]) -> pd.DataFrame:
    """Each metric on A and B, B − A and its bootstrap interval; absent values as MISSING."""
    rows = []
    for d in deltas:
        interval = (
            MISSING if d.low is None or d.high is None else f"[{_signed(d.low)}, {_signed(d.high)}]"
        )
        rows.append(
            {
                "metric": d.metric,
                "A": format_value(d.a, digits=4),
                "B": format_value(d.b, digits=4),
                "B − A": _signed(d.delta),
                "95% CI of B − A": interval,
            }
        )
    return pd.DataFrame(rows, columns=["metric", "A", "B", "B − A", "95% CI of B − A"])


@st.cache_data(show_spinner="Comparing (paired bootstrap)…", max_entries=16)
def _compare(
    path_a: str, path_b: str, stamp_a: float, stamp_b: float
) -> tuple[list[Delta], dict[str, int]]:
    """compare_runs, cached per pair of runs until either results file changes (the stamps)."""
    del stamp_a, stamp_b  # part of the cache key only
    return compare_runs(Path(path_a), Path(path_b))


def _stamp(run_dir: Path) -> float:
    results = run_dir / "results.jsonl"
    return results.stat().st_mtime if results.is_file() else 0.0


def _signed(value: float | None) -> str:
    return format_value(value, digits=4, signed=True)


def page_eval(session: Session) -> None:
    st.subheader("Evaluation runs")
    roots = run_roots(session.settings.data_dir, session.settings.runs_dir)
    runs = find_runs(roots)
    if not runs:
        st.info(
            "No evaluation runs found. Run `claimscope eval …`; runs are read from "
            + ", ".join(f"`{r}`" for r in roots)
        )
        return
    st.dataframe(metrics_table(runs), hide_index=True, width="stretch")
    view, comparison = st.tabs(["One run", "Compare two runs"])
    by_name = {r.name: r for r in runs}
    with view:
        _one_run(by_name[st.selectbox("Run", list(by_name), key="cs_eval_run")])
    with comparison:
        _comparison(runs)


def _one_run(run: RunSummary) -> None:
    c1, c2 = st.columns([1, 1])
    with c1:
        per_class = per_class_table(run.summary)
        if per_class is not None:
            st.caption("Per class")
            st.dataframe(per_class, hide_index=True, width="stretch")
    with c2:
        confusion = confusion_table(run.summary)
        if confusion is not None:
            st.caption("Confusion (rows: gold, columns: predicted)")
            st.dataframe(confusion, width="stretch")
    plots = sorted(run.path.glob("*.png"))
    for row in range(0, len(plots), 2):
        for column, plot in zip(st.columns(2), plots[row : row + 2], strict=False):
            column.html(figure(plot.read_bytes(), plot.name))  # with alt text (axe)
    report = run.path / "report.md"
    if report.is_file():
        with st.expander("Full report (report.md)"):
            st.code(report.read_text(encoding="utf-8"), language="markdown")
    provenance = run.path / "run.json"
    if provenance.is_file():
        with st.expander("Provenance (run.json)"):
            try:
                st.json(json.loads(provenance.read_text(encoding="utf-8")), expanded=1)
            except ValueError:
                st.caption("run.json is not valid JSON")
    results = run.path / "results.jsonl"
    if results.is_file():
        st.download_button(
            "results.jsonl",
            results.read_bytes(),
            file_name=f"{run.name}-results.jsonl",
            mime="application/jsonl",
            on_click="ignore",  # nothing to rerun; a rerun can cancel the download
        )


def _comparison(runs: list[RunSummary]) -> None:
    if len(runs) < 2:
        st.info("Two runs are needed for a comparison.")
        return
    names = [r.name for r in runs]
    by_name = {r.name: r for r in runs}
    c1, c2 = st.columns(2)
    a = by_name[c1.selectbox("Run A", names, index=1, key="cs_eval_a")]
    b = by_name[c2.selectbox("Run B", names, index=0, key="cs_eval_b")]
    if task_of(a.summary) != task_of(b.summary):
        st.info("These runs measure different tasks; pick two of the same kind.")
        return
    try:
        deltas, counts = _compare(str(a.path), str(b.path), _stamp(a.path), _stamp(b.path))
    except InputError as exc:
        st.info(md_escape(f"These runs cannot be compared: {exc}"))
        return
    st.caption(
        f"{counts['shared']} shared examples (A has {counts['a']}, B has {counts['b']}); "
        "intervals: paired bootstrap, as `claimscope eval compare` prints them."
    )
    st.dataframe(comparison_table(deltas), hide_index=True, width="stretch")
    plots_a = {p.name for p in a.path.glob("*.png")}
    for name in sorted(plots_a & {p.name for p in b.path.glob("*.png")}):
        p1, p2 = st.columns(2)
        p1.html(figure((a.path / name).read_bytes(), f"A: {name}"))
        p2.html(figure((b.path / name).read_bytes(), f"B: {name}"))
