"""KnowledgeBase.documents(): each document of a JSONL, file or folder on its own (real Chroma)."""

from __future__ import annotations

import json

from retrieval.embedder import default_embedder
from tests.test_chroma_kb import FEED, kb_at, write_sources


def test_documents_lists_each_jsonl_line_and_file_with_its_metadata(tmp_path):
    sources = write_sources(tmp_path / "sources")
    feed = sources / "feed.jsonl"
    rows = [
        *FEED,
        {"id": "w", "title": "Wiki", "text": "Kazan is a city.", "url": "https://w.example/k"},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    kb = kb_at(tmp_path / "home", default_embedder())
    kb.ingest_paths([sources], progress=False)
    documents = kb.documents()
    from_feed = [d for d in documents if d["source"].endswith("feed.jsonl")]
    assert [d["title"] for d in from_feed] == ["Volga", "Volga bridge", "Wiki"]
    by_title = {d["title"]: d for d in from_feed}
    assert by_title["Volga"]["published"] == "2001-05-01" and by_title["Volga"]["url"] is None
    assert by_title["Wiki"]["url"] == "https://w.example/k"
    assert all(d["passages"] >= 1 for d in documents)
    assert sum(d["passages"] for d in documents) == kb.stats()["passages"]
    assert len(documents) == kb.stats()["documents"] == 5  # 2 files + 3 lines
