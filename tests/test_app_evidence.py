"""Evidence on demand in the app: the check page's source selector builds the evidence
gatherer (the CLI's ``check --search`` wiring), and the claim detail shows what it found.

Scripted services (tests/app_fakes.py) and scripted evidence sources: the real
``EvidenceGatherer`` stores what they return in the in-memory knowledge base.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from claims.errors import EvidenceError
from claims.models import FactCheck
from retrieval.sources import FoundDocument
from tests.test_app import (  # noqa: F401
    claim_cards,
    new_app,
    open_claim,
    scripted_services,
    wait_for_report,
)


def check(at, text=None):
    """tests/test_app.py's ``check``, with a wait for the background check that allows for
    gathering on a loaded 2-core machine (3 of 4 claims took 21 s at load average 22)."""
    from tests.test_app import ARTICLE

    at.run()
    at.text_area(key="cs_article_text").set_value(text or ARTICLE)
    at.button[0].click()  # the form's "Check claims"
    at.run()
    return wait_for_report(at, timeout=120.0)


NEWS_URL = "https://news.example/brics-2009"
REVIEW_URL = "https://checks.example/brics"


class ScriptedWeb:
    name = "scripted-web"
    kind = "web"

    def search(self, query, *, before=None, limit=5):
        return [
            FoundDocument(
                url=NEWS_URL,
                title="<i>News</i> on Brics",
                published=date(2021, 3, 4),
                kind="web",
                source=self.name,
                text="Brics was founded in 2009 with four members, the archive shows.",
            ),
            FoundDocument(
                url=REVIEW_URL,
                title="Brics founding",
                kind="fact-check",
                source=self.name,
                text="Check Org rated the claim that Brics dates from 2009 as false.",
                fact_check=FactCheck(
                    publisher="Check <b>Org</b>",
                    rating="False",
                    url=REVIEW_URL,
                    reviewed=date(2022, 5, 6),
                    claim_text="Brics dates from 2009",
                ),
            ),
        ]


class DownWikipedia:
    name = "wikipedia"
    kind = "wikipedia"

    def search(self, query, *, before=None, limit=5):
        raise EvidenceError("wikipedia: HTTP 503: <b>down</b>")


@pytest.fixture
def sources(monkeypatch):
    calls = []

    def build_sources(settings, spec, **kwargs):
        calls.append((spec, settings.evidence_sources))
        return [ScriptedWeb(), DownWikipedia()]

    monkeypatch.setattr("retrieval.sources.build_sources", build_sources)
    return calls


def html_bodies(at) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def test_knowledge_base_only_builds_no_gatherer(sources):
    at = check(new_app())
    assert sources == []
    assert not [w for w in at.warning if "unavailable" in w.value]


def test_chosen_sources_gather_evidence_shown_with_fact_checks_and_notes(sources):
    at = new_app()
    at.run()
    assert at.multiselect(key="cs_evidence_input").value == []
    at.multiselect(key="cs_evidence_input").set_value(["web", "wikipedia"])
    at = check(at)
    assert sources == [("web,wikipedia", "web,wikipedia")]
    cards = claim_cards(at)
    assert cards[3].startswith("[4] Supported"), cards
    open_claim(at, 4)  # "Brics was founded in 2009 …": supported, and a review says "False"
    assert any("published fact-check disagrees" in e.value for e in at.error)
    body = html_bodies(at)
    # the fact-check, first, escaped (its text comes from the web)
    assert "Check &lt;b&gt;Org&lt;/b&gt;" in body and "<b>Org</b>" not in body
    assert f'href="{REVIEW_URL}"' in body and "2022-05-06" in body
    assert "disagrees with the verdict" in body
    # the source that failed is a warning, escaped; the verdict stands
    warnings = [w.value for w in at.warning]
    assert any("Wikipedia unavailable" in w and "<b>" not in w for w in warnings), warnings
    # a citation of the fetched page: its URL, kind, and dates
    assert f'href="{NEWS_URL}"' in body
    assert "&lt;i&gt;News&lt;/i&gt;" in body and "<i>News" not in body
    assert "published 2021-03-04" in body
    assert f"retrieved {datetime.now(UTC):%Y-%m-%d}" in body
    # the choice is kept for the next article in this browser session
    next(b for b in at.button if b.label == "New article").click()
    at.run()
    assert at.multiselect(key="cs_evidence_input").value == ["web", "wikipedia"]


def test_a_source_without_its_key_is_a_clear_message(monkeypatch):
    at = new_app()
    at.run()
    at.multiselect(key="cs_evidence_input").set_value(["factchecks"])
    at.run()
    at.text_area(key="cs_article_text").set_value("Brics was founded in 2009.")
    at.button[0].click()
    at.run()
    assert any("CLAIMSCOPE_FACTCHECK_API_KEY" in e.value.replace("\\", "") for e in at.error)
    assert "job" not in at.query_params


BRAVE_KEY = "brave-SECRET-0123456789abcdef"
FACTCHECK_KEY = "factcheck-SECRET-9876543210"
SEARXNG = "https://reader:pw-SECRET-42@searx.example"


def test_provider_keys_typed_in_the_sidebar_stay_in_the_session(monkeypatch, caplog):
    seen = []

    def build_sources(settings, spec, **kwargs):
        seen.append(settings)
        return [ScriptedWeb()]

    monkeypatch.setattr("retrieval.sources.build_sources", build_sources)
    at = new_app()
    at.run()
    for field, secret in (("brave_api_key", BRAVE_KEY), ("factcheck_api_key", FACTCHECK_KEY)):
        at.sidebar.text_input(key=f"cs_{field}_input").set_value(secret)
        at.run()
        assert at.sidebar.text_input(key=f"cs_{field}_input").value == ""  # never echoed back
        assert at.session_state[f"_cs_{field}"] == secret
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("Brave Search API key: ••••") for c in captions), captions
    assert any(c.startswith("Fact Check Tools API key: ••••") for c in captions), captions
    at.sidebar.text_input(key="cs_searxng_url").set_value(SEARXNG)
    at.multiselect(key="cs_evidence_input").set_value(["web", "factchecks"])
    at = check(at)
    # the gatherer got them
    assert seen and seen[-1].brave_api_key.get_secret_value() == BRAVE_KEY
    assert seen[-1].factcheck_api_key.get_secret_value() == FACTCHECK_KEY
    assert seen[-1].searxng_url == SEARXNG
    secrets = (BRAVE_KEY, FACTCHECK_KEY, "pw-SECRET-42")
    # ... and nothing else: not the exports, the review store, any file, the log, the page
    from tests.test_app import store
    from ui.app import exports

    article_id = at.query_params["article"]
    report, reviews = store().report(article_id), store().reviews(article_id)
    shipped = [
        exports.to_json(report, reviews, store().events(article_id)),
        exports.to_csv(report, reviews),
        exports.to_markdown(report, reviews),
        exports.claimreview_jsonld(report, reviews),
        json.dumps(store().settings(article_id)),
        caplog.text,
        "".join(str(e.proto) for e in at.get("text_input")),
        "".join(str(e.proto) for e in at.get("markdown")),
        "".join(h.proto.body for h in at.get("html")),
    ]
    for text in shipped:
        for secret in secrets:
            assert secret not in text
    stored = store().settings(article_id)
    assert stored["brave_api_key_set"] and stored["factcheck_api_key_set"]
    assert stored["searxng_url"] == "https://***@searx.example"
    home = Path(os.environ["CLAIMSCOPE_HOME"])
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in secrets), path
    # forgetting a key drops it from the session
    at.button(key="cs_forget_brave_api_key").click()
    at.run()
    assert "_cs_brave_api_key" not in at.session_state
    assert not any(c.value.startswith("Brave Search API key: ••") for c in at.sidebar.caption)


CRITICS_URL = "https://web.example/critics"


class ScriptedCritics:
    """Finds a page that repeats the article's third sentence (markup and all)."""

    name = "scripted-critics"
    kind = "web"

    def search(self, query, *, before=None, limit=5):
        return [
            FoundDocument(
                url=CRITICS_URL,
                title="<b>Critics</b> page",
                published=date(2021, 1, 1),
                kind="web",
                source=self.name,
                text="Critics said <script>alert('x')</script> and <img src=x onerror=alert(1)> "
                "were fine, the page reported.",
            )
        ]


def more_widgets(at, number: int) -> tuple[str, str]:
    from tests.test_app import claim_ids

    article_id = at.query_params["article"]
    claim_id = claim_ids(at)[number - 1]
    return f"cs_more_sources_{article_id}_{claim_id}", f"cs_more_go_{article_id}_{claim_id}"


def test_find_more_evidence_for_one_claim_re_verifies_it_signed_with_notes(monkeypatch):
    from tests.test_app import store

    calls = []

    def build_sources(settings, spec, **kwargs):
        calls.append(spec)
        return [ScriptedCritics(), DownWikipedia()]

    monkeypatch.setattr("retrieval.sources.build_sources", build_sources)
    at = check(new_app())  # the knowledge base only
    article_id = at.query_params["article"]
    assert calls == [] and "[3] Not enough info" in claim_cards(at)[2]
    open_claim(at, 3)
    chooser, go = more_widgets(at, 3)
    assert at.multiselect(key=chooser).value == ["web"]  # the configured default
    at.multiselect(key=chooser).set_value(["web", "wikipedia"])
    at.run()
    at.button(key=go).click()  # no reviewer name yet: nothing happens but a message
    at.run()
    assert any("reviewer name" in e.value for e in at.error)
    assert calls == [] and store().events(article_id) == []
    at.sidebar.text_input(key="cs_reviewer").set_value("Ana Reviewer")
    at.run()
    at.button(key=go).click()
    at.run()
    assert not at.exception
    assert calls == ["web,wikipedia"]
    result = store().report(article_id).claims[2]
    assert result.verdict is not None and result.verdict.label.value == "SUPPORTED"
    assert result.evidence[0].passage.url == CRITICS_URL
    assert [n.kind for n in result.notes] == ["source_unavailable"]
    events = store().events(article_id)
    assert [(e.action, e.reviewer, e.before, e.after) for e in events] == [
        ("more_evidence", "Ana Reviewer", "NOT_ENOUGH_INFO", "SUPPORTED")
    ]
    assert events[0].note == (
        "web, wikipedia: 1 new document stored; verdict Not enough info → Supported; "
        "1 note on the claim"
    )
    # the claim is still open, with the outcome, the failure as a note, the new citation
    assert any(s.value.startswith("Web, wikipedia: 1 new document") for s in at.success)
    assert any("Wikipedia unavailable" in w.value for w in at.warning)
    body = html_bodies(at)
    assert f'href="{CRITICS_URL}"' in body and "&lt;b&gt;Critics&lt;/b&gt;" in body
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "[3] Supported" in " ".join(claim_cards(at))
    # the other claims are as they were
    assert [r.failed for r in store().report(article_id).claims] == [False, True, False, False]


def test_find_more_evidence_without_a_source_key_says_which(monkeypatch):
    from tests.test_app import store

    at = check(new_app())
    article_id = at.query_params["article"]
    at.sidebar.text_input(key="cs_reviewer").set_value("Ana Reviewer")
    open_claim(at, 3)
    chooser, go = more_widgets(at, 3)
    at.multiselect(key=chooser).set_value(["factchecks"])
    at.run()
    at.button(key=go).click()
    at.run()
    assert any("CLAIMSCOPE_FACTCHECK_API_KEY" in e.value.replace("\\", "") for e in at.error)
    assert store().events(article_id) == []


def test_find_more_evidence_that_fails_to_verify_leaves_the_result(monkeypatch):
    from tests.test_app import store

    monkeypatch.setattr(
        "retrieval.sources.build_sources", lambda settings, spec, **kw: [ScriptedCritics()]
    )
    at = check(new_app())
    article_id = at.query_params["article"]
    at.sidebar.text_input(key="cs_reviewer").set_value("Ana Reviewer")
    open_claim(at, 2)  # "The summit hall is unreachable by road.": the verifier fails on it
    before = store().report(article_id).claims[1]
    at.button(key=more_widgets(at, 2)[1]).click()
    at.run()
    assert any("could not be checked again: verify failed" in e.value for e in at.error)
    assert store().report(article_id).claims[1] == before
    assert store().events(article_id) == []
