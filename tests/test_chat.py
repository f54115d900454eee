"""The chat-model seam without a network: parsing raw answers, scrubbing secrets, settings."""

from __future__ import annotations

from langchain_core.messages import AIMessage
from pydantic import BaseModel, SecretStr

from claims.chat import (
    PLACEHOLDER_API_KEY,
    _secret_of,
    make_chat_model,
    parse_structured,
    raw_text,
    schema_for_method,
    usage_of,
)
from claims.settings import Settings


class Point(BaseModel):
    """A point."""

    x: int
    y: int


def test_parse_accepts_fenced_json_and_reports_problems() -> None:
    assert parse_structured('```json\n{"x": 1, "y": 2}\n```', Point) == (Point(x=1, y=2), None)
    parsed, error = parse_structured('{"x": 1}', Point)
    assert parsed is None and "y: Field required" in error
    parsed, error = parse_structured("", Point)
    assert parsed is None and "empty" in error
    parsed, error = parse_structured("[1, 2", Point)
    assert parsed is None and "not valid JSON" in error


def test_raw_text_prefers_tool_call_arguments() -> None:
    call = AIMessage(
        content="", tool_calls=[{"name": "Point", "args": {"x": 1, "y": 2}, "id": "1"}]
    )
    assert raw_text(call) == '{"x": 1, "y": 2}'
    broken = AIMessage(
        content="",
        invalid_tool_calls=[{"name": "Point", "args": '{"x": 1', "id": "1", "error": "bad"}],
    )
    assert raw_text(broken) == '{"x": 1'
    blocks = AIMessage(
        content=[{"type": "text", "text": '{"x": 1,'}, {"type": "text", "text": ' "y": 2}'}]
    )
    assert raw_text(blocks) == '{"x": 1, "y": 2}'


def test_usage_of_reads_langchain_usage_metadata() -> None:
    message = AIMessage(
        content="{}", usage_metadata={"input_tokens": 30, "output_tokens": 4, "total_tokens": 34}
    )
    usage = usage_of(message)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (30, 4, 1)
    assert usage_of(AIMessage(content="{}")).total_tokens == 0


def test_the_placeholder_key_of_a_local_server_is_no_secret_to_mask() -> None:
    local = make_chat_model(Settings(llm="openai", openai_base_url="http://127.0.0.1:9/v1"))
    assert local.openai_api_key.get_secret_value() == PLACEHOLDER_API_KEY
    assert _secret_of(local) is None
    keyed = make_chat_model(Settings(llm="openai", openai_api_key="sk-real-secret-1"))
    assert _secret_of(keyed) == "sk-real-secret-1"


def test_json_schema_method_sends_a_plain_schema_dict() -> None:
    spec = schema_for_method(Point, "json_schema")
    assert spec["name"] == "Point" and spec["strict"] is False
    assert spec["schema"]["required"] == ["x", "y"]
    assert schema_for_method(Point, "function_calling") is Point


def test_make_chat_model_uses_settings() -> None:
    settings = Settings(
        llm="openai",
        openai_api_key=SecretStr("sk-configured-key-123"),
        openai_base_url="http://127.0.0.1:1/v1",
        model="my-model",
        llm_timeout_s=7.5,
    )
    chat = make_chat_model(settings, client_retries=0)
    assert chat.model_name == "my-model"
    assert chat.openai_api_base == "http://127.0.0.1:1/v1"
    assert chat.request_timeout == 7.5
    assert chat.max_retries == 0
    assert chat.temperature == 0
    assert chat.use_responses_api is False
    assert "sk-configured-key-123" not in repr(chat)
