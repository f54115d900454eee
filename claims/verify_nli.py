"""The trained offline verifier: a MiniLM cross-encoder run with onnxruntime.

Each (claim, evidence sentence) pair is scored as entails / contradicts /
neutral (temperature-calibrated probabilities), explicit number, date and
negation checks turn a model "entails" into "contradicts" where the quantities
disagree, and the per-sentence scores are aggregated into one claim-level
:class:`~claims.models.Verdict` that cites the deciding sentences.

The pure parts (softmax, temperature and isotonic fitting, calibration error,
mismatch application, aggregation) are module functions so they can be tested
on hand-made score matrices; :class:`NLIScorer` is the only part that touches
onnxruntime. The model is trained by ``training/train_verifier.py`` and ships in
``claims/data/nli`` (see its MODEL_CARD.md).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from claims.errors import ModelError, ModelFileError
from claims.models import Citation, Claim, Evidence, Label, Span, Stance, Verdict
from claims.numeric_checks import mismatch

DEFAULT_MODEL_DIR = Path(__file__).parent / "data" / "nli"
MODEL_FILE, TOKENIZER_FILE, CALIBRATION_FILE = "model.onnx", "tokenizer.json", "calibration.json"
ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2

# ---------------------------------------------------------------- pure numerics


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _nll(logits: np.ndarray, gold: np.ndarray, temperature: float) -> float:
    p = softmax(logits / temperature)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(gold)), gold], 1e-12, None))))


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature minimising negative log-likelihood (coarse grid, then fine)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 61))
    best = min(grid, key=lambda t: _nll(logits, gold, t))
    fine = np.linspace(best * 0.93, best * 1.07, 29)
    return float(min(fine, key=lambda t: _nll(logits, gold, t)))


def calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |accuracy - confidence| weighted over equal-width bins."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def ece(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    """Calibration error of the arg-max class of a probability matrix."""
    return calibration_error(probs.max(axis=1), probs.argmax(axis=1) == gold, bins)


def fit_isotonic(x: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators: a non-decreasing map from raw confidence to accuracy.

    Returned as knots for ``np.interp`` so the map is stored as plain JSON.
    """
    order = np.argsort(x, kind="stable")
    xs, ys = np.asarray(x, float)[order], np.asarray(y, float)[order]
    blocks: list[list[float]] = []  # [sum_y, count, min_x, max_x]
    for xi, yi in zip(xs, ys, strict=True):
        blocks.append([yi, 1.0, xi, xi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n, lo, hi = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][3] = hi
    knots_x, knots_y = [], []
    for s, n, lo, hi in blocks:
        knots_x += [lo, hi]
        knots_y += [s / n, s / n]
    return [float(v) for v in knots_x], [float(v) for v in knots_y]


# ---------------------------------------------------------------- aggregation


@dataclass(frozen=True)
class Policy:
    """Thresholds of the claim-level decision, on calibrated pair probabilities."""

    decide: float = 0.5  # a sentence must reach this p(entails) or p(contradicts)
    conflict: float = 0.8  # both directions this strong → CONFLICTING
    max_citations: int = 3


@dataclass(frozen=True)
class Decision:
    label: Label
    raw_confidence: float
    rows: list[int]  # deciding rows of the score matrix, strongest first
    stances: list[Stance]


def apply_mismatches(probs: np.ndarray, reasons: Sequence[str | None]) -> np.ndarray:
    """Move p(entails) onto p(contradicts) for rows the model calls "entails" but
    whose numbers, dates or negation disagree with the claim."""
    out = probs.copy()
    for row, reason in enumerate(reasons):
        if reason is not None and out[row].argmax() == ENTAILS:
            out[row, CONTRADICTS] += out[row, ENTAILS]
            out[row, ENTAILS] = 0.0
    return out


def joint_support_only(probs: np.ndarray, joined: Sequence[bool]) -> np.ndarray:
    """Sentences read together are scored only for what they entail jointly.

    A refutation must stand in one sentence: a joined text mixes passages, so its
    "contradicts" mass (often a year or number of the *other* sentence, flagged by
    the mismatch checks) is moved to neutral. Otherwise an exact match could be
    refuted by an unrelated passage appended to it.
    """
    out = probs.copy()
    rows = np.asarray(joined, dtype=bool)
    out[rows, NEUTRAL] += out[rows, CONTRADICTS]
    out[rows, CONTRADICTS] = 0.0
    return out


def _strongest(column: np.ndarray, threshold: float, limit: int) -> list[int]:
    order = [int(i) for i in np.argsort(-column, kind="stable")]
    picked = [i for i in order if column[i] >= threshold][:limit]
    return picked or order[:1]


def aggregate(probs: np.ndarray, policy: Policy = Policy()) -> Decision:
    """Claim-level label from per-sentence probabilities (rows: sentences;
    columns: entails, contradicts, neutral).

    The strongest supporting and the strongest refuting sentence decide: both
    above ``conflict`` → CONFLICTING; neither above ``decide`` → NOT_ENOUGH_INFO;
    otherwise the stronger side wins.
    """
    if probs.shape[0] == 0:
        return Decision(Label.NOT_ENOUGH_INFO, 1.0, [], [])
    support, refute = probs[:, ENTAILS], probs[:, CONTRADICTS]
    s, r = float(support.max()), float(refute.max())
    k = policy.max_citations
    if s >= policy.conflict and r >= policy.conflict:
        rows = [int(support.argmax()), int(refute.argmax())]
        return Decision(Label.CONFLICTING, min(s, r), rows, ["supports", "refutes"])
    if max(s, r) < policy.decide:
        related = support + refute
        return Decision(
            Label.NOT_ENOUGH_INFO, 1.0 - max(s, r), [int(related.argmax())], ["neutral"]
        )
    if s >= r:
        rows = _strongest(support, policy.decide, k)
        return Decision(Label.SUPPORTED, s, rows, ["supports"] * len(rows))
    rows = _strongest(refute, policy.decide, k)
    return Decision(Label.REFUTED, r, rows, ["refutes"] * len(rows))


# ---------------------------------------------------------------- model files


@dataclass(frozen=True)
class Calibration:
    """What ``calibration.json`` holds: the temperature and optional claim-level map."""

    temperature: float
    max_length: int = 128
    precision: str = "int8"
    model_sha256: str | None = None
    claim_x: list[float] = field(default_factory=list)
    claim_y: list[float] = field(default_factory=list)
    decide: float | None = None  # Policy.decide chosen on held-out training claims

    @classmethod
    def from_file(cls, path: Path) -> Calibration:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            claim_map = raw.get("claim_confidence", {})
            return cls(
                temperature=float(raw["temperature"]),
                max_length=int(raw.get("max_length", 128)),
                precision=str(raw.get("precision", "int8")),
                model_sha256=raw.get("model_sha256"),
                claim_x=[float(v) for v in claim_map.get("x", [])],
                claim_y=[float(v) for v in claim_map.get("y", [])],
                decide=raw.get("policy", {}).get("decide"),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"cannot read NLI calibration {path}: {exc}") from exc

    def claim_confidence(self, raw: float) -> float:
        """Raw claim-level confidence mapped through the isotonic fit, if one ships."""
        if not self.claim_x:
            return float(min(1.0, max(0.0, raw)))
        return float(np.interp(raw, self.claim_x, self.claim_y))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class NLIScorer:
    """Calibrated entails/contradicts/neutral probabilities for text pairs."""

    def __init__(self, model_dir: Path = DEFAULT_MODEL_DIR, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        for name in (MODEL_FILE, TOKENIZER_FILE, CALIBRATION_FILE):
            if not (model_dir / name).is_file():
                raise ModelFileError(
                    f"NLI model file {model_dir / name} is missing; the model ships with "
                    "claimscope in claims/data/nli (rebuild it with `make train-verifier`)"
                )
        self.calibration = Calibration.from_file(model_dir / CALIBRATION_FILE)
        model_path = model_dir / MODEL_FILE
        expected = self.calibration.model_sha256
        if expected and _sha256(model_path) != expected:
            raise ModelFileError(f"NLI model {model_path} does not match its sha256 {expected}")
        options = ort.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        try:
            self._session = ort.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        except Exception as exc:  # onnxruntime and tokenizers raise untyped errors
            raise ModelFileError(f"cannot load NLI model from {model_dir}: {exc}") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.calibration.max_length)
        self._lock = threading.Lock()
        self.batch_size = 32

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw logits, shape ``(len(pairs), 3)``; batches padded to their longest pair."""
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        if not pairs:
            return out
        with self._lock:
            encodings = self._tokenizer.encode_batch([(c, e) for c, e in pairs])
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            types, mask = np.zeros_like(ids), np.zeros_like(ids)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                types[row, :n] = encodings[i].type_ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            try:
                out[idx] = self._session.run(None, feeds)[0]
            except Exception as exc:  # onnxruntime's own exception types
                raise ModelError(f"NLI model failed on a batch of {len(idx)} pairs: {exc}") from exc
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        return softmax(self.logits(pairs) / self.calibration.temperature)


# ---------------------------------------------------------------- the verifier


@dataclass(frozen=True)
class _Unit:
    """One scored evidence text: a sentence, or a few sentences read together."""

    parts: tuple[tuple[Evidence, int], ...]  # (evidence, sentence index), in reading order
    text: str

    @property
    def where(self) -> str:
        return "; ".join(f"sentence {i} of passage {e.passage.id}" for e, i in self.parts)


def _sentences_of(evidence: Evidence) -> list[Span]:
    passage = evidence.passage
    if passage.sentences:
        return passage.sentences
    return [Span.of(passage.text, 0, len(passage.text))] if passage.text.strip() else []


def _joined(parts: list[tuple[Evidence, int]]) -> _Unit:
    return _Unit(tuple(parts), " ".join(_sentences_of(e)[i].text for e, i in parts))


class NLIVerifier:
    """Trained cross-encoder + mismatch checks + aggregation. Offline, CPU only."""

    name = "nli-minilm-l6"

    def __init__(
        self,
        scorer: NLIScorer,
        *,
        policy: Policy = Policy(),
        sentences_per_passage: int = 5,
        max_units: int = 40,
        pair_windows: bool = True,
        mismatch_checks: bool = True,
    ) -> None:
        self._scorer = scorer
        self.policy = policy
        self.sentences_per_passage = sentences_per_passage
        self.max_units = max_units
        self.pair_windows = pair_windows
        self.mismatch_checks = mismatch_checks

    @property
    def scorer(self) -> NLIScorer:
        return self._scorer

    @classmethod
    def load(cls, model_dir: Path = DEFAULT_MODEL_DIR, **options: object) -> NLIVerifier:
        """The verifier over the model shipped in ``model_dir``; ModelFileError if unusable.

        The decision threshold stored beside the model is used unless ``policy`` is given."""
        scorer = NLIScorer(model_dir)
        if "policy" not in options and scorer.calibration.decide is not None:
            options["policy"] = Policy(decide=scorer.calibration.decide)
        return cls(scorer, **options)  # type: ignore[arg-type]

    def units(self, evidence: Sequence[Evidence]) -> list[_Unit]:
        """Texts to score, bounded in count: each passage's best sentences one by one,
        its two best read together, and the best sentence of the top three passages
        read together (evidence that only entails jointly, as in multi-hop claims)."""
        singles: list[_Unit] = []
        windows: list[_Unit] = []
        leads: list[tuple[Evidence, int]] = []
        for item in evidence:
            spans = _sentences_of(item)
            order = [i for i in item.best_sentences if 0 <= i < len(spans)]
            order += [i for i in range(len(spans)) if i not in order]
            chosen = order[: self.sentences_per_passage]
            singles += [_Unit(((item, i),), spans[i].text) for i in chosen]
            if chosen:
                leads.append((item, chosen[0]))
            if self.pair_windows and len(chosen) >= 2:
                windows.append(_joined([(item, i) for i in sorted(chosen[:2])]))
        if self.pair_windows and len(leads) >= 2:
            windows.append(_joined(leads[:3]))
        return (windows + singles)[: self.max_units]

    def score(self, claim: str, units: Sequence[_Unit]) -> tuple[np.ndarray, list[str | None]]:
        """Calibrated probabilities per unit, after the mismatch checks, and their reasons."""
        probs = self._scorer.probabilities([(claim, u.text) for u in units])
        joined = [len(u.parts) > 1 for u in units]
        if not self.mismatch_checks:
            return joint_support_only(probs, joined), [None] * len(units)
        reasons = [mismatch(claim, u.text) for u in units]
        return joint_support_only(apply_mismatches(probs, reasons), joined), reasons

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        units = self.units(evidence)
        if not units:
            return Verdict(
                label=Label.NOT_ENOUGH_INFO,
                confidence=self._scorer.calibration.claim_confidence(1.0),
                rationale="No evidence sentence was retrieved for this claim.",
                verifier=self.name,
            )
        probs, reasons = self.score(claim.text, units)
        decision = aggregate(probs, self.policy)
        citations = [
            _citation(item, index, stance)
            for row, stance in zip(decision.rows, decision.stances, strict=True)
            for item, index in units[row].parts
        ]
        return Verdict(
            label=decision.label,
            confidence=self._scorer.calibration.claim_confidence(decision.raw_confidence),
            citations=_unique(citations),
            rationale=_rationale(decision, units, probs, reasons),
            verifier=self.name,
        )


def _citation(evidence: Evidence, index: int, stance: Stance) -> Citation:
    passage = evidence.passage
    span = _sentences_of(evidence)[index]
    return Citation(
        passage_id=passage.id,
        sentence_index=index,
        start=span.start,
        end=span.end,
        text=span.text,
        stance=stance,
        source=passage.source,
        title=passage.title,
        url=passage.url,
    )


def _unique(citations: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, int]] = set()
    out = []
    for c in citations:
        if (c.passage_id, c.sentence_index) not in seen:
            seen.add((c.passage_id, c.sentence_index))
            out.append(c)
    return out


def _quote(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rationale(
    decision: Decision, units: list[_Unit], probs: np.ndarray, reasons: list[str | None]
) -> str:
    if not decision.rows:
        return "No evidence sentence was scored."
    row = decision.rows[0]
    unit = units[row]
    where = unit.where
    p_e, p_c = probs[row, ENTAILS], probs[row, CONTRADICTS]
    quote = f"“{_quote(unit.text)}”"
    if decision.label is Label.SUPPORTED:
        return f"Supported by {where} (p(entails)={p_e:.2f}): {quote}"
    if decision.label is Label.REFUTED:
        why = f"; {reasons[row]}" if reasons[row] else ""
        return f"Refuted by {where} (p(contradicts)={p_c:.2f}{why}): {quote}"
    if decision.label is Label.CONFLICTING:
        other = units[decision.rows[1]]
        return (
            f"Conflicting evidence: {where} supports the claim (p={p_e:.2f}) while "
            f"{other.where} refutes it (p={probs[decision.rows[1], CONTRADICTS]:.2f})."
        )
    return (
        f"Not enough information: the closest evidence, {where}, neither entails "
        f"(p={p_e:.2f}) nor contradicts (p={p_c:.2f}) the claim."
    )
