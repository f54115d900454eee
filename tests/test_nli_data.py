"""Training-pair helpers of the offline verifier (no data needed)."""

from __future__ import annotations

import random

from training.nli_data import (
    ENTAILS,
    NEUTRAL,
    NOT_ENTAILS,
    Pair,
    _balance,
    _split_keys,
    detok,
    leading_clause,
    list_subset_pairs,
    restatement_pairs,
)


def test_leading_clause_cuts_after_enough_words_and_keeps_brackets_whole() -> None:
    assert (
        leading_clause("Brics began in 2009 with four members: Brazil, Russia, India and China.")
        == "Brics began in 2009 with four members."
    )
    assert (
        leading_clause(
            "The Plantation (also known as Cedar Heights) is a house near Pittsview, Alabama."
        )
        == "The Plantation (also known as Cedar Heights) is a house near Pittsview."
    )
    assert leading_clause("Short one, then more words follow here.") is None  # cut too early
    assert leading_clause("Although it rained all day, the match went ahead as planned.") is None
    assert leading_clause("No comma in this fairly long sentence at all.") is None


def test_restatement_pairs_entail_and_are_grouped_by_sentence() -> None:
    sentences = [
        "Brics began in 2009 with four members: Brazil, Russia, India and China.",
        "The bridge reopened in 2021 after a two-year repair, the mayor said.",
        "Too short.",
    ]
    pairs = restatement_pairs(sentences, random.Random(0), limit=10)
    assert len(pairs) == 2  # the short sentence is skipped
    for pair in pairs:
        assert pair.label == ENTAILS and pair.source == "synthetic-restatement"
        assert pair.evidence in sentences
        assert pair.claim == pair.evidence or pair.evidence.startswith(pair.claim[:-1])
    assert len({p.group for p in pairs}) == 2


def test_detok_turns_fever_tokens_into_prose() -> None:
    assert (
        detok("Paris -LRB- France -RRB- is the capital , it 's said .")
        == "Paris (France) is the capital, it's said."
    )


def test_list_subset_pairs_keep_a_subset_of_the_listed_names() -> None:
    sentence = (
        "Brics later expanded to include South Africa, Egypt, Ethiopia, Iran, and the "
        "United Arab Emirates."
    )
    pairs = list_subset_pairs([sentence], random.Random(3), limit=5)
    assert len(pairs) == 1
    pair = pairs[0]
    assert pair.label == ENTAILS and pair.evidence == sentence
    assert pair.claim != sentence and pair.claim.startswith("Brics later expanded to include ")
    assert len(pair.claim) < len(sentence)


def test_split_keys_join_pairs_sharing_a_claim_or_a_group() -> None:
    pairs = [
        Pair("Claim A.", "e1", ENTAILS, "s", "vitc:case1"),
        Pair("Claim B.", "e2", NEUTRAL, "s", "vitc:case1"),  # same case as A
        Pair("claim a", "e3", NOT_ENTAILS, "t", "fever:9"),  # same claim as A
        Pair("Claim C.", "e4", ENTAILS, "s", "vitc:case2"),
    ]
    keys = _split_keys(pairs)
    assert keys[0] == keys[1] == keys[2] != keys[3]


def test_balance_caps_each_class_relative_to_the_smallest() -> None:
    pairs = [Pair(f"c{i}", "e", ENTAILS, "s", f"g{i}") for i in range(100)]
    pairs += [Pair(f"d{i}", "e", NEUTRAL, "s", f"h{i}") for i in range(10)]
    pairs += [Pair(f"f{i}", "e", NOT_ENTAILS, "s", f"k{i}") for i in range(50)]
    out = _balance(pairs, random.Random(0), None, ratio=1.5)
    counts = {
        label: sum(p.label == label for p in out) for label in (ENTAILS, NEUTRAL, NOT_ENTAILS)
    }
    assert counts == {ENTAILS: 15, NEUTRAL: 10, NOT_ENTAILS: 15}


def test_mixed_pairs_repeat_the_shipped_set_and_keep_each_claim_on_one_side(
    monkeypatch, tmp_path
) -> None:
    import training.nli_data as nli_data

    def pair(claim: str, group: str, label: int = ENTAILS) -> Pair:
        return Pair(claim, "evidence " + claim, label, "test", group)

    # a group the shipped 8 % hash split holds out, and one it keeps for training
    held_group = next(f"g{i}" for i in range(1000) if nli_data._held_out(f"g{i}", 0.08))
    kept_group = next(f"g{i}" for i in range(1000) if not nli_data._held_out(f"g{i}", 0.08))
    shipped = (
        [pair("Shipped claim.", kept_group), pair("Also in the large held-out.", kept_group)],
        [pair("Shipped held-out claim.", held_group)],
    )
    large = (
        [
            pair("Large claim.", kept_group, NEUTRAL),
            pair("Shipped held-out claim.", "other"),  # the shipped split holds it out
            pair("Large claim of a held group.", held_group),
        ],
        [pair("Also in the large held-out.", "x", NOT_ENTAILS)],
    )
    monkeypatch.setattr(
        nli_data,
        "build_pairs",
        lambda root, *, seed=13, limit=None, recipe="large": (
            shipped if recipe == "shipped" else large
        ),
    )
    train, held = nli_data.mixed_pairs(tmp_path, limit=10)
    claims = [p.claim for p in train]
    assert sorted(claims) == sorted(["Shipped claim."] * nli_data.SHIPPED_WEIGHT + ["Large claim."])
    assert {p.claim for p in held} == {"Shipped held-out claim.", "Also in the large held-out."}
    assert not {p.claim for p in held} & set(claims)
