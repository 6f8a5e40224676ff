"""report.pdf: A4 pages, a cover, extractable Chinese text in an embedded font."""

from __future__ import annotations

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
