"""Extraction sets in the generic format of :mod:`eval.extraction`, read from known data.

- ``wice-subclaims[:dev|test]``: WiCE (Kamoi et al., EMNLP 2023; annotations
  ODC-BY 1.0). Each document is one Wikipedia claim sentence; its gold claims are
  the sub-claims people wrote for it (Claim-Split). The shared copy lacks WiCE's
  ``subclaim/`` files, but ``non_supported_tokens/{split}.jsonl`` holds sub-claims
  ``<claim id>-<k>`` whose ``claim_context`` is the claim's own context followed by
  sub-claims 0..k-1; so sub-claims 0..k of every claim listed there are known.
  Sub-claims after the highest k listed are not, so precision against this set
  is a lower bound (an extracted claim may match a sub-claim the set lacks).
- ``ARTICLE.txt``: an article with ``ARTICLE.gold-claims.jsonl`` beside it (the
  example's layout: ``{"claim", "anchor": {"start", "end"}}`` per line).
- any other ``FILE.jsonl``: one ``ExtractionDocument`` per line.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from claims.errors import InputError
from eval.extraction import (
    ExtractionDocument,
    GoldClaim,
    read_article_with_gold,
    read_extraction_set,
)

WICE_FOLDER = "wice"


def load_extraction_set(
    target: str, data_dir: Path, *, date: str | None = None
) -> tuple[str, list[ExtractionDocument]]:
    """(a name for the run, the documents) of a file or a known set."""
    name, _, split = target.partition(":")
    if name == "wice-subclaims":
        return f"wice-subclaims-{split or 'test'}", wice_subclaims(
            data_dir / WICE_FOLDER, split or "test"
        )
    path = Path(target).expanduser()
    if not path.is_file():
        raise InputError(
            f"{target}: not a file; give a JSONL extraction set, an ARTICLE.txt with "
            "ARTICLE.gold-claims.jsonl beside it, or wice-subclaims[:dev|test]"
        )
    if path.suffix == ".txt":
        gold = path.with_name(f"{path.stem}.gold-claims.jsonl")
        if not gold.is_file():
            raise InputError(f"{gold} not found (the gold claims of {path.name})")
        return path.stem, [read_article_with_gold(path, gold, date=date)]
    return path.stem, read_extraction_set(path)


def wice_subclaims(root: Path, split: str = "test") -> list[ExtractionDocument]:
    """One document per WiCE claim with known sub-claims, in the order of the claim file."""
    if split not in ("dev", "test"):
        raise InputError(f"WiCE has public splits dev and test, not {split!r}")
    claims_file = root / "data" / "entailment_retrieval" / "claim" / f"{split}.jsonl"
    subclaims_file = root / "data" / "non_supported_tokens" / f"{split}.jsonl"
    for path in (claims_file, subclaims_file):
        if not path.is_file():
            raise InputError(f"{path} not found: WiCE files are expected under {root}")
    claims = {r["meta"]["id"]: r for r in _jsonl(claims_file)}
    known: dict[str, dict[int, str]] = defaultdict(dict)
    for record in _jsonl(subclaims_file):
        claim_id, _, k = record["meta"]["id"].rpartition("-")
        base = claims.get(claim_id)
        if base is None:
            continue
        subs = known[claim_id]
        subs[int(k)] = record["claim"].strip()
        earlier = record["meta"]["claim_context"][len(base["meta"]["claim_context"].rstrip()) :]
        for i, text in enumerate(_sentences(earlier)[: int(k)]):
            subs.setdefault(i, text)
    out = []
    for claim_id, record in claims.items():
        subs = known.get(claim_id)
        if not subs:
            continue
        gold = [GoldClaim(claim=subs[i]) for i in sorted(subs)]
        out.append(ExtractionDocument(id=claim_id, text=record["claim"], claims=gold))
    return out


def _sentences(text: str) -> list[str]:
    from claims.segment import sentences

    return [s.text.strip() for s in sentences(text) if s.text.strip()]


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
