"""eval/bench_retrieval on a tiny SciFact-shaped folder, and its loaders on the real files."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED_DATA, require_shared

from benchmarks import bench_retrieval
from eval.datasets import scifact

CORPUS = [
    {
        "doc_id": 11,
        "title": "Brics history",
        "abstract": ["Brics began in 2009 with four members.", "South Africa joined in 2010."],
    },
    {"doc_id": 12, "title": "Kazan", "abstract": ["The 2024 Brics summit was held in Kazan."]},
    {"doc_id": 13, "title": "Cells", "abstract": ["Stem cells can divide for long periods."]},
]
CLAIMS = [
    {
        "id": 1,
        "claim": "Brics was founded in 2009.",
        "evidence": {"11": [{"sentences": [0], "label": "SUPPORT"}]},
        "cited_doc_ids": [11],
    },
    {
        "id": 2,
        "claim": "Stem cells divide.",
        "evidence": {"13": [{"sentences": [0], "label": "SUPPORT"}]},
        "cited_doc_ids": [13],
    },
    {"id": 3, "claim": "No evidence here.", "evidence": {}, "cited_doc_ids": [12]},
]


@pytest.mark.integration
def test_bench_prints_every_figure(tmp_path, capsys):
    (tmp_path / "corpus.jsonl").write_text(
        "\n".join(json.dumps(r) for r in CORPUS), encoding="utf-8"
    )
    (tmp_path / "claims_dev.jsonl").write_text(
        "\n".join(json.dumps(r) for r in CLAIMS), encoding="utf-8"
    )
    runs = tmp_path / "runs"
    assert (
        bench_retrieval.main(["--data", str(tmp_path), "--raw-sample", "0", "--out", str(runs)])
        == 0
    )
    out = capsys.readouterr().out
    assert "3 abstracts -> 3 passages" in out
    assert "ingest / raw embedder:" in out and "p95" in out
    assert "recall@5 (gold abstract in top 5): 1.000" in out
    [run_dir] = runs.iterdir()
    examples = [json.loads(line) for line in (run_dir / "examples.jsonl").read_text().splitlines()]
    assert [(e["id"], e["gold_doc_ids"], e["found"]) for e in examples] == [
        ("1", ["11"], True),
        ("2", ["13"], True),
    ]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["figures"]["recall_at_5"] == 1.0 and summary["figures"]["claims"] == 2


@pytest.mark.integration
def test_bench_keeps_its_store_for_the_verifier_benchmark(tmp_path, capsys):
    from claims.settings import Settings
    from retrieval import open_knowledge_base

    data = tmp_path / "scifact"
    data.mkdir()
    (data / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in CORPUS), encoding="utf-8")
    (data / "claims_dev.jsonl").write_text(
        "\n".join(json.dumps(r) for r in CLAIMS), encoding="utf-8"
    )
    keep = tmp_path / "kb"
    args = ["--data", str(data), "--raw-sample", "0", "--keep", str(keep)]
    args += ["--out", str(tmp_path / "runs")]
    assert bench_retrieval.main(args) == 0
    kb = open_knowledge_base(Settings(home=keep, collection=bench_retrieval.KEPT_COLLECTION))
    assert kb.stats()["passages"] == 3
    with pytest.raises(SystemExit, match="already holds a knowledge base"):
        bench_retrieval.main(args)


def test_bench_refuses_a_missing_folder(tmp_path, capsys):
    assert bench_retrieval.main(["--data", str(tmp_path / "none")]) == 2
    assert "no SciFact corpus" in capsys.readouterr().err


def test_limit_keeps_every_gold_abstract():
    documents = [bench_retrieval.Document(id=str(i), text="x", source="s") for i in range(10)]
    rationales = (scifact.Rationale("7", (0,), "SUPPORT"), scifact.Rationale("9", (1,), "SUPPORT"))
    claims = [scifact.SciFactClaim("1", "c", rationales, ())]
    kept = bench_retrieval.limit_corpus(documents, claims, 4)
    assert [d.id for d in kept] == ["7", "9", "0", "1"]


@pytest.mark.slow
def test_real_scifact_files_load():
    data = require_shared(SHARED_DATA / "scifact")
    documents = bench_retrieval.load_corpus(data)
    claims = bench_retrieval.load_dev_claims(data)
    assert len(documents) == 5183
    assert 0 < len(claims) < 300
    ids = {d.id for d in documents}
    assert all(set(claim.gold_doc_ids) <= ids for claim in claims)


@pytest.mark.integration
def test_scale_bench_builds_resumes_and_prints_every_figure(tmp_path, capsys):
    from benchmarks import bench_scale

    data = tmp_path / "data"
    (data / "scifact").mkdir(parents=True)
    (data / "scifact" / "corpus.jsonl").write_text(
        "\n".join(json.dumps(r) for r in CORPUS + CORPUS[:1]), encoding="utf-8"
    )  # the repeated abstract is left out
    (data / "scifact" / "claims_dev.jsonl").write_text(
        "\n".join(json.dumps(r) for r in CLAIMS), encoding="utf-8"
    )
    store, runs = tmp_path / "kb", tmp_path / "runs"
    args = ["--passages", "2", "--data", str(data), "--store", str(store), "--out", str(runs)]
    args += ["--batch-docs", "1", "--raw-sample", "3", "--queries", "2"]
    assert bench_scale.main(args) == 0
    out = capsys.readouterr().out
    assert "store: 2 passages, 3 sentence vectors" in out
    assert "ratio vs raw passages" in out and "BM25 snapshot: loaded" in out
    assert "(loads 1, builds 0)" in out and "sentence fallbacks 0" in out
    for mode in ("dense", "bm25", "fused", "fused_sentences", "fused_sentences_query_time"):
        assert f"search {mode} " in out
    assert bench_scale.main([*args[:1], "3", *args[2:]]) == 0  # resumes: adds the third
    out = capsys.readouterr().out
    assert "batch 1/3" not in out and "batch 3/3: +1 passages" in out
    assert "store: 3 passages, 4 sentence vectors" in out
