"""Explicit checks for the mismatches small NLI models miss: numbers, dates, negation.

Pure functions on two strings (a claim and one evidence sentence). They never
decide on their own that unrelated text refutes a claim: the NLI verifier only
applies them to a sentence its model already judged to be about the claim, and
then a mismatch turns "entails" into "contradicts". Each check returns a short
human-readable reason, or ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

#: The months and weekdays by name, lowercased: the one list the date readers share.
MONTHS = (
    "january february march april may june july august september october november december"
).split()
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Spans of time in one of two base units, where one is an exact multiple of the other:
# "three weeks" is 21 days and no "three days", "18 months" is "1.5 years". A week
# and a month are no exact multiple of each other, so days and months stay two measures.
_IN_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0}
_IN_MONTHS = {"month": 1.0, "year": 12.0, "decade": 120.0, "century": 1200.0}
# Spans of time: "over 40 years" may mean during them, not more than 40 (_quantity).
_SPANS = frozenset(_IN_DAYS) | frozenset(_IN_MONTHS)
# "a 40-year period", "a two-week strike": a span of time joined to its number
_HYPHENATED_SPAN = r"(?:-(?=(?:" + "|".join(sorted(_SPANS)) + r")\b)|\s*)"
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion)|(?P<abbr>bn|tn|trn|m|k)\b)?"
    + _HYPHENATED_SPAN
    + r"(?P<unit>%|percent\b|per cent\b|[a-z]+)?",
    re.IGNORECASE,
)
# "$5bn", "£300m", "€50k": the scale as news abbreviates it ("m" and "k" only after a
# currency sign: "5m" may be five metres), and the currency as the unit.
_ABBREVIATED = {"bn": 1e9, "tn": 1e12, "trn": 1e12, "m": 1e6, "k": 1e3}
_CURRENCIES = {"$": "dollar", "£": "pound", "€": "euro"}
_WORD_NUMBER = re.compile(
    r"\b(?P<num>" + "|".join(NUMBER_WORDS) + r")\b"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion))?"
    + _HYPHENATED_SPAN
    + r"(?P<unit>[a-z]+)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MONTH_NAME = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(not|no|never|none|neither|nor|cannot|without|fails?|failed|lacks?|lacked|absent|"
    r"unable|nobody|nothing)\b|n't\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of in on at to for and or is are was were be been by with as that this from it its "
    "which who has have had not no never does did do can could may might will".split()
)
# Units that say nothing about what is counted ("5 of 10", "3 and 4").
_NOT_UNITS = frozenset(
    "of and or to in on at the a an by for from with than as after before against into over "
    "under when while he she it they we i you this that these those his her its their".split()
)


# "about 5 million": an approximate value, equal to anything within a third of it.
_APPROXIMATE = re.compile(
    r"\b(about|around|approximately|roughly|nearly|almost|some|circa|c\.|~|an estimated|"
    r"as many as|as much as)\s*$",
    re.IGNORECASE,
)
# "more than 300", "fewer than 10": a bound, a floor or a ceiling for the value. Which
# one, and whether the number itself is inside, comes from the words (_LIMITS).
_BOUND = re.compile(
    r"\b(no more than|no fewer than|no less than|over|under|more than|less than|fewer than|"
    r"longer than|shorter than|"
    r"at least|at most|up to|above|below|exceeds?|exceeding|upwards of)\s*$",
    re.IGNORECASE,
)
_LIMITS = {
    "over": ">", "more than": ">", "above": ">", "exceed": ">", "exceeds": ">",
    "exceeding": ">", "upwards of": ">", "at least": ">=", "no fewer than": ">=",
    "no less than": ">=", "under": "<", "less than": "<", "fewer than": "<", "below": "<",
    "at most": "<=", "up to": "<=", "no more than": "<=",
    "longer than": ">", "shorter than": "<",  # "waited longer than 12 hours"
}  # fmt: skip
# A year named as the point of comparison ("8% fewer than in 2022", "up from 900 in
# 2022", "the highest since 2021"), not as the date of the fact itself.
# (A lookahead, so that every such word of a window is found: "more than 5% higher than
# in 2022" has two, and only the second compares.)
_COMPARISON = re.compile(
    r"\b(than|since|compared (?:with|to)|from|versus|vs\.?|relative to|previous|prior to)\b"
    r"(?=[^.;:!?]{0,30}$)",
    re.IGNORECASE,
)
_CHANGE_FROM = re.compile(r"\b(?:up|down)\s+from\b(?=[^.;:!?]{0,50}$)", re.IGNORECASE)
# "thousands of people", "tens of thousands of homes": a vague count, read as a floor of
# two of its units ("dozens" at least 24, "hundreds of thousands" at least 200,000). It
# keeps support away from a smaller figure of the same thing and conflicts with nothing
# (Quantity.vague): "thousands" is written loosely.
_VAGUE = re.compile(
    r"\b(?:(?P<times>tens|hundreds)\s+of\s+)?"
    r"(?P<count>dozens|scores|hundreds|thousands|millions|billions)[\"'”’]?"
    r"\s+of\s+(?:the\s+)?(?P<unit>[a-z]+)",
    re.IGNORECASE,
)
_VAGUE_COUNTS = {
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6,
    "billions": 1e9,
}  # fmt: skip
_VAGUE_TIMES = {"tens": 10, "hundreds": 100}
# "half of the workers", "two-thirds of voters": a share, in per cent, as loose as a
# vague count (it conflicts with nothing); "the second half of the year" is no share.
_FRACTION = re.compile(
    r"\b(?P<frac>half|(?:a|one) third|(?:a|one) quarter|two[- ]thirds|three[- ]quarters)"
    r"\s+of\b",
    re.IGNORECASE,
)
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "thirds": 200 / 3, "quarters": 75.0}
_NOT_A_SHARE = re.compile(r"\b(the|first|second|latter|last|other|and a)\s*$", re.IGNORECASE)
APPROXIMATE_TOLERANCE = 0.3
# A round figure ("50,000", "4%") may be a rounding of a more precise one ("48,700",
# "4.3%"), but only one less than a tenth off: "1,000 killed" is no rounding of 1,400,
# though 1,400 rounds to 1,000 at one significant digit, nor "300 metres" of 330.
ROUNDING_SHARE = 0.1


@dataclass(frozen=True)
class Quantity:
    value: float
    # normalised following word: "%", "metres", "people"... or "" when none; a span of
    # time in days or months (_IN_DAYS, _IN_MONTHS): "three weeks" is 21 "day"
    unit: str
    hedged: bool = False  # "about 5 million", "more than 300": not an exact value
    # a bound's kind: ">" ("more than"), ">=" ("at least"), "<" ("fewer than"), "<="
    # ("up to"), "" for a value; and its words as written ("more than")
    limit: str = ""
    qualifier: str = field(default="", compare=False)
    # "to" for a level ("rose to 2 million"), "by" for a change ("grew by 2 million")
    relation: str = field(default="", compare=False)
    start: int = field(default=0, compare=False)  # offset of the number in its text
    text: str = field(default="", compare=False)  # as written: "15,000 people", "83%"
    # the place value of its last significant digit as written: 10,000 for "50,000",
    # 0.1 for "4.3%", 100,000 for "1.2 million"
    step: float = field(default=0.0, compare=False)
    # a vague count ("thousands of people", a floor) or share ("half of"): it keeps a
    # figure it does not fit from confirming, and never conflicts
    vague: bool = field(default=False, compare=False)
    # the days or months one unit as written is ("week": 7): a bare number is compared
    # with the span as written ("aged 40" and "40 years", "a 40-year period")
    per_unit: float = field(default=1.0, compare=False)

    @property
    def bound(self) -> bool:
        """ "more than 300": a limit, not a value."""
        return bool(self.limit)


def _unit(raw: str | None) -> str:
    if not raw:
        return ""
    unit = raw.lower()
    if unit in {"%", "percent", "per cent"}:
        return "%"
    if unit == "percentage":  # "2 percentage points": a change of a share, not "2%"
        return "percentage point"
    if unit in _NOT_UNITS:
        return ""
    return unit.rstrip("s")  # "metres" ~ "metre", "people" stays


def quantities(text: str) -> list[Quantity]:
    """Numbers in digits or words, with their scale applied, excluding years; a result
    ("beat Rovers 3-1", "a 2-0 win") as one figure (:func:`_scores`)."""
    found = _scores(text)
    taken = {i for q in found for i in range(q.start, q.start + len(q.text))}
    for m in _NUMBER.finditer(text):
        if m.start() in taken:
            continue  # a side of a score
        raw = m.group("num").replace(",", "")
        # "2009" is a year; "2,000 people" and "2000%" are not.
        if _YEAR.fullmatch(m.group("num")) and m.group("unit") not in {"%"}:
            continue
        if _is_day(text, m):  # "Oct 24", "22 October": a date, not a quantity
            continue
        found.append(_quantity(text, m, float(raw)))
    for m in _WORD_NUMBER.finditer(text):
        if m.group("num").lower() == "one" and _NO_ONE.search(text[: m.start()]):
            continue  # "no one was hurt": nobody, not a count
        if _FRACTION.match(text, m.start()):
            continue  # "two-thirds of": a share (_fraction), not a count of two
        found.append(_quantity(text, m, float(NUMBER_WORDS[m.group("num").lower()])))
    found += [_vague(m) for m in _VAGUE.finditer(text)]
    found += [
        _fraction(text, m)
        for m in _FRACTION.finditer(text)
        if not _NOT_A_SHARE.search(text[max(0, m.start() - 12) : m.start()])
    ]
    return found


# "3-1", "2–0": a result, where a word of winning, losing or voting is near it
_SCORE = re.compile(r"(?<![\w.,-])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\w%-]|[.,]\d)")
_RESULT_BEFORE = re.compile(
    r"\b(?:beat|beats|beaten|beating|won|wins?|winning|lost|loses?|losing|drew|draws?|"
    r"drawn|defeated|defeats?|thrashed|edged|routed|voted|votes?)\b[^.;:!?]{0,40}$",
    re.IGNORECASE,
)
_RESULT_AFTER = re.compile(
    r"^\s*(?:win|victory|defeat|loss|draw|lead|scoreline|vote|result)\b", re.IGNORECASE
)
#: Scores are compared as written: "3-1" is 3,001 (the first side in thousands).
SCORE = "score"


def _scores(text: str) -> list[Quantity]:
    """Results written "3-1": one figure, unit ``score``, that only another score gives
    or contradicts ("beat Castleford 2-0" against "beat Castleford 3-0"); not a range
    ("aged 18-24"), which has no word of a result near it."""
    out = []
    for m in _SCORE.finditer(text):
        before, after = text[max(0, m.start() - 60) : m.start()], text[m.end() :]
        if not (_RESULT_BEFORE.search(before) or _RESULT_AFTER.match(after)):
            continue
        first, second = int(m.group(1)), int(m.group(2))
        out.append(Quantity(first * 1000.0 + second, SCORE, start=m.start(), text=m.group(0)))
    return out


def _limit(found: re.Match[str] | None) -> tuple[str, str]:
    """A bound's kind (``_LIMITS``) and its words as written, from a ``_BOUND`` match."""
    if found is None:
        return "", ""
    words = found.group(1).split()
    return _LIMITS[" ".join(words).lower()], " ".join(words)


def _fraction(text: str, match: re.Match[str]) -> Quantity:
    """ "half of the workers": 50 %, loose (a vague quantity); "more than half" a bound."""
    limit, qualifier = _limit(_BOUND.search(text[max(0, match.start() - 20) : match.start()]))
    words = match.group("frac").lower().replace("-", " ")
    return Quantity(
        _FRACTIONS[words.split()[-1]],
        "%",
        hedged=True,
        limit=limit,
        qualifier=qualifier,
        start=match.start(),
        text=words,
        step=1.0,
        vague=True,
    )


def _vague(match: re.Match[str]) -> Quantity:
    """ "thousands of people": at least 2,000 people, a vague floor (see ``_VAGUE``)."""
    times, count = (match.group("times") or "").lower(), match.group("count").lower()
    floor = 2 * _VAGUE_COUNTS[count] * _VAGUE_TIMES.get(times, 1)
    written = f"{times} of {count}" if times else count
    return Quantity(
        float(floor),
        _unit(match.group("unit")),
        hedged=True,
        limit=">=",
        start=match.start(),
        text=f"{written} of {match.group('unit')}",
        step=floor / 2,
        vague=True,
    )


_MONTH_BEFORE = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\s*$", re.I)


def _is_day(text: str, match: re.Match[str]) -> bool:
    day = match.group("num")
    if not day.isdigit() or not 1 <= int(day) <= 31:
        return False
    unit = (match.group("unit") or "").lower()
    after = text[match.end("num") : match.end("num") + 14].lower()
    month_after = unit[:3] in _MONTH_ABBR or re.match(r"\s*(to|-|–)\s*\d{1,2}\s+[a-z]{3}", after)
    return bool(month_after) or _MONTH_BEFORE.search(text[: match.start()]) is not None


def _currency(text: str, match: re.Match[str]) -> str:
    """ "dollar" for "$5bn" (the sign just before the number), else ""."""
    return _CURRENCIES.get(text[max(0, match.start() - 1) : match.start()], "")


_NO_ONE = re.compile(r"\bno[\s-]$", re.IGNORECASE)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


def _quantity(text: str, match: re.Match[str], as_written: float) -> Quantity:
    """The quantity a number match reads, from its value as written (1.2 of "1.2
    million"): its scale and abbreviation applied, its bound, unit and precision."""
    _, before = _words_before(text, match.start())
    limit = _BOUND.search(before)
    if limit and limit.group(1).lower() == "over" and _unit(match.group("unit")) in _SPANS:
        limit = None  # "over 40 years": during them, or more than 40; read as about 40
        approximate = True
    else:
        approximate = _APPROXIMATE.search(before) is not None
    bound = limit is not None
    written = match.group("num") + (f" {match.group('scale')}" if match.group("scale") else "")
    unit = match.group("unit") or ""
    abbr = match.groupdict().get("abbr") or ""  # word numbers have none
    currency = _currency(text, match)
    scale = _SCALES.get((match.group("scale") or "").lower(), 1.0)
    if abbr:
        written += abbr  # "5bn"
        if abbr.lower() not in ("m", "k") or currency:
            scale *= _ABBREVIATED[abbr.lower()]
    if unit and unit.lower() not in _NOT_UNITS and not currency and not abbr:
        # "83%", "16th" as written; "2,000 people" with its space, "40-year" its hyphen
        hyphen = text[match.start("unit") - 1] == "-"
        glue = "" if unit == "%" or unit.lower() in _ORDINAL_SUFFIXES else "-" if hyphen else " "
        written += glue + unit
    if currency:
        written = text[match.start() - 1] + written  # "$5bn"
        measured = currency  # "$5bn profit", "5 billion dollars": dollars
    elif abbr.lower() in ("m", "k"):
        measured = abbr.lower()  # "5m": five metres, perhaps
    else:
        measured = _unit(match.group("unit"))
    relation = _RELATION.search(before)
    kind, qualifier = _limit(limit)
    per_unit = _IN_DAYS.get(measured) or _IN_MONTHS.get(measured) or 1.0
    if measured in _IN_DAYS or measured in _IN_MONTHS:
        scale, measured = scale * per_unit, "day" if measured in _IN_DAYS else "month"
    return Quantity(
        as_written * scale,
        measured,
        relation=relation.group(1).lower() if relation else "",
        hedged=bound or approximate,
        limit=kind,
        qualifier=qualifier,
        start=match.start(),
        text=written,
        step=_step(match.group("num")) * scale,
        per_unit=per_unit,
    )


def _step(num: str) -> float:
    """The place value of the last significant digit of a number as written: 1,000 for
    "4,000", 0.1 for "4.3", 10 for "twenty", 1 for "0" or "7"."""
    word = NUMBER_WORDS.get(num.lower())
    digits = str(word) if word is not None else num.replace(",", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    significant = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(significant)) if significant else 1.0


# Units of measure: two numbers in different ones are not the same value ("three weeks"
# is not "three days", "$5bn" not "5%"); other following words ("people", "protesters")
# are left to the model.
_MEASURES = _SPANS | set(_CURRENCIES.values()) | {"%", "percentage point"}


_RELATION = re.compile(r"\b(to|by)\s*[$£€]?$", re.IGNORECASE)


def _alike(a: Quantity, b: Quantity) -> tuple[Quantity, Quantity]:
    """The two as they are compared: a span of time against a bare number as written
    ("40 years" and "aged 40"), else as they are (in days or months)."""
    if a.per_unit != 1.0 and not b.unit:
        return _as_written(a), b
    if b.per_unit != 1.0 and not a.unit:
        return a, _as_written(b)
    return a, b


def _as_written(q: Quantity) -> Quantity:
    return replace(q, value=q.value / q.per_unit, step=q.step / q.per_unit, per_unit=1.0)


def same_value(a: Quantity, b: Quantity) -> bool:
    """Equal as people write it: up to rounding, or within a third where either is
    approximate; never in two different units of measure, nor a level ("rose to 2
    million") and a change ("grew by 2 million")."""
    a, b = _alike(a, b)
    if not _comparable(a, b):
        return False
    if a.unit == SCORE:
        return a.value == b.value  # "3-1" is not "3-0"
    if a.hedged or b.hedged:
        return abs(a.value - b.value) <= APPROXIMATE_TOLERANCE * max(abs(a.value), abs(b.value))
    if a.step == b.step == 1 or a.step == b.step == a.per_unit == b.per_unit:
        # "52" and "51", each to the unit, are two figures; so are "a 52-year-old" and
        # "a 51-year-old", each to the year (read in months)
        return a.value == b.value
    return _close(a.value, b.value)


def rounds_to(rounded: Quantity, precise: Quantity) -> bool:
    """The first number may be the second rounded as people round in prose: it is
    written less precisely ("50,000" against "48,700", "4%" against "4.3%"), the second
    rounds to it at its precision, and they are less than a tenth apart. Such a
    figure neither confirms nor conflicts with the precise one."""
    rounded, precise = _alike(rounded, precise)
    if rounded.bound or precise.bound or rounded.step <= precise.step:
        return False
    if not _comparable(rounded, precise):
        return False
    gap = abs(rounded.value - precise.value)
    return gap < rounded.step / 2 and gap < ROUNDING_SHARE * abs(rounded.value)


def compatible(a: Quantity, b: Quantity) -> bool:
    """The same value as people write it (:func:`same_value`), or one a rounding of the
    other (:func:`rounds_to`): not a conflict, though only the first confirms."""
    return same_value(a, b) or rounds_to(a, b) or rounds_to(b, a)


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Not in two different units of measure, nor a score and another figure, nor a
    level against a change."""
    if a.unit != b.unit and a.unit in _MEASURES and b.unit in _MEASURES:
        return False
    if (a.unit == SCORE) != (b.unit == SCORE):
        return False
    return not (a.relation and b.relation and a.relation != b.relation)


def may_conflict(a: Quantity, b: Quantity) -> bool:
    """Two figures that conflict where their values differ: comparable
    (:func:`_comparable`), and not spans of months written in different units ("by the
    age of 14 years", "before 3 months of life"): months and years are exact
    multiples, but written loosely (an age, "within a year"), so a month and a year
    count may give the same value and never conflict. Days and weeks do ("after three
    weeks" against "after three days")."""
    if a.unit == b.unit == "month" and a.per_unit != b.per_unit:
        return False
    return _comparable(a, b)


def _words_before(text: str, at: int) -> tuple[int, str]:
    """The text a figure at ``at`` is bounded or approximated by, and where it starts:
    the 20 characters before it, less a currency sign between the words and the number
    ("more than £30,000")."""
    start = max(0, at - 20)
    return start, re.sub(r"[$£€]\s*$", "", text[start:at])


def qualified_start(text: str, at: int) -> int:
    """Where the words that bound or approximate the figure at ``at`` begin ("more
    than", "about", "an estimated", before any currency sign), as :func:`quantities`
    reads them; ``at`` where there are none."""
    start, before = _words_before(text, at)
    words = _BOUND.search(before) or _APPROXIMATE.search(before)
    return start + words.start() if words else at


def meets(bound: Quantity, value: Quantity) -> bool | None:
    """Whether a value is inside a bound ("2,500" of "more than 2,000": yes; "1,500":
    no), or a bound inside another of the same kind ("more than 2,500" of "more than
    2,000"); None where rounding leaves it open ("2,000" or "1,990" of "more than
    2,000", though "2,010" is inside), and for a bound that is not inside ("more than
    1,000" says nothing of "more than 2,000")."""
    bound, value = _alike(bound, value)
    above = value.value > bound.value
    inside = above if bound.limit.startswith(">") else not above
    if _close(bound.value, value.value):
        if value.bound:
            return True if value.limit[:1] == bound.limit[:1] else None
        if value.value == bound.value:
            return True if bound.limit.endswith("=") else None
        return True if inside else None  # "10,200" is more than 10,000; "9,990" may round up
    if value.bound:  # only a tighter bound the same way is inside; the rest says nothing
        return True if inside and value.limit[:1] == bound.limit[:1] else None
    return inside


def event_years(text: str) -> set[int]:
    """Years the text dates its facts with, leaving out years of comparison. A "than"
    with a figure after it bounds the figure ("rose more than 30-fold in 2023"), so the
    year after them dates the fact; "8% fewer than in 2022" compares."""
    return {int(m.group(1)) for m in _YEAR.finditer(text) if not _compared(text, m.start())}


def _compared(text: str, start: int) -> bool:
    """The year at ``start`` follows a word of comparison (within 30 characters), or a
    change's starting point ("up from 35% at the last election in 2021", within 50)."""
    if _CHANGE_FROM.search(text[max(0, start - 50) : start]):
        return True
    before = text[max(0, start - 30) : start]
    for match in _COMPARISON.finditer(before):
        if match.group(1).lower() == "than" and re.search(r"\d", before[match.end(1) :]):
            continue  # "more than 30-fold in 2023": a bound, not a comparison
        return True
    return False


def years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def months(text: str) -> set[int]:
    return {_MONTH_ABBR[m.lower()[:3]] for m in _MONTH_NAME.findall(text) if m.lower() != "may"}


def _close(a: float, b: float) -> bool:
    """Equal up to rounding as people write it ("about 330" vs "328.6")."""
    return abs(a - b) <= 0.02 * max(abs(a), abs(b)) or abs(a - b) < 1e-9


def number_mismatch(claim: str, sentence: str) -> str | None:
    """A claim quantity whose unit the sentence also counts, but with another value."""
    evidence = quantities(sentence)
    for q in quantities(claim):
        if not q.unit or q.hedged:
            continue
        same_unit = [e for e in evidence if e.unit == q.unit and not e.hedged]
        if same_unit and not any(_close(q.value, e.value) for e in same_unit):
            other = ", ".join(f"{e.value:g}" for e in same_unit[:3])
            return f"the claim says {q.value:g} {q.unit} but the evidence says {other} {q.unit}"
    return None


def date_mismatch(claim: str, sentence: str) -> str | None:
    """The claim names a year (or month) and the sentence names only other ones."""
    claim_years, sentence_years = years(claim), years(sentence)
    if claim_years and sentence_years and not claim_years & sentence_years:
        return (
            f"the claim says {', '.join(map(str, sorted(claim_years)))} but the evidence "
            f"says {', '.join(map(str, sorted(sentence_years)))}"
        )
    claim_months, sentence_months = months(claim), months(sentence)
    if (
        claim_years & sentence_years
        and claim_months
        and sentence_months
        and not claim_months & sentence_months
    ):
        return "the claim and the evidence name different months"
    return None


def is_negated(text: str) -> bool:
    return _NEGATION.search(text) is not None


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def negation_mismatch(claim: str, sentence: str, *, min_overlap: float = 0.5) -> str | None:
    """One of two near-paraphrases is negated and the other is not."""
    if is_negated(claim) == is_negated(sentence):
        return None
    words = _content(claim)
    if not words or len(words & _content(sentence)) / len(words) < min_overlap:
        return None
    side = "claim" if is_negated(claim) else "evidence"
    return f"the {side} is negated and the other is not"


def mismatch(claim: str, sentence: str) -> str | None:
    """The first number, date or negation mismatch between claim and sentence."""
    return (
        date_mismatch(claim, sentence)
        or number_mismatch(claim, sentence)
        or negation_mismatch(claim, sentence)
    )
