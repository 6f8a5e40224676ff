"""``minsheng route-bench``: how fast does a router route? Rows per second on one core, on synthetic messages.

    minsheng route-bench --model router.joblib [--n 200000] [--json]

The measuring is :func:`minsheng.bench.routing.route_bench`; this prints its figures.
"""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("route-bench", help="routing speed on synthetic messages (rows/s on one core)")
    p.add_argument("--model", required=True, metavar="MODEL", help="router model file (minsheng train)")
    p.add_argument("--n", type=int, default=200_000, help="synthetic messages to route (default 200000)")
    p.add_argument("--partition", type=int, default=50_000, help="rows per partition (default 50000)")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.bench.routing import route_bench

    result = route_bench(model=args.model, n=args.n, partition=args.partition, seed=args.seed, quiet=args.quiet)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"路由 routed {result['rows']:,} rows ({result['distinct_texts']:,} distinct, "
              f"{result['mean_chars']} chars on average) in {result['cpu_seconds']} CPU s "
              f"({result['wall_seconds']} s wall): {result['rows_per_cpu_second']:,} rows per CPU second, "
              f"{result['cpu_seconds_per_1018000_rows']} CPU s per 1,018,000 rows; "
              f"needs_review {result['needs_review_share']:.1%}")
    return 0
