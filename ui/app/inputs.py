"""Turning what a user gives the check page (text, a file, a URL) into an Article."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from claims.errors import FetchRefusedError, InputError, UnsupportedFileError
from claims.models import Article
from claims.settings import Settings

ARTICLE_TYPES = ["txt", "md", "html", "htm", "pdf"]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def article_from_text(text: str, title: str = "") -> Article:
    """A pasted article; without a title, its first line (shortened) names it."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    guessed = (first if len(first) <= 100 else first[:79].rstrip() + "…") or None
    return Article(text=text, title=title.strip() or guessed, source=None)


def safe_name(name: str) -> str:
    """A file name without folders or odd characters, keeping its suffix."""
    base = Path(name.replace("\\", "/")).name
    cleaned = "".join(ch if ch.isalnum() or ch in "-_. " else "_" for ch in base).strip(" .")
    return cleaned or "upload"


def article_from_upload(name: str, data: bytes, title: str = "") -> Article:
    """Read an uploaded .txt/.md/.html/.pdf with the same loaders ``claimscope ingest`` uses."""
    suffix = Path(name).suffix.lower()
    if suffix.lstrip(".") not in ARTICLE_TYPES:
        raise UnsupportedFileError(
            f"{name}: unsupported file type (use {', '.join('.' + t for t in ARTICLE_TYPES)})"
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name} is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    from retrieval.loaders import load_file

    with tempfile.TemporaryDirectory(prefix="claimscope-upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(data)
        documents = load_file(path)
    text = "\n\n".join(d.text for d in documents if d.text.strip())
    found_title = next((d.title for d in documents if d.title), None)
    published = next((d.published for d in documents if d.published), None)
    return Article(
        text=text, title=title.strip() or found_title or name, published=published, source=name
    )


def fetch_page(
    url: str,
    *,
    fetch: Callable[[str], str | None] | None = None,
    settings: Settings | None = None,
) -> str:
    """The HTML of a web page, or an InputError that says plainly why not.

    ``fetch`` defaults to claimscope's own fetcher (:class:`retrieval.fetch.Fetcher`, as
    evidence gathering uses): every hop's address is checked, so a URL never reaches a
    private, loopback or link-local address (unless ``fetch_allow_loopback``), and the
    size, time and redirect limits of ``settings`` apply.
    """
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InputError(f"{url!r} is not an http(s) URL")
    if fetch is None:
        # the app passes its session's settings; without them, the defaults (no environment
        # read here: settings are read at the entry points)
        fetch = _safe_fetch(settings or Settings.from_env({}))
    reason = ""
    try:
        page = fetch(url)
    except FetchRefusedError as exc:
        raise InputError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any fetch failure means the same to the user
        page, reason = None, f" ({type(exc).__name__}: {' '.join(str(exc).split())})"
    if not page:
        raise InputError(
            f"could not fetch {url}{reason}: no network access from this machine, or the site "
            "did not answer. Paste the text or upload the saved page instead."
        )
    return page


def _safe_fetch(settings: Settings) -> Callable[[str], str | None]:
    def fetch(url: str) -> str | None:
        from retrieval.fetch import HTML_TYPES, Fetcher
        from retrieval.loaders import decode_text

        fetcher = Fetcher(settings)
        try:
            page = fetcher.fetch(url)
        finally:
            fetcher.close()
        if page.content_type not in HTML_TYPES:
            raise InputError(
                f"{url} is not a web page ({page.content_type}): download it and upload the file"
            )
        return decode_text(page.body, url)

    return fetch


def article_from_url(
    url: str,
    title: str = "",
    *,
    fetch: Callable[[str], str | None] | None = None,
    settings: Settings | None = None,
) -> Article:
    """Fetch a web page and keep its main text (trafilatura, as ingest does)."""
    from retrieval.loaders import load_html

    url = url.strip()
    page = fetch_page(url, fetch=fetch, settings=settings)
    document = load_html(page, source=url, fallback_title=url)
    if not document.text.strip():
        raise InputError(f"no article text found at {url}")
    return Article(
        text=document.text,
        title=title.strip() or document.title or url,
        published=document.published,  # the page's own date, for 'on Oct 24'
        source=url,
    )
