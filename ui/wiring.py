"""What the app needs from the rest of claimscope, built once per process.

The app talks to the knowledge base, an extractor and a verifier, built from
:class:`~claims.settings.Settings` by this module's :func:`knowledge_base` and
:func:`models`. Another wiring can be named in the ``app_services`` setting
(``CLAIMSCOPE_APP_SERVICES``): a module offering the same two functions. The browser
tests use this to run the real app against scripted models.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
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

    def ingest_documents(
        self, docs: Iterable[Any], *, on_document: Callable[[int, int], None] | None = ...
    ) -> Any: ...

    def sources(self) -> list[dict[str, Any]]: ...

    def documents(self) -> list[dict[str, Any]]: ...

    def remove_source(self, source: str) -> int: ...

    def remove_document(self, source: str, doc_id: str) -> int: ...

    def stats(self) -> dict[str, Any]: ...

    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]: ...


class Services:
    """The knowledge base and the models, each built on first use.

    Opening the knowledge base never loads the models, so the knowledge-base page
    works even while a model file is missing, and the reverse.
    """

    def __init__(
        self,
        knowledge_base: Callable[[], KnowledgeBase],
        models: Callable[[], tuple[Extractor, Verifier]],
    ) -> None:
        self._knowledge_base = knowledge_base
        self._models = models

    @property
    def knowledge_base(self) -> KnowledgeBase:
        return self._knowledge_base()

    @property
    def extractor(self) -> Extractor:
        return self._models()[0]

    @property
    def verifier(self) -> Verifier:
        return self._models()[1]


class Wiring(Protocol):
    """What ``CLAIMSCOPE_APP_SERVICES`` names: a module with these two functions."""

    def knowledge_base(self, settings: Settings) -> KnowledgeBase: ...

    def models(self, settings: Settings) -> tuple[Extractor, Verifier]: ...


def wiring(settings: Settings) -> Wiring:
    """The module named in ``settings.app_services`` (``CLAIMSCOPE_APP_SERVICES``), else this
    one (the real parts)."""
    import sys

    name = settings.app_services or __name__
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ConfigError(f"{SERVICES_ENV}={name!r} cannot be imported: {exc}") from exc
    if not (hasattr(module, "knowledge_base") and hasattr(module, "models")):
        raise ConfigError(f"{SERVICES_ENV}={name!r} lacks knowledge_base() and models()")
    return sys.modules[name]  # type: ignore[return-value]


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """The real knowledge base (embedded Chroma, or the server in the settings)."""
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    return open_knowledge_base(settings, default_embedder())


def models(settings: Settings) -> tuple[Extractor, Verifier]:
    """The extractor and verifier the settings ask for (offline, endpoint or local LLM)."""
    from claims.factory import build_extractor, build_verifier
    from retrieval.embedder import default_embedder

    embedder = default_embedder()
    return build_extractor(settings, embedder), build_verifier(settings, embedder)
