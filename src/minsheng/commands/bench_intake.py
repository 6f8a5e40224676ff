"""``minsheng bench-intake``: intake throughput, p99 and a kill -9 crash check against gunicorn + PostgreSQL."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench-intake", help="benchmark the suggestion API on gunicorn + PostgreSQL, with a kill -9 check",
        description="Start gunicorn on a PostgreSQL database, measure single and batch intake (targets: "
                    ">= 500 requests/s, >= 5,000 suggestions/s), then kill -9 the server mid-load, restart it "
                    "and check that exactly the acknowledged suggestions are stored. Exit 1 when a target fails.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/minsheng_bench")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--clients", type=int, default=12, help="concurrent client connections")
    parser.add_argument("--singles", type=int, default=5000, help="single-suggestion requests")
    parser.add_argument("--batches", type=int, default=30, help="batches of 1,000")
    parser.add_argument("--crash-singles", type=int, default=3000)
    parser.add_argument("--crash-batches", type=int, default=20)
    parser.add_argument("--kill-after", type=float, default=2.0, help="seconds into the crash phase")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.bench.intake import main

    return main(database_url=args.database_url, port=args.port, workers=args.workers, threads=args.threads,
                clients=args.clients, singles=args.singles, batches=args.batches,
                crash_singles=args.crash_singles, crash_batches=args.crash_batches, kill_after=args.kill_after)
