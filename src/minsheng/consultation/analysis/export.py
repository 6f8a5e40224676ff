"""The analyst's search, exported: the rows of the current search and filters as CSV or XLSX.

Only people who manage the campaign may export it (:func:`~minsheng.consultation.access.require_manager`, checked
here again although the view already answers 404 to others). Personal data stays masked: texts are stored masked
at intake and are masked once more here, as every report is, names after a post included; the contact (encrypted)
and the author's name are not exported. A text cell a spreadsheet would read as a formula is escaped (:mod:`minsheng.engine.cells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.consultation.access import require_manager
from minsheng.consultation.analysis.models import AnalysisRun
from minsheng.consultation.analysis.selectors import SearchFilters, suggestions_search
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.engine.cells import formula_safe
from minsheng.engine.masking import mask_quoted

#: Rows in one export: a search of a million suggestions is narrowed first (the page says so).
EXPORT_MAX = 50_000
CHUNK = 2_000


def export_header() -> list[str]:
    return [_("回执码"), _("标题"), _("内容"), _("渠道"), _("地区"), _("承办部门"), _("主题"), _("状态"), _("提交时间")]


def search_export_rows(*, user, campaign: Campaign, run: AnalysisRun | None, filters: SearchFilters
                       ) -> Iterator[list]:
    """The header, then one row per suggestion the search finds (newest first, at most :data:`EXPORT_MAX`)."""
    require_manager(user, campaign)
    yield from suggestion_rows(suggestions_search(campaign=campaign, run=run, filters=filters))


def suggestion_rows(found: QuerySet[Suggestion]) -> Iterator[list]:
    """The header, then one masked row per suggestion of ``found`` (at most :data:`EXPORT_MAX`): the one shape
    of every export of suggestions, the analyst's search and an officer's inbox. ``found`` is already limited
    to what the person may see; its themes are the results prefetched as ``run_results``."""
    yield export_header()
    for s in found[:EXPORT_MAX].iterator(chunk_size=CHUNK):
        themes = "、".join(f"{r.theme.code} {r.theme.label}" for r in getattr(s, "run_results", []) if r.theme)
        row = [display_receipt(s.receipt), mask_quoted(s.title), mask_quoted(s.text),
               s.channel.name if s.channel else s.get_source_display(), s.region,
               s.department.name if s.department else "", themes, s.get_status_display(),
               timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M")]
        yield [formula_safe(value) for value in row]


EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_response(rows: Iterator[list], *, fmt: str, name: str) -> HttpResponse:
    """``rows`` as a download named ``name``.``fmt`` (CSV streamed, XLSX built whole), never cached."""
    if fmt not in EXPORTS:
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type=EXPORTS[fmt])
    else:
        response = HttpResponse(xlsx_bytes(rows, sheet=name), content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


class _Echo:
    """A file whose write returns what it was given: csv.writer then yields lines to a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[list]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark (Excel and WPS open it as UTF-8 only with one)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterator[list], *, sheet: str) -> bytes:
    """One worksheet, header row frozen, the text column wide and wrapped; strings are written as strings
    (never as formulas or URLs) on top of the escaping the rows already carry."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    ws = book.add_worksheet(sheet[:31])
    bold, wrap = book.add_format({"bold": True, "bg_color": "#eef2f6"}), book.add_format({"text_wrap": True})
    for col, width in enumerate([14, 24, 60, 12, 12, 16, 20, 10, 17]):
        ws.set_column(col, col, width, wrap if col == 2 else None)
    ws.freeze_panes(1, 0)
    for i, row in enumerate(rows):
        ws.write_row(i, 0, row, bold if i == 0 else None)
    book.close()
    return buffer.getvalue()
