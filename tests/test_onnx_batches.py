"""The one batch-and-pad routine the ONNX text models share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from claims.onnx_batches import padded_batches


@dataclass
class Enc:
    ids: list[int]
    type_ids: list[int]


def enc(n: int, second: int = 0) -> Enc:
    return Enc(list(range(101, 101 + n + second)), [0] * n + [1] * second)


def test_batches_group_similar_lengths_and_cover_every_index_once() -> None:
    encodings = [enc(9), enc(2), enc(5), enc(3), enc(7)]
    batches = [indices for indices, _ in padded_batches(encodings, 2)]
    assert batches == [[1, 3], [2, 4], [0]]
    assert sorted(i for b in batches for i in b) == list(range(5))
    assert list(padded_batches([], 4)) == []


def test_padding_reaches_the_batch_longest_and_masks_only_real_tokens() -> None:
    ((indices, inputs),) = list(padded_batches([enc(2), enc(2, second=2)], 4))
    assert indices == [0, 1]
    assert {k: v.shape for k, v in inputs.items()} == {
        "input_ids": (2, 4), "attention_mask": (2, 4), "token_type_ids": (2, 4),
    }  # fmt: skip
    assert inputs["input_ids"].tolist() == [[101, 102, 0, 0], [101, 102, 103, 104]]
    assert inputs["attention_mask"].tolist() == [[1, 1, 0, 0], [1, 1, 1, 1]]
    assert inputs["token_type_ids"].tolist() == [[0, 0, 0, 0], [0, 0, 1, 1]]
    assert all(v.dtype == np.int64 for v in inputs.values())
