"""Claim/evidence alignment (claims.nli.align) with the real spaCy pipeline: about the
claim, all of its details, and specific conflicts. No NLI model involved."""

from __future__ import annotations

import pytest

from claims.nli import align
from claims.nli.align import about, conflict, covers, profile


def test_a_shared_date_alone_does_not_make_a_sentence_about_the_claim():
    claim = profile("The BRICS group began in 2009.")
    assert not about(claim, profile("In 2009, Kazan recorded 636,661 visitors."))
    assert about(claim, profile("BRICS began in 2009 as a group of four countries."))


def test_same_subject_other_fact_is_not_about_the_claim():
    claim = profile("Brics began in 2009 with four members.")
    assert not about(claim, profile("Brics is a group of emerging economies."))


def test_titles_are_not_what_a_claim_is_about():
    claim = profile("Mr Putin has not yet commented on the reports.")
    assert not about(claim, profile("Mr Modi met Mr Putin in Kazan on Tuesday."))


def test_partial_evidence_does_not_cover_the_claim():
    claim = profile("Brics began in 2009 with four members.")
    assert not covers(claim, profile("Brics held its first summit in 2009."))
    assert covers(
        claim, profile("Brics began in 2009 with four members: Brazil, Russia, India and China.")
    )


def test_names_match_on_initials_and_demonyms():
    assert covers(profile("The United Nations met in Geneva."), profile("The UN met in Geneva."))
    assert about(
        profile("India did not attend the summit."),
        profile("Indian Prime Minister Narendra Modi attended the summit in Kazan."),
    )


def test_a_hedged_statement_does_not_cover_a_fact_but_a_side_clause_hedge_does():
    claim = profile("North Korean troops are fighting in Ukraine.")
    assert not covers(
        claim, profile("Officials said North Korean troops could be sent to fight in Ukraine.")
    )
    fact = profile("The deletion did not result in an inflammatory phenotype.")
    side = profile(
        "The deletion did not result in an inflammatory phenotype, suggesting that the pathway is minor."
    )
    assert covers(fact, side)


def test_a_different_count_of_the_same_thing_conflicts():
    found = conflict(
        profile("The company employs 2,000 people."),
        profile("The company employs 15,000 people worldwide."),
    )
    assert found is not None and found.kind == "number" and found.same_predicate
    assert found.claim_value == "2,000 people" and found.evidence_value == "15,000 people"


def test_another_value_the_claim_itself_gives_is_no_conflict():
    claim = profile("83% of children received a first dose and 74% a second dose.")
    assert conflict(claim, profile("83% of children received a first dose of the vaccine.")) is None


def test_a_count_on_another_predicate_is_flagged_as_such():
    found = conflict(
        profile("The company employs 2,000 people."),
        profile("The company hired 300 people last year."),
    )
    assert found is not None and not found.same_predicate


def test_a_year_of_comparison_is_not_a_conflicting_date():
    claim = profile("Measles cases fell in 2023.")
    assert (
        conflict(claim, profile("There were 10,300 measles cases in 2023, 8% fewer than in 2022."))
        is None
    )
    found = conflict(
        profile("The treaty was signed in 2023."), profile("The treaty was signed in June 2024.")
    )
    assert found is not None and found.kind == "date" and found.same_predicate


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        ("The council approved the plan.", "The council did not approve the plan."),
        (
            "Penicillin is not an antibiotic.",
            "Penicillin is an antibiotic used to treat infections.",
        ),
    ],
)
def test_the_negated_predicate_conflicts(claim, sentence):
    found = conflict(profile(claim), profile(sentence))
    assert found is not None and found.kind == "negation"


def test_another_place_for_the_same_event_is_a_place_conflict():
    found = conflict(
        profile("The summit was held in Moscow."), profile("The summit was held in Kazan.")
    )
    assert found is not None and found.kind == "place"


def test_a_heading_or_a_fragment_is_not_a_sentence():
    assert not profile("# Other facts").is_sentence
    assert not profile("Brics summit 2024: Kazan").is_sentence
    assert profile("The summit was held in Kazan.").is_sentence


def test_the_claims_main_verb_must_appear_for_a_model_only_refutation():
    claim = align.profile("Vladimir Putin has not yet commented on the reports of troops.")
    other = align.profile("North Korea plans to send about 12,000 troops to Russia.")
    same = align.profile("The Kremlin said Mr Putin commented on the troop reports.")
    assert not align.shares_predicate(claim, other)
    assert align.shares_predicate(claim, same)
    light = align.profile("Brics is a group of emerging economies.")
    assert align.shares_predicate(light, other)  # a light main verb puts no constraint
