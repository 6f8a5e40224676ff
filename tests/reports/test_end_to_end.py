"""The real thing: `minsheng synth`, then `minsheng analyze` (which writes the reports), then `minsheng report`."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from minsheng.bench.reports import CHROMIUM, launch_chromium, open_report
from minsheng.cli import main

from .test_html import DRAWN


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    assert main(["synth", "--n", "3000", "--seed", "3", "--out", str(tmp / "x.csv"), "--quiet"]) == 0
    assert main(["analyze", str(tmp / "x.csv"), "--out", str(tmp / "out"), "--quiet"]) == 0
    assert all((tmp / "out" / f"report.{fmt}").stat().st_size > 0 for fmt in ("html", "xlsx", "pdf"))
    (tmp / "out" / "report.pdf").unlink()
    assert main(["report", str(tmp / "out")]) == 0
    return tmp / "out"


def test_reports_agree_with_the_analysis(analyzed):
    summary = json.loads((analyzed / "summary.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(analyzed / "report.xlsx")
    overview = {row[0]: row[1] for row in book["概览"].iter_rows(min_row=4, max_col=2, values_only=True) if row[0]}
    assert overview["有效建议"] == summary["accepted"]
    assert overview["提交人数"] == summary["people"]
    html = (analyzed / "report.html").read_text(encoding="utf-8")
    for channel in summary["channels"]:
        assert channel in html


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="chromium not installed")
def test_the_real_report_draws_in_chromium(analyzed):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page, problems = open_report(browser, analyzed / "report.html")
        page.wait_for_timeout(400)
        charts = page.query_selector_all("[data-chart]")
        drawn = {el.get_attribute("data-chart"): el.evaluate(DRAWN) for el in charts}
        browser.close()
    assert problems == []
    assert {"channels", "volume", "campaigns", "arrivals", "masked"} <= set(drawn)
    assert all(n > 1000 for n in drawn.values()), drawn
