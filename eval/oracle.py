"""Gold evidence as :class:`~claims.models.Evidence`, for the oracle setting.

The oracle setting shows the verifier the annotated evidence instead of what
retrieval found, which separates verification errors from retrieval errors.
A gold item that names rationale sentences becomes its whole document with those
sentences marked as the best ones; a gold item with only text becomes that text;
a claim without gold evidence gets the documents it cites (SciFact's NEI claims),
else no evidence at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from claims.models import Evidence, Passage, Span
from eval.datasets.format import CorpusDoc, EvalClaim, GoldEvidence
from retrieval.chunking import split_sentences

ORACLE_SOURCE = "gold"


class StaticRetriever:
    """A Retriever that returns the same evidence whatever it is asked (one claim's gold)."""

    def __init__(self, evidence: Sequence[Evidence]) -> None:
        self._evidence = list(evidence)

    def search(self, query: str, *, top_k: int = 5, filters: object = None) -> list[Evidence]:
        return self._evidence[: max(top_k, len(self._evidence))]


def oracle_evidence(claim: EvalClaim, corpus: Mapping[str, CorpusDoc]) -> list[Evidence]:
    """The gold evidence of ``claim`` as ranked Evidence, one passage per document."""
    items: dict[str, list[GoldEvidence]] = {}
    for gold in claim.evidence:
        items.setdefault(gold.doc_id, []).append(gold)
    if not items:
        items = {doc_id: [GoldEvidence(doc_id=doc_id)] for doc_id in claim.cited_doc_ids}
    out = []
    for doc_id, golds in items.items():
        passage, best = _passage(doc_id, golds, corpus.get(doc_id))
        if passage is not None:
            out.append(Evidence(passage=passage, score=1.0, rank=len(out) + 1, best_sentences=best))
    return out


def _passage(
    doc_id: str, golds: list[GoldEvidence], doc: CorpusDoc | None
) -> tuple[Passage | None, list[int]]:
    wanted = sorted({i for g in golds for i in g.sentences or []})
    if doc is not None and doc.sentences is not None:
        text, spans = join_sentences(doc.sentences)
        best = [i for i in wanted if 0 <= i < len(spans)]
        return _make(doc_id, text, spans, doc), best
    if doc is not None and not any(g.text for g in golds):
        spans = [Span.of(doc.text, s, e) for s, e in split_sentences(doc.text)]
        return _make(doc_id, doc.text, spans, doc), []
    texts = [g.text for g in golds if g.text]
    if not texts:
        return None, []
    text, spans = join_sentences(texts)
    return _make(doc_id, text, spans, doc), list(range(len(spans)))


def join_sentences(sentences: Sequence[str]) -> tuple[str, list[Span]]:
    """One text from sentences joined by spaces, with each sentence's exact span."""
    parts, spans, at = [], [], 0
    for sentence in sentences:
        if parts:
            at += 1
        parts.append(sentence)
        spans.append(Span(start=at, end=at + len(sentence), text=sentence))
        at += len(sentence)
    return " ".join(parts), spans


def _make(doc_id: str, text: str, spans: list[Span], doc: CorpusDoc | None) -> Passage:
    return Passage(
        id=f"gold:{doc_id}",
        doc_id=doc_id,
        text=text,
        source=ORACLE_SOURCE,
        title=doc.title if doc else None,
        url=doc.url if doc else None,
        published=doc.published if doc else None,
        start=0,
        end=len(text),
        sentences=spans,  # kept whole: gold indices refer to these positions
    )
