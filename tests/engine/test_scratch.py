"""A run's scratch folder goes when the run ends, and a run killed outright (SIGKILL: no clean-up runs) leaves its
folder only until the next run starts: the partitions handed through files and the shared segmentation alike."""

import fcntl
import os
import subprocess
import sys
import time

import psutil
from tests.processes import still_running

from minsheng.engine.scratch import PREFIX, remove_stale, run_folder

# A run in a process of its own: two workers each stop inside a map over a large partition (handed through a file
# of the scratch folder) whose segmentation is shared (saved there too), and say so with a file of `ready`.
_RUN = """
import functools, sys, time
from pathlib import Path
import pandas as pd
from minsheng.engine.executor import make_executor
from minsheng.engine.scratch import run_folder
from minsheng.engine.tokens import shared_segmentation

def stall(frame, ready):
    Path(ready, str(len(frame))).touch()
    time.sleep(600)

root, ready = sys.argv[1], sys.argv[2]
with run_folder(root) as scratch:
    frames = [pd.DataFrame({"text": pd.array([f"第{n}号 小区停车难，请求增设车位{i}" for i in range(20_000 + n)],
                                             dtype="string[pyarrow]")}) for n in range(2)]
    step = functools.partial(shared_segmentation, func=functools.partial(stall, ready=ready),
                             folder=str(scratch / "tokens"))
    with make_executor("local", workers=2, folder=scratch / "handoff") as ex:
        list(ex.map(step, frames))
"""


def test_a_run_s_folder_is_gone_after_it(tmp_path):
    with run_folder(tmp_path) as scratch:
        (scratch / "handoff").mkdir()
        (scratch / "handoff" / "x.part").write_bytes(b"0" * 10)
        assert scratch.parent == tmp_path and scratch.name.startswith(PREFIX)
        assert remove_stale(tmp_path) == [] and scratch.exists()  # a live run's folder stays
    assert list(tmp_path.iterdir()) == []


def test_a_folder_just_made_is_never_taken_for_a_dead_run_s(tmp_path, monkeypatch):
    # Another run's clean-up at the worst moment: after this run made its folder and lock file, before it locked.
    flock = fcntl.flock

    def flock_after_a_rival_cleans(fd, operation):
        if operation == fcntl.LOCK_EX:
            assert remove_stale(tmp_path) == []
        flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock_after_a_rival_cleans)
    with run_folder(tmp_path) as scratch:
        assert scratch.exists()


def test_a_run_killed_outright_leaves_its_files_only_until_the_next_run(tmp_path):
    root, ready = tmp_path / "tmp", tmp_path / "ready"
    root.mkdir()
    ready.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", _RUN, str(root), str(ready)], start_new_session=True)
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 300  # a state, not a timing: segmenting 40,000 texts under load
        while len(list(ready.iterdir())) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(list(ready.iterdir())) == 2, proc.poll()
        (folder,) = root.iterdir()
        assert list((folder / "handoff").glob("*.part")) and list((folder / "tokens").glob("tokens-*.pkl"))
        assert remove_stale(root) == [] and folder.exists()  # alive: kept
        workers = psutil.Process(proc.pid).children(recursive=True)
        proc.kill()
        proc.wait()
        assert not still_running(workers, 300)  # they die with the run (executor.die_with): its lock is free
        assert folder.exists()  # what a kill leaves: no clean-up ran
        with run_folder(root) as scratch:  # the next run
            assert list(root.iterdir()) == [scratch]
        assert list(root.iterdir()) == []
    finally:
        proc.kill()
        for worker in workers:
            if worker.is_running():
                os.kill(worker.pid, 9)
