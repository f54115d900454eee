import pytest
from pydantic import ValidationError

from claims.errors import ConfigError
from claims.models import Claim, ClaimResult, Failure, Label, Span, Usage, Verdict
from claims.settings import Settings


def test_span_of_points_back_to_text():
    text = "Brics began in 2009 with four members."
    span = Span.of(text, 0, 5)
    assert span.text == "Brics" and span.is_in(text)


def test_span_rejects_mismatched_text():
    with pytest.raises(ValidationError):
        Span(start=0, end=3, text="abcd")


def _claim() -> Claim:
    s = Span.of("A b.", 0, 4)
    return Claim(id="c1", text="A b.", span=s, sentence=s, checkworthiness=0.9)


def test_claim_result_holds_verdict_or_failure_not_both():
    verdict = Verdict(label=Label.SUPPORTED, confidence=0.8, verifier="t")
    failure = Failure(stage="verify", error="EndpointError", message="down")
    assert ClaimResult(claim=_claim(), verdict=verdict).verdict is verdict
    assert ClaimResult(claim=_claim(), failure=failure).failed
    with pytest.raises(ValidationError):
        ClaimResult(claim=_claim())
    with pytest.raises(ValidationError):
        ClaimResult(claim=_claim(), verdict=verdict, failure=failure)


def test_usage_adds_up():
    total = Usage(prompt_tokens=3, completion_tokens=2, calls=1) + Usage(prompt_tokens=1, calls=1)
    assert (total.prompt_tokens, total.completion_tokens, total.calls) == (4, 2, 2)
    assert total.total_tokens == 6


def test_usage_is_priced_per_million_tokens():
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=500_000)
    assert usage.cost_usd(1.0, 4.0) == pytest.approx(3.0)
    assert Usage().cost_usd(1.0, 4.0) == 0.0


def test_settings_from_env_and_overrides():
    env = {"CLAIMSCOPE_HOME": "/tmp/x", "OPENAI_API_KEY": "sk-secret", "CLAIMSCOPE_TOP_K": "7"}
    s = Settings.from_env(env, top_k=None, model="m")
    assert s.llm == "openai" and s.top_k == 7 and s.model == "m"
    assert "sk-secret" not in str(s.public_dict()) and "sk-secret" not in repr(s)


def test_settings_invalid_value_is_config_error():
    with pytest.raises(ConfigError, match="top_k"):
        Settings.from_env({"CLAIMSCOPE_TOP_K": "zero"})
