"""Web search connectors: SearXNG (self-hosted, no key), Brave, Tavily and Serper (keys).

Each request and answer follows the provider's documented API:

* SearXNG ``GET /search?q=…&format=json`` → ``{"results": [{"url", "title", "content",
  "publishedDate"}]}`` (the instance must list ``json`` under ``search.formats``);
* Brave ``GET /res/v1/web/search?q=…&count=…&freshness=YYYY-MM-DDtoYYYY-MM-DD`` with the
  ``X-Subscription-Token`` header → ``{"web": {"results": [{"url", "title", "description",
  "page_age"}]}}``;
* Tavily ``POST /search`` with ``Authorization: Bearer KEY`` and ``{"query", "max_results",
  "end_date"}`` → ``{"results": [{"url", "title", "content", "published_date"}]}``;
* Serper ``POST /search`` with ``X-API-KEY`` and ``{"q", "num", "tbs": "cdr:1,cd_max:M/D/YYYY"}``
  → ``{"organic": [{"link", "title", "snippet", "date"}]}``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import SecretStr

from claims.models import EvidenceKind
from retrieval.sources.base import FoundDocument, JsonClient, expect, parse_published


class SearxngSource:
    name = "searxng"
    kind: EvidenceKind = "web"

    def __init__(self, base_url: str, client: JsonClient) -> None:
        self._url = base_url.rstrip("/") + "/search"
        self._client = client

    def search(self, query: str, *, before: date | None = None, limit: int) -> list[FoundDocument]:
        data = self._client.get(self._url, params={"q": query, "format": "json"})
        results = expect(data, "results", list, self.name)
        return _found(
            results[:limit], self.name, url="url", snippet="content", date="publishedDate"
        )


class BraveSource:
    name = "brave"
    kind: EvidenceKind = "web"

    def __init__(self, base_url: str, key: SecretStr, client: JsonClient) -> None:
        self._url = base_url.rstrip("/") + "/res/v1/web/search"
        self._key = key
        self._client = client

    def search(self, query: str, *, before: date | None = None, limit: int) -> list[FoundDocument]:
        params: dict[str, Any] = {"q": query, "count": min(limit, 20)}
        if before is not None:
            last = before - timedelta(days=1)
            params["freshness"] = f"1990-01-01to{last.isoformat()}"
        data = self._client.get(
            self._url, params=params, headers={"X-Subscription-Token": self._key.get_secret_value()}
        )
        web = expect(data, "web", dict, self.name)
        results = expect(web, "results", list, self.name)
        return _found(results[:limit], self.name, url="url", snippet="description", date="page_age")


class TavilySource:
    name = "tavily"
    kind: EvidenceKind = "web"

    def __init__(self, base_url: str, key: SecretStr, client: JsonClient) -> None:
        self._url = base_url.rstrip("/") + "/search"
        self._key = key
        self._client = client

    def search(self, query: str, *, before: date | None = None, limit: int) -> list[FoundDocument]:
        body: dict[str, Any] = {
            "query": query,
            "max_results": min(limit, 20),
            "search_depth": "basic",
        }
        if before is not None:
            body["end_date"] = (before - timedelta(days=1)).isoformat()
        data = self._client.post(
            self._url,
            body=body,
            headers={"Authorization": f"Bearer {self._key.get_secret_value()}"},
        )
        results = expect(data, "results", list, self.name)
        return _found(
            results[:limit], self.name, url="url", snippet="content", date="published_date"
        )


class SerperSource:
    name = "serper"
    kind: EvidenceKind = "web"

    def __init__(self, base_url: str, key: SecretStr, client: JsonClient) -> None:
        self._url = base_url.rstrip("/") + "/search"
        self._key = key
        self._client = client

    def search(self, query: str, *, before: date | None = None, limit: int) -> list[FoundDocument]:
        body: dict[str, Any] = {"q": query, "num": min(limit, 20)}
        if before is not None:
            last = before - timedelta(days=1)
            body["tbs"] = f"cdr:1,cd_max:{last.month}/{last.day}/{last.year}"
        data = self._client.post(
            self._url, body=body, headers={"X-API-KEY": self._key.get_secret_value()}
        )
        results = expect(data, "organic", list, self.name)
        return _found(results[:limit], self.name, url="link", snippet="snippet", date="date")


def _found(
    results: list[Any], source: str, *, url: str, snippet: str, date: str
) -> list[FoundDocument]:
    found = []
    for item in results:
        if not isinstance(item, dict) or not isinstance(item.get(url), str):
            continue  # a result without a link (ads, widgets) has nothing to fetch
        found.append(
            FoundDocument(
                url=item[url],
                title=item.get("title") if isinstance(item.get("title"), str) else None,
                snippet=str(item.get(snippet) or ""),
                published=parse_published(item.get(date)),
                kind="web",
                source=source,
            )
        )
    return found
