"""Tables a person might hand in, as Hypothesis strategies: any subset of the usual columns in any order, under
English or Chinese headers, cells empty, huge (past the longest text taken), numbers as text, traditional
characters, emoji, zero-width characters, only punctuation, words no other row shares, times in many formats and
zones, likes as 1万 or -3, a header alone, one row or all rows identical, written as CSV in several encodings,
Excel's Unicode text, JSON Lines cut short or broken in the middle, a JSON array or a workbook with merged headings
(whose ids, likes and times may be numbers, the times Excel serial days); and as a district office sends them: two
title rows above the header, no header row at all, a trailing 合计 row, a header of two rows with merged cells, one
suggestion per line of a .txt, GB18030 behind UTF-8's byte-order mark. Shared by the engine's and the platform's properties."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st

COLUMNS = ["id", "text", "time", "user", "channel", "likes"]
# What each column may be called in a file: the English name, or a Chinese header the reader knows
HEADERS = {"id": ["id", "编号", "留言编号"], "text": ["text", "留言详情", "内容", "建议"],
           "time": ["time", "留言时间", "提交时间"], "user": ["user", "留言用户", "网民"],
           "channel": ["channel", "渠道", "来源"], "likes": ["likes", "点赞数", "支持数"]}
ODD_TEXTS = ["\u200b", "\u200b\u200d\ufeff\u2060", "建\u200b议\u200c放\u200d宽", "！！！？？？", "……——", "。", "?",
             "True", "inf", "nan", "1e400", "壹", "\u3000\u3000", "\U0001f600" * 3, "建议！\u202e反转"]
# punctuation, symbols, zero-width and direction marks only
ODD_CHARS = "，。！？、；：“”‘’（）《》【】…—·~!?.,;:'\"()[]{}<>@#%^&*_-+=|/\\ \u200b\u200c\u200d\u2060\ufeff\u202e\u3000"
ADVICE = ["建议放宽二套房限购政策，因为现在负担太重。", "希望加大职业教育投入，提高技能人才待遇。", "农村养老保险应该提高标准。",
          "建議擴大醫保報銷範圍，減輕看病負擔。", "长沙市岳麓区望月湖小区停车难，建议建立体停车场。",
          "請問臺灣同胞來大陸創業有什麼優惠政策？", "🚌🚌 公交太挤了 😡😡", "Please fix the bus line"]
TIMES = ["2020-08-16 08:00:00", "2020/8/29", "昨天", "", "1597536000", "2020-13-45", "2020-08-16T08:00:00+08:00",
         "2020年8月16日 8时", "1597536000000", "20200816", "2020-08-16T00:00:00Z", "2020-08-16 08:00:00 -0500",
         "Sun, 16 Aug 2020 08:00:00 GMT", "16/08/2020", "08/16/2020 8:00 PM", "2020-08-16T08:00:00.123456+05:45",
         "二〇二〇年八月十六日", "2020-08-16 25:61:00", "1899-12-30", "9999-12-31 23:59:59", "0", "-1", "nan", "NaT"]
cells = {
    "id": st.integers(-5, 10**12).map(str) | st.text(max_size=8) | st.sampled_from(["", "1", "1.0", "1E+05", "NA"]),
    "text": (st.sampled_from(ADVICE) | st.text(max_size=60)
             | st.sampled_from(["12345", "-1", "=1+1", "🙂🙂 建议多建公园 👍", "", " ", "\t\n", "NULL", "None"])
             | st.sampled_from(ODD_TEXTS) | st.text(alphabet=ODD_CHARS, min_size=1, max_size=12)
             | st.builds(lambda s, n: s * n, st.sampled_from(ADVICE), st.integers(100, 2500))  # up to ~50,000 chars
             | st.builds(lambda s: s * (100_001 // len(s) + 1), st.sampled_from(ADVICE))),  # past MAX_TEXT_CHARS
    "time": st.sampled_from(TIMES),
    # (a serial day, 44059.5, fails a CSV in one line: test_ingest_values; here it would end nearly every table early)
    "user": st.sampled_from(["u1", "u2", "", "0", "张三"]) | st.text(max_size=5),
    "channel": st.sampled_from(["人民网", "新华网", "", "app"]) | st.text(max_size=5),
    "likes": st.integers(-3, 10**6).map(str) | st.sampled_from(["", "many", "1.5", "1,234", "1.2万", "1万", "-3", "inf",
                                                                "1e309", "99999999999999999999", "３"]),
}
# How a table reaches the engine: CSV in an encoding (or two pasted together), Excel's "Unicode text", JSON Lines
# (a line of it cut short), one JSON array (or wrapped as an API's {"code": 0, "data": {"rows": [...]}}), a workbook
# with merged headings above its header (or its rows on two sheets under one header, a summary sheet between).
FORMATS = ["utf-8", "utf-8-sig", "gb18030", "mixed", "utf-16", "jsonl", "json", "xlsx", "json_wrapped", "xlsx_sheets",
           *(OFFICE := ["titled", "headerless", "total", "jsonl_broken", "xlsx_merged", "lines", "bom_gb18030"])]
TITLE = "XX区2026年意见征集汇总表"
# In a workbook a time may be a number: an Excel serial day (and a few that are no day at all)
SERIALS = [44059.5, 44059, 43466.125, 0.5, 1, 60, 61, -1, 2958465.99, 3e6, 1e300]


def _as_number(cell):
    """A cell that reads as a finite number, as a workbook stores it (a float); anything else as it is."""
    try:
        number = float(cell)
    except (TypeError, ValueError):
        return cell
    return number if abs(number) < 1e300 else cell


@st.composite
def tables(draw) -> tuple[pd.DataFrame, str]:
    """A table with any subset of the usual columns, and how its file is written."""
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6, unique=True))
    encoding = draw(st.sampled_from(FORMATS))
    numbers = encoding.startswith("xlsx") and draw(st.booleans())  # ids, likes and times stored as numbers
    pool = {**cells, "time": cells["time"] | st.sampled_from(SERIALS)} if numbers else cells
    n = draw(st.integers(1, 40))
    rows = [{c: draw(pool[c]) for c in columns} for _ in range(draw(st.sampled_from([0, 1, n, n])))]
    if rows and draw(st.booleans()):
        rows = rows * n  # every row identical
    frame = pd.DataFrame(rows, columns=columns)
    if numbers:
        for c in {"id", "likes", "time"} & set(columns):
            frame[c] = frame[c].map(_as_number).astype(object)
    names = {c: draw(st.sampled_from(HEADERS[c])) for c in columns}
    return frame.rename(columns=names), encoding


def suffix(encoding: str) -> str:
    return {"jsonl": ".jsonl", "jsonl_broken": ".jsonl", "json": ".json", "json_wrapped": ".json", "xlsx": ".xlsx",
            "xlsx_sheets": ".xlsx", "xlsx_merged": ".xlsx", "utf-16": ".txt", "lines": ".txt"}.get(encoding, ".csv")


def _workbook(frame: pd.DataFrame, path: Path, sheets: int = 1, merged: bool = False) -> None:
    """``frame`` below a merged title and merged group headings, as offices export it; on ``sheets`` sheets under
    one header (the first titled), a summary sheet between them; or (``merged``) under a header of two rows, the
    first column's name merged down both, the others' below a merged group heading, and a 合计 row last."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    width, size = len(frame.columns), -(-len(frame) // sheets)
    for k in range(sheets):
        if k:
            book.add_worksheet(f"汇总{k}").write_string(0, 0, "条数")
        sheet, top = book.add_worksheet(f"第{k + 1}镇"), 0 if k else 1
        if not k:
            (sheet.merge_range(0, 0, 0, width - 1, "导出的留言") if width > 1 else sheet.write_string(0, 0, "导出的留言"))
        if merged and not k:
            sheet.merge_range(top, 0, top + 1, 0, frame.columns[0])
            (sheet.merge_range(top, 1, top, width - 1, "留言信息") if width > 2
             else sheet.write_string(top, 1, "留言信息") if width > 1 else None)
            top += 1
        for j, name in enumerate([*frame.columns]):
            if not (merged and not k and j == 0):
                sheet.write_string(top, j, name)
        for i, values in enumerate(frame.iloc[k * size:(k + 1) * size].itertuples(index=False), start=top + 1):
            for j, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(i, j, value[:32767])  # a workbook cell holds no more
                else:
                    sheet.write_number(i, j, value)
        if merged and not k:
            sheet.write_string(top + 1 + len(frame), 0, "合计")
            sheet.write_string(top + 1 + len(frame), width - 1, f"{len(frame)}条") if width > 1 else None
    book.close()


def write(frame: pd.DataFrame, encoding: str, path: Path) -> None:
    if encoding.startswith("xlsx"):
        return _workbook(frame, path, 2 if encoding == "xlsx_sheets" else 1, merged=encoding == "xlsx_merged")
    if encoding in OFFICE:
        return _office_file(frame, encoding, path)
    if encoding in ("jsonl", "json", "json_wrapped"):
        lines = [json.dumps(r, ensure_ascii=False) for r in frame.to_dict("records")]
        if encoding == "json_wrapped":
            path.write_text(f'{{"code": 0, "data": {{"total": {len(lines)}, "rows": [' + ",\n".join(lines) + "]}}",
                            encoding="utf-8")
        elif encoding == "json":
            path.write_text("[" + ",\n".join(lines) + "]", encoding="utf-8")
        else:  # the last line cut short, as a copy interrupted leaves it
            cut = [lines[-1][: len(lines[-1]) // 2]] if len(lines) > 2 else lines[-1:]
            path.write_text("\n".join(lines[:-1] + cut), encoding="utf-8")
        return None
    text = frame.to_csv(index=False, sep="\t" if encoding == "utf-16" else ",")
    if encoding == "mixed":  # a file pasted together: the first half UTF-8, the rest GBK
        half = len(text) // 2
        data = text[:half].encode("utf-8") + text[half:].encode("gbk", errors="replace")
    else:
        data = text.encode(encoding, errors="replace")
    path.write_bytes(data)
    return None


def _office_file(frame: pd.DataFrame, kind: str, path: Path) -> None:
    """``frame`` as a district office writes it (:data:`OFFICE`)."""
    if kind == "jsonl_broken":  # a line in the middle cut short, a stray line of prose after it
        lines = [json.dumps(r, ensure_ascii=False) for r in frame.to_dict("records")]
        at = len(lines) // 2
        lines[at:at + 1] = [lines[at][: len(lines[at]) // 2], "（以下为补录）"] if lines else []
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    if kind == "lines":  # one suggestion per line, no header: the text column's cells (else the first column's)
        column = next((c for c in frame.columns if c in HEADERS["text"]), frame.columns[0])
        cells = frame[column].astype(str).str.replace(r"[\r\n]+", " ", regex=True)
        path.write_bytes(("\r\n".join(cells) + "\r\n").encode("utf-8"))
        return
    text = frame.to_csv(index=False, header=kind != "headerless", lineterminator="\r\n")
    width = max(len(frame.columns), 1)
    if kind == "titled":  # a title row, then a blank one, above the header; saved by Excel in GB18030
        text = TITLE + "," * (width - 1) + "\r\n" + "," * (width - 1) + "\r\n" + text
        path.write_bytes(text.encode("gb18030", errors="replace"))
        return
    if kind == "bom_gb18030":  # GB18030 behind UTF-8's byte-order mark
        path.write_bytes(codecs.BOM_UTF8 + text.encode("gb18030", errors="replace"))
        return
    if kind == "total":  # a 合计 row last, its count in the last column
        text += "合计" + "," * (width - 1) + (f"{len(frame)}" if width > 1 else "") + "\r\n"
    path.write_bytes(text.encode("utf-8-sig", errors="replace"))
