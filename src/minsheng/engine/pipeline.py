"""``engine.analyze``: input files in, one :class:`~minsheng.engine.result.AnalysisResult` out.

Ingest → normalise + sign (partition-wise: in worker processes or on Dask), then the steps, each a plain
function ``step(run)`` that reads and adds to ``run.result``. The steps are a parameter, scikit-learn style,
so a caller runs a subset (``steps=[themes]``) and a new stage is one entry in :data:`STEPS`::

    result = analyze(["a.csv"], AnalyzeOptions(), steps=[duplicates, campaigns, themes, hot_issues])
    write_result(result, "out/")

The map stage is the only one that touches every character; it runs per partition so that the
same function serves the local pool and a Dask cluster. The duplicate merge works on fixed-size signatures
(256 bytes a record), which is what lets a million records fit comfortably in memory. Every step is
deterministic for the same inputs and options, so a run killed at any point is simply run again.

Every step works on any accepted input: without times, users, places, or Chinese; one row or a thousand
copies of one row. A step that finds nothing to do (too few distinct words for themes) leaves its table
empty and says why in ``summary["skipped"]``; only bad input (:class:`~minsheng.engine.errors.InputError`)
stops a run.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minsheng.engine.campaigns import detect_campaigns
from minsheng.engine.dedup import (
    DistinctParts,
    exact_keys,
    first_appearances,
    group_duplicates,
    sorted_unique,
    take_rows,
    text_codes,
)
from minsheng.engine.errors import InputError
from minsheng.engine.executor import LocalExecutor, die_with, make_executor
from minsheng.engine.ingest import MAX_TEXT_CHARS, ColumnMap, IngestStats, iter_batches, rejects_frame
from minsheng.engine.masking import KINDS
from minsheng.engine.metrics import StageMeter
from minsheng.engine.minhash import canonical_joined, signatures
from minsheng.engine.normalise import normalise_joined, split_joined
from minsheng.engine.progress import progress
from minsheng.engine.result import AnalysisResult
from minsheng.engine.scratch import run_folder
from minsheng.engine.titles import glued_export, one_line

log = logging.getLogger(__name__)

RECORD_BASE = ["id", "text", "time", "user", "channel", "source", "row"]


@dataclass
class AnalyzeOptions:
    """Everything that changes a result (recorded in ``summary.json``)."""

    columns: ColumnMap | None = None
    threshold: float = 0.8
    num_perm: int = 128
    bands: int = 16
    shingle: int = 4
    min_campaign_people: int = 10
    batch_rows: int = 25_000  # per partition: small enough that each worker's shingle arrays stay < ~250 MB
    max_text_chars: int = MAX_TEXT_CHARS
    model: str | None = None  # a router file from `minsheng train` (supervised or taxonomy)
    review_threshold: float | None = None  # None: the model's own; 1 or more: every prediction reviewed
    executor: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    n_broad: int = 20
    n_fine: int | None = None  # None: as many as the data holds (micro-clusters joined within 0.15 cosine)
    theme_seed: int = 0
    theme_sample: int = 50_000
    theme_model: str | None = None  # assign with this saved theme model instead of fitting one
    window_days: int = 90  # hot issues: the longest gap between two messages of one issue
    digest: bool = True  # the suggestion digest (建议摘编): suggestions and novel ideas
    n_suggestions: int = 1000  # at most this many suggestions, ranked by people then support
    reply_col: str | None = None  # score replies when set (and reply_time_col for timeliness)
    reply_time_col: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Run:
    """What the steps share: the options, the result so far, and the map stage's hashes."""

    options: AnalyzeOptions
    result: AnalysisResult
    meter: StageMeter
    scratch: Path  # files the workers load (the theme model), gone after the run
    on_stage: Callable[[str], None] | None = None
    exact: np.ndarray | None = None
    sig: np.ndarray | None = None
    text_keys: np.ndarray | None = None  # a 64-bit hash of each record's text from the map stage's workers
    _distinct: tuple | None = None  # (code of each record, first record of each code)
    beside: _Beside | None = None  # the digest, being computed in another process
    ahead: _Ahead | None = None  # the digest's first steps, computed on the theme table's and hot issues' idle core
    places: _Background | None = None  # the places of the distinct texts, being found by workers
    fitting: _Fitting | None = None  # the theme model, being fitted in a thread
    glued: bool | None = None  # whether the titles were glued to their bodies (a bare export), decided at ingest

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time and measure one stage, and tell the caller it started."""
        log.debug("stage %s: %d records", name, len(self.result.records))
        if self.on_stage:
            self.on_stage(name)
        give_back_memory()
        with self.meter.stage(name):
            yield

    @contextlib.contextmanager
    def executor(self, *, fresh: bool = True) -> Iterator:
        """Workers for a stage; after the map stage they start fresh, not as copies of a large parent.

        The meter samples once more before the workers exit: idle, their CPU seconds are final then, and what
        they spent after the meter's last sample would otherwise be missed (under load the samples are
        seconds apart: at 200,000 rows the map stage showed 4.5 of its ≈ 6 CPU-s).
        """
        o = self.options
        with make_executor(o.executor, scheduler=o.scheduler, workers=o.workers, fresh=fresh,
                           folder=self.scratch / "handoff") as ex:
            try:
                yield ex
            finally:
                self.meter.sample()

    def map_records(self, func, columns: list[str], desc: str) -> pd.DataFrame:
        """``func`` over the records in partitions of ``batch_rows`` on the executor; results concatenated.

        When only ``text`` is mapped, each distinct text is mapped once and the result is spread to every
        record that has it: identical texts get identical departments, themes and places, and a form letter
        sent 100,000 times then costs one row of work (9 % of the synthetic corpus are such copies). Each
        partition of distinct texts is segmented by the first stage that maps it and the words reused by the
        next (:func:`~minsheng.engine.tokens.shared_segmentation`).
        """
        frame, distinct = self.result.records[columns], columns == ["text"]
        if distinct:
            # imported here, not with the pipeline: rjieba loads its dictionary on import
            from minsheng.engine.tokens import shared_segmentation

            func = partial(shared_segmentation, func=func, folder=str(self.scratch / "tokens"))
        items, total = ((self._distinct_parts(), len(self._text_codes()[1])) if distinct
                        else (self.partitions(frame), len(frame)))
        parts = []
        with self.executor() as ex, progress(desc, total=total) as bar:
            for part in ex.map(func, items):
                parts.append(part)
                bar.update(len(part))
        out = pd.concat(parts)
        return self.spread(out) if distinct else out

    def partitions(self, frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
        """``frame`` in slices of ``batch_rows`` (views, not copies)."""
        rows = self.options.batch_rows
        return (frame.iloc[s: s + rows] for s in range(0, len(frame), rows))

    def spread(self, out: pd.DataFrame) -> pd.DataFrame:
        """Rows computed once per distinct text (in :meth:`_distinct_texts` order), one per record."""
        return out.iloc[self._text_codes()[0]].set_index(self.result.records.index)

    def _distinct_texts(self) -> tuple[np.ndarray, pd.DataFrame]:
        """Each record's code and the distinct texts, found once for all the stages that map texts (the
        texts do not change after the map stage; hashing a million of them costs about a second). Only the
        codes and first positions are kept between stages, not a second copy of the texts."""
        text = self.result.records["text"].fillna("")
        codes, first = self._text_codes()
        return codes, pd.DataFrame({"text": text.iloc[first].reset_index(drop=True)})

    def _distinct_parts(self) -> DistinctParts:
        """The partitions of :meth:`_distinct_texts`' frame, each taken from the records when a map reaches it."""
        return DistinctParts(self.result.records[["text"]], self._text_codes()[1], self.options.batch_rows,
                             fill={"text": ""})

    def _text_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(code of each record's text, first record of each code); codes number first appearances."""
        n = len(self.result.records)
        if self._distinct is None or len(self._distinct[0]) != n:
            keys, self.text_keys = self.text_keys, None
            text = self.result.records["text"]
            coded = _codes_of_keys(text, keys) if keys is not None and len(keys) == n else None
            self._distinct = (coded, first_appearances(coded)) if coded is not None else text_codes(text)
        return self._distinct

    def skip(self, step: str, reason: str) -> None:
        log.warning("%s skipped: %s", step, reason)
        self.result.summary.setdefault("skipped", {})[step] = reason


def _codes_of_keys(text: pd.Series, keys: np.ndarray) -> np.ndarray | None:
    """The codes of ``pd.factorize(text)`` from ``keys``, a 64-bit hash of each text (the map stage's workers
    hash the texts they return), or None where two different texts share a key (or a text is missing).

    Why: factorizing a million texts hashed every one of them again in this process, at the end of the map
    stage, where the other core idles (≈ 0.9 CPU-s at 1,018,000 records); a million 64-bit keys are factorized
    in a hundredth of that. Equal texts have equal keys, so the keys' codes are the texts' codes (both number
    first appearances) when no two different texts share a key: each record whose key appeared before is
    checked against the record that first had it (one Arrow comparison of the repeated rows only)."""
    codes = pd.factorize(keys)[0]
    first = first_appearances(codes)
    again = np.flatnonzero(first[codes] != np.arange(len(codes)))
    if not len(again):
        return None if text.isna().any() else codes
    texts = pa.chunked_array(pa.array(text.array)) if isinstance(text.dtype, pd.StringDtype) else None
    if texts is None or texts.null_count:
        return None
    same = pc.equal(take_rows(texts, again), take_rows(texts, first[codes[again]]))
    return codes if same.null_count == 0 and pc.all(same).as_py() else None


def give_back_memory() -> None:
    """Return what the last stage freed to the system before the next one starts.

    Arrow's allocator (mimalloc) and glibc's malloc keep freed memory for reuse, so the parent carried every
    stage's leftovers through the stages after it, and the stages that run in the parent (hot issues) put their
    own peak on top. At 200,000 rows, 263 MB of the 395 MB the parent grew by in the routing stage were such
    leftovers (Arrow 192, malloc 71).
    """
    pa.default_memory_pool().release_unused()
    if (libc := _glibc()) is not None:
        libc.malloc_trim(0)


@cache
def _glibc():
    """The C library when it is glibc (which has ``malloc_trim``), loaded once; None elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@dataclass
class SignedPartition:
    """What the map stage returns for one batch."""

    text: pd.Series  # normalised and masked
    key: np.ndarray  # a 64-bit hash of each text (:func:`_codes_of_keys`)
    exact: np.ndarray | None
    sig: np.ndarray | None
    masked: Counter
    one_line: np.ndarray  # whether each text has no line break within a title's length (:func:`_glued`)


def sign_partition(text: pd.Series, *, num_perm: int, shingle: int, sign: bool = True) -> SignedPartition:
    """Normalise and mask a batch's texts, then hash them for duplicate detection (runs in a worker).

    Only the texts travel to the worker and back (as Arrow strings): the other columns stay where they were read.
    """
    if not len(text):
        empty, sig = np.empty(0, np.uint64), np.empty((0, num_perm), np.uint16)
        return SignedPartition(text, empty, empty if sign else None, sig if sign else None, Counter(),
                               np.empty(0, bool))
    joined, masked = normalise_joined(pa.array(text, pa.large_string()))
    texts = split_joined(joined, len(text))
    arrow = pa.array(texts, pa.large_string())
    out = pd.Series(arrow.to_pandas().array, index=text.index)
    key = exact_keys(texts)  # the same hash as the exact duplicates' keys, of the texts as they are
    lines = one_line(arrow)  # for the run's decision whether titles were glued (:func:`_glued`)
    if not sign:
        return SignedPartition(out, key, None, None, masked, lines)
    canon = canonical_joined(joined)  # the same as of the stripped texts: blanks are not part of it
    return SignedPartition(out, key, exact_keys(canon), signatures(canon, num_perm, shingle, canonicalise=False),
                           masked, lines)


# --- steps -----------------------------------------------------------------------------------------------

def duplicates(run: Run) -> None:
    """Exact and near-duplicate groups (``dup_group``, ``dup_group_size``, ``is_representative``)."""
    records = run.result.records
    with run.stage("duplicates"):
        times = records["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
        order_key = np.where(records["time"].isna().to_numpy(), np.iinfo(np.int64).max, times)
        groups = group_duplicates(run.sig, run.exact, threshold=run.options.threshold, bands=run.options.bands,
                                  order_key=order_key)
        run.result.records = records.assign(dup_group=groups.labels, dup_group_size=groups.sizes,
                                            is_representative=groups.representative)
        run.result.summary.update(_duplicate_counts(run.result.records, run.exact))
    run.sig = None  # the largest array of the run: not held through the later stages


def campaigns(run: Run) -> None:
    """Form letters sent by many people (``campaign_id``, ``campaign_addition``; the campaigns table)."""
    records = run.result.records  # the duplicates step ran before: analyze() refuses any other order
    with run.stage("campaigns"):
        cid, addition, table = detect_campaigns(records, min_people=run.options.min_campaign_people)
        run.result.records = records.assign(campaign_id=cid, campaign_addition=addition)
        run.result.campaigns = table
        run.result.summary.update(campaigns=len(table), campaign_messages=int(table["messages"].sum()),
                                  campaign_people=int(table["people"].sum()))


def routing(run: Run) -> None:
    """Department, confidence and review flag per record (when a router is given); workers get its path."""
    if not run.options.model or not len(run.result.records):
        return
    from minsheng.engine.routing import route_columns

    with run.stage("routing"):
        func = partial(route_columns, model=str(Path(run.options.model).resolve()),
                       review_threshold=run.options.review_threshold, distinct=True)
        routed = run.map_records(func, ["text"], "routing")
        run.result.records = pd.concat([run.result.records, routed], axis=1)


def themes(run: Run) -> None:
    """Two-level themes (fit on a sample, assigned per partition) and places, which hot issues need.

    Adds ``theme_id``, ``theme_broad_id``, ``theme_score``, ``place``, ``place_key``, ``place_kind``,
    ``district``; the themes table; the model (the platform assigns new suggestions with it).
    """
    import joblib

    from minsheng.engine.result import load_model
    from minsheng.engine.themes import ThemeModel, assign_themes, fit_themes, theme_table

    o, records = run.options, run.result.records
    if not len(records):
        return
    with run.stage("themes"):
        if run.places is None and run.beside is not None:  # found by the digest's process
            run.places = run.beside.places(run)
        fitting, run.fitting = run.fitting, None
        if o.theme_model:
            model = load_model(str(o.theme_model), ThemeModel)
        else:
            try:
                model = fitting.result() if fitting is not None else fit_themes(records, **_theme_params(o))
            except InputError as exc:  # nothing to cluster (a handful of records, or no words): no themes
                run.skip("themes", exc.message)
                if run.places is not None:
                    run.places.cancel()
                    run.places = None
                return
        if len(records) <= o.batch_rows:  # one partition, assigned in this process: the model as it is
            shipped = model
        else:  # workers load it from a file once each instead of receiving it with every partition
            shipped = str(run.scratch / "theme_model.joblib")
            joblib.dump(model, shipped)
        found = run.places is not None  # by workers, beside the stages before this one
        assigned = run.map_records(partial(assign_themes, model=shipped, places=not found, glued=run.glued), ["text"],
                                   "themes")
        if found:
            assigned = assigned.join(run.places.records(run))
            run.places = None
        run.result.records = records = pd.concat([records, assigned], axis=1)
        if run.ahead is not None:
            # The records are what the digest reads now: its worker ahead starts here, on the core the theme
            # table (the stage's serial end, ≈ 1 CPU-s at a million records) leaves idle, not at the next stage.
            run.ahead.start(run)
        run.result.themes = theme_table(records, model)
        run.result.models["themes"] = model
        run.result.summary["themes"] = int((run.result.themes["level"] == "fine").sum())


def _theme_params(o: AnalyzeOptions) -> dict:
    return {"n_broad": o.n_broad, "n_fine": o.n_fine, "sample_size": o.theme_sample, "random_state": o.theme_seed}


def hot_issues(run: Run) -> None:
    """Hot issues by place + fine theme (or similar words) + time (``hot_issue_id``; the hot-issues table)."""
    from minsheng.engine.hot_issues import find_hot_issues

    if not len(run.result.records):
        return
    with run.stage("hot_issues"), run.executor() as ex:
        if run.ahead is not None:
            run.ahead.start(run)  # unless the theme stage started it
        hot_id, run.result.hot_issues = find_hot_issues(run.result.records, window_days=run.options.window_days,
                                                        map_parts=ex.map)
        run.result.records = run.result.records.assign(hot_issue_id=hot_id)
        run.result.summary["hot_issues"] = len(run.result.hot_issues)


def digest(run: Run) -> None:
    """The suggestion digest (建议摘编): claims clustered into suggestions (``suggestion_id``, the main one of
    each record), the suggestions and novel-ideas tables, the model (see :mod:`minsheng.engine.digest`).

    Computed here, or taken from the process that computed it beside themes and hot issues (:class:`_Beside`).
    """
    o = run.options
    if not o.digest or not len(run.result.records):
        return
    beside, run.beside = run.beside, None
    ahead, run.ahead, taken = run.ahead, None, None
    with run.stage("digest"):
        outputs, own = beside.result() if beside is not None else (None, None)
        if outputs is None:
            try:
                taken = ahead.taken() if ahead is not None else None
                outputs = _compute_digest(run, ahead=taken)
            finally:
                if ahead is not None:
                    ahead.close()
        if isinstance(outputs, InputError):  # no words to cluster
            run.skip("digest", outputs.message)
        else:
            main, table, novel, model = outputs
            run.result.records = run.result.records.assign(suggestion_id=main)
            run.result.suggestions, run.result.novel = table, novel
            run.result.models["digest"] = model
            run.result.summary["suggestions"] = len(table)
    if own is not None:  # the digest's own wall and CPU seconds, spent while themes and hot issues ran here
        run.meter.stages["digest"]["beside"] = own
    if ahead is not None and taken is not None:  # what the hot-issue stage's idle core computed for it
        run.meter.stages["digest"]["ahead"] = {"fit": taken[0] is not None, "splits": len(taken[1])}


def _compute_digest(run: Run, completed: Callable[[pd.DataFrame], pd.DataFrame] | None = None, wording=None,
                    ahead: tuple | None = None):
    """``run_digest``'s outputs for the records, or the :class:`InputError` that skips the digest."""
    from minsheng.engine.digest import run_digest

    o = run.options
    try:
        return run_digest(run.result.records, scratch=run.scratch, executor=run.executor, batch_rows=o.batch_rows,
                          n_suggestions=o.n_suggestions, random_state=o.theme_seed, completed=completed,
                          wording=wording, distinct=run._text_codes(), ahead=ahead)
    except InputError as exc:
        return exc


#: How much lower than the run's the priority of the digest's first steps computed ahead is (:class:`_Ahead`).
AHEAD_NICE = 10


def _at_low_priority(func: Callable, claim: str, nice: int, item):
    """``func(item)`` in a worker at ``nice`` (:data:`AHEAD_NICE` above the run's), once it has claimed the task
    (created the file ``claim``, holding its pid); None when the run claimed it first (:class:`_Ahead`)."""
    if not _claimed(claim, str(os.getpid())):
        return None
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    try:
        return func(item)
    finally:
        give_back_memory()


class _Ahead:
    """The digest's first steps — its model's fit, then its partitions' claims (:func:`~minsheng.engine.digest
    .split_part`) in order — computed from the theme table's start (the records are final then: the theme stage's
    columns joined) by one worker of low priority (nice :data:`AHEAD_NICE` above the run's); the digest stage takes
    what is done and computes the rest (:meth:`taken`). The theme table (≈ 1 CPU-s at a million records, after the
    theme stage's workers end) left the other core idle too.

    Why: the hot-issue stage's parent works alone for long stretches (the places' keys, the title search's
    bookkeeping, the links' prelude, the issues' statistics): ≈ 14 of its 27 s at a million records left one
    core of two idle, and the digest's fit (one core's work) and splits read nothing hot issues add (the texts,
    the place keys, the representatives). Fitted beside the stages at the run's priority (h-speed9, reverted)
    the fit competed with the hot-issue maps and slowed them; ten nice levels below them it gets about a tenth
    of a core they want, and all of an idle one. Not ``SCHED_IDLE``: on a machine that other programs keep
    busy it got nothing at all (a 1M run at load 10-14 split no partition ahead). The same functions over the
    same sample and partitions: the same model and claims.

    Each task is claimed by whoever creates its claim file first: the worker as it starts it, or the run when
    the digest stage starts, so a task is computed once. The worker's task in flight then is given the run's
    priority again (or, where that is not allowed, the worker is ended and the stage computes it).
    """

    def __init__(self) -> None:
        self._executor: LocalExecutor | None = None
        self._tasks: list[tuple[str, object]] = []  # (claim file, future): the fit, then the splits in order
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._nice = 0

    def start(self, run: Run) -> None:
        """Submit the fit, and the splits one by one from a thread, each after the one before it is done; once
        (the theme stage starts it before its table, the hot-issue stage where themes were skipped)."""
        from minsheng.engine.digest import digest_inputs, digest_spill, fit_model, split_part

        if self._executor is not None:
            return
        o = run.options
        _records, model, sample, _distinct, parts = digest_inputs(run.result.records, batch_rows=o.batch_rows,
                                                                  random_state=o.theme_seed,
                                                                  distinct=run._text_codes())
        path = str(run.scratch / "digest_model.joblib")
        folder = run.scratch / "digest_ahead"
        folder.mkdir()
        self._executor = LocalExecutor(1, fresh=True, folder=run.scratch / "handoff")
        self._nice = os.getpriority(os.PRIO_PROCESS, 0)  # the run's, given back to the task in flight
        self._submit(folder / "fit", fit_model, (model, sample, 2, path))
        split = partial(split_part, max_claims=2, folder=str(digest_spill(run.scratch).resolve()))

        def splits() -> None:
            for i in range(len(parts)):
                if self._stop.is_set():
                    return
                future = self._submit(folder / f"split-{i:05d}", split, (i, parts[i]))
                while not future.future.done() and not self._stop.wait(0.05):
                    pass

        self._thread = threading.Thread(target=splits, daemon=True, name="minsheng-digest-ahead")
        self._thread.start()

    def _submit(self, claim: Path, func: Callable, item):
        nice = min(self._nice + AHEAD_NICE, 19)
        future = self._executor.submit(partial(_at_low_priority, func, str(claim), nice), item)
        self._tasks.append((str(claim), future))
        return future

    def taken(self) -> tuple:
        """(the model's future or None, the futures of the first partitions' splits) for ``run_digest``: what
        the worker computed, or computes now at the run's priority."""
        owned = self._stop_worker(kill=False)
        fit = None
        splits = []
        for k, (claim, future) in enumerate(self._tasks):
            if claim not in owned:
                if k:
                    break
                continue  # the fit: the stage's, and the splits may still be the worker's
            if k:
                splits.append(future)
            else:
                fit = future
        return fit, splits

    def close(self, *, kill: bool = False) -> None:
        """End the worker: after the digest took what it computed, or (``kill``) when the run failed."""
        if not self._stop.is_set():
            self._stop_worker(kill=kill)
        if self._executor is not None:
            self._executor.close()

    def _stop_worker(self, *, kill: bool) -> set[str]:
        """Stop submitting, claim every task the worker has not started, and give the task in flight the run's
        priority (``kill``: end the worker instead, as where that is not allowed); returns the claims of the
        tasks the worker computed or computes."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        owned = set()
        for claim, future in self._tasks:
            if _claimed(claim, "run"):
                continue  # ours: the worker will not compute it
            if future.future.done():
                if future.future.exception() is None:  # not a worker's death
                    owned.add(claim)
                continue
            pid = _claimant(claim)
            if not kill:
                try:
                    os.setpriority(os.PRIO_PROCESS, pid, self._nice)
                    owned.add(claim)
                    continue
                except OSError:  # lowering a nice value needs the privilege to
                    pass
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        return owned

    @staticmethod
    def wanted(run: Run, steps: Sequence[Callable[[Run], None]]) -> bool:
        """The digest after hot issues in ``steps``, more than one partition of distinct texts, local workers."""
        o, names = run.options, [_unwrapped(s) for s in steps]
        return (o.digest and hot_issues in names and digest in names and names.index(hot_issues) < names.index(digest)
                and o.executor == "local" and o.workers != 1 and (os.cpu_count() or 1) > 1
                and len(run._text_codes()[1]) > o.batch_rows)


def _claimed(claim: str, owner: str) -> bool:
    """Whether this process claimed a task by creating the file ``claim`` holding ``owner``, not another process
    before it: written aside and linked into place, so that the file is never seen without its owner."""
    aside = f"{claim}.{os.getpid()}"
    with open(aside, "w") as fh:
        fh.write(owner)
    try:
        os.link(aside, claim)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(aside)


def _claimant(claim: str) -> int:
    """The pid of the worker that claimed a task (:func:`_claimed`)."""
    with open(claim) as fh:
        return int(fh.read())


class _Beside:
    """The digest of a one-partition run, computed in a forked process while this one runs the stages after
    duplicates (campaigns, routing, themes, hot issues).

    Why: a small file's run keeps one core of two busy, and the digest (a third of its stages) reads nothing
    that themes or hot issues add but the places, which the child finds first the same way the theme stage
    does (the same function over the same distinct texts): the same suggestions, novel ideas and model. Its fit
    and claims read only the texts and duplicate groups; the campaigns and departments, which only its tables
    read, are sent to it when the theme stage starts (:meth:`send_later_columns`), so it starts before those
    stages instead of after them (0.5 s of a 5,000-row file's wall time). The child never reports progress or
    touches anything but its pipes; when it dies, the digest is computed here; when this process dies, the
    child dies too (:func:`~minsheng.engine.executor.die_with`). The digest's stage then times the wait for it,
    and its ``beside`` entry the child's own seconds; the CPU seconds of the stages it ran beside (of the process
    tree) include the child's.
    """

    def __init__(self, run: Run):
        # The digest's modules (scikit-learn among them, which themes need here too) are imported before the
        # fork, once for both processes, instead of in each; the child then imports nothing.
        import joblib  # noqa: F401

        import minsheng.engine.digest
        import minsheng.engine.digest_table
        import minsheng.engine.novel
        import minsheng.engine.places  # noqa: F401

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        later, self._send_later = context.Pipe(duplex=False)
        self._taken = context.Value("l", 0)  # parts of the child's map taken so far, by either process
        self._columns = set(run.result.records.columns)
        self._process = context.Process(target=self._child, args=(run, send, later, os.getpid(), self._taken),
                                        daemon=True)
        self._process.start()
        send.close()
        later.close()

    @staticmethod
    def _child(run: Run, send, later, parent: int, taken) -> None:
        from minsheng.engine.places import place_columns

        die_with(parent)
        start, cpu = time.perf_counter(), time.process_time()
        # Read as soon as they are sent: a pipe holds 64 kB, and the parent must not wait for the fit to end (nor,
        # later, for this process to want the parts of the wording it computed).
        received: list[pd.DataFrame] = []
        columns, worded = threading.Event(), queue.SimpleQueue()

        def read() -> None:
            with contextlib.suppress(EOFError, OSError):
                received.append(later.recv())
                columns.set()
                while True:
                    worded.put(later.recv())

        threading.Thread(target=read, daemon=True).start()

        def completed(records: pd.DataFrame) -> pd.DataFrame:
            columns.wait()
            return records.join(received[0].set_axis(records.index))

        records = run.result.records
        codes, distinct = run._distinct_texts()
        found = place_columns(distinct, run.glued)
        _Found.save(found, run.scratch / _Found.NAME)  # the theme stage's places too (:meth:`places`)
        run.result.records = records.join(found.iloc[codes].set_index(records.index))
        # The suggestions' wording, the table's largest cost, is shared with the parent, idle by then.
        shared = _SharedParts(send, worded, taken, run.scratch / "shared")
        outputs = _compute_digest(run, completed, wording=shared)
        send.send((outputs, {"seconds": round(time.perf_counter() - start, 3),
                             "cpu_seconds": round(time.process_time() - cpu, 2)}))
        send.close()

    @staticmethod
    def places(run: Run) -> _Found | None:
        """The places of the distinct texts, when the child has found them already (it does first): the theme
        stage takes them instead of finding them again (the same function over the same texts)."""
        path = run.scratch / _Found.NAME
        return _Found(path) if path.exists() else None

    def send_later_columns(self, run: Run) -> None:
        """Send the child the columns the stages since its fork added (campaigns, departments). A child that has
        already answered (a digest skipped for too few asks never reads them) has closed its end: nothing to
        send, and :meth:`result` reads its answer (or, had it died, computes the digest here)."""
        records = run.result.records
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send_later.send(records[[c for c in records.columns if c not in self._columns]])

    def result(self) -> tuple:
        """(outputs, own seconds) from the child; (None, None) when it died without answering. While waiting,
        this process takes the parts of the child's map (:class:`_SharedParts`) the child has not taken."""
        try:
            answer = _SharedParts.serve(self._receive, self._send_later, self._taken)
        except (EOFError, OSError):
            log.warning("the digest's process died; computing the digest here")
            answer = (None, None)
        self._process.join()
        self._receive.close()
        self._send_later.close()
        return answer

    def cancel(self) -> None:
        """Stop the child (the run failed before the digest's turn)."""
        self._process.terminate()
        self._process.join()
        self._receive.close()
        self._send_later.close()

    @staticmethod
    def wanted(run: Run, steps: Sequence[Callable[[Run], None]]) -> bool:
        """One partition on local workers, fork available, and the digest after themes in ``steps``."""
        o, names = run.options, [_unwrapped(s) for s in steps]
        return (o.digest and themes in names and digest in names and names.index(themes) < names.index(digest)
                and o.executor == "local" and o.workers != 1 and (os.cpu_count() or 1) > 1
                and 0 < len(run.result.records) <= o.batch_rows
                and "fork" in multiprocessing.get_all_start_methods()
                and not multiprocessing.current_process().daemon)  # a daemonic process may not start one


def _take(taken, available: int) -> int | None:
    """The next part of a shared map (counted in ``taken``, shared by the two processes) when fewer than
    ``available`` are taken: it is this process's to compute; None when the rest are taken."""
    with taken.get_lock():
        k = taken.value
        if k >= available:
            return None
        taken.value = k + 1
        return k


class _SharedParts:
    """An executor in the digest's process (:class:`_Beside`) whose parts the run's process takes too, once it
    waits for the digest: each part submitted is offered to it (pickled into ``folder``, its path sent), and
    both processes take the next part not yet taken (:func:`_take`) until none is left; the run's process sends
    back what it computed. Which process computes a part changes nothing: the parts read nothing of each other.

    Why: in a small run the digest is the longest path, and the run's process ends its own stages about a
    second before the digest ends, then waits; the suggestions' wording (:func:`~minsheng.engine.digest_wording
    .suggestion_texts`) is a quarter of the digest. When the run's process is still busy, the child takes every
    part itself.
    """

    workers = 2

    def __init__(self, send, receive: queue.SimpleQueue, taken, folder: Path):
        self._send, self._receive, self._taken, self._folder = send, receive, taken, folder
        self._parts: list[tuple[Callable, object]] = []
        self._done: dict[int, object] = {}

    def submit(self, func: Callable, item) -> _SharedPart:
        k = len(self._parts)
        self._parts.append((func, item))
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._folder / f"part-{k:03d}.pkl"
        with open(path, "wb") as fh:
            pickle.dump((func, item), fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._send.send(str(path))  # a few bytes: never blocks while the parent is busy
        return _SharedPart(self, k)

    @staticmethod
    def serve(receive, send, taken):
        """In the parent: take the parts offered on ``receive`` that the child has not taken, sending back what
        each gives on ``send``, until the child's answer (anything but a part's path) comes; returns it."""
        offered: list[str] = []
        while isinstance(answer := receive.recv(), str):
            offered.append(answer)
            while (k := _take(taken, len(offered))) is not None:
                with open(offered[k], "rb") as fh:
                    func, item = pickle.load(fh)
                send.send((k, func(item)))
        return answer

    def result(self, k: int):
        """Part ``k``'s result: computed here when no process has taken it, else received from the parent."""
        while k not in self._done:
            mine = _take(self._taken, len(self._parts))
            if mine is not None:
                func, item = self._parts[mine]
                self._done[mine] = func(item)
            else:  # the parent took it (or one before it): its results arrive in the order it took them
                got, value = self._receive.get()
                self._done[got] = value
        return self._done.pop(k)


@dataclass
class _SharedPart:
    """The future of one part of a :class:`_SharedParts` map."""

    shared: _SharedParts
    k: int

    def result(self):
        return self.shared.result(self.k)


class _Found:
    """Place columns of the distinct texts found by the digest's process (:meth:`_Beside.places`), with the
    interface of :class:`_Background`."""

    NAME = "places.pkl"

    def __init__(self, path: Path):
        self._path = path

    @staticmethod
    def save(frame: pd.DataFrame, path: Path) -> None:
        """Write ``frame`` to ``path`` whole or not at all (the other process may look for it meanwhile)."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        frame.to_pickle(tmp)
        tmp.replace(path)

    def result(self) -> pd.DataFrame:
        return pd.read_pickle(self._path)

    def records(self, run: Run) -> pd.DataFrame:
        """The place columns of every record."""
        return run.spread(self.result())

    def cancel(self) -> None:
        pass


class _Background:
    """The places of the distinct texts, found by workers in a thread of this process from the end of the map
    stage on, while this process finds duplicates and campaigns and fits the themes; the theme stage joins them.

    Why: places are about 40 % of the theme stage's worker time (22 µs a distinct text), and they read nothing
    but the texts, while the duplicate and campaign stages and the theme fit run in this process alone and
    leave the other core idle (7 + 10 s at a million records). Found here, they are the same as the theme
    stage's (the same function over the same distinct texts). Their CPU seconds count in the stages they
    overlap. Only with local workers and more than one partition: one partition runs in this process anyway
    (and may fork the digest's process, which a running thread must not see), and a Dask cluster is started
    per stage.
    """

    def __init__(self, run: Run):
        from minsheng.engine.places import place_columns

        self._parts: list[pd.DataFrame] = []
        self._records: pd.DataFrame | None = None
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work,
                                        args=(run, partial(place_columns, glued=run.glued), run._distinct_parts()),
                                        daemon=True, name="minsheng-places")
        self._thread.start()

    def _work(self, run: Run, func, parts: DistinctParts) -> None:
        try:
            with run.executor() as ex:
                for part in ex.map(func, parts):
                    if self._stop.is_set():
                        break
                    self._parts.append(part)
            if not self._stop.is_set():
                # Spread to every record here, not in the theme stage: at its end this process was alone, the
                # other core idle (0.5 CPU-s at 1,018,000 records); here the stage running waits for its workers.
                self._records, self._parts = run.spread(pd.concat(self._parts)), []
        except BaseException as exc:  # noqa: BLE001 - raised again in the stage that needs the places
            self._error = exc

    def records(self, run: Run) -> pd.DataFrame:
        """The place columns of every record (waits for the workers)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._records

    def cancel(self) -> None:
        """Stop after the partitions in flight (the run failed, or the themes were skipped)."""
        self._stop.set()
        self._thread.join()

    @staticmethod
    def wanted(run: Run, steps: Sequence[Callable[[Run], None]]) -> bool:
        """Themes in ``steps``, more than one partition of distinct texts, more than one local worker."""
        o = run.options
        return (themes in [_unwrapped(s) for s in steps] and o.executor == "local" and o.workers != 1
                and (os.cpu_count() or 1) > 1 and len(run._text_codes()[1]) > o.batch_rows)


class _Fitting:
    """The theme model, fitted in a thread of this process from the end of the duplicate stage on (its sample
    takes one message per duplicate group), while campaigns are found here and the routing stage's workers
    run; the theme stage takes it.

    Why: the fit reads nothing but the texts and the duplicate groups, and in the theme stage it ran alone in
    this process before any worker could start (a sample of 50,000 texts: about the same 8-11 CPU-s at
    200,000 rows and at a million), the other core idle. Beside the stages before the theme stage it takes
    CPU time that is there anyway. Fitted here, the model is the same (the same function over the same
    texts, with its own random state). Its CPU seconds count in the stages it overlaps. Only when the places
    are found in the background too (:meth:`_Background.wanted`): one partition may fork the digest's process,
    which a running thread must not see.
    """

    def __init__(self, run: Run):
        from minsheng.engine.themes import fit_themes

        records = run.result.records
        # a frame of its own: the thread never reads one that this process's stages read or change
        frame = records[[c for c in ("text", "is_representative") if c in records.columns]]
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="minsheng-theme-fit")
        self._model = self._pool.submit(fit_themes, frame, **_theme_params(run.options))
        self._pool.shutdown(wait=False)

    def result(self):
        """The fitted model (waits for the fit), or what the fit raised."""
        return self._model.result()

    def cancel(self) -> None:
        """Wait for the fit (it cannot stop midway) and drop its result (the run failed)."""
        self._pool.shutdown(wait=True)

    @staticmethod
    def wanted(run: Run, steps: Sequence[Callable[[Run], None]]) -> bool:
        """No saved theme model to assign with, and the places found in the background."""
        return not run.options.theme_model and _Background.wanted(run, steps)


def _unwrapped(step: Callable[[Run], None]) -> Callable[[Run], None]:
    """A step wrapped with ``functools.wraps`` (e.g. by the CLI) is still that step."""
    return getattr(step, "__wrapped__", step)


def replies(run: Run) -> None:
    """Reply quality per record and per department (when ``reply_col`` is set)."""
    o = run.options
    if not o.reply_col or not len(run.result.records):
        return
    from minsheng.engine.replies import replies_by_department, score_replies

    with run.stage("replies"):
        scores = score_replies(run.result.records, reply_col=o.reply_col, reply_time_col=o.reply_time_col)
        run.result.replies = scores
        run.result.replies_by_department = replies_by_department(scores, run.result.records)


#: Every step, in order; ``analyze(steps=...)`` takes any subset (campaigns needs duplicates).
STEPS: tuple[Callable[[Run], None], ...] = (duplicates, campaigns, routing, themes, hot_issues, digest, replies)


# --- the run ---------------------------------------------------------------------------------------------

def analyze(inputs: Sequence[str | Path], options: AnalyzeOptions | None = None,
            steps: Sequence[Callable[[Run], None]] | None = None, *,
            on_stage: Callable[[str], None] | None = None) -> AnalysisResult:
    """Run the map stage and ``steps`` (default :data:`STEPS`) on ``inputs``; nothing is written.

    ``on_stage(name)`` is called as each stage starts (a progress display, a marker file).
    """
    options = options or AnalyzeOptions()
    steps = STEPS if steps is None else tuple(steps)
    chosen = [_unwrapped(step) for step in steps]
    if campaigns in chosen and duplicates not in chosen[:chosen.index(campaigns)]:
        # said before the map stage, not after minutes of reading a million rows
        raise ValueError("the campaigns step needs the duplicates step before it")
    if isinstance(options.model, str | Path):
        from minsheng.engine.routing import check_model

        # A file that is no model, or one this installation cannot load, fails now, not after the map stage. The
        # router itself is loaded by the routing stage: what it imports (0.1-0.2 CPU-s of scikit-learn) would
        # delay a small run's digest process, forked before that stage and never routing.
        check_model(options.model)
    meter, stats = StageMeter(), IngestStats()
    result = AnalysisResult(records=pd.DataFrame(columns=RECORD_BASE))
    run = None
    try:
        with run_folder() as scratch:  # gone after the run, or at the next run's start if this one is killed
            run = Run(options, result, meter, scratch, on_stage)
            try:
                with run.stage("ingest_normalise_sign"):
                    with run.executor(fresh=False) as ex:
                        # Workers exit with this stage: their memory is not held through the merge that follows.
                        masked = _map_stage(run, ex, inputs, stats, sign=duplicates in chosen)
                    # One partition: stages tens of milliseconds apart, whose boundaries read PSS within the meter's budget.
                    meter.light_boundaries = len(result.records) <= options.batch_rows
                    if _Background.wanted(run, steps):  # distinct texts found here, in a stage, not between two
                        run.places = _Background(run)
                    if _Ahead.wanted(run, steps):
                        run.ahead = _Ahead()
                result.rejects = rejects_frame(stats.rejects)
                result.summary.update(_summary(inputs, result.records, stats, masked, options))
                if stats.bad_times:
                    log.warning("%s", _bad_times_in_words(stats))
                if stats.formulas_unread:
                    log.warning("%s cell(s) of workbooks are formulas without a saved value (written by a program, "
                                "never opened in Excel), read as empty: open the workbook in Excel or WPS and save it",
                                f"{stats.formulas_unread:,}")
                for file, rows, words in stats.rows_above:  # a row of data among them would be lost unsaid
                    log.warning("%s: %d row(s) above the header passed over, not read as suggestions (the first: "
                                "%s)", file, rows, words)
                if stats.sheets_unread:  # the sheets the header read does not fit, which may hold suggestions
                    log.warning("not read: %s (its header names a text column, but is not the header of the "
                                "workbook's sheet read): put the rows under one header, or save the sheet as a "
                                "file of its own and add it", "; ".join(stats.sheets_unread))
                if stats.bad_likes:
                    log.warning("%s", _unread_in_words(stats.bad_likes, stats.bad_like_rows, "likes",
                                                       "kept with 0 likes: the count is no number",
                                                       "write a number, such as 12"))
                beside = _Beside.wanted(run, steps)
                for step in steps:
                    if beside and _unwrapped(step) is not duplicates:  # the digest reads the duplicate groups
                        run.beside, beside = _Beside(run), False
                    if _unwrapped(step) is themes and run.beside is not None:
                        run.beside.send_later_columns(run)
                    step(run)
                    if _unwrapped(step) is duplicates and _Fitting.wanted(run, steps):
                        run.fitting = _Fitting(run)
            finally:  # in the scratch's lifetime: the worker ahead claims its tasks there (and the workers write)
                _stop_beside(run)
    finally:
        meter.close()
    result.records = _without_title_ends(result.records)  # read by the stages (the digest last), not written
    result.summary["steps"] = [step.__name__ for step in steps]
    result.summary["stages"] = meter.stages
    result.summary["peak_rss_mb"] = round(meter.peak_rss_mb, 1)
    result.summary["peak_pss_mb"] = round(meter.peak_pss_mb, 1)
    result.summary["seconds"] = round(sum(s["seconds"] for s in meter.stages.values()), 3)
    result.summary["cpu_seconds"] = round(meter.cpu_seconds, 1)  # the whole process tree, workers too
    return result


def _stop_beside(run: Run) -> None:
    """Stop what works beside the stages (the run failed, or a step never took it)."""
    if run.beside is not None:
        run.beside.cancel()
    if run.ahead is not None:
        run.ahead.close(kill=True)
    if run.fitting is not None:
        run.fitting.cancel()
    if run.places is not None:
        run.places.cancel()


def _map_stage(run: Run, ex, inputs, stats: IngestStats, *, sign: bool) -> Counter:
    """Read, normalise and (when ``sign``) hash every batch; fills ``run.result.records``, ``run.exact/sig``."""
    options = run.options
    batches = iter_batches(inputs, options.columns, batch_rows=options.batch_rows,
                           max_text_chars=options.max_text_chars, stats=stats)
    func = partial(sign_partition, num_perm=options.num_perm, shingle=options.shingle, sign=sign)
    frames, keys, exacts, sigs, masked, lines = [], [], [], [], Counter(), []
    total = _count_hint(inputs)
    # With a known row count, signatures go straight into one array: no second copy from concatenating.
    table = np.empty((total, options.num_perm), np.uint16) if total and sign else None
    filled = 0
    waiting: deque[pd.DataFrame] = deque()  # batches whose texts are out with the workers, in order

    def texts() -> Iterator[pd.Series]:
        for batch in batches:
            waiting.append(batch)
            yield batch["text"]

    with progress("normalise+sign", total=total) as bar:
        for part in ex.map(func, texts()):
            frames.append(waiting.popleft().assign(text=part.text))
            masked.update(part.masked)
            keys.append(part.key)
            lines.append(part.one_line)
            bar.update(len(part.text))
            if not sign:
                continue
            exacts.append(part.exact)
            if table is not None:
                table[filled: filled + len(part.sig)] = part.sig
            else:
                sigs.append(part.sig)
            filled += len(part.sig)
    if frames:
        run.result.records = pd.concat(frames, ignore_index=True)
        run.text_keys = np.concatenate(keys)
        run.glued = _glued(run.result.records, np.concatenate(lines))
    if sign:
        run.exact = np.concatenate(exacts) if exacts else np.empty(0, np.uint64)
        run.sig = (table[:filled] if table is not None else np.concatenate(sigs) if sigs
                   else np.empty((0, options.num_perm), np.uint16))
    return masked


def _glued(records: pd.DataFrame, lines: np.ndarray) -> bool:
    """Whether the run's titles were glued to their bodies (a bare export), decided once over all its texts
    (:func:`~minsheng.engine.titles.glued_export`; ``lines``: whether each text has no line break within a
    title's length, found by the map stage's workers): the places' workers and the hot stage then read the same
    titles, where each decided from its own sample before (each partition of the places, then the whole run again
    in the hot stage's parent, 0.3 CPU-s of Arrow at a million records)."""
    text = records["text"]
    texts = (pa.chunked_array(pa.array(text.array)) if isinstance(text.dtype, pd.StringDtype)
             else pa.array(text.fillna("").astype(str).tolist(), pa.large_string()))
    return bool(glued_export(texts, lines))


def _without_title_ends(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` without ``title_end`` (:func:`~minsheng.engine.places.place_columns`), which only the run's
    stages read: the result is written without it."""
    return records.drop(columns="title_end") if "title_end" in records.columns else records


def _count_hint(inputs) -> int | None:
    """Rows to expect, for the progress bar: exact for Parquet, unknown otherwise."""
    total = 0
    for path in map(Path, inputs):
        if path.suffix.lower() != ".parquet" or not path.exists():
            return None
        import pyarrow.parquet as pq

        total += pq.ParquetFile(path).metadata.num_rows
    return total


def _bad_times_in_words(stats: IngestStats, shown: int = 3) -> str:
    """The rows kept without a time because theirs could not be read, the first few by file, row and field: a
    count alone (summary.json's ``unparsed_times``) left the reader to hunt for them."""
    return _unread_in_words(stats.bad_times, stats.bad_time_rows, "time", "kept without a time: the time could not "
                            "be read or is after tomorrow", "write it as 2020-08-16 10:00", shown)


def _unread_in_words(count: int, listed: list, field: str, what: str, how: str, shown: int = 3) -> str:
    first = "; ".join(f"{source} row {row}, field {field}: {cell!r}" for source, row, cell in listed[:shown])
    more = f" and {count - shown} more" if count > shown else ""
    return f"{count} row(s) {what} ({how}): {first}{more}"


def _duplicate_counts(records: pd.DataFrame, exact: np.ndarray) -> dict:
    # one size per group from the two columns (dropping duplicate rows of the whole frame took 1 CPU-s at 1M)
    first = np.unique(records["dup_group"].to_numpy(), return_index=True)[1]
    sizes = records["dup_group_size"].to_numpy()[first]
    return {"exact_duplicates": int(len(records) - len(sorted_unique(exact))),
            "near_duplicate_groups": int((sizes > 1).sum()),
            "records_in_duplicate_groups": int(sizes[sizes > 1].sum()),
            "distinct_after_duplicates": int(len(sizes))}


def _summary(inputs, records: pd.DataFrame, stats: IngestStats, masked: Counter, options: AnalyzeOptions) -> dict:
    n = len(records)
    users = records["user"]
    times = pd.to_datetime(records["time"], errors="coerce")
    # how many regions the suggestions come from, only where the input had a region column (the reports break
    # down by region when there is one)
    regions = {"regions": int(records["region"].nunique())} if "region" in records.columns else {}
    return {
        "inputs": [str(p) for p in inputs],
        "rows_in": stats.rows_in + sum(1 for r in stats.rejects if r.field == "*"),
        "accepted": n,
        "rejected": len(stats.rejects),
        "unparsed_times": stats.bad_times,
        "people": int(users.dropna().nunique() + users.isna().sum()),
        "masked": {kind: int(masked.get(kind, 0)) for kind in KINDS},
        "channels": {str(k): int(v) for k, v in records["channel"].value_counts().items()},
        "time_start": times.min() if times.notna().any() else None,
        "time_end": times.max() if times.notna().any() else None,
        **regions,
        "options": {k: v for k, v in asdict(options).items() if k not in ("columns", "extra")},
    }
