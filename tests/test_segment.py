from __future__ import annotations

import pytest

from claims import segment as seg
from claims.segment import segment, sentences


def _assert_exact(text: str, pieces) -> None:
    for p in pieces:
        assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip()


def test_spans_are_exact_and_in_order() -> None:
    text = "  Mr. Smith went to Washington on Jan. 5.  He met 3 senators.\nThey talked. "
    pieces = segment(text)
    _assert_exact(text, pieces)
    assert [p.text for p in pieces] == [
        "Mr. Smith went to Washington on Jan. 5.",
        "He met 3 senators.",
        "They talked.",
    ]
    assert [p.start for p in pieces] == sorted(p.start for p in pieces)


def test_curly_quotes_stay_inside_one_sentence() -> None:
    text = "“We will win. They will lose,” the mayor said. Turnout was 40%."
    pieces = sentences(text)
    _assert_exact(text, pieces)
    assert [p.text for p in pieces] == [
        "“We will win. They will lose,” the mayor said.",
        "Turnout was 40%.",
    ]


def test_sentence_broken_over_blank_lines_is_joined() -> None:
    text = "Mr Putin spoke at a forum Moscow hopes will\n\nhelp forge a united front.\n\nNext one."
    pieces = sentences(text)
    _assert_exact(text, pieces)
    assert (
        pieces[0].text
        == "Mr Putin spoke at a forum Moscow hopes will\n\nhelp forge a united front."
    )
    assert pieces[1].text == "Next one."


def test_opening_quote_after_line_break_continues_sentence() -> None:
    text = "The United States said it believed\n\n“thousands” of soldiers were being trained."
    assert [p.text for p in sentences(text)] == [text]


def test_headings_credits_and_captions_are_not_sentences() -> None:
    text = (
        "Putin warns against ‘illusory’ attempts\n\n"
        "Sign up now: Get ST's newsletters delivered to your inbox\n\n"
        "The leader arrived in Kazan on Oct 24.\n\n"
        "PHOTO: EPA-EFE\n\n"
        "Follow topic:\n\n"
        "KAZAN – The summit opened on Tuesday with 20 leaders.\n\n"
        "See more on"
    )
    pieces = segment(text)
    _assert_exact(text, pieces)
    kinds = {p.text: p.kind for p in pieces}
    assert kinds["Putin warns against ‘illusory’ attempts"] == "heading"
    assert kinds["Sign up now: Get ST's newsletters delivered to your inbox"] == "boilerplate"
    assert kinds["The leader arrived in Kazan on Oct 24."] == "caption"
    assert kinds["PHOTO: EPA-EFE"] == "boilerplate"
    assert kinds["Follow topic:"] == "boilerplate"
    assert kinds["See more on"] == "boilerplate"
    assert [p.text for p in sentences(text)] == [
        "KAZAN – The summit opened on Tuesday with 20 leaders."
    ]


def test_hard_wrapped_prose_is_one_sentence() -> None:
    text = (
        "The committee approved the budget after a long debate that lasted\n"
        "well into the night, officials said on Friday.\n"
    )
    assert len(sentences(text)) == 1


def test_fallback_splitter_keeps_exact_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seg, "PYSBD_MAX_CHARS", 10)
    text = "Mr. Jones paid $5.50 for it. The U.S. team won 3-1! Did they? Yes, on Jan. 4 they did."
    pieces = segment(text)
    _assert_exact(text, pieces)
    assert [p.text for p in pieces] == [
        "Mr. Jones paid $5.50 for it.",
        "The U.S. team won 3-1!",
        "Did they?",
        "Yes, on Jan. 4 they did.",
    ]


def test_empty_and_whitespace_give_nothing() -> None:
    assert segment("") == []
    assert segment(" \n\n\t ") == []


def test_huge_text_completes_with_exact_spans() -> None:
    paragraph = "The council approved 12 new schools in 2023. Critics said it cost $4 million.\n\n"
    text = paragraph * 70_000  # ~5.6 MB
    pieces = segment(text)
    assert len(pieces) == 140_000
    _assert_exact(text, pieces[:50] + pieces[-50:])


def test_non_english_text_does_not_crash() -> None:
    text = "Der Bundestag hat am Donnerstag abgestimmt. 这是一个测试。 Это тест."
    pieces = segment(text)
    _assert_exact(text, pieces)
    assert pieces
