"""Which way a text says something moved: "X reduces Y" against "X increased Y".

A *direction* is a word that says a quantity went up or down (a verb such as
"increase", "reduce", "inhibit"; a comparative such as "higher", "fewer",
"slower"; a noun such as "decline") together with its *target*: the content
lemmas of what went up or down ("the risk of postoperative bleeding" gives
``{"risk", "bleeding", "postoperative"}``). Read from spaCy's dependency parse:

* a verb's target is its object, or its subject when it has no object ("cases
  fell", "expenditure was increased");
* a modifier's target is the noun it modifies ("an increased risk of bleeding");
* a predicate adjective's target is its clause's subject ("rates were higher");
* a noun's target is what it is an increase of or in ("a decline in incidence").

A negated direction ("did not decrease") says nothing about the way, so it is
left out; one in a possibility, a question or an aim ("may reduce", "whether it
reduces", "the potential of increasing") is kept but marked as not
:attr:`~Direction.asserted`: it can agree with a claim, never contradict it.
Words that turn an effect around when they name its cause ("loss of",
"deficient", "inhibitor") are counted per text (:attr:`flips`), so that "loss of
X reduces Y" is not read against "X increases Y".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.nli.mood import asserted

if TYPE_CHECKING:
    from claims.nlp import Doc, Token

UP = frozenset(
    {
        "increase", "raise", "rise", "elevate", "enhance", "boost", "augment", "amplify",
        "upregulate", "promote", "induce", "stimulate", "accelerate", "facilitate", "improve",
        "grow", "gain", "expand", "double", "triple", "surge", "soar", "climb", "jump",
        "increment", "upregulation", "elevation", "enhancement", "growth", "improvement",
    }
)  # fmt: skip
DOWN = frozenset(
    {
        "decrease", "reduce", "lower", "lessen", "decline", "fall", "drop", "diminish",
        "attenuate", "downregulate", "suppress", "inhibit", "impair", "slow", "shrink",
        "cut", "halve", "plunge", "plummet", "dip", "slump", "worsen", "reduction",
        "downregulation", "suppression", "inhibition", "impairment", "decrement",
    }
)  # fmt: skip
# Comparatives count only as comparatives ("higher", not "high").
COMPARATIVE_UP = frozenset({"high", "more", "many", "much", "great", "large", "fast", "big"})
COMPARATIVE_DOWN = frozenset({"low", "less", "few", "little", "small", "slow"})
# The thing that goes up or down is usually what these measure, not themselves.
GENERIC = frozenset(
    {
        "level", "rate", "risk", "number", "amount", "concentration", "incidence",
        "prevalence", "odds", "likelihood", "frequency", "proportion", "percentage", "share",
        "count", "degree", "extent", "value", "ratio", "total", "use", "effect", "time",
        "percent", "%", "people", "patient", "case", "year", "month", "week", "day",
    }
)  # fmt: skip
# Causes that reverse an effect: "loss of X reduces Y" agrees with "X increases Y".
FLIPS = frozenset(
    {
        "loss", "lack", "deficiency", "deficient", "knockout", "inhibitor", "inhibition",
        "absence", "depletion", "deletion", "antagonist", "blockade", "block", "silence",
        "silencing", "null", "without", "knockdown", "ablation", "mutant", "blocker",
    }
)  # fmt: skip
_TARGET_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})
_PREPOSITIONS = frozenset({"of", "in", "for", "to", "among", "on"})


@dataclass(frozen=True)
class Direction:
    sign: int  # +1 up, -1 down
    word: str  # as written: "reduced", "higher"
    targets: frozenset[str]  # content lemmas of what went up or down
    asserted: bool = True  # stated as a fact, not "may reduce" (claims.nli.mood)
    # the targets that are nouns ("capacity", not "inflammatory")
    nouns: frozenset[str] = frozenset()


def sign_of(token: Token) -> int:
    lemma = token.lemma_.lower()
    if lemma in UP:
        return 1
    if lemma in DOWN:
        return -1
    if token.tag_ in ("JJR", "RBR"):
        if lemma in COMPARATIVE_UP or token.lower_ in ("more", "higher", "greater"):
            return 1
        if lemma in COMPARATIVE_DOWN or token.lower_ in ("less", "lower", "fewer"):
            return -1
    return 0


def _negated(token: Token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    head = token.head
    # "did not lead to higher rates", "was not associated with increased risk"
    for _ in range(3):
        if head is token or head.pos_ not in ("VERB", "AUX", "ADP"):
            break
        if any(c.dep_ == "neg" for c in head.children):
            return True
        head = head.head
    return False


def _phrase(noun: Token, depth: int = 0) -> set[str]:
    """Content lemmas of a noun phrase: the noun, its compounds and modifiers, what it
    is "of" or "in", and nouns joined to it with "and"."""
    out = {noun.lemma_.lower()} if noun.pos_ in _TARGET_POS else set()
    if depth > 2:
        return out
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod", "poss") and child.pos_ in _TARGET_POS:
            if sign_of(child) == 0:
                out.add(child.lemma_.lower())
        elif child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
            out |= _phrase(child, depth + 1)
        elif child.dep_ == "prep" and child.lower_ in _PREPOSITIONS:
            out |= {x for p in child.children if p.dep_ == "pobj" for x in _phrase(p, depth + 1)}
    return out


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _targets(token: Token) -> set[str]:
    dep, head = token.dep_, token.head
    if token.pos_ in ("NOUN", "PROPN"):  # "a decline in incidence", "risk reduction"
        out = set()
        for child in token.children:
            if child.dep_ == "compound":
                out.add(child.lemma_.lower())
            if child.dep_ == "prep" and child.lower_ in _PREPOSITIONS:
                out |= {x for p in child.children if p.dep_ == "pobj" for x in _phrase(p)}
        return out
    if dep in ("amod", "nummod") and head.pos_ in ("NOUN", "PROPN"):
        return _phrase(head)
    if dep in ("acomp", "attr", "oprd"):  # "rates were higher"
        subject = _subject(head)
        return _phrase(subject) if subject is not None else set()
    if token.pos_ in ("VERB", "AUX"):
        objects = [c for c in token.children if c.dep_ in ("dobj", "attr", "oprd")]
        if objects:
            return set().union(*(_phrase(o) for o in objects))
        subject = _subject(token)
        if subject is not None:  # "cases fell", "expenditure was increased"
            return _phrase(subject)
    if dep == "advmod" and head.pos_ in ("VERB", "ADJ"):  # "produced more TMAO" is dobj
        return set()
    if dep == "dobj":  # "produce less TMAO": "less" heads the object in some parses
        return _phrase(token)
    return set()


def directions(doc: Doc) -> tuple[Direction, ...]:
    nouns = {t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN")}
    out = []
    for token in doc:
        sign = sign_of(token)
        if not sign or _negated(token):
            continue
        targets = frozenset(t for t in _targets(token) if t and t != token.lemma_.lower())
        if targets:
            out.append(Direction(sign, token.text, targets, asserted(token), targets & nouns))
    return tuple(out)


def flips(doc: Doc) -> int:
    """How many reversing words ("loss of", "deficient", "inhibitor") the text has."""
    return sum(
        1
        for token in doc
        if token.lemma_.lower() in FLIPS or token.lower_.endswith(("-deficient", "-null"))
    )
