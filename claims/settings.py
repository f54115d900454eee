"""One typed configuration object, read at the entry points only and passed down.

Every field can be set, highest priority first, by the command line
(``--set FIELD=VALUE`` or a flag), an environment variable, a ``.env`` file in
the working directory, or its default. Environment names follow the ecosystem
for the endpoint (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``); claimscope's own
are ``CLAIMSCOPE_`` plus the field name in capitals, and a few keep an older,
shorter name (``CLAIMSCOPE_LLM_TIMEOUT``, ``CLAIMSCOPE_LOCAL_MODEL``,
``CLAIMSCOPE_DATA_DIR``): :func:`env_names` lists them per field.

The entry points (CLI, Streamlit app, benchmarks) call :meth:`Settings.from_env`;
nothing below them reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from claims.errors import ConfigError
from claims.redaction import redact

LLMMode = Literal["none", "openai", "local"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]

ENV_PREFIX = "CLAIMSCOPE_"
DEFAULT_HOME = Path("~/.claimscope")
#: A source checkout's shared data: ``../shared/data`` beside the repository.
CHECKOUT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

# The environment that from_env(env=...) reads instead of os.environ (tests, tools).
# pydantic-settings builds its sources inside __init__, with no per-call argument for
# the environment, so settings_customise_sources takes it from here.
_ENV_OVERRIDE: ContextVar[Mapping[str, str] | None] = ContextVar("_ENV_OVERRIDE", default=None)


def _env(*names: str) -> AliasChoices:
    """The environment names of a field whose name is not ``CLAIMSCOPE_`` + its name."""
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Everything a run of claimscope can be told. Immutable once built."""

    model_config = SettingsConfigDict(
        frozen=True,
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
    )

    home: Path = Field(
        default=DEFAULT_HOME, description="data directory: Chroma store, LLM cache, reviews, models"
    )
    chroma_url: str | None = Field(
        default=None,
        description="Chroma server URL (`http://HOST:PORT`); unset: the embedded store",
    )
    collection: str = Field(default="claimscope", description="Chroma collection name")

    llm: LLMMode = Field(
        default="none",
        description="`none` (offline models), `openai` (an OpenAI-compatible endpoint) or `local` "
        "(the installed local LLM); unset: `openai` when OPENAI_API_KEY or OPENAI_BASE_URL is set",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=_env("OPENAI_API_KEY"),
        description="API key of the endpoint (never printed, logged or stored)",
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=_env("OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint URL (vLLM, Ollama, llama.cpp server); unset: OpenAI",
    )
    model: str = Field(default="gpt-4o-mini", description="model name at the endpoint")
    structured_method: StructuredMethod = Field(
        default="json_schema",
        description="how the answer schema is requested: `json_schema`, `function_calling` or "
        "`json_mode` (servers without JSON-schema output)",
    )
    llm_timeout_s: float = Field(
        default=60.0,
        gt=0,
        validation_alias=_env("CLAIMSCOPE_LLM_TIMEOUT", "CLAIMSCOPE_LLM_TIMEOUT_S"),
        description="seconds per endpoint request",
    )
    check_deadline_s: float = Field(
        default=1800.0,
        gt=0,
        description="a whole check's deadline in seconds; claims unfinished then are FAILED",
    )
    chroma_timeout_s: float = Field(
        default=30.0, gt=0, description="connect and read timeout for a Chroma server, seconds"
    )
    write_lock_timeout_s: float = Field(
        default=600.0,
        gt=0,
        description="how long a writer waits for another to finish writing the store, seconds",
    )
    llm_max_retries: int = Field(
        default=2, ge=0, description="re-asks of the LLM after an invalid answer"
    )
    llm_concurrency: int = Field(default=4, ge=1, description="claims verified at once by the LLM")
    use_cache: bool = Field(
        default=True,
        description="reuse stored LLM answers (under `home/cache`) for identical prompts",
    )
    local_model_path: Path | None = Field(
        default=None,
        validation_alias=_env("CLAIMSCOPE_LOCAL_MODEL", "CLAIMSCOPE_LOCAL_MODEL_PATH"),
        description="local LLM GGUF file (must match the checksum); unset: the one "
        "`claimscope models install` put in home",
    )
    local_threads: int | None = Field(
        default=None, ge=1, description="CPU threads of the local LLM; unset: all cores"
    )
    local_timeout_s: float = Field(
        default=600.0,
        gt=0,
        validation_alias=_env("CLAIMSCOPE_LOCAL_TIMEOUT", "CLAIMSCOPE_LOCAL_TIMEOUT_S"),
        description="seconds per request to the local LLM (CPU answers are slow)",
    )
    verify_prompt: Literal["auto", "standard", "compact"] = Field(
        default="auto",
        description="LLM verifier prompt; `auto`: `compact` for the local model, `standard` otherwise",
    )
    extract_prompt: Literal["auto", "standard", "compact"] = Field(
        default="auto",
        description="LLM extraction prompt; `auto`: `compact` (bounded answer, paragraph windows) "
        "for the local model, `standard` otherwise",
    )
    cross_check: bool = Field(
        default=True,
        description="in the LLM modes, also run the offline verifier and show where it disagrees",
    )

    top_k: int = Field(default=5, ge=1, le=50, description="passages retrieved per claim")
    min_checkworthiness: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="offline extractor's check-worthiness cut-off; unset: the model's tuned threshold",
    )
    max_article_chars: int = Field(
        default=2_000_000, ge=1, description="longest article accepted, in characters"
    )

    datasets_dir: Path | None = Field(
        default=None,
        validation_alias=_env("CLAIMSCOPE_DATA_DIR", "CLAIMSCOPE_DATASETS_DIR"),
        description="labelled datasets and training data; unset: `../shared/data` beside a "
        "source checkout (benchmarks, training), `home/datasets` (`claimscope eval`)",
    )
    runs_dir: Path | None = Field(
        default=None,
        description="where the app's evaluation page looks for runs; unset: `./runs` and `home/runs`",
    )
    evidence_sources: str = Field(
        default="",
        description="evidence sources asked per claim during a check, comma-separated: `web`, "
        "`wikipedia`, `factchecks` (empty: the knowledge base only; `check --search` sets it)",
    )
    searxng_url: str | None = Field(
        default=None,
        description="SearXNG instance (`http://HOST:PORT`) with its JSON API enabled: the default "
        "web search (no key)",
    )
    brave_api_key: SecretStr | None = Field(
        default=None, description="Brave Search API key (web search when SearXNG is unset)"
    )
    brave_url: str = Field(
        default="https://api.search.brave.com", description="Brave Search API base URL"
    )
    tavily_api_key: SecretStr | None = Field(
        default=None, description="Tavily API key (web search when SearXNG and Brave are unset)"
    )
    tavily_url: str = Field(default="https://api.tavily.com", description="Tavily API base URL")
    serper_api_key: SecretStr | None = Field(
        default=None, description="Serper (Google results) API key (web search, last choice)"
    )
    serper_url: str = Field(default="https://google.serper.dev", description="Serper API base URL")
    wikipedia_language: str = Field(
        default="en", pattern=r"^[a-z][a-z\-]{1,15}$", description="Wikipedia language edition"
    )
    wikipedia_url: str = Field(
        default="https://{lang}.wikipedia.org",
        description="Wikipedia base URL; `{lang}` is replaced by the language",
    )
    factcheck_api_key: SecretStr | None = Field(
        default=None, description="Google Fact Check Tools API key (`factchecks` source)"
    )
    factcheck_url: str = Field(
        default="https://factchecktools.googleapis.com",
        description="Google Fact Check Tools API base URL",
    )
    search_results: int = Field(
        default=5, ge=1, le=20, description="results asked of each evidence source per query"
    )
    search_timeout_s: float = Field(
        default=15.0, gt=0, description="seconds per request to an evidence source"
    )
    search_max_retry_after_s: float = Field(
        default=10.0,
        ge=0,
        description="longest Retry-After honoured after a 429 (one retry); longer: the source is "
        "noted as unavailable",
    )
    evidence_pages_per_claim: int = Field(
        default=4, ge=0, le=20, description="web pages fetched per claim"
    )
    evidence_deadline_s: float = Field(
        default=60.0, gt=0, description="seconds per claim for searching and fetching evidence"
    )
    evidence_include_later: bool = Field(
        default=False,
        description="keep fetched evidence published after the article's date (`--before`)",
    )
    fetch_concurrency: int = Field(default=4, ge=1, description="web pages fetched at once")
    fetch_timeout_s: float = Field(
        default=10.0, gt=0, description="connect and read timeout per page request, seconds"
    )
    fetch_deadline_s: float = Field(
        default=20.0, gt=0, description="total seconds for one page (redirects included)"
    )
    fetch_max_bytes: int = Field(
        default=5_000_000, ge=1_000, description="largest page fetched, in bytes"
    )
    fetch_max_redirects: int = Field(
        default=5, ge=0, description="redirects followed per page, each re-checked"
    )
    fetch_ttl_days: float = Field(
        default=7.0, ge=0, description="days a fetched page is reused before it is fetched again"
    )
    fetch_allow_loopback: bool = Field(
        default=False,
        description="allow fetching from 127.0.0.1/::1 (local test servers only; private and "
        "link-local addresses stay refused)",
    )
    app_services: str | None = Field(
        default=None,
        description="module that builds the app's knowledge base and models; unset: the real "
        "ones (`ui.wiring`); tests name scripted ones",
    )
    sensitivity: Literal["strict", "normal", "all"] = Field(
        default="normal",
        description="offline extraction: strict keeps claims at the check-worthiness model's "
        "tuned threshold, normal (news) a lower one and every plain statement of fact, all "
        "every claim the rules find, opinion quotes included; page furniture and questions "
        "are never claims",
    )

    @property
    def verification_prompt_name(self) -> str:
        """The LLM verifier prompt this run uses (``verify_prompt`` with ``auto`` resolved)."""
        if self.verify_prompt != "auto":
            return self.verify_prompt
        return "compact" if self.llm == "local" else "standard"

    @property
    def extraction_prompt_name(self) -> str:
        """The LLM extraction prompt this run uses (``extract_prompt`` with ``auto`` resolved)."""
        if self.extract_prompt != "auto":
            return self.extract_prompt
        return "compact" if self.llm == "local" else "standard"

    @property
    def data_dir(self) -> Path:
        return self.home.expanduser()

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def shared_data_dir(self) -> Path:
        """Training and benchmark data: ``datasets_dir``, else ``../shared/data`` beside a checkout."""
        return (self.datasets_dir or CHECKOUT_DATA_DIR).expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        env = _ENV_OVERRIDE.get()
        if env is not None:  # an explicit environment replaces os.environ and .env
            env_settings = _MappingEnvSource(settings_cls, env)
            dotenv_settings = _NoSource(settings_cls)
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            _ImpliedLLM(settings_cls, env_settings, dotenv_settings),
        )

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        env_file: Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings from the command line's ``overrides``, the environment, ``.env`` and defaults.

        ``env`` replaces ``os.environ`` and the ``.env`` file (for tests and tools);
        ``env_file`` reads another dotenv file. Overrides whose value is ``None`` are
        ignored, so a flag left unset keeps the environment's value. An invalid value
        raises :class:`ConfigError` naming the variable to fix.
        """
        values = {k: v for k, v in overrides.items() if v is not None}
        unknown = sorted(set(values) - set(cls.model_fields))
        if unknown:
            raise ConfigError(
                f"unknown setting {', '.join(unknown)} (see `claimscope config` for the names)"
            )
        token = _ENV_OVERRIDE.set(env)
        try:
            if env_file is not None:
                return cls(_env_file=env_file, **values)
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(describe_error(exc)) from None
        finally:
            _ENV_OVERRIDE.reset(token)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A validated copy with some fields changed (``None`` values ignored); reads nothing."""
        values = {k: v for k, v in overrides.items() if v is not None}
        try:
            return type(self).model_validate({**self.model_dump(), **values})
        except ValidationError as exc:
            raise ConfigError(describe_error(exc)) from None

    def public_dict(self) -> dict[str, Any]:
        """Settings safe to write into reports and logs: no API key, no URL credentials."""
        secrets = {f for f, v in self if isinstance(v, SecretStr)} | {"openai_api_key"}
        data = self.model_dump(mode="json", exclude=secrets)
        for field in sorted(secrets):
            data[f"{field}_set"] = getattr(self, field) is not None
        for field, value in data.items():  # https://user:pass@host → https://***@host
            if field.endswith("_url") and isinstance(value, str):
                data[field] = redact(value)
        return data

    @property
    def secrets(self) -> list[SecretStr]:
        """Every key set in these settings, for :func:`claims.redaction.redact`."""
        return [v for _, v in self if isinstance(v, SecretStr)]


class _MappingEnvSource(EnvSettingsSource):
    """The environment source, reading a given mapping instead of ``os.environ``."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        self._mapping = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k.lower(): v for k, v in self._mapping.items() if v != ""}


class _NoSource(PydanticBaseSettingsSource):
    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return {}


class _ImpliedLLM(PydanticBaseSettingsSource):
    """``llm=openai`` when the environment names an endpoint but no mode (the lowest priority)."""

    def __init__(
        self, settings_cls: type[BaseSettings], *sources: PydanticBaseSettingsSource
    ) -> None:
        super().__init__(settings_cls)
        self._sources = sources

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        given: set[str] = set()
        for source in self._sources:
            given |= {field_for(key) or key for key, value in source().items() if value}
        if "llm" not in given and given & {"openai_api_key", "openai_base_url"}:
            return {"llm": "openai"}
        return {}


def default_data_dir() -> Path:
    """Training and benchmark data for the scripts' defaults (read at their entry points):
    ``CLAIMSCOPE_DATA_DIR``, else ``../shared/data`` beside the checkout."""
    return Settings.from_env().shared_data_dir()


def env_names(field: str) -> list[str]:
    """The environment variables that set ``field``, the preferred one first."""
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    return [ENV_PREFIX + field.upper()]


def field_for_variable(name: str) -> str | None:
    """The field an environment variable sets (any case), or None: ``HOME`` is not ``home``."""
    lowered = name.lower()
    for field in Settings.model_fields:
        if lowered in (n.lower() for n in env_names(field)):
            return field
    return None


def field_for(name: str) -> str | None:
    """The field that a field name or an environment variable names (any case), or None."""
    return name if name in Settings.model_fields else field_for_variable(name)


def describe_error(exc: ValidationError) -> str:
    """One line naming the variable to fix, e.g. ``invalid setting CLAIMSCOPE_TOP_K (top_k): …``."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    field = field_for(str(first["loc"][0])) if first["loc"] else None
    if field is not None:
        where = f"{env_names(field)[0]} ({field})"
    return f"invalid setting {where}: {first['msg']}"


def field_sources(
    settings: Settings, overrides: Mapping[str, Any] | None = None, env_file: Path | None = None
) -> dict[str, str]:
    """Where each field's value in ``settings`` came from: the command line, the
    environment (naming the variable), a dotenv file, the endpoint variables, or the default."""
    given = {k for k, v in (overrides or {}).items() if v is not None}
    environ = _ENV_OVERRIDE.get()
    env_keys = {k.lower() for k, v in (os.environ if environ is None else environ).items() if v}
    dotenv: set[str] = set()
    if environ is None:
        source = DotEnvSettingsSource(
            Settings, env_file=env_file or Settings.model_config.get("env_file")
        )
        dotenv = {field_for(k) or k for k, v in source().items() if v not in (None, "")}
    sources: dict[str, str] = {}
    for field in Settings.model_fields:
        set_in_env = [n for n in env_names(field) if n.lower() in env_keys]
        if field in given:
            sources[field] = "command line"
        elif set_in_env:
            sources[field] = f"environment ({set_in_env[0]})"
        elif field in dotenv:
            sources[field] = f"dotenv file ({env_file or '.env'})"
        elif field == "llm" and settings.llm == "openai":
            sources[field] = "implied by OPENAI_API_KEY / OPENAI_BASE_URL"
        else:
            sources[field] = "default"
    return sources


def as_environment(settings: Settings) -> dict[str, str]:
    """Every field as the environment variable that sets it (secrets included: for a child only)."""
    env: dict[str, str] = {}
    for field, value in settings:
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[env_names(field)[0]] = str(value)
    return env


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment for a claimscope child process (``claimscope app``): the whole
    effective configuration, so flags and ``--set`` values reach it too."""
    env = {k: v for k, v in os.environ.items() if field_for_variable(k) is None}
    env.update(as_environment(settings))
    return env


def display_value(settings: Settings, field: str) -> str:
    """A field's value for people: secrets shown as set or not, URL credentials hidden."""
    value = getattr(settings, field)
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        return "*** (set)"
    if field.endswith("_url"):
        return redact(str(value))
    return str(value)


def markdown_table() -> str:
    """The configuration table of docs/configuration.md, from the fields' descriptions."""
    rows = [
        "| variable | `--set` name | default | meaning |",
        "|---|---|---|---|",
    ]
    for field, info in Settings.model_fields.items():
        names = ", ".join(f"`{n}`" for n in env_names(field))
        default = info.default
        if isinstance(default, bool):
            default = str(default).lower()
        shown = "unset" if default is None else f"`{default}`"
        description = (info.description or "").replace("|", "\\|")
        rows.append(f"| {names} | `{field}` | {shown} | {description} |")
    return "\n".join(rows) + "\n"
