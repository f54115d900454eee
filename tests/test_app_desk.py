"""The desk's pure parts: review-first order, moving on, and tying a typed claim to the text."""

from __future__ import annotations

from claims.models import (
    Claim,
    ClaimResult,
    CrossCheck,
    Evidence,
    Failure,
    Label,
    Passage,
    Span,
    Verdict,
)
from ui.app.views.desk import claim_from_text, next_claim, review_first

TEXT = "Alpha rose 5% in May. Beta fell sharply. Gamma stayed flat."


def result(label: Label | None, confidence: float = 0.9, *, evidence=True, disagrees=False):
    claim = Claim(
        id="c", text="Alpha rose.", span=Span.of(TEXT, 0, 5), sentence=Span.of(TEXT, 0, 21),
        checkworthiness=0.5,
    )  # fmt: skip
    passage = Passage(id="p", doc_id="d", text="Alpha rose.", source="s")
    found = [Evidence(passage=passage, score=1.0, rank=1)] if evidence else []
    if label is None:
        return ClaimResult(claim=claim, failure=Failure(stage="verify", error="E", message="x"))
    check = None
    if disagrees:
        check = CrossCheck(verifier="nli", label=Label.REFUTED, confidence=0.9, agrees=False)
    verdict = Verdict(label=label, confidence=confidence, verifier="v", cross_check=check)
    return ClaimResult(claim=claim, evidence=found, verdict=verdict)


def test_review_first_puts_what_needs_a_look_first():
    numbered = [
        (1, result(Label.SUPPORTED)),  # the rest
        (2, result(Label.NOT_ENOUGH_INFO, evidence=False)),  # no evidence
        (3, result(Label.SUPPORTED, 0.3)),  # low confidence
        (4, result(None)),  # failed
        (5, result(Label.SUPPORTED, disagrees=True)),  # cross-check disagrees
        (6, result(Label.CONFLICTING)),
        (7, result(Label.REFUTED)),
        (8, result(Label.REFUTED, 0.2)),  # refuted, however confident, before the rest
    ]
    assert [n for n, _ in review_first(numbered)] == [7, 8, 6, 5, 4, 3, 2, 1]


def test_next_claim_skips_reviewed_ones_and_wraps():
    order = [7, 3, 5, 1]
    assert next_claim(order, 7, done={3}) == 5
    assert next_claim(order, 1, done=set()) == 7  # wraps
    assert next_claim(order, 3, done=set(), step=-1) == 7
    assert next_claim(order, 5, done={7, 3, 5, 1}) is None  # all reviewed
    assert next_claim([], None, done=set()) is None


def test_a_typed_claim_points_at_its_words_its_sentence_or_the_whole_text():
    exact = claim_from_text(TEXT, "beta fell  sharply", "added-1")
    assert exact.span.text == "Beta fell sharply" and exact.sentence.text == "Beta fell sharply."
    reworded = claim_from_text(TEXT, "Gamma was flat", "added-2")
    assert reworded.span.text == "Gamma stayed flat." == reworded.sentence.text
    unrelated = claim_from_text(TEXT, "Delta doubled its profits", "added-3")
    assert unrelated.span.text == TEXT and unrelated.text == "Delta doubled its profits"
    assert all(c.span.is_in(TEXT) for c in (exact, reworded, unrelated))
