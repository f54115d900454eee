"""``claimscope config``: the effective configuration, or its documentation table.

    claimscope [--set FIELD=VALUE ...] config            # each setting, its value and source
    claimscope config --json                              # the same as JSON
    claimscope config --markdown                          # the table of docs/configuration.md

Secrets are never printed (shown as set or unset) and credentials inside URLs
are replaced by ``***``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from claims.settings import Settings, display_value, env_names, field_sources, markdown_table
from ui.cli.options import setting_overrides


def register(subparsers: Any) -> None:
    """Add the ``config`` command to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "config",
        help="print the effective configuration (secrets redacted)",
        description="Each setting's effective value, the variable that sets it and where the "
        "value came from: command line, environment, dotenv file or default.",
    )
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the configuration as JSON")
    shape.add_argument(
        "--markdown",
        action="store_true",
        help="print the configuration table of docs/configuration.md (every field, its "
        "variables, default and meaning)",
    )
    parser.set_defaults(func=cmd_config)


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.markdown:
        print(markdown_table(), end="")
        return 0
    sources = field_sources(settings, setting_overrides(args), env_file=args.env_file)
    rows = [
        {
            "field": field,
            "value": display_value(settings, field),
            "variable": env_names(field)[0],
            "source": sources[field],
        }
        for field in Settings.model_fields
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    widths = {key: max(len(row[key]) for row in rows) for key in ("field", "value", "variable")}
    for row in rows:
        print(
            f"{row['field']:<{widths['field']}}  {row['value']:<{widths['value']}}  "
            f"{row['variable']:<{widths['variable']}}  {row['source']}".rstrip()
        )
    return 0
