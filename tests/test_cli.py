"""The `claimscope` command line on the real offline stack (embedded Chroma, MiniLM)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ui.cli import main as cli

pytestmark = pytest.mark.integration

SOURCES = {
    "brics.txt": (
        "Brics is a group of emerging economies. Brics began in 2009 with four members: "
        "Brazil, Russia, India and China. South Africa joined the group in 2010."
    ),
    "kazan.md": (
        "# Kazan summit\n\nThe 2024 Brics summit was held in the Russian city of Kazan. "
        "Russia's lower house of parliament voted unanimously to ratify a defence pact with North Korea."
    ),
}
ARTICLE = (
    "Brics began in 2009 with four members. The group held its 2024 summit in Kazan. "
    "Russia's lower house voted unanimously to ratify a defence pact with North Korea."
)


@pytest.fixture(scope="module")
def kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ingested knowledge base shared by the read-only tests of this module."""
    root = tmp_path_factory.mktemp("cli")
    sources = root / "sources"
    sources.mkdir()
    for name, text in SOURCES.items():
        (sources / name).write_text(text, encoding="utf-8")
    home = root / "home"
    assert cli.main(["--home", str(home), "ingest", str(sources), "--no-progress"]) == 0
    return home


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_json_report_has_exact_spans_and_verdicts(kb_home, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(capsys, "--home", str(kb_home), "check", str(article), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["claims"], "the offline extractor found no claims"
    for item in report["claims"]:
        span = item["claim"]["span"]
        assert ARTICLE[span["start"] : span["end"]] == span["text"]
        assert {"text", "kind", "checkworthiness"} <= item["claim"].keys()
        assert item["verdict"]["label"] in {
            "SUPPORTED",
            "REFUTED",
            "NOT_ENOUGH_INFO",
            "CONFLICTING",
        }
        assert item["evidence"], "every claim should have retrieved evidence"
    founding = [c for c in report["claims"] if "2009" in c["claim"]["text"]]
    assert founding and founding[0]["evidence"][0]["passage"]["source"].endswith("brics.txt")


def test_check_reads_standard_input_and_prints_readable_output(kb_home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(ARTICLE))
    code, out, _ = run(capsys, "--home", str(kb_home), "check", "-")
    assert code == 0
    assert "claim:" in out and "2009" in out


def test_kb_stats_and_sources(kb_home, capsys):
    code, out, _ = run(capsys, "--home", str(kb_home), "kb", "stats")
    assert code == 0 and "passages" in out
    code, out, _ = run(capsys, "--home", str(kb_home), "kb", "sources")
    assert code == 0 and "brics.txt" in out and "kazan.md" in out


def test_kb_remove_source(tmp_path, capsys):
    source = tmp_path / "one.txt"
    source.write_text("The river Kazanka flows through Kazan.", encoding="utf-8")
    home = str(tmp_path / "home")
    assert run(capsys, "--home", home, "ingest", str(source), "--no-progress")[0] == 0
    code, out, _ = run(capsys, "--home", home, "kb", "remove", str(source.resolve()))
    assert code == 0 and "removed" in out
    code, _, err = run(capsys, "--home", home, "kb", "remove", "no-such-source")
    assert code == 2 and "no source named" in err


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("claimscope: error:")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("Caf\u00e9 cr\u00e8me co\u00fbte 3 euros.".encode("latin-1"), "UTF-8"),
    ],
    ids=["empty", "whitespace", "binary", "latin-1"],
)
def test_bad_article_files_exit_2_with_one_line(tmp_path, capsys, content, expected):
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    code, out, err = run(capsys, "check", str(article))
    assert code == 2 and out == ""
    assert expected.lower() in _one_line_error(err).lower()


def test_huge_article_exits_2(tmp_path, capsys):
    article = tmp_path / "huge.txt"
    article.write_text(
        "Brics began in 2009 with four members. " * 140_000, encoding="utf-8"
    )  # ~5.3 MB
    code, _, err = run(capsys, "check", str(article))
    assert code == 2 and "limit" in _one_line_error(err)


def test_missing_path_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "check", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in _one_line_error(err)
    code, _, err = run(capsys, "ingest", str(tmp_path / "nope"), "--no-progress")
    assert code == 2 and "nope" in _one_line_error(err)


def test_unwritable_store_exits_2(tmp_path, capsys):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    source = tmp_path / "s.txt"
    source.write_text("Kazan is a city in Russia.", encoding="utf-8")
    code, _, err = run(capsys, "--home", str(blocker), "ingest", str(source), "--no-progress")
    assert code == 2 and _one_line_error(err)


def test_bad_setting_exits_2(capsys, monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_TOP_K", "lots")
    code, _, err = run(capsys, "kb", "stats")
    assert code == 2 and "top_k" in _one_line_error(err)


def test_api_key_is_redacted_from_errors():
    from claims.settings import Settings

    settings = Settings(openai_api_key="sk-very-secret")
    line = cli.error_line("failed with key sk-very-secret\nagain at http://u:pw@h/", settings)
    assert line == "failed with key *** again at http://***@h/"


def test_check_adds_a_persons_claim_and_takes_sensitivity_and_date(kb_home, tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(
        capsys, "--home", str(kb_home), "check", str(article), "--json",
        "--sensitivity", "all", "--date", "2024-10-24",
        "--claim", "South Africa joined Brics in 2010.",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    added = [c for c in report["claims"] if c["claim"]["added_by"] == "person"]
    assert [c["claim"]["text"] for c in added] == ["South Africa joined Brics in 2010."]
    assert added[0]["verdict"]["label"] in {
        "SUPPORTED",
        "REFUTED",
        "NOT_ENOUGH_INFO",
        "CONFLICTING",
    }
    assert report["article"]["published"] == "2024-10-24"
    assert len(report["claims"]) > len(added)


def test_readme_quickstart_runs_as_shown(tmp_path, capsys):
    """README.md's quickstart, on its files in docs/quickstart/: the claims and spans it
    shows, and the refutation that rests on a specific conflict (2010 against 2015)."""
    repo = Path(__file__).resolve().parent.parent
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "claimscope ingest docs/quickstart/sources/" in readme
    assert "claimscope check docs/quickstart/article.txt" in readme
    home = str(tmp_path / "home")
    sources = repo / "docs" / "quickstart" / "sources"
    code, _, _ = run(capsys, "--home", home, "ingest", str(sources), "--no-progress")
    assert code == 0
    article = repo / "docs" / "quickstart" / "article.txt"
    code, out, _ = run(capsys, "--home", home, "check", str(article), "--json")
    assert code == 0
    claims = {c["claim"]["text"]: c for c in json.loads(out)["claims"]}
    for text, (start, end) in {
        "Brics began in 2009 with four members.": (51, 89),
        "South Africa joined the group in 2015.": (90, 128),
        "Russia's parliament ratified a defence treaty with North Korea.": (129, 192),
    }.items():
        span = claims[text]["claim"]["span"]
        assert (span["start"], span["end"]) == (start, end)
        assert f"[chars {start}-{end}," in readme
    assert claims["South Africa joined the group in 2015."]["verdict"]["label"] == "REFUTED"


def test_an_html_articles_own_date_makes_relative_dates_absolute(kb_home, tmp_path, capsys):
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Duma vote</title>"
        '<meta property="article:published_time" content="2024-10-24T10:00:00Z"></head>'
        "<body><article><h1>Duma vote</h1><p>Russian lawmakers voted on Oct 24 to ratify "
        "a defence treaty with North Korea, the Duma said.</p></article></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--home", str(kb_home), "check", str(page), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["article"]["published"] == "2024-10-24"
    texts = [c["claim"]["text"] for c in report["claims"]]
    assert any("24 October 2024" in t for t in texts), texts
    assert not any("Oct 24" in t for t in texts), texts
