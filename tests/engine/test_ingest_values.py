"""Times and support counts as exports and people write them: read, or missing, never a failed run.

Found by exploring hostile files beside the Hypothesis tests: a time column where some rows carry a UTC offset
and some do not made pandas raise ("Mixed timezones detected") and ``minsheng analyze`` exit 1 with a
traceback; a likes cell of ``inf`` did the same; 2019年1月5日, epoch seconds and Excel serials were lost."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from minsheng.cli import main
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import ColumnMap, read_records

TIMES = {  # as written -> as read (local time, Asia/Shanghai)
    "2019/1/5 10:00": "2019-01-05 10:00",
    "2019-01-05T10:00:00+08:00": "2019-01-05 10:00",
    "2019-01-05 02:00:00Z": "2019-01-05 10:00",
    "2019-01-04 21:00:00-05:00": "2019-01-05 10:00",
    "2019年1月5日": "2019-01-05 00:00",
    "2019年1月5日 10时30分": "2019-01-05 10:30",
    "2019年01月05日 10:30:15": "2019-01-05 10:30:15",
    "2019年1月5日 下午3点": "2019-01-05 15:00",  # a part of the day before the hour, and an hour alone
    "2019/1/5 下午 3:30": "2019-01-05 15:30",
    "2019年1月5日晚上8时": "2019-01-05 20:00",
    "2019年1月5日 上午10时": "2019-01-05 10:00",
    "2019年1月5日 中午12点": "2019-01-05 12:00",
    "1546653600": "2019-01-05 10:00",          # epoch seconds
    "1546653600000": "2019-01-05 10:00",       # epoch milliseconds
    "100000000001": "1973-03-03 17:46:40.001",  # pandas read the rest as datetime64[s]: assigning ms raised
    "9999999999": None,                         # beyond 2099 as seconds, too small as milliseconds
    "9223372036854": None,                      # milliseconds beyond what datetime64[ns] holds: raised
    "1e12": None,
    "garbage": None,
    "": None,
    "0": None,
    "9999-12-31": None,
    "1677-09-22": None,                         # the edges of datetime64[ns]: hot issues' day count overflowed
    "2262-04-10": None,
    "2019年1月5日 星期六": "2019-01-05 00:00",  # Chinese Excel's long date, saved as shown
    "2019年1月5日星期六 10:30": "2019-01-05 10:30",
    "10:30:00": None,                           # a time of day alone was today's date
    "1月5日": None,                             # a day without its year was this year
    "19-1-5": None,                             # two digits of the year were read as 2005-01-19
    "２０１９－０１－０５ １０：３０": "2019-01-05 10:30",  # full-width digits (a Chinese IME's): no time before
    "２０１９/１/５": "2019-01-05 00:00",
    "2099-01-05 10:00": None,                   # after tomorrow (2099 for 2019): the reports' axis ran to 2099
    "4102444800": None,                         # 2100 in epoch seconds
}


def _csv(tmp_path, header: str, rows: list[tuple]) -> str:
    path = tmp_path / "in.csv"
    frame = pd.DataFrame(rows, columns=header.split(","))
    path.write_text(frame.to_csv(index=False), encoding="utf-8")
    return str(path)


def test_times_in_any_common_form_and_offsets_mixed_are_read(tmp_path):
    path = _csv(tmp_path, "id,text,time", [(i, f"建议{i}", t) for i, t in enumerate(TIMES)])
    records, rejects = read_records([path])
    assert not rejects
    expected = [pd.Timestamp(t) if t else pd.NaT for t in TIMES.values()]
    assert records["time"].tolist() == expected


@pytest.mark.parametrize("sep", ["/", ".", "-"])
def test_a_column_written_day_first_is_read_day_first_in_every_cell(tmp_path, sep, caplog):
    """pandas read 05/08/2020 as 8 May and 13/08/2020 as 13 August: a day-first column came back half in the wrong
    month without a word. One cell whose first number is over 12 tells the whole column; a column where no cell
    tells stays month first and says so in the log."""
    written = [f"05{sep}08{sep}2020 10:00", f"13{sep}08{sep}2020", f"1{sep}2{sep}2021", "2020-09-01", ""]
    path = _csv(tmp_path, "id,text,time", [(i, f"建议{i}", t) for i, t in enumerate(written)])
    records, _ = read_records([path])
    assert records["time"].tolist() == [pd.Timestamp("2020-08-05 10:00"), pd.Timestamp("2020-08-13"),
                                        pd.Timestamp("2021-02-01"), pd.Timestamp("2020-09-01"), pd.NaT]
    month_first = _csv(tmp_path, "id,text,time", [(0, "甲", f"05{sep}08{sep}2020"), (1, "乙", f"08{sep}13{sep}2020")])
    assert read_records([month_first])[0]["time"].tolist() == [pd.Timestamp("2020-05-08"), pd.Timestamp("2020-08-13")]
    assert "day or month first" not in caplog.text
    untold = _csv(tmp_path, "id,text,time", [(0, "甲", f"05{sep}08{sep}2020")])
    assert read_records([untold])[0]["time"].tolist() == [pd.Timestamp("2020-05-08")]
    assert "could be day or month first" in caplog.text


def test_support_counts_as_people_write_them(tmp_path):
    written = {"1,234": 1234, "1.2万": 12000, "3k": 3000, "-": 0, "3.0": 3, "inf": 0, "-inf": 0, "nan": 0,
               "1e400": 0, "-5": 0, "99999999999999999999999": 10**12, "": 0, "多": 0,
               "１２": 12, "３": 3, "１，２３４": 1234, "１．２万": 12000}  # full-width digits were 0, without a word
    path = _csv(tmp_path, "id,text,likes", [(i, f"建议{i}", v) for i, v in enumerate(written)])
    records, _ = read_records([path])
    assert records["likes"].tolist() == list(written.values())


def test_a_file_with_offsets_mixed_and_infinite_likes_is_analysed(tmp_path):
    rows = [(i, f"建议增加{i}号公交线路的班次", t, v)
            for i, (t, v) in enumerate([("2019-01-05 10:00:00", "1"), ("2019-01-05T10:00:00+08:00", "inf"),
                                        ("2019年1月6日", "1.2万")])]
    path = _csv(tmp_path, "id,text,time,likes", rows)
    assert main(["analyze", path, "--out", str(tmp_path / "out"), "--quiet", "--no-report", "--workers", "1"]) == 0


def test_reply_times_mixed_with_offsets_and_chinese_dates_are_read(tmp_path):
    """The reply's time is an extra column read by the replies step: the same forms as the message's time."""
    rows = [(1, "小区路灯不亮，请尽快维修。", "2019-01-05 10:00:00", "已责成街道于1月8日修复路灯。", "2019-01-08T10:00:00+08:00"),
            (2, "公交站台破损，建议修缮。", "2019-01-05 10:00:00", "已安排维修，预计下周完成。", "2019年1月12日 10时00分")]
    path = _csv(tmp_path, "id,text,time,答复意见,答复时间", rows)
    out = tmp_path / "out"
    assert main(["analyze", path, "--out", str(out), "--quiet", "--no-report", "--workers", "1"]) == 0
    replies = pd.read_csv(out / "replies.csv")
    assert replies.sort_values("id")["timeliness_days"].round(2).tolist() == [3.0, 7.0]


def test_a_typed_parquet_time_at_the_edge_of_what_pandas_holds_is_no_time(tmp_path):
    """Found by the hostile-file set on two workers: Parquet timestamps of 1677 and 2262 were kept, and the
    hot-issue stage's (time - 2000-01-01) raised OverflowError: exit 1 with a traceback."""
    path = tmp_path / "edge.parquet"
    pd.DataFrame({"id": ["1", "2", "3"], "text": ["建议增加公交线路", "建议延长门诊时间", "建议增加公交班次"],
                  "time": pd.to_datetime(["1677-09-22", "2262-04-10", "2020-08-16"])}).to_parquet(path)
    out = tmp_path / "out"
    assert main(["analyze", str(path), "--out", str(out), "--quiet", "--no-report", "--workers", "2",
                 "--batch-rows", "2"]) == 0


def test_a_number_is_an_excel_serial_day_only_in_a_workbook(tmp_path):
    """43470.5 in a workbook's cell whose date format was lost is 2019-01-05 12:00; and a date cell is a date."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "text", "时间"])
    book.active.append(["1", "建议增加公交", 43470.5])
    book.active.append(["2", "建议延长门诊", datetime.datetime(2019, 1, 6, 9, 30)])
    book.save(tmp_path / "in.xlsx")
    records, _ = read_records([tmp_path / "in.xlsx"])
    assert records["time"].tolist() == [pd.Timestamp("2019-01-05 12:00"), pd.Timestamp("2019-01-06 09:30")]


@pytest.mark.parametrize("name", ["in.csv", "in.jsonl"])
def test_a_number_like_a_serial_day_in_a_text_file_fails_in_one_line_naming_file_row_and_field(tmp_path, capsys,
                                                                                                name):
    """A CSV whose time column holds seconds of a duration (36000) or serials saved from a sheet was read as dates
    of 1954-2119 without a word."""
    path = tmp_path / name
    rows = [("1", "建议增加公交", "2019-01-05 10:00"), ("2", "建议延长门诊", "36000"), ("3", "建议多建公园", "43470.5")]
    if name.endswith(".csv"):
        path.write_text("id,text,时长\n" + "".join(f"{i},{t},{v}\n" for i, t, v in rows), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps({"id": i, "text": t, "时长": v}, ensure_ascii=False) + "\n"
                                for i, t, v in rows), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path], ColumnMap(time="时长"))
    assert (caught.value.file, caught.value.row, caught.value.field) == (name, 2, "时长")
    assert main(["analyze", str(path), "--time-col", "时长", "--out", str(tmp_path / "out"), "--quiet",
                 "--no-report"]) == 2
    said = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(said) == 1 and name in said[0] and "2" in said[0] and "时长" in said[0] and "36000" in said[0]


@pytest.mark.parametrize("written", ["1.23457E+11", "1.23457e+11", "1E+12", "2.1E+15"])
def test_ids_excel_cut_to_scientific_notation_fail_in_one_line_naming_file_row_and_column(tmp_path, written):
    """Two 12-digit ids Excel showed as 1.23457E+11 and saved so were one id: the second message was rejected
    as a duplicate of the first, without a word that the ids had lost their digits."""
    path = tmp_path / "导出.csv"
    path.write_text(f"留言编号,留言详情\n{written},建议增加公交\n{written},建议延长门诊时间\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records([path])
    error = caught.value
    assert (error.file, error.row, error.field, error.code) == ("导出.csv", 1, "留言编号", "ids_rounded")
    assert "\n" not in str(error) and written in str(error)


@pytest.mark.parametrize("written", ["1.88006E+05", "1.880060E+05", "188006.0"])
def test_ids_in_scientific_notation_with_every_digit_are_read_as_the_whole_number(tmp_path, written):
    path = tmp_path / "导出.csv"
    path.write_text(f"留言编号,留言详情\n{written},建议增加公交\n", encoding="utf-8")
    assert read_records([path])[0]["id"].tolist() == ["188006"]


def test_a_ten_megabyte_cell_in_a_json_array_is_its_row_s_reject(tmp_path):
    """A 10 MB cell of Chinese in a JSON array is rejected as too long, naming its row, and the rest is read.
    Its cost is measured, not asserted here (timed tests flake on a shared host): yajl lexed a string spanning its
    64 KB chunks again from the start at every chunk, 15 CPU-s for this file; 1.3 in 1 MB chunks
    (docs/engine/robustness.md)."""
    text = "建议放宽二套房限购政策，因为现在负担太重。" * 476_200  # 10 MB of characters, 30 MB of UTF-8
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"id": 1, "text": "短"}, {"id": 2, "text": text}], ensure_ascii=False), "utf-8")
    records, rejects = read_records([path])
    assert records["id"].tolist() == ["1"] and [r.row for r in rejects] == [2]


def test_a_cell_only_day_first_reads_in_a_month_first_column_of_mixed_offsets_without_a_pandas_warning(recwarn):
    """Offsets mixed send the column to pandas value by value; in a column that also holds 12/25/2019 (month
    first), 13/01/2020 has one reading, day first, and pandas warned of it on stderr ("Parsing dates in %d/%m/%Y
    format when dayfirst=False") beside a finished analysis. The cells are read as before, and nothing is printed
    (seen searching stranger files on workers, h-fuzz2)."""
    from minsheng.engine.values import parse_times

    written = ["2020-01-02T03:04:00+08:00", "2020-01-02T03:04:00+00:00", "13/01/2020", "12/25/2019"]
    assert parse_times(pd.Series(written)).tolist() == [pd.Timestamp("2020-01-02 03:04"), pd.Timestamp("2020-01-02 11:04"),
                                        pd.Timestamp("2020-01-13"), pd.Timestamp("2019-12-25")]
    assert not [w for w in recwarn if "dayfirst" in str(w.message)]


def test_a_time_after_tomorrow_is_no_time_and_said_so(tmp_path, caplog):
    """Times run to tomorrow in the platform's zone (a clock a little fast, as the partner API allows)."""
    from minsheng.engine.pipeline import AnalyzeOptions, analyze
    from minsheng.engine.values import latest

    now = latest() - pd.Timedelta(days=1)
    written = [now - pd.Timedelta(days=3), now + pd.Timedelta(hours=20), now + pd.Timedelta(days=2)]
    path = _csv(tmp_path, "id,text,time", [(i, f"建议增加{i}路公交", t.strftime("%Y-%m-%d %H:%M")) for i, t in enumerate(written)])
    with caplog.at_level("WARNING", logger="minsheng.engine.pipeline"):
        result = analyze([path], AnalyzeOptions(workers=1), [])
    assert result.records["time"].notna().tolist() == [True, True, False]
    assert result.summary["unparsed_times"] == 1
    assert "could not be read or is after tomorrow" in caplog.text and "in.csv row 3, field time" in caplog.text
