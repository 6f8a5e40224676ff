"""Compare two output folders of ``minsheng analyze``: every table, the records and the summary's counts.

For speed work that must not change a result: run the code before and after on the same input into two
folders, then ``python scripts/compare_outputs.py BEFORE AFTER``. Exit 0 when every table is identical,
1 with the first differing rows of each table otherwise. Timings, memory and CPU figures of the summary are
left out (they differ on every run); the fitted models are compared by what they assign (their tables).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

_RUN_FIGURES = {"stages", "seconds", "cpu_seconds", "peak_rss_mb", "peak_pss_mb", "write_seconds", "inputs"}


def _summary(folder: Path) -> dict:
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    return {k: v for k, v in summary.items() if k not in _RUN_FIGURES}


def _show(name: str, a: pd.DataFrame, b: pd.DataFrame) -> None:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        print(f"{name}: columns {list(a.columns)} / {list(b.columns)}, rows {len(a)} / {len(b)}")
        return
    differ = ~((a == b) | (a.isna() & b.isna())).all(axis=1)
    columns = [c for c in a.columns if not ((a[c] == b[c]) | (a[c].isna() & b[c].isna())).all()]
    print(f"{name}: {int(differ.sum())} of {len(a)} rows differ, in columns {columns}")
    print(pd.concat({"before": a.loc[differ, columns], "after": b.loc[differ, columns]}, axis=1).head(8).to_string())


def compare(before: Path, after: Path) -> bool:
    same = True
    files = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    for name in files:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"{name}: only in {'before' if a.exists() else 'after'}")
            same = False
        elif name.endswith(".csv"):
            if a.read_bytes() != b.read_bytes():
                same = False
                _show(name, pd.read_csv(a, dtype=str, keep_default_na=False), pd.read_csv(b, dtype=str, keep_default_na=False))
        elif name.endswith(".parquet"):
            x, y = pd.read_parquet(a), pd.read_parquet(b)
            if not (list(x.columns) == list(y.columns) and list(x.dtypes) == list(y.dtypes) and x.equals(y)):
                same = False
                _show(name, x, y)
        elif name == "summary.json":
            x, y = _summary(before), _summary(after)
            for key in sorted(set(x) | set(y)):
                if x.get(key) != y.get(key):
                    same = False
                    print(f"summary[{key!r}]: {x.get(key)!r} / {y.get(key)!r}")
    print("identical" if same else "DIFFERENT", before, after)
    return same


if __name__ == "__main__":
    sys.exit(0 if compare(Path(sys.argv[1]), Path(sys.argv[2])) else 1)
