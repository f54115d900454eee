"""Check-worthiness: how likely a sentence states a fact worth checking.

Two scorers with one interface (``score(texts, embedder) -> array in [0, 1]``,
``threshold``, ``name``):

- :class:`CheckworthinessModel`: logistic regression over the sentence
  embedding concatenated with the standardised cues of :mod:`claims.cues`.
  Trained by ``python -m training.train_checkworthiness`` and shipped as JSON in
  ``claims/data/``. Inference is numpy only.
- :class:`RuleScorer`: the cues alone with hand-set weights, no learning. A
  fallback and the comparison figure for the learned model.

The fitting routine lives here too (plain numpy Newton iterations) so that
training needs no extra dependency and tests can fit small models on fakes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from claims.cues import FEATURE_NAMES, cues, rule_score
from claims.errors import ConfigError, ModelFileError
from claims.protocols import Embedder

MODEL_PATH = Path(__file__).parent / "data" / "checkworthiness.json"
FORMAT_VERSION = 1


class SentenceScorer(Protocol):
    """What the offline extractor needs from a check-worthiness scorer."""

    name: str
    threshold: float

    def score(self, texts: Sequence[str], embedder: Embedder) -> np.ndarray: ...


def cue_matrix(texts: Sequence[str]) -> np.ndarray:
    """The cue features of each text, one row per text, columns as FEATURE_NAMES."""
    if not texts:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float64)
    features: np.ndarray = np.array([cues(t).vector() for t in texts], dtype=np.float64)
    return features


def _sigmoid(z: np.ndarray) -> np.ndarray:
    squashed: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
    return squashed


@dataclass
class CheckworthinessModel:
    """Logistic regression over [embedding, standardised cues]."""

    weights: np.ndarray
    bias: float
    cue_mean: np.ndarray
    cue_std: np.ndarray
    embedder_name: str
    embedding_dim: int
    threshold: float
    cue_names: tuple[str, ...] = FEATURE_NAMES
    metadata: dict[str, Any] = field(default_factory=dict)
    name: str = "checkworthiness-logreg"

    def features(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The model's input rows: embeddings beside standardised cues."""
        standard = (cue_matrix(texts) - self.cue_mean) / self.cue_std
        return np.hstack([np.asarray(embeddings, dtype=np.float64), standard])

    def score_features(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(x @ self.weights + self.bias)

    def score(self, texts: Sequence[str], embedder: Embedder) -> np.ndarray:
        """Check-worthiness in [0, 1] of each text; embeds them in one batch."""
        if not texts:
            return np.zeros(0)
        self.check_embedder(embedder)
        embeddings = embedder.embed(list(texts))
        return self.score_features(self.features(embeddings, texts))

    def check_embedder(self, embedder: Embedder) -> None:
        if embedder.name != self.embedder_name:
            raise ConfigError(
                f"the check-worthiness model was trained on {self.embedder_name!r} embeddings, "
                f"but the extractor was given {embedder.name!r}"
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "embedder_name": self.embedder_name,
            "embedding_dim": self.embedding_dim,
            "feature_names": [f"emb_{i}" for i in range(self.embedding_dim)] + list(self.cue_names),
            "cue_names": list(self.cue_names),
            "cue_mean": [round(float(v), 6) for v in self.cue_mean],
            "cue_std": [round(float(v), 6) for v in self.cue_std],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": float(self.bias),
            "threshold": float(self.threshold),
            "metadata": self.metadata,
        }

    def save(self, path: Path = MODEL_PATH) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> CheckworthinessModel:
        if raw.get("format_version") != FORMAT_VERSION:
            raise ModelFileError(
                f"unknown check-worthiness model format {raw.get('format_version')!r}"
            )
        cue_names = tuple(raw["cue_names"])
        if cue_names != FEATURE_NAMES:
            raise ModelFileError(
                "the check-worthiness model was trained on other cue features than this code "
                "computes; retrain it with `python -m training.train_checkworthiness`"
            )
        weights = np.array(raw["weights"], dtype=np.float64)
        dim = int(raw["embedding_dim"])
        if weights.shape != (dim + len(cue_names),):
            raise ModelFileError("the check-worthiness model's weights do not match its features")
        return cls(
            weights=weights,
            bias=float(raw["bias"]),
            cue_mean=np.array(raw["cue_mean"], dtype=np.float64),
            cue_std=np.array(raw["cue_std"], dtype=np.float64),
            embedder_name=raw["embedder_name"],
            embedding_dim=dim,
            threshold=float(raw["threshold"]),
            cue_names=cue_names,
            metadata=raw.get("metadata", {}),
            name=raw.get("name", "checkworthiness-logreg"),
        )


def load_model(path: Path = MODEL_PATH) -> CheckworthinessModel:
    """The shipped model (or one at ``path``); ModelFileError when missing or corrupt."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return CheckworthinessModel.from_json(raw)
    except FileNotFoundError as exc:
        raise ModelFileError(f"check-worthiness model not found at {path}") from exc
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"check-worthiness model {path} is corrupt: {exc}") from exc


class RuleScorer:
    """Cues with hand-set weights: no learning, no embeddings."""

    name = "checkworthiness-rules"

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def score(self, texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
        return np.array([rule_score(t) for t in texts], dtype=np.float64)


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 1.0,
    sample_weight: np.ndarray | None = None,
    max_iter: int = 50,
    tol: float = 1e-8,
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (deterministic).

    Minimises ``sum_i s_i * logloss_i + l2/2 * |w|^2`` (the bias is not
    penalised). Features are few (hundreds), so the Hessian is cheap.
    """
    n, d = x.shape
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    xb = np.hstack([x, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(max_iter):
        p = _sigmoid(xb @ theta)
        grad = xb.T @ (s * (p - y)) + penalty * theta
        hess = (xb * (s * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if float(np.max(np.abs(step))) < tol:
            break
    return theta[:-1], float(theta[-1])


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The threshold that maximises F1 of the positive class, and that F1."""
    best = (0.5, 0.0)
    for t in np.unique(np.round(scores, 3)):
        f1 = f1_score(labels, scores >= t)["f1"]
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def f1_score(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the positive class."""
    labels = np.asarray(labels).astype(bool)
    predicted = np.asarray(predicted).astype(bool)
    tp = int(np.sum(labels & predicted))
    precision = tp / max(1, int(predicted.sum()))
    recall = tp / max(1, int(labels.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
