"""Excel 97–2003 workbooks (.xls), which older office systems still export, read as an .xlsx is: they were
refused ("unsupported file type '.xls'") and saving each again as .xlsx was the user's work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from minsheng.cli import main
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import read_headers, read_records
from minsheng.engine.result import read_result

XLS = Path(__file__).resolve().parents[1] / "data" / "office_export.xls"


def test_an_xls_export_reads_as_the_messages_it_holds():
    """Below the title row on the second sheet; 12-digit ids whole, times to the second, likes as numbers."""
    assert read_headers(XLS) == ["留言编号", "留言主题", "留言时间", "留言详情", "点赞数"]
    records, rejects = read_records([XLS])
    assert rejects == []
    assert records["id"].tolist() == ["123456789012", "123456789013", "123456789014"]
    assert records["text"].iloc[0] == "关于A市某路段路灯不亮的问题\n某路段路灯已坏多日，夜间出行不便，建议尽快维修。"
    assert records["time"].tolist() == [pd.Timestamp("2019-04-25 09:32:09"), pd.Timestamp("2019-05-02 18:05:00"),
                                        pd.Timestamp("2019-05-03 22:40:31")]
    assert records["likes"].tolist() == [12, 0, 3]


def test_an_xlsx_workbook_named_xls_is_read_as_what_it_is(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["编号", "详情"])
    book.active.append(["a1", "建议增加夜班公交"])
    book.save(tmp_path / "导出.xls")
    assert read_records([tmp_path / "导出.xls"])[0]["text"].tolist() == ["建议增加夜班公交"]


@pytest.mark.parametrize("content", [b"<html><table><tr><td>id</td></tr></table></html>",
                                     XLS.read_bytes()[:3000], b"\xd0\xcf\x11\xe0" + b"\0" * 600])
def test_an_xls_that_cannot_be_read_fails_in_one_line_naming_the_file(tmp_path, content):
    """A web page saved as .xls (what some systems export), a cut-off workbook, a damaged one."""
    path = tmp_path / "导出.xls"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert (caught.value.file, caught.value.code) == ("导出.xls", "xlsx_unreadable")
    assert "\n" not in str(caught.value)


def test_analyze_gives_a_complete_result_on_an_xls_export(tmp_path):
    shutil.copy(XLS, tmp_path / "导出.xls")
    out = tmp_path / "out"
    assert main(["analyze", str(tmp_path / "导出.xls"), "--out", str(out), "--quiet", "--no-report",
                 "--workers", "1"]) == 0
    result = read_result(out)
    assert sorted(result.records["id"]) == ["123456789012", "123456789013", "123456789014"]
    assert result.records["time"].notna().all()
