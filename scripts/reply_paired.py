"""Score one blind grades file with two scorers, paired: the lead's check of a frozen reply candidate.

``score`` writes every reply's total and length with the ``minsheng`` on ``PYTHONPATH`` (run it once with the
shipped tree, once with the candidate's); ``compare`` prints, on the grades file, Spearman of each with the grades
and a bootstrap 95 % interval (replies resampled, the same resamples for both), the paired change, length alone,
each score's Spearman with length on the set and over all replies, and the partial (score, length | grade).

    PYTHONPATH=/work/main/src python scripts/reply_paired.py score $D/messages_replied.csv /tmp/shipped.csv
    PYTHONPATH=src python scripts/reply_paired.py score $D/messages_replied.csv /tmp/candidate.csv
    python scripts/reply_paired.py compare tests/data/reply_grades_heldout17.csv /tmp/shipped.csv /tmp/candidate.csv
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from scipy.stats import spearmanr


def score(replied: str, out: str) -> None:
    from minsheng.engine.replies import score_replies
    from minsheng.engine.routing import read_texts

    frame = read_texts([replied], extra=("reply", "reply_time"))
    frame = frame.assign(id=frame["id"].astype(str))
    totals = score_replies(frame)
    pd.DataFrame({"id": totals["id"], "total": totals["total"],
                  "length": frame["reply"].fillna("").astype(str).str.len().to_numpy()}).to_csv(out, index=False)


def partial(a: float, b: float, c: float) -> float:
    """Partial correlation of x and y given z from r(x,y)=a, r(x,z)=b, r(y,z)=c."""
    return (a - b * c) / np.sqrt(max((1 - b**2) * (1 - c**2), 1e-12))


def compare(grades_path: str, shipped_path: str, candidate_path: str, resamples: int = 2000) -> None:
    grades = pd.read_csv(grades_path, dtype={"id": str})
    shipped, candidate = (pd.read_csv(p, dtype={"id": str}).set_index("id") for p in (shipped_path, candidate_path))
    g = grades.join(shipped, on="id").join(candidate[["total"]].rename(columns={"total": "candidate"}), on="id")
    y, a, b, n = (g[c].to_numpy(dtype=float) for c in ("grade", "total", "candidate", "length"))
    idx = np.random.default_rng(0).integers(0, len(y), (resamples, len(y)))
    boot = np.array([[spearmanr(a[i], y[i])[0], spearmanr(b[i], y[i])[0]] for i in idx])
    ci = lambda v: f"(95 % {np.nanpercentile(v, 2.5):+.3f} to {np.nanpercentile(v, 97.5):+.3f})"  # noqa: E731
    ra, rb, rl = spearmanr(a, y)[0], spearmanr(b, y)[0], spearmanr(n, y)[0]
    print(f"{grades_path}: {len(y)} grades, {int((a != b).sum())} scores differ")
    print(f"shipped   {ra:.3f} {ci(boot[:, 0])}")
    print(f"candidate {rb:.3f} {ci(boot[:, 1])}")
    print(f"paired change {rb - ra:+.3f} {ci(boot[:, 1] - boot[:, 0])}")
    print(f"length alone {rl:.3f}")
    for name, s, full in (("shipped", a, shipped["total"]), ("candidate", b, candidate["total"])):
        r_sl = spearmanr(s, n)[0]
        print(f"{name}: Spearman with length on the set {r_sl:.3f}, partial (score, length | grade) "
              f"{partial(r_sl, spearmanr(s, y)[0], rl):.3f}, over all {len(full)} replies "
              f"{spearmanr(full, shipped['length'])[0]:.3f}")


if __name__ == "__main__":
    {"score": score, "compare": compare}[sys.argv[1]](*sys.argv[2:])
