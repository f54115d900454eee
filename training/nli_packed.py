"""Train the verifier where the shared data and the base wheel are not: a lent GPU
machine, which reaches no registry and receives at most 64 MiB beside the repository.

    python -m training.train_verifier pack --recipe mixed --work runs/nli-gpu --out .dev/gpu
    # on the GPU machine (torch, numpy and safetensors only; nothing of ``claims``):
    python3 -m training.nli_packed train --packed .dev/gpu --work /tmp/w --out $OUT/a --device cuda
    # back here:
    python -m training.nli_packed unpack --trained DIR --work runs/nli-gpu
    python -m training.train_verifier export --work runs/nli-gpu --out runs/nli-gpu/candidate

``pack`` (``training.train_verifier``) writes the encoded training pairs and the
base weights it starts from into one folder:

- ``pairs.npz``: every pair's token ids (uint16, one flat array with start offsets),
  where its second segment starts, and its label;
- ``base.safetensors``: the initial model (all-MiniLM-L6-v2 and the seeded head) in
  fp16, the word embeddings cut to the rows the pairs use (``word_rows``). The
  embeddings are frozen in training, so the rows no pair reads never matter;
- ``pack.json``: how the pairs were built (recipe, counts, composition).

``train`` fine-tunes with ``training.nli_loop`` (the resumable loop) and writes the
trained tensors (everything but the frozen embeddings) in fp16, in two files under
16 MiB each, plus ``train.json``. ``unpack`` puts them over the base weights
rounded to fp16 as the GPU machine had them: ``ckpt-last.pt`` in the work folder,
for ``export`` and ``calibrate`` as after a local ``train``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

from training.nli_batch import Encoded
from training.nli_bert import BertConfig, CrossEncoder

PAIRS = "pairs.npz"
BASE = "base.safetensors"
META = "pack.json"
TRAINED = ("trained-1.safetensors", "trained-2.safetensors")
WORD = "embeddings.word_embeddings.weight"
ROWS = "word_rows"
_FROZEN = "embeddings."


def write_pack(
    encoded: list[Encoded],
    labels: list[int],
    initial: CrossEncoder,
    config: BertConfig,
    out: Path,
    meta: dict,
) -> None:
    """``out``'s three files from the encoded pairs and the initial model."""
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    lengths = np.array([len(e.ids) for e in encoded], dtype=np.int64)
    flat = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encoded])
    if flat.max() >= 2**16:
        raise ValueError("token ids above 65535 do not fit the uint16 pack")
    second = np.array([e.type_ids.index(1) if 1 in e.type_ids else len(e.ids) for e in encoded])
    for e, at in zip(encoded, second, strict=True):  # the pack keeps one boundary per pair
        if list(e.type_ids) != [0] * at + [1] * (len(e.ids) - at):
            raise ValueError("token type ids are not one block of 0s then 1s")
    np.savez_compressed(
        out / PAIRS,
        ids=flat.astype(np.uint16),
        starts=np.concatenate([[0], np.cumsum(lengths)]),
        second=second.astype(np.int32),
        labels=np.asarray(labels, dtype=np.int8),
    )
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in initial.state_dict().items()}
    rows = torch.from_numpy(np.unique(flat))
    state[WORD] = state[WORD][rows].contiguous()
    state[ROWS] = rows.to(torch.int32)
    save_file(state, str(out / BASE))
    (out / META).write_text(json.dumps({**meta, "config": config.__dict__}, indent=2))


def read_pairs(packed: Path) -> tuple[list[Encoded], list[int]]:
    data = np.load(packed / PAIRS)
    ids, starts, second = data["ids"].astype(np.int64), data["starts"], data["second"]
    encoded = []
    for i in range(len(second)):
        row = ids[starts[i] : starts[i + 1]].tolist()
        encoded.append(Encoded(row, [0] * int(second[i]) + [1] * (len(row) - int(second[i]))))
    return encoded, data["labels"].astype(np.int64).tolist()


def initial_model(packed: Path) -> CrossEncoder:
    """The packed initial model in fp32 (word embeddings zero outside the packed rows)."""
    from safetensors.torch import load_file

    meta = json.loads((packed / META).read_text())
    model = CrossEncoder(BertConfig(**meta["config"]))
    state = {k: v.float() for k, v in load_file(str(packed / BASE)).items()}
    rows = state.pop(ROWS).long()
    word = torch.zeros_like(model.embeddings.word_embeddings.weight)
    word[rows] = state[WORD]
    state[WORD] = word
    model.load_state_dict(state)
    return model


def save_trained(model: CrossEncoder, out: Path) -> list[Path]:
    """The trained tensors (not the frozen embeddings) in fp16, split in two files."""
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    state = model.state_dict()
    names = [k for k in state if not k.startswith(_FROZEN)]
    half = len(names) // 2
    paths = []
    for name, part in zip(TRAINED, (names[:half], names[half:]), strict=True):
        save_file(
            {k: state[k].detach().to("cpu", torch.float16).contiguous() for k in part},
            str(out / name),
        )
        paths.append(out / name)
    return paths


def merged_state(base: CrossEncoder, trained: Path) -> dict[str, torch.Tensor]:
    """``base``'s weights with its embeddings rounded to fp16 (as the GPU machine held
    them), under the trained tensors of ``trained`` (a folder of ``TRAINED`` files)."""
    from safetensors.torch import load_file

    state = {k: v.detach().clone() for k, v in base.state_dict().items()}
    for key in state:
        if key.startswith(_FROZEN):
            state[key] = state[key].to(torch.float16).float()
    got: dict[str, torch.Tensor] = {}
    for name in TRAINED:
        got.update({k: v.float() for k, v in load_file(str(trained / name)).items()})
    expected = {k for k in state if not k.startswith(_FROZEN)}
    if set(got) != expected:
        raise ValueError(f"{trained}: trained tensors do not fit: {sorted(set(got) ^ expected)}")
    state.update(got)
    return state


def _train(args: argparse.Namespace) -> None:
    from training.nli_loop import LoopConfig, train_loop

    packed, work, out = Path(args.packed), Path(args.work), Path(args.out)
    meta = json.loads((packed / META).read_text())
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    encoded, labels = read_pairs(packed)
    model = initial_model(packed)
    if args.init:  # continue from an earlier run's trained tensors (a new schedule)
        model.load_state_dict(merged_state(model, Path(args.init)))
    print(
        f"{len(encoded)} pairs from {packed} ({meta['recipe']}); device {args.device}", flush=True
    )
    config = LoopConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        frozen_layers=args.frozen_layers,
        shuffle_seed=args.shuffle_seed,
        checkpoint_every=args.checkpoint_every,
        device=args.device,
    )
    t0 = time.monotonic()
    summary = train_loop(model, encoded, labels, work, config, log=lambda s: print(s, flush=True))
    save_trained(model, out)
    run = {
        "recipe": meta["recipe"],
        "pairs": len(encoded),
        "heldout_pairs": meta["heldout_pairs"],
        **summary,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "epochs": args.epochs,
        "max_length": meta["max_length"],
        "frozen_layers": args.frozen_layers,
        "seed": meta["seed"],
        "init": args.init,
        "shuffle_seed": args.shuffle_seed,
        "threads": None,
        "device": args.device,
        "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu",
        "checkpoint_every": args.checkpoint_every,
        "composition": meta["composition"],
        "wall_minutes": round((time.monotonic() - t0) / 60, 2),
    }
    (out / "train.json").write_text(json.dumps(run, indent=2))
    print(f"trained: {summary}", flush=True)


def _unpack(args: argparse.Namespace) -> None:
    from training.nli_bert import load_pretrained
    from training.nli_tokens import base_model_dir

    trained, work = Path(args.trained), Path(args.work)
    run = json.loads((trained / "train.json").read_text())
    base = load_pretrained(base_model_dir(), run["seed"])
    torch.save(merged_state(base, trained), work / "ckpt-last.pt")
    shutil.copy(trained / "train.json", work / "train.json")
    print(f"wrote {work / 'ckpt-last.pt'} from {trained}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nli_packed", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="fine-tune on a packed folder")
    t.add_argument("--packed", required=True)
    t.add_argument("--work", required=True, help="checkpoints (resumable)")
    t.add_argument("--out", required=True, help="trained tensors and train.json")
    t.add_argument("--device", default="cuda")
    t.add_argument("--epochs", type=float, default=2.0)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--frozen-layers", type=int, default=0)
    t.add_argument("--shuffle-seed", type=int, default=13)
    t.add_argument("--seed", type=int, default=13, help="dropout")
    t.add_argument("--checkpoint-every", type=int, default=1000)
    t.add_argument("--init", default=None, help="a folder of trained tensors to start from")
    t.set_defaults(func=_train)
    u = sub.add_parser("unpack", help="trained tensors + base weights -> ckpt-last.pt")
    u.add_argument("--trained", required=True)
    u.add_argument("--work", required=True)
    u.set_defaults(func=_unpack)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
