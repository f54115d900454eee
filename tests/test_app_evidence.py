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
from tests.test_app import check, claim_cards, new_app, open_claim, scripted_services  # noqa: F401

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
