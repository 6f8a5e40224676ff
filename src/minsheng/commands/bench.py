"""``minsheng bench``: measure the engine on this machine (see :mod:`minsheng.bench.engine`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmark the engine at 5,000, 100,000 and 1,018,000 suggestions vs a baseline")
    p.add_argument("--sizes", default="5000,100000,1018000", help="comma-separated corpus sizes")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--cache", default="var/bench", help="where corpora and outputs are kept")
    p.add_argument("--no-baseline", action="store_true", help="skip the jieba + datasketch baseline")
    p.add_argument("--no-route", action="store_true", help="analyze without a router model")
    p.add_argument("--no-report", action="store_true", help="skip report size and time-to-interactive")
    p.add_argument("--no-real-data", action="store_true",
                   help="skip routing and reply quality on the teddy2020 messages")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.bench.engine import benchmark

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    benchmark(sizes, seed=args.seed, cache=Path(args.cache), baseline=not args.no_baseline,
              route=not args.no_route, report=not args.no_report, real_data=not args.no_real_data)
    return 0
