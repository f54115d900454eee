"""Scripted services for the batch tests (``CLAIMSCOPE_APP_SERVICES=tests.batch_fakes``).

Each sentence is a claim; a claim with "STOREDOWN" fails at retrieval, an article with
"EXPLODE" fails at extraction, so the batch's failure paths run without real models.
"""

from __future__ import annotations

from claims.errors import ModelError
from claims.models import Article, Extraction
from claims.settings import Settings
from tests.fakes import FakeExtractor, FakeRetriever, FakeVerifier


class ExplodingExtractor(FakeExtractor):
    def extract(self, article: Article) -> Extraction:
        if "EXPLODE" in article.text:
            raise ModelError("the extractor gave up on this article")
        return super().extract(article)


def knowledge_base(settings: Settings) -> FakeRetriever:
    return FakeRetriever(["Kazan hosted the 2024 summit."], fail_on="STOREDOWN")


def models(settings: Settings) -> tuple[ExplodingExtractor, FakeVerifier]:
    return ExplodingExtractor(), FakeVerifier()
