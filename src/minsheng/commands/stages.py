"""``minsheng themes | hot-issues | replies``: run one analysis stage on files, to try it or tune it.

``minsheng analyze`` runs every stage; these run a single one on the same inputs (same column flags, same
normalisation) and write only its table, so a stage can be looked at without a full run:

    minsheng themes messages.csv --text-col title --text-col body --out out/ [--model-out themes.joblib]
    minsheng hot-issues messages_hot.csv --text-col title --text-col body --time-col time --user-col user \\
        --extra-col likes --extra-col dislikes --out out/
    minsheng replies messages_replied.csv --text-col title --text-col body --time-col time \\
        --extra-col reply --extra-col reply_time --out out/
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from minsheng.commands.analyze import add_input_arguments, column_map
from minsheng.engine.cells import write_csv
from minsheng.engine.progress import set_quiet

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("themes", help="theme discovery only: writes themes.csv and record_themes.csv")
    _common(p)
    p.add_argument("--n-broad", type=int, default=20)
    p.add_argument("--n-fine", type=int, help="exactly this many fine themes (default: as many as the data holds)")
    p.add_argument("--sample-size", type=int, default=50_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model", help="assign with this saved model instead of fitting one")
    p.add_argument("--model-out", help="save the fitted model here (joblib)")
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


def _read(args: argparse.Namespace):
    """Ingest and normalise exactly as ``analyze`` does, so a stage sees the same texts."""
    from minsheng.engine.ingest import read_records
    from minsheng.engine.normalise import normalise_texts

    set_quiet(args.quiet)
    frame, rejects = read_records(args.inputs, columns=column_map(args))
    if rejects:
        log.warning("%d rows rejected (see `minsheng analyze` for rejects.csv)", len(rejects))
    texts, _ = normalise_texts(frame["text"].tolist())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return frame.assign(text=texts), out


def run_themes(args: argparse.Namespace) -> int:
    import joblib

    from minsheng.engine.themes import assign_themes, fit_themes, theme_table

    frame, out = _read(args)
    if args.model:
        model = joblib.load(args.model)
    else:
        model = fit_themes(frame, n_broad=args.n_broad, n_fine=args.n_fine, sample_size=args.sample_size,
                           random_state=args.seed)
    frame = frame.join(assign_themes(frame, model))
    table = theme_table(frame, model)
    write_csv(table, out / "themes.csv")
    write_csv(frame[["id", "theme_id", "theme_broad_id", "theme_score"]], out / "record_themes.csv")
    if args.model_out:
        joblib.dump(model, args.model_out)
    broad = table[table.level == "broad"]
    print(broad[["theme_id", "label", "n_messages", "n_users"]].to_string(index=False))
    print(f"{len(broad)} broad, {len(table) - len(broad)} fine themes; output: {out}")
    return 0


def run_hot_issues(args: argparse.Namespace) -> int:
    from minsheng.engine.hot_issues import find_hot_issues

    frame, out = _read(args)
    _, table = find_hot_issues(frame, window_days=args.window_days)
    write_csv(table, out / "hot_issues.csv")
    for row in table.head(args.top).itertuples():
        print(f"{row.rank}. [{row.heat}] {row.place_or_group} {row.time_start:%Y-%m-%d}–{row.time_end:%Y-%m-%d} "
              f"{row.n_messages} 条/{row.n_users} 人/{row.likes} 赞 — {row.description}")
    print(f"{len(table)} hot issues; output: {out}")
    return 0


def run_replies(args: argparse.Namespace) -> int:
    from minsheng.engine.replies import replies_by_department, score_replies

    frame, out = _read(args)
    scores = score_replies(frame, reply_col=args.reply_col, reply_time_col=args.reply_time_col or None)
    write_csv(scores, out / "replies.csv")
    per_dept = replies_by_department(scores, frame)
    write_csv(per_dept, out / "replies_by_department.csv")
    json.dump({c: round(float(scores[c].mean()), 3) for c in
               ("relevance", "completeness", "interpretability", "timeliness", "total")},
              sys.stdout, ensure_ascii=False)
    print(f"\n{len(scores)} replies scored; output: {out}")
    return 0
