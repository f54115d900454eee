"""Command-line options shared by the subcommands: which settings the user gave."""

from __future__ import annotations

import argparse
from typing import Any

from claims.errors import ConfigError


def setting_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line: ``--set FIELD=VALUE`` first, then the flags."""
    overrides: dict[str, Any] = {}
    for item in args.settings:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise ConfigError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set top_k=8")
        overrides[field.strip().replace("-", "_")] = value
    flags = {
        "home": args.home,
        "chroma_url": args.chroma_url,
        "llm": getattr(args, "llm", None),
        "model": getattr(args, "model", None),
        "top_k": getattr(args, "top_k", None),
        "cross_check": getattr(args, "cross_check", None),
        "sensitivity": getattr(args, "sensitivity", None),
        "evidence_sources": getattr(args, "search", None),
        "evidence_include_later": getattr(args, "include_later", None),
    }
    overrides.update({k: v for k, v in flags.items() if v is not None})
    return overrides


def one_line(text: str) -> str:
    """Untrusted text on one terminal line: control characters (a newline in a file name
    or a fetched title) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
