"""Read files into :class:`Document` objects: text, Markdown, HTML, PDF, JSONL, folders.

Every way a file can be unreadable becomes an :class:`UnsupportedFileError` (or an
:class:`InputError` for a missing path) with a message that names the file, so the
CLI can print it on one line.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from claims.errors import InputError, UnsupportedFileError
from retrieval.documents import Document, SkippedFile

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | JSONL_SUFFIXES
) - {""}

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def load_file(path: Path) -> list[Document]:
    """The documents held by one file, chosen by its suffix."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file or folder: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file here")
    suffix = path.suffix.lower()
    source = source_name(path)
    if suffix in TEXT_SUFFIXES:
        return [_text_document(path, source, read_text(path), title=None)]
    if suffix in MARKDOWN_SUFFIXES:
        text = read_text(path)
        heading = _MD_HEADING.search(text)
        return [_text_document(path, source, text, title=heading.group(1) if heading else None)]
    if suffix in HTML_SUFFIXES:
        return [load_html(read_text(path), source=source, fallback_title=printable_name(path.stem))]
    if suffix in PDF_SUFFIXES:
        return [_load_pdf(path, source)]
    if suffix in JSONL_SUFFIXES:
        return _load_jsonl(path, source)
    raise UnsupportedFileError(
        f"{path}: unsupported file type {suffix!r} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
    )


def load_paths(
    paths: Iterable[Path],
) -> tuple[list[Document], list[SkippedFile]]:
    """Documents of the named files and of every supported file under named folders.

    A file named explicitly must load, or the whole call fails: the user asked
    for it. Files found while walking a folder are skipped, with the reason, when
    they are unsupported or unreadable.
    """
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError(f"no such file or folder: {path}")
        if not path.is_dir():
            documents.extend(load_file(path))
            continue
        for child in _walk(path):
            if child.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append(
                    SkippedFile(
                        path=str(child), reason=f"unsupported type {child.suffix or '(none)'!r}"
                    )
                )
                continue
            try:
                documents.extend(load_file(child))
            except InputError as exc:
                skipped.append(SkippedFile(path=str(child), reason=str(exc)))
    return documents, skipped


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in a stable order, hidden files and folders left out."""
    for child in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in child.relative_to(folder).parts):
            continue
        if child.is_file():
            yield child


def read_text(path: Path) -> str:
    """The file's text if it is UTF-8 (with or without BOM); never guesses another encoding."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_text(data, str(path))


# Byte-order marks of the encodings recognised without guessing (UTF-32 before UTF-16:
# the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def source_name(path: Path) -> str:
    """A file's absolute path as a source name that is always valid UTF-8.

    A name that is not UTF-8 on disk (``lat\\xe9n.txt``) keeps its odd bytes as
    ``\\xNN`` escapes, so it can be stored, hashed and printed, and stays the same on
    every ingest of the same file.
    """
    return printable_name(os.fspath(Path(path).resolve()))


def printable_name(name: str) -> str:
    """``name`` (a path or part of one, as the OS gave it) as valid UTF-8 text."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def decode_text(data: bytes, name: str) -> str:
    """Text of a file or of standard input: UTF-8 (BOM allowed), or UTF-16/32 with a BOM."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff")
            except UnicodeDecodeError:
                break  # binary data that happens to start like a mark: the checks below
    if b"\x00" in data:
        raise UnsupportedFileError(
            f"{name} looks like a binary file (it contains NUL bytes), not text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedFileError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def _text_document(path: Path, source: str, text: str, *, title: str | None) -> Document:
    return Document(id=source, text=text, source=source, title=title or printable_name(path.stem))


def load_html(html: str, *, source: str, fallback_title: str | None = None) -> Document:
    """Main text of an HTML page via trafilatura, or all visible text when it finds none.

    Paragraphs are separated by blank lines so the chunker sees their boundaries.
    """
    import trafilatura

    extracted = None
    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception:  # trafilatura/lxml raise assorted errors on broken markup
        extracted = None
    text = getattr(extracted, "text", None) or ""
    title = getattr(extracted, "title", None) or _html_title(html) or fallback_title
    try:
        published = _parse_date(getattr(extracted, "date", None))
    except ValueError:  # a page's own date metadata is a hint, never a reason to fail
        published = None
    url = getattr(extracted, "url", None)
    if not text.strip():
        text = _visible_text(html)
    text = re.sub(r"\n(?!\n)", "\n\n", text.strip())
    return Document(id=source, text=text, source=source, title=title, url=url, published=published)


def _html_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    if match and match.group(1).strip():
        return " ".join(match.group(1).split())
    return None


def _visible_text(html: str) -> str:
    """All text outside scripts and styles, one block per line of output."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in {"script", "style", "head", "noscript"}:
                self._skip += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in {"script", "style", "head", "noscript"} and self._skip:
                self._skip -= 1

        def handle_data(self, data: str) -> None:
            if not self._skip and data.strip():
                self.parts.append(" ".join(data.split()))

    parser = _Text()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def _load_pdf(path: Path, source: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UnsupportedFileError(f"{path} is an encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except UnsupportedFileError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise UnsupportedFileError(f"cannot read PDF {path}: {exc}") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    return Document(id=source, text=text, source=source, title=meta_title or path.stem)


def _load_jsonl(path: Path, source: str) -> list[Document]:
    documents = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnsupportedFileError(f"{path} line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise UnsupportedFileError(
                f"{path} line {number}: expected an object with a string 'text'"
            )
        try:
            published = _parse_date(row.get("published"))
        except ValueError as exc:
            raise UnsupportedFileError(f"{path} line {number}: {exc}") from None
        documents.append(
            Document(
                id=str(row.get("id") or f"{source}#{number}"),
                text=row["text"],
                source=source,
                title=_optional_str(row.get("title")),
                url=_optional_str(row.get("url")),
                published=published,
            )
        )
    return documents


def _optional_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _parse_date(value: object) -> date | None:
    """A date from ISO text (``2024-10-22`` or a full timestamp); None when absent."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"published date {text!r} is not an ISO date (YYYY-MM-DD)") from None
