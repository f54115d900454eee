"""Turning what a user gives the check page (text, a file, a URL) into an Article."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from claims.errors import InputError, UnsupportedFileError
from claims.models import Article

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
    return Article(text=text, title=title.strip() or found_title or name, source=name)


def fetch_page(url: str, *, fetch: Callable[[str], str | None] | None = None) -> str:
    """The HTML of a web page, or an InputError that says plainly why not.

    ``fetch`` defaults to trafilatura's fetcher, which returns None when there is
    no network (the usual case on an offline machine).
    """
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InputError(f"{url!r} is not an http(s) URL")
    if fetch is None:
        import trafilatura

        fetch = trafilatura.fetch_url
    reason = ""
    try:
        page = fetch(url)
    except Exception as exc:  # noqa: BLE001 - any fetch failure means the same to the user
        page, reason = None, f" ({type(exc).__name__})"
    if not page:
        raise InputError(
            f"could not fetch {url}{reason}: no network access from this machine, or the site "
            "did not answer. Paste the text or upload the saved page instead."
        )
    return page


def article_from_url(
    url: str, title: str = "", *, fetch: Callable[[str], str | None] | None = None
) -> Article:
    """Fetch a web page and keep its main text (trafilatura, as ingest does)."""
    from retrieval.loaders import load_html

    url = url.strip()
    document = load_html(fetch_page(url, fetch=fetch), source=url, fallback_title=url)
    if not document.text.strip():
        raise InputError(f"no article text found at {url}")
    return Article(text=document.text, title=title.strip() or document.title or url, source=url)
