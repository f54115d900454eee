"""Evidence on demand in a real Chromium: an empty knowledge base, "+ web" chosen on the
check page, SearXNG and the pages served by the loopback evidence server
(tests/evidence_server.py) → the claim cites a fetched page, with its URL."""

from __future__ import annotations

import pytest

from tests.browser.server import streamlit_server
from tests.evidence_server import EvidenceServer
from tests.test_browser_app import (  # noqa: F401
    ARTIFACTS,
    detail,
    opened,
    playwright_browser,
    row,
    wait_app,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]

ARTICLE = (
    "Russian President Vladimir Putin used the final day of the Brics summit in Kazan "
    "on 24 October 2024 to warn the West."
)


@pytest.fixture
def evidence_server():
    with EvidenceServer() as running:
        yield running


@pytest.fixture
def server(tmp_path, _isolated_home, evidence_server):
    env = {
        "CLAIMSCOPE_HOME": str(_isolated_home),
        "CLAIMSCOPE_APP_SERVICES": "tests.app_fakes",  # an empty in-memory store
        "CLAIMSCOPE_SEARXNG_URL": f"{evidence_server.url}/searxng",
        "CLAIMSCOPE_FETCH_ALLOW_LOOPBACK": "true",  # the loopback test server only
    }
    with streamlit_server(env, tmp_path / "streamlit.log") as running:
        yield running


def test_web_evidence_is_fetched_and_cited_with_its_url(
    playwright_browser,  # noqa: F811 - the fixture imported above
    server,
    evidence_server,
):
    page = playwright_browser.new_page(viewport={"width": 1280, "height": 800})
    # a check that searches and fetches per claim: generous on a loaded 2-core machine
    page.set_default_timeout(90_000)
    page.goto(server.url)
    wait_app(page)
    page.locator(".st-key-cs_evidence_input input").click()
    page.get_by_role("option", name="+ web").click()
    page.keyboard.press("Escape")
    wait_app(page)
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Check claims").click()
    row(page, 1).wait_for()  # listed at once, being checked
    page.locator("[class*=st-key-cs_do_confirm]").first.wait_for()  # the stored report
    opened(page, 1)
    cited = page.locator(f'.st-key-cs_detail_1 a[href^="{evidence_server.url}/pages/"]')
    cited.first.wait_for()
    assert "Brics" in cited.first.inner_text()
    assert any(r.path.startswith("/searxng") for r in evidence_server.requests)
    page.close()


def test_find_more_evidence_for_one_claim_in_chromium(
    playwright_browser,  # noqa: F811 - the fixture imported above
    server,
    evidence_server,
):
    """Checked against the (empty) knowledge base only → no evidence; "Find more evidence"
    in the claim's detail gathers from SearXNG and the served pages → a fetched page is
    shown with its URL, and the outcome is said."""
    page = playwright_browser.new_page(viewport={"width": 1280, "height": 800})
    # a check that searches and fetches per claim: generous on a loaded 2-core machine
    page.set_default_timeout(90_000)
    page.goto(server.url)
    wait_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("Reviewer name").fill("Ana Browser")
    sidebar.get_by_label("Reviewer name").press("Enter")
    wait_app(page)
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Check claims").click()
    row(page, 1).wait_for()
    opened(page, 1)
    before = len(evidence_server.requests)
    assert detail(page, 1).get_by_text("No evidence was retrieved for this claim.").count() == 1
    detail(page, 1).get_by_role("button", name="Find more evidence").click()
    detail(page, 1).get_by_text("Web: ").first.wait_for()  # "Web: 3 new documents stored; …"
    wait_app(page)
    outcome = detail(page, 1).locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
    assert "new document" in outcome and "verdict" in outcome, outcome
    fetched = detail(page, 1).locator(f'a[href^="{evidence_server.url}/pages/"]')
    fetched.first.wait_for(state="attached")
    assert fetched.count() >= 1
    searched = [r for r in evidence_server.requests[before:] if r.path.startswith("/searxng")]
    assert searched and all(r.query.get("format") == ["json"] for r in searched)
    ARTIFACTS.mkdir(exist_ok=True)
    detail(page, 1).locator('[class*="st-key-cs_more_"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "find-more-evidence-1280x800.png"))
    page.close()
