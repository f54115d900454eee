"""The news probe: hand-written claim-evidence pairs in the patterns of real news.

    python -m benchmarks.probe_verifier [MODEL_DIR] [--out runs/nli/news_probe] [--show]

``benchmarks/data/news_probe.jsonl`` holds pairs written for this project (not
taken from any dataset) in the patterns a news fact-checker meets: detail-adding
paraphrase, list expansion, attribution, same topic other fact, partial
evidence, number / date / entity conflicts, comparison years, quotes, negation,
opposite predicates ("accepted" / "rejected"), hedges, evidence split over two
sentences, headings, vague counts ("thousands of"), shares in words ("half of"),
who said it. Each pair is checked with
the cautious policy and with the legacy one (the policy before it) on the same
model, and the run writes every verdict (``examples.jsonl``) and the summary
(``summary.json``) under ``--out``: accuracy per pattern, REFUTED precision,
SUPPORTED precision and NEI recall (goals 0.90 / 0.90 / 0.80).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from benchmarks.bench_verifier import MemoScorer, _claim
from claims.models import Evidence, Label, Passage, Span, Verdict
from claims.nli import DEFAULT_MODEL_DIR, NLIVerifier, Policy

REPO = Path(__file__).resolve().parent.parent
PROBE = REPO / "benchmarks" / "data" / "news_probe.jsonl"
GOALS = {"refuted_precision": 0.90, "supported_precision": 0.90, "nei_recall": 0.80}


def load(path: Path = PROBE) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def evidence_of(row: dict) -> list[Evidence]:
    """The row's sentences as one passage of one document, with its title and date."""
    text, spans = "", []
    for sentence in row["evidence"]:
        if text:
            text += " "
        spans.append(Span(start=len(text), end=len(text) + len(sentence), text=sentence))
        text += sentence
    published = date.fromisoformat(row["published"]) if row.get("published") else None
    passage = Passage(
        id=f"{row['id']}-p",
        doc_id=f"{row['id']}-doc",
        text=text,
        source="news-probe",
        title=row.get("source_title"),
        published=published,
        sentences=spans,
    )
    return [Evidence(passage=passage, score=1.0, rank=1)]


def scores(gold: list[str], pred: list[str]) -> dict[str, float | None]:
    def precision(label: str) -> float | None:
        picked = [g for g, p in zip(gold, pred, strict=True) if p == label]
        return sum(g == label for g in picked) / len(picked) if picked else None

    nei = [p for g, p in zip(gold, pred, strict=True) if g == Label.NOT_ENOUGH_INFO.value]
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "refuted_precision": precision(Label.REFUTED.value),
        "supported_precision": precision(Label.SUPPORTED.value),
        "nei_recall": sum(p == Label.NOT_ENOUGH_INFO.value for p in nei) / len(nei)
        if nei
        else None,
        "predicted": {label.value: pred.count(label.value) for label in Label},
    }


def per_pattern(rows: list[dict], pred: list[str]) -> dict[str, dict[str, float | int]]:
    by: dict[str, list[bool]] = defaultdict(list)
    for row, p in zip(rows, pred, strict=True):
        by[row["pattern"]].append(row["label"] == p)
    return {k: {"n": len(v), "accuracy": sum(v) / len(v)} for k, v in by.items()}


def run(model_dir: Path, rows: list[dict]) -> tuple[dict, list[dict]]:
    cautious = NLIVerifier.load(model_dir)
    memo = MemoScorer(cautious.scorer)
    verifiers = {
        "cautious": NLIVerifier(memo, policy=cautious.policy),
        "legacy": NLIVerifier(memo, policy=Policy(decide=cautious.policy.decide, legacy=True)),
    }
    examples: list[dict] = [dict(row) for row in rows]
    summary: dict = {"n": len(rows), "goals": GOALS, "policies": {}}
    for name, verifier in verifiers.items():
        pred = []
        for row, out in zip(rows, examples, strict=True):
            verdict: Verdict = verifier.verify(_claim(row["claim"]), evidence_of(row))
            pred.append(verdict.label.value)
            out[name] = {
                "label": verdict.label.value,
                "confidence": round(verdict.confidence, 4),
                "rationale": verdict.rationale,
                "citations": [(c.text, c.stance) for c in verdict.citations],
            }
        gold = [row["label"] for row in rows]
        summary["policies"][name] = scores(gold, pred) | {"patterns": per_pattern(rows, pred)}
    return summary, examples


def table(summary: dict) -> str:
    names = list(summary["policies"])
    lines = ["| figure | " + " | ".join(names) + " | goal |", "|---|" + "---|" * (len(names) + 1)]
    for key in ("accuracy", "refuted_precision", "supported_precision", "nei_recall"):
        cells = [summary["policies"][n][key] for n in names]
        text = " | ".join("–" if v is None else f"{v:.3f}" for v in cells)
        lines.append(f"| {key} | {text} | {GOALS.get(key, '')} |")
    patterns = summary["policies"][names[0]]["patterns"]
    for pattern in sorted(patterns):
        cells = [summary["policies"][n]["patterns"][pattern]["accuracy"] for n in names]
        n = patterns[pattern]["n"]
        lines.append(f"| {pattern} (n={n}) | " + " | ".join(f"{v:.2f}" for v in cells) + " | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="probe_verifier", description=__doc__)
    parser.add_argument("model", type=Path, nargs="?", help="model folder (as --model-dir)")
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--probe", type=Path, default=PROBE)
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "nli" / "news_probe")
    parser.add_argument("--show", action="store_true", help="print every wrong verdict")
    args = parser.parse_args(argv)
    rows = load(args.probe)
    summary, examples = run(args.model or args.model_dir, rows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    with (args.out / "examples.jsonl").open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps(example, ensure_ascii=False) + "\n")
    if args.show:
        for ex in examples:
            if ex["cautious"]["label"] != ex["label"]:
                print(
                    f"[{ex['pattern']}] gold {ex['label']} got {ex['cautious']['label']}: "
                    f"{ex['claim']} || {' '.join(ex['evidence'])}\n    {ex['cautious']['rationale']}"
                )
    print(table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
