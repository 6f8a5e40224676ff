"""各地区建议: where the suggestions come from, in all three reports, only when the records carry a region."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from minsheng.reports import load_report_data, write_reports
from minsheng.reports._data import REGION_CHART
from minsheng.reports.xlsx import REGION_SHEET

from .analysis_fixture import FINE, UNMASKED_PHONE, make_analysis_dir


def _chart_data(html: str) -> dict:
    return json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_each_region_is_counted_with_the_themes_and_suggestions_it_raised_most(analysis_dir):
    records = pd.read_parquet(analysis_dir / "records.parquet")
    data = load_report_data(analysis_dir)
    counts = records["region"].value_counts()
    assert data.regions["messages"].tolist() == counts.tolist() and data.located == int(counts.sum())
    assert data.regions["share"].iloc[0] == round(counts.iloc[0] / len(records), 4)
    first = records[records["region"] == counts.index[0]]
    theme, n = first["theme_id"].value_counts().index[0], first["theme_id"].value_counts().iloc[0]
    assert data.regions["top_themes"].iloc[0].startswith(f"{FINE[theme][1]}（{n:,}）、")
    assert data.regions["top_themes"].iloc[0].count("（") == 3
    sentence = FINE[theme][4]  # the digest suggestion of the theme, whose members are its letters
    assert data.regions["top_suggestions"].iloc[0].startswith(f"{sentence}（{n:,}）")
    assert UNMASKED_PHONE not in " ".join(data.regions["region"])  # typed into a region: masked again
    assert dict(data.key_figures)["地区数"] == records["region"].nunique()
    assert f"最多的是{counts.index[0]}（{counts.iloc[0]:,} 条）" in "".join(data.highlights)


def test_the_reports_show_the_regions_section(reported_dir):
    html = (reported_dir / "report.html").read_text(encoding="utf-8")
    page = html.split("<footer")[0]
    assert '<section id="regions">' in page and '<a href="#regions">各地区建议</a>' in page
    assert page.index('id="digest"') < page.index('id="regions"') < page.index('id="volume"')
    bars = _chart_data(html)["regions"]
    records = pd.read_parquet(reported_dir / "records.parquet")
    top = records["region"].value_counts().head(REGION_CHART)
    assert [b["value"] for b in bars] == top.tolist() and bars[0]["name"] == top.index[0]
    assert "条建议注明了地区（占全部建议的 90%）" in page and UNMASKED_PHONE not in page
    sheet = openpyxl.load_workbook(reported_dir / "report.xlsx")[REGION_SHEET]
    header = [c.value for c in sheet[4]]
    assert header == ["地区", "建议数", "占比", "建议最多的主题", "提出最多的建议"]
    assert sheet["A5"].value == top.index[0] and sheet["B5"].value == top.iloc[0]
    assert len(sheet._charts) == 1
    text = _pdf_text(reported_dir / "report.pdf")
    assert "各地区建议" in text and top.index[0] in text


def test_a_result_without_regions_shows_no_regions_section(tmp_path):
    """A file without a region column (the benchmark's, every older result): no section, sheet, chart nor figure."""
    make_analysis_dir(tmp_path, n=600, regions=False)
    written = write_reports(tmp_path)
    data = load_report_data(tmp_path)
    assert data.regions is None and "地区数" not in dict(data.key_figures)
    html = written["html"].read_text(encoding="utf-8")
    assert "各地区建议" not in html.split("<footer")[0] and "regions" not in _chart_data(html)
    assert REGION_SHEET not in openpyxl.load_workbook(written["xlsx"]).sheetnames
    assert "各地区建议" not in _pdf_text(written["pdf"])
