"""``minsheng route-bench``: how fast does a router route? Rows per second on one core, on synthetic messages.

    minsheng route-bench --model router.joblib [--n 200000] [--json]

Generates ``--n`` synthetic suggestions (the benchmark corpus of ``minsheng synth``), routes them with
:func:`minsheng.engine.routing.route_frame` in partitions of ``--partition`` rows in this one process,
and prints CPU seconds, rows per second and the projection to 1,018,000 rows. Exact duplicates are routed
once, as in the pipeline, so the number of distinct texts is printed too.
"""

from __future__ import annotations

import argparse
import json
import time

from minsheng.engine.progress import progress, set_quiet

MILLION = 1_018_000


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
    import pandas as pd

    from minsheng.engine.normalise import normalise_texts
    from minsheng.engine.routing import load_model, route_frame
    from minsheng.engine.synth import generate

    set_quiet(args.quiet)
    router = load_model(args.model)
    corpus = generate(args.n, seed=args.seed)
    texts = normalise_texts((corpus["title"].fillna("") + "\n" + corpus["body"].fillna("")).tolist())[0]
    frame = pd.DataFrame({"id": corpus["id"].astype(str), "text": texts})
    cpu, wall, review = 0.0, 0.0, 0
    with progress("routing", total=len(frame)) as bar:
        for start in range(0, len(frame), args.partition):
            part = frame.iloc[start:start + args.partition]
            c0, w0 = time.process_time(), time.perf_counter()
            routed = route_frame(part, router)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            review += int(routed["needs_review"].sum())
            bar.update(len(part))
    result = {"model_kind": router.header_.get("kind"), "rows": len(frame),
              "distinct_texts": int(frame["text"].nunique()),
              "mean_chars": round(float(frame["text"].str.len().mean()), 1),
              "cpu_seconds": round(cpu, 2), "wall_seconds": round(wall, 2),
              "rows_per_cpu_second": round(len(frame) / cpu) if cpu else None,
              "cpu_seconds_per_1018000_rows": round(cpu / len(frame) * MILLION, 1) if len(frame) else None,
              "needs_review_share": round(review / len(frame), 4) if len(frame) else None}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"路由 routed {result['rows']:,} rows ({result['distinct_texts']:,} distinct, "
              f"{result['mean_chars']} chars on average) in {result['cpu_seconds']} CPU s "
              f"({result['wall_seconds']} s wall): {result['rows_per_cpu_second']:,} rows per CPU second, "
              f"{result['cpu_seconds_per_1018000_rows']} CPU s per 1,018,000 rows; "
              f"needs_review {result['needs_review_share']:.1%}")
    return 0
