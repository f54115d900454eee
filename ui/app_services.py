"""What the app needs from the rest of claimscope, built once per process.

The app talks to four things: the knowledge base, an extractor, a verifier and
the review store. :func:`build_services` wires the real ones from
:class:`~claims.settings.Settings`. Another wiring can be named in the
``CLAIMSCOPE_APP_SERVICES`` environment variable as ``module:function`` (a
function taking the settings and returning :class:`Services`): the browser
tests use this to run the real app against scripted models.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from claims.errors import ConfigError
from claims.models import Evidence, SearchFilters
from claims.protocols import Extractor, Verifier
from claims.settings import Settings

SERVICES_ENV = "CLAIMSCOPE_APP_SERVICES"


class KnowledgeBase(Protocol):
    """The part of ``retrieval.KnowledgeBase`` the app uses."""

    def ingest_paths(self, paths: Sequence[Path], progress: Any = ...) -> Any: ...

    def ingest_documents(self, docs: Iterable[Any]) -> Any: ...

    def sources(self) -> list[dict[str, Any]]: ...

    def remove_source(self, source: str) -> int: ...

    def stats(self) -> dict[str, Any]: ...

    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]: ...


@dataclass
class Services:
    """The knowledge base and models for one configuration."""

    knowledge_base: KnowledgeBase
    extractor: Extractor
    verifier: Verifier


ServicesFactory = Callable[[Settings], Services]


def services_factory() -> ServicesFactory:
    """The factory named in ``CLAIMSCOPE_APP_SERVICES``, else the real wiring."""
    spec = os.environ.get(SERVICES_ENV)
    if not spec:
        return build_services
    module_name, _, attr = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr or "build_services")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"{SERVICES_ENV}={spec!r} cannot be loaded: {exc}") from exc
    return factory


def build_services(settings: Settings) -> Services:
    """The real knowledge base, extractor and verifier the settings ask for."""
    from claims.factory import build_extractor, build_verifier
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    embedder = default_embedder()
    return Services(
        knowledge_base=open_knowledge_base(settings, embedder),
        extractor=build_extractor(settings, embedder),
        verifier=build_verifier(settings, embedder),
    )
