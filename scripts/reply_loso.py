"""Leave-one-set-out test of reply scores: does a score hold on a set of grades nobody tuned it on?

Each ``tests/data/reply_grades*.csv`` was graded by a different reader or round (``reply_grades.md``), so
holding out a whole set asks what a new reader would see. Three scores are compared on every set:

- ``fixed``: ``score_replies``' total, one hand-set level per kind (tuned on every set but heldout6 and
  later, so only its figures on the sets graded after it are blind);
- ``levels``: a ridge regression of the grade on the kind indicators and the question flag (the same
  design as the fixed levels, its 9 weights learnt on the other sets);
- ``levels+specifics``: the same plus whether the reply's content clauses name each of eight concrete
  things (a date, an amount with its unit, a law or article, an office, a phone number, an address or
  window, a finding on inspection, a deadline): within-kind ordering from what the reply concretely says.

Printed per set: Spearman with the grades and a bootstrap 95 % interval; then, with every model fitted on
all sets, Spearman of the score with reply length over all replies and the partial correlation of score
and length with the grade held fixed (pooled grades).

    PYTHONPATH=src .venv/bin/python scripts/reply_loso.py ../shared/data/teddy2020/messages_replied.csv
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge

from minsheng.engine.replies import _PHONE, _UNIT, asks_question, classify_replies, read_grades, score_replies
from minsheng.engine.routing import read_texts

GRADES = Path(__file__).resolve().parents[1] / "tests" / "data"
KINDS = ["已办理", "在办理", "有解释", "泛泛回应", "仅指引", "仅转办", "无内容"]
# What a reply can concretely say; presence in the content clauses (not counts: counts follow length).
SPECIFICS = {
    "date": re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月"
                       r"[一二三四五六七八九十]{1,3}日|\d{1,2}\s*月(?:底|初|中旬|上旬|下旬)"),
    "amount": re.compile(r"\d+(?:\.\d+)?\s*(?:万?元|万|亿|米|公里|千米|平方米|平米|㎡|亩|户|人|名|辆|台|盏|个|处|家|套|"
                         r"间|栋|吨|天|日|个工作日|小时|%|％|分贝)"),
    "law": re.compile(r"《[^》]{2,40}》|第[一二三四五六七八九十百\d]+条"),
    "office": _UNIT,
    "phone": _PHONE,
    "address": re.compile(r"\d+\s*号|窗口|大厅|[楼室栋]\d|\d+\s*[楼室栋层]|地址|位于"),
    "finding": re.compile(r"经(?:调查|核实|查|现场|实地|核查|检查|走访|了解)[^。]{0,6}[，,：:]?[^。]{0,4}"
                          r"(?:发现|确认|是|属实|不属实|未发现|系|该)|发现|属实|检测|监测|结果"),
    "deadline": re.compile(r"(?:前|之前|以前)(?:完成|完工|建成|开工|到位|整改|解决)|年底|月底|年内|月内|底前|限期|期限"),
}


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """Per reply (indexed by id): kind, question flag, fixed total, length and the eight specifics."""
    replies = frame["reply"].fillna("").astype(str).tolist()
    question = asks_question(frame["text"].fillna("").astype(str).tolist())
    year = pd.to_datetime(frame["time"], errors="coerce").dt.year.to_numpy(dtype=float)
    cues = classify_replies(replies, question, year)
    spec = pd.DataFrame({k: [bool(p.search(c)) for c in cues["content"]] for k, p in SPECIFICS.items()})
    out = spec.assign(kind=cues["kind"], question=question, length=[len(r) for r in replies],
                      total=score_replies(frame)["total"].to_numpy())
    return out.set_index(frame["id"].astype(str).to_numpy())


def design(f: pd.DataFrame, specifics: bool) -> np.ndarray:
    """Kind indicators, a question lift for the two content kinds, and (optionally) the specifics."""
    cols = [f["kind"].eq(k) for k in KINDS]
    cols += [f["kind"].eq("有解释") & f["question"], f["kind"].eq("泛泛回应") & f["question"]]
    cols += [f[k] for k in SPECIFICS] if specifics else []
    return np.column_stack(cols).astype(float)


def predict(train: pd.DataFrame, test: pd.DataFrame, model: str) -> np.ndarray:
    """The score of ``test`` under ``model``, learnt on ``train`` (the fixed levels learn nothing)."""
    if model == "fixed":
        return test["total"].to_numpy()
    specifics = model == "levels+specifics"
    return Ridge(alpha=1.0).fit(design(train, specifics), train["grade"]).predict(design(test, specifics))


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
    p.add_argument("--sets", nargs="*", help="grade files (default: every reply_grades*.csv but the second reader)")
    args = p.parse_args()
    frame = read_texts([args.replied], extra=("reply", "reply_time"))
    feats = features(frame.assign(id=frame["id"].astype(str)))
    paths = [Path(s) for s in args.sets] if args.sets else sorted(
        f for f in GRADES.glob("reply_grades*.csv") if "reader2" not in f.name)
    graded = pd.concat([read_grades(f).assign(set=f.stem.removeprefix("reply_grades_")) for f in paths])
    graded = graded.set_index("id").join(feats, how="inner")
    rng = np.random.default_rng(0)
    models = ["fixed", "levels", "levels+specifics"]
    print(f"{'held-out set':<14}{'n':>4}" + "".join(f"{m:>30}" for m in [*models, "last − fixed"]))
    means = {m: [] for m in models}
    for name in graded["set"].unique():
        test, train = graded[graded["set"] == name], graded[graded["set"] != name]
        scores = [predict(train, test, m) for m in models]
        rs = [spearmanr(s, test["grade"])[0] for s in scores]
        for m, r in zip(models, rs, strict=True):
            means[m].append(r)
        intervals = bootstrap(scores, test["grade"].to_numpy(), rng)
        print(f"{name:<14}{len(test):>4}" + "".join(
            f"{r:>+12.3f} (95 % {lo:+.2f} to {hi:+.2f})"
            for r, (lo, hi) in zip([*rs, rs[-1] - rs[0]], intervals, strict=True)))
    print(f"{'mean':<18}" + "".join(f"{np.mean(means[m]):>12.3f}{'':>18}" for m in models))
    for m in models:
        everywhere = predict(graded, feats, m)
        on_graded = predict(graded, graded, m)
        r_sg = spearmanr(on_graded, graded["grade"])[0]
        r_sl = spearmanr(on_graded, graded["length"])[0]
        r_gl = spearmanr(graded["grade"], graded["length"])[0]
        print(f"{m}: Spearman with length over all {len(feats)} replies "
              f"{spearmanr(everywhere, feats['length'])[0]:.3f}; partial (score, length | grade) on the "
              f"{len(graded)} grades {partial(r_sl, r_sg, r_gl):.3f}")


if __name__ == "__main__":
    main()
