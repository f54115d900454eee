"""Fetch web pages as evidence, safely: the page fetcher and its URL guard.

What a fetch does, and refuses:

* only ``http``/``https`` URLs; a host whose addresses include a private, loopback,
  link-local, reserved, multicast or unspecified one is refused (SSRF), unless the
  ``fetch_allow_loopback`` setting allows loopback (for local test servers only);
* redirects are followed by hand, at most ``fetch_max_redirects``, each new URL
  checked again;
* robots.txt is asked first (RFC 9309: a missing file allows all; a server error
  disallows all), per origin, once per fetcher;
* connect/read timeouts per request, a total deadline per page, a size cap on the
  streamed body, and only HTML, plain text or PDF content;
* main text by trafilatura (:func:`retrieval.loaders.load_html`), PDFs through the
  same loader as ingested files.

Remaining risk, said plainly: the address check resolves the host before httpx
connects, and httpx resolves it again; a DNS server that answers differently the
second time (rebinding) could slip past. Run claimscope where such a server cannot
reach anything valuable, or behind an egress proxy.
"""

from __future__ import annotations

import ipaddress
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from claims.errors import EvidenceError, FetchRefusedError, InputError
from claims.models import EvidenceKind
from claims.settings import Settings
from retrieval.documents import Document
from retrieval.loaders import decode_text, load_file, load_html
from retrieval.sources.base import USER_AGENT

ROBOTS_AGENT = "claimscope"
ROBOTS_MAX_BYTES = 500_000
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain"}
PDF_TYPES = {"application/pdf"}
Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise EvidenceError(f"cannot resolve {host}: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, *, allow_loopback: bool = False, resolver: Resolver = resolve) -> None:
    """Raise FetchRefusedError unless ``url`` is http(s) on a public address."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefusedError(f"refused {url!r}: not a valid URL ({exc})") from None
    if parts.scheme not in {"http", "https"}:
        raise FetchRefusedError(f"refused {url!r}: only http and https URLs are fetched")
    if not parts.hostname:
        raise FetchRefusedError(f"refused {url!r}: no host")
    for address in resolver(parts.hostname, port):
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback and allow_loopback:
            continue
        if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
            raise FetchRefusedError(
                f"refused {url!r}: {parts.hostname} resolves to the non-public address {ip}"
            )


@dataclass(frozen=True)
class Page:
    """A fetched response body, after redirects."""

    url: str
    content_type: str
    body: bytes


class Fetcher:
    """Fetches pages under the limits in :class:`Settings`; thread-safe."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver = resolve,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._settings = settings
        self._resolver = resolver
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout_s),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    def fetch(self, url: str) -> Page:
        """The page at ``url``; EvidenceError (FetchRefusedError when refused) otherwise."""
        deadline = time.monotonic() + self._settings.fetch_deadline_s
        return self._get(url, deadline, accept=HTML_TYPES | TEXT_TYPES | PDF_TYPES, robots=True)

    def document(self, url: str, *, kind: EvidenceKind, published: date | None) -> Document:
        """The page at ``url`` as a knowledge-base document (its own date wins over ``published``)."""
        page = self.fetch(url)
        document = page_document(page)
        return document.model_copy(
            update={
                "kind": kind,
                "retrieved_at": datetime.now(UTC),
                "published": document.published or published,
            }
        )

    def _get(
        self,
        url: str,
        deadline: float,
        *,
        accept: set[str],
        max_bytes: int | None = None,
        robots: bool = False,
    ) -> Page:
        """GET ``url``, following redirects by hand; every hop's address is checked and,
        with ``robots``, its origin's robots.txt (a redirect may lead to another site)."""
        limit = max_bytes or self._settings.fetch_max_bytes
        allow = self._settings.fetch_allow_loopback
        for _ in range(self._settings.fetch_max_redirects + 1):
            check_url(url, allow_loopback=allow, resolver=self._resolver)
            if robots:
                self._check_robots(url, deadline)
            try:
                with self._client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("Location")
                        if not location:
                            raise EvidenceError(f"{url}: a redirect without a Location")
                        url = urljoin(url, location)
                        continue
                    if response.status_code >= 400:
                        raise EvidenceError(
                            f"{url}: HTTP {response.status_code}", status=response.status_code
                        )
                    content_type = (
                        response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                    )
                    if content_type not in accept:
                        raise EvidenceError(
                            f"{url}: unsupported content type {content_type or '(none)'!r}"
                        )
                    declared = response.headers.get("Content-Length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise EvidenceError(
                            f"{url}: larger than {limit:,} bytes ({int(declared):,})"
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > limit:
                            raise EvidenceError(f"{url}: larger than {limit:,} bytes")
                        if time.monotonic() > deadline:
                            raise EvidenceError(
                                f"{url}: not read within {self._settings.fetch_deadline_s:g} s"
                            )
                    return Page(url=str(response.url), content_type=content_type, body=bytes(body))
            except httpx.TimeoutException:
                raise EvidenceError(f"{url}: timed out") from None
            except httpx.HTTPError as exc:
                raise EvidenceError(f"{url}: {type(exc).__name__}: {exc}") from None
        raise EvidenceError(f"{url}: more than {self._settings.fetch_max_redirects} redirects")

    def _check_robots(self, url: str, deadline: float) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            known = origin in self._robots
            rules = self._robots.get(origin)
        if not known:
            rules = self._read_robots(origin, deadline)
            with self._robots_lock:
                self._robots[origin] = rules
        if rules is not None and not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchRefusedError(f"refused {url}: its robots.txt disallows {ROBOTS_AGENT}")

    def _read_robots(self, origin: str, deadline: float) -> RobotFileParser | None:
        """The origin's rules; None (allow all) when it has none."""
        rules = RobotFileParser()
        try:
            page = self._get(
                f"{origin}/robots.txt", deadline, accept=TEXT_TYPES, max_bytes=ROBOTS_MAX_BYTES
            )
        except FetchRefusedError:
            raise
        except EvidenceError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None  # RFC 9309 2.3.1.3: unavailable, anything may be fetched
            if exc.status is not None:
                # 2.3.1.4: unreachable (5xx), assume complete disallow
                rules.parse(["User-agent: *", "Disallow: /"])
                return rules
            return None  # a robots.txt of another type or size: treated as absent
        rules.parse(page.body.decode("utf-8", "replace").splitlines())
        return rules

    def close(self) -> None:
        self._client.close()


def page_document(page: Page) -> Document:
    """A fetched page's main text as a document whose source and url are the page's URL."""
    if page.content_type in PDF_TYPES:
        return _pdf_document(page)
    try:
        text = decode_text(page.body, page.url) if page.content_type in TEXT_TYPES else None
    except InputError as exc:
        raise EvidenceError(str(exc)) from None
    if text is not None:
        return Document(id=page.url, text=text, source=page.url, url=page.url, title=page.url)
    html = page.body.decode("utf-8", "replace")
    document = load_html(html, source=page.url, fallback_title=page.url)
    return document.model_copy(update={"url": page.url})


def _pdf_document(page: Page) -> Document:
    with tempfile.TemporaryDirectory(prefix="claimscope-pdf-") as folder:
        path = Path(folder) / "page.pdf"
        path.write_bytes(page.body)
        try:
            loaded = load_file(path)[0]
        except InputError as exc:
            raise EvidenceError(f"{page.url}: {exc}".replace(str(path), "the PDF")) from None
    title = loaded.title if loaded.title and loaded.title != "page" else page.url
    return Document(id=page.url, text=loaded.text, source=page.url, url=page.url, title=title)


class FetchCache:
    """Which URLs were fetched recently enough to reuse (``ttl``), seeded from the store."""

    def __init__(
        self, ttl: timedelta, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._fetched: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def remember(self, url: str, when: datetime | None = None) -> None:
        with self._lock:
            self._fetched[url] = when or self._clock()

    def fresh(self, url: str) -> bool:
        """True when ``url`` was fetched less than the TTL ago."""
        with self._lock:
            when = self._fetched.get(url)
        return when is not None and self._clock() - when < self._ttl
