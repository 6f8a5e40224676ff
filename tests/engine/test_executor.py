"""Executors: results in input order, one partition in this process, workers only when there is work to share."""

import contextlib
import os
import subprocess
import sys
import time

import psutil
import pytest

from minsheng.engine.executor import make_executor


def _pid(_item) -> int:
    return os.getpid()


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("fresh", [False, True])
def test_many_partitions_run_in_workers_in_order(fresh):
    with make_executor("local", workers=2, fresh=fresh) as ex:
        assert list(ex.map(_square, range(7))) == [x * x for x in range(7)]
        assert os.getpid() not in set(ex.map(_pid, range(4)))


def test_one_partition_runs_here_and_starts_no_workers():
    with make_executor("local", workers=2, fresh=True) as ex:
        assert list(ex.map(_pid, ["only"])) == [os.getpid()]
        assert list(ex.map(_pid, [])) == []
        assert ex._pool is None  # nothing was worth a process


@pytest.mark.parametrize("fresh", [False, True])
def test_workers_die_with_a_parent_killed_outright(fresh):
    """Killed with SIGKILL (the OOM killer), the parent runs no clean-up: its workers, forked from it or from a
    forkserver, must not stay behind computing and then waiting for ever on a queue they hold both ends of."""
    code = ("import time\n"
            "from minsheng.engine.executor import make_executor\n"
            f"with make_executor('local', workers=2, fresh={fresh}) as ex:\n"
            "    list(ex.map(time.sleep, [120] * 3))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    helpers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while len(_workers(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # the workers are past their start
        helpers = psutil.Process(proc.pid).children(recursive=True)
        assert len(_workers(proc.pid)) == 2, helpers
        proc.kill()
        proc.wait()
        gone, alive = psutil.wait_procs(helpers, timeout=10)
        assert not alive, alive
    finally:
        proc.kill()
        for helper in helpers:  # what the old code left behind
            with contextlib.suppress(psutil.NoSuchProcess):
                helper.kill()


def _workers(parent: int) -> list[psutil.Process]:
    """``parent``'s pool workers: its children or its forkserver's, not the forkserver or resource tracker."""
    try:
        found = psutil.Process(parent).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    helpers = ("forkserver", "resource_tracker")
    return [p for p in found if not (p.ppid() == parent and any(h in " ".join(p.cmdline()) for h in helpers))]
