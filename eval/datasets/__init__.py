"""Evaluation datasets: the generic format, loaders of the original files, downloads.

Public API::

    load_any("scifact", data_dir)          # or a folder with claims.jsonl (+ corpus.jsonl)
    read_dataset(path) / write_dataset(dataset, path)
    fetch_dataset("scifact", data_dir)     # official download address, on request only
"""

from eval.datasets.format import (
    CheckworthinessSet,
    CheckworthySentence,
    CorpusDoc,
    Dataset,
    EvalClaim,
    GoldEvidence,
    read_checkworthiness,
    read_dataset,
    stratified_sample,
    write_checkworthiness,
    write_dataset,
)
from eval.datasets.registry import KNOWN, DatasetSpec, fetch_dataset, load_any, parse_name

__all__ = [
    "KNOWN",
    "CheckworthinessSet",
    "CheckworthySentence",
    "CorpusDoc",
    "Dataset",
    "DatasetSpec",
    "EvalClaim",
    "GoldEvidence",
    "fetch_dataset",
    "load_any",
    "parse_name",
    "read_checkworthiness",
    "read_dataset",
    "stratified_sample",
    "write_checkworthiness",
    "write_dataset",
]
