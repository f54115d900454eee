"""The evaluation page: runs written by ``claimscope eval``, their summaries, plots and a comparison.

A run is a folder ``runs/<timestamp>-<dataset>-<mode>/`` holding ``summary.json``,
``results.jsonl``, ``report.md`` and plots (``*.png``). Runs are looked for in
``$CLAIMSCOPE_RUNS_DIR``, ``./runs`` and ``<data dir>/runs``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ui.app_sidebar import Session


@dataclass(frozen=True)
class Run:
    path: Path
    summary: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def run_roots(data_dir: Path) -> list[Path]:
    roots = []
    if os.environ.get("CLAIMSCOPE_RUNS_DIR"):
        roots.append(Path(os.environ["CLAIMSCOPE_RUNS_DIR"]))
    roots += [Path.cwd() / "runs", data_dir / "runs"]
    return roots


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


def compare(a: Run, b: Run) -> pd.DataFrame:
    """Every numeric summary value of two runs side by side, with the difference."""
    fa, fb = flatten(a.summary), flatten(b.summary)
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
    flat = flatten(run.summary)
    return pd.DataFrame({"metric": list(flat), "value": [str(v) for v in flat.values()]})


def page_eval(session: Session) -> None:
    st.subheader("Evaluation runs")
    roots = run_roots(session.settings.data_dir)
    runs = find_runs(roots)
    if not runs:
        st.info(
            "No evaluation runs found. Run `claimscope eval …`; runs are read from "
            + ", ".join(f"`{r}`" for r in roots)
        )
        return
    overview = pd.DataFrame(
        [
            {
                "run": r.name,
                **{
                    k: v
                    for k, v in flatten(r.summary).items()
                    if not isinstance(v, str) or len(v) < 60
                },
            }
            for r in runs
        ]
    )
    st.dataframe(overview, hide_index=True, width="stretch")
    view, comparison = st.tabs(["One run", "Compare two runs"])
    names = [r.name for r in runs]
    by_name = {r.name: r for r in runs}
    with view:
        chosen = by_name[st.selectbox("Run", names, key="cs_eval_run")]
        c1, c2 = st.columns([1, 1])
        with c1:
            st.dataframe(summary_frame(chosen), hide_index=True, width="stretch")
        with c2:
            report = chosen.path / "report.md"
            if report.is_file():
                with st.container(height=420):
                    st.markdown(report.read_text(encoding="utf-8"))
        for plot in sorted(chosen.path.glob("*.png")):
            st.image(str(plot), caption=plot.name, width=640)
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
