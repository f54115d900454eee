"""The trained offline verifier (a MiniLM cross-encoder run with onnxruntime).

* :mod:`claims.nli.model`: the model files, :class:`Calibration` (the one model
  of ``calibration.json``, written by training and read here) and the ONNX
  :class:`NLIScorer` behind the :class:`Scorer` protocol;
* :mod:`claims.nli.align`: is an evidence sentence about the claim, does it carry
  the claim's details, does it conflict with them (spaCy);
* :mod:`claims.nli.policy`: the pure decision from scored units to a label;
* :mod:`claims.nli.reasons`: the plain-language reason;
* :mod:`claims.nli.verifier`: :class:`NLIVerifier`, all of it together.

The model is trained by ``training/`` and ships in ``claims/data/nli``.
"""

from claims.nli.model import (
    CONTRADICTS,
    DEFAULT_MODEL_DIR,
    ENTAILS,
    MAX_LENGTH,
    NEUTRAL,
    Calibration,
    NLIScorer,
    Scorer,
    softmax,
)
from claims.nli.policy import Conflict, Decision, Policy, Reading, aggregate, decide
from claims.nli.verifier import NLIVerifier

__all__ = [
    "CONTRADICTS",
    "DEFAULT_MODEL_DIR",
    "ENTAILS",
    "MAX_LENGTH",
    "NEUTRAL",
    "Calibration",
    "Conflict",
    "Decision",
    "NLIScorer",
    "NLIVerifier",
    "Policy",
    "Reading",
    "Scorer",
    "aggregate",
    "decide",
    "softmax",
]
