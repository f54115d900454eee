"""What a reason says the evidence does not give (claims.nli.reasons), on spaCy parses."""

from __future__ import annotations

from claims.nli.align import profile
from claims.nli.reasons import _missing


def test_the_reason_names_missing_ordinals_months_and_list_items() -> None:
    claim = profile(
        "In October 2018, the council approved its second plan for parks, lanes and trams."
    )
    evidence = profile("In November 2018, the council approved its first plan for parks.")
    missing = _missing(claim, evidence)
    assert "second" in missing and "October" in missing
    assert {"lane", "tram"} <= set(missing) and "park" not in missing


def test_an_ordinal_number_is_named_as_written() -> None:
    claim = profile("Kazan hosted the 16th Brics summit.")
    assert _missing(claim, profile("Kazan hosted the Brics summit.")) == ["16th"]


def test_a_bare_one_is_no_figure_the_evidence_misses() -> None:
    claim = profile("She played one of the three leads in the drama.")
    assert _missing(claim, profile("She starred in the drama.")) == ["three leads"]
