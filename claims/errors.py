"""The one error hierarchy of claimscope.

Vendor exceptions (openai, httpx, chromadb, onnxruntime) are translated into
these classes where they enter the code, so callers catch only what is drawn
here::

    ClaimscopeError
    ├── InputError              bad article, file or path (CLI exit code 2)
    │   ├── EmptyArticleError
    │   ├── ArticleTooLargeError
    │   └── UnsupportedFileError
    ├── ConfigError             bad or missing settings (exit code 2)
    ├── StoreError              knowledge base cannot be opened, written or read (exit 2)
    ├── ModelError              a model could not give a usable answer
    │   ├── EndpointError       LLM endpoint unreachable, 5xx, 429, timeout
    │   ├── OutputValidationError  answer failed validation after all retries
    │   └── ModelFileError      a shipped/installed model file is missing or corrupt
    ├── EvidenceError           an evidence source or a web page could not be read (a note)
    │   └── FetchRefusedError   a URL refused before fetching (scheme, address, robots.txt)
    ├── DeadlineError           the check's overall deadline passed (claim FAILED)
    └── PipelineError           a pipeline stage failed for a reason not above
"""

from __future__ import annotations


class ClaimscopeError(Exception):
    """Root of every error claimscope raises on purpose."""

    exit_code: int = 1


class InputError(ClaimscopeError):
    """The article, file or path given by the user cannot be used."""

    exit_code = 2


class EmptyArticleError(InputError):
    """The article holds no text (empty or whitespace only)."""


class ArticleTooLargeError(InputError):
    """The article exceeds the configured size limit."""


class UnsupportedFileError(InputError):
    """The file is binary, not decodable, or of a type claimscope cannot read."""


class ConfigError(ClaimscopeError):
    """Settings are missing or inconsistent."""

    exit_code = 2


class StoreError(ClaimscopeError):
    """The knowledge base cannot be opened, written or read."""

    exit_code = 2


class ModelError(ClaimscopeError):
    """A model (LLM, embedder, classifier) could not give a usable answer."""


class EndpointError(ModelError):
    """The LLM endpoint refused the connection, timed out or answered an error status."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class OutputValidationError(ModelError):
    """The model's answer failed validation on every allowed attempt."""

    def __init__(self, message: str, *, attempts: int, last_raw: str | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_raw = last_raw


class ModelFileError(ModelError):
    """A model file is missing, truncated or does not match its checksum."""


class EvidenceError(ClaimscopeError):
    """An evidence source (search API, Wikipedia, fact-checks) or a page could not be read.

    Becomes a note on the claim's result, never a verdict or a failed claim."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class FetchRefusedError(EvidenceError):
    """A URL that must not be fetched: not http(s), a private address, or robots.txt says no."""


class DeadlineError(ClaimscopeError):
    """A step was still unfinished when the check's overall deadline passed."""


class PipelineError(ClaimscopeError):
    """A pipeline stage failed for a reason not covered by a narrower class."""
