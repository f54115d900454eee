"""One writer at a time per knowledge base; readers never wait.

An ingest reads which passages a source already has, embeds what is new and then
adds and deletes. Two writers interleaving those steps keep stale passages (each
deletes only what it saw) and both report the same passages as added. So every
write phase holds the store's write lock:

* embedded store: a lock file in the data directory (``filelock``, released by the
  OS if the process dies, so a killed ingest never leaves the store locked);
* Chroma server: a lock record in a small side collection, with an expiry so a
  writer that died releases it after ``LEASE_S`` seconds. Chroma has no
  compare-and-set, so the record is written and then read back: a writer owns
  the lock only when the record it reads back is its own.

A second writer waits (saying so once on the log) up to ``timeout_s`` seconds and
then fails with a :class:`~claims.errors.StoreError`.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock
from filelock import Timeout as FileLockTimeout

from claims.errors import StoreError

log = logging.getLogger(__name__)

LOCK_FILE = ".claimscope-write.lock"
LOCK_COLLECTION_SUFFIX = "__writelock"
LEASE_S = 600.0  # a server-mode lock not renewed for this long belongs to a dead writer
POLL_S = 0.5

WaitNotice = Callable[[str], None]


def _warn(message: str) -> None:
    log.warning("%s", message)


@contextmanager
def file_write_lock(
    directory: Path, *, timeout_s: float, where: str, notice: WaitNotice = _warn
) -> Iterator[None]:
    """Hold the embedded store's lock file for the block."""
    lock = FileLock(str(Path(directory) / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except FileLockTimeout:
        notice(f"another process is writing to the knowledge base at {where}; waiting…")
        try:
            lock.acquire(timeout=timeout_s)
        except FileLockTimeout:
            raise StoreError(
                f"cannot write to the knowledge base at {where}: another process has been "
                f"writing to it for over {timeout_s:.0f} s; try again when it has finished"
            ) from None
    except OSError as exc:
        raise StoreError(
            f"cannot lock the knowledge base at {where} for writing ({exc.strerror or exc})"
        ) from None
    try:
        yield
    finally:
        lock.release()


class ServerWriteLock:
    """The lock record of one collection on a Chroma server."""

    def __init__(self, collection: Any, *, where: str, clock: Callable[[], float] = time.time):
        self._collection = collection
        self._where = where
        self._clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def _holder(self) -> tuple[str | None, float]:
        got = self._collection.get(ids=["writer"], include=["metadatas"])
        if not got["ids"]:
            return None, 0.0
        meta = (got["metadatas"] or [{}])[0] or {}
        return str(meta.get("owner") or ""), float(meta.get("expires", 0.0))

    def try_acquire(self) -> bool:
        holder, expires = self._holder()
        if holder and holder != self.owner and expires > self._clock():
            return False
        self._collection.upsert(
            ids=["writer"],
            documents=["write lock"],
            metadatas=[{"owner": self.owner, "expires": self._clock() + LEASE_S}],
            embeddings=[[0.0, 0.0]],
        )
        holder, _ = self._holder()
        return holder == self.owner

    def release(self) -> None:
        holder, _ = self._holder()
        if holder == self.owner:
            self._collection.delete(ids=["writer"])


@contextmanager
def server_write_lock(
    lock: ServerWriteLock, *, timeout_s: float, where: str, notice: WaitNotice = _warn
) -> Iterator[None]:
    """Hold a Chroma server collection's lock record for the block."""
    deadline = time.monotonic() + timeout_s
    told = False
    while not lock.try_acquire():
        if not told:
            notice(f"another process is writing to the knowledge base at {where}; waiting…")
            told = True
        if time.monotonic() >= deadline:
            raise StoreError(
                f"cannot write to the knowledge base at {where}: another process has been "
                f"writing to it for over {timeout_s:.0f} s; try again when it has finished"
            )
        time.sleep(POLL_S)
    try:
        yield
    finally:
        lock.release()
