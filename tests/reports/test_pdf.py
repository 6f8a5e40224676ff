"""report.pdf: A4 pages, a cover, extractable Chinese text in an embedded font."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest

from .analysis_fixture import UNMASKED_PHONE

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_it_is_a_multi_page_a4_brief(reported_dir):
    info = _run("pdfinfo", str(reported_dir / "report.pdf"))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 4
    assert "595.276 x 841.89 pts (A4)" in info


def test_chinese_text_is_extractable_and_masked(reported_dir):
    summary = json.loads((reported_dir / "summary.json").read_text(encoding="utf-8"))
    cover = _run("pdftotext", "-f", "1", "-l", "1", str(reported_dir / "report.pdf"), "-")
    assert "民声建议梳理分析报告" in cover
    assert f"{summary['rows_in']:,}" in cover and "收到建议" in cover
    text = _run("pdftotext", str(reported_dir / "report.pdf"), "-")
    for heading in ("总体情况", "部门分派", "主要主题", "热点问题", "组织化活动", "答复评价", "方法说明"):
        assert heading in text
    assert UNMASKED_PHONE not in text


def test_the_cjk_font_is_embedded(reported_dir):
    fonts = _run("pdffonts", str(reported_dir / "report.pdf")).splitlines()[2:]
    cjk = [line for line in fonts if "WenQuanYi" in line or "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)


def test_the_digest_marks_suggestions_that_may_be_mixed(reported_dir):
    """The PDF's digest table has the engine's mixed flag as a column and says what it means."""
    text = _run("pdftotext", str(reported_dir / "report.pdf"), "-")
    digest = "".join(text[text.index("建议摘编"):text.index("二、部门分派")].split())  # a header cell wraps
    assert "共用了地名或机构名" in digest and digest.count("内容可能混杂") >= 2  # the note and the column


def test_the_charts_are_embedded_with_their_own_pixels(reported_dir, tmp_path):
    """The charts' PNG rows go into the PDF as they are (PNG predictor): what a reader decodes is the chart."""
    import numpy as np
    from PIL import Image

    from minsheng.reports import charts
    from minsheng.reports._data import load_report_data

    listed = _run("pdfimages", "-list", str(reported_dir / "report.pdf")).splitlines()[2:]
    assert listed and all(line.split()[2] == "image" and line.split()[5] == "rgb" for line in listed)  # no masks
    subprocess.run(["pdfimages", "-png", str(reported_dir / "report.pdf"), str(tmp_path / "im")], check=True)
    data = load_report_data(reported_dir)
    drawn = [charts.volume_chart(data), charts.regions_chart(data), charts.departments_chart(data), charts.themes_chart(data),
             charts.hot_issues_chart(data), charts.campaigns_chart(data), charts.replies_chart(data)]
    embedded = sorted(tmp_path.glob("im-*.png"))
    assert len(embedded) == len(drawn)
    for png, path in zip(drawn, embedded, strict=True):
        assert np.array_equal(np.asarray(Image.open(path)), np.asarray(Image.open(io.BytesIO(png))))
