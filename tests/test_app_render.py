"""Escaping and highlighting of untrusted text in ui/app/render.py."""

import re

from claims.models import Citation, Evidence, Passage, Span
from ui.app.render import (
    DISMISSED,
    FAILED,
    STYLES,
    Highlight,
    citation_passage,
    evidence_passage,
    highlight_article,
    md_escape,
    passage_with_sentence,
    safe_link,
)

XSS = 'Hello <script>alert("x")</script> and <img src=x onerror="alert(1)"> end.'


def visible_text(markup: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup.replace("<br>", "\n")))


def test_article_html_escapes_every_tag_and_keeps_the_text():
    markup = highlight_article(XSS, [Highlight(0, 5, "SUPPORTED", 1, 'tip "<b>"')])
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup
    assert 'title="tip &quot;&lt;b&gt;&quot;"' in markup
    assert visible_text(markup) == XSS[:5] + "[1]" + XSS[5:]


def test_highlights_colour_each_span_including_failed_and_overlaps():
    text = "Alpha rose 5%. Beta fell. Gamma stayed."
    marks = [
        Highlight(0, 14, "REFUTED", 1, "one"),
        Highlight(6, 14, FAILED, 2, "two"),
        Highlight(26, 39, DISMISSED, 3, "three"),
    ]
    markup = highlight_article(text, marks)
    assert STYLES["REFUTED"].background in markup
    assert "one | two" in markup  # the overlapped piece names both claims
    assert "line-through" in markup  # dismissed claims are struck through
    assert markup.count("<sup") == 2  # claims 1 and 2 end together: one marker "[1,2]"
    assert visible_text(markup) == "Alpha rose 5%.[1,2] Beta fell. Gamma stayed.[3]"
    assert "\n" not in markup  # one line: markdown cannot reinterpret it


def test_newlines_become_breaks_and_empty_highlight_list():
    markup = highlight_article("a\n\nb", [])
    assert markup.count("<br>") == 2 and "\n" not in markup


def test_passage_highlights_the_quoted_sentence_escaped():
    text = "First <b>one</b>. The quoted one. Last."
    markup = passage_with_sentence(text, 18, 33, "refutes")
    assert "<mark" in markup and "The quoted one.</mark>" in markup
    assert "&lt;b&gt;one&lt;/b&gt;" in markup and "<b>" not in markup
    assert STYLES["REFUTED"].background in markup


def test_citation_located_by_offsets_or_by_text():
    text = "Intro here. Brics was founded in 2009. More."
    passage = Passage(id="p", doc_id="d", text=text, source="s", sentences=[Span.of(text, 12, 38)])
    evidence = [Evidence(passage=passage, score=1.0, rank=1, best_sentences=[0])]
    good = Citation(
        passage_id="p",
        sentence_index=0,
        start=12,
        end=38,
        text="Brics was founded in 2009.",
        stance="supports",
    )
    shifted = good.model_copy(update={"start": 0, "end": 26})
    for citation in (good, shifted):
        assert "Brics was founded in 2009.</mark>" in citation_passage(citation, evidence)
    missing = good.model_copy(update={"passage_id": "gone"})
    assert citation_passage(missing, evidence).count("Brics") == 1
    assert "Brics was founded in 2009.</mark>" in evidence_passage(evidence[0])


def test_links_only_for_http_and_escaped():
    assert safe_link("javascript:alert(1)", "<x>") == "&lt;x&gt;"
    link = safe_link('https://a.example/?q="x"', "<t>")
    assert 'href="https://a.example/?q=&quot;x&quot;"' in link and "&lt;t&gt;" in link
    assert 'rel="noopener noreferrer nofollow"' in link


def test_markdown_escape_defuses_links_images_and_html():
    out = md_escape("![img](http://e/x.png) [a](javascript:x) <b>*bold*</b> $x$")
    assert "<b>" not in out and "\\[" in out and "\\*" in out and "\\$" in out


def test_figure_carries_its_caption_as_alt_text_escaped():
    from ui.app.render import figure

    markup = figure(b"\x89PNG fake", 'A: <b>"f1".png</b>')
    assert 'alt="A: &lt;b&gt;&quot;f1&quot;.png&lt;/b&gt;"' in markup
    assert "data:image/png;base64,iVBORyBmYWtl" in markup and "<b>" not in markup
