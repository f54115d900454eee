"""Shared fixtures: every test runs with its own data directory and no API key."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SHARED_DATA = SHARED / "data"
EXAMPLES = SHARED / "examples"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "claimscope-home"
    monkeypatch.setenv("CLAIMSCOPE_HOME", str(home))
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "CLAIMSCOPE_CHROMA_URL",
        "CLAIMSCOPE_LLM",
        "CLAIMSCOPE_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


def require_shared(path: Path) -> Path:
    """Skip the calling test with a clear reason when shared benchmark data is absent."""
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (it lives beside the repository)")
    return path
