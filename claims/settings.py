"""One typed configuration object, read at the entry points only and passed down.

Environment names follow the ecosystem: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``;
claimscope's own start with ``CLAIMSCOPE_``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError

from claims.errors import ConfigError

LLMMode = Literal["none", "openai", "local"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]

DEFAULT_HOME = Path("~/.claimscope")


class Settings(BaseModel):
    """Everything a run of claimscope can be told. Immutable once built."""

    model_config = {"frozen": True}

    home: Path = Field(default=DEFAULT_HOME, description="data directory (store, cache, reviews)")
    chroma_url: str | None = Field(default=None, description="Chroma server URL; embedded if unset")
    collection: str = "claimscope"

    llm: LLMMode = "none"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    model: str = "gpt-4o-mini"
    structured_method: StructuredMethod = "json_schema"
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, description="re-asks after an invalid answer")
    llm_concurrency: int = Field(default=4, ge=1)
    use_cache: bool = True
    local_model_path: Path | None = Field(
        default=None,
        description="local LLM GGUF file; None: the one `claimscope models install` put in home",
    )
    local_threads: int | None = Field(default=None, ge=1, description="None: all CPU cores")
    local_timeout_s: float = Field(default=600.0, gt=0, description="per request, local LLM on CPU")
    verify_prompt: Literal["auto", "standard", "compact"] = Field(
        default="auto",
        description="LLM verifier prompt; auto: compact for the local model, standard otherwise",
    )
    extract_prompt: Literal["auto", "standard", "compact"] = Field(
        default="auto",
        description="LLM extraction prompt; auto: compact (bounded answer, paragraph windows) "
        "for the local model, standard otherwise",
    )
    cross_check: bool = Field(
        default=True,
        description="in the LLM modes, also run the offline verifier and show where it disagrees",
    )

    top_k: int = Field(default=5, ge=1, le=50)
    min_checkworthiness: float | None = Field(
        default=None, ge=0.0, le=1.0, description="None: the extractor model's tuned threshold"
    )
    max_article_chars: int = Field(default=2_000_000, ge=1)
    sensitivity: Literal["strict", "normal", "all"] = Field(
        default="normal",
        description="offline extraction: strict keeps claims at the check-worthiness model's "
        "tuned threshold, normal (news) a lower one, all every claim the rules find, opinion "
        "quotes included; page furniture and questions are never claims",
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from environment variables, then explicit overrides (CLI flags).

        Overrides whose value is ``None`` are ignored, so a flag left unset keeps the
        environment's value.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        mapping = {
            "CLAIMSCOPE_HOME": "home",
            "CLAIMSCOPE_CHROMA_URL": "chroma_url",
            "CLAIMSCOPE_COLLECTION": "collection",
            "CLAIMSCOPE_LLM": "llm",
            "OPENAI_API_KEY": "openai_api_key",
            "OPENAI_BASE_URL": "openai_base_url",
            "CLAIMSCOPE_MODEL": "model",
            "CLAIMSCOPE_STRUCTURED_METHOD": "structured_method",
            "CLAIMSCOPE_TOP_K": "top_k",
            "CLAIMSCOPE_LLM_TIMEOUT": "llm_timeout_s",
            "CLAIMSCOPE_LLM_CONCURRENCY": "llm_concurrency",
            "CLAIMSCOPE_LOCAL_MODEL": "local_model_path",
            "CLAIMSCOPE_LOCAL_THREADS": "local_threads",
            "CLAIMSCOPE_VERIFY_PROMPT": "verify_prompt",
            "CLAIMSCOPE_CROSS_CHECK": "cross_check",
            "CLAIMSCOPE_EXTRACT_PROMPT": "extract_prompt",
        }
        for name, field in mapping.items():
            if env.get(name):
                values[field] = env[name]
        if "llm" not in values and (values.get("openai_api_key") or values.get("openai_base_url")):
            values["llm"] = "openai"
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"invalid setting {where}: {first['msg']}") from None

    def public_dict(self) -> dict[str, Any]:
        """Settings safe to write into reports and logs: the API key is never included."""
        data = self.model_dump(mode="json", exclude={"openai_api_key"})
        data["openai_api_key_set"] = self.openai_api_key is not None
        return data
