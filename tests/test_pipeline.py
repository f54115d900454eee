import pytest

from claims.errors import ArticleTooLargeError, EmptyArticleError
from claims.models import Article, Label, SearchFilters
from claims.pipeline import check_article
from claims.settings import Settings
from tests.fakes import FakeExtractor, FakeRetriever, FakeVerifier

ARTICLE = "Brics began in 2009 with four members. The summit was held in Kazan. Rain fell."


def _run(article: str, **kw):
    settings = kw.pop("settings", Settings())
    return check_article(
        Article(text=article),
        extractor=kw.pop("extractor", FakeExtractor()),
        retriever=kw.pop("retriever", FakeRetriever(["Brics was founded in 2009."])),
        verifier=kw.pop("verifier", FakeVerifier()),
        settings=settings,
        **kw,
    )


def test_every_claim_gets_a_verdict_with_exact_span():
    report = _run(ARTICLE)
    assert [r.verdict.label for r in report.claims] == [Label.SUPPORTED] * 3
    for result in report.claims:
        assert ARTICLE[result.claim.span.start : result.claim.span.end] == result.claim.span.text
        assert result.timings["retrieve_s"] >= 0 and "verify_s" in result.timings
    assert report.extractor == "fake-extractor" and report.verifier == "fake-verifier"


def test_failed_verification_is_a_failure_not_a_verdict():
    report = _run(ARTICLE, verifier=FakeVerifier(fail_on="Kazan"))
    failed = [r for r in report.claims if r.failed]
    assert len(failed) == 1 and failed[0].verdict is None
    assert failed[0].failure.stage == "verify" and failed[0].failure.error == "EndpointError"
    assert report.n_failed == 1
    assert sum(r.verdict is not None for r in report.claims) == 2


def test_failed_retrieval_is_a_failure_with_its_stage():
    report = _run(ARTICLE, retriever=FakeRetriever(["x."], fail_on="Rain"))
    (failed,) = [r for r in report.claims if r.failed]
    assert failed.failure.stage == "retrieve" and failed.failure.error == "StoreError"


def test_filters_and_top_k_reach_the_retriever():
    retriever = FakeRetriever(["a.", "b.", "c."])
    filters = SearchFilters(source="x")
    report = _run(ARTICLE, retriever=retriever, filters=filters, settings=Settings(top_k=2))
    assert all(q[1] == 2 and q[2] == filters for q in retriever.queries)
    assert all(len(r.evidence) == 2 for r in report.claims)


def test_progress_is_called_per_claim_in_order():
    seen = []
    _run(ARTICLE, progress=lambda done, total, r: seen.append((done, total)), max_workers=2)
    assert seen == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_article_is_rejected(text):
    with pytest.raises(EmptyArticleError):
        _run(text)


def test_too_large_article_is_rejected():
    with pytest.raises(ArticleTooLargeError, match="limit"):
        _run("x. " * 100, settings=Settings(max_article_chars=50))


def test_a_verifier_that_uses_every_core_checks_one_claim_at_a_time():
    import threading

    class CoreBoundVerifier(FakeVerifier):
        max_concurrency = 1

        def __init__(self) -> None:
            super().__init__()
            self.active = 0
            self.most = 0
            self.lock = threading.Lock()

        def verify(self, claim, evidence):
            with self.lock:
                self.active += 1
                self.most = max(self.most, self.active)
            try:
                return super().verify(claim, evidence)
            finally:
                with self.lock:
                    self.active -= 1

    verifier = CoreBoundVerifier()
    report = check_article(
        Article(text="One fact. Two facts. Three facts. Four facts."),
        extractor=FakeExtractor(),
        retriever=FakeRetriever(["evidence"]),
        verifier=verifier,
        settings=Settings(llm_concurrency=4),
    )
    assert len(report.claims) == 4
    assert verifier.most == 1


def test_claims_carry_their_articles_date_for_the_verifier():
    from datetime import date

    from claims.pipeline import dated_claims
    from tests.fakes import make_claim

    claim = make_claim("Shares rose 8% on Wednesday.")
    given = Article(text="Shares rose 8% on Wednesday.", published=date(2025, 4, 10))
    assert dated_claims([claim], given)[0].article_date == date(2025, 4, 10)
    found = Article(text="Published 10 April 2025\n\nShares rose 8% on Wednesday.")
    assert dated_claims([claim], found)[0].article_date == date(2025, 4, 10)
    assert (
        dated_claims([claim], Article(text="Shares rose 8% on Wednesday."))[0].article_date is None
    )
