"""Check-worthiness evaluation of the extractor on gold sentence sets.

Each gold sentence is given to the extractor as a one-sentence article; the
sentence counts as detected check-worthy when at least one claim comes out.
That measures the extractor as the pipeline runs it (its filters, its clause
splitting, its threshold), not only the scorer inside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel
from tqdm import tqdm

from claims.models import Article, Failure, Usage
from claims.protocols import Embedder, Extractor
from claims.settings import Settings
from eval.datasets import CheckworthySentence


class SentenceResult(BaseModel):
    id: str
    text: str
    gold: bool
    predicted: bool | None = None
    score: float | None = None
    claims: int = 0
    correct: bool
    latency_s: float
    usage: Usage = Usage()
    extractor: str | None = None
    error: Failure | None = None


def evaluate_checkworthiness(
    sentences: Sequence[CheckworthySentence],
    *,
    settings: Settings,
    embedder: Embedder,
    extractor: Extractor | None = None,
    skip: Iterable[str] = (),
    on_result: Callable[[SentenceResult], None] | None = None,
    progress: bool = True,
) -> list[SentenceResult]:
    """One result per sentence; an extractor error is recorded on it and counts as wrong."""
    if extractor is None:
        from claims.factory import build_extractor

        extractor = build_extractor(settings, embedder)
    done = set(skip)
    todo = [s for s in sentences if s.id not in done]
    results = []
    with tqdm(
        total=len(sentences), initial=len(sentences) - len(todo), desc="eval extract",
        unit="sentence", disable=not progress,
    ) as bar:  # fmt: skip
        for sentence in todo:
            result = check_sentence(sentence, extractor)
            results.append(result)
            if on_result is not None:
                on_result(result)
            bar.update(1)
    return results


def check_sentence(sentence: CheckworthySentence, extractor: Extractor) -> SentenceResult:
    started = time.perf_counter()
    try:
        extraction = extractor.extract(Article(text=sentence.text))
    except Exception as exc:  # noqa: BLE001 - any error is this sentence's failure
        return SentenceResult(
            id=sentence.id, text=sentence.text, gold=sentence.checkworthy, correct=False,
            latency_s=time.perf_counter() - started, extractor=extractor.name,
            error=Failure.of("extract", exc),
        )  # fmt: skip
    found = extraction.claims
    predicted = bool(found)
    return SentenceResult(
        id=sentence.id,
        text=sentence.text,
        gold=sentence.checkworthy,
        predicted=predicted,
        score=max((c.checkworthiness for c in found), default=None),
        claims=len(found),
        correct=predicted == sentence.checkworthy,
        latency_s=time.perf_counter() - started,
        usage=extraction.usage,
        extractor=extractor.name,
    )
