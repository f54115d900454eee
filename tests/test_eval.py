"""The eval runner, reports, comparison and the ``claimscope eval`` command.

The end-to-end tests run the real offline pipeline (MiniLM embedder, a fresh
embedded Chroma store, the baseline verifier) on a 20-claim dataset written in
the generic format, so they need no shared data.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from claims.models import Claim, Evidence, Label, Verdict
from eval import report, runner
from eval.datasets import CorpusDoc, Dataset, EvalClaim, GoldEvidence, write_dataset
from tests.fakes import FakeEmbedder, FakeExtractor, FakeRetriever, FakeVerifier
from ui.cli.main import main

HEADLINE = {
    "accuracy", "macro_f1", "per_class", "ece", "recall_at_5", "mrr",
    "latency_p50_s", "latency_p95_s", "n", "n_failed",
}  # fmt: skip

DOCS = {
    "tower": ("Eiffel Tower", ["The Eiffel Tower is in Paris.", "It was completed in 1889.",
                               "The tower is 330 metres tall."]),
    "moon": ("Moon landing", ["Apollo 11 landed on the Moon in 1969.",
                              "Neil Armstrong was the first person to walk on the Moon."]),
    "water": ("Water", ["Water boils at 100 degrees Celsius at sea level.",
                        "Water freezes at 0 degrees Celsius."]),
    "python": ("Python", ["Python was created by Guido van Rossum.",
                          "Python was first released in 1991."]),
    "everest": ("Everest", ["Mount Everest is the highest mountain on Earth.",
                            "Its summit is 8,849 metres above sea level."]),
    "amazon": ("Amazon", ["The Amazon rainforest spans nine countries.",
                          "Most of the Amazon rainforest lies in Brazil."]),
    "bees": ("Honey bees", ["Honey bees live in colonies with a single queen.",
                            "A worker bee lives about six weeks in summer."]),
    "light": ("Light", ["Light travels at about 300,000 kilometres per second in a vacuum."]),
}  # fmt: skip
S, R, N = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"
CLAIMS = [
    ("The Eiffel Tower is located in Paris.", S, "tower", [0]),
    ("The Eiffel Tower was completed in 1889.", S, "tower", [1]),
    ("Apollo 11 landed on the Moon in 1969.", S, "moon", [0]),
    ("Water boils at 100 degrees Celsius at sea level.", S, "water", [0]),
    ("Guido van Rossum created Python.", S, "python", [0]),
    ("Mount Everest is the highest mountain on Earth.", S, "everest", [0]),
    ("Most of the Amazon rainforest is in Brazil.", S, "amazon", [1]),
    ("Honey bee colonies have a single queen.", S, "bees", [0]),
    ("The Eiffel Tower was completed in 1925.", R, "tower", [1]),
    ("Apollo 11 landed on the Moon in 1972.", R, "moon", [0]),
    ("Python was first released in 2005.", R, "python", [1]),
    ("The summit of Everest is 5,000 metres above sea level.", R, "everest", [1]),
    ("Water freezes at 20 degrees Celsius.", R, "water", [1]),
    ("The Amazon rainforest spans two countries.", R, "amazon", [0]),
    ("The Great Wall of China is visible from space.", N, None, []),
    ("Chess was invented in India.", N, None, []),
    ("Coffee is the most traded commodity after oil.", N, None, []),
    ("The Nile is longer than the Amazon river.", N, None, []),
    ("Octopuses have three hearts.", N, None, []),
    ("Bananas are berries.", N, None, []),
]


def toy_dataset() -> Dataset:
    corpus = [CorpusDoc(id=k, title=t, text=" ".join(s), sentences=s) for k, (t, s) in DOCS.items()]
    claims = [
        EvalClaim(id=f"c{i:02d}", claim=text, label=Label(label),
                  evidence=[GoldEvidence(doc_id=doc, sentences=idx)] if doc else [])
        for i, (text, label, doc, idx) in enumerate(CLAIMS)
    ]  # fmt: skip
    return Dataset("toy", claims, corpus)


@pytest.fixture
def toy_folder(tmp_path: Path) -> Path:
    return write_dataset(toy_dataset(), tmp_path / "toy")


class CountingVerifier:
    """Wraps a verifier, records the claims it saw, and can stop the run like a kill."""

    def __init__(self, inner, *, interrupt_at: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.seen: list[str] = []
        self.interrupt_at = interrupt_at

    def verify(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        if self.interrupt_at is not None and len(self.seen) + 1 == self.interrupt_at:
            raise KeyboardInterrupt  # what Ctrl-C or a kill signal handler raises mid-run
        self.seen.append(claim.id)
        return self.inner.verify(claim, evidence)


# ------------------------------------------------------------------ unit (fakes)


def test_evaluate_records_failures_as_wrong_and_keeps_going() -> None:
    data = toy_dataset()
    claims = data.claims[:4]
    written = []
    results = runner.evaluate(
        claims, verifier=FakeVerifier(fail_on="Apollo"), setting="open", dataset=data,
        retriever=FakeRetriever(["Some passage."]), on_result=written.append, progress=False,
    )  # fmt: skip
    assert [r.id for r in results] == [c.id for c in claims] and written == results
    failed = [r for r in results if r.error]
    assert len(failed) == 1 and failed[0].error.error == "EndpointError"
    assert failed[0].predicted is None and failed[0].correct is False
    summary = report.verification_summary([r.model_dump(mode="json") for r in results])
    assert summary["n"] == 4 and summary["n_failed"] == 1
    assert summary["accuracy"] == pytest.approx(3 / 4)  # three SUPPORTED golds predicted SUPPORTED
    assert summary["failed"][0]["id"] == failed[0].id
    assert summary["confusion_matrix"][S]["FAILED"] == 1


def test_oracle_gives_the_gold_sentences_as_best() -> None:
    data = toy_dataset()
    seen: dict[str, list[Evidence]] = {}

    class Recorder(FakeVerifier):
        def verify(self, claim, evidence):
            seen[claim.id] = list(evidence)
            return super().verify(claim, evidence)

    results = runner.evaluate(
        data.claims, verifier=Recorder(), setting="oracle", dataset=data, progress=False
    )
    tower = seen["c01"][0]
    assert tower.passage.doc_id == "tower" and tower.best_sentences == [1]
    assert tower.passage.sentences[1].text == "It was completed in 1889."
    assert seen["c14"] == []  # no gold evidence, no cited documents
    assert all(r.setting == "oracle" for r in results)


def test_skip_resumes_without_redoing() -> None:
    data = toy_dataset()
    verifier = CountingVerifier(FakeVerifier())
    done = {c.id for c in data.claims[:5]}
    runner.evaluate(
        data.claims, verifier=verifier, setting="oracle", dataset=data, skip=done, progress=False
    )
    assert verifier.seen == [c.id for c in data.claims[5:]]


def test_checkworthiness_evaluation_with_a_fake_extractor() -> None:
    from eval.datasets import CheckworthySentence
    from eval.extraction import evaluate_checkworthiness

    sentences = [
        CheckworthySentence(id="1", text="Taxes rose by 5 percent.", checkworthy=True),
        CheckworthySentence(id="2", text="Thank you all", checkworthy=False),  # no '.', no claim
        CheckworthySentence(id="3", text="I love this town.", checkworthy=False),
        CheckworthySentence(id="4", text="nothing here", checkworthy=True),
    ]
    results = evaluate_checkworthiness(
        sentences, settings=None, embedder=FakeEmbedder(), extractor=FakeExtractor(), progress=False
    )
    summary = report.checkworthiness_summary([r.model_dump(mode="json") for r in results])
    assert (summary["precision"], summary["recall"]) == (pytest.approx(0.5), pytest.approx(0.5))
    assert summary["n"] == 4 and summary["n_failed"] == 0


# ------------------------------------------------------------------ end to end (real offline pipeline)


def _run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["eval", *argv, "--no-progress"])
    return code, capsys.readouterr().out


@pytest.mark.integration
def test_eval_end_to_end_open_and_oracle_then_compare(
    toy_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "runs"
    runs = {}
    for setting in ("open", "oracle"):
        code, printed = _run_cli(capsys, str(toy_folder), "--setting", setting, "--verifier", "baseline",
                                 "--out", str(out))  # fmt: skip
        assert code == 0, printed
        (run_dir,) = [p for p in out.iterdir() if p.name.endswith(f"-toy-{setting}")]
        runs[setting] = run_dir
        names = {p.name for p in run_dir.iterdir()}
        assert {"run.json", "results.jsonl", "summary.json", "report.md", "confusion_matrix.png",
                "reliability_diagram.png", "latency_histogram.png"} <= names  # fmt: skip
        assert "kb" not in names  # the run's own store is removed once the run is complete
        summary = json.loads((run_dir / "summary.json").read_text())
        assert HEADLINE <= summary.keys()
        assert summary["n"] == 20 and summary["n_failed"] == 0
        rows = [json.loads(line) for line in (run_dir / "results.jsonl").read_text().splitlines()]
        assert sorted(r["id"] for r in rows) == sorted(f"c{i:02d}" for i in range(20))
        assert summary["accuracy"] == pytest.approx(sum(r["correct"] for r in rows) / 20)
        repro = summary["reproducibility"]
        assert (
            repro["dataset_hash"]
            and repro["model_hashes"]
            and "openai_api_key" not in repro["settings"]
        )
        assert "## Headline" in (run_dir / "report.md").read_text()
        assert (run_dir / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"

    open_summary = json.loads((runs["open"] / "summary.json").read_text())
    oracle_summary = json.loads((runs["oracle"] / "summary.json").read_text())
    # the corpus is tiny and on distinct topics: retrieval finds the gold document for most claims
    assert open_summary["recall_at_5"] >= 0.9 and open_summary["mrr"] >= 0.8
    assert oracle_summary["recall_at_5"] is None and oracle_summary["mrr"] is None

    code, first = _run_cli(
        capsys, "compare", str(runs["open"]), str(runs["oracle"]), "--resamples", "200"
    )
    assert code == 0 and "20 shared examples" in first and "accuracy" in first and "CI" in first
    _, again = _run_cli(
        capsys, "compare", str(runs["open"]), str(runs["oracle"]), "--resamples", "200"
    )
    assert again == first  # seeded bootstrap

    # the report is rebuilt from results.jsonl alone
    before = json.loads((runs["open"] / "summary.json").read_text())
    for name in ("summary.json", "report.md", "confusion_matrix.png"):
        (runs["open"] / name).unlink()
    assert report.main([str(runs["open"])]) == 0
    assert json.loads((runs["open"] / "summary.json").read_text())["accuracy"] == before["accuracy"]


@pytest.mark.integration
def test_a_killed_run_resumes_without_redoing_examples(
    toy_folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claims.settings import Settings
    from claims.verify_baseline import BaselineVerifier
    from retrieval.embedder import default_embedder

    settings = Settings.from_env()
    run_dir = runner.start_run(str(toy_folder), settings=settings, data_dir=tmp_path, out=tmp_path / "runs",
                               setting="open", limit=12, seed=5)  # fmt: skip
    first = CountingVerifier(BaselineVerifier(default_embedder()), interrupt_at=6)
    with pytest.raises(KeyboardInterrupt):
        runner.execute(run_dir, settings, verifier=first, progress=False)
    assert len(first.seen) == 5
    results = run_dir / "results.jsonl"
    assert len(results.read_text().splitlines()) == 5
    assert not (run_dir / "summary.json").exists()
    with results.open("a") as handle:
        handle.write('{"id": "c1')  # a line cut short by the kill

    second = CountingVerifier(BaselineVerifier(default_embedder()))
    monkeypatch.setattr(runner, "build_verifier", lambda *args, **kwargs: second)
    code, printed = _run_cli(capsys, "--resume", str(run_dir))
    assert code == 0, printed
    assert len(second.seen) == 7 and not set(second.seen) & set(first.seen)
    rows = [json.loads(line) for line in results.read_text().splitlines()]
    planned = json.loads((run_dir / "run.json").read_text())["ids"]
    assert sorted(r["id"] for r in rows) == sorted(planned) and len(planned) == 12
    assert Counter(r["gold"] for r in rows) == {S: 5, N: 4, R: 3}  # stratified 12 of 8/6/6
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["n"] == 12 and summary["run"]["complete"] and summary["run"]["sessions"] == 2


def test_eval_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "no-such-dataset", "--data-dir", str(tmp_path)]) == 2
    assert "unknown dataset" in capsys.readouterr().err
    assert main(["eval", "scifact", "--data-dir", str(tmp_path)]) == 2
    assert "claimscope eval fetch scifact" in capsys.readouterr().err
    assert main(["eval", "compare", str(tmp_path)]) == 2
    assert main(["eval", "--resume", str(tmp_path)]) == 2
    assert "not a run folder" in capsys.readouterr().err


def test_eval_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "list"]) == 0
    listed = capsys.readouterr().out
    assert "scifact" in listed and "claimbuster" in listed


def test_checkworthiness_run_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from claims import factory
    from eval.datasets import CheckworthinessSet, CheckworthySentence, write_checkworthiness

    sentences = [
        CheckworthySentence(id=str(i), text=text, checkworthy=label)
        for i, (text, label) in enumerate(
            [("Taxes rose by 5 percent.", True), ("Thank you all", False),
             ("Crime fell in 2019.", True), ("Good evening", False)]
        )
    ]  # fmt: skip
    folder = write_checkworthiness(CheckworthinessSet("cw", sentences), tmp_path / "cw")
    monkeypatch.setattr(factory, "build_extractor", lambda settings, embedder: FakeExtractor())
    code, printed = _run_cli(capsys, str(folder), "--out", str(tmp_path / "runs"))
    assert code == 0, printed
    (run_dir,) = (tmp_path / "runs").iterdir()
    assert run_dir.name.endswith("-cw-extract")
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["task"] == "checkworthiness"
    assert (summary["precision"], summary["recall"], summary["f1"]) == (1.0, 1.0, 1.0)
    assert summary["n"] == 4 and "precision=1.0000" in printed
