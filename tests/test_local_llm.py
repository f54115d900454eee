"""The local LLM provider on fakes: no model is loaded and nothing is downloaded.

The in-process llama.cpp server is replaced by the local OpenAI-compatible test
server, so the real ``ChatOpenAI``, LLM verifier and extractor run unchanged
against the address and key the provider hands them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from claims import local_llm
from claims.errors import ConfigError, ModelError, ModelFileError
from claims.factory import build_extractor, build_verifier
from claims.local_llm import (
    LOCAL_MODEL_NAME,
    LocalLLMConfig,
    LocalLLMServer,
    close_shared_servers,
    shared_server,
)
from claims.model_files import LOCAL_LLM, model_path, write_stamp
from claims.models import Article, Claim, Evidence, Label, Passage, Span
from claims.settings import Settings
from tests.openai_server import OpenAIServer, rule_based_answer


@pytest.fixture(autouse=True)
def _no_shared_servers() -> Iterator[None]:
    yield
    close_shared_servers()


def install_placeholder_model(home: Path) -> Path:
    """A sparse file of the real model's size, stamped as verified: loads nothing, costs no disk."""
    path = model_path(home, LOCAL_LLM)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.truncate(LOCAL_LLM.size)
    write_stamp(path, LOCAL_LLM.sha256)
    return path


class FakeBackend:
    """Stands in for ``xllamacpp.Server``: an OpenAI-compatible server on loopback."""

    def __init__(self, server: OpenAIServer) -> None:
        self.listening_address = server.base_url.removesuffix("/v1")


class FakeStarter:
    """A backend factory that records each start and the key it was given."""

    def __init__(self, server: OpenAIServer) -> None:
        self.server = server
        self.starts: list[tuple[LocalLLMConfig, str]] = []

    def __call__(self, config: LocalLLMConfig, api_key: str) -> FakeBackend:
        self.starts.append((config, api_key))
        return FakeBackend(self.server)


@pytest.fixture()
def fake_llama(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStarter]:
    with OpenAIServer(responder=rule_based_answer) as server:
        starter = FakeStarter(server)
        monkeypatch.setattr(local_llm, "start_xllamacpp", starter)
        yield starter


def local_settings(home: Path, **overrides: object) -> Settings:
    return Settings(home=home, llm="local", **overrides)


def evidence_for(text: str) -> Evidence:
    passage = Passage(
        id="p1",
        doc_id="d1",
        text=text,
        source="atlas.txt",
        start=0,
        end=len(text),
        sentences=[Span.of(text, 0, len(text))],
    )
    return Evidence(passage=passage, score=1.0, rank=1, best_sentences=[0])


def claim_of(text: str) -> Claim:
    span = Span.of(text, 0, len(text))
    return Claim(id="c1", text=text, span=span, sentence=span, checkworthiness=0.9)


def test_settings_select_local_mode_from_the_environment(tmp_path: Path) -> None:
    env = {
        "CLAIMSCOPE_LLM": "local",
        "CLAIMSCOPE_LOCAL_MODEL": str(tmp_path / "m.gguf"),
        "CLAIMSCOPE_LOCAL_THREADS": "3",
    }
    settings = Settings.from_env(env)
    assert settings.llm == "local"
    config = LocalLLMConfig.from_settings(settings)
    assert config.model_path == tmp_path / "m.gguf"
    assert config.threads == 3


def test_default_model_path_is_the_installed_one(tmp_path: Path) -> None:
    config = LocalLLMConfig.from_settings(local_settings(tmp_path))
    assert config.model_path == model_path(tmp_path, LOCAL_LLM)
    assert config.threads == (os.cpu_count() or 1)


def test_verifier_runs_the_openai_code_path_against_the_local_server(
    tmp_path: Path, fake_llama: FakeStarter
) -> None:
    install_placeholder_model(tmp_path)
    verifier = build_verifier(local_settings(tmp_path), embedder=None)
    text = "The Atlas bridge opened in 1932 after four years of work."
    verdict = verifier.verify(claim_of("The Atlas bridge opened in 1932."), [evidence_for(text)])
    assert verdict.label is Label.SUPPORTED
    assert verdict.citations[0].text == text
    assert verifier.primary.name == f"llm:{LOCAL_MODEL_NAME} (verify_claim_compact)"
    assert verdict.verifier == verifier.primary.name
    assert verdict.cross_check is not None and verdict.cross_check.verifier == "nli-minilm-l6"
    [(config, key)] = fake_llama.starts
    [request] = fake_llama.server.requests
    assert request.headers["authorization"] == f"Bearer {key}"
    assert request.body["model"] == LOCAL_MODEL_NAME
    assert request.structured_method == "json_schema"
    assert config.model_path == model_path(tmp_path, LOCAL_LLM)


def test_extractor_and_verifier_share_one_loaded_model(
    tmp_path: Path, fake_llama: FakeStarter
) -> None:
    install_placeholder_model(tmp_path)
    settings = local_settings(tmp_path)
    extractor = build_extractor(settings, embedder=None)
    build_verifier(settings, embedder=None)
    assert len(fake_llama.starts) == 1
    text = "The Atlas bridge cost 12 million euros. Locals like it."
    extraction = extractor.extract(Article(text=text))
    assert [c.sentence.text for c in extraction.claims] == [
        "The Atlas bridge cost 12 million euros."
    ]


def test_local_extraction_uses_the_bounded_compact_prompt_in_paragraph_windows(
    tmp_path: Path, fake_llama: FakeStarter
) -> None:
    install_placeholder_model(tmp_path)
    extractor = build_extractor(local_settings(tmp_path), embedder=None)
    assert extractor.name == f"llm:{LOCAL_MODEL_NAME} (extract_claims_compact)"
    assert extractor.window_chars == 1200
    filler = "Locals like the view from it on summer evenings. " * 7
    paragraphs = [
        f"The Atlas bridge cost {n} million euros. {filler.strip()}" for n in range(10, 15)
    ]
    text = "\n\n".join(paragraphs)  # ~2,100 characters, one claim per paragraph: 2+ windows
    extraction = extractor.extract(Article(text=text))
    requests = fake_llama.server.requests
    assert len(requests) >= 2, "the article went in more than one window"
    schema = requests[0].body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["claims"]["maxItems"] == 6
    system = requests[0].body["messages"][0]["content"]
    assert "at most 6 claims" in system and len(system) < 900
    assert extraction.claims and all(
        text[c.span.start : c.span.end] == c.span.text for c in extraction.claims
    )
    standard = build_extractor(local_settings(tmp_path, extract_prompt="standard"), embedder=None)
    assert standard.window_chars == 6000 and standard.name == f"llm:{LOCAL_MODEL_NAME}"


def test_local_answers_are_cached_under_the_local_model_name(
    tmp_path: Path, fake_llama: FakeStarter
) -> None:
    install_placeholder_model(tmp_path)
    evidence = [evidence_for("The Atlas bridge opened in 1932.")]
    claim = claim_of("The Atlas bridge opened in 1932.")
    first = build_verifier(local_settings(tmp_path), embedder=None).verify(claim, evidence)
    close_shared_servers()
    again = build_verifier(local_settings(tmp_path), embedder=None).verify(claim, evidence)
    assert len(fake_llama.server.requests) == 1
    assert again.label == first.label
    assert again.usage.cached_calls == 1


def test_local_requests_get_the_long_local_timeout(tmp_path: Path, fake_llama: FakeStarter) -> None:
    install_placeholder_model(tmp_path)
    settings = local_settings(tmp_path, llm_timeout_s=30.0, local_timeout_s=900.0)
    chat_model = local_llm.make_local_chat_model(settings)
    assert chat_model.request_timeout == 900.0
    assert chat_model.openai_api_base.startswith("http://127.0.0.1:")


def test_missing_model_says_how_to_install_it(tmp_path: Path, fake_llama: FakeStarter) -> None:
    with pytest.raises(ModelFileError, match="claimscope models install local-llm"):
        build_verifier(local_settings(tmp_path), embedder=None)
    assert fake_llama.starts == []


def test_truncated_model_is_refused_before_loading(tmp_path: Path, fake_llama: FakeStarter) -> None:
    path = model_path(tmp_path, LOCAL_LLM)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(ModelFileError) as caught:
        build_verifier(local_settings(tmp_path), embedder=None)
    assert LOCAL_LLM.sha256 in str(caught.value)
    assert fake_llama.starts == []


def test_shared_server_restarts_after_close(tmp_path: Path, fake_llama: FakeStarter) -> None:
    install_placeholder_model(tmp_path)
    config = LocalLLMConfig.from_settings(local_settings(tmp_path))
    first = shared_server(config)
    assert shared_server(config) is first
    close_shared_servers()
    assert not first.running
    assert shared_server(config) is not first
    assert len(fake_llama.starts) == 2
    assert fake_llama.starts[0][1] != fake_llama.starts[1][1]  # a fresh key each start


def test_backend_without_an_address_is_a_model_error(tmp_path: Path) -> None:
    class Silent:
        listening_address = ""

    config = LocalLLMConfig(model_path=install_placeholder_model(tmp_path), threads=1)
    with pytest.raises(ModelError, match="no listening address"):
        LocalLLMServer(config, backend_factory=lambda c, k: Silent())


def test_missing_xllamacpp_is_a_config_error_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "xllamacpp", None)
    config = LocalLLMConfig(model_path=install_placeholder_model(tmp_path), threads=1)
    with pytest.raises(ConfigError, match=r"claimscope\[local-llm\]"):
        LocalLLMServer(config)


def test_llama_params_listen_on_loopback_with_a_key_and_no_web_ui(tmp_path: Path) -> None:
    pytest.importorskip("xllamacpp")
    config = LocalLLMConfig(model_path=tmp_path / "m.gguf", threads=2, context_tokens=4096)
    params = local_llm.llama_params(config, "secret-key")
    assert params.model.path == str(tmp_path / "m.gguf")
    assert list(params.hostnames) == ["127.0.0.1"]
    assert params.port == 0
    assert list(params.api_keys) == ["secret-key"]
    assert params.ui is False
    assert params.n_parallel == 1
    assert params.n_ctx == 4096
    assert params.cpuparams.n_threads == 2
    assert params.n_predict == config.max_answer_tokens


def test_a_load_failure_in_llama_cpp_becomes_a_model_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xllamacpp = pytest.importorskip("xllamacpp")

    def refuse(params: object) -> None:
        raise RuntimeError("failed to load model")

    monkeypatch.setattr(xllamacpp, "Server", refuse)
    config = LocalLLMConfig(model_path=install_placeholder_model(tmp_path), threads=1)
    with pytest.raises(ModelError, match="llama.cpp could not load"):
        LocalLLMServer(config)


def test_cli_accepts_local_mode(tmp_path: Path) -> None:
    from ui.cli.main import build_parser

    args = build_parser().parse_args(["check", "-", "--llm", "local"])
    assert args.llm == "local"
