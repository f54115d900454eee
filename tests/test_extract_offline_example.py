"""The offline extractor on a real news article (shared/examples), with the shipped model."""

from __future__ import annotations

import pytest

from claims.extract_offline import OfflineExtractor
from claims.models import Article, Claim
from tests.conftest import EXAMPLES, require_shared


@pytest.fixture(scope="module")
def article_text() -> str:
    return require_shared(EXAMPLES / "brics-summit-kazan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claims(article_text: str) -> list[Claim]:
    from retrieval.embedder import default_embedder

    return OfflineExtractor(default_embedder()).extract(Article(text=article_text)).claims


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
    assert "We need to continue to push" not in text
    for furniture in ("PHOTO", "Follow topic", "Sign up now", "See more on"):
        assert furniture not in text


def test_claims_are_in_article_order(claims: list[Claim]) -> None:
    starts = [c.span.start for c in claims]
    assert starts == sorted(starts)
    assert len({c.id for c in claims}) == len(claims)
