"""Batch checking on the real offline stack: local worker processes and a local Ray
cluster give the same reports as the sequential run."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_batch import essence
from claims.models import Article, Report
from claims.settings import Settings
from ui import batch
from ui.cli import main as cli

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
ARTICLES = {
    "brics": "Brics began in 2009 with four members. South Africa joined the group in 2010.",
    "kazan": "The 2024 Brics summit was held in the Russian city of Kazan. "
    "UN Secretary-General Antonio Guterres attended the summit.",
    "duma": "Russia's lower house of parliament voted unanimously to ratify a defence pact "
    "with North Korea.",
    "empty": "  ",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("batch") / "home"
    pages = REPO / "benchmarks" / "data" / "brics_kb" / "pages.jsonl"
    assert cli.main(["--home", str(home), "ingest", str(pages), "--no-progress"]) == 0
    return home


@pytest.fixture(scope="module")
def articles() -> list[batch.BatchArticle]:
    return [batch.BatchArticle(i, Article(text=t)) for i, t in ARTICLES.items()]


@pytest.fixture(scope="module")
def sequential(home, articles, tmp_path_factory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sequential")
    settings = Settings.from_env(home=home)
    result = batch.run_batch(articles, out, settings, progress=False)
    assert result.n_failed_articles == 1  # the empty one
    return essence(out)


def test_sequential_batch_matches_single_checks(home, sequential, tmp_path, capsys):
    assert sequential["empty"][0] == "failed"
    assert all(sequential[i] for i in ("brics", "kazan", "duma")), "no claims extracted"
    assert {v[2] for claims in list(sequential.values())[:3] for v in claims} - {None}
    # the batch's report for an article is what `claimscope check --json` prints for it
    article = tmp_path / "duma.txt"
    article.write_text(ARTICLES["duma"], encoding="utf-8")
    assert cli.main(["--home", str(home), "check", str(article), "--json"]) == 0
    single = Report.model_validate_json(capsys.readouterr().out)
    assert [(r.claim.text, r.verdict.label) for r in single.claims if r.verdict] == [
        (text, label) for text, _, label, *_ in sequential["duma"]
    ]


def test_two_local_worker_processes_give_identical_reports(home, articles, sequential, tmp_path):
    settings = Settings.from_env(home=home)
    result = batch.run_batch(articles, tmp_path / "out", settings, workers=2, progress=False)
    assert result.checked == len(articles)
    assert essence(tmp_path / "out") == sequential


needs_ray = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None,
    reason="Ray is not installed (pip install 'claimscope[ray]'; `make test` installs it)",
)


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray cluster of 2 CPUs for this module's Ray tests."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@needs_ray
def test_ray_local_cluster_gives_identical_reports(
    home, articles, sequential, tmp_path, ray_cluster
):
    settings = Settings.from_env(home=home)
    result = batch.run_batch(
        articles, tmp_path / "out", settings, workers=2, ray_address="auto", progress=False
    )
    assert ray_cluster.is_initialized(), "the batch must leave a connection it did not open"
    assert result.checked == len(articles)
    assert essence(tmp_path / "out") == sequential


@needs_ray
def test_eval_on_ray_matches_the_local_run(tmp_path, ray_cluster, capsys):
    """Claims as tasks on Ray actors (oracle setting: the evidence travels with each claim;
    the open setting's actors read the run's store like the batch's actors above)."""
    setting = "oracle"
    from eval.datasets import write_dataset
    from tests.test_eval import toy_dataset

    folder = write_dataset(toy_dataset(), tmp_path / "toy")
    rows = {}
    for name, extra in (("local", []), ("ray", ["--ray", "auto", "--workers", "2"])):
        out = tmp_path / name
        argv = ["eval", str(folder), "--setting", setting, "--verifier", "nli", "--out", str(out)]
        assert cli.main([*argv, "--no-progress", *extra]) == 0, capsys.readouterr()
        (run_dir,) = out.iterdir()
        rows[name] = [
            {k: v for k, v in json.loads(line).items() if k not in ("timings", "latency_s")}
            for line in (run_dir / "results.jsonl").read_text().splitlines()
        ]
        rows[name + "-summary"] = json.loads((run_dir / "summary.json").read_text())
    assert len(rows["ray"]) == 20
    assert rows["ray"] == rows["local"]
    for key in ("accuracy", "macro_f1", "recall_at_5"):
        assert rows["ray-summary"].get(key) == rows["local-summary"].get(key)
