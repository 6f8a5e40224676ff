"""Routing speed: rows per second on one core on synthetic messages (``minsheng route-bench``).

Generates ``n`` synthetic suggestions (the benchmark corpus of ``minsheng synth``), routes them with
:func:`minsheng.engine.routing.route_frame` in partitions in this one process, and measures CPU seconds,
rows per second and the projection to 1,018,000 rows. Exact duplicates are routed once, as in the pipeline,
so the number of distinct texts is reported too.
"""

from __future__ import annotations

import time

from minsheng.engine.progress import progress, set_quiet

MILLION = 1_018_000


def route_bench(*, model: str, n: int, partition: int, seed: int, quiet: bool) -> dict:
    """Route ``n`` synthetic suggestions with ``model`` in partitions of ``partition`` rows; the figures."""
    import pandas as pd

    from minsheng.engine.normalise import normalise_texts
    from minsheng.engine.routing import load_model, route_frame
    from minsheng.engine.synth import generate

    set_quiet(quiet)
    router = load_model(model)
    corpus = generate(n, seed=seed)
    texts = normalise_texts((corpus["title"].fillna("") + "\n" + corpus["body"].fillna("")).tolist())[0]
    frame = pd.DataFrame({"id": corpus["id"].astype(str), "text": texts})
    cpu, wall, review = 0.0, 0.0, 0
    with progress("routing", total=len(frame)) as bar:
        for start in range(0, len(frame), partition):
            part = frame.iloc[start:start + partition]
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
    return result
