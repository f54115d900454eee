"""FEVER-Symmetric and FEVEROUS-S: claims with their gold evidence sentences inline.

Neither ships a corpus, so the loaders pool every unique evidence sentence of the
split into one (each claim's evidence is then a distractor for the others), as
the shared ``feverous/ci_subset`` does; passage ids are ``fvs-`` + sha1 of
``title<TAB>text`` (the same ids as that subset).

* FEVER-Symmetric (Schuster et al., 2019), v0.2 ``fever_symmetric_{dev,test}.jsonl``:
  ``{"id", "claim", "evidence", "label": SUPPORTS|REFUTES, ...}``. CC BY-SA 3.0.
* FEVEROUS-S dev as prepared by ProgramFC (Pan et al., 2023), ``dev.json``: a JSON
  list of ``{"id", "claim", "label": supports|refutes, "challenge", "evidence"}``
  where evidence is newline-separated ``title<TAB>sentence`` with ``[[target|anchor]]``
  wiki links. CC BY-SA 3.0 (data), MIT (file).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from claims.errors import InputError
from claims.models import Label
from eval.datasets.fetch import Download
from eval.datasets.format import CorpusDoc, Dataset, EvalClaim, GoldEvidence, jsonl_records

SYMMETRIC_BASE = (
    "https://raw.githubusercontent.com/TalSchuster/FeverSymmetric/"
    "fa25d17e73ea0694edc78133ec654b9f32f6db73/symmetric_v0.2"
)
SYMMETRIC_DOWNLOADS = tuple(
    Download(
        url=f"{SYMMETRIC_BASE}/fever_symmetric_{split}.jsonl",
        target=f"symmetric_v0.2/fever_symmetric_{split}.jsonl",
    )
    for split in ("dev", "test")
)
FEVEROUS_DOWNLOADS = (
    Download(
        url="https://raw.githubusercontent.com/teacherpeterpan/ProgramFC/"
        "5957016c1556dc5a2a6ea92c7b1ab68d289f8911/datasets/FEVEROUS/claims/dev.json",
        target="programfc_feverous_s_dev.json",
    ),
)
LABELS = {"supports": Label.SUPPORTED, "refutes": Label.REFUTED}
_WIKI_LINK = re.compile(r"\[\[[^|\]]*\|([^\]]*)\]\]")


def passage_id(title: str, text: str) -> str:
    return "fvs-" + hashlib.sha1(f"{title}\t{text}".encode()).hexdigest()[:12]


_PTB_BRACKETS = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}
_PTB_RULES = (
    (re.compile(r"-[LR][RSC]B-"), lambda m: _PTB_BRACKETS[m.group(0)]),
    (re.compile(r"``|''"), lambda m: '"'),
    (re.compile(r'"\s*([^"]*?)\s*"'), lambda m: f'"{m.group(1)}"'),
    (re.compile(r"([(\[{])\s+"), lambda m: m.group(1)),
    (re.compile(r"\s+([)\]},.;:!?%])"), lambda m: m.group(1)),
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE), lambda m: m.group(1)),
    (re.compile(r"\s{2,}"), lambda m: " "),
)


def detokenize(text: str) -> str:
    """FEVER's Penn-Treebank tokens back to plain text: ``-LRB- 2011 -RRB- .`` → ``(2011).``

    FEVER-Symmetric keeps the original FEVER tokenisation; claimscope's models read
    ordinary prose, so the loader restores it (the words themselves are unchanged)."""
    for pattern, repl in _PTB_RULES:
        text = pattern.sub(repl, text)
    return text.strip()


def strip_wiki_links(text: str) -> str:
    return _WIKI_LINK.sub(r"\1", text).strip()


class _Pool:
    """Unique evidence sentences in first-seen order: the pooled corpus."""

    def __init__(self) -> None:
        self.docs: dict[str, CorpusDoc] = {}

    def add(self, title: str, text: str) -> GoldEvidence:
        doc_id = passage_id(title, text)
        self.docs.setdefault(doc_id, CorpusDoc(id=doc_id, title=title or None, text=text))
        return GoldEvidence(doc_id=doc_id, text=text)


def load_symmetric(root: Path, split: str = "test") -> Dataset:
    if split not in ("dev", "test"):
        raise InputError(f"FEVER-Symmetric v0.2 has splits dev and test, not {split!r}")
    pool = _Pool()
    claims = []
    for record in jsonl_records(root / "symmetric_v0.2" / f"fever_symmetric_{split}.jsonl"):
        original = record["label"]
        claims.append(
            EvalClaim(
                id=str(record["id"]),
                claim=detokenize(record["claim"]),
                label=LABELS[original.lower()],
                evidence=[pool.add("", detokenize(record["evidence"]))],
                original_label=original,
            )
        )
    return Dataset(f"fever-symmetric-{split}", claims, list(pool.docs.values()))


def load_feverous(root: Path, split: str = "dev") -> Dataset:
    if split != "dev":
        raise InputError(
            f"FEVEROUS-S (ProgramFC) is available as the dev split only, not {split!r}"
        )
    path = root / "programfc_feverous_s_dev.json"
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg}") from None
    pool = _Pool()
    claims = []
    for record in records:
        evidence = []
        for line in record["evidence"].split("\n"):
            if line.strip():
                title, _, sentence = line.partition("\t")
                evidence.append(pool.add(title.strip(), strip_wiki_links(sentence)))
        claims.append(
            EvalClaim(
                id=str(record["id"]),
                claim=record["claim"],
                label=LABELS[record["label"].lower()],
                evidence=_unique(evidence),
                original_label=record["label"],
            )
        )
    return Dataset("feverous-s-dev", claims, list(pool.docs.values()))


def _unique(evidence: list[GoldEvidence]) -> list[GoldEvidence]:
    return list({e.doc_id: e for e in evidence}.values())
