"""Run a function over partitions in local processes (the default) or on a Dask cluster.

One code path for both: the pipeline hands an iterable of partitions to :meth:`Executor.map` and
gets results back **in input order**, with at most ``max_in_flight`` partitions outstanding, so
reading the next batch overlaps computing the previous ones while memory stays bounded.

A map over a single partition runs in this process: starting workers (a forkserver imports the whole
engine again, about a second of CPU each) costs more than a small file's work, and there is nothing
to overlap. Local workers are started on the first partition that needs them.

>>> with make_executor("local", workers=1) as ex:
...     list(ex.map(abs, [-1, -2, 3]))
[1, 2, 3]
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import logging
import mmap
import multiprocessing
import os
import pickle
import select
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_END = object()

EXECUTORS = ("local", "dask")

# What the forkserver imports once, so that its workers start with it: the modules whose functions the later
# stages map. Without them every fresh worker imported scikit-learn again (0.8 CPU-s each, two per stage).
_PRELOAD = ["minsheng.engine.pipeline", "minsheng.engine.themes", "minsheng.engine.places",
            "minsheng.engine.hot_issues", "minsheng.engine.digest", "minsheng.engine.routing"]


def start_up_done() -> None:
    """End a program's start-up for Python's cyclic garbage collector, which ``minsheng.cli`` turns off while a
    command that says so (``collect_after_start``) imports its libraries: what exists now is frozen out of the
    collector's sight (``gc.freeze``: modules, classes, the libraries' tables, all kept for the process's life)
    and the collector is turned on. Nothing when it is on (the collector was never turned off: a test, the
    platform).

    Why: the imports of ``minsheng analyze`` (pandas, pyarrow, scikit-learn, scipy, rjieba, the engine) set off
    about 330 young and two full collections before the first stage, 0.12-0.17 CPU-s of a 5,000-row run's
    serial start-up, none of which found garbage worth the name; frozen, those objects are not traversed by the
    stages' collections either, nor their pages written (copied after a fork) by them (h-small5, speed.md).
    Called by the command at its first stage and by the report helpers, forked during the start-up, once their
    libraries are loaded.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def die_with(process: int) -> None:
    """End this helper or worker when ``process`` (a pid: the run's) ends, even by SIGKILL (Linux; elsewhere nothing).

    Why: helpers and pool workers wait on pipes or queues whose other end they hold themselves, so a run killed
    with SIGKILL (the OOM killer; no clean-up runs) left them computing, and then blocked for ever, as orphans.
    A forkserver's workers cannot die with their parent (``prctl(PR_SET_PDEATHSIG)``): the forkserver exits only
    when no process holds its "alive" pipe, and its workers hold it. So a thread waits on a pidfd of
    ``process``, and ends this process when it ends (as soon as the thread gets the GIL: within a second).
    """
    try:
        handle = os.pidfd_open(process)
    except ProcessLookupError:  # already gone
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd: not Linux 5.3+
        return

    def wait() -> None:
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=wait, daemon=True, name=f"minsheng-die-with-{process}").start()


class Executor:
    """Base: ``map`` in order with bounded concurrency; a context manager that cleans up."""

    workers: int = 1

    def submit(self, func: Callable, item: Any):  # pragma: no cover - interface
        raise NotImplementedError

    def map(self, func: Callable, items: Iterable, *, max_in_flight: int | None = None) -> Iterator:
        items = iter(items)
        first = next(items, _END)
        if first is _END:
            return
        second = next(items, _END)
        if second is _END:  # one partition: no workers to start, nothing to overlap
            yield func(first)
            return
        limit = max_in_flight or self.workers + 1
        pending: deque = deque()
        for item in itertools.chain((first, second), items):
            pending.append(self.submit(func, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        pass

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Done:
    """An already-computed result with the future interface."""

    def __init__(self, value: Any):
        self.value = value

    def result(self) -> Any:
        return self.value


class InlineExecutor(Executor):
    """No parallelism: for one core, tiny inputs, and debugging."""

    def submit(self, func: Callable, item: Any) -> _Done:
        return _Done(func(item))


def _start_worker(run: int) -> None:
    """Each worker dies with the run's process ``run`` (:func:`die_with`), and runs one BLAS/OpenMP thread:
    workers are the parallelism, thread pools inside each would only fight over the cores."""
    from threadpoolctl import threadpool_limits

    die_with(run)
    threadpool_limits(1)


class WorkerDied(RuntimeError):
    """A worker process died again and again computing the same partition: the run cannot finish as asked.

    Raised by both executors (a local pool after one retry, Dask after its ``allowed-failures``), with one line
    for the user; the platform says it in its own words."""

    def __init__(self, message: str = "a worker process died twice on the same partition (killed, or out of "
                 "memory?); nothing was written: run again, with fewer --workers or a smaller --batch-rows"):
        super().__init__(message)


# Partitions and results whose buffers (Arrow's, NumPy's) hold at least this many bytes travel through a file.
_HANDOFF_BYTES = 1 << 20
_ALIGN = 64  # each buffer starts at a multiple of this in the file, as Arrow and NumPy want them


class _Handoff:
    """A partition (or a result) on its way between the run and a worker: its pickle (protocol 5) through the
    pool's pipe, and the large buffers it holds, out of band, in a file of the run's scratch folder.

    Why: the pool pickles each partition in the parent's feeder thread, copying every buffer into the pickle,
    and the pipe copies it twice more: 27 ms for a partition of 25,000 texts (8.8 MB), 3 ms more to unpickle
    (2.3 % of a million-row run's samples, the ingest batches and every map's texts). Written to a file instead
    it costs ≈ 6 ms, and the worker maps the file without copying (0.2 ms). Buffers that are small in all
    travel in the pipe beside the pickle (``inline``): the object is pickled once either way.
    """

    def __init__(self, head: bytes, sizes: list[int], path: str | None = None, inline: list[bytes] | None = None):
        self.head, self.sizes, self.path, self.inline = head, sizes, path, inline

    @classmethod
    def of(cls, obj: Any, folder: str) -> _Handoff:
        """``obj`` pickled, its buffers written to a new file in ``folder`` where they are large."""
        buffers: list[pickle.PickleBuffer] = []
        out = io.BytesIO()
        ForkingPickler(out, 5, True, buffers.append).dump(obj)
        views = [b.raw() for b in buffers]
        sizes = [v.nbytes for v in views]
        if sum(sizes) >= _HANDOFF_BYTES:
            path = os.path.join(folder, f"{uuid.uuid4().hex}.part")
            try:
                with open(path, "wb") as fh:
                    for view in views:
                        fh.write(view)
                        fh.write(bytes(-view.nbytes % _ALIGN))
                return cls(out.getvalue(), sizes, path=path)
            except OSError:  # no room: through the pipe, as before
                with contextlib.suppress(OSError):
                    os.unlink(path)
        return cls(out.getvalue(), sizes, inline=[bytes(v) for v in views])

    def load(self, *, copy: bool) -> Any:
        """The object again. A file's buffers map it (``copy=False``: a worker's partition, gone with it) or
        are copied out of it (a result the run keeps: not backed by a file it deletes)."""
        if self.path is None:
            return pickle.loads(self.head, buffers=[bytearray(b) for b in self.inline])
        with open(self.path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY)
        view, buffers, at = memoryview(mapped), [], 0
        for size in self.sizes:
            buffers.append(bytearray(view[at: at + size]) if copy else view[at: at + size])
            at += size + (-size % _ALIGN)
        return pickle.loads(self.head, buffers=buffers)

    def remove(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def _handed(func: Callable, folder: str | None, item: Any) -> Any:
    """``func(item)`` in a worker, the item and the result handed through a file where they are large."""
    result = func(item.load(copy=False) if isinstance(item, _Handoff) else item)
    return result if folder is None else _Handoff.of(result, folder)


class _Retried:
    """A partition's future on a local pool, computed again once on a new pool if a worker of the old one died.

    Why: a worker killed mid-run (the OOM killer, an operator's ``kill``) breaks the whole pool, and every
    partition in flight fails with it. Maps are pure functions of their partition, so computing them again
    gives the same result; a second death on the same partition is :class:`WorkerDied`, one line for the user.
    """

    def __init__(self, executor: LocalExecutor, func: Callable, item: Any):
        self.executor, self.func = executor, func
        self.handoff = None if executor.folder is None else _Handoff.of(item, executor.folder)
        self.item = item if self.handoff is None else self.handoff
        self.future = executor._pool_submit(func, self.item)

    def result(self) -> Any:
        try:
            try:
                value = self.future.result()
            except BrokenProcessPool:
                self.future = self.executor._pool_submit(self.func, self.item)
            else:
                return self._received(value)
            try:
                return self._received(self.future.result())
            except BrokenProcessPool:
                raise WorkerDied() from None
        finally:
            self.item = None
            if self.handoff is not None:
                self.handoff.remove()

    @staticmethod
    def _received(value: Any) -> Any:
        if not isinstance(value, _Handoff):
            return value
        try:
            return value.load(copy=True)
        finally:
            value.remove()


class LocalExecutor(Executor):
    """A pool of worker processes on this machine.

    ``fresh=False`` forks workers from this process: instant, and right while this process is small.
    ``fresh=True`` forks them from a *forkserver* that has only the engine's modules loaded: right once
    this process holds a million records, which forked workers would map (and count as resident) too.
    With a ``folder`` (the run's scratch), large partitions and results travel through files there
    (:class:`_Handoff`).
    """

    def __init__(self, workers: int | None = None, *, fresh: bool = False, folder: str | Path | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._fresh = fresh
        self._pool: ProcessPoolExecutor | None = None
        self.folder = None if folder is None else str(folder)
        if self.folder is not None:
            os.makedirs(self.folder, exist_ok=True)

    def submit(self, func: Callable, item: Any) -> _Retried:
        return _Retried(self, func, item)

    def _pool_submit(self, func: Callable, item: Any):
        """Submit to the pool, started on first use. A pool that a worker's death broke refuses the partition
        (even before any result has said so): it goes to a new pool."""
        if self._pool is None:
            self._pool = self._new_pool()
        try:
            return self._pool.submit(_handed, func, self.folder, item)
        except BrokenProcessPool:
            log.warning("a worker process died (killed, or out of memory?): its partitions run again on new workers")
            # Not cancel_futures: a cancelled future would not say BrokenProcessPool, and the broken pool's own
            # thread fails every partition still in it, which :class:`_Retried` then computes again.
            self._pool.shutdown(wait=False)
            self._pool = self._new_pool()
            return self._pool.submit(_handed, func, self.folder, item)  # broken again at once: its error is the caller's

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._fresh:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
        else:
            context = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(),))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _Watched:
    """A Dask future whose workers all died running it (``KilledWorker``: out of memory, killed) ends the run in
    :class:`WorkerDied`'s one line, as on a local pool, instead of a traceback."""

    def __init__(self, future: Any):
        self.future = future

    def result(self) -> Any:
        from distributed import KilledWorker

        try:
            return self.future.result()
        except KilledWorker:
            raise WorkerDied() from None


class DaskExecutor(Executor):
    """Partitions as tasks on a Dask cluster: ``scheduler`` address, or a new ``LocalCluster``."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a declared dependency
            raise RuntimeError("the dask executor needs `pip install 'dask[distributed]'`") from exc
        if not logging.getLogger().isEnabledFor(logging.DEBUG):  # -v shows them
            # Dask's own account of starting and closing a cluster of each stage: 140 INFO lines in a 20,000-row
            # run, two of them tracebacks of the streams a closing cluster cuts, in a run that ended well. Its
            # warnings stay (a worker killed and restarted).
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler)
            except (OSError, ValueError, TypeError) as exc:  # refused, timed out, or not an address at all
                from minsheng.engine.errors import InputError

                raise InputError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}", field="--scheduler",
                                 code="scheduler_unreachable", params={"scheduler": scheduler}) from None
        else:
            self._cluster = _local_cluster(LocalCluster, workers or os.cpu_count() or 1)
            try:
                self._client = Client(self._cluster)
            except OSError:  # TimeoutError: connecting to it took longer than Dask's 30 s
                self._cluster.close()
                raise _too_slow() from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        log.info("dask executor: %s with %d workers", self._client.scheduler.address, self.workers)

    def submit(self, func: Callable, item: Any) -> _Watched:
        return _Watched(self._client.submit(func, item, pure=False))

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _local_cluster(local_cluster: type, workers: int):
    """A ``LocalCluster`` of ``workers`` processes, started once more if a worker process dies while it starts, then
    :class:`WorkerDied`: a worker killed as a stage's cluster started (by hand, found by h-fuzz2, or out of memory)
    ended ``minsheng analyze`` in Dask's "Nanny failed to start" traceback. A cluster that fails closes itself.

    ``dashboard_address=":0"``: the scheduler's HTTP server on a free port; with None it still took 8787, and a
    second run on the host printed Dask's "Port 8787 is already in use" warning on stderr."""
    def start():
        return local_cluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")

    try:
        return start()
    except (RuntimeError, OSError) as exc:  # "Nanny failed to start."; TimeoutError (an OSError): too slow
        log.warning("Dask's local cluster died while starting, or was too slow (%s: %s); starting it again",
                    type(exc).__name__, exc)
    try:
        return start()
    except RuntimeError:
        raise WorkerDied("Dask's local worker processes died twice while starting (killed, or out of "
                         "memory?); nothing was written: run again, with fewer --workers") from None
    except OSError:
        raise _too_slow() from None


def _too_slow():
    """A local cluster that did not start (or answer) in Dask's time, twice: the host too busy, in one line (exit 2)
    naming what helps, where it ended in Dask's TimeoutError traceback (h-fuzz2, at load 15-18)."""
    from minsheng.engine.errors import InputError

    return InputError("Dask's local cluster did not start in time (the machine too busy?); nothing was written: "
                      "run again, with fewer --workers or with --executor local", field="--executor",
                      code="cluster_too_slow")


def make_executor(kind: str = "local", *, scheduler: str | None = None, workers: int | None = None,
                  fresh: bool = False, folder: str | Path | None = None) -> Executor:
    """The executor named by ``kind``; an unknown name is an error that lists the choices.

    ``fresh`` asks local workers not to inherit this process's memory, ``folder`` hands large partitions to
    them through files (see :class:`LocalExecutor`).
    """
    if kind == "local":
        return InlineExecutor() if workers == 1 else LocalExecutor(workers, fresh=fresh, folder=folder)
    if kind == "dask":
        return DaskExecutor(scheduler, workers)
    raise ValueError(f"unknown executor {kind!r}; choose one of {', '.join(EXECUTORS)}")
