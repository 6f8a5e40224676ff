"""Waiting for processes a test killed, or whose parent it killed, to end."""

from __future__ import annotations

import time

import psutil


def still_running(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """The ``processes`` that have not ended within ``seconds``: ended means gone or a zombie.

    Why not ``psutil.wait_procs``: a process whose parent died is reaped by the host's PID 1 at its own pace, and
    until then it is a zombie, which ``wait_procs`` counts as alive. Here PID 1 (the VM's agent, no init) reaped
    them 1-1.5 s after they ended at rest and, under load, later than the 10 s the tests allowed: a forkserver's
    workers failed a test for a zombie that ran nothing. A zombie has ended: it runs no code and holds no file.
    """
    deadline = time.monotonic() + seconds
    while True:
        running = []
        for process in processes:
            try:
                if process.status() != psutil.STATUS_ZOMBIE:
                    running.append(process)
            except psutil.NoSuchProcess:
                pass
        if not running or time.monotonic() >= deadline:
            return running
        time.sleep(0.1)
