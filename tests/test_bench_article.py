"""The article benchmark's scoring and its eleven hand-written cases (no model run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_article import Outcome, Row, expected_label, read_rows, score

CASES = Path(__file__).resolve().parent.parent / "benchmarks" / "data"


def test_a_claim_takes_its_sentences_label_unless_it_holds_a_marked_part():
    rows = [
        Row(
            sentence="The plant, which opened in 1987",
            label="SUPPORTED",
            refuted_if=["1987"],
            unaddressed_if=["most of the workers"],
        )
    ]
    sentence = "The plant, which opened in 1987, makes bread and rolls for supermarkets."
    assert expected_label("The plant opened in 1987.", sentence, rows) == "REFUTED"
    assert expected_label("The plant makes bread and rolls.", sentence, rows) == "SUPPORTED"
    assert expected_label("It employs most of the workers.", sentence, rows) == "NOT_ENOUGH_INFO"
    assert expected_label("Anything.", "A sentence with no row.", rows) is None


def _outcome(expected: str | None, label: str) -> Outcome:
    return Outcome(
        policy="cautious",
        claim="c",
        sentence="s",
        expected=expected,
        label=label,
        confidence=0.5,
        rationale="r",
    )


def test_wrong_verdicts_and_misses_are_counted_apart():
    outcomes = [
        _outcome("SUPPORTED", "SUPPORTED"),
        _outcome("SUPPORTED", "REFUTED"),  # crying wolf
        _outcome("NOT_ENOUGH_INFO", "SUPPORTED"),  # crying wolf
        _outcome("REFUTED", "NOT_ENOUGH_INFO"),  # a miss
        _outcome("SUPPORTED", "FAILED"),  # a failure is neither
        _outcome(None, "SUPPORTED"),  # no row: not judged
    ]
    figures = score(outcomes)
    assert figures["claims"] == 6 and figures["judged"] == 5
    assert figures["wrong_verdicts"] == 2 and figures["missed"] == 1
    assert figures["agreement"] == pytest.approx(1 / 5)
    assert figures["supported_precision"] == pytest.approx(1 / 2)
    assert figures["refuted_precision"] == 0.0


@pytest.mark.parametrize(
    "case",
    [
        "transit_kb",
        "bakery_kb",
        "measles_kb",
        "court_kb",
        "study_kb",
        "earnings_kb",
        "flood_kb",
        "election_kb",
        "match_kb",
        "breach_kb",
        "rail_kb",
        "launch_kb",
        "hospital_kb",
        "takeover_kb",
        "wildfire_kb",
        "school_kb",
        "trial_kb",
        "transfer_kb",
        "quake_kb",
        "budget_kb",
        "protest_kb",
        "airline_kb",
        "auction_kb",
        "poll_kb",
        "recall_kb",
        "heat_kb",
        "ceasefire_kb",
        "rates_kb",
        "drug_kb",
        "resign_kb",
        "treaty_kb",
        "bridge_kb",
        "marathon_kb",
        "climate_kb",
        "visit_kb",
        "arson_kb",
        "layoffs_kb",
        "vote_kb",
        "ferry_kb",
        "tariff_kb",
        "museum_kb",
        "inflation_kb",
        "spill_kb",
        "census_kb",
        "paydeal_kb",
        "film_kb",
        "mine_kb",
        "stadium_kb",
        "zoo_kb",
        "police_kb",
        "storm_kb",
        "ban_kb",
        "uni_kb",
        "doping_kb",
        "airport_kb",
        "volcano_kb",
        "merger_kb",
        "housing_kb",
        "dock_kb",
        "drought_kb",
        "fraud_kb",
        "windfarm_kb",
        "tunnel_kb",
        "hall_kb",
        "water_kb",
        "prize_kb",
        "coach_kb",
        "sacking_kb",
        "outage_kb",
        "robbery_kb",
        "festival_kb",
        "whale_kb",
        "library_kb",
        "birdflu_kb",
        "airfine_kb",
        "bankapp_kb",
        "railstrike_kb",
        "waits_kb",
        "bypass_kb",
        "drone_kb",
        "snow_kb",
    ],
)
def test_each_case_is_whole_and_its_rows_point_at_its_article(case: str):
    folder = CASES / case
    article = " ".join((folder / "article.txt").read_text(encoding="utf-8").split())
    rows = read_rows(folder / "expected.jsonl")
    assert rows
    for row in rows:
        assert row.sentence in article, row.sentence
        assert row.label in ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
        assert all(part in article for part in row.refuted_if + row.unaddressed_if)
    pages = [json.loads(x) for x in (folder / "pages.jsonl").read_text().splitlines() if x]
    assert pages and all(p["id"] and p["title"] and p["text"] for p in pages)
    assert json.loads((folder / "case.json").read_text())["published"]
