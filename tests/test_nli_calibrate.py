"""Calibration fitting of the offline verifier (training.calibrate; numpy only)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from training.calibrate import (
    choose_contradict,
    choose_threshold,
    ece_of,
    fit_isotonic,
    fit_temperature,
    held_groups_of,
    macro_f1_of,
    softmax,
)


def test_fit_temperature_softens_an_overconfident_model() -> None:
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, size=600)
    logits = rng.normal(size=(600, 3))
    logits[np.arange(600), gold] += 1.0
    logits *= 6.0  # right more often than not, but far too sure
    t = fit_temperature(logits, gold)
    assert t > 2.0
    assert ece_of(softmax(logits / t), gold) < ece_of(softmax(logits), gold)


def test_fit_temperature_leaves_a_calibrated_model_near_one() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=2.0, size=(4000, 3))
    p = softmax(logits)
    gold = np.array([rng.choice(3, p=row) for row in p])
    assert 0.85 < fit_temperature(logits, gold) < 1.15


def test_isotonic_fit_is_monotone_and_pools_violators() -> None:
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 1.0])
    kx, ky = fit_isotonic(x, y)
    assert all(a <= b for a, b in zip(ky, ky[1:], strict=False))
    assert np.interp(0.25, kx, ky) == pytest.approx(0.5)  # 0.2 and 0.3 pooled
    assert np.interp(0.6, kx, ky) == 1.0


def test_macro_f1_and_ece_use_the_harness_metrics() -> None:
    gold = np.array([0, 1, 2, 2])
    assert macro_f1_of(gold, gold) == 1.0
    assert macro_f1_of(gold, np.array([0, 1, 2, 0])) == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)
    sure_wrong = np.array([[0.9, 0.05, 0.05]] * 10)
    assert ece_of(sure_wrong, np.array([0] * 5 + [1] * 5)) == pytest.approx(0.4)


def test_threshold_closest_to_half_among_near_best() -> None:
    assert choose_threshold({0.4: 0.70, 0.5: 0.702, 0.6: 0.71}) == 0.5
    assert choose_threshold({0.4: 0.60, 0.5: 0.50, 0.6: 0.58}) == 0.4


def test_contradiction_threshold_is_the_highest_among_near_best() -> None:
    assert choose_contradict({0.75: 0.60, 0.8: 0.605, 0.85: 0.598, 0.9: 0.55}) == 0.85
    assert choose_contradict({0.75: 0.70, 0.8: 0.60, 0.85: 0.58, 0.9: 0.55}) == 0.75


def test_outcomes_follow_the_policy_on_fixed_readings() -> None:
    from claims.nli.policy import Policy, Reading
    from training.calibrate import _claim_outcomes

    lone = [Reading(probs=(0.1, 0.8, 0.1), doc="d", sentences=(("p", 0),))]
    examples = [("claim", "REFUTED", [])]
    strict = _claim_outcomes([lone], examples, Policy(contradict=0.85))
    loose = _claim_outcomes([lone], examples, Policy(contradict=0.75))
    assert strict[3] == ["NOT_ENOUGH_INFO"] and loose[3] == ["REFUTED"]
    assert loose[1] == [True]


def test_held_groups_of_reads_a_runs_heldout_pairs(tmp_path) -> None:
    assert held_groups_of(tmp_path / "missing.jsonl") is None
    rows = [
        {"claim": "c", "evidence": "e", "label": 0, "source": "s", "group": "scifact:3"},
        {"claim": "d", "evidence": "e", "label": 2, "source": "s", "group": "vitc:x"},
    ]
    path = tmp_path / "heldout.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert held_groups_of(path) == {"scifact:3", "vitc:x"}
