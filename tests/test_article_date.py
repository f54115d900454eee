"""claims.article_date: the article's own date from its text or its page's metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from claims.article_date import detect_article_date, parse_date

DAY = date(2024, 10, 24)


@pytest.mark.parametrize(
    "text",
    [
        "Putin warns the West\n\nPublished: 24 October 2024, 7:33 PM\n\nThe body.",
        "Putin warns\nPublished on Thursday, Oct. 24, 2024 at 07:33 PM SGT\nThe body.",
        "Putin warns\nFirst published 2024-10-24T19:33:00+08:00\nThe body.",
        # the publication date wins over a later update
        "Putin warns\nUpdated Oct 25, 2024 at 10:00 a.m. EDT\nPublished Oct 24, 2024\nBody.",
        "WASHINGTON, Oct 24, 2024 (Reuters) - The body starts here.",
        "Title\n\nLONDON (Reuters), 24 October 2024 — The body starts here.",
        "Title\n\nKAZAN, Russia, 24th October 2024 – The body starts here.",
        "Putin warns\nThursday, 24 October 2024\nThe bridge reopened on 3 May 2021.",
        "Putin warns\nBy World Desk\nOctober 24, 2024 07:33 pm\nBody.",
    ],
)
def test_dates_in_the_text(text):
    assert detect_article_date(text) == DAY


def test_an_update_line_when_there_is_no_publication_line():
    assert detect_article_date("Title\nLast updated: 25 Oct 2024\nBody.") == date(2024, 10, 25)


@pytest.mark.parametrize(
    "text",
    [
        # a date in the body is not the article's date
        "The harbour bridge reopened on 3 May 2021, the council said.",
        "The report, published on 3 May 2021, said otherwise.",
        # a dateline without its year: not certain
        "KAZAN, Russia – Russian President Vladimir Putin warned on Oct 24 against it.",
        # ambiguous numeric orders are not read
        "Title\n10/11/2024\nBody.",
        "Title\nPublished 31 February 2024\nBody.",  # no such day
        "",
    ],
)
def test_no_date_when_unsure(text):
    assert detect_article_date(text) is None


def test_the_example_article_carries_no_full_date_of_its_own():
    example = Path(__file__).resolve().parents[2] / "shared" / "examples" / "brics-summit-kazan.txt"
    if not example.exists():
        pytest.skip("the shared example article is not beside this checkout")
    assert detect_article_date(example.read_text(encoding="utf-8")) is None


JSON_LD = """<html><head><title>x</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "name": "x"},
  {"@type": "NewsArticle", "dateModified": "2024-10-26T01:00:00Z",
   "datePublished": "2024-10-24T08:00:00+00:00"}]}
</script>
<meta property="article:published_time" content="2024-10-20T08:00:00Z">
</head><body><p>Published 1 January 2020</p></body></html>"""


def test_page_metadata_first_json_ld_before_meta_tags():
    assert detect_article_date("Published 1 January 2020\nBody.", JSON_LD) == DAY


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<meta property="article:published_time" content="2024-10-24T08:00:00Z">', DAY),
        ('<meta name="pubdate" content="2024-10-24">', DAY),
        ('<meta name="DC.date.issued" content="2024/10/24">', DAY),
        ('<time itemprop="datePublished" datetime="2024-10-24T08:00">24 Oct</time>', DAY),
        (
            '<script type="application/ld+json">[{"datePublished": "October 24, 2024"}]</script>',
            DAY,
        ),
        # only a modification date: still the latest the article can be from
        ('<meta property="article:modified_time" content="2024-10-26">', date(2024, 10, 26)),
    ],
)
def test_meta_tags(html, expected):
    assert detect_article_date("no date here", html) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<script type="application/ld+json">{not json</script>',
        '<meta property="article:published_time" content="soon">',
        "<html><body><p>24 October 2024</p>",  # a date in the page body is not metadata
    ],
)
def test_broken_or_missing_metadata_falls_back_to_the_text(html):
    assert detect_article_date("Title\nPublished 23 Oct 2024\nBody.", html) == date(2024, 10, 23)
    assert detect_article_date("The bridge reopened on 3 May 2021.", html) is None


def test_parse_date_forms():
    assert parse_date("2024-10-24T08:00:00+00:00") == DAY
    assert parse_date("Thu, 24 Oct 2024 08:00:00 GMT") == DAY
    assert parse_date("Sept 24, 2024") == date(2024, 9, 24)
    assert parse_date("tomorrow") is None
