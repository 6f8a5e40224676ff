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
