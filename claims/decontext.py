"""Make a claim readable without the article: names for pronouns and descriptions, full dates.

Rules over spaCy's entities and parse, read in article order. ``coreferee``
(coreference for spaCy, 1.5.0 allows spaCy 3.8) was checked: its English model
is not on PyPI but fetched from GitHub by ``python -m coreferee install en``,
which an offline install cannot do, so rules it is:

- a person named in full once ("Russian President Vladimir Putin") is named in
  full wherever the article shortens the name ("Mr Putin");
- a title seen before a name ("UN chief Antonio Guterres") names that person when
  it comes back as a description ("the UN chief's decision");
- he / she / him / his / her, outside quotes and with no person named earlier in
  the claim, name the person the article mentioned last; "the two men" the last
  two people;
- a bare "the N" whose noun the article introduced earlier with modifiers
  ("the conflict" after "the Ukraine conflict") takes that fuller description;
- "Oct 24" becomes "24 October 2024" when the article's date is known.

- a person the article does not name ("said a farmer", "a senior US official
  said") stops he/she from reaching back past them: the claim is marked instead;
  a PERSON entity after "in"/"at"/"near" is taken for a place, not a person;
- a bare "the N" whose noun heads an organisation the article named ("the bank"
  after "the Bank of England") takes that name;
- "the same N" and a bare number as subject ("two voted for a cut") are marked.

Whatever still refers outside the claim (they, this, "the document", "the two
sides") leaves the claim marked ``needs_context``.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from claims.decompose import SPEECH_LEMMAS
from claims.numeric_checks import MONTHS
from claims.numeric_checks import years as years_in

if TYPE_CHECKING:
    from claims.nlp import Doc, Span, Token


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof"})
_PERSONAL = {"he": "subj", "she": "subj", "him": "obj", "his": "poss", "her": "poss"}
# the gender a pronoun or an honorific gives a person ("Ms Petrov", "Varga said he …")
_GENDERS = {"he": "m", "him": "m", "his": "m", "mr": "m", "she": "f", "her": "f"}
_GENDERS |= {"hers": "f", "ms": "f", "mrs": "f", "miss": "f"}
_UNRESOLVABLE = frozenset({"they", "them", "their", "this", "these", "those", "it", "its"})
# "both", "each", "all" standing alone for things or people named before
_QUANTIFIER_PRONOUNS = frozenset({"both", "each", "all"})
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj"})
# What "the document" refers back to: the last agreement-like thing the article named.
_DOCUMENT_KINDS = frozenset({"treaty", "pact", "agreement", "deal", "accord", "bill", "law"})
# Nouns that name a person by office ("the UN leader"); titles the article writes
# before a name ("UN spokesman Farhan Haq") add theirs as it is read.
_ROLE_NOUNS = frozenset(
    "leader chief head president minister spokesman spokeswoman spokesperson official".split()
)
# Words for the person at the top of an organisation: "the UN leader" is the person
# the article called "UN chief" before (when exactly one such title has those words).
_HEAD_NOUNS = frozenset({"leader", "chief", "head", "boss", "secretary-general"})
_GROUP_NOUNS = frozenset({"men", "women", "leaders", "presidents"})
# What a local report calls the place of its dateline.
_HOME_NOUNS = frozenset({"city", "town"})
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_NAMES = [m.capitalize() for m in MONTHS]
# A year named from the article's own: "last year" in a 2025 article is 2024.
_RELATIVE_YEARS = {"last year": -1, "this year": 0, "next year": 1}
# the year before the one the sentence names ("in 2024 … a year earlier")
_YEAR_BEFORE = frozenset(
    {"a year earlier", "a year before", "the year before", "the previous year"}
)
_YEAR_PREPOSITIONS = frozenset("since from until till by before after in during for of".split())
_MONTH_DAY = re.compile(r"^(?P<m>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})$")
_DAY_MONTH = re.compile(r"^(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]{3,9})$")


@dataclass
class ArticleContext:
    """What the article has introduced so far, read sentence by sentence."""

    published: date | None = None
    full_names: dict[str, str] = field(default_factory=dict)  # surname -> full name
    titles: dict[str, str] = field(default_factory=dict)  # "un chief" -> full name
    people: list[str] = field(default_factory=list)  # full names, last mentioned last
    descriptions: dict[str, str] = field(default_factory=dict)  # head lemma -> "the X N"
    organisations: dict[str, str] = field(default_factory=dict)  # "bank" -> "the Bank of England"
    # the people as they stood before the sentence being read, and who that sentence
    # mentions where (token index, full name or UNNAMED): "he" looks back, never ahead
    people_before: list[str] = field(default_factory=list)
    mentions: list[tuple[int, str]] = field(default_factory=list)
    # the place of the article's dateline ("NORTHFIELD –"), and the place named last:
    # "the city" is the dateline's place while no other place has been named since
    home: str | None = None
    last_place: str | None = None
    # every place, organisation and person named so far (and the dateline's place)
    names: set[str] = field(default_factory=set)
    # a person's gender, where the article gives it: "m" or "f" by full name
    genders: dict[str, str] = field(default_factory=dict)

    def set_home(self, dateline: str) -> None:
        """The place a dateline opens with: "Kazan" of "KAZAN, Russia –"."""
        place = re.split(r"[,(–—-]", dateline, maxsplit=1)[0].strip()
        if place and self.home is None:
            self.home = self.last_place = place.title()
            self.names.add(self.home)

    def person_before(self, index: int, pronoun: str = "") -> str | None:
        """The person last mentioned before token ``index`` of the current sentence whom
        ``pronoun`` may stand for: not a man for "she", nor a woman for "he"."""
        earlier = [name for i, name in self.mentions if i < index and self.fits(name, pronoun)]
        if earlier:
            return earlier[-1]
        before = [name for name in self.people_before if self.fits(name, pronoun)]
        return before[-1] if before else None

    def fits(self, name: str | None, pronoun: str) -> bool:
        """``pronoun`` may stand for the person: the article gives them no other gender."""
        gender = _GENDERS.get(pronoun.lower())
        known = self.genders.get(name) if name is not None else None
        return gender is None or known is None or known == gender

    def read(self, doc: Doc) -> None:
        """Learn the names, titles and descriptions of one sentence."""
        self.people_before = list(self.people)
        self.mentions = []
        for ent in doc.ents:
            if guessed_name(ent[0], self.names):
                continue  # "Turnout was 71%": a common word, not a person the article names
            if ent.label_ in CONTEXT_LABELS:
                self.names.add(_clean_name(ent.text))
            if ent.label_ == "GPE" and not _in_quote(ent.root):
                self.last_place = _clean_name(ent.text)
            person = self._person_mislabelled(ent)
            if person is not None:  # "Diallo", tagged an organisation, after "Moussa Diallo"
                self._mentioned(ent.start, person)
                continue
            if ent.label_ in ("ORG", "FAC") and not _in_quote(ent.root):
                self._organisation(ent)
            if ent.label_ != "PERSON" or _in_quote(ent.root) or _placed(ent):
                continue
            name = _clean_name(ent.text)
            surname = name.split()[-1]
            for part in name.split():  # "Mr Xi" for Xi Jinping: family names come first too
                known = self.full_names.get(part)
                if known is None or len(name) > len(known):
                    self.full_names[part] = name
            full = self.full_names[surname]
            title = _title_before(doc, ent.start)
            if title:
                self.titles[title.lower()] = full
            gender = _gender_of(ent)
            if gender is not None:
                self.genders.setdefault(full, gender)
            self._mentioned(ent.start, full)
        self.names.update(_unlabelled_subjects(doc))
        self.names.update(_unlabelled_of_names(doc))
        self.names.update(_unlabelled_kinds(doc))
        for tok in doc:  # "Okonjo, 38, dedicated …", untagged, after "Mira Okonjo"
            person = self._person_untagged(tok)
            if person is not None:
                self._mentioned(tok.i, person)
        for tok in doc:  # "said a farmer": someone the article does not name
            if _unnamed_speaker(tok):
                if UNNAMED in self.people:
                    self.people.remove(UNNAMED)
                self.people.append(UNNAMED)
                self.mentions.append((tok.i, UNNAMED))
        for chunk in doc.noun_chunks:
            described = _description_of(chunk)
            if described is not None:
                self.descriptions[_noun_key(chunk.root)] = described
                if chunk.root.lemma_.lower() in _DOCUMENT_KINDS:
                    self.descriptions["document"] = described

    def _mentioned(self, index: int, full: str) -> None:
        if full in self.people:
            self.people.remove(full)
        self.people.append(full)
        self.mentions.append((index, full))

    def _person_mislabelled(self, ent: Span) -> str | None:
        """The person a one-word name of another label is: a surname of someone named
        in full before ("Diallo" after "Moussa Diallo"), not a word of an organisation
        or place the article named ("Marlow" of "Marlow Motors")."""
        if ent.label_ == "PERSON" or len(ent) != 1 or _in_quote(ent.root) or _placed(ent):
            return None
        return self._surname_of(_clean_name(ent.text))

    def _person_untagged(self, tok: Token) -> str | None:
        """The person a proper noun the tagger left without a label is, by the same
        reading: "Okonjo" of "Okonjo, 38, dedicated the prize to her mother"."""
        if tok.pos_ != "PROPN" or tok.ent_type_ or _in_quote(tok):
            return None
        return self._surname_of(tok.text)

    def _surname_of(self, word: str) -> str | None:
        """The person named in full before whose name ``word`` is a part of, unless it
        is a word of another name the article gave."""
        full = self.full_names.get(word)
        if full is None or full == word:
            return None
        others = (n for n in self.names if n not in (full, word) and n not in self.people)
        return None if any(word in n.split() for n in others) else full

    def _organisation(self, ent: Span) -> None:
        words = [t for t in ent if not (t.tag_ == "POS" or t.lower_ == "the")]
        doc, end = ent.doc, ent.end
        if ent[-1].pos_ in ("ADP", "CCONJ"):
            # "The Medicines Agency of" + "Calder": the tagger ended the name too soon
            while end < len(doc) and doc[end].pos_ == "PROPN":
                end += 1
            if end == ent.end:
                return
            words += list(doc[ent.end : end])
        if len(words) < 2:
            return
        noun = ent.root.lemma_.lower()
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        the = "the " if "the" in (before, ent[0].lower_) else ""
        self.organisations[noun] = the + " ".join(t.text for t in words)


# The kinds of name a claim that needs its article may rely on (ArticleContext.names).
CONTEXT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
#: Stands in ``ArticleContext.people`` for a person the article mentions without a name.
UNNAMED = ""
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "outside", "across"})


def guessed_name(token: Token, names: AbstractSet[str]) -> bool:
    """A sentence's capitalised first word that the tagger took for a one-word name the
    article gives nowhere else: a person ("Turnout" of "Turnout was 71%, the highest
    since 1998"; not "Reeve" after "Daniel Reeve"), or any name where the word is a
    common noun ("Trains", an organisation, of "Trains will run every 10 minutes")."""
    if token.i != token.sent.start or token.ent_iob_ != "B":
        return False
    if token.ent_type_ != "PERSON" and token.pos_ != "NOUN":
        return False
    if token.i + 1 < len(token.doc) and token.doc[token.i + 1].ent_iob_ == "I":
        return False  # "Anna Petrov": a name of two words
    return not any(token.text in name.split() for name in names if name != token.text)


def _unlabelled_subjects(doc: Doc) -> list[str]:
    """Proper nouns no entity covers that are a verb's subject, with their proper-noun
    compounds: "Harlow Foods" of "Harlow Foods will close its Westbury bakery", which
    the tagger may leave unlabelled (the verifier reads such a subject as who acts:
    :attr:`claims.nli.align.Profile.unlabelled_doers`)."""
    found = []
    for tok in doc:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN" and not tok.ent_type_:
            if _in_quote(tok):
                continue
            found.append(_with_compounds(tok))
    return found


def _with_compounds(tok: Token) -> str:
    """A proper noun with the proper nouns compounded before it: "Harlow Foods"."""
    words = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    return " ".join(t.text for t in [*words, tok])


def _unlabelled_of_names(doc: Doc) -> list[str]:
    """Proper nouns no entity covers after "of" or "in" on a name or a noun: "Calder" of
    "The Senate of Calder", which the tagger reads as "Senate" alone, and "Felby" of
    "Dockworkers at the port of Felby", which it does not tag at all."""
    found = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.ent_type_ or tok.dep_ != "pobj" or _in_quote(tok):
            continue
        preposition = tok.head
        if preposition.lower_ in ("of", "in") and preposition.head.pos_ in ("PROPN", "NOUN"):
            found.append(_with_compounds(tok))
    return found


def _unlabelled_kinds(doc: Doc) -> list[str]:
    """Proper nouns no entity covers that say which of a common noun is meant:
    "Greenvale" of "the Greenvale music festival", which the tagger leaves untagged."""
    return [
        tok.text
        for tok in doc
        if tok.pos_ == "PROPN"
        and not tok.ent_type_
        and tok.dep_ == "compound"
        and tok.head.pos_ == "NOUN"
        and tok.i > 0  # not the sentence's first word ("Trains"), see guessed_name
        and not _in_quote(tok)
    ]


def _placed(ent: Span) -> bool:
    """'shelters in Bologna and Ravenna': a PERSON entity after a preposition of place."""
    head = ent.root
    while head.dep_ == "conj":
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPOSITIONS


def _unnamed_speaker(tok: Token) -> bool:
    """The subject of a speech verb that is a common noun: 'said a farmer', 'an official said'."""
    return (
        tok.dep_ == "nsubj"
        and tok.pos_ == "NOUN"
        and tok.head.lemma_.lower() in SPEECH_LEMMAS
        and not any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in tok.children)
        # "The new council leader, Amira Shah, said": named by the apposition
        and not any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children)
    )


def _description_of(chunk: Span) -> str | None:
    """'the Ukraine conflict', 'Moscow's military offensive', 'the reports that X'."""
    head = chunk.root
    if head.pos_ != "NOUN" or _in_quote(head) or any(t.pos_ == "PRON" for t in chunk):
        return None
    modifiers = [t for t in head.children if t.dep_ in ("compound", "amod", "poss")]
    that_clause = next(
        (
            c
            for c in head.children
            if c.dep_ == "acl" and any(m.lower_ == "that" for m in c.children)
        ),
        None,
    )
    if not modifiers and that_clause is None:
        return None
    if _rank_limited(head):
        return None  # "the city's first transit strike since 1998" is not its first strike
    # the head's own article goes ("the"/"a" is written back below); an owner's stays
    # ("the city's transit authority")
    words = "".join(t.text_with_ws for t in chunk if t.dep_ != "det" or t.head.dep_ == "poss")
    words = words.strip()
    if that_clause is not None:
        words += " " + "".join(t.text_with_ws for t in that_clause.subtree).strip()
    has_owner = any(t.dep_ == "poss" for t in head.children)
    return words if has_owner else "the " + words


@dataclass
class Rewrite:
    """Replacement texts by token index, and whether a reference stayed unresolved."""

    replace: dict[int, str] = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)
    needs_context: bool = False


def rewrite(tokens: list[Token], context: ArticleContext) -> Rewrite:
    """How to word ``tokens`` (one unit of a sentence) so it stands alone."""
    out = Rewrite()
    named_before = False
    kept = {t.i for t in tokens}
    named: str | None = None  # the person the claim named last, where known
    mentioned = dict(context.mentions)
    for tok in tokens:
        if tok.i in out.skip or tok.i in out.replace:
            continue
        if _in_quote(tok):
            continue
        if tok.ent_type_ == "PERSON":
            named_before = True
            named = mentioned.get(tok.i, named)
            _full_name(tok, context, out, kept)
        elif mentioned.get(tok.i, UNNAMED) != UNNAMED:
            # "Kiprop", tagged an organisation, after "Daniel Kiprop" (a mislabelled name)
            named_before, named = True, mentioned[tok.i]
        elif tok.ent_type_ == "DATE":
            _absolute_date(tok, context, out)
        elif tok.lower_ in _PERSONAL and tok.pos_ == "PRON":
            if named_before and context.fits(named, tok.lower_):
                continue  # "Anna Petrov said she …": the person just named
            person = context.person_before(tok.i, tok.lower_)
            if person is not None and person != UNNAMED:
                name = person
                name = name + "’s" if _PERSONAL[tok.lower_] == "poss" else name
                out.replace[tok.i] = name + tok.whitespace_
                named_before, named = True, person
            else:
                out.needs_context = True
        elif tok.lower_ == "the" and tok.dep_ == "det":
            _description(tok, context, out, kept)
            named_before = named_before or tok.i in out.replace
        elif tok.pos_ == "NUM" and tok.dep_ in ("nsubj", "nsubjpass") and not list(tok.children):
            out.needs_context = True  # "two voted for a cut": two of whom?
        elif tok.lower_ in _QUANTIFIER_PRONOUNS and tok.pos_ == "PRON" and tok.dep_ in _ARGUMENTS:
            out.needs_context = True  # "Weiss said both were doing well": both of what?
        elif tok.lower_ == "there" and tok.dep_ == "advmod":
            out.needs_context = True  # "Labour kept control there": where? ("there is": expl)
        elif tok.lower_ in _UNRESOLVABLE and tok.pos_ in ("PRON", "DET"):
            if _refers_inside(tok, kept) or _speaker_itself(tok):
                continue
            thing = _thing_before(tok) if tok.lower_ == "it" else None
            if thing is not None and tok.dep_ in ("nsubj", "nsubjpass"):
                out.replace[tok.i] = thing + tok.whitespace_
            elif (thing := _object_named_before(tok, kept)) is not None:
                out.replace[tok.i] = thing + tok.whitespace_
            else:
                out.needs_context = True
    return out


def _full_name(tok: Token, context: ArticleContext, out: Rewrite, kept: set[int]) -> None:
    """'Mr Putin' -> 'Vladimir Putin' (the first token of the name carries the text)."""
    doc = tok.doc
    ent = next(e for e in doc.ents if e.start <= tok.i < e.end)
    if tok.i != ent.start:
        return
    start = ent.start
    if start > 0 and doc[start - 1].lower_.rstrip(".") in _HONORIFICS and start - 1 in kept:
        start -= 1
    end = ent.end - 1 if doc[ent.end - 1].tag_ == "POS" else ent.end
    name = _clean_name(doc[ent.start : end].text)
    full = context.full_names.get(name.split()[-1], name)
    if not set(name.split()) <= set(full.split()):
        full = name  # "Ovsey Gallery" is not a short form of "Hackett-Freedman Gallery"
    if start == ent.start and full == doc[ent.start : end].text:
        return
    out.replace[start] = full + doc[end - 1].whitespace_
    out.skip |= set(range(start + 1, end))


def _absolute_date(tok: Token, context: ArticleContext, out: Rewrite) -> None:
    ent = next(e for e in tok.doc.ents if e.start <= tok.i < e.end)
    if tok.i != ent.start:
        return
    if ent.text.lower() in _YEAR_BEFORE:
        # "£410 million in 2024, down from £482 million a year earlier" -> "… in 2023"
        years = {y for e in tok.sent.ents if e.end <= ent.start for y in years_in(e.text)}
        if len(years) == 1:
            _write_year(ent, years.pop() - 1, out)
        return
    if context.published is None:
        return
    relative = _RELATIVE_YEARS.get(ent.text.lower())
    if relative is not None:
        # "a profit of £41 million last year" -> "… in 2024"; "since last year" -> "since 2024"
        _write_year(ent, context.published.year + relative, out)
        return
    m = _MONTH_DAY.match(ent.text) or _DAY_MONTH.match(ent.text)
    month = _MONTHS.get(m["m"].lower().rstrip(".")) if m else None
    if m is None or month is None:
        return
    year = context.published.year
    if month > context.published.month + 1:  # "Dec 30" in a January article: last year
        year -= 1
    out.replace[ent.start] = f"{int(m['d'])} {_MONTH_NAMES[month - 1]} {year}" + ent[-1].whitespace_
    out.skip |= set(range(ent.start + 1, ent.end))


def _write_year(ent: Span, year: int, out: Rewrite) -> None:
    """A relative year written as the year it is: "in 2024", "since 2024"."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    lead = "" if before is not None and before.lower_ in _YEAR_PREPOSITIONS else "in "
    if _subject_date(ent):
        lead = ""  # "Last year was the hottest on record" -> "2024 was …"
    out.replace[ent.start] = f"{lead}{year}" + ent[-1].whitespace_
    out.skip |= set(range(ent.start + 1, ent.end))


def _subject_date(ent: Span) -> bool:
    """The date is its verb's subject: "Last year was the hottest on record" (which the
    parser may read as a date of a verb without a subject)."""
    root = ent.root
    if root.dep_ in ("nsubj", "nsubjpass"):
        return True
    verb = root.head
    return (
        root.dep_ == "npadvmod"
        and verb.i > root.i
        and verb.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
    )


def _description(det: Token, context: ArticleContext, out: Rewrite, kept: set[int]) -> None:
    """'the UN chief' -> a name; 'the two men' -> two names; 'the conflict' -> 'the Ukraine conflict'."""
    head = det.head
    if head.i < det.i or head.i not in kept:
        return
    if head.dep_ == "compound" and head.head.ent_type_ == "PERSON":
        return  # "by the engineer Thomas Marlow": the title of the name it stands before
    span = det.doc[det.i : head.i + 1]
    inner = span[1:]
    inner_text = " ".join(t.text for t in inner).lower()
    if inner_text in context.titles:
        name = context.titles[inner_text]
        out.replace[det.i] = name + head.whitespace_
        out.skip |= set(range(det.i + 1, head.i + 1))
        return
    same_office = _same_office(inner_text, context)
    if same_office is not None:
        out.replace[det.i] = same_office + head.whitespace_
        out.skip |= set(range(det.i + 1, head.i + 1))
        return
    roles = _ROLE_NOUNS | {title.split()[-1].lower() for title in context.titles}
    if head.lower_ in roles and any(t.pos_ == "PROPN" for t in inner):
        out.needs_context = True  # "the UN leader": a person, but which one is not clear
        return
    if len(inner) == 2 and inner[0].lower_ == "two" and inner[1].lower_ in _GROUP_NOUNS:
        if len(context.people) >= 2 and UNNAMED not in context.people[-2:]:
            out.replace[det.i] = " and ".join(context.people[-2:]) + head.whitespace_
            out.skip |= set(range(det.i + 1, head.i + 1))
        else:
            out.needs_context = True
        return
    if any(t.lower_ == "same" for t in inner):
        out.needs_context = True  # "in the same area": the same as what?
        return
    if len(inner) == 1 and head.pos_ == "NOUN" and not _modified_after(head):
        if head.lower_ in _HOME_NOUNS and context.home and context.last_place == context.home:
            out.replace[det.i] = context.home + head.whitespace_
            out.skip.add(head.i)
            return
        organisation = None if _plural(head) else context.organisations.get(head.lemma_.lower())
        if organisation is not None:
            out.replace[det.i] = organisation + head.whitespace_
            out.skip.add(head.i)
            return
        fuller = context.descriptions.get(_noun_key(head))
        if fuller is not None:
            fuller = _at_home(fuller, context)
        if fuller is not None and fuller.lower() != span.text.lower():
            out.replace[det.i] = fuller + head.whitespace_
            out.skip.add(head.i)
        elif head.dep_ in ("nsubj", "nsubjpass"):
            out.needs_context = True  # "The document has been sent": which document?
        elif _object_unnamed(head):
            out.needs_context = True  # "… said it was cooperating with the investigation"
        elif _where_unnamed(head):
            out.needs_context = True  # "Reservoir levels in the region have fallen": where?
    elif any(t.lower_ == "two" for t in inner):
        out.needs_context = True
    elif _bare_compound(inner) and head.dep_ in ("nsubj", "nsubjpass"):
        out.needs_context = True  # "The health board employs 14,000 staff": whose?


#: Kinds of place: "in the region" says where only with its article.
_PLACE_KINDS = frozenset(
    "region area county district province state country city town village island "
    "capital port coast valley".split()
)


#: Nouns of time after "the", which the article need not say more of: "at the time",
#: "in the past", "by the end".
_TIME_NOUNS = frozenset("time past future end moment start beginning meantime".split())


#: Prepositions of what an action is about: "cooperating with the investigation",
#: "an inquiry into the crash", "angry over the decision".
_MATTER_PREPOSITIONS = frozenset({"with", "into", "over", "about", "against"})


def _object_unnamed(noun: Token) -> bool:
    """A verb's object, or the noun of a phrase on a verb that says what it is about,
    that only the article says which of: "described the book as …", "was cooperating
    fully with the investigation" (which book, which investigation?). Not a date, "the
    time", "the past" and the like, nor where ("on the battlefield")."""
    if noun.ent_type_ or noun.lemma_.lower() in _TIME_NOUNS:
        return False
    if noun.dep_ == "dobj":
        return True
    prep = noun.head
    return (
        noun.dep_ == "pobj"
        and prep.lower_ in _MATTER_PREPOSITIONS
        and prep.dep_ == "prep"
        and prep.head.pos_ == "VERB"
    )


def _where_unnamed(noun: Token) -> bool:
    """A kind of place after a preposition of place, with no name: "in the region"."""
    return (
        noun.lemma_.lower() in _PLACE_KINDS
        and noun.dep_ == "pobj"
        and noun.head.lower_ in _PLACE_PREPOSITIONS
    )


def _at_home(description: str, context: ArticleContext) -> str:
    """ "the city's transit authority" as "Northfield's transit authority" where "the
    city" is the dateline's place (as :func:`_description` reads a bare "the city")."""
    if not context.home or context.last_place != context.home:
        return description
    nouns = "|".join(_HOME_NOUNS)
    return re.sub(rf"^the ({nouns})(?=['’]s\b)", context.home, description, flags=re.I)


def _same_office(description: str, context: ArticleContext) -> str | None:
    """'un leader' -> the one person titled 'UN chief' / 'UN head' earlier, else None."""
    *where, noun = description.split()
    if not where or noun not in _HEAD_NOUNS:
        return None
    people = {
        person
        for title, person in context.titles.items()
        if title.split()[-1] in _HEAD_NOUNS and title.split()[:-1] == where
    }
    return people.pop() if len(people) == 1 else None


def _rank_limited(head: Token) -> bool:
    """A rank ("first", "largest") whose phrase after the noun limits it: "first …
    since 1998", "largest … in the state"; the noun phrase alone would say more."""
    ranked = any(
        c.lower_ in ("first", "last") or c.tag_ in ("JJS", "RBS") or c.ent_type_ == "ORDINAL"
        for c in head.children
    )
    return ranked and any(
        c.dep_ in ("prep", "acl", "relcl") and c.i > head.i for c in head.children
    )


def _plural(noun: Token) -> bool:
    return noun.tag_ in ("NNS", "NNPS")


def _noun_key(noun: Token) -> str:
    """A description's key: the noun's lemma, marked when plural, so that "the
    companies" does not take "the US software company"."""
    lemma = noun.lemma_.lower()
    return f"{lemma}+s" if _plural(noun) else lemma


def _bare_compound(inner: Span) -> bool:
    """ "health board" of "the health board": common nouns only, the last one modified
    by nothing after it; which one is meant, the article says."""
    head = inner[-1]
    return (
        len(inner) > 1
        and head.pos_ == "NOUN"
        and all(t.dep_ == "compound" and t.pos_ == "NOUN" for t in inner[:-1])
        and not _modified_after(head)
    )


def _modified_after(head: Token) -> bool:
    """A phrase or clause after the noun says which one is meant ("the fire in Lake
    County"); a clause set off by a comma ("the fire, which started on Sunday, …",
    "the drug, made by Orlen Pharma, …") does not."""
    return any(
        c.dep_ in ("prep", "acl", "relcl") and c.i > head.i and not _set_off(c)
        for c in head.children
    )


def _set_off(clause: Token) -> bool:
    start = clause.left_edge.i
    return clause.dep_ in ("relcl", "acl") and start > 0 and clause.doc[start - 1].text == ","


def _refers_inside(tok: Token, kept: set[int]) -> bool:
    """An expletive 'it', or a pronoun with a noun before it in the claim itself, other
    than its own clause's subject ("the council is expected to vote on it": not on the
    council)."""
    if tok.dep_ == "expl":
        return True
    own = _own_subjects(tok)
    return any(
        t.pos_ in ("PROPN", "NOUN") and t.i < tok.i and t.i in kept and t.i not in own
        for t in tok.sent
    )


_RELATIVE = frozenset({"which", "that", "who"})


def _own_subjects(tok: Token) -> set[int]:
    """The words of the subjects of the clause a pronoun is in (up its chain of
    infinitives; a relative clause's noun; a conjoined verb's shared subject): an
    object pronoun never means them."""
    out: set[int] = set()
    verb = _verb_up(tok)
    for _ in range(6):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subject in subjects:
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                subject = verb.head  # "the council, which is expected to …"
            out |= {t.i for t in subject.subtree if t.i <= subject.i}
        if not (verb.dep_ == "xcomp" or (verb.dep_ == "conj" and not subjects)):
            break
        verb = _verb_up(verb.head)
    return out


def _verb_up(tok: Token) -> Token:
    """The token, or the nearest verb above it (the root where there is none)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok:
        tok = tok.head
    return tok


def _object_named_before(tok: Token, kept: set[int]) -> str | None:
    """What an object 'it' names when the claim leaves its noun out: the nearest noun
    subject before it in the sentence, outside the claim and outside its own clause
    ("The deal still needs to be approved by the council, which is expected to vote on
    it" -> "vote on the deal")."""
    if tok.lower_ != "it" or tok.dep_ not in ("dobj", "pobj"):
        return None
    own = _own_subjects(tok)
    for subject in reversed([t for t in tok.sent if t.i < tok.i]):
        if subject.dep_ not in ("nsubj", "nsubjpass") or subject.i in kept or subject.i in own:
            continue
        if subject.lower_ in _RELATIVE:
            continue
        if subject.pos_ != "NOUN" or subject.ent_type_ == "PERSON":
            return None
        words = [t for t in subject.subtree if t.i <= subject.i]
        text = "".join(t.text_with_ws for t in words).strip()
        return text[0].lower() + text[1:] if words[0].dep_ == "det" else text
    return None


def _speaker_itself(tok: Token) -> bool:
    """ "it" as the subject of what a thing named as the speaker said: "The European
    Union said it was deeply concerned" (the claim keeps its speaker before it)."""
    if tok.lower_ != "it" or tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    while verb.dep_ in ("conj", "ccomp"):
        if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in SPEECH_LEMMAS:
            return any(
                c.dep_ == "nsubj" and c.pos_ == "PROPN" and c.ent_type_ != "PERSON"
                for c in verb.head.children
            )
        verb = verb.head
    return False


def _thing_before(tok: Token) -> str | None:
    """What 'it' names: the proper-noun subject of an earlier clause of the same sentence.

    Only within the sentence: across sentences 'it' too often means a thing the
    article never names, so the claim is marked instead.
    """
    for subject in reversed([t for t in tok.doc[: tok.i] if t.dep_ in ("nsubj", "nsubjpass")]):
        if subject.pos_ == "PROPN" and subject.ent_type_ != "PERSON":
            words = [t for t in subject.subtree if t.dep_ == "compound" or t.i == subject.i]
            return " ".join(t.text for t in words)
    return None


def _gender_of(ent: Span) -> str | None:
    """The gender the article gives a person where it names them: by an honorific
    ("Ms Petrov"), or by the pronoun that is the subject of what they said ("Elias Varga
    said he had accepted her resignation")."""
    before = ent.doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
    first = ent[0].lower_.rstrip(".")
    for word in (before, first):
        if word in _GENDERS:
            return _GENDERS[word]
    root = ent.root
    if root.dep_ != "nsubj" or root.head.lemma_.lower() not in SPEECH_LEMMAS:
        return None
    said = [c for c in root.head.children if c.dep_ == "ccomp"]
    pronouns = [t.lower_ for c in said for t in c.children if t.dep_ in ("nsubj", "nsubjpass")]
    return _GENDERS.get(pronouns[0]) if len(pronouns) == 1 and pronouns[0] in _PERSONAL else None


def _title_before(doc: Doc, start: int) -> str | None:
    """The title words right before a name: 'UN chief', 'Russian President'."""
    words: list[str] = []
    i = start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod") and doc[i].ent_type_ != "PERSON":
        words.insert(0, doc[i].text)
        i -= 1
    return " ".join(words) if words else None


def _clean_name(name: str) -> str:
    parts = name.replace("’s", "").replace("'s", "").split()
    while parts and parts[0].lower().rstrip(".") in _HONORIFICS:
        parts = parts[1:]
    return " ".join(parts) or name


def _in_quote(tok: Token) -> bool:
    """Inside quotation marks in its sentence (counted from the sentence start)."""
    opened = False
    for t in tok.sent:
        if t.i >= tok.i:
            return opened
        if t.text in ("“", "«"):
            opened = True
        elif t.text in ("”", "»"):
            opened = False
        elif t.text == '"':
            opened = not opened
    return opened
