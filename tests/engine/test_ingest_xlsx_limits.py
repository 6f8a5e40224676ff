"""Tiny hostile workbooks (the audit's: 3 M shared strings in 235 KB; a sheet declaring A1:XFD1048576) are
refused or read as what they really hold, quickly, instead of costing minutes and gigabytes."""

from __future__ import annotations

import time
import zipfile

import pytest
import xlsxwriter

from minsheng.engine import ingest
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import read_headers, read_records


def _workbook(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()


def _rewrite(path, part: str, change) -> None:
    """Replace one part of an XLSX zip (deflated, as a real hostile file would be)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_three_million_shared_strings_in_a_small_file_are_refused_quickly(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _workbook(path, [["id", "text"], ["1", "建议一"]])
    n = 3_000_000
    _rewrite(path, "xl/sharedStrings.xml", lambda _: (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="{n}" uniqueCount="{n}">'.encode() + b"<si><t>a</t></si>" * n + b"</sst>"))
    assert path.stat().st_size < 400_000
    started = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_headers(path)
    assert time.perf_counter() - started < 5
    assert err.value.file == "bomb.xlsx" and "bomb" in err.value.message


def test_shared_strings_are_counted_even_when_the_zip_is_not_suspicious(tmp_path, monkeypatch):
    path = tmp_path / "many.xlsx"
    _workbook(path, [["id", "text"], *[[str(i), f"建议{i}"] for i in range(50)]])
    monkeypatch.setattr(ingest, "XLSX_MAX_SHARED_STRINGS", 40)
    with pytest.raises(InputError, match="more than 40 shared strings"):
        read_headers(path)


def test_a_declared_range_of_16384_columns_reads_only_the_real_cells(tmp_path):
    path = tmp_path / "wide.xlsx"
    _workbook(path, [["id", "text"], ["1", "建议一"], ["2", "建议二"]])
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda xml: xml.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1:XFD1048576"/>'))
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert read_headers(path) == ["id", "text"]
    frame, rejects = read_records([path])
    assert list(frame["text"]) == ["建议一", "建议二"] and not rejects


def test_too_many_real_columns_is_a_clear_error(tmp_path):
    path = tmp_path / "cols.xlsx"
    _workbook(path, [[f"c{i}" for i in range(ingest.XLSX_MAX_COLUMNS + 1)], ["x"] * 3])
    with pytest.raises(InputError, match="columns") as err:
        read_headers(path)
    assert err.value.row == 1
