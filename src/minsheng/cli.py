"""The `minsheng` command line.

Each subcommand lives in its own module under :mod:`minsheng.commands` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to the function that runs it.
Modules are discovered, so adding a command never means editing this file.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
import time

from minsheng import DEFAULT_TIME_ZONE, __version__, commands
from minsheng.engine.errors import InputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minsheng", description="Minsheng (民声) analysis engine and platform.")
    parser.add_argument("--version", action="version", version=f"minsheng {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # One clock: Django sets TZ to TIME_ZONE in its processes; the engine's log lines and reports (and the
    # gunicorn and worker processes `serve` starts) follow the same zone instead of the machine's UTC.
    os.environ["TZ"] = os.environ.get("TIME_ZONE") or DEFAULT_TIME_ZONE
    time.tzset()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        # Bad input is the user's to fix: one clear line naming file, row and field, no traceback.
        print(f"minsheng: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("minsheng: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
