"""The desk while its article is being checked: claims pending at once, verdicts as they come.

AppTest on scripted services (tests/app_fakes.py); the verifier waits on a gate per
claim, so the test decides which verdicts exist at each step.
"""

from __future__ import annotations

import threading
import time

from tests import app_fakes
from tests.app_fakes import ScriptedVerifier
from tests.fakes import FakeExtractor
from tests.test_app import (  # noqa: F401 - the autouse fixture fills the knowledge base
    ARTICLE,
    article_html,
    claim_cards,
    new_app,
    scripted_services,
    wait_for_report,
)


class GatedVerifier(ScriptedVerifier):
    """Verifies a claim only once its gate (by a word of its text) is open; one claim at a
    time, as the offline verifier does."""

    max_concurrency = 1

    def __init__(self, gates: dict[str, threading.Event]) -> None:
        self.gates = gates

    def verify(self, claim, evidence):
        for word, gate in self.gates.items():
            if word in claim.text:
                assert gate.wait(20), f"the test never opened the gate for {word!r}"
        return super().verify(claim, evidence)


def rerun_until(at, condition, what: str, timeout: float = 15.0):
    """Rerun the page (as its polling fragment does) until ``condition(at)`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if condition(at):
            return at
        assert time.monotonic() < deadline, (what, claim_cards(at))
        time.sleep(0.05)


def review_buttons(at) -> list[str]:
    return [b.key for b in at.button if (b.key or "").startswith("cs_do_")]


def test_claims_show_pending_then_each_verdict_as_it_arrives(monkeypatch):
    gates = {"2006": threading.Event(), "2009": threading.Event()}
    verifier = GatedVerifier(gates)
    monkeypatch.setattr(app_fakes, "models", lambda settings: (FakeExtractor(), verifier))
    at = new_app()
    at.run()
    at.text_area(key="cs_article_text").set_value(ARTICLE)
    at.button[0].click()
    at.run()
    assert "job" in at.query_params

    # extraction is done, nothing verified yet: every claim is listed as being checked
    rerun_until(at, lambda a: len(claim_cards(a)) == 4, "the four claims, pending")
    assert all("Being checked" in label for label in claim_cards(at))
    assert article_html(at).count('data-claim="') >= 4  # highlighted, in the pending colour
    assert "#f6f8fa" in article_html(at)
    assert any("Checked 0 of 4" in p.proto.text for p in at.get("progress"))

    # the first claim's verdict arrives; the others stay pending
    gates["2006"].set()
    rerun_until(at, lambda a: "Refuted" in " ".join(claim_cards(a)), "claim 1 refuted")
    cards = claim_cards(at)
    assert cards[0].startswith("[1] Refuted 80%")  # review first: the refuted claim leads
    # the claims with no gate follow; claim 4 (2009) waits behind its gate
    rerun_until(at, lambda a: sum("Being checked" in c for c in claim_cards(a)) == 1, "3 done")
    assert claim_cards(at)[-1].startswith("[4] Being checked")
    assert any("Checked 3 of 4" in p.proto.text for p in at.get("progress"))
    # the claim at the top is open with its verdict, reason and evidence; no review yet
    detail = " ".join(m.value for m in at.markdown)
    assert "Brics was founded in 2006" in detail and "Why:" in detail
    assert review_buttons(at) == []
    assert any("Reviewing starts when every claim is checked" in c.value for c in at.caption)

    # the reader opens another claim while the check goes on
    at.button(key="cs_row_3").click()
    at.run()
    assert at.session_state["cs_live_opened_" + at.query_params["job"]] == 3
    # and a pending one says so
    at.button(key="cs_row_4").click()
    at.run()
    assert any("Being checked: its verdict shows here" in c.value for c in at.caption)
    at.button(key="cs_row_3").click()
    at.run()

    # the last verdict: the stored report opens on the desk, with claim 3 still open
    gates["2009"].set()
    wait_for_report(at)
    assert len(claim_cards(at)) == 4 and not any("Being checked" in c for c in claim_cards(at))
    article_id = at.query_params["article"]
    assert at.session_state[f"cs_opened_{article_id}"] == 3
    assert any(f"cs_do_confirm_{article_id}_" in key for key in review_buttons(at))


def test_job_records_when_claims_and_first_verdict_arrived(monkeypatch):
    """The job says how long extraction and the first verdict took (the benchmark reads it)."""
    import os
    from pathlib import Path

    from claims.models import Article
    from claims.settings import Settings
    from tests.app_fakes import MemoryKnowledgeBase
    from ui.app.jobs import start_check
    from ui.app.review_store import ReviewStore

    seen: list[int | None] = []
    versions: list[int] = []  # the job's version as each claim's verification starts
    started = threading.Event()  # set once ``job`` below is assigned

    class Watching(ScriptedVerifier):
        def verify(self, claim, evidence):
            assert started.wait(20)
            seen.append(len(job.claims) if job.claims is not None else None)
            versions.append(job.version)
            return super().verify(claim, evidence)

    store = ReviewStore.in_data_dir(Path(os.environ["CLAIMSCOPE_HOME"]))
    job = start_check(
        Article(text=ARTICLE, title="t"),
        extractor=FakeExtractor(),
        retriever=MemoryKnowledgeBase(),
        verifier=Watching(),
        settings=Settings(),
        filters=None,
        store=store,
    )
    started.set()
    deadline = time.monotonic() + 20
    while not job.finished:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job.error is None and job.article_id is not None
    assert seen == [4, 4, 4, 4]  # the claims were announced before the first verification
    # the version counts every change the page draws: the claims (before any verification),
    # each verdict as it is made, each result as it is reported, the end
    assert min(versions) >= 1, versions
    assert job.version == 1 + len(job.early) + len(job.results) + 1 > 1 + len(job.results) + 1
    assert job.extracted_s is not None and job.first_result_s is not None
    assert job.extracted_s <= job.first_result_s <= job.elapsed
    assert [r.claim.id for r in job.results] == [c.id for c in job.claims]
    assert job.result_for(job.claims[0].id) is job.results[0]


def test_verdicts_show_as_they_come_when_claims_run_side_by_side(tmp_path):
    """With an LLM-like verifier checking 2 claims at a time, a later claim's verdict shows
    while an earlier one is still being checked (the pipeline reports in article order)."""
    from claims.models import Article
    from claims.settings import Settings
    from tests.app_fakes import MemoryKnowledgeBase
    from ui.app.jobs import start_check
    from ui.app.review_store import ReviewStore

    gate = threading.Event()

    class TwoAtATime(ScriptedVerifier):
        max_concurrency = 2
        name = "two-at-a-time"

        def verify(self, claim, evidence):
            if "2006" in claim.text:
                assert gate.wait(20), "the test never opened the gate"
            return super().verify(claim, evidence)

    job = start_check(
        Article(text=ARTICLE, title="t"),
        extractor=FakeExtractor(),
        retriever=MemoryKnowledgeBase(),
        verifier=TwoAtATime(),
        settings=Settings(llm_concurrency=2),
        filters=None,
        store=ReviewStore.in_data_dir(tmp_path),
    )
    deadline = time.monotonic() + 20
    # claim 2 fails at once (a failure is reported by the pipeline, in order); claim 3 is
    # verified by the second worker while claim 1 is held
    while job.claims is None or job.claims[2].id not in job.checked():
        assert time.monotonic() < deadline and not job.finished, job.error
        time.sleep(0.02)
    first, second, third = job.claims[:3]
    assert job.results == [] and third.id in job.checked()
    assert first.id not in job.checked() and second.id not in job.checked()
    early = job.result_for(third.id)
    assert early is not None and early.verdict is not None and job.first_result_s is not None
    gate.set()
    while not job.finished:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert job.error is None
    report = ReviewStore.in_data_dir(tmp_path).report(job.article_id)
    assert report.verifier == "two-at-a-time"  # the wrapper passes the verifier's name on
    assert [r.claim.id for r in report.claims] == [c.id for c in job.claims]
    assert job.result_for(third.id) is job.results[2]  # the reported result replaces it
    assert job.results[1].failure is not None and job.result_for(second.id) is job.results[1]
