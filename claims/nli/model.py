"""The shipped NLI model: its files, its calibration and the ONNX scorer.

``calibration.json`` is one pydantic model, :class:`Calibration`: training
(``training/``) writes it and the verifier reads it, so the two cannot drift.
The scorer sits behind the small :class:`Scorer` protocol; the verifier and
its tests need nothing else from onnxruntime.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claims.errors import ModelError, ModelFileError
from claims.onnx_batches import padded_batches

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "nli"
MODEL_FILE, TOKENIZER_FILE, CALIBRATION_FILE = "model.onnx", "tokenizer.json", "calibration.json"
ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2
CLASSES = ("entails", "contradicts", "neutral")
MAX_LENGTH = 128  # tokens of a (claim, evidence) pair, in training and at run time


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    probabilities: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return probabilities


# A verdict confidence is never shown as certainty (see Calibration.claim_confidence).
CONFIDENCE_CAP = 0.99


class Knots(BaseModel):
    """Isotonic knots from raw claim-level confidence to accuracy (``np.interp``)."""

    x: list[float] = Field(default_factory=list)
    y: list[float] = Field(default_factory=list)


class ClaimConfidenceMap(Knots):
    """The claim-level confidence map: one map over all verdicts (``x``, ``y``) and,
    where calibration fitted them, one per verdict label (``by_label``). A raw
    confidence means different things per label (an entailment's strength for
    SUPPORTED, one minus the strongest side for NOT_ENOUGH_INFO), so one shared map
    mixes them; a label without its own map uses the shared one."""

    model_config = ConfigDict(extra="allow")

    by_label: dict[str, Knots] = Field(default_factory=dict)

    def knots(self, label: str | None) -> Knots:
        own = self.by_label.get(label) if label is not None else None
        return own if own is not None and own.x else self


class PolicyFit(BaseModel):
    """The decision threshold chosen on held-out training claims, and the sweep behind it."""

    model_config = ConfigDict(extra="allow")

    decide: float | None = None
    contradict: float | None = None  # p(contradicts) that refutes without a specific conflict


class Calibration(BaseModel):
    """What ``calibration.json`` holds. Training writes it with :meth:`write`, the
    verifier reads it with :meth:`from_file`; fields it does not name (held-out
    figures) are kept as they are."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    temperature: float = Field(gt=0)
    max_length: int = MAX_LENGTH
    precision: str = "int8"
    model_sha256: str | None = None
    classes: list[str] = Field(default_factory=lambda: list(CLASSES))
    policy: PolicyFit = Field(default_factory=PolicyFit)
    claim_map: ClaimConfidenceMap = Field(
        default_factory=ClaimConfidenceMap, alias="claim_confidence"
    )

    @classmethod
    def from_file(cls, path: Path) -> Calibration:
        try:
            return cls.model_validate_json(path.read_bytes())
        except (OSError, ValidationError) as exc:
            raise ModelFileError(f"cannot read NLI calibration {path}: {exc}") from exc

    def write(self, path: Path) -> None:
        path.write_text(self.model_dump_json(by_alias=True, indent=2) + "\n", encoding="utf-8")

    @property
    def decide(self) -> float | None:
        return self.policy.decide

    @property
    def contradict(self) -> float | None:
        return self.policy.contradict

    def claim_confidence(self, raw: float, label: str | None = None) -> float:
        """Raw claim-level confidence mapped through the isotonic fit of the verdict's
        label (else the shared one), if one ships, and kept within [0.01, 0.99]: the
        fit's end bins come from a few hundred held-out claims that were all right (or
        all wrong), not from certainty."""
        knots = self.claim_map.knots(label)
        if knots.x:
            raw = float(np.interp(raw, knots.x, knots.y))
        return float(min(CONFIDENCE_CAP, max(1.0 - CONFIDENCE_CAP, raw)))


class Scorer(Protocol):
    """Calibrated (entails, contradicts, neutral) probabilities for (claim, evidence) pairs."""

    calibration: Calibration

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class NLIScorer:
    """The MiniLM cross-encoder in ``model_dir``, run with onnxruntime on CPU."""

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
        for idx, feeds in padded_batches(encodings, self.batch_size):
            try:
                out[idx] = self._session.run(None, feeds)[0]
            except Exception as exc:  # onnxruntime's own exception types
                raise ModelError(f"NLI model failed on a batch of {len(idx)} pairs: {exc}") from exc
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        return softmax(self.logits(pairs) / self.calibration.temperature)
