"""The ``local`` LLM provider: llama.cpp in this process, spoken to through ``ChatOpenAI``.

Why no adapter and no shim: ``xllamacpp.Server`` does not only answer
``handle_chat_completions(dict)`` calls, it also starts llama.cpp's own
OpenAI-compatible HTTP server on ``127.0.0.1`` (a free port, ``listening_address``)
inside this process. Pointing the unchanged ``ChatOpenAI`` of
:func:`claims.chat.make_chat_model` at that loopback address is the simplest
provider there is: the LLM extractor and verifier, their prompts, JSON-schema
structured output, validation, re-asking, disk cache and error translation
(openai exceptions into :class:`~claims.errors.EndpointError`) are the very
code of OpenAI mode. A langchain ``BaseChatModel`` adapter would have to
re-implement ``with_structured_output``, message conversion, token usage and
error translation; a home-made HTTP shim would duplicate a server llama.cpp
already ships.

The server gets a random API key per process (llama.cpp's server otherwise
allows every origin), its web UI is off, and it answers one request at a time
(``n_parallel=1``: on a few CPU cores parallel slots only split the same
threads). Loading takes a few seconds and ~1.2 GB of memory, so one server per
model configuration is shared by the extractor and verifier of a process
(:func:`shared_server`) and closed at exit.

``xllamacpp`` is an optional extra (``pip install 'claimscope[local-llm]'``);
it is imported only when a server starts. The backend is injectable so tests
run the whole provider against a fake OpenAI-compatible server.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import SecretStr

from claims.errors import ConfigError, ModelError, ModelFileError
from claims.model_files import LOCAL_LLM, ModelSpec, model_path, verify_model
from claims.settings import Settings

log = logging.getLogger(__name__)

LOCAL_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
"""The model name sent in requests; also what LLM-cache keys and verifier names carry."""


@dataclass(frozen=True)
class LocalLLMConfig:
    """How to run the local model. Hashable: one shared server per distinct config."""

    model_path: Path
    threads: int
    context_tokens: int = 8192
    max_answer_tokens: int = 3072
    verify_checksum: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalLLMConfig:
        """The config that ``settings`` ask for; the model path defaults to the installed one."""
        path = settings.local_model_path or model_path(settings.data_dir, LOCAL_LLM)
        threads = settings.local_threads or default_threads()
        return cls(model_path=Path(path).expanduser(), threads=threads)


def default_threads() -> int:
    """All cores: llama.cpp generation is bound by memory bandwidth and cores."""
    return max(1, os.cpu_count() or 1)


class Backend(Protocol):
    """What a started model server offers: where it listens."""

    @property
    def listening_address(self) -> str: ...


BackendFactory = Callable[[LocalLLMConfig, str], Backend]
"""Starts a server for a config with the given API key (tests pass a fake)."""


def llama_params(config: LocalLLMConfig, api_key: str) -> Any:
    """The ``xllamacpp.CommonParams`` for ``config``: loopback only, keyed, no web UI."""
    xllamacpp = _import_xllamacpp()
    params = xllamacpp.CommonParams()
    params.model.path = str(config.model_path)
    params.model_alias = LOCAL_MODEL_NAME
    params.n_ctx = config.context_tokens
    params.n_parallel = 1
    params.n_predict = config.max_answer_tokens
    params.cpuparams.n_threads = config.threads
    params.cpuparams_batch.n_threads = config.threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.api_keys = [api_key]
    params.ui = False
    params.warmup = False
    params.verbosity = -1 if not log.isEnabledFor(logging.DEBUG) else 3
    return params


def start_xllamacpp(config: LocalLLMConfig, api_key: str) -> Backend:
    """Load the model into an in-process llama.cpp server; vendor errors become ours."""
    xllamacpp = _import_xllamacpp()
    params = llama_params(config, api_key)
    try:
        server: Backend = xllamacpp.Server(params)
        return server
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"llama.cpp could not load {config.model_path}: {exc}") from None


def _import_xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError:
        raise ConfigError(
            "local LLM mode needs xllamacpp: pip install 'claimscope[local-llm]'"
        ) from None
    return xllamacpp


class LocalLLMServer:
    """A loaded local model and the loopback address and key it answers on."""

    def __init__(
        self,
        config: LocalLLMConfig,
        *,
        spec: ModelSpec = LOCAL_LLM,
        backend_factory: BackendFactory | None = None,
    ) -> None:
        if config.verify_checksum:
            verify_model(config.model_path, spec)
        elif not config.model_path.is_file():
            raise ModelFileError(f"model file {config.model_path} is missing")
        self.config = config
        self.api_key = secrets.token_urlsafe(24)
        started = time.perf_counter()
        start = backend_factory or start_xllamacpp
        self._backend: Backend | None = start(config, self.api_key)
        self.load_seconds = time.perf_counter() - started
        address = self._backend.listening_address
        if not address:
            raise ModelError("llama.cpp started but reports no listening address")
        self.base_url = address.rstrip("/") + "/v1"
        log.info("local LLM loaded in %.1f s, serving %s", self.load_seconds, self.base_url)

    @property
    def running(self) -> bool:
        return self._backend is not None

    def close(self) -> None:
        """Stop the server and free the model (the backend stops when dropped)."""
        self._backend = None

    def settings_for(self, settings: Settings) -> Settings:
        """``settings`` re-pointed at this server, for :func:`claims.chat.make_chat_model`."""
        return settings.model_copy(
            update={
                "openai_base_url": self.base_url,
                "openai_api_key": SecretStr(self.api_key),
                "model": LOCAL_MODEL_NAME,
                "llm_timeout_s": max(settings.llm_timeout_s, settings.local_timeout_s),
            }
        )


_servers: dict[LocalLLMConfig, LocalLLMServer] = {}
_lock = threading.Lock()


def shared_server(
    config: LocalLLMConfig, *, backend_factory: BackendFactory | None = None
) -> LocalLLMServer:
    """The one server of this process for ``config``, started on first use."""
    with _lock:
        server = _servers.get(config)
        if server is None or not server.running:
            server = LocalLLMServer(config, backend_factory=backend_factory)
            _servers[config] = server
        return server


def close_shared_servers() -> None:
    """Stop every shared server (at exit, and in tests)."""
    with _lock:
        for server in _servers.values():
            server.close()
        _servers.clear()


atexit.register(close_shared_servers)


def make_local_chat_model(
    settings: Settings, *, backend_factory: BackendFactory | None = None
) -> BaseChatModel:
    """A ``ChatOpenAI`` talking to the shared in-process llama.cpp server."""
    from claims.chat import make_chat_model

    server = shared_server(LocalLLMConfig.from_settings(settings), backend_factory=backend_factory)
    return make_chat_model(server.settings_for(settings))
