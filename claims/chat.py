"""The chat-model seam: the only module that imports ``langchain_openai`` and ``openai``.

:func:`make_chat_model` builds a ``ChatOpenAI`` for any OpenAI-compatible
endpoint from :class:`~claims.settings.Settings`. :func:`call_structured` asks
a chat model for one structured answer and hands back the *raw* answer text
with its token usage; parsing is done here too (:func:`parse_structured`), from
that raw text, so an answer replayed from the disk cache is parsed exactly like
a fresh one. Vendor exceptions are translated into
:class:`~claims.errors.EndpointError` here, with any API key scrubbed from the
message.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2
import openai
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr, ValidationError

from claims.errors import ConfigError, EndpointError, OutputValidationError
from claims.models import Usage
from claims.prompts import REASK_TEMPLATE
from claims.redaction import redact
from claims.settings import Settings, StructuredMethod

if TYPE_CHECKING:
    from claims.llm_cache import LLMCache

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

PLACEHOLDER_API_KEY = "not-needed"
"""Sent to local servers that need no key: the openai client refuses to start without one."""


def make_chat_model(settings: Settings, *, client_retries: int = 1) -> BaseChatModel:
    """A deterministic ``ChatOpenAI`` for the configured endpoint.

    ``client_retries`` bounds the openai client's own retries of failed requests
    (connection errors, 429, 5xx); re-asking after an *invalid answer* is the
    extractor's and verifier's job, not the client's.
    """
    key = settings.openai_api_key
    if key is None:
        key = SecretStr(PLACEHOLDER_API_KEY) if settings.openai_base_url else None
    if key is None:
        raise ConfigError("LLM mode needs OPENAI_API_KEY or OPENAI_BASE_URL")
    return ChatOpenAI(
        model=settings.model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=client_retries,
        temperature=0,
        use_responses_api=False,
        http_client=httpx2.Client(
            transport=DeadlineTransport(httpx2.HTTPTransport(), settings.llm_timeout_s),
            timeout=settings.llm_timeout_s,
        ),
    )


class DeadlineTransport(httpx2.BaseTransport):
    """Bounds each request's *total* time, not only each read.

    httpx's timeouts apply per network operation, so an endpoint that trickles one
    byte every few seconds never trips them. This transport gives each request
    ``total_s`` from the moment it is sent: a body still arriving after that raises
    ``ReadTimeout``, which the openai client reports as a timeout.
    """

    def __init__(self, inner: httpx2.BaseTransport, total_s: float) -> None:
        self._inner = inner
        self._total_s = total_s

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        deadline = time.monotonic() + self._total_s
        response = self._inner.handle_request(request)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_DeadlineStream(response.stream, deadline, request, self._total_s),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


class _DeadlineStream(httpx2.SyncByteStream):
    def __init__(
        self, inner: Any, deadline: float, request: httpx2.Request, total_s: float
    ) -> None:
        self._inner = inner
        self._deadline = deadline
        self._request = request
        self._total_s = total_s

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._deadline:
                raise httpx2.ReadTimeout(
                    f"the endpoint's answer took longer than {self._total_s:g} s in total",
                    request=self._request,
                )
            yield chunk

    def close(self) -> None:
        self._inner.close()


def chat_model_name(chat_model: BaseChatModel) -> str:
    """The model name a chat model sends, for cache keys and verifier names."""
    for attr in ("model_name", "model"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(chat_model).__name__


@dataclass(frozen=True)
class StructuredReply(Generic[T]):
    """One answer of a chat model: its raw text, the parsed object or why parsing failed."""

    raw: str
    parsed: T | None
    error: str | None
    usage: Usage


def schema_for_method(schema: type[BaseModel], method: StructuredMethod) -> Any:
    """What to hand ``with_structured_output`` for ``method``.

    For ``json_schema`` a plain JSON-schema dict is passed instead of the pydantic
    class: given the class, the openai client validates the answer itself and
    raises inside the request, which would hide malformed answers from our re-ask
    loop. ``strict`` stays off so schemas with bounds and defaults are accepted
    by every server; the answer is validated here anyway.
    """
    if method == "json_schema":
        return {
            "name": schema.__name__,
            "description": (schema.__doc__ or schema.__name__).strip(),
            "schema": schema.model_json_schema(),
            "strict": False,
        }
    return schema


def call_structured(
    chat_model: BaseChatModel,
    messages: Sequence[BaseMessage],
    schema: type[T],
    method: StructuredMethod,
) -> StructuredReply[T]:
    """Ask once for an answer shaped like ``schema``; never re-asks.

    Raises :class:`EndpointError` when the endpoint cannot be reached, times out
    or answers an error status. A malformed answer is not an exception: it comes
    back with ``parsed=None`` and ``error`` set, so the caller can re-ask.
    """
    runnable = chat_model.with_structured_output(
        schema_for_method(schema, method), method=method, include_raw=True
    )
    try:
        out = runnable.invoke(list(messages))
    except openai.OpenAIError as exc:
        raise translate_error(exc, chat_model) from None
    except json.JSONDecodeError:
        # the openai client decodes a 2xx body without wrapping the error
        where = _endpoint_of(chat_model)
        raise EndpointError(f"LLM endpoint {where} answered with a body that is not JSON") from None
    raw_message = out["raw"] if isinstance(out, dict) else out
    raw = raw_text(raw_message)
    parsed, error = parse_structured(raw, schema)
    return StructuredReply(raw=raw, parsed=parsed, error=error, usage=usage_of(raw_message))


def raw_text(message: Any) -> str:
    """The answer text of a chat message: tool-call arguments, else its text content."""
    if not isinstance(message, AIMessage):
        return str(getattr(message, "content", message))
    if message.tool_calls:
        return json.dumps(message.tool_calls[0]["args"], ensure_ascii=False)
    if message.invalid_tool_calls:
        return str(message.invalid_tool_calls[0].get("args") or "")
    content = message.content
    if isinstance(content, str):
        return content
    parts = [block.get("text", "") if isinstance(block, dict) else str(block) for block in content]
    return "".join(parts)


def usage_of(message: Any) -> Usage:
    """Token counts of one real model call."""
    meta = getattr(message, "usage_metadata", None) or {}
    return Usage(
        prompt_tokens=int(meta.get("input_tokens", 0) or 0),
        completion_tokens=int(meta.get("output_tokens", 0) or 0),
        calls=1,
    )


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def parse_structured(raw: str, schema: type[T]) -> tuple[T | None, str | None]:
    """Parse raw answer text into ``schema``: the object, or a message saying what is wrong.

    Markdown code fences around the JSON are tolerated (json_mode servers add them).
    """
    text = raw.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    if not text:
        return None, "the answer was empty; answer with one JSON object"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"the answer is not valid JSON ({exc.msg} at position {exc.pos})"
    try:
        return schema.model_validate(data), None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in exc.errors()[:8]
        )
        return None, f"the JSON does not match the schema: {problems}"


def translate_error(
    exc: openai.OpenAIError, chat_model: BaseChatModel | None = None
) -> EndpointError:
    """An :class:`EndpointError` for an openai exception, with secrets scrubbed."""
    where = _endpoint_of(chat_model)
    if isinstance(exc, openai.APITimeoutError):
        message, status = f"LLM endpoint {where} timed out", None
    elif isinstance(exc, openai.APIConnectionError):
        message, status = f"cannot connect to LLM endpoint {where}", None
    elif isinstance(exc, openai.RateLimitError):
        message, status = f"LLM endpoint {where} is rate limiting (HTTP 429)", 429
    elif isinstance(exc, openai.APIStatusError):
        detail = _short(getattr(exc, "message", "") or "")
        message, status = (
            f"LLM endpoint {where} answered HTTP {exc.status_code}: {detail}",
            exc.status_code,
        )
    elif isinstance(exc, openai.LengthFinishReasonError):
        message, status = f"LLM endpoint {where} cut the answer off at its token limit", None
    else:
        message, status = (
            f"LLM endpoint {where} failed: {type(exc).__name__}: {_short(str(exc))}",
            None,
        )
    return EndpointError(redact(message, _secret_of(chat_model)), status=status)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _endpoint_of(chat_model: BaseChatModel | None) -> str:
    base = getattr(chat_model, "openai_api_base", None)
    return f"at {base}" if base else "(api.openai.com)"


def _secret_of(chat_model: BaseChatModel | None) -> str | None:
    """The model's API key, unless it is the placeholder (no secret to hide)."""
    key = getattr(chat_model, "openai_api_key", None)
    if isinstance(key, SecretStr) and key.get_secret_value() != PLACEHOLDER_API_KEY:
        return key.get_secret_value()
    return None


class InvalidAnswer(ValueError):
    """Raised by an answer validator; its message is sent back to the model on re-ask."""


def ask_validated(
    chat_model: BaseChatModel,
    messages: Sequence[BaseMessage],
    schema: type[T],
    validate: Callable[[T], R],
    *,
    method: StructuredMethod,
    max_retries: int,
    cache: LLMCache | None = None,
    model_name: str | None = None,
) -> tuple[R, Usage]:
    """Ask until ``validate`` accepts the answer, re-asking with the error each time.

    Malformed JSON and answers ``validate`` rejects (by raising
    :class:`InvalidAnswer`) are re-asked at most ``max_retries`` times, with the
    rejected answer and the error appended to the conversation. Answers are
    looked up in and written to ``cache``; a cache hit costs no tokens and counts
    as a cached call. Raises :class:`OutputValidationError` carrying the number of
    attempts and the last raw answer when no attempt is valid.
    """
    name = model_name or chat_model_name(chat_model)
    conversation = list(messages)
    usage = Usage()
    attempts = max_retries + 1
    error = "no answer"
    raw = ""
    for _ in range(attempts):
        reply = _ask_cached(chat_model, conversation, schema, method, cache, name)
        usage = usage + reply.usage
        raw = reply.raw
        error = reply.error or ""
        if reply.parsed is not None:
            try:
                return validate(reply.parsed), usage
            except InvalidAnswer as exc:
                error = str(exc)
        conversation += [
            AIMessage(content=raw),
            HumanMessage(content=REASK_TEMPLATE.format(error=error)),
        ]
    raise OutputValidationError(
        f"the model gave no valid {schema.__name__} in {attempts} attempt(s); last problem: {error}",
        attempts=attempts,
        last_raw=raw,
    )


def _ask_cached(
    chat_model: BaseChatModel,
    messages: Sequence[BaseMessage],
    schema: type[T],
    method: StructuredMethod,
    cache: LLMCache | None,
    model_name: str,
) -> StructuredReply[T]:
    if cache is None:
        return call_structured(chat_model, messages, schema, method)
    key = cache.key(model_name, method, messages, schema)
    hit = cache.get(key)
    if hit is not None:
        parsed, error = parse_structured(hit.raw, schema)
        return StructuredReply(raw=hit.raw, parsed=parsed, error=error, usage=Usage(cached_calls=1))
    reply = call_structured(chat_model, messages, schema, method)
    cache.put(key, reply.raw, reply.usage)
    return reply
