"""LLM verification: a verdict on one claim that must cite numbered evidence sentences.

Evidence sentences are numbered 1..N across the retrieved passages (each
passage's best-matching sentences first, up to ``max_sentences`` in all) and
shown to the model in delimited ``<evidence>`` blocks. An answer citing a number
that was not shown, or a SUPPORTED/REFUTED label citing nothing, is re-asked
with the error. Citations are mapped back to exact passage sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.language_models.chat_models import BaseChatModel

from claims.chat import InvalidAnswer, ask_validated, chat_model_name
from claims.llm_cache import LLMCache
from claims.models import Citation, Claim, Evidence, Label, Span, Usage, Verdict
from claims.prompts import (
    VERIFICATION_PROMPT,
    EvidenceBlock,
    NumberedSentenceInput,
    StructuredPrompt,
    VerdictAnswer,
    VerificationInput,
)
from claims.settings import StructuredMethod

NO_EVIDENCE_RATIONALE = (
    "No evidence was retrieved from the knowledge base for this claim, so it could not be "
    "checked; the model was not asked."
)


@dataclass(frozen=True)
class NumberedSentence:
    """An evidence sentence as shown to the model, with where it comes from."""

    number: int
    evidence: Evidence
    index: int
    span: Span


class LLMVerifier:
    """Judges claims with a chat model; implements :class:`claims.protocols.Verifier`."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        method: StructuredMethod = "json_schema",
        max_retries: int = 2,
        cache: LLMCache | None = None,
        max_sentences: int = 24,
        model_name: str | None = None,
        prompt: StructuredPrompt[VerificationInput, VerdictAnswer] = VERIFICATION_PROMPT,
    ) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.chat_model = chat_model
        self.method: StructuredMethod = method
        self.max_retries = max_retries
        self.cache = cache
        self.max_sentences = max_sentences
        self.model_name = model_name or chat_model_name(chat_model)
        self.prompt = prompt
        self.name = f"llm:{self.model_name}"
        if prompt is not VERIFICATION_PROMPT:
            self.name += f" ({prompt.name})"

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        """The verdict on ``claim`` given ``evidence``; NOT_ENOUGH_INFO without a call when there is none."""
        numbered = number_sentences(evidence, self.max_sentences)
        if not numbered:
            return Verdict(
                label=Label.NOT_ENOUGH_INFO,
                confidence=1.0,
                rationale=NO_EVIDENCE_RATIONALE,
                verifier=self.name,
            )
        messages = self.prompt.messages(
            VerificationInput(
                claim=claim.text,
                evidence=evidence_blocks(numbered),
                article_names=list(claim.context_names) if claim.needs_context else [],
                article_date=claim.article_date.isoformat() if claim.article_date else None,
            ),
            method=self.method,
        )

        def validate(answer: VerdictAnswer) -> Verdict:
            return verdict_from_answer(answer, numbered, verifier=self.name)

        verdict, usage = ask_validated(
            self.chat_model,
            messages,
            VerdictAnswer,
            validate,
            method=self.method,
            max_retries=self.max_retries,
            cache=self.cache,
            model_name=self.model_name,
        )
        return verdict.model_copy(update={"usage": usage})


def _sentences_of(evidence: Evidence) -> list[Span]:
    passage = evidence.passage
    if passage.sentences:
        return list(passage.sentences)
    return [Span.of(passage.text, 0, len(passage.text))] if passage.text.strip() else []


def number_sentences(evidence: Sequence[Evidence], max_sentences: int) -> list[NumberedSentence]:
    """Pick at most ``max_sentences`` sentences and number them 1..N in display order.

    Every passage's best sentences are picked first (passages in rank order), then
    the rest of each passage; within a passage the picked sentences are shown in
    reading order, so the model sees them in context.
    """
    per_passage = [_sentences_of(e) for e in evidence]
    picked: list[set[int]] = [set() for _ in evidence]
    budget = max_sentences
    best_first = [
        [i for i in e.best_sentences if 0 <= i < len(s)]
        for e, s in zip(evidence, per_passage, strict=True)
    ]
    rest = [
        [i for i in range(len(s)) if i not in set(b)]
        for s, b in zip(per_passage, best_first, strict=True)
    ]
    for order in (best_first, rest):
        for p, indices in enumerate(order):
            for i in indices:
                if budget == 0:
                    break
                if i not in picked[p]:
                    picked[p].add(i)
                    budget -= 1
    numbered: list[NumberedSentence] = []
    for p, ev in enumerate(evidence):
        for i in sorted(picked[p]):
            numbered.append(
                NumberedSentence(
                    number=len(numbered) + 1, evidence=ev, index=i, span=per_passage[p][i]
                )
            )
    return numbered


def evidence_blocks(numbered: Sequence[NumberedSentence]) -> list[EvidenceBlock]:
    """Group numbered sentences by passage, for the prompt."""
    blocks: list[EvidenceBlock] = []
    current: Evidence | None = None
    for item in numbered:
        if item.evidence is not current:
            current = item.evidence
            passage = current.passage
            blocks.append(
                EvidenceBlock(
                    source=passage.source,
                    title=passage.title,
                    published=passage.published.isoformat() if passage.published else None,
                    sentences=[],
                )
            )
        blocks[-1].sentences.append(NumberedSentenceInput(number=item.number, text=item.span.text))
    return blocks


def verdict_from_answer(
    answer: VerdictAnswer, numbered: Sequence[NumberedSentence], *, verifier: str
) -> Verdict:
    """A :class:`Verdict` citing exact sentences; :class:`InvalidAnswer` if the citations do not hold."""
    by_number = {item.number: item for item in numbered}
    invented = sorted({c.number for c in answer.citations if c.number not in by_number})
    if invented:
        raise InvalidAnswer(
            f"citations name sentence numbers that were not shown: {invented}; "
            f"cite only numbers from 1 to {len(numbered)}"
        )
    seen: set[int] = set()
    citations: list[Citation] = []
    for cited in answer.citations:
        if cited.number in seen:
            continue
        seen.add(cited.number)
        item = by_number[cited.number]
        passage = item.evidence.passage
        citations.append(
            Citation(
                passage_id=passage.id,
                sentence_index=item.index,
                start=item.span.start,
                end=item.span.end,
                text=item.span.text,
                stance=cited.stance,
                source=passage.source,
                title=passage.title,
                url=passage.url,
            )
        )
    _check_label_citations(answer.label, citations)
    return Verdict(
        label=answer.label,
        confidence=answer.confidence,
        citations=citations,
        rationale=answer.rationale.strip(),
        verifier=verifier,
        usage=Usage(),
    )


def _check_label_citations(label: Label, citations: Sequence[Citation]) -> None:
    stances = {c.stance for c in citations}
    if label in (Label.SUPPORTED, Label.REFUTED) and not citations:
        raise InvalidAnswer(f"a {label.value} verdict must cite at least one evidence sentence")
    if label is Label.CONFLICTING and not {"supports", "refutes"} <= stances:
        raise InvalidAnswer(
            "a CONFLICTING verdict must cite at least one supporting and one refuting sentence"
        )
