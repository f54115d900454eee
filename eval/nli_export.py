"""Export the fine-tuned cross-encoder to ONNX, quantise it, calibrate it, ship it.

Steps: fp32 ONNX with dynamic batch and sequence axes → int8 dynamic
quantisation → accuracy of both on the held-out slice of the training sources →
keep int8 if it is within 1 point of fp32 → fit a temperature on that slice →
write ``model.onnx``, ``calibration.json`` beside the shipped tokenizer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from eval.nli_data import Pair

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _read_pairs(path: Path) -> list[Pair]:
    return [Pair(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def export_onnx(checkpoint: Path, target: Path) -> None:
    import torch

    from eval.nli_bert import BertConfig, CrossEncoder
    from eval.train_verifier import _base_model_dir

    model = CrossEncoder(BertConfig.from_json(_base_model_dir() / "config.json"))
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    model.eval()
    ids = torch.ones((2, 12), dtype=torch.int64)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in INPUTS}
    dynamic["logits"] = {0: "batch"}
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(target),
        input_names=list(INPUTS),
        output_names=["logits"],
        dynamic_axes=dynamic,
        opset_version=17,
        dynamo=False,
    )


def quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)


def onnx_logits(model: Path, pairs: list[Pair], batch_size: int = 32) -> np.ndarray:
    import onnxruntime as ort

    from eval.train_verifier import _tokenizer, encode, pad

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    encoded = encode(_tokenizer(), [(p.claim, p.evidence) for p in pairs])
    order = sorted(range(len(pairs)), key=lambda i: len(encoded[i][0]))
    out = np.zeros((len(pairs), 3), dtype=np.float32)
    for lo in range(0, len(order), batch_size):
        idx = order[lo : lo + batch_size]
        ids, mask, types = pad([encoded[i] for i in idx])
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        out[idx] = session.run(None, feeds)[0]
    return out


def macro_f1(gold: np.ndarray, pred: np.ndarray, n_classes: int = 3) -> float:
    scores = []
    for c in range(n_classes):
        tp = np.sum((pred == c) & (gold == c))
        fp = np.sum((pred == c) & (gold != c))
        fn = np.sum((pred != c) & (gold == c))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def export(args: argparse.Namespace) -> None:
    from claims.verify_nli import ece, fit_temperature, softmax

    work, out = Path(args.work), Path(args.out)
    checkpoint = Path(args.checkpoint) if args.checkpoint else work / "ckpt-last.pt"
    fp32, int8 = work / "model-fp32.onnx", work / "model-int8.onnx"
    export_onnx(checkpoint, fp32)
    quantize(fp32, int8)
    held = _read_pairs(work / "heldout.jsonl")
    gold = np.array([p.label for p in held])
    logits = {name: onnx_logits(path, held) for name, path in (("fp32", fp32), ("int8", int8))}
    acc = {k: float(np.mean(v.argmax(1) == gold)) for k, v in logits.items()}
    f1 = {k: macro_f1(gold, v.argmax(1)) for k, v in logits.items()}
    chosen = "int8" if acc["int8"] >= acc["fp32"] - 0.01 else "fp32"
    temperature = fit_temperature(logits[chosen], gold)
    probs = softmax(logits[chosen] / temperature)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(int8 if chosen == "int8" else fp32, out / "model.onnx")
    calibration = {
        "classes": ["entails", "contradicts", "neutral"],
        "temperature": round(float(temperature), 4),
        "max_length": 128,
        "precision": chosen,
        "model_sha256": hashlib.sha256((out / "model.onnx").read_bytes()).hexdigest(),
        "heldout": {
            "pairs": len(held),
            "accuracy_fp32": round(acc["fp32"], 4),
            "accuracy_int8": round(acc["int8"], 4),
            "macro_f1_fp32": round(f1["fp32"], 4),
            "macro_f1_int8": round(f1["int8"], 4),
            "ece_before": round(ece(softmax(logits[chosen]), gold), 4),
            "ece_after": round(ece(probs, gold), 4),
        },
    }
    path = out / "calibration.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing.update(calibration)
    path.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(calibration, indent=2))
    print(f"fp32 {fp32.stat().st_size / 1e6:.1f} MB, int8 {int8.stat().st_size / 1e6:.1f} MB")
