"""Build the extractor and verifier that the settings ask for.

Entry points (CLI, app, eval runner) call these; nothing below them reads
settings. Imports are local so the offline path never loads langchain.
"""

from __future__ import annotations

from claims.protocols import Embedder, Extractor, Verifier
from claims.settings import Settings


def _llm_cache(settings: Settings):
    from claims.llm_cache import LLMCache

    return LLMCache.from_settings(settings)


def _chat_model(settings: Settings):
    """The chat model of the LLM mode and the name its answers are cached under.

    ``local`` is the same ``ChatOpenAI`` pointed at the in-process llama.cpp
    server (see :mod:`claims.local_llm`), so both modes share one code path.
    """
    if settings.llm == "local":
        from claims.local_llm import LOCAL_MODEL_NAME, make_local_chat_model

        return make_local_chat_model(settings), LOCAL_MODEL_NAME
    from claims.chat import make_chat_model

    return make_chat_model(settings), settings.model


def build_extractor(settings: Settings, embedder: Embedder) -> Extractor:
    """The LLM extractor when an endpoint is configured, else the offline one."""
    if settings.llm in ("openai", "local"):
        from claims.extract_llm import LLMExtractor

        chat_model, model_name = _chat_model(settings)
        return LLMExtractor(
            chat_model,
            method=settings.structured_method,
            max_retries=settings.llm_max_retries,
            cache=_llm_cache(settings),
            model_name=model_name,
        )
    from claims.extract_offline import OfflineExtractor

    return OfflineExtractor(embedder, min_checkworthiness=settings.min_checkworthiness)


def build_verifier(settings: Settings, embedder: Embedder) -> Verifier:
    """The LLM verifier when an endpoint is configured, else the best offline verifier."""
    if settings.llm in ("openai", "local"):
        from claims.prompts import VERIFICATION_PROMPTS
        from claims.verify_llm import LLMVerifier

        chat_model, model_name = _chat_model(settings)
        return LLMVerifier(
            chat_model,
            method=settings.structured_method,
            max_retries=settings.llm_max_retries,
            cache=_llm_cache(settings),
            model_name=model_name,
            prompt=VERIFICATION_PROMPTS[settings.verification_prompt_name],
        )
    return build_offline_verifier(embedder)


def build_offline_verifier(embedder: Embedder) -> Verifier:  # noqa: ARG001 - uniform signature
    """The trained NLI verifier shipped in ``claims/data/nli``.

    A missing or corrupt model file raises ``ModelFileError``: a broken install is
    reported, not silently replaced by the weaker similarity baseline.
    """
    from claims.verify_nli import NLIVerifier

    return NLIVerifier.load()
