"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

It speaks enough of ``POST /v1/chat/completions`` for the real openai client
and ``ChatOpenAI``: answers as message content (plain, ``response_format``
``json_schema`` or ``json_object``) or as a tool call when ``tools`` are sent
(``method="function_calling"``), always with ``usage``. Answers come from a
script (a queue) or, when the queue is empty, from a responder function;
:func:`rule_based_answer` is a deterministic one that extracts numeric
sentences as claims and judges claims by word overlap and numbers. A responder
may return :class:`Fail` to answer an HTTP error or garbage. Every request is
recorded with its headers, so tests can inspect prompts and credentials.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Fail:
    """An error answer: an HTTP status with an OpenAI-style error body, or ``garbage``."""

    status: int = 500
    garbage: bool = False
    message: str = "scripted failure"


@dataclass
class Recorded:
    """One request as received; header names are lower-cased."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def last_user(self) -> str:
        users = [m for m in self.messages if m.get("role") == "user"]
        return _text(users[-1]["content"]) if users else ""

    @property
    def structured_method(self) -> str:
        """Which structured-output method the client used for this request."""
        if self.body.get("tools"):
            return "function_calling"
        fmt = (self.body.get("response_format") or {}).get("type")
        return {"json_schema": "json_schema", "json_object": "json_mode"}.get(fmt, "plain")


Responder = Callable[[Recorded], "str | dict | Fail"]


@dataclass
class OpenAIServer:
    """Start with ``with OpenAIServer() as server:``; ``server.base_url`` is the ``/v1`` URL."""

    responder: Responder | None = None
    delay_s: float = 0.0
    script: list[Any] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer_for(self, request: Recorded) -> str | dict | Fail:
        with self._lock:
            self.requests.append(request)
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None:
            return scripted(request) if callable(scripted) else scripted
        if self.responder is None:
            return Fail(500, message="no scripted answer left")
        return self.responder(request)

    def completion(self, request: Recorded, answer: str | dict) -> dict[str, Any]:
        text = answer if isinstance(answer, str) else json.dumps(answer)
        body = request.body
        message: dict[str, Any] = {"role": "assistant", "content": text}
        finish = "stop"
        if body.get("tools"):
            choice = body.get("tool_choice")
            name = (
                choice["function"]["name"]
                if isinstance(choice, dict)
                else body["tools"][0]["function"]["name"]
            )
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{next(self._ids)}",
                        "type": "function",
                        "function": {"name": name, "arguments": text},
                    }
                ],
            }
            finish = "tool_calls"
        prompt_tokens = sum(len(_text(m.get("content")).split()) for m in request.messages)
        completion_tokens = len(text.split())
        return {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "test-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def _handler_for(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            """Silence per-request logging."""

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                self._send(
                    404, {"error": {"message": f"no route {self.path}", "type": "not_found"}}
                )
                return
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send(
                    400, {"error": {"message": "body is not JSON", "type": "invalid_request"}}
                )
                return
            request = Recorded(
                path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body=body
            )
            answer = server.answer_for(request)
            if server.delay_s:
                time.sleep(server.delay_s)
            if isinstance(answer, Fail):
                if answer.garbage:
                    self._send_raw(200, b"<html>definitely not json", "application/json")
                else:
                    error = {"message": answer.message, "type": "server_error", "code": None}
                    self._send(answer.status, {"error": error})
                return
            self._send(200, server.completion(request, answer))

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            self._send_raw(status, json.dumps(payload).encode(), "application/json")

        def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer

    return Handler


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


# --- a deterministic "model" ------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def rule_based_answer(request: Recorded) -> dict:
    """Extraction: every sentence with a number is a claim. Verification: overlap + numbers."""
    users = [_text(m["content"]) for m in request.messages if m.get("role") == "user"]
    for prompt in reversed(users):  # after a re-ask, the input is an earlier message
        if "<article" in prompt:
            return extract_numeric_sentences(prompt)
        if "<claim>" in prompt:
            return judge_by_overlap(prompt)
    return {"error": "unrecognised prompt"}


def _between(text: str, start: str, end: str) -> str:
    after = text.split(start, 1)[1]
    after = after.split(">", 1)[1] if start.endswith("<article") else after
    return after.rsplit(end, 1)[0].strip("\n")


def extract_numeric_sentences(prompt: str) -> dict:
    article = _between(prompt, "<article", "</article>")
    claims = []
    for match in _SENTENCE.finditer(article):
        sentence = match.group().strip()
        if _NUMBER.search(sentence):
            claims.append(
                {"claim": sentence, "quote": sentence, "checkworthiness": 0.9, "kind": "numeric"}
            )
    return {"claims": claims}


def judge_by_overlap(prompt: str) -> dict:
    claim = _between(prompt, "<claim>\n", "\n</claim>")
    claim_words = set(_WORD.findall(claim.lower()))
    claim_numbers = set(_NUMBER.findall(claim))
    best_number, best_overlap, best_text = None, 0.0, ""
    for number, text in _NUMBERED.findall(prompt):
        words = set(_WORD.findall(text.lower()))
        overlap = len(words & claim_words) / max(1, len(claim_words))
        if overlap > best_overlap:
            best_number, best_overlap, best_text = int(number), overlap, text
    if best_number is None or best_overlap < 0.4:
        return {
            "label": "NOT_ENOUGH_INFO",
            "confidence": 0.6,
            "citations": [],
            "rationale": "No sentence is about the claim.",
        }
    agrees = claim_numbers <= set(_NUMBER.findall(best_text))
    return {
        "label": "SUPPORTED" if agrees else "REFUTED",
        "confidence": round(0.5 + best_overlap / 2, 3),
        "citations": [{"number": best_number, "stance": "supports" if agrees else "refutes"}],
        "rationale": f"Sentence {best_number} {'states' if agrees else 'contradicts'} the claim.",
    }
