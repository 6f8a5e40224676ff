"""Build ``engine/reply_weights.json``: the reply scorer's ridge regression, fitted on every hand grade.

The design of what a reply did (``engine.replies.design``), the sublinear TF-IDF of the character 2–3-grams of
its content clauses (n-grams in at least 5 graded replies) and its log length, ridge alpha 1 on all
``tests/data/reply_grades*.csv`` (heldout4's two readers both counted): ``engine.replies.fit_weights``, which
``scripts/reply_loso.py`` refits leaving each set out. ``length_share`` is how much of the fitted length effect
the scorer keeps (the rest is set to the graded replies' mean). ``--sets`` names the grade files to fit on, so that
a set still to be scored blind stays out of the fit.

    PYTHONPATH=src .venv/bin/python scripts/reply_weights.py ../shared/data/teddy2020/messages_replied.csv
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.replies import (
    WEIGHTS,
    asks_answered,
    asks_question,
    classify_replies,
    design,
    fit_weights,
    general_share,
    read_grades,
    too_short,
)
from minsheng.engine.routing import read_texts
from minsheng.engine.titles import texts_as_read

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("replied", help="messages_replied.csv (teddy2020)")
    p.add_argument("--length-share", type=float, default=0.5)
    p.add_argument("--sets", nargs="*", help="grade files (default: every reply_grades*.csv)")
    args = p.parse_args()
    frame = read_texts([args.replied], extra=("reply", "reply_time"))
    frame = frame.assign(id=frame["id"].astype(str))
    paths = [Path(s) for s in args.sets] if args.sets else sorted((ROOT / "tests" / "data").glob("reply_grades*.csv"))
    grades = pd.concat([read_grades(f) for f in paths])
    frame = frame.set_index("id").loc[grades["id"].astype(str)]
    replies = frame["reply"].fillna("").astype(str).tolist()
    messages = frame["text"].fillna("").astype(str).tolist()
    question = asks_question(messages)
    cues = classify_replies(replies, question, pd.to_datetime(frame["time"], errors="coerce").dt.year.to_numpy(float))
    contents = cues["content"].tolist()
    columns = design(cues["kind"], question, asks_answered(texts_as_read(frame), contents), general_share(contents),
                     too_short(contents, cues["kind"].to_numpy()), cues["found_only"].to_numpy(dtype=float))
    out = fit_weights(columns, contents, np.array([len(r) for r in replies]), grades["grade"].to_numpy(),
                      args.length_share)
    path = ROOT / "src" / "minsheng" / "engine" / WEIGHTS
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path}: {len(out['ngrams'])} n-grams, {len(grades)} grades in {len(paths)} files, log length {out['log_length']:+.3f}")


if __name__ == "__main__":
    main()
