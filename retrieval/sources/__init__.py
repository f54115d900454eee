"""Evidence sources: web search, Wikipedia and published fact-checks, behind one protocol.

sources = build_sources(settings, "web,wikipedia,factchecks")
for source in sources:
    source.search("claim text", before=date(2024, 10, 25), limit=5)  # -> [FoundDocument]
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from claims.errors import ConfigError
from claims.settings import Settings
from retrieval.sources.base import EvidenceSource, FoundDocument, JsonClient
from retrieval.sources.factcheck import FactCheckSource
from retrieval.sources.web import BraveSource, SearxngSource, SerperSource, TavilySource
from retrieval.sources.wikipedia import WikipediaSource

__all__ = [
    "KINDS",
    "EvidenceSource",
    "FoundDocument",
    "build_sources",
    "parse_kinds",
]

#: What ``--search`` accepts, in the order sources are asked.
KINDS = ("factchecks", "wikipedia", "web")


def parse_kinds(spec: str) -> list[str]:
    """``"web, wikipedia"`` → ``["wikipedia", "web"]`` (known names, asking order); ConfigError otherwise."""
    names = {n.strip().lower() for n in spec.split(",") if n.strip()}
    names = {"factchecks" if n in {"factcheck", "fact-checks", "fact-check"} else n for n in names}
    unknown = sorted(names - set(KINDS))
    if unknown:
        raise ConfigError(
            f"unknown evidence source {', '.join(unknown)} (choose from {', '.join(KINDS)})"
        )
    return [k for k in KINDS if k in names]


def build_sources(
    settings: Settings, spec: str, *, transport: httpx.BaseTransport | None = None
) -> list[EvidenceSource]:
    """The sources ``spec`` names, configured from ``settings``; ConfigError when one lacks
    its URL or key (naming the variable to set)."""

    def client(name: str) -> JsonClient:
        return JsonClient(
            name,
            timeout_s=settings.search_timeout_s,
            max_retry_after_s=settings.search_max_retry_after_s,
            secrets=tuple(settings.secrets),
            transport=transport,
        )

    sources: list[EvidenceSource] = []
    for kind in parse_kinds(spec):
        if kind == "factchecks":
            if settings.factcheck_api_key is None:
                raise ConfigError(
                    "the factchecks source needs a Google Fact Check Tools key: set "
                    "CLAIMSCOPE_FACTCHECK_API_KEY"
                )
            language = settings.wikipedia_language
            sources.append(
                FactCheckSource(
                    settings.factcheck_url,
                    settings.factcheck_api_key,
                    language,
                    client("factchecks"),
                )
            )
        elif kind == "wikipedia":
            sources.append(
                WikipediaSource(
                    settings.wikipedia_url, settings.wikipedia_language, client("wikipedia")
                )
            )
        else:
            sources.append(_web_source(settings, client))
    return sources


def _web_source(settings: Settings, make: Callable[[str], JsonClient]) -> EvidenceSource:
    """The first web search configured: SearXNG, then Brave, Tavily, Serper."""
    if settings.searxng_url:
        return SearxngSource(settings.searxng_url, make("searxng"))
    if settings.brave_api_key is not None:
        return BraveSource(settings.brave_url, settings.brave_api_key, make("brave"))
    if settings.tavily_api_key is not None:
        return TavilySource(settings.tavily_url, settings.tavily_api_key, make("tavily"))
    if settings.serper_api_key is not None:
        return SerperSource(settings.serper_url, settings.serper_api_key, make("serper"))
    raise ConfigError(
        "web search needs a provider: set CLAIMSCOPE_SEARXNG_URL (self-hosted SearXNG, no key) "
        "or one of CLAIMSCOPE_BRAVE_API_KEY, CLAIMSCOPE_TAVILY_API_KEY, CLAIMSCOPE_SERPER_API_KEY"
    )
