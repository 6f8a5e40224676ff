"""How the stage cuts its work: into parts sent to the workers (copies, not slices), into pieces of a block in
time order (each pairwise step costs at most ``N × block_size``), and below which size it stays in one task.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from minsheng.engine.hot_issues.thresholds import STRETCHED_WINDOWS


def _own_parts(values: pa.Array, size: int) -> Iterator[pa.Array]:
    """``values`` in parts of ``size``, each a copy: a slice is pickled with its whole buffers, so a task sent a
    slice would get every part."""
    return (pa.concat_arrays([values.slice(start, size)]) for start in range(0, len(values), size))


def _pieces(block: np.ndarray, rows: np.ndarray, days: np.ndarray,
            block_size: int) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` sorted by ``block`` value, then time (unknown last), and the piece of each: every block cut
    in time order into pieces of at most ``block_size`` rows."""
    code = pd.factorize(block[rows])[0]
    order = np.lexsort((np.nan_to_num(days[rows], nan=np.inf), code))
    rows, code = rows[order], code[order]
    first = np.r_[0, np.flatnonzero(code[1:] != code[:-1]) + 1]
    rank = np.arange(len(code)) - np.repeat(first, np.diff(np.r_[first, len(code)]))
    return rows, np.cumsum(rank % block_size == 0) - 1


def _near(a: np.ndarray, b: np.ndarray, window_days: int, stretched: np.ndarray) -> np.ndarray:
    """Per pair of days ``a``, ``b``: whether they are close enough to link (:func:`_near_gap` of their gap). An
    unknown day (NaN) is never far."""
    return _near_gap(np.abs(a - b), window_days, stretched)


def _near_gap(gap: np.ndarray, window_days: int, stretched: np.ndarray) -> np.ndarray:
    """Per ``gap`` in days (between two letters, or between two spans of letters: a group's activity): whether it
    is close enough to link, at most ``window_days``, or :data:`~.thresholds.STRETCHED_WINDOWS` windows where the
    texts are alike enough (``stretched``: see :data:`~.thresholds.STRETCHED_SIMILARITY`). An unknown gap (NaN) is
    never far."""
    return ~(gap > window_days) | (stretched & ~(gap > STRETCHED_WINDOWS * window_days))


_ONE_TASK_ROWS = 25_000  # up to this many records, the issues are named in one task (one partition)
