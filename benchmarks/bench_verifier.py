"""Benchmark of the trained NLI verifier against the similarity baseline, same run.

    python -m benchmarks.bench_verifier [--data DIR] [--out runs/nli/bench.json] [--limit N]

Sets (dev/test splits only; none of them is used in training or calibration):

* SciFact dev, oracle: each claim gets its gold rationale sentences (NEI claims:
  the two sentences of their cited abstracts sharing most words with the claim);
  3-way macro-F1 over SUPPORTED / REFUTED / NOT_ENOUGH_INFO.
* SciFact dev, retrieved: top-5 abstracts of the 5,183-abstract corpus by
  claimscope's BM25 index (``--retrieval bm25``, default), or through
  ``retrieval.open_knowledge_base`` (``--retrieval kb``: dense + BM25 fusion,
  ingested once under ``runs/nli/kb-scifact``); macro-F1 and evidence recall@5 (a claim with gold
  evidence counts as found when a passage of a gold abstract is in its top 5).
* FEVER-Symmetric v0.2 test and the FEVEROUS ``ci_subset`` with gold evidence:
  accuracy of the forced SUPPORTED / REFUTED choice (these sets have no NEI): the
  verdict where it takes a side, else the side the evidence leans to as the policy
  reads it.
* WiCE test: each claim against its whole cited page, sentences ranked by shared
  words; supported vs not, macro-F1 (WiCE has no refuted class).

Each set is run with the cautious policy (``nli``, the shipped thresholds),
the cautious policy with the thresholds it had before their refit
(``nli_prior_thresholds``) and the policy before it (``nli_legacy``, with and
without its mismatch checks) on the same scored pairs.
Results go under ``runs/`` only, never beside the shipped model.
A CONFLICTING verdict counts as its stronger side in the 3-way scores. ECE is
over the verdict confidence (3-way sets) or the forced choice's confidence.
Speed: (claim, sentence) pairs per second through the ONNX model, and seconds
per ``verify`` call on the retrieved top-5 passages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claims.models import Claim, Evidence, Label, Verdict
from claims.nli import CONTRADICTS, DEFAULT_MODEL_DIR, ENTAILS, NLIVerifier, Policy
from claims.settings import default_data_dir
from eval.datasets.scifact import read_claims, read_corpus
from eval.metrics import expected_calibration_error, macro_f1
from training.claim_examples import LexicalRetriever as _TrainingLexicalRetriever
from training.claim_examples import MemoScorer, as_claim, as_evidence, scifact_gold
from training.claim_examples import read_jsonl as _jsonl
from training.claim_examples import word_overlap as _overlap

REPO = Path(__file__).resolve().parent.parent
DATA = default_data_dir()  # CLAIMSCOPE_DATA_DIR, else ../shared/data
KB_HOME = REPO / "runs" / "nli" / "kb-scifact"
# The figures beside the shipped model, read by training/nli_card.py; never written here.
MODEL_METRICS = REPO / "claims" / "data" / "nli" / "metrics.json"
REGRESSION_SLICE = 60  # first claims of SciFact dev: the shipped model's regression figure
THREE_WAY = [Label.SUPPORTED.value, Label.REFUTED.value, Label.NOT_ENOUGH_INFO.value]
# (decide, contradict) shipped before the 2026-12-02 refit under the cautious policy.
PRIOR_THRESHOLDS = (0.45, 0.85)


@dataclass
class Example:
    claim: str
    gold: str  # a Label value
    evidence: list[Evidence]
    gold_docs: frozenset[str] = frozenset()


def _claim(text: str) -> Claim:
    return as_claim(text, claim_id="bench")


def _evidence(pid: str, sentences: Sequence[str], rank: int, title: str | None = None) -> Evidence:
    return as_evidence(pid, sentences, rank, title, source="bench")


def scifact_oracle(data: Path) -> list[Example]:
    corpus = {d.id: d.sentences or [] for d in read_corpus(data / "scifact", strip=False)}
    out = []
    for row in read_claims(data / "scifact", "dev"):
        evidence = []
        if row.rationales:
            for rank, doc in enumerate(row.gold_doc_ids, start=1):
                indices = sorted(
                    {i for r in row.rationales if r.doc_id == doc for i in r.sentences}
                )
                evidence.append(_evidence(doc, [corpus[doc][i] for i in indices], rank))
        else:
            cited = [d for d in row.cited_doc_ids if d in corpus]
            for rank, doc in enumerate(cited, start=1):
                best = sorted(corpus[doc], key=lambda s: -_overlap(row.claim, s))[:2]
                evidence.append(_evidence(doc, best, rank))
        out.append(Example(row.claim, scifact_gold(row), evidence, frozenset(row.gold_doc_ids)))
    return out


def open_scifact_kb(data: Path):
    """The SciFact corpus in a claimscope knowledge base, ingested on first use."""
    from benchmarks.bench_retrieval import KEPT_COLLECTION, load_corpus
    from claims.settings import Settings
    from retrieval import open_knowledge_base

    kb = open_knowledge_base(Settings(home=KB_HOME, collection=KEPT_COLLECTION))
    if not kb.stats().get("passages"):
        kb.ingest_documents(load_corpus(data / "scifact"), progress=True)
    return kb


class LexicalRetriever(_TrainingLexicalRetriever):
    """BM25 over whole SciFact abstracts, no Chroma: the fallback when embedding the
    corpus into the knowledge base does not fit the time (it ran at under 2 passages/s
    on the loaded build machine)."""

    def __init__(self, data: Path) -> None:
        super().__init__(data, source="bench")


def scifact_retrieved(data: Path, kb) -> list[Example]:
    out = []
    for row in read_claims(data / "scifact", "dev"):
        evidence = kb.search(row.claim, top_k=5)
        out.append(Example(row.claim, scifact_gold(row), evidence, frozenset(row.gold_doc_ids)))
    return out


def fever_symmetric(data: Path) -> list[Example]:
    from eval.datasets.fever import load_symmetric

    dataset = load_symmetric(data / "fever_symmetric", "test")  # detokenised prose
    return [
        Example(c.claim, c.label.value, [_evidence(f"fs-{c.id}", [c.evidence[0].text], 1)])
        for c in dataset.claims
    ]


def wice_test(data: Path) -> list[Example]:
    """WiCE test: each claim against its whole cited page (one passage), the page's
    sentences ranked by shared words with the claim as a retriever would; gold
    SUPPORTED or not (``not_supported`` and ``partially_supported``)."""
    from eval.datasets.wice import load

    dataset = load(data / "wice", "test")
    pages = {doc.id: doc for doc in dataset.corpus}
    out = []
    for c in dataset.claims:
        doc = pages[c.evidence[0].doc_id]
        sentences = [s for s in doc.sentences if s.strip()]
        order = sorted(range(len(sentences)), key=lambda i: -_overlap(c.claim, sentences[i]))
        item = _evidence(doc.id, sentences, 1, doc.title)
        out.append(
            Example(c.claim, c.label.value, [item.model_copy(update={"best_sentences": order})])
        )
    return out


def feverous_ci(data: Path) -> list[Example]:
    root = data / "feverous" / "ci_subset"
    passages = {p["id"]: p for p in _jsonl(root / "passages.jsonl")}
    out = []
    for r in _jsonl(root / "claims_200.jsonl"):
        evidence = [
            _evidence(pid, [passages[pid]["text"]], rank, passages[pid]["title"])
            for rank, pid in enumerate(r["gold_passage_ids"], start=1)
            if pid in passages
        ]
        out.append(Example(r["claim"], r["label"], evidence))
    return out


# ---------------------------------------------------------------- scoring


def _three_way(verdict: Verdict, support: float, refute: float) -> str:
    if verdict.label is Label.CONFLICTING:
        return Label.SUPPORTED.value if support >= refute else Label.REFUTED.value
    return verdict.label.value


def run_three_way(verify: Callable, examples: list[Example]) -> dict:
    gold, pred, conf, seconds = [], [], [], []
    for ex in examples:
        started = time.perf_counter()
        verdict, support, refute = verify(ex.claim, ex.evidence)
        seconds.append(time.perf_counter() - started)
        gold.append(ex.gold)
        pred.append(_three_way(verdict, support, refute))
        conf.append(verdict.confidence)
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    return {
        "n": len(examples),
        "macro_f1": macro_f1(gold, pred, THREE_WAY),
        "accuracy": float(np.mean(correct)),
        "ece": expected_calibration_error(conf, correct),
        "s_per_claim": float(np.mean(seconds)),
        **_sides(gold, pred),
    }


def _sides(gold: list[str], pred: list[str]) -> dict:
    """How many verdicts of each label, and how often a SUPPORTED or REFUTED one was right."""
    return {
        "predicted": {label: pred.count(label) for label in THREE_WAY},
        "precision": {
            label: _precision(gold, pred, label)
            for label in (Label.SUPPORTED.value, Label.REFUTED.value)
        },
    }


def _precision(gold: list[str], pred: list[str], label: str) -> float | None:
    """Of the verdicts ``label``, the share that were right (None: never said): the
    figure that shows a verifier crying wolf."""
    said = [g for g, p in zip(gold, pred, strict=True) if p == label]
    return sum(g == label for g in said) / len(said) if said else None


def run_forced(verify: Callable, examples: list[Example]) -> dict:
    """The forced SUPPORTED / REFUTED choice: the verdict where it takes a side, else the
    side the evidence leans to (the strongest support against the strongest refutation
    the verifier reports)."""
    correct, conf, gold, own = [], [], [], []
    for ex in examples:
        verdict, support, refute = verify(ex.claim, ex.evidence)
        gold.append(ex.gold)
        own.append(verdict.label.value)
        if verdict.label in (Label.SUPPORTED, Label.REFUTED):
            choice, confidence = verdict.label.value, verdict.confidence
        else:
            choice = Label.SUPPORTED.value if support >= refute else Label.REFUTED.value
            total = support + refute
            confidence = max(support, refute) / total if total > 0 else 0.5
        correct.append(choice == ex.gold)
        conf.append(confidence)
    return {
        "n": len(examples),
        "accuracy": float(np.mean(correct)),
        "ece": expected_calibration_error(conf, correct),
        # the verifier's own verdicts, before the forced choice
        **_sides(gold, own),
    }


def run_supported(verify: Callable, examples: list[Example]) -> dict:
    """Supported vs not (WiCE): macro-F1 over the two classes; ECE of the verdict's
    confidence in its own (binary) answer."""
    gold, pred, conf = [], [], []
    for ex in examples:
        verdict, _, _ = verify(ex.claim, ex.evidence)
        said = verdict.label is Label.SUPPORTED
        gold.append("yes" if ex.gold == Label.SUPPORTED.value else "no")
        pred.append("yes" if said else "no")
        conf.append(verdict.confidence)
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    return {
        "n": len(examples),
        "macro_f1": macro_f1(gold, pred, ["yes", "no"]),
        "accuracy": float(np.mean(correct)),
        "ece": expected_calibration_error(conf, correct),
        "predicted_supported": pred.count("yes"),
        "gold_supported": gold.count("yes"),
        "supported_precision": _precision(gold, pred, "yes"),
    }


def nli_runner(verifier: NLIVerifier) -> Callable:
    """verify() plus the strongest support and refutation behind it (for forced choices)."""

    def run(claim: str, evidence: list[Evidence]) -> tuple[Verdict, float, float]:
        verdict = verifier.verify(_claim(claim), evidence)
        units = verifier.units(evidence)
        if not units:
            return verdict, 0.0, 0.0
        if not verifier.policy.legacy:  # the cautious policy's own reading of the units
            return (verdict, *verifier.lean(claim, units))
        probs, _ = verifier.score(claim, units)
        return verdict, float(probs[:, ENTAILS].max()), float(probs[:, CONTRADICTS].max())

    return run


def baseline_runner(baseline) -> Callable:
    def run(claim: str, evidence: list[Evidence]) -> tuple[Verdict, float, float]:
        verdict = baseline.verify(_claim(claim), evidence)
        refuted = verdict.label is Label.REFUTED
        return (
            verdict,
            (0.0 if refuted else verdict.confidence),
            (verdict.confidence if refuted else 0.0),
        )

    return run


class Recalibrated:
    """The same scores under another ``calibration.json`` (its thresholds and its
    claim-level confidence map): a refit candidate beside the shipped one."""

    def __init__(self, scorer, path: Path) -> None:
        from claims.nli import Calibration

        self.calibration = Calibration.from_file(path)
        if abs(self.calibration.temperature - scorer.calibration.temperature) > 1e-9:
            raise SystemExit(f"{path}: another temperature; score that model on its own")
        self._scorer = scorer

    def probabilities(self, pairs):
        return self._scorer.probabilities(pairs)


def candidate_runner(memo, path: Path) -> Callable:
    """The cautious verifier under the calibration at ``path``, read when first used:
    a calibration being fit while this benchmark runs (no fitted ``contradict`` yet) is
    waited for, up to 30 minutes."""
    built: list[Callable] = []

    def run(claim: str, evidence: list[Evidence]) -> tuple[Verdict, float, float]:
        if not built:
            scorer = Recalibrated(memo, path)
            for _ in range(60):  # a calibration being fit: wait for its thresholds (30 min)
                if scorer.calibration.contradict is not None:
                    break
                time.sleep(30)
                scorer = Recalibrated(memo, path)
            fit = scorer.calibration
            policy = Policy(decide=fit.decide or 0.5, contradict=fit.contradict or 0.85)
            print(f"candidate calibration {path}: {policy}", flush=True)
            built.append(nli_runner(NLIVerifier(scorer, policy=policy)))
        return built[0](claim, evidence)

    return run


def pairs_per_second(verifier: NLIVerifier, examples: list[Example], n: int = 512) -> float:
    pairs = [(ex.claim, u.text) for ex in examples for u in verifier.units(ex.evidence)]
    random.Random(13).shuffle(pairs)
    pairs = pairs[:n]
    scorer = verifier.scorer
    scorer.probabilities(pairs[:32])  # warm the session
    started = time.perf_counter()
    scorer.probabilities(pairs)
    return len(pairs) / (time.perf_counter() - started)


def recall_at_5(examples: list[Example]) -> float:
    found = [
        any(e.passage.doc_id in ex.gold_docs for e in ex.evidence[:5])
        for ex in examples
        if ex.gold_docs
    ]
    return float(np.mean(found))


def run(
    data: Path,
    limit: int | None,
    with_baseline: bool,
    model_dir: Path = DEFAULT_MODEL_DIR,
    retriever: Callable | None = LexicalRetriever,
    fewer_sentences: int | None = None,
    candidate: Path | None = None,
) -> dict:
    def cut(xs: list[Example]) -> list[Example]:
        return xs[:limit] if limit else xs

    raw = NLIVerifier.load(model_dir)
    memo = MemoScorer(raw.scorer)

    def variant(**options: Any) -> NLIVerifier:
        """The shipped verifier (its calibrated decision threshold included), on the memo."""
        return NLIVerifier(memo, policy=raw.policy, **options)

    checked = variant()
    legacy_policy = Policy(decide=raw.policy.decide, legacy=True)
    prior = Policy(decide=PRIOR_THRESHOLDS[0], contradict=PRIOR_THRESHOLDS[1])
    verifiers: dict[str, Callable] = {
        "nli": nli_runner(checked),
        "nli_prior_thresholds": nli_runner(NLIVerifier(memo, policy=prior)),
        "nli_legacy": nli_runner(NLIVerifier(memo, policy=legacy_policy)),
        "nli_legacy_no_checks": nli_runner(
            NLIVerifier(memo, policy=legacy_policy, mismatch_checks=False)
        ),
    }
    if fewer_sentences is not None:  # the speed knob: fewer sentences scored per passage
        verifiers[f"nli_{fewer_sentences}_sentences"] = nli_runner(
            variant(sentences_per_passage=fewer_sentences)
        )
    if candidate is not None:  # last, so a calibration being fit has time to be written
        verifiers["nli_candidate"] = candidate_runner(memo, candidate)
    if with_baseline:
        from claims.verify_baseline import BaselineVerifier
        from retrieval.embedder import default_embedder

        verifiers["baseline"] = baseline_runner(BaselineVerifier(default_embedder()))
    started = time.perf_counter()
    sets = {
        "scifact_oracle": cut(scifact_oracle(data)),
        "scifact_retrieved": cut(scifact_retrieved(data, retriever(data)))
        if retriever is not None
        else cut(scifact_oracle(data)),
        "fever_symmetric": cut(fever_symmetric(data)),
        "feverous_ci": cut(feverous_ci(data)),
        "wice_test": cut(wice_test(data)),
    }
    results: dict = {
        "setup_s": round(time.perf_counter() - started, 1),
        "sets": {},
        "load_average_start": round(os.getloadavg()[0], 1),
    }
    results["recall_at_5"] = recall_at_5(sets["scifact_retrieved"])
    for name, verify in verifiers.items():
        row = {}
        for set_name in ("scifact_oracle", "scifact_retrieved"):
            row[set_name] = run_three_way(verify, sets[set_name])
        for set_name in ("fever_symmetric", "feverous_ci"):
            row[set_name] = run_forced(verify, sets[set_name])
        row["wice_test"] = run_supported(verify, sets["wice_test"])
        if name != "nli" and name.startswith("nli"):  # its pairs were scored (and timed) by "nli"
            for set_row in row.values():
                set_row.pop("s_per_claim", None)
        results["sets"][name] = row
        print(f"{name}: {json.dumps(row)}", flush=True)
    results["units_per_claim_retrieved"] = {
        str(v.sentences_per_passage): float(
            np.mean([len(v.units(ex.evidence)) for ex in sets["scifact_retrieved"]])
        )
        for v in [checked]
        + ([variant(sentences_per_passage=fewer_sentences)] if fewer_sentences else [])
    }
    results["pairs_per_s"] = pairs_per_second(raw, sets["scifact_retrieved"])
    results["load_average_end"] = round(os.getloadavg()[0], 1)
    first = scifact_oracle(data)[:REGRESSION_SLICE]
    results["regression"] = {  # the model's figure, on the policy it was first measured with
        "scifact_dev_oracle_first60_macro_f1": run_three_way(verifiers["nli_legacy"], first)[
            "macro_f1"
        ],
        "scifact_dev_oracle_first60_macro_f1_cautious": run_three_way(verifiers["nli"], first)[
            "macro_f1"
        ],
    }
    results["s_per_claim_5_passages"] = results["sets"]["nli"]["scifact_retrieved"]["s_per_claim"]
    return results


def _figure(row: dict, key: str | tuple[str, str]) -> float | None:
    if isinstance(key, tuple):  # ("precision", "REFUTED")
        return row.get(key[0], {}).get(key[1])
    value: float | None = row.get(key)
    return value


def table(results: dict) -> str:
    """The issue's table, one column per verifier, with NLI/baseline ratios."""
    names = list(results["sets"])
    metrics = [
        ("SciFact dev oracle macro-F1", "scifact_oracle", "macro_f1"),
        ("SciFact dev oracle ECE", "scifact_oracle", "ece"),
        ("SciFact dev retrieved macro-F1", "scifact_retrieved", "macro_f1"),
        ("SciFact dev retrieved ECE", "scifact_retrieved", "ece"),
        ("FEVER-Symmetric v0.2 test accuracy", "fever_symmetric", "accuracy"),
        ("FEVER-Symmetric ECE", "fever_symmetric", "ece"),
        ("FEVEROUS ci_subset accuracy", "feverous_ci", "accuracy"),
        ("FEVEROUS ci_subset ECE", "feverous_ci", "ece"),
        ("WiCE test supported-vs-not macro-F1", "wice_test", "macro_f1"),
        ("WiCE test ECE", "wice_test", "ece"),
        ("seconds per claim (5 passages)", "scifact_retrieved", "s_per_claim"),
    ]
    # how often a SUPPORTED or REFUTED verdict is right: a checker that cries wolf
    for title, set_name in (
        ("SciFact dev oracle", "scifact_oracle"),
        ("SciFact dev retrieved", "scifact_retrieved"),
        ("FEVER-Symmetric (own verdicts)", "fever_symmetric"),
        ("FEVEROUS ci_subset (own verdicts)", "feverous_ci"),
    ):
        for label in (Label.SUPPORTED.value, Label.REFUTED.value):
            metrics.append((f"{title} {label} precision", set_name, ("precision", label)))
    metrics.append(("WiCE test SUPPORTED precision", "wice_test", "supported_precision"))
    head = (
        "| metric | " + " | ".join(names) + (" | nli / baseline |" if "baseline" in names else " |")
    )
    lines = [head, "|" + "---|" * (len(names) + 1 + ("baseline" in names))]
    for title, set_name, key in metrics:
        values = [_figure(results["sets"][n][set_name], key) for n in names]
        cells = " | ".join("–" if v is None else f"{v:.3f}" for v in values)
        ratio = ""
        if "baseline" in names:
            base = _figure(results["sets"]["baseline"][set_name], key)
            nli = _figure(results["sets"]["nli"][set_name], key)
            ratio = f" | {nli / base:.2f}x" if base and nli is not None else " | -"
        lines.append(f"| {title} | {cells}{ratio} |")
    lines.append(f"| evidence recall@5 (retrieval, shared) | {results['recall_at_5']:.3f} |")
    lines.append(f"| NLI pairs per second (2 threads) | {results['pairs_per_s']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_verifier", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "nli" / "bench.json")
    parser.add_argument("--limit", type=int, default=None, help="first N examples of each set")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--build-kb-only", action="store_true")
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument(
        "--retrieval",
        choices=["bm25", "kb", "none"],
        default="bm25",
        help="bm25: lexical index over abstracts; kb: the Chroma knowledge base "
        "(dense + BM25, embeds the corpus once); none: smoke runs, the oracle set stands in",
    )
    parser.add_argument(
        "--sentences-per-passage",
        type=int,
        default=None,
        metavar="N",
        help="also score a verifier reading only N sentences per passage (default 5), and "
        "report its units per claim, for the speed/accuracy trade-off",
    )
    parser.add_argument(
        "--calibration",
        type=Path,
        default=None,
        metavar="FILE",
        help="also run the cautious verifier under this calibration.json (a refit "
        "candidate; same model and temperature), read when its turn comes",
    )
    args = parser.parse_args(argv)
    if args.build_kb_only:
        print(open_scifact_kb(args.data).stats())
        return 0
    retriever = {"bm25": LexicalRetriever, "kb": open_scifact_kb, "none": None}[args.retrieval]
    results = run(
        args.data, args.limit, not args.no_baseline, args.model_dir, retriever,
        args.sentences_per_passage, args.calibration,
    )  # fmt: skip
    results["retrieval"] = args.retrieval
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
