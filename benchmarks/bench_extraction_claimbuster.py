"""The offline extractor as a check-worthiness detector per domain and sensitivity.

    python -m benchmarks.bench_extraction_claimbuster [--data DIR] [--limit N]
        [--sets claimbuster checkthat:dev-test]

Domains: ClaimBuster's gold test (US presidential debates, 1960-2012) and
CheckThat! 2024 English dev-test (debates and speeches, labelled Yes/No).

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
from claims.extract_offline import SENSITIVITY_FACTOR, draft_claims, keeps
from eval.datasets import load_any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--sets", nargs="+", default=["claimbuster", "checkthat:dev-test"])
    parser.add_argument(
        "--out", type=Path, default=REPO / "runs" / "bench_extraction_claimbuster.json"
    )
    args = parser.parse_args(argv)

    from retrieval.embedder import default_embedder

    model = load_model()
    embedder = default_embedder()
    results: dict = {"model_threshold": model.threshold}
    for name in args.sets:
        results[name] = _domain(name, args, model, embedder)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    return results


def _domain(name: str, args: argparse.Namespace, model, embedder) -> dict:
    sentences = load_any(name, args.data).sentences[: args.limit]
    drafts = [draft_claims(s.text) for s in sentences]
    flat = [d for ds in drafts for d in ds]
    scores = iter(model.score([d.text for d in flat], embedder))
    scored = [[(d, float(next(scores))) for d in ds] for ds in drafts]
    gold = np.array([s.checkworthy for s in sentences])
    out: dict = {"n": len(sentences), "positives": int(gold.sum())}
    for sensitivity, factor in SENSITIVITY_FACTOR.items():
        threshold = model.threshold * factor
        predicted = np.array([
            any(
                keeps(d, score, sensitivity, threshold) and (sensitivity == "all" or not d.opinion)
                for d, score in row
            )
            for row in scored
        ])  # fmt: skip
        out[sensitivity] = {k: round(v, 4) for k, v in f1_score(gold, predicted).items()}
        out[sensitivity]["threshold"] = round(threshold, 3)
    # normal as it was before plain facts passed it: the model's score alone
    threshold = model.threshold * SENSITIVITY_FACTOR["normal"]
    predicted = np.array([any(s >= threshold and not d.opinion for d, s in row) for row in scored])
    out["normal_score_only"] = {k: round(v, 4) for k, v in f1_score(gold, predicted).items()}
    return out


if __name__ == "__main__":
    main()
