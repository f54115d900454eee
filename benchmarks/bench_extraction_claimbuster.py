"""The offline extractor as a check-worthiness detector on ClaimBuster's gold test, per sensitivity.

    python -m benchmarks.bench_extraction_claimbuster [--data DIR] [--limit N]

Each gold sentence is an article of its own (as :mod:`eval.extraction` runs it); a
sentence counts as detected check-worthy when the extractor keeps at least one
claim from it. The rules and the parse run once per sentence and all claims are
scored in one batch; each sensitivity then applies its own threshold (``all``
also keeps opinion quotes). Prints precision, recall and F1 per sensitivity and
writes them to ``runs/bench_extraction_claimbuster.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from claims.checkworthiness import f1_score, load_model
from claims.extract_offline import SENSITIVITY_FACTOR, draft_claims
from eval.datasets import load_any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--out", type=Path, default=REPO / "runs" / "bench_extraction_claimbuster.json"
    )
    args = parser.parse_args(argv)

    from retrieval.embedder import default_embedder

    sentences = load_any("claimbuster", args.data).sentences[: args.limit]
    drafts = [draft_claims(s.text) for s in sentences]
    flat = [d for ds in drafts for d in ds]
    model = load_model()
    scores = iter(model.score([d.text for d in flat], default_embedder()))
    scored = [[(d, float(next(scores))) for d in ds] for ds in drafts]
    gold = np.array([s.checkworthy for s in sentences])
    results = {"n": len(sentences), "model_threshold": model.threshold}
    for name, factor in SENSITIVITY_FACTOR.items():
        threshold = model.threshold * factor
        predicted = np.array([
            any(score >= threshold and (name == "all" or not d.opinion) for d, score in row)
            for row in scored
        ])  # fmt: skip
        results[name] = {k: round(v, 4) for k, v in f1_score(gold, predicted).items()}
        results[name]["threshold"] = round(threshold, 3)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
