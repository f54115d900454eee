"""One pair's token ids and the padding of a batch: numpy only, so that the training
loop imports nothing of ``claims`` (``training.nli_packed`` runs it where only torch,
numpy and safetensors are installed)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Encoded(NamedTuple):
    """One pair's token ids and token type ids (a tuple, and what
    ``claims.onnx_batches.padded_batches`` reads)."""

    ids: list[int]
    type_ids: list[int]


def pad(batch: list[tuple[list[int], list[int]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    width = max(len(ids) for ids, _ in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for row, (i, t) in enumerate(batch):
        ids[row, : len(i)] = i
        types[row, : len(t)] = t
        mask[row, : len(i)] = 1
    return ids, mask, types
