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
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from minsheng.engine.errors import InputError
from minsheng.engine.executor import die_with

__all__ = ["FORMATS", "ReportData", "ReportWriter", "load_report_data", "write_reports"]

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
    """Import what the PDF and the workbook need and parse the PDF's fonts: about a CPU-second, spent before the
    reports are asked for."""
    from minsheng.reports import _data, charts, pdf, xlsx  # noqa: F401

    pdf.pdf_font()
    charts.cjk_family()


class ReportWriter:
    """Writes the reports with ``report.pdf`` (and ``report.xlsx`` beside the HTML) written in a helper process,
    forked when the writer is made.

    Why: a small file's analysis keeps one core of two busy. The PDF's libraries and fonts (matplotlib,
    reportlab parsing a CJK TrueType font: about a CPU-second) load on the other core while the engine works,
    and the PDF and the workbook are written there while this process writes the HTML; a 5,000-row run
    from the shell finishes about that much sooner. Make the writer before the heavy work and before any
    thread starts (it forks), and close it (``with``). Where ``fork`` does not exist, or only the PDF is
    asked for, everything is written in this process, as :func:`write_reports` does.

    >>> with ReportWriter() as reports:                   # doctest: +SKIP
    ...     result = analyze(...); write_result(result, out)
    ...     reports.write(out)
    """

    def __init__(self, formats: tuple[str, ...] | list[str] = FORMATS):
        self.formats = _checked(formats)
        self._pool: ProcessPoolExecutor | None = None
        if "pdf" in self.formats and len(self.formats) > 1 and "fork" in multiprocessing.get_all_start_methods():
            # What both processes read the output with (pandas, pyarrow): imported once, before the fork, not in
            # each (this process writes the HTML with it): 0.4 CPU-s less for a small run. So is rjieba, whose
            # dictionary masking names loads (0.1 CPU-s): the engine loads it here anyway, and the helper loaded
            # its own copy when it first masked a text, drawing ahead on the core the engine's last stages share.
            import rjieba  # noqa: F401

            from minsheng.reports import _data  # noqa: F401

            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_start_helper, initargs=(os.getpid(),))
            self._pool.submit(_load_helper_libraries)

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write every format into ``out_dir``; return the paths written, in :data:`FORMATS` order."""
        if self._pool is None:
            return write_reports(out_dir, self.formats)
        from minsheng.reports._data import load_report_data

        start = time.perf_counter()
        data = load_report_data(out_dir)  # once, for the helper too: it starts as soon as it has it
        away = self._away()
        future = self._submit(away, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), out_dir)
        written = {fmt: _writer(fmt)(data, Path(out_dir) / f"report.{fmt}") for fmt in self.formats
                   if fmt not in away}
        try:
            written.update(future.result())
        except BrokenProcessPool:  # the helper died (killed, out of memory): write its reports here instead
            log.warning("the report helper process died; writing %s in this process", ", ".join(away))
            written.update(_write(out_dir, away))
        log.info("reports written to %s in %.1f s: %s", out_dir, time.perf_counter() - start,
                 ", ".join(written[f].name for f in self.formats))
        return {f: written[f] for f in self.formats}

    def _away(self) -> tuple[str, ...]:
        """The formats the helper writes: the PDF, and the workbook too when this process writes the HTML.

        Why the workbook: after the engine, this process wrote the HTML and the workbook (0.3 s of a 5,000-row
        run) while the helper, its charts drawn ahead, finished the PDF in a tenth of that and waited. The
        workbook (0.2 s, and xlsxwriter's import, loaded in the helper beforehand) now goes beside the PDF."""
        return tuple(f for f in self.formats if f == "pdf" or (f == "xlsx" and "html" in self.formats))

    def draw_ahead(self, result, out_dir: str | Path) -> None:
        """Let the helper draw the PDF's charts from ``result`` (an unfinished :class:`AnalysisResult`, whose
        themes, hot issues and campaigns are done) while this process goes on; the PDF reuses each chart whose
        values are unchanged by then. Only results of up to :data:`AHEAD_MAX_ROWS` records are sent: for more,
        copying the records to the helper costs more than the charts."""
        if self._pool is None or len(result.records) > AHEAD_MAX_ROWS:
            return
        from minsheng.reports._data import RECORD_COLUMNS, chart_tables

        slim = dataclasses.replace(chart_tables(result), records=result.records[[c for c in RECORD_COLUMNS
                                                                                  if c in result.records.columns]],
                                   models={})
        with contextlib.suppress(BrokenProcessPool):  # the helper died: the PDF is written here later
            self._pool.submit(_draw_ahead, slim, out_dir)

    def _submit(self, formats: tuple[str, ...], payload: bytes, out_dir: str | Path) -> Future:
        try:
            return self._pool.submit(_write_away, formats, payload, out_dir)
        except BrokenProcessPool as exc:  # died while loading
            failed: Future = Future()
            failed.set_exception(exc)
            return failed

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def __getattr__(name: str):
    """``ReportData`` and ``load_report_data`` load pandas: imported when first used, not with the CLI."""
    if name in ("ReportData", "load_report_data"):
        from minsheng.reports import _data

        return getattr(_data, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
