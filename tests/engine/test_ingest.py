"""Ingest: formats, encodings, column mapping, and bad input that names file, row and field."""

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from minsheng.engine.errors import InputError
from minsheng.engine.ingest import ColumnMap, IngestStats, detect_encoding, iter_batches, read_records
from minsheng.engine.masking import pseudonyms

TEDDY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "teddy2020"

ROWS = [
    {"编号": "1", "主题": "公交太少", "详情": "建议增加公交班次", "时间": "2020/8/16 9:05:00", "用户": "U1", "渠道": "人民网"},
    {"编号": "2", "主题": "停车难", "详情": "小区停车位不够", "时间": "2020/8/17 10:00:00", "用户": "U2", "渠道": "新华网"},
]


def write_csv(path: Path, rows, encoding="utf-8", sep=","):
    pd.DataFrame(rows).to_csv(path, index=False, encoding=encoding, sep=sep)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected_and_chinese_headers_mapped(tmp_path, encoding):
    path = write_csv(tmp_path / "in.csv", ROWS, encoding=encoding)
    frame, rejects = read_records([path])
    assert not rejects
    assert frame["id"].tolist() == ["1", "2"]
    assert frame["text"][0] == "公交太少\n建议增加公交班次"
    assert frame["time"][0] == pd.Timestamp("2020-08-16 09:05:00")
    assert frame["user"].tolist() == pseudonyms(pd.Series(["U1", "U2"])).tolist()
    assert frame["channel"].tolist() == ["人民网", "新华网"]
    assert frame["row"].tolist() == [1, 2]


@pytest.mark.parametrize("header", ["建议内容", "意见", "意见建议"])
def test_a_consultation_export_s_text_column_is_found(tmp_path, header):
    """编号,建议内容,时间 (a GB18030 export a stranger imported) found no text column and asked for a mapping."""
    path = write_csv(tmp_path / "in.csv", [{"编号": "1", header: "建议增加公交班次", "时间": "2020-08-16 09:05"}],
                     encoding="gb18030")
    frame, rejects = read_records([path])
    assert not rejects and frame["text"].tolist() == ["建议增加公交班次"] and frame["id"].tolist() == ["1"]


def test_gbk_file_detected_as_gb18030(tmp_path):
    path = write_csv(tmp_path / "gbk.csv", ROWS, encoding="gbk")
    assert detect_encoding(path) == "gb18030"


def test_tsv_jsonl_parquet_xlsx_read_the_same(tmp_path):
    frames = []
    write_csv(tmp_path / "a.tsv", ROWS, sep="\t")
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS), "utf-8")
    pd.DataFrame(ROWS).to_parquet(tmp_path / "a.parquet")
    pd.DataFrame(ROWS).to_excel(tmp_path / "a.xlsx", index=False)
    for name in ("a.tsv", "a.jsonl", "a.parquet", "a.xlsx"):
        frame, rejects = read_records([tmp_path / name])
        assert not rejects, name
        frames.append(frame[["id", "text", "time", "user", "channel"]])
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])


def test_explicit_mapping_joins_text_columns_and_keeps_extras(tmp_path):
    rows = [{"key": "a", "q1": "第一问", "q2": "第二问", "likes": "3"}]
    path = write_csv(tmp_path / "x.csv", rows)
    frame, _ = read_records([path], ColumnMap(id="key", text=("q1", "q2"), extra=("likes",)))
    assert frame["text"][0] == "第一问\n第二问"
    assert frame["likes"][0] == "3"
    assert frame["id"][0] == "a"


def test_missing_text_column_names_file_and_field(tmp_path):
    path = write_csv(tmp_path / "notext.csv", [{"id": "1", "foo": "bar"}])
    with pytest.raises(InputError) as err:
        read_records([path])
    assert err.value.file == "notext.csv" and err.value.field == "text"
    assert "--text-col" in str(err.value)


def test_named_column_that_does_not_exist(tmp_path):
    path = write_csv(tmp_path / "x.csv", ROWS)
    with pytest.raises(InputError, match="'正文' not found"):
        read_records([path], ColumnMap(text=("正文",)))


def test_empty_text_long_text_and_duplicate_ids_are_rejected_with_row(tmp_path):
    rows = [
        {"id": "1", "text": "有效内容"},
        {"id": "2", "text": ""},
        {"id": "3", "text": "长" * 10_000_001},
        {"id": "1", "text": "重复编号"},
        {"id": "4", "text": "另一条"},
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    frame, rejects = read_records([path])
    assert frame["id"].tolist() == ["1", "4"]
    by_row = {r.row: r for r in rejects}
    assert by_row[2].reason == "empty text" and by_row[2].field == "text"
    assert "more than the limit" in by_row[3].reason
    assert by_row[4].field == "id" and "first at bad.csv row 1" in by_row[4].reason


def test_an_id_repeated_batches_or_files_later_names_where_it_was_first(tmp_path):
    # batches of two rows: the first ids are remembered without a lookup table, which is built on the first repeat
    first = write_csv(tmp_path / "a.csv", [{"id": str(i), "text": f"第{i}条"} for i in range(1, 6)])
    second = write_csv(tmp_path / "b.csv", [{"id": "7", "text": "新"}, {"id": "3", "text": "又是三"},
                                            {"id": "7", "text": "又是七"}, {"id": "5", "text": "又是五"}])
    frame, rejects = read_records([first, second], batch_rows=2)
    assert frame["id"].tolist() == ["1", "2", "3", "4", "5", "7"]
    assert [(r.source, r.row, r.id, r.reason) for r in rejects] == [
        ("b.csv", 2, "3", "duplicate id '3' with a different text (first at a.csv row 3)"),
        ("b.csv", 3, "7", "duplicate id '7' with a different text (first at b.csv row 1)"),
        ("b.csv", 4, "5", "duplicate id '5' with a different text (first at a.csv row 5)"),
    ]


def test_a_repeated_id_says_whether_its_text_differs(tmp_path):
    """An id written again over another message (two exports numbered each from 1, a partner's counter reset)
    lost that message with the same words as a row sent twice: the reject now says the texts differ."""
    rows = [{"id": "1", "text": "建议增加夜班公交"}, {"id": "1", "text": "建议增加夜班公交"},
            {"id": "1", "text": "建议社区医院延长门诊时间"}]
    _frame, rejects = read_records([write_csv(tmp_path / "a.csv", rows[:1]), write_csv(tmp_path / "b.csv", rows[1:])])
    same, other = rejects
    assert (same.source, same.row, same.field, same.code) == ("b.csv", 1, "id", "duplicate_id")
    assert "different text" not in same.reason
    assert (other.source, other.row, other.field, other.code) == ("b.csv", 2, "id", "duplicate_id_other_text")
    assert "with a different text (first at a.csv row 1)" in other.reason
    assert other.params == {"id": "1", "first_row": 1, "first_file": "a.csv"}


def test_malformed_json_lines_are_rejected_and_good_lines_kept(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "1", "text": "好"}\n{"id": "2", "text": \n[1, 2]\n{"id": "3", "text": "也好"}\n', "utf-8")
    frame, rejects = read_records([path])
    assert frame["id"].tolist() == ["1", "3"]
    reasons = sorted(r.reason for r in rejects)
    assert reasons[0].startswith("a JSON line must be an object")
    assert reasons[1].startswith("malformed JSON")
    assert sorted(r.row for r in rejects) == [2, 3]


def test_csv_row_with_too_many_fields_is_rejected_not_fatal(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,text\n1,好\n2,坏,多余\n3,也好\n", "utf-8")
    frame, rejects = read_records([path])
    assert frame["id"].tolist() == ["1", "3"]
    assert len(rejects) == 1 and rejects[0].row == 2
    assert rejects[0].reason == "wrong number of fields: expected 2 fields, saw 3 (line 3 of the file)"
    assert frame["row"].tolist() == [1, 3]  # numbering still counts the skipped row


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
@pytest.mark.parametrize("sep", [",", "\t"])
@pytest.mark.parametrize("at", [1, 3, 5])
def test_a_row_with_more_fields_than_the_header_is_rejected_wherever_it_is(tmp_path, at, sep, encoding):
    """Found by h-tidy9: a first data row with one field more than the header (an unquoted comma in the message)
    made pandas take the first column for an index: every column shifted left, the ids took the texts and every
    later row was rejected as empty. Such a row is rejected naming its row and field count; the others are read
    in their place, in every batch of the chunked reader."""
    rows = [[str(n), f"建议{n}号路口增设红绿灯"] for n in range(1, 6)]
    rows[at - 1] += ["方便出行", "多"] if at == 1 else ["方便出行"]
    path = tmp_path / ("导出.csv" if sep == "," else "导出.tsv")
    path.write_bytes("\n".join(sep.join(row) for row in [["编号", "内容"], *rows]).encode(encoding))
    frame, rejects = read_records([path], batch_rows=2)
    kept = [n for n in range(1, 6) if n != at]
    assert frame["id"].tolist() == [str(n) for n in kept] and frame["row"].tolist() == kept
    assert frame["text"].tolist() == [f"建议{n}号路口增设红绿灯" for n in kept]
    saw = 4 if at == 1 else 3
    assert [(r.source, r.row, r.code, r.params) for r in rejects] == [
        ("导出" + path.suffix, at, "wrong_field_count", {"line": at + 1, "expected": 2, "saw": saw})]
    assert rejects[0].reason == f"wrong number of fields: expected 2 fields, saw {saw} (line {at + 1} of the file)"


def test_analyze_rejects_a_first_row_with_an_extra_field_and_reads_the_rest(tmp_path):
    from minsheng.cli import main

    path = tmp_path / "留言.csv"
    path.write_text("编号,内容\n1,建议修路, 方便出行\n2,建议建桥\n3,建议增加夜班公交\n", encoding="utf-8")
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--quiet", "--no-report"]) == 0
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str, keep_default_na=False)
    assert rejects[["source", "row", "reason"]].values.tolist() == [
        ["留言.csv", "1", "wrong number of fields: expected 2 fields, saw 3 (line 2 of the file)"]]
    records = pd.read_parquet(tmp_path / "out" / "records.parquet")
    assert sorted(zip(records["id"], records["text"], strict=True)) == [("2", "建议建桥"), ("3", "建议增加夜班公交")]


def test_truncated_xlsx_is_a_clear_error(tmp_path):
    good = tmp_path / "good.xlsx"
    pd.DataFrame(ROWS * 50).to_excel(good, index=False)
    data = good.read_bytes()
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        read_records([bad])
    assert err.value.file == "cut.xlsx"
    assert zipfile.is_zipfile(good)


def test_empty_file_and_header_only_file(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_records([tmp_path / "empty.csv"])
    (tmp_path / "header.csv").write_text("id,text\n", "utf-8")
    with pytest.raises(InputError, match="no rows"):
        read_records([tmp_path / "header.csv"])


def test_unknown_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"id,text\n1," + bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0x80]) + b"\n")
    with pytest.raises(InputError, match="encoding"):
        read_records([path])


def test_a_file_pasted_together_from_two_encodings_names_the_row_where_the_second_starts(tmp_path):
    """UTF-8 rows, then rows of a GBK export: the error named the file only, and 2,000 rows had to be searched."""
    path = tmp_path / "pasted.csv"
    path.write_bytes("编号,详情\n1,小区停车难\n2,建议多建公园。\n".encode() + "3,建议延长门诊\n".encode("gbk"))
    with pytest.raises(InputError, match="encoding") as caught:
        read_records([path])
    assert caught.value.row == 3 and str(caught.value).startswith("pasted.csv: row 3: ")


def test_batches_are_streamed_with_global_row_numbers(tmp_path):
    rows = [{"id": str(i), "text": f"第{i}条建议"} for i in range(25)]
    path = write_csv(tmp_path / "many.csv", rows)
    batches = list(iter_batches([path], batch_rows=10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert batches[2]["row"].tolist() == [21, 22, 23, 24, 25]


@pytest.mark.skipif(not TEDDY.exists(), reason="shared data not beside the checkout")
def test_real_teddy_file_with_its_known_duplicate_id():
    frame, rejects = read_records([TEDDY / "messages_labeled.csv"], ColumnMap(extra=("label",)))
    assert len(frame) == 356
    assert [r.id for r in rejects] == ["37042"]
    assert frame["label"].notna().all()


def test_headers_and_row_count_for_a_mapping_preview(tmp_path):
    from minsheng.engine.ingest import count_rows, read_headers

    path = write_csv(tmp_path / "in.csv", ROWS, encoding="gb18030")
    assert read_headers(path) == ["编号", "主题", "详情", "时间", "用户", "渠道"]
    assert count_rows(path) == 2
    pd.DataFrame(ROWS).to_parquet(tmp_path / "in.parquet")
    assert count_rows(tmp_path / "in.parquet") == 2


def test_support_columns_are_found_and_read_as_counts(tmp_path):
    """点赞数/反对数 (or likes/dislikes) feed the heat of hot issues without naming them on the command line."""
    path = tmp_path / "m.csv"
    path.write_text("编号,留言详情,点赞数,反对数\n1,小区噪音扰民,12,\n2,路灯不亮,x,3\n", encoding="utf-8")
    records, _ = read_records([path])
    assert records["likes"].tolist() == [12, 0]
    assert records["dislikes"].tolist() == [0, 3]
    explicit, _ = read_records([path], ColumnMap(text=("留言详情",), extra=("点赞数",)))
    assert "点赞数" in explicit.columns and explicit["likes"].tolist() == [12, 0]


def test_parquet_columns_of_any_type_are_read_as_text(tmp_path):
    """Bytes that are not UTF-8 and list columns have no Arrow cast to string: they stopped the whole file."""
    path = tmp_path / "odd.parquet"
    pd.DataFrame({"id": [b"\x00\xff", b"ab"], "text": ["建议放宽限购", "建议增加公交"], "tags": [[1, 2], [3]],
                  "meta": [{"a": 1}, {"a": 2}]}).to_parquet(path)
    records, rejects = read_records([path], ColumnMap(text=("text",), extra=("tags", "meta")))
    assert not rejects
    assert records["id"].tolist() == ["\x00\ufffd", "ab"]
    assert records["tags"].tolist() == ["[1, 2]", "[3]"]


def test_a_parquet_file_damaged_inside_a_page_is_one_clear_error(tmp_path):
    """The footer reads, a data page does not (snappy, thrift or level damage): OSError escaped; now InputError
    naming the first row of the batch it is in."""
    path = tmp_path / "damaged.parquet"
    frame = pd.DataFrame({"id": range(40), "text": [f"建议放宽限购政策{i}" for i in range(40)]})
    frame.to_parquet(path, row_group_size=10, compression="snappy")
    data = bytearray(path.read_bytes())
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    page = meta.row_group(2).column(1).data_page_offset  # the third row group's text: rows 21-30
    data[page + 20: page + 60] = b"\xff" * 40
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        read_records([path], batch_rows=10)
    assert caught.value.file == "damaged.parquet" and caught.value.code == "parquet_unreadable"
    assert caught.value.row == 21


def test_a_parquet_string_column_that_is_not_utf8_is_one_clear_error(tmp_path):
    """Arrow reads a page of invalid UTF-8 without complaint; stripping the text then raised ArrowInvalid."""
    path = tmp_path / "bad_utf8.parquet"
    pd.DataFrame({"text": ["建议放宽限购AAAA", "建议增加公交BBBB"]}).to_parquet(path, compression=None)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"BBBB", b"B\xff\xfeB"))
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.file == "bad_utf8.parquet" and caught.value.row == 1


def test_a_json_escape_of_a_lone_surrogate_is_read_as_a_replacement_character(tmp_path):
    """json.loads turns "\\ud800" into a character no UTF-8 writer accepts: Arrow raised UnicodeEncodeError
    joining the text, so `minsheng analyze` and a platform import stopped with a traceback."""
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "1", "title": "\\ud800建议", "text": "增加公交 \\ud83d\\ude00"}\n', encoding="utf-8")
    records, rejects = read_records([path])
    assert not rejects and records["text"].tolist() == ["\ufffd建议\n增加公交 😀"]


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_file_holding_one_array_of_objects_is_read(tmp_path, indent):
    """What many systems export as .json: read as "a JSON line must be an object, got list" (compact) or
    "malformed JSON" on every line (indented), and then "no text column found; columns are []"."""
    path = tmp_path / "export.json"
    items = [{"id": 1, "text": "建议增加公交"}, ["not", "an object"], {"id": 2, "text": "建议延长门诊"}]
    path.write_text(json.dumps(items, ensure_ascii=False, indent=indent), encoding="utf-8")
    records, rejects = read_records([path])
    assert records[["id", "text", "row"]].values.tolist() == [["1", "建议增加公交", 1], ["2", "建议延长门诊", 3]]
    assert [(r.row, r.code) for r in rejects] == [(2, "json_not_object")]
    path.write_text('[{"id": 1, "text": "建议"},\n {"id": 2, "text": }]', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.code == "malformed_json_array" and caught.value.row == 2


def test_a_json_array_is_read_item_by_item_not_whole(tmp_path, monkeypatch):
    """The whole file was read and decoded at once: memory several times its size (the text alone is its size),
    and nothing read before a damaged end was found. Now batches come while the array is read; an item of
    10 MB, many times the chunk read at once, still works."""
    import tracemalloc

    from minsheng.engine import ingest

    monkeypatch.setattr(ingest, "JSON_CHUNK_CHARS", 1 << 16)
    path = tmp_path / "export.json"
    item = {"text": "建议增加夜班公交线路，方便晚归的市民。" * 50}
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n" + ",\n".join(json.dumps(item | {"id": i}, ensure_ascii=False) for i in range(4000)) + "\n]")
    tracemalloc.start()
    try:
        batches = ingest._raw_batches(path, 200)
        rows = len(next(batches))
        tracemalloc.reset_peak()  # from here on: not the encoding's sniffing, a fixed 4 MiB
        rows += sum(len(batch) for batch in batches)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == 4000 and peak < path.stat().st_size / 3, (peak, path.stat().st_size)
    path.write_text(json.dumps([{"id": 1, "text": "建议"}, {"id": "big", "text": "长" * 10_000_000}, 7],
                               ensure_ascii=False), encoding="utf-8")
    [batch] = list(ingest._raw_batches(path, 500))
    assert batch["text"].str.len().tolist() == [2, 10_000_000] and batch.attrs["bad_lines"][0][0] == 3
    path.write_text("[" + ",".join(json.dumps(item | {"id": i}) for i in range(5)) + ', {"id": 6, "text": ', "utf-8")
    batches = ingest._raw_batches(path, 2)
    assert len(next(batches)) == 2  # read before the damage is reached
    with pytest.raises(InputError) as caught:
        list(batches)
    assert (caught.value.code, caught.value.row) == ("malformed_json_array", 6)


def test_json_nested_thousands_deep_fails_at_once_naming_the_item(tmp_path):
    """A file of 100,000 "[" (100 KB) kept ijson busy for minutes building ever longer paths: the import page's
    worker was killed mid-request and a background import would have hung. Nesting past the limit fails the file
    at once (the error's code and limit say the depth stopped it, no clock asserted); a line of JSONL as deep is
    that row's error, not a RecursionError."""
    path = tmp_path / "deep.json"
    path.write_text('[{"id": 1, "text": "建议", "tags": [["a"], {"b": [1]}]}, ' + "[" * 100_000, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert (caught.value.code, caught.value.row, caught.value.params["limit"]) == ("json_too_deep", 2, 64)
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": 1, "text": "建议"}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    records, rejects = read_records([path])
    assert records["text"].tolist() == ["建议"] and [(r.row, r.field) for r in rejects] == [(2, "*")]


@pytest.mark.parametrize("batch_rows", [3, 50_000])
def test_a_quote_never_closed_names_the_row_it_opens_in(tmp_path, batch_rows):
    """The error said row 1 (or the row after the last batch) for a quote opened in row 11: the platform showed
    "（第 1 行）" and the user looked at the wrong row."""
    path = tmp_path / "q.csv"
    path.write_text("id,text\n" + "".join(f"{i},建议{i}\n" for i in range(1, 11)) + '11,"结尾没有引号\n12,好\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path], batch_rows=batch_rows)
    assert caught.value.row == 11 and caught.value.code == "unparseable"


def _workbook(path: Path, sheets: dict[str, list[list]], merge: tuple | None = None) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        if merge and name == list(sheets)[-1]:
            sheet.merge_range(*merge)
    book.close()
    return path


def test_a_workbook_s_header_is_found_below_a_title_and_after_an_instructions_sheet(tmp_path):
    """填表说明 on the first sheet, a title and merged group headings above the header: row 1 of sheet 1 was
    taken for the header, 'no text column found; columns are ['填表说明']', and the import page offered only
    that to choose from."""
    data = [["12345热线留言导出（2019年）"], [None], [None, "留言信息", None],
            ["编号", "留言主题", "留言详情"], ["a1", "公交", "建议增加夜班公交"], ["a2", "医疗", "建议延长门诊时间"]]
    path = _workbook(tmp_path / "export.xlsx", {"填表说明": [["填表说明"], ["每行一条留言"]], "数据": data},
                     merge=(2, 1, 2, 2, "留言信息"))
    records, rejects = read_records([path])
    assert not rejects and records["id"].tolist() == ["a1", "a2"]
    assert records["text"].tolist() == ["公交\n建议增加夜班公交", "医疗\n建议延长门诊时间"]
    from minsheng.engine.ingest import read_headers

    assert read_headers(path) == ["编号", "留言主题", "留言详情"]
    chosen, _ = read_records([path], ColumnMap(id="编号", text=("留言详情",)))  # a mapping chosen on the page
    assert chosen["text"].tolist() == ["建议增加夜班公交", "建议延长门诊时间"]


def test_every_sheet_under_the_workbook_s_header_is_read_each_named_in_its_rows(tmp_path):
    """One sheet per town: the first sheet's rows were read and the others' left out without a word (h-fuzz2), then
    the workbook was refused. Every sheet under the same header is read (below its own title, if it has one), rows
    numbered in each sheet, the sheet named in each row's source, reject and unreadable time; a summary under
    another header, or a header with no rows, adds nothing. Fails before."""
    header = ["编号", "留言详情", "留言时间"]
    towns = {"城关镇": [header, ["a1", "建议增加夜班公交", "2020-08-16"], ["a2", "", "2020-08-16"]],
             "汇总": [["镇", "条数"], ["城关镇", 2]],
             "河口乡": [["河口乡留言"], header, ["b1", "建议延长门诊时间", "明天下午"], ["a1", "编号重复的一行", ""]],
             "空表": [header]}
    path = _workbook(tmp_path / "towns.xlsx", towns)
    stats = IngestStats()
    records = pd.concat(list(iter_batches([path], stats=stats)), ignore_index=True)
    name = path.name
    assert records["id"].tolist() == ["a1", "b1"] and records["row"].tolist() == [1, 1]
    assert records["source"].tolist() == [f"{name}, sheet 城关镇", f"{name}, sheet 河口乡"]
    assert [(r.source, r.row, r.field, r.code) for r in stats.rejects] == [
        (f"{name}, sheet 城关镇", 2, "text", "empty_text"), (f"{name}, sheet 河口乡", 2, "id", "duplicate_id_other_text")]
    assert stats.rejects[1].params["first_file"] == f"{name}, sheet 城关镇"
    assert stats.bad_time_rows == [(f"{name}, sheet 河口乡", 1, "明天下午")]
    one = _workbook(tmp_path / "one.xlsx", {"城关镇": towns["城关镇"], "汇总": towns["汇总"], "空表": [header]})
    records, _ = read_records([one])
    assert records["source"].tolist() == ["one.xlsx"] and records["id"].tolist() == ["a1"]


def test_a_later_sheet_naming_a_text_column_under_another_header_is_said_left_out(tmp_path, caplog):
    """A later sheet under another header that names a text column may hold suggestions: it was left out without a
    word. The reader says which sheets it read and which it left out (the command line warns, naming file and
    sheet), and counts each sheet's rows (the import page shows them); a summary without a text column is not
    named. Fails before."""
    from minsheng.engine.ingest import rows_by_sheet
    from minsheng.engine.pipeline import AnalyzeOptions, analyze

    header = ["编号", "留言详情"]
    path = _workbook(tmp_path / "towns.xlsx", {
        "城关镇": [header, ["a1", "建议增加夜班公交"], ["a2", "建议修路"], ["a3", ""]],
        "汇总": [["镇", "条数"], ["城关镇", 2]],
        "河口乡": [header, ["b1", "建议延长门诊时间"]],
        "来信": [["序号", "留言内容", "日期"], ["1", "建议增设路灯", "2020-08-16"]]})
    stats = IngestStats()
    list(iter_batches([path], stats=stats))
    assert stats.sheets_read == ["towns.xlsx, sheet 城关镇", "towns.xlsx, sheet 河口乡"]
    assert stats.sheets_unread == ["towns.xlsx, sheet 来信"]
    assert rows_by_sheet(path) == {"城关镇": 3, "河口乡": 1}
    with caplog.at_level("WARNING", logger="minsheng.engine.pipeline"):
        analyze([path], AnalyzeOptions(workers=1), [])
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("not read:")]
    assert line.startswith("not read: towns.xlsx, sheet 来信 (its header names a text column, but is not ")
    one = _workbook(tmp_path / "one.xlsx", {"城关镇": [header, ["a1", "建议修路"]], "汇总": [["镇", "条数"], ["城关镇", 1]]})
    stats = IngestStats()
    list(iter_batches([one], stats=stats))
    assert (stats.sheets_read, stats.sheets_unread) == ([], [])


def test_later_sheets_of_a_workbook_of_one_suggestion_a_row_are_read_or_said_left_out(tmp_path):
    """A workbook of one suggestion a row, without a header: only its first sheet was read, the later ones left out
    without a word. A later sheet of one cell a row is read too (its rows numbered from 1, the sheet named); a
    summary adds nothing, as under a header (a sheet naming a text column would have been the one read). Fails
    before."""
    path = _workbook(tmp_path / "lines.xlsx", {
        "一月": [["建议在小区门口增设公交站点"], ["希望加大职业教育投入"]],
        "二月": [["农村养老保险应该提高标准"]],
        "汇总": [["月", "条数"], ["一月", 2]]})
    stats = IngestStats()
    records = pd.concat(list(iter_batches([path], stats=stats)), ignore_index=True)
    assert records["text"].tolist() == ["建议在小区门口增设公交站点", "希望加大职业教育投入", "农村养老保险应该提高标准"]
    assert records["row"].tolist() == [1, 2, 1]
    assert records["source"].tolist()[1:] == ["lines.xlsx, sheet 一月", "lines.xlsx, sheet 二月"]
    assert (stats.sheets_read, stats.sheets_unread) == (["lines.xlsx, sheet 一月", "lines.xlsx, sheet 二月"], [])


def test_a_workbook_without_a_known_text_header_still_offers_its_first_row(tmp_path):
    """No header the reader knows: the first sheet's first row that is not empty is the header to choose from."""
    path = _workbook(tmp_path / "odd.xlsx", {"s": [[None], ["诉求编号", "诉求描述"], ["1", "建议增加公交"]]})
    from minsheng.engine.ingest import read_headers

    assert read_headers(path) == ["诉求编号", "诉求描述"]
    records, _ = read_records([path], ColumnMap(text=("诉求描述",)))
    assert records["text"].tolist() == ["建议增加公交"]


@pytest.mark.parametrize(("name", "sep", "encoding"), [("unicode_text.txt", "\t", "utf-16"), ("eu.csv", ";", "utf-8"),
                                                       ("tabs.csv", "\t", "gb18030")])
def test_a_delimited_file_separated_otherwise_than_its_ending_says_is_read(tmp_path, name, sep, encoding):
    """Excel's "Unicode text" is UTF-16 with tabs, whatever it is named: one column named by the whole header
    line, and "no text column found"."""
    path = tmp_path / name
    path.write_bytes(f"编号{sep}详情{sep}点赞数\n1{sep}建议增加公交，延长班次{sep}3\n".encode(encoding))
    records, rejects = read_records([path])
    assert not rejects and records[["id", "text"]].values.tolist() == [["1", "建议增加公交，延长班次"]]
    assert records["likes"].tolist() == [3]


def test_a_parquet_file_that_repeats_a_column_name_is_read_as_a_csv_would_be(tmp_path):
    """pyarrow (or Spark) writes a repeated name; the second 'text' came back as a DataFrame where a column was
    expected: AttributeError, exit 1 with a traceback."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "dup.parquet"
    pq.write_table(pa.table([pa.array(["1", "2"]), pa.array(["建议增加公交", "建议延长门诊"]), pa.array(["x", "y"])],
                            names=["id", "text", "text"]), path)
    records, rejects = read_records([path])
    assert not rejects and records["text"].tolist() == ["建议增加公交", "建议延长门诊"]
    from minsheng.engine.ingest import read_headers

    assert read_headers(path) == ["id", "text", "text.1"]


def test_the_headers_of_a_parquet_file_are_read_from_its_footer(tmp_path, monkeypatch):
    """``minsheng analyze`` reads a file's header before its first stage (does a column hold replies?): a first batch
    of one row decoded the whole first row group, a million rows of the benchmark's corpus. The footer names the
    columns; a file without rows still says so."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from minsheng.engine.ingest import read_headers, reply_columns

    path, empty = tmp_path / "m.parquet", tmp_path / "empty.parquet"
    pq.write_table(pa.table({"编号": ["1"], "留言详情": ["建议增加公交"], "答复意见": ["已转交"], "text": ["x"], "text.1": ["y"]})
                   .rename_columns(["编号", "留言详情", "答复意见", "text", "text"]), path)
    pq.write_table(pa.table({"id": pa.array([], pa.string())}), empty)

    def unread(*args, **kwargs):
        raise AssertionError("a row group was read")

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", unread)
    assert read_headers(path) == ["编号", "留言详情", "答复意见", "text", "text.1"]
    assert reply_columns(path) == ("答复意见", None)
    with pytest.raises(InputError, match="no rows"):
        read_headers(empty)


def test_a_jsonl_file_whose_first_line_is_an_array_is_still_read_line_by_line(tmp_path):
    """Found by review of the JSON array reading (ingest fuzz): a JSONL file opening with a line that is an array
    is not one array; its first line is rejected and the objects after it kept, as before."""
    path = tmp_path / "x.jsonl"
    path.write_text('["a", "b"]\n{"id": "1", "text": "建议增加公交"}\n', encoding="utf-8")
    records, rejects = read_records([path])
    assert records["text"].tolist() == ["建议增加公交"] and [(r.row, r.code) for r in rejects] == [(1, "json_not_object")]


def test_only_whole_text_formulas_are_read_as_their_value():
    """A cell ``="…"`` is read as what is inside; a cell that only opens like one (``="``, ``="12``), a formula of
    another kind and a missing value stay as they were (``=""`` is the empty text), in a column that mixes them."""
    from minsheng.engine.ingest import _text_formulas_read

    cells = ['="188006"', '="', '=""', '="12', "=SUM(A1)", None, "建议增加公交", '="2020/8/16 9:05"']
    got = _text_formulas_read(pd.DataFrame({"id": cells, "text": ["x"] * len(cells)}, index=range(3, 3 + len(cells))))
    want = ["188006", '="', "", '="12', "=SUM(A1)", None, "建议增加公交", "2020/8/16 9:05"]
    assert [None if pd.isna(v) else v for v in got["id"]] == want
    assert got["text"].tolist() == ["x"] * len(cells)


def test_a_column_kept_beside_the_text_is_masked_as_the_text_is(tmp_path):
    """A reply quotes the complainant's room, a contact column holds a phone: records.parquet must not."""
    rows = [{"id": "1", "text": "楼道漏水", "reply": "投诉人住钻石新村20栋201，请拨打13812345678或0735－5531003",
             "n": "3"}]
    frame, _ = read_records([write_csv(tmp_path / "x.csv", rows)], ColumnMap(extra=("reply", "n")))
    assert frame["reply"][0] == "投诉人住钻石新村20栋***，请拨打138****5678或0735****1003"
    assert frame["n"][0] == "3"


def test_a_text_column_empty_in_every_row_fails_in_one_line_naming_it(tmp_path, capsys):
    """Each row was listed as "empty text" and the analysis ran on nothing, exit 0: the text was in a column the
    mapping did not choose (意见 beside an empty 内容)."""
    from minsheng.cli import main

    path = tmp_path / "导出.csv"
    path.write_text("编号,内容,意见\n1,,建议增加夜班公交\n2, ,建议延长门诊时间\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert (caught.value.file, caught.value.field, caught.value.code) == ("导出.csv", "内容", "text_column_empty")
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--quiet", "--no-report"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()[-1:]
    assert "导出.csv" in line and "内容" in line
    assert read_records([path], ColumnMap(text=("意见",)))[0]["text"].tolist() == ["建议增加夜班公交", "建议延长门诊时间"]
    path.write_text("编号,内容\n1,\n2,建议延长门诊时间\n", encoding="utf-8")  # some rows empty: those rows listed
    records, rejects = read_records([path])
    assert len(records) == 1 and [(r.row, r.code) for r in rejects] == [(1, "empty_text")]


def test_the_writer_column_is_a_pseudonym_that_still_tells_writers_apart(tmp_path, monkeypatch):
    """A writer's id, nickname or phone number is never written (records.parquet held the user column as read);
    the same writer is the same pseudonym in every file and run with one key, so writers are still counted apart,
    and a reply that addresses the writer by that id says the pseudonym."""
    monkeypatch.setenv("MINSHENG_PSEUDONYM_KEY", "k1")
    rows = [{"id": "1", "text": "楼道漏水", "user": "13812345678", "reply": "网友13812345678您好，已转交"},
            {"id": "2", "text": "路灯不亮", "user": "张小三", "reply": "张小三您好"},
            {"id": "3", "text": "楼道又漏水", "user": "13812345678", "reply": "您好"},
            {"id": "4", "text": "噪音", "user": None, "reply": "您好"}]
    path = write_csv(tmp_path / "x.csv", rows)
    frame, _ = read_records([path], ColumnMap(extra=("reply",)))
    users = frame["user"].tolist()
    assert users[0] == users[2] != users[1] and pd.isna(users[3])
    assert not any("13812345678" in str(v) or "张小三" in str(v) for v in users + frame["reply"].tolist())
    assert frame["reply"][0] == f"网友{users[0]}您好，已转交" and frame["reply"][1] == f"{users[1]}您好"
    assert read_records([path], ColumnMap(extra=("reply",)))[0]["user"].tolist()[:3] == users[:3]  # stable
    monkeypatch.setenv("MINSHENG_PSEUDONYM_KEY", "k2")
    assert read_records([path])[0]["user"][0] != users[0]  # keyed


def test_a_folder_given_as_input_says_it_is_a_folder(tmp_path, capsys):
    """`minsheng analyze exports/` said "exports: unsupported file type 'exports'": a stranger reads that the
    files inside are of a wrong kind. The line says it is a folder and how to name its files."""
    from minsheng.cli import main

    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv(folder / "a.csv", [{"id": 1, "text": "建议增加夜班公交"}])
    assert main(["analyze", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-report"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()[-1:]
    assert "is a folder" in line and "exports" in line and "unsupported" not in line


def test_rows_with_an_unreadable_time_are_counted_and_named_with_the_cell(tmp_path):
    """A time cell written but unreadable leaves the row without a time: it was counted, never said which row;
    where the day and the time of day are two columns, the day is shown with it."""
    from minsheng.engine.ingest import IngestStats

    path = tmp_path / "t.csv"
    path.write_text("内容,日期,时间\n建议一,2020-01-05,10:00\n建议二,2020-02-30,10:00\n建议三,,\n建议四,昨天,上午\n",
                    encoding="utf-8")
    stats = IngestStats()
    records = pd.concat(iter_batches([path], ColumnMap(text=("内容",), time="时间", date="日期"), stats=stats))
    assert records["time"].notna().tolist() == [True, False, False, False]
    assert stats.bad_times == 2
    assert stats.bad_time_rows == [("t.csv", 2, "2020-02-30 10:00"), ("t.csv", 4, "昨天 上午")]


def test_the_command_line_names_the_file_row_and_field_of_an_unreadable_time(tmp_path, caplog):
    """`minsheng analyze` said only unparsed_times: 2 in summary.json; its log now names where to look."""
    from minsheng.engine.pipeline import AnalyzeOptions, analyze

    path = tmp_path / "来信.csv"
    path.write_text("内容,时间\n建议修缮村口的小桥,2020-03-01 09:00\n建议增设夜间路灯,下周三\n建议清理河道,2020-13-40\n",
                    encoding="utf-8")
    with caplog.at_level("WARNING", logger="minsheng.engine.pipeline"):
        result = analyze([path], AnalyzeOptions(workers=1), [])
    assert result.summary["unparsed_times"] == 2
    [line] = [r.getMessage() for r in caplog.records if "without a time" in r.getMessage()]
    assert "来信.csv row 2, field time: '下周三'" in line and "来信.csv row 3, field time: '2020-13-40'" in line


def test_a_workbook_renamed_csv_is_refused_as_not_text(tmp_path):
    """An .xlsx saved under a .csv name: GB18030 decoded its zip bytes into gibberish headers; now one clear line."""
    real = tmp_path / "book.xlsx"
    pd.DataFrame({"id": [1], "text": ["建议增加公交"]}).to_excel(real, index=False)
    renamed = tmp_path / "建议.csv"
    renamed.write_bytes(real.read_bytes())
    with pytest.raises(InputError) as caught:
        detect_encoding(renamed)
    assert caught.value.code == "not_text" and "建议.csv" in str(caught.value)
    utf16 = tmp_path / "utf16.csv"  # text with NULs in every other byte, but its BOM says which: still read
    utf16.write_text("id,text\n1,建议增加公交\n", encoding="utf-16")
    assert detect_encoding(utf16) == "utf-16"


def test_a_region_column_is_found_by_its_header_read_as_text_and_masked(tmp_path):
    """A file's 省份 / 地区 column is where each suggestion comes from: the reports break down by it. It was read by no
    role, so the offline report had no breakdown; a phone typed into it must not reach records.parquet."""
    rows = [{"编号": "1", "详情": "建议增加公交班次", "省份": "湖南省"},
            {"编号": "2", "详情": "小区停车位不够", "省份": "广东省 13812345678"},
            {"编号": "3", "详情": "路灯不亮", "省份": "  "}]
    frame, _ = read_records([write_csv(tmp_path / "r.csv", rows)])
    assert frame["region"].fillna("无").tolist() == ["湖南省", "广东省 138****5678", "无"]
    named, _ = read_records([write_csv(tmp_path / "n.csv", [{"详情": "建议", "来信地区": "衡阳市"}])],
                            ColumnMap(region="来信地区"))
    assert named["region"].tolist() == ["衡阳市"]
    codes = tmp_path / "codes.parquet"
    pd.DataFrame({"text": ["建议增加公交", "路灯不亮"], "region": [430400, None]}).to_parquet(codes)
    assert read_records([codes])[0]["region"].fillna("无").tolist() == ["430400", "无"]


@pytest.mark.parametrize("header", ["所属街道", "乡镇", "乡镇（街道）"])
def test_a_district_offices_town_or_street_column_is_its_region(tmp_path, header):
    """h-walk7 (docs/readings/walk-2026-12-08.md): a district office's export names where a suggestion comes from
    by its town or street (所属街道); the import preview offered （无） for 地区 and the district's breakdown by
    street stayed empty unless the planner found the column by hand."""
    rows = [{"编号": "1", "留言内容": "建议增加公交班次", header: "茶山坳镇"}]
    frame, _ = read_records([write_csv(tmp_path / "r.csv", rows)])
    assert frame["region"].tolist() == ["茶山坳镇"]


def test_a_file_without_a_region_column_has_no_region_column(tmp_path):
    frame, _ = read_records([write_csv(tmp_path / "in.csv", ROWS)])
    assert "region" not in frame.columns


@pytest.mark.parametrize("name", ["in.jsonl", "in.json"])
def test_json_objects_and_arrays_in_a_cell_read_as_json_not_python(tmp_path, name):
    """A text or an id that is a JSON object or array was stored and analysed as Python's repr ({'a': 'b'},
    ['建议', '修路']): found probing wrong types by hand (h-fuzz2). It reads as the JSON it was."""
    items = [{"id": [1, 2], "text": ["建议", "修路"]}, {"id": 2, "text": {"建议": "多建公园", "点赞": 1.5}},
             {"id": 3, "text": "建议增加公交"}]
    lines = [json.dumps(i, ensure_ascii=False) for i in items]
    (tmp_path / name).write_text("[" + ",".join(lines) + "]" if name.endswith(".json") else "\n".join(lines),
                                 encoding="utf-8")
    records, rejects = read_records([tmp_path / name])
    assert rejects == []
    assert records["text"].tolist() == ['["建议", "修路"]', '{"建议": "多建公园", "点赞": 1.5}', "建议增加公交"]
    assert records["id"].tolist() == ["[1, 2]", "2", "3"]


ITEMS = [{"id": "1", "text": "建议增加公交"}, {"id": "2", "text": "建议延长门诊", "tags": ["医疗"]}]


@pytest.mark.parametrize("wrapped", [
    {"data": ITEMS}, {"rows": ITEMS, "total": 2}, {"items": ITEMS, "page": {"size": 20, "empty": []}},
    {"code": 0, "msg": "ok", "data": {"total": 2, "records": ITEMS}}, {"tags": ["a", "b"], "list": ITEMS}])
@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_object_wrapping_one_list_of_suggestions_is_read_as_that_list(tmp_path, wrapped, indent):
    """What partner APIs export: read as one row with a column ``data`` (or a malformed line each), refused as having
    no text column, and the import page offered ``data`` as the text. Found by h-fuzz2; fails before."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(wrapped, ensure_ascii=False, indent=indent), encoding="utf-8")
    records, rejects = read_records([path])
    assert not rejects and records["id"].tolist() == ["1", "2"] and records["row"].tolist() == [1, 2]
    assert records["text"].tolist() == ["建议增加公交", "建议延长门诊"]


def test_a_json_object_wrapping_several_lists_fails_in_one_line_naming_them(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"data": ITEMS, "replies": [{"id": "9", "reply": "已办"}]}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.code == "json_several_lists" and caught.value.params == {"lists": "data, replies"}


@pytest.mark.parametrize("wrapped", [{"data": []}, {"code": 0, "data": {"total": 0, "rows": []}, "msg": "ok"}])
def test_a_json_object_wrapping_an_empty_list_says_no_rows(tmp_path, wrapped):
    """An API's export of nothing said "no text column; columns are ['code', 'data']". Fails before."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(wrapped), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.code == "no_rows" and "is empty" in str(caught.value)


@pytest.mark.parametrize("name, content", [
    ("one.json", '{"id": "1", "text": "建议增加公交", "tags": [{"k": "交通"}]}'),  # one record with a list in it
    ("x.jsonl", '{"data": [{"text": "不是这一行的建议"}]}\n{"id": "1", "text": "建议增加公交"}\n')])
def test_a_record_or_json_lines_are_not_unwrapped(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    records, rejects = read_records([path])
    assert records["text"].tolist() == ["建议增加公交"] and records["id"].tolist() == ["1"]
    assert [r.code for r in rejects] == (["empty_text"] if name.endswith("l") else [])


@pytest.mark.parametrize("above", [",,,", " , ,\t,"])
def test_a_header_row_of_empty_names_above_data_fails_in_one_line(tmp_path, above):
    """A table pasted under an empty header row: its first data row was taken for the header (lost, and offered
    as the column names), and the run said "no text column; columns are ['1', '建议修路', …]". Fails before."""
    path = tmp_path / "pasted.csv"
    path.write_text(f"{above}\n1,建议修路,2020-01-01,u1\n2,建议修桥,2020-01-02,u2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.code == "header_empty" and "line 1" in str(caught.value)


def test_a_file_without_a_header_row_says_its_first_line_is_data(tmp_path):
    """A CSV written without a header row: its first row was read as the names (so lost) and the run said "no text
    column; columns are ['1', '建议在小区门口增设公交站点…', '2019-01-05']". Fails before."""
    path = tmp_path / "nohead.csv"
    path.write_text("1,建议在小区门口增设公交站点，方便老人出行,2019-01-05\n2,希望加强校园周边食品安全监管,2019-01-06\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.code == "header_is_data" and caught.value.row == 1 and "header row" in str(caught.value)
    names = tmp_path / "names.csv"  # a header of names without a text column is still "no text column"
    names.write_text("编号,时间\n1,2019-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([names])
    assert caught.value.code == "no_text_column"


@pytest.mark.parametrize("header", ["id,text,time,user", "序列,留言,日期,人"])
def test_an_empty_row_above_a_header_of_names_is_passed_over(tmp_path, header):
    path = tmp_path / "pasted.csv"
    path.write_text(f",,,\n{header}\n1,建议修路,2020-01-01,u1\n", encoding="utf-8")
    records, _ = read_records([path], ColumnMap(text=(header.split(",")[1],)))
    assert records["text"].tolist() == ["建议修路"] and records["row"].tolist() == [1]


def test_likes_written_about_a_number_are_read_and_words_said_to_be_no_number(tmp_path, caplog):
    """Likes of 很多, 若干 or "many" were 0 without a word, and 10+, 约20, 20多 were 0 too: a count written about a
    number is that number; a word is no number, kept as 0 and listed as an unreadable time is. Fails before."""
    from minsheng.engine.pipeline import AnalyzeOptions, analyze

    path = tmp_path / "来信.csv"
    likes = ["10+", "很多", "约20", "20多", "1万余", "若干", "", "3"]
    path.write_text("内容,点赞数\n" + "".join(f"建议{i}号修路,{n}\n" for i, n in enumerate(likes)), encoding="utf-8")
    stats = IngestStats()
    records = pd.concat(list(iter_batches([path], stats=stats)), ignore_index=True)
    assert records["likes"].tolist() == [10, 0, 20, 20, 10000, 0, 0, 3]
    assert (stats.bad_likes, stats.bad_like_rows) == (2, [("来信.csv", 2, "很多"), ("来信.csv", 6, "若干")])
    with caplog.at_level("WARNING", logger="minsheng.engine.pipeline"):
        analyze([path], AnalyzeOptions(workers=1), [])
    [line] = [r.getMessage() for r in caplog.records if "0 likes" in r.getMessage()]
    assert line.startswith("2 row(s) kept with 0 likes") and "来信.csv row 6, field likes: '若干'" in line


def _formulas(path: Path, rows: list[list]) -> Path:
    """A workbook written by a program (openpyxl): its formulas have no saved value until a spreadsheet opens it."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_the_workbook_s_formulas_are_counted_once_when_a_report_asks_not_at_each_read(tmp_path, monkeypatch):
    """The count scans every sheet's XML: it ran at each read of the workbook (its header, its rows by sheet, its
    count, the import: four scans of one upload), where only the import's report, the analysis' warning and the
    error for an empty text column say it. Fails before (4 scans before anyone asked)."""
    from minsheng.engine import ingest

    scans = []
    scan = ingest._formulas_unread
    monkeypatch.setattr(ingest, "_formulas_unread", lambda path: scans.append(path) or scan(path))
    book = _formulas(tmp_path / "some.xlsx", [["id", "text", "likes"], ["1", '=A2&"号建议修路"', "=1+2"],
                                              ["2", "建议修桥", 5]])
    again = tmp_path / "again.xlsx"
    again.write_bytes(book.read_bytes())
    ingest.read_headers(book)
    ingest.rows_by_sheet(book)
    ingest.count_rows(book)
    stats = IngestStats()
    assert len(pd.concat(list(iter_batches([book, again], stats=stats)))) == 1  # the second's id repeats the first's
    assert scans == []
    assert stats.formulas_unread == 4 and stats.formulas_unread == 4  # two workbooks of 2, scanned once each
    assert scans == [book, again]


def test_formulas_without_a_saved_value_are_said_not_read_as_empty_without_a_word(tmp_path):
    """A workbook a program wrote and nobody opened in Excel: its formulas read as empty cells without a word (likes
    0, a text empty), and a text column of formulas only was "empty in every row", true and misleading. Now counted
    (the CLI warns, the import page says it) and the empty column says why. Fails before."""
    some = _formulas(tmp_path / "some.xlsx", [["id", "text", "likes"], ["1", '=A2&"号建议修路"', "=1+2"],
                                             ["2", "建议修桥", 5]])
    stats = IngestStats()
    records = pd.concat(list(iter_batches([some], stats=stats)), ignore_index=True)
    assert records["text"].tolist() == ["建议修桥"] and stats.formulas_unread == 2
    every = _formulas(tmp_path / "every.xlsx", [["id", "text"], *([str(i), f'="建议"&A{i + 2}'] for i in range(3))])
    with pytest.raises(InputError) as caught:
        read_records([every])
    assert caught.value.code == "formulas_unsaved" and caught.value.params == {"column": "text", "count": 3}


@pytest.mark.parametrize("name, content", [
    ("end.csv", "序号,意见内容,点赞数\n1,建议增加公交班次,3\n2,小区停车位不够,5\n合计,2条,8\n3,建议公布财政支出合计数,1\n"),
    ("text.csv", "意见内容,点赞数\n建议增加公交班次,3\n小区停车位不够,5\n合  计：,8\n建议公布财政支出合计数,1\n"),
    ("town.csv", "序号,意见内容,乡镇\n1,建议增加公交班次,城关镇\n,,小计\n2,小区停车位不够,河口乡\n,,Total\n"
                 "3,建议公布财政支出合计数,城关镇\n")])
def test_a_total_row_is_a_reject_not_a_suggestion(tmp_path, name, content):
    """An office's export ends in a 合计 row (a town's in a 小计): its text cell (2条, or 合计 itself) was read as a
    suggestion, the column's sum its likes. Now each is a reject naming its row; a suggestion that only mentions
    a total is kept. Found by h-fuzz5's office tables; fails before."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    records, rejects = read_records([path])
    assert records["text"].tolist() == ["建议增加公交班次", "小区停车位不够", "建议公布财政支出合计数"]
    assert [(r.code, r.field) for r in rejects] == [("total_row", "text")] * (2 if name == "town.csv" else 1)
    assert [r.row for r in rejects] == ([2, 4] if name == "town.csv" else [3])
    if "点赞数" in content:
        assert records["likes"].tolist() == [3, 5, 1]


@pytest.mark.parametrize("content, kept, totals", [
    # the total row sums up in words, over 20 characters: still a total, by its 合计 in the 序号 column
    ("序号,意见内容,点赞数\n1,建议增加公交班次,3\n2,小区停车位不够,5\n合计,共收到群众意见建议2条，已全部转交相关部门办理完毕,8\n",
     ["建议增加公交班次", "小区停车位不够"], [3]),
    # a short suggestion whose category is 汇总 (a cell after its text): a suggestion, not a total
    ("序号,意见内容,类别\n1,建议增加公交班次,交通\n2,小区停车位不够,汇总\n", ["建议增加公交班次", "小区停车位不够"], []),
    # Total opening a row whose likes are words: a writer named so, not a sum
    ("user,text,likes\nTotal,Buses at night,many\nAnn,Fix the lights,2\n",
     ["Buses at night", "Fix the lights"], []),
])
def test_a_total_row_is_told_by_its_shape_not_its_length(tmp_path, content, kept, totals):
    """A total row is one by its shape (a total label opens it or is its text; its counts are numbers), not by its
    text's length: a 合计 row whose text cell summed up in over 20 characters was imported as a suggestion with the
    sum as its likes, and a short suggestion with 汇总 in another cell was taken for a total."""
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    records, rejects = read_records([path])
    assert records["text"].tolist() == kept
    assert [r.row for r in rejects if r.code == "total_row"] == totals


def _two_row_header(path: Path) -> Path:
    """序号 and 意见内容 merged down two rows, 提交人信息 merged across 姓名 and 电话, a title above, as an office's
    form is drawn; saved as a workbook, or from it as CSV (each merged cell's value in its top-left cell only)."""
    rows = [("XX区2026年意见征集汇总表", None, None, None), (None, None, None, None),
            ("序号", "提交人信息", None, "意见内容"), (None, "姓名", "电话", None),
            (1, "张三", "13800000000", "建议增加夜班公交"), (2, "李四", "13900000000", "建议延长门诊时间")]
    if path.suffix == ".csv":
        path.write_text("".join(",".join("" if v is None else str(v) for v in row) + "\r\n" for row in rows),
                        encoding="gb18030")
        return path
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 3, rows[0][0])
    sheet.merge_range(2, 0, 3, 0, "序号")
    sheet.merge_range(2, 1, 2, 2, "提交人信息")
    sheet.merge_range(2, 3, 3, 3, "意见内容")
    sheet.write_row(3, 1, ["姓名", "电话"])
    for i, row in enumerate(rows[4:], start=4):
        sheet.write_row(i, 0, row)
    book.close()
    return path


@pytest.mark.parametrize("name", ["form.xlsx", "form.csv"])
def test_a_header_of_two_rows_with_names_merged_down_reads_every_column(tmp_path, name):
    """A merged cell keeps its value in its top cell: the lower header row named 序号 and 意见内容 column_1 and
    column_4 (CSV: Unnamed), so the upper row was taken for the header and the lower read as a row of data with
    no text (a reject, row 1), or, where the text's name is in the lower row, the ids were lost. Each empty name of
    the lower row is now the one above it. Found by h-fuzz5's office tables; fails before."""
    records, rejects = read_records([_two_row_header(tmp_path / name)])
    assert not rejects
    assert records["id"].tolist() == ["1", "2"] and records["text"].tolist() == ["建议增加夜班公交", "建议延长门诊时间"]
    assert records["row"].tolist() == [1, 2]


@pytest.mark.parametrize("name", ["notes.csv", "notes.xlsx"])
def test_a_first_data_row_with_an_empty_cell_is_not_taken_for_a_header_s_lower_row(tmp_path, name):
    """A first row of data with its text empty (only 备注 written) was taken for the lower row of a header of two,
    its empty cell named as the one above: the columns were 意见内容 and 已电话回访, the row lost without a word and
    the rows below numbered from 1. A lower row is taken only where it names a column the reader knows or one the
    upper row leaves unnamed (a heading merged across). Fails before."""
    rows = [["意见内容", "备注"], ["", "已电话回访"], ["建议增加夜班公交", ""], ["建议延长门诊时间", "已回访"]]
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    else:
        _workbook(path, {"s": [[v or None for v in row] for row in rows]})
    records, rejects = read_records([path])
    assert records["text"].tolist() == ["建议增加夜班公交", "建议延长门诊时间"] and records["row"].tolist() == [2, 3]
    assert [(r.row, r.field, r.code) for r in rejects] == [(1, "text", "empty_text")]


@pytest.mark.parametrize("name", ["建议.txt", "建议.csv", "建议.xlsx"])
def test_a_file_of_one_suggestion_a_line_reads_every_line(tmp_path, name):
    """A .txt (or a one-column sheet) of suggestions without a header, as an office types or pastes them: the first
    suggestion was read as the column's name, so lost, and the run said "no text column; columns are ['希望…']".
    Every line is now a row (row 1 the first), where the first ten are one cell each; a later line with a comma is
    one cell. A column under a name the reader knows (建议) is read under it as before. Found by h-fuzz5; fails
    before."""
    lines = ["希望尽快修好村口那条路", "", "建议在小区门口增设公交站点", "希望加大职业教育投入", "农村养老保险应该提高标准",
             *(f"多建公园{i}" for i in range(8))]
    path = tmp_path / name
    if name.endswith(".xlsx"):
        pd.DataFrame({"x": lines}).to_excel(path, index=False, header=False)
    else:
        path.write_text("\n".join(lines + ["建议公交延长运营时间, 方便夜班工人"]) + "\n", encoding="utf-8")
    records, rejects = read_records([path])
    assert not rejects
    assert records["text"].tolist()[:len(lines) - 1] == [lines[0], *lines[2:]] and records["row"].tolist()[0] == 1
    if not name.endswith(".xlsx"):
        assert records["text"].tolist()[-1] == "建议公交延长运营时间, 方便夜班工人" and len(records) == len(lines)
    path.write_text("建议\n修路\n建桥\n", encoding="utf-8") if not name.endswith(".xlsx") else None
    if not name.endswith(".xlsx"):
        assert read_records([path])[0]["text"].tolist() == ["修路", "建桥"]


def test_a_line_of_one_suggestion_a_line_opening_with_a_quote_is_one_row(tmp_path):
    """A .txt of one suggestion a line was read with CSV's quote rules: a line opening with ASCII " swallowed the
    lines below it into one suggestion, and with no closing quote the file failed ("EOF inside string"). Each line
    is now one row as written, quotes and all. Fails before."""
    lines = ["建议在小区门口增设公交站点", '"十五分钟生活圈"建设要加快', '"希望加大职业教育投入',
             "农村养老保险应该提高标准"]
    path = tmp_path / "建议.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, rejects = read_records([path])
    assert not rejects and records["text"].tolist() == lines and records["row"].tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize("lines", [
    ["建议公交延长运营时间, 方便夜班工人", "希望尽快修好村口那条路", "农村养老保险应该提高标准, 加大投入, 多建养老院"],
    ["建议公交延长运营时间, 方便夜班工人", "希望尽快修好村口那条路, 路灯也要修"]])
def test_a_txt_of_one_suggestion_a_line_with_commas_is_read_a_line_a_suggestion(tmp_path, lines):
    """A .txt of one suggestion a line whose first lines held an ASCII comma was read as CSV: line 1 was cut at its
    commas into column names, and the file failed for want of a text column (or the later lines were cut). A .txt
    is read a line a suggestion where line 1 is no header and the lines no table (their counts of cells differ, or
    none holds a number or a day); a table in a .txt, with its header or without, is read as before. Fails before."""
    path = tmp_path / "建议.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, rejects = read_records([path])
    assert not rejects and records["text"].tolist() == lines and records["row"].tolist() == list(range(1, len(lines) + 1))
    path.write_text("1,建议修路,2026-03-01\n2,建议建桥,2026-03-02\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    assert caught.value.code == "header_is_data"
    path.write_text("编号,内容\n1,建议修路\n2,建议建桥\n", encoding="utf-8")
    assert read_records([path])[0]["text"].tolist() == ["建议修路", "建议建桥"]


def test_a_one_column_file_under_a_name_the_reader_does_not_know_keeps_it_as_the_name(tmp_path):
    """A one-column file under a name the reader does not know (群众诉求) was read as one suggestion a line: its
    name became suggestion 1. A file is read so only where line 1 reads as a suggestion (longer than a name, a
    sentence's punctuation, a number or a day); else line 1 names the column, to be chosen. Fails before."""
    for name in ("诉求.txt", "诉求.xlsx"):
        path = tmp_path / name
        lines = ["群众诉求", "建议在小区门口增设公交站点", "希望加大职业教育投入"]
        if name.endswith(".xlsx"):
            pd.DataFrame({"x": lines}).to_excel(path, index=False, header=False)
        else:
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            read_records([path])
        assert caught.value.code == "no_text_column"
        assert read_records([path], ColumnMap(text=("群众诉求",)))[0]["text"].tolist() == lines[1:]
    short = tmp_path / "short.txt"
    short.write_text("修路！\n建议在小区门口增设公交站点\n", encoding="utf-8")
    assert read_records([short])[0]["text"].tolist() == ["修路！", "建议在小区门口增设公交站点"]


def test_a_first_line_of_short_words_says_it_may_be_data(tmp_path):
    """A file without a header whose first line is short words: a day among them (2026-03-01) is data, as a number
    is; without one (张三,李四,王五) the reader cannot tell it from names, and says so where none is a name it
    knows, so that naming a column (--text-col 李四) does not lose the line unawares. Fails before."""
    dated = tmp_path / "dated.csv"
    dated.write_text("张三,建议修路,2026-03-01\n李四,建议建桥,2026年3月2日\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([dated])
    assert caught.value.code == "header_is_data" and caught.value.row == 1
    names = tmp_path / "names.csv"
    names.write_text("张三,李四,王五\nu1,建议修路,城关镇\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([names])
    assert caught.value.code == "no_text_column" and "if line 1 is a row of data" in str(caught.value)
    known = tmp_path / "known.csv"  # a header of names, one of them known: no such words
    known.write_text("编号,时间\n1,2019-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([known])
    assert caught.value.code == "no_text_column" and "row of data" not in str(caught.value)


@pytest.mark.parametrize("name, content", [("gbk.csv", "意见内容,点赞数\n建议增加公交班次,3\n小区停车位不够,5\n"),
                                           ("gbk.jsonl", '{"text": "建议增加公交班次"}\n{"text": "小区停车位不够"}\n')])
def test_gb18030_under_a_utf8_byte_order_mark_is_read(tmp_path, name, content):
    """GB18030 text behind UTF-8's byte-order mark (a tool that writes the mark whatever it encodes): exit 2, "text
    is not valid utf-8-sig near data row 1", where the text is plain GB18030. Read as GB18030, the mark passed
    over; a UTF-8 file with its mark reads as before. Found by h-fuzz5 (brief); fails before."""
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("gb18030"))
    records, rejects = read_records([path])
    assert not rejects and records["text"].tolist() == ["建议增加公交班次", "小区停车位不够"]
    assert detect_encoding(path) == "gb18030-sig"
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    assert detect_encoding(path) == "utf-8-sig" and read_records([path])[0]["text"].tolist()[1] == "小区停车位不够"


@pytest.mark.parametrize("name", ["titled.csv", "form.xlsx"])
def test_rows_above_the_header_are_passed_over_and_said(tmp_path, name):
    """Two title rows above the header (XX区2026年意见征集汇总表, then a blank row or the form's upper header row):
    read below them as before, and now said (the CLI warns, the import page says it), for a row of suggestions
    above a header would be left out with them without a word. Fails before (nothing said)."""
    if name.endswith(".csv"):
        path = tmp_path / name
        path.write_text("XX区2026年意见征集汇总表,,\n,,\n序号,意见内容,时间\n1,建议增加夜班公交,2026-03-01\n",
                        encoding="gb18030")
        want = [(name, 1, "XX区2026年意见征集汇总表")]
    else:
        path, want = _two_row_header(tmp_path / name), [(name, 2, "XX区2026年意见征集汇总表")]
    stats = IngestStats()
    records = pd.concat(iter_batches([path], stats=stats))
    assert records["text"].tolist()[0] == "建议增加夜班公交" and stats.rows_above == want
    header_first = write_csv(tmp_path / "plain.csv", ROWS)
    stats = IngestStats()
    list(iter_batches([header_first], stats=stats))
    assert stats.rows_above == []
