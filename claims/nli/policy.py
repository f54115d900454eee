"""How per-unit NLI scores become one claim-level label. Pure: no model, no spaCy.

A *unit* is one evidence sentence, two consecutive sentences of a passage, or a
passage's best sentences read together. The verifier scores each unit with the
NLI model and describes it as a :class:`Reading`: its calibrated probabilities,
whether it is about the claim, whether it carries every entity, number and date
of the claim, and any specific conflict with the claim (a different number,
date or named entity on the same subject, the negated predicate, or the
opposite direction of change on the same thing).

:func:`decide` is the cautious policy:

* a unit may **support** only if it is a real sentence about the claim that
  carries all of the claim's entities, numbers and dates, has no conflict, and
  the model entails the claim; sentences read together must also state the
  claim's predicate (and, from several passages, most of its content words);
* a single sentence may **refute** only if it is about the claim and either has
  a specific conflict with it, or it tells of the claim's own event (its names,
  subject, years and numbers) and the model's contradiction is high and holds
  when the sentence is read with its neighbour, and the checks did not find the
  claim's figures in it, loosely met (a bound, a round figure);
* one sentence never counts both ways: a unit containing a refuting sentence
  does not support;
* **CONFLICTING** needs confident support and confident refutation from
  different documents;
* everything else is **NOT_ENOUGH_INFO**, with the closest units cited as
  context.

:func:`aggregate` is the policy as it was before (any sentence above the
threshold decides), kept as ``legacy`` so benchmarks can compare the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from claims.models import Label, Stance
from claims.nli.model import CONTRADICTS, ENTAILS

SentenceKey = tuple[str, int]  # (passage id, sentence index)


@dataclass(frozen=True)
class Conflict:
    """A specific disagreement between the claim and one evidence sentence."""

    # "number", "age" (a person's), "run" (a count in a row), "date", "place", "entity",
    # "negation", "direction" or "antonym"
    kind: str
    claim_value: str
    evidence_value: str
    same_predicate: bool  # the conflicting slots hang on the same verb in both texts


@dataclass(frozen=True)
class Reading:
    """One scored unit, as the policy sees it."""

    probs: tuple[float, float, float]  # entails, contradicts, neutral (calibrated)
    doc: str  # document id: support and refutation must come from different ones to conflict
    sentences: tuple[SentenceKey, ...]
    is_sentence: bool = True  # every part is a real sentence (not a heading, a list item...)
    about: bool = True  # shares the claim's subject (entities, nouns, predicate)
    covers: bool = True  # carries every entity, number and date of the claim
    conflict: Conflict | None = None
    consecutive: bool = False  # neighbouring sentences of one passage (may refute jointly)
    relevance: float = 0.0  # how much of the claim's content it shares, for context citations
    same_predicate: bool = True  # uses the claim's main verb (a model-only refutation needs it)
    spelled: float = 1.0  # share of the claim's content words it has (by stem)
    # tells of the claim's own event: its names, subject, years and numbers (a model's
    # contradiction alone refutes only such a sentence)
    instance: bool = True
    # gives every figure of the claim, one only loosely (a bound met, a round figure):
    # a model's contradiction alone does not refute it (align.loose_figures_met)
    figures_met: bool = False
    # published before the day the claim names ("rose 8% on Wednesday (9 April 2025)"):
    # it tells of an earlier time, so it neither confirms the claim nor, but by
    # another date, contradicts it
    early: bool = False

    @property
    def entails(self) -> float:
        return self.probs[ENTAILS]

    @property
    def contradicts(self) -> float:
        return self.probs[CONTRADICTS]


@dataclass(frozen=True)
class Policy:
    """Thresholds of the decision, on calibrated pair probabilities."""

    decide: float = 0.5  # p(entails) a supporting unit needs (legacy: either direction)
    contradict: float = 0.85  # p(contradicts) that refutes without a specific conflict
    conflict: float = 0.8  # both sides this strong, in different documents: CONFLICTING
    margin: float = 0.25  # one side must beat the other by this much to win alone
    # share of the claim's content words that sentences of several passages need to support
    joint_words: float = 0.75
    # the share of them that sentences of one page read together must have: "Calder's
    # central library will open until 8pm on weekdays from February. The council said the
    # change would cost £40,000 a year." had SUPPORTED "A vaccination clinic will open at
    # Calder General Hospital on Saturday" (two of its seven words)
    window_words: float = 0.5
    max_citations: int = 3
    context_citations: int = 2
    legacy: bool = False  # the policy before the cautious one: any sentence above `decide` decides


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Decision:
    label: Label
    raw_confidence: float
    rows: list[int]  # cited units, strongest first
    stances: list[Stance]
    ambiguous: bool = False  # support and refutation both present, neither clear


# ---------------------------------------------------------------- the cautious policy


def refutes(reading: Reading, policy: Policy, readings: Sequence[Reading]) -> bool:
    """A single sentence about the claim with a specific conflict, or a high
    contradiction that still holds with its neighbour."""
    if len(reading.sentences) != 1 or not (reading.is_sentence and reading.about):
        return False
    if reading.early and (reading.conflict is None or reading.conflict.kind != "date"):
        return False
    if reading.conflict is not None and _conflict_counts(reading, policy):
        return True
    if reading.contradicts < policy.contradict or not reading.same_predicate:
        return False
    if not reading.instance:
        return False
    if reading.figures_met:
        # the checks read the claim's figures as given, one of them loosely ("12 people
        # were killed" for "at least 10", "1,187,000" for "1.2 million"): the model's
        # contradiction is its habit with other numbers, not a refutation to show
        return False
    key = reading.sentences[0]
    windows = [r for r in readings if r.consecutive and key in r.sentences]
    return all(w.contradicts >= policy.contradict for w in windows)


def _conflict_counts(reading: Reading, policy: Policy) -> bool:
    conflict = reading.conflict
    assert conflict is not None
    if conflict.kind == "negation":
        return True
    if conflict.kind == "entity":  # other names often sit beside the claim's: the model decides
        return conflict.same_predicate and reading.contradicts >= policy.contradict
    # a number or date on another verb ("hired 300" vs "employs 2,000", "signed in 2024"
    # vs "launched in 2022") belongs to another fact: only the claim's own slot counts
    return conflict.same_predicate


def refutation_strength(reading: Reading) -> float:
    """A conflict on an aligned slot turns the model's reading of the pair as
    related (entails or contradicts) into refutation, as the checks did before."""
    if reading.conflict is not None:
        return max(reading.entails + reading.contradicts, 0.5)
    return reading.contradicts


def supports(reading: Reading, policy: Policy, refuting: set[SentenceKey]) -> bool:
    """A real sentence about the claim, carrying its details, that the model reads as
    entailing it. Sentences read together must also state the claim's predicate, and
    sentences of several passages most of its content words: the model reads a few
    sentences on the claim's topic (a visit, a criticism, a summit) as entailing what
    none of them says ("Ukraine condemned the visit")."""
    if len(reading.sentences) > 1 and not reading.same_predicate:
        return False
    if len({pid for pid, _ in reading.sentences}) > 1 and reading.spelled < policy.joint_words:
        return False
    if len(reading.sentences) > 1 and reading.spelled < policy.window_words:
        return False
    return (
        reading.is_sentence
        and reading.about
        and reading.covers
        and not reading.early
        and reading.conflict is None
        and reading.entails >= policy.decide
        and reading.entails > reading.contradicts
        and not refuting.intersection(reading.sentences)
    )


def decide(readings: Sequence[Reading], policy: Policy = DEFAULT_POLICY) -> Decision:
    """The claim-level decision over all scored units (see the module docstring)."""
    if not readings:
        return Decision(Label.NOT_ENOUGH_INFO, 1.0, [], [])
    refuting_rows = [i for i, r in enumerate(readings) if refutes(r, policy, readings)]
    refuting = {key for i in refuting_rows for key in readings[i].sentences}
    supporting_rows = [i for i, r in enumerate(readings) if supports(r, policy, refuting)]
    # a sentence that supports alone is the evidence to show: sentences read together
    # (which the model over-reads) then add nothing
    alone = [i for i in supporting_rows if len(readings[i].sentences) == 1]
    support = sorted(alone or supporting_rows, key=lambda i: -readings[i].entails)
    refute = sorted(refuting_rows, key=lambda i: -refutation_strength(readings[i]))
    s = readings[support[0]].entails if support else 0.0
    r = refutation_strength(readings[refute[0]]) if refute else 0.0
    k = policy.max_citations
    if support and refute:
        pair = _conflicting_pair(readings, support, refute, policy)
        if pair is not None:
            return Decision(Label.CONFLICTING, min(s, r), list(pair), ["supports", "refutes"])
        if s - r >= policy.margin:
            refute = []
        elif r - s >= policy.margin:
            support = []
        else:
            rows = [support[0], refute[0]]
            stances: list[Stance] = ["neutral", "neutral"]
            return Decision(Label.NOT_ENOUGH_INFO, 1.0 - max(s, r), rows, stances, True)
    if support:
        rows = _distinct(readings, _minimal(readings, support))[:k]
        return Decision(Label.SUPPORTED, s, rows, ["supports"] * len(rows))
    if refute:
        rows = _distinct(readings, refute)[:k]
        return Decision(Label.REFUTED, r, rows, ["refutes"] * len(rows))
    rows = context(readings, policy)
    strongest = max((max(x.entails, x.contradicts) for x in readings if x.about), default=0.0)
    return Decision(Label.NOT_ENOUGH_INFO, 1.0 - strongest, rows, ["neutral"] * len(rows))


def lean(readings: Sequence[Reading]) -> tuple[float, float]:
    """The strongest support and the strongest refutation among the units about the
    claim (all units when none is), with the policy's rules but not its thresholds:
    which way the evidence leans when the verdict takes no side (a forced choice)."""
    pool = [r for r in readings if r.about and r.is_sentence] or list(readings)
    support = max((r.entails for r in pool if r.conflict is None), default=0.0)
    refute = max(
        (
            refutation_strength(r) if r.conflict and r.conflict.same_predicate else r.contradicts
            for r in pool
            if len(r.sentences) == 1 or r.consecutive
        ),
        default=0.0,
    )
    return support, refute


def _conflicting_pair(
    readings: Sequence[Reading], support: list[int], refute: list[int], policy: Policy
) -> tuple[int, int] | None:
    for i in support:
        for j in refute:
            confident = (
                readings[i].entails >= policy.conflict
                and refutation_strength(readings[j]) >= policy.conflict
            )
            if confident and readings[i].doc != readings[j].doc:
                return i, j
    return None


def _minimal(readings: Sequence[Reading], rows: list[int]) -> list[int]:
    """Supporting rows that hold no other supporting row's sentences: when part of a
    window supports alone, the window's other sentences add nothing and are not cited
    as support (a window read with an unrelated neighbour entails as its part does)."""
    keys = [frozenset(readings[i].sentences) for i in rows]
    return [i for i, key in zip(rows, keys, strict=True) if not any(o < key for o in keys)]


def _distinct(readings: Sequence[Reading], rows: list[int]) -> list[int]:
    """Rows that add a sentence not cited yet (windows repeat their sentences)."""
    seen: set[SentenceKey] = set()
    out = []
    for i in rows:
        new = set(readings[i].sentences) - seen
        if new:
            out.append(i)
            seen |= new
    return out


def context(readings: Sequence[Reading], policy: Policy) -> list[int]:
    """The closest real sentences, shown as context when nothing decides."""
    candidates = [i for i, r in enumerate(readings) if r.is_sentence and len(r.sentences) == 1]
    if not candidates:
        return []
    order = sorted(
        candidates,
        key=lambda i: (-readings[i].about, -readings[i].relevance, -readings[i].entails),
    )
    return _distinct(readings, order)[: policy.context_citations]


# ---------------------------------------------------------------- the legacy policy


def apply_mismatches(probs: np.ndarray, reasons: Sequence[object | None]) -> np.ndarray:
    """Legacy: move p(entails) onto p(contradicts) for rows the model calls
    "entails" but whose numbers, dates or negation disagree with the claim."""
    out = probs.copy()
    for row, reason in enumerate(reasons):
        if reason is not None and out[row].argmax() == ENTAILS:
            out[row, CONTRADICTS] += out[row, ENTAILS]
            out[row, ENTAILS] = 0.0
    return out


def _strongest(column: np.ndarray, threshold: float, limit: int) -> list[int]:
    order = [int(i) for i in np.argsort(-column, kind="stable")]
    picked = [i for i in order if column[i] >= threshold][:limit]
    return picked or order[:1]


def aggregate(probs: np.ndarray, policy: Policy = DEFAULT_POLICY) -> Decision:
    """Legacy: the strongest supporting and refuting unit decide (rows: units;
    columns: entails, contradicts, neutral). Both above ``conflict`` → CONFLICTING;
    neither above ``decide`` → NOT_ENOUGH_INFO; otherwise the stronger side wins."""
    if probs.shape[0] == 0:
        return Decision(Label.NOT_ENOUGH_INFO, 1.0, [], [])
    support, refute = probs[:, ENTAILS], probs[:, CONTRADICTS]
    s, r = float(support.max()), float(refute.max())
    k = policy.max_citations
    if s >= policy.conflict and r >= policy.conflict:
        rows = [int(support.argmax()), int(refute.argmax())]
        return Decision(Label.CONFLICTING, min(s, r), rows, ["supports", "refutes"])
    if max(s, r) < policy.decide:
        related = support + refute
        return Decision(
            Label.NOT_ENOUGH_INFO, 1.0 - max(s, r), [int(related.argmax())], ["neutral"]
        )
    if s >= r:
        rows = _strongest(support, policy.decide, k)
        return Decision(Label.SUPPORTED, s, rows, ["supports"] * len(rows))
    rows = _strongest(refute, policy.decide, k)
    return Decision(Label.REFUTED, r, rows, ["refutes"] * len(rows))
