"""Evidence on demand, unit level: queries, time filtering, the URL guard, the TTL cache,
Retry-After, rating sides and the gatherer's notes, all on fakes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from claims.errors import ConfigError, EvidenceError, FetchRefusedError
from claims.models import ClaimResult, FactCheck, Label, Verdict
from claims.settings import Settings
from retrieval.documents import Document
from retrieval.fetch import FetchCache, check_url
from retrieval.gather import EvidenceGatherer, disagrees, rating_side
from retrieval.queries import build_queries, key_terms
from retrieval.sources import build_sources, parse_kinds
from retrieval.sources.base import FoundDocument, JsonClient, retry_after_seconds
from tests.fakes import make_claim, make_evidence

# ---------------------------------------------------------------- queries


def test_the_first_query_is_the_claim_without_quote_marks():
    queries = build_queries('Putin said the Middle East was "on the verge of full-scale war".')
    assert queries[0] == "Putin said the Middle East was on the verge of full-scale war."
    assert len(queries) == 2


def test_key_terms_keep_numbers_dates_and_names():
    terms = key_terms("Brics started in 2009 with four members: Brazil, Russia, India and China.")
    joined = " ".join(terms)
    for word in ("2009", "Brazil", "China"):
        assert word in joined
    assert "with" not in terms and "in" not in terms


def test_a_long_claim_is_cut_at_a_word_boundary():
    claim = "word " * 200
    first = build_queries(claim)[0]
    assert len(first) <= 300 and not first.endswith(" ")


# ---------------------------------------------------------------- URL guard


def resolver(table: dict[str, list[str]]):
    return lambda host, port: table[host]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "gopher://example.org/",
        "http:///no-host",
        "http://internal.example/",  # resolves to a private address
        "http://meta.example/",  # link-local (cloud metadata)
        "http://mixed.example/",  # one public, one private address: refused
        "http://127.0.0.1:8000/",
        "http://[::1]/",
        "http://mapped.example/",  # IPv4-mapped IPv6 of a private address
        "http://zero.example/",
    ],
)
def test_the_guard_refuses_non_http_and_non_public_urls(url):
    table = {
        "internal.example": ["10.1.2.3"],
        "meta.example": ["169.254.169.254"],
        "mixed.example": ["93.184.216.34", "192.168.0.10"],
        "127.0.0.1": ["127.0.0.1"],
        "::1": ["::1"],
        "mapped.example": ["::ffff:10.0.0.1"],
        "zero.example": ["0.0.0.0"],
    }
    with pytest.raises(FetchRefusedError):
        check_url(url, resolver=resolver(table))


def test_the_guard_allows_public_addresses_and_loopback_only_when_asked():
    table = {"news.example": ["93.184.216.34"], "127.0.0.1": ["127.0.0.1"], "lan": ["10.0.0.2"]}
    check_url("https://news.example/a", resolver=resolver(table))
    check_url("http://127.0.0.1:9/x", allow_loopback=True, resolver=resolver(table))
    with pytest.raises(FetchRefusedError):
        check_url("http://lan/x", allow_loopback=True, resolver=resolver(table))


# ---------------------------------------------------------------- TTL cache


def test_a_fetched_url_is_fresh_until_the_ttl_passes():
    now = [datetime(2024, 10, 24, tzinfo=UTC)]
    cache = FetchCache(timedelta(days=7), clock=lambda: now[0])
    assert not cache.fresh("https://a.example/")
    cache.remember("https://a.example/")
    now[0] += timedelta(days=6, hours=23)
    assert cache.fresh("https://a.example/")
    now[0] += timedelta(hours=2)
    assert not cache.fresh("https://a.example/")


# ---------------------------------------------------------------- HTTP helper


def test_retry_after_reads_seconds_and_dates():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None


def json_client(handler, *, max_retry_after_s=5.0, secrets=()):
    slept: list[float] = []
    client = JsonClient(
        "brave",
        timeout_s=1,
        max_retry_after_s=max_retry_after_s,
        secrets=secrets,
        transport=httpx.MockTransport(handler),
        sleep=slept.append,
    )
    return client, slept


def test_a_429_is_retried_once_after_a_bounded_retry_after():
    answers = iter(
        [httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json={"ok": 1})]
    )
    client, slept = json_client(lambda request: next(answers))
    assert client.get("https://api.example/x", params={}) == {"ok": 1}
    assert slept == [2.0]


def test_a_429_asking_too_long_a_wait_is_an_error_without_waiting():
    client, slept = json_client(
        lambda request: httpx.Response(429, headers={"Retry-After": "3600"})
    )
    with pytest.raises(EvidenceError, match="429") as caught:
        client.get("https://api.example/x", params={})
    assert caught.value.status == 429 and slept == []


def test_errors_never_show_the_key():
    key = SecretStr("brv-supersecret-123")
    client, _ = json_client(
        lambda request: httpx.Response(401, text=f"bad token {key.get_secret_value()}"),
        secrets=(key,),
    )
    with pytest.raises(EvidenceError) as caught:
        client.get("https://api.example/x", params={"key": key.get_secret_value()})
    assert "supersecret" not in str(caught.value)


def test_an_answer_that_is_not_json_is_an_error():
    client, _ = json_client(lambda request: httpx.Response(200, text="<html>captcha</html>"))
    with pytest.raises(EvidenceError, match="not JSON"):
        client.get("https://api.example/x", params={})


# ---------------------------------------------------------------- configuration


def test_source_names_are_checked_and_ordered():
    assert parse_kinds("web, wikipedia,fact-checks") == ["factchecks", "wikipedia", "web"]
    with pytest.raises(ConfigError, match="unknown evidence source bing"):
        parse_kinds("web,bing")


def test_web_search_without_a_provider_names_the_variables():
    with pytest.raises(ConfigError, match="CLAIMSCOPE_SEARXNG_URL"):
        build_sources(Settings.from_env({}), "web")
    with pytest.raises(ConfigError, match="CLAIMSCOPE_FACTCHECK_API_KEY"):
        build_sources(Settings.from_env({}), "factchecks")


def test_searxng_is_preferred_then_the_keyed_providers():
    env = {"CLAIMSCOPE_TAVILY_API_KEY": "t", "CLAIMSCOPE_SERPER_API_KEY": "s"}
    assert build_sources(Settings.from_env(env), "web")[0].name == "tavily"
    env["CLAIMSCOPE_SEARXNG_URL"] = "http://search.example"
    assert build_sources(Settings.from_env(env), "web")[0].name == "searxng"


def test_keys_stay_out_of_the_public_settings():
    settings = Settings.from_env({"CLAIMSCOPE_BRAVE_API_KEY": "brv-secret-key"})
    public = settings.public_dict()
    assert "brv-secret-key" not in str(public) and public["brave_api_key_set"] is True


# ---------------------------------------------------------------- rating sides


@pytest.mark.parametrize(
    ("rating", "side"),
    [
        ("False", Label.REFUTED),
        ("Pants on Fire!", Label.REFUTED),
        ("Mostly False", Label.REFUTED),
        ("True", Label.SUPPORTED),
        ("Correct", Label.SUPPORTED),
        ("Half True", None),
        ("Missing context", None),
        ("Satire", None),
    ],
)
def test_textual_ratings_map_to_a_side_or_none(rating, side):
    assert rating_side(rating) is side


def test_a_fact_check_disagrees_only_with_the_opposite_verdict():
    check = FactCheck(publisher="P", rating="False", url="https://p.example/1")
    assert disagrees(check, Label.SUPPORTED) is True
    assert disagrees(check, Label.REFUTED) is False
    assert disagrees(check, Label.NOT_ENOUGH_INFO) is None


# ---------------------------------------------------------------- gathering on fakes


class FakeKB:
    def __init__(self) -> None:
        self.ingested: list[Document] = []

    def sources(self, kind=None):
        return []

    def ingest_documents(self, documents, progress=False):
        self.ingested.extend(documents)

    def search(self, query, *, top_k=5, filters=None):
        return [make_evidence(d.text, pid=f"p{i}") for i, d in enumerate(self.ingested)][:top_k]


class FakeSource:
    def __init__(self, name, kind, found=None, error=None):
        self.name, self.kind, self._found, self._error = name, kind, found or [], error
        self.asked: list[tuple[str, date | None]] = []

    def search(self, query, *, before=None, limit):
        self.asked.append((query, before))
        if self._error:
            raise EvidenceError(self._error)
        return self._found


class FakeFetcher:
    def __init__(self, fail: set[str] = frozenset()):
        self.fetched: list[str] = []
        self._fail = fail

    def document(self, url, *, kind, published):
        self.fetched.append(url)
        if url in self._fail:
            raise EvidenceError(f"{url}: HTTP 404", status=404)
        return Document(
            id=url, text=f"Page text of {url}.", source=url, url=url, kind=kind, published=published
        )

    def close(self):
        pass


def gatherer(sources, *, fetcher=None, before=None, **settings):
    settings = Settings.from_env({}, **settings)
    return EvidenceGatherer(
        FakeKB(), sources, settings, fetcher=fetcher or FakeFetcher(), before=before
    )


def web(url, published=None):
    return FoundDocument(url=url, title=url, published=published, kind="web", source="fake")


def test_evidence_published_on_or_after_the_article_date_is_left_out():
    found = [
        web("https://a/old", date(2024, 10, 20)),
        web("https://a/new", date(2024, 11, 5)),
        web("https://a/undated"),
    ]
    fetcher = FakeFetcher()
    g = gatherer([FakeSource("web", "web", found)], fetcher=fetcher, before=date(2024, 10, 25))
    g.gather("claim")
    assert sorted(fetcher.fetched) == ["https://a/old", "https://a/undated"]


def test_later_evidence_is_kept_when_asked_for():
    found = [web("https://a/new", date(2024, 11, 5))]
    fetcher = FakeFetcher()
    g = gatherer(
        [FakeSource("web", "web", found)],
        fetcher=fetcher,
        before=date(2024, 10, 25),
        evidence_include_later=True,
    )
    g.gather("claim")
    assert fetcher.fetched == ["https://a/new"]


def test_the_before_date_reaches_the_sources():
    source = FakeSource("web", "web")
    gatherer([source], before=date(2024, 10, 25)).gather("Brics began in 2009.")
    assert source.asked and all(before == date(2024, 10, 25) for _, before in source.asked)


def test_a_failing_source_becomes_a_note_and_the_others_still_count():
    good = FakeSource(
        "wikipedia",
        "wikipedia",
        [FoundDocument(url="https://w/x", text="Wiki text.", kind="wikipedia")],
    )
    bad = FakeSource("web", "web", error="searxng: unreachable (ConnectError)")
    g = gatherer([good, bad])
    evidence = g.search("Brics began in 2009.", top_k=3)
    assert [e.passage.text for e in evidence] == ["Wiki text."]
    result = ClaimResult(
        claim=make_claim("Brics began in 2009."),
        evidence=evidence,
        verdict=Verdict(label=Label.NOT_ENOUGH_INFO, confidence=0.9, verifier="fake"),
    )
    annotated = g.annotate_result(result)
    assert annotated.evidence_unavailable
    assert annotated.notes[0].message.startswith("web search unavailable: searxng: unreachable")
    assert annotated.verdict == result.verdict  # the verdict stands


def test_pages_that_cannot_be_read_are_noted_and_fresh_ones_are_not_refetched():
    found = [web("https://a/1"), web("https://a/404")]
    fetcher = FakeFetcher(fail={"https://a/404"})
    g = gatherer([FakeSource("web", "web", found)], fetcher=fetcher)
    first = g.gather("claim one")
    assert [n.kind for n in first.notes] == ["fetch_failed"] and "1 of 2 pages" in first.notes[
        0
    ].message
    g.gather("claim two")
    assert fetcher.fetched.count("https://a/1") == 1  # reused until the TTL expires
    assert fetcher.fetched.count("https://a/404") == 1  # nor is a failed one, in the same check
    second = g.gather("claim three")
    assert [n.kind for n in second.notes] == ["fetch_failed"]


def test_a_fact_check_is_kept_and_its_disagreement_flagged():
    check = FactCheck(publisher="Example Fact Check", rating="False", url="https://fc/1")
    found = [
        FoundDocument(
            url="https://fc/1",
            text="Example Fact Check rated it False.",
            kind="fact-check",
            fact_check=check,
        )
    ]
    g = gatherer([FakeSource("factchecks", "fact-check", found)])
    g.search("The Duma voted to ratify the pact.")
    result = ClaimResult(
        claim=make_claim("The Duma voted to ratify the pact."),
        verdict=Verdict(label=Label.SUPPORTED, confidence=0.9, verifier="fake"),
    )
    annotated = g.annotate_result(result)
    assert annotated.fact_checks[0].disagrees is True and annotated.fact_check_disagrees
    assert any(n.kind == "fact_check_disagrees" for n in annotated.notes)
    stored = g.kb.ingested[0]
    assert stored.kind == "fact-check" and stored.url == "https://fc/1"
    assert stored.source == "https://fc/1#claimreview"  # the review page can be stored beside it


def test_fact_check_sources_are_asked_with_the_claim_only():
    source = FakeSource("factchecks", "fact-check")
    gatherer([source]).gather("Brics began in 2009 with four members.")
    assert [q for q, _ in source.asked] == ["Brics began in 2009 with four members."]


class BrokenSource(FakeSource):
    def search(self, query, *, before=None, limit):
        raise KeyError("results")


def test_a_source_answering_something_odd_is_a_note_not_a_failed_claim():
    g = gatherer([BrokenSource("web", "web")])
    assert g.search("Brics began in 2009.") == []
    (note,) = g.gathered("Brics began in 2009.").notes
    assert note.kind == "source_unavailable" and "KeyError" in note.message
