"""Search questions written by the LLM for evidence on demand (AVeriTeC-style).

In the LLM modes each claim gets 2-3 web-search questions through the typed
:data:`~claims.prompts.QUERY_PROMPT` (pydantic output, re-asked when invalid, answers
cached like every LLM answer). Whoever asks falls back to the offline queries when this
fails, and says so on the claim (see ``retrieval/gather.py``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from claims.chat import InvalidAnswer, ask_validated, chat_model_name
from claims.models import Usage
from claims.prompts import QUERY_PROMPT, QueryInput, SearchQuestions
from claims.settings import StructuredMethod

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from claims.llm_cache import LLMCache


class SearchQuestionWriter:
    """``questions(claim)`` → 2-3 distinct search questions and the tokens they cost.

    Raises :class:`~claims.errors.EndpointError` (endpoint unreachable, error status)
    or :class:`~claims.errors.OutputValidationError` (no valid answer after re-asks).
    """

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        method: StructuredMethod = "json_schema",
        max_retries: int = 2,
        cache: LLMCache | None = None,
        model_name: str | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.method: StructuredMethod = method
        self.max_retries = max_retries
        self.cache = cache
        self.model_name = model_name or chat_model_name(chat_model)
        self.name = f"llm:{self.model_name}"

    def questions(self, claim: str, *, published: date | None = None) -> tuple[list[str], Usage]:
        value = QueryInput(claim=claim, published=published.isoformat() if published else None)
        return ask_validated(
            self.chat_model,
            QUERY_PROMPT.messages(value, method=self.method),
            SearchQuestions,
            lambda answer: _distinct(answer, claim),
            method=self.method,
            max_retries=self.max_retries,
            cache=self.cache,
            model_name=self.model_name,
        )


def _distinct(answer: SearchQuestions, claim: str) -> list[str]:
    """The answer's questions without repeats; re-asked when nothing new is left."""
    seen: set[str] = set()
    out: list[str] = []
    for question in answer.questions:
        key = question.lower().rstrip("?. ")
        if key not in seen:
            seen.add(key)
            out.append(question)
    if len(out) < 2 and (not out or out[0].lower().rstrip("?. ") == claim.lower().rstrip("?. ")):
        raise InvalidAnswer("give 2 or 3 different search questions, not the claim repeated")
    return out
