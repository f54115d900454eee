"""The one ``redact``: given secrets, key-shaped strings, URL credentials, secret parameters."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from claims.redaction import redact


def test_given_secrets_are_masked_wherever_they_occur() -> None:
    assert redact("key hunter2-secret, again hunter2-secret", "hunter2-secret") == (
        "key ***, again ***"
    )
    assert redact("key hunter2-secret", SecretStr("hunter2-secret")) == "key ***"
    assert redact("nothing to hide", None, "") == "nothing to hide"


def test_openai_shaped_keys_are_masked_without_being_given() -> None:
    assert redact("bad key sk-abcdef123456 given") == "bad key sk-*** given"
    assert redact("sk-proj-AbC_123-xyz9") == "sk-***"
    assert redact("task-list and sk-1 stay") == "task-list and sk-1 stay"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://user:pass@host:8000/v1", "http://***@host:8000/v1"),
        ("cannot reach https://alice:s3cr%40t@chroma.example/api", "cannot reach https://***@chroma.example/api"),
        ("postgres://token@db/x", "postgres://***@db/x"),
        ("https://example.org/a@b is a path", "https://example.org/a@b is a path"),
        ("mail me at bob@example.org", "mail me at bob@example.org"),
    ],
)  # fmt: skip
def test_url_credentials_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET https://h/search?q=kazan&token=abc123 failed", "GET https://h/search?q=kazan&token=*** failed"),
        ("https://h/v1?key=AIzaXYZ&lang=en", "https://h/v1?key=***&lang=en"),
        ("https://h/?api_key=abc#frag", "https://h/?api_key=***#frag"),
        ("config api_key=abc123 rejected", "config api_key=*** rejected"),
        ("?access_token=a.b.c&x-api-key=zz", "?access_token=***&x-api-key=***"),
        ("PASSWORD=pw1 and Secret=s2", "PASSWORD=*** and Secret=***"),
        ("monkey=banana&keyword=kazan", "monkey=banana&keyword=kazan"),
    ],
)  # fmt: skip
def test_secret_parameters_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_everything_at_once_keeps_the_rest_of_the_message() -> None:
    message = (
        "LLM endpoint at http://me:pw@10.0.0.2:8000/v1?key=k1 answered HTTP 401: "
        "Incorrect API key provided: sk-live1234567890 (configured my-own-secret)"
    )
    assert redact(message, "my-own-secret") == (
        "LLM endpoint at http://***@10.0.0.2:8000/v1?key=*** answered HTTP 401: "
        "Incorrect API key provided: sk-*** (configured ***)"
    )
