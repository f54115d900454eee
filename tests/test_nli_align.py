"""Claim/evidence alignment (claims.nli.align) with the real spaCy pipeline: about the
claim, all of its details, and specific conflicts. No NLI model involved."""

from __future__ import annotations

import pytest

from claims.nli import align
from claims.nli.align import about, conflict, covers, profile


def needing_article(text: str, names: list[str]) -> align.Profile:
    """A claim the extraction marked as needing its article, with the article's names."""
    from dataclasses import replace

    return replace(profile(text), unresolved=True, article=align.name_words(names))


def from_article(text: str, names: list[str]) -> align.Profile:
    """A claim that stands alone, with the names its article gives up to it."""
    from dataclasses import replace

    return replace(profile(text), article=align.name_words(names))


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
        profile("The company hired 300 people."),
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


def test_another_count_of_times_in_a_row_conflicts():
    for claim, sentence in [
        ("Births fell for the fifth year in a row.", "Births fell for the fourth year in a row."),
        (
            "Maths results improved for the third year in a row.",
            "Maths results in Westmarch improved for a second consecutive year.",
        ),
        (
            "House prices in Wexmoor fell by 0.8% in January, the third monthly fall in a row.",
            "House prices in Wexmoor fell 0.8% in January, the second monthly fall in a row.",
        ),
        ("The team won the cup for the third time.", "The team won the cup for the second time."),
        (
            "Ticket sales rose for the third year running.",
            "Ticket sales rose for a second year in a row.",
        ),
    ]:
        found = conflict(profile(claim), profile(sentence))
        assert found is not None and found.kind == "run", claim
    fifth = profile("Births fell for the fifth year in a row.")
    # the same count; a page of another year (it counts one fewer); which one of its
    # kind is meant ("her second daughter") is no count
    assert conflict(fifth, profile("Births have now fallen five consecutive years.")) is None
    assert conflict(fifth, profile("Births fell for the fourth year in a row in 2024.")) is None
    assert not profile("Her second daughter was born in 2013.").runs
    assert not profile("He was shown a straight red card.").runs
    assert not profile("Running costs rose for the third year.").runs


def test_a_place_that_says_which_people_is_no_place_conflict():
    # "drivers in Bradford" are other drivers, not the claim's drivers elsewhere
    claim = profile("Bus drivers in Leeds returned to work on Monday.")
    other = profile("Bus drivers in Bradford returned to work on Monday after a strike.")
    assert conflict(claim, other) is None
    assert not covers(claim, other)
    # the place of the event itself still conflicts
    held = conflict(
        profile("The talks were held in Geneva."), profile("The talks were held in Vienna.")
    )
    assert held is not None and held.kind == "place"


def test_read_together_a_sentence_about_someone_else_lends_nothing():
    claim = profile("Northfield Metro said the strike had cost it about $9 million.")
    theirs, ours = align.profiles(
        [
            "Eastport Transit said the strike had cost it about $9 million in lost fares.",
            "Northfield Metro bus services resumed on Friday.",
        ]
    )
    assert not covers(claim, align.Profile.union([theirs, ours]))
    # split evidence with no one else named still covers the claim together
    first, second = align.profiles(
        ["The treaty with North Korea was signed in June.", "The Duma ratified it on Thursday."]
    )
    duma = profile("The Duma ratified the treaty with North Korea.")
    assert covers(duma, align.Profile.union([first, second]))


def test_another_thing_an_infinitive_is_about_is_not_confirmed():
    evidence = profile("The council is expected to vote on the 2025 budget next week.")
    # a year is no count: "the 2025 budget" is what the vote is on
    assert not covers(profile("The council is expected to vote on the deal next week."), evidence)
    assert covers(profile("The council is expected to vote on the budget next week."), evidence)


def test_a_denial_is_not_confirmed_by_the_verb_done():
    claim = profile("The chief executive has not said whether fares will rise.")
    assert not covers(claim, profile("The chief executive said fares would not rise."))
    declined = profile("The chief executive declined to comment on the deal.")
    assert covers(profile("The chief executive has not commented on the deal."), declined)


def test_a_share_of_another_thing_is_no_conflict():
    claim = profile("Harlow Foods' shares fell 3% on Thursday after the announcement.")
    orders = profile("The chief executive said orders had fallen by 12% over the past two years.")
    assert conflict(claim, orders) is None
    found = conflict(claim, profile("Harlow Foods' shares fell 5% on Thursday."))
    assert found is not None and found.kind == "number"
    # a share that is itself the subject ("71% voted") is a share of the same vote
    vote = conflict(
        profile("Union members voted by 78% to accept the deal."),
        profile("Of the members who cast a ballot, 71% voted in favour of the deal."),
    )
    assert vote is not None and vote.kind == "number"


def test_a_name_may_be_left_to_the_sources_title():
    claim = profile("Northfield Metro's buses carry 140,000 riders on a weekday.")
    sentence = profile("The buses carry 140,000 riders on a weekday.")
    title = profile("Northfield Metro annual report 2024").words
    assert not covers(claim, sentence)
    assert covers(claim, sentence, title)
    # not where the sentence names someone else in the name's place
    said = profile("Northfield Metro said the strike had cost it about $9 million.")
    other = profile("Eastport Transit said the strike had cost it about $9 million.")
    assert not covers(said, other, profile("Northfield and Eastport strikes").words)


def test_the_same_action_in_other_words_is_no_other_action():
    from claims.nli.titles import same_action

    assert same_action("cut", "reduce") and same_action("close", "shut")
    assert not same_action("uphold", "overturn") and not same_action("injure", "kill")
    # WordNet's looser senses join some opposites ("raise" and "reduce", as calculations)
    assert not same_action("raise", "reduce") and not same_action("approve", "reject")
    assert covers(
        profile("The council closed the library."),
        profile("The council shut the library on Friday after a flood."),
    )
    assert not covers(
        profile("The police arrested the protest leader."),
        profile("The police released the protest leader on Friday."),
    )


def test_an_institution_is_not_found_by_its_kind_of_word_alone():
    claim = profile("The campaigners said they would take the case to the Supreme Court.")
    other = profile("The campaigners said they would take the case to the Court of Appeal.")
    assert not covers(claim, other)
    assert covers(claim, profile("The campaigners said they would go to the Supreme Court."))


def test_a_bound_is_met_only_if_every_figure_on_its_verb_is_inside_it():
    claim = profile("Poseidon grossed more than $1 million at the box office.")
    budget = "at the box office on a budget of $160 million."
    assert not covers(claim, profile(f"Poseidon grossed $181,674 {budget}"))
    assert covers(claim, profile(f"Poseidon grossed $181,674,817 {budget}"))


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
    # a light main verb puts its predicate in its object; a copula puts no constraint
    # ("is a musician" may refute "is a comedian")
    light = align.profile("Brics is a group of emerging economies.")
    assert align.shares_predicate(light, other)
    screening = align.profile("The film had an early screening at the studios on June 8, 2019.")
    visit = align.profile("Tom Hanks visits the studios on June 08, 2019.")
    assert not align.shares_predicate(screening, visit)
    assert align.shares_predicate(screening, align.profile("The film was screened on June 8."))
    # a verb of saying at the root: the evidence must have what it reports, in any form
    said = align.profile("The minister said that the plant will close.")
    assert not align.shares_predicate(said, other)
    assert align.shares_predicate(said, align.profile("The plant will shut next year."))
    assert align.shares_predicate(said, align.profile("Its closure was confirmed on Monday."))
    likely = align.profile("Volcanologist Ana Ruiz said more eruptions were likely.")
    assert align.shares_predicate(likely, align.profile("Further eruptions are likely."))
    assert not align.shares_predicate(
        likely, align.profile("At least 3,000 people have been evacuated. It erupted in 1987.")
    )


def test_a_statements_date_conflicts_only_for_the_same_statement():
    claim = align.profile(
        "In June 2017, the University of Chicago announced plans to renovate the interior "
        "and reopen the former station entrance as a part of their Arts Block complex."
    )
    other = align.profile(
        "The University announced in June 2016 that it is working with community partners "
        "to develop the Arts Block."
    )
    assert conflict(claim, other) is None
    same = align.profile(
        "In June 2016, the University of Chicago announced plans to renovate the interior "
        "and reopen the former station entrance for the Arts Block complex."
    )
    assert conflict(claim, same).kind == "date"


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        (
            "Dexamethasone decreases the risk of postoperative bleeding.",
            "Dexamethasone was associated with an increased risk of postoperative bleeding.",
        ),
        ("Unemployment rose in March.", "Unemployment fell in March to 4.1%."),
        (
            "Patients in stable partnerships have a faster progression to AIDS.",
            "A stable partnership is associated with a slower progression to AIDS.",
        ),
    ],
)
def test_the_opposite_direction_on_the_same_thing_conflicts(claim, sentence):
    found = conflict(profile(claim), profile(sentence))
    assert found is not None and found.kind == "direction" and found.same_predicate


def test_a_direction_on_another_thing_or_negated_or_reversed_is_no_conflict():
    claim = profile("Dexamethasone decreases the risk of postoperative bleeding.")
    other = profile("Dexamethasone increased the risk of nausea after surgery.")
    negated = profile("Dexamethasone did not increase the risk of postoperative bleeding.")
    assert align.direction_conflict(claim, other) is None
    assert align.direction_conflict(claim, negated) is None
    same = profile("Unemployment rose in March to 4.1%.")
    assert align.direction_conflict(profile("Unemployment rose in March."), same) is None
    # "loss of X reduces Y" agrees with "X increases Y"
    reversed_cause = profile("Loss of CSF1R reduces the growth of leukaemia cells.")
    assert (
        align.direction_conflict(
            reversed_cause, profile("CSF1R increases the growth of leukaemia cells.")
        )
        is None
    )


def test_digits_inside_names_and_codes_are_not_counts():
    claim = profile("The sliding activity of kinesin-8 protein Kip3 promotes spindle assembly.")
    assert claim.numbers == ()
    assert profile("Combining MEK 1/2 inhibitors with 3,4-biphosphate works.").numbers == ()
    assert [s.text for s in profile("The company employs 2,000 people.").numbers] == [
        "2,000 people"
    ]


def test_capitalised_common_words_are_not_names_but_acronyms_are():
    claim = profile("Bariatric surgery has a positive impact on mental health.")
    assert claim.names == ()
    assert about(
        claim,
        profile("Studies link bariatric surgery with lower rates of depression."),
    )
    assert [n.text for n in profile("TNFAIP3 is a tumor suppressor.").names] == ["TNFAIP3"]


def test_noun_phrases_match_their_initials_and_words_their_stem():
    claim = profile("Insomnia can be effectively treated with cognitive behavioral therapy.")
    assert about(claim, profile("CBT improved sleep in older adults with insomnia."))
    tissue = profile("NR5A2 is important in development of endometrial tissues.")
    assert about(tissue, profile("NR5A2 is expressed in the human endometrium."))


def test_a_capital_stands_for_its_government():
    claim = profile("Antonio Guterres helped broker a deal that allowed Kyiv to export grain.")
    evidence = profile(
        "Antonio Guterres helped broker the deal that allowed Ukraine to export grain."
    )
    assert covers(claim, evidence)
    assert covers(profile("Moscow ratified the treaty."), profile("Russia ratified the treaty."))
    found = conflict(
        profile("The summit was held in Moscow."), profile("The summit was held in Kazan.")
    )
    assert found is not None and found.kind == "place"


def test_a_generic_word_alone_does_not_find_a_name():
    claim = profile("The United States said thousands of North Korean soldiers train in Russia.")
    duma = profile("The State Duma voted to ratify a treaty with North Korea and Russia.")
    officials = profile("United States officials said North Korean soldiers train in Russia.")
    assert not covers(claim, duma)  # "State" of "State Duma" is not "The United States"
    assert covers(claim, officials)
    # a distinctive word still finds the name on its own
    assert covers(profile("Antonio Guterres met Mr Putin."), profile("Mr Guterres met Putin."))


# ---------------------------------------------------------------- focus


def focus_of(claim: str, evidence: str) -> str | None:
    return align.focus(profile(claim), profile(evidence))


def test_focus_leaves_out_a_date_the_claim_does_not_speak_of():
    claim = "Russia's parliament ratified a defence treaty with North Korea."
    assert focus_of(
        claim,
        "Russia's parliament unanimously ratified a mutual defence treaty with North Korea"
        " in October 2024.",
    ) == ("Russia's parliament unanimously ratified a mutual defence treaty with North Korea.")
    assert focus_of(
        claim, "In October 2024, Russia's parliament ratified a defence treaty with North Korea."
    ) == ("Russia's parliament ratified a defence treaty with North Korea.")


def test_focus_leaves_out_a_year_naming_a_noun_and_an_added_count():
    assert focus_of("Putin hosted the summit.", "Putin hosted the 2024 summit.") == (
        "Putin hosted the summit."
    )
    assert focus_of(
        "The company employs 2,000 people.", "The company employs 2,000 people in five countries."
    ) == ("The company employs 2,000 people.")


def test_focus_keeps_what_the_claim_speaks_of():
    # the claim's own year and number stay; a claim about time keeps the evidence's dates
    assert focus_of("Brics began in 2009.", "Brics began in 2009.") is None
    assert (
        focus_of(
            "The company employs people in five countries.",
            "The company employs people in five countries.",
        )
        is None
    )
    assert (
        focus_of("Russia recently ratified the treaty.", "Russia ratified the treaty in 1961.")
        is None
    )


def test_focus_is_not_read_where_leaving_a_phrase_out_may_not_weaken_the_sentence():
    # "first in 2024" is not "first"; "not in 2023" is not "not"; a plan is no fact
    claim = "Russia was the first country to ratify the treaty."
    assert focus_of(claim, "Russia was the first country to ratify the treaty in 2024.") is None
    assert (
        focus_of("Russia ratified the treaty.", "Russia did not ratify the treaty in 2023.") is None
    )
    assert focus_of("Russia ratified the treaty.", "Russia may ratify the treaty in 2025.") is None
    # a universal: "every worker hired in 2023" is not "every worker"
    every = "Every worker hired in 2023 lost their job."
    assert focus_of("Every worker lost their job.", every) is None


def test_focus_leaves_out_a_participle_clause_that_only_adds_a_detail():
    claim = "Ukraine has criticised the UN chief's decision to meet Mr Putin."
    evidence = "Ukraine strongly criticised the UN chief's decision to meet Mr Putin, calling it a wrong choice."
    assert focus_of(claim, evidence) == (
        "Ukraine strongly criticised the UN chief's decision to meet Mr Putin."
    )
    opening = "Citing security concerns, the ministry suspended flights to the region."
    assert focus_of("The ministry suspended flights to the region.", opening) == (
        "The ministry suspended flights to the region."
    )
    # kept: a clause the claim speaks of, and one with a subordinator ("while", "if")
    reasons = "The ministry suspended flights, citing security reasons."
    assert focus_of("The ministry suspended flights for security reasons.", reasons) is None
    reviewing = "The ministry suspended flights while reviewing security."
    assert focus_of("The ministry suspended flights.", reviewing) is None


def test_a_scope_word_of_the_claim_must_be_in_the_evidence():
    claim = profile("Most of the plant's workers lost their jobs.")
    assert not covers(claim, profile("Some 300 of the plant's 2,100 workers lost their jobs."))
    assert covers(claim, profile("The majority of the plant's workers lost their jobs."))


def test_a_rank_or_superlative_of_the_claim_must_be_in_the_evidence():
    # "opened the summit" does not say the claim's "final day"; "a large" is no "largest"
    claim = profile("Putin was speaking in Kazan on the final day of the Brics summit.")
    assert not covers(claim, profile("Putin opened the Brics summit in Kazan on Tuesday."))
    assert covers(claim, profile("Putin spoke in Kazan on the last day of the Brics summit."))
    largest = profile("It was the largest gathering Russia has hosted.")
    assert not covers(largest, profile("It was a large gathering that Russia hosted."))
    assert covers(largest, profile("It was the largest international gathering Russia hosted."))
    first = profile("Guterres made his first visit to Russia since 2022.")
    assert not covers(first, profile("Guterres visited Russia in 2024, as he did in 2022."))


def test_a_comparative_in_the_evidence_may_confirm_a_superlative_but_asks_for_nothing():
    record = profile("Tourist numbers in 2023 were the highest on record.")
    assert covers(record, profile("Tourist numbers in 2023 were 12% higher than the record."))
    higher = profile("Sales were higher in 2023 than in 2022.")
    assert covers(higher, profile("Sales rose 12% in 2023 from 2022."))


def test_a_rank_given_only_within_a_time_does_not_cover_the_plain_rank():
    first = profile("Russia was the first country to ratify the treaty.")
    assert not covers(first, profile("Russia was the first country to ratify the treaty in 2024."))
    largest = profile("It was the largest gathering Russia has hosted.")
    assert not covers(
        largest, profile("It was the largest gathering Russia has hosted since 2022.")
    )
    # a date that only dates the event leaves the rank whole
    visit = profile("Guterres made his first visit to Russia.")
    assert covers(visit, profile("Guterres made his first visit to Russia in April 2022."))
    held = "The summit, held in October 2024, is the largest gathering Russia has hosted."
    assert covers(largest, profile(held))


def test_a_rank_word_that_tells_the_time_is_no_scope():
    # "last week" and "the first half of 2024" are dates, read by the date checks
    assert profile("Putin met Guterres last week.").scope == frozenset()
    assert profile("Sales rose in the first half of 2024.").scope == frozenset()
    assert profile("At least 3,000 troops were sent.").scope == frozenset()


def test_a_short_quoted_phrase_of_the_claim_must_be_in_the_evidence():
    claim = profile(
        "Lawmakers ratified a treaty with North Korea that provides for “mutual assistance”."
    )
    assert not covers(claim, profile("Lawmakers ratified a treaty with North Korea."))
    assert covers(
        claim,
        profile("Lawmakers ratified a treaty with North Korea, with a mutual assistance clause."),
    )


def test_each_item_of_a_list_of_the_claim_must_be_in_the_evidence():
    claim = profile("The park offers canoeing, boat rentals, hiking and fishing.")
    assert sorted(claim.listed) == ["canoe", "fishing", "hiking", "rental"]
    assert not covers(claim, profile("The park offers fishing and hiking on the river."))
    # a longer list in the evidence covers the claim's (list expansion)
    assert covers(
        claim,
        profile("The park offers canoeing, boat rentals, hiking, camping, fishing and golf."),
    )


def test_two_coordinated_nouns_are_no_list():
    claim = profile("Pyongyang sent troops to Russia for training and possible deployment.")
    assert claim.listed == frozenset()


def test_a_month_of_the_claim_must_be_in_the_evidence():
    claim = profile("In October 2018, India named its squad for the World Twenty20.")
    assert claim.months == frozenset({"oct"})
    assert not covers(
        claim, profile("In November 2018, India named its squad for the World Twenty20.")
    )
    assert not covers(claim, profile("In 2018, India named its squad for the World Twenty20."))
    assert covers(claim, profile("On 9 Oct. 2018, India named its squad for the World Twenty20."))


def test_may_is_a_month_only_in_a_date():
    assert profile("The plant may close in 2025.").months == frozenset()
    assert profile("The plant closed in May 2025.").months == frozenset({"may"})


def test_a_quoted_phrase_may_be_reported_in_another_tense():
    claim = profile("Haq said Guterres was waiting for when “the conditions are right”.")
    assert covers(claim, profile("Haq said Guterres would act when the conditions were right."))


def test_a_conflict_needs_the_same_event_not_one_like_it():
    # another signing, another birth, another clause: no refutation
    signed = profile(
        "On October 20, 2015, Blanchard signed to the Indianapolis Colts practice squad."
    )
    panthers = profile("Blanchard was signed to the Panthers practice squad on October 29, 2013.")
    assert conflict(signed, panthers) is None
    second = profile("Bender gave birth to her second daughter in October 2013.")
    assert conflict(second, profile("In March 2011, Bender gave birth to a baby girl.")) is None
    working = profile("Swift said she was working again with Max Martin and Shellback.")
    assert conflict(working, profile("When she's not working, Swift sees her friends.")) is None
    # the same event with another date, number, place or a denial still conflicts
    joined = profile("South Africa joined the group in 2015.")
    assert conflict(joined, profile("South Africa joined the group in 2010.")).kind == "date"
    held = profile("The 16th Brics summit was held in Moscow.")
    assert conflict(held, profile("The 16th Brics summit was held in Kazan.")).kind == "place"
    kremlin = profile("The Kremlin confirmed the deployment.")
    denied = profile("The Kremlin did not confirm the deployment.")
    assert conflict(kremlin, denied).kind == "negation"


def test_a_denial_or_opposite_way_needs_the_claims_subject():
    aspirin = profile("Aspirin inhibits the production of PGE2.")
    other_cause = profile("IL-1β significantly increased the production of NO and PGE2.")
    assert conflict(aspirin, other_cause) is None
    cdca = profile("Chenodeoxycholic acid treatment reduces whole-body energy expenditure.")
    same_cause = profile("Whole-body energy expenditure was increased upon CDCA treatment.")
    assert conflict(cdca, same_cause).kind == "direction"


def test_a_denial_counts_only_where_the_evidence_states_the_predicate():
    vision = profile("Screening of older people does not lead to improved vision.")
    aim = profile("OBJECTIVE To assess whether screening of older people leads to improved vision.")
    assert conflict(vision, aim) is None  # a question states nothing
    care = profile("Teaching hospitals do not provide better care.")
    purpose = profile("The aim of the study was to provide better care in a teaching hospital.")
    assert conflict(care, purpose) is None  # an aim states nothing
    stated = profile("Teaching hospitals provide better care than other hospitals.")
    assert conflict(care, stated).kind == "negation"
    # a necessity is stated: "will have to cut jobs" cuts them
    cut = profile("The company would not cut jobs.")
    assert conflict(cut, profile("The company will have to cut jobs.")).kind == "negation"


def test_a_denial_in_other_forms_is_a_conflict_of_the_same_thing():
    joined = profile("Saudi Arabia has joined Brics.")
    assert conflict(joined, profile("Saudi Arabia has yet to formally join Brics.")).kind == (
        "negation"
    )
    passed = profile("The Senate passed the bill.")
    assert conflict(passed, profile("The Senate failed to pass the bill.")).kind == "negation"
    found = profile("The inquiry found evidence of wrongdoing.")
    denied = profile("The inquiry found no evidence of wrongdoing by the mayor.")
    assert conflict(found, denied).kind == "negation"
    killed = profile("No one was killed in the blast.")
    assert conflict(killed, profile("Three people were killed in the blast.")).kind == "negation"


def test_without_denies_what_the_other_text_speaks_of():
    ended = profile("The talks ended with an agreement.")
    assert conflict(ended, profile("The talks ended without an agreement.")).kind == "negation"
    passed = profile("The bill passed.")
    without_debate = profile("The bill passed without debate.")
    assert conflict(passed, without_debate) is None and covers(passed, without_debate)


def test_a_statement_reported_as_denied_is_not_stated():
    sent = profile("North Korea has sent troops to Russia.")
    denied = profile("North Korea denied that it has sent troops to Russia.")
    assert denied.hedged and not covers(sent, denied)
    not_sent = profile("North Korea has not sent troops to Russia.")
    assert conflict(not_sent, denied) is None


def test_a_no_denies_only_what_it_names():
    provides = profile("The treaty provides for mutual assistance.")
    assert conflict(provides, profile("The treaty provides no details on deployments.")) is None
    produced = profile("The meeting produced a ceasefire agreement.")
    other = profile("The meeting produced no breakthrough on prisoner exchanges.")
    assert conflict(produced, other) is None
    # nor does it confirm the claim: its main verb is used only the other way
    assert not covers(produced, other)


def test_a_denial_of_another_object_is_no_conflict():
    mentioned = profile("Putin mentioned the summit in his speech.")
    assert conflict(mentioned, profile("Putin did not mention Ukraine in his speech.")) is None
    # subjects may be named in other words: "India" and "Indian Prime Minister Modi"
    absent = profile("India did not attend the summit.")
    present = profile("Indian Prime Minister Narendra Modi attended the summit in Kazan.")
    assert conflict(absent, present).kind == "negation"


def test_an_ordinal_of_the_claim_must_be_in_the_evidence():
    second = profile("I Kissed a Girl is on Katy Perry's second studio album.")
    assert not covers(second, profile("I Kissed a Girl is on Katy Perry's first studio album."))
    assert covers(second, profile("I Kissed a Girl is on Katy Perry's second studio album."))


def test_a_denial_needs_the_same_thing_denied():
    spots = profile("Crossover hot spots are not found within gene promoters.")
    proteins = profile("Various proteins have been found to play roles in hot spot repair.")
    assert conflict(spots, proteins) is None
    found = profile("Crossover hot spots are found within gene promoters.")
    assert conflict(spots, found).kind == "negation"
    # the evidence denies it too, on another word: no conflict
    adhd = profile("Current use of ADHD medications does not increase the risk of heart attack.")
    also_not = profile(
        "Current use of ADHD medications was not associated with an increased risk of heart attack."
    )
    assert conflict(adhd, also_not) is None


def test_the_opposite_way_counts_only_where_the_evidence_states_it():
    risk = profile("Placental weight increases the risk of breast cancer.")
    maybe = profile("Placental weight may reduce the risk of breast cancer.")
    assert conflict(risk, maybe) is None
    stated = profile("Placental weight reduces the risk of breast cancer.")
    assert conflict(risk, stated).kind == "direction"
    use = profile("Non-invasive ventilation use should be decreased after a poor response.")
    potential = profile(
        "The helmet is a new interface with the potential of increasing the use of "
        "non-invasive ventilation."
    )
    assert conflict(use, potential) is None


def test_a_model_only_contradiction_needs_the_claims_event():
    chek2 = profile("CHEK2 is not associated with breast cancer.")
    other = profile("Having no involution was associated with a higher risk of breast cancer.")
    assert not align.same_instance(chek2, other)
    named = profile("CHEK2 mutations are associated with a higher risk of breast cancer.")
    # a denial is refuted by the evidence stating what it denies, never by the model alone
    assert not align.same_instance(chek2, named)
    assert conflict(chek2, named).kind == "negation"
    mutations = profile("CHEK2 mutations are associated with a higher risk of breast cancer.")
    also = profile("Carriers of CHEK2 mutations had a higher risk of breast cancer.")
    assert align.same_instance(mutations, also)
    nutrition = profile("Suboptimal nutrition is not predictive of chronic disease.")
    values = profile("The positive predictive values were greater than 0.95 for chronic disease.")
    assert not align.same_instance(nutrition, values)


def test_a_copula_denial_needs_the_same_attribute():
    musician = profile("Neil Diamond is not a musician.")
    player = profile("Neil Diamond is an American football player.")
    assert conflict(musician, player) is None
    assert not align.same_instance(musician, player)  # nor may the model refute it alone
    nato = profile("Sweden is not a member of NATO.")
    assert conflict(nato, profile("Sweden is a member of the European Union.")) is None
    assert conflict(nato, profile("Sweden is a member of NATO.")).kind == "negation"
    listed = profile("Neil Diamond is an American singer-songwriter, musician and actor.")
    assert conflict(musician, listed).kind == "negation"  # one of the things it is


def test_a_copula_claim_needs_its_kind_where_the_evidence_says_another():
    county = profile("Prescott, Arizona is a county.")
    city = profile("Prescott is a city in Yavapai County, Arizona, United States.")
    assert county.kinds == {"county"} and city.kinds == {"city"}
    assert not covers(county, city)  # "county" is there, but not as what Prescott is
    assert covers(profile("Prescott, Arizona is a city."), city)
    # one of the things the evidence says it is will do
    musician = profile("Neil Diamond is a musician.")
    assert covers(musician, profile("Neil Diamond is an American singer, musician and actor."))
    # a sentence that does not say what the subject is leaves it to the model
    assert covers(county, profile("Prescott, Arizona, the county seat, held elections."))


def test_another_noun_in_the_claims_phrase_does_not_confirm_it():
    land = profile("Polar bears depend on the land as their main food source.")
    ocean = profile("Polar bears depend on the ocean as their main food source.")
    assert not covers(land, ocean)
    assert covers(ocean, ocean)
    # the claim's own noun in the phrase is what confirms it
    assert covers(land, profile("Polar bears depend on the land, hunting seals."))


def test_a_predicate_adjective_is_denied_like_a_verb():
    unsafe = profile("The bridge is not safe.")
    assert conflict(unsafe, profile("Engineers said the bridge is safe for traffic.")).kind == (
        "negation"
    )


def test_the_opposite_way_needs_the_same_thing_by_a_noun():
    capacity = profile("Ly6C hi monocytes have a lower inflammatory capacity than other monocytes.")
    numbers = profile("We show recruitment of greater numbers of inflammatory Ly6C hi monocytes.")
    assert conflict(capacity, numbers) is None  # only the modifier "inflammatory" is shared
    higher = profile("Ly6C hi monocytes have a higher inflammatory capacity than other monocytes.")
    assert conflict(capacity, higher).kind == "direction"


def test_a_bound_is_confirmed_by_a_value_inside_it_and_refuted_by_one_outside():
    claim = profile("More than 2,000 people attended the rally.")
    inside = profile("Police said 2,500 people attended the rally.")
    outside = profile("Police said 1,500 people attended the rally.")
    assert covers(claim, inside) and conflict(claim, inside) is None
    assert not covers(claim, outside)
    found = conflict(claim, outside)
    assert found is not None and (found.kind, found.claim_value, found.evidence_value) == (
        "number",
        "more than 2,000 people",
        "1,500 people",
    )
    # "more than 1,000" says nothing against "more than 2,000"; nor does rounding
    assert conflict(claim, profile("More than 1,000 people attended the rally.")) is None
    assert conflict(claim, profile("Police said 2,000 people attended the rally.")) is None


def test_a_value_outside_the_evidences_bound_conflicts_and_a_bound_confirms_no_value():
    claim = profile("Six people were killed in the blast.")
    found = conflict(claim, profile("At least 10 people were killed in the blast."))
    assert found is not None and found.evidence_value == "at least 10 people"
    # "more than 2,000" does not confirm "2,500"
    assert not covers(
        profile("2,500 people attended the rally."),
        profile("More than 2,000 people attended the rally."),
    )


def test_a_vague_count_keeps_a_smaller_figure_of_the_same_thing_from_confirming():
    thousands = profile("Thousands of people attended the rally.")
    assert not covers(thousands, profile("Police said 300 people attended the rally."))
    assert not covers(thousands, profile("Hundreds of people attended the rally."))
    assert covers(thousands, profile("About 5,000 people attended the rally."))
    assert covers(thousands, profile("Tens of thousands of people attended the rally."))
    # a figure of something else, or none, leaves the reading to the model
    assert covers(thousands, profile("Thousands of people attended the rally, police said."))
    assert covers(
        profile("Thousands of troops were sent to Russia."),
        profile("About 10,000 soldiers were sent to Russia."),
    )
    assert not covers(
        profile("Dozens of people were injured."), profile("Three people were injured.")
    )
    # written loosely: never a conflict, either way
    assert conflict(thousands, profile("Police said 300 people attended the rally.")) is None
    assert conflict(profile("300 people attended the rally."), thousands) is None
    # and it confirms no value: "thousands" does not give "3,000"
    assert not covers(profile("3,000 people attended the rally."), thousands)


def test_a_share_in_words_keeps_another_share_from_confirming_and_never_conflicts():
    half = profile("Half of the workers lost their jobs.")
    assert not covers(half, profile("30% of the workers lost their jobs."))
    assert conflict(half, profile("30% of the workers lost their jobs.")) is None
    assert covers(half, profile("52% of the workers lost their jobs."))
    nearly = profile("Nearly half of the residents left.")
    assert not covers(nearly, profile("More than half of the residents left."))


def test_what_another_speaker_said_does_not_confirm_what_the_claims_speaker_said():
    police = profile("Police said 300 people attended the rally.")
    assert not covers(police, profile("Organisers said 300 people attended the rally."))
    assert covers(police, profile("Police said on Monday that 300 people attended the rally."))
    assert not covers(
        profile("Russia said Ukraine attacked the plant."),
        profile("Ukraine said Russia attacked the plant."),
    )
    # a capital speaks for its country; a report names no speaker; a bare statement
    # is left to the other checks
    assert covers(
        profile("Kyiv said Moscow attacked the plant."),
        profile("Ukraine said Russia attacked the plant."),
    )
    assert covers(
        profile("Reports said North Korea has sent troops to Russia."),
        profile("North Korea has sent troops to Russia, the Pentagon said."),
    )
    assert covers(police, profile("300 people attended the rally."))
    # another of the claim's speaker's kind is another speaker, unless named as the claim's
    quillon = profile("Quillon, the accounting software company, said it would cut 1,200 jobs.")
    assert not covers(
        quillon,
        profile("Pellworth, another accounting software company, said it would cut 1,200 jobs."),
    )
    assert not covers(quillon, profile("Another software company said it would cut 1,200 jobs."))
    assert covers(
        quillon,
        profile("Another accounting software company, Quillon, said it would cut 1,200 jobs."),
    )
    assert covers(quillon, profile("The accounting software company said it would cut 1,200 jobs."))
    # the claim's speaker named as a modifier of the sentence's: "Western governments"
    assert covers(
        profile("The West believes North Korea is giving Russia weapons."),
        profile("Western governments believe North Korea is giving Russia weapons."),
    )


def test_what_someone_of_the_claims_person_did_does_not_confirm_the_person_did_it():
    minister = profile("The minister was arrested.")
    assert not covers(minister, profile("The minister's aide was arrested."))
    assert covers(minister, profile("The minister was arrested on Monday, along with his aide."))
    assert not covers(
        profile("Vladimir Putin met Antonio Guterres."),
        profile("Vladimir Putin's spokesman met Antonio Guterres."),
    )
    # a country is no person: its army's attack is read as its own
    assert covers(profile("Russia attacked the city."), profile("Russia's army attacked the city."))


def test_a_name_written_like_a_stop_word_is_still_a_name():
    us = profile("The drug was approved in the US.")
    assert any("us" in n.keys for n in us.names)
    assert not covers(us, profile("The drug was approved in Europe."))
    assert covers(us, profile("The drug was approved in the US on Monday."))
    assert "who" in profile("The WHO said the outbreak was over.").words
    # one that only modifies a noun is not asked of the evidence, as before
    assert covers(
        profile("US Secretary of State Mike Pompeo announced the certification."),
        profile("Secretary of State Mike Pompeo announced the certification."),
    )


def test_a_past_event_does_not_confirm_a_plan_nor_a_plan_the_event():
    plan = profile("The country will hold elections next year.")
    held = profile("The country held elections last year.")
    assert not covers(plan, held) and not covers(held, plan)
    assert not covers(
        profile("The company opened a factory in Texas."),
        profile("The company said it will open a factory in Texas next year."),
    )
    assert covers(
        profile("The company will open a factory in Texas."),
        profile("The company said it will open a factory in Texas."),
    )
    assert covers(held, profile("The country held elections in May last year."))


def test_an_opposite_through_a_synonym_keeps_support_away_and_refutes_the_same_thing():
    claim = profile("Parliament approved the budget.")
    rejected = profile("Parliament rejected the budget by 210 votes to 190.")
    found = conflict(claim, rejected)
    assert not covers(claim, rejected) and found is not None and found.kind == "antonym"
    # of another thing done to (by head word), it neither confirms nor refutes
    amendments = profile("Parliament rejected the opposition's amendments to the budget.")
    assert conflict(claim, amendments) is None
    union = profile("The union accepted the offer.")
    assert not covers(union, profile("The union turned down the offer."))
    assert covers(union, profile("The union accepted the offer on Friday."))


def test_confirming_and_denying_a_statement_are_opposites():
    found = conflict(
        profile("The Kremlin confirmed the reports."), profile("The Kremlin denied the reports.")
    )
    assert found is not None and (found.kind, found.evidence_value) == ("antonym", "denied")
    # the evidence reports a statement as disputed, but its own main verb is stated
    found = conflict(
        profile("The ministry admitted that the data was lost."),
        profile("The ministry denied that any data was lost."),
    )
    assert found is not None and found.kind == "antonym"
    assert (
        conflict(profile("The Kremlin confirmed the reports."), profile("Moscow denied the plan."))
        is None
    )


def test_an_antonym_of_the_claims_modifier_keeps_support_away():
    claim = profile("Exports hit a record high in 2023.")
    assert not covers(claim, profile("Exports hit a record low in 2023."))
    assert covers(claim, profile("Exports hit a record high in 2023, the ministry said."))
    # a claim holding both words substitutes nothing
    assert covers(
        profile("The centre works with young 10-24 year old Jordanians."),
        profile("The centre works with young Jordanians aged 10-24."),
    )


def test_an_antonym_counts_only_in_the_plain_degree_and_not_negated():
    # a comparative turned round is a paraphrase
    assert not align._opposite_modifier(
        profile("Saturn is smaller than Jupiter."),
        profile("Saturn is the second-largest planet in the Solar System, after Jupiter."),
    )
    assert not align._opposite_modifier(
        profile("The protest was violent."), profile("It was not a non-violent protest.")
    )
    assert align._opposite_modifier(
        profile("Exercise is bad for heart health."),
        profile("Exercise is good for heart health."),
    )


def test_a_counted_noun_after_the_verb_is_left_to_the_number_checks():
    claim = profile("Inflation rose to 8.3% in May.")
    assert covers(claim, profile("Inflation rose to 8.3 per cent in May."))
    assert not covers(claim, profile("Inflation rose to 7.9 per cent in May."))
    weeks = profile("The strike ended after three weeks.")
    assert not covers(weeks, profile("The strike ended after three days."))
    assert covers(weeks, profile("The strike ended after 21 days."))


def test_a_span_of_time_that_is_the_figure_itself_dates_nothing():
    # "after three days" is both the figure and a date phrase: the figure conflicts
    found = conflict(
        profile("The strike ended after three weeks."),
        profile("The strike ended after three days."),
    )
    assert found is not None and found.kind == "number" and found.same_predicate
    assert found.evidence_value == "three days"
    # a date of another time still keeps a figure from conflicting
    assert (
        conflict(
            profile("The company employs 2,000 people."),
            profile("The company employed 1,500 people in 2010."),
        )
        is None
    )


def test_a_short_sentence_with_a_figure_is_a_sentence():
    assert profile("Turnout was 56%.").is_sentence
    assert not profile("Results 2024").is_sentence


def test_a_count_within_a_place_the_claim_does_not_name_is_no_conflict():
    claim = profile("More than 2,000 people were arrested across the country.")
    assert conflict(claim, profile("In Moscow alone, 1,500 people were arrested.")) is None
    total = profile("50 people died in the floods.")
    assert conflict(total, profile("In the capital, 12 people died in the floods.")) is None
    assert (
        conflict(
            profile("2,000 people were arrested."), profile("1,500 people were arrested in Moscow.")
        )
        is None
    )
    # the claim's own place, a list of names or a date before the verb restrict nothing
    found = conflict(total, profile("In 2023, 12 people died in the floods."))
    assert found is not None and found.kind == "number"
    found = conflict(
        profile("Brics began with five members."),
        profile("Brics began with four members: Brazil, Russia, India and China."),
    )
    assert found is not None and found.kind == "number"


def test_a_confirmation_is_not_confirmed_by_a_sentence_reporting_only_a_denial():
    claim = profile("The spokesman confirmed the minister's resignation.")
    assert not covers(claim, profile("The minister denied reports of his resignation."))
    assert covers(claim, profile("The spokesman confirmed the minister's resignation on Friday."))


def test_the_claims_predicate_in_a_conjunct_blocks_an_opposite():
    claim = profile("The company confirmed the layoffs.")
    both = profile("The company denied the layoffs on Monday but confirmed them on Friday.")
    assert conflict(claim, both) is None
    assert (
        conflict(
            profile("The shop opened."),
            profile("The shop closed in March but opened again in May."),
        )
        is None
    )


def test_a_count_of_people_in_a_named_place_is_a_part():
    claim = profile("The company employs 15,000 people worldwide.")
    assert conflict(claim, profile("The company employs 2,000 people in Germany.")) is None
    # "a number-one record in the United States" restricts no count
    found = conflict(
        profile("The album sold 100,000 copies."),
        profile(
            "The album became a number-one record in the United States, selling 757,000 copies."
        ),
    )
    assert found is not None and found.kind == "number"


def test_alone_restricts_a_count_unless_the_claim_says_it_too():
    moscow = profile("Moscow alone saw 1,500 people arrested.")
    assert conflict(profile("2,000 people were arrested."), moscow) is None
    found = conflict(
        profile("In Moscow alone, 2,000 people were arrested."),
        profile("In Moscow alone, 1,500 people were arrested."),
    )
    assert found is not None and found.kind == "number"


def test_a_round_figure_is_no_conflict_with_a_value_it_may_round():
    claim = profile("The company employs 50,000 people.")
    assert conflict(claim, profile("The company employs 48,700 people.")) is None
    assert not covers(claim, profile("The company employs 48,700 people."))  # nor confirmed
    found = conflict(claim, profile("The company employs 38,700 people."))
    assert found is not None and found.kind == "number"
    # the precise figure in the claim, a rounded one in the evidence: open either way
    assert (
        conflict(profile("Unemployment fell to 4.3%."), profile("Unemployment fell to 4%.")) is None
    )


def test_an_expectation_or_plan_and_the_event_do_not_confirm_each_other():
    expected = profile("Prices are expected to rise.")
    assert expected.expects and not profile("Prices rose by 3% in March.").expects
    assert not covers(expected, profile("Prices rose by 3% in March."))
    assert covers(expected, profile("Prices are expected to rise, analysts say."))
    promised = profile("The minister said she would resign.")
    assert promised.expects and not covers(promised, profile("The minister resigned on Friday."))
    assert not covers(profile("The minister resigned."), promised)
    assert align.planned_only(profile("The minister resigned."), promised)
    # a reported plan does confirm the claim that it will happen
    assert covers(
        profile("The company will cut 500 jobs."),
        profile("The company said it would cut 500 jobs."),
    )
    assert profile("The company is set to cut 500 jobs.").expects
    # a plan reported in a side clause is a plan the claim may be confirmed by
    claimed = profile("He said the benefits would be colossal.")
    side = profile("He backed the project, claiming the benefits would be colossal.")
    assert claimed.expects and side.plans and not side.expects
    assert covers(claimed, side)
    assert profile("Officials hope to reopen the border next week.").expects


def test_a_plan_and_the_event_never_conflict():
    refused = profile("The minister said she would not resign.")
    assert conflict(profile("The minister resigned."), refused) is None
    assert conflict(refused, profile("The minister resigned on Friday.")) is None
    # two reports of what was said may
    found = conflict(
        profile("The minister said the plant will close next year."),
        profile("The minister said the plant would stay open for another five years."),
    )
    assert found is not None


def test_a_title_of_another_office_does_not_confirm_the_claims():
    claim = profile("President Modi attended the summit.")
    evidence = profile("Prime Minister Narendra Modi attended the summit in Kazan.")
    assert ("Modi", "president") in claim.titles
    assert align.other_title(claim, evidence) == ("Modi", "president", "prime_minister")
    assert not covers(claim, evidence)
    governor = profile("Governor Ron DeSantis signed the bill.")
    assert not covers(governor, profile("Senator Ron DeSantis signed the bill."))
    assert covers(governor, profile("Ron DeSantis, the governor of Florida, signed the bill."))


def test_a_count_of_another_kind_of_person_does_not_confirm_the_claims():
    claim = profile("The attack killed 12 soldiers.")
    assert [s.counted for s in claim.numbers] == ["soldier"]
    evidence = profile("The attack killed 12 civilians.")
    counted = align.other_people_counted(claim, evidence)
    assert counted == ("12 soldiers", "12 civilians") and not covers(claim, evidence)
    bound = profile("At least 10 children were killed.")
    assert not covers(bound, profile("Officials said 12 students were killed."))
    # the same kind, a kind of it, or a count of what names no person: other checks
    assert covers(profile("The attack killed 12 people."), evidence)
    assert covers(claim, profile("The attack killed 12 soldiers and 3 civilians."))
    troops = profile("Some 3,000 North Korean troops have been sent to Russia.")
    soldiers = profile("Some 3,000 North Korean soldiers were sent to Russia.")
    assert align.other_people_counted(soldiers, troops) is None


def test_someone_else_acting_on_the_claims_object_does_not_confirm_the_claim():
    claim = profile("The rebels captured the city.")
    recaptured = profile("The army recaptured the city from the rebels.")
    assert align.other_agent(claim, recaptured) and not covers(claim, recaptured)
    blocked = profile("Protesters blocked the road.")
    assert align.other_agent(blocked, profile("Police cleared the road of protesters."))
    # the claim's subject as a subject, in any voice or with a modifier, is no other agent
    assert not align.other_agent(claim, profile("Rebel forces captured the city on Monday."))
    assert not align.other_agent(
        claim, profile("The rebels, with help from the army, captured the city.")
    )


def test_a_title_that_names_the_same_office_or_a_kind_of_it_confirms():
    # "chief" is a hypernym of "secretary-general"; "chancellor" a prime minister
    assert covers(
        profile("UN chief Antonio Guterres met Putin."),
        profile("UN Secretary-General Antonio Guterres met Vladimir Putin in Kazan."),
    )
    assert (
        align.other_title(
            profile("Chancellor Olaf Scholz visited Kyiv."),
            profile("Prime Minister Olaf Scholz visited Kyiv."),
        )
        is None
    )
    # words that name no office are not compared; a name's own words are no title
    assert profile("The striker Harry Kane scored twice.").titles == frozenset()
    assert profile("General Motors cut 500 jobs.").titles == frozenset()


def test_a_sentence_with_subject_and_object_swapped_does_not_confirm():
    assert not covers(
        profile("Argentina beat France in the final."),
        profile("France beat Argentina in the final."),
    )
    assert not covers(
        profile("Russia accused Ukraine of attacking the dam."),
        profile("Ukraine accused Russia of attacking the dam."),
    )
    # a reciprocal verb may be read either way
    assert covers(profile("Modi met Putin in Kazan."), profile("Putin met Modi in Kazan."))
    # the same roles, in the passive too, still confirm
    assert covers(
        profile("Argentina beat France in the final."),
        profile("France was beaten by Argentina in the final."),
    )


def test_an_ordinal_inside_a_date_must_be_in_the_evidence():
    claim = profile("Profits rose in the first quarter.")
    assert "first" in claim.ordinals
    assert not covers(claim, profile("Profits rose in the second quarter."))
    assert covers(claim, profile("Profits rose in the first quarter of the year."))


def test_a_statement_under_a_condition_is_no_fact():
    conditional = profile("If passed, the law would ban TikTok.")
    assert conditional.hedged
    assert not covers(profile("The law bans TikTok."), conditional)


def test_an_event_in_the_other_of_past_and_future_is_another_event():
    claim = profile("The summit was held in Kazan.")
    other = profile("The next summit will be held in Rio de Janeiro.")
    assert not align.same_instance(claim, other, "place")
    assert conflict(claim, other) is None


def test_a_figure_of_another_time_is_no_conflict():
    claim = profile("The company employs 2,000 people.")
    assert conflict(claim, profile("The company employed 1,500 people in 2010.")) is None
    assert conflict(claim, profile("The company hired 300 people last year.")) is None
    bound = profile("The company employs more than 2,000 people.")
    assert conflict(bound, profile("The company employed 1,500 people in 2010.")) is None
    inflation = profile("Inflation rose to 3% last month.")
    assert conflict(inflation, profile("Inflation rose to 5% a year ago.")) is None
    # the same time, or a period that tells no time, still conflicts
    may = profile("Unemployment fell to 4% in May.")
    assert conflict(may, profile("Unemployment fell to 5.1% in May.")) is not None
    profit = profile("The company reported a profit of $5bn.")
    assert (
        conflict(profit, profile("The company reported a profit of $3bn for the year.")) is not None
    )


def test_a_part_does_not_confirm_the_whole():
    claim = profile("The protest was peaceful.")
    assert profile("Most of the protest was peaceful.").partial == {"protest"}
    assert not covers(claim, profile("Most of the protest was peaceful."))
    assert not profile("Romania and Kazakhstan reported the most.").partial
    # a part of a kind, or of something other than the claim's subject, is no part
    assert not profile("Most voters backed the proposal.").partial
    officers = profile("The majority of the officers served in the Ordnance Department.")
    assert officers.partial == {"officer"}
    assert not align._only_part(profile("The corps was established in 1937."), officers)


def test_a_participle_describing_a_noun_says_nothing_of_the_claims_subject():
    claim = profile("India did not condemn Russia's invasion.")
    evidence = profile("India abstained on the UN vote condemning Russia's invasion.")
    assert conflict(claim, evidence) is None


def test_a_list_the_evidence_gives_in_part_is_not_contradicted_by_its_other_members():
    # the verdicts issue's opening case: a list expansion read as a refutation
    claim = profile(
        "Brics has expanded to include other emerging nations, including South Africa, "
        "Egypt and Iran."
    )
    assert {n.text: n.listed for n in claim.names}["South Africa"] == {"Egypt", "Iran"}
    evidence = profile(
        "In 2024 the group expanded to include Egypt, Ethiopia, Iran and the United Arab "
        "Emirates, and the 2024 summit was hosted by Russia in Kazan."
    )
    assert conflict(claim, evidence) is None
    assert not covers(claim, evidence)  # nor does it confirm South Africa
    # a name of no list, in another's place, is still a conflict of names
    alone = profile("In 2024 the group expanded to include South Africa.")
    found = conflict(alone, profile("In 2024 the group expanded to include Ethiopia."))
    assert found is not None and found.kind == "entity"


def test_figures_given_loosely_are_told_apart_from_figures_given_exactly():
    blast = profile("At least 10 people were killed in the blast.")
    assert align.loose_figures_met(
        blast, profile("Officials said 12 people were killed in the blast.")
    )
    assert not align.loose_figures_met(blast, profile("Officials said 8 people were killed."))
    city = profile("The city has a population of 1.2 million.")
    assert align.loose_figures_met(city, profile("The city's population is 1,187,000."))
    exact = profile("The company employs 2,000 people.")
    assert not align.loose_figures_met(exact, profile("The company employs 2,000 people."))
    assert not align.loose_figures_met(
        profile("Brics began in 2009."), profile("Brics began in 2009.")
    )


def test_the_claims_subject_doing_something_else_to_its_object_does_not_confirm_it():
    # verbs WordNet does not list as opposites: the model had confirmed each claim
    for claim, evidence in [
        ("The court upheld the ban.", "The court overturned the ban."),
        ("The attack killed 12 people.", "The attack injured 12 people."),
        ("Most voters backed the proposal.", "A majority of voters rejected the proposal."),
        ("The president signed the bill on Monday.", "The president vetoed the bill on Monday."),
    ]:
        assert align.other_action(profile(claim), profile(evidence)), claim
        assert not covers(profile(claim), profile(evidence)), claim
    # the claim's own verb, a verb with no object, a copula: no other action
    upheld = profile("The court upheld the ban.")
    assert not align.other_action(upheld, profile("On Tuesday the court upheld the ban."))
    held = profile("The Brics summit was held in Kazan in 2024.")
    assert not align.other_action(held, profile("The 2024 Brics summit took place in Kazan."))
    capital = profile("Kazan is the capital of Tatarstan.")
    assert not align.other_action(capital, profile("Kazan became the capital of Tatarstan."))


def test_a_figure_written_otherwise_is_read_as_the_claim_writes_it():
    ceasefire = profile("The ceasefire lasted 72 hours.")
    sentence = "The ceasefire, which lasted three days, was broken on Sunday."
    assert align.as_claimed(ceasefire, sentence) == (
        "The ceasefire, which lasted 72 hours, was broken on Sunday."
    )
    profit = profile("The company reported a profit of $5bn.")
    assert (
        align.as_claimed(profit, "It reported a profit of 5 billion dollars for the year.")
        == "It reported a profit of $5bn for the year."
    )
    # another unit, another value, a bound or an approximate figure stays as written
    people = profile("The company employs 2,000 people.")
    assert align.as_claimed(people, "It produces 2,000 tonnes.") == "It produces 2,000 tonnes."
    assert align.as_claimed(profit, "It reported $3bn.") == "It reported $3bn."
    assert align.as_claimed(ceasefire, "It lasted about three days.") == (
        "It lasted about three days."
    )


def test_a_figure_inside_the_claims_bound_is_read_as_the_claim_writes_the_bound():
    for claim, sentence, read in [
        (
            "At least 40 homes have been destroyed.",
            "Officials said 43 homes had been destroyed.",
            "Officials said at least 40 homes had been destroyed.",
        ),
        (
            "More than 1,400 firefighters are tackling the blaze.",
            "About 1,450 firefighters are working on the fire.",
            "More than 1,400 firefighters are working on the fire.",
        ),
        (
            "More than £30,000 was raised.",
            "It raised an estimated £31,500.",
            "It raised more than £30,000.",
        ),
        (
            "More than 200 people were injured.",
            "They said 212 residents were hurt.",
            "They said more than 200 people were hurt.",
        ),
    ]:
        assert align.as_claimed(profile(claim), sentence) == read, claim
    homes = profile("At least 40 homes have been destroyed.")
    crews = profile("More than 1,400 firefighters are tackling the blaze.")
    people = profile("More than 200 people were injured.")
    # outside the bound, only perhaps inside it, or counting another thing: as written
    for sentence in (
        "Officials said 38 homes had been destroyed.",
        "Officials said 43 cars had been destroyed.",
    ):
        assert align.as_claimed(homes, sentence) == sentence
    assert align.as_claimed(people, "200 people were hurt.") == "200 people were hurt."
    assert align.as_claimed(crews, "About 1,400 firefighters are at work.") == (
        "About 1,400 firefighters are at work."
    )


def test_a_verb_of_the_same_action_counts_towards_the_subject():
    claim = profile("Revenue rose slightly to £6.1 billion.")
    assert about(claim, profile("Revenue increased to £6.1 billion from £6.0 billion."))
    # an opposite verb is no such word, nor is another action
    assert not about(claim, profile("Revenue was reported in euros."))


def test_a_share_of_people_a_relative_clause_says_are_others_is_no_conflict():
    claim = profile("Those who walked every day had a 25% lower risk of heart disease.")
    cyclists = profile("Those who cycled to work had a 40% lower risk of heart disease.")
    assert conflict(claim, cyclists) is None
    walkers = profile("Those who walked every day had a 40% lower risk of heart disease.")
    found = conflict(claim, walkers)
    assert found is not None and found.kind == "number"


def test_a_question_is_no_statement():
    assert not profile("Didn't all your hair fall out because of the dye?").is_sentence
    assert profile("All her hair fell out because of the dye.").is_sentence


def test_another_month_or_weekday_on_the_claims_verb_is_a_conflict():
    claim = profile("The council imposed the ban in June after complaints from residents.")
    found = conflict(claim, profile("The council imposed the ban in May after complaints."))
    assert found is not None and found.kind == "date"
    assert (found.claim_value, found.evidence_value) == ("June", "May")
    # another year is the other event's: the year conflict speaks, or nothing
    assert conflict(profile("The council imposed the ban in June 2025."), profile(
        "The council imposed a ban in May 2019."
    )).evidence_value == "2019"  # fmt: skip
    # a month on another verb is another fact
    assert (
        conflict(claim, profile("The council imposed the ban after complaints began in May."))
        is None
    )
    # the claim's month given on the verb, whatever preposition the parser finds for it
    drought = profile("A drought has been declared after the driest July since 1976.")
    assert (
        conflict(
            drought,
            profile("A drought was declared on Wednesday (20 August 2025), after the driest July."),
        )
        is None
    )
    # what will be, against what someone said will be: a weekday on the same verb
    schools = profile("Schools in Ashdale will remain closed until Friday.")
    said = profile("All schools in Ashdale will stay closed until Wednesday, the council said.")
    assert not covers(schools, said)
    found = conflict(schools, said)
    assert found is not None and (found.claim_value, found.evidence_value) == (
        "Friday",
        "Wednesday",
    )
    assert covers(
        schools, profile("Schools in Ashdale will stay closed until Friday, the council said.")
    )


def test_a_speaker_the_article_never_names_speaking_of_its_own_thing_places_the_sentence():
    claim = needing_article(
        "The merger is expected to be completed in early 2026.",
        ["Northbank", "Castell Building Society"],
    )
    mercia = profile(
        "Mercia, another building society, said its merger was expected to be completed "
        "in early 2026."
    )
    assert align.elsewhere(claim, mercia) == "Mercia"
    assert not covers(claim, mercia)
    # a speaker on the article's thing, or one the article names, places nothing
    regulator = profile("The Competition Authority said the merger would be completed in 2026.")
    assert align.elsewhere(claim, regulator) is None
    northbank = profile("Northbank said its merger was expected to be completed in early 2026.")
    assert align.elsewhere(claim, northbank) is None
    # a claim that stands alone, with its article's names: a speaker set beside "another"
    talks = from_article("Talks are due to resume on Friday.", ["Felby", "Kestrel Terminals"])
    harlan = profile(
        "Another operator, Harlan Ports, said talks with its dockworkers were due to resume "
        "on Friday."
    )
    assert align.elsewhere(talks, harlan) == "Harlan Ports"
    assert not covers(talks, harlan)


def test_a_claim_that_needs_its_article_is_not_read_from_a_place_it_never_names():

    claim = needing_article(
        "The government has declared a major incident.",
        ["Ashdale", "River Wren", "Environment Agency"],
    )
    carnford = profile("The government declared a major incident in Carnford on Tuesday.")
    assert align.elsewhere(claim, carnford) == "Carnford"
    assert not covers(claim, carnford)
    assert covers(claim, profile("The government declared a major incident in Ashdale."))
    # a sentence that names nothing is placed by its source's title
    bare = profile("The government declared a major incident on Tuesday.")
    assert align.elsewhere(claim, bare, profile("Floods hit Carnford").names) == "Carnford"
    assert align.elsewhere(claim, bare, profile("Ashdale flood: update").names) is None
    # whose or which is no place ("shares in Marlow Motors"), and a claim that stands
    # alone is read as before
    shares = needing_article("Its shares fell 6% in early trading.", ["Marlow Motors"])
    assert covers(shares, profile("Shares in Marlow Motors dropped 6% in early trading."))
    assert covers(profile("The government has declared a major incident."), carnford)
    # a sentence with a name of the claim is left to the name checks: "London" of a
    # sentence that names the claim's Kelby, where the article said only "the capital"
    kelby = needing_article(
        "The government has approved a rail line between Kelby and the capital.", ["Kelby"]
    )
    london = profile("The government has approved a rail line linking Kelby with London.")
    assert align.elsewhere(kelby, london) is None


def test_a_count_of_a_kind_of_person_meets_a_bound_of_people():
    claim = profile("More than 3,000 people have been evacuated.")
    assert covers(claim, profile("3,200 residents were evacuated."))
    assert not covers(claim, profile("2,800 residents were evacuated."))
    assert not covers(claim, profile("3,200 vehicles were evacuated."))


def test_the_point_a_change_is_measured_from_is_compared_with():
    claim = profile("Turnout was 41%, up from 35% at the last election in 2021.")
    # "in 2021" dates the comparison and "last" ranks nothing the claim asserts
    assert covers(claim, profile("Turnout was 41%, compared with 35% in 2021."))
    assert not covers(profile("Norway was the last country to join."), profile("Norway joined."))


def test_a_description_of_the_person_named_is_no_other_event():
    claim = profile("Labour's former leader, Peter Doyle, lost his seat by 52 votes.")
    evidence = profile("Former council leader Peter Doyle lost his seat by 25 votes.")
    found = conflict(claim, evidence)
    assert found is not None and found.kind == "number"
    assert not covers(claim, evidence)
    # another person with the same description is another event
    assert (
        conflict(claim, profile("Former council leader Ann Price lost her seat by 25 votes."))
        is None
    )


def test_a_claim_that_needs_its_article_is_not_read_from_someone_it_never_names():

    plans = needing_article(
        "The company plans 12 launches in 2026.", ["Halberd Aerospace", "Denver"]
    )
    corvid = profile("Corvid plans 12 launches in 2026 and employs about 2,300 people.")
    assert align.elsewhere(plans, corvid) == "Corvid"
    assert not covers(plans, corvid)
    assert covers(plans, profile("Halberd plans 12 launches in 2026."))
    staff = needing_article("The health board employs 14,000 staff.", ["Thornbury", "Anita Rao"])
    ashvale = profile("Ashvale's health board employs 14,000 staff.")
    assert align.elsewhere(staff, ashvale) == "Ashvale"
    # a name on another verb than the claim's is not who did it
    said = profile("Peter Ward said the health board employs 14,000 staff.")
    assert align.elsewhere(staff, said) is None


def test_a_count_of_those_for_whom_it_lasted_long_is_a_part_of_a_count_without_it():
    claim = profile("Almost 4,000 patients have waited more than a year for treatment.")
    assert conflict(claim, profile("182,000 patients are waiting for planned treatment.")) is None
    # the same length on both sides is the same count
    found = conflict(
        profile("About 500 workers were on strike for three weeks."),
        profile("About 900 workers were on strike for three weeks."),
    )
    assert found is not None and found.kind == "number"
    # a length that is the figure itself is the measure
    lasted = conflict(
        profile("The strike lasted three days."), profile("The strike lasted two weeks.")
    )
    assert lasted is not None


def test_another_half_or_quarter_of_the_year_on_the_same_act_is_a_date_conflict():
    claim = profile("The deal is expected to be completed in the first half of 2026.")
    found = conflict(claim, profile("The deal is expected to close in the second half of 2026."))
    assert found is not None and found.kind == "date"
    assert (found.claim_value, found.evidence_value) == ("the first half", "the second half")
    assert (
        conflict(claim, profile("The deal is expected to close in the first half of 2026.")) is None
    )
    # a change or a state recurs: another month or quarter neither contradicts nor confirms
    for mine, theirs in [
        ("Profits rose in May.", "Profits rose in June."),
        ("Sales grew in the first quarter.", "Sales grew in the third quarter."),
    ]:
        assert conflict(profile(mine), profile(theirs)) is None
        assert not covers(profile(mine), profile(theirs))
    assert conflict(
        profile("The council imposed the ban in June."),
        profile("The council imposed the ban in May."),
    )


def test_a_region_after_a_place_is_given_by_the_place():
    claim = profile("Parcel was founded in Austin, Texas, in 2011.")
    assert covers(claim, profile("Parcel was founded in Austin in 2011."))
    assert not covers(claim, profile("Parcel was founded in Austin, Minnesota, in 2011."))
    assert not covers(claim, profile("Parcel was founded in Dallas in 2011."))


def test_a_name_that_says_which_of_the_claims_subject_is_meant_is_who():

    claim = needing_article("The fire is 25% contained.", ["Pine County", "Redmont"])
    cedar = align.Profile.union(
        [
            profile("The Cedar Valley fire in Lake County forced 12,000 people from their homes."),
            profile("It burned 30,000 acres and was 25% contained by July 4."),
        ]
    )
    # "County" alone does not find "Lake County" among the article's "Pine County"
    assert align.elsewhere(claim, cedar) in ("Cedar Valley", "Lake County")
    assert not covers(claim, cedar)


def test_a_short_title_opening_with_a_place_names_it():
    title = profile("Eastvale exam results")
    assert [n.text for n in title.names] == ["Eastvale"]
    # a capitalised common word opening a sentence stays no name
    assert not profile("Bariatric surgery reduces weight in obese patients.").names


def test_none_of_a_thing_conflicts_with_a_count_of_it():
    claim = profile("The march was peaceful and there were no arrests, police said.")
    found = conflict(claim, profile("Officers made two arrests for public order offences."))
    assert found is not None and found.kind == "negation"
    assert conflict(claim, profile("Officers said they might make arrests.")) is None
    assert conflict(claim, profile("Police made no arrests.")) is None
    # a list's enumerator counts nothing: "(2) effect of …" is no count of effects
    effect = profile("Tirasemtiv has no effect on fast-twitch muscle.")
    listed = profile("We investigated (1) a new method and (2) effect of repeated biopsies.")
    assert align._none_but_counted(effect, listed) is None


def test_a_relative_clause_the_sentence_says_nothing_of_is_no_model_contradiction():
    claim = profile(
        "A landscape by Claire Moreau that was lost for almost a century has sold "
        "for $12.4 million."
    )
    sold = profile("Claire Moreau's River at Dusk sold for $12.4 million at auction.")
    assert not align.same_instance(claim, sold)
    found = profile("The landscape by Claire Moreau, lost for a century, sold for $12.4 million.")
    assert align.same_instance(claim, found)


def test_an_unlabelled_proper_noun_doing_the_main_verb_is_someone_the_article_never_names():
    from dataclasses import replace

    claim = needing_article(
        "It is the second strike by the airline's pilots this month.",
        ["Skyline Airways", "Aviator"],
    )
    northjet = profile("Northjet cancelled 340 flights as pilots staged their second strike.")
    assert align.elsewhere(claim, northjet) == "Northjet"
    # a bare sentence on a page whose title names a people or group the article never names
    bare = profile("The march was peaceful and there were no arrests, police said.")
    march = replace(bare, unresolved=True, article=align.name_words(["Dunmere"]))
    hallam = profile("Hallam protest passes peacefully").names
    assert align.elsewhere(march, bare, hallam) == "Hallam"


def test_sentences_read_together_with_a_conflicting_one_do_not_support():
    from claims.nli.verifier import NLIVerifier

    claim = profile("The march was peaceful and there were no arrests, police said.")
    read = align.Profile.union(
        [
            profile("Police said about 4,000 people took part in the march."),
            profile("Officers made two arrests for public order offences."),
        ]
    )
    found = NLIVerifier._conflict(claim, read, profile("Dunmere march").names)
    assert found is not None and found.kind == "negation"


def test_a_share_held_by_the_same_name_is_the_same_figure_whatever_the_verb():
    claim = profile("The Green Alliance is on 12%.")
    poll = profile(
        "Tallis's latest poll, of 2,014 adults, has the Reform Party on 34%, the Liberal "
        "Union on 27% and the Green Alliance on 11%."
    )
    found = conflict(claim, poll)
    assert found is not None and found.kind == "number" and found.same_predicate
    assert (found.claim_value, found.evidence_value) == ("12%", "11%")
    # a share of the same subject on another verb is still another figure
    other = conflict(
        profile("Incidence of heart failure decreased by 10% in women."),
        profile("The incidence of heart failure was higher among men, 95% of cases."),
    )
    assert other is None or not other.same_predicate


def test_what_a_bare_plural_does_in_one_place_it_may_do_in_another():
    assert (
        conflict(
            profile("Temperatures reached 38.7C in Brindley on Tuesday."),
            profile("Temperatures reached 38.7C in Kessel on Tuesday."),
        )
        is None
    )
    found = conflict(
        profile("The summit was held in Kazan."), profile("The summit was held in Moscow.")
    )
    assert found is not None and found.kind == "place"


def test_a_pronoun_subject_of_a_copula_refers_back():
    assert align.refers_back(profile("It was the hottest day of the year so far."))
    assert align.refers_back(profile("It will have four new stations."))
    assert not align.refers_back(profile("The line will have three new stations."))


def test_a_name_within_the_main_subject_is_who_does_it():
    claim = needing_article(
        "Seven of the nine members of its monetary policy committee voted to hold rates.",
        ["Bank of Estora", "Estoran"],
    )
    marrow = profile("The central bank of Marrow cut its main interest rate to 4% on Thursday.")
    assert [n.in_subject for n in marrow.names if n.text == "Marrow"] == [True]
    assert align.elsewhere(claim, marrow) == "Marrow"
    # a place of the verb's is not within its subject
    vienna = profile("Talks collapsed in Vienna in March.")
    assert [n.in_subject for n in vienna.names if n.text == "Vienna"] == [False]
    # nor is a name of a verb of saying's subject who did it
    said = profile("A spokesman for Marrow's central bank said seven of nine members voted.")
    assert align.elsewhere(claim, said) is None


def test_a_named_subject_the_article_never_gives_is_another_thing_though_it_shares_a_name():
    claim = needing_article(
        "The drug has not yet been approved in the United States.",
        ["Medicines Agency of Calder", "Hepavir", "Orlen Pharma"],
    )
    tavrolin = profile(
        "Orlen Pharma's cancer drug Tavrolin was approved by the US Food and Drug "
        "Administration on Wednesday."
    )
    assert align.elsewhere(claim, tavrolin) == "Tavrolin"
    assert conflict(claim, tavrolin) is None
    # the article's own drug is read by the name checks as before
    hepavir = profile("Hepavir was approved by the US Food and Drug Administration on Wednesday.")
    assert align.elsewhere(claim, hepavir) is None
    # a claim whose subject has a name is left to the name checks
    named_subject = needing_article("Orlen Pharma has not applied in the United States.", [])
    assert align.elsewhere(named_subject, tavrolin) is None


def test_a_subject_named_otherwise_than_the_claims_tells_of_another_thing():
    claim = profile(
        "A wildfire in Pine County has forced about 12,000 people to leave their homes."
    )
    cedar = profile("The Cedar Valley fire in Lake County forced 12,000 people from their homes.")
    assert align.other_subject(claim, cedar)
    pine = profile("Around 12,000 residents of Pine County have been ordered to evacuate.")
    assert not align.other_subject(claim, pine)
    # a claim whose subject has no name is left to the other checks
    bare = profile("About 12,000 people have been forced to leave their homes.")
    assert not align.other_subject(bare, cedar)
    # a name of another kind is no rival: an agency of the claim's country
    claim = profile("Higher education institutions in the Philippines have autonomous status.")
    assert not align.other_subject(claim, profile("CHED has prescribed guidelines for autonomy."))


def test_a_superlative_of_another_place_is_not_the_claims():
    claim = profile("Norland is Calder's largest trading partner.")
    second = profile("Norland was Calder's second-largest trading partner in 2024, after Estora.")
    assert "sup:large@second" in second.scope
    assert not covers(claim, second)
    assert covers(claim, profile("Norland is Calder's largest trading partner."))


def test_a_level_of_the_same_thing_conflicts_whatever_verb_states_it():
    claim = profile("Trade between the two countries reached $12.2 billion in 2024.")
    found = conflict(
        claim, profile("Trade between Solvia and Indora was worth $10.8 billion in 2024.")
    )
    assert found is not None and found.kind == "number" and found.same_predicate
    # another thing's level, or another verb than one of a level, is not the claim's slot
    other = conflict(claim, profile("Exports to Indora were worth $10.8 billion in 2024."))
    assert other is None or not other.same_predicate
    spent = conflict(
        claim, profile("Trade between Solvia and Indora fell by $10.8 billion in 2024.")
    )
    assert spent is None or not spent.same_predicate


def test_a_word_the_tagger_took_for_a_name_is_none_for_a_claim_that_needs_its_article():
    claim = needing_article("Turnout was 71%, the highest since 1998.", ["Civic Union", "Westmark"])
    ostland = profile("Turnout was 71%, the highest since 1998.")
    assert align.names_nothing(claim, ostland)
    norway = profile("Turnout record in Norway").names
    assert align.elsewhere(claim, ostland, norway) == "Norway"
    westmark = profile("Westmark election: turnout record").names
    assert align.elsewhere(claim, ostland, westmark) is None
    before = profile("The centre-right won 64 of the 150 seats in Ostland's election on Sunday.")
    # read together, whose election it was places the pair (the tagger reads "Ostland"
    # as an organisation, no place)
    assert align.elsewhere(claim, align.Profile.union([before, ostland])) == "Ostland"


def test_a_name_saying_which_thing_the_claims_verb_is_about_places_the_sentence():
    claim = needing_article(
        "Environment Minister Lena Harcourt called it the worst spill in the region's history.",
        ["Kestrel Bay", "Arctic Dawn", "Liberia", "Lena Harcourt"],
    )
    sable = profile(
        "Environment Minister Lena Harcourt called the Sable Bay spill the worst spill in "
        "the region's history."
    )
    # "the Sable Bay" is one name: its "the" belongs to "spill", which the name says which of
    assert [(n.restricts, n.restricted) for n in sable.names if "Sable" in n.text] == [
        (True, "spill")
    ]
    assert align.elsewhere(claim, sable) == "Sable Bay"
    kestrel = profile(
        "Environment Minister Lena Harcourt called the Kestrel Bay spill the worst spill in "
        "the region's history."
    )
    assert align.elsewhere(claim, kestrel) is None
    # a claim that stands alone is left to the name checks
    alone = profile("Lena Harcourt called the spill the worst in the region's history.")
    assert align.elsewhere(alone, sable) is None


def test_the_kind_of_a_place_alone_does_not_find_its_name():
    claim = profile("Lena Harcourt visited Kestrel Bay on Monday.")
    assert not covers(claim, profile("Lena Harcourt visited Sable Bay on Monday."))
    assert covers(claim, profile("Lena Harcourt visited Kestrel Bay on Monday."))


def test_a_place_the_article_never_gives_for_the_claims_event_places_the_sentence():
    claim = needing_article(
        'The jury, led by actor Jonas Berg, praised its "quiet power".',
        ["Mira Okonjo", "Vesna International Film Festival", "Jonas Berg"],
    )
    lumen = profile(
        "At the Lumen festival, the jury, led by actor Jonas Berg, praised the winning "
        'film\'s "quiet power".'
    )
    assert align.elsewhere(claim, lumen) == "Lumen"
    vesna = profile(
        "At the Vesna festival, the jury, led by actor Jonas Berg, praised the winning "
        'film\'s "quiet power".'
    )
    assert align.elsewhere(claim, vesna) is None
    # a sentence whose subject is the article's own firm is about it, wherever it was founded
    founded = needing_article(
        "The firm was founded in 1962 by the engineer Thomas Marlow.", ["Marlow Motors"]
    )
    coventry = profile(
        "Marlow Motors was founded in 1958 by the engineer Thomas Marlow in a workshop in Coventry."
    )
    assert align.elsewhere(founded, coventry) is None


def test_a_claim_that_stands_alone_is_not_read_from_another_such_thing_its_article_never_names():
    claim = from_article(
        "Colin Marsh's deputy, Rachel Owusu, will lead the force in the meantime.",
        ["Colin Marsh", "Haverford", "Rachel Owusu"],
    )
    kelby = profile(
        "Deputy chief Rachel Owusu will lead the Kelby force while its chief is on leave."
    )
    assert align.elsewhere(claim, kelby) == "Kelby"
    assert not covers(claim, kelby)
    haverford = profile("Deputy chief Rachel Owusu will lead the Haverford force in the meantime.")
    assert align.elsewhere(claim, haverford) is None
    # without its article's names, a claim is read as before
    assert align.elsewhere(profile("Rachel Owusu will lead the force."), kelby) is None


def test_a_name_saying_what_the_claims_verb_is_about_in_a_phrase_it_leaves_out_is_another_matter():
    claim = from_article(
        "Council leader Hannah Rees blamed rising steel prices.",
        ["Brenton", "Hannah Rees", "Brenton Athletic"],
    )
    bypass = profile(
        "Council leader Hannah Rees blamed rising steel prices for the delay to the Harwick bypass."
    )
    assert align.elsewhere(claim, bypass) == "Harwick"
    stadium = profile(
        "Council leader Hannah Rees blamed rising steel prices for the delay to the Brenton "
        "stadium."
    )
    assert align.elsewhere(claim, stadium) is None
    # a place of the verb's object is a detail, not what the verb is about
    cuts = from_article("Marlow Motors will cut 600 jobs.", ["Marlow Motors"])
    sunderland = profile("Marlow Motors will cut 600 jobs at its plant in Sunderland.")
    assert align.elsewhere(cuts, sunderland) is None
    concerned = from_article(
        'The European Union said it was "deeply concerned".',
        ["Norland", "Calder", "The European Union"],
    )
    marrow = profile(
        "The European Union said it was deeply concerned by Marrow's new tariffs and would "
        "consider a response."
    )
    assert align.elsewhere(concerned, marrow) == "Marrow"


def test_another_occasion_or_another_person_of_the_same_name_is_elsewhere():
    claim = from_article(
        "Prime Minister Ola Strand said the army had been deployed to help.",
        ["Vardo", "Keld", "Ola Strand"],
    )
    ferren = profile(
        "Prime Minister Ola Strand said the army had been deployed to help after the floods "
        "in Ferren."
    )
    assert align.elsewhere(claim, ferren) == "Ferren"
    keld = profile(
        "Prime Minister Ola Strand said the army had been deployed to help after the storm in Keld."
    )
    assert align.elsewhere(claim, keld) is None
    rector = from_article(
        "Rector Maria Lind said the rise reflected record research funding.",
        ["Halden University", "Maria Lind"],
    )
    brenna = profile(
        "Rector Maria Lind of Brenna University said the rise reflected record research funding."
    )
    assert align.elsewhere(rector, brenna) == "Brenna University"
    halden = profile(
        "Rector Maria Lind of Halden University said the rise reflected record research funding."
    )
    assert align.elsewhere(rector, halden) is None


def test_words_said_at_another_building_or_body_are_elsewhere():
    claim = from_article(
        "Chief executive Nils Ek said the growth was driven by low-cost airlines.",
        ["Halvik Airport", "Sorby", "Nils Ek"],
    )
    varn = profile(
        "At Varn Airport, chief executive Nils Ek said the growth was driven by low-cost airlines."
    )
    assert align.elsewhere(claim, varn) == "Varn Airport"
    halvik = profile(
        "At Halvik Airport, chief executive Nils Ek said the growth was driven by low-cost "
        "airlines."
    )
    assert align.elsewhere(claim, halvik) is None


def test_a_name_where_the_claim_leaves_a_thing_to_its_article_is_another_thing():
    claim = needing_article(
        "Transport Secretary Moira Dunn said work to dual the road would be completed by 2035.",
        ["A9", "Dunkeld", "Moira Dunn"],
    )
    a96 = profile(
        "Transport Secretary Moira Dunn said work to dual the A96 would be completed by 2035."
    )
    titled = profile("A96 dualling timetable").names
    assert align.elsewhere(claim, a96, titled) == "A96"
    assert not covers(claim, a96, title_names=titled)
    a9 = profile(
        "Transport Secretary Moira Dunn said work to dual the A9 would be completed by 2035."
    )
    assert align.elsewhere(claim, a9, profile("A9 dualling timetable").names) is None
    # a page that names what the article leaves unnamed, but is not titled with it, may be
    # on the article's thing: "the Santa Rita" for the article's "the ship"
    ship = needing_article(
        "The transport minister, Luis Ferro, said the ship had passed a safety inspection in June.",
        ["Luis Ferro", "Pelago"],
    )
    santa_rita = profile(
        "Transport Minister Luis Ferro said the Santa Rita had passed a safety inspection in May."
    )
    assert (
        align.elsewhere(ship, santa_rita, profile("Minister: ship passed inspection").names) is None
    )


def test_a_name_that_says_which_of_the_claims_unnamed_things_is_meant_is_elsewhere():
    # "History" is no word of the claim's "historian": a name is read against names
    claim = from_article(
        'The chair of the judges, historian Mark Ellery, described the book as "a masterpiece '
        'of restraint".',
        ["Siobhan Kerr", "Halden Prize", "Mark Ellery"],
    )
    corran = profile(
        "Mark Ellery, chair of the judges of the Corran History Prize, described the winning "
        'book as "a masterpiece of restraint".'
    )
    assert align.elsewhere(claim, corran) == "Corran History Prize"
    halden = profile(
        "Mark Ellery, chair of the judges of the Halden Prize, described the winning book as "
        '"a masterpiece of restraint".'
    )
    assert align.elsewhere(claim, halden) is None


def test_whom_a_sentence_says_was_told_places_it():
    claim = needing_article(
        "The notice is expected to remain in place until at least Thursday.", ["Pellham"]
    )
    ferrby = profile(
        "Residents of Ferrby have been told to boil their water after a treatment fault, "
        "South Downs Water said. The notice is expected to remain in place until at least "
        "Thursday."
    )
    assert align.elsewhere(claim, ferrby) == "Ferrby"
    pellham = profile(
        "Residents of Pellham have been told to boil their water, Northvale Water said. The "
        "notice is expected to remain in place until at least Thursday."
    )
    assert align.elsewhere(claim, pellham) is None


def test_none_of_some_of_a_thing_is_not_none_of_it():
    claim = from_article(
        "Public health official Rachel Moore said there had been no confirmed cases of illness.",
        ["Pellham", "Rachel Moore"],
    )
    school = profile(
        "Public health official Dr Rachel Moore said there had been no confirmed cases of "
        "illness linked to the school's water supply."
    )
    assert align.narrower_none(claim, school)
    assert not covers(claim, school)
    # the words of the claim, a name of its article and a date narrow nothing
    for text in (
        "Dr Rachel Moore said there had been no confirmed cases of illness.",
        "Dr Rachel Moore said there had been no confirmed cases of illness in Pellham.",
        "Dr Rachel Moore said on Monday there had been no confirmed cases of illness.",
    ):
        assert not align.narrower_none(claim, profile(text)), text


def test_a_title_naming_another_place_places_the_claims_own_speaker():
    claim = needing_article(
        "Highland Express said it was cooperating fully with the investigation.",
        ["A9", "Dunkeld", "Highland Express"],
    )
    words = profile("Highland Express said it was cooperating fully with the investigation.")
    aviemore = profile("Bus hits shelter in Aviemore")
    assert align.elsewhere(claim, words, aviemore.names) == "Aviemore"
    assert align.elsewhere(claim, words, profile("Coach overturns near Dunkeld").names) is None
    assert align.elsewhere(claim, words) is None


def test_an_age_set_beside_a_name_is_a_figure():
    claim = profile("Kerr, 41, grew up in Sligo.")
    found = conflict(claim, profile("Kerr, 43, grew up in Sligo."))
    assert found is not None and found.kind == "age"
    assert found.claim_value == "41" and found.evidence_value == "43"
    assert conflict(claim, profile("Kerr, 41, grew up in Sligo.")) is None
    victim = profile("The victim, 41, was taken to hospital.")
    assert conflict(victim, profile("The victim, 43, was taken to hospital.")) is not None
    # a bare number not set beside a name counts nothing the checks know
    assert (
        conflict(profile("Kerr scored 41 in Sligo."), profile("Kerr scored 43 in Sligo.")) is None
    )


def test_another_name_of_the_same_kind_is_another_thing():
    claim = profile("Northvale Water was fined £2.4 million in 2023 for pollution offences.")
    eastmere = profile("Eastmere Water was fined £2.4 million in 2023 for pollution offences.")
    assert align.rival_named(claim, eastmere) == "Eastmere Water"
    assert not covers(claim, eastmere)
    lower = profile("Eastmere Water was fined £1.4 million in 2023 for pollution offences.")
    found = conflict(claim, lower)
    assert found is None or not align.same_instance(claim, lower, found.kind)
    # the name in part, in full with more, or spelled otherwise is the same
    for text in (
        "Northvale was fined £2.4 million in 2023 for pollution offences.",
        "Northvale Water Services was fined £2.4 million in 2023 for pollution offences.",
    ):
        assert align.rival_named(claim, profile(text)) is None, text
    kim = profile("Kim Jong Un met Vladimir Putin in Vladivostok.")
    assert align.rival_named(kim, profile("Kim Jong-un met Vladimir Putin in Vladivostok.")) is None


def test_words_on_a_matter_the_claims_article_never_speaks_of_are_on_another_matter():
    claim = from_article(
        'Chairman Alan Pryce said the decision had been "extremely difficult".',
        ["Harbour City", "Tomas Lind", "Alan Pryce"],
    )
    ground = profile(
        "Chairman Alan Pryce said the decision to sell the club's training ground had been "
        '"extremely difficult".'
    )
    assert align.said_of_another_matter(claim, ground)
    assert not covers(claim, ground)
    same = profile('Alan Pryce said the decision had been "extremely difficult".')
    assert not align.said_of_another_matter(claim, same) and covers(claim, same)
    # by a name: "an investigation into the failure of the Dunmore cable"
    doyle = from_article(
        "Energy minister Clare Doyle said an investigation would be carried out.",
        ["Marlowe", "Clare Doyle"],
    )
    cable = profile(
        "Energy minister Clare Doyle said an investigation would be carried out into the "
        "failure of the Dunmore cable."
    )
    assert align.elsewhere(doyle, cable) == "Dunmore"


def test_speakers_of_rival_names_are_other_speakers():
    claim = profile("Grid West said power had been restored to 31,000 homes by 10pm.")
    east = profile("Grid East said power had been restored to 31,000 homes by 10pm.")
    assert align.other_speaker(claim, east) and not covers(claim, east)
    assert not align.other_speaker(claim, claim)
    # an office is no part of the name: "President Putin" is "Vladimir Putin"
    putin = profile("President Putin said the talks were useful.")
    assert not align.other_speaker(putin, profile("Vladimir Putin said the talks were useful."))


def test_the_ordinal_second_is_not_the_unit_of_time():
    claim = profile("It is the second raid on a jeweller in the city this year.")
    seconds = profile("No one was hurt in the raid on the jeweller, which lasted about 90 seconds.")
    assert not covers(claim, seconds)
    assert "second" in profile("It is the second-largest city.").ordinals


def test_a_sentence_with_none_of_the_claims_names_is_placed_by_its_title():
    # "Premier Division", untagged, is the article's word for "the division"
    claim = needing_article(
        "It is the third managerial change in the Premier Division this season.",
        ["Harbour City", "Tomas Lind"],
    )
    other = profile("It is the third managerial change in the division this season.")
    kelso = profile("Kelso Rovers sack Dan Hart").names
    assert align.elsewhere(claim, other, kelso) in ("Kelso Rovers", "Dan Hart")
    assert align.elsewhere(claim, other, profile("Harbour City sack Tomas Lind").names) is None
    # whom it was for is not what the page is about
    flight = needing_article("It was the Vantor-2 rocket's third flight.", ["Halberd Aerospace"])
    nwa = profile(
        "Halberd Aerospace's Vantor-2 rocket lifted off on Tuesday with a satellite for the "
        "National Weather Agency. It was the third flight of the Vantor-2."
    )
    titled = profile("Vantor-2 launches NWA weather satellite").names
    assert align.elsewhere(flight, nwa, titled) is None


def test_another_thing_of_the_kind_named_otherwise_is_another_thing():
    claim = from_article(
        "Headliners The Lanterns were due to close the Greenvale music festival.",
        ["Greenvale", "Paula Keane"],
    )
    riverside = profile("The Lanterns were due to close the Riverside festival in Kelby.")
    assert align.other_of_its_kind(claim, riverside) == "Riverside"
    assert not covers(claim, riverside)
    # the claim's own name, or another name its article gives, is no other thing
    greenvale = profile("The Lanterns were due to close the Greenvale festival.")
    assert align.other_of_its_kind(claim, greenvale) is None
    # a claim read without an article has no names of its own to tell
    alone = profile("Headliners The Lanterns were due to close the Greenvale music festival.")
    assert align.other_of_its_kind(alone, riverside) is None


def test_a_bound_that_says_which_of_a_counted_subject_is_no_conflict():
    claim = profile("More than 300 patients waited longer than 12 hours.")
    average = profile("Patients waited an average of five hours and 40 minutes to be seen.")
    assert conflict(claim, average) is None
    # the count itself still conflicts, and a wait with no count is a wait
    found = conflict(claim, profile("250 patients waited longer than 12 hours."))
    assert found is not None and found.kind == "number"
    assert conflict(profile("Patients waited longer than 12 hours."), average) is not None
