"""The real local LLM: loads the installed GGUF with llama.cpp (opt-in, slow on CPU).

Run with ``make test-local-llm``; deselected from ``make test`` by the
``local_llm`` marker. Skips when xllamacpp or the model is not installed;
never downloads anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from claims.factory import build_extractor, build_verifier
from claims.local_llm import close_shared_servers
from claims.model_files import LOCAL_LLM, model_path
from claims.models import Article, Claim, Evidence, Label, Passage, Span
from claims.settings import DEFAULT_HOME, Settings

pytestmark = [pytest.mark.local_llm, pytest.mark.timeout(1800)]  # CPU inference is slow


@pytest.fixture(scope="module")
def installed_model() -> Path:
    pytest.importorskip("xllamacpp")
    home = Path(os.environ.get("CLAIMSCOPE_LOCAL_LLM_HOME", str(DEFAULT_HOME))).expanduser()
    path = model_path(home, LOCAL_LLM)
    if not path.is_file():
        pytest.skip(f"no local LLM at {path}: run `claimscope models install local-llm`")
    return path


@pytest.fixture()
def settings(installed_model: Path, tmp_path: Path) -> Iterator[Settings]:
    yield Settings(home=tmp_path, llm="local", local_model_path=installed_model, use_cache=False)
    close_shared_servers()


def evidence(*sentences: str) -> list[Evidence]:
    text = " ".join(sentences)
    spans, at = [], 0
    for sentence in sentences:
        spans.append(Span.of(text, at, at + len(sentence)))
        at += len(sentence) + 1
    passage = Passage(
        id="p1", doc_id="d1", text=text, source="kb.txt", start=0, end=len(text), sentences=spans
    )
    return [Evidence(passage=passage, score=1.0, rank=1, best_sentences=list(range(len(spans))))]


def claim(text: str) -> Claim:
    span = Span.of(text, 0, len(text))
    return Claim(id="c1", text=text, span=span, sentence=span, checkworthiness=0.9)


def test_verifies_a_contradicted_claim_citing_the_evidence(settings: Settings) -> None:
    verifier = build_verifier(settings, embedder=None)
    found = evidence(
        "The Eiffel Tower was completed in March 1889.",
        "It was built for the World's Fair held in Paris that year.",
    )
    verdict = verifier.verify(claim("The Eiffel Tower was completed in 1925."), found)
    assert verdict.label is Label.REFUTED
    assert any("1889" in c.text for c in verdict.citations)


def test_verifies_a_supported_claim(settings: Settings) -> None:
    verifier = build_verifier(settings, embedder=None)
    found = evidence("Mount Kilimanjaro, in Tanzania, rises 5,895 metres above sea level.")
    verdict = verifier.verify(claim("Kilimanjaro is 5,895 metres high."), found)
    assert verdict.label is Label.SUPPORTED


def test_extracts_claims_with_exact_spans(settings: Settings) -> None:
    text = (
        "The city council of Lindholm approved a budget of 48 million euros on Monday. "
        "Mayor Petra Olsen said the money would fund two new schools by 2027."
    )
    extraction = build_extractor(settings, embedder=None).extract(Article(text=text))
    assert extraction.claims
    for found in extraction.claims:
        assert text[found.span.start : found.span.end] == found.span.text
