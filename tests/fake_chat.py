"""A scripted chat model for unit tests: queued answers, recorded prompts.

langchain's own fake chat models do not support ``with_structured_output``.
This one overrides ``bind_tools``, so the base ``with_structured_output``
works: each answer comes back as a tool call named like the schema class, the
way an OpenAI endpoint answers with ``method="function_calling"``. An answer
that is not a JSON object comes back as an invalid tool call, just as
langchain reports malformed tool arguments from a real server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, Field, PrivateAttr

Answer = str | BaseModel | dict | Exception | Callable[[list[BaseMessage]], Any]


class ScriptedChatModel(BaseChatModel):
    """Answers from a queue, in order; raises when the queue runs dry."""

    answers: list[Any] = Field(default_factory=list)
    model_name: str = "scripted-model"
    prompt_tokens: int = 11
    completion_tokens: int = 7
    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def prompts(self) -> list[list[BaseMessage]]:
        """Every message list the model was called with, in order."""
        return self._prompts

    @property
    def calls(self) -> int:
        return len(self._prompts)

    def bind_tools(
        self,
        tools: Sequence[Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Any:
        names = [convert_to_openai_tool(tool)["function"]["name"] for tool in tools]
        return self.bind(tool_names=names, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            self._prompts.append(list(messages))
            if not self.answers:
                raise AssertionError(f"scripted model ran out of answers at call {self.calls}")
            answer = self.answers.pop(0)
        if callable(answer) and not isinstance(answer, BaseModel | type):
            answer = answer(list(messages))
        if isinstance(answer, Exception):
            raise answer
        raw = _as_text(answer)
        usage = {
            "input_tokens": self.prompt_tokens,
            "output_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }
        names = kwargs.get("tool_names")
        message = (
            _tool_message(raw, names[0], usage)
            if names
            else AIMessage(content=raw, usage_metadata=usage)
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def _as_text(answer: Any) -> str:
    if isinstance(answer, BaseModel):
        return answer.model_dump_json()
    if isinstance(answer, dict):
        return json.dumps(answer)
    return str(answer)


def _tool_message(raw: str, name: str, usage: dict[str, int]) -> AIMessage:
    call_id = "call_scripted"
    try:
        args = json.loads(raw)
    except json.JSONDecodeError:
        args = None
    if isinstance(args, dict):
        return AIMessage(
            content="",
            tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}],
            usage_metadata=usage,
        )
    return AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "name": name,
                "args": raw,
                "id": call_id,
                "error": "bad json",
                "type": "invalid_tool_call",
            }
        ],
        usage_metadata=usage,
    )
