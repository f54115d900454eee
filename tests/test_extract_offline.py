from __future__ import annotations

import numpy as np
import pytest

from claims.checkworthiness import CheckworthinessModel, RuleScorer, cue_matrix, fit_logistic
from claims.errors import ConfigError, EmptyArticleError
from claims.extract_offline import (
    SENSITIVITY_FACTOR,
    OfflineExtractor,
    claim_id,
    draft_claims,
)
from claims.models import Article, ClaimKind, Span
from tests.fakes import FakeEmbedder

ARTICLE = (
    "Summit ends with pledges\n\n"
    "Sign up now: Get our newsletter\n\n"
    "KAZAN, Russia – Lawmakers voted on Oct 24 to ratify the defence pact, and Pyongyang sent "
    "thousands of troops to Russia for training.\n\n"
    "“I will say directly that these are illusory calculations,” the president said.\n\n"
    "Brics was founded in 2009 with four members; it has since expanded to include Egypt.\n\n"
    "Is this the end?\n\n"
    "PHOTO: REUTERS\n"
)


def _fake_model(embedder: FakeEmbedder) -> CheckworthinessModel:
    """A model fitted on a few sentences with the fake embedder, as the real one is trained."""
    texts = [
        "Unemployment fell to 3.5 percent in 2019.",
        "The senate voted 52 to 48 to pass the bill on Tuesday.",
        "China built 40 new coal plants last year.",
        "Thousands of troops were sent to the border in March.",
        "Thank you so much for being here tonight.",
        "I think we should all be proud of this.",
        "What are you going to do about it?",
        "We love this country and we will fight for it.",
    ]
    labels = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=float)
    rows = cue_matrix(texts)
    mean, std = rows.mean(axis=0), np.where(rows.std(axis=0) > 0, rows.std(axis=0), 1.0)
    x = np.hstack([embedder.embed(texts), (rows - mean) / std])
    w, b = fit_logistic(x, labels, l2=1.0)
    return CheckworthinessModel(
        weights=w,
        bias=b,
        cue_mean=mean,
        cue_std=std,
        embedder_name=embedder.name,
        embedding_dim=x.shape[1] - rows.shape[1],
        threshold=0.5,
    )


@pytest.fixture
def extractor() -> OfflineExtractor:
    return OfflineExtractor(FakeEmbedder(), RuleScorer(), min_checkworthiness=0.0)


def test_every_claim_points_back_to_the_article(extractor: OfflineExtractor) -> None:
    claims = extractor.extract(Article(text=ARTICLE)).claims
    assert claims
    for claim in claims:
        assert claim.span.text == ARTICLE[claim.span.start : claim.span.end]
        assert claim.sentence.is_in(ARTICLE)
        assert claim.sentence.start <= claim.span.start < claim.span.end <= claim.sentence.end
        assert claim.text.endswith(".")
    assert [c.span.start for c in claims] == sorted(c.span.start for c in claims)


def test_compound_sentences_split_into_exact_clauses(extractor: OfflineExtractor) -> None:
    spans = [c.span.text for c in extractor.extract(Article(text=ARTICLE)).claims]
    assert spans == [
        "Lawmakers voted on Oct 24 to ratify the defence pact",
        "Pyongyang sent thousands of troops to Russia for training.",
        "Brics was founded in 2009 with four members",
        "it has since expanded to include Egypt.",
    ]


def test_claim_fields(extractor: OfflineExtractor) -> None:
    first, second, third, fourth = extractor.extract(Article(text=ARTICLE)).claims
    assert first.text == "Lawmakers voted on Oct 24 to ratify the defence pact."
    assert first.kind == ClaimKind.TEMPORAL
    assert second.kind == ClaimKind.NUMERIC
    assert fourth.text == "It has since expanded to include Egypt."
    assert fourth.needs_context
    # whose lawmakers? a date alone does not say; the claim carries the article's names
    assert first.needs_context and "Russia" in first.context_names
    assert first.sentence == second.sentence
    assert first.sentence.text.startswith("KAZAN, Russia – Lawmakers")
    assert third.sentence.text.endswith("Egypt.")
    assert first.id == claim_id(first.span)
    assert len({c.id for c in (first, second, third, fourth)}) == 4
    assert all(0.0 <= c.checkworthiness <= 1.0 for c in (first, second, third, fourth))


def test_ids_are_stable_across_runs(extractor: OfflineExtractor) -> None:
    ids = [c.id for c in extractor.extract(Article(text=ARTICLE)).claims]
    assert ids == [c.id for c in extractor.extract(Article(text=ARTICLE)).claims]
    assert claim_id(Span.of("abc def", 0, 3)) != claim_id(Span.of("abc def", 4, 7))


def test_headings_questions_and_opinion_quotes_are_skipped(extractor: OfflineExtractor) -> None:
    texts = " ".join(c.span.text for c in extractor.extract(Article(text=ARTICLE)).claims)
    for absent in ("Summit ends", "Sign up", "illusory", "Is this the end", "PHOTO", "KAZAN"):
        assert absent not in texts


def test_split_never_cuts_inside_quotes(extractor: OfflineExtractor) -> None:
    text = "He said “Parliament voted for the pact, and the army sent troops” on Monday."
    claims = extractor.extract(Article(text=text)).claims
    assert [c.span.text for c in claims] == [text]
    assert claims[0].needs_context  # who is "he"? the article does not say


def test_a_list_of_places_is_one_claim(extractor: OfflineExtractor) -> None:
    text = "The minister visited Paris, and later Rome, but never Berlin."
    assert [c.span.text for c in extractor.extract(Article(text=text)).claims] == [text]


def test_factual_quotes_with_figures_are_kept_with_their_speaker(
    extractor: OfflineExtractor,
) -> None:
    text = "“We have sent 5,000 soldiers to the front since May,” the general said."
    claims = extractor.extract(Article(text=text)).claims
    assert [c.span.text for c in claims] == [text]
    assert (
        claims[0].text == "The general said «We have sent 5,000 soldiers to the front since May»."
    )
    assert claims[0].kind == ClaimKind.ATTRIBUTED
    assert claims[0].attributed_to == "the general"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_empty_article_raises(extractor: OfflineExtractor, text: str) -> None:
    with pytest.raises(EmptyArticleError):
        extractor.extract(Article(text=text))


def test_threshold_filters_claims() -> None:
    embedder = FakeEmbedder()
    everything = OfflineExtractor(embedder, RuleScorer(), min_checkworthiness=0.0)
    nothing = OfflineExtractor(embedder, RuleScorer(), min_checkworthiness=1.0)
    strict = OfflineExtractor(embedder, RuleScorer(), sensitivity="strict")
    article = Article(text=ARTICLE)
    n_all = len(everything.extract(article).claims)
    assert n_all == len([d for d in draft_claims(ARTICLE) if not d.opinion])
    assert nothing.extract(article).claims == []
    assert strict.min_checkworthiness == 0.5
    assert all(c.checkworthiness >= 0.5 for c in strict.extract(article).claims)


def test_sensitivity_sets_the_threshold_and_all_keeps_opinion_quotes() -> None:
    embedder = FakeEmbedder()
    normal = OfflineExtractor(embedder, RuleScorer())
    every = OfflineExtractor(embedder, RuleScorer(), sensitivity="all")
    assert normal.min_checkworthiness == pytest.approx(0.5 * SENSITIVITY_FACTOR["normal"])
    assert 0.0 < normal.min_checkworthiness < 0.5
    assert every.min_checkworthiness == 0.0
    texts = " ".join(c.text for c in every.extract(Article(text=ARTICLE)).claims)
    assert "illusory calculations" in texts
    texts = " ".join(c.text for c in normal.extract(Article(text=ARTICLE)).claims)
    assert "illusory calculations" not in texts


def test_learned_model_scores_with_the_injected_embedder() -> None:
    embedder = FakeEmbedder()
    extractor = OfflineExtractor(embedder, _fake_model(embedder), sensitivity="strict")
    claims = extractor.extract(Article(text=ARTICLE)).claims
    assert claims
    assert extractor.min_checkworthiness == 0.5
    assert all(c.checkworthiness >= 0.5 for c in claims)


def test_model_for_another_embedder_is_a_config_error() -> None:
    model = _fake_model(FakeEmbedder())
    other = FakeEmbedder()
    other.name = "another-embedder"
    with pytest.raises(ConfigError, match="another-embedder"):
        OfflineExtractor(other, model)


def test_non_english_text_does_not_crash(extractor: OfflineExtractor) -> None:
    text = (
        "Der Bundestag hat am Donnerstag mit 400 Stimmen das Gesetz beschlossen. "
        "Госдума единогласно ратифицировала договор 24 октября. "
        "金砖国家于2009年成立，最初有四个成员国。"
    )
    for claim in extractor.extract(Article(text=text)).claims:
        assert claim.span.is_in(text)


def test_huge_article_completes() -> None:
    embedder = FakeEmbedder()
    extractor = OfflineExtractor(embedder, _fake_model(embedder))
    paragraph = (
        "The council approved 12 new schools in 2023, and the mayor opened three of them. "
        "I think that is wonderful.\n\n"
    )
    text = paragraph * 3_000  # ~330 KB: past the pysbd limit, so the regex splitter runs
    claims = extractor.extract(Article(text=text)).claims
    assert claims
    assert claims[-1].span.is_in(text)


def test_a_misread_aside_between_dashes_is_left_out_and_the_sentence_split():
    """spaCy takes "Brazil" of the aside for the subject of "has expanded": parsed again
    with the aside in parentheses, the sentence gives its two facts, spans in the article."""
    text = (
        "Starting in 2009 with four members – Brazil, Russia, India and China – Brics has"
        " expanded to include other emerging nations, including South Africa, Egypt and Iran."
    )
    drafts = {d.text: d for d in draft_claims(text)}
    started = "Brics started in 2009 with four members (Brazil, Russia, India and China)."
    assert set(drafts) == {
        started,
        "Brics has expanded to include other emerging nations, including South Africa,"
        " Egypt and Iran.",
    }
    assert [text[a:b] for a, b in drafts[started].pieces] == [
        "Brics",
        "Starting in 2009 with four members",
        "Brazil, Russia, India and China",
    ]


def test_an_aside_the_parser_reads_as_an_apposition_stays():
    text = "Ukraine's ally – the US – said on Wednesday that thousands of troops had arrived."
    assert [d.text for d in draft_claims(text)] == [text]
