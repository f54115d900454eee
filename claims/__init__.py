"""claimscope's domain: claims, evidence, verdicts, the extractors, verifiers and pipeline."""

from claims.errors import (
    ArticleTooLargeError,
    ClaimscopeError,
    ConfigError,
    EmptyArticleError,
    EndpointError,
    InputError,
    ModelError,
    ModelFileError,
    OutputValidationError,
    PipelineError,
    StoreError,
    UnsupportedFileError,
)
from claims.models import (
    Article,
    Citation,
    Claim,
    ClaimKind,
    ClaimResult,
    Evidence,
    Extraction,
    Failure,
    Label,
    Passage,
    Report,
    SearchFilters,
    Span,
    Usage,
    Verdict,
)
from claims.protocols import Embedder, Extractor, Retriever, Verifier
from claims.settings import Settings

__all__ = [
    "Article", "ArticleTooLargeError", "Citation", "Claim", "ClaimKind", "ClaimResult",
    "ClaimscopeError", "ConfigError", "Embedder", "EmptyArticleError", "EndpointError",
    "Evidence", "Extraction", "Extractor", "Failure", "InputError", "Label", "ModelError",
    "ModelFileError", "OutputValidationError", "Passage", "PipelineError", "Report",
    "Retriever", "SearchFilters", "Settings", "Span", "StoreError", "UnsupportedFileError",
    "Usage", "Verdict", "Verifier",
]
