"""A store that notices damage: a deleted vector index is found at open and repaired by
re-embedding; empty, foreign or misplaced database files are refused and left untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claims.errors import StoreError
from claims.models import SearchFilters
from claims.settings import Settings
from retrieval import Document, open_knowledge_base
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
# More passages than Chroma keeps in its write-ahead log (1,000), so that the vector
# index cannot be rebuilt from the log once its segment folder is gone.
PASSAGES = 1500

INGEST = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
from claims.settings import Settings
from retrieval import Document, open_knowledge_base
from tests.fakes import FakeEmbedder
kb = open_knowledge_base(Settings(home=sys.argv[1]), FakeEmbedder())
docs = [Document(id=f"d{{i}}", source=f"s{{i}}.txt",
                 text=f"Fact {{i}}: river {{i}} is {{i * 10}} km long and flows north.")
        for i in range({PASSAGES})]
print(kb.ingest_documents(docs).added)
"""


def _vector_segments(home: Path) -> list[Path]:
    return [p for p in (home / "chroma").iterdir() if p.is_dir()]


def test_a_deleted_vector_index_is_found_and_repaired(tmp_path: Path):
    home = tmp_path / "home"
    out = subprocess.run(
        [sys.executable, "-c", INGEST, str(home)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == str(PASSAGES)
    for segment in _vector_segments(home):
        shutil.rmtree(segment)

    with pytest.raises(StoreError, match=r"damaged.*answers only .*kb repair"):
        open_knowledge_base(Settings(home=home), FakeEmbedder())

    kb = open_knowledge_base(Settings(home=home), FakeEmbedder(), check_index=False)
    assert kb.index_problem() is not None
    assert kb.repair(progress=False) == PASSAGES
    assert kb.index_problem() is None
    reopened = open_knowledge_base(Settings(home=home), FakeEmbedder())
    hits = reopened.search("How long is river 7?", top_k=20, filters=SearchFilters())
    assert len(hits) == 20
    assert reopened.stats()["passages"] == PASSAGES


def test_an_interrupted_repair_is_finished_on_open(tmp_path: Path):
    home = tmp_path / "home"
    kb = open_knowledge_base(Settings(home=home), FakeEmbedder())
    kb.ingest_documents([Document(id="a", source="a.txt", text="Brics began in 2009.")])
    # What a repair killed after dropping the old collection leaves behind:
    kb._client.get_collection("claimscope").modify(name="claimscope__rebuild")
    again = open_knowledge_base(Settings(home=home), FakeEmbedder())
    assert again.stats()["passages"] == 1


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_database_file_is_refused_and_left_alone(tmp_path: Path):
    database = tmp_path / "home" / "chroma" / "chroma.sqlite3"
    database.parent.mkdir(parents=True)
    database.touch()
    with pytest.raises(StoreError, match="is empty"):
        open_knowledge_base(Settings(home=tmp_path / "home"), FakeEmbedder())
    assert database.stat().st_size == 0


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path: Path):
    database = tmp_path / "home" / "chroma" / "chroma.sqlite3"
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
    before = _digest(database)
    with pytest.raises(StoreError, match="another program"):
        open_knowledge_base(Settings(home=tmp_path / "home"), FakeEmbedder())
    assert _digest(database) == before


def test_a_store_path_that_is_a_file_says_so(tmp_path: Path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "chroma").write_text("not a folder")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        open_knowledge_base(Settings(home=tmp_path / "home"), FakeEmbedder())


def test_kb_check_and_repair_commands(tmp_path: Path):
    home = tmp_path / "home"
    env = dict(os.environ, CLAIMSCOPE_HOME=str(home), PYTHONPATH=str(REPO))
    (tmp_path / "a.txt").write_text("Brics began in 2009 with four members.")
    cli = [sys.executable, "-m", "ui.cli.main"]
    run = subprocess.run(
        [*cli, "ingest", str(tmp_path / "a.txt"), "--no-progress"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    check = subprocess.run(
        [*cli, "kb", "check"], capture_output=True, text=True, env=env, timeout=300
    )
    assert check.returncode == 0 and check.stdout.startswith("ok: 1 passages"), check.stderr
    repair = subprocess.run(
        [*cli, "kb", "repair", "--no-progress"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert repair.returncode == 0, repair.stderr
    assert "repaired: 1 passages" in repair.stdout
