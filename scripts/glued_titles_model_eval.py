"""Can the router's learnt title-end model (``routing._titles.TitleSplitter``) find the glued titles the rules leave?

The titled teddy2020 messages glued back together (``glued_titles_eval.glued_pairs``), split by id parity as there:
models learn on one half's texts, the other half is reported. For the glued texts ``glued_title`` leaves unsplit,
the model's best cut is counted exact / within two characters / elsewhere, as a function of a gate on its softmax
probability; and on the bodies alone (no title at all: any cut is a false one) the share it would cut at each gate,
of all bodies and of those the rules leave. Sources of a model, each a thing that could exist at analysis time:

- ``titled``: the other half's ``title\\nbody`` texts (a mixed export's own titled texts; the best case);
- ``rules``: the rules' own splits (``glued_title``) of the reported half's glued texts, as ``title\\nbody`` (a bare
  export teaching itself: no gold read, the rules' 92 % exact labels);
- ``router``: the splitter of a saved router (``--router``, e.g. the bench's router-20000-s2021.model: synthetic).

    PYTHONPATH=src .venv/bin/python scripts/glued_titles_model_eval.py ../shared/data/teddy2020 [--half even]
        [--router /work/data/bench/router-20000-s2021.model] [--show 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.routing._titles import _MIN_TITLE, TitleSplitter, _code_window, _scores, _valid
from minsheng.engine.titles import glued_title

sys.path.insert(0, str(Path(__file__).parent))
from glued_titles_eval import glued_pairs  # noqa: E402

GATES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def best_cuts(splitter: TitleSplitter, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's most likely title length and the softmax probability of that cut among its candidates (0 for a
    text too short for any cut)."""
    codes, lengths = _code_window(texts)
    scores = np.where(_valid(lengths), _scores(codes, splitter.weights_), -np.inf).astype(np.float64)
    with np.errstate(invalid="ignore"):
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
    return p.argmax(axis=1) + _MIN_TITLE, np.nan_to_num(p.max(axis=1))


def report(name: str, splitter: TitleSplitter, titles: list[str], bodies: list[str], rule_ends: np.ndarray,
           body_rules: np.ndarray, show: int) -> None:
    glued = [t + b for t, b in zip(titles, bodies, strict=True)]
    true = np.array([len(t) for t in titles])
    left = np.flatnonzero(rule_ends == 0)
    cut, prob = best_cuts(splitter, [glued[i] for i in left])
    off = np.abs(cut - true[left])
    # the same model on the glued texts the rules split: does it agree with them where they are sure?
    done = np.flatnonzero(rule_ends > 0)
    dcut, dprob = best_cuts(splitter, [glued[i] for i in done])
    bcut, bprob = best_cuts(splitter, bodies)
    bleft = body_rules == 0
    print(f"\n[{name}] {len(left)} glued texts the rules leave ({len(left) / len(glued):.1%} of {len(glued)}); "
          f"model on all left: exact {np.mean(off == 0):.1%}")
    print("  gate   cut-share  exact  ≤2   else | +split of all glued | bodies cut (all / rules-left) "
          "| agrees w/ rules' splits")
    for g in GATES:
        sel = prob >= g
        n = int(sel.sum())
        ex = int((off[sel] == 0).sum())
        near = int(((off[sel] > 0) & (off[sel] <= 2)).sum())
        agree = np.mean(dcut[dprob >= g] == rule_ends[done][dprob >= g]) if (dprob >= g).any() else float("nan")
        print(f"  {g:.2f}  {n:5d} {n / len(left):6.1%}  {ex / max(n, 1):6.1%} {near / max(n, 1):5.1%} "
              f"{(n - ex - near) / max(n, 1):5.1%} | {n / len(glued):6.1%} ({ex} exact) | "
              f"{np.mean(bprob >= g):6.2%} / {np.mean(bprob[bleft] >= g):6.2%} | {agree:.1%}")
    if show:
        wrong = [i for i in np.argsort(-prob) if off[i] > 2][:show]
        for i in wrong:
            t = glued[left[i]]
            print(f"    p={prob[i]:.2f} {t[:cut[i]]} | {t[cut[i]:cut[i] + 12]}    (title: {titles[left[i]]})")
        print("  bodies cut with the highest probability:")
        for i in np.argsort(-bprob)[:show]:
            print(f"    p={bprob[i]:.2f} {bodies[i][:bcut[i]]} | {bodies[i][bcut[i]:bcut[i] + 12]}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path, help="the teddy2020 folder")
    p.add_argument("--half", choices=("even", "odd"), default="even", help="the half reported")
    p.add_argument("--router", type=Path, help="a saved router whose title splitter is measured too")
    p.add_argument("--show", type=int, default=0)
    args = p.parse_args()
    pairs = glued_pairs(args.data)
    odd = pd.to_numeric(pairs["id"]) % 2 == 1
    here = pairs[odd == (args.half == "odd")]
    other = pairs[odd != (args.half == "odd")]
    titles, bodies = here["title"].tolist(), here["body"].tolist()
    glued = [t + b for t, b in zip(titles, bodies, strict=True)]
    rule_ends = np.array([glued_title(t) for t in glued])
    body_rules = np.array([glued_title(b) for b in bodies])
    print(f"{args.half} half: {len(glued)} glued texts, rules split {np.mean(rule_ends > 0):.1%}; "
          f"bodies alone: rules cut {np.mean(body_rules > 0):.1%}")
    models = {}
    other_titled = TitleSplitter.titled([f"{t}\n{b}" for t, b in zip(other["title"], other["body"], strict=True)])
    models[f"titled: other half's {len(other_titled)} title\\nbody texts"] = TitleSplitter().fit(other_titled)
    self_titled = TitleSplitter.titled([f"{t[:k]}\n{t[k:]}" for t, k in zip(glued, rule_ends, strict=True) if k])
    models[f"rules: this half's {len(self_titled)} rule splits"] = TitleSplitter().fit(self_titled)
    other_glued = [t + b for t, b in zip(other["title"], other["body"], strict=True)]
    both = self_titled + TitleSplitter.titled(
        [f"{t[:k]}\n{t[k:]}" for t in other_glued if (k := glued_title(t))])
    models[f"rules: both halves' {len(both)} rule splits (a whole input's)"] = TitleSplitter().fit(both)
    if args.router:
        from minsheng.engine.routing._model_io import load_model

        router = load_model(args.router)
        if getattr(router, "titles_", None) is not None:
            models[f"router: {args.router.name}"] = router.titles_
    for name, splitter in models.items():
        report(name, splitter, titles, bodies, rule_ends, body_rules, args.show)


if __name__ == "__main__":
    main()
