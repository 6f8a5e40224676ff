"""A run's scratch folder: every file a run writes for itself and its workers (the partitions and results handed
through files, :class:`~minsheng.engine.executor._Handoff`; the shared segmentation,
:func:`~minsheng.engine.tokens.shared_segmentation`; the theme and digest models) lives in one folder per run, removed
when the run ends, and removed at the next run's start when the run was killed outright.

Why: a run killed with SIGKILL (the OOM killer, an operator) runs no clean-up, and each left its folder behind in
the temporary folder, hundreds of megabytes at a million rows (partitions in flight, the token pickles), for good.

A run holds an exclusive ``flock`` on a file of its folder for its whole life; the kernel releases it when the run
dies however it dies (and when its forked workers, which hold the same open file, have died too: they may still be
writing there). A folder whose lock a new run can take is a dead run's and goes. A lock, not a pid in the name: a pid
is reused, and a host's temporary folder may be shared by runs in other pid namespaces (containers).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = "minsheng-run-"
_LOCK = ".run.lock"
#: A folder without its lock file is a run between making its folder and locking it, unless older than this.
_UNLOCKED_GRACE_S = 600


@contextlib.contextmanager
def run_folder(root: str | Path | None = None) -> Iterator[Path]:
    """A new scratch folder under ``root`` (default: the system's temporary folder), locked while the block runs
    and removed after it; dead runs' folders there removed first (:func:`remove_stale`)."""
    root = Path(root if root is not None else tempfile.gettempdir())
    remove_stale(root)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
    # Locked under another name, then renamed: a lock file that exists is always held by a live run (a run's
    # remove_stale between creating and locking it would take the free lock and remove a folder just made).
    lock = os.open(folder / (_LOCK + ".new"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        os.rename(folder / (_LOCK + ".new"), folder / _LOCK)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(lock)


def remove_stale(root: str | Path) -> list[Path]:
    """Remove the scratch folders under ``root`` whose run is dead (their lock free), and return them."""
    removed = []
    for folder in Path(root).glob(PREFIX + "*"):
        try:
            lock = os.open(folder / _LOCK, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > _UNLOCKED_GRACE_S:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            continue
        except OSError:  # another user's folder, or not a folder: not ours to judge
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live run holds it
            os.close(lock)
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(lock)
    return removed
