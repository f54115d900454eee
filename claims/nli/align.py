"""Is an evidence sentence about the claim, does it carry the claim's details,
and where does it disagree with them? Read with spaCy (``claims.nlp``).

A :class:`Profile` is what the policy needs to know of one text: its content
words (lemmas), named entities, numbers and years, each with the verb it hangs
on, and which verbs are negated. Sentences are profiled once (cached) and a
window of sentences is the union of its sentences' profiles.

* :func:`about`: the sentence shares the claim's subject: its entities and
  content words, not only a date or a number.
* :func:`covers`: every entity, number, year, scope word ("most", "all") and
  short quoted phrase of the claim is in the text (partial evidence does not
  support).
* :func:`conflict`: a different number (same unit), year (not a year of
  comparison), named entity (same type, same verb), the negated predicate, or
  the opposite direction of change on the same thing (:mod:`claims.nli.direction`).
* :func:`focus`: the evidence sentence without the phrases that only add a date
  or a number the claim does not speak of ("... ratified the treaty *in October
  2024*"), which the NLI model too often reads as a contradiction. The sentence
  entails what its focus entails (dropping an adjunct only weakens a positive
  statement), so the focus is read only where that holds: no negation,
  quantifier, superlative or condition in the sentence, and no date or amount in
  the claim that the phrase could be speaking to.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from claims.cues import is_question
from claims.decompose import SPEECH_LEMMAS, THING_PRONOUNS
from claims.decontext import CONTEXT_LABELS
from claims.nli.antonyms import (
    Predicate,
    antonyms,
    opposed,
    predicates,
    prepositional_objects,
)
from claims.nli.direction import DOWN, GENERIC, UP, Direction, directions, flips, sign_of
from claims.nli.mood import DISPUTING, planned, speech_sides
from claims.nli.mood import HEDGE_MODALS as _HEDGE_MODALS
from claims.nli.policy import Conflict
from claims.nli.titles import (
    is_office,
    kind_of_person,
    other_office,
    other_people,
    same_action,
    titles,
)
from claims.numeric_checks import (
    MONTHS,
    NUMBER_WORDS,
    WEEKDAYS,
    Quantity,
    compatible,
    event_years,
    may_conflict,
    meets,
    qualified_start,
    quantities,
    same_value,
)
from claims.numeric_checks import years as years_in

if TYPE_CHECKING:
    from claims.nlp import Doc, Span, Token

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_ANCHOR_POS = frozenset({"NOUN", "PROPN", "VERB"})
_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# Verbs too general to tie a fact to: "X said", "X has", "X is".
_LIGHT_VERBS = frozenset({"be", "have", "do", "say", "tell", "make", "get", "go", "take"})
# Light verbs whose complement is not a predicate the evidence must repeat: a copula's
# ("is a comedian" is refuted by "is a musician") and a verb of saying's.
_NAMING_VERBS = frozenset({"be", "say", "tell"})
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "the", "of", "and", "president", "minister"})
# Words that make a statement a possibility, a plan or an expectation, not a fact.
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
_DATE_LABELS = frozenset({"DATE", "TIME"})
_AMOUNT_LABELS = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"})
# Dependencies of the phrases a focus may leave out: "in October 2024", "last week",
# "across its three factories", "the city's mayor since 2019".
_ADJUNCT_DEPS = frozenset({"prep", "npadvmod", "appos"})
_NAMING_DEPS = frozenset({"nummod", "compound", "amod"})
# Words under which leaving a phrase out does not weaken the statement: negations,
# quantifiers, superlatives, conditions ("the first country to ratify it in 2024",
# "no treaty was signed in 2023", "if it is ratified by May", "every worker hired in
# 2023 lost their job" does not say that every worker did).
_NOT_MONOTONE = frozenset(
    "no not n't never without nor neither few fewer less least only first last final none "
    "except unless if whether all every each any most".split()
)
# Words in a claim that speak of time or amount without a number: a phrase with a date
# or a number in the evidence may be what confirms or denies them.
_TEMPORAL_WORDS = frozenset(
    "recently recent immediately now still already yet soon ago since later earlier "
    "currently formerly previously once today yesterday tomorrow".split()
)
# Words that set a claim's scope: evidence that lacks them does not confirm the claim
# ("most of the workers" is not confirmed by "300 of the 2,100 workers"; "took effect
# immediately" not by "took effect on 3 May"). Words of one group stand for each other.
_SCOPE_GROUPS = {
    "most": "most", "majority": "most",
    "all": "all", "every": "all", "entire": "all", "whole": "all",
    "immediately": "immediately", "instantly": "immediately",
    "always": "always", "only": "only", "sole": "only",
    "first": "first", "inaugural": "first", "maiden": "first",
    "final": "last", "last": "last",
}  # fmt: skip
_AMOUNT_WORDS = frozenset(
    "many most few several majority minority all half dozens hundreds thousands millions "
    "billions some every each more less fewer number".split()
)
_NOT_A_SENTENCE = re.compile(r"^\s*(#|\||[-*•]\s|\d+\.\s*$)")


@dataclass(frozen=True)
class Name:
    """A named entity: its text, spaCy label, matching keys and the verb it hangs on."""

    text: str
    label: str
    keys: frozenset[str]
    verb: str | None
    preposition: str | None = None  # "in" for "held in Kazan"
    # the names listed with it ("Egypt" and "Iran" for "South Africa, Egypt and Iran")
    listed: frozenset[str] = frozenset()
    # it says which of a noun's kind ("drivers in Leeds", "members of Unite",
    # "Eastport's strike"): another name there is other people or things, no conflict
    restricts: bool = False
    # "subject" or "object" where the name is one of its verb's (a compound's head counts)
    role: str | None = None
    # it restricts its verb's direct object: where the thing done is or happened ("a
    # major incident in Carnford"), not whose or which ("shares in Marlow Motors")
    places_object: bool = False
    # it is part of how a person the sentence names is described ("Labour" of "Labour's
    # former leader, Peter Doyle"): the person is the one the claim speaks of
    describes: bool = False
    # the place it says a place the sentence names is in: "Austin" for "Texas" of
    # "in Austin, Texas" (its apposition)
    region_of: str | None = None
    # the noun it says which of is meant, as a lemma: "fire" of "the Cedar Valley fire",
    # "board" of "Ashvale's health board" (see ``restricts``)
    restricted: str | None = None
    # it is its verb's subject or says whose or which that subject is, through
    # prepositions and possessors: "Marrow" of "The central bank of Marrow cut its
    # rate", "Dalmor" of "A ceasefire between Dalmor's government and rebels …"
    in_subject: bool = False
    # the role on its verb of the noun it says which of is meant: "object" for "Sable
    # Bay" of "called the Sable Bay spill the worst" (see ``restricted``)
    restricted_role: str | None = None
    # the prepositions between it and its verb, nearest first: ("to", "for") for
    # "Harwick" of "blamed rising steel prices for the delay to the Harwick bypass"
    path: tuple[str, ...] = ()
    # it says something of its own: the speaker of "Mercia, another building society,
    # said its merger was expected to be completed in early 2026"
    speaks_of_its_own: bool = False


@dataclass(frozen=True)
class Run:
    """A count of times in a row: "the fifth year in a row", "three consecutive
    meetings", "for the third time"."""

    value: int
    noun: str  # lemma: "year", "fall", "meeting", "time"
    verb: str | None  # the verb it hangs on
    text: str  # as written: "the fifth year in a row"
    word: str  # the number as written: "fifth", "three"


@dataclass(frozen=True)
class Slot:
    """A number or year, as written, and the verb it hangs on."""

    text: str
    verb: str | None
    quantity: Quantity | None = None
    year: int | None = None
    counted: str | None = None  # the noun a number counts, as a lemma: "soldier" of "12 soldiers"
    # the head words of its verb's subject: {"share"} of "shares fell 3%"
    subject: frozenset[str] = frozenset()
    # the noun it is "on" or "at", which holds it: "alliance" of "the Green Alliance on
    # 11%" (:func:`_held_by`)
    holder: str | None = None
    age: bool = False  # a person's age: "41" of "Kerr, 41, …", "a 56-year-old man"


@dataclass(frozen=True)
class Adjunct:
    """A phrase of a sentence that adds a date or a number to what it modifies."""

    start: int  # token indices, end exclusive
    end: int
    dated: bool  # holds a date or time
    amounts: tuple[Quantity, ...]  # the numbers it holds
    years: frozenset[int]
    words: frozenset[str]  # lowercased lemmas of its content words
    on_verb: bool = False  # hangs on a verb ("to ratify the treaty in 2024")


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
    # its main statement is an expectation, a plan or a promise ("prices are expected
    # to rise", "the minister said she would resign"; claims.nli.mood.planned)
    expects: bool = False
    # it reports an expectation, a plan or a promise anywhere, in a side clause too
    # ("..., claiming the benefits would be colossal")
    plans: bool = False
    initials: frozenset[str] = (
        frozenset()
    )  # of its noun phrases: "cbt" for "cognitive behavioral therapy"
    directions: tuple[Direction, ...] = ()  # what it says went up or down
    flips: int = 0  # words that reverse an effect ("loss of", "deficient", "inhibitor")
    # for :func:`focus`: the sentence's tokens (with their spacing), its date or number
    # phrases, whether leaving one out only weakens it, and (as a claim) whether it
    # speaks of time or amounts other than by its years and numbers
    tokens: tuple[str, ...] = ()
    adjuncts: tuple[Adjunct, ...] = ()
    monotone: bool = False
    temporal: bool = False
    vague_amount: bool = False
    scope: frozenset[str] = frozenset()  # the scope words' groups (_SCOPE_GROUPS)
    quoted: tuple[frozenset[str], ...] = ()  # content words of short quoted phrases
    predicates: tuple[Predicate, ...] = ()  # clause verbs and predicate adjectives
    # token spans of the phrases a rank or superlative heads ("the first country to
    # ratify the treaty in 2024"): a date inside one restricts the rank
    ranked: tuple[tuple[int, int], ...] = ()
    ordinals: frozenset[str] = frozenset()  # "second", "3rd": which one of its kind
    runs: tuple[Run, ...] = ()  # its counts of times in a row (:class:`Run`)
    # what a light root verb other than a copula says: "screening" in "had an early
    # screening" (lemmas of its object)
    complements: frozenset[str] = frozenset()
    # what a root verb of saying reports, its clause's predicate: "likely" of "Ana Ruiz
    # said more eruptions were likely", "cut" of "… said it would cut 1,200 jobs"
    reported: frozenset[str] = frozenset()
    # the items of its lists of three or more common nouns ("canoeing, hiking, fishing
    # and picnicking"), lemmas: a claim's list must be in the evidence item by item
    listed: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()  # the months its dates name ("oct" for "October")
    # what a root copula says its subject is: "player", "football" in "is an American
    # football player" (nouns of the complement, its compounds and "of" phrases)
    attributes: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()  # of those, the nouns heading the complement
    # lemmas and forms of its adjectives and adverbs in the plain degree, and of its
    # singular nouns ("high" of "a record high"), where nothing negates them
    modifiers: frozenset[str] = frozenset()
    # the nouns of place phrases that may restrict a count (:func:`_scoped`)
    scoped: frozenset[str] = frozenset()
    # what it says only a part of: "protest" of "most of the protest", "voter" of "a
    # majority of the voters" (content lemmas of the "of" phrase)
    partial: frozenset[str] = frozenset()
    # its date phrases, each as (the verb it hangs on, its content words): ("employ",
    # {"2010"}) for "employed 1,500 people in 2010", ("rise", {"year", "ago"})
    dates: tuple[tuple[str | None, frozenset[str]], ...] = ()
    # the months and weekdays of its dates, each as (the verb it hangs on, the
    # preposition before it, "month" or "weekday", the name): ("close", "until",
    # "weekday", "friday") for "will remain closed until Friday"
    when: tuple[tuple[str | None, str | None, str, str], ...] = ()
    # its date phrases as written, but those on a verb of saying ("on Wednesday" of
    # "officials said on Wednesday"): when what it tells of happened
    event_dates: tuple[str, ...] = ()
    # how long what a verb says lasted, as (the verb, the phrase's content words):
    # ("wait", {"year"}) for "have waited more than a year" (:func:`_lasted_otherwise`)
    lasting: tuple[tuple[str | None, frozenset[str]], ...] = ()
    # the head nouns or pronouns of its main verb's subject, as lemmas: "fire" of "The
    # fire is 25% contained", "it" of "It was the hottest day"
    subjects: frozenset[str] = frozenset()
    # the content lemmas of each of its relative clauses: {"lose", "century"} of "a
    # landscape that was lost for almost a century"
    relative: tuple[frozenset[str], ...] = ()
    # its main verb's subject is a bare plural ("Temperatures reached 38.7C", "Protesters
    # marched"): what it says may happen in many places at once
    plural_subject: bool = False
    # what it says there is none of, as lemmas: "arrest" of "there were no arrests"
    none_of: frozenset[str] = frozenset()
    # each thing it says there is none of, with the content lemmas that say which of
    # it: ("case", {"confirm", "illness", "link", "school", "water", "supply"}) of "no
    # confirmed cases of illness linked to the school's water supply"
    none_which: tuple[tuple[str, frozenset[str]], ...] = ()
    # a proper noun the tagger left unlabelled that is its main verb's subject:
    # "Northjet" of "Northjet cancelled 340 flights" (:func:`elsewhere`)
    unlabelled_doers: tuple[Name, ...] = ()
    # the subjects and objects it leaves to what came before, as (their verb, their
    # role): ("call", "object") for "Lena Harcourt called it the worst spill" and for
    # "… called the spill the worst" (:func:`_which_other`)
    open_roles: frozenset[tuple[str | None, str]] = frozenset()
    # the nouns it writes after "the", "this" or "that" with no name in them, in any
    # role, as lemmas: "chair", "judge", "book" of "The chair of the judges … described
    # the book as …" (:func:`_which_other`)
    described: frozenset[str] = frozenset()
    # the nouns after "the", "this" or "that" that a phrase after them says which of,
    # with that phrase's content lemmas: ("decision", {"sell", "club", "training",
    # "ground"}) of "the decision to sell the club's training ground"
    described_which: tuple[tuple[str, frozenset[str]], ...] = ()
    # the nouns a proper noun before them says which of, with its words: ("festival",
    # {"greenvale"}) of "the Greenvale music festival"
    named_kinds: tuple[tuple[str, frozenset[str]], ...] = ()
    # a claim the extraction could not make stand alone (Claim.needs_context): "The
    # government has declared a major incident" (of which place?)
    unresolved: bool = False
    # the words of the names its article gives up to it, for any claim from an article
    # (Claim.context_names): what a claim that needs its article may rely on, and what
    # tells a sentence on another such thing (:func:`elsewhere`)
    article: frozenset[str] = frozenset()
    # its prepositions, lowercased: "for" of "blamed rising steel prices for the delay"
    prepositions: frozenset[str] = frozenset()
    # (surname, office) of its titles: ("Modi", "president") for "President Modi"
    titles: frozenset[tuple[str, str]] = frozenset()
    # the sentences' own profiles, for text read together (:meth:`union`)
    parts: tuple[Profile, ...] = ()

    @functools.cached_property
    def written(self) -> frozenset[str]:
        """Every word the text writes (:func:`_letters`), of each sentence read together
        too, and its words' lemmas; read once per profile (the name checks ask for it for
        each claim read against it)."""
        tokens = [*self.tokens, *(t for p in self.parts for t in p.tokens)]
        return _letters(" ".join(tokens)) | self.words

    @property
    def all_names(self) -> tuple[Name, ...]:
        """Its names and the proper nouns the tagger left out (:attr:`unlabelled_doers`):
        what the sentence before a pronoun's places it by."""
        return self.names + self.unlabelled_doers

    @staticmethod
    def union(profiles: Iterable[Profile]) -> Profile:
        items = list(profiles)
        if len(items) == 1:
            return items[0]
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
            expects=any(p.expects for p in items),
            plans=any(p.plans for p in items),
            initials=frozenset().union(*(p.initials for p in items)),
            scope=frozenset().union(*(p.scope for p in items)),
            quoted=tuple(q for p in items for q in p.quoted),
            predicates=tuple(x for p in items for x in p.predicates),
            directions=tuple(d for p in items for d in p.directions),
            flips=sum(p.flips for p in items),
            months=frozenset().union(*(p.months for p in items)),
            ordinals=frozenset().union(*(p.ordinals for p in items)),
            runs=tuple(r for p in items for r in p.runs),
            modifiers=frozenset().union(*(p.modifiers for p in items)),
            scoped=frozenset().union(*(p.scoped for p in items)),
            titles=frozenset().union(*(p.titles for p in items)),
            dates=tuple(d for p in items for d in p.dates),
            when=tuple(w for p in items for w in p.when),
            lasting=tuple(d for p in items for d in p.lasting),
            subjects=frozenset().union(*(p.subjects for p in items)),
            none_of=frozenset().union(*(p.none_of for p in items)),
            none_which=tuple(n for p in items for n in p.none_which),
            relative=tuple(r for p in items for r in p.relative),
            unlabelled_doers=tuple(n for p in items for n in p.unlabelled_doers),
            open_roles=frozenset().union(*(p.open_roles for p in items)),
            described=frozenset().union(*(p.described for p in items)),
            described_which=tuple(d for p in items for d in p.described_which),
            named_kinds=tuple(k for p in items for k in p.named_kinds),
            prepositions=frozenset().union(*(p.prepositions for p in items)),
            partial=frozenset().union(*(p.partial for p in items)),
            parts=tuple(items),
        )


def _up_to_verb(token: Token) -> list[Token]:
    """The token and those above it, up to the nearest verb (included) or the root, at
    most eight."""
    chain = [token]
    while (
        len(chain) < 8 and chain[-1].pos_ not in ("VERB", "AUX") and chain[-1].head is not chain[-1]
    ):
        chain.append(chain[-1].head)
    return chain


def _verb_above(token: Token) -> Token | None:
    """The nearest verb above a token (itself included)."""
    top = _up_to_verb(token)[-1]
    return top if top.pos_ in ("VERB", "AUX") else None


def _verb_of(token: Token) -> str | None:
    """The lemma of the nearest verb above a token (itself included)."""
    verb = _verb_above(token)
    return str(verb.lemma_.lower()) if verb is not None else None


_ROLES = {"nsubj": "subject", "nsubjpass": "object", "dobj": "object"}


def _subject_of(token: Token, holder: str | None = None) -> frozenset[str]:
    """The head words of the subject of the nearest verb above a token: {"share"} of
    "3%" in "Harlow Foods' shares fell 3%"; none where the figure is the subject ("71%
    voted in favour"). A figure a noun holds ("the Green Alliance on 11%") is that noun's
    (:func:`_held_by`, which the caller passes as ``holder``)."""
    if holder is not None:
        return frozenset({holder})
    verb = _verb_above(token)
    if verb is None:
        return frozenset()
    return frozenset(
        word
        for c in verb.children
        if c.dep_ in ("nsubj", "nsubjpass") and token not in c.subtree
        for word in _who(c)
    )


def _held_by(token: Token) -> str | None:
    """The noun a figure is "on" or "at" ("Alliance" of "the Green Alliance on 11%" in
    "has the Reform Party on 34% … and the Green Alliance on 11%", and of "The Green
    Alliance is on 12%"), as a lemma: each item of such a list holds its own share."""
    figure = token.head if token.dep_ == "nummod" else token
    prep = figure.head
    if figure.dep_ != "pobj" or prep.lower_ not in ("on", "at") or prep.dep_ != "prep":
        return None
    noun = prep.head
    if noun.lemma_ == "be":  # "The Green Alliance is on 12%": the copula's subject
        noun = next((c for c in noun.children if c.dep_ == "nsubj"), noun)
    return str(noun.lemma_.lower()) if noun.pos_ in ("NOUN", "PROPN") else None


def _who(subject: Token) -> frozenset[str]:
    """A subject's head word, or for a pronoun that a relative clause says who is
    meant by, that clause's verb: {"walk"} of "those who walked every day", which is
    not "those who cycled to work"."""
    if subject.pos_ == "PRON":
        verbs = frozenset(c.lemma_.lower() for c in subject.children if c.dep_ == "relcl")
        if verbs:
            return verbs
    return frozenset({subject.lemma_.lower()})


def _describes_person(root: Token) -> bool:
    """A name in a noun that stands in apposition with a person's name: "Labour" of
    "Labour's former leader, Peter Doyle" or of "Peter Doyle, Labour's former leader"."""
    noun = root.head if root.dep_ in ("poss", "compound") else None
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        noun = root.head.head
    if noun is None or noun.pos_ != "NOUN":
        return False
    if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in noun.children):
        return True
    return noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON"


def _name_root(ent: Span) -> Token:
    """The head word of a name, but not a determiner the tagger took in that belongs to
    the noun the name modifies: "Bay" of "the Sable Bay" in "the Sable Bay spill"."""
    if len(ent) > 1 and ent[0].dep_ == "det" and ent[0].head.i not in range(ent.start, ent.end):
        return ent[1:].root
    return ent.root


def _restricts(root: Token) -> bool:
    """A name that says which of a noun's kind is meant: the object of a preposition
    on a noun ("drivers in Leeds", "members of Unite"), a possessor ("Eastport's first
    strike") or a noun's modifier ("Bradford bus drivers")."""
    head = root.head
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        return head.dep_ == "prep" and head.head.pos_ in ("NOUN", "PROPN")
    return root.dep_ in ("poss", "compound") and head.pos_ in ("NOUN", "PROPN")


def _in_subject(root: Token) -> bool:
    """The name is a subject or within one, by way of prepositions, possessors,
    compounds and lists only (not a clause's: "the people killed in Dalmor")
    (:attr:`Name.in_subject`)."""
    token = root
    while token.dep_ in ("poss", "compound", "pobj", "prep", "conj", "appos"):
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return False  # "talks collapsed in Vienna": a place of the verb's
    return token.dep_ in ("nsubj", "nsubjpass")


def _restricted_noun(root: Token) -> Token | None:
    """The noun a name says which of is meant (:func:`_restricts`)."""
    if not _restricts(root):
        return None
    return root.head.head if root.dep_ == "pobj" else root.head


def _restricted(root: Token) -> str | None:
    """The noun a name says which of is meant, as a lemma."""
    noun = _restricted_noun(root)
    return str(noun.lemma_.lower()) if noun is not None else None


def _restricted_role(root: Token) -> str | None:
    """The role on its verb of the noun a name says which of is meant
    (:attr:`Name.restricted_role`)."""
    noun = _restricted_noun(root)
    if noun is None:
        return None
    if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "at") and noun.head.head.pos_ == "VERB":
        return "place"  # "At the Lumen festival, the jury … praised …": where it was done
    return _ROLES.get(noun.dep_)


def _path_to_verb(root: Token) -> tuple[str, ...]:
    """The prepositions between a name and the nearest verb above it (:attr:`Name.path`)."""
    between = _up_to_verb(root)[:-1]
    return tuple(t.lower_ for t in between if t.dep_ in ("prep", "agent"))


#: Prepositions that say what a verb is about, why or to whom, or on what occasion:
#: "blamed … for the delay", "concerned by the tariffs", "angry over the decision", "a
#: case against the firm", "deployed to help after the floods in Ferren".
_MATTER_PREPOSITIONS = frozenset(
    {"for", "over", "about", "by", "against", "with", "after", "before", "during", "following"}
    | {"into"}  # "an investigation into the failure of the Dunmore cable"
)


def _open_roles(doc: Doc) -> frozenset[tuple[str | None, str]]:
    """The subjects and objects a sentence leaves to what came before: a pronoun for a
    thing, or a noun after "the", "this" or "that" with no name in it
    (:attr:`Profile.open_roles`)."""
    found = set()
    for token in doc:
        role = _ROLES.get(token.dep_)
        pronoun = token.pos_ == "PRON" and token.lower_ in THING_PRONOUNS
        if role is not None and (pronoun or _described(token)):
            found.add((_verb_of(token.head), role))
    return frozenset(found)


def _described(token: Token, beside: bool = True) -> bool:
    """A noun after "the", "this" or "that" with no name and no rank in it: "the spill",
    "the judges"; which one is meant is left to what came before. ``beside``: a name set
    beside it counts ("the chair, historian Mark Ellery", whom it names)."""
    words = token.subtree if beside else _phrase(token)
    return (
        _definite(token)
        and not any(t.ent_type_ for t in words)
        and not any(_ranks(c) for c in token.children)
    )


def _definite(token: Token) -> bool:
    """A noun after "the", "this" or "that"."""
    return token.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children
    )


def _ranks(token: Token) -> bool:
    """A superlative or ordinal that says which one is meant by its rank ("the most
    important issue", "the first strike")."""
    return (
        token.tag_ == "JJS"
        or token.lower_ in _ORDINAL_WORDS
        or any(c.tag_ == "RBS" for c in token.children)
    )


def _phrase(token: Token) -> Iterator[Token]:
    """A noun's phrase, but what is set beside it: "the judges" of "the judges,
    historian Mark Ellery"."""
    yield token
    for child in token.children:
        if child.dep_ != "appos":
            yield from child.subtree


def _an_age(token: Token, q: Quantity) -> bool:
    """A whole number set beside a name or a noun, as news writes a person's age: "41"
    of "Kerr, 41, grew up in Sligo", "The victim, 41, …" (read as "a 41-year-old" is,
    in months)."""
    return (
        not q.unit
        and token.dep_ == "appos"
        and token.head.pos_ in ("PROPN", "NOUN")
        and q.value.is_integer()
        and 1 <= q.value <= 120
        and token.text.isdigit()
    )


def _partitive(token: Token) -> str | None:
    """The noun a number counts some of, as a lemma: "injured" of "Seven of the injured
    are in a serious condition", "victim" of "Three of the victims"."""
    if token.pos_ != "NUM":
        return None
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if noun is not None and any(c.lower_ == "the" for c in noun.children):
                return str(noun.lemma_.lower())
    return None


def _counted(token: Token) -> str | None:
    """The noun a number counts: "soldier" of "12 North Korean soldiers"."""
    if token.dep_ == "nummod" and token.head.pos_ == "NOUN":
        return str(token.head.lemma_.lower())
    return None


def _token_at(doc: Doc, offset: int) -> Token | None:
    for token in doc:
        if token.idx <= offset < token.idx + max(1, len(token.text)):
            return token
    return None


def _keys(words: Iterable[str]) -> frozenset[str]:
    keys = (re.sub(r"['’]s$", "", x.lower()).strip(".'’") for x in words)  # "Kyiv’s"
    return frozenset(w for w in keys if w and w not in _TITLES)


# A government named by its seat ("Moscow said", "talks between Kyiv and Moscow"): the
# capital stands for its country in news text, and the country for the capital.
CAPITALS = {
    "moscow": "russia", "kremlin": "russia", "kyiv": "ukraine", "kiev": "ukraine",
    "washington": "us", "beijing": "china", "pyongyang": "korea", "seoul": "korea",
    "delhi": "india", "tehran": "iran", "london": "uk", "paris": "france",
    "berlin": "germany", "tokyo": "japan", "brasilia": "brazil", "pretoria": "africa",
    "cairo": "egypt", "ankara": "turkey", "jerusalem": "israel", "riyadh": "saudi",
    "damascus": "syria", "minsk": "belarus", "warsaw": "poland", "rome": "italy",
    "madrid": "spain", "ottawa": "canada", "canberra": "australia", "brussels": "eu",
    "taipei": "taiwan", "baghdad": "iraq", "kabul": "afghanistan", "islamabad": "pakistan",
    "caracas": "venezuela", "havana": "cuba", "hanoi": "vietnam", "jakarta": "indonesia",
    "abuja": "nigeria", "nairobi": "kenya", "addis": "ethiopia", "doha": "qatar",
    "beirut": "lebanon", "amman": "jordan", "tbilisi": "georgia", "yerevan": "armenia",
    "baku": "azerbaijan", "budapest": "hungary", "stockholm": "sweden", "helsinki": "finland",
}  # fmt: skip


def _aliases(keys: frozenset[str]) -> frozenset[str]:
    """A name's keys with the country its capital stands for, and the reverse."""
    out = set(keys)
    for key in keys:
        if key in CAPITALS:
            out.add(CAPITALS[key])
        out |= {capital for capital, country in CAPITALS.items() if country == key}
    if "united" in keys and "states" in keys:
        out |= {"us", "washington"}
    return frozenset(out)


def _initials(text: str) -> str | None:
    """ "United Nations" -> "un", "angiotensin converting enzyme" -> "ace"."""
    parts = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in _TITLES]
    return "".join(w[0] for w in parts).lower() if len(parts) >= 2 else None


def _looks_like_sentence(doc: Doc) -> bool:
    """A statement: a figure is a word of it ("Turnout was 56%." is one); a heading, a
    fragment or a question ("Didn't all your hair fall out because of the dye?", which
    asserts nothing) is not."""
    words = [t for t in doc if t.is_alpha or t.like_num]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    return (
        len(words) >= 3
        and has_verb
        and not _NOT_A_SENTENCE.match(doc.text)
        and not is_question(doc.text)
    )


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
        # a modifier that narrows a noun ("endometrial tissue", "cardiac progenitors") is
        # part of what the text is about; a predicate ("is important") is not
        if (
            token.pos_ == "ADJ"
            and token.dep_ == "amod"
            and not token.is_stop
            and token.tag_ == "JJ"
            and sign_of(token) == 0
        ):
            anchors.add(token.lemma_.lower())
    for token in doc:  # "SHP-2" ~ "SHP2", "Ly-6C" ~ "Ly6C"
        if "-" in token.text and token.pos_ in _CONTENT_POS:
            words.add(token.lower_.replace("-", ""))
    chunk_initials = set()
    for chunk in doc.noun_chunks:
        if initials := _initials(" ".join(t.text for t in chunk if not t.is_stop)):
            chunk_initials.add(initials)
    words |= chunk_initials
    names = []
    ent_of = {t.i: e.text for e in doc.ents for t in e}
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS or not (_is_name(ent) or _headline_place(ent)):
            continue
        # "US" and "WHO" are names, though "us" and "who" are stop words; one that only
        # modifies a noun ("US Secretary of State Mike Pompeo", "the US health care
        # system") is not asked of the evidence, as it was not before
        upper = _keys(t.text for t in ent if t.is_upper and t.is_stop and len(t.text) > 1)
        words |= upper
        keys = _keys(t.text for t in ent if not t.is_punct and not t.is_stop)
        root = _name_root(ent)
        if root.dep_ not in ("compound", "nmod", "amod"):
            keys |= upper
        if initials := _initials(ent.text):
            words.add(initials)
            keys |= {initials} if len(keys) > 1 else set()
        if keys:
            head = root.head
            preposition = head.lower_ if root.dep_ == "pobj" and head.pos_ == "ADP" else None
            listed = frozenset(ent_of[t.i] for t in root.conjuncts if t.i in ent_of)
            names.append(
                Name(
                    ent.text,
                    ent.label_,
                    keys,
                    _verb_of(root),
                    preposition,
                    listed - {ent.text},
                    _restricts(root),
                    _ROLES.get(root.dep_),
                    root.dep_ == "pobj" and head.head.dep_ == "dobj",
                    _describes_person(root),
                    region_of=_region_of(ent, ent_of),
                    restricted=_restricted(root),
                    in_subject=_in_subject(root),
                    restricted_role=_restricted_role(root),
                    path=_path_to_verb(root),
                    speaks_of_its_own=_speaks_of_its_own(root),
                )
            )
    numbers = []
    for q in quantities(text):
        if _is_identifier(text, q):
            continue
        found = _token_at(doc, q.start)
        age = text[q.start + len(q.text) :].startswith(("-old", " old"))  # "56-year-old"
        if found is not None and _an_age(found, q):
            q = replace(q, unit="month", value=q.value * 12, step=12.0, per_unit=12.0)
            age = True
        elif found is not None and not q.unit and q.value != 1 and (part := _partitive(found)):
            q = replace(q, unit=part)  # "Seven of the injured", not "one of the companies"
        written = f"{q.qualifier.lower()} {q.text}" if q.qualifier else q.text  # "more than 2,000"
        holder = _held_by(found) if found else None
        numbers.append(
            Slot(
                written,
                _verb_of(found) if found else None,
                quantity=q,
                counted=_counted(found) if found else None,
                subject=_subject_of(found, holder) if found else frozenset(),
                holder=holder,
                age=age,
            )
        )
    years = []
    for match in re.finditer(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text):
        year = int(match.group(1))
        if year in event_years(text):
            found = _token_at(doc, match.start())
            years.append(Slot(match.group(1), _verb_of(found) if found else None, year=year))
    roots = {t.lemma_.lower() for t in doc if t.dep_ == "ROOT"}
    main_subjects = _main_subjects(doc)
    verbs = {t.lemma_.lower() for t in doc if t.pos_ == "VERB"} | roots
    negated = {
        t.head.lemma_.lower() if t.head.pos_ in ("VERB", "AUX", "ADJ") else t.lemma_.lower()
        for t in doc
        if t.dep_ == "neg" or t.lower_ in ("never", "yet")
    }
    adjuncts = _adjuncts(doc)
    attributes, kinds = _attributes(doc)
    expects = _expects(doc)
    return Profile(
        tokens=tuple(t.text_with_ws for t in doc) if adjuncts else (),
        adjuncts=adjuncts,
        monotone=not any(
            t.dep_ == "neg" or t.lower_ in _NOT_MONOTONE or t.tag_ in ("JJS", "RBS") for t in doc
        ),
        temporal=any(e.label_ in _DATE_LABELS for e in doc.ents)
        or any(t.lower_ in _TEMPORAL_WORDS for t in doc),
        vague_amount=any(t.lower_ in _AMOUNT_WORDS for t in doc),
        scope=_scope(doc),
        quoted=_quoted(doc),
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
        expects=expects,
        plans=expects or any(planned(t) for t in doc),
        initials=frozenset(chunk_initials),
        directions=directions(doc),
        flips=flips(doc),
        predicates=predicates(doc),
        ranked=_ranked(doc),
        ordinals=_ordinals(doc),
        runs=_runs(doc),
        complements=frozenset(
            c.lemma_.lower()
            for root in doc
            if root.dep_ == "ROOT" and root.lemma_.lower() in _LIGHT_VERBS - _NAMING_VERBS
            for c in _complements(root)
            if not c.is_stop
        ),
        reported=frozenset(
            _predicate_word(c)
            for root in doc
            if root.dep_ == "ROOT" and root.lemma_.lower() in SPEECH_LEMMAS
            for c in root.children
            if c.dep_ == "ccomp"
        ),
        listed=_listed(doc),
        months=_months(doc),
        attributes=attributes,
        kinds=kinds,
        modifiers=frozenset(
            w
            for t in doc
            if t.tag_ in _PLAIN_DEGREE and not t.is_stop and not _negated_word(t)
            for w in (t.lower_, t.lemma_.lower())
        ),
        scoped=_scoped(doc),
        titles=titles(doc),
        dates=tuple(
            (_verb_of(e.root), frozenset(t.lower_ for t in e if not (t.is_stop or t.is_punct)))
            for e in doc.ents
            if e.label_ in _DATE_LABELS and any(t.like_num or t.lower_ in _WHEN for t in e)
        ),
        partial=frozenset().union(*(_part_of(t) for t in doc)),
        when=_when(doc),
        event_dates=tuple(
            e.text
            for e in doc.ents
            if e.label_ in _DATE_LABELS and _verb_of(e.root) not in SPEECH_LEMMAS
        ),
        lasting=_lasting(doc),
        subjects=frozenset(
            c.lemma_.lower() for c in main_subjects if c.pos_ in ("NOUN", "PROPN", "PRON")
        ),
        none_of=frozenset(
            t.head.lemma_.lower()
            for t in doc
            if t.lower_ == "no" and t.dep_ == "det" and t.head.pos_ == "NOUN"
        ),
        none_which=tuple(
            (t.head.lemma_.lower(), _which_words(t.head))
            for t in doc
            if t.lower_ == "no" and t.dep_ == "det" and t.head.pos_ == "NOUN"
        ),
        unlabelled_doers=_unlabelled_doers(main_subjects),
        open_roles=_open_roles(doc),
        described=frozenset(t.lemma_.lower() for t in doc if _described(t, beside=False)),
        named_kinds=tuple(
            (t.lemma_.lower(), which)
            for t in doc
            if t.pos_ == "NOUN"
            and (
                which := _letters(
                    " ".join(c.text for c in t.lefts if c.dep_ == "compound" and c.pos_ == "PROPN")
                )
            )
        ),
        described_which=tuple(
            (t.lemma_.lower(), which)
            for t in doc
            if _definite(t) and (which := _restricting_words(t))
        ),
        prepositions=frozenset(t.lower_ for t in doc if t.dep_ in ("prep", "agent")),
        relative=_relative_clauses(doc),
        plural_subject=any(
            c.tag_ == "NNS"
            and not any(d.dep_ in ("det", "poss", "nummod", "compound") for d in c.children)
            for c in main_subjects
        ),
    )


def _main_subjects(doc: Doc) -> list[Token]:
    """The subjects of its main verbs (the roots of its sentences)."""
    return [
        c for t in doc if t.dep_ == "ROOT" for c in t.children if c.dep_ in ("nsubj", "nsubjpass")
    ]


def _relative_clauses(doc: Doc) -> tuple[frozenset[str], ...]:
    """The content lemmas of each relative clause (:attr:`Profile.relative`)."""
    clauses = (
        frozenset(
            w.lemma_.lower()
            for w in t.subtree
            if w.pos_ in _CONTENT_POS and not w.is_stop and w.lemma_.lower() != "have"
        )
        for t in doc
        if t.dep_ == "relcl"
    )
    return tuple(c for c in clauses if c)


def _unlabelled_doers(main_subjects: Iterable[Token]) -> tuple[Name, ...]:
    """Proper nouns no entity covers that are a main verb's subject ("Northjet" of
    "Northjet cancelled 340 flights"), as names. (Not the first word of a title: in
    "Cooler weekend ahead" the tagger reads "Cooler" as a proper noun too.)"""
    return tuple(
        Name(c.text, "PROPN", keys, c.head.lemma_.lower(), role="subject")
        for c in main_subjects
        if c.pos_ == "PROPN"
        and not c.ent_type_
        and c.head.pos_ in ("VERB", "AUX")
        and (keys := _keys([c.text]))
    )


#: Nouns of a length of time.
_SPANS_OF_TIME = frozenset("second minute hour day week fortnight month year decade".split())


def _lasting(doc: Doc) -> tuple[tuple[str | None, frozenset[str]], ...]:
    """The date phrases that say how long, not when: "more than a year", "three weeks",
    "over 12 months" (a length of time, counted or "a"), not "a year ago", "last
    month" or "this year" (:attr:`Profile.lasting`)."""
    out = []
    for e in doc.ents:
        if e.label_ not in _DATE_LABELS or e.root.lemma_.lower() not in _SPANS_OF_TIME:
            continue
        words = {t.lower_ for t in e}
        if words & (_WHEN | {"this", "that", "the", "each", "every", "per"}):
            continue
        if any(t.like_num or t.lower_ in ("a", "an", "several", "few") for t in e):
            out.append((_verb_of(e.root), frozenset(t.lower_ for t in e if not t.is_punct)))
    return tuple(out)


def _region_of(ent: Span, ent_of: dict[int, str]) -> str | None:
    """The place a place name follows as its apposition: "Austin" for "Texas" in "in
    Austin, Texas", "Kazan" for "Russia" in "in Kazan, Russia"."""
    root = ent.root
    if ent.label_ not in _PLACES or root.dep_ != "appos" or root.head.i not in ent_of:
        return None
    head = root.head
    return ent_of[head.i] if head.ent_type_ in _PLACES else None


#: The days of the week, Monday first (as :meth:`datetime.date.weekday` counts them).


def _when(doc: Doc) -> tuple[tuple[str | None, str | None, str, str], ...]:
    """The months and weekdays named in a text's dates, with the verb and preposition
    each hangs on (:attr:`Profile.when`)."""
    out = []
    for e in doc.ents:
        if e.label_ not in _DATE_LABELS:
            continue
        root = e.root
        preposition = root.head.lower_ if root.dep_ == "pobj" else None
        verb = _verb_of(root)
        for t in e:
            word = t.lower_.rstrip(".")
            if word in _MONTHS:
                out.append((verb, preposition, "month", _MONTHS[word]))
            elif word in WEEKDAYS:
                out.append((verb, preposition, "weekday", word))
            elif word in _PARTS_OF_YEAR and t.i == root.i:
                which = [c.lower_ for c in t.children if c.lower_ in _PART_ORDINALS]
                if len(which) == 1:  # "the first half of 2026", "the third quarter"
                    out.append((verb, preposition, word, _PART_ORDINALS[which[0]]))
    return tuple(out)


#: Parts of a year a date may name by their order, and the words of that order.
_PARTS_OF_YEAR = frozenset({"half", "quarter"})
_PART_ORDINALS = {
    w: str(i)
    for i, words in enumerate(
        [("first", "1st"), ("second", "2nd"), ("third", "3rd"), ("fourth", "4th")], start=1
    )
    for w in words
}


#: The least number of items that makes a coordination a list (:func:`_listed`).
_LIST_ITEMS = 3
_MONTH_NAMES = MONTHS
# a month's name or abbreviation -> its first three letters ("sept" and "sep" too)
_MONTHS = {m: m[:3] for m in _MONTH_NAMES} | {m[:3]: m[:3] for m in _MONTH_NAMES}
_MONTHS["sept"] = "sep"


def _attributes(doc: Doc) -> tuple[frozenset[str], frozenset[str]]:
    """What a root copula says its subject is, twice. First the nouns of the complement
    and its conjuncts ("a singer, musician and actor"), of their prepositional phrases
    ("a member of NATO": member, nato) and the compound nouns of all these ("an album by
    the rock band Linkin Park"); not of a relative clause ("an actress who refused to be
    a model": actress). Then the kind of thing it is: the nouns that head the complement
    and its conjuncts ("a city in Yavapai County": city; head nouns only, as
    "secretary-general" parses two ways)."""
    attributes: set[str] = set()
    kinds: set[str] = set()
    for root in doc:
        if root.dep_ != "ROOT" or root.lemma_.lower() != "be":
            continue
        for complement in root.children:
            if complement.dep_ not in ("attr", "acomp"):
                continue
            heads = [complement, *complement.conjuncts]  # "a singer, musician and actor"
            kinds |= {t.lemma_.lower() for t in heads if t.pos_ == "NOUN"}
            heads += [g for h in heads for _, g in prepositional_objects(h)]
            parts = heads + [c for h in heads for c in h.children if c.dep_ == "compound"]
            attributes |= {t.lemma_.lower() for t in parts if t.pos_ in ("NOUN", "PROPN")}
            if complement.pos_ == "ADJ":  # "is safe", "is an antibiotic" tagged so
                attributes.add(complement.lemma_.lower())
    return frozenset(attributes), frozenset(kinds)


def month_number(word: str) -> int | None:
    """ "March", "mar" or "Sept." -> its number (3, 3, 9)."""
    key = _MONTHS.get(word.lower().rstrip("."))
    return None if key is None else [m[:3] for m in _MONTH_NAMES].index(key) + 1


#: A month's name or abbreviation as news writes it, capitalised ("May", not the verb
#: "may"), as a regular expression (longest first).
MONTH_PATTERN = (
    "(?:" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + r")\.?"
)


def month_name(key: str) -> str:
    """ "oct" -> "October"."""
    return next(m for m in _MONTH_NAMES if m.startswith(key)).capitalize()


def _listed(doc: Doc) -> frozenset[str]:
    """The lemmas of the items of each list of three or more common nouns (or gerunds):
    "offers canoeing, paddleboat rentals, hiking and fishing" lists canoeing, rental,
    hiking and fishing. The model reads a sentence with some of the items (or one on the
    same place) as entailing the whole list. Two coordinated nouns ("for training and
    possible deployment") are often said in other words and are left to the model; names
    and numbers are checked on their own."""

    def item(t: Token) -> bool:
        return t.is_alpha and not t.is_stop and (t.pos_ == "NOUN" or t.tag_ == "VBG")

    out: set[str] = set()
    for head in doc:
        if head.dep_ == "conj" or not item(head):
            continue
        chain, at = [head], head
        while True:
            nxt = [c for c in at.children if c.dep_ == "conj" and item(c)]
            if not nxt:
                break
            at = nxt[0]
            chain.append(at)
        if len(chain) >= _LIST_ITEMS:
            out |= {t.lemma_.lower() for t in chain}
    return frozenset(out)


def _months(doc: Doc) -> frozenset[str]:
    """The months named in a text's dates, by their first three letters ("October",
    "Oct." -> "oct"); read inside dates only, so "may" the verb is no month."""
    return frozenset(
        _MONTHS[t.lower_.rstrip(".")]
        for e in doc.ents
        if e.label_ in _DATE_LABELS
        for t in e
        if t.lower_.rstrip(".") in _MONTHS
    )


_ORDINAL_VALUES = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1
    )
}
_ORDINAL_WORDS = frozenset(_ORDINAL_VALUES)


_RUN_WORDS = frozenset({"consecutive", "straight", "successive", "running"})
_RUN_MODIFIERS = frozenset({"det", "amod", "nummod", "compound", "poss"})
# the number words up to ten, as the ordinals above go
_CARDINAL_VALUES = {w: int(v) for w, v in NUMBER_WORDS.items() if 1 <= v <= 10}


def _runs(doc: Doc) -> tuple[Run, ...]:
    """Its counts of times in a row: a noun with an ordinal or a number and "in a row",
    "consecutive", "straight", "successive" or "running" ("fell for the fifth year in a
    row", "held at three consecutive meetings", "the third year running"), or "time"
    with an ordinal ("for the
    third time"). Such a count is what the sentence says, not which thing it speaks of
    (as "her second daughter" is)."""
    out = []
    for noun in doc:
        if noun.pos_ != "NOUN":
            continue
        kids = list(noun.children)
        in_a_row = [t.lower_ for t in doc[noun.i + 1 : noun.i + 4]] == ["in", "a", "row"]
        # "for the third year running": the participle after its noun
        after = noun.i + 1 < len(doc) and doc[noun.i + 1].lower_ == "running"
        running = (
            in_a_row or after or any(c.dep_ == "amod" and c.lower_ in _RUN_WORDS for c in kids)
        )
        for c in kids:
            word = c.lower_
            if c.dep_ == "amod" and word in _ORDINAL_VALUES:
                value = _ORDINAL_VALUES[word]
            elif c.dep_ in ("amod", "nummod") and re.fullmatch(r"\d{1,3}(?:st|nd|rd|th)", word):
                value = int(word[:-2])
            elif c.dep_ == "nummod" and running and (word.isdigit() or word in _CARDINAL_VALUES):
                value = int(word) if word.isdigit() else _CARDINAL_VALUES[word]
            else:
                continue
            if running or (noun.lemma_.lower() == "time" and word not in _CARDINAL_VALUES):
                start = min(
                    [noun.i] + [k.i for k in kids if k.dep_ in _RUN_MODIFIERS and k.i < noun.i]
                )
                span = doc[start : noun.i + (4 if in_a_row else 2 if after else 1)]
                out.append(Run(value, noun.lemma_.lower(), _verb_of(noun), span.text, c.text))
            break
    return tuple(out)


def _ordinals(doc: Doc) -> frozenset[str]:
    """Its ordinals ("her second album", "the 3rd round"), and the ordinal words inside
    a date, which spaCy tags as part of the date ("in the first quarter", "the second
    week of March"; not a day, "December 15th", which the date checks read)."""
    found = {t.lower_ for e in doc.ents if e.label_ == "ORDINAL" for t in e if t.text.isalnum()}
    found |= {
        t.lower_
        for e in doc.ents
        if e.label_ in _DATE_LABELS
        for t in e
        if t.lower_ in _ORDINAL_WORDS
    }
    # "second" the tagger leaves out, but not the unit of time ("about 90 seconds")
    found |= {t.lower_ for t in doc if t.lower_ == "second" and t.pos_ != "NOUN"}
    return frozenset(found)


def _ranked(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The token spans of the phrases headed by what a rank or superlative word
    modifies ("first" in "the first country to ratify the treaty in 2024" spans the
    whole phrase)."""
    out = []
    for t in doc:
        if t.lower_ in ("first", "last", "final") or t.tag_ in ("JJS", "RBS"):
            head = t.head if t.dep_ in ("amod", "advmod", "nummod") else t
            out.append((head.left_edge.i, head.right_edge.i + 1))
    return tuple(out)


def _scope(doc: Doc) -> frozenset[str]:
    """The groups of the scope words (``_SCOPE_GROUPS``) and the superlatives ("the
    largest", as ``sup:large``; "the second-largest", as ``sup:large@second``) of a
    text. A rank word that tells a time ("last week", "the first half of 2024": a date
    with a number, or one whose noun has no "of" phrase) is not one; "the final day of
    the summit" is. "At least" and "at most" bound a number, which the number check
    reads. Comparatives are kept as
    ``cmp:high``: in the evidence one stands for its superlative ("higher than in 2019,
    the previous record year" may confirm "the highest on record"; the model decides
    whether it does); in a claim it asks for nothing ("higher than in 2022" is confirmed
    by "rose 12 %")."""
    timed = {
        t.i
        for e in doc.ents
        if e.label_ in _DATE_LABELS
        for t in e
        if any(u.like_num for u in e) or not any(c.lower_ == "of" for c in t.head.children)
    }
    out = set()
    for t in doc:
        if t.i in timed or (t.i > 0 and doc[t.i - 1].lower_ == "at"):
            continue
        if t.lower_ in _RANKS and _in_comparison(t):
            continue  # "up from 35% at the last election": the point compared with
        if t.lower_ in _SCOPE_GROUPS:
            out.add(_SCOPE_GROUPS[t.lower_])
        elif t.lower_ in ("least", "most", "less", "more"):
            continue
        elif t.tag_ in ("JJS", "RBS"):
            rank = _rank_of(t)
            out.add("sup:" + t.lemma_.lower() + (f"@{rank}" if rank else ""))
        elif t.tag_ in ("JJR", "RBR"):
            out.add("cmp:" + t.lemma_.lower())
    return frozenset(out)


def _rank_of(superlative: Token) -> str | None:
    """The place an ordinal before a superlative gives it: "second" of "the
    second-largest trading partner", which is not the largest (``sup:large@second``)."""
    i = superlative.i - 1
    if i >= 0 and superlative.doc[i].text in ("-", "‑"):
        i -= 1
    word = superlative.doc[i].lower_ if i >= 0 else ""
    if word in _ORDINAL_WORDS - {"first"} or re.fullmatch(r"\d+(?:nd|rd|th)", word):
        return word
    return None


# A short phrase in quotation marks: the claim's exact words ("a “dangerous precedent”").
_QUOTED = re.compile(r"[“\"«‘]([^“”\"«»‘’]{1,80})[”\"»’]")
_QUOTE_WORDS = 5  # longer quotes are a speaker's words, which sources paraphrase


def _content_lemmas(tokens: Iterable[Token]) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in tokens if t.pos_ in _CONTENT_POS and not t.is_stop)


def _quoted(doc: Doc) -> tuple[frozenset[str], ...]:
    """The content words (lemmas) of each short quoted phrase: a source may report the
    words in another tense ("the conditions were right"), not without them."""
    out = []
    for match in _QUOTED.finditer(doc.text):
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if (
            span is None
            or not 1 <= len([t for t in span if t.is_alpha or t.like_num]) <= _QUOTE_WORDS
        ):
            continue
        words = _content_lemmas(span)
        if words:
            out.append(words)
    return tuple(out)


def _detail_clause(token: Token) -> bool:
    """A participle clause set off by a comma that adds what was said or done beside
    the main fact ("…, calling it a wrong choice", "Citing security, …"); one with a
    subordinator ("while", "after", "if") may set a condition or time and is kept."""
    if token.dep_ != "advcl" or token.tag_ != "VBG":
        return False
    if any(c.dep_ == "mark" for c in token.children):
        return False
    lo, hi = token.left_edge.i, token.right_edge.i + 1
    doc = token.doc
    before = lo > 0 and doc[lo - 1].text == ","
    opening = lo == 0 and hi < len(doc) and doc[hi].text == ","
    return before or opening


def _adjuncts(doc: Doc) -> tuple[Adjunct, ...]:
    """The phrases (a preposition, a bare noun phrase of time, an apposition, with all
    below them) that hold a date or a number, and the participle clauses that add a
    detail (:func:`_detail_clause`)."""
    dated = {t.i for e in doc.ents if e.label_ in _DATE_LABELS for t in e}
    amount = {t.i for e in doc.ents if e.label_ in _AMOUNT_LABELS for t in e}
    amount |= {t.i for t in doc if t.like_num and t.i not in dated}
    ordinal = {t.i for e in doc.ents if e.label_ == "ORDINAL" for t in e}
    out = []
    for token in doc:
        if token.head is token:
            continue
        lo, hi = token.left_edge.i, token.right_edge.i + 1
        inside = set(range(lo, hi))
        # a date or rank naming its noun: "the 2024 summit", "the 16th summit"
        naming = token.dep_ in _NAMING_DEPS and inside <= (dated | ordinal)
        detail = _detail_clause(token)
        if not (token.dep_ in _ADJUNCT_DEPS or naming or detail) or token.head.i in inside:
            continue
        if not (detail or inside & (dated | amount)):
            continue
        if detail and lo > 0:  # with its comma: "…, calling it a wrong choice."
            lo -= 1
        text = doc[lo:hi].text
        out.append(
            Adjunct(
                start=lo,
                end=hi,
                dated=bool(inside & dated),
                amounts=tuple(quantities(text)),
                years=frozenset(years_in(text)),
                words=_content_lemmas(doc[lo:hi]),
                on_verb=token.dep_ != "appos" and token.head.pos_ in ("VERB", "AUX"),
            )
        )
    return tuple(out)


def _is_name(ent: Span) -> bool:
    """A real name, not a capitalised common word spaCy's small model took for one
    ("Bariatric surgery", "Glycolysis is ..."): a proper noun, or an acronym or code."""
    return any(t.pos_ == "PROPN" or _CODE.search(t.text) for t in ent)


def _headline_place(ent: Span) -> bool:
    """A place a short title opens with, which the tagger took for an adjective:
    "Eastvale" of "Eastvale exam results"."""
    return ent.label_ in ("GPE", "LOC") and ent.start == 0 and len(ent.doc) <= _HEADLINE_WORDS


_HEADLINE_WORDS = 6
_CODE = re.compile(r"[A-Z].*[A-Z0-9]|\d")  # "ACE", "IgG", "NR5A2", "COVID-19"
_IDENTIFIER_AFTER = re.compile(r"[/,]\d|['’′]|[A-Za-z]+\d")


def _is_identifier(text: str, q: Quantity) -> bool:
    """A digit that is part of a name or code, not a count: "kinesin-8", "MEK 1/2",
    "3,4-biphosphate", "5' UTR", "5p12"."""
    before = text[max(0, q.start - 2) : q.start]
    if len(before) == 2 and before[1] in "-/" and before[0].isalnum():
        return True
    if len(before) == 2 and before[1] == "," and before[0].isdigit():  # the "4" of "3,4-"
        return True
    digits = re.match(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text[q.start :])
    if digits is None:  # a number in words
        return False
    return _IDENTIFIER_AFTER.match(text, q.start + digits.end()) is not None


def _statements(doc: Doc) -> Iterator[tuple[Token, list[Token]]]:
    """Each root with its main statements: itself and the clauses it reports or
    governs ("X said [it would cut jobs]", "prices are expected [to rise]")."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        yield root, [root] + [c for c in root.children if c.dep_ in ("ccomp", "xcomp")]


def _hedged(doc: Doc) -> bool:
    """The main statement (or the statement reported by "X said ...") is a possibility,
    a plan or an expectation, holds under a condition with a modal ("if passed, the law
    would ban ..."), or is reported as denied ("X denied that ..."). A hedge in a side
    clause ("..., suggesting that ...") leaves the main statement a fact."""
    for root, statements in _statements(doc):
        if root.lemma_.lower() in DISPUTING and any(c.dep_ == "ccomp" for c in root.children):
            return True
        for verb in statements:
            if verb.lemma_.lower() in _HEDGE_LEMMAS or _conditional(verb):
                return True
            if any(c.tag_ == "MD" and c.lower_ in _HEDGE_MODALS for c in verb.children):
                return True
    return False


def _expects(doc: Doc) -> bool:
    """The main statement (or the one reported by "X said ...") is an expectation, a
    plan or a promise (:func:`claims.nli.mood.planned`): "prices are expected to rise",
    "the company is set to cut 500 jobs", "the minister said she would resign"."""
    return any(
        planned(c)
        for _, statements in _statements(doc)
        for verb in statements
        for c in verb.children
    )


def _conditional(verb: Token) -> bool:
    """ "If passed, the law would ban TikTok": a verb with a modal under an "if" or
    "unless" condition. Only a verb with a modal counts: the parser often hangs a
    condition of a side clause on the main verb ("includes a clause obliging each side
    to help if the other faces aggression")."""
    return any(c.tag_ == "MD" for c in verb.children) and any(
        c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for c in verb.children
    )


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
    """A name matches on any of its distinctive words (not "united", "state", "national"
    alone) or its initials, on demonyms ("India" ~
    "Indian", "Ukraine" ~ "Ukrainian") and on a capital for its country ("Kyiv" ~
    "Ukraine", "Moscow" ~ "Russian")."""
    keys = _aliases(name.keys)
    distinctive = keys - _GENERIC_NAME_WORDS
    if not distinctive:  # "United States", "The Republic": every word is needed
        return all(k in words or any(_same_stem(k, w) for w in words) for k in name.keys)
    if distinctive & words:
        return True
    return any(_same_stem(key, word) for key in distinctive for word in words)


#: Words that name many things: on its own, one of them does not find a name ("The
#: United States" is not in "the State Duma", "the National Museum" not in "national",
#: "the Supreme Court" not in "the Court of Appeal", "Sable Bay" not in "Kestrel Bay").
_GENERIC_NAME_WORDS = frozenset(
    "united states state republic kingdom national federal democratic people peoples "
    "union new great royal central general international "
    "court council ministry department committee commission agency bank university "
    "college party company group association institute foundation hospital airport "
    "county city district province region "
    # the kind of a place: "Sable Bay" is not "Kestrel Bay", nor "the Red Sea" "the Black Sea"
    "bay river lake island islands sea gulf coast valley mount mountain mountains cape "
    "strait ocean".split()
)


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


def spelled(claim: Profile, evidence: Profile) -> float:
    """Share of the claim's anchors the evidence has, by lemma or a form of its stem."""
    if not claim.anchors:
        return 1.0
    return len(_anchors_found(claim, evidence)) / len(claim.anchors)


def _related(a: str, b: str) -> bool:
    """The same word, or forms of one stem ("activation" ~ "activate", "endometrial" ~
    "endometrium", "mobilization" ~ "mobilize"): they differ only after a shared
    stem of five letters or more, in the last two letters of the shorter one."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[:5] != b[:5]:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= min(len(a), len(b)) - 2


def _found(word: str, words: frozenset[str]) -> bool:
    if word in words or word.replace("-", "") in words:
        return True
    return any(_related(word, w) for w in words)


def _anchors_found(claim: Profile, evidence: Profile) -> set[str]:
    """The claim's anchors the evidence has, by lemma or a form of its stem."""
    return {a for a in claim.anchors if _found(a, evidence.words)}


def _hits(claim: Profile, evidence: Profile) -> tuple[int, int]:
    """(content words of the claim the evidence has, of which not part of a name).
    A content word counts by its lemma or a form of its stem, or by its antonym ("the
    plant would stay open" is about whether "the plant will close"); a verb also by a
    verb of the same action ("revenue rose" and "revenue increased"); a noun phrase of
    the claim also counts when the evidence gives its initials ("CBT")."""
    name_words = frozenset().union(*(n.keys for n in claim.names)) if claim.names else frozenset()
    hit = _anchors_found(claim, evidence)
    hit |= {a for a in claim.anchors - hit if antonyms(a) & evidence.words}
    hit |= {
        a
        for a in (claim.anchors & claim.verbs) - hit
        if any(same_action(a, v) for v in evidence.verbs - _LIGHT_VERBS)
    }
    plain = len(hit - name_words)
    extra = len(claim.initials & evidence.words)
    return len(hit) + extra, plain + extra


def about(claim: Profile, evidence: Profile) -> bool:
    """The evidence shares the claim's subject: two of its content words, one of them
    a name of the claim when it has names; or, where the claim's names are the point in
    question, two of its other content words."""
    name_words = frozenset().union(*(n.keys for n in claim.names)) if claim.names else frozenset()
    plain_words = claim.anchors - name_words
    hits, plain_hits = _hits(claim, evidence)
    need = min(2, len(claim.anchors))
    if not claim.names:
        return hits >= need and hits > 0
    names_hit = any(_name_found(n, evidence.words) for n in claim.names)
    if names_hit and not claim.anchors & name_words:  # names in the claim that are no anchor
        hits += 1
    return (names_hit and hits >= need) or (
        plain_hits >= min(2, len(plain_words)) and plain_hits > 0
    )


def _complements(verb: Token) -> list[Token]:
    """What a light verb says, its object or complement: "screening" of "had an early
    screening", "likely" of "were likely"."""
    return [
        c
        for c in verb.children
        if c.dep_ in ("dobj", "attr", "acomp", "oprd") and c.pos_ in ("NOUN", "ADJ", "VERB")
    ]


def _predicate_word(verb: Token) -> str:
    """A clause's predicate word: its verb, or a light verb's complement ("likely" of
    "were likely", "record" of "was a record")."""
    lemma = str(verb.lemma_.lower())
    found = _complements(verb) if lemma in _LIGHT_VERBS else []
    return str(found[0].lemma_.lower()) if found else lemma


def shares_predicate(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses the claim's main verb (or a form of it): a sentence with other
    predicates states other facts, which a model's contradiction alone cannot refute
    the claim with ("Putin has not commented on the reports" vs "North Korea plans to
    send 12,000 troops"). A claim whose main verbs are all light puts its predicate in
    their object ("had an early *screening*", "made no *contributions*"): the evidence
    must have that word, in any form ("screened"). A copula or a verb of saying at the
    root lets any sentence qualify: "is a musician" may refute "is a comedian". A verb of
    saying's claim shares its predicate with a sentence that has what it reports
    (:attr:`Profile.reported`), in any form or as the same action: "At least 3,000 people
    have been evacuated. It was the volcano's first eruption since 1987." read together
    does not say what "Volcanologist Ana Ruiz said more eruptions were likely" reports."""
    heavy = {verb for verb in claim.roots if verb not in _LIGHT_VERBS}
    if not heavy and claim.reported:
        return any(
            _found(w, evidence.words)
            or any(_same_stem(w, x) for x in evidence.words)  # "close" ~ "closure"
            or any(same_action(w, v) for v in evidence.verbs)
            for w in claim.reported
        )
    if not heavy:
        return not claim.complements or any(_found(w, evidence.words) for w in claim.complements)
    return any(_uses_verb(evidence, verb) for verb in heavy)


def _uses_verb(evidence: Profile, lemma: str) -> bool:
    """The evidence has the verb, or a form of its stem."""
    return any(other == lemma or _same_stem(lemma, other) for other in evidence.verbs)


def _in_scope(word: str, scope: frozenset[str]) -> bool:
    """A claim's scope word (``_scope``) is in the evidence's scope words."""
    if word.startswith("cmp:") or word in scope:
        return True
    return word.startswith("sup:") and "cmp:" + word[4:] in scope


def _rank_restricted(claim: Profile, evidence: Profile) -> bool:
    """A rank or superlative of the claim that the evidence gives only within a time
    the claim does not have: "the first country to ratify the treaty in 2024" does not
    say "the first country to ratify the treaty" (one may have ratified it in 2023).
    Only a date on a verb inside the ranked phrase counts: "his first visit to Russia
    in April 2022" dates the visit, and "held in October 2024, the largest gathering"
    the summit."""
    if not any(w in ("first", "last") or w.startswith("sup:") for w in claim.scope):
        return False
    claim_years = {s.year for s in claim.years}
    return any(
        a.dated
        and a.on_verb
        and not a.years & claim_years
        and not a.words & claim.anchors
        and any(lo <= a.start and a.end <= hi for lo, hi in evidence.ranked)
        for a in evidence.adjuncts
    )


def covers(
    claim: Profile,
    evidence: Profile,
    context: frozenset[str] = frozenset(),
    title_names: Sequence[Name] = (),
) -> bool:
    """Every name, number, year, scope word ("most", "all", "immediately"), rank or
    superlative ("the final day", "the largest") and short quoted phrase ("a
    “dangerous precedent”") of the claim is in the evidence, stated as a fact where the
    claim states a fact; so is each ordinal ("her second album" is not confirmed by "her
    first album", or by "her album"), each item of a list of the claim ("canoeing,
    hiking, fishing and picnicking") and each month its dates name ("in October 2018"
    is not confirmed by a sentence dated November 2018, or by one without a month). The
    evidence uses the claim's main verb the claim's way, fills its phrases with the
    claim's nouns ("depend on the land", not "on the ocean") and, where both say what
    their subject is, says it is the claim's kind of thing ("a county", not "a city in
    Yavapai County"). It gives the claim's people no other office ("Prime Minister
    Modi" for "President Modi") and does not swap the claim's subject and object
    ("France beat Argentina" for "Argentina beat France"). It does not use the claim's
    verb only in the other of past and future ("will hold" for "held"), nor an
    opposite of the claim's predicate, even one WordNet opposes only through a synonym
    ("rejected" for "approved"), nor an antonym of the claim's adjective ("a record
    low" for "a record high"), nor report only a denial for a claimed confirmation. A
    bound of the claim ("more than 2,000") is given by a value inside it. A plan,
    expectation or promise ("prices are expected to rise", "said she would resign") and
    the event confirm neither each other. ``context`` holds the words of the
    source's title: a name the sentence leaves to its title ("the city's tram network"
    on a page titled "Northfield bus drivers walk out") is given, unless the sentence
    names someone else in that name's place. A claim that needs its article is not
    confirmed by a sentence about a place the article never names (:func:`elsewhere`;
    ``title_names``: the names of the source's title)."""
    if evidence.hedged and not claim.hedged:
        return False
    if plan_unreported(claim, evidence):
        return False  # "prices are expected to rise" is not confirmed by "prices rose"
    if planned_only(claim, evidence):
        return False  # "the minister said she would resign" does not confirm "resigned"
    if not claim.months <= evidence.months:
        return False
    if elsewhere(claim, evidence, title_names):
        return False  # "declared a major incident in Carnford": the article's is elsewhere
    if narrower_none(claim, evidence):
        return False  # "no confirmed cases … linked to the school's water supply"
    if rival_named(claim, evidence):
        return False  # "Eastmere Water was fined …" does not confirm "Northvale Water …"
    if said_of_another_matter(claim, evidence):
        return False  # "said the decision to sell the training ground had been …"
    if other_of_its_kind(claim, evidence):
        return False  # "the Riverside festival" does not confirm "the Greenvale … festival"
    if _other_day_or_month(claim, evidence) is not None:
        return False  # "will stay closed until Wednesday" does not confirm "until Friday"
    if _said_otherwise(claim, evidence):
        return False
    if _other_place(claim, evidence):
        return False
    if _other_time(claim, evidence):
        return False
    if other_title(claim, evidence):
        return False  # "Prime Minister Modi" does not confirm "President Modi"
    if other_speaker(claim, evidence):
        return False  # "Organisers said 300 attended" does not confirm "Police said …"
    if _someone_of_theirs(claim, evidence):
        return False  # "The minister's aide was arrested" does not confirm "The minister …"
    if other_people_counted(claim, evidence) is not None:
        return False  # "The attack killed 12 civilians" does not confirm "12 soldiers"
    if other_action(claim, evidence):
        return False  # "the court overturned the ban" does not confirm "upheld the ban"
    if _roles_swapped(claim, evidence):
        return False  # "France beat Argentina" does not confirm "Argentina beat France"
    if other_agent(claim, evidence):
        return False  # "The army recaptured the city from the rebels": not "the rebels …"
    if next(_opposed_pairs(claim, evidence, loose=True), None) is not None:
        return False  # "Parliament rejected the budget" does not confirm "approved"
    if _opposite_modifier(claim, evidence):
        return False
    if _reported_the_other_way(claim, evidence):
        return False
    if _denied_but_done(claim, evidence):
        return False  # "Hale said fares would not rise" does not confirm "has not said"
    if claim.kinds and evidence.kinds and not all(_found(w, evidence.kinds) for w in claim.kinds):
        return False  # "Prescott is a county" is not confirmed by "Prescott is a city in …"
    if not all(_found(w, evidence.words) for w in claim.listed):
        return False
    # "second" is a unit of time too ("lasted about 90 seconds"): only as an ordinal
    if not all(
        o in evidence.ordinals or (o in evidence.words and o != "second") for o in claim.ordinals
    ):
        return False
    if not all(_in_scope(word, evidence.scope) for word in claim.scope):
        return False
    if _only_part(claim, evidence):
        return False  # "Most of the protest was peaceful" does not confirm "was peaceful"
    if _rank_restricted(claim, evidence):
        return False
    if not all(_found(w, evidence.words) for q in claim.quoted for w in q):
        return False
    named = evidence.words
    if context and not _named_otherwise(claim, evidence):
        named = named | context  # "the city's tram network" on a page titled "Northfield …"
    if not all(_name_found(n, named) or _region_given(n, claim, evidence) for n in claim.names):
        return False
    if any(_named_otherwise(claim, part) for part in evidence.parts):
        # read together, a sentence that puts another name in the claim name's place
        # lends it nothing: "Eastport Transit said the strike cost it $9 million" and
        # "Northfield Metro resumed services" do not say Northfield Metro lost $9 million
        return False
    found = [s.quantity for s in evidence.numbers if s.quantity]
    for slot in claim.numbers:
        q = slot.quantity
        if q is None or bare_one(q):
            continue  # "one of the pathways" counts nothing
        if not value_given(q, found):
            return False
        if q.bound and not _bound_met_on_its_verb(slot, evidence):
            return False
    return {s.year for s in claim.years} <= {s.year for s in evidence.years}


def _bound_met_on_its_verb(slot: Slot, evidence: Profile) -> bool:
    """Every figure of the bound's unit on the bound's verb is inside it: "grossed
    $181,674 … on a budget of $160 million" does not give "grossed more than $1 million"
    (the budget is inside the bound, the takings are not)."""
    q = slot.quantity
    assert q is not None
    mine = [
        s.quantity
        for s in evidence.numbers
        if s.quantity and s.verb == slot.verb and s.quantity.unit == q.unit
    ]
    return all(value_given(q, [other]) for other in mine)


def loose_figures_met(claim: Profile, evidence: Profile) -> bool:
    """Every figure of the claim is given by the evidence (:func:`value_given`), and one
    of them only loosely: a bound ("at least 10") met by a value inside it, a vague count
    or share, or a round figure ("1.2 million") by a precise one ("1,187,000"). A model's
    contradiction of such a sentence is its habit of reading any other number as a
    conflict (learnt from contrastive pairs), not a refutation. A bare "one" is no
    figure here, as in :func:`covers`."""
    found = [s.quantity for s in evidence.numbers if s.quantity]
    mine = [s.quantity for s in claim.numbers if s.quantity and not bare_one(s.quantity)]
    if not mine or not all(value_given(q, found) for q in mine):
        return False
    return any(
        q.bound or q.vague or q.hedged or not any(e.value == q.value for e in found) for q in mine
    )


def bare_one(q: Quantity) -> bool:
    """ "one" in words, counting nothing: "one of the pathways", "one reason"."""
    return q.value == 1 and not q.unit and not q.text[:1].isdigit()


def plan_unreported(claim: Profile, evidence: Profile) -> bool:
    """The claim reports an expectation or a plan, and the evidence reports none, nor
    any possibility: "prices rose in March" does not confirm "prices are expected to
    rise"."""
    return claim.expects and not (evidence.plans or evidence.hedged)


def planned_only(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses a main verb of the claim only in what someone expects, plans
    or promises (:func:`claims.nli.mood.planned`), where the claim states it as a fact:
    "the minister said she would resign" does not confirm "the minister resigned", but
    does confirm "the minister will resign"."""
    return any(
        uses and not mine.planned and mine.tense != "future" and all(p.planned for p in uses)
        for mine, uses in _main_verb_uses(claim, evidence)
    )


def value_given(q: Quantity, found: list[Quantity]) -> bool:
    """The evidence's quantities give the claim's: the same value as people write it,
    or, for a bound ("more than 2,000 people"), a value or a bound inside it counting
    the same thing (or a bare number). A bound never gives a value: "more than 2,000"
    does not confirm "2,500". A vague count ("thousands of people") or share ("half
    of") only keeps away a figure of the same thing it does not fit: "300 people",
    "dozens of people", "30%"."""
    if q.vague:
        found = [e for e in found if e.unit == q.unit]
        if not found:
            return True
    if q.bound:
        return any(
            meets(q, e)
            for e in found
            if e.unit == q.unit
            or not (q.unit and e.unit)
            or kind_of_person(e.unit, q.unit)  # "3,200 residents" for "more than 3,000 people"
        )
    return any(same_value(q, e) for e in found if not e.bound)


def _main_verb_uses(
    claim: Profile, evidence: Profile, *, chained: bool = False
) -> Iterator[tuple[Predicate, list[Predicate]]]:
    """Each main verb of the claim (not a light one), with ``chained`` also each
    infinitive a main verb takes, with the evidence's uses of it."""
    for mine in claim.predicates:
        if (mine.main or (chained and mine.chained)) and mine.lemma not in _LIGHT_VERBS:
            yield mine, [p for p in evidence.predicates if p.lemma == mine.lemma]


def _other_place(claim: Profile, evidence: Profile) -> bool:
    """The evidence puts another noun where the claim has its own, after the same
    preposition of the claim's main verb (or of an infinitive it takes), and the claim's
    noun is nowhere in it: "they depend on the ocean as their main food source" does not
    confirm "polar bears depend on the land as their main food source", nor "is expected
    to vote on the 2025 budget" "is expected to vote on the deal"."""
    for mine, uses in _main_verb_uses(claim, evidence, chained=True):
        for theirs in uses:
            for preposition, noun in mine.places:
                others = [n for q, n in theirs.places if q == preposition]
                if others and not _found(noun, evidence.words):
                    return True
    return False


_PLAIN_DEGREE = frozenset({"JJ", "RB", "NN"})  # "high", "early", "a record low"
_NEGATING_PREFIXES = frozenset({"non", "not", "un"})


def _negated_word(token: Token) -> bool:
    """ "not good" ("is not good"), "non-violent", "non-chromatin bound"."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if token.dep_ in ("acomp", "attr", "oprd") and any(
        c.dep_ == "neg" for c in token.head.children
    ):
        return True
    before = token.doc[max(0, token.i - 3) : token.i]
    return any(t.lower_ in _NEGATING_PREFIXES for t in before)


def _opposite_modifier(claim: Profile, evidence: Profile) -> bool:
    """The evidence has an antonym of an adjective or adverb of the claim, and not the
    claim's word, both in the plain degree and not negated: "exports hit a record low"
    does not confirm "exports hit a record high". A comparative is left to the model:
    "Saturn is the second-largest, after Jupiter" says that "Saturn is smaller than
    Jupiter"."""
    seen = evidence.modifiers | evidence.words
    mine = claim.modifiers | claim.words  # "young 10-24 year old" has both
    return any(m not in seen and (antonyms(m) & evidence.modifiers) - mine for m in claim.modifiers)


def _denied_but_done(claim: Profile, evidence: Profile) -> bool:
    """The claim denies its main verb and the evidence uses that verb only as done: "the
    chief executive said fares would not rise" does not confirm "the chief executive has
    not said whether fares will rise" (the model read it so, read with other sources). A
    copula is left to the other checks ("is not a musician" against "is a football
    player")."""
    for mine in claim.predicates:
        if mine.main and mine.negated and mine.lemma not in ("be", "have", "do"):
            uses = [p for p in evidence.predicates if p.lemma == mine.lemma]
            if uses and not any(p.negated for p in uses):
                return True
    return False


def _reported_the_other_way(claim: Profile, evidence: Profile) -> bool:
    """A claim that someone confirmed (acknowledged, admitted …) something is not
    confirmed by a sentence that reports only a denial, whoever denies what, nor a
    claimed denial by a sentence that reports only a confirmation: "the minister denied
    reports of his resignation" does not confirm "the spokesman confirmed the minister's
    resignation" (the model read it as entailing, 0.76)."""
    stated = {p.lemma for p in evidence.predicates if not p.negated}
    for mine in claim.predicates:
        if mine.main and not mine.negated:
            own, other = speech_sides(mine.lemma)
            if stated & other and not stated & own:
                return True
    return False


def _other_time(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses the claim's main verb, of its subject, only in the other of
    past and future: "the country will hold elections next year" does not confirm "the
    country held elections last year", nor does "the minister visited China" confirm
    "the minister will visit China"."""
    for mine, uses in _main_verb_uses(claim, evidence):
        if mine.tense:
            # of its subject, or of a pronoun ("said it will open")
            uses = [
                p for p in uses if p.subjects & mine.subjects or not (p.subjects and mine.subjects)
            ]
            if uses and all(p.tense and p.tense != mine.tense for p in uses):
                return True
    return False


# Verbs whose subject and object may be swapped without changing what is said: "Modi
# met Putin" is "Putin met Modi".
_RECIPROCAL = frozenset(
    "meet marry wed divorce date face play fight battle clash draw tie border resemble "
    "equal match call phone hug kiss greet embrace partner merge collide rival".split()
)


def _roles_swapped(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses the claim's main verb only with its subject and object
    swapped: "France beat Argentina in the final" does not confirm "Argentina beat
    France in the final", nor "Ukraine accused Russia of attacking the dam" that
    "Russia accused Ukraine of attacking the dam" (a passive's agent is its subject).
    A reciprocal verb ("met", "married", "played") may be read either way."""
    for mine, uses in _main_verb_uses(claim, evidence):
        if not (mine.subjects and mine.objects) or not uses or mine.lemma in _RECIPROCAL:
            continue
        if all(
            _share(p.subjects, mine.objects)
            and _share(p.objects, mine.subjects)
            and not _share(p.subjects, mine.subjects)
            for p in uses
        ):
            return True
    return False


def other_action(claim: Profile, evidence: Profile) -> bool:
    """The evidence has the claim's subject do something else to the claim's object,
    and nowhere the claim's verb: "the court overturned the ban" does not confirm "the
    court upheld the ban", nor "the attack injured 12 people" that it killed them, nor
    "a majority of voters rejected the proposal" that most voters backed it (verbs
    WordNet does not list as opposites). The same action in other words is no other
    action ("cut" and "reduce", "closed" and "shut": WordNet, :func:`same_action`): the
    model reads those. A light verb, a copula or a verb of saying has no action of its
    own to compare."""
    for mine in _actions(claim):
        if _uses_verb(evidence, mine.lemma):
            continue
        if any(
            not _plain(p.lemma)
            and not same_action(mine.phrasal or mine.lemma, p.phrasal or p.lemma)
            and _share(p.subjects, mine.subjects)
            and _share(p.objects, mine.objects)
            for p in evidence.predicates
        ):
            return True
    return False


def other_agent(claim: Profile, evidence: Profile) -> bool:
    """The evidence has someone else act on the claim's object, with the claim's subject
    only as what that action is done to or from, and nowhere the claim's subject as a
    subject: "the army recaptured the city from the rebels" does not confirm "the rebels
    captured the city", nor "police cleared the road of protesters" "protesters blocked
    the road". A light verb, a copula or a verb of saying has no action of its own to
    compare."""
    for mine in _actions(claim):
        if any(_share(p.subjects, mine.subjects) for p in evidence.predicates):
            continue
        for theirs in evidence.predicates:
            if _plain(theirs.lemma) or not theirs.subjects:
                continue
            if not _share(theirs.objects, mine.objects):
                continue
            # the claim's subject as what the action is done to or from: "recaptured the
            # city from the rebels", "cleared the road of protesters"
            done_to = theirs.objects | {n for _, n in theirs.places}
            if _share(done_to, mine.subjects):
                return True
    return False


def _actions(claim: Profile) -> Iterator[Predicate]:
    """The claim's main predicates with a subject and an object that have an action of
    their own to compare: neither a light verb, a copula nor a verb of saying."""
    for mine in claim.predicates:
        if mine.main and mine.subjects and mine.objects and not _plain(mine.lemma):
            yield mine


def _plain(lemma: str) -> bool:
    return lemma in _LIGHT_VERBS or lemma in SPEECH_LEMMAS


def other_title(claim: Profile, evidence: Profile) -> tuple[str, str, str] | None:
    """A person of the claim to whom the evidence gives only titles of other offices
    than the claim's (:mod:`claims.nli.titles`), as (surname, the claim's office, the
    evidence's): "Prime Minister Narendra Modi" for "President Modi", "Senator Ron
    DeSantis" for "Governor Ron DeSantis"."""
    for person, office in sorted(claim.titles):
        theirs = sorted(o for p, o in evidence.titles if p.lower() == person.lower())
        if theirs and all(other_office(office, o) for o in theirs):
            return person, office, theirs[0]
    return None


def other_speaker(claim: Profile, evidence: Profile) -> bool:
    """The claim reports what someone said, and the evidence reports only others saying
    things: "Organisers said 300 people
    attended the rally" does not confirm "Police said 300 people attended the rally",
    nor "Ukraine said Russia attacked the plant" "Russia said Ukraine attacked the
    plant", nor "Ledgerly, another accounting software company, said …" "Quillon, the
    accounting software company, said …". A speaker named by a word of saying ("reports
    said") names no one, and a sentence that states the thing without a speaker is left
    to the other checks."""
    said = [p for p in claim.predicates if p.main and p.lemma in SPEECH_LEMMAS and p.subjects]
    mine = frozenset().union(*(p.subjects for p in said)) - SPEECH_LEMMAS
    if not mine:
        return False
    theirs = [p for p in evidence.predicates if p.lemma in SPEECH_LEMMAS and p.subjects]
    named = _no_offices(frozenset().union(*(p.proper for p in said)))
    if theirs and named and all(_rivals(named, _no_offices(p.proper)) for p in theirs):
        return True  # "Grid East said …" is not "Grid West said …"
    # "Ledgerly, another accounting software company, said …" is not "Quillon, the
    # accounting software company": a speaker said to be another of a kind is the
    # claim's only by a word beyond the kind ("Another such company, Quillon, said")
    if not theirs or any(_same_speaker(mine, p.subjects - p.another) for p in theirs):
        return False
    # the claim's speaker named elsewhere in the sentence ("Western governments
    # believe", whose subject is "governments") may be the speaker, unless the
    # sentence's speaker is someone the claim speaks of (the roles swapped)
    return not _same_speaker(mine, evidence.words) or any(
        _share(p.subjects, claim.words) for p in theirs
    )


def _no_offices(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if w not in _TITLES and not is_office(w))


def _rivals(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Two names that share a word but each have one the other lacks: "Grid West" and
    "Grid East", "Mark Ellery" and "Mark Ellison"."""
    return bool(mine & theirs and mine - theirs and theirs - mine)


def _same_speaker(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """A word of both speakers, by lemma, stem, a capital for its country ("Kyiv said"
    is "Ukraine said") or a word and its derivative ("the West" and "Western
    governments")."""
    mine, theirs = _aliases(mine), _aliases(theirs)
    return _share(mine, theirs) or any(
        min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))
        for a in mine
        for b in theirs
    )


def other_people_counted(claim: Profile, evidence: Profile) -> tuple[str, str] | None:
    """A figure of the claim that counts a kind of person is given by the evidence only
    as a count of another kind, neither a kind of the other (WordNet,
    :func:`claims.nli.titles.other_people`): "the attack killed 12 civilians" does not
    confirm "the attack killed 12 soldiers", nor "12 children" "12 students". A count of
    the same kind, of a kind of it ("12 civilians" for "12 people") or of a noun that
    names no person ("troops") is left to the other checks. Returns the claim's count
    and the evidence's, as written ("12 soldiers", "12 civilians")."""
    for slot in claim.numbers:
        q = slot.quantity
        if q is None or slot.counted is None:
            continue
        given = [
            e
            for e in evidence.numbers
            if e.quantity
            and e.counted
            and (meets(q, e.quantity) if q.bound else same_value(q, e.quantity))
        ]
        if given and all(other_people(slot.counted, e.counted or "") for e in given):
            return slot.text, given[0].text
    return None


def _someone_of_theirs(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses the claim's main verb only of someone the claim's person has,
    not of that person: "The minister's aide was arrested" does not confirm "The
    minister was arrested", nor "The CEO's deputy stepped down" "The CEO stepped down".
    Only a person (a PERSON name or a title of office) counts: "Russia's army attacked
    the city" is still read for "Russia attacked the city"."""
    people = {k for n in claim.names if n.label == "PERSON" for k in n.keys}
    for mine, uses in _main_verb_uses(claim, evidence):
        persons = frozenset(h for h in mine.heads if h in people or is_office(h))
        if (
            persons
            and uses
            and all(_share(persons, p.owners) and not _share(persons, p.heads) for p in uses)
        ):
            return True
    return False


def _said_otherwise(claim: Profile, evidence: Profile) -> bool:
    """The evidence uses the claim's main verb only the other way: "the meeting produced
    no breakthrough" does not confirm "the meeting produced a ceasefire agreement",
    whether or not it denies the same thing."""
    return any(
        uses and all(_denies(p, claim) != _denies(mine, evidence) for p in uses)
        for mine, uses in _main_verb_uses(claim, evidence)
    )


def as_claimed(claim: Profile, text: str) -> str:
    """The sentence with each figure that gives one of the claim's, written otherwise,
    written as the claim writes it:

    - an exact figure in the same unit: "which lasted three days" read as "which lasted
      72 hours" for "The ceasefire lasted 72 hours", "5 billion dollars" as "$5bn";
    - a figure inside the claim's bound, counting the same thing (:func:`meets`):
      "Officials said 43 homes had been destroyed" read as "… at least 40 homes …" for
      "At least 40 homes have been destroyed", "about 1,450 firefighters" as "more than
      1,400 firefighters".

    The two say the same, or the sentence says more; the model reads a figure written
    otherwise as another one (a habit learnt from contrastive pairs: p(entails) 0.40
    for the homes as written, 0.90 as the claim writes them). An approximate or vague
    figure of the claim, a figure of another unit, and a bound a figure only may be
    inside ("1,990" of "more than 2,000") are left as written."""
    exact = [
        s.quantity
        for s in claim.numbers
        if s.quantity and s.quantity.unit and not (s.quantity.hedged or s.quantity.vague)
    ]
    bounds = [
        s.quantity
        for s in claim.numbers
        if s.quantity and s.quantity.unit and s.quantity.bound and not s.quantity.vague
    ]
    if not exact and not bounds:
        return text
    out = text
    for q in sorted(quantities(text), key=lambda q: -q.start):  # offsets stay valid
        if q.vague or not q.unit:
            continue
        mine = (
            None
            if q.hedged
            else next((c for c in exact if c.unit == q.unit and same_value(c, q)), None)
        )
        bound = next(
            (
                c
                for c in bounds
                if (c.unit == q.unit or kind_of_person(q.unit, c.unit)) and meets(c, q)
            ),
            None,
        )
        at = out.find(q.text, max(0, q.start - 1))
        if at < 0 or at > q.start:
            continue
        if mine is not None:
            if mine.text.lower() != q.text.lower():
                out = out[:at] + mine.text + out[at + len(q.text) :]
            continue
        if bound is None:
            continue
        start = qualified_start(out, at)
        written = f"{bound.qualifier.lower()} {bound.text}"
        if start == 0 or out[:start].rstrip().endswith((".", "!", "?")):
            written = written[:1].upper() + written[1:]
        out = out[:start] + written + out[at + len(q.text) :]
    return out


def focus(claim: Profile, evidence: Profile) -> str | None:
    """The evidence sentence without its phrases that add only a date or a number the
    claim does not speak of; None when there is none to leave out or leaving one out
    might not weaken the sentence (see the module docstring)."""
    if not evidence.adjuncts or not evidence.monotone or evidence.hedged:
        return None
    claimed = [s.quantity for s in claim.numbers if s.quantity]
    claim_years = {s.year for s in claim.years}

    def optional(a: Adjunct) -> bool:
        if a.words & claim.anchors or a.years & claim_years:
            return False
        if a.dated and claim.temporal:
            return False
        numbers = [q for q in a.amounts if not (a.dated and q.value in a.years)]
        if numbers and (
            claim.vague_amount or any(same_value(q, c) for q in numbers for c in claimed)
        ):
            return False
        return True

    dropped: set[int] = set()
    for a in sorted(evidence.adjuncts, key=lambda a: a.start - a.end):  # widest first
        if optional(a) and not dropped.intersection(range(a.start, a.end)):
            dropped |= set(range(a.start, a.end))
    if not dropped:
        return None
    kept = "".join(t for i, t in enumerate(evidence.tokens) if i not in dropped)
    kept = re.sub(r"\s+([,.;:])", r"\1", kept)
    kept = re.sub(r"^[\s,;:]+|,(?=\s*[,.;:])", "", kept)
    kept = re.sub(r"\s{2,}", " ", kept).strip()
    if len(kept.split()) < 3:
        return None
    return kept[:1].upper() + kept[1:]


def conflict(
    claim: Profile, evidence: Profile, title_names: Sequence[Name] = ()
) -> Conflict | None:
    """The first specific disagreement of one sentence with the claim, if any, where
    the sentence tells of the same thing (:func:`same_instance`). A plan, expectation or
    promise and an event are not the same thing: "the minister said she would not
    resign" is no conflict with "the minister resigned"; a claim of what will be is of
    the same kind as such a report ("schools will remain closed until Friday" and "the
    council said schools will stay closed until Wednesday")."""
    if claim.expects != evidence.expects and not (_ahead(claim) and _ahead(evidence)):
        return None
    if elsewhere(claim, evidence, title_names):
        return None
    found = (
        _number_conflict(claim, evidence)
        or _run_conflict(claim, evidence)
        or _date_conflict(claim, evidence)
        or _negation_conflict(claim, evidence)
        or _none_but_counted(claim, evidence)
        or direction_conflict(claim, evidence)
        or antonym_conflict(claim, evidence)
        or _name_conflict(claim, evidence)
    )
    return found if found is not None and same_instance(claim, evidence, found.kind) else None


def elsewhere(claim: Profile, evidence: Profile, title_names: Sequence[Name] = ()) -> str | None:
    """A claim the extraction could not make stand alone (``unresolved``) is not read
    from a sentence that has none of its names and is about a place its article never
    names: "The government declared a major incident in Carnford" is no evidence for
    "The government has declared a major incident" in an article on Ashdale. A sentence
    that names nothing is placed by its source's title ("Four people died." on a page
    titled "Floods hit Carnford"). Returns that place, as written.

    A sentence with a name of the claim is read by the name checks, unless the claim's
    subject has no name and the sentence's does, one its article never gives: "Orlen
    Pharma's cancer drug Tavrolin was approved by the US Food and Drug Administration"
    is no evidence for "The drug has not yet been approved in the United States" in an
    article on another of Orlen's drugs.

    A claim that stands alone but leaves a thing to its article ("will lead the force")
    is not read from a sentence that names another such thing there, one its article
    never gives ("will lead the Kelby force"; :func:`_which_other`).

    A speaker its article never names, speaking of its own thing, places the sentence
    with that speaker: "Mercia, another building society, said its merger was expected
    to be completed in early 2026" is no evidence for "The merger is expected to be
    completed in early 2026" in an article on another merger."""
    if not claim.unresolved:
        if not claim.article:
            return None
        return _which_other(claim, evidence, claim.article | claim.words, title_names)
    known = claim.article | claim.words
    names = _article_names(claim)
    if any(_name_found(n, evidence.words) for n in names):
        if (which := _which_other(claim, evidence, known, title_names)) is not None:
            return which
        if any(n.in_subject for n in names):
            # the claim's own speaker or doer, but a page whose title names a place its
            # article never gives is on another matter: "Highland Express said it was
            # cooperating fully with the investigation" on a page titled "Bus hits
            # shelter in Aviemore"
            titled = (n for n in title_names if n.label in _PLACES)
            return next((n.text for n in titled if not _name_found(n, known)), None)
        doers = [n for n in evidence.names if n.in_subject and n.verb not in SPEECH_LEMMAS]
        doers += [n for n in evidence.unlabelled_doers if n.verb not in SPEECH_LEMMAS]
        named = (n for n in doers if n.verb in evidence.roots and not _name_found(n, known))
        return next((n.text.removesuffix("'s") for n in named), None)
    places = [
        n
        for n in evidence.names
        if _a_place(n)
        or _doer_of(n, claim, evidence)
        or (not names and _whose(n))
        or (n.speaks_of_its_own and n.label in _DOERS)
    ]
    places += [n for n in evidence.unlabelled_doers if n.verb not in SPEECH_LEMMAS]
    if not names:
        # for a claim that names nothing, a name its sentence shares with its page's
        # title is what the page is about: "Kelso Rovers sacked manager Dan Hart on
        # Monday. It is the third managerial change in the division this season." on
        # "Kelso Rovers sack Dan Hart"
        # (not one it is for: "with a satellite for the National Weather Agency" on
        # "Vantor-2 launches NWA weather satellite")
        in_title = _keys_of(title_names)
        places += [
            n
            for n in evidence.names
            if n.label in _DOERS
            and n.preposition in (None, "in", "of")
            and _name_found(n, in_title)
        ]
    if names_nothing(claim, evidence):
        places = [n for n in title_names if n.label in _DOERS | {"PROPN"}]  # see all_names
    return next((n.text.removesuffix("'s") for n in places if not _name_found(n, known)), None)


def _which_other(
    claim: Profile, evidence: Profile, known: frozenset[str], title_names: Sequence[Name] = ()
) -> str | None:
    """A name the claim's article never gives that says which thing a verb of the claim
    is about, outside the sentence's subject: "the Sable Bay spill" of "Environment
    Minister Lena Harcourt called the Sable Bay spill the worst spill in the region's
    history" against "… called it the worst spill …" in an article on another spill.
    The claim left that thing, its verb's subject or object, to its article
    (:attr:`Profile.open_roles`); the sentence names another there. So does one that
    says where the claim's main verb's event was, where the claim does not: "At the
    Lumen festival, the jury, led by actor Jonas Berg, praised the winning film's 'quiet
    power'" against "The jury, led by actor Jonas Berg, praised its 'quiet power'". A
    sentence whose subject is a name the article gives is about the article's thing
    wherever it was ("Marlow Motors was founded … in a workshop in Coventry"), and a
    name in another detail says nothing of which thing is meant. A name that says what
    the claim's verb is about, or on what occasion, in a phrase the claim leaves out,
    places the sentence elsewhere too (:func:`_other_matter`: "blamed rising steel
    prices for the delay to the Harwick bypass"); and a name that says which person of
    the claim's subject's name is meant, one the article never gives, makes it another
    person ("Rector Maria Lind of Brenna University")."""
    placed = {n.verb for n in claim.names if _a_place(n)}
    if any(n.in_subject and _name_found(n, known) for n in evidence.all_names):
        # "Marlow Motors was founded … in a workshop in Coventry": the article's own
        # firm, wherever it was founded
        placed |= claim.roots
    people = {k for n in claim.names if n.in_subject and n.label == "PERSON" for k in n.keys}
    named = claim.article | _keys_of(claim.names)
    titled = _keys_of(title_names)
    for name in evidence.names:
        if name.label not in _DOERS:
            continue
        if name.restricts and name.restricted in claim.described and not _found_by(name, named):
            # "Mark Ellery, chair of the judges of the Corran History Prize, described
            # the winning book as …" against "The chair of the judges, historian Mark
            # Ellery, described the book as …": another prize's judges (a name, read
            # against names: "History" is no word of "historian" here)
            return name.text.removeprefix("the ")
        if _name_found(name, known):
            continue
        if name.speaks_of_its_own:
            # "Another operator, Harlan Ports, said talks with its dockworkers were due
            # to resume on Friday": its own talks, not the article's
            return name.text.removeprefix("the ")
        if name.restricts and name.restricted in people:
            # "Rector Maria Lind of Brenna University said …": another university's
            # rector of the claim's name, where the article never names that university
            return name.text.removeprefix("the ")
        if (name.verb, name.role) in claim.open_roles and _name_found(name, titled):
            # "work to dual the A96 would be completed by 2035", on a page titled "A96
            # dualling timetable", against "… to dual the road …": the page is on
            # another road. A page that only names the article's unnamed thing ("the
            # Santa Rita" for "the ship", under "Minister: ship passed inspection") may
            # be on the article's thing.
            return name.text.removeprefix("the ")
        if name.in_subject:
            continue
        if name.verb in SPEECH_LEMMAS:
            if _said_at(name) and name.verb in claim.roots:
                # "At Varn Airport, chief executive Nils Ek said …": another airport's
                return name.text.removeprefix("the ")
            continue
        if (
            (name.verb, name.restricted_role) in claim.open_roles
            or (
                (name.restricted_role == "place" or _a_place(name))
                and name.verb in claim.roots - placed
            )
            or _other_matter(name, claim)
        ):
            return name.text.removeprefix("the ").removesuffix("'s")
    return None


def _found_by(name: Name, words: frozenset[str]) -> bool:
    """The name matches on a word other than its last, which says what kind of thing it
    is: "the Corran History Prize" is not found by "the Halden Prize"; a one-word name
    by itself (:func:`_name_found`)."""
    written = [w.lower() for w in re.findall(r"[\w'-]+", name.text) if w.lower() != "the"]
    if len(written) < 2:
        return _name_found(name, words)
    return any(_name_found(replace(name, keys=frozenset({w})), words) for w in written[:-1])


def _keys_of(names: Iterable[Name]) -> frozenset[str]:
    """The words that find these names (:attr:`Name.keys`)."""
    return frozenset(k for n in names for k in n.keys)


def _said_at(name: Name) -> bool:
    """A building or body where a speaker spoke, not a town ("at Varn Airport", not "in
    Brussels"): where one says a thing in one's office, which says whose office."""
    return name.preposition == "at" and name.label in ("FAC", "ORG")


def _other_matter(name: Name, claim: Profile) -> bool:
    """The name says which thing a verb of the claim is about, in a phrase the claim does
    not have: "the Harwick bypass" of "blamed rising steel prices for the delay to the
    Harwick bypass" for "blamed rising steel prices", "Marrow" of "deeply concerned by
    Marrow's new tariffs" for "said it was 'deeply concerned'", "the floods in Ferren" of
    "deployed to help after the floods in Ferren" for "deployed to help". The claim left
    what it was about, or when, to its article."""
    if not name.restricts or name.verb is None:
        return False
    if not any(p in _MATTER_PREPOSITIONS and p not in claim.prepositions for p in name.path):
        return False
    return name.verb in claim.words or any(_same_stem(name.verb, w) for w in claim.words)


def _speaks_of_its_own(root: Token) -> bool:
    """The name is the subject of a verb of saying (or set beside it) whose reported
    clause's subject is its own ("its merger", "talks with its dockworkers")."""
    if root.dep_ == "appos":
        root = root.head
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_.lower() not in SPEECH_LEMMAS:
        return False
    return any(
        g.dep_ == "poss" and g.lower_ in ("its", "their")
        for c in verb.children
        if c.dep_ == "ccomp"
        for s in c.children
        if s.dep_ in ("nsubj", "nsubjpass")
        for g in s.subtree
    )


def _whose(name: Name) -> bool:
    """A name that says whose or which thing is meant, as its possessor or by "in" or
    "of" ("Ostland's election", "shares in Harlow Foods"), not on a verb of saying: for a
    claim with no name of its own ("Turnout was 71%, …"), the sentence is about that
    name's thing. For whom ("a satellite for the National Weather Agency") is not
    whose."""
    return (
        name.restricts
        and name.preposition in (None, "in", "of")  # not "a satellite for the … Agency"
        and name.label in _DOERS
        # not the speaker's, but whom one tells: "Residents of Ferrby have been told …"
        and (name.verb not in SPEECH_LEMMAS or name.restricted_role == "object")
    )


def _article_names(claim: Profile) -> list[Name]:
    """The claim's names, but for a claim that needs its article the words of a kind its
    article's names keep (:data:`claims.decontext.CONTEXT_LABELS`) that they leave out:
    "Turnout", which the tagger took for a person, of "Turnout was 71%, the highest since
    1998"."""
    return [
        n
        for n in claim.names
        if not (claim.unresolved and claim.article)
        or n.label not in CONTEXT_LABELS
        or _name_found(n, claim.article)
    ]


#: Capitalised words a page writes inside sentences that are no names: weekdays,
#: months and titles ("on Monday", "in March", "President").
COMMON_TITLE_WORDS = frozenset(WEEKDAYS) | frozenset(_MONTH_NAMES) | _TITLES


def names_nothing(claim: Profile, evidence: Profile) -> bool:
    """The sentence names nothing, but words the claim's tagger took for names too
    (:func:`_article_names`) and who said it ("Grid East said power had been restored
    …": a speaker says who told, not where it was; but see :attr:`Name.speaks_of_its_own`):
    such a sentence is placed by its title."""
    names = _article_names(claim)
    guessed = [frozenset(n.keys) for n in claim.names if n not in names]
    return all(
        any(_name_found(e, keys) for keys in guessed)
        or (e.verb in SPEECH_LEMMAS and e.role == "subject" and not e.speaks_of_its_own)
        for e in evidence.all_names
    )


#: Labels of names that can be who or what does a thing ("the Cedar Valley fire").
_DOERS = frozenset({"ORG", "PERSON", "NORP"}) | _PLACES


def _doer_of(name: Name, claim: Profile, evidence: Profile) -> bool:
    """The name is who does what the claim's main verb says, as its verb's subject or
    as whose or which that subject is: "Corvid" of "Corvid plans 12 launches in 2026",
    "Ashvale" of "Ashvale's health board employs 14,000 staff", against "The company
    plans 12 launches" or "The health board employs 14,000 staff" in an article that
    never names them. A name on another verb ("Smith said the board employs …") is
    not; a verb of the same action counts, but not for a copula or other light verb
    (WordNet has "lift" as a sense of "be"). A name that says which of the claim's
    subject is meant, on any verb, is who too: "The Cedar Valley fire in Lake County
    forced 12,000 people from their homes" against "The fire is 25% contained"; and so
    is the subject of the sentence's main verb, or a name within it, unless that verb
    is one of saying: "Northjet cancelled 340 flights as pilots staged their second
    strike this month" against "It is the second strike by the airline's pilots this
    month"."""
    if name.label not in _DOERS:
        return False
    if name.restricted is not None and name.restricted in claim.subjects:
        return True  # "the Cedar Valley fire" for the claim's "The fire is 25% contained"
    if (name.role == "subject" or name.in_subject) and name.verb in evidence.roots - SPEECH_LEMMAS:
        # "Northjet cancelled 340 flights as pilots staged their second strike", "The
        # central bank of Marrow cut its main interest rate"
        return True
    return (
        name.verb is not None
        and any(
            name.verb == root or (root not in _LIGHT_VERBS and same_action(name.verb, root))
            for root in claim.roots
        )
        and (name.role == "subject" or name.restricts)
    )


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The words that find these names (:func:`_name_found`): "Ashdale", "Marlow Motors"
    -> {"ashdale", "marlow", "motors"}."""
    return _keys(w for name in names for w in name.split())


_BACK = frozenset({"it", "they", "he", "she", "this", "these", "those"})


def refers_back(profile: Profile) -> bool:
    """Its main clause's subject is a pronoun ("It will have four new stations"): who or
    what is meant is in the sentences before it, on its own page."""
    if profile.subjects and profile.subjects <= _BACK:
        return True  # "It was the hottest day of the year so far": a copula's too
    return any(p.main and p.heads and p.heads <= _BACK for p in profile.predicates)


def rival_named(claim: Profile, evidence: Profile) -> str | None:
    """A name of the claim that the evidence gives as another of its kind, sharing a
    word with it but not the word that tells them apart, and whose words it does not
    have at all: "Eastmere Water" for "Northvale Water", "Mark Ellison" for "Mark
    Ellery". A sentence that has the claim's name's words anywhere may name it in
    another form ("Caroline Bouvier Kennedy", tagged "Bouvier Kennedy"), one that is
    part of the claim's names it ("Hanford" for "The Hanford Site"), and letters alone
    tell nothing ("Juventus F.C." is not told from "Juventus Stadium" by "F.C.").
    Returns the evidence's name, as written."""
    theirs = [(n, _name_letters(n)) for n in evidence.names if n.label in _DOERS]
    written = evidence.written
    for mine in claim.names:
        own = _name_letters(mine)
        if mine.label not in _DOERS or own <= written:
            continue
        if any(words and words <= own for _, words in theirs):
            continue  # "Hanford" for "The Hanford Site": the claim's, said shorter
        for name, words in theirs:
            if own & words and _told_apart(own - words, words - own):
                return name.text
    return None


def _told_apart(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Each side has a word the other lacks, and not the other's spelt otherwise
    ("Hilllier" is a misspelt "Hillier"): "General Hospital" and "Community Centre" of
    "Calder General Hospital" and "Calder Community Centre"."""
    return bool(mine and theirs) and not any(
        difflib.SequenceMatcher(None, a, b).ratio() >= 0.8 for a in mine for b in theirs
    )


def _letters(text: str) -> frozenset[str]:
    """Its words of two letters or more, lowercased, accents kept and composed."""
    return frozenset(re.findall(r"[^\W\d_]{2,}", unicodedata.normalize("NFC", text).lower()))


def _name_letters(name: Name) -> frozenset[str]:
    """A name's words of two letters or more, lowercased, less titles and "the": "jong",
    "un" of "Kim Jong-un", as of "Kim Jong Un"."""
    found = _letters(name.text.removesuffix("'s").removesuffix("’s"))
    return frozenset(w for w in found if w not in _TITLES and w not in ("the", "of"))


def other_subject(claim: Profile, evidence: Profile) -> bool:
    """The claim's subject is named, and the sentence's by other names of the same kind,
    with none of the claim's: "The Cedar Valley fire in Lake County forced 12,000 people
    from their homes" tells of another fire than "A wildfire in Pine County has forced
    about 12,000 people to leave their homes" (:attr:`Name.in_subject`)."""
    mine = [n for n in claim.names if n.in_subject and n.label in _DOERS]
    if not mine or any(_name_found(n, evidence.words) for n in mine):
        return False
    theirs = [n for n in evidence.names if n.in_subject and n.label in _DOERS]
    rivals = {_kind(n) for n in mine} & {_kind(n) for n in theirs}
    return bool(rivals) and not any(_name_found(n, claim.words) for n in theirs)


def _kind(name: Name) -> str:
    """A place, or the name's label: "Lake County" is a rival of "Pine County", but an
    agency of a country ("CHED" of "institutions in the Philippines") is not."""
    return "place" if name.label in _PLACES else name.label


def names_any(claim: Profile, words: frozenset[str]) -> bool:
    """The words (a source's title's) have one of the claim's names: "Norie Sato" for a
    claim about Norie Sato."""
    return any(_name_found(n, words) for n in claim.names)


def _region_given(name: Name, claim: Profile, evidence: Profile) -> bool:
    """The name only says where a place the evidence names is ("Texas" of "in Austin,
    Texas" against "founded in Austin"), and the evidence says no other region of it
    ("Austin, Minnesota")."""
    if name.region_of is None:
        return False
    place = next((n for n in claim.names if n.text == name.region_of), None)
    if place is None or not _name_found(place, evidence.words):
        return False
    return not any(
        n.region_of is not None and _name_found(place, _keys(n.region_of.split()))
        for n in evidence.names
    )


def _a_place(name: Name) -> bool:
    """Where its verb's event is: a place by its label, or a name the tagger mislabels
    after "in" or "at" ("a major incident in Carnford", tagged an organisation), on the
    verb or its object; not one that says whose or which ("shares in Marlow Motors", "a
    workshop in Coventry")."""
    where = name.label in _PLACES or name.preposition in ("in", "at")
    return where and (not name.restricts or name.places_object)


def _ahead(profile: Profile) -> bool:
    """It reports what is expected, planned or promised, or says what will be (a main
    verb in the future)."""
    return profile.expects or any(p.main and p.tense == "future" for p in profile.predicates)


def same_instance(claim: Profile, evidence: Profile, kind: str | None = None) -> bool:
    """The sentence tells of the claim's event, not of another one like it: it has the
    claim's names (all but the one in conflict), its ordinals ("her second daughter"),
    and, unless the conflict is on them, its years and numbers. "Blanchard signed with
    the Panthers in 2013" does not refute "Blanchard signed with the Colts in 2015";
    "Bender gave birth to a girl in 2011" does not refute "Bender gave birth to her
    second daughter in 2013"; "when she's not working, Swift …" does not refute "Swift
    was working again with Max Martin"; "the next summit will be held in Rio de Janeiro"
    (the claim's verb only in the other of past and future) does not refute "the summit
    was held in Kazan". A denial or an opposite way or predicate also
    needs a word of the claim's subject. ``kind`` is the conflict's; None asks for a
    model's contradiction with no specific conflict, which needs all the names, the
    subject, the years and the numbers: "having no involution was associated with a
    higher risk of breast cancer" does not contradict "CHEK2 is not associated with
    breast cancer". A denial is refuted by no model's contradiction alone (the
    negation check reads it)."""
    if kind is None and any(not (words & evidence.words) for words in claim.relative):
        # the model reads a claim's clause the sentence says nothing of as contradicted:
        # "… sold for $12.4 million" had "refuted" "A landscape … that was lost for
        # almost a century has sold … for $12.4 million" (0.92)
        return False
    if kind is None and denial(claim):
        # the model reads a denial ("Neil Diamond is not a musician") against any
        # positive sentence on its subject ("… is an American football player") as a
        # contradiction: a denial is refuted only by the evidence stating what it denies
        return False
    missing = [n for n in claim.names if not _name_found(n, evidence.words)]
    people = [n for n in claim.names if n.label == "PERSON" and n not in missing]
    if people:
        # "Former council leader Peter Doyle" is the claim's "Labour's former leader,
        # Peter Doyle": a description of the person found is no other event
        missing = [n for n in missing if not n.describes]
    if len(missing) > (1 if kind in ("entity", "place") else 0):
        return False
    if kind not in ("entity", "place") and rival_named(claim, evidence):
        return False  # "Eastmere Water was fined £1.4 million": another firm's fine
    if kind in (None, "negation", "direction", "antonym"):
        # the claim's subject is in the sentence: "IL-1β increased the production of
        # PGE2" says nothing of whether "aspirin inhibits the production of PGE2"
        # (of a main verb that is neither light nor a verb of saying: in "the CEO said
        # the company would not cut jobs" the speaker is not what is denied)
        subject = frozenset().union(
            *(p.subjects for p in claim.predicates if p.main and not _plain(p.lemma))
        )
        if subject and not any(_found(w, evidence.words) for w in subject):
            return False
    # a date's own order ("the first half of 2026") is what a date conflict is on
    of_dates = {
        w
        for w, n in _PART_ORDINALS.items()
        for _, _, part, m in claim.when
        if kind == "date" and part in _PARTS_OF_YEAR and m == n
    }
    # a count in a row's own ordinal ("the fifth year in a row") is what it is on
    of_runs = {r.word.lower() for r in claim.runs} if kind == "run" else set()
    if not claim.ordinals - of_dates - of_runs <= evidence.ordinals:
        return False
    if _other_time(claim, evidence):
        return False  # "the next summit will be held in Rio" is another summit
    if kind in ("number", "age") and _narrower(claim, evidence):
        return False
    if kind == "date" and _dates_a_statement(claim) and spelled(claim, evidence) < 0.5:
        # "the University announced in June 2016 that it is working to develop the Arts
        # Block" is another statement than "in June 2017 the University announced plans
        # to renovate the station": a statement is the same one by what it says
        return False
    claim_years = {y.year for y in claim.years}
    if kind != "date" and not claim_years <= {y.year for y in evidence.years}:
        return False
    if kind not in ("number", "age"):
        stated = [e.quantity for e in evidence.numbers if e.quantity]
        counted = {r.value for r in claim.runs} if kind == "run" else set()
        for slot in claim.numbers:
            q = slot.quantity
            if q is None or (q.value == 1 and not q.unit) or q.value in claim_years:
                continue
            if q.value in counted:  # "3rd" of "the 3rd year in a row": the count in conflict
                continue
            if not any(same_value(q, e) for e in stated):
                return False
    return True


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPOSITIONS = frozenset({"in", "at", "across", "among", "within"})


def _narrower(claim: Profile, evidence: Profile) -> bool:
    """The evidence counts within a place or part the claim does not name, so its number
    may be a part of the claim's: "In Moscow alone, 1,500 people were arrested", "1,500
    people were arrested in Moscow" or "In the capital, 12 people died" says nothing
    against "More than 2,000 people were arrested" or "50 people died in the floods"."""
    return any(not _found(w, claim.words) and w not in claim.scoped for w in evidence.scoped)


_RANKS = frozenset({"first", "last", "previous", "latest"})


def _in_comparison(token: Token) -> bool:
    """Inside the phrase a claim compares its figure with: after "up from", "down from"
    or "than" ("higher than at the last count")."""
    for above in token.ancestors:
        if above.dep_ == "prep" and above.lower_ == "than":
            return True
        if above.lower_ == "from" and above.head.lower_ in ("up", "down"):
            return True
    return False


def _scoped(doc: Doc) -> frozenset[str]:
    """Where a verb's count may be restricted: the nouns of a place phrase put before the
    verb ("In the capital, 12 people died") and the places named after one ("were
    arrested in Moscow") or after a counted noun ("employs 2,000 people in Germany");
    not a date ("In 2023, …"); and "alone" ("Moscow alone saw …"), a stop word that no
    other field keeps."""
    out = {"alone"} if any(t.lower_ == "alone" and t.dep_ == "advmod" for t in doc) else set()
    for prep in doc:
        head = prep.head
        if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPOSITIONS:
            continue
        counted = head.pos_ == "NOUN" and any(
            c.dep_ == "nummod" and c.lower_ != "one" for c in head.children
        )  # not "a number-one record"
        if head.pos_ not in ("VERB", "AUX") and not counted:
            continue  # on a verb, or on a counted noun: "2,000 people in Germany"
        for noun in prep.children:
            if noun.dep_ != "pobj" or noun.pos_ not in ("NOUN", "PROPN"):
                continue
            if noun.ent_type_ in ("DATE", "TIME"):
                continue
            if prep.i < head.i or noun.ent_type_ in _PLACE_LABELS:
                out.add(noun.lemma_.lower())
    return frozenset(out)


def denial(claim: Profile) -> bool:
    """The claim denies its main predicate: "Putin has not commented", "X is not a
    musician", "no one was killed"."""
    return any(p.main and p.negated for p in claim.predicates) or bool(claim.roots & claim.negated)


def _dates_a_statement(claim: Profile) -> bool:
    """Every year of the claim hangs on a verb of saying ("announced in June 2017")."""
    verbs = {s.verb for s in claim.years}
    return bool(verbs) and all(v in SPEECH_LEMMAS for v in verbs)


def antonym_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """The evidence says the opposite of the claim's predicate of the same subject
    ("the plant will close" vs "the plant would stay open"; WordNet's antonyms,
    :mod:`claims.nli.antonyms`), and nowhere the claim's own predicate of it. A
    possibility ("may stay open") denies no fact; a sentence that reports a statement
    as a possibility or as disputed does so only between the two main verbs ("the
    ministry denied that any data was lost" against "the ministry admitted that …").
    An opposite through a synonym ("rejected" for "approved") refutes only as the two
    main verbs, each with an object, and not from a hedged sentence."""
    hedged = evidence.hedged and not claim.hedged
    for said, other in _opposed_pairs(claim, evidence, loose=False, by_heads=True):
        if not hedged or (said.main and other.main):
            return Conflict("antonym", said.word, other.word, True)
    if hedged:
        return None
    for said, other in _opposed_pairs(claim, evidence, loose=True, by_heads=True):
        if said.main and other.main and said.done_to and other.done_to:
            return Conflict("antonym", said.word, other.word, True)
    return None


def _opposed_pairs(
    claim: Profile, evidence: Profile, *, loose: bool, by_heads: bool = False
) -> Iterator[tuple[Predicate, Predicate]]:
    """(claim predicate, evidence predicate) pairs that are opposites
    (:func:`claims.nli.antonyms.opposed`), where the evidence nowhere says the claim's
    own predicate of the same subject. ``by_heads`` (for a refutation) also needs the
    same doer and thing done to by head word; keeping support away does not."""
    stated = [p for p in evidence.predicates if not p.negated]
    for said in claim.predicates:
        if said.negated:
            continue
        # of the same subject, or of a conjunct's ("denied the layoffs on Monday but
        # confirmed them on Friday")
        if any(
            p.lemma == said.lemma and (p.subjects & said.subjects or not p.subjects) for p in stated
        ):
            continue
        for other in stated:
            if opposed(said, other, loose=loose, by_heads=by_heads):
                yield said, other


def direction_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """The evidence says the claim's quantity went the other way ("reduces the risk of
    bleeding" vs "an increased risk of bleeding"), on the same specific thing (named
    by the same noun, not only by a modifier), and nowhere the claim's way; with as
    many reversing causes ("loss of", "inhibitor") on both sides, modulo two."""
    if claim.flips % 2 != evidence.flips % 2:
        return None
    for said in claim.directions:
        specific = {t for t in said.targets if t not in GENERIC}
        if not specific:
            continue

        def on_target(d: Direction, specific: set[str] = specific) -> bool:
            return any(_related(t, x) for t in specific for x in d.targets if x not in GENERIC)

        def on_thing(d: Direction, said: Direction = said) -> bool:
            # the same thing, by a noun: "greater numbers of inflammatory monocytes" is
            # not "a lower inflammatory capacity"
            mine = {t for t in said.nouns if t not in GENERIC}
            return any(_related(t, x) for t in mine for x in d.nouns if x not in GENERIC)

        same = [d for d in evidence.directions if d.sign == said.sign and on_target(d)]
        other = [
            d for d in evidence.directions if d.sign != said.sign and d.asserted and on_thing(d)
        ]
        if other and not same:
            return Conflict("direction", said.word, other[0].word, True)
    return None


def _number_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """A value of the claim that the evidence gives otherwise, counting the same thing
    (the same unit word): "2,000 employees" against "15,000 employees", "more than 2,000
    people" against "1,500 people", "six people" against "at least 10 people". A round
    figure is no conflict with a value it may be a rounding of ("50,000" and "48,700"),
    nor a value of a time the claim does not name (:func:`_dated_otherwise`), nor a share
    of another thing (:func:`_same_measure`), nor a bound that says which of a counted
    subject are counted (:func:`_criterion`)."""
    claimed = [s.quantity for s in claim.numbers if s.quantity]
    for slot in claim.numbers:
        q = slot.quantity
        if q is None or not q.unit or _criterion(slot, claim):
            continue
        if q.bound or any(e.quantity and e.quantity.bound for e in evidence.numbers):
            found = _bound_conflict(claim, slot, evidence)
            if found is not None:
                return found
        if q.bound or q.vague:
            continue
        same_unit = [
            e
            for e in evidence.numbers
            if e.quantity
            and e.quantity.unit == q.unit
            and not (e.quantity.bound or e.quantity.vague)
        ]
        if any(compatible(q, e.quantity) for e in same_unit if e.quantity):
            continue  # "50,000 employees" may be 48,700 rounded
        # a value the claim itself gives elsewhere ("83% ... and 74% ...") is no conflict,
        # nor one of another time ("employed 1,500 people in 2010")
        others = [
            e
            for e in same_unit
            if e.quantity
            and may_conflict(q, e.quantity)  # "fell by 5%" says nothing of "to 58%"
            and _same_measure(slot, e)
            and not any(same_value(c, e.quantity) for c in claimed)
            and not _dated_otherwise(claim, evidence, e, slot)
            and not _lasted_otherwise(claim, evidence, e, slot)
        ]
        if others:
            same_verb = slot.verb is not None and any(e.verb == slot.verb for e in others)
            # a share held by the same named thing ("the Green Alliance on 11%" against
            # "The Green Alliance is on 12%") is the same figure, whatever the verb
            held = q.unit in _SHARES and any(
                slot.holder is not None and slot.holder == e.holder for e in others
            )
            # a level of the same thing, whatever verb states it: "Trade between the two
            # countries reached $12.2 billion in 2024" against "Trade between Solvia and
            # Indora was worth $10.8 billion in 2024"
            level = slot.verb in _LEVEL_VERBS and any(
                e.verb in _LEVEL_VERBS and slot.subject and _share(slot.subject, e.subject)
                for e in others
            )
            kind = "age" if slot.age and others[0].age else "number"
            return Conflict(kind, slot.text, others[0].text, same_verb or held or level)
    return None


def _criterion(slot: Slot, claim: Profile) -> bool:
    """A bound on a verb whose subject another figure counts: "longer than 12 hours" of
    "More than 300 patients waited longer than 12 hours" says which patients are counted,
    not how long patients waited ("waited an average of five hours and 40 minutes" is
    no conflict)."""
    q = slot.quantity
    return (
        q is not None
        and q.bound
        and any(
            other is not slot and other.verb == slot.verb and other.counted in slot.subject
            for other in claim.numbers
        )
    )


def _run_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """Another count of the same times in a row (:class:`Run`): "the second monthly fall
    in a row" against "the third monthly fall in a row", "a second consecutive year"
    against "the third year in a row". A sentence that also gives the claim's count, or
    that names a year the claim does not (last year's page counts one fewer), is no
    conflict. A count on another verb, not the same action, conflicts off the claim's
    own slot (``same_predicate`` False): it keeps the sentence from supporting the
    claim and does not refute it."""
    if not claim.runs or {y.year for y in evidence.years} - {y.year for y in claim.years}:
        return None
    for mine in claim.runs:
        counts = [r for r in evidence.runs if r.noun == mine.noun]
        if not counts or any(r.value == mine.value for r in counts):
            continue
        theirs = counts[0]
        same = bool(mine.verb and theirs.verb and same_action(mine.verb, theirs.verb))
        return Conflict("run", mine.text, theirs.text, same)
    return None


#: Verbs that state a level a thing is at: "was worth", "reached", "totalled", "stood at".
_LEVEL_VERBS = frozenset({"be", "reach", "total", "stand", "amount"})


#: Units that do not say what they measure: a share of what, the subject says.
_SHARES = frozenset({"%", "percentage point"})


def _same_measure(mine: Slot, theirs: Slot) -> bool:
    """Two shares measure the same thing where their verbs' subjects share a word (or
    one of them names none): "orders had fallen by 12%" says nothing of "shares fell
    3%". A count's or an amount's unit says what it measures on its own."""
    q = mine.quantity
    if q is None or q.unit not in _SHARES or not (mine.subject and theirs.subject):
        return True
    return _share(mine.subject, theirs.subject)


# Words that make a date phrase a time ("a year ago", "last month"), where the phrase
# has no number; "for the year" tells no time.
_WHEN = frozenset("ago last next previous earlier later since until".split())


def _part_of(token: Token) -> frozenset[str]:
    """What "most of" or "a majority of" says only a part of: "protest" of "most of the
    protest". "Most voters", a part of a kind, is left out: it may state what the
    claim says of voters in general."""
    if token.lower_ not in ("most", "majority"):
        return frozenset()
    return frozenset().union(
        *(
            frozenset(t.lemma_.lower() for t in c.subtree if t.pos_ in ("NOUN", "PROPN"))
            for c in token.children
            if c.dep_ == "prep" and c.lower_ == "of"
        )
    )


def _only_part(claim: Profile, evidence: Profile) -> bool:
    """The evidence says only "most of" the claim's subject: "Most of the protest was
    peaceful, though a few people clashed with police" does not confirm "The protest
    was peaceful"; a claim that says "most" or "all" itself is read by the scope
    check."""
    if claim.partial or claim.scope & {"most", "all"}:
        return False
    subject = frozenset().union(*(p.subjects for p in claim.predicates if p.main))
    return _share(subject, evidence.partial) if subject and evidence.partial else False


def _dated_otherwise(claim: Profile, evidence: Profile, given: Slot, mine: Slot) -> bool:
    """The evidence dates what its verb says with a time the claim does not name, where
    the claim names another time or its figure is not of a past event: a figure of
    another time. "The company employed 1,500 people in 2010" says nothing against
    "The company employs 2,000 people", "Inflation rose to 5% a year ago" nothing
    against "Inflation rose to 3% last month"; "in May" against "in May" may conflict,
    and so may "In 2023, 12 people died in the floods" with "50 people died in the
    floods" (a past event the date only pins). A span that is the figure itself
    ("after three days" against "after three weeks") dates nothing."""
    theirs = [
        words
        for v, words in evidence.dates
        if v == given.verb and words and not _is_figure(words, given)
    ]
    if not theirs:
        return False
    dated = frozenset().union(*(words for _, words in claim.dates if not _is_figure(words, mine)))
    if dated:
        return not any(words & dated for words in theirs)
    return not any(p.tense == "past" for p in claim.predicates if p.lemma == mine.verb)


def _lasted_otherwise(claim: Profile, evidence: Profile, given: Slot, mine: Slot) -> bool:
    """The claim counts those for whom what its verb says lasted some time, and the
    evidence's figure comes with no such length, or another: "Almost 4,000 patients
    have waited more than a year" counts a part of "182,000 patients are waiting", no
    conflict. A length that is the figure itself ("lasted three days") is the
    measure, not a part of it."""
    mine_spans = {w for v, w in claim.lasting if v == mine.verb and not _is_figure(w, mine)}
    if not mine_spans:
        return False
    theirs = {w for v, w in evidence.lasting if v == given.verb}
    return not mine_spans & theirs


def _is_figure(words: frozenset[str], slot: Slot) -> bool:
    """A date phrase's words are all the figure's own: "days" of "three days"."""
    return words <= set(slot.text.lower().split())


def _bound_conflict(claim: Profile, slot: Slot, evidence: Profile) -> Conflict | None:
    """A bound on one side that the other side's value, of the same unit, is outside of
    ("more than 2,000 people" against "1,500 people"), where no value or bound of the
    evidence fits the claim's. A value the claim also gives elsewhere is no conflict, nor
    one of another time (:func:`_dated_otherwise`)."""
    claimed = [s.quantity for s in claim.numbers if s.quantity]
    q = slot.quantity
    if q is None:
        return None
    same_unit = [e for e in evidence.numbers if e.quantity and e.quantity.unit == q.unit]

    def fits(e: Quantity) -> bool | None:
        if q.bound:
            return meets(q, e)
        if e.bound:
            return meets(e, q)
        return same_value(q, e)

    if any(e.quantity and fits(e.quantity) for e in same_unit):
        return None
    outside = [
        e
        for e in same_unit
        if e.quantity
        and (q.bound or e.quantity.bound)
        and may_conflict(q, e.quantity)
        and not (q.vague or e.quantity.vague)  # "thousands" is written loosely
        and fits(e.quantity) is False
        and not any(c is not q and same_value(c, e.quantity) for c in claimed)
        and not _dated_otherwise(claim, evidence, e, slot)
        and not _lasted_otherwise(claim, evidence, e, slot)
    ]
    if not outside:
        return None
    same_verb = slot.verb is not None and any(e.verb == slot.verb for e in outside)
    return Conflict("number", slot.text, outside[0].text, same_verb)


def _date_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    claimed = {s.year for s in claim.years if s.year is not None}
    stated = {s.year for s in evidence.years if s.year is not None}
    if claimed <= stated:
        other = _other_day_or_month(claim, evidence, recurring=False)
        if other is not None:
            return other
    if not claimed or not stated or claimed & stated:
        return None
    verbs = {s.verb for s in claim.years if s.verb}
    same_verb = any(s.verb in verbs for s in evidence.years)
    first = sorted(stated)[0]
    return Conflict("date", ", ".join(map(str, sorted(claimed))), str(first), same_verb)


def _other_day_or_month(
    claim: Profile, evidence: Profile, *, recurring: bool = True
) -> Conflict | None:
    """Another month or weekday on the claim's verb, by the same preposition, and the
    claim's nowhere on it: "imposed the ban in May" against "imposed the ban in June",
    "will stay closed until Wednesday" against "will remain closed until Friday". The
    years, where the claim has any, are the claim's (the caller's condition). A change
    or a state recurs, so with ``recurring`` False their verbs are left out: "Profits
    rose in June" neither confirms nor contradicts "Profits rose in May", nor "Sales
    grew in the third quarter" "… in the first quarter"."""
    for verb, preposition, kind, name in claim.when:
        if verb is None or (not recurring and verb in _RECURRING):
            continue
        on_verb = [
            w
            for w in evidence.when
            if w[2] == kind and w[0] is not None and same_action(verb, w[0])
        ]
        theirs = [w for w in on_verb if w[1] == preposition]
        # the claim's own month anywhere on the verb: "declared a drought on Wednesday
        # (20 August 2025), after the region's driest July" gives "… after the driest
        # July", which the parser may read with no preposition
        if theirs and all(w[3] != name for w in on_verb):
            return Conflict(
                "date", _day_or_month(kind, name), _day_or_month(kind, theirs[0][3]), True
            )
    return None


#: Verbs of a change or a state, true of one month or quarter as of another.
_RECURRING = UP | DOWN | _LIGHT_VERBS


def _day_or_month(kind: str, name: str) -> str:
    if kind in _PARTS_OF_YEAR:  # "the second half"
        ordinal = next(w for w, n in _PART_ORDINALS.items() if n == name and w.isalpha())
        return f"the {ordinal} {kind}"
    return month_name(name) if kind == "month" else name.capitalize()


def _which_words(noun: Token) -> frozenset[str]:
    """The content lemmas of the words that say which of a noun is meant, its dates
    aside: {"confirm", "illness", "link", "school", "water", "supply"} of "cases" in "no
    confirmed cases of illness linked to the school's water supply"."""
    return _undated_lemmas(t for t in noun.subtree if t.i != noun.i)


def narrower_none(claim: Profile, evidence: Profile) -> bool:
    """The evidence says there is none of the claim's thing only of some of it: "there
    had been no confirmed cases of illness linked to the school's water supply" does not
    say "there had been no confirmed cases of illness" (there may be cases linked to
    something else), where the claim's article does not say which cases it means by the
    words the evidence adds (its names count: "no arrests in Pellham" for an article on
    Pellham). A "no" says the opposite of "some": leaving words out of what it denies
    makes a stronger statement, not a weaker one."""
    known = claim.words | claim.article
    return any(noun in claim.none_of and not words <= known for noun, words in evidence.none_which)


def _restricting_words(noun: Token) -> frozenset[str]:
    """The content lemmas of the clauses after a noun that say which of it is meant, not
    set off by a comma, dates aside: {"sell", "club", "training", "ground"} of "the
    decision to sell the club's training ground" (a phrase, "the side effects in the
    trial", only says more of it)."""
    return _undated_lemmas(
        t
        for c in noun.rights
        if c.dep_ in ("acl", "relcl") and noun.doc[c.left_edge.i - 1].text != ","
        for t in c.subtree
    )


def _undated_lemmas(tokens: Iterable[Token]) -> frozenset[str]:
    """The lemmas of the words that say something, figures and dates aside
    (:func:`_which_words`, :func:`_restricting_words`)."""
    return frozenset(
        t.lemma_.lower()
        for t in tokens
        if not (t.is_stop or t.is_punct or t.like_num) and t.ent_type_ not in _DATE_LABELS
    )


def other_of_its_kind(claim: Profile, evidence: Profile) -> str | None:
    """The evidence names its thing of the claim's kind otherwise, by a name the claim's
    article never gives, and nowhere by the claim's: "the Riverside festival" for "the
    Greenvale music festival" ("The Lanterns were due to close the Riverside festival
    in Kelby" against "… to close the Greenvale music festival"). Read for claims from
    an article, whose names say which names are its own. Returns the evidence's name."""
    if not claim.article:
        return None
    known = claim.words | claim.article
    written = evidence.written
    for noun, mine in claim.named_kinds:
        if mine <= written:
            continue
        for other, theirs in evidence.named_kinds:
            if other == noun and not theirs & mine and not theirs <= known:
                return " ".join(sorted(theirs)).title()
    return None


def said_of_another_matter(claim: Profile, evidence: Profile) -> bool:
    """The claim reports words on a thing it leaves to its article ("Chairman Alan Pryce
    said the decision had been 'extremely difficult'"), and the evidence says which such
    thing it means in words neither the claim nor its article's names have ("… said the
    decision to sell the club's training ground had been …"): the same words on
    another matter. A thing the claim says which of itself ("exactly the player we
    needed") is left to the other checks, and a name there is read by
    :func:`_other_matter`."""
    if not claim.reported or not claim.article:
        return False
    known = claim.words | claim.article
    restricted = {noun for noun, _ in claim.described_which}  # "the player we needed"
    return any(
        noun in claim.described - restricted and not words <= known
        for noun, words in evidence.described_which
    )


def _none_but_counted(claim: Profile, evidence: Profile) -> Conflict | None:
    """The claim says there was none of a thing that the evidence, stating a fact,
    counts: "there were no arrests" against "Officers made two arrests" (the model had
    read the two as agreeing, 0.55)."""
    if not claim.none_of or claim.hedged or evidence.hedged or evidence.expects:
        return None
    for slot in evidence.numbers:
        q = slot.quantity
        if (
            q is not None
            and slot.counted in claim.none_of
            and q.unit  # a count of the thing ("two arrests"), not a list's "(2) effect of …"
            and q.value >= 1
            and not q.bound
            and slot.verb not in evidence.negated
        ):
            return Conflict("negation", f"no {slot.counted}", slot.text, True)
    return None


def _negation_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """The evidence states the claim's predicate the other way ("Putin has commented"
    against "Putin has not commented"), read per predicate: the same verb, of the same
    subject and object where both name one, of the thing a "no" denies ("produced no
    agreement" denies no other product), stated as a fact in the evidence
    (:func:`claims.nli.mood.asserted`), and nowhere in it the claim's way. "To assess
    whether screening leads to improved vision" states nothing; "various proteins have
    been found to ..." is not about whether "hot spots are found". A copula or other
    light verb counts only at the root of both, between near-paraphrases ("is not an
    antibiotic" vs "is an antibiotic"), a copula only where the evidence says the
    subject is what the claim says it is or is not ("is not a musician" is no conflict
    with "is a football player", nor "is not a member of NATO" with "is a member of
    the EU")."""
    adjectives = {p.lemma for p in claim.predicates} & {p.lemma for p in evidence.predicates}
    for verb in sorted((claim.verbs & evidence.verbs) | adjectives):
        if verb in _LIGHT_VERBS:
            at_root = (
                verb in claim.roots
                and verb in evidence.roots
                and relevance(claim, evidence) >= 0.5
                and not (evidence.hedged and not claim.hedged)
                # "is not a musician" against "is a football player": other things
                and (
                    verb != "be"
                    or not claim.attributes
                    or all(_found(w, evidence.attributes) for w in claim.attributes)
                )
            )
            if at_root and (verb in claim.negated) != (verb in evidence.negated):
                said = "does not say" if verb in evidence.negated else "says"
                return Conflict("negation", verb, said, True)
            continue
        for mine in (p for p in claim.predicates if p.lemma == verb):
            told = [p for p in evidence.predicates if p.lemma == verb and _same_things(mine, p)]
            if any(_denies(p, claim) == _denies(mine, evidence) for p in told):
                continue
            if mine.denied and not any(_found(w, evidence.words) for w in mine.denied):
                continue  # "caused no damage" says nothing against "caused delays"
            against = [
                p
                for p in told
                if p.asserted and (not p.denied or any(_found(w, claim.words) for w in p.denied))
            ]
            if against:
                said = "does not say" if _denies(against[0], claim) else "says"
                return Conflict("negation", verb, said, True)
    return None


def _denies(predicate: Predicate, other: Profile) -> bool:
    """The predicate is denied, or said to be without a thing the other text speaks of
    ("ended without an agreement" against "ended with an agreement")."""
    return predicate.negated or any(_found(w, other.words) for w in predicate.without)


def _same_things(a: Predicate, b: Predicate) -> bool:
    """Two uses of a verb about the same thing: their subjects or objects share a word,
    or one of them names none (a pronoun, an infinitive's understood subject); and where
    both name an object, their objects do ("Putin did not mention Ukraine" is not about
    whether he mentioned the summit). Subjects may differ in words: "India" and
    "Indian Prime Minister Narendra Modi"."""
    if a.objects and b.objects and not _share(a.objects, b.objects):
        return False
    if (a.described or b.described) and a.subjects and b.subjects:
        if not _share(a.subjects, b.subjects):
            return False  # "the UN vote condemning the invasion" is not India condemning it
    mine, theirs = a.subjects | a.objects, b.subjects | b.objects
    return not mine or not theirs or _share(mine, theirs)


def _share(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """A word in both, by lemma or a form of its stem; a name's lemma may lose its "s"
    in one parse and not the other ("Brics")."""
    if any(_found(w, theirs) for w in mine):
        return True
    return bool({_singular(w) for w in mine} & {_singular(w) for w in theirs})


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _claims_name(claim: Profile, other: Name) -> bool:
    """The other text's name is one of the claim's."""
    return any(_name_found(other, frozenset(n.keys)) for n in claim.names)


def _named_otherwise(claim: Profile, part: Profile) -> bool:
    """A sentence without one of the claim's names that names someone or something else
    as that name's verb's subject or object: "Eastport Transit said …" for "Northfield
    Metro said …"; or another name of the same kind that says which of the same noun is
    meant ("a warehouse in Dockside" for "a warehouse in Harbourside"). Other names (a
    detail, "part of the European Greens") are left aside, and for a subject or object
    kinds are not compared (the tagger may read an unknown company as a person): this
    only keeps a sentence from lending its details to the sentences read with it."""
    claimed = [n for n in claim.names if n.verb is not None and n.role is not None]
    for name in claimed:
        if _name_found(name, part.words):
            continue
        if any(
            other.verb == name.verb and other.role == name.role and not _claims_name(claim, other)
            for other in part.names
        ):
            return True
    # another name of the kind that says which of the same thing is meant: "a warehouse
    # in Dockside" for "a warehouse in Harbourside"
    for name in claim.names:
        if name.restricted is None or _name_found(name, part.words):
            continue
        if any(
            other.restricted == name.restricted
            and _kind(other) == _kind(name)
            and not _claims_name(claim, other)
            for other in part.names
        ):
            return True
    return False


def _name_conflict(claim: Profile, evidence: Profile) -> Conflict | None:
    """Another name of the same kind in the claim name's place. One event happens in
    one place ("held in Kazan" vs "held in Moscow": kind ``place``); other names
    (people met, countries named) can sit side by side (kind ``entity``). A name of a
    list of the claim whose other members the evidence names is only left out, not
    contradicted. A name that says which of a noun's kind is meant ("bus drivers in
    Leeds") has no rival: "bus drivers in Bradford" are other people, and the missing
    name already keeps that sentence from confirming the claim. What a bare plural
    does ("Temperatures reached 38.7C in Brindley") may happen in many places at once:
    another place is no rival there."""
    for name in claim.names:
        if _name_found(name, evidence.words) or name.verb in (None, *_LIGHT_VERBS):
            continue
        if name.restricts:
            continue  # "drivers in Leeds" and "drivers in Bradford" are other people
        if claim.plural_subject and name.label in _PLACES:
            continue  # "Temperatures reached 38.7C in Kessel" too: no rival place
        if any(n.text in name.listed and _name_found(n, evidence.words) for n in claim.names):
            # a list the evidence gives in part, with other members: "South Africa, Egypt
            # and Iran" is not contradicted by "Egypt, Ethiopia, Iran and the UAE"
            continue
        rivals = [
            other
            for other in evidence.names
            if other.label == name.label
            and other.verb == name.verb
            and not other.restricts
            and not _claims_name(claim, other)
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
