"""`claimscope check` in LLM mode: real ChatOpenAI, a local OpenAI-compatible server, real Chroma."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.openai_server import Fail, OpenAIServer, Recorded, rule_based_answer
from ui.cli import main as cli

pytestmark = pytest.mark.integration

SECRET = "sk-cli-test-9876543210fedcba"
SOURCES = {
    "brics.txt": (
        "Brics is a group of emerging economies. Brics began in 2009 with four members: "
        "Brazil, Russia, India and China. South Africa joined the group in 2010."
    ),
    "kazan.md": "# Kazan summit\n\nThe 2024 Brics summit was held in the Russian city of Kazan.",
}
ARTICLE = (
    "Brics began in 2009 with four members. Many think the group matters. "
    "South Africa joined the group in 2012."
)


@pytest.fixture(scope="module")
def kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-llm")
    sources = root / "sources"
    sources.mkdir()
    for name, text in SOURCES.items():
        (sources / name).write_text(text, encoding="utf-8")
    home = root / "home"
    assert cli.main(["--home", str(home), "ingest", str(sources), "--no-progress"]) == 0
    return home


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer(responder=rule_based_answer) as running:
        yield running


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def llm_env(monkeypatch: pytest.MonkeyPatch, base_url: str, home: Path, method: str) -> None:
    monkeypatch.setenv("CLAIMSCOPE_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "test-model")
    monkeypatch.setenv("CLAIMSCOPE_STRUCTURED_METHOD", method)
    monkeypatch.setenv("CLAIMSCOPE_LLM_TIMEOUT", "5")
    monkeypatch.setenv("CLAIMSCOPE_HOME", str(home))


def check(capsys: pytest.CaptureFixture[str], article: Path) -> tuple[int, str, str]:
    code = cli.main(["check", str(article), "--json"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_check_in_llm_mode_gives_exact_spans_and_cited_verdicts(
    kb_home, server, article, monkeypatch, capsys, method
) -> None:
    llm_env(monkeypatch, server.base_url, kb_home, method)
    code, out, err = check(capsys, article)

    assert code == 0, err
    report = json.loads(out)
    assert report["extractor"] == "llm:test-model"
    assert report["verifier"] == "llm:test-model + cross-check nli-minilm-l6"
    by_span = {item["claim"]["span"]["text"]: item for item in report["claims"]}
    assert set(by_span) == {
        "Brics began in 2009 with four members.",
        "South Africa joined the group in 2012.",
    }
    for item in report["claims"]:
        span = item["claim"]["span"]
        assert ARTICLE[span["start"] : span["end"]] == span["text"]
        assert item["failure"] is None
        assert item["evidence"], "the knowledge base returned evidence"
    supported = by_span["Brics began in 2009 with four members."]["verdict"]
    assert supported["label"] == "SUPPORTED"
    assert supported["citations"][0]["source"].endswith("brics.txt")
    assert "Brics began in 2009 with four members" in supported["citations"][0]["text"]
    refuted = by_span["South Africa joined the group in 2012."]["verdict"]
    assert refuted["label"] == "REFUTED"
    assert refuted["citations"][0]["text"] == "South Africa joined the group in 2010."
    # the shipped offline model judged the same evidence beside each LLM verdict
    for verdict in (supported, refuted):
        assert verdict["verifier"] == "llm:test-model"
        opinion = verdict["cross_check"]
        assert opinion["verifier"] == "nli-minilm-l6" and opinion["failure"] is None
        assert opinion["agrees"] == (opinion["label"] == verdict["label"])
        assert opinion["citations"], "the cross-check quotes the sentences it relied on"
    assert refuted["cross_check"]["label"] == "REFUTED", "2012 against 2010: the date check"
    assert report["usage"]["calls"] == 3 and report["usage"]["prompt_tokens"] > 0
    assert {r.structured_method for r in server.requests} == {method}
    assert SECRET not in out and SECRET not in err


def test_rerun_is_answered_from_the_cache(kb_home, server, article, monkeypatch, capsys) -> None:
    llm_env(monkeypatch, server.base_url, kb_home, "json_schema")
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "rerun-model")  # a model no other test has cached
    first_code, first_out, _ = check(capsys, article)
    seen = len(server.requests)
    second_code, second_out, _ = check(capsys, article)

    assert first_code == second_code == 0
    assert seen == 3
    assert len(server.requests) == seen, "the rerun sent no request"
    first, second = json.loads(first_out), json.loads(second_out)
    assert [c["verdict"]["label"] for c in first["claims"]] == [
        c["verdict"]["label"] for c in second["claims"]
    ]
    assert [c["claim"] for c in first["claims"]] == [c["claim"] for c in second["claims"]]
    assert first["usage"]["calls"] == 3 and first["usage"]["cached_calls"] == 0
    assert second["usage"]["calls"] == 0 and second["usage"]["cached_calls"] == 3
    assert second["usage"]["prompt_tokens"] == 0


def test_offline_cross_check_flags_a_wrong_llm_verdict(
    kb_home, server, article, monkeypatch, capsys
) -> None:
    def always_supported(request: Recorded):
        answer = rule_based_answer(request)
        if "<claim>" in request.last_user and answer.get("citations"):
            return {**answer, "label": "SUPPORTED", "citations": [
                {**answer["citations"][0], "stance": "supports"}]}  # fmt: skip
        return answer

    server.responder = always_supported
    llm_env(monkeypatch, server.base_url, kb_home, "json_schema")
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "credulous-model")
    code = cli.main(["check", str(article)])
    out = capsys.readouterr().out

    assert code == 0
    second = out.split("[2] ", 1)[1]
    assert second.startswith("SUPPORTED"), "the LLM's wrong verdict is kept, not replaced"
    assert "cross-check: REFUTED" in second and "DISAGREES [nli-minilm-l6]" in second
    assert "the offline cross-check disagrees on claims" in out
    assert "2: review those first" in out

    code = cli.main(["check", str(article), "--no-cross-check", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["verifier"] == "llm:credulous-model"
    assert all(c["verdict"]["cross_check"] is None for c in report["claims"])


def test_verification_errors_are_failures_with_exit_code_1(
    kb_home, server, article, monkeypatch, capsys
) -> None:
    def fail_verification(request: Recorded):
        if "<claim>" in request.last_user:
            return Fail(500, message="verifier overloaded")
        return rule_based_answer(request)

    server.responder = fail_verification
    llm_env(monkeypatch, server.base_url, kb_home, "function_calling")
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "uncached-model")
    code, out, err = check(capsys, article)

    assert code == 1, err
    report = json.loads(out)
    assert len(report["claims"]) == 2
    for item in report["claims"]:
        assert item["verdict"] is None
        assert item["failure"]["stage"] == "verify"
        assert item["failure"]["error"] == "EndpointError"
        assert "HTTP 500" in item["failure"]["message"]
    assert SECRET not in out and SECRET not in err


def test_endpoint_refusing_connections_is_a_one_line_error(
    kb_home, article, monkeypatch, capsys
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm_env(monkeypatch, f"http://127.0.0.1:{port}/v1", kb_home, "json_schema")
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "unreachable-model")
    code, out, err = check(capsys, article)

    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[-1].startswith("claimscope: error: cannot connect to LLM endpoint")
    assert SECRET not in err
