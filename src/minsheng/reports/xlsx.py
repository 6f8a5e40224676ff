"""``report.xlsx``: the tables behind the report, one sheet per section, for people who work in Excel.

Every sheet of :data:`SHEETS` exists even when its section is absent (it then says why in A1), so a reader or a
macro can rely on the sheet names; one more, :data:`REGION_SHEET`, follows 建议摘编 only when the suggestions come
from regions (an input with a region column). Numbers are written as numbers and times as Excel dates, headers are frozen,
and each table is an Excel table (filter buttons, banded rows).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from minsheng.reports._data import REGION_CHART, ReportData
from minsheng.reports._labels import PERCENT_COLUMNS, column_label, display

SHEETS = ["概览", "时间分布", "部门分派", "建议摘编", "金点子", "主题", "热点问题", "组织化活动", "答复评价", "数据质量", "方法说明"]
REGION_SHEET = "各地区建议"
MAX_WIDTH, LONG_WIDTH = 40, 60


def _width(value: Any) -> int:
    """Display width of a cell: CJK characters take two columns.

    Only the first ``LONG_WIDTH`` characters are measured: a longer text is at least that wide, and no
    column is made wider (the same widths, for a tenth of a long quote's time)."""
    text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, pd.Timestamp) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:LONG_WIDTH])


def _cell(value: Any) -> Any:
    """A value as Excel stores it; a yes/no flag (``mixed``) in words, as the HTML and the PDF show it
    (:func:`display`), not as Excel's TRUE/FALSE."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | np.bool_):
        return display("", value)
    return value.item() if hasattr(value, "item") else value


class _Writer:
    """Formats shared by all sheets of one workbook."""

    def __init__(self, book: Workbook):
        self.book = book
        self.widths: dict[tuple[str, int], float] = {}  # several tables on a sheet share its columns
        self.fmt = {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "note": book.add_format({"italic": True, "font_color": "#616e7c"}),
            "percent": book.add_format({"num_format": "0.0%"}),
            "int": book.add_format({"num_format": "#,##0"}),
            "float": book.add_format({"num_format": "#,##0.000"}),
            "time": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        }

    def sheet(self, name: str, title: str) -> Worksheet:
        ws = self.book.add_worksheet(name)
        ws.write(0, 0, title, self.fmt["title"])
        return ws

    def note(self, ws: Worksheet, row: int, text: str) -> int:
        ws.write(row, 0, text, self.fmt["note"])
        return row + 2

    def table(self, ws: Worksheet, frame: pd.DataFrame, row: int, *, freeze: bool = False,
              index_name: str | None = None) -> int:
        """Write ``frame`` as an Excel table at ``row``; return the first free row after it."""
        if index_name is not None:
            frame = frame.reset_index(names=index_name)
        columns = list(frame.columns)
        data = [[_cell(v) for v in row_values] for row_values in frame.itertuples(index=False, name=None)]
        spec = []
        for i, col in enumerate(columns):
            series = frame[col]
            if col in PERCENT_COLUMNS:
                fmt = self.fmt["percent"]
            elif pd.api.types.is_datetime64_any_dtype(series):
                fmt = self.fmt["time"]
            elif pd.api.types.is_integer_dtype(series):
                fmt = self.fmt["int"]
            elif pd.api.types.is_float_dtype(series):
                fmt = self.fmt["float"]
            else:
                fmt = None
            widest = max([_width(column_label(str(col))) + 3, *(_width(v) for v in series.head(200) if v is not None)])
            long = widest > MAX_WIDTH
            width = max(min(widest + 2, LONG_WIDTH) if long else max(widest + 1, 8),
                        self.widths.get((ws.name, i), 0))
            self.widths[ws.name, i] = width
            ws.set_column(i, i, width, self.fmt["wrap"] if long else None)
            spec.append({"header": column_label(str(col)), **({"format": fmt} if fmt else {})})
        last = row + max(len(data), 1)
        ws.add_table(row, 0, last, len(columns) - 1,
                     {"data": data, "columns": spec, "style": "Table Style Light 9", "autofilter": True})
        if freeze:
            ws.freeze_panes(row + 1, 0)
        return last + 2


def _overview(w: _Writer, data: ReportData) -> None:
    ws = w.sheet("概览", data.title + (f"（{data.time_span}）" if data.time_span else ""))
    figures = pd.DataFrame(data.key_figures, columns=["metric", "value"])
    row = w.table(ws, figures, 2, freeze=True)
    if not data.channels.empty:
        ws.write(row - 1, 0, "各渠道建议数", w.fmt["title"])
        start = row
        row = w.table(ws, data.channels, row)
        if len(data.channels) < 2:  # one channel is one whole circle
            return
        chart = w.book.add_chart({"type": "pie"})
        n = len(data.channels)
        chart.add_series({"name": "各渠道建议数", "categories": ["概览", start + 1, 0, start + n, 0],
                          "values": ["概览", start + 1, 1, start + n, 1], "data_labels": {"percentage": True}})
        chart.set_title({"name": "各渠道建议数"})
        ws.insert_chart(2, 4, chart)


def _volume(w: _Writer, data: ReportData) -> None:
    ws = w.sheet("时间分布", f"每{data.volume_unit}建议数（按渠道）")
    if data.volume.empty:
        w.note(ws, 2, data.notes.get("volume", ""))
        return
    frame = data.volume.copy()
    frame["合计"] = frame.sum(axis=1)
    w.table(ws, frame, 2, freeze=True, index_name="time")
    n = len(frame)
    chart = w.book.add_chart({"type": "line"})
    for col in range(1, len(data.volume.columns) + 1):
        chart.add_series({"name": ["时间分布", 2, col], "categories": ["时间分布", 3, 0, 2 + n, 0],
                          "values": ["时间分布", 3, col, 2 + n, col]})
    chart.set_title({"name": f"每{data.volume_unit}建议数"})
    chart.set_x_axis({"date_axis": True, "num_format": "mm-dd"})
    chart.set_size({"width": 720, "height": 360})
    ws.insert_chart(2, len(frame.columns) + 2, chart)


def _departments(w: _Writer, data: ReportData) -> None:
    ws = w.sheet("部门分派", "各部门建议数与复核量")
    if data.departments is None:
        w.note(ws, 2, data.notes["departments"])
        return
    w.table(ws, data.departments, 2, freeze=True)
    n = len(data.departments)
    chart = w.book.add_chart({"type": "column"})
    chart.add_series({"name": "建议数", "categories": ["部门分派", 3, 0, 2 + n, 0],
                      "values": ["部门分派", 3, 1, 2 + n, 1]})
    chart.add_series({"name": "待人工复核", "values": ["部门分派", 3, 4, 2 + n, 4]})
    chart.set_title({"name": "各部门建议数"})
    chart.set_size({"width": 720, "height": 360})
    ws.insert_chart(n + 5, 0, chart)


def _regions(w: _Writer, data: ReportData) -> None:
    """The regions' table and a bar chart of the most suggestions, when there are regions."""
    if data.regions is None:
        return
    ws = w.sheet(REGION_SHEET, "各地区建议数与主要诉求")
    w.note(ws, 1, data.regions_in_words + "。")
    w.table(ws, data.regions, 3, freeze=True)
    n = min(len(data.regions), REGION_CHART)
    chart = w.book.add_chart({"type": "bar"})
    chart.add_series({"name": "建议数", "categories": [REGION_SHEET, 4, 0, 3 + n, 0],
                      "values": [REGION_SHEET, 4, 1, 3 + n, 1]})
    chart.set_title({"name": f"各地区建议数（前 {n} 个）"})
    chart.set_x_axis({"reverse": True})  # a bar chart's category axis: the most suggestions on top, as listed
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 120 + 24 * n})
    ws.insert_chart(len(data.regions) + 6, 0, chart)


def _simple(w: _Writer, name: str, title: str, frame: pd.DataFrame | None, note_key: str,
            data: ReportData) -> None:
    ws = w.sheet(name, title)
    if frame is None or frame.empty:
        w.note(ws, 2, data.notes.get(note_key, "无数据"))
        return
    w.table(ws, frame, 2, freeze=True)


def _quality(w: _Writer, data: ReportData) -> None:
    ws = w.sheet("数据质量", "拒收原因")
    row = 2
    if data.rejects_by_reason is not None:
        row = w.table(ws, data.rejects_by_reason, row, freeze=True)
    else:
        row = w.note(ws, row, data.notes["rejects"])
    ws.write(row, 0, "已脱敏的个人信息", w.fmt["title"])
    row = w.table(ws, data.masked, row + 1) if data.masked is not None else w.note(ws, row + 1, data.notes["masked"])
    if data.rejects_sample is not None:
        ws.write(row, 0, f"被拒收记录（前 {len(data.rejects_sample)} 条）", w.fmt["title"])
        w.table(ws, data.rejects_sample, row + 1)


def _method(w: _Writer, data: ReportData) -> None:
    ws = w.sheet("方法说明", "方法说明")
    lines = [
        "本工作簿与 report.html、report.pdf 使用同一组汇总数字。",
        *([f"数据来源：{data.source}。"] if data.source else []),
        "文中原话均已脱敏（手机号、身份证号、银行卡号、电子邮箱）。",
        f"长表只保留前若干行（按人数或建议数排序）；{data.full_results}。",
        *(f"{note}。" for note in data.notes.values()),
    ]
    for i, line in enumerate(lines):
        ws.write(2 + i, 0, line)
    ws.set_column(0, 0, 14)
    row = 4 + len(lines)
    for frame in (data.options, data.stages):
        if frame is not None:
            row = w.table(ws, frame, row)


# Citizens' text is data: never a formula (xlsxwriter's default turns "=..." into one), nor a live link.
CELLS_AS_WRITTEN = {"strings_to_formulas": False, "strings_to_urls": False}
# The workbook's parts are assembled in memory, not in temporary files: the tables are bounded (MAX_ROWS),
# and creating and removing some forty temporary files cost 0.1-0.15 s of a 0.25 s workbook.
IN_MEMORY = {"in_memory": True}


def write_xlsx(data: ReportData, path: str | Path) -> Path:
    """Write ``report.xlsx`` and return its path."""
    path = Path(path)
    with xlsxwriter.Workbook(str(path), {"remove_timezone": True, **CELLS_AS_WRITTEN, **IN_MEMORY}) as book:
        w = _Writer(book)
        _overview(w, data)
        _volume(w, data)
        _departments(w, data)
        _simple(w, "建议摘编", "建议摘编（按提出人数排序）", data.suggestions, "suggestions", data)
        _regions(w, data)
        _simple(w, "金点子", "只有一人提出的具体建议", data.novel, "novel", data)
        _simple(w, "主题", "主题、关键词与代表性原话", data.themes, "themes", data)
        _simple(w, "热点问题", "热点问题排名", data.hot_issues, "hot_issues", data)
        _simple(w, "组织化活动", "组织化活动", data.campaigns, "campaigns", data)
        _simple(w, "答复评价", "各部门答复得分", data.replies, "replies", data)
        _quality(w, data)
        _method(w, data)
    return path
