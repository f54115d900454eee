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


def test_precision_counts_a_claim_that_states_part_of_a_gold_claim() -> None:
    gold = [
        GoldClaim(
            claim="Brics started in 2009 with four members, added South Africa in 2010 and Egypt in 2024."
        )
    ]
    claims = [
        _claim("Brics started in 2009 with four members.", 0, 39),  # part of the gold claim
        _claim("The weather in Kazan was cold on Monday.", 0, 39),  # no gold claim says this
    ]
    matches, results = match_claims(gold, claims)
    assert not matches[0].found
    assert [r.within_gold for r in results] == [True, False]
    summary = extraction_summary(matches, results)
    assert summary["precision"] == 0.5 and summary["precision_matched"] == 0.0


def _wice(root: Path) -> None:
    """Two WiCE claims in the original files' format: one with sub-claims 0..2 known."""
    import json

    claims_dir = root / "data" / "entailment_retrieval" / "claim"
    subs_dir = root / "data" / "non_supported_tokens"
    claims_dir.mkdir(parents=True)
    subs_dir.mkdir(parents=True)
    base = {"label": "partially_supported", "supporting_sentences": [], "evidence": []}
    context = "Hervey grew up in Colorado."
    rows = [
        {**base, "claim": "Ann Hervey was an actress who appeared in fifty films and won an award.",
         "meta": {"id": "dev1", "claim_context": context}},
        {**base, "claim": "The club was founded in 1901.", "meta": {"id": "dev2", "claim_context": ""}},
    ]  # fmt: skip
    (claims_dir / "dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    sub = {
        **base,
        "claim": "Ann Hervey won an award.",
        "meta": {
            "id": "dev1-2",
            "claim_context": context
            + " Ann Hervey was an actress. Ann Hervey appeared in fifty films.",
        },
    }
    (subs_dir / "dev.jsonl").write_text(json.dumps(sub) + "\n")


def test_wice_subclaims_are_read_back_from_their_contexts(tmp_path: Path) -> None:
    from eval.extraction_sets import load_extraction_set, wice_subclaims

    _wice(tmp_path / "wice")
    (doc,) = wice_subclaims(tmp_path / "wice", "dev")
    assert doc.id == "dev1" and doc.text.startswith("Ann Hervey was an actress who")
    assert [g.claim for g in doc.claims] == [
        "Ann Hervey was an actress.",
        "Ann Hervey appeared in fifty films.",
        "Ann Hervey won an award.",
    ]
    name, docs = load_extraction_set("wice-subclaims:dev", tmp_path)
    assert name == "wice-subclaims-dev" and docs == [doc]


def test_cli_eval_extract_reports_the_figures(tmp_path: Path, capsys) -> None:
    import json

    from ui.cli import main as cli

    _wice(tmp_path / "wice")
    out = tmp_path / "runs"
    args = ["eval", "extract", "wice-subclaims:dev", "--data-dir", str(tmp_path), "--out", str(out)]
    assert cli.main(args) == 0
    (run,) = out.iterdir()
    summary = json.loads((run / "summary.json").read_text())
    assert summary["task"] == "extraction" and summary["documents"] == 1 and summary["gold"] == 3
    assert summary["recall"] == 1.0  # three plain facts in one sentence, each found
    assert {"precision", "gold_per_matched_claim", "unresolved_share"} <= summary.keys()
    assert "recall=1.0" in capsys.readouterr().out
    assert cli.main(["eval", "extract", str(tmp_path / "missing.jsonl")]) != 0
