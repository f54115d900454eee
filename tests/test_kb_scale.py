"""Sentence vectors stored at ingest and the BM25 index saved on disk, on a real Chroma."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims.settings import Settings
from retrieval import KnowledgeBase, open_knowledge_base
from retrieval.embedder import default_embedder
from retrieval.knowledge_base import lexical_dir
from retrieval.lexical import LexicalIndex, LexicalStore

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
BRICS = (
    "Brics is a group of emerging economies. Brics began in 2009 with four members: "
    "Brazil, Russia, India and China. South Africa joined the group in 2010."
)
KAZAN = (
    "The 2024 Brics summit was held in the Russian city of Kazan. Leaders of nine member "
    "states attended. Russia's parliament ratified a defence pact with North Korea."
)
VOLGA = "The Volga is the longest river in Europe. A new bridge over the Volga opened in Kazan."
QUERIES = [
    "When did Brics begin, and with how many members?",
    "Where was the 2024 Brics summit held?",
    "Which river is the longest in Europe?",
    "Did South Africa join Brics?",
]


@pytest.fixture(scope="module")
def embedder():
    return default_embedder()


def write_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brics.txt").write_text(BRICS, encoding="utf-8")
    (folder / "kazan.txt").write_text(KAZAN, encoding="utf-8")
    return folder


def kb_at(home: Path, embedder) -> KnowledgeBase:
    return open_knowledge_base(Settings(home=home), embedder)


def sentence_ids(kb: KnowledgeBase) -> list[str]:
    return sorted(kb._sentences.get(include=[])["ids"])


def expected_sentence_ids(kb: KnowledgeBase) -> list[str]:
    snapshot = kb._current_snapshot()
    return sorted(
        f"{pid}:{i}"
        for pid, meta in zip(snapshot.ids, snapshot.metadatas, strict=True)
        for i in range(len(json.loads(meta["sentences"])))
    )


def rankings(kb: KnowledgeBase) -> list[list[tuple[str, list[int]]]]:
    return [[(e.passage.id, e.best_sentences) for e in kb.search(q, top_k=3)] for q in QUERIES]


def test_sentence_vectors_follow_ingest_reingest_edit_and_removal(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    kb = kb_at(tmp_path / "home", embedder)
    kb.ingest_paths([sources], progress=False)
    stored = sentence_ids(kb)
    assert len(stored) == 6 and stored == expected_sentence_ids(kb)
    vectors = kb._sentences.get(ids=stored[:1], include=["embeddings"])["embeddings"]
    assert len(vectors[0]) == 384

    again = kb.ingest_paths([sources], progress=False)
    assert again.added == 0 and sentence_ids(kb) == stored

    (sources / "brics.txt").write_text("Brics began in 2009. Egypt joined in 2024.", "utf-8")
    kb.ingest_paths([sources / "brics.txt"], progress=False)
    edited = sentence_ids(kb)
    assert edited == expected_sentence_ids(kb) and len(edited) == 5
    assert not set(edited) & {s for s in stored if s not in edited} and edited != stored

    assert kb.remove_source(str(sources / "kazan.txt")) == 1
    assert sentence_ids(kb) == expected_sentence_ids(kb) and len(sentence_ids(kb)) == 2


def test_stored_and_query_time_sentence_rankings_agree(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    (sources / "volga.txt").write_text(VOLGA, encoding="utf-8")
    home = tmp_path / "home"
    kb = kb_at(home, embedder)
    kb.ingest_paths([sources], progress=False)
    stored = rankings(kb)
    assert kb.sentence_fallbacks == 0
    assert any(len(order) > 1 for result in stored for _, order in result)

    # A store from before sentence vectors: its passages' sentences are embedded per query.
    kb._sentences.delete(ids=sentence_ids(kb))
    old = kb_at(home, embedder)
    assert rankings(old) == stored
    assert old.sentence_fallbacks > 0

    # `kb repair` fills them in.
    assert old.repair(progress=False) == len(old._current_snapshot())
    assert sentence_ids(old) == expected_sentence_ids(old)
    repaired = kb_at(home, embedder)
    assert rankings(repaired) == stored and repaired.sentence_fallbacks == 0


def test_bm25_index_is_saved_and_loaded_by_a_new_instance(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    home = tmp_path / "home"
    writer = kb_at(home, embedder)
    writer.ingest_paths([sources], progress=False)
    folder = lexical_dir(Settings(home=home))
    assert [p.name for p in folder.iterdir()] != []

    reader = kb_at(home, embedder)
    top = reader.search("Where was the 2024 Brics summit held?", top_k=1)[0]
    assert "Kazan" in top.passage.text and top.bm25_score is not None
    assert (reader.lexical_loads, reader.lexical_builds) == (1, 0)
    reader.search("Brics members", top_k=1)
    assert (reader.lexical_loads, reader.lexical_builds) == (1, 0)  # kept in memory

    # another process ingests: it saves the new revision's index, which this one loads
    (sources / "volga.txt").write_text(VOLGA, encoding="utf-8")
    script = (
        "import sys\n"
        "from claims.settings import Settings\n"
        "from retrieval import open_knowledge_base\n"
        "kb = open_knowledge_base(Settings(home=sys.argv[1]))\n"
        "kb.ingest_paths([sys.argv[2]], progress=False)\n"
        "print(kb.lexical_builds)\n"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, "-c", script, str(home), str(sources / "volga.txt")],
        capture_output=True, text=True, env=env, timeout=300, cwd=REPO,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "1"  # the writer built the new index once
    found = reader.search("Which river is the longest in Europe?", top_k=3)
    volga = [e for e in found if "Volga" in e.passage.text]
    assert volga and volga[0].bm25_score is not None
    assert (reader.lexical_loads, reader.lexical_builds) == (2, 0)
    assert len(list(folder.iterdir())) <= 2  # older revisions pruned


def test_an_ingest_updates_the_saved_index_without_reading_the_store_back(tmp_path, embedder):
    sources = write_sources(tmp_path / "sources")
    home = tmp_path / "home"
    kb = kb_at(home, embedder)
    kb.ingest_paths([sources / "brics.txt"], progress=False)
    kb.search("Brics", top_k=1)
    reads = []
    real_read = kb._read_snapshot
    kb._read_snapshot = lambda count: reads.append(count) or real_read(count)  # type: ignore[method-assign]
    kb.ingest_paths([sources / "kazan.txt"], progress=False)
    assert reads == []  # derived from the snapshot in memory
    fresh = kb_at(home, embedder)
    assert fresh._current_snapshot().ids == kb._current_snapshot().ids
    assert fresh.lexical_builds == 0


# ------------------------------------------------------------------ LexicalStore


def small_index(n: int = 3) -> LexicalIndex:
    texts = [f"passage number {i} about rivers" for i in range(n)]
    return LexicalIndex([f"p{i}" for i in range(n)], texts, [{"source": "s"} for _ in texts])


def test_lexical_store_round_trip_and_damage(tmp_path):
    store = LexicalStore(tmp_path / "lex")
    assert store.load("abc:3") is None
    index = small_index()
    assert store.save("abc:3", index)
    loaded = store.load("abc:3")
    assert loaded is not None and loaded.ids == index.ids
    assert loaded.search("rivers number 2", top_k=1) == index.search("rivers number 2", top_k=1)
    assert store.save("abc:3", small_index())  # already there: kept as is
    for name in (tmp_path / "lex").iterdir():
        (name / "records.json").write_text("{not json", encoding="utf-8")
    assert store.load("abc:3") is None


def test_lexical_store_keeps_the_newest_revisions_and_empty_ones(tmp_path):
    store = LexicalStore(tmp_path / "lex")
    for n, key in enumerate(["a:3", "b:3", "c:3"]):
        store.save(key, small_index())
        os.utime(tmp_path / "lex" / key.replace(":", "-"), (n, n))
    assert sorted(p.name for p in (tmp_path / "lex").iterdir()) == ["b-3", "c-3"]
    store.save(":0", LexicalIndex([], [], []))
    empty = store.load(":0")
    assert empty is not None and len(empty) == 0 and empty.search("rivers", top_k=3) == []


def test_lexical_store_that_cannot_be_written_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    assert not LexicalStore(blocker / "lex").save("a:3", small_index())
