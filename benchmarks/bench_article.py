"""An article checked end to end against its own knowledge base, offline, its verdicts
scored against labels written before the article was first checked.

    python -m benchmarks.bench_article [--case benchmarks/data/transit_kb] [--out runs/benchmarks]
        [--model-dir runs/nli/candidate]

A case folder holds ``article.txt``, ``pages.jsonl`` (the knowledge base: pages that
confirm some of the article, contradict some of it, say nothing of the rest, and
traps about other places and other things), ``case.json`` (the article's date) and
``expected.jsonl``: one row per article sentence, with its first words, the label its
sources give it, the parts of it the sources contradict (a claim holding one of them
is REFUTED) and the parts no source speaks of (NOT_ENOUGH_INFO); the rest of the
sentence keeps the row's label.

The pages are ingested into a fresh store, the article is checked with the embedded
default (offline extraction, the shipped NLI verifier under its cautious policy) and,
on the same claims and evidence, with the policy before it (``legacy``) as the
baseline. Each claim is matched to its row by the article sentence it came from.
Printed and written under ``runs/benchmarks/<timestamp>-article/``: every verdict
beside its expected label, agreement, REFUTED and SUPPORTED precision, and the wrong
verdicts by kind (a wrong REFUTED or SUPPORTED is a checker crying wolf; a
NOT_ENOUGH_INFO where the sources settle the claim is a miss). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from claims.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CASE = REPO / "benchmarks" / "data" / "transit_kb"
POLICIES = ("cautious", "legacy")


class Row(BaseModel):
    """One article sentence: its first words, the label its sources give, the parts of
    it they contradict, and why (for the reader)."""

    sentence: str
    label: str
    refuted_if: list[str] = []
    unaddressed_if: list[str] = []  # parts no source speaks of: NOT_ENOUGH_INFO
    why: str = ""


class Outcome(BaseModel):
    """One claim's verdict under one policy, beside the label its row gives."""

    policy: str
    claim: str
    sentence: str
    expected: str | None  # None: the claim's sentence has no row
    label: str
    confidence: float
    rationale: str


def read_rows(path: Path) -> list[Row]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Row.model_validate_json(x) for x in lines if x.strip()]


def expected_label(claim: str, sentence: str, rows: list[Row]) -> str | None:
    """The label of the claim's sentence; REFUTED where the claim holds a part the
    sources contradict, else NOT_ENOUGH_INFO where it holds a part none speaks of."""
    text = " ".join(sentence.split())
    row = next((r for r in rows if text.startswith(r.sentence) or r.sentence in text), None)
    if row is None:
        return None
    if any(part in claim for part in row.refuted_if):
        return "REFUTED"
    if any(part in claim for part in row.unaddressed_if):
        return "NOT_ENOUGH_INFO"
    return row.label


def score(outcomes: list[Outcome]) -> dict[str, object]:
    """Agreement, precision of the two verdicts that accuse or confirm, and the misses."""
    judged = [o for o in outcomes if o.expected is not None]

    def precision(label: str) -> float | None:
        said = [o for o in judged if o.label == label]
        return sum(o.expected == label for o in said) / len(said) if said else None

    return {
        "claims": len(outcomes),
        "judged": len(judged),
        "agreement": sum(o.label == o.expected for o in judged) / len(judged) if judged else None,
        "refuted_precision": precision("REFUTED"),
        "supported_precision": precision("SUPPORTED"),
        # a verdict that accuses or confirms wrongly: the checker crying wolf
        "wrong_verdicts": sum(
            o.label in ("REFUTED", "SUPPORTED", "CONFLICTING") and o.label != o.expected
            for o in judged
        ),
        "missed": sum(
            o.label == "NOT_ENOUGH_INFO" and o.expected != "NOT_ENOUGH_INFO" for o in judged
        ),
        "pairs": dict(Counter(f"{o.expected} -> {o.label}" for o in judged)),
    }


def check(case: Path, home: Path, model_dir: Path | None = None) -> list[Outcome]:
    """Ingest the case's pages, check its article, and verify each claim's evidence
    again under the baseline policy; with the model in ``model_dir`` (a candidate's
    folder, as `training.train_verifier export` and `calibrate` write it), else the
    shipped one."""
    from claims.factory import build_extractor
    from claims.models import Article
    from claims.nli import NLIVerifier, Policy
    from claims.pipeline import check_article
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    rows = read_rows(case / "expected.jsonl")
    settings = Settings(home=home)
    embedder = default_embedder()
    kb = open_knowledge_base(settings, embedder)
    kb.ingest_paths([case / "pages.jsonl"], progress=False)
    article = Article(
        text=(case / "article.txt").read_text(encoding="utf-8"),
        published=date.fromisoformat(meta["published"]),
    )
    # the model is loaded once; the baseline shares it
    cautious = NLIVerifier.load(model_dir) if model_dir else NLIVerifier.load()
    legacy = Policy(decide=cautious.policy.decide, legacy=True)
    verifiers = {"cautious": cautious, "legacy": NLIVerifier(cautious.scorer, policy=legacy)}
    report = check_article(
        article,
        extractor=build_extractor(settings, embedder),
        retriever=kb,
        verifier=verifiers["cautious"],
        settings=settings,
    )
    out = []
    for result in report.claims:
        claim = result.claim
        expected = expected_label(claim.text, claim.sentence.text, rows)
        for policy in POLICIES:
            verdict = result.verdict
            if policy != "cautious" and verdict is not None:
                verdict = verifiers[policy].verify(claim, result.evidence)
            failed = result.failure.message if result.failure else "no verdict"
            out.append(
                Outcome(
                    policy=policy,
                    claim=claim.text,
                    sentence=claim.sentence.text,
                    expected=expected,
                    # a failure is shown as one, never as a verdict
                    label=verdict.label.value if verdict else "FAILED",
                    confidence=verdict.confidence if verdict else 0.0,
                    rationale=verdict.rationale if verdict else failed,
                )
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=CASE)
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "benchmarks")
    parser.add_argument(
        "--model-dir", type=Path, default=None, help="a candidate model (default: shipped)"
    )
    args = parser.parse_args(argv)

    from eval.runner import append_jsonl, new_run_folder, write_summary

    with tempfile.TemporaryDirectory(prefix="claimscope-article-") as home:
        outcomes = check(args.case, Path(home), args.model_dir)
    run_dir = new_run_folder(args.out, "article")
    write = append_jsonl(run_dir / "examples.jsonl")
    for outcome in outcomes:
        write(outcome)
    figures = {p: score([o for o in outcomes if o.policy == p]) for p in POLICIES}
    for o in (o for o in outcomes if o.policy == "cautious"):
        mark = "ok  " if o.label == o.expected else "MISS"
        print(
            f"{mark} expected {o.expected or '-':16} got {o.label:16} {o.confidence:.2f}  {o.claim}"
        )
        if o.label != o.expected:
            print(f"       why: {o.rationale}")
    print()
    print("| figure | cautious (shipped) | legacy (baseline) |")
    print("|---|---|---|")
    for key in ("claims", "judged", "agreement", "refuted_precision", "supported_precision"):
        cells = [figures[p][key] for p in POLICIES]
        print(f"| {key} | " + " | ".join(_cell(c) for c in cells) + " |")
    for key in ("wrong_verdicts", "missed"):
        print(f"| {key} | " + " | ".join(str(figures[p][key]) for p in POLICIES) + " |")
    print(f"pairs (expected -> got), cautious: {figures['cautious']['pairs']}")
    write_summary(run_dir, {"case": str(args.case), "figures": figures})
    print(f"results: {run_dir}")
    return 0


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
