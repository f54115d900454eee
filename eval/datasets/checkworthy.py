"""Check-worthiness sets for the extractor: ClaimBuster and CLEF CheckThat! 2024.

* ClaimBuster (Arslan et al., ICWSM 2020), the authors' two-class files
  ``test.json`` / ``train.json``: a JSON list of ``{"sentence_id", "label": 0|1, "text"}``
  (1 = check-worthy factual sentence). The gold test set is ``test.json`` (702).
  Dataset CC BY 4.0 per its authors.
* CheckThat! 2024 Task 1 English: ``CT24_checkworthy_english_{dev,dev-test}.tsv``
  with columns ``Sentence_id, Text, class_label`` (Yes/No). Research use.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from claims.errors import InputError
from eval.datasets.fetch import Download
from eval.datasets.format import CheckworthinessSet, CheckworthySentence

CLAIMBUSTER_BASE = (
    "https://raw.githubusercontent.com/utaresearch/claimbuster-spotter/"
    "332bba0819d79f8e42d0a70277597dfe97036873/data/two_class"
)
CLAIMBUSTER_DOWNLOADS = tuple(
    Download(url=f"{CLAIMBUSTER_BASE}/{name}", target=name) for name in ("test.json", "train.json")
)
CHECKTHAT_BASE = (
    "https://raw.githubusercontent.com/jjasardi/BA-CheckThat2024/"
    "ca2aea6214641d06bb2e2e2ad6217870b94ee5b9/data_f/CT24_checkworthy_english"
)
CHECKTHAT_DOWNLOADS = tuple(
    Download(
        url=f"{CHECKTHAT_BASE}/CT24_checkworthy_english_{split}.tsv",
        target=f"clef2024_task1_english/CT24_checkworthy_english_{split}.tsv",
    )
    for split in ("dev", "dev-test")
)


def load_claimbuster(root: Path, split: str = "test") -> CheckworthinessSet:
    if split not in ("test", "train"):
        raise InputError(f"ClaimBuster two-class files are test and train, not {split!r}")
    path = root / f"{split}.json"
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg}") from None
    sentences = [
        CheckworthySentence(
            id=str(r["sentence_id"]), text=r["text"], checkworthy=int(r["label"]) == 1
        )
        for r in records
    ]
    return CheckworthinessSet(f"claimbuster-{split}", sentences)


def load_checkthat(root: Path, split: str = "dev-test") -> CheckworthinessSet:
    if split not in ("dev", "dev-test"):
        raise InputError(
            f"CheckThat! 2024 English labelled splits are dev and dev-test, not {split!r}"
        )
    path = root / "clef2024_task1_english" / f"CT24_checkworthy_english_{split}.tsv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    sentences = []
    for number, row in enumerate(rows, start=2):
        label = (row.get("class_label") or "").strip()
        if label not in ("Yes", "No"):
            raise InputError(f"{path}:{number}: class_label must be Yes or No, not {label!r}")
        sentences.append(
            CheckworthySentence(
                id=row["Sentence_id"].strip(), text=row["Text"], checkworthy=label == "Yes"
            )
        )
    return CheckworthinessSet(f"checkthat2024-{split}", sentences)
