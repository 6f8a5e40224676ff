"""Reports for decision makers: ``report.html``, ``report.xlsx`` and ``report.pdf`` from one analysis output.

All three are written from the same :class:`ReportData` aggregates, in Simplified Chinese, and need no
network: the HTML page inlines Apache ECharts. ``minsheng analyze --out DIR`` calls :func:`write_reports`
at its end; ``minsheng report DIR`` calls it on an existing output directory.

>>> write_reports("out/analysis")                    # doctest: +SKIP
{'html': PosixPath('out/analysis/report.html'), 'xlsx': ..., 'pdf': ...}
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from minsheng.engine.errors import InputError

__all__ = ["FORMATS", "ReportData", "load_report_data", "write_reports"]

log = logging.getLogger(__name__)

FORMATS = ("html", "xlsx", "pdf")


def write_reports(out_dir: str | Path, formats: tuple[str, ...] | list[str] = FORMATS) -> dict[str, Path]:
    """Write ``report.<format>`` into ``out_dir`` for each format; return the paths written."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(f"unknown report format {', '.join(unknown)} (choose from {', '.join(FORMATS)})",
                         field="format")
    from minsheng.reports._data import load_report_data
    from minsheng.reports.html import write_html  # imported here: matplotlib/reportlab load only when used
    from minsheng.reports.pdf import write_pdf
    from minsheng.reports.xlsx import write_xlsx

    writers = {"html": write_html, "xlsx": write_xlsx, "pdf": write_pdf}
    start = time.perf_counter()
    data = load_report_data(out_dir)
    written = {}
    for fmt in FORMATS:
        if fmt in formats:
            written[fmt] = writers[fmt](data, Path(out_dir) / f"report.{fmt}")
    log.info("reports written to %s in %.1f s: %s", out_dir, time.perf_counter() - start,
             ", ".join(p.name for p in written.values()))
    return written


def __getattr__(name: str):
    """``ReportData`` and ``load_report_data`` load pandas: imported when first used, not with the CLI."""
    if name in ("ReportData", "load_report_data"):
        from minsheng.reports import _data

        return getattr(_data, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
