"""Pure metrics over per-example results: no I/O, no models, only lists in, numbers out.

Conventions shared by every function here:

* a prediction of ``None`` is a failed example; it counts as wrong (accuracy,
  recall of its gold class) and appears in the confusion matrix as ``FAILED``;
* an undefined ratio (no predictions of a class, no gold examples) is ``0.0``,
  as scikit-learn's ``zero_division=0`` does;
* macro-F1 averages over the labels given (the dataset's gold classes), so a
  verifier that answers NOT_ENOUGH_INFO on a two-class set loses recall but the
  absent class does not enter the average.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from claims.models import Usage

FAILED = "FAILED"


def accuracy(gold: Sequence[str], predicted: Sequence[str | None]) -> float:
    """Share of examples whose prediction equals the gold label (failed ones are wrong)."""
    _same_length(gold, predicted)
    if not gold:
        return 0.0
    return sum(1 for g, p in zip(gold, predicted, strict=True) if p == g) / len(gold)


def confusion_matrix(
    gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    """``matrix[gold][predicted]`` counts; rows are ``labels``, columns ``labels`` + FAILED.

    Gold or predicted labels outside ``labels`` get their own row or column, so
    nothing is dropped.
    """
    _same_length(gold, predicted)
    rows = list(labels) + sorted({g for g in gold} - set(labels))
    columns = rows + sorted({p for p in predicted if p is not None} - set(rows)) + [FAILED]
    matrix = {r: dict.fromkeys(columns, 0) for r in rows}
    for g, p in zip(gold, predicted, strict=True):
        matrix[g][FAILED if p is None else p] += 1
    return matrix


def per_class(
    gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support (gold count) for each label."""
    _same_length(gold, predicted)
    out: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        predicted_n = sum(1 for p in predicted if p == label)
        support = sum(1 for g in gold if g == label)
        precision = _ratio(tp, predicted_n)
        recall = _ratio(tp, support)
        out[label] = {
            "precision": precision,
            "recall": recall,
            "f1": _f1(precision, recall),
            "support": support,
        }
    return out


def macro_f1(gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str]) -> float:
    """Unweighted mean of the per-class F1 over ``labels``."""
    if not labels:
        return 0.0
    table = per_class(gold, predicted, labels)
    return sum(table[label]["f1"] for label in labels) / len(labels)


def binary_prf(gold: Sequence[bool], predicted: Sequence[bool | None]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (e.g. check-worthy sentences)."""
    _same_length(gold, predicted)
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": len(gold) - tp - fp - fn,
    }


def reliability_table(
    confidences: Sequence[float], correct: Sequence[bool], n_bins: int = 10
) -> list[dict[str, float]]:
    """Equal-width confidence bins: range, count, mean confidence and accuracy in each.

    Bin ``b`` holds the confidences in ``[b/n, (b+1)/n)``: the lower edge belongs
    to the bin, so 0.3 lies in [0.3, 0.4) with ten bins, and 1.0 falls in the last
    bin. The edges are computed as ``b / n`` and looked up with ``bisect``: the
    float products ``c * n`` (or ``np.linspace`` edges with ``np.digitize``) put
    some edge values one bin low (0.3, 0.6 and 0.7 with ``linspace``; 13/23 with
    ``floor(c * n)``). Empty bins are kept (count 0) so that tables of different
    runs line up. Accepts lists or numpy arrays.
    """
    _same_length(confidences, correct)
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1")
    edges = [b / n_bins for b in range(n_bins + 1)]
    bins: list[list[int]] = [[] for _ in range(n_bins)]
    for i, c in enumerate(confidences):
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c} is outside [0, 1]")
        bins[min(bisect.bisect_right(edges, c) - 1, n_bins - 1)].append(i)
    table = []
    for b, members in enumerate(bins):
        count = len(members)
        table.append(
            {
                "lower": edges[b],
                "upper": edges[b + 1],
                "count": count,
                "mean_confidence": _ratio(sum(float(confidences[i]) for i in members), count),
                "accuracy": _ratio(sum(1 for i in members if correct[i]), count),
            }
        )
    return table


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], n_bins: int = 10
) -> float:
    """ECE: the count-weighted mean gap between confidence and accuracy over the bins.

    The project's one ECE (bins as :func:`reliability_table`). For a probability
    matrix, pass the top class: ``expected_calibration_error(p.max(1), p.argmax(1) == gold)``.
    """
    total = len(confidences)
    if total == 0:
        return 0.0
    table = reliability_table(confidences, correct, n_bins)
    return sum(
        row["count"] / total * abs(row["accuracy"] - row["mean_confidence"]) for row in table
    )


def recall_at_k(
    gold_ids: Sequence[Iterable[str]], ranked_ids: Sequence[Sequence[str]], k: int
) -> float | None:
    """Mean share of each example's gold documents found in its top ``k`` results.

    Examples without gold documents are left out; ``None`` when none has any.
    """
    return _mean_over_gold(
        gold_ids, ranked_ids, lambda wanted, ranked: len(wanted & set(ranked[:k])) / len(wanted)
    )


def mean_reciprocal_rank(
    gold_ids: Sequence[Iterable[str]], ranked_ids: Sequence[Sequence[str]]
) -> float | None:
    """Mean of 1 / rank of the first gold document (0 when none is retrieved).

    Examples without gold documents are left out; ``None`` when none has any.
    """

    def reciprocal_rank(wanted: set[str], ranked: Sequence[str]) -> float:
        rank = next((i for i, doc in enumerate(ranked, start=1) if doc in wanted), None)
        return 1.0 / rank if rank else 0.0

    return _mean_over_gold(gold_ids, ranked_ids, reciprocal_rank)


def _mean_over_gold(
    gold_ids: Sequence[Iterable[str]],
    ranked_ids: Sequence[Sequence[str]],
    score: Callable[[set[str], Sequence[str]], float],
) -> float | None:
    _same_length(gold_ids, ranked_ids)
    scores = [
        score(wanted, ranked)
        for gold, ranked in zip(gold_ids, ranked_ids, strict=True)
        if (wanted := set(gold))
    ]
    return sum(scores) / len(scores) if scores else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (linear interpolation, as numpy's default); None when empty."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def cost_usd(
    prompt_tokens: int,
    completion_tokens: int,
    model: str,
    prices: Mapping[str, Mapping[str, float]],
) -> float | None:
    """Estimated cost from a price table ``{model: {"input": $/1M, "output": $/1M}}``.

    ``None`` when the model is not in the table (an unknown price is not zero).
    """
    price = prices.get(model)
    if price is None:
        return None
    usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    return usage.cost_usd(price["input"], price["output"])


def bootstrap_ci(
    statistic: Callable[[np.ndarray], float],
    n: int,
    *,
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(indices)`` over ``n`` examples.

    ``statistic`` receives an index array (a resample with replacement) and
    returns a number; the same seed gives the same interval.
    """
    if n == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    draws = np.array(
        [statistic(rng.integers(0, n, size=n)) for _ in range(resamples)], dtype=np.float64
    )
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _same_length(a: Sequence[Any], b: Sequence[Any]) -> None:
    if len(a) != len(b):
        raise ValueError(f"length mismatch: {len(a)} vs {len(b)}")
