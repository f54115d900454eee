"""The article's own date, found in its text or its page's metadata.

``detect_article_date(text, html=None)`` looks, in this order, for:

1. page metadata, when the page's HTML is given: JSON-LD ``datePublished`` (any object
   of the ``@graph``), then ``<meta>`` ``article:published_time`` and the other common
   publication-date names (``og:published_time``, ``pubdate``, ``publish-date``,
   ``dc.date.issued``, ``parsely-pub-date``, ``itemprop="datePublished"`` …), then the
   same for the modification date (``dateModified``, ``article:modified_time``);
2. a "Published …" / "First published …" line in the text (then "Updated …" /
   "Last updated …" when no publication line is there);
3. a dateline opening a paragraph: ``WASHINGTON, Oct 24, 2024 (Reuters) –``,
   ``LONDON (Reuters), 24 October 2024 —``;
4. a line holding nothing but a date (a byline date, with weekday or time around it)
   among the first 12 or the last 5 lines.

Only full dates count (day, month and year): "on Oct 24" in a dateline without a year
says nothing certain. A date in the body ("it reopened on 3 May 2021") is not the
article's date and is never taken. The parser is small and documented here instead of
a dependency: ISO dates (``2024-10-24``, ``2024-10-24T08:00:00+00:00``, ``2024/10/24``),
``24 October 2024``, ``24 Oct. 2024``, ``October 24, 2024``, ``Oct 24 2024``, each with
an optional weekday before it and a time after it. Numeric day/month orders other than
ISO (``10/24/2024``, ``24.10.2024``) are ambiguous and not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

__all__ = ["detect_article_date", "parse_date"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ISO = r"(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2})"
_DMY = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format("m1") + r",?\s+(?P<y1>\d{4})"
_MDY = _MONTH.format("m2") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
#: One full date, as written in the forms above.
DATE = rf"(?:{_WEEKDAY}(?:{_ISO}|{_DMY}|{_MDY}))"
_DATE_RE = re.compile(DATE, re.IGNORECASE)
_TIME = r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5}(?:[+-]\d{1,2})?)?)?"

_PUBLISHED = re.compile(
    rf"^\W*(?:first\s+)?(?:published|posted|released)(?:\s+(?:on|at))?\s*[:\-–—]?\s*{DATE}",
    re.IGNORECASE | re.MULTILINE,
)
_UPDATED = re.compile(
    rf"^\W*(?:last\s+)?(?:updated|modified)(?:\s+(?:on|at))?\s*[:\-–—]?\s*{DATE}",
    re.IGNORECASE | re.MULTILINE,
)
# "WASHINGTON, Oct 24, 2024 (Reuters) –" / "LONDON (Reuters), 24 October 2024 —" /
# "KAZAN, Russia, Oct 24, 2024 -": a place in capitals, perhaps a region and an agency.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:,\s*[A-Z][A-Za-z .'\-]{1,30})?(?:\s*\([^)\n]{1,40}\))?,?\s+"
    rf"(?i:{DATE}{_TIME})\s*(?:\([^)\n]{{1,40}}\))?\s*[-–—:]",
    re.MULTILINE,
)
_DATE_LINE = re.compile(rf"^\W*{DATE}{_TIME}\W*$", re.IGNORECASE)

#: ``<meta>`` names and properties holding the publication date, best first; then the
#: modification date (a page updated later was still there by then).
_META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "dc.date.issued", "dcterms.issued", "dc.date", "parsely-pub-date", "sailthru.date", "date",
)  # fmt: skip
_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")


def parse_date(text: str) -> date | None:
    """The first full date in ``text`` (one of the forms above), or None."""
    for match in _DATE_RE.finditer(text):
        found = _from_match(match)
        if found is not None:
            return found
    return None


def article_date(text: str, given: date | None) -> date | None:
    """The given date, else the article's own date found in its text (a "Published …"
    line, a dateline, a date on a line of its own: :func:`detect_article_date`, the one
    date detector evidence gathering uses too), else None. A date in the body ("it
    reopened on 3 May 2021") is not the article's. Claims carry it
    (:attr:`claims.models.Claim.article_date`) and the offline extraction dates with it."""
    return given if given is not None else detect_article_date(text)


def detect_article_date(text: str, html: str | None = None) -> date | None:
    """The article's publication date from ``html``'s metadata or ``text``; None if unsure."""
    if html:
        found = _from_html(html)
        if found is not None:
            return found
    for pattern in (_PUBLISHED, _UPDATED, _DATELINE):
        for match in pattern.finditer(text):
            found = _from_match(match)
            if found is not None:
                return found
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:12] + lines[12:][-5:]:
        alone = _DATE_LINE.match(line)
        if alone is not None:
            found = _from_match(alone)
            if found is not None:
                return found
    return None


def _from_match(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    try:
        if groups.get("iy"):
            return date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        if groups.get("d1"):
            day, month, year = groups["d1"], groups["m1"], groups["y1"]
        else:
            day, month, year = groups["d2"], groups["m2"], groups["y2"]
        return date(int(year), _MONTHS[month.lower()], int(day))
    except (KeyError, TypeError, ValueError):
        return None


# -- page metadata ------------------------------------------------------------------


class _MetaReader(HTMLParser):
    """Collects ``<meta>`` name/property → content, ``itemprop`` dates and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = values.get("property") or values.get("name") or values.get("itemprop") or ""
            content = values.get("content", "")
            if name and content:
                self.meta.setdefault(name.strip().lower(), content.strip())
        elif values.get("itemprop", "").lower() in ("datepublished", "datemodified"):
            when = values.get("datetime") or values.get("content")
            if when:
                self.meta.setdefault(values["itemprop"].lower(), when.strip())
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in_json_ld = True
            self._buffer = []

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_json_ld:
            self._in_json_ld = False
            self.json_ld.append("".join(self._buffer))


def _from_html(html: str) -> date | None:
    reader = _MetaReader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # noqa: BLE001 - a page too broken to read has no usable metadata
        return None
    objects = [obj for block in reader.json_ld for obj in _json_objects(block)]
    for key, names in (("datePublished", _META_PUBLISHED), ("dateModified", _META_MODIFIED)):
        for obj in objects:
            value = obj.get(key)
            found = parse_date(value) if isinstance(value, str) else None
            if found is not None:
                return found
        for name in names:
            value = reader.meta.get(name)
            found = parse_date(value) if value else None
            if found is not None:
                return found
    return None


def _json_objects(block: str) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD block (top level, lists, ``@graph``), outermost first."""
    try:
        data = json.loads(block)
    except (json.JSONDecodeError, ValueError):
        return
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph)
