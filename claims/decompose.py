"""Cut a parsed sentence into units that each state one fact.

Works on spaCy's dependency parse of one sentence (a ``Doc``). A unit is a set of
the sentence's tokens (so every claim keeps exact article spans) plus, where
the fact needs it, a lead-in the article does not write ("Reports said that").

What is cut apart:

- coordinated predicates: "X warned about A and said B" gives "X warned about A"
  and "X said B" (the second borrows the first one's subject);
- clauses joined by "as"/"while"/"whereas"/"after"/"before"/"although"/"though"
  that have their own subject ("Shortly before Putin spoke, the Duma voted ...":
  the vote is one fact, the speech another);
- non-restrictive relative clauses: "Modi – who has tried to mediate – said ..."
  gives "Modi has tried to mediate" beside "Modi said ...";
- "amid reports that X": "Reports said that X", attributed to the reports;
- a summing-up appositive after a clause ("X demanded Y, a position Kyiv has
  called “absurd”") leaves the clause; when its relative clause calls the
  position something ("has called “absurd”") it becomes a claim of its own that
  names the position: "Kyiv has called the position that X demanded Y “absurd”".
  Other summing-up appositives (", a forum Moscow hopes will ...") are left out:
  they state a hope or a characterisation, not the article's fact;
- a coordinated active verb that the parse hangs inside a passive relative
  clause ("visited areas where the army has been accused of atrocities and
  repeatedly called for peace") goes back to the main verb, whose subject it shares;
- participle clauses that state their own fact: "X did A, helping to broker B"
  gives "X helped to broker B" (the past tense from ``lemminflect``; spaCy
  lemmatises but does not inflect).

Lists inside one predicate ("with four members – Brazil, Russia, India and
China") stay together: they describe one fact. An "also" on a verb is left out:
it refers to a fact stated before ("Ramaphosa has also urged an end to the
conflict" gives "Ramaphosa has urged an end to the conflict").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lemminflect import getInflection

if TYPE_CHECKING:
    from claims.nlp import Doc, Token

SPEECH_LEMMAS = frozenset(
    "say tell announce state claim confirm deny add write warn believe report "
    "insist argue allege accuse".split()
)
_SPLIT_MARKERS = frozenset({"as", "while", "whereas", "after", "before", "although", "though"})
_RELATIVE_PRONOUNS = frozenset({"who", "which"})
_EDGE_PUNCT = frozenset(",;:–—-")
_EDGE_WORDS = frozenset({"and", "but", "or", "while", "whereas", "as", "although", "though"})
# What a relative clause cannot be about: "in May 2023, which killed 17 people" (the
# parse hung it on the date; the floods did the killing).
_NOT_ANTECEDENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY"})


@dataclass
class Unit:
    """Tokens of one fact, in sentence order, and an optional lead-in."""

    tokens: list[Token]
    lead: str = ""
    attributed_to: str | None = None
    speaker: list[Token] = field(default_factory=list)
    # token index -> the word written instead ("praising" -> "praised")
    replace: dict[int, str] = field(default_factory=dict)
    # the verb is finite though tagged a participle: "X sent A and opened B" ("opened"/VBN)
    finite: bool = False


def units(doc: Doc) -> list[Unit]:
    """The units of one parsed sentence, in order of their first token."""
    speaker = _quote_first_speaker(doc)
    _reattach_active_conjuncts(doc)
    if speaker is not None:  # “…,” Mr Haq said: one unit, the speaker's words
        return [Unit(tokens=_trim_edges([t for t in doc if not t.is_space]), speaker=speaker)]
    roots = [t for t in doc if t.dep_ == "ROOT"]
    predicates: list[tuple[Token, Token | None]] = []  # (verb, inherited subject)
    for root in roots:
        _collect(root, None, predicates)
    pred_heads = {p.i for p, _ in predicates}
    extra: list[Unit] = []
    cut: set[int] = set()
    for tok in doc:
        if tok.dep_ == "relcl" and _non_restrictive(tok):
            unit = _relative_unit(tok)
            if unit is not None:
                extra.append(unit)
                cut |= {t.i for t in tok.subtree}
                cut |= _separators_before(tok)
        if _summing_appositive(tok):
            unit = _appositive_unit(tok)
            if unit is not None:
                extra.append(unit)
            cut |= {t.i for t in tok.subtree} | _separators_before(tok)
        if tok.lower_ == "amid" and tok.dep_ == "prep":
            unit = _amid_unit(tok)
            if unit is not None:
                extra.append(unit)
                cut |= {t.i for t in tok.subtree}
    out = []
    for verb, subject in predicates:
        exclude = set(cut)
        for other in verb.children:
            if other.i in pred_heads and other.i != verb.i:
                exclude |= {t.i for t in other.subtree}
                exclude |= {  # the ", and" / "; but" that joined it
                    t.i for t in verb.children
                    if t.dep_ in ("cc", "punct") and other.left_edge.i - 3 < t.i < other.left_edge.i
                }  # fmt: skip
        who = _subject(verb) or subject
        for participle, owner, phrase in _participles(verb, who):
            if participle.i < owner.i and any(c.dep_ in ("conj", "punct") for c in owner.children):
                continue  # "Starting in 2009 with four members – A, B – X has": the parse is unsure
            if owner.ent_type_ in _NOT_ANTECEDENTS:
                continue  # "The following month, the single, featuring Kai, ...": not the month
            if owner.lower_ in THING_PRONOUNS:
                # "It is now the country's busiest airport, overtaking Sorby": "It overtook
                # Sorby" says nothing alone, and the main clause without it says less
                continue
            unit = _participle_unit(participle, owner)
            if participle.i < owner.i:  # "Starting in 2009 with ... – Brics has expanded"
                front = [
                    t for t in verb.doc[: owner.i]
                    if t.i not in exclude and not t.is_space and not _names(t, owner)
                ]  # fmt: skip
                unit.tokens = _trim_edges(_name_words(owner) + _trim_edges(front))
                exclude |= {t.i for t in front}
            extra.append(unit)
            exclude |= {t.i for t in phrase.subtree} | _separators_before(phrase)
        exclude |= _bare_leading_preps(verb)
        if verb.dep_ == "advcl":  # "a day after X said": X said
            exclude |= {
                t.i for c in verb.children if c.dep_ in ("mark", "npadvmod") and c.i < verb.i
                for t in c.subtree
            }  # fmt: skip
        if who is not None:
            exclude |= {
                t.i for c in who.children if c.dep_ == "appos" and c.i < who.i for t in c.subtree
            }  # fmt: skip
        tokens = [t for t in verb.subtree if t.i not in exclude]
        if subject is not None:
            tokens = [t for t in subject.subtree if t.i not in exclude] + tokens
        tokens = _trim_edges(sorted(tokens, key=lambda t: t.i))
        kept = {t.i for t in tokens}
        if tokens and _predicates_something(verb, kept):
            speakers = [t for t in _speaker(verb, subject) if t.i in kept]
            out.append(Unit(tokens=tokens, speaker=speakers, finite=_finite_conjunct(verb)))
    out.extend(u for u in extra if u.tokens)
    if len(out) > 1 and any(_dangling(u) for u in out):
        # "The outage began at about 7am and services were fully restored by 4pm", read
        # as "7am and services": a split that leaves "began at." is the parse's mistake
        root = roots[0]
        whole = _trim_edges([t for t in doc if not t.is_space])
        out = [Unit(tokens=whole, speaker=[t for t in _speaker(root, None) if t in whole])]
    for unit in out:  # "Ramaphosa has also urged ...": "also" points at the sentence before
        unit.tokens = [t for t in unit.tokens if not _additive(t)]
    return sorted((u for u in out if u.tokens), key=lambda u: u.tokens[0].i)


def _dangling(unit: Unit) -> bool:
    """The unit ends in a preposition whose object it left out: "The outage began at"."""
    words = [t for t in unit.tokens if not t.is_punct]
    kept = {t.i for t in unit.tokens}
    last = words[-1] if words else None
    return (
        last is not None
        and last.dep_ == "prep"
        and not any(c.i in kept for c in last.children if c.dep_ in ("pobj", "pcomp"))
    )


#: Pronouns that stand for a thing or things named before. The rewrite leaves them as
#: they are (it names "he" and "she" from the article's people), so a participle whose
#: subject is one stays with its clause.
THING_PRONOUNS = frozenset({"it", "they", "them", "this", "that", "these", "those"})


def _additive(token: Token) -> bool:
    """An "also" on a verb: it adds the fact to one the article stated before, which
    the claim, read alone, does not have."""
    return token.lower_ == "also" and token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX")


def _finite_conjunct(verb: Token) -> bool:
    """'sent A and opened B': a past form without auxiliary, coordinated with a finite verb."""
    if verb.dep_ != "conj" or verb.tag_ not in ("VBD", "VBN"):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    head = verb.head
    return head.pos_ in ("VERB", "AUX") and "Fin" in head.morph.get("VerbForm", [])


def _participles(verb: Token, subject: Token | None) -> list[tuple[Token, Token, Token]]:
    """Participle clauses that state a fact of their own: (participle, who, phrase to cut).

    "X did A, helping to broker B" (X helped to broker B), "Starting in 2009, X
    expanded" (X started in 2009), "..., with Kim praising Putin" (Kim praised
    Putin). Not after speech verbs, not speech participles ("saying it sets a
    precedent": "it" needs the main clause), not with a marker ("while avoiding").
    """
    if verb.lemma_.lower() in SPEECH_LEMMAS:
        return []
    out = []
    for child in verb.children:
        adopted = child.i in verb.doc.user_data.get("adopted", ())
        if (
            child.dep_ == "advcl"
            and _plain_participle(child)
            and subject is not None
            and not adopted
        ):
            out.append((child, subject, child))
        elif child.dep_ == "prep" and child.lower_ == "with":
            for clause in child.children:  # "with Kim praising Putin"
                owner = _subject(clause)
                if clause.dep_ == "pcomp" and clause.tag_ == "VBG" and owner is not None:
                    out.append((clause, owner, child))
    return out


def _plain_participle(clause: Token) -> bool:
    return (
        clause.tag_ == "VBG"
        and clause.lemma_.lower() not in SPEECH_LEMMAS
        and _subject(clause) is None
        and not any(c.dep_ == "mark" for c in clause.children)
        and not _result_of_main(clause)
    )


def _result_of_main(clause: Token) -> bool:
    """A participle whose object is "it" or "them" says what the main clause made of its
    subject: "will seat 42,000 fans, making it the second-largest in the country" (the
    seats make it so; "The stadium made it the second-largest" would say another thing)."""
    return any(
        t.lower_ in ("it", "them")
        and t.dep_ in ("dobj", "nsubj")  # spaCy parses "making it the largest" either way
        and clause in (t.head, t.head.head)
        for t in clause.subtree
    )


def _participle_unit(participle: Token, owner: Token) -> Unit:
    """The owner's words, then the participle clause with the participle in the past tense."""
    who = _name_words(owner)
    past = getInflection(participle.lemma_, tag="VBD")
    word = past[0] if past else participle.text
    named = {w.i for w in who} | {t.i for t in owner.subtree}
    body = [t for t in participle.subtree if t.i not in named]
    return Unit(
        tokens=_trim_edges(who + _trim_edges(body)),
        replace={participle.i: word + participle.whitespace_},
    )


def _names(tok: Token, owner: Token) -> bool:
    return tok.i in {t.i for t in _name_words(owner)}


def _collect(verb: Token, subject: Token | None, out: list[tuple[Token, Token | None]]) -> None:
    out.append((verb, subject))
    own_subject = _subject(verb) or subject
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and _has_own_words(child):
            _collect(child, None if _subject(child) else own_subject, out)
        elif child.dep_ in ("ccomp", "parataxis") and _semicolon_apart(child) and _subject(child):
            _collect(child, None, out)
        elif child.dep_ == "advcl" and _subject(child) is not None and _marker(child):
            _collect(child, None, out)
            _adopt_trailing_participle(verb, child)


def _has_own_words(conjunct: Token) -> bool:
    """A verb joined to another has words of its own beyond punctuation: "was inspected
    in March and passed" keeps its bare "passed" (passed what? the inspection), which
    alone would say another thing."""
    return any(c.dep_ not in ("punct", "cc") for c in conjunct.children)


def _adopt_trailing_participle(verb: Token, clause: Token) -> None:
    """'talks come as troops advance, edging closer': the participle goes with the troops.

    It stays in their clause (a manner of advancing, not a fact of its own).
    """
    for other in list(verb.children):
        if other.dep_ == "advcl" and other.tag_ == "VBG" and other.i > clause.right_edge.i:
            other.head = clause
            verb.doc.user_data.setdefault("adopted", set()).add(other.i)


def _semicolon_apart(clause: Token) -> bool:
    """A clause set off from its head by a semicolon ("A rose; B fell")."""
    head = clause.head
    lo, hi = sorted((clause.i, head.i))
    return any(t.text == ";" and t.head.i in (head.i, clause.i) for t in clause.doc[lo:hi])


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _marker(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in _SPLIT_MARKERS for c in clause.children)


def _non_restrictive(relcl: Token) -> bool:
    """A relative clause set off by a comma or dash and opened by who/which."""
    first = relcl.left_edge
    if first.lower_ not in _RELATIVE_PRONOUNS or first.i == 0:
        return False
    return first.nbor(-1).text in _EDGE_PUNCT


def _relative_unit(relcl: Token) -> Unit | None:
    pronoun = relcl.left_edge
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    antecedent = relcl.head
    if antecedent.ent_type_ in _NOT_ANTECEDENTS or not _next_to(antecedent, pronoun):
        return None
    keep = [
        t for t in antecedent.subtree if t.i < relcl.left_edge.i and t.i >= antecedent.left_edge.i
    ]
    keep = _trim_edges([t for t in keep if not _inside_other_clause(t, antecedent)])
    body = [t for t in relcl.subtree if t.i != pronoun.i]
    return Unit(tokens=_trim_edges(keep + body))


# A relative clause that calls the appositive's noun something: 'has called “absurd”'.
_CHARACTERISING = frozenset({"oprd", "acomp"})


def _summing_appositive(tok: Token) -> bool:
    """', a position Kyiv has called “absurd”' after a clause: an indefinite noun set off by
    a comma, hanging on the clause's verb (or on its last noun), with a relative clause."""
    if tok.pos_ != "NOUN" or tok.dep_ not in ("npadvmod", "appos"):
        return False
    if tok.dep_ == "appos" and tok.head.pos_ not in ("NOUN", "PROPN"):
        return False
    first = tok.left_edge
    if first.i == 0 or first.nbor(-1).text != "," or first.lower_ not in ("a", "an"):
        return False
    if tok.dep_ == "appos" and tok.head.i != first.i - 2 and tok.head.right_edge.i != first.i - 1:
        return False
    return any(c.dep_ == "relcl" and c.i > tok.i for c in tok.children) and (
        tok.right_edge.i + 1 >= len(tok.doc) or tok.doc[tok.right_edge.i + 1].is_punct
    )


def _appositive_unit(noun: Token) -> Unit | None:
    """'X demanded Y, a position Kyiv has called “absurd”' -> 'Kyiv has called the position
    that X demanded Y “absurd”' (only when the relative clause's object is the gap)."""
    relcl = next(c for c in noun.children if c.dep_ == "relcl")
    verb = noun.head
    while verb.dep_ not in ("ROOT", "conj", "ccomp") and verb.head.i != verb.i:
        verb = verb.head  # an appositive of the clause's last noun: the clause's verb
    if verb.pos_ not in ("VERB", "AUX") or _subject(verb) is None:
        return None
    deps = {c.dep_ for c in relcl.children}
    if not deps & _CHARACTERISING or deps & {"dobj", "ccomp", "xcomp"} or _subject(relcl) is None:
        return None
    left = noun.left_edge.i - 1  # the comma
    clause = _trim_edges(
        [t for t in verb.subtree if not left <= t.i <= noun.right_edge.i and not t.is_space]
    )
    while clause and clause[-1].is_punct:
        clause = clause[:-1]
    if not clause:
        return None
    before = [t for t in relcl.subtree if t.i <= relcl.i]
    after = [t for t in relcl.subtree if t.i > relcl.i]
    filler = f"the {noun.text} that "
    replace = {relcl.i: relcl.text + " " + filler}
    return Unit(tokens=_trim_edges(before) + clause + _trim_edges(after), replace=replace)


def _reattach_active_conjuncts(doc: Doc) -> None:
    """'visited areas where the army has been accused of X and repeatedly called for Y'.

    The parse joins 'called' to 'accused'; an active verb without a subject of its
    own cannot share a passive clause's subject, so it goes to the verb the
    relative clause hangs under (and shares that verb's subject).
    """
    for tok in doc:
        head = tok.head
        if tok.dep_ != "conj" or tok.pos_ != "VERB" or head.dep_ != "relcl":
            continue
        if _subject(tok) is not None or any(c.dep_ == "auxpass" for c in tok.children):
            continue
        if not any(c.dep_ == "nsubjpass" for c in head.children):
            continue
        if not any(c.dep_ in ("dobj", "prep") for c in tok.children):
            continue
        main = head.head.head  # relcl -> its noun -> the verb the noun hangs under
        if main.pos_ not in ("VERB", "AUX") or _subject(main) is None or main.i > tok.i:
            continue
        for joiner in [c for c in head.children if c.dep_ == "cc" and c.i < tok.left_edge.i]:
            joiner.head = main  # the "and" goes with its verb
        tok.head = main


def _next_to(antecedent: Token, pronoun: Token) -> bool:
    """The antecedent is the last noun before ', who/which' (or names it with it).

    'the record held by "NYPD Blue", which had scored 26': the parse may hang the
    clause on 'record'; the nearest noun is 'Blue', so which one is meant is unsure.
    """
    i = pronoun.i - 1
    doc = pronoun.doc
    while i >= 0 and (doc[i].is_punct or doc[i].is_quote or doc[i].is_space):
        i -= 1
    if i < 0:
        return False
    last = doc[i]
    if last.i == antecedent.i:
        return True
    return last.head.i == antecedent.i and last.dep_ in ("compound", "flat", "appos", "nummod")


def _inside_other_clause(tok: Token, head: Token) -> bool:
    """True for tokens of a clause hanging off ``head`` (kept out of its antecedent text)."""
    while tok.i != head.i and tok.head.i != tok.i:
        if tok.dep_ in ("relcl", "acl", "appos", "conj") and tok.head.i == head.i:
            return True
        tok = tok.head
    return False


def _amid_unit(amid: Token) -> Unit | None:
    """'amid reports that X' -> 'Reports said that X'."""
    noun = next((c for c in amid.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lemma_.lower() not in ("report", "claim", "allegation"):
        return None
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")), None)
    if clause is None:
        return None
    tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.lower_ == "that")]
    lead = f"{noun.text[0].upper()}{noun.text[1:]} said that "
    return Unit(tokens=_trim_edges(tokens), lead=lead, attributed_to=noun.text.lower())


def _separators_before(tok: Token) -> set[int]:
    """The comma/dash that opens a cut-out clause and the one that closes it."""
    out = set()
    left, right = tok.left_edge.i - 1, tok.right_edge.i + 1
    doc = tok.doc
    if left >= 0 and doc[left].text in _EDGE_PUNCT:
        out.add(left)
    if right < len(doc) and doc[right].text in _EDGE_PUNCT:
        out.add(right)
    return out


def _speaker(verb: Token, subject: Token | None) -> list[Token]:
    """The subject of a speech or belief verb that has a clause to attribute, else []."""
    if verb.lemma_.lower() not in SPEECH_LEMMAS:
        return []
    if not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return []
    who = _subject(verb) or subject
    return [] if who is None else _name_words(who)


def _name_words(head: Token) -> list[Token]:
    """The words that name a speaker: 'Russia' of 'Russia on Oct 23', not the date."""
    dropped = {
        t.i for c in head.children if c.dep_ in ("prep", "relcl", "acl", "appos", "punct")
        for t in c.subtree
    }  # fmt: skip
    return [t for t in head.subtree if t.i not in dropped and not t.is_punct]


def _quote_first_speaker(doc: Doc) -> list[Token] | None:
    """In '“…,” Mr Haq said.' the tokens of 'Mr Haq'; None for other sentences."""
    if not doc or not doc[0].is_quote:
        return None
    closing = [t.i for t in doc if t.is_quote and t.i > 0]
    if not closing:
        return None
    for t in doc[closing[-1] + 1 :]:
        if t.lemma_.lower() in SPEECH_LEMMAS:
            who = _subject(t)
            if who is not None and who.i > closing[-1]:
                return _name_words(who)
    return None


def _bare_leading_preps(verb: Token) -> set[int]:
    """'At the meeting, X did Y': a phrase before the subject that points at context only."""
    subject = _subject(verb)
    if subject is None:
        return set()
    out: set[int] = set()
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.i > subject.i:
            continue
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if objects and all(_bare_definite(o) for o in objects):
            out |= {t.i for t in prep.subtree}
            right = prep.right_edge.i + 1
            if right < len(verb.doc) and verb.doc[right].text in _EDGE_PUNCT:
                out.add(right)
    return out


def _bare_definite(noun: Token) -> bool:
    children = list(noun.children)
    return (
        noun.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in children)
        and all(c.dep_ in ("det", "punct") for c in children)
    )


_COMPLEMENTS = frozenset(
    "dobj attr prep ccomp xcomp acomp oprd npadvmod advmod dative agent advcl pobj".split()
)


def _predicates_something(verb: Token, kept: set[int]) -> bool:
    """False for a bare subject + verb left over after its clauses were cut away
    ("officials said" without what they said); an intransitive verb that lost nothing
    but the clauses joined to it, or a participle clause made a claim of its own, says
    something ("Two people have died", "About 40 flights were diverted or cancelled" of
    "…, affecting some 6,000 passengers"), and so does a verb of saying in the passive
    with what was said as its subject ("No injuries have been reported")."""
    if any(c.dep_ in _COMPLEMENTS and c.i in kept for c in verb.children) or verb.pos_ == "AUX":
        return True
    joined = ("conj", "cc", "punct", "advcl")
    lost = [c for c in verb.children if c.i not in kept and c.dep_ not in joined]
    if lost:
        return False
    # a verb of saying in the passive says what was reported: "No injuries have been
    # reported", "Three cases were reported"
    reported = any(c.dep_ == "nsubjpass" and c.i in kept for c in verb.children)
    return verb.lemma_.lower() not in SPEECH_LEMMAS or reported


def _trim_edges(tokens: list[Token]) -> list[Token]:
    """Drop separators and conjunctions left dangling at either end."""
    while tokens and (tokens[0].text in _EDGE_PUNCT or tokens[0].lower_ in _EDGE_WORDS):
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in _EDGE_PUNCT or tokens[-1].lower_ in _EDGE_WORDS):
        tokens = tokens[:-1]
    return tokens
