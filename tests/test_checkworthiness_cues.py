from __future__ import annotations

import pytest

from claims import cues
from claims.models import ClaimKind


def test_numbers_percentages_money_quantities() -> None:
    text = "Unemployment fell to 3.5% in 2019, saving $1.2 billion and 40,000 jobs."
    assert cues.numbers(text) == ["3.5", "2019", "1.2", "40,000"]
    assert cues.has_percentage(text)
    assert cues.has_money(text)
    assert cues.has_quantity(text)
    assert cues.years(text) == ["2019"]
    assert cues.numbers_beyond_years(text) == ["3.5", "1.2", "40,000"]
    assert cues.has_percentage("a rise of 12 per cent")
    assert not cues.has_percentage("a rise of twelve")
    assert cues.has_quantity("thousands of troops")
    assert not cues.has_money("We paid attention.")


def test_dates() -> None:
    assert cues.has_date("on Oct 24 the vote passed")
    assert cues.has_date("It happened on Tuesday.")
    assert cues.has_date("It happened two years ago.")
    assert cues.has_date("Elections are held in May.")
    assert not cues.has_date("You may go now.")
    assert cues.numbers_beyond_years("Lawmakers voted on Oct 24, 2024.") == []


def test_capitalised_spans_skip_first_word_and_pronouns() -> None:
    spans = cues.capitalised_spans("Yesterday Vladimir Putin met the UN chief in Kazan.")
    assert spans == ["Vladimir Putin", "UN", "Kazan"]
    assert cues.capitalised_spans("I think so.") == []


def test_attribution_opinion_person_question_quotes() -> None:
    assert cues.has_attribution("According to the ministry, prices rose.")
    assert cues.has_attribution("Mr Haq said the UN leader was on standby.")
    assert not cues.has_attribution("Prices rose.")
    assert "illusory" in cues.opinion_words("These are illusory calculations.")
    assert "i think" in cues.opinion_words("I think we should go.")
    assert cues.opinion_words("The bridge is 40 metres long.") == []
    assert cues.first_person("We need a ceasefire.")
    assert cues.second_person("You know it.")
    assert not cues.first_person("Bridges need repair.")
    assert cues.is_question("Is it true?”")
    assert cues.quotes("He said “no way” and ‘never’.") == ["no way", "never"]
    assert cues.quotes("Russia’s army isn’t quoted.") == []
    assert cues.quoted_fraction("“All of this is quoted.”") > 0.9


def test_clause_detection() -> None:
    assert cues.is_clause("Pyongyang has sent thousands of troops")
    assert cues.is_clause("he voted against the bill")
    assert not cues.is_clause("said he hoped for peace")
    assert not cues.is_clause("Brazil, Russia")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("“We will never give up,” he said.", ClaimKind.QUOTE),
        ("Inflation reached 8.1% last year.", ClaimKind.NUMERIC),
        ("The bill cost $3 billion.", ClaimKind.NUMERIC),
        ("Lawmakers voted on Oct 24 to ratify the treaty.", ClaimKind.TEMPORAL),
        ("The war began in February 2022.", ClaimKind.TEMPORAL),
        ("Starting in 2009 with four members, Brics has expanded.", ClaimKind.TEMPORAL),
        ("Thousands of soldiers are training there.", ClaimKind.NUMERIC),
        ("Parliament ratified the defence pact.", ClaimKind.EVENT),
        ("The river is the longest in Europe.", ClaimKind.ATTRIBUTE),
        ("Trees grow slowly.", ClaimKind.OTHER),
    ],
)
def test_kind_rules(text: str, kind: ClaimKind) -> None:
    assert cues.classify_kind(text) == kind


def test_cue_vector_has_every_feature() -> None:
    values = cues.cues("In 2020 the deficit rose 5%, officials said.").values
    assert set(values) == set(cues.FEATURE_NAMES)
    assert values["has_year"] == 1.0
    assert values["has_attribution"] == 1.0
    assert values["is_question"] == 0.0
    assert len(cues.cues("x").vector()) == len(cues.FEATURE_NAMES)


def test_rule_score_orders_facts_above_opinion() -> None:
    fact = cues.rule_score("Unemployment fell to 3.5% in 2019, the lowest rate since 1969.")
    opinion = cues.rule_score("I think we should all be very proud tonight.")
    question = cues.rule_score("What are you going to do about it?")
    assert fact > 0.5 > opinion
    assert question < 0.5
    assert 0.0 <= question <= 1.0
