"""Google Fact Check Tools ``claims:search``: published ClaimReview fact-checks.

``GET {base}/v1alpha1/claims:search?query=…&languageCode=en&pageSize=N&key=KEY`` →
``{"claims": [{"text", "claimant", "claimDate", "claimReview": [{"publisher": {"name",
"site"}, "url", "title", "reviewDate", "textualRating", "languageCode"}]}],
"nextPageToken"}``. Each review becomes one found document of kind ``fact-check``
whose text states who rated which claim how, so it is stored and cited like any
other evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import SecretStr

from claims.models import EvidenceKind, FactCheck
from retrieval.sources.base import FoundDocument, JsonClient, expect, parse_published


class FactCheckSource:
    name = "factchecks"
    kind: EvidenceKind = "fact-check"

    def __init__(self, base_url: str, key: SecretStr, language: str, client: JsonClient) -> None:
        self._url = base_url.rstrip("/") + "/v1alpha1/claims:search"
        self._key = key
        self._language = language
        self._client = client

    def search(self, query: str, *, before: date | None = None, limit: int) -> list[FoundDocument]:
        params: dict[str, Any] = {
            "query": query,
            "languageCode": self._language,
            "pageSize": limit,
            "key": self._key.get_secret_value(),
        }
        data = self._client.get(self._url, params=params)
        found: list[FoundDocument] = []
        for claim in expect(data, "claims", list, self.name):
            if not isinstance(claim, dict):
                continue
            for review in claim.get("claimReview") or []:
                document = _review_document(claim, review)
                if document is not None:
                    found.append(document)
        return found[:limit]


def _review_document(claim: dict[str, Any], review: Any) -> FoundDocument | None:
    if not isinstance(review, dict) or not isinstance(review.get("url"), str):
        return None
    publisher = review.get("publisher") or {}
    name = str(publisher.get("name") or publisher.get("site") or "unknown publisher")
    rating = str(review.get("textualRating") or "").strip()
    if not rating:
        return None
    reviewed = parse_published(review.get("reviewDate"))
    check = FactCheck(
        publisher=name,
        rating=rating,
        url=review["url"],
        title=review.get("title") if isinstance(review.get("title"), str) else None,
        reviewed=reviewed,
        claim_text=claim.get("text") if isinstance(claim.get("text"), str) else None,
        claimant=claim.get("claimant") if isinstance(claim.get("claimant"), str) else None,
    )
    stated = f'"{check.claim_text}"' if check.claim_text else "this claim"
    by = f" (claimed by {check.claimant})" if check.claimant else ""
    when = f" on {reviewed.isoformat()}" if reviewed else ""
    text = f"{name} fact-checked {stated}{by} and rated it {rating}{when}."
    return FoundDocument(
        url=check.url,
        title=check.title or f"{name}: {rating}",
        snippet=text,
        published=reviewed,
        kind="fact-check",
        source="factchecks",
        text=text,
        fact_check=check,
    )
