"""Batching for the ONNX text models (the embedder and the NLI scorer): one way to pad.

Transformer inputs are padded to the longest sequence *of each batch*, with
batches formed from inputs of similar token length, so short texts do not pay
for long ones (a fixed 256-token padding ran ~17x slower here). Pure numpy:
the callers own the tokenizer and the onnxruntime session.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np


class Encoding(Protocol):
    """What a tokenizer's encoding offers (``tokenizers.Encoding`` has both)."""

    @property
    def ids(self) -> list[int]: ...

    @property
    def type_ids(self) -> list[int]: ...


def length_batches(encodings: Sequence[Encoding], batch_size: int) -> Iterator[list[int]]:
    """Indices of ``encodings``, shortest first, in batches of at most ``batch_size``."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def padded_inputs(batch: Sequence[Encoding]) -> dict[str, np.ndarray]:
    """``input_ids``, ``attention_mask`` and ``token_type_ids`` (int64), padded with 0
    to the batch's longest encoding; the mask is 1 exactly on real tokens."""
    width = max((len(e.ids) for e in batch), default=0)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    types, mask = np.zeros_like(ids), np.zeros_like(ids)
    for row, encoding in enumerate(batch):
        n = len(encoding.ids)
        ids[row, :n] = encoding.ids
        types[row, :n] = encoding.type_ids
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
