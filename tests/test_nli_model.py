"""The shipped ONNX model: loads offline, judges short pairs, holds its SciFact figure."""

from __future__ import annotations

import json

import pytest

from claims.models import Label
from claims.nli import DEFAULT_MODEL_DIR, NLIVerifier, Policy
from tests.conftest import SHARED_DATA, require_shared
from tests.fakes import make_claim, make_evidence


@pytest.fixture(scope="module")
def verifier() -> NLIVerifier:
    return NLIVerifier.load()


PAIRS = [
    # clear support
    ("Water boils at 100 degrees Celsius at sea level.", "At sea level, water boils at 100 degrees Celsius.", Label.SUPPORTED),
    ("Metformin lowers blood glucose in patients with type 2 diabetes.", "In patients with type 2 diabetes, metformin significantly lowered blood glucose levels.", Label.SUPPORTED),
    ("Exercise improves sleep quality.", "Regular exercise was associated with improved sleep quality.", Label.SUPPORTED),
    # encyclopaedic paraphrases that add detail (read as contradictions by the first
    # shipped model, trained for 1.5 epochs on its upper 3 layers)
    ("The Eiffel Tower is located in Paris.", "The Eiffel Tower is a wrought-iron lattice tower in Paris, France.", Label.SUPPORTED),
    ("Barack Obama was the president of the United States.", "Barack Obama served as the 44th president of the United States.", Label.SUPPORTED),
    # a claim copied from part of its source sentence (REFUTED by the second shipped model)
    ("Brics began in 2009 with four members.", "Brics began in 2009 with four members: Brazil, Russia, India and China.", Label.SUPPORTED),
    # same subject, a different fact: not evidence either way (REFUTED by the second model)
    ("Brics began in 2009 with four members.", "Brics is a group of emerging economies.", Label.NOT_ENOUGH_INFO),
    ("The company reported a profit of 3 million dollars in 2023.", "The company was founded in 1998 in Ohio.", Label.NOT_ENOUGH_INFO),
    ("The mayor opened the new library on Monday.", "The new library has 40,000 books.", Label.NOT_ENOUGH_INFO),
    # contradiction by number
    ("The Eiffel Tower is 500 metres tall.", "The Eiffel Tower is 330 metres tall.", Label.REFUTED),
    ("The company employs 2,000 people.", "The company employs 15,000 people worldwide.", Label.REFUTED),
    # contradiction by date
    ("The Berlin Wall fell in 1991.", "The Berlin Wall fell in 1989.", Label.REFUTED),
    ("Apollo 11 landed on the Moon in July 1972.", "Apollo 11 landed on the Moon on 20 July 1969.", Label.REFUTED),
    # contradiction by negation
    ("Penicillin is not an antibiotic.", "Penicillin is an antibiotic used to treat bacterial infections.", Label.REFUTED),
    ("Smoking does not increase the risk of lung cancer.", "Smoking increases the risk of lung cancer.", Label.REFUTED),
    # unrelated
    ("The Eiffel Tower is located in Paris.", "Bananas are rich in potassium.", Label.NOT_ENOUGH_INFO),
    ("The Berlin Wall fell in 1989.", "The mitochondria is the powerhouse of the cell.", Label.NOT_ENOUGH_INFO),
    ("Aspirin lowers the risk of heart attacks.", "The novel was translated into twelve languages.", Label.NOT_ENOUGH_INFO),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "sentence", "label"), PAIRS)
def test_shipped_model_judges_short_pairs(verifier, claim, sentence, label):
    verdict = verifier.verify(make_claim(claim), [make_evidence(sentence)])
    assert verdict.label is label, verdict.rationale
    assert 0.0 <= verdict.confidence <= 1.0
    if label is not Label.NOT_ENOUGH_INFO:
        assert verdict.citations and verdict.citations[0].text in sentence


MARGIN = 0.15  # a case the model decides must sit this far from the threshold (issue 12)


@pytest.mark.parametrize(("claim", "sentence", "label"), PAIRS)
def test_each_case_is_decided_by_a_rule_or_far_from_the_model_threshold(
    verifier, claim, sentence, label
):
    """Borderline pairs flip across CPUs and onnxruntime builds: they belong in the
    benchmark (benchmarks/probe_verifier.py), not here."""
    units = verifier.units([make_evidence(sentence)])
    _, (reading,) = verifier.read(claim, units)
    policy = verifier.policy
    if label is Label.SUPPORTED:
        assert reading.about and reading.covers
        assert reading.entails >= policy.decide + MARGIN
    elif label is Label.REFUTED:
        assert reading.about and reading.conflict is not None
    elif reading.about:
        assert reading.entails <= policy.decide - MARGIN
        assert reading.contradicts <= policy.contradict - MARGIN


def test_exact_match_is_not_refuted_by_an_unrelated_passage_appended(verifier):
    claim = make_claim("Brics was founded in 2009 with four members.")
    evidence = [
        make_evidence("Brics was founded in 2009 with four members.", pid="a", rank=1),
        make_evidence("Glaciers are melting faster since 2010.", pid="b", rank=2),
    ]
    verdict = verifier.verify(claim, evidence)
    assert verdict.label is Label.SUPPORTED
    assert all(c.stance != "refutes" for c in verdict.citations)


def test_shipped_files_are_small_enough_to_commit():
    assert (DEFAULT_MODEL_DIR / "model.onnx").stat().st_size <= 30 * 1024 * 1024


@pytest.mark.slow
def test_scifact_dev_slice_holds_the_model_card_figure(verifier):
    """60 fixed SciFact dev claims with gold rationales; fails on a drop > 3 points."""
    data = require_shared(SHARED_DATA / "scifact" / "claims_dev.jsonl").parent.parent
    from benchmarks.bench_verifier import (
        REGRESSION_SLICE,
        nli_runner,
        run_three_way,
        scifact_oracle,
    )

    expected = json.loads((DEFAULT_MODEL_DIR / "metrics.json").read_text())
    figure = expected["regression"]["scifact_dev_oracle_first60_macro_f1"]
    examples = scifact_oracle(data)[:REGRESSION_SLICE]
    # the model card's figure was measured with the legacy policy: the model is checked there
    legacy = NLIVerifier(verifier.scorer, policy=Policy(decide=verifier.policy.decide, legacy=True))
    result = run_three_way(nli_runner(legacy), examples)
    assert result["macro_f1"] >= figure - 0.03, result
