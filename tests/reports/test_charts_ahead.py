"""Charts drawn ahead (while the digest runs) are reused by the PDF only when drawn from the same values."""

from __future__ import annotations

import dataclasses
import logging

import pandas as pd

from minsheng.engine.result import read_result
from minsheng.reports import charts
from minsheng.reports._data import RECORD_COLUMNS, REGION_COLUMNS, chart_tables, load_report_data, report_data


def _in_memory(out_dir):
    """The result as the engine holds it before writing: the same values, other dtypes than read back."""
    result = read_result(out_dir, record_columns=RECORD_COLUMNS + REGION_COLUMNS)
    tables = {name: getattr(result, name).apply(_engine_dtype) for name in ("themes", "hot_issues", "campaigns")}
    return dataclasses.replace(result, **tables)


def _engine_dtype(column: pd.Series) -> pd.Series:
    if str(column.dtype) == "Int64" and not column.isna().any():
        return column.astype("int64")
    if str(column.dtype).startswith("datetime64"):
        return column.astype("datetime64[ns]")
    return column.astype(object) if str(column.dtype) == "string" else column


def test_the_pdf_gets_the_charts_drawn_ahead_from_the_same_values(analysis_dir, caplog):
    # As the report helper gets it: only the columns the charts read (a chart drawn from fewer columns than the
    # PDF's would be drawn again, or drawn wrong: the images are compared with ones drawn anew below).
    ahead = report_data(chart_tables(_in_memory(analysis_dir)), analysis_dir)
    assert charts.draw_ahead(ahead) == [c.__name__ for c in charts.AHEAD]
    written = load_report_data(analysis_dir)
    with caplog.at_level(logging.DEBUG, logger="minsheng.reports.charts"):
        images = [chart(written) for chart in charts.AHEAD]
    assert sorted(r.getMessage() for r in caplog.records) == sorted(f"{c.__name__}: drawn ahead" for c in charts.AHEAD)
    assert all(image.startswith(b"\x89PNG") for image in images)
    # Used once: asked again, each chart is drawn anew (and comes out the same).
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="minsheng.reports.charts"):
        assert [chart(written) for chart in charts.AHEAD] == images
    assert not caplog.records


def test_a_chart_whose_values_changed_is_drawn_again(analysis_dir, caplog):
    data = load_report_data(analysis_dir)
    charts.draw_ahead(data)
    ahead = charts._AHEAD["themes_chart"][1]
    themes = data.themes.copy()
    themes["n_messages"] = themes["n_messages"] * 3 + 1
    changed = dataclasses.replace(data, themes=themes)
    with caplog.at_level(logging.DEBUG, logger="minsheng.reports.charts"):
        image = charts.themes_chart(changed)
    assert not [r for r in caplog.records if "themes_chart" in r.getMessage()]
    assert image != ahead
    charts._AHEAD.clear()
