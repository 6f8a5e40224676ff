"""``minsheng themes | hot-issues | replies``: run one analysis step on files, to try it or tune it.

``minsheng analyze`` runs every step; these run the engine with a single one on the same inputs (same column
flags, same normalisation) and write the same kind of output directory, holding only that step's table:

    minsheng themes messages.csv --text-col title --text-col body --out out/ [--model-out themes.joblib]
    minsheng hot-issues messages_hot.csv --text-col title --text-col body --time-col time --user-col user \\
        --extra-col likes --extra-col dislikes --out out/
    minsheng replies messages_replied.csv --text-col title --text-col body --time-col time \\
        --extra-col reply --extra-col reply_time --out out/
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from minsheng.commands.analyze import add_input_arguments, options_from, positive_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("themes", help="theme discovery only: themes.csv, records.parquet with theme ids")
    _common(p)
    p.add_argument("--n-broad", type=positive_int, default=20)
    p.add_argument("--n-fine", type=positive_int, help="exactly this many fine themes (default: as many as the data holds)")
    p.add_argument("--sample-size", dest="theme_sample", type=int, default=50_000)
    p.add_argument("--seed", dest="theme_seed", type=int, default=0)
    p.add_argument("--model", dest="theme_model", help="assign with this saved model instead of fitting one")
    p.add_argument("--model-out", help="also save the model here (it is always in DIR/theme_model.joblib)")
    p.set_defaults(func=run_themes)

    p = sub.add_parser("hot-issues", help="hot issues only: writes hot_issues.csv")
    _common(p)
    p.add_argument("--window-days", type=int, default=90)
    p.add_argument("--top", type=int, default=5, help="print the hottest N issues")
    p.set_defaults(func=run_hot_issues)

    p = sub.add_parser("replies", help="reply quality only: writes replies.csv and replies_by_department.csv")
    _common(p)
    p.add_argument("--reply-col", default="reply")
    p.add_argument("--reply-time-col", default="reply_time")
    p.set_defaults(func=run_replies)


def _common(p: argparse.ArgumentParser) -> None:
    add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def _run(args: argparse.Namespace, step):
    """The engine with only ``step``; the result written to ``--out`` and returned."""
    from minsheng.engine.pipeline import analyze
    from minsheng.engine.result import write_result

    result = analyze(args.inputs, options_from(args), [step])
    write_result(result, args.out)
    return result


def run_themes(args: argparse.Namespace) -> int:
    from minsheng.engine.pipeline import themes
    from minsheng.engine.result import model_path

    table = _run(args, themes).themes
    if table is None:
        print(f"no themes; output: {args.out}")
        return 0
    if args.model_out:
        shutil.copyfile(model_path(args.out, "themes"), args.model_out)
    broad = table[table.level == "broad"]
    print(broad[["theme_id", "label", "n_messages", "n_users"]].to_string(index=False))
    print(f"{len(broad)} broad, {len(table) - len(broad)} fine themes; output: {args.out}")
    return 0


def run_hot_issues(args: argparse.Namespace) -> int:
    import pandas as pd

    from minsheng.engine.pipeline import hot_issues

    table = _run(args, hot_issues).hot_issues
    table = table if table is not None else ()
    for row in table.head(args.top).itertuples() if len(table) else ():
        span = f" {row.time_start:%Y-%m-%d}–{row.time_end:%Y-%m-%d}" if pd.notna(row.time_start) else ""
        print(f"{row.rank}. [{row.heat}] {row.place_or_group}{span} "
              f"{row.n_messages} 条/{row.n_users} 人/{row.likes} 赞 — {row.description}")
    print(f"{len(table)} hot issues; output: {args.out}")
    return 0


def run_replies(args: argparse.Namespace) -> int:
    from minsheng.engine.pipeline import replies

    scores = _run(args, replies).replies
    if scores is None:
        print(f"no replies scored; output: {args.out}")
        return 0
    json.dump({c: round(float(scores[c].mean()), 3) for c in
               ("relevance", "completeness", "interpretability", "timeliness", "total")},
              sys.stdout, ensure_ascii=False)
    print(f"\n{len(scores)} replies scored; output: {args.out}")
    return 0
