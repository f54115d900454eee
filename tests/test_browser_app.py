"""The app in a real headless Chromium: ingest, check, the review desk, reload, add, export.

Runs ``streamlit run ui/app/main.py`` on 127.0.0.1 with scripted models
(tests/app_fakes.py) and drives Debian's Chromium with Playwright. Screenshots
of the desk (while checking and done), a claim's detail, the knowledge-base and
evaluation pages at 1280x800 and 1920x1080 go to ``test-artifacts/``; axe-core
checks each page for serious or critical violations.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

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
    "The summit hall is unreachable by road.\n\n"
    "Leaders at the summit in Kazan\n\n"
    "PHOTO: EPA-EFE\n\n"
    "Sign up now: Get our newsletters delivered to your inbox\n\n"
    "Follow topic:"
)
SOURCES = {
    "brics.md": "# Brics history\n\nBrics was founded in 2009 with four members. "
    "South Africa joined the group in 2010 as the fifth member.",
    "climate.txt": "Glaciers are melting faster than expected.",
}
#: Three pages in one source (a JSONL): listed one by one, one of them removed.
FEED = [
    {"id": f"g{i}", "title": title, "url": f"https://glaciers.example/{i}", "text": text}
    for i, (title, text) in enumerate(
        [
            ("Andes glaciers", "Glaciers in the Andes lost ice quickly."),
            ("Alpine glaciers", "Alpine glaciers shrank during the hot July."),
            ("Arctic ice", "Arctic sea ice covered less water in September."),
        ]
    )
]


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
def gate(tmp_path) -> Path:
    """While this file is missing, the scripted verifier holds the "unreachable" claim."""
    path = tmp_path / "verify-gate"
    path.touch()
    return path


@pytest.fixture
def server(tmp_path, _isolated_home, gate):
    env = {
        "CLAIMSCOPE_HOME": str(_isolated_home),
        "CLAIMSCOPE_APP_SERVICES": "tests.app_fakes",
        "CLAIMSCOPE_RUNS_DIR": str(tmp_path / "runs"),
        "CLAIMSCOPE_FAKE_VERIFY_GATE": str(gate),
        "CLAIMSCOPE_FAKE_INGEST_DELAY": "0.4",  # seconds per document: the bar can be seen
    }
    with streamlit_server(env, tmp_path / "streamlit.log") as running:
        yield running


def wait_app(page) -> None:
    """The app is idle: no run in progress and no element left dimmed from the last run
    (Streamlit fades stale elements, which axe then reads as low-contrast text)."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=30_000,
    )


def row(page, number: int):
    """The desk's list row of claim ``number`` (the first: during a rerun Streamlit may
    briefly show an element twice, which a strict locator would refuse)."""
    return page.locator(f".st-key-cs_row_{number} button").first


def detail(page, number: int):
    return page.locator(f".st-key-cs_detail_{number}").first


def opened(page, number: int) -> None:
    detail(page, number).wait_for()
    wait_app(page)


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    wait_app(page)
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[(n['target'], n['html'][:120], n.get('failureSummary', '')[:300]) for n in v['nodes']][:3]}"
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]


def in_view(page, selector: str, pane: str) -> bool:
    """True when the element is inside its scrolling pane's visible box."""
    return page.evaluate(
        """([sel, pane]) => {
            const el = document.querySelector(sel), box = document.querySelector(pane);
            if (!el || !box) return false;
            const a = el.getBoundingClientRect(), b = box.getBoundingClientRect();
            return a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
        }""",
        [selector, pane],
    )


def wait_reviewer(page, name: str) -> None:
    """Wait until the sidebar's reviewer box holds ``name`` (restored from the browser)."""
    page.wait_for_function(
        "name => document.querySelector("
        "'[data-testid=stSidebar] input[aria-label=\"Reviewer name\"]')?.value === name",
        arg=name,
    )


def open_tab(page, name: str, shows: str) -> None:
    """Open a tab and wait for a text of it. A click that lands while the app reruns
    (a page just reloaded) can be lost with the tab bar it hit: click again then."""
    for _ in range(3):
        page.get_by_role("tab", name=name, exact=True).click()
        try:
            page.get_by_text(shows).wait_for(timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    page.get_by_text(shows).wait_for()


def shoot(page, name: str) -> None:
    """Screenshots at laptop and desktop sizes (test-artifacts/, for a person to look at)."""
    for width, height in ((1280, 800), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    page.set_viewport_size({"width": 1280, "height": 800})


#: Notes every text the ingest progress bar shows (the bar is drawn again per document).
WATCH_PROGRESS = """() => {
  window.__csProgress = [];
  new MutationObserver(() => {
    for (const bar of document.querySelectorAll('[data-testid="stProgress"]')) {
      const text = bar.innerText.trim();
      if (text && window.__csProgress.at(-1) !== text) window.__csProgress.push(text);
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def test_desk_flow_in_chromium(playwright_browser, server, gate, tmp_path, _isolated_home):
    """Paste → claims listed, verdicts streaming in → open a claim from a highlight and from
    the list → keyboard and click review → reload keeps reviewer and reviews → add a claim
    → export; the knowledge base's documents one by one; axe on each page."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = playwright_browser.new_context(
        viewport={"width": 1280, "height": 800}, accept_downloads=True
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(30_000)

    # -- the empty-knowledge-base notice sits above the input and leads to the page ---------
    page.goto(server.url)
    wait_app(page)
    notice = page.get_by_text("The knowledge base is empty")
    assert notice.bounding_box()["y"] < page.get_by_label("Article text").bounding_box()["y"]
    assert page.get_by_role("button", name="Search the web per claim").is_visible()
    assert serious_axe_violations(page) == []
    shoot(page, "check-empty-kb")
    page.get_by_role("button", name="Open the knowledge base").click()

    # -- knowledge base: upload three sources, one a JSONL of three pages -------------------
    for name, text in SOURCES.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "glaciers.jsonl").write_text("\n".join(json.dumps(r) for r in FEED))
    page.get_by_role("tab", name="Add sources").wait_for()
    wait_app(page)
    page.evaluate(WATCH_PROGRESS)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(tmp_path / n) for n in [*SOURCES, "glaciers.jsonl"]]
    )
    page.get_by_role("button", name="Add to knowledge base").click()
    page.get_by_text(re.compile(r"Ingested 3 sources, 5 documents")).wait_for()
    seen = page.evaluate("() => window.__csProgress")
    # the bar moved inside the JSONL, page by page (not only from source to source)
    assert any(re.search(r"glaciers\.jsonl: document [12] of 3", t) for t in seen), seen
    page.get_by_role("tab", name="Sources", exact=True).click()
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.locator("td", has_text="climate.txt").first.wait_for(state="attached")
    grid.locator("td", has_text="Alpine glaciers").first.wait_for(state="attached")
    page.get_by_text("5 of 5 documents in 3 sources").wait_for()
    # remove one page of the JSONL; its other pages stay
    page.get_by_label("Remove one document (of those listed above)").click()
    page.get_by_role("option", name=re.compile("Alpine glaciers")).click()
    page.get_by_role("button", name="Remove document").click()
    page.get_by_text("4 of 4 documents in 3 sources").wait_for()
    expect(grid.locator("td", has_text="Alpine glaciers")).to_have_count(0)
    expect(grid.locator("td", has_text="Andes glaciers")).to_have_count(1)
    page.get_by_label("Search documents").fill("glaciers")
    page.get_by_label("Search documents").press("Enter")
    page.get_by_text("2 of 4 documents in 3 sources").wait_for()  # the JSONL's 2 pages
    page.get_by_label("Search documents").fill("")
    page.get_by_label("Search documents").press("Enter")
    page.get_by_text("4 of 4 documents in 3 sources").wait_for()
    wait_app(page)
    shoot(page, "knowledge-base")
    assert serious_axe_violations(page) == []

    # -- sidebar: an API key typed in LLM mode then back to offline ----------------------
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Settings").click()
    sidebar.get_by_text("LLM endpoint").click()
    key_box = sidebar.get_by_role("textbox", name="API key")
    key_box.fill(SECRET)
    key_box.press("Enter")
    sidebar.get_by_text("•••••••• (this session only)").wait_for()
    sidebar.get_by_text("Offline (no network)").click()
    wait_app(page)

    # -- check an article: the desk --------------------------------------------------------
    sidebar.get_by_text("Check an article").click()
    page.get_by_label("Article text").fill(ARTICLE)
    gate.unlink()  # the "unreachable" claim waits: the check stays half done meanwhile
    page.get_by_role("button", name="Check claims").click()
    # the claims are listed at once, each verdict shows as it arrives
    page.get_by_role("button", name=re.compile(r"\[\d\] Refuted 80%")).first.wait_for()
    pending = page.get_by_role("button", name=re.compile(r"\[\d\] Being checked"))
    pending.first.wait_for()
    assert "job=" in page.url and "article=" not in page.url
    assert page.locator(".cs-article mark").count() >= 5  # pending claims are marked too
    assert page.locator("[class*=st-key-cs_do_]").count() == 0  # reviewing starts at the end
    opened(page, 1)  # the refuted claim leads the list and is open, with its evidence
    assert detail(page, 1).get_by_text("Cited evidence").is_visible()
    wait_app(page)
    assert serious_axe_violations(page) == []
    shoot(page, "desk-live")
    gate.touch()
    page.locator("[class*=st-key-cs_do_confirm]").first.wait_for()
    opened(page, 1)  # the first claim to review is open
    assert "article=" in page.url
    expect(pending).to_have_count(0)  # (the live desk's elements go once the rerun is drawn)
    expect(page.locator(".cs-article")).to_have_count(1)
    article = page.locator(".cs-article")
    shown = article.inner_text()
    assert "<script>window." in shown and '<img src=x onerror="window.' in shown
    assert article.locator("img").count() == 0 and article.locator("script").count() == 0
    assert page.evaluate("() => window.__xss") is None and dialogs == []
    furniture = article.locator(".cs-furniture").all_inner_texts()
    assert any("Sign up now" in f for f in furniture) and any("PHOTO" in f for f in furniture)
    assert detail(page, 1).get_by_text("Cited evidence").is_visible()
    assert serious_axe_violations(page) == []
    shoot(page, "desk")

    # -- open a claim from its highlight, and from the list --------------------------------
    article.locator('mark[data-claim="3"]').first.click()
    opened(page, 3)
    article.locator('mark[data-claim="1"]').first.click()
    opened(page, 1)
    detail(page, 1).get_by_text("The passage around quote 1").click()
    detail(page, 1).locator(
        "mark", has_text="Brics was founded in 2009 with four members."
    ).wait_for()
    detail(page, 1).get_by_text("Brics history").first.wait_for()
    shoot(page, "claim-detail")
    row(page, 4).click()
    opened(page, 4)
    page.wait_for_timeout(600)  # the smooth scroll
    assert in_view(page, "#cs-span-4", ".st-key-cs_pane_article")

    # -- review: the name first (the desk asks for it), then one key or click per claim ------
    sidebar.get_by_label("Reviewer name").fill("Ana Browser")
    sidebar.get_by_label("Reviewer name").press("Enter")
    wait_app(page)
    wait_app(page)
    classes = page.locator(".st-key-cs_pane_claims [class*=st-key-cs_row_]").evaluate_all(
        "els => els.map(e => e.className)"
    )
    # (a rerun may briefly show an element twice: keep each claim's first row)
    order = list(dict.fromkeys(int(re.search(r"cs_row_(\d+)", c).group(1)) for c in classes))
    assert order[0] == 1 and len(order) == 6  # review first: the refuted claim leads
    row(page, 1).click()
    opened(page, 1)
    detail(page, 1).get_by_label("Note").fill("the founding year is wrong in the evidence")
    detail(page, 1).get_by_label("Note").press("Enter")
    wait_app(page)
    detail(page, 1).get_by_role("button", name="Supported · s").click()
    opened(page, order[1])  # on to the next claim to review
    page.locator("body").press("r")  # keyboard: mark refuted
    opened(page, order[2])
    page.locator("body").press("j")  # next claim, without reviewing
    opened(page, order[3])
    page.locator("body").press("k")  # and back
    opened(page, order[2])
    for number in order[2:-1]:
        page.locator("body").press("c")  # confirm the machine verdict
        opened(page, order[order.index(number) + 1])
    detail(page, order[-1]).get_by_role("button", name="Confirm · c").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[class*=st-key-cs_row_] button')]"
        ".every(b => b.innerText.includes('reviewed'))"
    )
    assert page.get_by_text("6 reviewed").is_visible()

    # -- reload: the reviewer and the reviews are still there ------------------------------
    page.reload()
    wait_app(page)
    row(page, 1).wait_for()
    wait_reviewer(page, "Ana Browser")
    assert "Supported ✓ reviewed" in row(page, 1).inner_text()
    assert "Refuted ✓ reviewed" in row(page, order[1]).inner_text()

    # -- add a claim the extraction missed -------------------------------------------------
    add = page.get_by_text("Add a claim the extraction missed")
    # under load the rerun after the reload briefly shows the old form beside the new one
    expect(add).to_have_count(1)
    add.click()
    page.get_by_label("Claim", exact=True).fill("South Africa joined the group in 2010")
    page.get_by_role("button", name="Add and check").click()
    opened(page, 7)
    assert "added by hand" in row(page, 7).inner_text()
    assert "Supported" in row(page, 7).inner_text()
    # ... or select its words in the article
    page.evaluate(
        """() => {
            const mark = document.querySelector('.cs-article mark[data-claim="2"]');
            const range = document.createRange();
            range.selectNodeContents(mark);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            mark.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    page.get_by_role(
        "button", name=re.compile("Add “South Africa joined the group in 2010")
    ).click()
    opened(page, 8)
    assert "added by hand" in row(page, 8).inner_text()

    # -- history: axe ------------------------------------------------------------------------
    desk_url = page.url
    page.goto(f"{server.url}/?page=history")
    wait_app(page)
    page.get_by_text("Brics summit notes").first.wait_for()
    assert serious_axe_violations(page) == []
    page.goto(desk_url)
    wait_app(page)
    row(page, 8).wait_for()

    # -- exports -------------------------------------------------------------------------------
    open_tab(page, "Export", "Exports hold the machine verdicts")
    # a run still in flight after the page reload replaces the buttons' files when it
    # ends, and Chromium then cancels a download begun from the old one
    wait_app(page)
    with page.expect_download() as json_download:
        page.get_by_role("button", name="JSON report").click()
    exported = json.loads(Path(json_download.value.path()).read_text())
    assert exported["report"]["article"]["text"] == ARTICLE
    actions = [e["action"] for e in exported["audit"]]
    assert actions == [
        "override",
        "override",
        "confirm",
        "confirm",
        "confirm",
        "confirm",
        "add",
        "add",
    ]
    assert exported["audit"][0]["reviewer"] == "Ana Browser"
    assert exported["audit"][0]["note"] == "the founding year is wrong in the evidence"
    with page.expect_download() as ld_download:
        page.get_by_role("button", name=re.compile(r"ClaimReview JSON-LD \(6\)")).click()
    items = json.loads(Path(ld_download.value.path()).read_text())
    assert len(items) == 6 and all(claimreview_problems(item) == [] for item in items)
    assert items[0]["author"]["name"] == "Ana Browser"

    # -- evaluation page, with two runs to compare: axe and screenshots ---------------------
    from tests.test_app import _write_run

    _write_run(tmp_path / "runs" / "20261101-120000-scifact-oracle", ["SUPPORTED"] * 12)
    gold = ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "SUPPORTED"] * 3
    _write_run(tmp_path / "runs" / "20261102-120000-scifact-oracle", gold)
    page.goto(f"{server.url}/?page=eval")
    wait_app(page)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    wait_reviewer(page, "Ana Browser")  # remembered on every page
    assert serious_axe_violations(page) == []
    shoot(page, "evaluation")

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
    page.locator("[class*=st-key-cs_do_confirm]").first.wait_for()  # the stored report
    opened(page, 1)
    # claim 1 (2006 against 2009): REFUTED by the scripted verifier, SUPPORTED by the checker
    assert "cross-check disagrees" in row(page, 1).inner_text()
    assert "cross-check disagrees" not in row(page, 2).inner_text()
    detail(page, 1).get_by_text("Cross-check: Supported 90%").wait_for()
    detail(page, 1).get_by_text(re.compile(r"credulous-checker\) disagrees")).wait_for()
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
        page.locator("[class*=st-key-cs_do_confirm]").first.wait_for()  # the stored report
        expect(page.get_by_role("button", name=re.compile("Being checked"))).to_have_count(0)
        wait_app(page)
        rows = page.locator(".st-key-cs_pane_claims [class*=st-key-cs_row_] button")
        verdicts = ("Supported", "Refuted", "Not enough info", "Conflicting", "Failed")
        labels = rows.all_inner_texts()
        assert labels and all(any(v in label for v in verdicts) for label in labels)
        assert page.locator(".cs-article mark").count() >= len(labels)
        page.locator("[class*=st-key-cs_detail_]").get_by_text(
            re.compile("Cited evidence|Retrieved evidence|No evidence")
        ).first.wait_for()
        page.screenshot(path=str(ARTIFACTS / "real-models-check.png"))
        page.close()
