"""A 16-pair probe of the offline verifier on short news-style pairs. Prints each verdict.

    python -m benchmarks.probe_verifier [MODEL_DIR]

Written to compare candidate models on the mistakes seen with news claims
(a claim copied from part of its sentence; a sentence about the same subject
stating a different fact, which is neither support nor refutation). Not a
benchmark: 16 hand-written pairs, used to choose between models that the
benchmark (``benchmarks.bench_verifier``) scores within a point or two of each other.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.bench_verifier import _claim, _evidence
from claims.nli import DEFAULT_MODEL_DIR, NLIVerifier

PAIRS = [
    ("Brics began in 2009 with four members.", "Brics began in 2009 with four members: Brazil, Russia, India and China.", "SUPPORTED"),
    ("Brics began in 2009 with four members.", "Brics is a group of emerging economies.", "NOT_ENOUGH_INFO"),
    ("Brics began in 2009 with four members.", "South Africa joined the group in 2010.", "NOT_ENOUGH_INFO"),
    ("The summit was held in Kazan.", "The 2024 Brics summit was held in the Russian city of Kazan.", "SUPPORTED"),
    ("The summit was held in Kazan.", "Kazan is the capital of Tatarstan.", "NOT_ENOUGH_INFO"),
    ("Thousands of North Korean soldiers were trained in Russia.", "North Korea has one of the largest armies in the world.", "NOT_ENOUGH_INFO"),
    ("Thousands of North Korean soldiers were trained in Russia.", "Some 10,000 North Korean soldiers have been sent to train in eastern Russia, officials said.", "SUPPORTED"),
    ("The company reported a profit of 3 million dollars in 2023.", "The company was founded in 1998 in Ohio.", "NOT_ENOUGH_INFO"),
    ("The company reported a profit of 3 million dollars in 2023.", "In 2023 the company reported a profit of 3 million dollars.", "SUPPORTED"),
    ("The mayor opened the new library on Monday.", "The new library has 40,000 books.", "NOT_ENOUGH_INFO"),
    ("The mayor opened the new library on Monday.", "The library was opened by the mayor on Monday morning.", "SUPPORTED"),
    ("Vitamin D supplements reduce fracture risk in older adults.", "Vitamin D is produced in the skin after exposure to sunlight.", "NOT_ENOUGH_INFO"),
    ("The river flooded the town in 2019.", "The river flooded the town in 2017.", "REFUTED"),
    ("Paris is the capital of France.", "Paris is the capital and largest city of France.", "SUPPORTED"),
    ("Paris is the capital of France.", "Paris hosted the Olympic Games in 2024.", "NOT_ENOUGH_INFO"),
    ("The vaccine was approved in 2020.", "The vaccine was developed by a German company.", "NOT_ENOUGH_INFO"),
]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verifier = NLIVerifier.load(Path(args[0]) if args else DEFAULT_MODEL_DIR)
    right = 0
    for claim, sentence, gold in PAIRS:
        verdict = verifier.verify(_claim(claim), [_evidence("probe", [sentence], 1)])
        probs = verifier.scorer.probabilities([(claim, sentence)])[0]
        ok = verdict.label.value == gold
        right += ok
        print(
            f"{'ok ' if ok else 'BAD'} gold {gold:<16} got {verdict.label.value:<16} "
            f"p(e/c/n) {probs[0]:.2f}/{probs[1]:.2f}/{probs[2]:.2f} | {claim} || {sentence}"
        )
    print(f"{right} / {len(PAIRS)} as expected")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
