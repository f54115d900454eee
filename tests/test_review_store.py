import sqlite3

import pytest

from claims.errors import InputError, StoreError
from claims.models import Article, Label, Report
from tests.app_fakes import ScriptedVerifier
from tests.fakes import FakeExtractor
from ui.app.review_store import ReviewStore, replay


def make_report(text: str = "Brics was founded in 2009. It had four members.") -> Report:
    from claims.models import ClaimResult

    claims = FakeExtractor().extract(Article(text=text)).claims
    verifier = ScriptedVerifier()
    results = [ClaimResult(claim=c, verdict=verifier.verify(c, [])) for c in claims]
    return Report(
        article=Article(text=text, title="Brics"), claims=results, extractor="x", verifier="y"
    )


@pytest.fixture
def store(tmp_path):
    return ReviewStore.in_data_dir(tmp_path / "home")


def test_report_round_trips_and_survives_reopening(store, tmp_path):
    report = make_report()
    article_id = store.save_report(report, settings={"llm": "none"})
    reopened = ReviewStore.in_data_dir(tmp_path / "home")
    assert reopened.report(article_id) == report
    assert reopened.settings(article_id) == {"llm": "none"}
    [summary] = reopened.articles()
    assert (summary.id, summary.title, summary.n_claims, summary.n_events) == (
        article_id,
        "Brics",
        2,
        0,
    )


def test_audit_trail_records_who_when_before_after_note(store):
    report = make_report()
    aid = store.save_report(report)
    cid = report.claims[0].claim.id
    store.record(aid, cid, "edit", reviewer="ana", before="old", after="Brics began in 2009.")
    store.record(
        aid,
        cid,
        "override",
        reviewer="ana",
        before="NOT_ENOUGH_INFO",
        after="SUPPORTED",
        note="checked the charter",
    )
    store.record(aid, cid, "dismiss", reviewer="bo")
    events = store.events(aid)
    assert [e.action for e in events] == ["edit", "override", "dismiss"]
    assert events[1].before == "NOT_ENOUGH_INFO" and events[1].note == "checked the charter"
    assert events[0].at <= events[1].at <= events[2].at
    state = store.reviews(aid)[cid]
    assert state.text == "Brics began in 2009."
    assert state.label is Label.SUPPORTED and state.dismissed and state.reviewer == "bo"
    assert store.articles()[0].n_events == 3


def test_replay_restore_and_clear_override(store):
    report = make_report()
    aid = store.save_report(report)
    cid = report.claims[1].claim.id
    for action, after in [
        ("dismiss", None),
        ("restore", None),
        ("override", "REFUTED"),
        ("clear_override", None),
    ]:
        store.record(aid, cid, action, reviewer="ana", after=after)
    state = replay(store.events(aid))[cid]
    assert not state.dismissed and state.label is None and not state.touched
    assert store.events(aid, claim_id="nope") == []


def test_review_needs_a_reviewer_and_an_existing_article(store):
    aid = store.save_report(make_report())
    with pytest.raises(InputError, match="reviewer"):
        store.record(aid, "c0", "dismiss", reviewer="  ")
    with pytest.raises(InputError, match="no checked article"):
        store.record("missing", "c0", "dismiss", reviewer="ana")
    with pytest.raises(InputError):
        store.report("missing")


def test_delete_article_removes_its_events(store):
    aid = store.save_report(make_report())
    store.record(aid, "c0", "dismiss", reviewer="ana")
    store.delete_article(aid)
    assert store.articles() == []
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_unwritable_or_corrupt_store_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError):
        ReviewStore(blocker / "reviews.sqlite3")
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        ReviewStore(corrupt)
