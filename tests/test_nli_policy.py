"""The cautious decision policy (claims.nli.policy), on hand-made readings: no model."""

from __future__ import annotations

import pytest

from claims.models import Label
from claims.nli.policy import Conflict, Policy, Reading, decide


def reading(
    e: float,
    c: float,
    *,
    doc: str = "d1",
    sentences: tuple[tuple[str, int], ...] = (("p1", 0),),
    **fields: object,
) -> Reading:
    return Reading(probs=(e, c, round(1 - e - c, 6)), doc=doc, sentences=sentences, **fields)  # type: ignore[arg-type]


NUMBER = Conflict("number", "2,000 people", "15,000 people", same_predicate=True)


def test_an_aligned_covering_entailment_supports():
    decision = decide([reading(0.9, 0.05)])
    assert decision.label is Label.SUPPORTED
    assert decision.stances == ["supports"]


def test_a_sentence_not_about_the_claim_never_supports_and_is_context():
    decision = decide([reading(0.95, 0.0, about=False)])
    assert decision.label is Label.NOT_ENOUGH_INFO
    assert decision.stances == ["neutral"]


def test_partial_evidence_that_misses_a_detail_does_not_support():
    assert decide([reading(0.9, 0.05, covers=False)]).label is Label.NOT_ENOUGH_INFO


def test_a_heading_is_never_evidence():
    decision = decide([reading(0.95, 0.0, is_sentence=False)])
    assert decision.label is Label.NOT_ENOUGH_INFO
    assert decision.rows == []


def test_a_weak_contradiction_without_a_specific_conflict_is_not_a_refutation():
    decision = decide([reading(0.1, 0.6)])
    assert decision.label is Label.NOT_ENOUGH_INFO


def test_a_number_conflict_on_the_same_predicate_refutes_whatever_the_model_says():
    decision = decide([reading(0.4, 0.1, conflict=NUMBER)])
    assert decision.label is Label.REFUTED
    assert decision.stances == ["refutes"]


def test_a_number_conflict_on_another_predicate_is_another_fact():
    loose = Conflict("number", "2,000 people", "300 people", same_predicate=False)
    assert decide([reading(0.7, 0.2, conflict=loose)]).label is Label.NOT_ENOUGH_INFO
    assert decide([reading(0.2, 0.7, conflict=loose)]).label is Label.NOT_ENOUGH_INFO


def test_a_conflict_in_a_sentence_not_about_the_claim_is_ignored():
    decision = decide([reading(0.6, 0.3, conflict=NUMBER, about=False)])
    assert decision.label is Label.NOT_ENOUGH_INFO


def test_another_name_refutes_only_with_a_high_contradiction_but_another_place_does():
    rival = Conflict("entity", "Xi Jinping", "Putin", same_predicate=True)
    assert decide([reading(0.2, 0.7, conflict=rival)]).label is Label.NOT_ENOUGH_INFO
    assert decide([reading(0.05, 0.9, conflict=rival)]).label is Label.REFUTED
    place = Conflict("place", "Moscow", "Kazan", same_predicate=True)
    assert decide([reading(0.7, 0.2, conflict=place)]).label is Label.REFUTED


def test_a_date_conflict_counts_only_on_the_claims_event():
    other_event = Conflict("date", "2022", "2024", same_predicate=False)
    assert decide([reading(0.2, 0.7, conflict=other_event)]).label is Label.NOT_ENOUGH_INFO
    same_event = Conflict("date", "2009", "2010", same_predicate=True)
    assert decide([reading(0.6, 0.3, conflict=same_event)]).label is Label.REFUTED


def test_a_high_contradiction_refutes_only_if_it_holds_with_its_neighbour():
    single = reading(0.02, 0.95, sentences=(("p1", 3),))
    holds = reading(0.02, 0.9, sentences=(("p1", 3), ("p1", 4)), consecutive=True)
    fades = reading(0.4, 0.3, sentences=(("p1", 3), ("p1", 4)), consecutive=True)
    assert decide([single, holds]).label is Label.REFUTED
    assert decide([single, fades]).label is Label.NOT_ENOUGH_INFO


def test_a_high_contradiction_of_figures_the_checks_found_loosely_met_is_no_refutation():
    # "Officials said 12 people were killed in the blast" against "At least 10 people
    # were killed in the blast": the bound is met, the model reads another number
    met = reading(0.02, 0.97, sentences=(("p1", 3),), figures_met=True)
    decision = decide([met])
    assert decision.label is Label.NOT_ENOUGH_INFO
    assert decision.stances == ["neutral"]
    # without such figures the same contradiction refutes ("is Canadian" against "is
    # an American actress"), and a specific conflict refutes whatever the figures
    assert decide([reading(0.02, 0.97)]).label is Label.REFUTED
    assert decide([reading(0.02, 0.97, figures_met=True, conflict=NUMBER)]).label is Label.REFUTED


def test_a_high_contradiction_on_another_predicate_is_not_a_refutation():
    # "Putin has not commented on the reports" vs "North Korea plans to send 12,000 troops"
    other_fact = reading(0.02, 0.95, sentences=(("p1", 3),), same_predicate=False)
    assert decide([other_fact]).label is Label.NOT_ENOUGH_INFO


def test_a_high_contradiction_about_another_event_is_not_a_refutation():
    # "CHEK2 is not associated with breast cancer" vs "having no involution was
    # associated with a higher risk of breast cancer": not the claim's subject
    other_event = reading(0.02, 0.95, sentences=(("p1", 3),), instance=False)
    assert decide([other_event]).label is Label.NOT_ENOUGH_INFO
    # a specific conflict is judged by the alignment, not by this flag
    conflicting = reading(0.3, 0.5, sentences=(("p1", 3),), instance=False, conflict=NUMBER)
    assert decide([conflicting]).label is Label.REFUTED


def test_one_sentence_never_counts_both_ways():
    refuting = reading(0.3, 0.6, conflict=NUMBER, sentences=(("p1", 0),))
    window = reading(0.9, 0.0, sentences=(("p1", 0), ("p1", 1)), consecutive=True)
    decision = decide([refuting, window])
    assert decision.label is Label.REFUTED
    assert decision.stances == ["refutes"]


def test_confident_support_and_refutation_from_different_documents_conflict():
    support = reading(0.92, 0.02, doc="a", sentences=(("pa", 0),))
    refute = reading(0.6, 0.3, doc="b", sentences=(("pb", 0),), conflict=NUMBER)
    decision = decide([support, refute])
    assert decision.label is Label.CONFLICTING
    assert decision.stances == ["supports", "refutes"]


def test_support_and_refutation_in_one_document_are_not_conflicting():
    support = reading(0.92, 0.02, doc="a", sentences=(("pa", 0),))
    refute = reading(0.6, 0.3, doc="a", sentences=(("pa", 1),), conflict=NUMBER)
    assert decide([support, refute]).label is not Label.CONFLICTING


def test_evidence_both_ways_without_a_clear_side_is_not_enough_info():
    support = reading(0.6, 0.05, doc="a", sentences=(("pa", 0),))
    refute = reading(0.3, 0.3, doc="b", sentences=(("pb", 0),), conflict=NUMBER)
    decision = decide([support, refute])
    assert decision.label is Label.NOT_ENOUGH_INFO
    assert decision.ambiguous and decision.stances == ["neutral", "neutral"]


def test_a_clearly_stronger_side_wins_alone():
    support = reading(0.99, 0.02, doc="a", sentences=(("pa", 0),))
    refute = reading(0.1, 0.6, doc="a", sentences=(("pa", 1),), conflict=NUMBER)
    assert decide([support, refute]).label is Label.SUPPORTED


def test_support_needs_the_threshold_from_the_calibration():
    assert decide([reading(0.45, 0.05)], Policy(decide=0.5)).label is Label.NOT_ENOUGH_INFO
    assert decide([reading(0.45, 0.05)], Policy(decide=0.4)).label is Label.SUPPORTED


def test_not_enough_info_cites_the_closest_sentences_as_context():
    far = reading(0.1, 0.1, sentences=(("p1", 0),), about=False, relevance=0.1)
    near = reading(0.3, 0.1, sentences=(("p1", 1),), relevance=0.8)
    window = reading(0.3, 0.1, sentences=(("p1", 0), ("p1", 1)), consecutive=True)
    decision = decide([window, far, near])
    assert decision.label is Label.NOT_ENOUGH_INFO
    assert decision.rows == [2, 1]
    assert decision.stances == ["neutral", "neutral"]


def test_citations_are_bounded_strongest_first_and_distinct():
    rows = [reading(0.6 + i * 0.05, 0.0, sentences=(("p1", i),)) for i in range(6)]
    decision = decide(rows, Policy(max_citations=3))
    assert decision.rows == [5, 4, 3]


def test_no_readings_is_not_enough_info():
    assert decide([]).label is Label.NOT_ENOUGH_INFO


@pytest.mark.parametrize("kind", ["negation"])
def test_a_negated_predicate_refutes(kind):
    negation = Conflict(kind, "confirm", "does not say", same_predicate=True)
    assert decide([reading(0.3, 0.3, conflict=negation)]).label is Label.REFUTED


def test_the_opposite_direction_on_the_claims_subject_refutes():
    up_down = Conflict("direction", "decreases", "increased", same_predicate=True)
    decision = decide([reading(0.6, 0.3, conflict=up_down)])
    assert decision.label is Label.REFUTED
    assert decide([reading(0.6, 0.3, conflict=up_down, about=False)]).label is not Label.REFUTED


def test_the_contradiction_a_model_only_refutation_needs_comes_from_the_policy():
    lone = [reading(0.1, 0.8)]
    assert decide(lone).label is Label.NOT_ENOUGH_INFO  # default 0.85
    assert decide(lone, Policy(contradict=0.75)).label is Label.REFUTED


def test_the_lean_reads_only_units_about_the_claim():
    from claims.nli.policy import lean

    about = reading(0.3, 0.6)
    off_topic = reading(0.95, 0.0, about=False, sentences=(("p2", 0),))
    assert lean([about, off_topic]) == (0.3, 0.6)
    assert lean([off_topic]) == (0.95, 0.0)  # nothing about the claim: all units


def test_a_window_is_not_cited_when_part_of_it_supports_alone():
    # the window of the supporting sentence and an unrelated neighbour entails more
    # strongly than the sentence alone; only the sentence is cited as support
    alone = reading(0.8, 0.05, sentences=(("p1", 0),))
    window = reading(0.95, 0.02, sentences=(("p1", 0), ("p1", 1)), consecutive=True)
    other = reading(0.7, 0.05, doc="d2", sentences=(("p2", 3),))
    decision = decide([window, alone, other])
    assert decision.label is Label.SUPPORTED
    assert decision.rows == [1, 2]
    assert decision.raw_confidence == pytest.approx(0.8)  # of the cited sentence


def test_a_window_that_alone_carries_the_claim_is_cited_whole():
    first = reading(0.3, 0.05, sentences=(("p1", 0),))
    window = reading(0.9, 0.02, sentences=(("p1", 0), ("p1", 1)), consecutive=True)
    decision = decide([first, window])
    assert decision.label is Label.SUPPORTED
    assert decision.rows == [1]


TWO_PASSAGES = (("p1", 0), ("p2", 3))
WINDOW = (("p1", 0), ("p1", 1))


def test_sentences_read_together_must_state_the_claims_predicate():
    """A topic the model reads as entailing what none of the sentences says."""
    joint = reading(0.95, 0.02, sentences=WINDOW, consecutive=True, same_predicate=False)
    assert decide([joint]).label is Label.NOT_ENOUGH_INFO
    stated = reading(0.95, 0.02, sentences=WINDOW, consecutive=True, spelled=0.5)
    assert decide([stated]).label is Label.SUPPORTED


def test_sentences_of_several_passages_need_most_of_the_claims_words():
    few = reading(0.95, 0.02, sentences=TWO_PASSAGES, spelled=0.6)
    assert decide([few]).label is Label.NOT_ENOUGH_INFO
    most = reading(0.95, 0.02, sentences=TWO_PASSAGES, spelled=0.8)
    assert decide([most]).label is Label.SUPPORTED
    assert decide([few], Policy(joint_words=0.5)).label is Label.SUPPORTED


def test_sentences_of_one_passage_need_half_the_claims_words():
    # "Calder's central library will open until 8pm … The council said the change would
    # cost £40,000 a year." for "A vaccination clinic will open at Calder General
    # Hospital on Saturday": two of its seven words
    few = reading(0.95, 0.02, sentences=WINDOW, consecutive=True, spelled=0.29)
    assert decide([few]).label is Label.NOT_ENOUGH_INFO
    assert decide([few], Policy(window_words=0.25)).label is Label.SUPPORTED
    # one sentence is read by the checks alone
    assert decide([reading(0.95, 0.02, spelled=0.29)]).label is Label.SUPPORTED


def test_a_sentence_that_supports_alone_is_cited_rather_than_sentences_read_together():
    """The model over-reads neighbours ("Ukraine criticised Guterres' trip. Guterres had
    declined an invitation to a peace summit." for "Guterres called for a just peace"):
    where one sentence supports alone, only such sentences are cited."""
    window = reading(0.97, 0.01, sentences=(("p1", 0), ("p1", 1)), consecutive=True)
    alone = reading(0.8, 0.05, sentences=(("p2", 4),))
    decision = decide([window, alone])
    assert decision.label is Label.SUPPORTED
    assert decision.rows == [1]
    assert decision.raw_confidence == pytest.approx(0.8)


def test_a_sentence_published_before_the_claims_day_neither_confirms_nor_contradicts():
    assert decide([reading(0.95, 0.0, early=True)]).label is Label.NOT_ENOUGH_INFO
    negation = Conflict("negation", "not approved", "approved", same_predicate=True)
    assert decide([reading(0.0, 0.95, early=True, conflict=negation)]).label is (
        Label.NOT_ENOUGH_INFO
    )
    # another date still contradicts: the page gives the event a day of its own
    other_day = Conflict("date", "9 April 2025", "3 March 2025", same_predicate=True)
    assert decide([reading(0.1, 0.8, early=True, conflict=other_day)]).label is Label.REFUTED
