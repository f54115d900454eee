"""The app in a real headless Chromium: ingest, check, open evidence, override, reload, export.

Runs ``streamlit run ui/app/main.py`` on 127.0.0.1 with scripted models
(tests/app_fakes.py) and drives Debian's Chromium with Playwright. Screenshots
of the check page and the evidence view go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, REPO, streamlit_server
from ui.app.exports import claimreview_problems

pytestmark = [pytest.mark.integration, pytest.mark.browser]

ARTIFACTS = REPO / "test-artifacts"
SECRET = "sk-browser-SECRET-0123456789abcdef"
ARTICLE = (
    "Brics summit notes\n\n"
    "Brics was founded in 2006 with four members. "
    "South Africa joined the group in 2010. "
    'Critics wrote <script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2"> '
    "in the margin. "
    "The summit hall is unreachable by road."
)
SOURCES = {
    "brics.md": "# Brics history\n\nBrics was founded in 2009 with four members. "
    "South Africa joined the group in 2010 as the fifth member.",
    "climate.txt": "Glaciers are melting faster than expected.",
}


@pytest.fixture(scope="module")
def playwright_browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Chromium not found at /usr/bin/chromium: install it with `apt-get install -y chromium`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def server(tmp_path, _isolated_home):
    env = {
        "CLAIMSCOPE_HOME": str(_isolated_home),
        "CLAIMSCOPE_APP_SERVICES": "tests.app_fakes",
    }
    with streamlit_server(env, tmp_path / "streamlit.log") as running:
        yield running


def wait_app(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def test_check_review_reload_export_in_chromium(
    playwright_browser, server, tmp_path, _isolated_home
):
    ARTIFACTS.mkdir(exist_ok=True)
    context = playwright_browser.new_context(
        viewport={"width": 1280, "height": 800}, accept_downloads=True
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(30_000)

    # -- knowledge base: upload two sources ----------------------------------------------
    for name, text in SOURCES.items():
        (tmp_path / name).write_text(text)
    page.goto(f"{server.url}/?page=kb")
    wait_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(tmp_path / n) for n in SOURCES]
    )
    page.get_by_role("button", name="Add to knowledge base").click()
    page.get_by_text(re.compile(r"Ingested 2 sources")).wait_for()
    page.get_by_role("tab", name="Sources", exact=True).click()
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.locator("td", has_text="climate.txt").first.wait_for(state="attached")

    # -- sidebar: reviewer, and an API key typed in LLM mode then back to offline ----------
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("Reviewer name").fill("Ana Browser")
    sidebar.get_by_label("Reviewer name").press("Enter")
    sidebar.get_by_text("Settings").click()
    sidebar.get_by_text("LLM endpoint").click()
    key_box = sidebar.get_by_role("textbox", name="API key")
    key_box.fill(SECRET)
    key_box.press("Enter")
    sidebar.get_by_text("•••••••• (this session only)").wait_for()
    sidebar.get_by_text("Offline (no network)").click()
    wait_app(page)

    # -- check an article --------------------------------------------------------------------
    sidebar.get_by_text("Check an article").click()
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Check claims").click()
    page.locator('[data-testid="stExpander"]', has_text="[1]").wait_for()
    wait_app(page)
    assert "article=" in page.url
    article = page.locator(".cs-article")
    shown = article.inner_text()
    assert "<script>window." in shown and '<img src=x onerror="window.' in shown
    assert article.locator("img").count() == 0 and article.locator("script").count() == 0
    assert page.evaluate("() => window.__xss") is None and dialogs == []
    page.screenshot(path=str(ARTIFACTS / "check-page.png"))

    # -- open the first claim's evidence ----------------------------------------------------
    card = page.locator('[data-testid="stExpander"]', has_text="[1]")
    card.locator("summary").click()
    card.get_by_text("Cited evidence").wait_for()
    assert "Brics was founded in 2009 with four members." in card.locator("mark").first.inner_text()
    card.get_by_text("Brics history").first.wait_for()
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "evidence-view.png"))

    # -- override its verdict with a note ----------------------------------------------------
    verdict_box = card.get_by_role("combobox", name="Verdict")
    verdict_box.click()
    verdict_box.press_sequentially("Supported")
    page.get_by_role("option", name="Supported", exact=True).click()
    card.get_by_label("Note").fill("the founding year is wrong in the evidence")
    card.get_by_role("button", name="Save review").click()
    page.locator('[data-testid="stExpander"]', has_text="Supported (reviewed)").wait_for()

    # -- reload: the override is still there -------------------------------------------------
    page.reload()
    wait_app(page)
    reviewed = page.locator('[data-testid="stExpander"]', has_text="[1]")
    reviewed.wait_for()
    assert "Supported (reviewed)" in reviewed.locator("summary").inner_text()

    # -- exports -------------------------------------------------------------------------------
    page.get_by_role("tab", name="Export", exact=True).click()
    with page.expect_download() as json_download:
        page.get_by_role("button", name="JSON report").click()
    exported = json.loads(Path(json_download.value.path()).read_text())
    assert exported["report"]["article"]["text"] == ARTICLE
    assert [e["action"] for e in exported["audit"]] == ["override"]
    assert exported["audit"][0]["reviewer"] == "Ana Browser"
    with page.expect_download() as ld_download:
        page.get_by_role("button", name=re.compile(r"ClaimReview JSON-LD \(1\)")).click()
    items = json.loads(Path(ld_download.value.path()).read_text())
    assert len(items) == 1 and claimreview_problems(items[0]) == []
    assert items[0]["reviewRating"]["alternateName"] == "True"
    assert items[0]["author"]["name"] == "Ana Browser"

    # -- the API key is nowhere: page source, exports, server log, data directory ---------
    assert SECRET not in page.content()
    for download in (json_download.value, ld_download.value):
        assert SECRET not in Path(download.path()).read_text()
    assert SECRET not in server.log_text()
    for path in Path(_isolated_home).rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    context.close()


def test_cross_check_disagreement_in_chromium(playwright_browser, server, tmp_path):
    """LLM mode (scripted): the offline second opinion is shown and a disagreement flagged."""
    page = playwright_browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(30_000)
    (tmp_path / "brics.md").write_text(SOURCES["brics.md"])
    page.goto(f"{server.url}/?page=kb")
    wait_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(tmp_path / "brics.md")]
    )
    page.get_by_role("button", name="Add to knowledge base").click()
    page.get_by_text(re.compile(r"Ingested 1 source")).wait_for()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Settings").click()
    sidebar.get_by_text("LLM endpoint").click()
    sidebar.get_by_text("Cross-check with the offline verifier").wait_for()
    sidebar.get_by_text("Check an article").click()
    wait_app(page)
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Check claims").click()
    first = page.locator('[data-testid="stExpander"]', has_text="[1]")
    first.wait_for()
    wait_app(page)
    # claim 1 (2006 against 2009): REFUTED by the scripted verifier, SUPPORTED by the checker
    assert "cross-check disagrees" in first.locator("summary").inner_text()
    second = page.locator('[data-testid="stExpander"]', has_text="[2]")
    assert "cross-check disagrees" not in second.locator("summary").inner_text()
    first.locator("summary").click()
    first.get_by_text("Cross-check: Supported 90%").wait_for()
    first.get_by_text(re.compile(r"credulous-checker\) disagrees")).wait_for()
    page.close()


def test_real_offline_models_in_chromium(playwright_browser, tmp_path, _isolated_home):
    """`make app`'s own wiring (Chroma, offline extractor and verifier) in the browser."""
    from claims.errors import ModelFileError
    from claims.settings import Settings
    from ui.wiring import models

    try:
        models(Settings.from_env())
    except ModelFileError as exc:
        pytest.skip(f"offline models are not built in this checkout: {exc}")
    for name, text in SOURCES.items():
        (tmp_path / name).write_text(text)
    article = (
        "Brics was founded in 2009 with four members. South Africa joined the group in 2010. "
        "Glaciers are melting faster than expected, scientists said on Monday."
    )
    env = {"CLAIMSCOPE_HOME": str(_isolated_home)}
    with streamlit_server(env, tmp_path / "streamlit-real.log") as running:
        page = playwright_browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(120_000)
        page.goto(f"{running.url}/?page=kb")
        wait_app(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            [str(tmp_path / n) for n in SOURCES]
        )
        page.get_by_role("button", name="Add to knowledge base").click()
        page.get_by_text(re.compile(r"Ingested 2 sources")).wait_for()
        page.locator('[data-testid="stSidebar"]').get_by_text("Check an article").click()
        page.get_by_label("Article text").fill(article)
        page.get_by_role("button", name="Check claims").click()
        page.locator('[data-testid="stExpander"]', has_text="[1]").wait_for()
        wait_app(page)
        cards = page.locator('[data-testid="stExpander"]', has_text=re.compile(r"\[\d+\]"))
        verdicts = ("Supported", "Refuted", "Not enough info", "Conflicting", "Failed")
        labels = cards.locator("summary").all_inner_texts()
        assert labels and all(any(v in label for v in verdicts) for label in labels)
        assert page.locator(".cs-article mark").count() >= len(labels)
        cards.first.locator("summary").click()
        cards.first.get_by_text(re.compile("Cited evidence|Retrieved passages")).first.wait_for()
        page.screenshot(path=str(ARTIFACTS / "real-models-check.png"))
        page.close()
