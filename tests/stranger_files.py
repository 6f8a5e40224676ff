"""The files a city office really hands over, built from the teddy2020 messages in a test's temporary directory.

Not our CSV: the competition's spreadsheets (附件) with their Chinese headers, and what Excel and WPS make of
them: a title row or merged group headings above the header, the table starting in column B, the data on the
third sheet, CSV in GB18030 or UTF-8 with a BOM, Excel's "Unicode text" (UTF-16, tabs), times as serial days or
Chinese dates, ids as 1.88006E+05, counts as "1,234", line breaks escaped as ``_x000D_``. Each variant carries
the records it must read as, so a test compares what was read with what was meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

TEDDY = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "teddy2020"
FILES = {"hot": "messages_hot.csv", "labeled": "messages_labeled.csv", "labeled_text": "messages_labeled_text.csv",
         "replied": "messages_replied.csv"}
# The 附件's own column names (一级分类 is the label; messages_labeled_text joined 留言主题 and 留言详情 into text)
CHINESE = {"id": "留言编号", "user": "留言用户", "title": "留言主题", "time": "留言时间", "body": "留言详情",
           "likes": "点赞数", "dislikes": "反对数", "reply": "答复意见", "reply_time": "答复时间", "label": "一级分类",
           "text": "留言详情"}
EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0


@dataclass
class Variant:
    path: Path
    expected: pd.DataFrame  # id, text, time (NaT where the file holds none), likes where the file has them
    rejected: tuple[tuple[int, str], ...] = ()  # (data row, field) of each row refused, with a reason


def source(name: str, rows: int) -> pd.DataFrame:
    """The first ``rows`` rows of a teddy2020 file, as strings, with the 附件's Chinese headers."""
    frame = pd.read_csv(TEDDY / FILES[name], dtype=str, keep_default_na=False).head(rows)
    return frame.rename(columns=CHINESE)


def expected(frame: pd.DataFrame, break_after: str = "") -> pd.DataFrame:
    """The records ``frame`` (Chinese headers, text cells) means: title and body joined by a line break; the
    body's first 。 followed by ``break_after``."""
    body = frame["留言详情"].str.replace("。", "。" + break_after, n=1, regex=False)
    text = (body if "留言主题" not in frame else frame["留言主题"] + "\n" + body).str.strip()
    out = pd.DataFrame({"id": frame.get("留言编号"), "text": text,
                        "time": pd.to_datetime(frame["留言时间"], format="%Y/%m/%d %H:%M:%S")
                        if "留言时间" in frame else pd.NaT})
    if "点赞数" in frame:
        out["likes"] = frame["点赞数"].astype("int64")
    return out


def cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a workbook holds it: ids and counts numbers, times dates, bodies padded and with CR LF."""
    out = frame.astype(object)
    for col in ("留言编号", "点赞数", "反对数"):
        if col in out and out[col].str.fullmatch(r"\d+").all():
            out[col] = out[col].astype("int64")
    for col in ("留言时间", "答复时间"):
        if col in out:
            out[col] = [t.to_pydatetime() for t in pd.to_datetime(out[col], format="%Y/%m/%d %H:%M:%S")]
    for col in ("留言详情", "答复意见"):
        if col in out:  # the 附件's bodies start with runs of line breaks and tabs (the dataset's README)
            out[col] = "\n\t\t\t" + out[col].str.replace("。", "。\r\n", n=1, regex=False) + "\n\t\t"
    return out


def workbook(path: Path, frame: pd.DataFrame, *, title: str | None = None, groups: bool = False, column: int = 0,
             sheets_before: int = 0) -> Path:
    """``frame`` written as Excel writes it (xlsxwriter: CR as ``_x000D_``), with a merged title row, merged group
    headings (the first over 2 columns, one of them a known header name), ``column`` empty columns before it, or
    ``sheets_before`` sheets of 填表说明 before it."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for k in range(sheets_before):
        note = book.add_worksheet("填表说明" if k == 0 else f"Sheet{k + 1}")
        note.write_string(0, 0, "填表说明：每行一条留言")
    sheet = book.add_worksheet("留言数据")
    width, row = len(frame.columns), 0
    if title:
        sheet.merge_range(0, column, 0, column + width - 1, title)
        row = 1
    if groups:
        sheet.merge_range(row, column, row, column + 1, "基本信息")
        if width > 3:
            sheet.merge_range(row, column + 2, row, column + width - 1, "留言内容")
        else:
            sheet.write_string(row, column + 2, "留言内容")
        row += 1
    for j, name in enumerate(frame.columns):
        sheet.write_string(row, column + j, name)
    for i, values in enumerate(frame.itertuples(index=False), start=row + 1):
        for j, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(i, column + j, value)
            elif hasattr(value, "year"):
                sheet.write_datetime(i, column + j, value, book.add_format({"num_format": "yyyy/m/d h:mm:ss"}))
            elif hasattr(value, "hour"):  # a time of day alone
                sheet.write_datetime(i, column + j, value, book.add_format({"num_format": "h:mm:ss"}))
            elif value is not None:
                sheet.write_number(i, column + j, value)
    book.close()
    return path


def text_file(path: Path, frame: pd.DataFrame, encoding: str, sep: str = ",", bom: bool = False) -> Path:
    """``frame`` saved as Excel or WPS saves a sheet: CR LF row ends, in ``encoding`` (led by its byte order
    mark where ``bom``)."""
    path.write_bytes(("\ufeff" * bom + frame.to_csv(index=False, sep=sep, lineterminator="\r\n")).encode(encoding))
    return path


def variants(name: str, folder: Path, rows: int = 20) -> dict[str, Variant]:
    """Every variant of teddy2020 file ``name`` (its first ``rows`` rows), written into ``folder``."""
    frame = source(name, rows)
    typed = cells(frame)
    stem = folder / name
    books = {
        "xlsx, Chinese headers": workbook(Path(f"{stem}.xlsx"), typed),
        "xlsx, title row above": workbook(Path(f"{stem}_title.xlsx"), typed, title="附件 群众留言（2019年）"),
        "xlsx, merged group headings": workbook(Path(f"{stem}_groups.xlsx"), typed, title="导出", groups=True),
        "xlsx, empty first column": workbook(Path(f"{stem}_col_b.xlsx"), typed, column=1),
        "xlsx, data on the third sheet": workbook(Path(f"{stem}_sheet3.xlsx"), typed, sheets_before=2),
    }
    texts = {
        "CSV, GB18030": text_file(Path(f"{stem}_gbk.csv"), frame, "gb18030"),
        "CSV, UTF-8 with BOM": text_file(Path(f"{stem}_bom.csv"), frame, "utf-8-sig"),
        "CSV, GB18030 with its BOM": text_file(Path(f"{stem}_gb_bom.csv"), frame, "gb18030", bom=True),
        "Unicode text (.txt)": text_file(Path(f"{stem}_unicode.txt"), frame, "utf-16", sep="\t"),
        "Unicode text (.csv)": text_file(Path(f"{stem}_unicode.csv"), frame, "utf-16", sep="\t"),
    }
    return ({kind: Variant(path, expected(frame, "\r\n")) for kind, path in books.items()}
            | {kind: Variant(path, expected(frame)) for kind, path in texts.items()})


def quirks(folder: Path, rows: int = 30) -> dict[str, Variant]:
    """messages_hot (every column) with one quirk each: times, ids, counts, escapes, only titles."""
    frame = source("hot", rows)
    want = expected(frame)
    times = want["time"]
    serial = ((times - EPOCH) / pd.Timedelta(days=1)).round(6)  # a workbook cell whose date format was lost
    written = [lambda t: f"{t.year}年{t.month}月{t.day}日", lambda t: t.strftime("%Y-%m-%dT%H:%M"),
               lambda t: f"{t.year}/{t.month}/{t.day}", lambda t: t.strftime("%Y/%m/%d %H:%M:%S"), lambda t: ""]
    as_written = [written[i % 5](t) for i, t in enumerate(times)]
    kept = [(t.floor("min") if i % 5 == 1 else t.normalize() if i % 5 in (0, 2) else t if i % 5 == 3 else pd.NaT)
            for i, t in enumerate(times)]
    out: dict[str, Variant] = {}

    def add(kind: str, path: Path, changed: pd.DataFrame | None = None, rejected=(), **columns) -> None:
        out[kind] = Variant(path, (changed if changed is not None else want).assign(**columns), rejected)

    typed = cells(frame).assign(留言时间=serial)
    add("xlsx, times as serial days", workbook(folder / "serial.xlsx", typed), text=expected(frame, "\r\n")["text"])
    add("CSV, times mixed (年月日, ISO, no time, blank)",
        text_file(folder / "mixed.csv", frame.assign(留言时间=as_written), "utf-8"), time=kept)
    mixed = cells(frame).assign(留言时间=[serial[i] if i % 5 == 4 else w or None for i, w in enumerate(as_written)])
    add("xlsx, times mixed with serial days", workbook(folder / "mixed.xlsx", mixed),
        text=expected(frame, "\r\n")["text"], time=[t if i % 5 == 4 else k for i, (t, k) in enumerate(zip(times, kept, strict=True))])
    add("CSV, every time blank", text_file(folder / "no_time.csv", frame.assign(留言时间=""), "utf-8"),
        time=pd.Series(pd.NaT, index=want.index))
    sci = frame["留言编号"].map(lambda i: f"{int(i):.5E}")
    add("CSV, ids as 1.88006E+05", text_file(folder / "sci.csv", frame.assign(留言编号=sci), "utf-8"))
    add("CSV, ids as 188006.0", text_file(folder / "float.csv", frame.assign(留言编号=frame["留言编号"] + ".0"),
                                          "utf-8"))
    kept_as_text = {c: '="' + frame[c] + '"' for c in ("留言编号", "留言时间", "点赞数")}  # for Excel to keep as written
    add('CSV, ids, times and counts as ="…"', text_file(folder / "formula.csv", frame.assign(**kept_as_text), "gb18030"))
    likes = [f"{int(n) * 1000:,}" if i % 3 == 0 else "" if i % 3 == 1 else n for i, n in enumerate(frame["点赞数"])]
    add("CSV, likes as 1,234 or blank", text_file(folder / "likes.csv", frame.assign(点赞数=likes), "utf-8"),
        likes=[int(n.replace(",", "") or 0) for n in likes])
    escaped = frame["留言详情"].str.replace("。", "。_x000D_\n", n=1, regex=False)
    add("CSV, line breaks as _x000D_", text_file(folder / "x000d.csv", frame.assign(留言详情=escaped), "utf-8"),
        text=expected(frame, "\r\n")["text"])
    huge = frame["留言详情"].mask(frame.index == 2, ("建议加强小区物业管理。" * 10**6)[:10**7])  # 10 MB in a cell
    add("CSV, a 10 MB cell", text_file(folder / "huge.csv", frame.assign(留言详情=huge), "utf-8"),
        want.drop(index=2), rejected=((3, "text"),))
    repeated = frame["留言编号"].mask(frame.index.isin([3, 6]), frame["留言编号"].iloc[0])
    add("CSV, ids repeated", text_file(folder / "repeated.csv", frame.assign(留言编号=repeated), "utf-8"),
        want.drop(index=[3, 6]), rejected=((4, "id"), (7, "id")))
    cleared = text_file(folder / "cleared.csv", frame, "gb18030")  # rows once used, then cleared, saved as ,,,,
    cleared.write_bytes(cleared.read_bytes() + ("," * (len(frame.columns) - 1) + "\r\n").encode() * 3)
    add("CSV, rows of separators only at the end", cleared)
    day_and_time = {"提交日期": [f"{t.year}/{t.month}/{t.day}" for t in times], "提交时间": times.dt.strftime("%H:%M:%S")}
    add("CSV, date and time in two columns (提交日期, 提交时间)",
        text_file(folder / "day_time.csv", frame.drop(columns="留言时间").assign(**day_and_time), "gb18030"))
    split = cells(frame).drop(columns="留言时间").assign(日期=[t.normalize().to_pydatetime() for t in times],
                                                        时间=[t.time() for t in times])
    add("xlsx, date and time in two columns (日期, 时间)", workbook(folder / "day_time.xlsx", split),
        text=expected(frame, "\r\n")["text"])
    width = len(frame.columns)
    for kind, above in (("group headings", "基本信息,,留言内容" + "," * (width - 3)),
                        ("a title row", "附件 群众留言（2019年）" + "," * (width - 1))):
        path = text_file(folder / f"above_{len(out)}.csv", frame, "gb18030")
        path.write_bytes(f"{above}\r\n".encode("gb18030") + path.read_bytes())
        add(f"CSV, {kind} above the header", path)
    joined = folder / "joined.csv"  # two exports pasted one below the other: the header again in row 6
    joined.write_bytes(text_file(joined, frame[:5], "utf-8").read_bytes()
                       + text_file(joined, frame[5:], "utf-8").read_bytes())
    add("CSV, two exports joined (the header again)", joined, rejected=((6, "*"),))
    add("CSV, only titles", text_file(folder / "titles.csv", frame[["留言编号", "留言主题"]], "utf-8"),
        want[["id", "time"]].assign(text=frame["留言主题"], time=pd.NaT))
    return out
