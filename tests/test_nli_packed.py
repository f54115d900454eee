"""The packed training folder for a GPU machine (``training.nli_packed``), on a tiny
random encoder: the pairs and the initial weights come back as packed, the trained
tensors merge over the base as the machine held it, and a run from the pack on the
CPU trains. Skipped where torch is not installed: `make train-verifier` installs
it, CI's `.[dev]` does not."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from training.nli_batch import Encoded  # noqa: E402
from training.nli_bert import BertConfig, CrossEncoder  # noqa: E402
from training.nli_packed import (  # noqa: E402
    TRAINED,
    initial_model,
    main,
    merged_state,
    read_pairs,
    save_trained,
    write_pack,
)

REPO = Path(__file__).resolve().parent.parent
TINY = BertConfig(
    vocab_size=60,
    hidden_size=16,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=32,
    max_position_embeddings=32,
)


def _pairs(n: int = 24) -> tuple[list[Encoded], list[int]]:
    rng = random.Random(3)
    encoded, labels = [], []
    for _ in range(n):
        first, second = rng.randint(2, 6), rng.randint(2, 6)
        ids = [1] + [rng.randint(3, 40) for _ in range(first + second)] + [2]
        encoded.append(Encoded(ids, [0] * (first + 1) + [1] * (second + 1)))
        labels.append(rng.randint(0, 3))
    return encoded, labels


def _pack(tmp_path: Path) -> tuple[Path, CrossEncoder, list[Encoded], list[int]]:
    torch.manual_seed(0)
    model = CrossEncoder(TINY)
    encoded, labels = _pairs()
    meta = {"recipe": "mixed", "heldout_pairs": 5, "max_length": 32, "seed": 13}
    write_pack(encoded, labels, model, TINY, tmp_path / "pack", {**meta, "composition": "x"})
    return tmp_path / "pack", model, encoded, labels


def test_pairs_come_back_as_packed(tmp_path) -> None:
    packed, _, encoded, labels = _pack(tmp_path)
    got, got_labels = read_pairs(packed)
    assert [tuple(map(list, e)) for e in got] == [tuple(map(list, e)) for e in encoded]
    assert got_labels == labels


def test_initial_model_is_the_base_in_fp16_on_the_rows_the_pairs_use(tmp_path) -> None:
    packed, model, encoded, _ = _pack(tmp_path)
    got = initial_model(packed).state_dict()
    used = sorted({i for e in encoded for i in e.ids})
    unused = sorted(set(range(TINY.vocab_size)) - set(used))
    word = "embeddings.word_embeddings.weight"
    want = model.state_dict()
    assert torch.equal(got[word][used], want[word][used].half().float())
    assert not got[word][unused].any()
    for key in want:
        if key != word:
            assert torch.equal(got[key], want[key].half().float()), key


def test_packing_refuses_type_ids_that_are_not_two_blocks(tmp_path) -> None:
    torch.manual_seed(0)
    bad = [Encoded([1, 5, 2, 6, 2], [0, 1, 0, 1, 1])]
    with pytest.raises(ValueError, match="one block"):
        write_pack(bad, [0], CrossEncoder(TINY), TINY, tmp_path / "p", {})


def test_trained_tensors_merge_over_the_fp16_rounded_base(tmp_path) -> None:
    torch.manual_seed(0)
    base = CrossEncoder(TINY)
    trained = CrossEncoder(TINY)  # other random weights stand for the trained ones
    files = save_trained(trained, tmp_path / "out")
    assert [f.name for f in files] == list(TRAINED)
    merged = merged_state(base, tmp_path / "out")
    for key, value in merged.items():
        if key.startswith("embeddings."):
            assert torch.equal(value, base.state_dict()[key].half().float()), key
        else:
            assert torch.equal(value, trained.state_dict()[key].half().float()), key
    (tmp_path / "out" / TRAINED[1]).unlink()
    save_trained(trained, tmp_path / "other")
    (tmp_path / "other" / TRAINED[0]).rename(tmp_path / "out" / TRAINED[1])
    with pytest.raises(ValueError, match="do not fit"):
        merged_state(base, tmp_path / "out")


def test_train_from_a_pack_on_the_cpu_writes_the_trained_tensors(tmp_path) -> None:
    packed, _, _, _ = _pack(tmp_path)
    argv = ["train", "--packed", str(packed), "--work", str(tmp_path / "w")]
    argv += ["--out", str(tmp_path / "o"), "--device", "cpu", "--epochs", "2"]
    argv += ["--batch-size", "4", "--lr", "1e-3", "--frozen-layers", "1"]
    assert main(argv) == 0
    run = json.loads((tmp_path / "o" / "train.json").read_text())
    assert (run["steps"], run["finished"], run["device"]) == (12, True, "cpu")
    before = initial_model(packed).state_dict()
    merged = merged_state(initial_model(packed), tmp_path / "o")
    # the top layer and the head moved, the frozen bottom layer did not
    assert not torch.equal(merged["classifier.weight"], before["classifier.weight"])
    assert not torch.equal(merged["layers.1.query.weight"], before["layers.1.query.weight"])
    assert torch.equal(merged["layers.0.query.weight"], before["layers.0.query.weight"])


def test_the_gpu_side_imports_nothing_of_claims() -> None:
    code = (
        "import sys, training.nli_packed, training.nli_loop; "
        "print(sorted(m for m in sys.modules if m == 'claims' or m.startswith('claims.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_train_from_a_pack_may_start_from_earlier_trained_tensors(tmp_path) -> None:
    packed, _, _, _ = _pack(tmp_path)
    torch.manual_seed(1)
    save_trained(CrossEncoder(TINY), tmp_path / "earlier")
    argv = ["train", "--packed", str(packed), "--work", str(tmp_path / "w")]
    argv += ["--out", str(tmp_path / "o"), "--device", "cpu", "--epochs", "1"]
    argv += ["--batch-size", "4", "--lr", "0", "--init", str(tmp_path / "earlier")]
    assert main(argv) == 0  # lr 0: the run ends where it started
    got = merged_state(initial_model(packed), tmp_path / "o")
    want = merged_state(initial_model(packed), tmp_path / "earlier")
    assert all(torch.equal(got[k], want[k]) for k in want)
    assert not torch.equal(got["classifier.weight"], initial_model(packed).classifier.weight)
