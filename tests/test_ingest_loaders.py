"""Loaders: every supported format, folders, and each way a file can be unusable."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from claims.errors import InputError, UnsupportedFileError
from retrieval.loaders import load_file, load_html, load_paths

ARTICLE_HTML = """<!doctype html><html><head><title>Kazan summit - News</title>
<meta name="date" content="2024-10-22"></head><body>
<nav>Home | World | Sport</nav>
<article><h1>Kazan summit</h1>
<p>The 2024 Brics summit was held in the Russian city of Kazan. It was attended by leaders
from many countries, including the presidents of China and India and the prime minister of Ethiopia.</p>
<p>Russia's lower house of parliament voted unanimously to ratify a defence pact with North Korea.</p>
</article><footer>Copyright news site</footer>
<script>var tracking = "do not index me";</script></body></html>"""


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose page shows ``text`` in Helvetica (byte offsets computed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_text_file_uses_its_resolved_path_as_source_and_name_as_title(tmp_path):
    path = tmp_path / "brics.txt"
    path.write_text("Brics began in 2009.", encoding="utf-8")
    [document] = load_file(path)
    assert document.text == "Brics began in 2009."
    assert document.source == str(path.resolve()) == document.id
    assert document.title == "brics"


def test_utf8_with_bom_is_read_without_the_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffCafé crème.".encode())
    assert load_file(path)[0].text == "Café crème."


def test_markdown_title_comes_from_its_first_heading(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "Intro line.\n\n## Kazan summit ##\n\nThe summit was held in Kazan.", encoding="utf-8"
    )
    [document] = load_file(path)
    assert document.title == "Kazan summit"
    assert "The summit was held in Kazan." in document.text


def test_html_main_text_title_and_date(tmp_path):
    path = tmp_path / "kazan.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    [document] = load_file(path)
    assert "held in the Russian city of Kazan" in document.text
    assert "voted unanimously" in document.text
    assert "tracking" not in document.text and "Home | World" not in document.text
    assert document.title == "Kazan summit"
    assert document.published == date(2024, 10, 22)
    assert "\n\n" in document.text  # paragraphs stay separate blocks for the chunker


def test_broken_or_tiny_html_falls_back_to_visible_text():
    broken = (
        "<html><body><div><p>Unclosed <b>bold text about Kazan &amp; Brics<div><script>x=1</script>"
    )
    document = load_html(broken, source="/s/broken.html", fallback_title="broken")
    assert "Kazan & Brics" in document.text and "x=1" not in document.text
    assert document.title == "broken"
    assert load_html("<<<>>> not really html", source="/s/x.htm").text.strip()
    assert load_html("", source="/s/empty.html").text == ""


def test_pdf_text_is_extracted(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(minimal_pdf("Brics began in 2009 with four members."))
    [document] = load_file(path)
    assert "Brics began in 2009 with four members." in document.text
    assert document.title == "report"


def test_corrupt_pdf_is_an_unsupported_file(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(UnsupportedFileError, match="broken.pdf"):
        load_file(path)


def test_jsonl_gives_one_document_per_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        {
            "id": "n1",
            "title": "Brics",
            "text": "Brics began in 2009.",
            "url": "https://example.org/1",
            "published": "2009-06-16",
        },
        {"text": "Kazan is on the Volga.", "published": "2024-10-22T08:00:00Z"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = load_file(path)
    assert (first.id, first.title, first.url, first.published) == (
        "n1",
        "Brics",
        "https://example.org/1",
        date(2009, 6, 16),
    )
    assert second.id.endswith("#2") and second.published == date(2024, 10, 22)
    assert first.source == second.source == str(path.resolve())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: invalid JSON"),
        ('{"title": "no text"}', "line 1: expected"),
        ('{"text": "x", "published": "soon"}', "ISO date"),
    ],
)
def test_bad_jsonl_lines_name_the_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line, encoding="utf-8")
    with pytest.raises(UnsupportedFileError, match=message):
        load_file(path)


def test_binary_file_is_rejected_clearly(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(UnsupportedFileError, match="binary"):
        load_file(path)


def test_non_utf8_file_is_rejected_clearly(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café crème coûte 3 euros.".encode("latin-1"))
    with pytest.raises(UnsupportedFileError, match="not UTF-8.*0xe9"):
        load_file(path)


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nope.txt"):
        load_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="nope"):
        load_paths([tmp_path / "nope"])


def test_unknown_suffix_named_explicitly_is_unsupported(tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFileError, match="unsupported file type '.xlsx'"):
        load_file(path)


def test_folder_is_walked_recursively_and_bad_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Alpha.", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("# Beta\n\nBeta text.", encoding="utf-8")
    (tmp_path / "sub" / "c.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "sub" / "d.txt").write_bytes("é".encode("latin-1"))
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "e.txt").write_text("Hidden.", encoding="utf-8")
    documents, skipped = load_paths([tmp_path])
    assert sorted(Path(d.source).name for d in documents) == ["a.txt", "b.md"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert set(reasons) == {"c.png", "d.txt"}
    assert "unsupported type" in reasons["c.png"] and "not UTF-8" in reasons["d.txt"]


def test_a_bad_file_named_explicitly_fails_the_whole_load(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Good.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    with pytest.raises(UnsupportedFileError, match="bad.txt"):
        load_paths([good, bad])
