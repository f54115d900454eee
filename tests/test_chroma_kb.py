"""The knowledge base on a real Chroma: embedded store and a `chroma run` server on loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import chromadb
import pytest
from chromadb.errors import InternalError

from claims.errors import ConfigError, StoreError, UnsupportedFileError
from claims.models import SearchFilters
from claims.protocols import Retriever
from claims.settings import Settings
from retrieval import KnowledgeBase, open_knowledge_base
from retrieval.embedder import default_embedder
from retrieval.store import parse_chroma_url

pytestmark = pytest.mark.integration

BRICS = (
    "Brics is a group of emerging economies. Brics began in 2009 with four members: "
    "Brazil, Russia, India and China. South Africa joined the group in 2010."
)
KAZAN = (
    "# Kazan summit\n\nThe 2024 Brics summit was held in the Russian city of Kazan. "
    "Russia's lower house of parliament voted unanimously to ratify a defence pact with North Korea."
)
FEED = [
    {
        "id": "old",
        "title": "Volga",
        "text": "The Volga is the longest river in Europe.",
        "published": "2001-05-01",
    },
    {
        "id": "new",
        "title": "Volga bridge",
        "text": "A new bridge over the Volga river opened in Kazan.",
        "published": "2023-03-01",
    },
]


@pytest.fixture(scope="module")
def embedder():
    return default_embedder()


def write_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brics.txt").write_text(BRICS, encoding="utf-8")
    (folder / "kazan.md").write_text(KAZAN, encoding="utf-8")
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in FEED), encoding="utf-8")
    return folder


def kb_at(home: Path, embedder, **overrides) -> KnowledgeBase:
    return open_knowledge_base(Settings(home=home, **overrides), embedder)


def snapshot(kb: KnowledgeBase) -> tuple[int, list[str]]:
    page = kb._collection.get(include=[])
    return kb.stats()["passages"], sorted(page["ids"])


def check_ingest_and_search(kb: KnowledgeBase, sources: Path) -> None:
    report = kb.ingest_paths([sources], progress=False)
    assert report.added == report.passages > 0 and report.unchanged == 0
    assert isinstance(kb, Retriever)
    evidence = kb.search("When did Brics begin, and with how many members?", top_k=3)
    assert [e.rank for e in evidence] == [1, 2, 3]
    top = evidence[0]
    assert top.passage.source == str((sources / "brics.txt").resolve())
    assert top.passage.sentences[top.best_sentences[0]].text.startswith("Brics began in 2009")
    assert top.dense_score is not None and top.bm25_score is not None
    assert top.score >= evidence[1].score
    for e in evidence:
        p = e.passage
        assert sorted(e.best_sentences) == list(range(len(p.sentences)))
        assert all(p.text[s.start : s.end] == s.text for s in p.sentences)
        assert p.ingested_at is not None


def test_embedded_store_ingests_and_searches(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    check_ingest_and_search(kb, sources)
    stats = kb.stats()
    assert stats["sources"] == 3 and stats["documents"] == 4 and stats["passages"] >= 4
    rows = {Path(r["source"]).name: r for r in kb.sources()}
    assert rows["kazan.md"]["title"] == "Kazan summit"
    assert rows["feed.jsonl"]["documents"] == 2 and rows["feed.jsonl"]["published"] == "2023-03-01"


def test_reingesting_the_same_files_adds_nothing(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    first = kb.ingest_paths([sources], progress=False)
    before = snapshot(kb)
    again = kb.ingest_paths([sources], progress=False)
    assert (again.added, again.removed, again.unchanged) == (0, 0, first.passages)
    assert snapshot(kb) == before


def test_an_edited_file_replaces_its_old_passages(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    kb.ingest_paths([sources], progress=False)
    brics = sources / "brics.txt"
    brics.write_text("Brics began in 2009. Egypt and Iran joined Brics in 2024.", encoding="utf-8")
    report = kb.ingest_paths([brics], progress=False)
    assert report.added == 1 and report.removed == 1
    texts = [e.passage.text for e in kb.search("Brics members", top_k=10)]
    assert any("Egypt and Iran" in t for t in texts)
    assert not any("South Africa" in t for t in texts)
    assert kb.stats()["sources"] == 3
    brics.write_text("  \n", encoding="utf-8")  # emptied: its passages go, and the report says why
    emptied = kb.ingest_paths([brics], progress=False)
    assert emptied.removed == 1 and "no text" in emptied.summary()
    assert kb.stats()["sources"] == 2


def test_filters_by_source_and_publication_date(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    kb.ingest_paths([sources], progress=False)
    feed = str((sources / "feed.jsonl").resolve())
    only_feed = kb.search("Kazan", top_k=5, filters=SearchFilters(source=feed))
    assert only_feed and {e.passage.source for e in only_feed} == {feed}
    before_2010 = kb.search(
        "Volga river bridge Kazan",
        top_k=5,
        filters=SearchFilters(published_before=date(2010, 1, 1)),
    )
    assert [e.passage.doc_id for e in before_2010] == ["old"]
    assert before_2010[0].passage.published == date(2001, 5, 1)
    assert kb.search("Volga", filters=SearchFilters(source="/no/such/source")) == []


def test_remove_source_and_empty_queries(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    kb.ingest_paths([sources], progress=False)
    assert (
        kb.remove_source(str(sources / "brics.txt")) == 1
    )  # a relative or unresolved path works too
    assert kb.remove_source("no-such-source") == 0
    assert all(
        not e.passage.source.endswith("brics.txt")
        for e in kb.search("Brics began in 2009", top_k=10)
    )
    assert kb.search("   ") == []


def test_a_bad_file_among_good_ones_leaves_the_store_unchanged(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    kb.ingest_paths([sources / "brics.txt"], progress=False)
    before = snapshot(kb)
    (sources / "brics.txt").write_text("Brics was renamed.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Caf\u00e9".encode("latin-1"))
    with pytest.raises(UnsupportedFileError, match="not UTF-8"):
        kb.ingest_paths([sources / "brics.txt", sources / "kazan.md", bad], progress=False)
    assert snapshot(kb) == before


def test_a_failed_write_is_rolled_back(tmp_path, embedder, monkeypatch):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    kb.ingest_paths([sources / "brics.txt"], progress=False)
    before = snapshot(kb)
    (sources / "brics.txt").write_text(
        "Brics was renamed. " * 60, encoding="utf-8"
    )  # several passages
    kb._max_batch = 1
    real_add, calls = kb._collection.add, []

    def add_then_fail(**kwargs):
        calls.append(kwargs["ids"])
        if len(calls) == 3:
            raise InternalError("disk full")
        return real_add(**kwargs)

    monkeypatch.setattr(kb._collection, "add", add_then_fail)
    with pytest.raises(StoreError, match="disk full"):
        kb.ingest_paths([sources], progress=False)
    assert len(calls) == 3
    assert snapshot(kb) == before


def test_a_store_embedded_with_another_model_fails_cleanly(tmp_path, embedder):
    from fakes import FakeEmbedder

    sources = write_sources(tmp_path / "sources")
    kb_at(tmp_path / "home", embedder).ingest_paths([sources / "brics.txt"], progress=False)
    other = kb_at(tmp_path / "home", FakeEmbedder())
    before = snapshot(other)
    with pytest.raises(StoreError, match="dimension"):
        other.ingest_paths([sources / "kazan.md"], progress=False)
    assert snapshot(other) == before


def test_store_directory_that_cannot_be_created_is_a_store_error(tmp_path, embedder):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(StoreError, match="not writable"):
        kb_at(blocker, embedder)


def test_corrupt_store_is_a_store_error(tmp_path, embedder):
    store = tmp_path / "home" / "chroma"
    store.mkdir(parents=True)
    (store / "chroma.sqlite3").write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="corrupt"):
        kb_at(tmp_path / "home", embedder)


def test_a_reopened_store_searches_in_a_new_process(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb_at(tmp_path / "home", embedder).ingest_paths([sources], progress=False)
    # A fresh process opens the collection through plain chromadb, with no embedding
    # function passed: Chroma must rebuild ours from the stored config (no download).
    script = (
        "import chromadb, retrieval\n"
        "from chromadb.config import Settings\n"
        f"client = chromadb.PersistentClient({str(tmp_path / 'home' / 'chroma')!r}, settings=Settings(anonymized_telemetry=False))\n"
        "col = client.get_collection('claimscope')\n"
        "hits = col.query(query_texts=['When did Brics begin?'], n_results=1, include=['documents'])\n"
        "print(type(col.configuration['embedding_function']).__name__)\n"
        "print(hits['documents'][0][0])\n"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", NO_PROXY="*", HTTPS_PROXY="http://127.0.0.1:9")
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    name, top = out.stdout.strip().splitlines()[-2:]
    assert name == "ChromaEmbeddingFunction"
    assert "Brics began in 2009" in top
    reopened = kb_at(tmp_path / "home", embedder)
    assert reopened.search("When did Brics begin?", top_k=1)[0].passage.source.endswith("brics.txt")


def test_chroma_urls_are_parsed():
    assert parse_chroma_url("http://127.0.0.1:8123") == ("127.0.0.1", 8123, False)
    assert parse_chroma_url("localhost") == ("localhost", 8000, False)
    assert parse_chroma_url("https://chroma.example.org") == ("chroma.example.org", 443, True)
    with pytest.raises(ConfigError):
        parse_chroma_url("ftp://x")


# ------------------------------------------------------------------ chroma server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real `chroma run` on loopback, stopped at teardown."""
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(executable).exists():
        pytest.skip("the `chroma` executable (from the chromadb package) is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [executable, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(
                    f"chroma server did not start: {(data / 'server.log').read_text()[-500:]}"
                )
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def test_chroma_server_ingests_and_searches(tmp_path, embedder, chroma_server, monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_CHROMA_URL", chroma_server)
    settings = Settings.from_env(collection="server-test")
    kb = open_knowledge_base(settings, embedder)
    assert kb.where == chroma_server
    sources = write_sources(tmp_path / "sources")
    check_ingest_and_search(kb, sources)
    again = kb.ingest_paths([sources], progress=False)
    assert again.added == 0 and again.removed == 0
    (sources / "brics.txt").write_text(
        "Brics began in 2009. Egypt joined Brics in 2024.", encoding="utf-8"
    )
    edited = kb.ingest_paths([sources / "brics.txt"], progress=False)
    assert (edited.added, edited.removed) == (1, 1)
    # a second client (another user of the same server) sees the change
    other = open_knowledge_base(settings, embedder)
    assert any("Egypt" in e.passage.text for e in other.search("Egypt joined Brics", top_k=3))
    # sentence vectors live on the server; the BM25 index is cached locally per revision
    assert other.sentence_fallbacks == 0
    assert (other.lexical_loads, other.lexical_builds) == (1, 0)
    assert other._sentences.count() == sum(
        len(json.loads(m["sentences"])) for m in other._current_snapshot().metadatas
    )
    assert (settings.cache_dir / "lexical").is_dir()
    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_server.rsplit(":", 1)[1]))
    assert client.get_collection("server-test").count() == other.stats()["passages"]


def test_unreachable_chroma_server_is_a_store_error(embedder):
    with pytest.raises(StoreError, match="unreachable"):
        open_knowledge_base(Settings(chroma_url=f"http://127.0.0.1:{free_port()}"), embedder)
