"""Opposite predicates: "the plant will close" against "the plant would stay open".

A *predicate* is a clause's verb, or the adjective a copula or "stay"/"remain"/"keep"
puts on its subject ("open", "safe"), with the content lemmas of its subject and
object, read from spaCy's dependency parse: a passive's subject is its object and its
"by" agent its subject (without one, "the crossing was closed" also says the
crossing's state, as "the crossing was shut" would); an infinitive clause without a
subject ("decided to close the plant") takes the subject of the verb it hangs on;
"kept the plant open" puts "open" on the plant. Each predicate also says whether it
is negated ("did not close", "produced no agreement", "failed to close", "has yet to
close"), for the negation check, whether it is stated as a fact
(:func:`claims.nli.mood.asserted`: not "may close", not "whether it closes"), and
whether it is the sentence's main predicate (its root verb, or the adjective of a root
copula: "nutrition is *predictive* of ...").

Which words are opposites comes from WordNet 3.0's direct antonyms of verbs and
adjectives, a table (``claims/data/wordnet/antonyms.tsv``) built by
``training/wordnet_antonyms.py``; WordNet's licence is beside it. Verbs of saying that
a statement is true ("confirm", "acknowledge") are also opposed to those that dispute
it ("deny", "reject"; :data:`claims.nli.mood.AFFIRMING`, ``DISPUTING``). A second table
(``opposites.tsv``, from the same script) holds the verbs WordNet opposes through a
synonym ("approve"/"reject", "release"/"hold", "accept"/"turn_down"): looser, so they
keep a sentence from confirming the claim, and refute it only as the two main verbs,
each with an object (:func:`claims.nli.align.antonym_conflict`). To refute, opposites
of either kind need the same doer and the same thing done to, by head word, where both
sides have them (:attr:`Predicate.doers`, :attr:`Predicate.done_to`).

Each predicate also says its tense where it is plainly past ("held", "has held", "was
held") or future ("will hold"): a plan is not confirmed by a past event, nor the event
by a plan; and whether it is only planned, expected or promised ("said she would
resign"; :func:`claims.nli.mood.planned`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from claims.nli.mood import NOT_DOING, asserted, not_yet, planned, speech_sides
from claims.numeric_checks import years

if TYPE_CHECKING:
    from claims.nlp import Doc, Token

_CONTENT = frozenset({"NOUN", "PROPN"})
_SUBJECT = frozenset({"nsubj", "csubj", "expl"})
_OBJECT = frozenset({"dobj", "nsubjpass", "attr"})
_ADJ_DEPS = frozenset({"acomp", "oprd", "attr"})


@dataclass(frozen=True)
class Predicate:
    lemma: str
    word: str  # as written
    subjects: frozenset[str]  # content lemmas of its subject
    objects: frozenset[str]  # content lemmas of its object
    negated: bool = False
    asserted: bool = True  # stated as a fact (claims.nli.mood)
    # what a "no" denies, where that makes the negation: "agreement" in "produced no
    # agreement" (the predicate is denied of that thing only)
    denied: frozenset[str] = frozenset()
    # what a "without" leaves out: "agreement" in "ended without an agreement" (a denial
    # only where the other text speaks of that thing: "passed without debate" passed)
    without: frozenset[str] = frozenset()
    # its prepositional phrases' head nouns: (("on", "ocean"),) for "depend on the ocean"
    places: tuple[tuple[str, str], ...] = ()
    main: bool = False  # the root verb, or the adjective of a root copula
    # an infinitive the root verb takes: "vote" of "is expected to vote on the deal"
    chained: bool = False
    phrasal: str = ""  # the verb with its particle, as WordNet writes it: "turn_down"
    tense: str = ""  # "past" ("held", "has held"), "future" ("will hold"), or "" (other)
    # what someone expects, plans or promises: "resign" of "said she would resign"
    planned: bool = False
    # a participle describing a noun, its subject: "condemning" of "the vote condemning
    # the invasion"
    described: bool = False
    # the head words of its subject (active or passive) and their possessors: "aide" and
    # "minister" of "the minister's aide was arrested"
    heads: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    # the head words of who does it (the subject, a passive's agent) and of what it is
    # done to (the object, a passive's subject): {"member"} and {"deal"} of "the union's
    # members rejected the deal"
    doers: frozenset[str] = frozenset()
    done_to: frozenset[str] = frozenset()
    # the kind its subject, or a noun set beside it, is "another" one of ("accounting",
    # "software", "company" of "Ledgerly, another accounting software company, said"):
    # not the one of that kind its text spoke of before
    another: frozenset[str] = frozenset()
    # the proper nouns heading its subject, lowercased: "grid", "west" of "Grid West
    # said …"
    proper: frozenset[str] = frozenset()


@lru_cache(maxsize=2)
def _table(name: str) -> dict[str, frozenset[str]]:
    text = files("claims").joinpath(f"data/wordnet/{name}").read_text(encoding="utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            lemma, antonym = line.split("\t")[:2]
            table.setdefault(lemma, set()).add(antonym)
    return {k: frozenset(v) for k, v in table.items()}


def antonyms(lemma: str) -> frozenset[str]:
    """WordNet's direct antonyms of a verb or adjective lemma ("close" → "open"), and
    for a verb of saying a statement is true, those disputing it ("confirm" → "deny")."""
    lemma = lemma.lower()
    return _table("antonyms.tsv").get(lemma, frozenset()) | speech_sides(lemma)[1]


def opposites(lemma: str) -> frozenset[str]:
    """Verbs WordNet opposes to this one through a synonym ("approve" → "reject",
    "accept" → "turn_down"), besides its direct antonyms."""
    return _table("opposites.tsv").get(lemma.lower(), frozenset())


_FUTURE = frozenset({"will", "shall", "'ll", "wo"})


def _tense(token: Token) -> str:
    """ "past" for "held", "has held", "was held"; "future" for "will hold", "will be
    held"; "" for the rest (present, infinitives, modals)."""
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE for a in auxiliaries):
        return "future"
    if token.tag_ == "VBD" and not auxiliaries:
        return "past"
    if token.tag_ == "VBN" and not auxiliaries and any(c.dep_ == "nsubj" for c in token.children):
        return "past"  # "The bridge reopened": a past tense the tagger took for a participle
    if token.tag_ == "VBN" and any(
        a.tag_ == "VBD" or (a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP")) for a in auxiliaries
    ):
        return "past"
    return ""


def _content(token: Token) -> frozenset[str]:
    """Content lemmas of a phrase ("one" of "no one" is none)."""
    return frozenset(
        t.lemma_.lower() for t in token.subtree if t.pos_ in _CONTENT and t.lower_ != "one"
    )


#: Words that deny a verb's subject or object: "produced no agreement", "nobody came".
_NONE = frozenset({"nothing", "nobody", "none", "noone"})


def _plainly_negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in token.children)


def prepositional_objects(token: Token) -> list[tuple[Token, Token]]:
    """(preposition, its object) for each prepositional phrase on a word: ("on", "ocean")
    in "depend on the ocean"."""
    return [
        (c, g) for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
    ]


def _denied_things(token: Token) -> tuple[bool, frozenset[str]]:
    """Whether a "no" (or "nothing", "nobody") denies the verb, and the content lemmas
    of what it denies: "produced no agreement", "ended with no declaration"."""
    denied, things = False, frozenset[str]()
    arguments = [c for c in token.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
    arguments += [g for _, g in prepositional_objects(token)]
    for arg in arguments:
        if arg.lower_ in _NONE:
            denied = True
        elif any(d.dep_ == "det" and d.lower_ == "no" for d in arg.children):
            denied = True
            things |= _content(arg)
    return denied, things


def _negated(token: Token) -> tuple[bool, frozenset[str]]:
    """Whether the verb (or adjective) is denied, and what of, when a "no" denies it
    (:func:`_denied_things`): "did not close", "never closed", "produced no agreement",
    "nothing was found", "failed to ratify", "has yet to join" (not "did not fail to
    ratify")."""
    by_no, things = _denied_things(token)
    denied = _plainly_negated(token) or by_no
    head = token.head
    if head is not token and (
        (token.dep_ == "xcomp" and head.lemma_.lower() in NOT_DOING) or not_yet(token)
    ):
        return denied == _plainly_negated(head), things  # "failed to": unless "did not fail"
    return denied, things


def _arguments(verb: Token) -> tuple[frozenset[str], frozenset[str]]:
    subjects: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    for child in verb.children:
        if child.dep_ in _SUBJECT:
            subjects |= _content(child)
        elif child.dep_ == "agent":
            subjects |= frozenset().union(*(_content(c) for c in child.children))
        elif child.dep_ in _OBJECT and child.pos_ != "ADJ":
            objects |= _content(child)
        elif child.dep_ == "dobj" and any(c.dep_ == "det" for c in child.children):
            # "lost the final": an object the parser tags as an adjective is a noun
            objects |= _content(child) | {child.lemma_.lower()}
    if not subjects and verb.dep_ == "xcomp" and verb.head is not verb:
        subjects = _arguments(verb.head)[0]
    if not subjects and verb.dep_ == "acl" and verb.tag_ == "VBG":
        # "the UN vote condemning the invasion": the vote condemns it
        noun = verb.head
        subjects = frozenset(
            [noun.lemma_.lower()]
            + [c.lemma_.lower() for c in noun.children if c.dep_ == "compound"]
        )
    return subjects, objects


_KIND_POS = frozenset({"NOUN", "PROPN", "ADJ"})


def _another(verb: Token) -> frozenset[str]:
    """The content lemmas of the noun phrase the verb's subject, or a noun set beside
    it, is "another" of (:attr:`Predicate.another`)."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT]
    nouns = subjects + [a for s in subjects for a in s.children if a.dep_ == "appos"]
    return frozenset().union(
        *(
            {t.lemma_.lower() for t in n.subtree if t.i <= n.i and t.pos_ in _KIND_POS}
            for n in nouns
            if any(d.dep_ == "det" and d.lower_ == "another" for d in n.children)
        )
    )


def _proper(verb: Token) -> frozenset[str]:
    """The proper nouns of the verb's subject's head and its compounds
    (:attr:`Predicate.proper`)."""
    heads = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return frozenset(
        t.lower_
        for h in heads
        for t in (h, *(c for c in h.children if c.dep_ == "compound"))
        if t.pos_ == "PROPN"
    )


def _heads(verb: Token) -> tuple[frozenset[str], frozenset[str]]:
    """The head words of the verb's subject, active or passive, and of their possessors
    (with the possessor's compounds): ({"aide"}, {"minister"}) for "the minister's aide
    was arrested"."""
    heads = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    owners = [o for h in heads for o in h.children if o.dep_ == "poss"]
    return frozenset(h.lemma_.lower() for h in heads), frozenset(
        t.lemma_.lower()
        for o in owners
        for t in (o, *(c for c in o.children if c.dep_ == "compound"))
    )


def _roles(verb: Token) -> tuple[frozenset[str], frozenset[str]]:
    """The head lemmas of who does what the verb says (its subject, a passive's agent)
    and of what it is done to (its object, a passive's subject)."""
    doers = [c for c in verb.children if c.dep_ == "nsubj"]
    doers += [g for c in verb.children if c.dep_ == "agent" for g in c.children]
    done_to = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return frozenset(t.lemma_.lower() for t in doers), frozenset(t.lemma_.lower() for t in done_to)


def _is_year(token: Token) -> bool:
    return token.text.isdigit() and bool(years(token.text))


def predicates(doc: Doc) -> tuple[Predicate, ...]:
    """The text's clause verbs and predicate adjectives with their arguments (a
    participle that only modifies a noun, "an increased risk", is no predicate)."""
    out = []
    for token in doc:
        if token.pos_ == "VERB" and token.dep_ not in ("amod", "compound"):
            subjects, objects = _arguments(token)
            negated, denied = _negated(token)
            phrases = prepositional_objects(token)
            lemma = token.lemma_.lower()
            heads, owners = _heads(token)
            doers, done_to = _roles(token)
            verb = Predicate(
                lemma,
                token.text,
                subjects,
                objects,
                negated=negated,
                asserted=asserted(token),
                main=token.dep_ == "ROOT",
                chained=token.dep_ == "xcomp" and token.head.dep_ == "ROOT",
                denied=denied,
                without=frozenset().union(
                    *(_content(g) for c, g in phrases if c.lower_ == "without")
                ),
                # a counted noun ("rose to 8.3 per cent") is left to the number checks;
                # a year is no count ("vote on the 2025 budget")
                places=tuple(
                    (c.lower_, g.lemma_.lower())
                    for c, g in phrases
                    if g.pos_ == "NOUN"
                    and not any(n.dep_ == "nummod" and not _is_year(n) for n in g.children)
                ),
                phrasal="_".join([lemma] + [c.lower_ for c in token.children if c.dep_ == "prt"]),
                tense=_tense(token),
                planned=planned(token),
                described=token.dep_ == "acl" and token.tag_ == "VBG",
                heads=heads,
                owners=owners,
                doers=doers,
                done_to=done_to,
                another=_another(token),
                proper=_proper(token),
            )
            out.append(verb)
            deps = {c.dep_ for c in token.children}
            if "nsubjpass" in deps and "agent" not in deps:  # "was closed": also a state
                state = replace(verb, subjects=objects, objects=frozenset())
                out.append(replace(state, doers=done_to, done_to=frozenset()))
        elif (
            token.pos_ == "ADJ" and token.dep_ in _ADJ_DEPS or _adverbial_complement(token)
        ) and token.head is not token:
            head = token.head
            subjects, objects = _arguments(head)
            if token.dep_ == "oprd" and objects:  # "kept the plant open"
                subjects, objects = objects, frozenset()
            out.append(
                Predicate(
                    token.lemma_.lower(),
                    token.text,
                    subjects,
                    frozenset(),
                    negated=_negated(head)[0] or _negated(token)[0],
                    asserted=asserted(token),
                    main=head.dep_ == "ROOT",
                )
            )
    return tuple(out)


_COMPLEMENTS = frozenset({"acomp", "attr", "prep", "ccomp", "xcomp", "oprd", "dobj"})


def _adverbial_complement(token: Token) -> bool:
    """An adverb that is all a copula says of its subject: "over" in "the outbreak was
    over", "back" in "the power is back" (not "now" in "is now in Kyiv")."""
    head = token.head
    return (
        token.pos_ == "ADV"
        and token.dep_ == "advmod"
        and head.lemma_.lower() == "be"
        and token.i > head.i
        and not any(c.dep_ in _COMPLEMENTS for c in head.children)
        # the first one only: not "yet" of "is not over yet"
        and not any(c.dep_ == "advmod" and head.i < c.i < token.i for c in head.children)
    )


def opposed(
    claim: Predicate, evidence: Predicate, *, loose: bool = False, by_heads: bool = False
) -> bool:
    """The evidence's predicate is an antonym of the claim's (with ``loose``, also an
    opposite through a synonym, :func:`opposites`), said of the same subject (and of
    the same object, where either has one), neither negated, the evidence's stated as
    a fact; with ``by_heads``, of the same doer and thing done to by their head words
    where both have them."""
    if claim.negated or evidence.negated or not evidence.asserted:
        return False
    words = antonyms(claim.lemma)
    if loose:
        words |= opposites(claim.lemma) | opposites(claim.phrasal or claim.lemma)
    if evidence.lemma not in words and (evidence.phrasal or evidence.lemma) not in words:
        return False
    if not claim.subjects & evidence.subjects:
        return False
    if claim.objects or evidence.objects:
        if not claim.objects & evidence.objects:
            return False
    # the same doer and the same thing done to, by their head words: "the union's members
    # rejected the deal" is not the union, "rejected the request to exclude the evidence"
    # is not the evidence
    if not by_heads:
        return True
    if claim.doers and evidence.doers and not claim.doers & evidence.doers:
        return False
    return not (claim.done_to and evidence.done_to and not claim.done_to & evidence.done_to)
