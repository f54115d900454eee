"""Search queries for a claim, offline: the claim itself, then its key terms.

A self-contained claim is already a good web query; search engines also do well on
its bare key terms (names, places, numbers, dates, content nouns), which catch
pages that word the fact differently. Entities come from the shared spaCy pipeline.
"""

from __future__ import annotations

import re

from claims.nlp import pipeline

MAX_QUERY_CHARS = 300
MAX_TERMS = 10
ENTITY_LABELS = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "FAC", "PRODUCT", "WORK_OF_ART",
    "DATE", "CARDINAL", "PERCENT", "MONEY", "QUANTITY",
}  # fmt: skip
_QUOTES = re.compile(r"[\"“”‘’]")


def build_queries(claim: str, *, limit: int = 2) -> list[str]:
    """Up to ``limit`` distinct queries: the claim (quotes dropped), then its key terms."""
    text = " ".join(_QUOTES.sub("", claim).split())
    queries = [_cut(text)] if text else []
    terms = key_terms(claim)
    if terms:
        keywords = " ".join(terms)
        if keywords.lower() != text.lower():
            queries.append(keywords)
    return queries[:limit]


def key_terms(claim: str) -> list[str]:
    """Entities (names, places, dates, numbers) first, then content nouns and verbs, deduplicated."""
    doc = pipeline()(claim)
    terms: list[str] = []
    seen: set[str] = set()

    def add(term: str) -> None:
        term = _QUOTES.sub("", term).strip(" ,.;:'")
        if term and term.lower() not in seen:
            seen.add(term.lower())
            terms.append(term)

    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS:
            add(ent.text.removeprefix("the ").removeprefix("The "))
            covered.update(range(ent.start, ent.end))
    for token in doc:
        if token.i in covered or token.is_stop or token.is_punct:
            continue
        if token.pos_ in {"PROPN", "NOUN", "NUM"} or (
            token.pos_ == "VERB" and token.dep_ == "ROOT"
        ):
            add(token.text if token.pos_ in {"PROPN", "NUM"} else token.lemma_)
    return terms[:MAX_TERMS]


def _cut(text: str) -> str:
    if len(text) <= MAX_QUERY_CHARS:
        return text
    return text[: text.rfind(" ", 0, MAX_QUERY_CHARS)].rstrip(" ,;")
