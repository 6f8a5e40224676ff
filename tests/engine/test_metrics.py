"""StageMeter: the run's process tree is the processes the run started."""

from __future__ import annotations

import subprocess
import sys

import psutil

from minsheng.engine.metrics import StageMeter, tree_memory


def test_a_child_running_before_the_run_is_not_counted():
    before = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        meter = StageMeter()
        try:
            during = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            try:
                cpu: dict = {}
                tree_memory(psutil.Process(), cpu, meter._skip)
                pids = {pid for pid, _ in cpu}
                assert during.pid in pids and before.pid not in pids
            finally:
                during.kill()
                during.wait()
        finally:
            meter.close()
    finally:
        before.kill()
        before.wait()


def test_a_small_runs_stage_boundaries_read_pss_within_the_budget_and_keep_the_last_reading(monkeypatch):
    """Back-to-back stages of a small run (``light_boundaries``) read PSS once, not twice per stage; each stage
    still gets its CPU seconds and, as its PSS peak, the reading that stands. A larger run's read it at each."""
    import time

    from minsheng.engine import metrics

    reads = []

    def slow_pss(pid: int) -> int:
        reads.append(pid)
        time.sleep(0.05)  # a costly read: the next is due 20 times as long after it
        return 100 * 2**20

    monkeypatch.setattr(metrics, "_pss", slow_pss)
    for light in (True, False):
        reads.clear()
        meter = StageMeter()
        meter.light_boundaries = light
        try:
            for k in range(10):
                with meter.stage(f"s{k}"):
                    pass
        finally:
            meter.close()
        assert len(reads) <= 2 if light else len(reads) >= 20  # light: the first boundary, perhaps the sampler once
        assert all(s["peak_pss_mb"] == 100.0 and "cpu_seconds" in s for s in meter.stages.values())
        assert meter.peak_pss_mb == 100.0
