"""``claimscope app``: start the Streamlit review desk with this run's settings."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from claims.settings import Settings, child_environment

APP_PATH = Path(__file__).resolve().parent.parent / "app" / "main.py"


def register(sub: Any) -> None:
    """Add ``app`` to the CLI's subparsers."""
    app = sub.add_parser("app", help="start the Streamlit app")
    app.add_argument("--port", type=int, default=8501)
    app.add_argument("--host", default="127.0.0.1")
    app.set_defaults(func=cmd_app)


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        "--server.address", args.host, "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    return subprocess.call(command, env=child_environment(settings))
