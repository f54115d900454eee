"""Turning uploads and web pages into articles (ui/app/inputs.py)."""

import pytest

from claims.errors import InputError, UnsupportedFileError
from ui.app.inputs import (
    MAX_UPLOAD_BYTES,
    article_from_text,
    article_from_upload,
    article_from_url,
    safe_name,
)

PAGE = """<html><head><title>Summit report</title></head><body>
<nav>Home | World</nav><article><h1>Summit report</h1>
<p>Brics was founded in 2009 with four members. South Africa joined in 2010.</p>
<p>The group met in Kazan in October 2024 for its sixteenth summit.</p></article>
<script>alert(1)</script></body></html>"""


def test_pasted_text_takes_its_first_short_line_as_title():
    assert article_from_text("Headline here\n\nBody text.").title == "Headline here"
    assert article_from_text("x" * 300).title == "x" * 79 + "…"
    assert article_from_text("  \n ").title is None
    assert article_from_text("Body.", title=" Mine ").title == "Mine"


def test_uploaded_text_markdown_and_html():
    txt = article_from_upload("notes.txt", b"Brics was founded in 2009.")
    assert txt.text == "Brics was founded in 2009." and txt.source == "notes.txt"
    md = article_from_upload("story.md", b"# The story\n\nIt happened in 2010.")
    assert md.title == "The story" and "2010" in md.text
    html = article_from_upload("page.html", PAGE.encode())
    assert "founded in 2009" in html.text and "alert" not in html.text
    assert html.title == "Summit report"


def test_bad_uploads_are_input_errors():
    with pytest.raises(UnsupportedFileError, match="unsupported file type"):
        article_from_upload("tool.exe", b"MZ")
    with pytest.raises(UnsupportedFileError, match="UTF-8"):
        article_from_upload("latin1.txt", "café".encode("latin-1"))
    with pytest.raises(InputError, match="larger than"):
        article_from_upload("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))


def test_url_article_uses_the_page_main_text():
    article = article_from_url("https://news.example/summit", fetch=lambda url: PAGE)
    assert article.source == "https://news.example/summit"
    assert "sixteenth summit" in article.text and "Home | World" not in article.text


def test_url_problems_say_what_to_do():
    with pytest.raises(InputError, match="not an http"):
        article_from_url("file:///etc/passwd", fetch=lambda url: PAGE)
    with pytest.raises(InputError, match="no network access"):
        article_from_url("https://news.example/x", fetch=lambda url: None)

    def refuse(url):
        raise ConnectionError("refused")

    with pytest.raises(InputError, match=r"ConnectionError.*Paste the text"):
        article_from_url("https://news.example/x", fetch=refuse)


def test_safe_names_drop_folders_and_odd_characters():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\me\\report final.pdf") == "report final.pdf"
    assert safe_name("a<b>|c.txt") == "a_b__c.txt"
    assert safe_name("..") == "upload"


def test_the_default_fetcher_refuses_private_addresses():
    # no fake fetch: the app's own fetcher checks the address before connecting
    for url in ("http://127.0.0.1:9/article", "http://10.0.0.7/article", "http://[::1]/x"):
        with pytest.raises(InputError, match="non-public address"):
            article_from_url(url)
