"""Known datasets by name: where their files live, how to load and how to fetch them.

A dataset is named ``NAME`` or ``NAME:SPLIT`` (``scifact``, ``scifact:train``,
``fever-symmetric:dev``). Files are looked for in ``DATA_DIR/<folder>`` with the
original layout, which is also what :func:`fetch_dataset` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claims.errors import InputError
from eval.datasets import checkworthy, fever, scifact, wice
from eval.datasets.fetch import Download, fetch
from eval.datasets.format import (
    CheckworthinessSet,
    Dataset,
    is_checkworthiness_folder,
    read_checkworthiness,
    read_dataset,
)


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    folder: str
    default_split: str
    task: str  # "verification" or "checkworthiness"
    load: Callable[[Path, str], Dataset | CheckworthinessSet]
    downloads: tuple[Download, ...]
    description: str


KNOWN: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec("scifact", "scifact", "dev", "verification", scifact.load, scifact.DOWNLOADS,
                    "SciFact claims vs. 5,183 abstracts (dev: 300 claims)"),
        DatasetSpec("fever-symmetric", "fever_symmetric", "test", "verification",
                    fever.load_symmetric, fever.SYMMETRIC_DOWNLOADS,
                    "FEVER-Symmetric v0.2 claim/evidence pairs (test: 712)"),
        DatasetSpec("feverous-s", "feverous", "dev", "verification", fever.load_feverous,
                    fever.FEVEROUS_DOWNLOADS, "FEVEROUS-S dev via ProgramFC (2,962 claims)"),
        DatasetSpec("wice", "wice", "test", "verification", wice.load, wice.DOWNLOADS,
                    "WiCE Wikipedia claims vs. cited pages (test: 358)"),
        DatasetSpec("claimbuster", "claimbuster", "test", "checkworthiness",
                    checkworthy.load_claimbuster, checkworthy.CLAIMBUSTER_DOWNLOADS,
                    "ClaimBuster check-worthiness gold test (702 sentences)"),
        DatasetSpec("checkthat", "checkthat", "dev-test", "checkworthiness",
                    checkworthy.load_checkthat, checkworthy.CHECKTHAT_DOWNLOADS,
                    "CLEF CheckThat! 2024 Task 1 English (dev-test: 318 sentences)"),
    )
}  # fmt: skip


def parse_name(name: str) -> tuple[DatasetSpec, str]:
    """The spec and split that ``NAME[:SPLIT]`` asks for."""
    base, _, split = name.partition(":")
    spec = KNOWN.get(base.lower())
    if spec is None:
        raise InputError(
            f"unknown dataset {name!r}: give a folder in the generic format or one of "
            + ", ".join(sorted(KNOWN))
        )
    return spec, split or spec.default_split


def load_any(path_or_name: str, data_dir: Path) -> Dataset | CheckworthinessSet:
    """A generic-format folder if ``path_or_name`` is one, else a known dataset by name."""
    path = Path(path_or_name).expanduser()
    if path.is_dir():
        return read_checkworthiness(path) if is_checkworthiness_folder(path) else read_dataset(path)
    spec, split = parse_name(path_or_name)
    root = data_dir / spec.folder
    if not root.is_dir():
        raise InputError(
            f"{spec.name} files not found in {root}: pass --data-dir, or fetch them with "
            f"`claimscope eval fetch {spec.name} --data-dir {data_dir}`"
        )
    return spec.load(root, split)


def fetch_dataset(name: str, data_dir: Path, *, base_url: str | None = None) -> list[Path]:
    """Download a known dataset's original files into ``data_dir/<folder>``."""
    spec, _ = parse_name(name)
    return fetch(spec.downloads, data_dir / spec.folder, base_url=base_url)
