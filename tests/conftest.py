"""Shared fixtures: every test runs with its own data directory, no API key, no
claimscope variables of the developer's shell and no ``.env`` file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claims.settings import Settings, default_data_dir, field_for_variable

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SHARED_DATA = default_data_dir()  # CLAIMSCOPE_DATA_DIR, else ../shared/data
EXAMPLES = SHARED / "examples"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "claimscope-home"
    for name in list(os.environ):
        if field_for_variable(name) is not None:
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLAIMSCOPE_HOME", str(home))
    monkeypatch.setitem(Settings.model_config, "env_file", None)
    return home


def require_shared(path: Path) -> Path:
    """Skip the calling test with a clear reason when shared benchmark data is absent."""
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (it lives beside the repository)")
    return path
