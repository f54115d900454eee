"""Odd names and bytes: each is a clear InputError/ConfigError, never a traceback."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from claims.errors import ConfigError, InputError, UnsupportedFileError
from retrieval.chunking import chunk_document
from retrieval.loaders import decode_text, load_paths
from retrieval.store import parse_chroma_url
from ui.app.views.knowledge_base import unpack_zip
from ui.cli.check import read_article
from ui.cli.options import one_line


class _Stdin(io.TextIOWrapper):
    """Standard input as the CLI sees it: text on top of a byte buffer."""


def _stdin(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_a_file_name_that_is_not_utf8_is_ingested_under_an_escaped_name(tmp_path: Path):
    folder = tmp_path / "sources"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"lat\xe9n.txt")
    with open(odd, "wb") as handle:
        handle.write(b"The Latin text was found in 1901.")
    documents, skipped = load_paths([folder])
    assert skipped == []
    (document,) = documents
    assert document.source.endswith("lat\\xe9n.txt")
    document.source.encode("utf-8")  # valid UTF-8: storable, hashable, printable
    passages = chunk_document(document)
    assert passages and json.dumps([p.model_dump(mode="json") for p in passages])


def test_odd_file_name_as_an_article_serialises(tmp_path: Path):
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(odd, "wb") as handle:
        handle.write(b"Brics began in 2009.")
    article = read_article(os.fsdecode(odd))
    assert article.source.endswith("caf\\xe9.txt")
    assert json.loads(article.model_dump_json())["title"] == "caf\\xe9"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (Path("/bin/true").read_bytes()[:4096], "binary|not UTF-8"),
        (b"caf\xe9 au lait", "not UTF-8 text"),
        (b"text with a \x00 NUL", "NUL bytes"),
    ],
)
def test_standard_input_gets_the_same_checks_as_a_file(data: bytes, message: str):
    with pytest.raises(UnsupportedFileError, match=message):
        read_article("-", _stdin(data))


def test_utf16_and_utf32_with_a_byte_order_mark_are_read():
    text = "Brics began in 2009 with four members."
    assert read_article("-", _stdin(text.encode("utf-16"))).text == text
    assert decode_text(text.encode("utf-32"), "x") == text
    with pytest.raises(UnsupportedFileError, match="binary"):
        decode_text(b"\xff\xfe\x00\xd8\x00", "odd.txt")  # a mark, then no valid UTF-16


def test_a_broken_chroma_url_is_a_config_error():
    with pytest.raises(ConfigError, match="invalid Chroma URL"):
        parse_chroma_url("http://[::1:8765")


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_member_with_a_bad_crc_is_an_input_error(tmp_path: Path):
    data = bytearray(_zip({"a.txt": b"hello world " * 50}, zipfile.ZIP_STORED))
    at = data.index(b"hello world")
    data[at] ^= 0xFF  # the stored bytes no longer match the CRC
    with pytest.raises(InputError, match="'a.txt' is damaged"):
        unpack_zip(bytes(data), tmp_path / "out")


def test_an_encrypted_zip_member_is_an_input_error(tmp_path: Path):
    data = bytearray(_zip({"secret.txt": b"classified"}))
    # Set the "encrypted" flag bit in the local and central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x01
    with pytest.raises(InputError, match="encrypted zips are not supported"):
        unpack_zip(bytes(data), tmp_path / "out")


def test_an_unknown_compression_method_is_an_input_error(tmp_path: Path):
    data = bytearray(_zip({"a.txt": b"hello"}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.index(signature) + offset
        data[at : at + 2] = (97).to_bytes(2, "little")  # a method zipfile does not know
    with pytest.raises(InputError, match="compression method"):
        unpack_zip(bytes(data), tmp_path / "out")


def test_control_characters_in_names_print_as_escapes():
    assert one_line("two\nlines\t.txt") == "two\\nlines\\t.txt"
    assert one_line("Müller.txt") == "Müller.txt"


@pytest.mark.integration
def test_sources_resolve_as_typed_when_ingesting_and_unknown_ones_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from claims.settings import Settings
    from retrieval import open_knowledge_base
    from retrieval.embedder import default_embedder

    (tmp_path / "kb1").mkdir()
    (tmp_path / "kb1" / "brics.txt").write_text("Brics began in 2009 with four members.")
    monkeypatch.chdir(tmp_path)
    kb = open_knowledge_base(Settings(home=tmp_path / "home"), default_embedder())
    kb.ingest_paths([Path("kb1")], progress=False)
    stored = str((tmp_path / "kb1" / "brics.txt").resolve())
    assert kb.resolve_source("kb1/brics.txt") == stored
    assert kb.resolve_source(stored) == stored
    with pytest.raises(InputError, match="no source named 'kb2/brics.txt'.*did you mean"):
        kb.resolve_source("kb2/brics.txt")
    assert kb.remove_source("kb1/brics.txt") == 1
    assert kb.stats()["passages"] == 0


def _dataset(folder: Path, claims: list[dict], corpus: list[dict]) -> Path:
    folder.mkdir()
    (folder / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in corpus))
    return folder


def test_gold_evidence_naming_a_missing_document_is_a_data_error(tmp_path: Path):
    from eval.datasets.format import read_dataset

    folder = _dataset(
        tmp_path / "data",
        [
            {"id": "1", "claim": "A.", "label": "SUPPORTED", "evidence": [{"doc_id": "d1"}]},
            {"id": "2", "claim": "B.", "label": "SUPPORTED", "evidence": [{"doc_id": "nope"}]},
        ],
        [{"id": "d1", "text": "A is true."}],
    )
    with pytest.raises(InputError, match=r"claims.jsonl:2: .*'nope', which is not in corpus"):
        read_dataset(folder)


def test_an_out_of_range_gold_sentence_index_is_a_data_error(tmp_path: Path):
    from eval.datasets.format import read_dataset

    folder = _dataset(
        tmp_path / "data",
        [
            {
                "id": "1",
                "claim": "A.",
                "label": "REFUTED",
                "evidence": [{"doc_id": "d1", "sentences": [0, 5]}],
            }
        ],
        [{"id": "d1", "text": "A. B.", "sentences": ["A.", "B."]}],
    )
    with pytest.raises(InputError, match=r"claims.jsonl:1: sentence index 5 is out of range"):
        read_dataset(folder)


def test_a_broken_run_description_is_one_line(tmp_path: Path):
    from eval.runner import read_config

    (tmp_path / "run.json").write_text('{"dataset": 3}')
    with pytest.raises(InputError) as caught:
        read_config(tmp_path)
    assert "\n" not in str(caught.value)
    assert "is not a valid run description" in str(caught.value)


def test_credentials_in_urls_never_reach_messages_or_failures():
    from claims.models import Failure

    secret = "hunter2-secret"
    with pytest.raises(ConfigError) as caught:
        parse_chroma_url(f"http://user:{secret}@[::1:8765")
    assert secret not in str(caught.value)
    failure = Failure.of(
        "verify", RuntimeError(f"cannot connect to http://u:{secret}@h/v1?token={secret}")
    )
    assert secret not in failure.message and "***" in failure.message
