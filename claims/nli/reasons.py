"""The plain-language reason for a verdict: which source says what, and why that
supports, contradicts or does not address the claim.

No passage ids and no probabilities here: those stay in the verdict's JSON
fields (citations, confidence). The text is untrusted (it quotes evidence): the
app escapes it where it renders it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from claims.models import Evidence, Label, Span
from claims.nli import align
from claims.nli.align import Profile, _found, _name_found, month_name, value_given
from claims.nli.policy import Conflict, Decision, Reading
from claims.nlp import pipeline

QUOTE_LIMIT = 160


@dataclass(frozen=True)
class Unit:
    """One scored evidence text: a sentence, or a few sentences read together."""

    parts: tuple[tuple[Evidence, int], ...]  # (evidence, sentence index), in reading order
    text: str
    consecutive: bool = False  # neighbouring sentences of one passage


def sentences_of(evidence: Evidence) -> list[Span]:
    """The passage's sentences, or the whole passage as one where it has none."""
    passage = evidence.passage
    if passage.sentences:
        return passage.sentences
    return [Span.of(passage.text, 0, len(passage.text))] if passage.text.strip() else []


def named_before(claim: align.Profile, unit: Unit, found: align.Profile) -> tuple[align.Name, ...]:
    """For a claim that needs its article, read against one sentence whose subject is a
    pronoun: the names of the sentence before it on its page, which that pronoun points
    back to ("It was the hottest day of the year so far" after "Temperatures reached
    38.7C in Kessel on Tuesday"; :func:`claims.nli.align.elsewhere`). The verdict and
    its reason place such a sentence alike. (A sentence that names nothing is placed by
    its title only: the sentence before it often names a judge or a source the claim's
    article leaves out.)"""
    if not claim.unresolved or len(unit.parts) != 1 or not align.refers_back(found):
        return ()
    evidence, index = unit.parts[0]
    if index == 0:
        return ()
    return align.profile(sentences_of(evidence)[index - 1].text).all_names


def placing(
    claim: align.Profile, unit: Unit, found: align.Profile, title: align.Profile | None
) -> tuple[align.Name, ...]:
    """The names that place a unit of one page for a claim that needs its article: its
    title's names, the proper nouns of its title its page writes capitalised inside a
    sentence ("Ostland" of "Ostland election", which the tagger leaves unlabelled, where
    the page says "in Ostland's election"), and for a pronoun sentence the names of the
    sentence before it (:func:`named_before`). The verdict and its reason use the same."""
    names = title.names if title is not None else ()
    passages = {e.passage.id: e.passage for e, _ in unit.parts}
    if claim.unresolved and len(passages) == 1:
        passage = next(iter(passages.values()))
        if passage.title:
            taken = frozenset(k for n in names for k in n.keys)
            names += _title_words_named(passage.title, passage.text, taken)
    return names + named_before(claim, unit, found)


#: Kinds of place written before a name: "the River Leen", "Mount Orrin", "Lake Vell".
_PLACE_KINDS = "River|Lake|Mount|Port|Cape|Loch|Isle of|Gulf of|Bay of"


@functools.lru_cache(maxsize=2048)
def _title_words_named(title: str, text: str, taken: frozenset[str]) -> tuple[align.Name, ...]:
    """Capitalised words of a title that its page writes as a name on its own, as a
    possessor, after "in", "of", "from", "at", "off" or "near" ("in Ostland's
    election", "sank off Corra"), after a kind of place ("the River Leen") or between "the"
    and a common noun ("the Riverside festival"): not the capitals of a headline ("Cooler weekend
    ahead"), a weekday, month or title, a word of a longer name ("River" of "River at
    Dusk", "Save" of "the Save Dunmere Maternity campaign") or a code's letters
    ("Vantor" of "Vantor-2"). ``taken``: the keys of the title's own names. Read once
    per page (cached): every unit of the page asks for it, claim after claim."""
    found = []
    for word in dict.fromkeys(re.findall(r"\b[A-Z][a-z]{2,}\b", title)):
        if word.lower() in taken or word.lower() in align.COMMON_TITLE_WORDS:
            continue
        possessed = rf"(?:^|(\S+)\s+){word}['’]s\b"
        placed = rf"(?:^|(\S+)\s+)(?:in|of|from|at|off|near) {word}\b(?![-‑]?\d)"
        placed += r"(?!\s+(?:(?:of|at|and)\s+)?[A-Z])"
        # the name of a place of that kind: "Leen" of "under the River Leen"
        kind = rf"\b(?:{_PLACE_KINDS}) {word}\b(?![-‑]?\w)"
        # which thing of a kind: "Riverside" of "close the Riverside festival"
        which = rf"\bthe {word} [a-z]+\b"
        if (
            re.search(kind, text)
            or re.search(which, text)
            or _names_a_kind(word, text)
            or any(
                not (m.group(1) or "")[:1].isupper()  # not "River at Dusk"
                for pattern in (possessed, placed)
                for m in re.finditer(pattern, text)
            )
        ):
            found.append(align.Name(word, "PROPN", frozenset({word.lower()}), None))
    return tuple(found)


def _names_a_kind(word: str, text: str) -> bool:
    """The page opens a sentence with the word before a common noun, and the parser reads
    it as a proper noun saying which of that noun is meant: "Kelby" of "Kelby council is
    closing three libraries" (at a sentence's start a capital alone says nothing)."""
    for match in re.finditer(rf"(?:^|[.!?]\s+){word} [a-z]+", text):
        doc = pipeline()(text[match.start() : match.start() + 200].lstrip(". !?"))
        first = doc[0]
        if (
            first.text == word
            and first.pos_ == "PROPN"
            and not first.ent_type_
            and first.dep_ == "compound"
            and first.head.pos_ == "NOUN"
        ):
            return True
    return False


def source_of(evidence: Evidence) -> str:
    """'“Title” (22 October 2024)', or the source's name when the page has no title."""
    passage = evidence.passage
    name = f"“{passage.title}”" if passage.title else (passage.source or "a source")
    if passage.published:
        return f"{name} ({passage.published.day} {passage.published:%B %Y})"
    return name


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "”"


def _sources(unit: Unit) -> str:
    names = list(dict.fromkeys(source_of(e) for e, _ in unit.parts))
    return names[0] if len(names) == 1 else " and ".join([", ".join(names[:-1]), names[-1]])


def _conflict_text(conflict: Conflict | None, source: str) -> str:
    if conflict is None:
        return f"{source} contradicts the claim"
    if conflict.kind in ("number", "age", "run"):
        return f"{source} gives {conflict.evidence_value}; the claim says {conflict.claim_value}"
    if conflict.kind == "date":
        return (
            f"{source} dates it to {conflict.evidence_value}; the claim says {conflict.claim_value}"
        )
    if conflict.kind == "place":
        return f"{source} places it in {conflict.evidence_value}, not {conflict.claim_value}"
    if conflict.kind == "entity":
        return (
            f"{source} names {conflict.evidence_value} where the claim has {conflict.claim_value}"
        )
    if conflict.kind == "direction":
        return (
            f"{source} says the opposite way: “{conflict.evidence_value}” where the claim "
            f"has “{conflict.claim_value}”"
        )
    if conflict.kind == "antonym":
        return (
            f"{source} says the opposite: “{conflict.evidence_value}” where the claim "
            f"has “{conflict.claim_value}”"
        )
    if conflict.evidence_value == "does not say":
        return f"{source} says the opposite: it denies what the claim states"
    return f"{source} says the opposite: the claim denies what the source states"


def _missing(claim: Profile, evidence: Profile, title: frozenset[str] = frozenset()) -> list[str]:
    """The claim's names, numbers, years, ordinals, months and list items the evidence
    does not give (a name may be in its source's title, as :func:`align.covers` reads)."""
    out = [n.text for n in claim.names if not _name_found(n, evidence.words | title)]
    given = [s.quantity for s in evidence.numbers if s.quantity]
    out += [
        s.text
        for s in claim.numbers
        if s.quantity and not align.bare_one(s.quantity) and not value_given(s.quantity, given)
    ]
    out += [s.text for s in claim.years if s.year not in {y.year for y in evidence.years}]
    out += sorted(o for o in claim.ordinals if o not in evidence.ordinals | evidence.words)
    out += [month_name(m) for m in sorted(claim.months - evidence.months)]
    out += sorted(w for w in claim.listed if not _found(w, evidence.words))
    return list(dict.fromkeys(out))


def rationale(
    decision: Decision,
    units: Sequence[Unit],
    readings: Sequence[Reading],
    claim: Profile,
    evidence_profiles: Sequence[Profile],
    titles: Sequence[Profile] = (),
) -> str:
    """One or two sentences saying why the claim got its label; ``titles``: each unit's
    source title, read as text, where it has one source."""
    if not decision.rows:
        return "No retrieved text is a sentence that addresses the claim."
    first = decision.rows[0]
    unit, reading = units[first], readings[first]
    source = _sources(unit)
    if decision.label is Label.SUPPORTED:
        lead = (
            f"Read together, these sentences of {source} say {quote(unit.text)}"
            if len(unit.parts) > 1
            else f"{source} says {quote(unit.text)}"
        )
        named = {source_of(e) for e, _ in unit.parts}
        others = [
            name
            for name in dict.fromkeys(
                source_of(e) for r in decision.rows[1:] for e, _ in units[r].parts
            )
            if name not in named
        ]
        more = ""
        if others:
            listed = (
                others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
            )
            more = f" {listed} {'agrees' if len(others) == 1 else 'agree'}."
        return f"{lead}, which states what the claim says.{more}"
    if decision.label is Label.REFUTED:
        return f"{_conflict_text(reading.conflict, source)}: {quote(unit.text)}."
    if decision.label is Label.CONFLICTING:
        other = decision.rows[1]
        against = _conflict_text(readings[other].conflict, _sources(units[other]))
        return (
            f"The sources disagree. {source} supports the claim: {quote(unit.text)}. "
            f"But {against}: {quote(units[other].text)}."
        )
    return _not_enough(decision, units, readings, claim, evidence_profiles, titles)


def _not_enough(
    decision: Decision,
    units: Sequence[Unit],
    readings: Sequence[Reading],
    claim: Profile,
    evidence_profiles: Sequence[Profile],
    titles: Sequence[Profile],
) -> str:
    first = decision.rows[0]
    reading, unit = readings[first], units[first]
    closest = f"The closest evidence, from {_sources(unit)}, {quote(unit.text)},"
    if decision.ambiguous:
        return (
            "The evidence points both ways and neither side is clear: "
            f"{quote(unit.text)} against {quote(units[decision.rows[1]].text)}."
        )
    if not reading.about:
        return f"No source addresses the claim. {closest} is about something else."
    found = evidence_profiles[first]
    if found.hedged and not claim.hedged:
        return (
            f"No source states the claim as a fact. {closest} says only that it may be so, "
            "or is expected."
        )
    if align.planned_only(claim, found):
        return (
            f"No source states the claim as a fact. {closest} reports only what someone "
            "expected, planned or promised."
        )
    if align.plan_unreported(claim, found):
        return (
            f"No source reports the expectation or plan the claim speaks of. {closest} "
            "does not say that anyone expected or planned it."
        )
    title = titles[first] if first < len(titles) else None
    place = align.elsewhere(claim, found, placing(claim, unit, found, title))
    if place:
        return (
            "The claim does not say who or where, so it cannot be read without its "
            "article. "
            f"{closest} is about {place}, which the article does not name."
        )
    if reading.early:
        return (
            f"No source confirms the claim. {closest} was published before the time the "
            "claim tells of, so it tells of an earlier time."
        )
    titled = align.other_title(claim, found)
    if titled:
        person, mine, theirs = (w.replace("_", " ") for w in titled)
        return f"No source confirms the whole claim. {closest} calls {person} {theirs}, not {mine}."
    counted = align.other_people_counted(claim, found)
    if counted:
        mine, theirs = counted
        return f"No source confirms the whole claim. {closest} counts {theirs}, not {mine}."
    if align.other_agent(claim, found):
        return (
            f"No source confirms the whole claim. {closest} has someone other than the "
            "claim's subject do it."
        )
    missing = _missing(claim, found, title.words if title else frozenset())
    if missing:
        return (
            f"No source confirms the whole claim. {closest} does not give {', '.join(missing[:3])}."
        )
    if align.other_speaker(claim, found):
        return (
            f"No source confirms the whole claim. {closest} reports what someone other than "
            "the claim's speaker said."
        )
    return f"No source settles the claim. {closest} does not say whether it is true."
