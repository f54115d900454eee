"""The explicit number / date / negation mismatch checks."""

from __future__ import annotations

import pytest

from claims.numeric_checks import (
    compatible,
    date_mismatch,
    event_years,
    is_negated,
    may_conflict,
    meets,
    mismatch,
    negation_mismatch,
    number_mismatch,
    quantities,
    rounds_to,
    same_value,
)


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        ("The tower is 330 metres tall.", "The tower is 300 metres tall."),
        ("Unemployment rose to 7.5% in May.", "Unemployment rose to 5.2% in May."),
        ("The firm employs 3,000 people.", "The firm employs 4,500 people."),
        ("The city has 2 million residents.", "The city has 3 million residents."),
        ("The team won five titles.", "The team won seven titles."),
    ],
)
def test_different_values_of_the_same_quantity_mismatch(claim, sentence):
    assert number_mismatch(claim, sentence) is not None


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        ("The firm employs 3,000 people.", "The firm employs three thousand people."),
        ("Mortality fell by 20%.", "Mortality fell by 20 percent in the treated group."),
        ("About 5 million people live in Norway.", "Norway has 5.4 million people."),
        ("The tower is 330 metres tall.", "It was finished in 1889 after 2 years of work."),
        ("The tower is 330 metres tall.", "The tower is 330.5 metres tall."),
    ],
)
def test_equal_rounded_hedged_or_incomparable_values_do_not_mismatch(claim, sentence):
    assert number_mismatch(claim, sentence) is None


def test_years_are_dates_not_quantities():
    assert quantities("In 1999 the bridge carried 40 cars.") == quantities("40 cars")
    assert date_mismatch("The bridge opened in 1932.", "It opened in March 1934.") is not None
    assert date_mismatch("The bridge opened in 1932.", "It opened in 1932 after delays.") is None
    assert date_mismatch("The bridge opened in 1932.", "The bridge is long.") is None


def test_same_year_but_different_month_mismatches():
    assert date_mismatch("It opened in June 1932.", "It opened on 3 March 1932.") is not None
    assert date_mismatch("It opened in June 1932.", "It opened on 3 June 1932.") is None


def test_negation_mismatch_needs_a_near_paraphrase():
    assert is_negated("Aspirin does not reduce stroke risk.")
    assert is_negated("It didn't happen.")
    assert negation_mismatch(
        "Aspirin does not reduce the risk of stroke.", "Aspirin reduces the risk of stroke."
    )
    assert negation_mismatch("Aspirin does not reduce stroke.", "The weather was fine.") is None
    assert negation_mismatch("Aspirin reduces stroke risk.", "Aspirin reduces stroke risk.") is None


def test_mismatch_reports_the_first_reason():
    reason = mismatch(
        "In 1990 the tower was 330 metres tall.", "In 1995 the tower was 300 metres tall."
    )
    assert reason is not None and "1990" in reason
    assert mismatch("The cat sat on the mat.", "The cat sat on the mat.") is None


def test_a_number_with_a_thousands_comma_is_not_a_year():
    assert [q.value for q in quantities("The company employs 2,000 people.")] == [2000.0]
    assert number_mismatch(
        "The company employs 2,000 people.", "The company employs 15,000 people worldwide."
    )


def test_days_of_the_month_are_dates_not_quantities():
    assert quantities("Putin spoke on Oct 24 against the plan.") == []
    assert quantities("The summit ran from 22 to 24 October.") == []
    assert [q.value for q in quantities("The team won 24 games.")] == [24.0]


def test_years_of_comparison_are_not_event_years():
    assert event_years("There were 10,300 cases in 2023, 8% fewer than in 2022.") == {2023}
    assert event_years("Sales rose to 1.2 million in 2023, up from 900,000 in 2022.") == {2023}
    assert event_years("Unemployment was the highest since 2021.") == set()
    # a "than" that bounds a figure compares nothing: the year dates the rise
    assert event_years("Cases rose more than 30-fold in 2023.") == {2023}
    # a bound and a comparison in one window: the second "than" compares
    assert event_years("Sales were more than 5% higher than in 2022.") == set()
    assert event_years("Sales were higher than 2019 levels.") == set()
    # a change's starting point, further back: "up from 35% at the last election in 2021"
    assert event_years("Turnout was 41%, up from 35% at the last election in 2021.") == set()
    assert event_years("Profit fell to £5m in 2024, down from £7m.") == {2024}


def test_a_bound_or_an_estimate_reads_past_a_currency_sign():
    (raised,) = quantities("The group has raised more than £30,000.")
    assert raised.bound and raised.limit == ">" and raised.unit == "pound"
    (cost,) = quantities("The strike cost it about $9 million.")
    assert cost.hedged and not cost.bound and cost.unit == "dollar"


def test_approximate_values_match_within_a_third():
    approx, exact = quantities("about 10,000 troops")[0], quantities("12,000 troops")[0]
    assert approx.hedged and not approx.bound and same_value(approx, exact)
    assert quantities("more than 300 people")[0].bound


def test_bounds_know_their_way_and_whether_a_value_is_inside():
    more = quantities("More than 2,000 people attended.")[0]
    assert (more.limit, more.qualifier, more.value) == (">", "More than", 2000.0)
    assert [q.limit for q in quantities("at least 10 dead, up to 40 flights")] == [">=", "<="]
    assert quantities("no more than 5 people")[0].limit == "<="
    assert quantities("fewer than 300 troops")[0].limit == "<"
    assert [q.limit for q in quantities("waited longer than 12 hours, shorter than 2 days")] == [
        ">",
        "<",
    ]

    def inside(bound: str, value: str) -> bool | None:
        return meets(quantities(bound)[0], quantities(value)[0])

    assert inside("more than 2,000 people", "2,500 people") is True
    assert inside("more than 2,000 people", "1,500 people") is False
    assert inside("more than 2,000 people", "2,000 people") is None  # rounding: open
    assert inside("more than 10,000 civilians", "10,200 civilians") is True
    assert inside("more than 10,000 civilians", "9,900 civilians") is None  # may round up
    assert inside("at least 10 people", "10 people") is True
    assert inside("fewer than 100 students", "140 students") is False
    assert inside("more than 2,000 people", "more than 2,500 people") is True
    assert inside("more than 2,000 people", "more than 1,000 people") is None
    assert inside("more than 2,000 people", "fewer than 3,000 people") is None


def test_a_number_knows_the_place_of_its_last_significant_digit():
    def steps(text: str) -> list[float]:
        return [q.step for q in quantities(text)]

    assert steps("50,000 people and 48,700 people") == [10_000, 100]
    assert steps("4% and 4.3%") == [1, pytest.approx(0.1)]
    assert steps("1.2 million residents, $5bn") == [pytest.approx(1e5), 1e9]
    assert steps("7 days, 0 deaths, twenty people") == [1, 1, 10]  # words after digits


@pytest.mark.parametrize(
    ("rounded", "precise"),
    [
        ("50,000 people", "48,700 people"),
        ("4%", "4.3%"),
        ("1.2 million residents", "1,187,000 residents"),
        ("4,000 warheads", "4,380 warheads"),
    ],
)
def test_a_round_figure_may_be_a_rounding_of_a_precise_one(rounded, precise):
    r, p = quantities(rounded)[0], quantities(precise)[0]
    assert rounds_to(r, p) and compatible(r, p) and compatible(p, r)
    assert not rounds_to(p, r)  # the precise figure is no rounding of the round one
    assert not same_value(r, p) or rounded.startswith("1.2")  # only "about" confirms


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1,000 people", "1,400 people"),  # rounds to it, but 40% off
        ("2,000 people", "1,500 people"),  # half a step: not a rounding
        ("4%", "5.1%"),
        ("3 children", "4 children"),  # equally precise
        ("4,000 days", "4,380 weeks"),  # other units of measure
        ("more than 4,000 people", "4,380 people"),  # a bound is no rounding
    ],
)
def test_figures_that_are_no_rounding_of_each_other(first, second):
    a, b = quantities(first)[0], quantities(second)[0]
    assert not rounds_to(a, b) and not rounds_to(b, a)


def test_over_a_span_of_time_is_read_as_about_it_not_as_a_bound():
    # "appeared in productions over 40 years": during them, or more than 40
    (span,) = quantities("He appeared in films over 40 years.")
    assert span.hedged and not span.bound and span.value == 40 * 12.0  # in months
    assert quantities("more than 40 years")[0].bound


def test_no_one_is_nobody_not_a_count():
    assert quantities("No one was killed in the blast.") == []
    assert [q.value for q in quantities("One was killed in the blast.")] == [1.0]


def test_an_ordinal_is_written_as_in_the_text():
    assert [q.text for q in quantities("Kazan hosted the 16th Brics summit.")] == ["16th"]


def test_currency_signs_and_abbreviated_scales_as_news_write_them():
    def read(text: str) -> list[tuple[float, str]]:
        return [(q.value, q.unit) for q in quantities(text)]

    assert read("a profit of $5bn.") == [(5e9, "dollar")] == read("a profit of 5 billion dollars")
    assert read("£300m in aid") == [(3e8, "pound")]
    assert read("a €2.5bn deal") == [(2.5e9, "euro")]
    assert read("a 5m wall") == [(5.0, "m")]  # no currency sign: perhaps metres
    assert [q.text for q in quantities("a profit of $3bn, up 8%")] == ["$3bn", "8%"]


def test_numbers_in_different_units_of_measure_are_not_the_same_value():
    weeks, days = quantities("three weeks")[0], quantities("three days")[0]
    assert not same_value(weeks, days)
    assert same_value(quantities("8.3%")[0], quantities("8.3 per cent")[0])
    assert same_value(quantities("2,000 people")[0], quantities("2,000 protesters")[0])


def test_spans_of_time_are_compared_in_days_or_months():
    def read(text: str) -> tuple[float, str]:
        q = quantities(text)[0]
        return q.value, q.unit

    assert read("after three weeks") == (21.0, "day") == read("after 21 days")
    assert read("within 48 hours") == (2.0, "day")
    assert read("for 18 months") == (18.0, "month") == read("for 1.5 years")
    assert read("two decades") == (240.0, "month")
    assert same_value(quantities("three weeks")[0], quantities("21 days")[0])
    assert not same_value(quantities("three weeks")[0], quantities("three days")[0])
    # a week is no exact share of a month: the two stay different measures
    assert not same_value(quantities("four weeks")[0], quantities("one month")[0])
    assert not rounds_to(quantities("one month")[0], quantities("four weeks")[0])
    # written as in the text, the precision of the span kept
    assert quantities("after three weeks")[0].text == "three weeks"
    assert rounds_to(quantities("three weeks")[0], quantities("22 days")[0])


def test_a_span_joined_to_its_number_by_a_hyphen_is_a_span():
    (period,) = quantities("productions over a 40-year period")
    assert (period.value, period.unit, period.text) == (480.0, "month", "40-year")
    assert quantities("a two-week strike")[0].value == 14.0
    # against a bare number, a span is compared as written: "aged 40", "40 years old"
    assert same_value(quantities("over 40 years")[0], quantities("aged 40")[0])
    assert same_value(quantities("a 40-year-old man")[0], quantities("a man, 40,")[0])
    assert not same_value(quantities("three weeks")[0], quantities("21")[0])


def test_months_and_years_give_the_same_value_but_never_conflict():
    years, months = quantities("by the age of 14 years")[0], quantities("3 months")[0]
    assert not may_conflict(years, months)
    assert same_value(quantities("18 months")[0], quantities("1.5 years")[0])
    # days and weeks conflict; so do two counts of years, and a level with a level
    assert may_conflict(quantities("three weeks")[0], quantities("three days")[0])
    assert may_conflict(quantities("14 years")[0], quantities("12 years")[0])
    assert not may_conflict(quantities("fell by 5%")[0], quantities("fell to 58%")[0])


def test_percentage_points_are_not_per_cent():
    points, share = quantities("fell by 2 percentage points")[0], quantities("fell by 2%")[0]
    assert points.unit == "percentage point" and not same_value(points, share)
    assert same_value(points, quantities("fell by two percentage points")[0])


def test_a_level_is_not_a_change():
    to, by = quantities("grew to 2 million")[0], quantities("grew by 2 million")[0]
    assert (to.relation, by.relation) == ("to", "by") and not same_value(to, by)
    assert same_value(to, quantities("rose to 2 million people")[0])
    assert quantities("rose to $5bn")[0].relation == "to"


@pytest.mark.parametrize(
    ("text", "floor", "unit", "written"),
    [
        ("Thousands of people attended.", 2_000, "people", "thousands of people"),
        ("Tens of thousands of people marched.", 20_000, "people", "tens of thousands of people"),
        ("hundreds of thousands of homes", 200_000, "home", "hundreds of thousands of homes"),
        ("Dozens of the protesters were hurt.", 24, "protester", "dozens of protesters"),
        ('It believed "thousands" of soldiers were there.', 2_000, "soldier", "thousands of soldiers"),
        ("Millions of people lost power.", 2_000_000, "people", "millions of people"),
    ],
)  # fmt: skip
def test_a_vague_count_is_a_floor_of_two_of_its_units(text, floor, unit, written):
    (q,) = quantities(text)
    assert (q.value, q.unit, q.limit, q.text) == (floor, unit, ">=", written)
    assert q.vague and q.bound and q.hedged


@pytest.mark.parametrize(
    ("text", "share", "limit", "written"),
    [
        ("Half of the workers lost their jobs.", 50.0, "", "half"),
        ("More than half of the residents left.", 50.0, ">", "half"),
        ("Two-thirds of voters backed it.", 200 / 3, "", "two thirds"),
        ("A quarter of the staff left.", 25.0, "", "a quarter"),
    ],
)
def test_a_share_in_words_is_a_loose_percentage(text, share, limit, written):
    (q,) = quantities(text)  # "two" of "two-thirds" is no count
    assert (q.unit, q.limit, q.text) == ("%", limit, written)
    assert q.value == pytest.approx(share) and q.vague


def test_half_of_a_span_of_time_is_no_share():
    assert quantities("Profits rose in the second half of the year.") == []
    assert quantities("after a year and a half of talks") == []


def test_a_result_is_one_figure_and_a_range_is_not():
    (score,) = quantities("Harbour City beat Westfield Rovers 3-1 at Wembley.")
    assert (score.text, score.unit) == ("3-1", "score")
    (win,) = quantities("after a 3-1 win over Westfield Rovers")
    assert same_value(score, win)
    (other,) = quantities("Northgate United beat Castleford 3-0.")
    assert not same_value(score, other) and may_conflict(score, other)
    # a score is never another figure, and a range stays two numbers
    (three,) = quantities("Mensah scored 3 goals.")
    assert not may_conflict(score, three) and not same_value(score, three)
    assert [q.value for q in quantities("Most of them were aged 18-24.")] == [18.0, 24.0]
    assert all(q.unit != "score" for q in quantities("The party leads by 2-3 points."))


def test_a_pronoun_sentence_is_placed_by_the_sentence_before_it_on_its_page():
    from dataclasses import replace

    from claims.nli import align
    from claims.nli.reasons import Unit, named_before
    from tests.fakes import make_evidence

    text = (
        "Temperatures reached 39C in Kessel on Tuesday. It was the hottest day of the year so far."
    )
    evidence = make_evidence(text, pid="kessel")
    sentence = align.profile("It was the hottest day of the year so far.")
    claim = replace(
        align.profile("It was the hottest day of the year so far."),
        unresolved=True,
        article=align.name_words(["Brindley"]),
    )
    unit = Unit(((evidence, 1),), "It was the hottest day of the year so far.")
    names = named_before(claim, unit, sentence)
    assert [n.text for n in names] == ["Kessel"]
    assert align.elsewhere(claim, sentence, names) == "Kessel"
    # a claim that stands alone is read as before
    assert named_before(replace(claim, unresolved=False), unit, sentence) == ()


def test_two_figures_each_written_to_the_unit_are_the_same_only_when_equal():
    (a,) = quantities("aged 52")
    (b,) = quantities("aged 51")
    assert not same_value(a, b)
    (c,) = quantities("about 330 people")
    (d,) = quantities("328.6 people")
    assert same_value(c, d)
