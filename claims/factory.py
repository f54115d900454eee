"""Build the extractor and verifier that the settings ask for.

Entry points (CLI, app, eval runner) call these; nothing below them reads
settings. Imports are local so the offline path never loads langchain.
"""

from __future__ import annotations

import logging

from claims.protocols import Embedder, Extractor, Verifier
from claims.settings import Settings

log = logging.getLogger(__name__)


def _llm_cache(settings: Settings):
    if not settings.use_cache:
        return None
    from claims.llm_cache import LLMCache

    return LLMCache(settings.cache_dir)


def build_extractor(settings: Settings, embedder: Embedder) -> Extractor:
    """The LLM extractor when an endpoint is configured, else the offline one."""
    if settings.llm == "openai":
        from claims.chat import make_chat_model
        from claims.extract_llm import LLMExtractor

        return LLMExtractor(
            make_chat_model(settings),
            method=settings.structured_method,
            max_retries=settings.llm_max_retries,
            cache=_llm_cache(settings),
            model_name=settings.model,
        )
    from claims.extract_offline import OfflineExtractor

    return OfflineExtractor(embedder, min_checkworthiness=settings.min_checkworthiness)


def build_verifier(settings: Settings, embedder: Embedder) -> Verifier:
    """The LLM verifier when an endpoint is configured, else the best offline verifier."""
    if settings.llm == "openai":
        from claims.chat import make_chat_model
        from claims.verify_llm import LLMVerifier

        return LLMVerifier(
            make_chat_model(settings),
            method=settings.structured_method,
            max_retries=settings.llm_max_retries,
            cache=_llm_cache(settings),
            model_name=settings.model,
        )
    return build_offline_verifier(embedder)


def build_offline_verifier(embedder: Embedder) -> Verifier:
    """The trained NLI verifier when its model ships in this install, else the baseline."""
    try:
        from claims.verify_nli import NLIVerifier
    except ImportError:
        NLIVerifier = None  # noqa: N806 - the trained verifier is not part of this build
    if NLIVerifier is not None:
        return NLIVerifier.load()
    from claims.verify_baseline import BaselineVerifier

    log.info("trained verifier not available; using the similarity baseline")
    return BaselineVerifier(embedder)
