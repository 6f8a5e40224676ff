"""Wall time and peak memory per pipeline stage, for ``summary.json`` and the benchmark.

Peak memory is measured over this process **plus its children** (local worker processes, a Dask
``LocalCluster``), sampled by a background thread: the figure that decides whether a run fits on the
machine, not just the parent's share. Two sums are kept:

* ``peak_rss_mb`` — resident set sizes added up. Pages that forked workers share with the parent are
  counted once per process, so this over-states the machine's memory when workers are forked;
* ``peak_pss_mb`` — proportional set sizes (``/proc/PID/smaps_rollup``): each shared page is split
  between the processes sharing it, so the sum is the physical memory the run really holds.

CPU seconds (``cpu_seconds``, per stage and in all) are summed over the same tree from the same samples: the
parent's ``RUSAGE_CHILDREN`` alone misses the workers of a *forkserver*, which are reaped by the forkserver,
and the forkserver outlives the run. What a process spends after its last sample is missed (at most one
sampling interval each), so the pipeline calls :meth:`StageMeter.sample` while its idle workers still live. Children that were already running when the meter started are not the run's (the
report helper ``minsheng analyze`` forks first, see :class:`minsheng.reports.ReportWriter`) and are left out,
with their own children.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

import psutil


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(proc: psutil.Process) -> list[psutil.Process]:
    """``proc``'s children.

    Linux lists them in ``/proc/PID/task/TID/children`` (microseconds); psutil finds them by reading every
    process's status: 2.4 ms with 140 processes on the machine, three quarters of a sample, and a small run's
    meter samples up to twenty times a second in the process doing the work. psutil's way where the kernel
    has no such list (or a thread ended while it was read).
    """
    try:
        pids = []
        for tid in os.listdir(f"/proc/{proc.pid}/task"):
            with open(f"/proc/{proc.pid}/task/{tid}/children") as fh:
                pids += fh.read().split()
    except OSError:
        return proc.children()
    children = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            children.append(psutil.Process(int(pid)))
    return children


def _tree(proc: psutil.Process, skip: frozenset[int]) -> list[psutil.Process]:
    """``proc`` and its descendants, without the children in ``skip`` (pids) and their descendants."""
    tree, todo = [proc], [c for c in _children(proc) if c.pid not in skip]
    while todo:
        child = todo.pop()
        tree.append(child)
        with contextlib.suppress(psutil.Error):
            todo += _children(child)
    return tree


def tree_memory(proc: psutil.Process, cpu: dict | None = None, skip: frozenset[int] = frozenset(), *,
                pss: bool = True) -> tuple[int, int | None]:
    """(RSS, PSS) bytes of ``proc`` and all its descendants but ``skip``, each summed; ``cpu`` gets each
    process's CPU seconds so far, keyed by (pid, start time). PSS is None when not ``pss`` (it is the costly
    part: ``smaps_rollup`` walks each process's page tables)."""
    rss = total_pss = 0
    for p in _tree(proc, skip):
        with contextlib.suppress(psutil.Error):
            rss += p.memory_info().rss
            if pss:
                total_pss += _pss(p.pid)
            if cpu is not None:
                times = p.cpu_times()
                cpu[p.pid, p.create_time()] = times.user + times.system
    return rss, total_pss if pss else None


class StageMeter:
    """Records ``{stage: {"seconds", "peak_rss_mb", "peak_pss_mb"}}`` and the run's overall peaks."""

    def __init__(self, interval: float = 0.05):
        self.stages: dict[str, dict[str, float]] = {}
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self._interval = interval
        self._proc = psutil.Process()
        self._pid = self._proc.pid
        self._skip = frozenset(p.pid for p in self._proc.children())  # not started by this run
        self._stage_peak = (0, 0)
        self._pss = 0  # the tree's PSS when it was last read
        self._pss_due = 0.0  # perf_counter() from which PSS may be read again
        self.light_boundaries = False  # stage boundaries read PSS only within the budget (a small run's, see _update)
        self._cpu: dict = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        """Sample every ``interval`` seconds, but never spend more than 1/20 of the time reading PSS.

        Reading ``smaps_rollup`` walks a process's page tables: at 4 GB it takes tens of milliseconds,
        and every process on the machine is listed to find the children. Sampling at a fixed 50 ms cost
        a fifth of a small run's CPU and a core's worth at a million records.
        """
        while not self._stop.wait(max(self._interval, self._pss_due - time.perf_counter())):
            self._update()

    def sample(self) -> None:
        """Sample now (before worker processes exit: their CPU seconds are lost with them).

        Not in a forked copy of this process (the pipeline computes a small run's digest in one): the copy has
        no sampling thread, and the lock may have been copied while that thread held it.
        """
        if os.getpid() == self._pid:
            self._update(boundary=True)

    def _update(self, *, boundary: bool = False) -> None:
        """CPU seconds, RSS and PSS of the tree now. With ``light_boundaries``, a stage boundary or an executor's
        exit (``boundary``) reads the PSS only when the 1/20 budget allows (:meth:`_sample`); else the PSS last
        read stands for it.

        Why: the stages' start and end and each executor's exit sample in the process doing the work. A small
        run's stages are tens of milliseconds apart, and reading the PSS of two processes of 0.6 GB at each (18
        times, about 20 ms each under load) cost 0.32-0.38 CPU-s of a 5,000-row run's main thread, on its
        critical path; CPU seconds and RSS cost a fraction of a millisecond. A larger run (more than one
        partition, with workers) keeps every boundary's reading: its stages are seconds apart, and a boundary
        skipped there let a stage's peak stand for the next one's.
        """
        with self._lock:
            start = time.perf_counter()
            read = not (boundary and self.light_boundaries) or start >= self._pss_due
            rss, pss = tree_memory(self._proc, self._cpu, self._skip, pss=read)
            if pss is not None:
                end = time.perf_counter()
                self._pss, self._pss_due = pss, end + 20 * (end - start)
            self._stage_peak = (max(self._stage_peak[0], rss), max(self._stage_peak[1], self._pss))

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds of the process tree so far (user + system)."""
        with self._lock:
            return sum(self._cpu.values())

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._stage_peak = (0, 0)
        self._update(boundary=True)
        start, cpu = time.perf_counter(), self.cpu_seconds
        try:
            yield
        finally:
            self._update(boundary=True)
            rss_mb, pss_mb = (v / 2**20 for v in self._stage_peak)
            self.stages[name] = {"seconds": round(time.perf_counter() - start, 3),
                                 "cpu_seconds": round(self.cpu_seconds - cpu, 2), "peak_rss_mb": round(rss_mb, 1),
                                 "peak_pss_mb": round(pss_mb, 1)}
            self.peak_rss_mb = max(self.peak_rss_mb, rss_mb)
            self.peak_pss_mb = max(self.peak_pss_mb, pss_mb)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
