"""Wall time and peak memory per pipeline stage, for ``summary.json`` and the benchmark.

Peak memory is the resident set of this process **plus its children** (local worker processes, a
Dask ``LocalCluster``), sampled by a background thread: the figure that decides whether a run fits
on the machine, not just the parent's share.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import psutil


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of ``proc`` and all its descendants."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


class StageMeter:
    """Records ``{stage: {"seconds", "peak_rss_mb"}}`` and the run's overall peak."""

    def __init__(self, interval: float = 0.05):
        self.stages: dict[str, dict[str, float]] = {}
        self.peak_rss_mb = 0.0
        self._interval = interval
        self._proc = psutil.Process()
        self._stage_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            rss = tree_rss(self._proc)
            self._stage_peak = max(self._stage_peak, rss)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._stage_peak = tree_rss(self._proc)
        start = time.perf_counter()
        try:
            yield
        finally:
            self._stage_peak = max(self._stage_peak, tree_rss(self._proc))
            peak_mb = self._stage_peak / 2**20
            self.stages[name] = {"seconds": round(time.perf_counter() - start, 3), "peak_rss_mb": round(peak_mb, 1)}
            self.peak_rss_mb = max(self.peak_rss_mb, peak_mb)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
