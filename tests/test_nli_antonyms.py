"""Opposite predicates (claims.nli.antonyms, align.antonym_conflict) on spaCy parses."""

from __future__ import annotations

from claims.nli import align
from claims.nli.align import profile
from claims.nli.antonyms import antonyms, opposed, opposites, predicates
from claims.nlp import pipeline


def preds(text: str):
    return predicates(pipeline()(text))


def test_the_table_holds_wordnet_antonyms_both_ways() -> None:
    assert "open" in antonyms("close") and "close" in antonyms("open")
    assert {"dangerous"} <= antonyms("safe") and "win" in antonyms("lose")
    assert antonyms("Close") == antonyms("close")
    assert antonyms("summit") == frozenset()


def test_predicates_read_subjects_objects_passives_and_predicate_adjectives() -> None:
    (approved,) = preds("The Senate approved the bill.")
    assert (approved.lemma, approved.subjects, approved.objects) == (
        "approve",
        {"senate"},
        {"bill"},
    )
    (rejected,) = preds("The bill was rejected by the Senate.")
    assert (rejected.subjects, rejected.objects) == ({"senate"}, {"bill"})
    open_ = [p for p in preds("The plant would stay open.") if p.lemma == "open"]
    assert open_ and open_[0].subjects == {"plant"}
    kept = [p for p in preds("The company kept the plant open.") if p.lemma == "open"]
    assert kept and kept[0].subjects == {"plant"}
    # without an agent a passive also says its subject's state
    closed = [p for p in preds("The crossing was closed.") if p.subjects == {"crossing"}]
    assert closed and closed[0].lemma == "close"


def test_predicates_say_whether_they_are_negated_stated_and_main() -> None:
    (closed,) = [p for p in preds("The plant did not close.") if p.lemma == "close"]
    assert closed.negated and closed.asserted and closed.main
    (maybe,) = [p for p in preds("The plant may close.") if p.lemma == "close"]
    assert not maybe.negated and not maybe.asserted
    (adjective,) = [p for p in preds("Nutrition is not predictive of disease.")]
    assert (adjective.lemma, adjective.subjects) == ("predictive", {"nutrition"})
    assert adjective.negated and adjective.main
    # a participle that only modifies a noun is no predicate
    assert not [p for p in preds("Use was tied to an increased risk.") if p.lemma == "increase"]


def test_a_negated_predicate_is_left_to_the_negation_check() -> None:
    stays = profile("The plant will stay open.")
    assert align.antonym_conflict(stays, profile("The plant did not close.")) is None
    assert (
        align.antonym_conflict(
            profile("The plant did not stay open."), profile("The plant closed.")
        )
        is None
    )


def test_opposed_needs_the_same_subject_and_object() -> None:
    (lost,) = preds("The team lost the final.")
    (won,) = preds("The team won the final.")
    (other,) = preds("The rival club won the final.")
    (kept,) = preds("The team won the toss.")
    assert opposed(lost, won)
    assert not opposed(lost, other)  # another subject
    assert not opposed(lost, kept)  # another object


def test_an_opposite_predicate_of_the_same_subject_is_a_conflict() -> None:
    claim = profile("The minister said the plant will close next year.")
    found = align.conflict(claim, profile("The minister said the plant would stay open."))
    assert found is not None and found.kind == "antonym"
    assert (found.claim_value, found.evidence_value) == ("close", "open")
    remained = profile("The border crossing remained open during the fighting.")
    closed = align.antonym_conflict(remained, profile("The border crossing was closed."))
    assert closed is not None


def test_no_antonym_conflict_where_the_evidence_also_says_the_claims_predicate() -> None:
    claim = profile("The airport remained open after the storm.")
    both = profile("Schools were closed after the storm, but the airport remained open.")
    assert align.antonym_conflict(claim, both) is None
    shares = profile("Shares fell sharply.")
    assert align.antonym_conflict(shares, profile("Shares rose after sales fell.")) is not None


def test_a_possibility_denies_no_fact() -> None:
    claim = profile("The plant will close.")
    assert align.antonym_conflict(claim, profile("The plant may stay open.")) is None


def _only(text: str, lemma: str):
    (found,) = [p for p in preds(text) if p.lemma == lemma and p.objects | p.subjects]
    return found


def test_a_no_denies_the_verb_of_what_it_names() -> None:
    produced = _only("The summit produced no agreement on payments.", "produce")
    assert produced.negated and produced.denied == {"agreement", "payment"}
    ended = [p for p in preds("The summit ended with no joint declaration.") if p.lemma == "end"]
    assert ended[0].negated and "declaration" in ended[0].denied
    nobody = [p for p in preds("Nobody was injured in the fire.") if p.lemma == "injure"]
    assert nobody[0].negated and nobody[0].denied == frozenset()
    no_one = [p for p in preds("No one was killed in the blast.") if p.lemma == "kill"]
    assert no_one[0].negated and no_one[0].objects == frozenset()


def test_failing_refusing_and_yet_to_deny_their_infinitive() -> None:
    for text, lemma in [
        ("The Duma failed to ratify the treaty.", "ratify"),
        ("The airline refused to compensate the passengers.", "compensate"),
        ("Putin declined to comment on the reports.", "comment"),
        ("Saudi Arabia has yet to formally join Brics.", "join"),
        ("Marjorie Gross is yet to write for television.", "write"),
    ]:
        (found,) = [p for p in preds(text) if p.lemma == lemma]
        assert found.negated and found.asserted, text
    # the verb's own negation undoes it: "did not fail to ratify" ratified
    (twice,) = [
        p for p in preds("The Duma did not fail to ratify the treaty.") if p.lemma == "ratify"
    ]
    assert not twice.negated
    # an infinitive of wanting or voting is still no stated fact
    (wanted,) = [p for p in preds("The company wants to cut jobs.") if p.lemma == "cut"]
    assert not wanted.negated and not wanted.asserted


def test_opposites_through_a_synonym_and_verbs_of_saying() -> None:
    assert "reject" in opposites("approve") and "turn_down" in opposites("accept")
    assert "reject" not in antonyms("approve")  # looser: kept out of the direct table
    assert "deny" in antonyms("confirm") and "acknowledge" in antonyms("deny")
    (claim,) = preds("The union accepted the offer.")
    (turned,) = preds("The union turned down the offer.")
    assert turned.phrasal == "turn_down"
    assert opposed(claim, turned, loose=True) and not opposed(claim, turned)


def test_predicates_read_plain_past_and_future() -> None:
    tenses = {p.lemma: p.tense for p in preds("The country held elections and will vote again.")}
    assert tenses == {"hold": "past", "vote": "future"}
    assert [p.tense for p in preds("The minister was elected in May.")][0] == "past"
    assert [p.tense for p in preds("The bridge has closed.")] == ["past"]
    assert [p.tense for p in preds("The bridge closes at night.")] == [""]


def test_indirect_antonyms_of_adjectives_are_loose_opposites() -> None:
    assert "violent" in opposites("peaceful") and "violent" not in antonyms("peaceful")
    (claim,) = preds("The protest was peaceful.")
    violent = next(p for p in preds("The protest turned violent.") if p.lemma == "violent")
    assert opposed(claim, violent, loose=True) and not opposed(claim, violent)


def test_a_past_tense_tagged_as_a_participle_is_past() -> None:
    (reopened,) = preds("The bridge reopened on Monday.")
    assert reopened.tense == "past"


def test_an_adverb_a_copula_says_of_its_subject_is_a_predicate() -> None:
    (over,) = [p for p in preds("The crisis is not over yet.") if p.lemma != "be"]
    assert (over.lemma, over.negated, over.subjects) == ("over", True, {"crisis"})
    assert preds("The president is now in Kyiv.") == ()
    found = align.conflict(
        profile("The WHO said the outbreak was over."),
        profile("The WHO said the outbreak was not over."),
    )
    assert found is not None and found.kind == "negation"


def test_an_object_the_parser_tags_as_an_adjective_is_an_object() -> None:
    # spaCy tags "final" of "lost the final on penalties" an adjective
    (lost,) = [p for p in preds("The club lost the final on penalties.") if p.lemma == "lose"]
    assert lost.objects == {"final"}
    found = align.antonym_conflict(
        profile("The club won the final."), profile("The club lost the final on penalties.")
    )
    assert found is not None and (found.claim_value, found.evidence_value) == ("won", "lost")


def test_opposites_need_the_same_doer_and_thing_done_to_by_their_head_words() -> None:
    (rejected,) = [p for p in preds("The union's members rejected the deal.") if p.main]
    assert (rejected.doers, rejected.done_to) == ({"member"}, {"deal"})
    (passive,) = [p for p in preds("The bill was rejected by the Senate.") if p.main][:1]
    assert (passive.doers, passive.done_to) == ({"senate"}, {"bill"})
    union = profile("The union accepted the deal.")
    members = profile("The union's members rejected the deal.")
    assert align.antonym_conflict(union, members) is None
    assert not align.covers(union, members)  # nor does it confirm: support stays away
    court = profile("The court accepted the evidence.")
    request = profile("The court rejected the defence's request to exclude the evidence.")
    assert align.antonym_conflict(court, request) is None
    found = align.antonym_conflict(union, profile("The union rejected the deal."))
    assert found is not None and found.kind == "antonym"


def test_an_opposite_through_a_synonym_refutes_only_the_same_doer_and_thing() -> None:
    # "reject" shares a sense with "disapprove", the antonym of "approve"
    claim = profile("Parliament approved the budget.")
    found = align.antonym_conflict(claim, profile("Parliament rejected the budget by 210 votes."))
    assert found is not None and (found.claim_value, found.evidence_value) == (
        "approved",
        "rejected",
    )
    for other in (
        "Parliament rejected the opposition's amendments to the budget.",
        "The opposition rejected the budget.",
        "Parliament may reject the budget.",
    ):
        assert align.antonym_conflict(claim, profile(other)) is None, other
