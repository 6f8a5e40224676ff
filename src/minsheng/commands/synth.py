"""``minsheng synth``: generate the synthetic consultation corpus (demo and benchmark data)."""

from __future__ import annotations

import argparse
import logging

from minsheng.engine.progress import set_quiet

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("synth", help="generate a synthetic Chinese consultation corpus with ground truth")
    p.add_argument("--n", type=int, default=20_000, help="number of suggestions (default 20000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="output file: .csv, .parquet, .jsonl or .xlsx")
    p.add_argument("--regions", action="store_true",
                   help="add a region column (header region): the district the text names, else a few skewed ones, 15%% empty")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.engine.synth import generate, write_corpus

    set_quiet(args.quiet)
    frame = generate(args.n, seed=args.seed, regions=args.regions)
    path = write_corpus(frame, args.out)
    log.info("wrote %d suggestions to %s", len(frame), path)
    print(path)
    return 0
