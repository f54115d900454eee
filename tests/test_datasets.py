"""Loaders on tiny fixtures in each original format, on the real files, and fetch over loopback."""

from __future__ import annotations

import functools
import http.server
import io
import json
import tarfile
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from claims.errors import InputError
from claims.models import Label
from eval.datasets import (
    CorpusDoc,
    Dataset,
    EvalClaim,
    GoldEvidence,
    checkworthy,
    fetch_dataset,
    fever,
    load_any,
    read_dataset,
    scifact,
    stratified_sample,
    wice,
    write_dataset,
)
from tests.conftest import SHARED_DATA, require_shared

S, R, N = Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _scifact_files(root: Path) -> Path:
    _jsonl(root / "claims_dev.jsonl", [
        {"id": 1, "claim": "A causes B.", "evidence": {"11": [{"sentences": [0], "label": "SUPPORT"},
                                                                {"sentences": [2], "label": "SUPPORT"}]},
         "cited_doc_ids": [11]},
        {"id": 2, "claim": "C prevents D.", "evidence": {"12": [{"sentences": [1], "label": "CONTRADICT"}]},
         "cited_doc_ids": [12]},
        {"id": 3, "claim": "E is blue.", "evidence": {}, "cited_doc_ids": [11]},
    ])  # fmt: skip
    _jsonl(root / "corpus.jsonl", [
        {"doc_id": 11, "title": "On A", "abstract": ["A causes B.", "Other.", "B follows A."], "structured": False},
        {"doc_id": 12, "title": "On C", "abstract": ["Intro.", "C does not prevent D."], "structured": False},
    ])  # fmt: skip
    return root


def test_scifact_fixture(tmp_path: Path) -> None:
    data = scifact.load(_scifact_files(tmp_path))
    assert [c.label for c in data.claims] == [S, R, N]
    first = data.claims[0]
    assert first.evidence == [GoldEvidence(doc_id="11", sentences=[0, 2])]
    assert data.claims[2].cited_doc_ids == ["11"] and data.claims[2].gold_doc_ids == []
    doc = data.corpus[0]
    assert doc.id == "11" and doc.sentences == ["A causes B.", "Other.", "B follows A."]
    assert doc.text == "A causes B. Other. B follows A."
    with pytest.raises(InputError, match="no public labels"):
        scifact.load(tmp_path, "test")


def test_scifact_records_keep_each_rationale(tmp_path: Path) -> None:
    first, second, third = scifact.read_claims(_scifact_files(tmp_path), "dev")
    assert first.id == "1" and first.cited_doc_ids == ("11",)
    assert first.rationales == (
        scifact.Rationale("11", (0,), "SUPPORT"),
        scifact.Rationale("11", (2,), "SUPPORT"),
    )
    assert first.gold_doc_ids == ["11"] and second.rationales[0].label == "CONTRADICT"
    assert third.rationales == () and third.gold_doc_ids == []
    assert [d.id for d in scifact.read_corpus(tmp_path)] == ["11", "12"]


def test_scifact_corpus_keeps_raw_sentences_on_request(tmp_path: Path) -> None:
    _jsonl(tmp_path / "corpus.jsonl", [
        {"doc_id": 7, "title": "T", "abstract": [" Lead.", "Tail. "], "structured": False},
    ])  # fmt: skip
    (stripped,) = scifact.read_corpus(tmp_path)
    assert stripped.sentences == ["Lead.", "Tail."] and stripped.text == "Lead. Tail."
    (raw,) = scifact.read_corpus(tmp_path, strip=False)
    assert raw.sentences == [" Lead.", "Tail. "] and raw.text == " Lead. Tail. "


def test_fever_symmetric_fixture_pools_evidence(tmp_path: Path) -> None:
    rows = [
        {
            "id": "1",
            "claim": "X is a film .",
            "evidence": "X -LRB- `` The X '' -RRB- is a 2011 film that was n't shown .",
            "label": "SUPPORTS",
        },
        {
            "id": "1000002",
            "claim": "X is a song .",
            "evidence": "X -LRB- `` The X '' -RRB- is a 2011 film that was n't shown .",
            "label": "REFUTES",
        },
    ]
    _jsonl(tmp_path / "symmetric_v0.2" / "fever_symmetric_test.jsonl", rows)
    data = fever.load_symmetric(tmp_path)
    assert [c.label for c in data.claims] == [S, R]
    assert len(data.corpus) == 1  # the same sentence is pooled once
    # FEVER's Penn-Treebank tokens are turned back into prose
    assert data.corpus[0].text == 'X ("The X") is a 2011 film that wasn\'t shown.'
    assert data.claims[0].claim == "X is a film."
    assert data.claims[0].gold_doc_ids == data.claims[1].gold_doc_ids == [data.corpus[0].id]


def test_feverous_fixture_strips_wiki_links(tmp_path: Path) -> None:
    evidence = "Page A\tA is in [[B_(place)|B]].\nPage A\tIt was built in 1840."
    (tmp_path / "programfc_feverous_s_dev.json").write_text(json.dumps([
        {"id": 7, "claim": "A is in B.", "label": "supports", "challenge": "Other", "evidence": evidence},
        {"id": 8, "claim": "A was built in 1900.", "label": "refutes", "challenge": "Other",
         "evidence": "Page A\tIt was built in 1840."},
    ]), encoding="utf-8")  # fmt: skip
    data = fever.load_feverous(tmp_path)
    assert [c.label for c in data.claims] == [S, R]
    assert [d.text for d in data.corpus] == ["A is in B.", "It was built in 1840."]
    assert data.corpus[0].title == "Page A"
    assert data.claims[0].gold_doc_ids[0] == fever.passage_id("Page A", "A is in B.")


def test_wice_maps_not_supported_to_nei_not_refuted(tmp_path: Path) -> None:
    def row(i: int, label: str) -> dict:
        return {"label": label, "supporting_sentences": [[0, 2], [1]], "claim": f"Claim {i}.",
                "evidence": ["s0", "s1", "s2"], "meta": {"id": f"dev{i}", "claim_title": "T"}}  # fmt: skip

    _jsonl(tmp_path / "data/entailment_retrieval/claim/dev.jsonl",
           [row(1, "supported"), row(2, "partially_supported"), row(3, "not_supported")])  # fmt: skip
    data = wice.load(tmp_path, "dev")
    assert [c.label for c in data.claims] == [S, N, N]
    assert Label.REFUTED not in {c.label for c in data.claims}
    assert [c.original_label for c in data.claims] == [
        "supported",
        "partially_supported",
        "not_supported",
    ]
    assert data.claims[0].evidence[0].sentences == [0, 1, 2]
    assert data.corpus[0].sentences == ["s0", "s1", "s2"]


def test_checkworthiness_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test.json").write_text(json.dumps([
        {"sentence_id": 5, "label": 1, "text": "Unemployment fell to 4 percent."},
        {"sentence_id": 6, "label": 0, "text": "Thank you."},
    ]), encoding="utf-8")  # fmt: skip
    cb = checkworthy.load_claimbuster(tmp_path)
    assert [(s.id, s.checkworthy) for s in cb.sentences] == [("5", True), ("6", False)]
    tsv = tmp_path / "clef2024_task1_english" / "CT24_checkworthy_english_dev-test.tsv"
    tsv.parent.mkdir()
    tsv.write_text(
        'Sentence_id\tText\tclass_label\n1\tIt rose "sharply" by 5%.\tYes\n2\tHello.\tNo\n'
    )
    ct = checkworthy.load_checkthat(tmp_path)
    assert [(s.text, s.checkworthy) for s in ct.sentences] == [
        ('It rose "sharply" by 5%.', True),
        ("Hello.", False),
    ]


def test_generic_round_trip_and_errors(tmp_path: Path) -> None:
    data = Dataset(
        "toy",
        [EvalClaim(id="a", claim="A.", label=S, evidence=[GoldEvidence(doc_id="d", text="A.")])],
        [CorpusDoc(id="d", text="A.")],
    )
    folder = write_dataset(data, tmp_path / "toy")
    again = read_dataset(folder)
    assert again.claims == data.claims and again.corpus == data.corpus
    assert again.fingerprint() == data.fingerprint()
    (folder / "claims.jsonl").write_text('{"id": "x", "claim": "X.", "label": "MAYBE"}\n')
    with pytest.raises(InputError, match=r"claims.jsonl:1: label"):
        read_dataset(folder)
    with pytest.raises(InputError, match="unknown dataset"):
        load_any("no-such-set", tmp_path)


def test_generic_format_reads_whole_number_ids_as_strings(tmp_path: Path) -> None:
    folder = tmp_path / "numbered"
    folder.mkdir()
    (folder / "claims.jsonl").write_text(
        '{"id": 1, "claim": "A.", "label": "SUPPORTED", "evidence": [{"doc_id": 11, "sentences": [0]}],'
        ' "cited_doc_ids": [11, "12"]}\n'
        '{"id": "2", "claim": "B.", "label": "REFUTED"}\n',
        encoding="utf-8",
    )
    (folder / "corpus.jsonl").write_text(
        '{"id": 11, "text": "A.", "sentences": ["A."]}\n', encoding="utf-8"
    )
    data = read_dataset(folder)
    assert [c.id for c in data.claims] == ["1", "2"]
    assert data.claims[0].evidence[0].doc_id == "11" and data.claims[0].cited_doc_ids == [
        "11",
        "12",
    ]
    assert data.corpus[0].id == "11"
    (folder / "claims.jsonl").write_text(
        '{"id": 1, "claim": "A.", "label": "SUPPORTED"}\n{"id": "1", "claim": "B.", "label": "REFUTED"}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="'1' appears more than once"):
        read_dataset(folder)
    for bad in ("true", "1.5", "null"):
        (folder / "claims.jsonl").write_text(
            f'{{"id": {bad}, "claim": "A.", "label": "SUPPORTED"}}\n', encoding="utf-8"
        )
        with pytest.raises(InputError, match=r"claims.jsonl:1: id"):
            read_dataset(folder)


def test_stratified_sample_is_seeded_and_keeps_shares() -> None:
    claims = [EvalClaim(id=str(i), claim="c", label=[S, S, R, N][i % 4]) for i in range(40)]
    first = stratified_sample(claims, 10, seed=3)
    assert first == stratified_sample(claims, 10, seed=3)
    assert first != stratified_sample(claims, 10, seed=4)
    assert Counter(c.label for c in first) == {S: 5, N: 3, R: 2}  # tie on .5: by label name
    assert [int(c.id) for c in first] == sorted(int(c.id) for c in first)
    assert stratified_sample(claims, 100, seed=0) == claims


# ------------------------------------------------------------------ real files


@pytest.mark.slow
def test_scifact_real_counts() -> None:
    root = require_shared(SHARED_DATA / "scifact")
    dev = scifact.load(root, "dev")
    assert len(dev.claims) == 300
    assert Counter(c.label for c in dev.claims) == {S: 124, R: 64, N: 112}
    assert len(dev.corpus) == 5183
    assert sum(len(d.sentences or []) for d in dev.corpus) == 45952
    train = scifact.load(root, "train")
    assert Counter(c.label for c in train.claims) == {S: 332, R: 173, N: 304}
    corpus = {d.id: d for d in dev.corpus}
    for claim in dev.claims:
        for gold in claim.evidence:
            assert all(0 <= i < len(corpus[gold.doc_id].sentences) for i in gold.sentences)


@pytest.mark.slow
def test_fever_symmetric_real_counts() -> None:
    root = require_shared(SHARED_DATA / "fever_symmetric")
    test = fever.load_symmetric(root, "test")
    assert len(test.claims) == 712 and Counter(c.label for c in test.claims) == {S: 356, R: 356}
    assert len(test.corpus) == 341
    dev = fever.load_symmetric(root, "dev")
    assert Counter(c.label for c in dev.claims) == {S: 354, R: 354} and len(dev.corpus) == 340


@pytest.mark.slow
def test_feverous_real_counts_match_the_shared_passage_ids() -> None:
    root = require_shared(SHARED_DATA / "feverous")
    data = fever.load_feverous(root)
    assert len(data.claims) == 2962
    assert Counter(c.label for c in data.claims) == {S: 1411, R: 1551}
    assert len(data.corpus) == 4231
    shared_ids = {json.loads(line)["id"] for line in (root / "ci_subset" / "passages.jsonl").open()}
    assert {d.id for d in data.corpus} == shared_ids


@pytest.mark.slow
def test_wice_real_counts() -> None:
    root = require_shared(SHARED_DATA / "wice")
    for split, supported, partial, not_supported in (("dev", 115, 191, 43), ("test", 111, 215, 32)):
        data = wice.load(root, split)
        assert Counter(c.original_label for c in data.claims) == {
            "supported": supported, "partially_supported": partial, "not_supported": not_supported
        }  # fmt: skip
        assert Counter(c.label for c in data.claims) == {S: supported, N: partial + not_supported}


@pytest.mark.slow
def test_checkworthiness_real_counts() -> None:
    cb = checkworthy.load_claimbuster(require_shared(SHARED_DATA / "claimbuster"))
    assert len(cb.sentences) == 702 and sum(s.checkworthy for s in cb.sentences) == 351
    ct_root = require_shared(SHARED_DATA / "checkthat")
    assert Counter(s.checkworthy for s in checkworthy.load_checkthat(ct_root).sentences) == {
        True: 108,
        False: 210,
    }
    assert Counter(s.checkworthy for s in checkworthy.load_checkthat(ct_root, "dev").sentences) == {
        True: 238,
        False: 794,
    }


# ------------------------------------------------------------------ fetch


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on 127.0.0.1 serving the files of a folder."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def test_fetch_scifact_tarball_from_a_local_server(
    mirror: tuple[str, Path], tmp_path: Path
) -> None:
    base_url, served = mirror
    source = _scifact_files(tmp_path / "original")
    with tarfile.open(served / "data.tar.gz", "w:gz") as tar:
        for name in ("claims_dev.jsonl", "corpus.jsonl"):
            tar.add(source / name, arcname=f"data/{name}")
        info = tarfile.TarInfo("data/../evil.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    data_dir = tmp_path / "datasets"
    written = fetch_dataset("scifact", data_dir, base_url=base_url)
    assert sorted(p.name for p in written) == ["claims_dev.jsonl", "corpus.jsonl"]
    assert not (data_dir / "evil.txt").exists()
    data = load_any("scifact", data_dir)
    assert [c.label for c in data.claims] == [S, R, N]


def test_fetch_plain_files_and_a_missing_file(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base_url, served = mirror
    row = {"id": "1", "claim": "X is a film .", "evidence": "X is a film .", "label": "SUPPORTS"}
    for split in ("dev", "test"):
        _jsonl(served / f"fever_symmetric_{split}.jsonl", [row])
    fetch_dataset("fever-symmetric", tmp_path / "d", base_url=base_url)
    assert len(load_any("fever-symmetric:dev", tmp_path / "d").claims) == 1
    with pytest.raises(InputError, match="HTTP 404"):
        fetch_dataset("wice", tmp_path / "d", base_url=base_url)


def test_every_known_dataset_names_an_official_https_address() -> None:
    from eval.datasets import KNOWN

    for spec in KNOWN.values():
        assert spec.downloads and all(d.url.startswith("https://") for d in spec.downloads)


def test_corpus_limit_keeps_gold_and_cited_documents() -> None:
    corpus = [CorpusDoc(id=f"d{i}", text=f"doc {i}") for i in range(10)]
    claims = [
        EvalClaim(id="a", claim="A.", label=S, evidence=[GoldEvidence(doc_id="d7")]),
        EvalClaim(id="b", claim="B.", label=N, cited_doc_ids=["d9"]),
        EvalClaim(id="c", claim="C.", label=R, evidence=[GoldEvidence(doc_id="d3")]),
    ]
    data = Dataset("toy", claims, corpus)
    small = data.with_corpus_limit(4, ["a", "b"], seed=1)
    ids = [d.id for d in small.corpus]
    assert len(ids) == 4 and {"d7", "d9"} <= set(ids)
    assert ids == sorted(ids, key=lambda x: int(x[1:]))  # corpus order kept
    assert small.corpus == data.with_corpus_limit(4, ["a", "b"], seed=1).corpus
    assert len(data.with_corpus_limit(1, ["a", "b", "c"], seed=1).corpus) == 3  # gold always kept
