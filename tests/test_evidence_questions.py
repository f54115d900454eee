"""LLM-written search questions for evidence on demand: the real OpenAI client against
tests/openai_server.py, the real gatherer against tests/evidence_server.py and a real
Chroma store. Invalid answers are re-asked; an endpoint that fails leaves the offline
queries in use, said in a note on the claim."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from claims.factory import build_question_writer
from claims.settings import Settings
from retrieval import open_knowledge_base
from retrieval.embedder import default_embedder
from retrieval.gather import EvidenceGatherer, evidence_cutoff
from retrieval.queries import build_queries
from retrieval.sources import build_sources
from tests.evidence_server import EvidenceServer
from tests.openai_server import Fail, OpenAIServer, Recorded, rule_based_answer
from ui.cli import main as cli

pytestmark = pytest.mark.integration

SECRET = "sk-test-questions-0123456789"
CLAIM = "Russia's lower house of parliament voted to ratify a defence pact with North Korea."
QUESTIONS = [
    "Did the Russian State Duma ratify the defence treaty with North Korea?",
    "When did the Duma vote on the Russia North Korea strategic partnership treaty?",
]


def is_question_prompt(request: Recorded) -> bool:
    system = next((m for m in request.messages if m.get("role") == "system"), {})
    return "web-search questions" in str(system.get("content", ""))


def questions_or_rules(request: Recorded):
    if is_question_prompt(request):
        return {"questions": QUESTIONS}
    return rule_based_answer(request)


@pytest.fixture(scope="module")
def evidence():
    with EvidenceServer() as running:
        yield running


def settings_for(evidence: EvidenceServer, llm: OpenAIServer, home: Path, **extra) -> Settings:
    values = {
        "home": home,
        "llm": "openai",
        "openai_base_url": llm.base_url,
        "openai_api_key": SECRET,
        "model": "test-model",
        "llm_timeout_s": 5,
        "llm_max_retries": 1,
        "searxng_url": f"{evidence.url}/searxng",
        "fetch_allow_loopback": True,
        **extra,
    }
    return Settings.from_env({}, **values)


def gather(settings: Settings) -> tuple[EvidenceGatherer, object]:
    kb = open_knowledge_base(settings, default_embedder())
    gatherer = EvidenceGatherer(
        kb,
        build_sources(settings, "web"),
        settings,
        before=date(2024, 10, 25),
        questions=build_question_writer(settings),
    )
    return gatherer, kb


def searched(evidence: EvidenceServer, since: int) -> list[str]:
    return [r.query["q"][0] for r in evidence.requests[since:] if r.path.startswith("/searxng")]


def test_the_llm_questions_are_the_web_queries(evidence, tmp_path):
    with OpenAIServer(responder=questions_or_rules) as llm:
        settings = settings_for(evidence, llm, tmp_path)
        gatherer, _ = gather(settings)
        since = len(evidence.requests)
        found = gatherer.search(CLAIM, top_k=3)
        gatherer.close()
        asked = [r for r in llm.requests if is_question_prompt(r)]
    assert len(asked) == 1
    assert "<claim>" in asked[0].last_user and CLAIM in asked[0].last_user
    assert asked[0].headers["authorization"] == f"Bearer {SECRET}"
    assert searched(evidence, since) == QUESTIONS
    gathered = gatherer.gathered(CLAIM)
    assert gathered is not None and gathered.queries == QUESTIONS and gathered.notes == []
    assert gathered.usage.calls == 1 and gathered.usage.total_tokens > 0
    assert found and found[0].passage.url.endswith("/pages/duma-ratifies-north-korea-treaty")


def test_an_invalid_answer_is_re_asked(evidence, tmp_path):
    answers = [{"questions": []}, {"questions": ["   ", "x"]}, {"questions": QUESTIONS}]

    def responder(request: Recorded):
        return answers.pop(0) if is_question_prompt(request) else rule_based_answer(request)

    with OpenAIServer(responder=responder) as llm:
        settings = settings_for(evidence, llm, tmp_path, llm_max_retries=2)
        gatherer, _ = gather(settings)
        gatherer.search(CLAIM, top_k=3)
        gatherer.close()
        asked = [r for r in llm.requests if is_question_prompt(r)]
    assert len(asked) == 3
    assert "could not be used" in asked[1].last_user  # the re-ask says what was wrong
    gathered = gatherer.gathered(CLAIM)
    assert gathered is not None and gathered.queries == QUESTIONS and gathered.notes == []


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Fail(500, message="model overloaded"), "HTTP 500"),
        ({"questions": []}, "no valid SearchQuestions"),
        (Fail(garbage=True), ""),
    ],
)
def test_a_failing_llm_falls_back_to_the_offline_queries_with_a_note(
    evidence, tmp_path, answer, reason
):
    with OpenAIServer(responder=lambda request: answer) as llm:
        settings = settings_for(evidence, llm, tmp_path, llm_max_retries=1)
        gatherer, _ = gather(settings)
        since = len(evidence.requests)
        found = gatherer.search(CLAIM, top_k=3)
        gatherer.close()
    gathered = gatherer.gathered(CLAIM)
    assert gathered is not None
    assert gathered.queries == build_queries(CLAIM) == searched(evidence, since)
    notes = [n for n in gathered.notes if n.kind == "queries_offline"]
    assert len(notes) == 1 and "offline queries were used" in notes[0].message
    assert reason in notes[0].message and SECRET not in notes[0].message
    assert found  # the offline queries still found the page


def test_offline_mode_writes_no_questions(evidence, tmp_path):
    settings = Settings.from_env({}, home=tmp_path, llm="none")
    assert build_question_writer(settings) is None


def test_the_article_date_bounds_the_evidence(evidence):
    from claims.models import Article

    dated = Article(text="Title\nPublished 24 October 2024\nKAZAN – Mr Putin spoke.")
    assert evidence_cutoff(dated) == date(2024, 10, 25)
    assert evidence_cutoff(dated.model_copy(update={"published": date(2024, 1, 1)})) == date(
        2024, 1, 2
    )
    assert evidence_cutoff(Article(text="KAZAN – Mr Putin spoke on Oct 24.")) is None


def test_check_in_llm_mode_asks_questions_and_leaves_out_later_pages(
    evidence, tmp_path, monkeypatch, capsys
):
    article = tmp_path / "article.txt"
    article.write_text(
        "Duma backs pact\n\nPublished 24 October 2024\n\n"
        "Russia's lower house of parliament voted on 24 October 2024 to ratify a defence "
        "pact with North Korea, with 400 votes in favour.",
        encoding="utf-8",
    )
    with OpenAIServer(responder=questions_or_rules) as llm:
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        code = cli.main(
            [
                "--home",
                str(tmp_path / "home"),
                "--set",
                "llm=openai",
                "--set",
                f"openai_base_url={llm.base_url}",
                "--set",
                "model=test-model",
                "--set",
                f"searxng_url={evidence.url}/searxng",
                "--set",
                "fetch_allow_loopback=true",
                "check",
                str(article),
                "--search",
                "web",
                "--json",
            ]  # fmt: skip
        )
        asked = [r for r in llm.requests if is_question_prompt(r)]
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "article's date (2024-10-24) is left out" in captured.err
    report = json.loads(captured.out)
    assert report["claims"] and len(asked) == len(report["claims"])
    assert SECRET not in captured.out + captured.err
    cited = {
        e["passage"]["url"] for item in report["claims"] for e in item["evidence"] if e["passage"]
    }
    assert any(u.endswith("/pages/duma-ratifies-north-korea-treaty") for u in cited)
    # pages published after the article's date were never stored
    assert not any(u.endswith("kursk-deployment") for u in cited)
    for item in report["claims"]:
        assert item["usage"]["calls"] >= 2  # the questions count towards the claim's usage


def test_the_cutoff_reads_an_html_articles_metadata(tmp_path, capsys):
    from claims.models import Article
    from ui.cli.search import cutoff

    page = tmp_path / "article.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="2024-10-23T06:00:00Z">'
        "</head><body><p>Mr Putin spoke on Oct 24.</p></body></html>",
        encoding="utf-8",
    )
    article = Article(text="Mr Putin spoke on Oct 24.", source=str(page))
    settings = Settings.from_env({})
    assert cutoff(article, None, settings) == date(2024, 10, 24)
    assert "article's date (2024-10-23)" in capsys.readouterr().err
    assert cutoff(article, date(2020, 1, 1), settings) == date(2020, 1, 1)  # --before wins
    later = settings.with_overrides(evidence_include_later=True)
    assert cutoff(article, None, later) is None
    assert (
        cutoff(Article(text="No date.", source=str(tmp_path / "gone.html")), None, settings) is None
    )


def search_command(llm: OpenAIServer, evidence: EvidenceServer, home: Path, *extra: str) -> int:
    """`claimscope search CLAIM --sources web --json` in the openai mode against the loopback
    LLM and evidence servers."""
    return cli.main(
        [
            "--home", str(home),
            "--set", "llm=openai",
            "--set", f"openai_base_url={llm.base_url}",
            "--set", "model=test-model",
            *extra,
            "--set", f"searxng_url={evidence.url}/searxng",
            "--set", "fetch_allow_loopback=true",
            "search", CLAIM, "--sources", "web", "--json",
        ]
    )  # fmt: skip


def test_search_command_in_llm_mode_asks_the_llm_questions(evidence, tmp_path, monkeypatch, capsys):
    with OpenAIServer(responder=questions_or_rules) as llm:
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        since = len(evidence.requests)
        code = search_command(llm, evidence, tmp_path / "home")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    (row,) = json.loads(captured.out)
    assert row["queries"] == QUESTIONS
    assert searched(evidence, since) == QUESTIONS
    assert SECRET not in captured.out + captured.err


def test_search_command_falls_back_to_offline_queries_with_a_note(
    evidence, tmp_path, monkeypatch, capsys
):
    with OpenAIServer(responder=lambda request: Fail(500, message="down")) as llm:
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        code = search_command(llm, evidence, tmp_path / "home", "--set", "llm_max_retries=0")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    (row,) = json.loads(captured.out)
    assert row["queries"] and row["queries"] != QUESTIONS
    assert "offline queries were used" in captured.err
    assert SECRET not in captured.out + captured.err
