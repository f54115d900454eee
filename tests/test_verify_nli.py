"""Unit tests of the NLI verifier's pure parts, on hand-made score matrices and a fake scorer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claims.errors import ModelFileError
from claims.models import Label
from claims.verify_nli import (
    CONTRADICTS,
    ENTAILS,
    Calibration,
    NLIScorer,
    NLIVerifier,
    Policy,
    aggregate,
    apply_mismatches,
    calibration_error,
    ece,
    fit_isotonic,
    fit_temperature,
    softmax,
)
from tests.fakes import make_claim, make_evidence


def rows(*triples: tuple[float, float, float]) -> np.ndarray:
    return np.array(triples, dtype=np.float64)


# ------------------------------------------------------------------ aggregation


def test_one_strong_support_among_neutral_sentences_is_supported():
    probs = rows((0.05, 0.05, 0.9), (0.92, 0.03, 0.05), (0.1, 0.1, 0.8))
    decision = aggregate(probs)
    assert decision.label is Label.SUPPORTED
    assert decision.rows == [1]
    assert decision.raw_confidence == pytest.approx(0.92)


def test_strongest_refutation_wins_over_weaker_support():
    probs = rows((0.55, 0.05, 0.40), (0.05, 0.85, 0.10))
    decision = aggregate(probs)
    assert decision.label is Label.REFUTED
    assert decision.rows[0] == 1
    assert decision.stances[0] == "refutes"


def test_strong_evidence_both_ways_is_conflicting_and_cites_both():
    probs = rows((0.9, 0.05, 0.05), (0.02, 0.88, 0.10))
    decision = aggregate(probs)
    assert decision.label is Label.CONFLICTING
    assert decision.rows == [0, 1]
    assert decision.stances == ["supports", "refutes"]
    assert decision.raw_confidence == pytest.approx(0.88)


def test_only_neutral_sentences_give_not_enough_info():
    probs = rows((0.3, 0.2, 0.5), (0.1, 0.4, 0.5))
    decision = aggregate(probs)
    assert decision.label is Label.NOT_ENOUGH_INFO
    assert decision.raw_confidence == pytest.approx(1 - 0.4)
    assert decision.stances == ["neutral"]


def test_no_sentences_give_not_enough_info():
    assert aggregate(np.zeros((0, 3))).label is Label.NOT_ENOUGH_INFO


def test_citations_are_bounded_and_strongest_first():
    probs = rows(*[(0.6 + i * 0.05, 0.0, 0.4 - i * 0.05) for i in range(6)])
    decision = aggregate(probs, Policy(max_citations=3))
    assert decision.rows == [5, 4, 3]


def test_a_lower_decision_threshold_turns_weak_support_into_a_verdict():
    probs = rows((0.45, 0.1, 0.45))
    assert aggregate(probs).label is Label.NOT_ENOUGH_INFO
    assert aggregate(probs, Policy(decide=0.4)).label is Label.SUPPORTED


def test_mismatch_moves_entailment_to_contradiction_only_where_model_says_entails():
    probs = rows((0.8, 0.1, 0.1), (0.2, 0.1, 0.7), (0.7, 0.2, 0.1))
    out = apply_mismatches(probs, ["numbers differ", "numbers differ", None])
    assert out[0, ENTAILS] == 0.0 and out[0, CONTRADICTS] == pytest.approx(0.9)
    np.testing.assert_allclose(out[1], probs[1])  # neutral sentence stays neutral
    np.testing.assert_allclose(out[2], probs[2])  # no mismatch, untouched
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


# ------------------------------------------------------------------ calibration


def test_softmax_rows_sum_to_one_and_are_shift_invariant():
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]])
    p = softmax(logits)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], p[1])


def test_fit_temperature_softens_an_overconfident_model():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, size=600)
    logits = rng.normal(size=(600, 3))
    logits[np.arange(600), gold] += 1.0
    logits *= 6.0  # right more often than not, but far too sure
    t = fit_temperature(logits, gold)
    assert t > 2.0
    assert ece(softmax(logits / t), gold) < ece(softmax(logits), gold)


def test_fit_temperature_leaves_a_calibrated_model_near_one():
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=2.0, size=(4000, 3))
    p = softmax(logits)
    gold = np.array([rng.choice(3, p=row) for row in p])
    assert 0.85 < fit_temperature(logits, gold) < 1.15


def test_calibration_error_of_perfect_and_overconfident_predictions():
    assert calibration_error(np.array([1.0, 1.0]), np.array([True, True])) == 0.0
    assert calibration_error(np.array([0.9] * 10), np.array([True] * 5 + [False] * 5)) == (
        pytest.approx(0.4)
    )


def test_isotonic_fit_is_monotone_and_pools_violators():
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 1.0])
    kx, ky = fit_isotonic(x, y)
    assert all(a <= b for a, b in zip(ky, ky[1:], strict=False))
    assert np.interp(0.25, kx, ky) == pytest.approx(0.5)  # 0.2 and 0.3 pooled
    assert np.interp(0.6, kx, ky) == 1.0


def test_calibration_maps_claim_confidence_through_its_knots(tmp_path: Path):
    path = tmp_path / "calibration.json"
    path.write_text(
        json.dumps(
            {
                "temperature": 1.5,
                "claim_confidence": {"x": [0, 1], "y": [0.2, 0.8]},
                "policy": {"decide": 0.4},
            }
        )
    )
    calibration = Calibration.from_file(path)
    assert calibration.temperature == 1.5
    assert calibration.claim_confidence(0.5) == pytest.approx(0.5)
    assert calibration.claim_confidence(1.0) == pytest.approx(0.8)
    assert calibration.decide == 0.4


# ------------------------------------------------------------------ verifier on a fake scorer


class FakeScorer:
    """Entails when the evidence contains the claim's last word, else neutral."""

    def __init__(self) -> None:
        self.calibration = Calibration(temperature=1.0)
        self.calls: list[list[tuple[str, str]]] = []

    def probabilities(self, pairs):
        self.calls.append(list(pairs))
        out = np.tile([0.05, 0.05, 0.9], (len(pairs), 1))
        for i, (claim, evidence) in enumerate(pairs):
            if claim.rstrip(".").split()[-1].lower() in evidence.lower():
                out[i] = [0.9, 0.05, 0.05]
        return out


def test_verifier_cites_the_deciding_sentence_with_its_offsets():
    evidence = make_evidence("The sky is green. The tower is 300 metres tall. Cats purr.")
    verifier = NLIVerifier(FakeScorer(), pair_windows=False)
    verdict = verifier.verify(make_claim("The tower is 300 metres tall."), [evidence])
    assert verdict.label is Label.SUPPORTED
    (citation,) = verdict.citations
    assert citation.sentence_index == 1 and citation.stance == "supports"
    assert evidence.passage.text[citation.start : citation.end] == citation.text
    assert "sentence 1 of passage p1" in verdict.rationale
    assert verdict.verifier == "nli-minilm-l6"


def test_number_mismatch_check_turns_model_support_into_refutation():
    evidence = make_evidence("The tower is 300 metres tall.")
    claim = make_claim("The tower is 330 metres tall.")
    with_checks = NLIVerifier(FakeScorer(), pair_windows=False).verify(claim, [evidence])
    without = NLIVerifier(FakeScorer(), pair_windows=False, mismatch_checks=False).verify(
        claim, [evidence]
    )
    assert with_checks.label is Label.REFUTED
    assert "330" in with_checks.rationale
    assert without.label is Label.SUPPORTED


def test_best_sentences_are_scored_first_and_the_count_is_bounded():
    evidence = make_evidence("A one. B two. C three. D four. E five. F six. G seven.")
    evidence = evidence.model_copy(update={"best_sentences": [5, 2]})
    scorer = FakeScorer()
    verifier = NLIVerifier(scorer, sentences_per_passage=3, pair_windows=False)
    verifier.verify(make_claim("Something about six."), [evidence])
    assert [e for _, e in scorer.calls[0]] == ["F six.", "C three.", "A one."]


def test_windows_read_two_sentences_of_a_passage_and_leads_of_three_passages():
    passages = [make_evidence(f"Alpha {i}. Beta {i}.", pid=f"p{i}", rank=i + 1) for i in range(3)]
    units = NLIVerifier(FakeScorer(), sentences_per_passage=2).units(passages)
    texts = [u.text for u in units]
    assert "Alpha 0. Beta 0." in texts
    assert "Alpha 0. Alpha 1. Alpha 2." in texts
    assert len(units) == 3 * 2 + 3 + 1


def test_no_evidence_is_not_enough_info_and_no_model_call():
    scorer = FakeScorer()
    verdict = NLIVerifier(scorer).verify(make_claim("Anything at all."), [])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert scorer.calls == []


# ------------------------------------------------------------------ model files


def test_missing_model_directory_raises_model_file_error(tmp_path: Path):
    with pytest.raises(ModelFileError, match="missing"):
        NLIVerifier.load(tmp_path / "nowhere")


def test_corrupt_model_file_raises_model_file_error(tmp_path: Path):
    shipped = Path(__file__).resolve().parent.parent / "claims" / "data" / "nli"
    (tmp_path / "model.onnx").write_bytes(b"not an onnx graph")
    (tmp_path / "tokenizer.json").write_bytes((shipped / "tokenizer.json").read_bytes())
    (tmp_path / "calibration.json").write_text(json.dumps({"temperature": 1.0}))
    with pytest.raises(ModelFileError, match="cannot load"):
        NLIScorer(tmp_path)


def test_model_file_not_matching_its_checksum_raises(tmp_path: Path):
    (tmp_path / "model.onnx").write_bytes(b"truncated")
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "calibration.json").write_text(
        json.dumps({"temperature": 1.0, "model_sha256": "0" * 64})
    )
    with pytest.raises(ModelFileError, match="sha256"):
        NLIScorer(tmp_path)


def test_unreadable_calibration_raises_model_file_error(tmp_path: Path):
    (tmp_path / "calibration.json").write_text("{not json")
    with pytest.raises(ModelFileError):
        Calibration.from_file(tmp_path / "calibration.json")


def test_joined_units_never_refute_only_support():
    from claims.verify_nli import joint_support_only

    probs = np.array([[0.1, 0.8, 0.1], [0.1, 0.8, 0.1]])
    out = joint_support_only(probs, [True, False])
    assert out[0].tolist() == pytest.approx([0.1, 0.0, 0.9])
    assert out[1].tolist() == pytest.approx([0.1, 0.8, 0.1])


def test_exact_match_is_not_refuted_by_an_unrelated_passage_appended():
    from claims.verify_nli import NLIVerifier

    claim = make_claim("Brics was founded in 2009 with four members.")
    evidence = [
        make_evidence("Brics was founded in 2009 with four members.", pid="a", rank=1),
        make_evidence("Glaciers are melting faster since 2010.", pid="b", rank=2),
    ]
    verdict = NLIVerifier.load().verify(claim, evidence)
    assert verdict.label is not Label.REFUTED
    assert all(c.stance != "refutes" for c in verdict.citations)
