"""Settings: environment, .env and command line; `claimscope config`; the docs table."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from claims.errors import ConfigError
from claims.settings import (
    Settings,
    as_environment,
    child_environment,
    env_names,
    markdown_table,
)
from ui.cli import app as app_command
from ui.cli import main as cli

REPO = Path(__file__).resolve().parent.parent
CONFIG_DOC = REPO / "docs" / "configuration.md"


def _sample(field: str) -> tuple[str, Any]:
    """A valid value for ``field`` that differs from its default, as text and as parsed."""
    info = Settings.model_fields[field]
    kind = info.annotation
    if typing.get_origin(kind) is not typing.Literal and typing.get_args(kind):
        kind = next(a for a in typing.get_args(kind) if a is not type(None))  # X | None
    default = info.default
    if typing.get_origin(kind) is typing.Literal:
        choice = next(c for c in typing.get_args(kind) if c != default)
        return choice, choice
    if kind is bool:
        return ("false", False) if default else ("true", True)
    if kind is int:
        value = 3 if default in (None, 3) or default < 3 else default - 1
        return str(value), value
    if kind is float:
        value = 0.5 if default != 0.5 else 0.25
        return str(value), value
    if kind is Path:
        return "/tmp/claimscope-sample", Path("/tmp/claimscope-sample")
    if kind is SecretStr:
        return "sk-sample-secret", "sk-sample-secret"
    return "sample-value", "sample-value"


def _plain(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


@pytest.mark.parametrize("field", list(Settings.model_fields))
def test_every_field_is_settable_from_each_of_its_variables(field: str) -> None:
    text, expected = _sample(field)
    for name in env_names(field):
        settings = Settings.from_env({name: text})
        assert _plain(getattr(settings, field)) == expected, name


@pytest.mark.parametrize("field", list(Settings.model_fields))
def test_every_field_is_settable_from_the_command_line(field: str) -> None:
    text, expected = _sample(field)
    assert _plain(getattr(Settings.from_env({}, **{field: text}), field)) == expected


def test_every_field_has_a_description() -> None:
    missing = [name for name, info in Settings.model_fields.items() if not info.description]
    assert missing == []


def test_existing_variable_names_still_work() -> None:
    env = {
        "CLAIMSCOPE_LLM_TIMEOUT": "5",
        "CLAIMSCOPE_LOCAL_MODEL": "/m.gguf",
        "CLAIMSCOPE_CROSS_CHECK": "0",
        "CLAIMSCOPE_DATA_DIR": "/data",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    }
    settings = Settings.from_env(env)
    assert settings.llm_timeout_s == 5 and settings.local_model_path == Path("/m.gguf")
    assert settings.cross_check is False and settings.datasets_dir == Path("/data")
    assert settings.llm == "openai"  # implied by the endpoint URL
    assert Settings.from_env({**env, "CLAIMSCOPE_LLM": "local"}).llm == "local"
    assert Settings.from_env({"CLAIMSCOPE_LLM": ""}).llm == "none"  # empty means unset


def test_errors_name_the_variable_to_fix() -> None:
    with pytest.raises(ConfigError, match=r"CLAIMSCOPE_MAX_ARTICLE_CHARS \(max_article_chars\)"):
        Settings.from_env({"CLAIMSCOPE_MAX_ARTICLE_CHARS": "many"})
    with pytest.raises(ConfigError, match=r"CLAIMSCOPE_LLM_TIMEOUT \(llm_timeout_s\)"):
        Settings.from_env({}, llm_timeout_s="-1")
    with pytest.raises(ConfigError, match="unknown setting colour"):
        Settings.from_env({}, colour="blue")


def test_priority_command_line_then_environment_then_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / "settings.env"
    dotenv.write_text("CLAIMSCOPE_TOP_K=9\nCLAIMSCOPE_MODEL=from-dotenv\nUNRELATED=1\n")
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "from-env")
    settings = Settings.from_env(env_file=dotenv)
    assert (settings.top_k, settings.model) == (9, "from-env")
    assert Settings.from_env(env_file=dotenv, top_k=2).top_k == 2


def test_dotenv_in_the_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("CLAIMSCOPE_USE_CACHE=false\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(Settings.model_config, "env_file", ".env")
    assert Settings.from_env().use_cache is False


def test_with_overrides_validates_and_reads_no_environment(monkeypatch) -> None:
    base = Settings.from_env({"CLAIMSCOPE_MODEL": "base"})
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "env-model")
    assert base.with_overrides(top_k=3).model == "base"
    with pytest.raises(ConfigError, match="CLAIMSCOPE_TOP_K"):
        base.with_overrides(top_k=0)


def test_child_environment_carries_the_whole_configuration(monkeypatch) -> None:
    monkeypatch.setenv("CLAIMSCOPE_LLM_TIMEOUT_S", "7")  # replaced by the effective value
    settings = Settings.from_env({}, chroma_url="http://127.0.0.1:8000", top_k=8, use_cache=False)
    env = child_environment(settings)
    assert env["CLAIMSCOPE_CHROMA_URL"] == "http://127.0.0.1:8000"
    assert env["CLAIMSCOPE_TOP_K"] == "8" and env["CLAIMSCOPE_USE_CACHE"] == "false"
    assert "CLAIMSCOPE_LLM_TIMEOUT_S" not in env
    assert Settings.from_env(env) == settings


def test_as_environment_round_trips_secrets() -> None:
    settings = Settings.from_env({"OPENAI_API_KEY": "sk-round-trip"})
    assert Settings.from_env(as_environment(settings)) == settings


def test_app_command_passes_flags_on(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_call(command: list[str], env: dict[str, str]) -> int:
        seen.update(command=command, env=env)
        return 0

    monkeypatch.setattr(app_command.subprocess, "call", fake_call)
    code = cli.main(["--chroma-url", "http://127.0.0.1:8001", "--set", "top_k=7", "app"])
    assert code == 0 and "streamlit" in seen["command"]
    assert seen["env"]["CLAIMSCOPE_CHROMA_URL"] == "http://127.0.0.1:8001"
    assert seen["env"]["CLAIMSCOPE_TOP_K"] == "7"


def test_set_option_reaches_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Kazan hosted the summit in 2024. " * 5, encoding="utf-8")
    code = cli.main(["--set", "max_article_chars=50", "check", str(article)])
    err = capsys.readouterr().err
    assert code == 2 and "CLAIMSCOPE_MAX_ARTICLE_CHARS" in err


@pytest.mark.parametrize("item", ["top_k", "=3", "colour=blue", "top_k=lots"])
def test_bad_set_option_exits_2(item: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--set", item, "config"]) == 2
    assert capsys.readouterr().err.startswith("claimscope: error:")


def test_config_prints_values_and_sources_with_secrets_redacted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-do-not-print")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://user:hunter2@llm.example/v1")
    monkeypatch.setenv("CLAIMSCOPE_LLM_TIMEOUT", "9")
    assert cli.main(["--set", "top_k=4", "config", "--json"]) == 0
    out = capsys.readouterr().out
    assert "sk-do-not-print" not in out and "hunter2" not in out
    rows = {row["field"]: row for row in json.loads(out)}
    assert rows["openai_api_key"]["value"] == "*** (set)"
    assert rows["openai_base_url"]["value"] == "https://***@llm.example/v1"
    assert rows["top_k"]["source"] == "command line" and rows["top_k"]["value"] == "4"
    assert rows["llm_timeout_s"]["source"] == "environment (CLAIMSCOPE_LLM_TIMEOUT)"
    assert rows["llm"]["value"] == "openai" and rows["llm"]["source"].startswith("implied")
    assert rows["collection"]["source"] == "default"

    assert cli.main(["config"]) == 0
    text = capsys.readouterr().out
    assert "sk-do-not-print" not in text and "llm_timeout_s" in text


def test_configuration_doc_table_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    """Regenerate with `claimscope config --markdown` (see docs/configuration.md)."""
    assert markdown_table() in CONFIG_DOC.read_text(encoding="utf-8"), (
        "docs/configuration.md is out of date: paste the output of `claimscope config --markdown`"
    )
    assert cli.main(["config", "--markdown"]) == 0
    assert capsys.readouterr().out == markdown_table()


def test_subcommands_are_registered_plainly() -> None:
    subparsers = next(
        a for a in cli.build_parser()._actions if isinstance(a.choices, dict) and a.choices
    )
    assert {"eval", "models", "config", "check", "ingest", "app"} <= set(subparsers.choices)


def test_library_debug_logs_stay_off_stderr_unless_verbose() -> None:
    """bm25s sets its own logger to DEBUG; the CLI's stderr shows it only with -vv."""
    script = (
        "import logging, sys\n"
        "from ui.cli.main import configure_logging\n"
        "configure_logging(int(sys.argv[1]))\n"
        "import bm25s\n"
        "logging.getLogger('bm25s').debug('Building index from tokens')\n"
        "logging.getLogger('bm25s').warning('a real warning')\n"
    )
    quiet, loud = (
        subprocess.run(
            [sys.executable, "-c", script, str(level)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stderr
        for level in (0, 2)
    )
    assert "Building index" not in quiet and "a real warning" in quiet
    assert "DEBUG bm25s: Building index from tokens" in loud


def test_settings_module_is_the_only_environment_reader() -> None:
    """No `os.environ` / `os.getenv` outside claims/settings.py (tests: their fixtures only)."""
    offenders = []
    for package in ("claims", "retrieval", "ui", "eval", "benchmarks", "training"):
        for path in (REPO / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name == "settings.py" and path.parent.name == "claims":
                continue
            if "os.environ" in text or "os.getenv" in text or "getenv(" in text:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_unrelated_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME is not `home`: the child process keeps it, and it sets nothing."""
    monkeypatch.setenv("HOME", "/home/someone")
    monkeypatch.setenv("MODEL", "not-this")
    settings = Settings.from_env()
    assert settings.model == "gpt-4o-mini"
    env = child_environment(settings)
    assert env["HOME"] == "/home/someone" and env["MODEL"] == "not-this"


@pytest.mark.integration
def test_app_sidebar_starts_from_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """The top-k slider and the model field start from CLAIMSCOPE_TOP_K and CLAIMSCOPE_MODEL."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMSCOPE_APP_SERVICES", "tests.app_fakes")
    monkeypatch.setenv("CLAIMSCOPE_TOP_K", "9")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # implies the endpoint mode
    monkeypatch.setenv("CLAIMSCOPE_MODEL", "configured-model")
    at = AppTest.from_file(str(REPO / "ui" / "app" / "main.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert at.slider(key="cs_top_k").value == 9
    assert at.radio(key="cs_mode").value == "openai"
    assert at.text_input(key="cs_model").value == "configured-model"
    assert at.text_input(key="cs_base_url").value == "http://127.0.0.1:9/v1"


@pytest.mark.integration
def test_app_stops_with_the_variable_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMSCOPE_APP_SERVICES", "tests.app_fakes")
    monkeypatch.setenv("CLAIMSCOPE_TOP_K", "lots")
    at = AppTest.from_file(str(REPO / "ui" / "app" / "main.py"), default_timeout=30)
    at.run()
    assert any("CLAIMSCOPE_TOP_K" in e.value.replace("\\", "") for e in at.error)
