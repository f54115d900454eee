"""One document out of a source, and ingest progress per document (real Chroma)."""

from __future__ import annotations

from retrieval.documents import Document
from retrieval.embedder import default_embedder
from tests.test_chroma_kb import kb_at
from tests.test_kb_scale import expected_sentence_ids, sentence_ids

PAGES = [
    Document(
        id=f"p{i}",
        source="feed.jsonl",
        title=f"Page {i}",
        text=f"Kazan hosted meeting number {i} of the summit. " * (1 + i % 3),
    )
    for i in range(5)
]


def test_remove_one_document_keeps_the_rest_of_its_source(tmp_path):
    kb = kb_at(tmp_path / "home", default_embedder())
    other = Document(id="x", source="other.md", title="Other", text="Glaciers are melting fast.")
    kb.ingest_documents([*PAGES, other])
    before = {(d["source"], d["doc_id"]): d["passages"] for d in kb.documents()}

    removed = kb.remove_document("feed.jsonl", "p2")

    assert removed == before[("feed.jsonl", "p2")] >= 1
    after = {(d["source"], d["doc_id"]) for d in kb.documents()}
    assert after == set(before) - {("feed.jsonl", "p2")}
    assert kb.stats()["passages"] == sum(before.values()) - removed
    assert all(e.passage.doc_id != "p2" for e in kb.search("meeting number 2", top_k=10))
    # its sentence vectors went with it; the others stay
    assert sentence_ids(kb) == expected_sentence_ids(kb)
    # nothing of that name: nothing removed; a doc id of another source is not touched
    assert kb.remove_document("feed.jsonl", "p2") == 0
    assert kb.remove_document("other.md", "p1") == 0
    assert len(kb.documents()) == len(after)
    # ingesting the source again brings the document back
    kb.ingest_documents(PAGES)
    assert ("feed.jsonl", "p2") in {(d["source"], d["doc_id"]) for d in kb.documents()}


def test_ingest_reports_progress_per_document_inside_one_source(tmp_path):
    kb = kb_at(tmp_path / "home", default_embedder())
    calls: list[tuple[int, int]] = []
    report = kb.ingest_documents(PAGES, on_document=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 5) for n in range(1, 6)]
    assert report.documents == 5 and report.added == report.passages == kb.stats()["passages"]
    # the vectors are those of a plain ingest (embedded in another order)
    plain = kb_at(tmp_path / "plain", default_embedder())
    plain.ingest_documents(PAGES)
    ids = kb._collection.get(include=["embeddings"])
    by_id = dict(zip(ids["ids"], ids["embeddings"], strict=True))
    other = plain._collection.get(include=["embeddings"])
    for pid, vector in zip(other["ids"], other["embeddings"], strict=True):
        assert abs(by_id[pid] - vector).max() < 1e-4
    # and so are the sentence vectors, each under its passage's sentence
    assert sentence_ids(kb) == expected_sentence_ids(kb) == sentence_ids(plain)
    mine = kb._sentences.get(include=["embeddings"])
    stored = plain._sentences.get(include=["embeddings"])
    theirs = dict(zip(stored["ids"], stored["embeddings"], strict=True))
    for sid, vector in zip(mine["ids"], mine["embeddings"], strict=True):
        assert abs(theirs[sid] - vector).max() < 1e-4
    # unchanged documents still count, so the bar reaches the end on a re-ingest
    calls.clear()
    again = kb.ingest_documents(PAGES, on_document=lambda done, total: calls.append((done, total)))
    assert again.added == 0 and calls[-1] == (5, 5)
