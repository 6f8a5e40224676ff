"""The printed charts keep every mark inside the plot: the bubble of the largest campaign was cut in half at the
right edge of the PDF's bubble chart. Chinese drawn in a font without it (DejaVu Sans: a box for each character) is
an error here, not a warning: a figure made or drawn outside the charts' style (:func:`charts.drawing`) wrote its
dates so."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from minsheng.reports._data import ReportData
from minsheng.reports.charts import campaigns_figure, drawing

pytestmark = pytest.mark.filterwarnings("error:Glyph .* missing from font")


@pytest.mark.parametrize("people", [[12, 30, 72], [5], [1000, 20, 3], [10, 10]])
def test_every_campaign_bubble_lies_inside_the_axes(people):
    campaigns = pd.DataFrame({"campaign_id": [f"C{i:04d}" for i in range(len(people))], "people": people,
                              "messages": people, "distinct_arguments": [max(p // 7, 1) for p in people]})
    data = ReportData(out_dir=Path("."), summary={}, key_figures=[], channels=pd.DataFrame(),
                      volume=pd.DataFrame(), volume_unit="日", campaigns=campaigns)
    with drawing(3.0) as fig:
        campaigns_figure(fig, data)
        fig.canvas.draw()
    ax = fig.axes[0]
    bubbles = ax.collections[0]
    box = ax.bbox
    for (x, y), size in zip(ax.transData.transform(bubbles.get_offsets()), bubbles.get_sizes(), strict=True):
        radius = math.sqrt(size) / 2 * fig.dpi / 72  # marker size is an area in points²
        assert box.x0 <= x - radius and x + radius <= box.x1, (x, radius, box)
        assert box.y0 <= y - radius and y + radius <= box.y1, (y, radius, box)


@pytest.mark.parametrize("days", [3, 21, 75, 400, 1500])
def test_date_labels_are_chinese_and_never_run_into_one_another(days):
    """A span of weeks put a slanted full date on every other day, and neighbours overlapped on the page."""
    from minsheng.reports.charts import _date_axis

    with drawing(3.0) as fig:
        ax = fig.add_subplot()
        start = pd.Timestamp("2020-08-20")
        ax.barh(["a", "b"], [pd.Timedelta(days=days), pd.Timedelta(days=1)],
                left=[start, start + pd.Timedelta(days=1)])
        _date_axis(ax)
        fig.canvas.draw()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert 2 <= len(labels) <= 8
    texts = [t.get_text() for t in labels] + [ax.xaxis.get_offset_text().get_text()]
    assert not any(c.isascii() and c.isalpha() for text in texts for c in text), texts  # no "Jul", "Aug"
    boxes = sorted((t.get_window_extent() for t in labels), key=lambda b: b.x0)
    assert all(left.x1 < right.x0 for left, right in zip(boxes, boxes[1:], strict=False)), texts


@pytest.mark.parametrize(("channels", "drawn"), [(["未知渠道"], False), (["网站", "热线"], True)])
def test_a_single_channel_draws_no_pie(channels, drawn):
    """A file without a channel column came out as one red ring labelled 未知渠道 100 %: a chart that says nothing."""
    from minsheng.reports.html import chart_data

    table = pd.DataFrame({"channel": channels, "messages": [10] * len(channels),
                          "share": [1 / len(channels)] * len(channels)})
    data = ReportData(out_dir=Path("."), summary={}, key_figures=[], channels=table, volume=pd.DataFrame(),
                      volume_unit="日")
    assert ("channels" in chart_data(data)) is drawn


def test_kinds_nothing_was_masked_of_draw_no_bar():
    """The masker learnt plates and dashed flats: a file holding none drew two more empty bars, whose "0" labels
    crowded the others on a phone (the analyst's report page). A kind with nothing masked is no bar; nothing masked
    at all is no chart."""
    from minsheng.reports.html import chart_data

    def charts(intake, analysis):
        masked = pd.DataFrame({"kind": ["手机号码", "车牌号", "身份证号"], "masked_at_intake": intake,
                               "masked_in_analysis": analysis})
        return chart_data(ReportData(out_dir=Path("."), summary={}, key_figures=[], channels=pd.DataFrame(), masked=masked,
                                     volume=pd.DataFrame(), volume_unit="日"))

    drawn = charts([5, 0, 0], [0, 0, 2])["masked"]
    assert drawn["kinds"] == ["手机号码", "身份证号"]
    assert [s["data"] for s in drawn["series"]] == [[5, 0], [0, 2]]
    assert "masked" not in charts([0, 0, 0], [0, 0, 0])


@pytest.mark.parametrize("width", [390, 511, 1000])
def test_a_bar_s_value_stays_at_its_bar_when_the_chart_is_turned_on_its_side(width):
    """The dashboard's satisfaction bars, turned on their side to fit their names, kept their values "on top":
    each value then sat on the bar above it."""
    from minsheng.bench.reports import CHROMIUM, launch_chromium

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (run scripts/system-deps.sh)")
    script = (Path(__file__).parents[2] / "src/minsheng/reports/static/shared-charts.js").read_text()
    names = ["留守老人", "特困", "留守儿童", "残疾", "其他", "低收入", "低保"]
    option = {"xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
              "yAxis": {"type": "value"}, "grid": {"left": 8},
              "series": [{"type": "bar", "data": [4.2] * 7, "label": {"show": True, "position": "top"}}]}
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.set_content(f'<div id="c" style="width:{width}px;height:288px"></div><script>{script}</script>')
        fitted = page.evaluate("o => MinshengCharts.fit(o, document.getElementById('c'))", option)
        browser.close()
    sideways = fitted["yAxis"]["type"] == "category"
    assert sideways is (width < 520)
    assert fitted["series"][0]["label"]["position"] == ("right" if sideways else "top")
