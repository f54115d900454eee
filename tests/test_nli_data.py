"""Training-pair helpers of the offline verifier (no data needed)."""

from __future__ import annotations

import random

from training.nli_data import ENTAILS, leading_clause, restatement_pairs


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
