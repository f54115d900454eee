"""The evidence-source seam: one small protocol, the document it finds, and one JSON client.

Each connector shapes its request and reads its response as its provider documents
them; everything that can go wrong on the wire (refused connection, timeout, an error
status, a 429, an answer that is not the documented JSON) becomes an
:class:`~claims.errors.EvidenceError` whose message never holds a key.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, runtime_checkable

import httpx
from pydantic import BaseModel, SecretStr

from claims.errors import EvidenceError
from claims.models import EvidenceKind, FactCheck
from claims.redaction import redact

USER_AGENT = "claimscope/0.1 (fact-checking assistant; evidence search)"


class FoundDocument(BaseModel):
    """One result of an evidence source. ``text``: the whole text when the source gives it
    (Wikipedia extracts, fact-check reviews); else the page at ``url`` is fetched."""

    url: str
    title: str | None = None
    snippet: str = ""
    published: date | None = None
    kind: EvidenceKind = "web"
    source: str = ""
    text: str | None = None
    fact_check: FactCheck | None = None


@runtime_checkable
class EvidenceSource(Protocol):
    """Finds documents for a query. ``before``: only documents published before that date,
    where the provider can filter by date (the caller filters again on what comes back)."""

    name: str
    kind: EvidenceKind

    def search(
        self, query: str, *, before: date | None = None, limit: int
    ) -> list[FoundDocument]: ...


class JsonClient:
    """GET/POST JSON with a timeout, one bounded retry after a 429, and redacted errors.

    ``sleep`` is injectable so tests of Retry-After don't wait.
    """

    def __init__(
        self,
        name: str,
        *,
        timeout_s: float,
        max_retry_after_s: float,
        secrets: tuple[SecretStr | str | None, ...] = (),
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self._secrets = secrets
        self._max_retry_after_s = max_retry_after_s
        self._sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
            follow_redirects=False,
        )

    def get(
        self, url: str, *, params: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> Any:
        return self._request("GET", url, params=params, headers=headers)

    def post(
        self, url: str, *, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> Any:
        return self._request("POST", url, json_body=body, headers=headers)

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        for attempt in (1, 2):
            try:
                response = self._client.request(
                    method, url, params=params, json=json_body, headers=headers
                )
            except httpx.TimeoutException:
                raise self._error("did not answer in time") from None
            except httpx.HTTPError as exc:
                raise self._error(f"unreachable ({type(exc).__name__}: {exc})") from None
            if response.status_code == 429 and attempt == 1:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if wait is not None and wait <= self._max_retry_after_s:
                    self._sleep(wait)
                    continue
                raise self._error("rate limited (HTTP 429)", status=429)
            if response.status_code >= 400:
                raise self._error(
                    f"HTTP {response.status_code}: {_short(response.text)}",
                    status=response.status_code,
                )
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise self._error(
                    f"answered with something that is not JSON: {_short(response.text)}"
                ) from None
        raise self._error(
            "rate limited (HTTP 429)", status=429
        )  # pragma: no cover - loop exits above

    def _error(self, message: str, *, status: int | None = None) -> EvidenceError:
        return EvidenceError(redact(f"{self.name}: {message}", *self._secrets), status=status)

    def close(self) -> None:
        self._client.close()


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def parse_published(value: object) -> date | None:
    """A date from what providers send (ISO date or timestamp); None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        return None


def expect(data: Any, key: str, shape: type, source: str) -> Any:
    """``data[key]`` if ``data`` is an object holding a ``shape`` there (missing: empty)."""
    if not isinstance(data, dict):
        raise EvidenceError(f"{source}: unexpected answer (not a JSON object)")
    value = data.get(key, shape())
    if not isinstance(value, shape):
        raise EvidenceError(f"{source}: unexpected answer ({key!r} is not a {shape.__name__})")
    return value


def _short(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]
