"""Leave-one-set-out test of reply scores: does a score hold on a set of grades nobody tuned it on?

Each ``tests/data/reply_grades*.csv`` was graded by a different reader or round (``reply_grades.md``), so
holding out a whole set asks what a new reader would see; heldout4's two readers are one set (the same
replies), held out together. Three models, each learnt on the other sets:

- ``kinds``: a ridge regression of the grade on the seven kind indicators and the question lift of 有解释 and
  泛泛回应 (the design of the hand-set levels the scorer had until 2026-12-03, 9 weights);
- ``kinds+ask``: the same on the whole design (:func:`design`, 13 columns): the share of the message's asks
  whose object a reply with content names (:func:`asks_answered`), the share of its content clauses in general
  terms (:func:`general_share`), whether its content is under 25 characters and reports no outcome
  (:func:`too_short`), and whether an 已办理 reply's only outcome is what a check found or a date (``found_only``
  of :func:`classify_replies`): the scorer until round 17;
- ``shipped``: the scorer's model (:func:`fit_weights`, :func:`expected_grade`): the design, the character
  n-grams of the content and the log length scored at half its effect; ``scripts/reply_weights.py`` fits the
  same on every set.

Printed per held-out file: Spearman of a plain-length scorer (the reply's length in characters) with the
grades, the yardstick a score must beat; then of each model with the grades and a bootstrap 95 % interval, then of the paired change
``shipped`` − ``kinds+ask`` (what the n-grams and length add); pooled over every grade (each held-out set scored by
the model fitted without it) and the mean of the files, with the paired change's 95 % interval over the files
resampled; then, with each model fitted on all sets, Spearman of the score with reply length over all replies and
the partial correlation of score and length with the grade held fixed (and the design models' weights).

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
    KINDS,
    asks_answered,
    asks_question,
    classify_replies,
    design,
    expected_grade,
    fit_weights,
    general_share,
    read_grades,
    too_short,
)
from minsheng.engine.routing import read_texts
from minsheng.engine.titles import texts_as_read

GRADES = Path(__file__).resolve().parents[1] / "tests" / "data"
MODELS = ["kinds", "kinds+ask", "shipped"]


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """Per reply (indexed by id): kind, question flag, the answer features, content clauses and length."""
    replies = frame["reply"].fillna("").astype(str).tolist()
    messages = frame["text"].fillna("").astype(str).tolist()
    question = asks_question(messages)
    year = pd.to_datetime(frame["time"], errors="coerce").dt.year.to_numpy(dtype=float)
    cues = classify_replies(replies, question, year)
    contents = cues["content"].tolist()
    answered = asks_answered(texts_as_read(frame), contents)
    out = pd.DataFrame({"kind": cues["kind"], "question": question, "answered": answered,
                        "general": general_share(contents), "short": too_short(contents, cues["kind"].to_numpy()),
                        "found_only": cues["found_only"].to_numpy(dtype=float), "content": contents,
                        "length": [len(r) for r in replies]})
    return out.set_index(frame["id"].astype(str).to_numpy())


def columns(f: pd.DataFrame, model: str) -> np.ndarray:
    """The scorer's design (:func:`design`); ``kinds`` keeps its kind indicators and question lifts only."""
    x = design(f["kind"], f["question"].to_numpy(dtype=bool), f["answered"].to_numpy(dtype=float),
               f["general"].to_numpy(dtype=float), f["short"].to_numpy(dtype=float),
               f["found_only"].to_numpy(dtype=float))
    return x[:, :len(KINDS) + 2] if model == "kinds" else x


def fit(train: pd.DataFrame, model: str) -> Ridge | dict:
    """A ridge regression of the design (``kinds``, ``kinds+ask``), or the scorer's weights (``shipped``)."""
    if model == "shipped":
        return fit_weights(columns(train, model), train["content"].tolist(), train["length"].to_numpy(),
                           train["grade"].to_numpy())
    return Ridge(alpha=1.0).fit(columns(train, model), train["grade"])


def predict(fitted: Ridge | dict, f: pd.DataFrame, model: str) -> np.ndarray:
    if model == "shipped":
        return expected_grade(columns(f, model), f["content"].tolist(), f["length"].to_numpy(), fitted)
    return fitted.predict(columns(f, model))


def bootstrap(scores: list[np.ndarray], grade: np.ndarray, rng: np.random.Generator, n: int = 2000) -> list:
    """95 % percentile intervals of Spearman over ``n`` resamples of the replies, for each score, then of the
    paired change from the last score but one to the last (the same resamples: the sets are small, the scores close)."""
    idx = rng.integers(0, len(grade), (n, len(grade)))
    values = np.array([[spearmanr(s[i], grade[i])[0] for s in scores] for i in idx])
    values = np.column_stack([values, values[:, -1] - values[:, -2]])
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
            predicted[m][test] = predict(fit(graded[~test], m), graded[test], m)
    rng = np.random.default_rng(0)
    print(f"{'held-out file':<18}{'n':>4}{'length':>8}" + "".join(f"{m:>30}" for m in [*MODELS, "change"]))
    for name in graded["file"].unique():
        rows = (graded["file"] == name).to_numpy()
        grade = graded["grade"].to_numpy()[rows]
        scores = [predicted[m][rows] for m in MODELS]
        rs = [spearmanr(s, grade)[0] for s in scores]
        intervals = bootstrap(scores, grade, rng, args.resamples) if args.resamples else [(np.nan, np.nan)] * (len(MODELS) + 1)
        print(f"{name:<18}{rows.sum():>4}{spearmanr(graded['length'].to_numpy()[rows], grade)[0]:>+8.3f}" + "".join(
            f"{r:>+12.3f} (95 % {lo:+.2f} to {hi:+.2f})"
            for r, (lo, hi) in zip([*rs, rs[-1] - rs[-2]], intervals, strict=True)))
    print(f"{'pooled':<18}{len(graded):>4}{spearmanr(graded['length'], graded['grade'])[0]:>+8.3f}" + "".join(
        f"{spearmanr(predicted[m], graded['grade'])[0]:>+12.3f}{'':>18}" for m in MODELS))
    files = pd.DataFrame({m: [spearmanr(predicted[m][rows], graded["grade"][rows])[0]
                              for rows in (graded["file"] == name for name in graded["file"].unique())]
                          for m in MODELS})
    change = (files[MODELS[-1]] - files[MODELS[-2]]).to_numpy()
    means = change[rng.integers(0, len(change), (max(args.resamples, 1), len(change)))].mean(axis=1)
    print(f"{'mean of files':<22}" + "".join(f"{files[m].mean():>+12.3f}{'':>18}" for m in MODELS)
          + f"{change.mean():>+12.3f} (95 % {np.percentile(means, 2.5):+.3f} to {np.percentile(means, 97.5):+.3f}, "
          f"files resampled; {(change > 0).sum()} up, {(change < 0).sum()} down)")
    r_gl = spearmanr(graded["grade"], graded["length"])[0]
    for m in MODELS:
        model = fit(graded, m)
        on_graded = predict(model, graded, m)
        r_sg, r_sl = spearmanr(on_graded, graded["grade"])[0], spearmanr(on_graded, graded["length"])[0]
        weights = ""
        if m != "shipped":
            levels = model.coef_.copy()
            levels[:len(KINDS)] += model.intercept_  # the expected grade of each kind
            names = [*KINDS, "有解释|question", "泛泛回应|question", "answered", "general", "short", "found only"]
            weights = "; weights " + ", ".join(f"{k} {w:.2f}" for k, w in zip(names, levels, strict=False))
        total = np.where(feats["length"] > 0, np.clip(predict(model, feats, m), 0, 4), 0)  # as score_replies does
        print(f"{m}: Spearman with length over all {len(feats)} replies "
              f"{spearmanr(total, feats['length'])[0]:.3f}; partial (score, length | "
              f"grade) on the {len(graded)} grades {partial(r_sl, r_sg, r_gl):.3f}{weights}")


if __name__ == "__main__":
    main()
