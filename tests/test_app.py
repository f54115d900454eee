"""The app's pages driven with Streamlit's AppTest, on scripted services (tests/app_fakes.py)."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from retrieval.documents import Document
from tests import app_fakes
from ui.app.review_store import ReviewStore

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app" / "main.py")
ARTICLE = (
    "Brics was founded in 2006 with four members. "
    "The summit hall is unreachable by road. "
    "Critics said <script>alert('x')</script> and <img src=x onerror=alert(1)> were fine. "
    "Brics was founded in 2009 with four members."
)


@pytest.fixture(autouse=True)
def scripted_services(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_APP_SERVICES", "tests.app_fakes")
    kb = app_fakes._KB
    for source in [s["source"] for s in kb.sources()]:
        kb.remove_source(source)
    kb.ingest_documents(
        [
            Document(
                id="b",
                source="brics.txt",
                title="Brics history",
                url="https://ref.example/brics",
                published=date(2020, 1, 2),
                text="Brics was founded in 2009 with four members. South Africa joined in 2010.",
            ),
            Document(
                id="c",
                source="climate.md",
                title="Climate notes",
                text="Glaciers are melting faster than expected.",
            ),
        ]
    )
    return kb


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    return at


def check(at: AppTest, text: str = ARTICLE) -> AppTest:
    at.run()
    at.text_area(key="cs_article_text").set_value(text)
    at.button[0].click()  # the form's "Check claims"
    at.run()
    return wait_for_report(at)


#: The error boxes of one claim's card (ui/app/cards.py), not of the check.
_CLAIM_BOXES = (
    "This claim could not be checked",
    "A published fact-check disagrees with the machine verdict",
)


def wait_for_report(at: AppTest, timeout: float = 20.0) -> AppTest:
    """Rerun (as the page's polling fragment does) until the background check is done."""
    deadline = time.monotonic() + timeout
    while "article" not in at.query_params:
        assert not at.exception, [e.value for e in at.exception]
        # A claim opened on the live desk may show its own error box (a run can land
        # between its verdicts and the stored report): a failed claim, or a published
        # fact-check that disagrees with its verdict; only the check's own errors count.
        errors = [e.value for e in at.error if not e.value.startswith(_CLAIM_BOXES)]
        assert not errors, errors
        assert time.monotonic() < deadline, (
            dict(at.query_params),
            [m.value for m in at.markdown][:5],
            [p.proto.text for p in at.get("progress")],
            [s.value for s in at.subheader],
        )
        time.sleep(0.1)
        at.run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def claim_cards(at: AppTest) -> list[str]:
    """The desk's claim rows, in the order shown: "[1] Refuted 80% — Brics was…"."""
    return [b.label for b in at.button if (b.key or "").startswith("cs_row_")]


def open_claim(at: AppTest, number: int) -> AppTest:
    at.button(key=f"cs_row_{number}").click()
    return at.run()


def claim_ids(at: AppTest) -> list[str]:
    return [r.claim.id for r in store().report(at.query_params["article"]).claims]


def do(at: AppTest, action: str, number: int) -> AppTest:
    """Click a one-click review button of an opened claim."""
    article_id = at.query_params["article"]
    at.button(key=f"cs_do_{action}_{article_id}_{claim_ids(at)[number - 1]}").click()
    return at.run()


def article_html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html") if "cs-article" in h.proto.body)


def store() -> ReviewStore:
    import os

    return ReviewStore.in_data_dir(Path(os.environ["CLAIMSCOPE_HOME"]))


def test_check_page_shows_claims_verdicts_failures_and_escaped_article():
    at = check(new_app())
    article_id = at.query_params["article"]
    cards = claim_cards(at)
    assert len(cards) == 4
    # review-first order: refuted, then failed, then the confident rest in article order
    assert "[1] Refuted 80%" in cards[0] and "[4] Supported" in cards[3]
    assert "[2] Failed" in cards[1]  # a failed claim is shown as failed, not as a verdict
    assert "[3] Not enough info" in cards[2]
    markup = article_html(at)
    assert "<script" not in markup and "<img" not in markup and "&lt;script&gt;" in markup
    assert markup.count("<mark") == 4
    assert all(
        f'id="cs-span-{n}"' in markup and f'data-claim="{n}"' in markup for n in (1, 2, 3, 4)
    )
    # the first claim to review is open: the cited sentence, its source, the passage around it
    bodies = " ".join(m.value for m in at.markdown)
    assert "Cited evidence" in bodies
    cited = " ".join(h.proto.body for h in at.get("html"))
    assert "“Brics was founded in 2009 with four members.”" in cited
    assert "Brics was founded in 2009 with four members.</mark>" in cited  # in its passage
    assert 'href="https://ref.example/brics"' in cited and "2020-01-02" in cited
    assert any("The passage around quote 1" in e.label for e in at.expander)
    assert "200 tokens" not in bodies
    open_claim(at, 2)
    assert any("endpoint answered 503" in e.value for e in at.error)
    # stored with its machine verdicts
    report = store().report(article_id)
    assert [r.failed for r in report.claims] == [False, True, False, False]


def test_one_click_reviews_advance_and_survive_a_reload():
    at = check(new_app())
    article_id = at.query_params["article"]
    ids = claim_ids(at)
    # without a reviewer name nothing is recorded, and the desk says why
    assert any("Reviewer name" in w.value for w in at.warning)
    do(at, "confirm", 1)
    assert any("reviewer name" in e.value for e in at.error)
    assert store().events(article_id) == []

    at.sidebar.text_input(key="cs_reviewer").set_value("Ana Reviewer")
    at.text_input(key=f"cs_note_{article_id}_{ids[0]}").set_value("charter checked")
    do(at, "SUPPORTED", 1)  # override claim 1; the desk moves on to claim 2
    assert at.session_state[f"cs_opened_{article_id}"] == 2
    # claim 2 failed: there is no machine verdict to confirm
    assert at.button(key=f"cs_do_confirm_{article_id}_{ids[1]}").disabled
    do(at, "REFUTED", 2)
    assert at.session_state[f"cs_opened_{article_id}"] == 3
    do(at, "dismiss", 3)
    do(at, "confirm", 4)
    events = store().events(article_id)
    assert [(e.claim_id, e.action, e.before, e.after) for e in events] == [
        (ids[0], "override", "REFUTED", "SUPPORTED"),
        (ids[1], "override", None, "REFUTED"),
        (ids[2], "dismiss", None, None),
        (ids[3], "confirm", "SUPPORTED", "SUPPORTED"),
    ]
    assert events[0].reviewer == "Ana Reviewer" and events[0].note == "charter checked"
    assert any("4 reviewed" in m.value for m in at.markdown)

    # the claim's text is edited in its own small form
    open_claim(at, 1)
    at.text_area(key=f"cs_text_{article_id}_{ids[0]}").set_value("Brics was founded in 2006.")
    next(b for b in at.button if b.label == "Save text").click()
    at.run()
    assert store().events(article_id)[-1].action == "edit"

    reloaded = new_app()
    reloaded.query_params["article"] = article_id
    reloaded.run()
    cards = claim_cards(reloaded)
    assert cards[0].startswith("[1] Supported ✓ reviewed") and "founded in 2006." in cards[0]
    assert "[3] Dismissed" in cards[2]  # the order stays that of the machine verdicts
    assert reloaded.session_state[f"cs_opened_{article_id}"] == 1  # all reviewed: the first
    assert any("charter checked" in m.value for m in reloaded.markdown)


def test_add_a_claim_by_hand_is_checked_signed_and_kept():
    at = check(new_app())
    article_id = at.query_params["article"]
    at.sidebar.text_input(key="cs_reviewer").set_value("Ana Reviewer")
    at.run()
    at.text_area(key=f"cs_add_text_{article_id}").set_value("Brics was founded in 2009")
    next(b for b in at.button if b.label == "Add and check").click()
    at.run()
    assert not at.exception
    report = store().report(article_id)
    added = report.claims[-1]
    assert len(report.claims) == 5 and added.claim.id.startswith("added-")
    # tied to the article's own words (the last sentence holds the typed text)
    assert added.claim.span.text == "Brics was founded in 2009"
    assert added.claim.sentence.text == "Brics was founded in 2009 with four members."
    assert added.verdict is not None and added.verdict.label.value == "SUPPORTED"
    assert [(e.action, e.reviewer) for e in store().events(article_id)] == [("add", "Ana Reviewer")]
    assert any("[5] Supported" in c and "added by hand" in c for c in claim_cards(at))
    assert at.session_state[f"cs_opened_{article_id}"] == 5
    # words selected in the article (the browser bridge's "select" event) are offered too
    at.session_state[f"cs_selected_{article_id}"] = "The summit hall is *unreachable* by road"
    at.run()
    offer = at.button(key="cs_add_selected")
    assert "\\*unreachable\\*" in offer.label  # the selection is Markdown-escaped
    offer.click()
    at.run()
    added = store().report(article_id).claims[-1]
    assert added.claim.span.text == "The summit hall is unreachable by road."  # its sentence
    assert added.failure is not None  # the scripted endpoint fails on "unreachable"
    assert f"cs_selected_{article_id}" not in at.session_state


def test_filters_and_sorting():
    at = check(new_app())
    at.multiselect(key="cs_filter_status").set_value(["REFUTED", "SUPPORTED"])
    at.run()
    assert [c.split(" ")[0] for c in claim_cards(at)] == ["[1]", "[4]"]
    assert article_html(at).count("<mark") == 2
    at.selectbox(key="cs_sort").set_value("conf_high")
    at.run()
    assert [c.split(" ")[0] for c in claim_cards(at)] == ["[4]", "[1]"]
    at.slider(key="cs_filter_worth").set_value(0.9)
    at.run()
    assert claim_cards(at) == []


def test_table_tab_and_empty_knowledge_base_hint(scripted_services):
    at = check(new_app())
    frames = [d.value for d in at.dataframe]
    table = next(f for f in frames if "claim" in f.columns)
    assert list(table["verdict"]) == ["Refuted", "Failed", "Not enough info", "Supported"]
    assert table["tokens"].tolist() == [240, 0, 240, 240]
    for source in ["brics.txt", "climate.md"]:
        scripted_services.remove_source(source)
    fresh = new_app()
    fresh.run()
    # the notice sits above the input, with a way to the knowledge-base page
    assert any("knowledge base is empty" in i.value for i in fresh.info)
    fresh.text_area(key="cs_article_text").set_value("")
    next(b for b in fresh.button if b.label == "Check claims").click()
    fresh.run()
    assert any("empty" in e.value for e in fresh.error)
    fresh.button(key="cs_go_kb").click()
    fresh.run()
    assert fresh.query_params["page"] == "kb"
    assert any("Knowledge base" in s.value for s in fresh.subheader)


def test_url_of_a_private_address_is_refused_with_a_clear_message():
    at = new_app()
    at.run()
    at.radio(key="cs_input_kind").set_value("url")
    at.run()
    at.text_input(key="cs_url").set_value("http://127.0.0.1:9/article")
    at.button[0].click()
    at.run()
    # the app's fetcher checks the address first: a loopback page is never fetched
    assert any("refused" in e.value and "non-public address" in e.value for e in at.error)


def test_history_lists_and_reopens_articles():
    first = check(new_app())
    article_id = first.query_params["article"]
    at = new_app()
    at.query_params["page"] = "history"
    at.run()
    assert not at.exception
    assert any("4 claims" in m.value for m in at.markdown)
    at.button(key=f"cs_open_{article_id}").click()
    at.run()
    assert at.query_params["page"] == "check" and at.query_params["article"] == article_id
    assert len(claim_cards(at)) == 4
    at.query_params["page"] = "history"
    at.query_params.pop("article")
    at.run()
    at.button(key=f"cs_delete_{article_id}").click()
    at.run()
    assert store().articles() == []
    assert any("No articles checked yet" in i.value for i in at.info)


def test_api_key_stays_in_the_session_only(tmp_path):
    at = new_app()
    at.run()
    at.sidebar.radio(key="cs_mode").set_value("openai")
    at.run()
    secret = "sk-test-SECRET-1234567890"
    at.sidebar.text_input(key="cs_api_key_input").set_value(secret)
    at.run()
    assert at.sidebar.text_input(key="cs_api_key_input").value == ""
    assert at.session_state["_cs_api_key"] == secret
    assert any("this session only" in c.value for c in at.sidebar.caption)
    at.sidebar.radio(key="cs_mode").set_value("none")
    at.run()
    check(at)
    home = Path(__import__("os").environ["CLAIMSCOPE_HOME"])
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    assert json.loads(json.dumps(store().settings(at.query_params["article"])))[
        "openai_api_key_set"
    ]


def test_knowledge_base_page_lists_documents_searches_and_removes(scripted_services):
    scripted_services.ingest_documents(
        [
            Document(id=str(i), source="feed.jsonl", title=f"Page {i}", text=f"Kazan fact {i}.",
                     url=f"https://news.example/{i}")
            for i in range(3)
        ]
    )  # fmt: skip
    at = new_app()
    at.query_params["page"] = "kb"
    at.run()
    assert not at.exception
    documents = next(d.value for d in at.dataframe)
    assert list(documents.columns) == ["title", "kind", "source", "published", "passages", "url"]
    # each line of the JSONL is listed on its own, with its title and URL
    assert sorted(documents["title"]) == [
        "Brics history", "Climate notes", "Page 0", "Page 1", "Page 2"
    ]  # fmt: skip
    by_title = documents.set_index("title")
    assert by_title.loc["Page 1", "url"] == "https://news.example/1"
    assert by_title.loc["Page 1", "source"] == "feed.jsonl"
    assert by_title.loc["Brics history", "published"] == "2020-01-02"
    assert any("5 of 5 documents in 3 sources" in c.value for c in at.caption)
    at.text_input(key="cs_kb_filter").set_value("news.example/2").run()
    assert list(next(d.value for d in at.dataframe)["title"]) == ["Page 2"]
    at.text_input(key="cs_kb_filter").set_value("").run()
    at.selectbox(key="cs_kb_source_filter").set_value("feed.jsonl").run()
    assert len(next(d.value for d in at.dataframe)) == 3
    at.text_input(key="cs_kb_query").set_value("glaciers melting")
    next(b for b in at.button if b.label == "Search").click()
    at.run()
    found = " ".join(h.proto.body for h in at.get("html"))
    assert "Glaciers are melting faster than expected.</mark>" in found
    at.selectbox(key="cs_kb_remove_choice").set_value("climate.md")
    at.run()
    at.button(key="cs_kb_remove").click()
    at.run()
    assert [s["source"] for s in scripted_services.sources()] == ["brics.txt", "feed.jsonl"]


def test_knowledge_base_url_of_a_private_address_is_skipped_with_reason():
    at = new_app()
    at.query_params["page"] = "kb"
    at.run()
    at.text_area(key="cs_kb_urls_text").set_value("http://127.0.0.1:9/page\nnot-a-url")
    next(b for b in at.button if b.label == "Fetch and add").click()
    at.run()
    assert any("2 files were skipped" in w.value for w in at.warning)
    reasons = " ".join(next(d.value for d in at.dataframe if "reason" in d.value.columns)["reason"])
    assert "non-public address" in reasons and "not an http(s) URL" in reasons


def _write_run(folder: Path, predictions: list[str | None]) -> None:
    """A verification run as the harness writes it: results.jsonl, then eval.report."""
    from eval.report import write_report

    gold = ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "SUPPORTED"] * 3
    folder.mkdir(parents=True)
    with (folder / "results.jsonl").open("w", encoding="utf-8") as handle:
        for i, (g, p) in enumerate(zip(gold, predictions, strict=True)):
            row = {
                "id": str(i), "claim": f"claim {i}", "gold": g, "setting": "oracle",
                "predicted": p, "confidence": 0.8 if p else None, "correct": p == g,
                "latency_s": 0.1 + i / 100, "verifier": "fake",
            }  # fmt: skip
            if p is None:
                row["error"] = {"stage": "verify", "error": "ModelError", "message": "boom"}
            handle.write(json.dumps(row) + "\n")
    write_report(folder)


def test_eval_page_lists_and_compares_runs(tmp_path, monkeypatch):
    runs = tmp_path / "runs"
    gold = ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "SUPPORTED"] * 3
    worse = ["SUPPORTED"] * 12
    worse[1] = None  # a failure: counted wrong, shown as such
    _write_run(runs / "20261101-120000-scifact-oracle", worse)
    _write_run(runs / "20261102-120000-scifact-oracle", gold)
    (runs / "20261103-120000-old-summary-only").mkdir()
    (runs / "20261103-120000-old-summary-only" / "summary.json").write_text(
        json.dumps({"n": 3, "accuracy": 0.5})
    )
    monkeypatch.setenv("CLAIMSCOPE_RUNS_DIR", str(runs))
    at = new_app()
    at.query_params["page"] = "eval"
    at.run()
    assert not at.exception
    overview = at.dataframe[0].value
    assert list(overview["run"]) == [
        "20261103-120000-old-summary-only",
        "20261102-120000-scifact-oracle",
        "20261101-120000-scifact-oracle",
    ]
    assert list(overview.columns[:3]) == ["run", "dataset", "task"]
    by_run = overview.set_index("run")
    assert by_run.loc["20261102-120000-scifact-oracle", "accuracy"] == "1.000"
    assert by_run.loc["20261101-120000-scifact-oracle", "failed"] == "1"
    # what a run lacks reads "–" everywhere: no macro-F1 in the old summary, no retrieval in oracle
    assert by_run.loc["20261103-120000-old-summary-only", "macro-F1"] == "–"
    assert by_run.loc["20261102-120000-scifact-oracle", "recall@5"] == "–"

    at.selectbox(key="cs_eval_run").set_value("20261101-120000-scifact-oracle").run()
    per_class = next(d.value for d in at.dataframe if "support" in d.value.columns)
    assert list(per_class["label"]) == ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]
    assert per_class.set_index("label").loc["REFUTED", "f1"] == "0.000"
    confusion = next(d.value for d in at.dataframe if "FAILED" in d.value.columns)
    assert confusion.loc["REFUTED", "FAILED"] == 1 and confusion.loc["SUPPORTED", "SUPPORTED"] == 6

    at.selectbox(key="cs_eval_a").set_value("20261101-120000-scifact-oracle").run()
    at.selectbox(key="cs_eval_b").set_value("20261102-120000-scifact-oracle").run()
    assert not at.exception
    comparison = next(d.value for d in at.dataframe if "B − A" in d.value.columns)
    row = comparison.set_index("metric").loc["accuracy"]
    assert (row["A"], row["B"], row["B − A"]) == ("0.5000", "1.0000", "+0.5000")
    assert row["95% CI of B − A"].startswith("[+")
    assert comparison.set_index("metric").loc["recall_at_5", "B − A"] == "–"
    assert any("12 shared examples" in c.value for c in at.caption)

    at.selectbox(key="cs_eval_a").set_value("20261103-120000-old-summary-only").run()
    assert any("holds no results" in i.value for i in at.info)


def test_long_check_runs_in_the_background_and_the_app_stays_usable(monkeypatch):
    import threading

    from tests.fakes import FakeExtractor

    gate = threading.Event()

    class GatedVerifier(app_fakes.ScriptedVerifier):
        def verify(self, claim, evidence):
            if "four members" in claim.text and "2009" in claim.text:
                assert gate.wait(20), "the test never opened the gate"
            return super().verify(claim, evidence)

    monkeypatch.setattr(app_fakes, "models", lambda settings: (FakeExtractor(), GatedVerifier()))
    at = new_app()
    at.run()
    at.text_area(key="cs_article_text").set_value(ARTICLE)
    at.button[0].click()
    at.run()
    job_id = at.query_params["job"]
    deadline = time.monotonic() + 10
    while not any("Checked 3 of 4" in p.proto.text for p in at.get("progress")):
        assert time.monotonic() < deadline, [p.proto.text for p in at.get("progress")]
        time.sleep(0.1)
        at.run()
    assert any("Checking:" in s.value for s in at.subheader)
    # other pages work while the check runs
    at.sidebar.radio[0].set_value("kb")
    at.run()
    assert not at.exception and any("Knowledge base" in s.value for s in at.subheader)
    at.sidebar.radio[0].set_value("check")
    at.run()
    assert at.session_state["cs_job"] == job_id
    gate.set()
    wait_for_report(at)
    assert len(claim_cards(at)) == 4 and "job" not in at.query_params


def test_evidence_cutoff_date_and_llm_cost_from_the_sidebar():
    at = new_app()
    at.run()
    at.sidebar.checkbox(key="cs_cutoff_on").check()
    at.run()
    at.sidebar.date_input(key="cs_cutoff").set_value(date(2019, 12, 31))  # before the Brics source
    at.sidebar.radio(key="cs_mode").set_value("openai")
    at.run()
    at.sidebar.number_input(key="cs_pin").set_value(1.0)
    at.sidebar.number_input(key="cs_pout").set_value(5.0)
    check(at)
    cards = claim_cards(at)
    assert any(c.startswith("[4] Not enough info") for c in cards)  # its source is too recent
    table = next(d.value for d in at.dataframe if "claim" in d.value.columns)
    # 200 prompt tokens at $1/M + 40 completion tokens at $5/M per verified claim
    assert table["cost $"].tolist() == pytest.approx([0.0004, 0.0, 0.0004, 0.0004])
    assert any("$0.0012" in m.value for m in at.markdown)


def test_llm_mode_shows_the_offline_cross_check_and_flags_disagreement():
    at = new_app()
    at.run()
    at.sidebar.radio(key="cs_mode").set_value("openai")
    at.run()
    assert at.sidebar.checkbox(key="cs_cross_check").value is True
    check(at)
    cards = claim_cards(at)
    # claim 1 (2006 vs 2009): the verdict is REFUTED, the second opinion SUPPORTED
    assert cards[0].startswith("[1] Refuted 80% · cross-check disagrees")
    by_number = {c.split(" ")[0]: c for c in cards}
    assert "cross-check disagrees" not in by_number["[4]"]  # both say SUPPORTED
    assert "cross-check" not in by_number["[2]"]  # a failed claim has no verdict to cross-check
    pills = " ".join(h.proto.body for h in at.get("html"))
    assert "Cross-check: Supported 90%" in pills
    warnings = [w.value for w in at.warning]
    assert any("credulous-checker" in w and "disagrees" in w for w in warnings)
    report = store().report(at.query_params["article"])
    assert report.claims[0].verdict.cross_check.agrees is False
    assert report.claims[3].verdict.cross_check.agrees is True

    at = new_app()
    at.run()
    at.sidebar.radio(key="cs_mode").set_value("openai")
    at.run()
    at.sidebar.checkbox(key="cs_cross_check").uncheck()
    check(at)
    assert not any("cross-check" in c for c in claim_cards(at))
    assert "Cross-check:" not in " ".join(h.proto.body for h in at.get("html"))


def test_opening_a_claim_from_the_list_shows_only_its_detail():
    at = check(new_app())
    article_id = at.query_params["article"]
    assert at.session_state[f"cs_opened_{article_id}"] == 1  # the first to review
    open_claim(at, 3)
    assert at.session_state[f"cs_opened_{article_id}"] == 3
    shown = " ".join(m.value for m in at.markdown)
    assert "Critics said" in shown and "**Why:**" in shown and "Cited evidence" not in shown
    open_claim(at, 3)  # a second click closes it
    assert at.session_state[f"cs_opened_{article_id}"] is None


def test_history_shows_batches_and_opens_a_batch_report(tmp_path):
    from claims.models import Article
    from claims.settings import Settings
    from ui import batch

    settings = Settings.from_env()
    out = tmp_path / "nightly"
    articles = [
        batch.BatchArticle("a<b>1", Article(text=ARTICLE, title="Brics <i>story</i>")),
        batch.BatchArticle("empty", Article(text=" ")),
    ]
    batch.run_batch(articles, out, settings, progress=False)

    at = new_app()
    at.query_params["page"] = "history"
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["id"]) == ["a<b>1", "empty"]
    assert list(table["status"]) == ["done", "failed"]
    assert table.loc[0, "claims"] == 4 and "EmptyArticleError" in table.loc[1, "error"]
    assert any("2 articles, 1 failed" in c.value for c in at.caption)
    at.button(key="cs_batch_open").click()
    at.run()
    article_id = at.query_params["article"]
    assert at.query_params["page"] == "check"
    assert len(claim_cards(at)) == 4
    # opening it again finds the same stored article instead of adding a copy
    at.query_params["page"] = "history"
    at.query_params.pop("article")
    at.run()
    at.button(key="cs_batch_open").click()
    at.run()
    assert at.query_params["article"] == article_id
    assert [a.id for a in store().articles()] == [article_id]
