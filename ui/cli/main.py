"""The ``claimscope`` command line.

Exit codes: 0 done; 1 some claims failed (or a model could not be reached);
2 bad input or configuration. Errors print one line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from claims.errors import ClaimscopeError
from claims.redaction import redact
from claims.settings import Settings
from ui.cli import app as app_command
from ui.cli import check as check_command
from ui.cli import config as config_command
from ui.cli import evaluate as eval_command
from ui.cli import kb as kb_command
from ui.cli import models as models_command
from ui.cli import search as search_command
from ui.cli.options import setting_overrides

log = logging.getLogger("claimscope")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimscope",
        description="Extract checkable claims from an article and verify them against your sources.",
    )
    parser.add_argument(
        "--home", type=Path, help="data directory (default $CLAIMSCOPE_HOME or ~/.claimscope)"
    )
    parser.add_argument("--chroma-url", help="use a Chroma server instead of the embedded store")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="set any setting for this run, e.g. --set max_article_chars=50000 "
        "(repeatable; `claimscope config` lists the fields)",
    )
    parser.add_argument(
        "--env-file", type=Path, help="read settings from this dotenv file instead of ./.env"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    kb_command.register(sub)
    check_command.register(sub)
    app_command.register(sub)
    eval_command.register(sub)
    models_command.register(sub)
    config_command.register(sub)
    search_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    settings: Settings | None = None
    try:
        settings = Settings.from_env(env_file=args.env_file, **setting_overrides(args))
        return args.func(args, settings)
    except ClaimscopeError as exc:
        print(f"claimscope: error: {error_line(str(exc), settings)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("claimscope: interrupted", file=sys.stderr)
        return 130


def configure_logging(verbose: int) -> None:
    """Warnings on stderr; -v info, -vv debug.

    The level is set on the handler too: some libraries set their own logger to
    DEBUG (bm25s does), which would otherwise reach stderr past the root level.
    Like ``basicConfig``, this leaves logging alone when the host (a test runner)
    has configured it already.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


def error_line(message: str, settings: Settings | None) -> str:
    """``message`` on one line, with the API key and other secrets redacted."""
    key = None
    if settings is not None and settings.openai_api_key is not None:
        key = settings.openai_api_key.get_secret_value()
    return redact(" ".join(message.split()), key)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
