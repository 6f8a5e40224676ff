"""Executors: results in input order, one partition in this process, workers only when there is work to share."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from tests.processes import still_running

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
        # A wait for a state, not a timing: a forkserver imports the engine's modules before its first worker,
        # which took over a minute on a 2-core host at load 12 (CI, 2026-12-04).
        deadline = time.monotonic() + 300
        while len(_workers(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # the workers are past their start
        helpers = psutil.Process(proc.pid).children(recursive=True)
        assert len(_workers(proc.pid)) == 2, helpers
        proc.kill()
        proc.wait()
        # Ended, not yet reaped, is ended (tests/processes.py). Within minutes, not seconds: at load 12 on 2 cores the
        # forkserver's exit alone (its interpreter's shutdown with the engine's modules loaded: 1.1 s at rest) took
        # longer than the 10 s this test allowed; what it checks is that none runs on for ever.
        assert not still_running(helpers, 300), helpers
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


def _dies_once(item: tuple[str, int]) -> int:
    """The square of ``item[1]``; the first worker to compute item 3 is killed outright (SIGKILL, as the OOM
    killer does) while doing it. ``item[0]``: a marker file, so only the first attempt dies."""
    marker, x = item
    if x == 3 and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), 9)
    return x * x


def _always_dies(x: int) -> int:
    os.kill(os.getpid(), 9)


@pytest.mark.parametrize("fresh", [False, True])
def test_a_worker_killed_mid_run_is_replaced_and_its_partitions_computed_again(fresh, tmp_path):
    """A worker killed mid-run broke the pool: BrokenProcessPool, and `minsheng analyze` ended in a traceback.
    The partitions in flight are computed again on a new pool, once, and the map's results are the same."""
    marker = str(tmp_path / "died")
    with make_executor("local", workers=2, fresh=fresh) as ex:
        assert list(ex.map(_dies_once, [(marker, x) for x in range(8)])) == [x * x for x in range(8)]
        assert os.path.exists(marker)
        assert list(ex.map(_square, range(4))) == [0, 1, 4, 9]  # the new pool serves the next stage


def test_a_worker_that_dies_again_on_the_same_partition_is_one_clear_error():
    """Killed twice over the same partition (memory too small for it): no endless retry, and an error whose one
    line says what happened and what to do (the CLI prints it without a traceback)."""
    from minsheng.engine.executor import WorkerDied

    with make_executor("local", workers=2) as ex, pytest.raises(WorkerDied) as caught:
        list(ex.map(_always_dies, range(3)))
    assert "\n" not in str(caught.value) and "--workers" in str(caught.value)


def test_a_dask_task_whose_workers_all_died_is_the_same_clear_error():
    """On Dask a partition that killed its workers ended the run in a KilledWorker traceback."""
    import dask
    import distributed  # noqa: F401 - its configuration defaults, before one of them is set here

    from minsheng.engine.executor import WorkerDied

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), make_executor("dask", workers=2) as ex, \
            pytest.raises(WorkerDied) as caught:
        list(ex.map(_always_dies, range(3)))
    assert "\n" not in str(caught.value) and "--workers" in str(caught.value)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "not an address"])
def test_a_dask_scheduler_that_cannot_be_reached_is_one_line(address, tmp_path, capsys):
    """A mistyped --scheduler ended `minsheng analyze` in an OSError traceback after 30 s."""
    import dask
    import distributed  # noqa: F401 - its configuration defaults, before one of them is set here

    from minsheng.cli import main

    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,建议增加公交\n2,建议延长门诊\n", encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["analyze", str(src), "--out", str(tmp_path / "out"), "--quiet", "--no-report",
                     "--executor", "dask", "--scheduler", address])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("minsheng: error:")] == [
        next(line for line in err.splitlines() if "cannot reach the Dask scheduler" in line)]


def test_a_partition_submitted_after_a_worker_died_goes_to_new_workers():
    """The map submits its next partition while an earlier one's worker has just died: the pool is broken before any
    result says so, and submitting to it raised BrokenProcessPool out of the map (seen once in a full run at load 5).
    That partition starts on the new workers instead."""
    with make_executor("local", workers=2) as ex:
        dying = ex.submit(_always_dies, 0)
        for _ in range(500):  # until the pool knows its worker is gone
            if ex._pool._broken:
                break
            time.sleep(0.01)
        assert ex._pool._broken
        assert ex.submit(_square, 3).result() == 9
        with pytest.raises(Exception, match="died twice"):
            dying.result()


def _doubled_in_place(part):
    """A worker's map that writes into its partition's NumPy array and returns Arrow texts and that array."""
    frame, numbers = part
    numbers *= 2  # the partition's arrays are the worker's own, writable, as when they came through the pipe
    return frame.assign(text=frame["text"] + "!"), numbers, os.getpid()


@pytest.mark.parametrize("fresh", [False, True])
def test_large_partitions_and_results_travel_through_files_and_leave_none(tmp_path, fresh):
    import numpy as np
    import pandas as pd

    folder = tmp_path / "handoff"
    parts = [(pd.DataFrame({"text": pd.Series([f"第{i}条{'长' * 40}" for i in range(k, k + 20_000)], dtype="str")},
                           index=pd.RangeIndex(k, k + 20_000)), np.arange(k, k + 200_000, dtype=np.int64))
             for k in (0, 20_000, 40_000)]
    with make_executor("local", workers=2, fresh=fresh, folder=folder) as ex:
        sent = [ex.submit(_doubled_in_place, part) for part in parts]
        # Over a megabyte each: written, not pickled into the pipe. (Counting the folder's files raced: a quick
        # worker's result file can already be there beside the three partitions.)
        assert all(s.handoff.path for s in sent)
        assert {Path(s.handoff.path) for s in sent} <= set(folder.iterdir())
        results = [s.result() for s in sent]
        small = list(ex.map(_square, range(4)))  # below the size: through the pipe as before
    assert small == [0, 1, 4, 9]
    for (frame, numbers), (text, doubled, pid) in zip(parts, results, strict=True):
        assert pid != os.getpid()
        pd.testing.assert_frame_equal(text, frame.assign(text=frame["text"] + "!"))
        assert doubled.flags.writeable and (doubled == numbers * 2).all()
    assert list(folder.iterdir()) == []


@pytest.mark.dask
def test_a_local_dask_cluster_logs_only_what_went_wrong(caplog, recwarn):
    """`minsheng analyze --executor dask` starts and closes a LocalCluster for each stage: Dask logged 140 INFO lines
    on a 20,000-row run that ended well, two of them tracebacks of the connections a closing cluster cuts (found
    killing a worker by hand, h-fuzz2). Its warnings stay, and ``-v`` (DEBUG) shows everything. Nor does a cluster
    take port 8787 (its HTTP server's default) and warn that it is in use when another run holds it."""
    import socket

    with contextlib.ExitStack() as held:
        with contextlib.suppress(OSError):  # held by another run already: as good
            taken = held.enter_context(socket.socket())
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        with caplog.at_level("INFO"), make_executor("dask", workers=1) as ex:
            assert list(ex.map(_square, range(3))) == [0, 1, 4]
    assert not [str(w.message) for w in recwarn if "8787" in str(w.message)]
    said = [f"{r.levelname} {r.name}: {r.getMessage()[:80]}" for r in caplog.records if r.name.startswith("distributed")]
    assert said == []
    assert any("dask executor" in r.getMessage() for r in caplog.records)  # the engine's own line is kept


@pytest.mark.dask
def test_dask_workers_that_die_while_starting_are_started_again_then_one_clear_error(tmp_path, caplog):
    """A worker process killed as a stage's LocalCluster started (by hand, h-fuzz2; or out of memory) ended
    `minsheng analyze` in Dask's "Nanny failed to start" traceback. Started once more; dying again, one line."""
    import dask
    import distributed  # noqa: F401 - its configuration defaults, before one of them is set here

    from minsheng.engine.executor import WorkerDied

    once = tmp_path / "died"
    preload = tmp_path / "die_once.py"  # run by each worker process as it starts
    preload.write_text(f"import os, pathlib\nif not pathlib.Path({str(once)!r}).exists():\n"
                       f"    pathlib.Path({str(once)!r}).touch()\n    os._exit(1)\n")
    with dask.config.set({"distributed.worker.preload": [str(preload)]}), make_executor("dask", workers=1) as ex:
        assert list(ex.map(_square, range(3))) == [0, 1, 4]
    assert "died while starting" in caplog.text
    always = tmp_path / "die.py"
    always.write_text("import os\nos._exit(1)\n")
    with dask.config.set({"distributed.worker.preload": [str(always)]}), pytest.raises(WorkerDied) as caught:
        make_executor("dask", workers=1)
    assert "\n" not in str(caught.value) and "--workers" in str(caught.value)


def test_a_local_dask_cluster_too_slow_to_start_ends_the_run_in_one_line(tmp_path, monkeypatch, capsys):
    """A stage's LocalCluster that did not start in Dask's time on a host at load 15-18 (h-fuzz2) ended the run in
    Dask's TimeoutError traceback. Started once more; too slow again, one line and exit 2. Fails before."""
    import distributed

    from minsheng.cli import main

    starts = []

    class Slow:
        def __init__(self, **options):
            starts.append(options)
            raise TimeoutError("Nanny start timed out after 60s.")

    monkeypatch.setattr(distributed, "LocalCluster", Slow)
    path = tmp_path / "in.csv"
    path.write_text("id,text\n1,建议增加公交\n2,建议延长门诊\n", encoding="utf-8")
    code = main(["analyze", str(path), "--out", str(tmp_path / "out"), "--executor", "dask", "--no-report"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(starts) == 2 and "Traceback" not in "\n".join(err)
    assert err[-1].startswith("minsheng: error: field --executor: Dask's local cluster did not start in time")
