"""``minsheng bench-platform``: an analysis run in the platform vs the engine alone, and list-page server times."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench-platform", help="time an analysis run in the platform vs the engine alone; list pages on PostgreSQL",
        description="Store --analysis generated suggestions in PostgreSQL (COPY), time one platform analysis run "
                    "and the engine alone on the same data, then grow the campaign to --total suggestions and "
                    "print the server time of each list page (target < 300 ms). Exit 1 when a page is slower.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/minsheng_bench")
    parser.add_argument("--analysis", type=int, default=100_000, help="suggestions analysed (default 100,000)")
    parser.add_argument("--total", type=int, default=1_000_000, help="suggestions for the page timings")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page")
    parser.add_argument("--router-sample", type=int, default=20_000, help="examples for the bench's router")
    parser.add_argument("--keep", action="store_true",
                        help="leave the bench campaign in the database afterwards (to EXPLAIN its queries)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.bench.platform import main

    return main(database_url=args.database_url, analysis=args.analysis, total=args.total, repeat=args.repeat,
                router_sample=args.router_sample, keep=args.keep)
