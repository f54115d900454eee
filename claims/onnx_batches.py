"""Batches for transformer encoders run with onnxruntime, each padded to its own longest input.

Both shipped encoders (the sentence embedder in ``retrieval`` and the NLI
cross-encoder in ``claims.nli``) feed onnxruntime the same way: inputs sorted by
token count, cut into batches, and each batch padded only to its longest member
(a fixed pad length ran ~17x slower on short sentences). ``tokenizers`` can pad a
batch itself, but not after sorting by token count, which is what keeps the
padding small, so the arrays are filled here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np


class Encoding(Protocol):
    """What a ``tokenizers.Encoding`` offers that the batches need."""

    @property
    def ids(self) -> list[int]: ...

    @property
    def type_ids(self) -> list[int]: ...


def padded_batches(
    encodings: Sequence[Encoding], batch_size: int
) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
    """``(indices, feeds)`` per batch: the encodings' positions and the model's inputs
    (``input_ids``, ``attention_mask``, ``token_type_ids``), shortest inputs first."""
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    for lo in range(0, len(order), batch_size):
        indices = order[lo : lo + batch_size]
        width = max(len(encodings[i].ids) for i in indices)
        ids = np.zeros((len(indices), width), dtype=np.int64)
        types, mask = np.zeros_like(ids), np.zeros_like(ids)
        for row, i in enumerate(indices):
            n = len(encodings[i].ids)
            ids[row, :n] = encodings[i].ids
            types[row, :n] = encodings[i].type_ids
            mask[row, :n] = 1
        yield indices, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
