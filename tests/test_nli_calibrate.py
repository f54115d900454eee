"""Calibration fitting of the offline verifier (training.calibrate; numpy only)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from training.calibrate import (
    MIN_LABEL_CLAIMS,
    _label_maps,
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


def test_isotonic_fit_can_pool_ties_into_one_block() -> None:
    x = np.array([0.2, 0.2, 1.0, 1.0, 1.0, 1.0])
    y = np.array([0.0, 1.0, 0.0, 0.0, 1.0, 1.0])
    kx, ky = fit_isotonic(x, y, pool_ties=True)
    assert np.interp(1.0, kx, ky) == pytest.approx(0.5)
    assert np.interp(0.2, kx, ky) == pytest.approx(0.5)
    kx, ky = fit_isotonic(x, y)  # the shipped legacy fit: the step's top
    assert np.interp(1.0, kx, ky) == 1.0


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
    from training.calibrate import HeldClaim, _claim_outcomes

    lone = [Reading(probs=(0.1, 0.8, 0.1), doc="d", sentences=(("p", 0),))]
    examples = [HeldClaim("claim", "REFUTED", [])]
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


def test_each_verdict_label_with_enough_claims_gets_its_own_map() -> None:
    n = MIN_LABEL_CLAIMS
    # SUPPORTED verdicts right when confident; NOT_ENOUGH_INFO right half the time
    # whatever its raw confidence; too few REFUTED verdicts for a map of their own
    confidence = [0.2] * n + [0.9] * n + [0.1] * n + [0.9] * n + [0.8] * 3
    correct = [False] * n + [True] * n + [True, False] * n + [True] * 3
    predicted = ["SUPPORTED"] * (2 * n) + ["NOT_ENOUGH_INFO"] * (2 * n) + ["REFUTED"] * 3
    shared = np.full(len(confidence), 0.5)
    mapped, maps = _label_maps(confidence, correct, predicted, [True] * len(predicted), shared)
    assert sorted(maps) == ["NOT_ENOUGH_INFO", "SUPPORTED"]
    assert maps["SUPPORTED"]["claims"] == 2 * n and maps["SUPPORTED"]["accuracy"] == 0.5
    assert np.interp(0.9, maps["SUPPORTED"]["x"], maps["SUPPORTED"]["y"]) == 1.0
    assert np.interp(0.2, maps["SUPPORTED"]["x"], maps["SUPPORTED"]["y"]) == 0.0
    assert np.interp(0.1, maps["NOT_ENOUGH_INFO"]["x"], maps["NOT_ENOUGH_INFO"]["y"]) == 0.5
    assert mapped[0] == 0.0 and mapped[n] == 1.0 and mapped[2 * n] == 0.5
    assert list(mapped[-3:]) == [0.5, 0.5, 0.5]  # REFUTED: the shared map


def test_not_enough_info_is_fit_only_where_the_evidence_was_retrieved() -> None:
    n = MIN_LABEL_CLAIMS
    # given gold evidence "not enough" is always wrong; retrieved, right 3 times in 4
    confidence = [0.5] * (2 * n)
    correct = [False] * n + [True, True, True, False] * (n // 4) + [True] * (n % 4)
    predicted = ["NOT_ENOUGH_INFO"] * (2 * n)
    retrieved = [False] * n + [True] * n
    mapped, maps = _label_maps(confidence, correct, predicted, retrieved, np.zeros(2 * n))
    nei = maps["NOT_ENOUGH_INFO"]
    assert nei["claims"] == n and nei["accuracy"] == pytest.approx(np.mean(correct[n:]))
    assert set(mapped.round(4)) == {round(nei["accuracy"], 4)}  # every NEI verdict, mapped
    _, too_few = _label_maps(confidence, correct, predicted, [False] * (2 * n), np.zeros(2 * n))
    assert too_few == {}


def test_an_interrupted_calibration_leaves_the_file_as_it_was(tmp_path, monkeypatch) -> None:
    import argparse
    import shutil

    from claims.nli import DEFAULT_MODEL_DIR
    from training import calibrate as calibrate_module

    shutil.copytree(DEFAULT_MODEL_DIR, tmp_path / "nli")
    before = (tmp_path / "nli" / "calibration.json").read_bytes()

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(calibrate_module, "heldout_claims", interrupted)
    args = argparse.Namespace(
        out=str(tmp_path / "nli"), work="", data=str(tmp_path), maps_only=True
    )
    with pytest.raises(KeyboardInterrupt):
        calibrate_module.calibrate(args)
    assert (tmp_path / "nli" / "calibration.json").read_bytes() == before
