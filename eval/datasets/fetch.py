"""Download a dataset's original files from its official address (for users with internet).

Nothing in claimscope calls this at run time: ``claimscope eval fetch NAME`` does,
on request. ``base_url`` points every download at a mirror that serves the same
file names (tests use a local HTTP server on 127.0.0.1).
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from claims.errors import InputError

TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Download:
    """One file to fetch: its URL and where it goes in the dataset folder.

    With ``extract`` set, the URL is a ``.tar.gz`` whose members under ``extract``
    (a folder inside the archive) are unpacked into the dataset folder.
    """

    url: str
    target: str
    extract: str | None = None

    @property
    def file_name(self) -> str:
        return PurePosixPath(urlsplit(self.url).path).name


def fetch(
    downloads: tuple[Download, ...], dest: Path, *, base_url: str | None = None
) -> list[Path]:
    """Fetch every download into ``dest``; returns the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for item in downloads:
        url = f"{base_url.rstrip('/')}/{item.file_name}" if base_url else item.url
        with tempfile.TemporaryDirectory(dir=dest) as tmp:
            local = Path(tmp) / item.file_name
            _download(url, local)
            if item.extract is not None:
                written.extend(_extract(local, item.extract, dest / item.target))
            else:
                target = dest / item.target
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(local, target)
                written.append(target)
    return written


def _download(url: str, path: Path) -> None:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, path.open("wb") as out:
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as exc:
        raise InputError(f"cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise InputError(f"cannot download {url}: {reason}") from exc


def _extract(archive: Path, inside: str, dest: Path) -> list[Path]:
    prefix = inside.strip("/") + "/"
    written = []
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar.getmembers():
                if not member.isfile() or not member.name.startswith(prefix):
                    continue
                relative = member.name[len(prefix) :]
                if (
                    not relative
                    or relative.startswith("/")
                    or ".." in PurePosixPath(relative).parts
                ):
                    continue
                target = dest / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:
                    continue
                with source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                written.append(target)
    except (tarfile.TarError, OSError) as exc:
        raise InputError(f"cannot unpack {archive.name}: {exc}") from exc
    if not written:
        raise InputError(f"{archive.name} holds no files under {prefix}")
    return written
