"""How well `engine/titles.py` finds a title glued to its body: titled teddy2020 messages glued back together.

Every message of messages_hot, messages_replied and messages_labeled with both a title and a body (duplicates of
the pair dropped) is written as title + body with nothing between them, and ``glued_title`` is asked where the
title ends. The ids were split by parity before the rules were written: the odd half (``--half odd``) is the one
the rules were read against, the even half the one reported (``engine/titles.py``'s docstring).

    PYTHONPATH=src .venv/bin/python scripts/glued_titles_eval.py ../shared/data/teddy2020 [--half even] [--show 20]

Printed: how many texts, the share split, of the splits the share exactly at the title's end, within two
characters and elsewhere; ``--show N`` lists N misplaced splits (title found | what follows, and the true title).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from minsheng.engine.titles import glued_title

FILES = ("messages_hot.csv", "messages_replied.csv", "messages_labeled.csv")


def glued_pairs(data: Path) -> pd.DataFrame:
    """``id``, ``title``, ``body`` of every titled message with a body, each (title, body) once."""
    frames = [pd.read_csv(data / f, dtype=str).fillna("")[["id", "title", "body"]] for f in FILES]
    pairs = pd.concat(frames, ignore_index=True)
    pairs[["title", "body"]] = pairs[["title", "body"]].apply(lambda c: c.str.strip())
    pairs = pairs[(pairs["title"] != "") & (pairs["body"] != "")]
    return pairs.drop_duplicates(["title", "body"])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path, help="the teddy2020 folder")
    p.add_argument("--half", choices=("even", "odd"), default="even")
    p.add_argument("--show", type=int, default=0, help="list this many misplaced splits")
    args = p.parse_args()
    pairs = glued_pairs(args.data)
    pairs = pairs[(pd.to_numeric(pairs["id"]) % 2 == 1) == (args.half == "odd")]
    split = exact = near = 0
    wrong = []
    for title, body in zip(pairs["title"], pairs["body"], strict=True):
        k = glued_title(title + body)
        if not k:
            continue
        split += 1
        exact += k == len(title)
        near += 0 < abs(k - len(title)) <= 2
        if abs(k - len(title)) > 2:
            wrong.append(f"{(title + body)[:k]} | {(title + body)[k:k + 15]}    (title: {title})")
    n = len(pairs)
    print(f"{args.half} half: {n} glued texts, split {split} ({split / n:.1%}); of the splits exactly at the title's "
          f"end {exact / max(split, 1):.1%}, within two characters {near / max(split, 1):.1%}, elsewhere "
          f"{len(wrong) / max(split, 1):.1%}")
    for line in wrong[:args.show]:
        print(" ", line)


if __name__ == "__main__":
    main()
