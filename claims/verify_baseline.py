"""A transparent baseline verifier: sentence similarity plus mismatch rules.

This is NOT a trained judge of entailment. It finds the evidence sentence most
similar to the claim and then:

* if similarity is low → NOT_ENOUGH_INFO;
* if that sentence's quantities, dates or negation disagree with the claim's
  (the checks of :mod:`claims.numeric_checks`, shared with the NLI verifier) → REFUTED;
* if similarity is high → SUPPORTED, otherwise NOT_ENOUGH_INFO.

It keeps the pipeline working end to end and serves as the comparison point
for the trained verifier in benchmarks. Its name says it is a baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from claims.models import Citation, Claim, Evidence, Label, Verdict
from claims.nli.reasons import source_of
from claims.numeric_checks import mismatch
from claims.protocols import Embedder

# The number, date and negation rules are the NLI verifier's (one implementation).
mismatch_reason = mismatch


@dataclass(frozen=True)
class _Candidate:
    evidence: Evidence
    sentence_index: int
    text: str


class BaselineVerifier:
    """Similarity + number/date/negation rules. A baseline, named as one."""

    name = "baseline-similarity-rules"
    max_concurrency = 1  # the embedder already runs each batch on every core

    def __init__(
        self,
        embedder: Embedder,
        *,
        related: float = 0.55,
        supported: float = 0.75,
        sentences_per_passage: int = 3,
    ) -> None:
        self._embedder = embedder
        self.related = related
        self.supported = supported
        self.sentences_per_passage = sentences_per_passage

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        candidates = self._candidates(evidence)
        if not candidates:
            return Verdict(
                label=Label.NOT_ENOUGH_INFO,
                confidence=0.9,
                rationale="Baseline: no evidence passage was retrieved for this claim.",
                verifier=self.name,
            )
        vectors = self._embedder.embed([claim.text] + [c.text for c in candidates])
        similarities = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarities))
        similarity = float(similarities[best])
        candidate = candidates[best]

        source = source_of(candidate.evidence)
        quote = f"“{candidate.text}”"
        if similarity < self.related:
            label, stance = Label.NOT_ENOUGH_INFO, "neutral"
            why = f"the closest sentence, from {source}, is not about the claim: {quote}"
        elif reason := mismatch_reason(claim.text, candidate.text):
            label, stance = Label.REFUTED, "refutes"
            why = f"{source} says {quote}; {reason}"
        elif similarity >= self.supported:
            label, stance = Label.SUPPORTED, "supports"
            why = f"{source} says nearly the same: {quote}"
        else:
            label, stance = Label.NOT_ENOUGH_INFO, "neutral"
            why = f"the closest sentence, from {source}, is related but does not match: {quote}"
        return Verdict(
            label=label,
            confidence=_confidence(label, similarity, self.related, self.supported),
            citations=[_citation(candidate, stance)],
            rationale=f"Baseline (similarity and rules, not a trained judge): {why}.",
            verifier=self.name,
        )

    def _candidates(self, evidence: Sequence[Evidence]) -> list[_Candidate]:
        out: list[_Candidate] = []
        for item in evidence:
            sentences = item.passage.sentences
            order = item.best_sentences or list(range(len(sentences)))
            for index in order[: self.sentences_per_passage]:
                if 0 <= index < len(sentences):
                    out.append(_Candidate(item, index, sentences[index].text))
        return out


def _confidence(label: Label, similarity: float, related: float, supported: float) -> float:
    """A rough, uncalibrated confidence from the similarity margin (baseline only)."""
    if label is Label.SUPPORTED:
        margin = (similarity - supported) / max(1e-6, 1 - supported)
    elif label is Label.REFUTED:
        margin = (similarity - related) / max(1e-6, 1 - related)
    else:
        margin = abs(similarity - related) / max(1e-6, supported)
    return float(min(0.95, 0.5 + 0.45 * max(0.0, margin)))


def _citation(candidate: _Candidate, stance: str) -> Citation:
    passage = candidate.evidence.passage
    span = passage.sentences[candidate.sentence_index]
    return Citation(
        passage_id=passage.id,
        sentence_index=candidate.sentence_index,
        start=span.start,
        end=span.end,
        text=span.text,
        stance=stance,
        source=passage.source,
        title=passage.title,
        url=passage.url,
    )
