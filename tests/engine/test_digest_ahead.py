"""The digest's first steps computed on the hot-issue stage's idle core (pipeline._Ahead) give the digest."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from functools import partial

import numpy as np
import pytest

from minsheng.engine.pipeline import AnalyzeOptions, _at_low_priority, _claimed, analyze


def _wait_for_the_first_split(root, name: str) -> None:
    """At the digest stage's start, wait until the worker ahead has split the first partition. It runs only on an
    low priority, which on a loaded machine may get little: this test gives it the run's priority again and again
    (each task lowers it)."""
    if name != "digest":
        return
    deadline = time.monotonic() + 120
    while not list(root.glob("*/digest_claims/claims-00000.arrow")) and time.monotonic() < deadline:
        for claim in root.glob("*/digest_ahead/*"):
            with contextlib.suppress(ValueError, OSError):
                os.setpriority(os.PRIO_PROCESS, int(claim.read_text()), os.getpriority(os.PRIO_PROCESS, 0))
        time.sleep(0.02)


def test_the_digest_whose_fit_and_first_splits_ran_ahead_is_the_digest_computed_in_turn(corpus_csv, tmp_path,
                                                                                          monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the run's scratch, where the worker writes
    ahead = analyze([corpus_csv], AnalyzeOptions(batch_rows=1500),
                    on_stage=partial(_wait_for_the_first_split, tmp_path))
    in_turn = analyze([corpus_csv], AnalyzeOptions(batch_rows=1500, workers=1))  # no worker: nothing ahead
    taken = ahead.summary["stages"]["digest"]["ahead"]
    assert taken["fit"] and taken["splits"] >= 1
    assert "ahead" not in in_turn.summary["stages"]["digest"]
    assert len(ahead.suggestions) > 10
    for table in ("suggestions", "novel", "records"):
        assert getattr(ahead, table).equals(getattr(in_turn, table)), table
    assert np.array_equal(ahead.models["digest"].centroids_.toarray(), in_turn.models["digest"].centroids_.toarray())


def test_a_task_is_computed_by_whoever_claims_it_first(tmp_path):
    claim = str(tmp_path / "split-00000")
    assert _claimed(claim, "run")
    assert not _claimed(claim, "worker")
    assert (tmp_path / "split-00000").read_text() == "run"
    assert _at_low_priority(len, claim, 19, "abc") is None  # the run took it: the worker leaves it
    assert _at_low_priority(len, str(tmp_path / "split-00001"), 19, "abc") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["split-00000", "split-00001"]  # nothing left aside


class _Stop(Exception):
    pass


def test_the_worker_ahead_starts_before_the_theme_table_is_made(corpus_csv, tmp_path, monkeypatch):
    """The theme table is the theme stage's serial end (its workers are done): the digest's worker ahead is
    already fitting there, on the core the table leaves idle, not from the hot-issue stage on."""
    from minsheng.engine import themes

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    table = themes.theme_table
    seen = []

    def theme_table(frame, model):
        seen.append([p.name for p in tmp_path.glob("*/digest_ahead")])
        table(frame, model)
        raise _Stop  # the run need go no further

    monkeypatch.setattr(themes, "theme_table", theme_table)
    with pytest.raises(_Stop):
        analyze([corpus_csv], AnalyzeOptions(batch_rows=1500))
    assert seen == [["digest_ahead"]]


def test_a_run_that_fails_beside_the_worker_ahead_raises_its_own_error(corpus_csv, tmp_path, monkeypatch):
    """The worker ahead is stopped while the run's scratch (where it claims its tasks) still exists: it was
    stopped after the folder was removed, and the run raised FileNotFoundError instead of what went wrong."""
    from minsheng.engine import hot_issues

    def find_hot_issues(*args, **kwargs):
        raise _Stop

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(hot_issues, "find_hot_issues", find_hot_issues)
    with pytest.raises(_Stop):
        analyze([corpus_csv], AnalyzeOptions(batch_rows=1500))
    assert not list(tmp_path.glob("minsheng-run-*"))
