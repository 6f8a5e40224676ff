"""``minsheng evaluate-digest``: how good is the suggestion digest? (see :mod:`minsheng.engine.digest_eval`)

    minsheng evaluate-digest --gold tests/data/digest_gold.csv --data ../shared/data/teddy2020
        B-cubed precision and recall against the hand-built gold set, and the readable-headline share;
    minsheng evaluate-digest --synth 100000 [--seed 7]
        AMI between planted and found suggestions, share of planted suggestions whose headline is found;
    minsheng evaluate-digest --corpus corpus.parquet --output out/
        the same for an analysis already written (what ``minsheng bench`` prints);
    minsheng evaluate-digest --mixed-labels tests/data/digest_mixed_labels.csv --output out/
        precision and recall of the ``mixed`` flag of ``out/suggestions.csv`` (an analysis of messages_hot.csv).
"""

from __future__ import annotations

import argparse
import json
import tempfile


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate-digest", help="score the suggestion digest: gold set (B-cubed) and synthetic (AMI)")
    p.add_argument("--gold", help="gold set CSV (file, id, suggestion); with --data")
    p.add_argument("--data", help="directory holding the files the gold set names")
    p.add_argument("--synth", type=int, metavar="N", help="generate N synthetic suggestions and score the digest")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--corpus", help="a synthetic corpus (parquet) already analysed into --output")
    p.add_argument("--output", help="the analysis output directory of --corpus")
    p.add_argument("--mixed-labels", help="suggestions labelled mixed/pure by hand; with --output")
    p.add_argument("--threshold", type=float, help="digest similarity threshold (default: the model's)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    from minsheng.engine.digest_eval import evaluate_gold, evaluate_synth, mixed_scores, score_output
    from minsheng.engine.errors import InputError
    from minsheng.engine.ingest import read_side_table

    params = {"threshold": args.threshold} if args.threshold is not None else {}
    scores = {}
    with tempfile.TemporaryDirectory(prefix="minsheng-digest-") as tmp:
        if args.gold:
            if not args.data:
                raise InputError("--gold needs --data (the directory of the files it names)", field="--data")
            scores["gold"] = evaluate_gold(args.data, args.gold, tmp, **params)
        if args.synth:
            scores["synth"] = evaluate_synth(args.synth, args.seed, tmp, **params)
        if args.corpus:
            if not args.output:
                raise InputError("--corpus needs --output (its analysis directory)", field="--output")
            scores["output"] = score_output(args.corpus, args.output)
        if args.mixed_labels:
            if not args.output:
                raise InputError("--mixed-labels needs --output (an analysis of messages_hot.csv)", field="--output")
            table = read_side_table(f"{args.output}/suggestions.csv", dtype={"member_ids": str})
            scores["mixed"] = mixed_scores(table, read_side_table(args.mixed_labels, dtype={"member_ids": str}))
    if not scores:
        raise InputError("nothing to evaluate: give --gold/--data, --synth N, --corpus/--output or --mixed-labels")
    print(json.dumps(scores, ensure_ascii=False, indent=2))
    return 0
