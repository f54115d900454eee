from claims.models import Label
from claims.verify_baseline import BaselineVerifier, mismatch_reason
from tests.fakes import FakeEmbedder, make_claim, make_evidence


def verdict(claim: str, evidence: list[str]):
    verifier = BaselineVerifier(FakeEmbedder(), related=0.4, supported=0.7)
    items = [make_evidence(t, pid=f"p{i}", rank=i + 1) for i, t in enumerate(evidence)]
    return verifier.verify(make_claim(claim), items)


def test_no_evidence_is_not_enough_info():
    v = verdict("Brics began in 2009 with four members.", [])
    assert v.label is Label.NOT_ENOUGH_INFO and not v.citations
    assert v.verifier == "baseline-similarity-rules" and "Baseline" in v.rationale


def test_matching_sentence_supports_and_is_cited_exactly():
    v = verdict(
        "Brics began in 2009 with four members.",
        ["Unrelated words about the weather today. Brics began in 2009 with four members."],
    )
    assert v.label is Label.SUPPORTED
    (c,) = v.citations
    assert c.text == "Brics began in 2009 with four members." and c.stance == "supports"
    assert c.passage_id == "p0" and c.sentence_index == 1


def test_year_mismatch_refutes():
    v = verdict(
        "Brics began in 2009 with four members.", ["Brics began in 2011 with four members."]
    )
    assert v.label is Label.REFUTED and "2009" in v.rationale


def test_unrelated_evidence_is_not_enough_info():
    v = verdict("Brics began in 2009 with four members.", ["Cats sleep most of the afternoon."])
    assert v.label is Label.NOT_ENOUGH_INFO


def test_mismatch_rules():
    assert mismatch_reason("Sales rose 5 percent.", "Sales rose 7 percent.")
    assert mismatch_reason("It was founded with four members.", "It was founded with five members.")
    assert mismatch_reason("The vote was unanimous.", "The vote was not unanimous.")
    assert mismatch_reason("Sales rose 5 percent in 2020.", "In 2020 sales rose 5 percent.") is None
