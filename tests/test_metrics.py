"""Metrics against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eval import metrics

S, R, N = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"
GOLD = [S, S, S, R, R, N]
PRED = [S, S, R, R, None, N]  # one failed example (None)
LABELS = [S, R, N]


def test_accuracy_counts_a_failed_example_as_wrong() -> None:
    assert metrics.accuracy(GOLD, PRED) == pytest.approx(4 / 6)
    assert metrics.accuracy([], []) == 0.0


def test_per_class_precision_recall_f1() -> None:
    table = metrics.per_class(GOLD, PRED, LABELS)
    assert table[S] == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "support": 3})
    assert table[R] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2})
    assert table[N] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1})


def test_macro_f1_averages_over_given_labels() -> None:
    assert metrics.macro_f1(GOLD, PRED, LABELS) == pytest.approx((0.8 + 0.5 + 1.0) / 3)
    # a class that is never gold nor predicted scores 0 when asked for, so callers pass gold labels
    assert metrics.macro_f1([S, R], [S, N], [S, R]) == pytest.approx(0.5)


def test_confusion_matrix_has_a_failed_column() -> None:
    matrix = metrics.confusion_matrix(GOLD, PRED, LABELS)
    assert matrix[S] == {S: 2, R: 1, N: 0, "FAILED": 0}
    assert matrix[R] == {S: 0, R: 1, N: 0, "FAILED": 1}
    assert matrix[N] == {S: 0, R: 0, N: 1, "FAILED": 0}
    assert sum(sum(row.values()) for row in matrix.values()) == len(GOLD)


def test_confusion_matrix_keeps_unexpected_labels() -> None:
    matrix = metrics.confusion_matrix([S, R], [S, "CONFLICTING"], [S, R])
    assert matrix[R]["CONFLICTING"] == 1


def test_binary_prf() -> None:
    gold = [True, True, True, False, False]
    pred = [True, False, True, True, False]
    out = metrics.binary_prf(gold, pred)
    assert out["precision"] == pytest.approx(2 / 3)
    assert out["recall"] == pytest.approx(2 / 3)
    assert out["f1"] == pytest.approx(2 / 3)
    assert (out["tp"], out["fp"], out["fn"], out["tn"]) == (2, 1, 1, 1)


def test_ece_is_zero_when_perfectly_calibrated() -> None:
    confidences = [0.8] * 10 + [0.3] * 10
    correct = [True] * 8 + [False] * 2 + [True] * 3 + [False] * 7
    assert metrics.expected_calibration_error(confidences, correct) == pytest.approx(0.0)


def test_ece_of_an_overconfident_model() -> None:
    assert metrics.expected_calibration_error(
        [0.9] * 4, [True, False, False, False]
    ) == pytest.approx(0.65)
    # two bins, equal weight: |1.0 - 0.9| and |0.0 - 0.6|
    value = metrics.expected_calibration_error([0.9, 0.9, 0.6, 0.6], [True, True, False, False])
    assert value == pytest.approx(0.5 * 0.1 + 0.5 * 0.6)


def test_reliability_table_bins() -> None:
    table = metrics.reliability_table([0.05, 1.0, 0.95], [False, True, False], n_bins=10)
    assert len(table) == 10
    assert table[0]["count"] == 1 and table[0]["accuracy"] == 0.0
    assert table[9]["count"] == 2  # 1.0 falls into the last bin
    assert table[9]["mean_confidence"] == pytest.approx(0.975)
    assert table[9]["accuracy"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        metrics.reliability_table([1.5], [True])


@pytest.mark.parametrize(
    ("confidence", "n_bins", "expected_bin"),
    [(0.3, 10, 3), (0.6, 10, 6), (0.7, 10, 7), (0.29999, 10, 2), (0.0, 10, 0), (1.0, 10, 9),
     (13 / 23, 23, 13), (0.5, 2, 1)],
)  # fmt: skip
def test_a_confidence_on_an_edge_belongs_to_the_bin_above(
    confidence: float, n_bins: int, expected_bin: int
) -> None:
    table = metrics.reliability_table([confidence], [True], n_bins=n_bins)
    assert [b for b, row in enumerate(table) if row["count"]] == [expected_bin]
    assert table[expected_bin]["lower"] <= confidence


def test_ece_bins_decide_the_value_on_edges() -> None:
    # 0.3 shares [0.3, 0.4) with 0.35 (accuracy 1/2 vs mean confidence 0.325);
    # binned low it would sit alone in [0.2, 0.3) and the ECE would differ.
    value = metrics.expected_calibration_error([0.3, 0.35], [True, False])
    assert value == pytest.approx(abs(0.5 - 0.325))


def test_ece_takes_numpy_arrays_as_the_training_code_has_them() -> None:
    probs = np.array([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])
    gold = np.array([0, 1, 1])
    value = metrics.expected_calibration_error(probs.max(axis=1), probs.argmax(axis=1) == gold)
    assert value == pytest.approx((0.1 + 0.3 + 0.6) / 3)


def test_macro_f1_takes_class_indices_as_the_training_code_has_them() -> None:
    gold, pred = np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2])
    # class 0: F1 1; class 1: P 1/2 R 1 -> 2/3; class 2: P 1 R 1/2 -> 2/3
    assert metrics.macro_f1(gold, pred, range(3)) == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)


def test_recall_at_k_and_mrr() -> None:
    gold = [{"a", "b"}, {"c"}, set()]
    ranked = [["x", "a", "y", "b"], ["d"], ["z"]]
    assert metrics.recall_at_k(gold, ranked, 2) == pytest.approx((0.5 + 0.0) / 2)
    assert metrics.recall_at_k(gold, ranked, 4) == pytest.approx((1.0 + 0.0) / 2)
    assert metrics.mean_reciprocal_rank(gold, ranked) == pytest.approx((0.5 + 0.0) / 2)
    assert metrics.recall_at_k([set()], [["a"]], 5) is None
    assert metrics.mean_reciprocal_rank([set()], [["a"]]) is None


def test_percentile() -> None:
    assert metrics.percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert metrics.percentile([float(i) for i in range(1, 101)], 95) == pytest.approx(95.05)
    assert metrics.percentile([], 50) is None


def test_cost_uses_the_price_table() -> None:
    prices = {"m": {"input": 1.0, "output": 4.0}}
    assert metrics.cost_usd(1_000_000, 500_000, "m", prices) == pytest.approx(3.0)
    assert metrics.cost_usd(10, 10, "unknown", prices) is None


def test_bootstrap_is_deterministic_with_a_seed() -> None:
    values = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0])

    def mean(idx: np.ndarray) -> float:
        return float(values[idx].mean())

    first = metrics.bootstrap_ci(mean, len(values), seed=7, resamples=500)
    again = metrics.bootstrap_ci(mean, len(values), seed=7, resamples=500)
    other = metrics.bootstrap_ci(mean, len(values), seed=8, resamples=500)
    assert first == again
    assert first != other
    assert first[0] <= values.mean() <= first[1]
    assert all(math.isnan(v) for v in metrics.bootstrap_ci(mean, 0))


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        metrics.accuracy([S], [])
