"""``minsheng manage ARGS…``: Django's manage.py for the platform (migrate, createsuperuser, seed_demo…)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "manage", help="run a Django management command of the web platform (e.g. migrate, seed_demo)",
        description="Pass ARGS to Django's manage.py with the platform's settings (minsheng.web.settings).")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="management command and its options")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.web.manage import main

    return main(args.args or ["help"])
