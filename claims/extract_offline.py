"""The offline claim extractor: no network, no LLM.

Steps, each a small function: segment the article into sentences with exact
spans (:mod:`claims.segment`); drop what cannot be a claim (headings, credits,
questions); parse each sentence with spaCy (:mod:`claims.nlp`) and cut it into
units that state one fact each (:mod:`claims.decompose`); word each unit so it
stands alone, naming people and dates the article names elsewhere
(:mod:`claims.decontext`); turn a speaker's quote into "Speaker said «…»" and
drop quotes of pure opinion; score every claim's check-worthiness in one
embedding batch and keep those at the sensitivity's threshold (at ``normal``,
plain statements of fact too, whatever their score), in article order.

A claim's ``span`` covers the article text it rests on (``spans`` lists the
pieces when they are not contiguous) and ``sentence`` is its whole sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from claims import cues
from claims.article_date import article_date
from claims.checkworthiness import SentenceScorer, load_model
from claims.decompose import SPEECH_LEMMAS, Unit, units
from claims.decontext import ArticleContext, Rewrite, guessed_name, rewrite
from claims.errors import EmptyArticleError
from claims.models import Article, Claim, ClaimKind, Extraction, Span
from claims.nlp import pipeline
from claims.numeric_checks import MONTHS, WEEKDAYS
from claims.protocols import Embedder
from claims.segment import Segment, sentences

if TYPE_CHECKING:
    from claims.nlp import Doc, Token

MIN_WORDS = 4

Sensitivity = Literal["strict", "normal", "all"]
#: How far below the model's tuned threshold each sensitivity keeps claims.
#: strict: the threshold tuned for F1 on ClaimBuster (debate sentences, where most
#: sentences are not check-worthy); normal: news articles, where most sentences
#: that pass the rules state something checkable; all: every claim the rules pass.
SENSITIVITY_FACTOR: dict[str, float] = {"strict": 1.0, "normal": 0.35, "all": 0.0}

# "KAZAN, Russia – " / "WASHINGTON (Reuters) - ": a dateline, not part of the claim.
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]{2,}(?:,\s*[A-Z][\w .'\-]*)?(?:\s*\([^)]*\))?\s+[–—-]\s+")
_TERMINAL = re.compile(r"[.!?…][\"'”’)»]*$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[.,;:!?](?:\s|$))")
_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "!", "?", "”", "’", "»", "’s", "'s"})
_OPENING_QUOTES = frozenset({"“", "«", '"', "‘"})
_CLOSING_QUOTES = frozenset({"”", "»", '"', "’"})


@dataclass(frozen=True)
class Draft:
    """A claim before scoring: its wording, its article pieces and what it needs."""

    text: str
    pieces: tuple[tuple[int, int], ...]
    sentence: Segment
    attributed_to: str | None = None
    needs_context: bool = False
    opinion: bool = False
    plain_fact: bool = False
    # where it needs context: the names the article gives up to its sentence
    context_names: tuple[str, ...] = ()


class OfflineExtractor:
    """Check-worthy, self-contained claims of an article, scored over an injected embedder."""

    name = "offline-spacy-v2"

    def __init__(
        self,
        embedder: Embedder,
        model: SentenceScorer | None = None,
        *,
        min_checkworthiness: float | None = None,
        sensitivity: Sensitivity = "normal",
    ) -> None:
        self.embedder = embedder
        self.model = model if model is not None else load_model()
        check = getattr(self.model, "check_embedder", None)
        if check is not None:
            check(embedder)
        self.sensitivity = sensitivity
        self.explicit = min_checkworthiness is not None  # a threshold set by hand: score only
        self.min_checkworthiness = (
            self.model.threshold * SENSITIVITY_FACTOR[sensitivity]
            if min_checkworthiness is None
            else min_checkworthiness
        )

    def extract(self, article: Article) -> Extraction:
        text = article.text
        if not text.strip():
            raise EmptyArticleError("the article is empty")
        drafts = [
            d for d in draft_claims(text, article.published)
            if not d.opinion or self.sensitivity == "all"
        ]  # fmt: skip
        scores = self.model.score([d.text for d in drafts], self.embedder)
        claims = [
            _claim(text, d, float(score))
            for d, score in zip(drafts, scores, strict=True)
            if keeps(d, float(score), self.sensitivity, self.min_checkworthiness, self.explicit)
        ]
        return Extraction(claims=sorted(claims, key=lambda c: (c.span.start, c.span.end)))


def keeps(
    draft: Draft, score: float, sensitivity: str, threshold: float, explicit: bool = False
) -> bool:
    """Whether a scored draft becomes a claim at this sensitivity.

    ``strict`` keeps what the model scores at its threshold; ``normal`` also keeps
    a plain statement of fact (:func:`is_plain_fact`) whatever its score (the model
    learned from debate transcripts, where "X was born on D" is labelled
    unimportant); ``all`` keeps every draft. A threshold set by hand
    (``explicit``: ``min_checkworthiness``) is applied to the score alone.
    """
    if sensitivity == "all" and not explicit:
        return True
    plain = sensitivity == "normal" and not explicit and draft.plain_fact
    return score >= threshold or plain


def draft_claims(text: str, published: date | None = None) -> list[Draft]:
    """Every claim the rules find in the article, worded to stand alone, before scoring."""
    found = [s for s in sentences(text) if could_be_claim(s.text)]
    context = ArticleContext(published=article_date(text, published))
    # each sentence parsed as it stands, its dateline blanked: the parser took "BRAMLEY –"
    # for a second subject; the same length keeps every token's offset
    datelines = [_dateline_length(s.text) for s in found]
    texts = (
        " " * n + re.sub(r"\s", " ", s.text[n:]) for s, n in zip(found, datelines, strict=True)
    )
    docs = pipeline().pipe(texts)
    out: list[Draft] = []
    seen: set[str] = set()
    for sentence, doc, skip_before in zip(found, docs, datelines, strict=True):
        doc = _without_misread_aside(doc)
        if skip_before:
            context.set_home(sentence.text[:skip_before])
        context.read(doc)
        for unit in units(doc):
            tokens = [t for t in unit.tokens if t.idx >= skip_before and not t.is_space]
            draft = _draft(tokens, unit, sentence, context)
            if draft is not None and draft.text.lower() not in seen:
                seen.add(draft.text.lower())
                out.append(draft)
    return out


# A verbless aside between dashes: "Starting in 2009 with four members – Brazil, Russia,
# India and China – Brics has expanded ...".
_ASIDE = re.compile(r"\s[–—]\s[^–—]+?\s[–—](?=\s)")
_CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "ROOT"})


def _without_misread_aside(doc: Doc) -> Doc:
    """The sentence parsed again with a verbless aside between dashes in parentheses,
    where the parser took a word of the aside for the subject or object of the sentence
    (above, "Brazil" became the subject of "has expanded" and "Brics" one of the list).
    The parenthesised text has the same length, so every token keeps its offset, and a
    comma after it where it closed a fronted phrase ("Starting in 2009 with four
    members (Brazil, ...), Brics has ...")."""
    text = doc.text
    spans = []
    for match in _ASIDE.finditer(text):
        aside = doc.char_span(match.start() + 1, match.end(), alignment_mode="expand")
        if aside is None or any(t.pos_ in ("VERB", "AUX") for t in aside):
            continue
        inside = {t.i for t in aside}
        if any(t.dep_ in _CORE_DEPS and t.head.i not in inside for t in aside):
            spans.append((match.start(), match.end()))
    if not spans:
        return doc
    fronted = doc[0].tag_ in ("VBG", "VBN") or doc[0].pos_ == "ADP"
    for start, end in reversed(spans):
        words = text[start + 3 : end - 2]  # " – " words " –"
        text = text[:start] + "  (" + words + (")," if fronted else ") ") + text[end:]
    return pipeline()(text)


def _draft(
    tokens: list[Token], unit: Unit, sentence: Segment, context: ArticleContext
) -> Draft | None:
    if not tokens:
        return None  # a unit wholly inside the dateline
    tokens = _with_their_quote_marks(tokens)
    finite = _has_finite_verb(tokens) or unit.finite or any(t.i in unit.replace for t in tokens)
    if not tokens or not finite or len(cues.words(_plain(tokens))) < MIN_WORDS:
        return None
    fix = rewrite(tokens, context)
    named = set(fix.replace)  # pronouns and descriptions the rewrite named, dates it completed
    fix.replace.update({i: w for i, w in unit.replace.items() if i not in fix.replace})
    text = unit.lead + _words(tokens, fix)
    attributed_to = unit.attributed_to
    kept = {t.i for t in tokens}
    speaker = [t for t in unit.speaker if t.i in kept]
    if speaker:
        attributed_to = _words(speaker, fix)
    if speaker and tokens[0].is_quote:
        text = f"{attributed_to} said «{_quoted_words(tokens)}»"
    elif tokens[0].is_quote:
        fix.needs_context = True  # a quote whose speaker the sentence does not name
    guessed = {t.i for t in tokens if guessed_name(t, context.names)}
    if _unanchored_event(tokens, named | set(unit.replace), guessed):
        fix.needs_context = True  # "Two people have died": where, in what?
    elif _unanchored_report(tokens, named | set(unit.replace), guessed):
        fix.needs_context = True  # "Rachel Moore said there had been no cases": of what?
    return Draft(
        text=_as_sentence(text),
        pieces=_pieces(tokens, sentence.start),
        sentence=sentence,
        attributed_to=attributed_to,
        needs_context=fix.needs_context,
        context_names=tuple(sorted(context.names)),
        opinion=is_opinion_quote(_plain(tokens)),
        plain_fact=is_plain_fact(tokens, named, unit_finite=unit.finite),
    )


#: The modal of a stated plan or schedule ("Marlow will open a factory in Wales in
#: 2027"), which a page can confirm or contradict; the others hedge.
_PLAN_MODALS = frozenset({"will", "'ll", "’ll", "wo"})
_NAMED_DOERS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
# Entities that make a statement about the world specific enough to check.
_SPECIFIC_ENTITIES = frozenset(
    "PERSON ORG GPE NORP LOC FAC EVENT PRODUCT WORK_OF_ART LAW DATE MONEY PERCENT QUANTITY "
    "CARDINAL".split()
)


def is_plain_fact(
    tokens: list[Token], named: AbstractSet[int] = frozenset(), *, unit_finite: bool = False
) -> bool:
    """A statement of fact by the parse: it names something specific and asserts it.

    At least one named entity, date or figure outside quotes; a finite verb, and no
    modal that hedges ("could", "should"; "will" with a date and a named subject
    states a plan); no first or second person, no opinion or hedge
    words, and not mostly a quotation. "Marcus Morton was born on February 19,
    1784." is one; "We should cut taxes." and "It is a great day." are not. ``named``:
    token indexes the rewrite replaced by a name ("he" -> "Antonio Guterres").
    """
    if not tokens:
        return False
    inside = _inside_quotes(tokens)
    outside = [t for t in tokens if t.i not in inside and not t.is_quote]
    plain = " ".join(t.text for t in outside)
    if not any(t.ent_type_ in _SPECIFIC_ENTITIES or t.i in named for t in outside):
        return False
    dated = any(t.ent_type_ == "DATE" for t in outside)
    modals = [t for t in outside if t.tag_ == "MD" and not _asked(t)]
    if any(not (dated and _plan(t, named)) for t in modals):
        return False  # "could", "should", "may": a hedge; "Marlow will open … in 2027": a plan
    if not (unit_finite or _has_finite_verb(outside)):
        return False
    if cues.first_person(plain) or cues.second_person(plain) or cues.opinion_words(plain):
        return False
    return cues.quoted_fraction(_plain(tokens)) < 0.5


# Entities that say who, what, where or when a statement is about: not its figures.
# A date alone does not say where or of whom ("Maths results improved for the third
# year in a row", "Two people died on Tuesday"); a year pins what happened (_a_year), not what will.
_ANCHOR_ENTITIES = _SPECIFIC_ENTITIES - {"MONEY", "PERCENT", "QUANTITY", "CARDINAL", "DATE"}


def _unanchored_event(
    tokens: list[Token], named: AbstractSet[int], guessed: AbstractSet[int] = frozenset()
) -> bool:
    """An event (a verb in the past, the perfect or the future) that names no one,
    nowhere and no year: "Two people have died", "The government has declared a major incident",
    "Maths results improved for the third year in a row" ("Brics was founded in 2009",
    whose "Brics" the tagger takes for a common noun, stands alone). Read
    alone it may be true of any place; the article says which. A general statement in
    the present ("Measles is highly contagious") stands alone, but a state of this moment
    does not (:func:`_a_state_of_now`). A first word the tagger
    took for a person (``guessed``) names no one."""
    roots = [t for t in tokens if t.dep_ == "ROOT" or t.head not in tokens]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    # a year pins what happened, but not what will: "Construction will begin in 2026"
    # (of what?)
    ahead = any(c.lower_ in _FUTURE and c.dep_ == "aux" for t in verbs for c in t.children)
    if any(
        t.i not in guessed
        and (
            t.ent_type_ in _ANCHOR_ENTITIES
            or t.i in named
            or _unlabelled_name(t)
            or (_a_year(t) and not ahead)
        )
        for t in tokens
    ):
        return False
    if any(_a_state_of_now(t) for t in verbs):
        return True
    return any(
        t.tag_ in ("VBD", "VBN")
        or any(c.lemma_ == "have" and c.dep_ == "aux" for c in t.children)
        or any(c.lower_ in _FUTURE and c.dep_ == "aux" for c in t.children)
        for t in verbs
    )


def _unanchored_report(
    tokens: list[Token], named: AbstractSet[int], guessed: AbstractSet[int] = frozenset()
) -> bool:
    """What a named speaker said is an event that names no one, nowhere and no year
    (:func:`_unanchored_event`): "Public health official Rachel Moore said there had
    been no confirmed cases of illness" names its speaker, but not the outbreak she
    spoke of, which the article does. A pronoun in what was said stands for someone the
    sentence names ("Highland Express said it was cooperating …")."""
    kept = {t.i for t in tokens}
    for verb in tokens:
        if verb.lemma_.lower() not in SPEECH_LEMMAS or verb.pos_ != "VERB":
            continue
        for clause in verb.children:
            if clause.dep_ != "ccomp" or clause.i not in kept:
                continue
            said = [t for t in clause.subtree if t.i in kept]
            if any(t.pos_ == "PRON" and t.lower_ != "there" for t in said):
                continue  # "Northvale said it had cut 200 jobs": its own, the sentence says
            if _unanchored_event(said, named, guessed):
                return True
    return False


#: The auxiliaries of what will be: "Trains will run every 10 minutes at peak times" is
#: true of one line, which the article names.
_FUTURE = frozenset({"will", "'ll", "’ll", "shall"})

#: Words that count people or things roughly: "Dozens of people are still missing".
_COUNT_WORDS = frozenset({"dozens", "hundreds", "thousands", "millions", "scores"})


def _a_state_of_now(verb: Token) -> bool:
    """A state of this moment, not a general truth: a present verb whose subject is
    counted ("Dozens of people are still missing", "Two people remain in hospital") or
    that says "still", "now" or "currently". Like an event, it is true of one place."""
    children = list(verb.children)
    if any(c.dep_ == "advmod" and c.lower_ in ("still", "now", "currently") for c in children):
        return True
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and (c.like_num or c.lower_ in _COUNT_WORDS or any(g.dep_ == "nummod" for g in c.children))
        for c in children
    )


def _a_year(token: Token) -> bool:
    """A year of a date ("founded in 2009"): it pins the event, where a weekday or "the
    third year in a row" does not, nor a year it is compared with ("Turnout was 71%, the
    highest since 1998": whose turnout?)."""
    if token.dep_ == "pobj" and token.head.lower_ in ("since", "than"):
        return False
    return token.ent_type_ == "DATE" and token.like_num and len(token.text) == 4


def _unlabelled_name(token: Token) -> bool:
    """A proper noun the entity tagger left out ("Ashdale"), not a month or weekday."""
    return token.pos_ == "PROPN" and token.ent_type_ not in ("DATE", "TIME")


def _asked(modal: Token) -> bool:
    """A modal inside an embedded question ("has not said whether it will appeal"):
    what the statement leaves open, not a hedge of the statement."""
    return any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in modal.head.children)


def _plan(modal: Token, named: AbstractSet[int]) -> bool:
    """ "will" with a named subject: "Marlow will open a factory", not "the world will
    drift" or "it will be"; or with a day, month or year on its verb: "A post-mortem
    examination will be carried out on Wednesday", "Construction will begin in 2026"
    (what is scheduled is checkable whoever does it)."""
    if modal.lower_ not in _PLAN_MODALS:
        return False
    verb = modal.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(
        t.ent_type_ in _NAMED_DOERS or t.pos_ == "PROPN" or t.i in named
        for s in subjects
        for t in s.subtree
    ):
        return True
    return any(
        t.ent_type_ == "DATE" and (t.like_num or t.lower_ in _DAY_WORDS)
        for c in verb.children
        if c.dep_ in ("prep", "npadvmod")
        for t in c.subtree
    )


#: Words of a date that name a day or a month: a plan for "Wednesday", not "soon".
_DAY_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS)


def could_be_claim(text: str) -> bool:
    """Rules that rule a sentence out before parsing: too short, a question."""
    return len(cues.words(text)) >= MIN_WORDS and not cues.is_question(text)


def is_opinion_quote(text: str) -> bool:
    """Mostly a quotation, and what is quoted is opinion: hedges, "I"/"we", no figures."""
    if cues.quoted_fraction(text) < 0.5:
        return False
    quoted = " ".join(cues.quotes(text))
    has_figures = bool(cues.numbers(quoted) or cues.has_number_word(quoted) or cues.years(quoted))
    personal = cues.first_person(quoted) or cues.second_person(quoted)
    return not has_figures and (personal or bool(cues.opinion_words(quoted)))


def _has_finite_verb(tokens: list[Token]) -> bool:
    """A finite verb or a modal outside quotes: the parse, not a word list."""
    return any(
        t.pos_ in ("VERB", "AUX") and ("Fin" in t.morph.get("VerbForm", []) or t.tag_ == "MD")
        for t in tokens
    )


def _with_their_quote_marks(tokens: list[Token]) -> list[Token]:
    """Quote marks kept exactly where the word they open or close is kept.

    The parse hangs a closing quote on the sentence's root, so a clause cut
    out of a quotation would otherwise lose it (or the main clause keep it).
    """
    doc = tokens[0].doc
    out: list[Token] = []
    for t in tokens:
        if t.is_quote:
            continue
        before = doc[t.i - 1] if t.i > 0 else None
        after = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if before is not None and before.is_quote and _opens(before):
            out.append(before)
        out.append(t)
        if after is not None and after.is_quote and not _opens(after):
            out.append(after)
    return out


def _opens(mark: Token) -> bool:
    if mark.text in ("“", "«", "‘"):
        return True
    if mark.text in ("”", "»", "’"):
        return False
    return mark.i == 0 or mark.doc[mark.i - 1].whitespace_ != ""


def _inside_quotes(tokens: list[Token]) -> set[int]:
    inside: set[int] = set()
    opened = False
    for t in tokens:
        if t.text in _OPENING_QUOTES and not opened:
            opened = True
        elif t.text in _CLOSING_QUOTES and opened:
            opened = False
        elif opened:
            inside.add(t.i)
    return inside


def _quoted_words(tokens: list[Token]) -> str:
    inside = _inside_quotes(tokens)
    words = "".join(t.text_with_ws if t.i in inside else " " for t in tokens)
    return " ".join(words.split()).rstrip(",;: ")


def _words(tokens: list[Token], fix: Rewrite) -> str:
    parts: list[str] = []
    previous = None
    for t in tokens:
        if t.i in fix.skip:
            previous = t.i
            continue
        gap = previous is not None and t.i != previous + 1
        participle = t.dep_ == "advcl" and t.tag_ == "VBG" and t.left_edge.i == t.i
        if gap and participle and t.i not in fix.replace:
            parts.append(", ")  # "troops advance in X, edging closer": the comma was cut away
        elif gap and parts and not parts[-1].endswith(" ") and t.text not in _NO_SPACE_BEFORE:
            parts.append(" ")
        parts.append(fix.replace.get(t.i, t.text_with_ws))
        previous = t.i
    return _SPACE_BEFORE_PUNCT.sub("", " ".join("".join(parts).split()))


def _plain(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _as_sentence(text: str) -> str:
    """Capitalised, trailing separators dropped, with a final period."""
    text = text.strip().rstrip(",;:–—- ")
    text = text[0].upper() + text[1:]
    return text if _TERMINAL.search(text) else text + "."


def _pieces(tokens: list[Token], base: int) -> tuple[tuple[int, int], ...]:
    """Article spans of runs of adjacent tokens."""
    runs: list[list[Token]] = []
    for t in tokens:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    spans = []
    for run in runs:
        while len(run) > 1 and run[-1].text in ",;:–—-)":
            run = run[:-1]
        while len(run) > 1 and run[0].text == "(":
            run = run[1:]
        spans.append((base + run[0].idx, base + run[-1].idx + len(run[-1].text)))
    return tuple(spans)


def _dateline_length(sentence: str) -> int:
    m = _DATELINE.match(sentence)
    return m.end() if m else 0


def claim_id(span: Span) -> str:
    """Stable across runs: a hash of the span's offsets and text."""
    digest = hashlib.sha256(f"{span.start}:{span.end}:{span.text}".encode()).hexdigest()
    return f"c-{digest[:12]}"


def _claim(article: str, draft: Draft, score: float) -> Claim:
    pieces = [Span.of(article, s, e) for s, e in draft.pieces]
    span = Span.of(article, min(p.start for p in pieces), max(p.end for p in pieces))
    sentence = Span.of(article, draft.sentence.start, draft.sentence.end)
    kind = ClaimKind.ATTRIBUTED if draft.attributed_to else cues.classify_kind(draft.text)
    return Claim(
        id=claim_id(span) if len(pieces) == 1 else _pieces_id(pieces, draft.text),
        text=draft.text,
        span=span,
        spans=pieces if len(pieces) > 1 else [],
        sentence=sentence,
        checkworthiness=min(1.0, max(0.0, score)),
        kind=kind,
        attributed_to=draft.attributed_to,
        needs_context=draft.needs_context,
        context_names=list(draft.context_names),
    )


def _pieces_id(pieces: list[Span], text: str) -> str:
    key = "|".join(f"{p.start}:{p.end}" for p in pieces) + "|" + text
    return f"c-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
