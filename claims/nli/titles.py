"""Titles of office a sentence gives a person: "President Modi", "Prime Minister
Narendra Modi", "UN Secretary-General Antonio Guterres", "Ron DeSantis, the governor of
Florida".

A sentence that calls a person by another office than the claim does ("Prime Minister
Narendra Modi attended the summit" against "President Modi attended the summit") does
not confirm the claim: either the claim has the title wrong or the two speak of
different times. Which words name an office, and which offices are the same or one a
kind of the other, comes from WordNet 3.0 (``claims/data/wordnet/offices.tsv``, built
by ``training/wordnet_antonyms.py``): "chief" is a hypernym of "secretary-general"
("UN chief Antonio Guterres" is the secretary-general), "chancellor" and "prime
minister" share a sense, "president" and "prime minister" are two heads of state, and
"senator" and "governor" two kinds of politician. Words that name no office ("striker
Harry Kane", "activist") are never compared.

The same table for every noun that names a kind of person
(``claims/data/wordnet/people.tsv``) tells "12 civilians" from "12 soldiers"
(:func:`other_people`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from claims.nli.antonyms import antonyms, opposites
from claims.nli.direction import DOWN, UP

if TYPE_CHECKING:
    from claims.nlp import Doc, Token

_TITLE_DEPS = frozenset({"compound", "appos"})
# A word inside a name of one of these is part of the name: "General" of "General
# Motors". The person's own name may be tagged as an organisation ("Olaf Scholz").
_NOT_TITLES = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})
_PLACES = frozenset({"GPE", "LOC", "FAC"})


Senses = dict[str, tuple[frozenset[str], frozenset[str]]]


@lru_cache(maxsize=4)
def _senses(name: str) -> Senses:
    """word → (its senses, their hypernyms), WordNet offsets, from a table of
    ``claims/data/wordnet``."""
    text = files("claims").joinpath(f"data/wordnet/{name}").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, own, above = (line.split("\t") + ["", ""])[:3]
            table[word] = (frozenset(own.split()), frozenset(above.split()))
    return table


def _offices() -> Senses:
    """title → (its office senses, their hypernyms)."""
    return _senses("offices.tsv")


def _other_kind(table: Senses, a: str, b: str) -> bool:
    """Both words are in the table and neither shares a sense with the other or has a
    sense that is a hypernym of one of the other's."""
    if a == b or a not in table or b not in table:
        return False
    (mine, above_mine), (theirs, above_theirs) = table[a], table[b]
    return not (mine & theirs or mine & above_theirs or theirs & above_mine)


def is_office(word: str) -> bool:
    """The word is a title of office ("minister", "ceo", "aide"): it names a person."""
    return word.lower() in _offices()


def other_office(a: str, b: str) -> bool:
    """Two titles name different offices: neither shares a sense with the other or is
    a hypernym of it ("president" and "prime_minister"; not "chief" and
    "secretary_general", nor "chancellor" and "prime_minister")."""
    return _other_kind(_offices(), a, b)


def other_people(a: str, b: str) -> bool:
    """Two nouns (lemmas) name different kinds of person, neither a kind of the other
    (``people.tsv``): "soldier" and "civilian", "child" and "student"; not "civilian"
    and "people", nor "protester" and "demonstrator", nor "employee" and "worker".
    A noun that names no person ("troops", a group) is never compared."""
    people = _senses("people.tsv")
    return _other_kind(people, _PERSON.get(a, a), _PERSON.get(b, b))


def kind_of_person(kind: str, of: str) -> bool:
    """A noun (lemma) names the same kind of person as another, or a kind of it
    (``people.tsv``): "resident" of "people", "civilian" of "person"; not "people" of
    "resident", nor "soldier" of "civilian"."""
    people = _senses("people.tsv")
    a, b = _PERSON.get(kind, kind), _PERSON.get(of, of)
    if a == b:
        return True
    if a not in people or b not in people:
        return False
    (mine, above_mine), (theirs, _) = people[a], people[b]
    return bool(mine & theirs or theirs & above_mine)


def same_action(a: str, b: str) -> bool:
    """Two verbs (lemmas, a phrasal verb joined by "_") share a sense or one is a kind of
    the other (``verbs.tsv``): "cut" and "reduce", "close" and "shut", "hire" and
    "employ", "beat" and "defeat"; not "uphold" and "overturn", nor "injure" and "kill",
    nor opposites (WordNet's, or one up and one down: "raise" and "reduce").
    A verb the table lacks is no kin."""
    if a == b:
        return True
    if a in antonyms(b) or a in opposites(b) or {a, b} <= UP | DOWN and (a in UP) != (b in UP):
        return False  # WordNet's looser senses join "raise" and "reduce" (a calculation)
    verbs = _senses("verbs.tsv")
    return a in verbs and b in verbs and not _other_kind(verbs, a, b)


# "people" is the plural of "person" (WordNet's people.n.01 is a group, "the people")
_PERSON = {"people": "person", "persons": "person"}


def _office(token: Token) -> str | None:
    """The office a title word names, read with the word before it where the two are
    one title ("Prime Minister", "Secretary-General")."""
    offices = _offices()
    before = token.i - 1
    doc = token.doc
    if before >= 0 and doc[before].tag_ == "HYPH":
        before -= 1
    if before >= 0 and doc[before].is_alpha:
        pair = f"{doc[before].lower_}_{token.lower_}"
        if pair in offices:
            return pair
    for word in (token.lower_, token.lemma_.lower()):
        if word in offices:
            return word
    return None


def titles(doc: Doc) -> frozenset[tuple[str, str]]:
    """(surname, office) for each title of office put on a proper name: "President
    Modi" → ("Modi", "president"); "Ron DeSantis, the governor of Florida" →
    ("DeSantis", "governor")."""
    found = set()
    for token in doc:
        head = token.head
        if token.dep_ not in _TITLE_DEPS or head.tag_ not in ("NNP", "NNPS"):
            continue
        if token.ent_type_ in _NOT_TITLES or head.ent_type_ in _PLACES:
            continue  # "General Motors", "Governor Street"
        if head.lower_ in _offices():
            continue  # "Secretary" of "Secretary-General": part of the title
        office = _office(token)
        if office is not None:
            found.add((head.text, office))
    return frozenset(found)
