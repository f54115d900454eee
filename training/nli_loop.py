"""The resumable fine-tuning loop (plain torch).

Every ``checkpoint_every`` steps it writes ``ckpt-state.pt`` atomically: model,
optimizer, scheduler, step, and the Python, NumPy and torch RNG states. The batch
order of each epoch is drawn from ``shuffle_seed + epoch``, so a resumed run sees
exactly the batches it would have seen, and ends with the same weights as an
uninterrupted one.

Labels 0-2 are the three classes (cross-entropy with label smoothing); label 3
(``NOT_ENTAILS``, FEVER-NLI's merged REFUTES/NEI) is trained with the masked loss
-log(p(contradicts) + p(neutral)).

Three switches give the procedure that trained the shipped model (the ``shipped``
recipe of ``training.train_verifier``), step for step: ``cache_fp16`` computes the
frozen bottom's output (with no frozen layer: the embeddings) once, in batches of
64 sorted by length, and keeps it in fp16; ``order_stream`` draws every epoch's
batch order from one RNG seeded once with ``shuffle_seed``; ``torch_cross_entropy``
takes torch's own label-smoothed cross-entropy (3-way labels only).

``device`` runs the steps on another torch device (``"cuda"`` on a lent GPU machine,
``training.nli_packed``); the loop imports nothing of ``claims`` there but the
batching of the cached path. A run resumed on another device continues the same
schedule and batch order, but dropout draws from that device's generator.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from training.nli_batch import Encoded, pad

STATE = "ckpt-state.pt"
#: LoopConfig fields that a resumed run may change (they do not alter the schedule).
_FREE = ("checkpoint_every", "log_every", "max_minutes", "device")


@dataclass(frozen=True)
class LoopConfig:
    epochs: float = 1.0
    batch_size: int = 16
    lr: float = 5e-5
    frozen_layers: int = 0
    shuffle_seed: int = 13
    label_smoothing: float = 0.05
    cache_fp16: bool = False
    order_stream: bool = False
    torch_cross_entropy: bool = False
    checkpoint_every: int = 200
    log_every: int = 20
    max_minutes: float = 1e9
    device: str = "cpu"


def batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Index batches of similar length: shuffle, sort inside chunks, shuffle batches."""
    return _draw_batches(lengths, batch_size, random.Random(seed))


def epoch_batches(
    lengths: list[int], batch_size: int, config: LoopConfig, epoch: int
) -> list[list[int]]:
    """The batches of ``epoch`` (0-based): drawn with ``shuffle_seed + epoch``, or, with
    ``order_stream``, the ``epoch``-th draw of one RNG seeded with ``shuffle_seed``."""
    if not config.order_stream:
        return batches(lengths, batch_size, config.shuffle_seed + epoch)
    rng = random.Random(config.shuffle_seed)
    for _ in range(epoch):
        _draw_batches(lengths, batch_size, rng)
    return _draw_batches(lengths, batch_size, rng)


def _draw_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    out: list[list[int]] = []
    for lo in range(0, len(order), chunk):
        part = sorted(order[lo : lo + chunk], key=lambda i: lengths[i])
        out.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(out)
    return out


def loss_fn(logits: torch.Tensor, labels: torch.Tensor, smoothing: float) -> torch.Tensor:
    """Mean of smoothed cross-entropy (labels 0-2) and -log(1 - p(entails)) (label 3)."""
    logp = logits.log_softmax(-1)
    three = labels < 3
    total = logits.new_zeros(())
    if three.any():
        lp = logp[three]
        nll = -lp.gather(1, labels[three, None]).squeeze(1)
        total = total + ((1 - smoothing) * nll - smoothing * lp.mean(1)).sum()
    if (~three).any():
        total = total - torch.logsumexp(logp[~three, 1:], dim=1).sum()
    return total / len(labels)


def cache_bottom(model: torch.nn.Module, encoded: list[Encoded], frozen: int) -> list[torch.Tensor]:
    """Each pair's hidden states after the ``frozen`` lower layers, fp16, unpadded
    (computed in batches of 64 by length, on the model's device; kept there)."""
    from claims.onnx_batches import padded_batches

    device = next(model.parameters()).device
    model.eval()
    out: list[torch.Tensor] = [torch.empty(0)] * len(encoded)
    with torch.inference_mode():
        for idx, feeds in padded_batches(encoded, 64):
            ids, mask, types = (
                torch.from_numpy(feeds[k]).to(device)
                for k in ("input_ids", "attention_mask", "token_type_ids")
            )
            states = model.bottom(ids, mask, types, frozen)
            for row, i in enumerate(idx):
                out[i] = states[row, : len(encoded[i][0])].to(torch.float16).clone()
    return out


def pad_states(states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Cached states as one zero-padded fp32 batch and its attention mask."""
    width = max(s.shape[0] for s in states)
    x = torch.zeros((len(states), width, states[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(states), width), dtype=torch.int64)
    for row, s in enumerate(states):
        x[row, : s.shape[0]] = s.float()
        mask[row, : s.shape[0]] = 1
    return x, mask


def _schedule(total: int) -> Callable[[int], float]:
    warmup = max(1, int(0.06 * total))
    return lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))


def _save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train_loop(
    model: torch.nn.Module,
    encoded: list[Encoded],
    labels: list[int],
    work: Path,
    config: LoopConfig,
    *,
    stop_after: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Fine-tune ``model`` in place, resuming from ``work/ckpt-state.pt`` when it
    exists. ``stop_after``: return after this many steps in total (an interruption,
    for tests). Returns a summary (steps, pairs seen, minutes, finished)."""
    work.mkdir(parents=True, exist_ok=True)
    device = torch.device(config.device)
    model.to(device)
    frozen = config.frozen_layers
    for name, param in model.named_parameters():
        if name.startswith("embeddings.") or any(
            name.startswith(f"layers.{i}.") for i in range(frozen)
        ):
            param.requires_grad_(False)
    no_decay = ("bias", "norm")
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {
                "params": [p for n, p in named if not any(k in n for k in no_decay)],
                "weight_decay": 0.01,
            },
            {"params": [p for n, p in named if any(k in n for k in no_decay)], "weight_decay": 0.0},
        ],
        lr=config.lr,
    )
    steps_per_epoch = math.ceil(len(encoded) / config.batch_size)
    total = math.ceil(steps_per_epoch * config.epochs)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _schedule(total))
    step, seen, minutes_before = 0, 0, 0.0
    state_path = work / STATE
    if state_path.exists():
        state = torch.load(state_path, map_location="cpu", weights_only=False)
        fixed = {k: v for k, v in asdict(config).items() if k not in _FREE}
        if {k: state["config"][k] for k in fixed} != fixed or state["pairs"] != len(encoded):
            raise ValueError(
                f"{state_path} was written by another run ({state['config']}, "
                f"{state['pairs']} pairs); remove it to start afresh"
            )
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, seen, minutes_before = state["step"], state["seen"], state["minutes"]
        random.setstate(state["python_rng"])
        np.random.set_state(state["numpy_rng"])
        torch.set_rng_state(state["torch_rng"])
        log(f"resumed from {state_path} at step {step}/{total}")
    target = torch.tensor(labels, device=device)
    lengths = [len(ids) for ids, _ in encoded]
    trainable = [p for _, p in named]
    start = time.monotonic()

    def elapsed_minutes() -> float:
        return minutes_before + (time.monotonic() - start) / 60

    def checkpoint() -> None:
        _save(
            state_path,
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "step": step,
                "seen": seen,
                "minutes": elapsed_minutes(),
                "python_rng": random.getstate(),
                "numpy_rng": np.random.get_state(),
                "torch_rng": torch.get_rng_state(),
                "config": asdict(config),
                "pairs": len(encoded),
            },
        )

    cached = cache_bottom(model, encoded, frozen) if config.cache_fp16 else None
    if cached is not None:
        log(f"cached the layer-{frozen} states of {len(cached)} pairs (fp16)")
    if config.torch_cross_entropy and any(label >= 3 for label in labels):
        raise ValueError("torch_cross_entropy takes 3-way labels only")
    model.train()
    model.embeddings.eval()
    for layer in model.layers[:frozen]:
        layer.eval()
    running, done_this_run = 0.0, 0
    stopped = False
    while step < total and not stopped:
        epoch, offset = divmod(step, steps_per_epoch)
        order = epoch_batches(lengths, config.batch_size, config, epoch)
        for idx in order[offset:]:
            if cached is not None:
                bottom, mask = (t.to(device) for t in pad_states([cached[i] for i in idx]))
            else:
                ids, mask, types = (
                    torch.from_numpy(a).to(device) for a in pad([encoded[i] for i in idx])
                )
                with torch.no_grad():
                    bottom = model.bottom(ids, mask, types, frozen)
            logits = model.top(bottom, mask, frozen)
            if config.torch_cross_entropy:
                loss = torch.nn.functional.cross_entropy(
                    logits, target[idx], label_smoothing=config.label_smoothing
                )
            else:
                loss = loss_fn(logits, target[idx], config.label_smoothing)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            seen += len(idx)
            done_this_run += len(idx)
            running = (
                0.98 * running + 0.02 * loss.item() if done_this_run > len(idx) else loss.item()
            )
            if step % config.log_every == 0:
                rate = done_this_run / max(1e-9, time.monotonic() - start)
                log(
                    f"epoch {epoch + 1} step {step}/{total} loss {running:.3f} {rate:.1f} pairs/s "
                    f"elapsed {elapsed_minutes():.1f} min"
                )
            if step % config.checkpoint_every == 0 or step == total:
                checkpoint()
            if step >= total or (stop_after is not None and step >= stop_after):
                stopped = True
                break
            if elapsed_minutes() > config.max_minutes:
                checkpoint()
                log("time budget reached: stopping early (resume continues the schedule)")
                stopped = True
                break
    return {
        "steps": step,
        "total_steps": total,
        "pairs_seen": seen,
        "minutes": round(elapsed_minutes(), 1),
        "finished": step >= total,
    }
