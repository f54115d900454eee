"""Evidence on demand against a loopback server shaped like each provider's API,
with the real fetcher, a real Chroma store and the real command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from claims.errors import EvidenceError, FetchRefusedError
from claims.settings import Settings
from retrieval import open_knowledge_base
from retrieval.embedder import default_embedder
from retrieval.fetch import Fetcher
from retrieval.gather import EvidenceGatherer
from retrieval.sources import build_sources
from tests.evidence_server import KEY, PDF_TEXT, EvidenceServer
from ui.cli import main as cli

pytestmark = pytest.mark.integration

ARTICLE = (
    "KAZAN, Russia – Russia's lower house of parliament voted to ratify a defence pact with "
    "North Korea on Oct 24. Starting in 2009 with four members – Brazil, Russia, India and "
    "China – Brics has expanded to include other emerging nations."
)


@pytest.fixture(scope="module")
def server():
    with EvidenceServer(slow_s=3.0) as running:
        yield running


def settings_for(server: EvidenceServer, **overrides) -> Settings:
    values = {
        "searxng_url": f"{server.url}/searxng",
        "brave_url": f"{server.url}/brave",
        "tavily_url": f"{server.url}/tavily",
        "serper_url": f"{server.url}/serper",
        "wikipedia_url": f"{server.url}/wiki",
        "factcheck_url": f"{server.url}/factcheck",
        "fetch_allow_loopback": True,
        "fetch_timeout_s": 1.0,
        "fetch_max_bytes": 2_000_000,
        **overrides,
    }
    return Settings.from_env({}, **values)


# ---------------------------------------------------------------- connectors


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({}, "searxng"),
        ({"searxng_url": None, "brave_api_key": KEY}, "brave"),
        ({"searxng_url": None, "tavily_api_key": KEY}, "tavily"),
        ({"searxng_url": None, "serper_api_key": KEY}, "serper"),
    ],
)
def test_each_web_provider_finds_the_corpus_pages(server, env, name):
    settings = settings_for(server)
    settings = Settings.model_validate({**settings.model_dump(), **env})
    (source,) = build_sources(settings, "web")
    assert source.name == name
    found = source.search(
        "Brics began in 2009 with four members", before=date(2024, 10, 25), limit=3
    )
    assert found[0].url.endswith("/pages/what-is-brics")
    assert found[0].published == date(2024, 10, 21) and found[0].kind == "web"
    request = server.requests[-1]
    if name == "brave":
        assert request.query["freshness"] == ["1990-01-01to2024-10-24"]
    if name == "tavily":
        assert request.body["end_date"] == "2024-10-24"
    if name == "serper":
        assert request.body["tbs"] == "cdr:1,cd_max:10/24/2024"


def test_a_wrong_key_is_a_redacted_error(server):
    settings = settings_for(server, searxng_url=None, brave_api_key="brv-wrong-key-987")
    (source,) = build_sources(settings, "web")
    with pytest.raises(EvidenceError, match="HTTP 401") as caught:
        source.search("Brics", limit=3)
    assert "brv-wrong-key-987" not in str(caught.value)


def test_wikipedia_gives_whole_extracts(server):
    (source,) = build_sources(settings_for(server), "wikipedia")
    found = source.search("Duma ratifies defence treaty with North Korea", limit=2)
    assert found[0].kind == "wikipedia" and "Federation Council" in (found[0].text or "")
    assert found[0].url.startswith(f"{server.url}/wiki/wiki/")


def test_fact_checks_carry_publisher_rating_date_and_url(server):
    (source,) = build_sources(settings_for(server, factcheck_api_key=KEY), "factchecks")
    found = source.search(
        "Russia's parliament voted to ratify a defence pact with North Korea", limit=5
    )
    check = found[0].fact_check
    assert check is not None
    assert (check.publisher, check.rating, check.reviewed) == (
        "Example Fact Check",
        "False",
        date(2024, 10, 24),
    )
    assert found[0].kind == "fact-check" and "rated it False" in (found[0].text or "")
    assert server.requests[-1].query["key"] == [KEY]


def test_a_rate_limited_search_is_retried_after_retry_after(server):
    settings = settings_for(server, searxng_url=f"{server.url}/rate-limited")
    (source,) = build_sources(settings, "web")
    assert source.search("Brics", limit=2)
    statuses = [r.path for r in server.requests if r.path == "/rate-limited/search"]
    assert len(statuses) == 2


# ---------------------------------------------------------------- pages


def test_an_html_page_loses_its_boilerplate_and_keeps_its_date(server):
    document = Fetcher(settings_for(server)).document(
        f"{server.url}/pages/what-is-brics", kind="web", published=None
    )
    assert "Brics began in 2009" in document.text
    assert "cookies" not in document.text and "All rights reserved" not in document.text
    assert (
        document.published == date(2024, 10, 21)
        and document.title == "What is Brics and who are its members?"
    )
    assert document.url == document.source == f"{server.url}/pages/what-is-brics"


def test_a_pdf_goes_through_the_pdf_loader(server):
    document = Fetcher(settings_for(server)).document(
        f"{server.url}/files/report.pdf", kind="web", published=None
    )
    assert PDF_TEXT in document.text


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/missing", EvidenceError, "HTTP 404"),
        ("/slow", EvidenceError, "timed out"),
        ("/huge", EvidenceError, "larger than 2,000,000 bytes"),
        ("/binary", EvidenceError, "unsupported content type 'application/octet-stream'"),
        ("/loop", EvidenceError, "more than 5 redirects"),
        ("/to-private", FetchRefusedError, "non-public address 10.0.0.1"),
        ("/private/page", FetchRefusedError, "robots.txt disallows"),
        ("/to-disallowed", FetchRefusedError, "robots.txt disallows"),
    ],
)
def test_awkward_pages_are_refused_with_a_reason(server, path, error, message):
    with pytest.raises(error, match=message):
        Fetcher(settings_for(server)).fetch(f"{server.url}{path}")


def test_loopback_is_refused_unless_the_test_setting_allows_it(server):
    with pytest.raises(FetchRefusedError, match="non-public address 127.0.0.1"):
        Fetcher(settings_for(server, fetch_allow_loopback=False)).fetch(
            f"{server.url}/pages/what-is-brics"
        )


# ---------------------------------------------------------------- gathering into a real store


def test_gathered_pages_are_stored_with_their_provenance(server, tmp_path):
    settings = settings_for(server, home=tmp_path / "home")
    kb = open_knowledge_base(settings, default_embedder())
    gatherer = EvidenceGatherer(
        kb, build_sources(settings, "web"), settings, before=date(2024, 10, 25)
    )
    claim = "Russia's lower house of parliament voted to ratify a defence pact with North Korea."
    evidence = gatherer.search(claim, top_k=3)
    gatherer.close()
    assert evidence[0].passage.url == f"{server.url}/pages/duma-ratifies-north-korea-treaty"
    assert evidence[0].passage.kind == "web" and evidence[0].passage.retrieved_at is not None
    rows = kb.sources(kind="web")
    assert rows and all(r["kind"] == "web" and r["retrieved_at"] for r in rows)
    assert not any(r["source"].endswith("kursk-deployment") for r in rows)  # published after


# ---------------------------------------------------------------- command line


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_with_web_search_on_an_empty_store_finds_evidence_with_urls(server, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    base = ["--home", str(tmp_path / "home"), "--set", f"searxng_url={server.url}/searxng",
            "--set", "fetch_allow_loopback=true"]  # fmt: skip
    code, out, _ = run(
        capsys, *base, "check", str(article), "--search", "web", "--before", "2024-10-25", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["claims"]
    for item in report["claims"]:
        assert item["evidence"], f"no evidence for {item['claim']['text']!r}"
        assert item["evidence"][0]["passage"]["url"].startswith(f"{server.url}/pages/")
        assert item["notes"] == []
    code, out, _ = run(capsys, *base, "kb", "sources", "--kind", "web")
    assert code == 0 and f"{server.url}/pages/what-is-brics" in out and "[web, fetched " in out
    code, out, _ = run(capsys, *base, "kb", "sources", "--kind", "wikipedia")
    assert code == 0 and "no fetched evidence of kind wikipedia" in out


def test_check_with_every_provider_failing_finishes_with_notes_and_exit_1(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with EvidenceServer(failing=True) as failing:
        base = ["--home", str(tmp_path / "home"), "--set", f"searxng_url={failing.url}/searxng",
                "--set", f"wikipedia_url={failing.url}/wiki", "--set", f"factcheck_url={failing.url}/factcheck",
                "--set", f"factcheck_api_key={KEY}"]  # fmt: skip
        code, out, _ = run(
            capsys, *base, "check", str(article), "--search", "web,wikipedia,factchecks", "--json"
        )
    assert code == 1
    report = json.loads(out)
    for item in report["claims"]:
        assert item["verdict"] is not None  # the knowledge-base verdict stands
        messages = [n["message"] for n in item["notes"] if n["kind"] == "source_unavailable"]
        assert any(m.startswith("web search unavailable: searxng: HTTP 503") for m in messages)
        assert any(m.startswith("Wikipedia unavailable") for m in messages)
        assert any(m.startswith("fact-check search unavailable") for m in messages)
        assert KEY not in json.dumps(item)


def test_search_prints_what_each_source_found(server, capsys):
    code, out, _ = run(
        capsys, "--set", f"searxng_url={server.url}/searxng", "--set", f"wikipedia_url={server.url}/wiki",
        "--set", f"factcheck_url={server.url}/factcheck", "--set", f"factcheck_api_key={KEY}",
        "search", "Brics started in 2009 with four members: Brazil, Russia, India and China",
    )  # fmt: skip
    assert code == 0
    assert (
        "== searxng (web)" in out
        and "== wikipedia (wikipedia)" in out
        and "== factchecks (fact-check)" in out
    )
    assert f"{server.url}/pages/what-is-brics" in out and "rating: True (Example Fact Check)" in out


def test_search_reports_an_unreachable_source_with_exit_1(capsys):
    code, out, _ = run(
        capsys, "--set", "searxng_url=http://127.0.0.1:9", "search", "Brics", "--sources", "web"
    )
    assert code == 1 and "unavailable: searxng: unreachable" in out


def test_fetched_pages_are_never_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    with pytest.raises(FetchRefusedError, match="only http and https"):
        Fetcher(Settings.from_env({})).fetch(Path(secret).as_uri())
