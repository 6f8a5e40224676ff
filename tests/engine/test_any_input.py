"""Hypothesis on whole analyses: any table a person might hand in gives a complete, readable result, or exit
status 2 with one line naming what is wrong, and never a traceback — in this process (the inline executor,
fast enough for many examples), on the local executor (several worker processes) and on a real Dask LocalCluster.
The tables and their files come from ``tests/any_tables.py``; CI runs the counts below, derandomised, and
``MINSHENG_FUZZ`` multiplies them (``tests/fuzzing.py``). The inputs Hypothesis found that broke the engine are
kept as regression tests in ``test_small_inputs.py``."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from tests.any_tables import suffix, tables, write
from tests.fuzzing import examples

from minsheng.cli import main
from minsheng.engine.result import read_result
from minsheng.reports import load_report_data, write_reports


def check_any_table(frame: pd.DataFrame, encoding: str, *extra: str) -> None:
    """``minsheng analyze`` on the table: a complete result that the reports read, or 2 and one line."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / f"in{suffix(encoding)}", Path(tmp) / "out"
        write(frame, encoding, src)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["analyze", str(src), "--out", str(out), "--quiet", "--no-report", *extra])
        errors = [line for line in err.getvalue().splitlines() if line.startswith("minsheng: error:")]
        if code == 2:
            assert len(errors) == 1 and "Traceback" not in err.getvalue(), err.getvalue()
            assert not (out / "summary.json").exists()
            return
        assert code == 0 and not errors
        result = read_result(out)
        summary = result.summary
        assert len(result.records) == summary["accepted"] and len(result.rejects) == summary["rejected"]
        assert summary["accepted"] + summary["rejected"] >= 1
        if summary["accepted"]:
            assert {"dup_group", "campaign_id", "hot_issue_id"} <= set(result.records.columns)
            assert result.themes is not None or "themes" in summary.get("skipped", {})
        for key in ("time_start", "time_end"):
            assert summary[key] is None or isinstance(summary[key], pd.Timestamp)
        assert write_reports(out, formats=["html"])["html"].exists()
        assert load_report_data(out).key_figures


@examples(3)
@given(table=tables())
def test_any_table_in_this_process(table):
    check_any_table(*table, "--workers", "1", "--batch-rows", "7")


@examples(8)
@given(table=tables())
def test_any_table_local_workers(table):
    check_any_table(*table, "--workers", "2", "--batch-rows", "7")


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.mark.dask
@examples(4)
@given(table=tables())
def test_any_table_on_a_dask_cluster(scheduler, table):
    check_any_table(*table, "--executor", "dask", "--scheduler", scheduler, "--batch-rows", "7")
