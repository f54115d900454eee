"""The offline verifier: the NLI scorer, the claim/evidence alignment and the policy.

For each claim it reads every passage's best sentences one by one, pairs of
neighbouring sentences (evidence split over two sentences), each passage's
two best sentences together and the best sentence of the top passages
together; scores every unit with the model; describes each unit for the
policy (:mod:`claims.nli.align`: about the claim? all of its details? a
specific conflict?); and lets :func:`claims.nli.policy.decide` choose the
label, with the deciding or closest sentences cited and a plain reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from claims.decompose import SPEECH_LEMMAS
from claims.models import Citation, Claim, Evidence, Label, Stance, Verdict
from claims.nli import align
from claims.nli import policy as policies
from claims.nli.model import CONTRADICTS, DEFAULT_MODEL_DIR, NEUTRAL, NLIScorer, Scorer
from claims.nli.policy import DEFAULT_POLICY, Conflict, Decision, Policy, Reading
from claims.nli.reasons import Unit, rationale, sentences_of, source_of
from claims.nli.reasons import placing as reasons_placing
from claims.numeric_checks import WEEKDAYS, mismatch, years

_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b(?!\s*,?\s*\(?\d)", re.IGNORECASE)


# "during the year", "for the full year": the year the page's title names
_THE_YEAR = re.compile(
    r"\b(?:during|in|for|over|throughout) the (?:full |whole )?year\b"
    r"(?!\s+(?:ahead|to come|before|after|earlier|ago)\b)",
    re.I,
)

# "3 March" or "March 3" with no year after it
_DAY_MONTH = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{align.MONTH_PATTERN}"
    rf"|{align.MONTH_PATTERN}\s+\d{{1,2}}(?:st|nd|rd|th)?)\b(?!\s*,?\s*\d)"
)


def dated(
    text: str,
    published: date | None,
    claimed: AbstractSet[int] = frozenset(),
    title: str | None = None,
) -> str:
    """A weekday of a dated page with its date ("on Thursday (24 October 2024)"): news
    pages name the days of their week, claims name dates. The day is the last such
    weekday on or before the page's date.

    A day and month with no year ("began on 3 March") get the page's year, the one of
    the three around its date that puts the day nearest to it, when that is a year of
    ``years`` (the claim's) and the sentence names no year of its own: the page then
    gives the claim's date in full. Another year is not written in, so a date read from
    a page's year never contradicts a claim (a history page may speak of 1998 in the
    sentences before).

    In the same way "the year" of a sentence with no year of its own is the one year
    its page's ``title`` names, where that is the claim's: "delivered 95,000 vehicles
    during the year (2024)" on a page titled "Full-year results 2024"."""
    if claimed and title and not years(text):
        named = years(title)
        if len(named) == 1 and named <= claimed:
            text = _THE_YEAR.sub(rf"\g<0> ({min(named)})", text, count=1)
    if published is None:
        return text

    def resolve(match: re.Match[str]) -> str:
        back = (published.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7
        day = published - timedelta(days=back)
        return f"{match.group(1)} ({day.day} {day:%B %Y})"

    text = _WEEKDAY.sub(resolve, text)
    if not claimed or years(text):
        return text

    def with_year(match: re.Match[str]) -> str:
        year = _nearest_year(match.group(0), published)
        return f"{match.group(0)} {year}" if year in claimed else match.group(0)

    return _DAY_MONTH.sub(with_year, text)


# "9 April 2025" or "April 9, 2025", as a claim writes a date or :func:`dated` a weekday
_FULL_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({align.MONTH_PATTERN})"
    rf"|({align.MONTH_PATTERN})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?)\s+(\d{{4}})\b"
)


def claimed_day(claim: align.Profile, published: date | None) -> date | None:
    """The latest day a claim's dates name in full, its weekdays dated by its article's
    date (:func:`dated`), but for the dates of a saying (:attr:`claims.nli.align.Profile.
    event_dates`): "Shares in Orlen rose 8% on Wednesday" in an article of Thursday
    10 April 2025 -> 9 April 2025. A page published before that day cannot have
    reported what the claim says happened on it."""
    days = []
    for written in claim.event_dates:
        for match in _FULL_DATE.finditer(dated(written, published)):
            day, month_name = match.group(1) or match.group(4), match.group(2) or match.group(3)
            month = align.month_number(month_name)
            if month is None:
                continue
            try:
                days.append(date(int(match.group(5)), month, int(day)))
            except ValueError:
                continue
    return max(days, default=None)


def _nearest_year(day_month: str, published: date) -> int | None:
    """The year that puts "3 March" nearest to the page's date."""
    words = re.findall(r"[A-Za-z]+|\d+", day_month)
    day = next((int(w) for w in words if w.isdigit()), None)
    month = next((n for w in words if (n := align.month_number(w)) is not None), None)
    if day is None or month is None:
        return None
    best: tuple[int, int] | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            gap = abs((date(year, month, day) - published).days)
        except ValueError:
            continue
        if best is None or gap < best[0]:
            best = (gap, year)
    return best[1] if best else None


def _read(evidence: Evidence, index: int, claimed: AbstractSet[int] = frozenset()) -> str:
    """A sentence as the model and the alignment read it: its weekdays dated, and its
    days of the month given the page's year, and "the year" its title's, where it is
    the claim's (:func:`dated`)."""
    passage = evidence.passage
    return dated(sentences_of(evidence)[index].text, passage.published, claimed, passage.title)


def as_model_reads(claim: str, text: str, published: date | None) -> str:
    """The unit's text as the model reads it against the claim: a weekday the claim
    names, dated by its article (``published``) as the page dates it, is written as the
    claim writes it, undated. The model reads a date beside the day as a contradiction
    of the claim that has none: "The blaze began on Sunday close to Redmont" entails
    "The fire started on Sunday near the town of Redmont" (p 0.92), "The blaze began on
    Sunday (10 August 2025) …" does not (0.30). The page's Sunday is then the claim's;
    another week's Sunday, or the day of a claim with no article date, stays dated."""
    if published is None:
        return text
    for day in _own_days(claim, published):
        text = day.sub(r"\1", text)
    return text


@functools.lru_cache(maxsize=256)
def _own_days(claim: str, published: date) -> tuple[re.Pattern[str], ...]:
    """The claim's weekdays as :func:`dated` writes them by its article's date, each a
    pattern of the day with that date (read once per claim, not once per unit)."""
    return tuple(
        re.compile(rf"\b({match.group(1)}) \({re.escape(match.group(2))}\)", flags=re.IGNORECASE)
        for match in _DATED_DAY.finditer(dated(claim, published))
    )


# a weekday as :func:`dated` writes it: "Sunday (10 August 2025)"
_DATED_DAY = re.compile(
    r"\b(" + "|".join(WEEKDAYS) + rf") \((\d{{1,2}} {align.MONTH_PATTERN} \d{{4}})\)",
    re.IGNORECASE,
)


def _joined(parts: list[tuple[Evidence, int]], *, consecutive: bool = False) -> Unit:
    text = " ".join(sentences_of(e)[i].text for e, i in parts)
    return Unit(tuple(parts), text, consecutive)


class NLIVerifier:
    """Trained cross-encoder + alignment checks + a cautious policy. Offline, CPU only."""

    name = "nli-minilm-l6"
    max_concurrency = 1  # onnxruntime already runs each batch on every core

    def __init__(
        self,
        scorer: Scorer,
        *,
        policy: Policy = DEFAULT_POLICY,
        sentences_per_passage: int = 5,
        max_units: int = 48,
        pair_windows: bool = True,
        mismatch_checks: bool = True,
    ) -> None:
        self._scorer = scorer
        self.policy = policy
        self.sentences_per_passage = sentences_per_passage
        self.max_units = max_units
        self.pair_windows = pair_windows
        self.mismatch_checks = mismatch_checks

    @property
    def scorer(self) -> Scorer:
        return self._scorer

    @classmethod
    def load(
        cls, model_dir: Path = DEFAULT_MODEL_DIR, *, legacy: bool = False, **options: object
    ) -> NLIVerifier:
        """The verifier over the model shipped in ``model_dir``; ModelFileError if unusable.

        The thresholds stored beside the model (``decide``, and ``contradict`` for the
        cautious policy) are used unless ``policy`` is given; ``legacy`` selects the
        policy as it was before the cautious one."""
        scorer = NLIScorer(model_dir)
        if "policy" not in options:
            calibration, default = scorer.calibration, Policy()
            options["policy"] = Policy(
                legacy=legacy,
                decide=calibration.decide or default.decide,
                contradict=(calibration.contradict if not legacy else None) or default.contradict,
            )
        return cls(scorer, **options)  # type: ignore[arg-type]

    # ------------------------------------------------------------ units

    def units(self, evidence: Sequence[Evidence]) -> list[Unit]:
        """Texts to score, bounded in count: pairs of neighbouring sentences around each
        passage's two best sentences, its two best read together, and the best sentences
        one by one."""
        singles: list[Unit] = []
        windows: list[Unit] = []
        leads: list[tuple[Evidence, int]] = []
        for item in evidence:
            spans = sentences_of(item)
            order = [i for i in item.best_sentences if 0 <= i < len(spans)]
            order += [i for i in range(len(spans)) if i not in order]
            chosen = order[: self.sentences_per_passage]
            singles += [Unit(((item, i),), spans[i].text) for i in chosen]
            if chosen:
                leads.append((item, chosen[0]))
            if self.pair_windows:
                windows += self._windows(item, chosen, len(spans))
        # The best sentences of three passages read together (evidence for multi-hop
        # claims); the cautious policy lets it support only if each sentence is about
        # the claim on its own, as their union carries the claim's names too easily.
        if self.pair_windows and len(leads) >= 2:
            windows.append(_joined(leads[:3]))
        return (windows + singles)[: self.max_units]

    def _windows(self, item: Evidence, chosen: list[int], n: int) -> list[Unit]:
        if self.policy.legacy:
            top = sorted(chosen[:2])
            return [_joined([(item, i) for i in top])] if len(top) == 2 else []
        spans: list[tuple[int, int]] = []
        for rank, best in enumerate(chosen[:2]):
            if best + 1 < n:
                spans.append((best, best + 1))
            if rank == 0 and best > 0:
                spans.append((best - 1, best))
        pair = sorted(chosen[:2])
        if len(pair) == 2 and (pair[0], pair[1]) not in spans:
            spans.append((pair[0], pair[1]))
        out = []
        for lo, hi in dict.fromkeys(spans):
            out.append(_joined([(item, lo), (item, hi)], consecutive=hi == lo + 1))
        return out

    # ------------------------------------------------------------ scoring

    @staticmethod
    def pairs(
        claim: str, units: Sequence[Unit], published: date | None = None
    ) -> list[tuple[str, str]]:
        """The (claim, evidence) texts the model reads: each unit's sentences, with the
        weekdays of a dated page resolved to dates (:func:`dated`) but for the claim's
        own, where its article's date (``published``) makes them the page's
        (:func:`as_model_reads`)."""
        claimed = years(claim)
        return [
            (
                claim,
                as_model_reads(
                    claim, " ".join(_read(e, i, claimed) for e, i in u.parts), published
                ),
            )
            for u in units
        ]

    def score(self, claim: str, units: Sequence[Unit]) -> tuple[np.ndarray, list[object | None]]:
        """Calibrated probabilities per unit and the conflicts found, as the policy uses them.

        Legacy: a number, date or negation mismatch moves "entails" onto "contradicts",
        and units read across passages never contradict."""
        probs = self._scorer.probabilities(self.pairs(claim, units))
        if self.policy.legacy:
            reasons: list[object | None] = (
                [mismatch(claim, u.text) for u in units]
                if self.mismatch_checks
                else [None] * len(units)
            )
            out = policies.apply_mismatches(probs, reasons)
            joined = np.array([len(u.parts) > 1 for u in units], dtype=bool)
            out[joined, NEUTRAL] += out[joined, CONTRADICTS]
            out[joined, CONTRADICTS] = 0.0
            return out, reasons
        _, readings = self.read(claim, units)
        return np.array([r.probs for r in readings]), [r.conflict for r in readings]

    def read(
        self, claim: str, units: Sequence[Unit], *, score_all: bool = False
    ) -> tuple[align.Profile, list[Reading]]:
        """The claim's profile and each unit as the cautious policy reads it
        (:meth:`readings`; every unit scored with ``score_all``)."""
        claim_profile, profiles = self._profiles(claim, units)
        return claim_profile, self.readings(
            claim, claim_profile, units, profiles, score_all=score_all
        )

    def _profiles(
        self, claim: str, units: Sequence[Unit]
    ) -> tuple[align.Profile, list[align.Profile]]:
        claimed = years(claim)
        sentences = [_read(e, i, claimed) for u in units for e, i in u.parts]
        found = dict(zip(sentences, align.profiles(sentences), strict=True))
        claim_profile = align.profile(claim)
        unit_profiles = [
            align.Profile.union(found[_read(e, i, claimed)] for e, i in u.parts) for u in units
        ]
        return claim_profile, unit_profiles

    def readings(
        self,
        claim: str,
        claim_profile: align.Profile,
        units: Sequence[Unit],
        profiles: Sequence[align.Profile],
        *,
        score_all: bool = False,
        day: date | None = None,
        published: date | None = None,
    ) -> list[Reading]:
        """Each unit aligned with the claim, then the model's probabilities for the units
        about it. A unit not about the claim can neither support nor refute it under the
        cautious policy, only be shown as context, so it is not scored (read as neutral)
        unless ``score_all``. A single sentence about the claim, carrying its details and
        in no conflict with it, is read by its focus where it has one
        (:func:`claims.nli.align.focus`): without the phrases that only add a date or a
        number the claim does not speak of, which the model reads as a contradiction (a
        habit learnt from contrastive pairs); the sentence entails whatever its focus
        entails. Its figures written otherwise than the claim's, of the same value and
        unit, are read as the claim writes them (:func:`claims.nli.align.as_claimed`).
        A unit with a sentence of a page published before ``day``, the day the claim
        names (:func:`claimed_day`), is ``early``. ``published``: the claim's article's
        date, which dates the claim's weekdays (:func:`as_model_reads`)."""
        titles = _title_profiles(units)
        aligned = [
            _aged(
                replace(self._aligned(claim_profile, unit, found, titles), early=_early(unit, day)),
                unit,
                published,
            )
            for unit, found in zip(units, profiles, strict=True)
        ]
        probs = np.tile(np.array([0.0, 0.0, 1.0]), (len(units), 1))
        rows = [i for i, r in enumerate(aligned) if score_all or r.about]
        if rows:
            probs[rows] = self._scorer.probabilities(
                self.pairs(claim, [units[i] for i in rows], published)
            )
        focus_rows, focus_pairs = [], []
        claimed = years(claim)
        for i, (reading, found) in enumerate(zip(aligned, profiles, strict=True)):
            single = len(reading.sentences) == 1
            if not (self.mismatch_checks and single and reading.about and reading.covers):
                continue
            if reading.conflict is not None:
                continue
            sentence = _read(*units[i].parts[0], claimed)
            text = align.focus(claim_profile, found) or sentence
            text = align.as_claimed(claim_profile, text)
            if text != sentence:  # read from the sentence with its weekdays dated (_read)
                focus_rows.append(i)
                focus_pairs.append((claim, as_model_reads(claim, text, published)))
        if focus_rows:
            probs[focus_rows] = self._scorer.probabilities(focus_pairs)
        return [
            replace(reading, probs=(float(row[0]), float(row[1]), float(row[2])))
            for reading, row in zip(aligned, probs, strict=True)
        ]

    def _aligned(
        self,
        claim: align.Profile,
        unit: Unit,
        found: align.Profile,
        titles: dict[str, align.Profile],
    ) -> Reading:
        """What a unit shares and conflicts with the claim, its probabilities not read yet.
        A unit of one passage may leave a name of the claim to its source's title, and is
        placed by that title where it names nothing (:func:`claims.nli.align.elsewhere`);
        ``titles``: the sources' titles, read once per claim (:func:`_title_profiles`)."""
        single = len(unit.parts) == 1
        title = _unit_title(unit, titles)
        # a title's unlabelled proper nouns count only where its page writes them as names:
        # titles capitalise common words ("Firefighter killed in Pine County blaze")
        placing = reasons_placing(claim, unit, found, title)
        return Reading(
            probs=(0.0, 0.0, 1.0),
            doc=unit.parts[0][0].passage.doc_id,
            sentences=tuple((e.passage.id, i) for e, i in unit.parts),
            is_sentence=found.is_sentence,
            about=_about(claim, unit, found, titles),
            covers=align.covers(claim, found, title.words, placing),
            conflict=self._conflict(claim, found, placing) if self.mismatch_checks else None,
            consecutive=unit.consecutive,
            relevance=align.relevance(claim, found),
            same_predicate=align.shares_predicate(claim, found),
            spelled=align.spelled(claim, found),
            instance=align.same_instance(claim, found) if single else True,
            figures_met=align.loose_figures_met(claim, found),
        )

    @staticmethod
    def _conflict(
        claim: align.Profile, found: align.Profile, placing: Sequence[align.Name] = ()
    ) -> Conflict | None:
        """A specific conflict of the unit with the claim; for sentences read together,
        the first of one of them on the claim's own predicate, which keeps the whole
        from supporting the claim (it never refutes: :func:`claims.nli.policy.refutes`
        reads single sentences). "Officers made two arrests" read with "Police said
        about 4,000 people took part in the march" had SUPPORTED "there were no arrests"
        (0.48)."""
        if not found.parts:
            return align.conflict(claim, found, placing)
        conflicts = (align.conflict(claim, p) for p in found.parts)
        # only one on the claim's own slot: "took a law degree in 1967" read with "born
        # 9 June 1942" says nothing against "was born in 1942 in Kvinnherad"
        return next(
            (c for c in conflicts if c is not None and (c.kind == "negation" or c.same_predicate)),
            None,
        )

    def lean(self, claim: str, units: Sequence[Unit]) -> tuple[float, float]:
        """The strongest support and refutation the cautious policy reads in the units,
        thresholds aside (:func:`claims.nli.policy.lean`): a forced choice's two sides."""
        if not units:
            return 0.0, 0.0
        return policies.lean(self.read(claim, units, score_all=True)[1])

    # ------------------------------------------------------------ the verdict

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        units = self.units(evidence)
        calibration = self._scorer.calibration
        if not units:
            return Verdict(
                label=Label.NOT_ENOUGH_INFO,
                confidence=calibration.claim_confidence(1.0, Label.NOT_ENOUGH_INFO.value),
                rationale="No evidence was retrieved for this claim.",
                verifier=self.name,
            )
        if self.policy.legacy:
            probs, reasons = self.score(claim.text, units)
            decision = policies.aggregate(probs, self.policy)
            why = _legacy_rationale(decision, units, reasons)
        else:
            claim_profile, profiles = self._profiles(claim.text, units)
            # a claim that needs its article is read so whether or not it carries the
            # article's names (the LLM extraction and the desk give none)
            claim_profile = replace(
                claim_profile,
                article=align.name_words(claim.context_names),
                unresolved=claim.needs_context,
            )
            day = claimed_day(claim_profile, claim.article_date) if _past(claim_profile) else None
            if day is None:
                day = _said_since(claim_profile, claim.article_date)
            published = claim.article_date
            readings = self.readings(
                claim.text, claim_profile, units, profiles, day=day, published=published
            )
            decision = policies.decide(readings, self.policy)
            narrower = _narrower(units, decision)
            if narrower:
                # is each sentence of a cited multi-source unit needed? Read the unit without
                # each one in turn; a narrower unit that still supports is cited instead.
                more_profiles = _known_profiles(narrower, units, profiles)
                if more_profiles is None:
                    _, more_profiles = self._profiles(claim.text, narrower)
                units = [*units, *narrower]
                profiles = [*profiles, *more_profiles]
                readings += self.readings(
                    claim.text, claim_profile, narrower, more_profiles, day=day, published=published
                )
                decision = policies.decide(readings, self.policy)
            titles = _title_profiles(units)
            unit_titles = [_unit_title(u, titles) for u in units]
            why = rationale(decision, units, readings, claim_profile, profiles, unit_titles)
        citations = [
            _citation(item, index, stance)
            for row, stance in zip(decision.rows, decision.stances, strict=True)
            for item, index in units[row].parts
        ]
        return Verdict(
            label=decision.label,
            confidence=calibration.claim_confidence(decision.raw_confidence, decision.label.value),
            citations=_unique(citations),
            rationale=why,
            verifier=self.name,
        )


_NO_TITLE = align.Profile(
    frozenset(), frozenset(), (), (), (), frozenset(), frozenset(), frozenset()
)


def _past(claim: align.Profile) -> bool:
    """The claim tells of what happened ("Shares in Orlen rose 8% on Wednesday"), not of
    what is due or will be ("is due to meet President Clara Duarte on Thursday"): only
    then is a page published before its day too early to have reported it."""
    return any(p.main and p.tense == "past" for p in claim.predicates)


#: How long before its article a claim's undated "X said …" may have been said: words
#: an article reports without a date were said in the weeks before it.
_SAID_DAYS = 60


def _said_since(claim: align.Profile, published: date | None) -> date | None:
    """The earliest day the claim's words may have been said, where it reports what
    someone said ("Greenvale's director, Paula Keane, said she was 'heartbroken'")
    with no date or year of its own and its article is dated: a page published long
    before tells of other words (hers when the 2010 festival was cancelled)."""
    if published is None or claim.years or claim.event_dates or claim.dates:
        return None
    said = any(p.main and p.lemma in SPEECH_LEMMAS and p.tense == "past" for p in claim.predicates)
    return published - timedelta(days=_SAID_DAYS) if said else None


#: How long before the claim's article a page may give a person's age that conflicts
#: with the claim's: a birthday may fall between two pages a few months apart, but not
#: two.
_AGE_DAYS = 183


def _aged(reading: Reading, unit: Unit, published: date | None) -> Reading:
    """A person's age is no conflict where the unit's page is more than half a year
    older than the claim's article: "Tomas Lind, 50, has been appointed" on a page of
    June 2023 does not contradict "Lind, 52, …" in March 2025. Undated, the two are
    read as of one time."""
    if reading.conflict is None or reading.conflict.kind != "age" or published is None:
        return reading
    dates = [e.passage.published for e, _ in unit.parts]
    if any(d is not None and (published - d).days > _AGE_DAYS for d in dates):
        return replace(reading, conflict=None)
    return reading


def _early(unit: Unit, day: date | None) -> bool:
    """A sentence of the unit is on a page published before ``day``."""
    if day is None:
        return False
    return any(e.passage.published is not None and e.passage.published < day for e, _ in unit.parts)


def _title_profiles(units: Sequence[Unit]) -> dict[str, align.Profile]:
    """Each passage's source title read as text, by passage id (one parse per title)."""
    titles = {e.passage.id: e.passage.title for u in units for e, _ in u.parts if e.passage.title}
    texts = sorted(set(titles.values()))
    read = dict(zip(texts, align.profiles(texts), strict=True))
    return {pid: read[title] for pid, title in titles.items()}


def _unit_title(unit: Unit, titles: dict[str, align.Profile]) -> align.Profile:
    """The title of a unit's one passage (an empty one for a unit of several)."""
    passages = {e.passage.id for e, _ in unit.parts}
    return titles.get(passages.pop(), _NO_TITLE) if len(passages) == 1 else _NO_TITLE


def _about(
    claim: align.Profile, unit: Unit, found: align.Profile, titles: dict[str, align.Profile]
) -> bool:
    """The unit is about the claim; sentences of several passages each on their own,
    and, where they come from several pages (by title, else by document), none with a
    pronoun for its subject, which points into its own page, unless that page's title
    names the claim's subject ("She graduated …" on the page "Norie Sato"):
    "It will have four new stations" (a tram extension elsewhere) read after a sentence
    on the rail line had SUPPORTED "The rail line will have four new stations". Nor does
    one whose subject is named otherwise than the claim's (:func:`claims.nli.align.
    other_subject`): another county's fire lent its "forced 12,000 people from their
    homes" to a sentence on the claim's own fire."""
    if not align.about(claim, found):
        return False
    if len({e.passage.id for e, _ in unit.parts}) > 1:
        pages = {e.passage.title or e.passage.doc_id for e, _ in unit.parts}
        if len(pages) > 1 and any(
            align.refers_back(p)
            and not align.names_any(claim, titles.get(e.passage.id, _NO_TITLE).words)
            for p, (e, _) in zip(found.parts, unit.parts, strict=True)
        ):
            return False
        return all(align.about(claim, p) and not align.other_subject(claim, p) for p in found.parts)
    return True


def _narrower(units: Sequence[Unit], decision: Decision) -> list[Unit]:
    """For each cited supporting unit of three or more sentences, the units that leave one
    sentence out (those not scored already)."""
    if decision.label is not Label.SUPPORTED:
        return []
    scored = {tuple((e.passage.id, i) for e, i in u.parts) for u in units}
    out: list[Unit] = []
    for row in decision.rows:
        parts = units[row].parts
        if len(parts) < 3:
            continue
        for drop in range(len(parts)):
            kept = [p for k, p in enumerate(parts) if k != drop]
            key = tuple((e.passage.id, i) for e, i in kept)
            if key not in scored:
                scored.add(key)
                out.append(_joined(kept))
    return out


def _known_profiles(
    new: Sequence[Unit], units: Sequence[Unit], profiles: Sequence[align.Profile]
) -> list[align.Profile] | None:
    """The profiles of ``new`` units built from those of the single sentences already
    profiled (no second parse); None when one of their sentences was not read alone."""
    singles = {
        (u.parts[0][0].passage.id, u.parts[0][1]): found
        for u, found in zip(units, profiles, strict=True)
        if len(u.parts) == 1
    }
    keys = [[(e.passage.id, i) for e, i in u.parts] for u in new]
    if any(key not in singles for unit in keys for key in unit):
        return None
    return [align.Profile.union(singles[key] for key in unit) for unit in keys]


def _citation(evidence: Evidence, index: int, stance: Stance) -> Citation:
    passage = evidence.passage
    span = sentences_of(evidence)[index]
    return Citation(
        passage_id=passage.id,
        sentence_index=index,
        start=span.start,
        end=span.end,
        text=span.text,
        stance=stance,
        source=passage.source,
        title=passage.title,
        url=passage.url,
    )


def _unique(citations: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, int]] = set()
    out = []
    for c in citations:
        if (c.passage_id, c.sentence_index) not in seen:
            seen.add((c.passage_id, c.sentence_index))
            out.append(c)
    return out


def _legacy_rationale(decision: Decision, units: list[Unit], reasons: list[object | None]) -> str:
    if not decision.rows:
        return "No evidence sentence was scored."
    unit = units[decision.rows[0]]
    source = source_of(unit.parts[0][0])
    verb = {
        Label.SUPPORTED: "Supported by",
        Label.REFUTED: "Refuted by",
        Label.CONFLICTING: "Conflicting evidence, first",
        Label.NOT_ENOUGH_INFO: "Not enough information; closest evidence",
    }[decision.label]
    why = reasons[decision.rows[0]]
    return f"{verb} {source}: “{unit.text}”" + (
        f" ({why})" if why and decision.label is Label.REFUTED else ""
    )
