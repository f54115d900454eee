"""Surface cues of a sentence that hint whether it states a checkable fact.

Pure functions over a string: numbers, quantities, dates, named-entity-like
capitalised spans, attribution verbs, opinion and hedge words, person, questions
and quotes. They feed three things: the learned check-worthiness model (as
features beside the sentence embedding), the rules-only scorer (a fallback with
hand-set weights, no learning) and the claim-kind rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from claims.models import ClaimKind

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_NUMBER = re.compile(
    r"(?<![\w.,])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])|\b\d+(?:st|nd|rd|th)\b"
)
_PERCENT = re.compile(r"\d\s*(?:%|per ?cent\b|percentage points?\b)", re.IGNORECASE)
_MONEY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?(?:dollars|euros|pounds|yuan|rupees|roubles|rubles|usd|eur)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)s?\b")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH = re.compile(rf"\b(?:{_MONTHS})\b\.?(?:\s+\d{{1,2}}\b)?", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE
)
_RELATIVE_TIME = re.compile(
    r"\b(?:yesterday|today|last (?:year|month|week|decade)|this (?:year|month|week)"
    r"|(?:\w+ )?(?:years?|months?|decades?|weeks?|days?) ago|since \d{4}|century)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "million millions billion billions trillion trillions dozen dozens half double doubled "
    "tripled twice thrice".split()
)
_QUANTITY = re.compile(
    r"\b(?:\d[\d,.]*\s*(?:k|m|bn|km|kg|mph|tons?|tonnes?|miles?|acres?|barrels?|people|jobs"
    r"|troops|soldiers|members|votes|seats|deaths|cases)|(?:hundreds|thousands|millions"
    r"|billions|dozens) of|(?:majority|minority|unanimous(?:ly)?|half)\b)",
    re.IGNORECASE,
)
_COMPARATIVE = frozenset(
    "more less fewer most least higher lower highest lowest largest smallest biggest bigger "
    "increase increased increases decrease decreased decreases rose rise risen fell fall fallen "
    "grew grown growth cut cuts doubled tripled record first last only lost gained raised "
    "reduced dropped declined surged".split()
)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|according to|announced|stated|states"
    r"|claimed|claims|confirmed|denied|added|wrote|testified|estimated|found|showed|shows"
    r"|revealed|warned|accused|alleged|quoted)\b",
    re.IGNORECASE,
)
_OPINION = frozenset(
    "should shouldn't must ought believe believes believed think thinks thought feel feels hope "
    "hopes hoped wish want wants wanted need needs perhaps maybe probably possibly might "
    "arguably seem seems seemed apparently obviously clearly surely certainly illusory absurd "
    "great terrible wonderful horrible beautiful amazing awful best worst good bad wrong right "
    "disgrace disgraceful ridiculous stupid smart incredible tremendous sad unfair shame "
    "love hate like totally absolutely really very honestly frankly directly "
    "let's let please thank thanks welcome".split()
)
_FIRST_PERSON = frozenset("i i'm i've i'll i'd me my mine we we're we've we'll our ours us".split())
_SECOND_PERSON = frozenset("you you're you've you'll your yours".split())
_PRONOUN_SUBJECTS = frozenset("i we you he she it they this that these those there".split())
_AUX_VERBS = frozenset(
    "is are was were be been being am has have had will would shall can could may might must "
    "do does did isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't "
    "couldn't don't doesn't didn't".split()
)
_EVENT_VERBS = re.compile(
    r"\b(?:voted|ratified|ratify|signed|launched|sent|began|begun|started|killed|died|met|"
    r"visited|travelled|traveled|attacked|invaded|arrested|elected|won|lost|passed|approved|"
    r"rejected|announced|opened|closed|founded|created|built|destroyed|fired|hired|resigned|"
    r"appointed|banned|imposed|agreed|signed|deployed|trained|training|arrived|left|held|"
    r"joined|expanded|annexed|captured|released|published|introduced|cut|raised|spent|paid|"
    r"sold|bought|invested|vetoed|criticised|criticized|condemned|urged|called|praised)\b",
    re.IGNORECASE,
)
_COPULA = re.compile(
    r"\b(?:is|are|was|were|has been|have been|had been|remains|remained|became|becomes)\b",
    re.IGNORECASE,
)
_QUOTE_PAIR = re.compile(r"[\"“”]([^\"“”]{2,})[\"“”]|(?<!\w)[‘']([^‘’']{2,})[’'](?!\w)")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:of|the|de|and|for)?\s*[A-Z][\w’'\-]*)*")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, apostrophes, hyphens)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def numbers(text: str) -> list[str]:
    """Digit numbers (1,200 / 3.5 / 24th) appearing in the text."""
    return [m.group() for m in _NUMBER.finditer(text)]


def has_number_word(text: str) -> bool:
    return any(w in _NUMBER_WORDS for w in words(text))


def has_percentage(text: str) -> bool:
    return bool(_PERCENT.search(text))


def has_money(text: str) -> bool:
    return bool(_MONEY.search(text))


def has_quantity(text: str) -> bool:
    return bool(_QUANTITY.search(text)) or has_number_word(text)


def years(text: str) -> list[str]:
    return _YEAR.findall(text)


def has_date(text: str) -> bool:
    """A month, a weekday, a day-month or a relative time expression ("two years ago")."""
    return bool(
        _MONTH.search(_strip_modal_may(text))
        or _DAY_MONTH.search(text)
        or _WEEKDAY.search(text)
        or _RELATIVE_TIME.search(text)
    )


def _strip_modal_may(text: str) -> str:
    # "may" is a month only when capitalised or followed by a day number.
    return re.sub(r"\bmay\b(?!\s+\d)", " ", text)


def capitalised_spans(text: str) -> list[str]:
    """Named-entity-like runs of capitalised words, not counting the sentence's first word."""
    stripped = text.lstrip(" \"“‘'(–-")
    offset = len(text) - len(stripped)
    spans = []
    for m in _CAPITALISED.finditer(text):
        span = m.group()
        if m.start() == offset:  # the sentence's first word is capitalised anyway
            span = span.partition(" ")[2].lstrip()
        if span and span[0].isupper() and span.lower() not in _PRONOUN_SUBJECTS:
            spans.append(span)
    return spans


def has_attribution(text: str) -> bool:
    return bool(_ATTRIBUTION.search(text))


def opinion_words(text: str) -> list[str]:
    """Opinion, hedge and politeness words ("should", "believe", "illusory", "thank")."""
    tokens = words(text)
    found = [w for w in tokens if w in _OPINION]
    joined = " ".join(tokens)
    found += [p for p in ("i think", "i believe", "in my view", "i hope") if p in joined]
    return found


def first_person(text: str) -> bool:
    return any(w in _FIRST_PERSON for w in words(text))


def second_person(text: str) -> bool:
    return any(w in _SECOND_PERSON for w in words(text))


def is_question(text: str) -> bool:
    return text.rstrip(" \"”’'").endswith("?")


def quotes(text: str) -> list[str]:
    """The quoted passages in the text (straight, curly double or single quotes)."""
    return [a or b for a, b in _QUOTE_PAIR.findall(text)]


def quoted_fraction(text: str) -> float:
    """Share of the text's characters that sit inside quotation marks."""
    inside = sum(len(q) for q in quotes(text))
    return inside / max(1, len(text.strip()))


def has_comparative(text: str) -> bool:
    return any(w in _COMPARATIVE for w in words(text))


_IRREGULAR_PAST = frozenset(
    "rose fell grew went came made took gave got saw told ran won lost paid spent sent left "
    "held built cut hit put set led met stood became began brought bought caught fought thought "
    "kept knew wrote spoke chose drove flew broke sold sat shot struck swore threw wore".split()
)


def has_finite_verb(text: str) -> bool:
    """A rough test for a clause: an auxiliary, a known or irregular past verb, or an -ed verb."""
    tokens = words(text)
    if any(w in _AUX_VERBS or w in _IRREGULAR_PAST for w in tokens):
        return True
    if _EVENT_VERBS.search(text) or has_attribution(text):
        return True
    return any(w.endswith("ed") and len(w) > 4 for w in tokens[1:])


def starts_with_subject(text: str) -> bool:
    """The clause opens with something that can be a subject (a name, pronoun, determiner, number)."""
    stripped = text.lstrip(" \"“‘'")
    if not stripped:
        return False
    first = words(stripped[:40])
    if stripped[0].isdigit():
        return True
    if not first:
        return False
    head = first[0]
    determiners = {"the", "a", "an", "its", "his", "her", "their", "our", "my", "some", "many"}
    if stripped[0].isupper() or head in _PRONOUN_SUBJECTS or head in determiners:
        return True
    # A bare noun subject ("wages fell"): a content word right before a finite verb.
    return len(first) > 1 and not _is_verb_like(head) and _is_finite_verb(first[1])


def _is_finite_verb(word: str) -> bool:
    return word in _AUX_VERBS or word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4)


def _is_verb_like(word: str) -> bool:
    return _is_finite_verb(word) or word.endswith(("ing", "ly")) or bool(_ATTRIBUTION.match(word))


def is_clause(text: str) -> bool:
    """Has a subject and a verb, so it can stand as its own claim."""
    return len(words(text)) >= 3 and starts_with_subject(text) and has_finite_verb(text)


@dataclass(frozen=True)
class Cues:
    """The cue values of one sentence, as named numbers for a model."""

    values: dict[str, float]

    def vector(self) -> list[float]:
        return [self.values[name] for name in FEATURE_NAMES]


FEATURE_NAMES: tuple[str, ...] = (
    "has_number",
    "n_numbers",
    "has_number_word",
    "has_percentage",
    "has_money",
    "has_quantity",
    "has_year",
    "has_date",
    "n_capitalised",
    "has_attribution",
    "n_opinion",
    "first_person",
    "second_person",
    "is_question",
    "has_quote",
    "quoted_fraction",
    "has_comparative",
    "has_finite_verb",
    "log_words",
    "is_short",
)


def cues(text: str) -> Cues:
    """All cue features of ``text`` (see :data:`FEATURE_NAMES`)."""
    n_words = len(words(text))
    nums = numbers(text)
    values = {
        "has_number": float(bool(nums)),
        "n_numbers": math.log1p(len(nums)),
        "has_number_word": float(has_number_word(text)),
        "has_percentage": float(has_percentage(text)),
        "has_money": float(has_money(text)),
        "has_quantity": float(has_quantity(text)),
        "has_year": float(bool(years(text))),
        "has_date": float(has_date(text)),
        "n_capitalised": math.log1p(len(capitalised_spans(text))),
        "has_attribution": float(has_attribution(text)),
        "n_opinion": math.log1p(len(opinion_words(text))),
        "first_person": float(first_person(text)),
        "second_person": float(second_person(text)),
        "is_question": float(is_question(text)),
        "has_quote": float(bool(quotes(text))),
        "quoted_fraction": quoted_fraction(text),
        "has_comparative": float(has_comparative(text)),
        "has_finite_verb": float(has_finite_verb(text)),
        "log_words": math.log1p(n_words),
        "is_short": float(n_words < 6),
    }
    return Cues(values)


# Hand-set weights of the rules-only scorer: chosen by reading what fact-checkers
# call checkable (numbers, dates, named actors, past events), never fitted to data.
RULE_WEIGHTS: dict[str, float] = {
    "has_number": 1.2,
    "has_number_word": 0.5,
    "has_percentage": 0.8,
    "has_money": 0.8,
    "has_quantity": 0.4,
    "has_year": 0.8,
    "has_date": 0.4,
    "n_capitalised": 0.6,
    "has_attribution": 0.3,
    "n_opinion": -1.0,
    "first_person": -0.4,
    "second_person": -0.6,
    "is_question": -1.5,
    "has_comparative": 0.6,
    "has_finite_verb": 0.5,
    "is_short": -1.5,
}
RULE_BIAS = -1.0


def rule_score(text: str) -> float:
    """Check-worthiness in [0, 1] from cues alone, with hand-set weights."""
    values = cues(text).values
    z = RULE_BIAS + sum(w * values[name] for name, w in RULE_WEIGHTS.items())
    return 1.0 / (1.0 + math.exp(-z))


def classify_kind(text: str) -> ClaimKind:
    """The claim's kind by rules, most specific first."""
    if quoted_fraction(text) >= 0.5:
        return ClaimKind.QUOTE
    # Digits outweigh dates, and dates outweigh number words ("the two sides").
    if numbers_beyond_years(text) or has_percentage(text) or has_money(text):
        return ClaimKind.NUMERIC
    if years(text) or has_date(text):
        return ClaimKind.TEMPORAL
    if has_number_word(text) or has_quantity(text):
        return ClaimKind.NUMERIC
    if _EVENT_VERBS.search(text):
        return ClaimKind.EVENT
    if _COPULA.search(text):
        return ClaimKind.ATTRIBUTE
    return ClaimKind.OTHER


def numbers_beyond_years(text: str) -> list[str]:
    """Digit numbers that are neither years nor the day of a month."""
    year_set = set(years(text))
    days = {m.group().split()[-1] for m in _MONTH.finditer(text) if m.group().split()[-1].isdigit()}
    days |= {m.group().split()[0] for m in _DAY_MONTH.finditer(text)}
    return [
        n
        for n in numbers(text)
        if n not in year_set and n.rstrip("s") not in year_set and n not in days
    ]
