"""One writer at a time: two real ingest processes on one embedded store, and the
server-mode lock record on a real `chroma run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.errors import StoreError
from retrieval.locking import ServerWriteLock, file_write_lock, server_write_lock
from tests.test_chroma_kb import chroma_server  # noqa: F401  (the loopback server fixture)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent

# A writer process: ingests FOLDER into HOME. With GATE set, its embedder waits for the
# gate file before the first batch, so the process sits inside its write phase.
WRITER = """
import json, logging, sys, time
from pathlib import Path
from claims.settings import Settings
from retrieval import open_knowledge_base
from retrieval.embedder import default_embedder

logging.basicConfig(level=logging.WARNING, format="%(message)s")
home, folder, gate, started = sys.argv[1:5]
real = default_embedder()

class Gated:
    name = real.name
    def embed(self, texts):
        if gate != "-":
            Path(started).write_text("embedding")
            while not Path(gate).exists():
                time.sleep(0.05)
        return real.embed(texts)

kb = open_knowledge_base(Settings(home=home), Gated())
report = kb.ingest_paths([folder], progress=False)
print(json.dumps({"added": report.added, "removed": report.removed,
                  "unchanged": report.unchanged, "passages": kb.stats()["passages"]}))
"""


def _writer(home: Path, folder: Path, gate: Path | None, started: Path) -> subprocess.Popen:
    """A writer process; its log goes to ``started`` + ".log" so the test can watch it."""
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    log = Path(f"{started}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home), str(folder), str(gate or "-"), str(started)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )


def _wait_for_text(path: Path, text: str, process: subprocess.Popen, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while text not in (path.read_text() if path.exists() else ""):
        assert process.poll() is None, f"writer finished without waiting: {path.read_text()}"
        assert time.monotonic() < deadline, f"no {text!r} in the writer's log"
        time.sleep(0.1)


def _wait_for(path: Path, process: subprocess.Popen, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"writer exited early: {process.communicate()[1][-2000:]}")
        assert time.monotonic() < deadline, "the writer never reached its write phase"
        time.sleep(0.05)


def test_a_second_ingest_waits_and_no_stale_passage_survives(tmp_path: Path):
    folder = tmp_path / "sources"
    folder.mkdir()
    for i in range(5):
        (folder / f"doc{i}.txt").write_text(f"Document {i} says the river is {i} km long.\n")
    home, gate, started = tmp_path / "home", tmp_path / "gate", tmp_path / "started"

    first = _writer(home, folder, gate, started)
    _wait_for(started, first)
    for i in range(5):  # the files change while the first ingest is embedding
        with (folder / f"doc{i}.txt").open("a") as handle:
            handle.write(f"An added line {i} about a bridge.\n")
    second = _writer(home, folder, None, tmp_path / "started-2")
    # The second writer says it waits, and stays waiting while the first holds the lock.
    waiting = "another process is writing to the knowledge base"
    _wait_for_text(tmp_path / "started-2.log", waiting, second)
    time.sleep(1)
    assert second.poll() is None, "the second ingest finished while the first held the lock"
    gate.write_text("go")
    out_first, _ = first.communicate(timeout=180)
    out_second, _ = second.communicate(timeout=180)
    assert first.returncode == 0, (tmp_path / "started.log").read_text()
    assert second.returncode == 0, (tmp_path / "started-2.log").read_text()
    a, b = json.loads(out_first.splitlines()[-1]), json.loads(out_second.splitlines()[-1])
    assert a["added"] == 5
    assert (b["added"], b["removed"]) == (5, 5)  # the edit replaced what the first wrote
    assert b["passages"] == 5  # one passage per file: nothing stale left searchable


def test_an_unchanged_folder_is_added_once_by_two_writers(tmp_path: Path):
    folder = tmp_path / "sources"
    folder.mkdir()
    for i in range(3):
        (folder / f"doc{i}.txt").write_text(f"Fact number {i} about Kazan.\n")
    home, gate, started = tmp_path / "home", tmp_path / "gate", tmp_path / "started"
    first = _writer(home, folder, gate, started)
    _wait_for(started, first)
    second = _writer(home, folder, None, tmp_path / "started-2")
    _wait_for_text(tmp_path / "started-2.log", "writing to the knowledge base", second)
    gate.write_text("go")
    a = json.loads(first.communicate(timeout=180)[0].splitlines()[-1])
    b = json.loads(second.communicate(timeout=180)[0].splitlines()[-1])
    assert (a["added"], b["added"], b["unchanged"]) == (3, 0, 3)


def test_file_lock_times_out_with_a_clear_error(tmp_path: Path):
    with file_write_lock(tmp_path, timeout_s=5, where="here"):
        # filelock is re-entrant within one process; another lock object on the same
        # file from a child process is what a second writer would be.
        code = (
            "import sys\n"
            "from pathlib import Path\n"
            "from claims.errors import StoreError\n"
            "from retrieval.locking import file_write_lock\n"
            "try:\n"
            f"    with file_write_lock(Path({str(tmp_path)!r}), timeout_s=0.5, where='here'):\n"
            "        pass\n"
            "except StoreError as exc:\n"
            "    print(exc); sys.exit(3)\n"
        )
        env = dict(os.environ, PYTHONPATH=str(REPO))
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
    assert out.returncode == 3, out.stderr
    assert "another process has been writing to it" in out.stdout


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_server_lock_record_admits_one_writer(chroma_server: str):  # noqa: F811
    import chromadb

    from retrieval.embedder import default_embedder
    from retrieval.store import ChromaEmbeddingFunction

    port = int(chroma_server.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    side = client.get_or_create_collection(
        "locktest__writelock", embedding_function=ChromaEmbeddingFunction(default_embedder())
    )
    clock = _Clock()
    one = ServerWriteLock(side, where=chroma_server, clock=clock)
    two = ServerWriteLock(side, where=chroma_server, clock=clock)
    assert one.try_acquire()
    assert not two.try_acquire()
    with pytest.raises(StoreError, match="another process has been writing"):
        with server_write_lock(two, timeout_s=0.6, where=chroma_server, notice=lambda m: None):
            pass
    clock.now += 10_000  # the first writer died: its lease expired
    assert two.try_acquire()
    one.release()  # not the holder any more: releasing changes nothing
    assert not one.try_acquire()
    two.release()
    assert one.try_acquire()
    one.release()
