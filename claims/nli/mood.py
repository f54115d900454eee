"""Does a word of a sentence belong to something the sentence states as a fact?

A conflict with the claim (the denied predicate, the opposite way, the opposite
predicate) counts only where the evidence *states* its side. Many sentences that
mention the claim's predicate do not: an aim ("The aim of this study was to
provide …"), a question ("To assess whether screening leads to improved vision"),
a possibility ("Weight control may reduce the risk"), a condition ("if the plant
closes …") or a potential ("the potential of increasing the success rate").

:func:`asserted` walks from a word up its dependency parse (spaCy) to the root and
finds none of these on the way. It is deliberately strict: an infinitive ("voted to
ratify the treaty", "wants to cut jobs") is not a stated fact either, so it never
makes a specific conflict (the model may still read the sentence), unless the verb
it hangs on states it: a necessity or a start ("will have to cut jobs", "began to
fall", "is going to close"), or that it did not happen ("refused to cut jobs",
"failed to ratify", "declined to comment", "has yet to join").

:func:`planned` reads what a sentence reports as expected, planned or promised ("prices
are expected to rise", "the minister said she would resign"): neither that nor the
event confirms the other, and the two never conflict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claims.decompose import SPEECH_LEMMAS

if TYPE_CHECKING:
    from claims.nlp import Token

HEDGE_MODALS = frozenset({"may", "might", "could"})
_CONDITIONS = frozenset({"whether", "if", "unless"})
# Verbs whose infinitive is stated with them: "have to cut" cuts, "began to fall" falls.
_STATING = frozenset({"have", "need", "begin", "start", "continue", "go", "keep", "manage"})
# Verbs that report a statement as disputed: "North Korea denied that it has sent
# troops" states neither that it has nor that it has not.
DISPUTING = frozenset({"deny", "dispute", "reject", "refute", "dismiss", "contest"})
# Verbs whose infinitive is an expectation, a plan or an intention, not an event:
# "prices are expected to rise", "officials hope to reopen the border", "he vowed to
# fight the ruling" (see :func:`planned`).
EXPECTING = frozenset(
    "expect forecast predict project anticipate plan intend hope aim pledge promise vow "
    "threaten propose want seek".split()
)
# Under a verb of saying (claims.decompose.SPEECH_LEMMAS) "will"/"would" report a plan or
# a promise: "the minister said she would resign" (a plain "will resign" is a future,
# read by the tense checks).
_REPORTED_FUTURE = frozenset({"will", "would", "shall", "'ll", "'d", "wo"})
# Verbs that report a statement as true, the opposites of DISPUTING's: "the Kremlin
# confirmed the reports" against "the Kremlin denied the reports" (WordNet has only
# "admit"/"deny" of these as antonyms).
AFFIRMING = frozenset({"confirm", "acknowledge", "admit", "affirm", "concede", "verify"})


def speech_sides(lemma: str) -> tuple[frozenset[str], frozenset[str]]:
    """For a verb that reports a statement as true or as disputed, the verbs on its own
    side and on the other ("confirm" → AFFIRMING, DISPUTING); two empty sets for any
    other verb."""
    if lemma in AFFIRMING:
        return AFFIRMING, DISPUTING
    if lemma in DISPUTING:
        return DISPUTING, AFFIRMING
    return frozenset(), frozenset()


# Verbs that state their infinitive did not happen: "failed to ratify" did not ratify,
# "declined to comment" did not comment (the negation check reads them so).
NOT_DOING = frozenset({"fail", "refuse", "decline", "neglect", "omit"})


def asserted(token: Token) -> bool:
    """The word's clause, and every clause above it, is stated as a fact: no hedging
    modal, no "whether"/"if"/"unless", no infinitive, no "of/for …ing" after a noun, no
    "denied that …", and the sentence is not a question."""
    if token.sent.text.rstrip().endswith("?"):
        return False
    current = token
    for _ in range(16):
        if current.pos_ in ("VERB", "AUX") or current.dep_ == "ROOT":
            for child in current.children:
                if child.tag_ == "MD" and child.lower_ in HEDGE_MODALS:
                    return False
                if child.dep_ == "mark" and child.lower_ in _CONDITIONS:
                    return False
                if child.dep_ == "aux" and child.tag_ == "TO" and not _stated_by_head(current):
                    return False
            preposition = current.head
            if (
                current.dep_ == "pcomp"
                and preposition.head is not preposition
                and preposition.head.pos_ in ("NOUN", "PROPN")
            ):
                return False
        if current.head is current:
            return True
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in DISPUTING:
            return False
        current = current.head
    return True


def planned(verb: Token) -> bool:
    """The verb tells what someone expects, plans, intends or promises, not what
    happened: the infinitive of an expecting verb ("expected to rise", "plans to cut",
    "is set to cut") or a "will"/"would" reported by a verb of saying ("said she would
    resign", "told staff they will have to cut jobs"). Neither the event confirms such
    a report nor the report the event, and they never conflict (claims.nli.align)."""
    head = verb.head
    if head is verb:
        return False
    lemma = head.lemma_.lower()
    if verb.dep_ == "xcomp" and (lemma in EXPECTING or (lemma == "set" and head.tag_ == "VBN")):
        return True
    return (
        verb.dep_ == "ccomp"
        and lemma in SPEECH_LEMMAS
        and any(c.tag_ == "MD" and c.lower_ in _REPORTED_FUTURE for c in verb.children)
    )


def _stated_by_head(verb: Token) -> bool:
    """An infinitive its verb states, done ("will have to cut") or not done ("failed to
    ratify", "has yet to join")."""
    return verb.dep_ == "xcomp" and (
        verb.head.lemma_.lower() in _STATING | NOT_DOING or not_yet(verb)
    )


def not_yet(verb: Token) -> bool:
    """ "has yet to join", "is yet to write": the infinitive has not happened."""
    return (
        verb.dep_ == "xcomp"
        and any(c.tag_ == "TO" for c in verb.children)
        and any(c.lower_ == "yet" for c in verb.head.children)
    )
