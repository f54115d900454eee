"""Build the extractor and verifier that the settings ask for.

Entry points (CLI, app, eval runner) call these; nothing below them reads
settings. Imports are local so the offline path never loads langchain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from claims.protocols import Embedder, Extractor, Verifier
from claims.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from claims.llm_cache import LLMCache
    from claims.prompts import ExtractedClaims, ExtractionInput, StructuredPrompt
    from claims.search_questions import SearchQuestionWriter


def _llm_cache(settings: Settings) -> LLMCache | None:
    from claims.llm_cache import LLMCache

    return LLMCache.from_settings(settings)


def _chat_model(settings: Settings) -> tuple[BaseChatModel, str]:
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
        from claims.prompts import EXTRACTION_PROMPTS, EXTRACTION_WINDOW_CHARS

        chat_model, model_name = _chat_model(settings)
        name = settings.extraction_prompt_name
        window = EXTRACTION_WINDOW_CHARS[name]
        # Each prompt's answer schema is ExtractedClaims or a subclass (the compact one's).
        prompt = cast(
            "StructuredPrompt[ExtractionInput, ExtractedClaims]", EXTRACTION_PROMPTS[name]
        )
        return LLMExtractor(
            chat_model,
            method=settings.structured_method,
            max_retries=settings.llm_max_retries,
            cache=_llm_cache(settings),
            model_name=model_name,
            prompt=prompt,
            window_chars=window,
            overlap_chars=min(800, window // 5),
        )
    from claims.extract_offline import OfflineExtractor

    return OfflineExtractor(
        embedder,
        min_checkworthiness=settings.min_checkworthiness,
        sensitivity=settings.sensitivity,
    )


def build_verifier(settings: Settings, embedder: Embedder) -> Verifier:
    """The LLM verifier when an endpoint is configured, else the best offline verifier.

    In the LLM modes the offline verifier also judges every claim, as a
    cross-check attached to the LLM verdict (``settings.cross_check``, on by default).
    """
    if settings.llm in ("openai", "local"):
        from claims.prompts import VERIFICATION_PROMPTS
        from claims.verify_llm import LLMVerifier

        chat_model, model_name = _chat_model(settings)
        llm = LLMVerifier(
            chat_model,
            method=settings.structured_method,
            max_retries=settings.llm_max_retries,
            cache=_llm_cache(settings),
            model_name=model_name,
            prompt=VERIFICATION_PROMPTS[settings.verification_prompt_name],
        )
        if not settings.cross_check:
            return llm
        from claims.crosscheck import CrossCheckedVerifier

        return CrossCheckedVerifier(llm, build_offline_verifier(embedder))
    return build_offline_verifier(embedder)


def build_offline_verifier(embedder: Embedder) -> Verifier:  # noqa: ARG001 - uniform signature
    """The trained NLI verifier shipped in ``claims/data/nli``.

    A missing or corrupt model file raises ``ModelFileError``: a broken install is
    reported, not silently replaced by the weaker similarity baseline.
    """
    from claims.nli import NLIVerifier

    return NLIVerifier.load()


def build_question_writer(settings: Settings) -> SearchQuestionWriter | None:
    """In the LLM modes, the writer of search questions for evidence on demand; else None."""
    if settings.llm not in ("openai", "local"):
        return None
    from claims.search_questions import SearchQuestionWriter

    chat_model, model_name = _chat_model(settings)
    return SearchQuestionWriter(
        chat_model,
        method=settings.structured_method,
        max_retries=settings.llm_max_retries,
        cache=_llm_cache(settings),
        model_name=model_name,
    )
