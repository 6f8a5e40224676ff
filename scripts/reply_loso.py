"""Leave-one-set-out test of reply scores: does a score hold on a set of grades nobody tuned it on?

Each ``tests/data/reply_grades*.csv`` was graded by a different reader or round (``reply_grades.md``), so
holding out a whole set asks what a new reader would see; heldout4's two readers are one set (the same
replies), held out together. Two designs, each a ridge regression of the grade learnt on the other sets:

- ``kinds``: the seven kind indicators and the question lift of 有解释 and 泛泛回应 (the design of the hand-set
  levels the scorer had until 2026-12-03, 9 weights);
- ``kinds+ask``: the same plus, for a reply with content, the share of the message's asks whose object the
  reply names (:func:`asks_answered`) and the share of its content clauses that speak in general terms
  (:func:`general_share`) and whether its content is under 25 characters and reports no outcome
  (:func:`too_short`), and whether an 已办理 reply's only outcome is what a check found or a date
  (``found_only`` of :func:`classify_replies`): what
  ``score_replies`` uses, with the weights fitted on every set.

Printed per held-out file: Spearman of a plain-length scorer (the reply's length in characters) with the
grades, the yardstick a score must beat; then of each design with the grades and a bootstrap 95 % interval, then of the paired change
``kinds+ask`` − ``kinds``; pooled over every grade (each held-out set scored by the model fitted without it);
then, with each design fitted on all sets, Spearman of the score with reply length over all replies, the
partial correlation of score and length with the grade held fixed, and the fitted weights (the constants of
``engine/replies.py``).

    PYTHONPATH=src .venv/bin/python scripts/reply_loso.py ../shared/data/teddy2020/messages_replied.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge

from minsheng.engine.replies import (
    CONTENT_KINDS,
    KINDS,
    asks_answered,
    asks_question,
    classify_replies,
    general_share,
    read_grades,
    score_replies,
    too_short,
)
from minsheng.engine.routing import read_texts

GRADES = Path(__file__).resolve().parents[1] / "tests" / "data"
MODELS = ["kinds", "kinds+ask"]


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """Per reply (indexed by id): kind, question flag, the two answer features, shipped total and length."""
    replies = frame["reply"].fillna("").astype(str).tolist()
    messages = frame["text"].fillna("").astype(str).tolist()
    question = asks_question(messages)
    year = pd.to_datetime(frame["time"], errors="coerce").dt.year.to_numpy(dtype=float)
    cues = classify_replies(replies, question, year)
    contents = cues["content"].tolist()
    out = pd.DataFrame({"kind": cues["kind"], "question": question, "answered": asks_answered(messages, contents),
                        "general": general_share(contents), "short": too_short(contents, cues["kind"].to_numpy()),
                        "found_only": cues["found_only"].to_numpy(dtype=float),
                        "length": [len(r) for r in replies],
                        "total": score_replies(frame)["total"].to_numpy()})
    return out.set_index(frame["id"].astype(str).to_numpy())


def design(f: pd.DataFrame, model: str) -> np.ndarray:
    """Kind indicators, a question lift for the two content kinds, and (``kinds+ask``) the answer features of
    a reply with content (an ask naming nothing distinctive counts as half answered, as in the scorer)."""
    cols = [f["kind"].eq(k) for k in KINDS]
    cols += [f["kind"].eq("有解释") & f["question"], f["kind"].eq("泛泛回应") & f["question"]]
    if model == "kinds+ask":
        content = f["kind"].isin(list(CONTENT_KINDS))
        cols += [f["answered"].fillna(0.5) * content, f["general"] * content, f["short"] * content,
                 f["found_only"] * f["kind"].eq("已办理")]
    return np.column_stack(cols).astype(float)


def fit(train: pd.DataFrame, model: str) -> Ridge:
    return Ridge(alpha=1.0).fit(design(train, model), train["grade"])


def bootstrap(scores: list[np.ndarray], grade: np.ndarray, rng: np.random.Generator, n: int = 2000) -> list:
    """95 % percentile intervals of Spearman over ``n`` resamples of the replies, for each score, then of the
    paired change from the first score to the last (the same resamples: the sets are small, the scores close)."""
    idx = rng.integers(0, len(grade), (n, len(grade)))
    values = np.array([[spearmanr(s[i], grade[i])[0] for s in scores] for i in idx])
    values = np.column_stack([values, values[:, -1] - values[:, 0]])
    return [tuple(np.nanpercentile(v, [2.5, 97.5])) for v in values.T]


def partial(a: float, b: float, c: float) -> float:
    """Partial correlation of x and y given z from r(x,y)=a, r(x,z)=b, r(y,z)=c."""
    return (a - b * c) / np.sqrt(max((1 - b**2) * (1 - c**2), 1e-12))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("replied", help="messages_replied.csv (teddy2020)")
    p.add_argument("--sets", nargs="*", help="grade files (default: every reply_grades*.csv)")
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples per set (0: none)")
    args = p.parse_args()
    frame = read_texts([args.replied], extra=("reply", "reply_time"))
    feats = features(frame.assign(id=frame["id"].astype(str)))
    paths = [Path(s) for s in args.sets] if args.sets else sorted(GRADES.glob("reply_grades*.csv"))
    graded = pd.concat([read_grades(f).assign(file=f.stem.removeprefix("reply_grades_"),
                                              set=f.stem.removeprefix("reply_grades_").removesuffix("_reader2"))
                        for f in paths], ignore_index=True)
    graded = graded.join(feats, on="id", how="inner")
    predicted = {m: np.zeros(len(graded)) for m in MODELS}
    for name in graded["set"].unique():
        test = (graded["set"] == name).to_numpy()
        for m in MODELS:
            predicted[m][test] = fit(graded[~test], m).predict(design(graded[test], m))
    rng = np.random.default_rng(0)
    print(f"{'held-out file':<18}{'n':>4}{'length':>8}" + "".join(f"{m:>30}" for m in [*MODELS, "change"]))
    for name in graded["file"].unique():
        rows = (graded["file"] == name).to_numpy()
        grade = graded["grade"].to_numpy()[rows]
        scores = [predicted[m][rows] for m in MODELS]
        rs = [spearmanr(s, grade)[0] for s in scores]
        intervals = bootstrap(scores, grade, rng, args.resamples) if args.resamples else [(np.nan, np.nan)] * 3
        print(f"{name:<18}{rows.sum():>4}{spearmanr(graded['length'].to_numpy()[rows], grade)[0]:>+8.3f}" + "".join(
            f"{r:>+12.3f} (95 % {lo:+.2f} to {hi:+.2f})"
            for r, (lo, hi) in zip([*rs, rs[-1] - rs[0]], intervals, strict=True)))
    print(f"{'pooled':<18}{len(graded):>4}{spearmanr(graded['length'], graded['grade'])[0]:>+8.3f}" + "".join(
        f"{spearmanr(predicted[m], graded['grade'])[0]:>+12.3f}{'':>18}" for m in MODELS))
    print(f"shipped total (in-sample): pooled {spearmanr(graded['total'], graded['grade'])[0]:+.3f}; over all "
          f"{len(feats)} replies with length {spearmanr(feats['total'], feats['length'])[0]:.3f}")
    r_gl = spearmanr(graded["grade"], graded["length"])[0]
    for m in MODELS:
        model = fit(graded, m)
        on_graded = model.predict(design(graded, m))
        r_sg, r_sl = spearmanr(on_graded, graded["grade"])[0], spearmanr(on_graded, graded["length"])[0]
        levels = model.coef_.copy()
        levels[:len(KINDS)] += model.intercept_  # the expected grade of each kind
        names = [*KINDS, "有解释|question", "泛泛回应|question", "answered", "general", "short", "found only"]
        weights = ", ".join(f"{k} {w:.2f}" for k, w in zip(names, levels, strict=False))
        print(f"{m}: Spearman with length over all {len(feats)} replies "
              f"{spearmanr(model.predict(design(feats, m)), feats['length'])[0]:.3f}; partial (score, length | "
              f"grade) on the {len(graded)} grades {partial(r_sl, r_sg, r_gl):.3f}; weights {weights}")


if __name__ == "__main__":
    main()
