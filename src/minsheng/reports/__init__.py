"""Reports for decision makers: ``report.html``, ``report.xlsx`` and ``report.pdf`` from one analysis output.

All three are written from the same :class:`ReportData` aggregates, in Simplified Chinese, and need no
network: the HTML page inlines Apache ECharts. ``minsheng analyze --out DIR`` and ``minsheng report DIR`` write
them through a :class:`ReportWriter`; the platform calls :func:`write_reports`.

>>> write_reports("out/analysis")                    # doctest: +SKIP
{'html': PosixPath('out/analysis/report.html'), 'xlsx': ..., 'pdf': ...}
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from minsheng.engine.errors import InputError
from minsheng.engine.executor import die_with, start_up_done

__all__ = ["FORMATS", "STAGES", "ReportData", "ReportWriter", "load_report_data", "score_parts", "write_reports"]

log = logging.getLogger(__name__)

FORMATS = ("html", "xlsx", "pdf")
AHEAD_MAX_ROWS = 100_000  # ReportWriter.draw_ahead: at most this many records are copied to the helper


def _checked(formats) -> tuple[str, ...]:
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(f"unknown report format {', '.join(unknown)} (choose from {', '.join(FORMATS)})",
                         field="format")
    return tuple(f for f in FORMATS if f in formats)


def _writer(fmt: str):
    """The writer of one format, imported on demand: matplotlib and reportlab load only for the PDF."""
    if fmt == "html":
        from minsheng.reports.html import write_html as writer
    elif fmt == "xlsx":
        from minsheng.reports.xlsx import write_xlsx as writer
    else:
        from minsheng.reports.pdf import write_pdf as writer
    return writer


def _write(out_dir: str | Path, formats: tuple[str, ...]) -> dict[str, Path]:
    from minsheng.reports._data import load_report_data

    data = load_report_data(out_dir)
    return {fmt: _writer(fmt)(data, Path(out_dir) / f"report.{fmt}") for fmt in formats}


def write_reports(out_dir: str | Path, formats: tuple[str, ...] | list[str] = FORMATS) -> dict[str, Path]:
    """Write ``report.<format>`` into ``out_dir`` for each format, in this process; return the paths written."""
    formats = _checked(formats)
    start = time.perf_counter()
    written = _write(out_dir, formats)
    log.info("reports written to %s in %.1f s: %s", out_dir, time.perf_counter() - start,
             ", ".join(p.name for p in written.values()))
    return written


def _start_helper(parent: int) -> None:
    """Ctrl-C reaches the whole process group: the helper leaves it to the command, which closes the writer.
    A parent killed outright takes the helper with it (it would wait for work for ever otherwise)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with(parent)


def _draw_ahead(result, out_dir: str | Path) -> list[str]:
    """In the helper: the PDF's charts of ``result`` as it stands (see :func:`charts.draw_ahead`)."""
    from minsheng.reports import charts
    from minsheng.reports._data import report_data

    return charts.draw_ahead(report_data(result, out_dir))


def _write_away(formats: tuple[str, ...], payload: bytes, out_dir: str | Path) -> dict[str, Path]:
    """In the helper: the reports of ``formats`` from the report data the command's process loaded (pickled),
    not loaded again."""
    data = pickle.loads(payload)
    return {fmt: _writer(fmt)(data, Path(out_dir) / f"report.{fmt}") for fmt in formats}


def _load_helper_libraries() -> None:
    """Import what the PDF needs and parse the PDF's fonts: about a CPU-second, spent before the reports are
    asked for."""
    from minsheng.reports import _data, charts, pdf  # noqa: F401

    pdf.pdf_font()
    charts.cjk_family()
    start_up_done()  # forked while the command starts up, without the cyclic garbage collector


def _load_workbook_library() -> None:
    """Import what the workbook needs (xlsxwriter), before the reports are asked for."""
    from minsheng.reports import xlsx  # noqa: F401

    start_up_done()  # forked while the command starts up, without the cyclic garbage collector


class ReportWriter:
    """Writes the reports with ``report.pdf`` written in a helper process, forked when the writer is made, and
    ``report.xlsx``, when written beside the HTML, in a second one.

    Why: a small file's analysis keeps one core of two busy. The PDF's libraries and fonts (matplotlib,
    reportlab parsing a CJK TrueType font: about a CPU-second) load on the other core while the engine works,
    and the PDF is written there while this process writes the HTML; a 5,000-row run from the shell finishes
    about that much sooner. The workbook (a quarter of a CPU-second at 5,000 rows) was written after the PDF in
    the same helper while this process, its HTML written, waited: in a helper of its own the three reports
    are written at once. Make the writer before the heavy work and before any thread starts (it forks), and
    close it (``with``). Where ``fork`` does not exist, or only the PDF is asked for, everything is written in
    this process, as :func:`write_reports` does.

    >>> with ReportWriter() as reports:                   # doctest: +SKIP
    ...     result = analyze(...); write_result(result, out)
    ...     reports.write(out)
    """

    def __init__(self, formats: tuple[str, ...] | list[str] = FORMATS):
        self.formats = _checked(formats)
        self._pool: ProcessPoolExecutor | None = None  # the PDF's helper, which draws its charts ahead
        self._pools: dict[str, ProcessPoolExecutor] = {}  # the helper of each format written away
        if "pdf" in self.formats and len(self.formats) > 1 and "fork" in multiprocessing.get_all_start_methods():
            # What both processes read the output with (pandas, pyarrow): imported once, before the fork, not in
            # each (this process writes the HTML with it): 0.4 CPU-s less for a small run. So is rjieba, whose
            # dictionary masking names loads (0.1 CPU-s): the engine loads it here anyway, and the helper loaded
            # its own copy when it first masked a text, drawing ahead on the core the engine's last stages share.
            import rjieba  # noqa: F401

            from minsheng.reports import _data  # noqa: F401

            self._pool = self._helper(_load_helper_libraries)
            if "xlsx" in self.formats and "html" in self.formats:
                self._pools["xlsx"] = self._helper(_load_workbook_library)
            self._pools["pdf"] = self._pool

    @staticmethod
    def _helper(load: Callable[[], None]) -> ProcessPoolExecutor:
        """A helper process, forked now, that loads its libraries with ``load`` meanwhile."""
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=_start_helper,
                                   initargs=(os.getpid(),))
        pool.submit(load)
        return pool

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write every format into ``out_dir``; return the paths written, in :data:`FORMATS` order."""
        if self._pool is None:
            return write_reports(out_dir, self.formats)
        from minsheng.reports._data import load_report_data

        start = time.perf_counter()
        data = load_report_data(out_dir)  # once, for the helpers too: they start as soon as they have it
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        futures = {fmt: self._submit(pool, fmt, payload, out_dir) for fmt, pool in self._pools.items()}
        written = {fmt: _writer(fmt)(data, Path(out_dir) / f"report.{fmt}") for fmt in self.formats
                   if fmt not in futures}
        for fmt, future in futures.items():
            try:
                written.update(future.result())
            except BrokenProcessPool:  # the helper died (killed, out of memory): write its report here instead
                log.warning("the report helper process died; writing %s in this process", fmt)
                written.update(_write(out_dir, (fmt,)))
        log.info("reports written to %s in %.1f s: %s", out_dir, time.perf_counter() - start,
                 ", ".join(written[f].name for f in self.formats))
        return {f: written[f] for f in self.formats}

    def draw_ahead(self, result, out_dir: str | Path) -> None:
        """Let the helper draw the PDF's charts from ``result`` (an unfinished :class:`~minsheng.engine.result.AnalysisResult`, whose
        themes, hot issues and campaigns are done) while this process goes on; the PDF reuses each chart whose
        values are unchanged by then. Only results of up to :data:`AHEAD_MAX_ROWS` records are sent: for more,
        copying the records to the helper costs more than the charts."""
        if self._pool is None or len(result.records) > AHEAD_MAX_ROWS:
            return
        from minsheng.reports._data import RECORD_COLUMNS, REGION_COLUMNS, chart_tables

        columns = [c for c in RECORD_COLUMNS + REGION_COLUMNS if c in result.records.columns]
        slim = dataclasses.replace(chart_tables(result), records=result.records[columns], models={})
        with contextlib.suppress(BrokenProcessPool):  # the helper died: the PDF is written here later
            self._pool.submit(_draw_ahead, slim, out_dir)

    @staticmethod
    def _submit(pool: ProcessPoolExecutor, fmt: str, payload: bytes, out_dir: str | Path) -> Future:
        try:
            return pool.submit(_write_away, (fmt,), payload, out_dir)
        except BrokenProcessPool as exc:  # died while loading
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools, self._pool = {}, None

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def __getattr__(name: str):
    """``ReportData`` and ``load_report_data`` load pandas, and so do the labels the platform shows as the reports
    do (``STAGES``, the engine's stages by name; ``score_parts``, a novel suggestion's score in words): imported
    when first used, not with the CLI nor with the platform's models."""
    if name in ("ReportData", "load_report_data"):
        from minsheng.reports import _data

        return getattr(_data, name)
    if name in ("STAGES", "score_parts"):
        from minsheng.reports import _labels

        return getattr(_labels, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
