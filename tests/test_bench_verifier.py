"""bench_verifier's scoring on a scripted verifier: how often a verdict is right when it
takes a side (the figure that shows a checker crying wolf)."""

from __future__ import annotations

from benchmarks.bench_verifier import Example, run_forced, run_supported, run_three_way, table
from claims.models import Label, Verdict

ANSWERS = {
    "a": Label.SUPPORTED,
    "b": Label.SUPPORTED,
    "c": Label.REFUTED,
    "d": Label.NOT_ENOUGH_INFO,
}


def scripted(claim: str, evidence: list) -> tuple[Verdict, float, float]:
    verdict = Verdict(label=ANSWERS[claim], confidence=0.8, verifier="scripted")
    return verdict, 0.6, 0.3


EXAMPLES = [
    Example("a", Label.SUPPORTED.value, []),
    Example("b", Label.NOT_ENOUGH_INFO.value, []),
    Example("c", Label.SUPPORTED.value, []),
    Example("d", Label.REFUTED.value, []),
]


def test_three_way_reports_the_precision_of_each_side() -> None:
    result = run_three_way(scripted, EXAMPLES)
    assert result["precision"] == {"SUPPORTED": 0.5, "REFUTED": 0.0}
    assert result["predicted"]["NOT_ENOUGH_INFO"] == 1


def test_forced_choice_reports_the_verifiers_own_verdicts_before_forcing() -> None:
    forced = [e for e in EXAMPLES if e.gold != Label.NOT_ENOUGH_INFO.value]
    result = run_forced(scripted, forced)
    # "d" is forced to SUPPORTED (0.6 > 0.3) and wrong; own verdicts: a right, c wrong
    assert result["accuracy"] == 1 / 3
    assert result["precision"] == {"SUPPORTED": 1.0, "REFUTED": 0.0}
    assert result["predicted"] == {"SUPPORTED": 1, "REFUTED": 1, "NOT_ENOUGH_INFO": 1}


def test_supported_precision_is_none_when_nothing_is_supported() -> None:
    only_d = [e for e in EXAMPLES if e.claim == "d"]
    assert run_supported(scripted, only_d)["supported_precision"] is None
    assert run_supported(scripted, EXAMPLES[:2])["supported_precision"] == 0.5


def test_table_prints_the_precision_rows() -> None:
    three = run_three_way(scripted, EXAMPLES)
    forced = [e for e in EXAMPLES if e.gold != Label.NOT_ENOUGH_INFO.value]
    row = {
        "scifact_oracle": three,
        "scifact_retrieved": three,
        "fever_symmetric": run_forced(scripted, forced),
        "feverous_ci": run_forced(scripted, forced),
        "wice_test": run_supported(scripted, EXAMPLES),
    }
    text = table({"sets": {"nli": row}, "recall_at_5": 0.9, "pairs_per_s": 100.0})
    assert "| SciFact dev retrieved REFUTED precision | 0.000 |" in text
    assert "| FEVER-Symmetric (own verdicts) SUPPORTED precision | 1.000 |" in text
    assert "| WiCE test SUPPORTED precision | 0.500 |" in text
