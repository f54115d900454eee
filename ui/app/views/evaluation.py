"""The evaluation page: runs written by ``claimscope eval``, their summaries, plots and a comparison.

A run is a folder ``runs/<timestamp>-<dataset>-<mode>/`` holding ``summary.json``,
``results.jsonl``, ``report.md`` and plots (``*.png``). Runs are looked for in
``$CLAIMSCOPE_RUNS_DIR`` when set, else in ``./runs`` and ``<data dir>/runs``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ui.app.sidebar import Session


@dataclass(frozen=True)
class Run:
    path: Path
    summary: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def run_roots(data_dir: Path, runs_dir: Path | None = None) -> list[Path]:
    if runs_dir is not None:  # the runs_dir setting, CLAIMSCOPE_RUNS_DIR
        return [runs_dir.expanduser()]
    return [Path.cwd() / "runs", data_dir / "runs"]


def find_runs(roots: Iterable[Path]) -> list[Run]:
    """Every run folder (one holding summary.json) under the roots, newest name first."""
    runs: dict[Path, Run] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for summary in root.glob("*/summary.json"):
            try:
                data = json.loads(summary.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                runs[summary.parent.resolve()] = Run(summary.parent, data)
    return sorted(runs.values(), key=lambda r: r.name, reverse=True)


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested summary values as dotted keys, keeping only scalars."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name + "."))
        elif isinstance(value, str | int | float | bool) or value is None:
            out[name] = value
    return out


def headline(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level scalar values of a summary (accuracy, macro F1, latency…)."""
    return {
        k: v
        for k, v in summary.items()
        if (isinstance(v, int | float | bool) or v is None) or (isinstance(v, str) and len(v) < 60)
    }


#: Summary parts too detailed to compare line by line.
DETAIL_KEYS = ("confusion_matrix", "reliability")


def compare(a: Run, b: Run) -> pd.DataFrame:
    """Every numeric summary value of two runs side by side, with the difference."""
    fa = flatten({k: v for k, v in a.summary.items() if k not in DETAIL_KEYS})
    fb = flatten({k: v for k, v in b.summary.items() if k not in DETAIL_KEYS})
    rows = []
    for key in sorted(set(fa) | set(fb)):
        va, vb = fa.get(key), fb.get(key)
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (va, vb))
        rows.append(
            {
                "metric": key,
                a.name: va,
                b.name: vb,
                "difference (B − A)": (vb - va) if numeric else None,
            }
        )
    frame = pd.DataFrame(rows)
    for column in (a.name, b.name):
        frame[column] = frame[column].map(lambda v: "" if v is None else str(v))
    return frame


def summary_frame(run: Run) -> pd.DataFrame:
    top = headline(run.summary)
    return pd.DataFrame({"metric": list(top), "value": [_fmt(v) for v in top.values()]})


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else str(value)


def smaller_headings(markdown: str) -> str:
    """Report headings shifted three levels down, to fit a side column."""
    return re.sub(
        r"^(#{1,3}) ", lambda m: "#" * (len(m.group(1)) + 3) + " ", markdown, flags=re.MULTILINE
    )


def table_of(data: Any) -> pd.DataFrame | None:
    """A dict of dicts (per-class scores, a confusion matrix) as a table, rows = outer keys."""
    if isinstance(data, Mapping) and data and all(isinstance(v, Mapping) for v in data.values()):
        return pd.DataFrame.from_dict(dict(data), orient="index")
    return None


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
    overview = pd.DataFrame([{"run": r.name, **headline(r.summary)} for r in runs])
    st.dataframe(overview, hide_index=True, width="stretch")
    view, comparison = st.tabs(["One run", "Compare two runs"])
    names = [r.name for r in runs]
    by_name = {r.name: r for r in runs}
    with view:
        chosen = by_name[st.selectbox("Run", names, key="cs_eval_run")]
        c1, c2 = st.columns([1, 1])
        with c1:
            st.dataframe(summary_frame(chosen), hide_index=True, width="stretch")
            for key, title in (
                ("per_class", "Per class"),
                ("confusion_matrix", "Confusion (rows: gold)"),
            ):
                table = table_of(chosen.summary.get(key))
                if table is not None:
                    st.caption(title)
                    st.dataframe(table, width="stretch")
            provenance = chosen.path / "run.json"
            if provenance.is_file():
                with st.expander("Provenance (run.json)"):
                    try:
                        st.json(json.loads(provenance.read_text(encoding="utf-8")), expanded=1)
                    except ValueError:
                        st.caption("run.json is not valid JSON")
        with c2:
            report = chosen.path / "report.md"
            if report.is_file():
                with st.container(height=520):
                    st.markdown(smaller_headings(report.read_text(encoding="utf-8")))
        plots = sorted(chosen.path.glob("*.png"))
        for row in range(0, len(plots), 2):
            for column, plot in zip(st.columns(2), plots[row : row + 2], strict=False):
                column.image(str(plot), caption=plot.name)
        results = chosen.path / "results.jsonl"
        if results.is_file():
            st.download_button(
                "results.jsonl",
                results.read_bytes(),
                file_name=f"{chosen.name}-results.jsonl",
                mime="application/jsonl",
            )
    with comparison:
        if len(runs) < 2:
            st.info("Two runs are needed for a comparison.")
            return
        c1, c2 = st.columns(2)
        a = c1.selectbox("Run A", names, index=1, key="cs_eval_a")
        b = c2.selectbox("Run B", names, index=0, key="cs_eval_b")
        st.dataframe(compare(by_name[a], by_name[b]), hide_index=True, width="stretch")
        plots_a = {p.name for p in by_name[a].path.glob("*.png")}
        for name in sorted(plots_a & {p.name for p in by_name[b].path.glob("*.png")}):
            p1, p2 = st.columns(2)
            p1.image(str(by_name[a].path / name), caption=f"A: {name}")
            p2.image(str(by_name[b].path / name), caption=f"B: {name}")
