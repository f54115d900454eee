"""Claims a person adds to an article's extracted ones: typed, or a sentence picked.

A person's claim is verified like every other and marked ``added_by="person"``.
When its words are in the article (a picked sentence, a pasted quote) it points
at them; a claim typed in the person's own words points at no article text (an
empty span at offset 0).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from claims.article_date import article_date
from claims.extract_llm import locate_quote, sentence_around
from claims.models import Article, Claim, ClaimKind, Extraction, Span
from claims.protocols import Extractor


def person_claim(article: Article, text: str) -> Claim:
    """The claim ``text`` as a person added it to ``article``."""
    words = " ".join(text.split())
    if not words:
        raise ValueError("an added claim needs some text")
    span = locate_quote(article.text, words)
    if span is None:
        span = Span(start=0, end=0, text="")
        sentence = span
    else:
        sentence = sentence_around(article.text, span)
    digest = hashlib.sha256(f"person|{words}".encode()).hexdigest()[:12]
    return Claim(
        id=f"p-{digest}",
        text=words if words[-1] in ".!?" else words + ".",
        span=span,
        sentence=sentence,
        checkworthiness=1.0,
        kind=ClaimKind.OTHER,
        added_by="person",
        article_date=article_date(article.text, article.published),
    )


class WithPersonClaims:
    """An extractor whose extraction also holds the claims a person added."""

    def __init__(self, extractor: Extractor, texts: Sequence[str]) -> None:
        self.extractor = extractor
        self.texts = list(texts)
        self.name = extractor.name

    def extract(self, article: Article) -> Extraction:
        found = self.extractor.extract(article)
        added = [person_claim(article, t) for t in self.texts]
        return found.model_copy(update={"claims": [*found.claims, *added]})
