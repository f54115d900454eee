"""Scripted services for the app tests (AppTest in-process, and the browser test's server).

Select them with ``CLAIMSCOPE_APP_SERVICES=tests.app_fakes``.
The knowledge base keeps documents in memory (one per process, shared across
sessions as the real cached one is) and ranks passages by word overlap; the
verifier decides by overlap and number mismatches, and cites the sentence it
used, so every part of the check page has something real to show.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from claims.crosscheck import CrossCheckedVerifier
from claims.errors import EndpointError
from claims.models import (
    Citation,
    Claim,
    Evidence,
    Label,
    Passage,
    SearchFilters,
    Span,
    Usage,
    Verdict,
)
from claims.protocols import Verifier
from claims.settings import Settings
from retrieval.documents import Document, IngestReport
from tests.fakes import FakeExtractor

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "and",
    "to",
    "is",
    "was",
    "were",
    "by",
    "for",
    "it",
    "its",
}


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def sentence_spans(text: str) -> list[Span]:
    spans = []
    for m in re.finditer(r"[^.!?]+[.!?]?", text):
        lead = len(m.group()) - len(m.group().lstrip())
        if m.end() > m.start() + lead:
            spans.append(Span.of(text, m.start() + lead, m.end()))
    return spans


class MemoryKnowledgeBase:
    """In-memory stand-in for ``retrieval.KnowledgeBase``: one passage per document."""

    def __init__(self) -> None:
        self._passages: dict[str, Passage] = {}
        self._lock = threading.Lock()

    def ingest_documents(
        self, docs: Iterable[Document], *, on_document: Callable[[int, int], None] | None = None
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        docs = list(docs)
        with self._lock:
            for done, doc in enumerate(docs, start=1):
                pid = f"{doc.source}#{doc.id}"
                if pid in self._passages and self._passages[pid].text == doc.text:
                    report.unchanged += 1
                else:
                    report.added += 1
                self._passages[pid] = Passage(
                    id=pid,
                    doc_id=doc.id,
                    text=doc.text,
                    source=doc.source,
                    title=doc.title,
                    url=doc.url,
                    published=doc.published,
                    kind=doc.kind,
                    retrieved_at=doc.retrieved_at,
                    ingested_at=datetime.now(UTC),
                    start=0,
                    end=len(doc.text),
                    sentences=sentence_spans(doc.text),
                )
                report.documents += 1
                report.passages += 1
                if doc.source not in report.sources:
                    report.sources.append(doc.source)
                if on_document is not None:
                    time.sleep(float(os.environ.get("CLAIMSCOPE_FAKE_INGEST_DELAY", "0")))
                    on_document(done, len(docs))
        report.seconds = time.perf_counter() - started
        return report

    def ingest_paths(self, paths: Sequence[Path], progress: object = None) -> IngestReport:
        from retrieval.loaders import load_paths

        docs, skipped = load_paths(paths)
        report = self.ingest_documents(docs)
        report.skipped.extend(skipped)
        return report

    def sources(self) -> list[dict]:
        out: dict[str, dict] = {}
        for p in self._passages.values():
            entry = out.setdefault(
                p.source,
                {
                    "source": p.source,
                    "title": p.title,
                    "passages": 0,
                    "published": p.published,
                    "ingested_at": p.ingested_at,
                    "kind": p.kind,
                    "url": p.url,
                    "retrieved_at": p.retrieved_at,
                },
            )
            entry["passages"] += 1
        return sorted(out.values(), key=lambda s: s["source"])

    def documents(self) -> list[dict]:
        return sorted(
            (
                {"source": p.source, "doc_id": p.doc_id, "title": p.title, "url": p.url,
                 "published": p.published.isoformat() if p.published else None, "passages": 1}
                for p in self._passages.values()
            ),
            key=lambda d: (d["source"], d["title"] or "", d["doc_id"]),
        )  # fmt: skip

    def remove_document(self, source: str, doc_id: str) -> int:
        with self._lock:
            doomed = [
                pid for pid, p in self._passages.items() if (p.source, p.doc_id) == (source, doc_id)
            ]
            for pid in doomed:
                del self._passages[pid]
        return len(doomed)

    def remove_source(self, source: str) -> int:
        with self._lock:
            doomed = [pid for pid, p in self._passages.items() if p.source == source]
            for pid in doomed:
                del self._passages[pid]
        return len(doomed)

    def stats(self) -> dict:
        return {
            "passages": len(self._passages),
            "sources": len({p.source for p in self._passages.values()}),
        }

    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]:
        q = words(query)
        scored = []
        for p in self._passages.values():
            if filters and filters.source and p.source != filters.source:
                continue
            if (
                filters
                and filters.published_before
                and p.published
                and p.published >= filters.published_before
            ):
                continue
            overlaps = [len(q & words(s.text)) / max(len(q), 1) for s in p.sentences]
            if overlaps and max(overlaps) > 0:
                best = max(range(len(overlaps)), key=overlaps.__getitem__)
                scored.append((max(overlaps), best, p))
        scored.sort(key=lambda t: (-t[0], t[2].id))
        return [
            Evidence(passage=p, score=score, rank=i, bm25_score=score, best_sentences=[best])
            for i, (score, best, p) in enumerate(scored[:top_k], start=1)
        ]


class ScriptedVerifier:
    """SUPPORTED on strong overlap, REFUTED when the best sentence's numbers differ.

    A claim containing the word "unreachable" raises an EndpointError, so the
    app's display of failed claims can be exercised; ``CLAIMSCOPE_FAKE_VERIFY_DELAY``
    (seconds) makes each verification slow enough to watch the progress, and with
    ``CLAIMSCOPE_FAKE_VERIFY_GATE`` (a file path) that claim waits until the file
    exists (up to a minute), so a browser test can see a check half done.
    """

    name = "scripted-verifier"

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        time.sleep(float(os.environ.get("CLAIMSCOPE_FAKE_VERIFY_DELAY", "0")))  # a slow model
        if "unreachable" in claim.text:
            gate = os.environ.get("CLAIMSCOPE_FAKE_VERIFY_GATE")
            deadline = time.monotonic() + 60
            while gate and not Path(gate).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            raise EndpointError("endpoint answered 503", status=503)
        usage = Usage(prompt_tokens=200, completion_tokens=40, calls=1)
        if not evidence:
            return Verdict(
                label=Label.NOT_ENOUGH_INFO,
                confidence=0.5,
                verifier=self.name,
                rationale="No evidence was found.",
                usage=usage,
            )
        ev = evidence[0]
        sentence = ev.passage.sentences[ev.best_sentences[0]]
        claim_numbers = set(re.findall(r"\d+", claim.text))
        sentence_numbers = set(re.findall(r"\d+", sentence.text))
        overlap = len(words(claim.text) & words(sentence.text)) / max(len(words(claim.text)), 1)
        if claim_numbers and sentence_numbers and claim_numbers != sentence_numbers:
            label, stance, conf = Label.REFUTED, "refutes", 0.8
        elif overlap >= 0.5:
            label, stance, conf = Label.SUPPORTED, "supports", round(0.5 + overlap / 2, 2)
        else:
            return Verdict(
                label=Label.NOT_ENOUGH_INFO,
                confidence=0.6,
                verifier=self.name,
                rationale="The evidence is about something else.",
                usage=usage,
            )
        citation = Citation(
            passage_id=ev.passage.id,
            sentence_index=ev.best_sentences[0],
            start=sentence.start,
            end=sentence.end,
            text=sentence.text,
            stance=stance,
            source=ev.passage.source,
            title=ev.passage.title,
            url=ev.passage.url,
        )
        return Verdict(
            label=label,
            confidence=conf,
            citations=[citation],
            verifier=self.name,
            rationale=f"The best matching sentence {stance} the claim.",
            usage=usage,
        )


_KB = MemoryKnowledgeBase()


def knowledge_base(settings: Settings) -> MemoryKnowledgeBase:
    """One shared in-memory knowledge base per process, like the real cached one."""
    return _KB


class CredulousVerifier:
    """A second opinion that calls every claim with evidence SUPPORTED (for the cross-check)."""

    name = "credulous-checker"

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        label = Label.SUPPORTED if evidence else Label.NOT_ENOUGH_INFO
        return Verdict(label=label, confidence=0.9, verifier=self.name, rationale="Looks fine.")


def models(settings: Settings) -> tuple[FakeExtractor, Verifier]:
    """In the LLM modes the scripted verifier is cross-checked, as the factory does."""
    if settings.llm != "none" and settings.cross_check:
        return FakeExtractor(), CrossCheckedVerifier(ScriptedVerifier(), CredulousVerifier())
    return FakeExtractor(), ScriptedVerifier()
