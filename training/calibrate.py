"""Calibration fitting for the offline verifier (training only; the app only reads
``calibration.json``).

* :func:`fit_temperature` — the softmax temperature minimising held-out NLL
  (used by ``training.nli_export`` on the held-out pairs);
* :func:`fit_isotonic` — pool-adjacent-violators map from claim-level confidence to
  accuracy;
* :func:`calibrate` — the separate, fast ``calibrate`` command: on held-out claims of
  the training sources, under the cautious policy, it chooses the decision threshold
  (3-way macro-F1), then the contradiction a model-only refutation needs, and fits the
  claim-level confidence map, written into ``calibration.json``.

ECE and macro-F1 come from ``eval.metrics`` (one implementation each).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import NamedTuple

import numpy as np

from eval.datasets.scifact import read_claims, read_corpus
from eval.metrics import expected_calibration_error, macro_f1
from training.claim_examples import (
    THREE_WAY,
    LexicalRetriever,
    MemoScorer,
    as_claim,
    as_evidence,
    read_jsonl,
    scifact_gold,
    word_overlap,
)
from training.nli_data import Pair, _held_out, _strip_wiki, ci_subset_held

#: The thresholds tried; the one closest to 0.5 among those within 0.01 of the best wins.
DECIDE_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
#: p(contradicts) a refutation without a specific conflict needs; the highest within 0.01 wins.
CONTRADICT_GRID = (0.7, 0.75, 0.8, 0.85, 0.9)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _nll(logits: np.ndarray, gold: np.ndarray, temperature: float) -> float:
    p = softmax(logits / temperature)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(gold)), gold], 1e-12, None))))


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature minimising negative log-likelihood (coarse grid, then fine)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 61))
    best = min(grid, key=lambda t: _nll(logits, gold, t))
    fine = np.linspace(best * 0.93, best * 1.07, 29)
    return float(min(fine, key=lambda t: _nll(logits, gold, t)))


def fit_isotonic(
    x: np.ndarray, y: np.ndarray, pool_ties: bool = False
) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators: a non-decreasing map from raw confidence to accuracy.

    Returned as knots for ``np.interp`` so the map is stored as plain JSON.
    ``pool_ties``: points of equal raw confidence form one block (without it, ties
    sorted right after wrong ones make a step at one x, which ``np.interp`` reads as
    its top: every claim with no evidence unit at all shares raw confidence 1.0).
    Off only to reproduce the shipped legacy calibration byte for byte.
    """
    order = np.argsort(x, kind="stable")
    xs, ys = np.asarray(x, float)[order], np.asarray(y, float)[order]
    blocks: list[list[float]] = []  # [sum_y, count, min_x, max_x]
    for xi, yi in zip(xs, ys, strict=True):
        if pool_ties and blocks and blocks[-1][3] == xi:
            blocks[-1][0] += yi
            blocks[-1][1] += 1.0
        else:
            blocks.append([yi, 1.0, xi, xi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n, lo, hi = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][3] = hi
    knots_x, knots_y = [], []
    for s, n, lo, hi in blocks:
        knots_x += [lo, hi]
        knots_y += [s / n, s / n]
    return [float(v) for v in knots_x], [float(v) for v in knots_y]


def ece_of(probs: np.ndarray, gold: np.ndarray) -> float:
    """ECE of the arg-max class of a probability matrix (``eval.metrics`` binning)."""
    return expected_calibration_error(
        [float(v) for v in probs.max(axis=1)], [bool(v) for v in probs.argmax(axis=1) == gold]
    )


def macro_f1_of(gold: np.ndarray, pred: np.ndarray) -> float:
    """3-way macro-F1 over class indices (``eval.metrics.macro_f1``)."""
    return macro_f1([str(g) for g in gold], [str(p) for p in pred], ["0", "1", "2"])


class HeldClaim(NamedTuple):
    """A held-out claim, its gold label value and the evidence it is checked against;
    ``retrieved``: the evidence was retrieved for it (as in an open check), not given."""

    claim: str
    gold: str
    evidence: list
    retrieved: bool = False


def heldout_claims(
    data_root: Path, held_groups: set[str] | None = None, seed: int = 13
) -> list[HeldClaim]:
    """Claim-level examples from the held-out groups of the TRAINING sources:
    (claim, gold label value, evidence list), for the claim-level confidence map.

    ``held_groups``: the ``group`` values of the held-out pairs (``heldout.jsonl`` of
    the training run); without it, the 8 % hash split of the original data builder.
    SciFact claims come twice: with their cited abstracts (plus a random one) and
    with the five abstracts BM25 retrieves from the corpus, as an open check sees them."""
    from claims.models import Label

    def held(group: str) -> bool:
        return group in held_groups if held_groups is not None else _held_out(group, 0.08)

    rng = random.Random(seed)
    out: list[HeldClaim] = []
    # raw sentences, doc ids as numbers (their order picks the random abstract)
    scifact = data_root / "scifact"
    corpus = {int(d.id): d.sentences or [] for d in read_corpus(scifact, strip=False)}
    doc_ids = sorted(corpus)
    lexical = LexicalRetriever(data_root)
    for row in read_claims(scifact, "train"):
        if not held(f"scifact:{row.id}"):
            continue
        gold = scifact_gold(row)
        docs = [d for d in map(int, row.cited_doc_ids) if d in corpus] + [rng.choice(doc_ids)]
        evidence = []
        for rank, doc in enumerate(docs, start=1):
            item = as_evidence(str(doc), corpus[doc], rank)
            order = sorted(
                range(len(corpus[doc])), key=lambda i: -word_overlap(row.claim, corpus[doc][i])
            )
            evidence.append(item.model_copy(update={"best_sentences": order}))
        out.append(HeldClaim(row.claim, gold, evidence))
        # the same claim as an open check sees it: the top five abstracts by BM25
        # (the claim-level map fit only on given evidence was over-confident there)
        out.append(HeldClaim(row.claim, gold, lexical.search(row.claim, top_k=5), True))
    feverous = json.loads((data_root / "feverous" / "programfc_feverous_s_dev.json").read_text())
    held_ids, _ = ci_subset_held(data_root / "feverous")
    lines_pool = [_strip_wiki(x) for r in feverous for x in r["evidence"].split("\n") if x.strip()]
    for row in feverous:
        if int(row["id"]) in held_ids or not held(f"feverous:{row['id']}"):
            continue
        lines = [_strip_wiki(x) for x in row["evidence"].split("\n") if x.strip()]
        lines.append(rng.choice(lines_pool))
        evidence = [as_evidence(f"fv{i}", [t], i + 1) for i, t in enumerate(lines)]
        gold = Label.SUPPORTED if row["label"] == "supports" else Label.REFUTED
        out.append(HeldClaim(row["claim"], gold.value, evidence))
    labels = {"supports": "SUPPORTED", "refutes": "REFUTED", "not enough info": "NOT_ENOUGH_INFO"}
    for i in range(5):
        for row in read_jsonl(data_root / "vitaminc" / f"train_{i}.jsonl"):
            if held(f"vitc:{row['id']}"):
                evidence = [as_evidence("v", [row["evidence"]], 1)]
                out.append(HeldClaim(row["claim"], labels[row["label"]], evidence))
    return out


def held_groups_of(path: Path) -> set[str] | None:
    """The groups of a training run's held-out pairs, or None without the file."""
    if not path.exists():
        return None
    return {Pair(**json.loads(x)).group for x in path.read_text().splitlines() if x.strip()}


def _claim_readings(verifier, examples) -> list[list]:
    """Each held-out claim's units as the cautious policy reads them, computed once for
    every threshold tried (the thresholds change the decision, not the readings)."""
    out = []
    for claim, _, evidence, _ in examples:
        units = verifier.units(evidence)
        if not units:
            out.append([])
            continue
        out.append(verifier.read(claim, units)[1])
    return out


def _claim_outcomes(
    readings: list[list], examples, policy
) -> tuple[list[float], list[bool], list[str], list[str]]:
    """Raw claim-level confidence, correctness, gold and predicted labels under ``policy``
    (CONFLICTING counts as its refuting side, as the benchmark's stronger side mostly is)."""
    from claims.models import Label
    from claims.nli.policy import decide

    confidence, correct, gold_labels, predicted = [], [], [], []
    for found, (_, gold, _, _) in zip(readings, examples, strict=True):
        decision = decide(found, policy)
        label = Label.REFUTED if decision.label is Label.CONFLICTING else decision.label
        confidence.append(float(min(1.0, max(0.0, decision.raw_confidence))))
        correct.append(label.value == gold)
        gold_labels.append(gold)
        predicted.append(label.value)
    return confidence, correct, gold_labels, predicted


def choose_threshold(scores: dict[float, float]) -> float:
    """The F1 curve is flat near its top (±0.01 between neighbours on ~400 claims), so
    the arg-max is mostly noise: among thresholds within 0.01 of the best, the one
    closest to 0.5 (a low threshold lets a sentence whose most likely class is
    neutral decide the claim)."""
    best = max(scores.values())
    return min((d for d in scores if scores[d] >= best - 0.01), key=lambda d: abs(d - 0.5))


def choose_contradict(scores: dict[float, float]) -> float:
    """Among contradiction thresholds within 0.01 macro-F1 of the best, the highest: a
    refutation the model alone carries should be a confident one."""
    best = max(scores.values())
    return max(c for c in scores if scores[c] >= best - 0.01)


def _legacy_outcomes(verifier, examples) -> tuple[list[float], list[bool], list[str], list[str]]:
    """Claim-level outcomes as the legacy calibration computed them (whole verdicts; a
    CONFLICTING verdict counts as the stance of its last citation)."""
    from claims.models import Label

    confidence, correct, gold_labels, predicted = [], [], [], []
    for claim, gold, evidence, _ in examples:
        verdict = verifier.verify(as_claim(claim), evidence)
        label = verdict.label
        if label is Label.CONFLICTING:
            label = Label.REFUTED if verdict.citations[-1].stance == "refutes" else Label.SUPPORTED
        confidence.append(verdict.confidence)
        correct.append(label.value == gold)
        gold_labels.append(gold)
        predicted.append(label.value)
    return confidence, correct, gold_labels, predicted


def _calibrate_legacy(raw: dict, path: Path, memo, examples) -> None:
    """The shipped calibration's procedure (threshold, then the isotonic map) under the
    legacy policy: reproduces the shipped calibration.json byte for byte."""
    from claims.nli import NLIVerifier, Policy

    scores, outcomes = {}, {}
    for decide in DECIDE_GRID:
        outcomes[decide] = _legacy_outcomes(
            NLIVerifier(memo, policy=Policy(decide=decide, legacy=True)), examples
        )
        _, _, gold, pred = outcomes[decide]
        scores[decide] = macro_f1(gold, pred, THREE_WAY)
    decide = choose_threshold(scores)
    confidence, correct, _, _ = outcomes[decide]
    policy = {
        "decide": decide,
        "macro_f1_by_decide": {str(k): round(v, 4) for k, v in scores.items()},
    }
    _write_calibration(raw, path, policy, confidence, correct, len(examples))


def calibrate(args: argparse.Namespace) -> None:
    """On held-out claims of the training sources, under the cautious policy: choose the
    decision threshold (3-way macro-F1), then the contradiction a model-only refutation
    needs, and fit the claim-level confidence maps (isotonic; one per verdict label).
    With ``maps_only`` the thresholds already in ``calibration.json`` stay (the
    policy's defaults where it names none) and only the maps are refit under them."""
    from claims.nli import Calibration, NLIVerifier, Policy

    out = Path(args.out)
    path = out / "calibration.json"
    raw = json.loads(path.read_text())
    kept = raw.get("policy") if getattr(args, "maps_only", False) else None
    raw.pop("claim_confidence", None)
    raw.pop("policy", None)
    # the fit reads raw confidences: the scorer goes without the map and thresholds being
    # refit, in memory only, so that an interrupted run leaves calibration.json as it was
    loaded = NLIVerifier.load(out)  # its policy: the file's thresholds, defaults included
    scorer = loaded.scorer
    scorer.calibration = Calibration.model_validate(raw)
    memo = MemoScorer(scorer)
    groups = held_groups_of(Path(args.work) / "heldout.jsonl") if args.work else None
    examples = heldout_claims(Path(args.data), groups)
    if getattr(args, "legacy_policy", False):
        # the shipped calibration was fitted under the policy before the cautious one
        _calibrate_legacy(raw, path, memo, examples)
        return
    readings = _claim_readings(NLIVerifier(memo, policy=Policy()), examples)
    if kept is not None:
        policy = loaded.policy  # the thresholds as the verifier reads them
        policy_fields = kept | {
            "decide": policy.decide,
            "contradict": policy.contradict,
            "maps_fit_under": "cautious policy",
        }
    else:
        policy_fields = _choose_policy(readings, examples)
        policy = Policy(decide=policy_fields["decide"], contradict=policy_fields["contradict"])
    confidence, correct, _, predicted = _claim_outcomes(readings, examples, policy)
    retrieved = [example.retrieved for example in examples]
    _write_calibration(
        raw, path, policy_fields, confidence, correct, len(examples), (predicted, retrieved)
    )


def _choose_policy(readings: list[list], examples) -> dict:
    """The decision threshold, then the model-only contradiction threshold, by 3-way
    macro-F1 on the held-out claims, with the sweeps behind them."""
    from claims.nli import Policy

    scores = {}
    for decide in DECIDE_GRID:
        _, _, gold, pred = _claim_outcomes(readings, examples, Policy(decide=decide))
        scores[decide] = macro_f1(gold, pred, THREE_WAY)
    decide = choose_threshold(scores)
    contradict_scores = {}
    for contradict in CONTRADICT_GRID:
        policy = Policy(decide=decide, contradict=contradict)
        _, _, gold, pred = _claim_outcomes(readings, examples, policy)
        contradict_scores[contradict] = macro_f1(gold, pred, THREE_WAY)
    return {
        "decide": decide,
        "contradict": choose_contradict(contradict_scores),
        "fit_under": "cautious policy",
        "macro_f1_by_decide": {str(k): round(v, 4) for k, v in scores.items()},
        "macro_f1_by_contradict": {str(k): round(v, 4) for k, v in contradict_scores.items()},
    }


#: Verdicts of a label a map of its own needs; fewer use the shared map.
MIN_LABEL_CLAIMS = 50
NOT_ENOUGH_INFO = THREE_WAY[2]


def _write_calibration(
    raw: dict,
    path: Path,
    policy: dict,
    confidence: list[float],
    correct: list[bool],
    n: int,
    verdicts: tuple[list[str], list[bool]] | None = None,
) -> None:
    """Fit the claim-level confidence map (isotonic) and write it with the chosen policy;
    given each claim's predicted label and whether its evidence was retrieved, also one
    map per label with enough verdicts (:func:`_label_maps`)."""
    pool_ties = verdicts is not None  # the cautious fit; the legacy one as shipped
    x, y = fit_isotonic(np.array(confidence), np.array(correct, dtype=float), pool_ties)
    mapped = np.interp(confidence, x, y)
    by_label = {}
    if verdicts is not None:
        mapped, by_label = _label_maps(confidence, correct, *verdicts, mapped)
    raw["policy"] = policy
    raw["claim_confidence"] = {
        "x": [round(v, 5) for v in x],
        "y": [round(v, 5) for v in y],
        **({"by_label": by_label} if by_label else {}),
        "fit_on": f"{n} held-out claims of the training sources",
        "ece_before": round(expected_calibration_error(confidence, correct), 4),
        "ece_after_in_sample": round(
            expected_calibration_error([float(v) for v in mapped], correct), 4
        ),
        "accuracy": round(float(np.mean(correct)), 4),
    }
    path.write_text(json.dumps(raw, indent=2) + "\n")
    print(
        json.dumps(
            {"policy": raw["policy"], "claims": n}
            | {k: v for k, v in raw["claim_confidence"].items() if k not in ("x", "y", "by_label")},
            indent=2,
        )
    )


def _label_maps(
    confidence: list[float],
    correct: list[bool],
    predicted: list[str],
    retrieved: list[bool],
    shared: np.ndarray,
) -> tuple[np.ndarray, dict]:
    """One isotonic map per verdict label with at least ``MIN_LABEL_CLAIMS`` verdicts
    (with its claim count and accuracy), and every claim's confidence mapped as the
    verifier will map it (own label's map, else the shared one).

    NOT_ENOUGH_INFO is fit only on claims whose evidence was retrieved: how often "not
    enough" is right depends on whether the evidence was chosen to answer the claim
    (given gold evidence, it never is), and the product retrieves its evidence."""
    conf, right, labels = np.array(confidence), np.array(correct, dtype=float), np.array(predicted)
    open_check = np.array(retrieved, dtype=bool)
    mapped = np.array(shared, dtype=float)
    maps = {}
    for label in THREE_WAY:
        said = labels == label
        mask = said & open_check if label == NOT_ENOUGH_INFO else said
        if mask.sum() < MIN_LABEL_CLAIMS:
            continue
        x, y = fit_isotonic(conf[mask], right[mask], pool_ties=True)
        mapped[said] = np.interp(conf[said], x, y)
        maps[label] = {
            "x": [round(v, 5) for v in x],
            "y": [round(v, 5) for v in y],
            "claims": int(mask.sum()),
            "accuracy": round(float(right[mask].mean()), 4),
        }
    return mapped, maps
