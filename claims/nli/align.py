"""Is an evidence sentence about the claim, does it carry the claim's details,
and where does it disagree with them? Read with spaCy (``claims.nlp``).

A :class:`Profile` is what the policy needs to know of one text: its content
words (lemmas), named entities, numbers and years, each with the verb it hangs
on, and which verbs are negated. Sentences are profiled once (cached) and a
window of sentences is the union of its sentences' profiles.

* :func:`about`: the sentence shares the claim's subject: its entities and
  content words, not only a date or a number.
* :func:`covers`: every entity, number and year of the claim is in the text
  (partial evidence does not support).
* :func:`conflict`: a different number (same unit), year (not a year of
  comparison), named entity (same type, same verb) or the negated predicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.nli.policy import Conflict
from claims.numeric_checks import Quantity, event_years, quantities, same_value

if TYPE_CHECKING:
    from claims.nlp import Doc, Token

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_ANCHOR_POS = frozenset({"NOUN", "PROPN", "VERB"})
_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# Verbs too general to tie a fact to: "X said", "X has", "X is".
_LIGHT_VERBS = frozenset({"be", "have", "do", "say", "tell", "make", "get", "go", "take"})
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "the", "of", "and", "president", "minister"})
# Words that make a statement a possibility, a plan or an expectation, not a fact.
_HEDGE_MODALS = frozenset({"may", "might", "could"})
_HEDGE_LEMMAS = frozenset(
    {
        "suggest",
        "expect",
        "consider",
        "plan",
        "possible",
        "possibly",
        "likely",
        "unlikely",
        "perhaps",
    }
)
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_NOT_A_SENTENCE = re.compile(r"^\s*(#|\||[-*•]\s|\d+\.\s*$)")


@dataclass(frozen=True)
class Name:
    """A named entity: its text, spaCy label, matching keys and the verb it hangs on."""

    text: str
    label: str
    keys: frozenset[str]
    verb: str | None
    preposition: str | None = None  # "in" for "held in Kazan"


@dataclass(frozen=True)
class Slot:
    """A number or year, as written, and the verb it hangs on."""

    text: str
    verb: str | None
    quantity: Quantity | None = None
    year: int | None = None


@dataclass(frozen=True)
class Profile:
    words: frozenset[str]  # lowercased lemmas and forms of content words, entity initials
    anchors: frozenset[str]  # content lemmas a claim is about (nouns, names, verbs)
    names: tuple[Name, ...]
    numbers: tuple[Slot, ...]
    years: tuple[Slot, ...]  # years of the facts, not years of comparison
    verbs: frozenset[str]  # lemmas of the verbs, and of a copula or auxiliary at the root
    roots: frozenset[str]  # lemmas of the main verbs
    negated: frozenset[str]  # verbs with a negation
    is_sentence: bool = True
    hedged: bool = False  # "may", "could", "is expected to": a possibility, not a fact

    @staticmethod
    def union(profiles: Iterable[Profile]) -> Profile:
        items = list(profiles)
        return Profile(
            words=frozenset().union(*(p.words for p in items)),
            anchors=frozenset().union(*(p.anchors for p in items)),
            names=tuple(n for p in items for n in p.names),
            numbers=tuple(n for p in items for n in p.numbers),
            years=tuple(y for p in items for y in p.years),
            verbs=frozenset().union(*(p.verbs for p in items)),
            roots=frozenset().union(*(p.roots for p in items)),
            negated=frozenset().union(*(p.negated for p in items)),
            is_sentence=all(p.is_sentence for p in items),
            hedged=any(p.hedged for p in items),
        )


def _verb_of(token: Token) -> str | None:
    """The lemma of the nearest verb above a token (itself included)."""
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            return str(token.lemma_.lower())
        if token.head is token:
            return None
        token = token.head
    return None


def _token_at(doc: Doc, offset: int) -> Token | None:
    for token in doc:
        if token.idx <= offset < token.idx + max(1, len(token.text)):
            return token
    return None


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for w in (x.lower().strip(".'’") for x in words) if w and w not in _TITLES)


def _initials(text: str) -> str | None:
    """ "United Nations" -> "un", "angiotensin converting enzyme" -> "ace"."""
    parts = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in _TITLES]
    return "".join(w[0] for w in parts).lower() if len(parts) >= 2 else None


def _looks_like_sentence(doc: Doc) -> bool:
    words = [t for t in doc if t.is_alpha]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    return len(words) >= 3 and has_verb and not _NOT_A_SENTENCE.match(doc.text)


def profile_doc(doc: Doc) -> Profile:
    text = doc.text
    words: set[str] = set()
    anchors: set[str] = set()
    for token in doc:
        if token.pos_ in _CONTENT_POS and not token.is_stop:
            words |= {token.lower_, token.lemma_.lower()}
        if token.pos_ in _ANCHOR_POS and not token.is_stop:
            lemma = token.lemma_.lower().strip(".")
            if lemma not in _TITLES and not (token.pos_ == "VERB" and lemma in _LIGHT_VERBS):
                anchors.add(lemma)
    names = []
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS:
            continue
        keys = _keys(t.text for t in ent if not t.is_punct and not t.is_stop)
        if initials := _initials(ent.text):
            words.add(initials)
            keys |= {initials} if len(keys) > 1 else set()
        if keys:
            head = ent.root.head
            preposition = head.lower_ if ent.root.dep_ == "pobj" and head.pos_ == "ADP" else None
            names.append(Name(ent.text, ent.label_, keys, _verb_of(ent.root), preposition))
    numbers = []
    for q in quantities(text):
        found = _token_at(doc, q.start)
        numbers.append(Slot(q.text, _verb_of(found) if found else None, quantity=q))
    years = []
    for match in re.finditer(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text):
        year = int(match.group(1))
        if year in event_years(text):
            found = _token_at(doc, match.start())
            years.append(Slot(match.group(1), _verb_of(found) if found else None, year=year))
    roots = {t.lemma_.lower() for t in doc if t.dep_ == "ROOT"}
    verbs = {t.lemma_.lower() for t in doc if t.pos_ == "VERB"} | roots
    negated = {
        t.head.lemma_.lower() if t.head.pos_ in ("VERB", "AUX", "ADJ") else t.lemma_.lower()
        for t in doc
        if t.dep_ == "neg" or t.lower_ in ("never", "yet")
    }
    return Profile(
        words=frozenset(words),
        anchors=frozenset(anchors),
        names=tuple(names),
        numbers=tuple(numbers),
        years=tuple(years),
        verbs=frozenset(verbs),
        roots=frozenset(roots),
        negated=frozenset(negated & verbs) if verbs else frozenset(negated),
        is_sentence=_looks_like_sentence(doc),
        hedged=_hedged(doc),
    )


def _hedged(doc: Doc) -> bool:
    """The main statement (or the statement reported by "X said ...") is a possibility,
    a plan or an expectation. A hedge in a side clause ("..., suggesting that ...")
    leaves the main statement a fact."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        statements = [root] + [c for c in root.children if c.dep_ in ("ccomp", "xcomp")]
        for verb in statements:
            if verb.lemma_.lower() in _HEDGE_LEMMAS:
                return True
            if any(c.tag_ == "MD" and c.lower_ in _HEDGE_MODALS for c in verb.children):
                return True
    return False


_store: dict[str, Profile] = {}  # sentence text -> profile; evidence sentences recur across claims
_STORE_LIMIT = 20000


def profiles(texts: list[str]) -> list[Profile]:
    """Profiles of sentences (or claims), parsing the ones not seen yet in one batch."""
    from claims.nlp import pipeline

    new = [t for t in dict.fromkeys(texts) if t not in _store]
    if new:
        if len(_store) + len(new) > _STORE_LIMIT:
            _store.clear()
        for text, doc in zip(new, pipeline().pipe(new), strict=True):
            _store[text] = profile_doc(doc)
    return [_store[t] for t in texts]


def profile(text: str) -> Profile:
    return profiles([text])[0]


# ---------------------------------------------------------------- claim vs evidence


def _name_found(name: Name, words: frozenset[str]) -> bool:
    """A name matches on any of its words or its initials, and on demonyms
    ("India" ~ "Indian", "Ukraine" ~ "Ukrainian")."""
    if name.keys & words:
        return True
    return any(_same_stem(key, word) for key in name.keys for word in words)


def _same_stem(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 4 or a[0] != b[0]:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 and common >= min(len(a), len(b)) - 1


def relevance(claim: Profile, evidence: Profile) -> float:
    """Share of the claim's anchors the evidence mentions."""
    if not claim.anchors:
        return 0.0
    return len(claim.anchors & evidence.words) / len(claim.anchors)


def about(claim: Profile, evidence: Profile) -> bool:
    """The evidence shares the claim's subject: two of its content words, one of them
    a name of the claim when it has names; or, where the claim's names are the point in
    question, two of its other content words."""
    name_words = frozenset().union(*(n.keys for n in claim.names)) if claim.names else frozenset()
    plain = claim.anchors - name_words
    plain_hits = len(plain & evidence.words)
    hits = len(claim.anchors & evidence.words)
    need = min(2, len(claim.anchors))
    if not claim.names:
        return hits >= need and hits > 0
    names_hit = any(_name_found(n, evidence.words) for n in claim.names)
    return (names_hit and hits >= need) or (plain_hits >= min(2, len(plain)) and plain_hits > 0)


def shares_predicate(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses the claim's main verb (or a form of it): a sentence with other
    predicates states other facts, which a model's contradiction alone cannot refute
    the claim with ("Putin has not commented on the reports" vs "North Korea plans to
    send 12,000 troops"). A claim whose main verbs are all light ("is", "has", "said")
    puts its predicate elsewhere: then any sentence qualifies."""
    heavy = {verb for verb in claim.roots if verb not in _LIGHT_VERBS}
    if not heavy:
        return True
    return any(
        _same_stem(verb, other) or verb == other for verb in heavy for other in evidence.verbs
    )


def covers(claim: Profile, evidence: Profile) -> bool:
    """Every name, number and year of the claim is in the evidence, stated as a fact
    where the claim states a fact."""
    if evidence.hedged and not claim.hedged:
        return False
    if not all(_name_found(n, evidence.words) for n in claim.names):
        return False
    found = [s.quantity for s in evidence.numbers if s.quantity]
    for slot in claim.numbers:
        q = slot.quantity
        if q and not q.bound and not any(same_value(q, e) for e in found):
            return False
    return {s.year for s in claim.years} <= {s.year for s in evidence.years}


def conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """The first specific disagreement of one sentence with the claim, if any."""
    return (
        _number_conflict(claim, evidence)
        or _date_conflict(claim, evidence)
        or _negation_conflict(claim, evidence)
        or _name_conflict(claim, evidence)
    )


def _number_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    claimed = [s.quantity for s in claim.numbers if s.quantity]
    for slot in claim.numbers:
        q = slot.quantity
        if q is None or not q.unit or q.bound:
            continue
        same_unit = [
            e
            for e in evidence.numbers
            if e.quantity and e.quantity.unit == q.unit and not e.quantity.bound
        ]
        if any(same_value(q, e.quantity) for e in same_unit if e.quantity):
            continue
        # a value the claim itself gives elsewhere ("83% ... and 74% ...") is no conflict
        others = [
            e
            for e in same_unit
            if e.quantity and not any(same_value(c, e.quantity) for c in claimed)
        ]
        if others:
            same_verb = slot.verb is not None and any(e.verb == slot.verb for e in others)
            return Conflict("number", slot.text, others[0].text, same_verb)
    return None


def _date_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    claimed = {s.year for s in claim.years if s.year is not None}
    stated = {s.year for s in evidence.years if s.year is not None}
    if not claimed or not stated or claimed & stated:
        return None
    verbs = {s.verb for s in claim.years if s.verb}
    same_verb = any(s.verb in verbs for s in evidence.years)
    first = sorted(stated)[0]
    return Conflict("date", ", ".join(map(str, sorted(claimed))), str(first), same_verb)


def _negation_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    for verb in sorted(claim.verbs & evidence.verbs):
        # "is not an antibiotic" vs "is an antibiotic": a light verb counts at the root of
        # both, between near-paraphrases
        at_root = (
            verb in claim.roots and verb in evidence.roots and relevance(claim, evidence) >= 0.5
        )
        if verb in _LIGHT_VERBS and not at_root:
            continue
        if (verb in claim.negated) != (verb in evidence.negated):
            said = "does not say" if verb in evidence.negated else "says"
            return Conflict("negation", verb, said, True)
    return None


def _name_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """Another name of the same kind in the claim name's place. One event happens in
    one place ("held in Kazan" vs "held in Moscow": kind ``place``); other names
    (people met, countries named) can sit side by side (kind ``entity``)."""
    for name in claim.names:
        if _name_found(name, evidence.words) or name.verb in (None, *_LIGHT_VERBS):
            continue
        rivals = [
            other
            for other in evidence.names
            if other.label == name.label
            and other.verb == name.verb
            and not any(_name_found(other, frozenset(n.keys)) for n in claim.names)
        ]
        if not rivals:
            continue
        rival = rivals[0]
        place = (
            name.label in _PLACES
            and name.preposition in ("in", "at")
            and rival.preposition == name.preposition
        )
        return Conflict("place" if place else "entity", name.text, rival.text, True)
    return None
