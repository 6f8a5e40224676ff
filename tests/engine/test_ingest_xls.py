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


@pytest.mark.parametrize("content", [XLS.read_bytes()[:3000], b"\xd0\xcf\x11\xe0" + b"\0" * 600])
def test_an_xls_that_cannot_be_read_fails_in_one_line_naming_the_file(tmp_path, content):
    """A cut-off workbook, a damaged one."""
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


PAGE = "<html><head><meta charset='utf-8'></head><body><table><tr><td>编号</td><td>详情</td></tr>" \
       "<tr><td>1</td><td>建议增加夜班公交</td></tr></table></body></html>"


@pytest.mark.parametrize("name,content", [
    ("导出.xls", PAGE.encode()), ("导出.xls", ("\ufeff<!DOCTYPE html>\n" + PAGE).encode()),
    ("导出.csv", ("  <!doctype html>" + PAGE).encode("gb18030")),
    ("导出.xls", b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')])
def test_a_web_page_saved_as_xls_or_csv_is_said_to_be_one_in_one_line(tmp_path, name, content, capsys):
    """What many office systems' "export to Excel" writes: an HTML table (or Excel 2003's XML) named .xls. It was
    refused as a damaged workbook, and as .csv its "header" was the whole page (no text column, pick one)."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_headers(path)
    assert (caught.value.file, caught.value.code) == (name, "web_page")
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--quiet", "--no-report"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"minsheng: error: {name}: a web page") and ".xlsx" in line


@pytest.mark.parametrize("sep,encoding", [(",", "gb18030"), ("\t", "utf-8"), ("\t", "utf-16")])
def test_text_saved_under_an_xls_name_is_read_as_text(tmp_path, sep, encoding):
    """A CSV or tab-separated export named .xls (as systems write their "Excel" exports): read as what it is,
    where xlrd refused it as a damaged workbook."""
    path = tmp_path / "导出.xls"
    path.write_bytes(f"编号{sep}详情\r\n1{sep}建议增加夜班公交\r\n2{sep}建议延长地铁运营时间\r\n".encode(encoding))
    records, rejects = read_records([path])
    assert rejects == [] and records["text"].tolist() == ["建议增加夜班公交", "建议延长地铁运营时间"]
    assert records["id"].tolist() == ["1", "2"]
