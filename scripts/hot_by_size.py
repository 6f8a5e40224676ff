"""Hot-issue recall by gold issue size: are the small issues (two or three letters) the ones missed?

A gold issue of 2 letters weighs 2 messages in B-cubed recall, one of 37 weighs 37, so the overall figure hides
whether a pair of letters about one broken lift is linked at all. This runs the engine up to hot issues on each
DEV file (messages_hot, messages_replied) as it is and as a bare export (``id,text``, ``hot_eval.export_shape``),
for each theme seed asked, and prints per size band (2, 3, 4-5, 6+): gold issues, B-cubed recall of their
messages, found whole (one hot issue holds them all), split, missed entirely. ``--show`` lists the missed and
split small issues (ids and the hot issue of each member), to read.

    PYTHONPATH=src .venv/bin/python scripts/hot_by_size.py ../shared/data/teddy2020 [--seeds 0 1 2 3] [--show]

Never give it the labeled_text gold set: that one is the lead's blind set.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from minsheng.engine.hot_eval import export_shape, read_gold

RUNS = (("messages_hot.csv", "tests/data/hot_issues_gold.csv"),
        ("messages_replied.csv", "tests/data/hot_issues_gold_replied.csv"))
BANDS = ((2, 2, "2"), (3, 3, "3"), (4, 5, "4-5"), (6, 10**9, "6+"))


def hot_issue_of(path: Path, seed: int) -> pd.Series:
    """The hot issue of each message of ``path`` (index: id), as ``minsheng analyze`` would give it."""
    from minsheng.engine.pipeline import AnalyzeOptions, analyze, campaigns, duplicates, hot_issues, themes

    run = analyze([path], AnalyzeOptions(theme_seed=seed), steps=[duplicates, campaigns, themes, hot_issues])
    records = run.records
    return records.set_index(records["id"].astype(str))["hot_issue_id"].astype("string")


def by_size(pred: pd.Series, gold: pd.DataFrame) -> pd.DataFrame:
    """One row per gold issue: size, B-cubed recall summed over its members, hot issues it touches, members in one."""
    g = gold.assign(pred=gold["id"].map(pred.to_dict()))
    rows = []
    for gid, members in g.groupby("gold"):
        counts = members["pred"].dropna().value_counts()
        size = len(members)
        alone = size - int(counts.sum())  # in no hot issue: a singleton, as hot_eval.score_hot_issues counts it
        shown = zip(members["id"], members["pred"].fillna("-"), strict=True)
        rows.append({"gold": gid, "size": size, "recall_sum": float(((counts ** 2).sum() + alone) / size),
                     "issues": len(counts), "members": ";".join(f"{i}:{p}" for i, p in shown)})
    return pd.DataFrame(rows)


def band_table(table: pd.DataFrame) -> list[str]:
    lines = []
    for lo, hi, name in BANDS:
        t = table[(table["size"] >= lo) & (table["size"] <= hi)]
        if not len(t):
            continue
        lines.append(f"    {name:<4} {len(t):>3} issues {int(t['size'].sum()):>4} msgs  R {t['recall_sum'].sum() / t['size'].sum():.3f}"
                     f"  whole {int(((t['issues'] == 1) & ~t['members'].str.contains(':-')).sum()):>3}"
                     f"  split {int((t['issues'] >= 2).sum()):>3}  missed {int((t['issues'] == 0).sum()):>3}")
    return lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path, help="the teddy2020 folder")
    p.add_argument("--seeds", type=int, nargs="+", default=[0])
    p.add_argument("--shapes", nargs="+", default=["full", "bare"], choices=("full", "bare"))
    p.add_argument("--show", action="store_true", help="list the small (2-5) gold issues missed or split")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="minsheng-by-size-") as tmp:
        for name, gold_path in RUNS:
            gold = read_gold(gold_path)
            for shape in args.shapes:
                path = args.data / name if shape == "full" else export_shape(args.data / name, shape, tmp)
                for seed in args.seeds:
                    table = by_size(hot_issue_of(path, seed), gold)
                    overall = table["recall_sum"].sum() / table["size"].sum()
                    print(f"{name} {shape} seed {seed}: R {overall:.3f}")
                    print("\n".join(band_table(table)))
                    if args.show:
                        small = table[(table["size"] <= 5) & ((table["issues"] != 1) | table["members"].str.contains(":-"))]
                        for r in small.itertuples():
                            print(f"      {r.gold} ({r.size}) {r.members}")


if __name__ == "__main__":
    main()
