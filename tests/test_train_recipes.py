"""training.train_verifier's recipes: the defaults each picks, and that calibrating
after a ``shipped`` run uses what the shipped calibration used (no torch needed)."""

from __future__ import annotations

import argparse
import json

import pytest

from training import calibrate as calibrate_module
from training import train_verifier


def test_recipe_fills_only_the_options_left_unset() -> None:
    args = argparse.Namespace(recipe="shipped", epochs=None, lr=1e-4, limit=None)
    train_verifier.apply_recipe(args)
    assert args.epochs == 3.0 and args.batch_size == 16 and args.frozen_layers == 0
    assert args.lr == 1e-4  # given explicitly: kept
    assert args.cache_fp16 and args.order_stream and args.torch_cross_entropy
    large = train_verifier.apply_recipe(argparse.Namespace(recipe="large"))
    assert large.limit == 100_000 and large.frozen_layers == 3 and not large.cache_fp16
    mixed = train_verifier.apply_recipe(argparse.Namespace(recipe="mixed"))
    assert mixed.limit == 36_000 and mixed.frozen_layers == 0 and mixed.cache_fp16
    assert not mixed.torch_cross_entropy  # FEVER-NLI's "not entails" needs the masked loss


@pytest.mark.parametrize(
    ("recipe", "work_after", "legacy"),
    [("shipped", "", True), ("large", None, False), ("mixed", None, False)],
)
def test_calibrate_after_a_run_follows_its_recipe(
    tmp_path, monkeypatch, recipe, work_after, legacy
) -> None:
    (tmp_path / "train.json").write_text(json.dumps({"recipe": recipe}))
    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(calibrate_module, "calibrate", seen.append)
    train_verifier.main(["calibrate", "--work", str(tmp_path), "--out", str(tmp_path)])
    (args,) = seen
    assert args.work == (str(tmp_path) if work_after is None else work_after)
    assert args.legacy_policy is legacy


def test_maps_only_calibration_keeps_the_run_and_the_cautious_policy(tmp_path, monkeypatch):
    (tmp_path / "train.json").write_text(json.dumps({"recipe": "shipped"}))
    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(calibrate_module, "calibrate", seen.append)
    argv = ["calibrate", "--maps-only", "--work", str(tmp_path), "--out", str(tmp_path)]
    train_verifier.main(argv)
    (args,) = seen
    assert args.maps_only and not args.legacy_policy and args.work == str(tmp_path)
