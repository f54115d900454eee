"""The offline extractor on a real news article (shared/examples), with the shipped model."""

from __future__ import annotations

from datetime import date

import pytest

from claims.extract_offline import OfflineExtractor
from claims.models import Article, Claim, ClaimKind
from tests.conftest import EXAMPLES, require_shared


@pytest.fixture(scope="module")
def article_text() -> str:
    return require_shared(EXAMPLES / "brics-summit-kazan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claims(article_text: str) -> list[Claim]:
    from retrieval.embedder import default_embedder

    article = Article(text=article_text, published=date(2024, 10, 24))
    return OfflineExtractor(default_embedder()).extract(article).claims


def _find(claims: list[Claim], *needles: str) -> list[Claim]:
    return [c for c in claims if all(n in c.text for n in needles)]


def test_every_span_is_exact(claims: list[Claim], article_text: str) -> None:
    assert claims
    for claim in claims:
        assert claim.span.text == article_text[claim.span.start : claim.span.end]
        assert claim.sentence.text == article_text[claim.sentence.start : claim.sentence.end]


def test_finds_the_checkable_statements(claims: list[Claim]) -> None:
    assert _find(claims, "2009", "four members", "Brics")
    assert _find(claims, "thousands", "North Korean soldiers", "trained in Russia")
    assert _find(claims, "voted unanimously to ratify")


def test_skips_opinion_quotes_and_page_furniture(claims: list[Claim]) -> None:
    text = "\n".join(c.span.text for c in claims)
    assert "illusory calculations" not in text
    assert "We totally support efforts" not in text
    for furniture in ("PHOTO", "Follow topic", "Sign up now", "See more on"):
        assert furniture not in text


def test_claims_are_in_article_order(claims: list[Claim]) -> None:
    starts = [c.span.start for c in claims]
    assert starts == sorted(starts)
    assert len({c.id for c in claims}) == len(claims)


def test_claims_name_who_and_when(claims: list[Claim]) -> None:
    assert _find(claims, "Antonio Guterres has visited areas where the Russian army")
    assert _find(claims, "Vladimir Putin and Antonio Guterres last saw each other")
    assert _find(claims, "Russian lawmakers on 24 October 2024 voted unanimously")
    assert not [c for c in claims if c.text.startswith(("He ", "The two men", "The document"))]


def test_attribution_is_kept(claims: list[Claim]) -> None:
    reports = _find(claims, "Reports said that Pyongyang has sent thousands of troops")
    assert reports and reports[0].kind == ClaimKind.ATTRIBUTED
    assert reports[0].attributed_to == "reports"
    haq = _find(claims, "Farhan Haq said Antonio Guterres would use the meeting")
    assert haq and haq[0].attributed_to == "UN spokesman Farhan Haq"


def test_coordinated_predicates_are_separate_claims(claims: list[Claim]) -> None:
    founding = _find(claims, "The Ukraine conflict began when Moscow launched")
    assert founding and founding[0].span.text.startswith("the Ukraine conflict")
    assert founding[0].spans and all(s.text in founding[0].sentence.text for s in founding[0].spans)
    modi = _find(claims, "Narendra Modi has tried to mediate between Moscow and Kyiv")
    assert modi and "said" not in modi[0].text


def test_plain_facts_pass_normal_but_not_strict() -> None:
    from retrieval.embedder import default_embedder

    embedder = default_embedder()
    fact = Article(text="Marcus Morton was born on February 19, 1784.")
    assert len(OfflineExtractor(embedder).extract(fact).claims) == 1  # normal, the default
    assert OfflineExtractor(embedder, sensitivity="strict").extract(fact).claims == []  # 0.012
    opinion = Article(text="I think this is a wonderful day for everyone.")
    assert OfflineExtractor(embedder).extract(opinion).claims == []
