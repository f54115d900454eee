"""Extraction against gold claims: the matching rule, the summary, person-added claims."""

from __future__ import annotations

from pathlib import Path

from claims.manual import WithPersonClaims, person_claim
from claims.models import Article, Claim, Extraction, Span
from eval.extraction import (
    GoldClaim,
    GoldSpan,
    content_lemmas,
    extraction_summary,
    has_unresolved_reference,
    match_claims,
    read_extraction_set,
)

TEXT = (
    "Brics started in 2009 with four members. It later added South Africa, and Egypt joined "
    "in 2024. He said the group would grow."
)


def _claim(text: str, start: int, end: int, **fields) -> Claim:
    span = Span.of(TEXT, start, end)
    return Claim(id=f"c{start}", text=text, span=span, sentence=span, checkworthiness=0.9, **fields)


def test_content_lemmas_keep_numbers_and_drop_stop_words() -> None:
    lemmas = content_lemmas("Brics started in 2009 with four members.")
    assert {"start", "2009", "four", "member"} <= lemmas
    assert content_lemmas("Brics") <= lemmas  # lemmatised alike on both sides
    assert "with" not in lemmas and "in" not in lemmas


def test_a_gold_claim_is_found_only_on_its_sentence_with_most_of_its_words() -> None:
    second = TEXT.index("It later")
    gold = [
        GoldClaim(
            claim="Brics started in 2009 with four members.", anchor=GoldSpan(start=0, end=39)
        ),
        GoldClaim(
            claim="Egypt joined Brics in 2024.", anchor=GoldSpan(start=second, end=second + 20)
        ),
    ]
    claims = [
        _claim("Brics started in 2009 with four members.", 0, 39),
        # the right words, but resting on another sentence: not a match
        _claim("Egypt joined Brics in 2024.", 0, 39),
    ]
    matches, results = match_claims(gold, claims)
    assert [m.found for m in matches] == [True, False]
    assert [r.gold_covered for r in results] == [1, 0]
    summary = extraction_summary(matches, results)
    assert summary["recall"] == 0.5 and summary["precision_matched"] == 0.5


def test_without_anchors_any_claim_may_match() -> None:
    gold = [GoldClaim(claim="Egypt joined Brics in 2024.")]
    matches, _ = match_claims(gold, [_claim("Egypt joined Brics in 2024.", 0, 39)])
    assert matches[0].found and matches[0].coverage == 1.0


def test_unresolved_reference_pattern() -> None:
    assert has_unresolved_reference("He said the group would grow.")
    assert has_unresolved_reference("The two men met in Moscow.")
    assert not has_unresolved_reference("Vladimir Putin said his allies agreed.")
    assert not has_unresolved_reference("Mr Haq said «He will continue to monitor»")
    assert not has_unresolved_reference("Guterres would use the meeting with Putin.")


def test_extraction_set_reader(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "text": "Egypt joined Brics in 2024.", "claims": [{"claim": "Egypt joined Brics."}]}\n',
        encoding="utf-8",
    )
    (doc,) = read_extraction_set(path)
    assert doc.claims[0].claim == "Egypt joined Brics." and doc.claims[0].anchor is None


class _OneClaim:
    name = "one"

    def extract(self, article: Article) -> Extraction:
        return Extraction(claims=[_claim("Brics started in 2009.", 0, 39)])


def test_person_claims_are_added_and_marked() -> None:
    article = Article(text=TEXT)
    extraction = WithPersonClaims(
        _OneClaim(), ["Egypt joined in 2024", "Brics has 40 members."]
    ).extract(article)
    found, picked, typed = extraction.claims
    assert found.added_by == "extractor"
    assert picked.added_by == typed.added_by == "person"
    assert picked.text == "Egypt joined in 2024." and picked.span.is_in(TEXT)
    assert picked.sentence.text.startswith("It later added South Africa")
    assert typed.span.text == "" and typed.checkworthiness == 1.0
    assert person_claim(article, "Egypt joined in 2024").id == picked.id


class _Failing:
    name = "failing"

    def extract(self, article: Article) -> Extraction:
        raise RuntimeError("model file missing")


def test_evaluate_extraction_over_documents_records_failures() -> None:
    from eval.extraction import ExtractionDocument, evaluate_extraction, summarise_documents

    docs = [
        ExtractionDocument(
            id="d1", text=TEXT, date="2024-10-24",
            claims=[GoldClaim(claim="Brics started in 2009.", anchor=GoldSpan(start=0, end=39))],
        )
    ]  # fmt: skip
    ok = evaluate_extraction(docs, _OneClaim())
    assert ok[0].gold[0].found and ok[0].error is None
    failed = evaluate_extraction(docs, _Failing())
    assert failed[0].error is not None and failed[0].error.error == "RuntimeError"
    summary = summarise_documents(failed)
    assert summary["recall"] == 0.0 and summary["failed"] == 1
