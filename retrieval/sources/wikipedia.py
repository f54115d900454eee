"""Wikipedia: MediaWiki search, then each page's plain-text extract.

``GET {base}/w/api.php?action=query&list=search&srsearch=…&srlimit=N&format=json``
→ ``{"query": {"search": [{"title", "pageid", "snippet", "timestamp"}]}}``; then
``GET {base}/api/rest_v1/page/summary/{title}`` is *not* enough for evidence (one
paragraph), so the text comes from the TextExtracts module of the same API:
``action=query&prop=extracts&explaintext=1&pageids=…`` → ``{"query": {"pages":
{"ID": {"title", "extract"}}}}``. Page URLs are ``{base}/wiki/Title_with_underscores``.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any
from urllib.parse import quote

from claims.models import EvidenceKind
from retrieval.sources.base import FoundDocument, JsonClient, expect

_TAG = re.compile(r"<[^>]+>")


class WikipediaSource:
    name = "wikipedia"
    kind: EvidenceKind = "wikipedia"

    def __init__(self, base_url: str, language: str, client: JsonClient) -> None:
        self._base = base_url.replace("{lang}", language).rstrip("/")
        self._client = client

    def search(self, query: str, *, before: date | None = None, limit: int) -> list[FoundDocument]:
        api = f"{self._base}/w/api.php"
        data = self._client.get(
            api,
            params={"action": "query", "list": "search", "srsearch": query, "srlimit": limit,
                    "format": "json", "formatversion": 2},
        )  # fmt: skip
        hits = expect(expect(data, "query", dict, self.name), "search", list, self.name)
        hits = [h for h in hits if isinstance(h, dict) and isinstance(h.get("pageid"), int)]
        if not hits:
            return []
        extracts = self._extracts([h["pageid"] for h in hits])
        found = []
        for hit in hits:
            text = extracts.get(hit["pageid"])
            if not text:
                continue
            title = str(hit.get("title", ""))
            found.append(
                FoundDocument(
                    url=f"{self._base}/wiki/{quote(title.replace(' ', '_'))}",
                    title=title,
                    snippet=html.unescape(_TAG.sub("", str(hit.get("snippet", "")))),
                    # Left undated: the search gives the last revision's time, which says
                    # nothing about when the facts were published.
                    published=None,
                    kind="wikipedia",
                    source=self.name,
                    text=text,
                )
            )
        return found

    def _extracts(self, page_ids: list[int]) -> dict[int, str]:
        data = self._client.get(
            f"{self._base}/w/api.php",
            params={"action": "query", "prop": "extracts", "explaintext": 1, "exlimit": "max",
                    "pageids": "|".join(map(str, page_ids)), "format": "json", "formatversion": 2},
        )  # fmt: skip
        pages: Any = expect(expect(data, "query", dict, self.name), "pages", list, self.name)
        return {
            int(p["pageid"]): str(p.get("extract") or "")
            for p in pages
            if isinstance(p, dict) and isinstance(p.get("pageid"), int)
        }
