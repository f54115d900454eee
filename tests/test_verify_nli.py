"""Unit tests of the NLI verifier's pure parts, on hand-made score matrices and a fake scorer."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from claims.errors import ModelFileError
from claims.models import Claim, Label
from claims.nli import (
    CONTRADICTS,
    DEFAULT_MODEL_DIR,
    ENTAILS,
    MAX_LENGTH,
    Calibration,
    NLIScorer,
    NLIVerifier,
    Policy,
    aggregate,
    softmax,
)
from claims.nli.policy import apply_mismatches
from tests.fakes import make_claim, make_evidence


def rows(*triples: tuple[float, float, float]) -> np.ndarray:
    return np.array(triples, dtype=np.float64)


# ------------------------------------------------------------------ legacy aggregation


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
    decision = aggregate(probs, Policy(max_citations=3, legacy=True))
    assert decision.rows == [5, 4, 3]


def test_a_lower_decision_threshold_turns_weak_support_into_a_verdict():
    probs = rows((0.45, 0.1, 0.45))
    assert aggregate(probs).label is Label.NOT_ENOUGH_INFO
    assert aggregate(probs, Policy(decide=0.4, legacy=True)).label is Label.SUPPORTED


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


def test_a_verdict_label_with_its_own_map_uses_it_and_the_others_the_shared_one(
    tmp_path: Path,
):
    path = tmp_path / "calibration.json"
    path.write_text(
        json.dumps(
            {
                "temperature": 1.0,
                "claim_confidence": {
                    "x": [0, 1],
                    "y": [0.2, 0.8],
                    "by_label": {"NOT_ENOUGH_INFO": {"x": [0, 1], "y": [0.6, 0.7]}},
                },
            }
        )
    )
    calibration = Calibration.from_file(path)
    assert calibration.claim_confidence(1.0, "NOT_ENOUGH_INFO") == pytest.approx(0.7)
    assert calibration.claim_confidence(0.0, "NOT_ENOUGH_INFO") == pytest.approx(0.6)
    assert calibration.claim_confidence(1.0, "SUPPORTED") == pytest.approx(0.8)
    assert calibration.claim_confidence(1.0) == pytest.approx(0.8)
    calibration.write(tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["claim_confidence"]["by_label"]["NOT_ENOUGH_INFO"]["y"] == [0.6, 0.7]


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
    evidence = make_evidence("The sky is green today. The tower is 300 metres tall. Cats purr.")
    verifier = NLIVerifier(FakeScorer(), pair_windows=False)
    verdict = verifier.verify(make_claim("The tower is 300 metres tall."), [evidence])
    assert verdict.label is Label.SUPPORTED
    (citation,) = verdict.citations
    assert citation.sentence_index == 1 and citation.stance == "supports"
    assert evidence.passage.text[citation.start : citation.end] == citation.text
    assert verdict.verifier == "nli-minilm-l6"


def test_reason_names_the_source_and_date_without_ids_or_probabilities():
    evidence = make_evidence("The tower is 300 metres tall.")
    passage = evidence.passage.model_copy(
        update={"title": "Tower facts", "published": date(2024, 10, 22)}
    )
    evidence = evidence.model_copy(update={"passage": passage})
    verdict = NLIVerifier(FakeScorer()).verify(
        make_claim("The tower is 330 metres tall."), [evidence]
    )
    assert verdict.label is Label.REFUTED
    assert verdict.rationale.startswith("“Tower facts” (22 October 2024) gives 300 metres")
    assert "the claim says 330 metres" in verdict.rationale
    assert "p1" not in verdict.rationale and "p(" not in verdict.rationale


def test_a_name_left_to_the_sources_title_is_given_and_the_reason_says_so():
    evidence = make_evidence("The buses carry 140,000 riders on a weekday. Fares rose.")
    claim = make_claim("Northfield Metro's buses carry 140,000 riders on a weekday.")
    untitled = NLIVerifier(FakeScorer()).verify(claim, [evidence])
    assert untitled.label is Label.NOT_ENOUGH_INFO
    assert "does not give Northfield Metro" in untitled.rationale
    passage = evidence.passage.model_copy(update={"title": "Northfield Metro annual report"})
    titled = NLIVerifier(FakeScorer()).verify(
        claim, [evidence.model_copy(update={"passage": passage})]
    )
    assert titled.label is Label.SUPPORTED
    assert titled.rationale.startswith("“Northfield Metro annual report” says")


class RelatedScorer(FakeScorer):
    """Reads every pair as entailing: what the checks make of a related reading."""

    def probabilities(self, pairs):
        self.calls.append(list(pairs))
        return np.tile([0.9, 0.05, 0.05], (len(pairs), 1))


def test_an_opposite_predicate_refutes_with_a_plain_reason():
    evidence = make_evidence("The minister said the plant would stay open.")
    passage = evidence.passage.model_copy(update={"title": "Plant to stay open"})
    evidence = evidence.model_copy(update={"passage": passage})
    verifier = NLIVerifier(RelatedScorer())
    same = verifier.verify(make_claim("The minister said the plant would stay open."), [evidence])
    assert same.label is Label.SUPPORTED
    verdict = verifier.verify(make_claim("The minister said the plant will close."), [evidence])
    assert verdict.label is Label.REFUTED
    assert "says the opposite: “open” where the claim has “close”" in verdict.rationale


def test_a_count_of_other_people_or_another_agent_is_no_support_and_says_why():
    verifier = NLIVerifier(RelatedScorer())
    counted = verifier.verify(
        make_claim("The attack killed 12 soldiers."),
        [make_evidence("The attack killed 12 civilians.")],
    )
    assert counted.label is Label.NOT_ENOUGH_INFO
    assert "counts 12 civilians, not 12 soldiers" in counted.rationale
    agent = verifier.verify(
        make_claim("The rebels captured the city."),
        [make_evidence("The army recaptured the city from the rebels.")],
    )
    assert agent.label is Label.NOT_ENOUGH_INFO
    assert "someone other than the claim's subject" in agent.rationale
    same = verifier.verify(
        make_claim("The attack killed 12 people."),
        [make_evidence("The attack killed 12 civilians.")],
    )
    assert same.label is Label.SUPPORTED


def test_a_span_of_time_in_other_words_conflicts_on_its_value():
    verifier = NLIVerifier(RelatedScorer())
    claim = make_claim("The strike ended after three weeks.")
    verdict = verifier.verify(claim, [make_evidence("The strike ended after three days.")])
    assert verdict.label is Label.REFUTED and "three days" in verdict.rationale
    same = verifier.verify(claim, [make_evidence("The strike ended after 21 days.")])
    assert same.label is Label.SUPPORTED


def test_number_conflict_refutes_and_legacy_without_checks_supports():
    evidence = make_evidence("The tower is 300 metres tall.")
    claim = make_claim("The tower is 330 metres tall.")
    cautious = NLIVerifier(FakeScorer(), pair_windows=False).verify(claim, [evidence])
    legacy = NLIVerifier(
        FakeScorer(), pair_windows=False, mismatch_checks=False, policy=Policy(legacy=True)
    ).verify(claim, [evidence])
    assert cautious.label is Label.REFUTED
    assert legacy.label is Label.SUPPORTED


def test_a_sentence_about_something_else_is_context_not_support():
    evidence = make_evidence("In 2009, Kazan recorded many visitors in its tourism season.")
    verdict = NLIVerifier(FakeScorer()).verify(
        make_claim("The BRICS group began in 2009."), [evidence]
    )
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert [c.stance for c in verdict.citations] == ["neutral"]
    assert "about something else" in verdict.rationale


def test_a_markdown_heading_is_never_evidence():
    evidence = make_evidence("# Other facts")
    verdict = NLIVerifier(FakeScorer()).verify(make_claim("Other facts are facts."), [evidence])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert all(c.stance == "neutral" for c in verdict.citations)


def test_evidence_split_over_two_sentences_supports_through_a_window():
    scorer = WindowScorer()
    evidence = make_evidence(
        "Brics began with a first summit in Yekaterinburg in 2009. It then had four members."
    )
    claim = make_claim("Brics began in 2009 with four members.")
    verdict = NLIVerifier(scorer).verify(claim, [evidence])
    assert verdict.label is Label.SUPPORTED
    assert [c.sentence_index for c in verdict.citations] == [0, 1]
    assert "Read together" in verdict.rationale


def test_sentences_read_together_without_the_claims_predicate_do_not_support():
    """The model reads sentences on the claim's topic as entailing what none of them
    states; a window must state the claim's predicate (here "began")."""
    evidence = make_evidence(
        "Brics held its first summit in Yekaterinburg in 2009. It then had four members."
    )
    claim = make_claim("Brics began in 2009 with four members.")
    verdict = NLIVerifier(WindowScorer()).verify(claim, [evidence])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert all(c.stance == "neutral" for c in verdict.citations)


class WindowScorer(FakeScorer):
    """Entails only when the evidence holds both 2009 and "four"."""

    def probabilities(self, pairs):
        self.calls.append(list(pairs))
        out = np.tile([0.05, 0.05, 0.9], (len(pairs), 1))
        for i, (_, evidence) in enumerate(pairs):
            if "2009" in evidence and "four" in evidence:
                out[i] = [0.9, 0.05, 0.05]
        return out


def test_best_sentences_are_read_first_and_the_count_is_bounded():
    evidence = make_evidence("A one. B two. C three. D four. E five. F six. G seven.")
    evidence = evidence.model_copy(update={"best_sentences": [5, 2]})
    verifier = NLIVerifier(FakeScorer(), sentences_per_passage=3, pair_windows=False)
    assert [u.text for u in verifier.units([evidence])] == ["F six.", "C three.", "A one."]


def test_only_units_about_the_claim_are_scored():
    """A sentence not about the claim can neither support nor refute it: the model does
    not read it (it is context, neutral)."""
    evidence = make_evidence("The tower is 300 metres tall. Cats purr loudly at night.")
    scorer = FakeScorer()
    verdict = NLIVerifier(scorer, pair_windows=False).verify(
        make_claim("The tower is 300 metres tall."), [evidence]
    )
    assert verdict.label is Label.SUPPORTED
    assert [e for call in scorer.calls for _, e in call] == ["The tower is 300 metres tall."]


def test_windows_pair_the_best_sentences_with_their_neighbours():
    evidence = make_evidence("A one. B two. C three. D four. E five.")
    evidence = evidence.model_copy(update={"best_sentences": [2, 4]})
    units = NLIVerifier(FakeScorer(), sentences_per_passage=2).units([evidence])
    texts = [u.text for u in units]
    assert texts[:3] == ["C three. D four.", "B two. C three.", "C three. E five."]
    assert [u.consecutive for u in units[:3]] == [True, True, False]
    assert texts[3:] == ["C three.", "E five."]


def test_leads_of_three_passages_are_read_together():
    passages = [make_evidence(f"Alpha {i}. Beta {i}.", pid=f"p{i}", rank=i + 1) for i in range(3)]
    texts = [u.text for u in NLIVerifier(FakeScorer(), sentences_per_passage=2).units(passages)]
    assert "Alpha 0. Alpha 1. Alpha 2." in texts


def test_sentences_of_several_passages_support_only_if_each_is_about_the_claim():
    claim = make_claim("Mr Putin has not yet commented on the troop reports.")
    evidence = [
        make_evidence("Mr Modi met Mr Putin in Kazan on Tuesday.", pid="a", rank=1),
        make_evidence("The troop reports were denied by officials.", pid="b", rank=2),
    ]
    verdict = NLIVerifier(FakeScorer()).verify(claim, evidence)  # every unit "entails"
    assert verdict.label is not Label.SUPPORTED


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


def test_calibration_round_trips_through_its_file_keeping_unknown_fields(tmp_path: Path):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"temperature": 1.2, "heldout": {"pairs": 10}}))
    calibration = Calibration.from_file(path)
    assert calibration.max_length == MAX_LENGTH and calibration.decide is None
    calibration.write(tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["heldout"] == {"pairs": 10} and again["temperature"] == 1.2
    assert "claim_confidence" in again


def test_the_shipped_calibration_reads():
    calibration = Calibration.from_file(DEFAULT_MODEL_DIR / "calibration.json")
    assert calibration.temperature > 0 and calibration.claim_map.x


def test_legacy_joined_units_never_refute():
    claim = make_claim("The tower is 330 metres tall.")
    evidence = [make_evidence("The tower is 300 metres tall.", pid="a", rank=1)]
    scorer = FakeScorer()
    verifier = NLIVerifier(scorer, policy=Policy(legacy=True))
    units = verifier.units(evidence + [make_evidence("Cats purr loudly.", pid="b", rank=2)])
    probs, _ = verifier.score(claim.text, units)
    joined = [i for i, u in enumerate(units) if len(u.parts) > 1]
    assert joined and all(probs[i, CONTRADICTS] == 0.0 for i in joined)


def test_weekdays_of_a_dated_page_are_read_as_dates():
    from datetime import date

    from claims.nli.verifier import dated

    published = date(2024, 10, 24)  # a Thursday
    assert dated("The Duma voted on Thursday.", published) == (
        "The Duma voted on Thursday (24 October 2024)."
    )
    assert dated("Mr Modi spoke on Tuesday.", published) == (
        "Mr Modi spoke on Tuesday (22 October 2024)."
    )
    assert dated("On Tuesday, 22 October, he spoke.", published) == (
        "On Tuesday, 22 October, he spoke."
    )
    assert dated("The Duma voted on Thursday.", None) == "The Duma voted on Thursday."


def test_the_model_reads_the_claims_own_weekday_as_the_claim_writes_it():
    from claims.nli.verifier import as_model_reads

    evidence = make_evidence("The blaze began on Sunday close to Redmont.")
    page = evidence.passage.model_copy(update={"published": date(2025, 8, 13)})
    evidence = evidence.model_copy(update={"passage": page})
    verifier = NLIVerifier(FakeScorer())
    units = verifier.units([evidence])
    started = "The fire started on Sunday near Redmont."
    # the claim's article of that week: the page's Sunday is the claim's, read undated
    [(_, text)] = verifier.pairs(started, units, date(2025, 8, 14))
    assert text == "The blaze began on Sunday close to Redmont."
    # a week later, or with no article date, the page's Sunday stays a date
    dated_text = "The blaze began on Sunday (10 August 2025) close to Redmont."
    assert verifier.pairs(started, units, date(2025, 8, 21)) == [(started, dated_text)]
    assert verifier.pairs(started, units) == [(started, dated_text)]
    # a claim that names the date reads the day as its date
    [(_, text)] = verifier.pairs("The fire started on 10 August 2025.", units, date(2025, 8, 14))
    assert text == dated_text
    # only the claim's own weekday is left undated
    assert as_model_reads(
        "It began on Sunday.",
        "It began on Sunday (10 August 2025) and ended on Monday (11 August 2025).",
        date(2025, 8, 14),
    ) == ("It began on Sunday and ended on Monday (11 August 2025).")


def test_a_day_of_the_month_gets_the_pages_year_only_where_the_claim_has_it():
    from datetime import date

    from claims.nli.verifier import dated
    from claims.numeric_checks import years as years_of

    published = date(2025, 3, 3)
    sentence = "The strike began on Monday 3 March after talks broke down."
    claim_years = years_of("The strike began on 3 March 2025.")
    assert dated(sentence, published, claim_years) == (
        "The strike began on Monday 3 March 2025 after talks broke down."
    )
    # another year is never written in: a page's year must not contradict a claim
    assert dated(sentence, published, years_of("It began on 3 March 2024.")) == sentence
    assert dated(sentence, published) == sentence
    # a sentence with a year of its own keeps its dates as written
    history = "The 1998 strike began on 3 March."
    assert dated(history, published, claim_years) == history
    # the year that puts the day nearest the page: early January on a December page
    assert dated("Talks resume on 5 January.", date(2024, 12, 20), frozenset({2025})) == (
        "Talks resume on 5 January 2025."
    )


class JointScorer(FakeScorer):
    """Entails only when the evidence holds both "declaration" and "Thursday"."""

    def probabilities(self, pairs):
        self.calls.append(list(pairs))
        out = np.tile([0.05, 0.05, 0.9], (len(pairs), 1))
        for i, (_, evidence) in enumerate(pairs):
            if "declaration" in evidence and "Thursday" in evidence:
                out[i] = [0.9, 0.05, 0.05]
        return out


def test_a_sentence_a_joint_reading_does_not_need_is_not_cited_as_support():
    texts = [
        "The Kazan summit adopted a declaration.",
        "The Kazan summit ended on Thursday.",
        "The Kazan summit had many guests.",
    ]
    evidence = [make_evidence(t, pid=f"p{i}", rank=i + 1) for i, t in enumerate(texts)]
    claim = make_claim("The Kazan summit adopted a declaration on Thursday.")
    scorer = JointScorer()
    verdict = NLIVerifier(scorer).verify(claim, evidence)
    assert verdict.label is Label.SUPPORTED
    assert [c.text for c in verdict.citations] == texts[:2]
    assert "many guests" not in verdict.rationale
    assert len(scorer.calls) == 2  # the units, then the narrower readings of the joined one


def test_a_second_supporting_source_is_named_in_the_reason():
    def titled(text: str, pid: str, rank: int, title: str):
        evidence = make_evidence(text, pid=pid, rank=rank)
        passage = evidence.passage.model_copy(
            update={"title": title, "doc_id": pid, "published": date(2024, 10, 22)}
        )
        return evidence.model_copy(update={"passage": passage})

    evidence = [
        titled("The tower is 300 metres tall.", "a", 1, "Tower facts"),
        titled("Visitors learn the tower is 300 metres tall.", "b", 2, "City guide"),
    ]
    verdict = NLIVerifier(FakeScorer(), pair_windows=False).verify(
        make_claim("The tower is 300 metres tall."), evidence
    )
    assert verdict.label is Label.SUPPORTED
    assert verdict.rationale.endswith("“City guide” (22 October 2024) agrees.")
    assert "source(s)" not in verdict.rationale


class HabitScorer(FakeScorer):
    """Reads a pair as a contradiction where ``habit(claim, evidence)`` holds (a habit of
    the model's: an added date, a figure written otherwise), else as FakeScorer."""

    def __init__(self, habit) -> None:
        super().__init__()
        self.habit = habit

    def probabilities(self, pairs):
        out = super().probabilities(pairs)
        for i, (claim, evidence) in enumerate(pairs):
            if self.habit(claim, evidence):
                out[i] = [0.2, 0.7, 0.1]
        return out


def test_a_sentence_is_read_without_a_date_it_adds_to_the_claim():
    evidence = make_evidence(
        "Russia's parliament unanimously ratified a defence treaty with North Korea"
        " in October 2024."
    )
    claim = make_claim("Russia's parliament ratified a defence treaty with North Korea.")
    scorer = HabitScorer(lambda claim, evidence: "2024" in evidence and "2024" not in claim)
    verdict = NLIVerifier(scorer, pair_windows=False).verify(claim, [evidence])
    assert verdict.label is Label.SUPPORTED
    assert verdict.citations[0].text == evidence.passage.text  # the sentence as written
    focus = "Russia's parliament unanimously ratified a defence treaty with North Korea."
    assert (claim.text, focus) in scorer.calls[-1]


def test_a_figure_written_otherwise_is_read_as_the_claim_writes_it():
    evidence = make_evidence("The company reported a profit of 5 billion dollars for the year.")
    claim = make_claim("The company reported a profit of $5bn.")
    scorer = HabitScorer(lambda claim, evidence: "$5bn" in claim and "$5bn" not in evidence)
    verdict = NLIVerifier(scorer, pair_windows=False).verify(claim, [evidence])
    assert verdict.label is Label.SUPPORTED
    assert verdict.citations[0].text == evidence.passage.text  # the sentence as written
    # its focus ("for the year" adds a time the claim does not speak of), as claimed
    assert (claim.text, claim.text) in scorer.calls[-1]
    # another value is a conflict, read as written
    other = make_evidence("The company reported a profit of $3bn for the year.")
    assert NLIVerifier(scorer, pair_windows=False).verify(claim, [other]).label is Label.REFUTED


def test_a_weekday_of_a_dated_page_gives_the_claims_date():
    evidence = make_evidence("Mr Modi said on Tuesday that he wanted peace.")
    passage = evidence.passage.model_copy(update={"published": date(2024, 10, 23)})
    evidence = evidence.model_copy(update={"passage": passage})
    claim = make_claim("Mr Modi said on 22 October 2024 that he wanted peace.")
    verdict = NLIVerifier(FakeScorer(), pair_windows=False).verify(claim, [evidence])
    assert verdict.label is Label.SUPPORTED


def test_the_year_of_a_sentence_is_its_pages_title_year_where_the_claim_has_it():
    from claims.nli.verifier import dated
    from claims.numeric_checks import years as years_of

    sentence = "The company delivered 95,000 vehicles during the year."
    title = "Marlow Motors: full-year results 2024"
    claimed = years_of("The company sold 95,000 cars in 2024.")
    assert dated(sentence, None, claimed, title) == (
        "The company delivered 95,000 vehicles during the year (2024)."
    )
    # another year, a title with two years, a sentence with its own year: as written
    assert dated(sentence, None, years_of("… in 2023."), title) == sentence
    assert dated(sentence, None, claimed, "Results 2023 and 2024") == sentence
    own = "The company delivered 95,000 vehicles during the year to March 2025."
    assert dated(own, None, claimed, title) == own
    ahead = "The company expects to deliver 95,000 vehicles in the year ahead."
    assert dated(ahead, None, claimed, title) == ahead


def test_a_sentence_of_another_page_whose_subject_is_a_pronoun_lends_nothing():
    from claims.models import Evidence
    from tests.fakes import make_passage

    def page(text: str, pid: str, doc: str) -> Evidence:
        return Evidence(passage=make_passage(text, pid=pid, source=doc), score=1.0, rank=1)

    claim = make_claim("The Kelby rail line will have four new stations.")
    line = page("The government approved the Kelby rail line on Wednesday.", "p1", "rail")
    tram = page("It will have four new stations and create 900 jobs.", "p2", "tram")
    verdict = NLIVerifier(FakeScorer()).verify(claim, [line, tram])
    assert verdict.label is not Label.SUPPORTED  # "it" is the other page's tram extension
    # a passage of the same document may go on about what it named before
    same_page = page("It will have four new stations and create 900 jobs.", "p2", "rail")
    assert NLIVerifier(FakeScorer()).verify(claim, [line, same_page]).label is Label.SUPPORTED
    named = page("The Kelby rail line will have four new stations.", "p2", "tram")
    assert NLIVerifier(FakeScorer()).verify(claim, [line, named]).label is Label.SUPPORTED
    from claims.nli.align import profile, refers_back

    assert refers_back(profile("It will have four new stations."))
    assert not refers_back(profile("The line will have four new stations."))


def test_the_day_a_claim_names_is_dated_by_its_article():
    from datetime import date

    from claims.nli.align import profile
    from claims.nli.verifier import claimed_day

    def day(text: str, published: date | None = date(2025, 4, 10)) -> date | None:
        return claimed_day(profile(text), published)

    assert day("Shares in Orlen rose 8% on Wednesday.") == date(2025, 4, 9)
    assert day("Shares in Orlen rose 8% on Wednesday.", None) is None
    assert day("It opened on 3 March 2021 and closed on April 9, 2024.") == date(2024, 4, 9)
    # a month or a year alone names no day; nor does an impossible date
    assert day("Rates rose in May 2024.") is None
    assert day("It was signed on 31 February 2020.") is None
    # the day of a saying is not the day of what was said
    assert day("About 12,000 people have fled their homes, officials said on Wednesday.") is None


def test_a_page_published_before_the_claims_day_does_not_confirm_it():
    from datetime import date

    claim = make_claim("Shares in Orlen rose 8% on Wednesday.")
    claim = claim.model_copy(update={"article_date": date(2025, 4, 10)})
    verifier = NLIVerifier(FakeScorer(), pair_windows=False)
    page = make_evidence("Shares in Orlen rose 8% on Wednesday.")
    page.passage.published = date(2025, 1, 16)  # another Wednesday's
    verdict = verifier.verify(claim, [page])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "published before the time the claim tells of" in verdict.rationale
    # the page of the claim's Wednesday, or one of the next day, confirms it
    for published in (date(2025, 4, 9), date(2025, 4, 10)):
        page.passage.published = published
        assert verifier.verify(claim, [page]).label is Label.SUPPORTED
    # a claim of what will be or is due is not dated so
    for text in (
        "Shares in Orlen will be listed in Paris on Wednesday.",
        "Rajan Mehta is due to meet President Clara Duarte on Wednesday.",
    ):
        ahead = make_claim(text).model_copy(update={"article_date": date(2025, 4, 10)})
        page = make_evidence(text)
        page.passage.published = date(2025, 4, 1)
        assert verifier.verify(ahead, [page]).label is Label.SUPPORTED, text


def needing_article(text: str, names: list[str]) -> Claim:
    """A claim the extraction marked as needing its article, with the article's names."""
    return make_claim(text).model_copy(update={"needs_context": True, "context_names": names})


def test_the_reason_places_a_pronoun_sentence_as_the_verdict_does():
    claim = needing_article("It was the hottest day of the year so far.", ["Brindley"])
    page = make_evidence(
        "Temperatures reached 39C in Kessel on Tuesday. It was the hottest day of the year so far."
    )
    verdict = NLIVerifier(FakeScorer(), pair_windows=False).verify(claim, [page])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "is about Kessel, which the article does not name" in verdict.rationale


def test_a_title_word_its_page_writes_as_a_name_places_a_sentence_that_names_nothing():
    claim = needing_article("Turnout was 71%, the highest since 1998.", ["Civic Union", "Westmark"])
    page = make_evidence(
        "The centre-right won 64 of the 150 seats in Ostland's election on Sunday. "
        "Turnout was 71%, the highest since 1998."
    )
    page.passage.title = "Ostland election"
    verifier = NLIVerifier(FakeScorer(), pair_windows=False)
    verdict = verifier.verify(claim, [page])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "is about Ostland, which the article does not name" in verdict.rationale
    # the capitals of a headline are no names: the page does not write them so
    page.passage.title = "Record turnout as polls close"
    assert verifier.verify(claim, [page]).label is Label.SUPPORTED
    # "off" places a name too
    missing = needing_article("Dozens of people are still missing.", ["Pelago", "Port Amara"])
    corra = make_evidence(
        "At least 31 people died when a ferry sank off Corra on Thursday. "
        "Dozens of people are still missing."
    )
    corra.passage.title = "Ferry sinks off Corra"
    assert verifier.verify(missing, [corra]).label is Label.NOT_ENOUGH_INFO
    # so does a kind of place before it: "under the River Leen" (tagged a law)
    trains = needing_article("Trains will run every 10 minutes at peak times.", ["River Tave"])
    leen = make_evidence(
        "Another tunnel, under the River Leen, opened to passengers on Monday. "
        "Trains will run every 10 minutes at peak times."
    )
    leen.passage.title = "Leen tunnel opens"
    verdict = verifier.verify(trains, [leen])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "is about Leen, which the article does not name" in verdict.rationale
    # and so does one that says which thing of a kind: "the Riverside festival", and
    # "Kelby council", which the parser reads as a name at a sentence's start
    police = needing_article("Police said two people had been treated in hospital.", ["Greenvale"])
    for title, text in (
        ("Riverside festival line-up", "The Lanterns were due to close the Riverside festival."),
        ("Kelby library closures", "Kelby council is closing three libraries."),
    ):
        page = make_evidence(f"{text} Police said two people had been treated in hospital.")
        page.passage.title = title
        verdict = verifier.verify(police, [page])
        assert verdict.label is Label.NOT_ENOUGH_INFO, title
        assert f"is about {title.split()[0]}, which the article does not name" in verdict.rationale


def test_a_claim_that_needs_its_article_is_read_so_without_the_articles_names_too():
    # a claim from the LLM extraction or a desk carries no names of its article
    claim = needing_article("It was the hottest day of the year so far.", [])
    page = make_evidence(
        "Temperatures reached 39C in Kessel on Tuesday. It was the hottest day of the year so far."
    )
    verdict = NLIVerifier(FakeScorer(), pair_windows=False).verify(claim, [page])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "is about Kessel, which the article does not name" in verdict.rationale


def dated_claim(text: str, day: date) -> Claim:
    """A claim of an article published on ``day``."""
    return make_claim(text).model_copy(update={"article_date": day})


def dated_page(text: str, day: date):
    """A one-passage page published on ``day``."""
    page = make_evidence(text)
    page.passage.published = day
    return page


def test_an_age_on_a_page_much_older_than_the_article_is_no_conflict():
    claim = dated_claim("Lind, 52, was appointed in June 2023.", date(2025, 3, 10))
    verifier = NLIVerifier(FakeScorer(), pair_windows=False)
    page = dated_page("Lind, 50, was appointed in June 2023.", date(2023, 6, 14))
    assert verifier.verify(claim, [page]).label is not Label.REFUTED
    # a page of the same days gives the age of the claim's time
    page.passage.published = date(2025, 3, 9)
    verdict = verifier.verify(claim, [page])
    assert verdict.label is Label.REFUTED
    assert "gives 50; the claim says 52" in verdict.rationale


def test_a_sentence_naming_only_who_spoke_is_placed_by_its_title():
    claim = needing_article("It was the worst outage in the city since 2019.", ["Marlowe"])
    page = make_evidence(
        "Grid East said power had been restored to 31,000 homes by 10pm. It was the worst "
        "outage in the city since 2019."
    )
    page.passage.title = "Thousands without power in Dunmore"
    verifier = NLIVerifier(FakeScorer(), pair_windows=True)
    verdict = verifier.verify(claim, [page])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "Dunmore" in verdict.rationale


def test_undated_words_are_not_read_from_a_page_long_before_the_article():
    words = "Greenvale's director, Paula Keane, said she was heartbroken."
    claim = dated_claim(words, date(2025, 6, 23))
    verifier = NLIVerifier(FakeScorer(), pair_windows=False)
    page = dated_page(words, date(2010, 6, 27))
    verdict = verifier.verify(claim, [page])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert "published before the time the claim tells of" in verdict.rationale
    # a page of the article's days may report them, and a claim with a year is its own
    page.passage.published = date(2025, 6, 22)
    assert verifier.verify(claim, [page]).label is Label.SUPPORTED
    then = "In 2010, Paula Keane said she was heartbroken."
    old = dated_page(then, date(2010, 6, 27))
    assert verifier.verify(dated_claim(then, date(2025, 6, 23)), [old]).label is Label.SUPPORTED
