from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claims.checkworthiness import (
    MODEL_PATH,
    RuleScorer,
    best_threshold,
    f1_score,
    fit_logistic,
    load_model,
)
from claims.cues import FEATURE_NAMES
from claims.errors import ModelFileError


def test_fit_logistic_separates_and_is_deterministic() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] - 0.5 * x[:, 1] > 0).astype(float)
    w1, b1 = fit_logistic(x, y, l2=0.1)
    w2, b2 = fit_logistic(x, y, l2=0.1)
    assert np.array_equal(w1, w2) and b1 == b2
    assert w1[0] > 0 > w1[1]
    assert abs(w1[2]) < abs(w1[0])
    predicted = (x @ w1 + b1) > 0
    assert (predicted == y.astype(bool)).mean() > 0.95


def test_sample_weights_shift_the_bias() -> None:
    x = np.zeros((4, 1))
    y = np.array([1.0, 0.0, 0.0, 0.0])
    _, plain = fit_logistic(x, y, l2=1.0)
    _, weighted = fit_logistic(x, y, l2=1.0, sample_weight=np.array([3.0, 1.0, 1.0, 1.0]))
    assert plain < 0
    assert weighted == pytest.approx(0.0, abs=1e-6)  # 3 x one positive balances 3 negatives


def test_f1_and_best_threshold() -> None:
    labels = np.array([1, 1, 0, 0])
    assert f1_score(labels, np.array([1, 0, 0, 0])) == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 2 / 3,
    }
    assert f1_score(labels, np.zeros(4))["f1"] == 0.0
    threshold, f1 = best_threshold(np.array([0.9, 0.6, 0.4, 0.1]), labels)
    assert (threshold, f1) == (0.6, 1.0)


def test_missing_or_corrupt_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ModelFileError, match="corrupt"):
        load_model(broken)
    raw = json.loads(MODEL_PATH.read_text())
    raw["weights"] = raw["weights"][:10]
    short = tmp_path / "short.json"
    short.write_text(json.dumps(raw))
    with pytest.raises(ModelFileError, match="do not match"):
        load_model(short)


def test_shipped_model_describes_itself() -> None:
    model = load_model()
    assert model.embedder_name == "all-MiniLM-L6-v2-onnx-int8"
    assert model.embedding_dim == 384
    assert model.cue_names == FEATURE_NAMES
    assert 0.0 < model.threshold < 1.0
    meta = model.metadata
    assert meta["training_data"]["claimbuster_train"] > 7000
    assert meta["claimbuster_gold_test"]["n"] == 702
    assert "f1" in meta["claimbuster_gold_test"]["learned"]


@pytest.fixture(scope="module")
def embedder():
    from retrieval.embedder import default_embedder

    return default_embedder()


CHECKWORTHY = [
    "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
    "The senate voted 52 to 48 to confirm the nominee on Tuesday.",
    "We have lost 70,000 manufacturing jobs in this state since 2001.",
]
NOT_CHECKWORTHY = [
    "Thank you so much, it is great to be here tonight.",
    "I think we need to come together as a country.",
    "What are you going to do about it?",
]


def test_shipped_model_scores_obvious_sentences(embedder) -> None:
    model = load_model()
    scores = model.score(CHECKWORTHY + NOT_CHECKWORTHY, embedder)
    assert all(s >= model.threshold for s in scores[:3]), scores
    assert all(s < model.threshold for s in scores[3:]), scores


def test_rules_only_scorer_agrees_on_obvious_sentences() -> None:
    scores = RuleScorer().score(CHECKWORTHY + NOT_CHECKWORTHY)
    assert all(s >= 0.5 for s in scores[:3]), scores
    assert all(s < 0.5 for s in scores[3:]), scores
