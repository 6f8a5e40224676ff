"""Hot issues: how much they move with the theme model's seed (issue 12, h-hot31).

The theme model is a random clustering (k-means in blocks, :mod:`minsheng.engine.themes`); a hot issue, one
problem of one place or group raised by several people, should not come or go with it. For each DEV file
(messages_hot with ``tests/data/hot_issues_gold.csv``, messages_replied with ``tests/data/hot_issues_gold_replied.csv``)
and export shape (full, bare: :func:`~minsheng.engine.hot_eval.export_shape`), the engine runs up to hot issues on
each seed asked (:func:`hot_pairs_learnt.capture`: the pipeline's issues and the rules' components), and this prints

- per run: gold B-cubed P / R, split / missed (the pipeline's issues, as ``minsheng evaluate``), and the read pairs
  (``tests/data/hot_pairs_labelled_dev.csv``) one issue / joined, of the pipeline's issues and of the rules' components;
- per file and shape: the adjusted Rand index of the pipeline's issue partitions between every two seeds (over the
  rows in a hot issue on either seed; a row in none is alone) and of the rules' components (rows some rule links on
  either); the gold letters found (in one issue with a letter of their gold issue) on every seed, on some only;
- the gold letters found on some seeds and not others, with where each was lost: ``heat`` (the rules' component
  held a letter of its gold issue, the issue was not kept), else ``placed`` / ``no place``, and whether on the seed
  that lost it the letter shares its fine theme with a gold mate of its place (``fine+``) or not (``fine-``).

    PYTHONPATH=src .venv/bin/python scripts/hot_seeds.py ../shared/data/teddy2020 --seeds 0 1 2 3 --cache /tmp/seeds

Never give it the labeled_text gold set: that one is the lead's blind set.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hot_pairs_learnt import RUNS, cached_capture  # noqa: E402  (a script beside this one)

from minsheng.engine.hot_eval import read_gold, score_hot_issues  # noqa: E402


def partition(labels: np.ndarray) -> np.ndarray:
    """Integer labels, a row in no issue (None, −1) alone."""
    labels = pd.Series(labels, dtype=object).where(lambda s: s.notna() & (s.astype(str) != "-1"))
    codes = pd.factorize(labels)[0]
    alone = codes < 0
    codes[alone] = codes.max(initial=-1) + 1 + np.arange(int(alone.sum()))
    return codes


def read_pairs(ids: np.ndarray, comp: np.ndarray, read: pd.DataFrame) -> tuple[int, int]:
    """(read one issue, joined) of the read pairs of this file in one component of ``comp`` (size ≥ 2)."""
    at = pd.Index(ids)
    x, z = at.get_indexer(read["id_a"]), at.get_indexer(read["id_b"])
    ok = (x >= 0) & (z >= 0)
    joined = np.zeros(len(read), dtype=bool)
    joined[ok] = comp[x[ok]] == comp[z[ok]]
    return int(read["label"].to_numpy()[joined].sum()), int(joined.sum())


def found_letters(ids: np.ndarray, comp: np.ndarray, gold: pd.DataFrame) -> pd.Series:
    """Per gold letter: whether it shares a component (size ≥ 2) with a letter of its gold issue."""
    at = pd.Index(ids).get_indexer(gold["id"])
    c = np.where(at >= 0, comp[np.maximum(at, 0)], -1 - np.arange(len(at)))
    g = gold.assign(c=c)
    n = g.groupby(["gold", "c"])["id"].transform("size")
    return pd.Series((n >= 2).to_numpy(), index=gold["id"].to_numpy())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path, help="the teddy2020 folder")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    p.add_argument("--shapes", nargs="+", default=["full", "bare"], choices=("full", "bare"))
    p.add_argument("--files", nargs="+", default=[name for name, _ in RUNS])
    p.add_argument("--cache", type=Path, help="a folder keeping the runs' captures between calls")
    p.add_argument("--pair-labels", type=Path, default=Path("tests/data/hot_pairs_labelled_dev.csv"))
    p.add_argument("--lost", action="store_true", help="list the gold letters some seeds lose")
    args = p.parse_args()
    read = pd.read_csv(args.pair_labels, dtype={"id_a": str, "id_b": str})
    with tempfile.TemporaryDirectory(prefix="minsheng-seeds-") as tmp:
        for name, gold_path in RUNS:
            if name not in args.files:
                continue
            gold = read_gold(gold_path)
            mine = read[read["file"] == name]
            for shape in args.shapes:
                runs = {}
                for seed in args.seeds:
                    c = cached_capture(args.data, name, shape, seed, args.cache, tmp)
                    runs[seed] = c
                    ids = c["ids"]
                    pipe, rules = partition(c["pipeline"]), partition(c["issue_of"])
                    s = score_hot_issues(pd.Series(c["pipeline"], index=ids, dtype="string"), gold)
                    pr, pj = read_pairs(ids, pipe, mine)
                    rr, rj = read_pairs(ids, rules, mine)
                    print(f"{name} {shape} s{seed}: gold {s['bcubed_precision']:.3f} / {s['bcubed_recall']:.3f}, "
                          f"split/missed {s['gold_split']}/{s['gold_missed']}; read pipeline {pr}/{pj}, rules {rr}/{rj};"
                          f" {int(pd.notna(c['pipeline']).sum())} rows in hot issues", flush=True)
                seeds = sorted(runs)
                ids = runs[seeds[0]]["ids"]
                pipes = {s: partition(runs[s]["pipeline"]) for s in seeds}
                rules = {s: partition(runs[s]["issue_of"]) for s in seeds}
                ari_p, ari_r = [], []
                for a, b in itertools.combinations(seeds, 2):
                    assert (runs[a]["ids"] == runs[b]["ids"]).all()
                    on = pd.notna(runs[a]["pipeline"]) | pd.notna(runs[b]["pipeline"])
                    ari_p.append(adjusted_rand_score(pipes[a][on], pipes[b][on]))
                    on = (runs[a]["issue_of"] >= 0) | (runs[b]["issue_of"] >= 0)
                    ari_r.append(adjusted_rand_score(rules[a][on], rules[b][on]))
                found = pd.DataFrame({s: found_letters(ids, pipes[s], gold) for s in seeds})
                every, some = int(found.all(axis=1).sum()), int((found.any(axis=1) & ~found.all(axis=1)).sum())
                print(f"== {name} {shape}: ARI pipeline {np.mean(ari_p):.3f} "
                      f"({', '.join(f'{v:.3f}' for v in ari_p)}), rules {np.mean(ari_r):.3f}; gold letters found on "
                      f"every seed {every}, on some only {some}, on none {int((~found.any(axis=1)).sum())}", flush=True)
                if args.lost:
                    lost(runs, found, gold)


def lost(runs: dict, found: pd.DataFrame, gold: pd.DataFrame) -> None:
    """The gold letters found on some seeds only, each seed that lost it with where (see the module docstring)."""
    mate = gold.groupby("gold")["id"].apply(list).to_dict()
    of = dict(zip(gold["id"], gold["gold"], strict=True))
    some = found.index[found.any(axis=1) & ~found.all(axis=1)]
    for i in some:
        c0 = next(iter(runs.values()))
        at = pd.Index(c0["ids"])
        row = at.get_loc(i)
        mates = [at.get_loc(m) for m in mate[of[i]] if m != i and m in at]
        where = []
        for s, c in runs.items():
            if found.loc[i, s]:
                continue
            key, fine = c["key_code"], c["fine"]
            comp = c["issue_of"]
            if comp[row] >= 0 and any(comp[m] == comp[row] for m in mates):
                kind = "heat"
            else:
                placed = key[row] >= 0
                same = [m for m in mates if (not placed or key[m] == key[row]) and fine[m] == fine[row]]
                kind = f"{'placed' if placed else 'no place'} fine{'+' if same else '-'}"
            where.append(f"s{s} {kind}")
        print(f"  {of[i]} {i} {c0['titles'][row][:36]}: {'; '.join(where)}")


if __name__ == "__main__":
    main()
