"""Hypothesis on the file importer: whatever bytes arrive as CSV, TSV, JSONL or XLSX, reading them either
works or raises InputError (one clear line for the user); never another exception. Derandomized, so CI is
repeatable; run with `--hypothesis-seed=N` (and without derandomize) to search further."""

from __future__ import annotations

import io
import json

import pandas as pd
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import examples

from minsheng.engine.errors import InputError
from minsheng.engine.ingest import read_headers, read_records

FUZZ = examples(60)
cells = st.text(max_size=40) | st.integers().map(str) | st.just("")


def _read(path) -> None:
    try:
        read_headers(path)
        read_records([path])
    except InputError as exc:
        assert str(exc)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".xlsx", ".parquet"]))
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data)
    _read(path)


rows = st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=8)


@FUZZ
@given(header=st.lists(cells, min_size=1, max_size=4), body=rows, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_delimited_files_of_any_text_never_crash(tmp_path, header, body, encoding):
    width = len(header)
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=range(width))
    text = frame.to_csv(index=False, header=header)
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _read(path)


@FUZZ
@given(objects=st.lists(st.dictionaries(st.sampled_from(["id", "text", "time", "user", "x"]),
                                        cells | st.integers() | st.none() | st.lists(st.integers(), max_size=2)),
                        min_size=1, max_size=6),
       junk=st.lists(st.text(max_size=20), max_size=2))
def test_jsonl_of_any_objects_never_crashes(tmp_path, objects, junk):
    lines = [json.dumps(o, ensure_ascii=False) for o in objects] + junk
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    _read(path)


@FUZZ
@given(header=st.lists(cells, min_size=1, max_size=4), body=rows,
       flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=3))
def test_workbooks_of_any_cells_even_damaged_never_crash(tmp_path, header, body, flips):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *body]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    data = bytearray(buffer.getvalue())
    for at, value in flips:
        data[at % len(data)] = value
    path = tmp_path / "in.xlsx"
    path.write_bytes(bytes(data))
    _read(path)
