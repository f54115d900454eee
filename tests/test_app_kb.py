"""The knowledge-base page on the real Chroma store, and its upload handling."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.errors import InputError
from claims.settings import Settings
from retrieval import open_knowledge_base
from retrieval.documents import Document
from retrieval.embedder import default_embedder
from tests.test_app import wait_for_report
from ui.app.views.knowledge_base import ingest_with_progress, save_uploads, unpack_zip

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app" / "main.py")


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_is_unpacked_inside_its_folder_only(tmp_path):
    data = zipped(
        {"notes/a.txt": b"alpha", "../../evil.txt": b"x", "/abs/b.md": b"# b", "c.exe": b"\0"}
    )
    folder = unpack_zip(data, tmp_path / "upload")
    found = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert found == ["abs/b.md", "c.exe", "evil.txt", "notes/a.txt"]
    assert not (tmp_path / "evil.txt").exists()
    with pytest.raises(InputError, match="zip"):
        unpack_zip(b"not a zip", tmp_path / "bad")


def test_uploads_keep_stable_names(tmp_path):
    paths = save_uploads(
        [("../x/report.txt", b"one"), ("folder.zip", zipped({"d.txt": b"d"}))], tmp_path
    )
    assert paths == [tmp_path / "report.txt", tmp_path / "folder"]
    again = save_uploads([("report.txt", b"two")], tmp_path)
    assert again == paths[:1] and paths[0].read_text() == "two"


def test_ingest_with_progress_reports_added_and_skipped(tmp_path):
    kb = open_knowledge_base(Settings.from_env(), default_embedder())
    folder = unpack_zip(
        zipped(
            {
                "brics.md": b"# Brics\n\nBrics was founded in 2009 with four members.",
                "photo.gif": b"GIF89a",
                "bad.txt": b"\xff\xfe\x00binary",
            }
        ),
        tmp_path / "sources",
    )
    report, failed = ingest_with_progress(kb, [folder])  # st.* calls are inert outside an app
    assert failed == [] and report.added >= 1
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"photo.gif", "bad.txt"}
    assert "unsupported" in reasons["photo.gif"] and "binary" in reasons["bad.txt"]
    sources = kb.sources()
    assert [Path(s["source"]).name for s in sources] == ["brics.md"]
    again, _ = ingest_with_progress(kb, [folder])
    assert again.added == 0 and again.unchanged >= 1  # re-ingest adds nothing
    assert kb.stats()["passages"] == sources[0]["passages"]


def test_kb_page_and_check_page_on_the_real_store(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_APP_SERVICES", "tests.app_realkb")
    kb = open_knowledge_base(Settings.from_env(), default_embedder())
    kb.ingest_documents(
        [
            Document(
                id="b",
                source="https://ref.example/brics",
                title="Brics history",
                url="https://ref.example/brics",
                published=date(2021, 5, 1),
                text="Brics was founded in 2009 with four members. South Africa joined in 2010.",
            ),
            Document(
                id="g",
                source="glaciers.txt",
                title="Glaciers",
                text="Glaciers in the Alps are melting faster than expected.",
            ),
        ]
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "kb"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "passages" in d.value.columns)
    assert sorted(table["source"]) == ["glaciers.txt", "https://ref.example/brics"]
    assert sorted(table["title"]) == ["Brics history", "Glaciers"]  # real store's documents()
    at.text_input(key="cs_kb_query").set_value("When was Brics founded?")
    next(b for b in at.button if b.label == "Search").click()
    at.run()
    found = [h.proto.body for h in at.get("html") if "cs-passage" in h.proto.body]
    assert "Brics was founded in 2009 with four members.</mark>" in found[0]

    at.query_params["page"] = "check"
    at.run()
    at.text_area(key="cs_article_text").set_value("Brics was founded in 2006 with four members.")
    next(b for b in at.button if b.label == "Check claims").click()
    at.run()
    wait_for_report(at)
    [label] = [b.label for b in at.button if (b.key or "").startswith("cs_row_")]
    assert "Refuted" in label
    cited = " ".join(h.proto.body for h in at.get("html"))
    assert "Brics was founded in 2009 with four members.</mark>" in cited
    assert "2021-05-01" in cited and 'href="https://ref.example/brics"' in cited


def test_check_page_with_the_real_offline_models(monkeypatch):
    """The wiring `make app` uses: real Chroma store, real offline extractor and verifier."""
    from claims.errors import ModelFileError
    from ui.wiring import models

    settings = Settings.from_env()
    try:
        models(settings)
    except ModelFileError as exc:
        pytest.skip(f"offline models are not built in this checkout: {exc}")
    monkeypatch.delenv("CLAIMSCOPE_APP_SERVICES", raising=False)
    kb = open_knowledge_base(settings, default_embedder())
    kb.ingest_documents(
        [
            Document(
                id="b",
                source="brics.txt",
                title="Brics history",
                text="Brics was founded in 2009 by Brazil, Russia, India and China. "
                "South Africa joined the group in 2010.",
            )
        ]
    )
    article = (
        "Brics was founded in 2009 with four members. South Africa joined the group in 2015. "
        "I think the summit was a wonderful occasion."
    )
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.text_area(key="cs_article_text").set_value(article)
    next(b for b in at.button if b.label == "Check claims").click()
    at.run()
    wait_for_report(at, timeout=120)
    labels = [b.label for b in at.button if (b.key or "").startswith("cs_row_")]
    assert labels, "the offline extractor found no claim"
    markup = "".join(h.proto.body for h in at.get("html") if "cs-article" in h.proto.body)
    assert markup.count("<mark") >= 1
    from ui.app.review_store import ReviewStore

    report = ReviewStore.in_data_dir(settings.data_dir).report(at.query_params["article"])
    assert all(r.claim.span.is_in(article) for r in report.claims)
    assert any(r.evidence for r in report.claims)


def test_kb_page_lists_fetched_pages_by_kind_and_removes_one_document(monkeypatch):
    """Real Chroma: a JSONL's pages and fetched evidence listed one by one, filtered by kind
    and searched; one page of the JSONL removed, the rest of it kept."""
    from datetime import UTC, datetime

    monkeypatch.setenv("CLAIMSCOPE_APP_SERVICES", "tests.app_realkb")
    kb = open_knowledge_base(Settings.from_env(), default_embedder())
    fetched = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    kb.ingest_documents(
        [
            Document(id=f"p{i}", source="/data/uploads/brics_kb.jsonl", title=f"Kazan page {i}",
                     text=f"The Kazan summit had agenda item {i} on trade.")
            for i in range(3)
        ]
        + [
            Document(id="w", source="https://news.example/kazan", title="Summit opens",
                     url="https://news.example/kazan", kind="web", retrieved_at=fetched,
                     text="The summit opened in Kazan on Tuesday."),
            Document(id="k", source="https://en.wikipedia.org/wiki/BRICS", title="BRICS",
                     url="https://en.wikipedia.org/wiki/BRICS", kind="wikipedia",
                     retrieved_at=fetched, text="BRICS was founded in 2009."),
            Document(id="f", source="https://checks.example/brics-2006", title="Fact check",
                     url="https://checks.example/brics-2006", kind="fact-check",
                     retrieved_at=fetched, text="Claim: Brics was founded in 2006. Rating: False."),
        ]
    )  # fmt: skip
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "kb"
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    def listed() -> list[str]:
        return sorted(next(d.value for d in at.dataframe if "kind" in d.value.columns)["title"])

    table = next(d.value for d in at.dataframe if "kind" in d.value.columns).set_index("title")
    assert table.loc["Summit opens", "kind"] == "web page"
    assert table.loc["BRICS", "kind"] == "Wikipedia"
    assert table.loc["Fact check", "kind"] == "fact-check"
    assert table.loc["Kazan page 1", "kind"] == "file"
    assert table.loc["Summit opens", "retrieved"] == "2026-12-01 09:30"
    assert table.loc["Kazan page 1", "retrieved"] == ""
    assert table.loc["Kazan page 1", "source"] == "brics_kb.jsonl"
    at.selectbox(key="cs_kb_kind_filter").set_value("wikipedia").run()
    assert listed() == ["BRICS"]
    at.selectbox(key="cs_kb_kind_filter").set_value(None).run()
    at.text_input(key="cs_kb_filter").set_value("Kazan page").run()
    assert listed() == ["Kazan page 0", "Kazan page 1", "Kazan page 2"]
    # remove one page of the JSONL: the others stay
    chosen = at.selectbox(key="cs_kb_remove_doc_choice")
    assert len(chosen.options) == 3  # only what is listed can be chosen
    chosen.set_value("/data/uploads/brics_kb.jsonl\x1fp1").run()
    at.button(key="cs_kb_remove_doc").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert listed() == ["Kazan page 0", "Kazan page 2"]
    assert at.selectbox(key="cs_kb_remove_doc_choice").value is None
    assert {(d["source"], d["doc_id"]) for d in kb.documents()} == {
        ("/data/uploads/brics_kb.jsonl", "p0"),
        ("/data/uploads/brics_kb.jsonl", "p2"),
        ("https://news.example/kazan", "w"),
        ("https://en.wikipedia.org/wiki/BRICS", "k"),
        ("https://checks.example/brics-2006", "f"),
    }


def test_ingest_progress_counts_each_document_of_one_jsonl(tmp_path, monkeypatch):
    """A JSONL of 44 pages is one source; the bar still moves once per page."""
    import json

    from ui.app.views import knowledge_base as page

    drawn: list[tuple[float, str]] = []

    class Bar:
        def progress(self, value: float, text: str = "") -> None:
            drawn.append((value, text))

        def empty(self) -> None:
            pass

    monkeypatch.setattr(page.st, "progress", lambda value, text="": Bar())
    monkeypatch.setattr(page, "PROGRESS_EVERY_S", 0.0)
    feed = tmp_path / "brics_kb.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps({"id": f"p{i}", "title": f"Page {i}", "text": f"Kazan fact number {i}."})
            for i in range(44)
        ),
        encoding="utf-8",
    )
    (tmp_path / "note.md").write_text("# Note\n\nOne more page about Kazan.", encoding="utf-8")
    kb = open_knowledge_base(Settings.from_env(), default_embedder())
    report, failed = page.ingest_with_progress(kb, [feed, tmp_path / "note.md"])
    assert failed == [] and report.documents == 45
    inside = [text for _, text in drawn if "brics_kb.jsonl: document" in text]
    assert [t.split("document ")[1].split(" of")[0] for t in inside] == [
        str(n) for n in range(45)
    ]  # 0 (starting), then each of the 44 pages
    values = [v for v, _ in drawn]
    assert values == sorted(values) and values[-1] == 1.0
    assert any("(44 of 45 documents done)" in t for _, t in drawn)


def test_empty_knowledge_base_notice_offers_web_search(monkeypatch):
    """Above the input: the way to the knowledge-base page, and web search per claim."""
    from tests import app_fakes

    monkeypatch.setenv("CLAIMSCOPE_APP_SERVICES", "tests.app_fakes")
    for source in [s["source"] for s in app_fakes._KB.sources()]:
        app_fakes._KB.remove_source(source)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("every claim will lack evidence" in i.value for i in at.info)
    assert at.multiselect(key="cs_evidence_input").value == []
    at.button(key="cs_go_web").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="cs_evidence_input").value == ["web", "wikipedia"]
    assert not any("every claim will lack evidence" in i.value for i in at.info)
    assert any("evidence will come only from web, Wikipedia" in i.value for i in at.info)
    # the choice is the user's: taking web search off brings the notice back
    at.multiselect(key="cs_evidence_input").set_value([]).run()
    assert any("every claim will lack evidence" in i.value for i in at.info)
