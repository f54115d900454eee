"""Batch checking (ui/batch.py, `claimscope check` with several inputs): inputs, the
output folder, failures, resuming; scripted models here, the real stack in
test_batch_parallel.py."""

from __future__ import annotations

import csv
import json

import pytest

from claims.errors import InputError
from claims.models import Article, Report
from claims.settings import Settings
from ui import batch
from ui.cli import main as cli

FAKES = {"CLAIMSCOPE_APP_SERVICES": "tests.batch_fakes"}


@pytest.fixture
def fake_settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key, value in FAKES.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env()


def items(*texts: str) -> list[batch.BatchArticle]:
    return [batch.BatchArticle(f"a{i}", Article(text=t)) for i, t in enumerate(texts)]


def test_articles_from_paths_walks_folders_and_keeps_unreadable_files_as_failed(tmp_path):
    folder = tmp_path / "feed"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("Kazan hosted the summit.", encoding="utf-8")
    (folder / "sub" / "two.md").write_text("# Two\n\nBrics began in 2009.", encoding="utf-8")
    (folder / "sub" / "bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    (folder / "notes.jsonl").write_text("{}", encoding="utf-8")  # not an article file
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    lone = tmp_path / "one.txt"
    lone.write_text("Another file with the same name.", encoding="utf-8")

    found = batch.articles_from_paths([folder, lone])
    assert [a.id for a in found] == [
        "feed/one.txt",
        "feed/sub/bad.txt",
        "feed/sub/two.md",
        "one.txt",
    ]
    bad = found[1]
    assert bad.article is None and bad.error
    assert found[2].article is not None and found[2].article.title == "Two"
    # a second file of the same id gets a suffix
    again = batch.articles_from_paths([lone, lone])
    assert [a.id for a in again] == ["one.txt", "one.txt#2"]
    with pytest.raises(InputError, match="no such file"):
        batch.articles_from_paths([tmp_path / "missing"])


def test_articles_from_jsonl_reads_fields_and_refuses_bad_lines(tmp_path):
    good = tmp_path / "articles.jsonl"
    good.write_text(
        json.dumps(
            {
                "id": "n1",
                "text": "Kazan hosted it.",
                "title": "T",
                "url": "https://x.test/1",
                "date": "2024-10-25",
            }
        )
        + "\n\n"
        + json.dumps({"id": 7, "text": ""})
        + "\n",
        encoding="utf-8",
    )
    first, second = batch.articles_from_jsonl(good)
    assert first.id == "n1" and first.article is not None
    assert first.article.title == "T" and first.article.source == "https://x.test/1"
    assert str(first.article.published) == "2024-10-25"
    assert second.id == "7" and second.article is not None and second.article.text == ""

    for body, message in [
        ('{"id": "a", "text": "x"}\nnot json\n', "line 2: not JSON"),
        ('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "appears twice"),
        ('{"text": "x"}\n', "'id' must be"),
        ('{"id": "a", "text": 3}\n', "'text' must be"),
        ('{"id": "a", "text": "x", "date": "soon"}\n', "'date' must be"),
        ("\n", "no articles"),
    ]:
        bad = tmp_path / "bad.jsonl"
        bad.write_text(body, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            batch.articles_from_jsonl(bad)


def test_batch_writes_reports_summary_and_records_failures(tmp_path, fake_settings):
    articles = [
        *items("Kazan hosted the summit. Brics began in 2009.", "The STOREDOWN claim. A fine one."),
        batch.BatchArticle("exploding", Article(text="EXPLODE now.")),
        batch.BatchArticle("empty", Article(text="   ")),
        batch.BatchArticle("unreadable", None, "UnsupportedFileError: binary file"),
        batch.BatchArticle("odd/../id with spaces", Article(text="One claim.")),
    ]
    out = tmp_path / "out"
    result = batch.run_batch(articles, out, fake_settings, progress=False)

    assert result.checked == 6 and result.skipped == 0
    assert result.n_failed_articles == 3 and result.n_failed_claims == 1
    assert result.exit_code == 1
    rows = {r["id"]: r for r in batch.read_summary(out)}
    assert list(rows) == [a.id for a in articles]  # input order
    assert rows["a0"] | {"report": ""} == {
        "id": "a0",
        "status": "done",
        "title": "",
        "claims": 2,
        "supported": 2,
        "refuted": 0,
        "not_enough_info": 0,
        "conflicting": 0,
        "failed_claims": 0,
        "error": "",
        "report": "",
    }
    assert rows["a1"]["failed_claims"] == 1 and rows["a1"]["supported"] == 1
    for failed, error in [
        ("exploding", "ModelError: the extractor gave up"),
        ("empty", "EmptyArticleError"),
        ("unreadable", "UnsupportedFileError"),
    ]:
        assert rows[failed]["status"] == "failed" and rows[failed]["report"] == ""
        assert rows[failed]["error"].startswith(error)
        assert rows[failed]["claims"] == 0 and rows[failed]["supported"] == 0
    # every report is the `check --json` format, inside reports/, named safely
    for row in rows.values():
        if row["status"] == "done":
            path = out / row["report"]
            assert path.parent == out / "reports"
            report = Report.model_validate_json(path.read_text(encoding="utf-8"))
            assert len(report.claims) == row["claims"]
    odd = rows["odd/../id with spaces"]["report"].removeprefix("reports/")
    assert "/" not in odd and " " not in odd
    # the CSV holds the same rows
    with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert [r["id"] for r in csv_rows] == list(rows)
    assert csv_rows[1]["failed_claims"] == "1"
    # no temporary files are left, and the batch is listed for the app
    assert not [p for p in out.rglob("*.tmp")]
    assert [b["out_dir"] for b in batch.known_batches(fake_settings)] == [str(out.resolve())]


def test_resume_skips_finished_articles_and_redoes_the_rest(tmp_path, fake_settings):
    articles = items("First claim.", "Second claim.", "Third claim.")
    out = tmp_path / "out"
    batch.run_batch(articles, out, fake_settings, progress=False)
    reports = {r["id"]: out / r["report"] for r in batch.read_summary(out)}
    kept = reports["a0"].read_text(encoding="utf-8")

    # An interruption: a2's report was half-written (no manifest line, a torn tmp file),
    # a1 never started, and the manifest's last line is torn.
    manifest = (out / batch.MANIFEST).read_text(encoding="utf-8").splitlines()
    (out / batch.MANIFEST).write_text(manifest[0] + "\n" + manifest[1][:20], encoding="utf-8")
    reports["a2"].write_text('{"article": {"te', encoding="utf-8")
    (out / "reports" / ".x.json.123.tmp").write_text("{", encoding="utf-8")

    result = batch.run_batch(articles, out, fake_settings, progress=False)  # resumes by default
    assert (result.skipped, result.checked) == (1, 2)
    assert reports["a0"].read_text(encoding="utf-8") == kept  # not checked again
    Report.model_validate_json(reports["a2"].read_text(encoding="utf-8"))  # rewritten whole
    assert [r["status"] for r in batch.read_summary(out)] == ["done"] * 3

    # --no-resume starts over
    again = batch.run_batch(articles, out, fake_settings, resume=False, progress=False)
    assert (again.skipped, again.checked) == (0, 3)
    assert reports["a0"].read_text(encoding="utf-8") != kept  # a new report (new created_at)


def test_failed_articles_are_retried_on_resume(tmp_path, fake_settings):
    out = tmp_path / "out"
    first = batch.run_batch(items("Fine.", "EXPLODE."), out, fake_settings, progress=False)
    assert first.exit_code == 1
    fixed = items("Fine.", "Now it is fine.")
    second = batch.run_batch(fixed, out, fake_settings, progress=False)
    assert (second.skipped, second.checked, second.exit_code) == (1, 1, 0)


def test_read_report_stays_inside_the_batch_folder(tmp_path, fake_settings):
    out = tmp_path / "out"
    batch.run_batch(items("A claim."), out, fake_settings, progress=False)
    row = batch.read_summary(out)[0]
    assert batch.read_report(out, row).claims
    with pytest.raises(InputError):
        batch.read_report(out, row | {"report": "../../etc/passwd"})
    with pytest.raises(InputError):
        batch.read_report(out, row | {"report": ""})


def test_cli_batch_of_files_and_jsonl(tmp_path, fake_settings, capsys):
    one = tmp_path / "one.txt"
    one.write_text("Kazan hosted the summit.", encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "n1", "text": "A claim. EXPLODE."}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = cli.main(["check", str(one), "--batch", str(feed), "--out", str(out), "--no-progress"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "2 articles (2 checked, 0 already done), 1 failed" in printed
    assert "FAILED n1: ModelError" in printed
    assert [r["id"] for r in batch.read_summary(out)] == ["one.txt", "n1"]
    # again: resumes (the manifest is there), the failed one is retried
    code = cli.main(["check", str(one), "--batch", str(feed), "--out", str(out), "--no-progress"])
    assert code == 1 and "(1 checked, 1 already done)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "a.txt", "b.txt"], "give --out DIR"),
        (["check", "--out", "o"], "give an article file"),
        (["check", "a.txt", "--out", "o", "--json"], "--json applies to one article"),
        (["check", "a.txt", "--out", "o", "--claim", "x"], "--claim applies to one article"),
        (["check", "-", "--out", "o"], "standard input"),
    ],
)
def test_cli_batch_refuses_single_article_options(argv, message, fake_settings, capsys):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_ray_without_ray_installed_says_how_to_install(
    tmp_path, fake_settings, capsys, monkeypatch
):
    import builtins

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    one = tmp_path / "one.txt"
    one.write_text("A claim.", encoding="utf-8")
    code = cli.main(
        ["check", str(one), "--out", str(tmp_path / "o"), "--ray", "local", "--no-progress"]
    )
    assert code == 2
    assert "pip install 'claimscope[ray]'" in capsys.readouterr().err


def test_embedded_store_only_on_a_one_machine_cluster_here():
    from claims.errors import ConfigError
    from ui.batch_ray import require_one_machine, single_local_node

    here = {"Alive": True, "NodeManagerAddress": "10.0.0.1"}
    other = {"Alive": True, "NodeManagerAddress": "10.0.0.2"}
    dead = {"Alive": False, "NodeManagerAddress": "10.0.0.2"}
    assert single_local_node([here, dead], "10.0.0.1")
    assert not single_local_node([here, other], "10.0.0.1")
    assert not single_local_node([other], "10.0.0.1")
    require_one_machine([here], "10.0.0.1")
    with pytest.raises(ConfigError, match="--chroma-url"):
        require_one_machine([here, other], "10.0.0.1")


def test_default_batch_path_does_not_import_ray():
    import subprocess
    import sys

    code = (
        "import sys, ui.batch, ui.cli.main, ui.cli.check; "
        "sys.exit(1 if 'ray' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_that_cannot_start_stop_the_batch_with_the_reason(tmp_path, workers):
    from claims.errors import ClaimscopeError

    settings = Settings.from_env(app_services="tests.no_such_wiring")
    with pytest.raises(ClaimscopeError, match="no_such_wiring.*cannot be imported"):
        batch.run_batch(
            items("A.", "B."), tmp_path / "out", settings, workers=workers, progress=False
        )
    assert not (tmp_path / "out" / batch.MANIFEST).exists()  # nothing was recorded
