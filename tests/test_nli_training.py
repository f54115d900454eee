"""The resumable training loop on a tiny random encoder (no shared data, no base
weights): an interrupted and resumed run ends with the same weights as an
uninterrupted one. Skipped where torch is not installed: `make train-verifier` installs
it, CI's `.[dev]` does not."""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

from training.nli_bert import BertConfig, CrossEncoder  # noqa: E402
from training.nli_loop import (  # noqa: E402
    STATE,
    LoopConfig,
    _draw_batches,
    batches,
    cache_bottom,
    epoch_batches,
    loss_fn,
    pad_states,
    train_loop,
)
from training.nli_tokens import Encoded, pad  # noqa: E402

TINY = BertConfig(
    vocab_size=50,
    hidden_size=16,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=32,
    max_position_embeddings=32,
)


def _data(n: int = 40) -> tuple[list, list[int]]:
    rng = random.Random(5)
    encoded, labels = [], []
    for _ in range(n):
        length = rng.randint(4, 12)
        ids = [1] + [rng.randint(3, 49) for _ in range(length - 2)] + [2]
        encoded.append((ids, [0] * (length // 2) + [1] * (length - length // 2)))
        labels.append(rng.randint(0, 3))
    return encoded, labels


def _model() -> CrossEncoder:
    torch.manual_seed(0)
    return CrossEncoder(TINY)


def _config() -> LoopConfig:
    # 40 pairs / batch 4 = 10 steps an epoch, 2 epochs; a checkpoint every 3 steps
    return LoopConfig(epochs=2, batch_size=4, lr=1e-3, frozen_layers=1, checkpoint_every=3)


def test_resumed_run_ends_with_the_same_weights(tmp_path) -> None:
    encoded, labels = _data()
    straight = _model()
    summary = train_loop(straight, encoded, labels, tmp_path / "a", _config(), log=lambda _: None)
    assert summary["finished"] and summary["steps"] == 20

    first = _model()
    part = train_loop(
        first, encoded, labels, tmp_path / "b", _config(), stop_after=7, log=lambda _: None
    )
    assert not part["finished"]
    assert torch.load(tmp_path / "b" / STATE, weights_only=False)["step"] == 6  # last checkpoint
    # a fresh process: new model object, RNG disturbed; resumes from step 6
    torch.manual_seed(999)
    random.seed(999)
    lines: list[str] = []
    resumed = _model()
    summary = train_loop(resumed, encoded, labels, tmp_path / "b", _config(), log=lines.append)
    assert summary["finished"] and summary["steps"] == 20
    assert any("resumed" in line and "step 6/20" in line for line in lines)
    for (name, a), (_, b) in zip(
        straight.state_dict().items(), resumed.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    # the frozen part (embeddings, layer 0) did not move; the head did
    fresh = _model()
    assert torch.equal(fresh.layers[0].query.weight, resumed.layers[0].query.weight)
    assert not torch.equal(fresh.classifier.weight, resumed.classifier.weight)


def test_resume_refuses_a_checkpoint_of_another_run(tmp_path) -> None:
    encoded, labels = _data()
    train_loop(_model(), encoded, labels, tmp_path, _config(), stop_after=3, log=lambda _: None)
    other = LoopConfig(epochs=2, batch_size=8, lr=1e-3, frozen_layers=1, checkpoint_every=3)
    with pytest.raises(ValueError, match="another run"):
        train_loop(_model(), encoded, labels, tmp_path, other, log=lambda _: None)


def test_masked_loss_for_not_entails_ignores_how_the_rest_splits() -> None:
    labels = torch.tensor([3])
    a = loss_fn(torch.tensor([[0.0, 2.0, -1.0]]), labels, 0.0)
    b = loss_fn(torch.tensor([[0.0, -1.0, 2.0]]), labels, 0.0)
    assert torch.allclose(a, b)
    entails_high = loss_fn(torch.tensor([[4.0, 0.0, 0.0]]), labels, 0.0)
    assert entails_high > a + 1.0
    # a 3-way label is plain cross-entropy without smoothing
    logits = torch.tensor([[1.0, 0.5, -0.5]])
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([1]))
    assert torch.allclose(loss_fn(logits, torch.tensor([1]), 0.0), expected)


def test_resume_may_change_the_time_budget_and_checkpoint_interval(tmp_path) -> None:
    encoded, labels = _data()
    train_loop(_model(), encoded, labels, tmp_path, _config(), stop_after=3, log=lambda _: None)
    relaxed = LoopConfig(
        epochs=2, batch_size=4, lr=1e-3, frozen_layers=1, checkpoint_every=5, max_minutes=60
    )
    summary = train_loop(_model(), encoded, labels, tmp_path, relaxed, log=lambda _: None)
    assert summary["finished"] and summary["steps"] == 20


def _shipped_config() -> LoopConfig:
    # the switches of the shipped recipe: fp16-cached bottom, one batch-order stream,
    # torch's cross-entropy (all layers train, as in the shipped run)
    return LoopConfig(
        epochs=2,
        batch_size=4,
        lr=1e-3,
        frozen_layers=0,
        checkpoint_every=3,
        cache_fp16=True,
        order_stream=True,
        torch_cross_entropy=True,
    )


def test_shipped_recipe_loop_resumes_to_the_same_weights(tmp_path) -> None:
    encoded, labels = _data()
    encoded = [Encoded(*e) for e in encoded]
    labels = [label % 3 for label in labels]  # 3-way labels only
    straight = _model()
    train_loop(straight, encoded, labels, tmp_path / "a", _shipped_config(), log=lambda _: None)
    train_loop(
        _model(),
        encoded,
        labels,
        tmp_path / "b",
        _shipped_config(),
        stop_after=13,
        log=lambda _: None,
    )
    torch.manual_seed(999)
    resumed = _model()
    summary = train_loop(
        resumed, encoded, labels, tmp_path / "b", _shipped_config(), log=lambda _: None
    )
    assert summary["finished"] and summary["steps"] == 20
    for (name, a), (_, b) in zip(
        straight.state_dict().items(), resumed.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    # the embeddings stay as they were (their output was cached), the layers moved
    fresh = _model()
    assert torch.equal(
        fresh.embeddings.word_embeddings.weight, resumed.embeddings.word_embeddings.weight
    )
    assert not torch.equal(fresh.layers[0].query.weight, resumed.layers[0].query.weight)


def test_order_stream_draws_each_epoch_from_one_rng() -> None:
    lengths = [random.Random(1).randint(3, 30) for _ in range(50)]
    stream = LoopConfig(batch_size=4, shuffle_seed=13, order_stream=True)
    rng = random.Random(13)
    draws = [_draw_batches(lengths, 4, rng) for _ in range(3)]
    assert [epoch_batches(lengths, 4, stream, e) for e in range(3)] == draws
    assert draws[0] != draws[1]
    seeded = LoopConfig(batch_size=4, shuffle_seed=13)
    assert epoch_batches(lengths, 4, seeded, 1) == batches(lengths, 4, 14)


def test_cached_states_are_the_bottom_output_in_fp16() -> None:
    encoded, _ = _data(10)
    encoded = [Encoded(*e) for e in encoded]
    model = _model()
    cached = cache_bottom(model, encoded, 1)
    ids, mask, types = (torch.from_numpy(a) for a in pad([encoded[3]]))
    with torch.no_grad():
        direct = model.bottom(ids, mask, types, 1)[0]
    assert cached[3].dtype == torch.float16 and cached[3].shape == direct.shape
    assert torch.allclose(cached[3].float(), direct, atol=1e-2)
    states, state_mask = pad_states([cached[0], cached[3]])
    assert states.dtype == torch.float32 and state_mask.sum().item() == len(encoded[0].ids) + len(
        encoded[3].ids
    )


def test_torch_cross_entropy_takes_three_way_labels_only(tmp_path) -> None:
    encoded, labels = _data()
    encoded = [Encoded(*e) for e in encoded]
    with pytest.raises(ValueError, match="3-way"):
        train_loop(_model(), encoded, [3] * len(encoded), tmp_path, _shipped_config())
