"""The offline verifier beside an LLM verdict: agreement, disagreement, failures, exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest

from claims.crosscheck import CrossCheckedVerifier
from claims.errors import EndpointError, ModelError
from claims.factory import build_verifier
from claims.models import Article, Claim, CrossCheck, Evidence, Label, Report, Verdict
from claims.nli import NLIVerifier
from claims.pipeline import check_article
from claims.settings import Settings
from claims.verify_llm import LLMVerifier
from eval.report import cross_check_summary
from tests.fakes import FakeExtractor, FakeRetriever, FakeVerifier, make_claim, make_evidence
from ui.app.exports import to_csv, to_markdown
from ui.cli.check import print_report


class FixedVerifier:
    """Always the same label; raises ``error`` when given one."""

    def __init__(self, label: Label, *, name: str = "fixed", error: Exception | None = None):
        self.label, self.name, self.error = label, name, error
        self.calls = 0

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return Verdict(label=self.label, confidence=0.8, verifier=self.name, rationale="fixed")


CLAIM = make_claim("Brics began in 2009 with four members.")
EVIDENCE = [
    make_evidence("Brics began in 2009 with four members: Brazil, Russia, India and China.")
]


def test_agreeing_checker_is_attached_and_the_verdict_is_unchanged() -> None:
    primary = FixedVerifier(Label.SUPPORTED, name="llm")
    verdict = CrossCheckedVerifier(primary, FixedVerifier(Label.SUPPORTED, name="nli")).verify(
        CLAIM, EVIDENCE
    )
    assert verdict.label is Label.SUPPORTED and verdict.verifier == "llm"
    assert verdict.rationale == "fixed" and verdict.confidence == 0.8
    assert verdict.cross_check == CrossCheck(
        verifier="nli", label=Label.SUPPORTED, confidence=0.8, rationale="fixed", agrees=True
    )


def test_disagreeing_checker_is_flagged_not_voted() -> None:
    verifier = CrossCheckedVerifier(
        FixedVerifier(Label.SUPPORTED, name="llm"), FixedVerifier(Label.REFUTED, name="nli")
    )
    verdict = verifier.verify(CLAIM, EVIDENCE)
    assert verdict.label is Label.SUPPORTED, "the cross-check never replaces the verdict"
    assert verdict.cross_check.label is Label.REFUTED and verdict.cross_check.agrees is False
    assert verifier.name == "llm + cross-check nli"


def test_checker_failure_is_recorded_and_the_verdict_stands() -> None:
    checker = FixedVerifier(Label.SUPPORTED, name="nli", error=ModelError("model file is corrupt"))
    verdict = CrossCheckedVerifier(FixedVerifier(Label.REFUTED, name="llm"), checker).verify(
        CLAIM, EVIDENCE
    )
    assert verdict.label is Label.REFUTED
    check = verdict.cross_check
    assert check.label is None and check.agrees is None
    assert check.failure.stage == "cross_check" and check.failure.error == "ModelError"
    assert "corrupt" in check.failure.message


def test_primary_failure_fails_the_claim_and_skips_the_checker() -> None:
    checker = FixedVerifier(Label.SUPPORTED, name="nli")
    report = check_article(
        Article(text="Brics began in 2009 with four members."),
        extractor=FakeExtractor(),
        retriever=FakeRetriever(["Brics began in 2009."]),
        verifier=CrossCheckedVerifier(FakeVerifier(fail_on="Brics"), checker),
        settings=Settings(),
    )
    assert report.n_failed == 1 and report.claims[0].verdict is None
    assert report.claims[0].failure.stage == "verify" and checker.calls == 0


def test_a_cross_check_holds_a_label_or_a_failure() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        CrossCheck(verifier="nli")
    with pytest.raises(ValueError, match="confidence"):
        CrossCheck(verifier="nli", label=Label.SUPPORTED)


def test_factory_wraps_the_llm_verifier_with_the_shipped_nli_model() -> None:
    settings = Settings(llm="openai", openai_base_url="http://127.0.0.1:9/v1", model="m-1")
    verifier = build_verifier(settings, None)
    assert isinstance(verifier, CrossCheckedVerifier)
    assert isinstance(verifier.primary, LLMVerifier) and isinstance(verifier.checker, NLIVerifier)
    plain = build_verifier(settings.model_copy(update={"cross_check": False}), None)
    assert isinstance(plain, LLMVerifier)
    assert Settings.from_env({"CLAIMSCOPE_CROSS_CHECK": "0"}).cross_check is False
    assert not isinstance(build_verifier(Settings(llm="none"), None), CrossCheckedVerifier)


def test_real_nli_checker_catches_a_wrong_llm_verdict_on_a_date() -> None:
    """The shipped model, not a fake: an LLM that calls a wrong year SUPPORTED is flagged."""
    claim = make_claim("South Africa joined the group in 2012.")
    evidence = [make_evidence("South Africa joined the Brics group in 2010.")]
    verdict = CrossCheckedVerifier(
        FixedVerifier(Label.SUPPORTED, name="llm"), NLIVerifier.load()
    ).verify(claim, evidence)
    assert verdict.cross_check.label is Label.REFUTED and verdict.cross_check.agrees is False
    assert verdict.cross_check.citations[0].text == "South Africa joined the Brics group in 2010."


def _report() -> Report:
    article = "Brics began in 2009 with four members. South Africa joined the group in 2012."
    checker = FixedVerifier(Label.REFUTED, name="nli-test")

    class ByText:
        name = "checker"

        def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
            if "2012" in claim.text:
                raise EndpointError("checker down")
            return checker.verify(claim, evidence)

    return check_article(
        Article(text=article, title="t"),
        extractor=FakeExtractor(),
        retriever=FakeRetriever(["Brics began in 2009 with four members."]),
        verifier=CrossCheckedVerifier(FakeVerifier(), ByText()),
        settings=Settings(),
    )


def test_exports_and_cli_show_the_cross_check() -> None:
    report = _report()
    rows = list(csv.DictReader(io.StringIO(to_csv(report, {}))))
    assert [r["cross_check_verdict"] for r in rows] == ["REFUTED", "FAILED"]
    assert [r["cross_check_agrees"] for r in rows] == ["no", ""]
    assert (
        rows[0]["machine_verdict"] == "SUPPORTED" and rows[0]["cross_check_confidence"] == "0.800"
    )
    markdown = to_markdown(report, {})
    assert (
        "**Offline cross-check** (`nli-test`): REFUTED (confidence 0.80), **disagrees**" in markdown
    )
    assert "failed: EndpointError: checker down" in markdown
    out = io.StringIO()
    print_report(report, out)
    text = out.getvalue()
    assert "cross-check: REFUTED (0.80), DISAGREES [nli-test]" in text
    assert "cross-check: FAILED (EndpointError: checker down) [checker]" in text
    assert "the offline cross-check disagrees on claims 1: review those first" in text


def test_eval_summary_of_the_cross_check() -> None:
    def row(gold: str, predicted: str, second: str | None) -> dict:
        check = (
            {"verifier": "nli", "label": second, "agrees": second == predicted}
            if second
            else {
                "verifier": "nli",
                "failure": {"stage": "cross_check", "error": "E", "message": "m"},
            }
        )
        return {"gold": gold, "predicted": predicted, "cross_check": check}

    rows = [
        row("SUPPORTED", "SUPPORTED", "SUPPORTED"),
        row("REFUTED", "REFUTED", "REFUTED"),
        row("REFUTED", "SUPPORTED", "REFUTED"),
        row("SUPPORTED", "REFUTED", "SUPPORTED"),
        row("SUPPORTED", "SUPPORTED", None),
    ]
    summary = cross_check_summary(rows, ["SUPPORTED", "REFUTED"])
    assert summary["n"] == 4 and summary["n_failed"] == 1 and summary["n_agree"] == 2
    assert summary["agreement"] == 0.5
    assert summary["accuracy_when_agree"] == 1.0 and summary["accuracy_when_disagree"] == 0.0
    assert summary["checker_accuracy"] == 1.0 and summary["checker_macro_f1"] == 1.0
    assert (
        cross_check_summary([{"gold": "SUPPORTED", "predicted": "SUPPORTED"}], ["SUPPORTED"])
        is None
    )
