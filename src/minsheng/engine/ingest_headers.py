"""Ingest's header reading: which column names the reader knows (:data:`AUTO_HEADERS`, :class:`ColumnMap`) and
where a file's header is. A title or a note above it, a header of two rows (a heading merged across, a name merged
down), a file of one suggestion a line with no header at all, a first line that is data; and the rows below the
header that are no suggestion (the header again, a total row). :mod:`minsheng.engine.ingest` reads the rows."""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from minsheng.engine.errors import InputError
from minsheng.engine.values import unreadable_counts

AUTO_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "留言编号", "序号", "message_id", "suggestion_id", "external_id", "编码"),
    "title": ("title", "主题", "标题", "留言主题", "subject"),
    "body": ("body", "详情", "内容", "留言详情", "正文", "text", "content", "suggestion", "建议", "留言内容",
             "message", "建议内容", "意见", "意见建议", "意见内容"),
    "time": ("time", "时间", "留言时间", "created_at", "timestamp", "submitted_at", "提交时间", "来信时间"),
    # the day, where the time of day is a column of its own (日期 + 时间): the two are read as one time
    "date": ("date", "日期", "提交日期", "留言日期", "来信日期", "发布日期", "创建日期"),
    "user": ("user", "用户", "留言用户", "user_id", "author", "作者", "提交人", "网民"),
    "channel": ("channel", "渠道", "来源", "平台", "outlet"),
    # where a suggestion comes from (a province, a city, a district), as the platform's 地区: the reports break down by it;
    # a district's own offices file by town and street (所属街道, 乡镇)
    "region": ("region", "地区", "所在地区", "所属地区", "地域", "区域", "所在区域", "所在地", "省份", "地市", "区县",
               "所属街道", "街道", "所属乡镇", "乡镇", "乡镇街道", "乡镇（街道）", "镇街", "所属镇街",
               "province", "area"),
    "likes": ("likes", "点赞数", "点赞", "赞成数", "支持数", "upvotes"),
    "dislikes": ("dislikes", "反对数", "踩", "downvotes"),
    # the answer published to a message, and when: scored by the replies step when a file has them
    "reply": ("reply", "答复意见", "答复", "答复内容", "回复", "回复内容", "answer", "response"),
    "reply_time": ("reply_time", "答复时间", "回复时间", "replied_at", "answer_time"),
}
# Names of a column that counts the rows (序号: a row's place in the list, begun again in each export): an id
# column under such a name numbers the file's rows, it does not name suggestions across files (a platform import
# keys re-imports by the id, and never by these)
ROW_COUNTERS = ("序号", "行号", "no.", "no", "#", "row", "row_no", "序")


def role_finder(headers: Sequence[str]):
    """``find(role)``: the header that plays ``role`` (:data:`AUTO_HEADERS`, case-insensitive, first match wins)."""
    lower = {h.strip().lower(): h for h in headers}
    return lambda role: next((lower[c] for c in AUTO_HEADERS[role] if c in lower), None)


@dataclass(frozen=True)
class ColumnMap:
    """Which input columns play which role. ``text`` columns are joined with a newline."""

    id: str | None = None
    text: tuple[str, ...] = ()
    time: str | None = None
    user: str | None = None
    channel: str | None = None
    extra: tuple[str, ...] = ()
    likes: str | None = None  # support counts, read as ``likes`` / ``dislikes`` (they weigh in hot issues)
    dislikes: str | None = None
    date: str | None = None  # the day when ``time`` holds only the time of day (日期 + 时间 in two columns)
    region: str | None = None  # where the suggestion comes from (地区, 省份…): read as ``region`` when given
    # Every role it wants is named: a role left None reads no column, where it is otherwise detected from the
    # header (the platform's import page, on which （无） picked for a column it found means none).
    exact: bool = False

    @classmethod
    def detect(cls, headers: Sequence[str], *, extra: Sequence[str] = ()) -> ColumnMap:
        """Guess the mapping from a header row (case-insensitive, first match wins)."""
        find = role_finder(headers)
        text = tuple(c for c in (find("title"), find("body")) if c)
        time, date = find("time"), find("date")
        return cls(id=find("id"), text=text, time=time or date, user=find("user"), channel=find("channel"),
                   extra=tuple(extra), likes=find("likes"), dislikes=find("dislikes"), date=date if time else None,
                   region=find("region"))

    def merged(self, override: ColumnMap | None) -> ColumnMap:
        """Detected mapping with every role the user named replaced by the user's choice."""
        if override is None:
            return self
        if override.exact:
            return override
        return ColumnMap(
            id=override.id or self.id,
            text=override.text or self.text,
            time=override.time or self.time,
            user=override.user or self.user,
            channel=override.channel or self.channel,
            extra=override.extra or self.extra,
            likes=override.likes or self.likes,
            dislikes=override.dislikes or self.dislikes,
            date=override.date or self.date,
            region=override.region or self.region,
        )

    def used(self) -> list[str]:
        return list(dict.fromkeys(c for c in (self.id, *self.text, self.time, self.user, self.channel, *self.extra,
                                              self.likes, self.dislikes, self.date, self.region) if c))


def rows_above_header(path: Path, sep: str, encoding: str, wanted) -> tuple[int | None, int, list | None, tuple]:
    """How many rows stand above the header in a text file, not counting blank lines (pandas' ``header``; None:
    no header, :func:`_one_suggestion_a_line`) and counting them (its line numbers): a title or group headings, as in a
    workbook (:func:`_best_header`); the header's names where one is the upper row's, merged down
    (:func:`_merged_down`; else None); and the rows above with a cell written: how many, the first one's words
    (:func:`_first_words`).

    Why: a CSV saved from such a sheet took its group headings for the header, and with 留言内容 among them read
    the column below it (the times) as the messages, and the header as a message."""
    rows = _first_rows(path, sep, encoding)
    found = _best_header(([v.strip() or None for v in row] for row in rows), wanted)
    at = found.at if found else 0
    if (at and not found.known and len(rows[0]) > 1 and not any(v.strip() for v in rows[0])
            and _reads_as_data(found.cells)):
        # The first data row was taken for the header: it was lost, and the page offered its cells as column names
        raise InputError("the header (line 1) has no column names and the line below it is data (a table pasted "
                         "under an empty header row?): write the column names into line 1, such as id,text,time",
                         file=path.name, code="header_empty")
    plain = _first_rows(path, sep, encoding, csv.QUOTE_NONE)
    if found is not None and not found.known and _one_suggestion_a_line(plain, path.suffix.lower() == ".txt"):
        return None, at, None, (0, "")
    merged = found is not None and at and found.cells != _trimmed(v.strip() or None for v in rows[at])
    written = [row for row in rows[:at] if any(v.strip() for v in row)]
    return (sum(1 for row in rows[:at] if row), at, found.cells if merged else None,
            (len(written), _first_words(written)))


def _first_rows(path: Path, sep: str, encoding: str, quoting: int = csv.QUOTE_MINIMAL) -> list[list[str]]:
    """The first :data:`HEADER_ROWS` rows of a text file split at ``sep``, by CSV's quote rules or, ``quoting``
    ``csv.QUOTE_NONE``, a quote being a letter: as a file of one suggestion a line is read
    (:func:`_one_suggestion_a_line`; by the quote rules a line opening with " swallowed the lines below it). A cell
    over csv's limit (128 KB) ends them: the rows before it are looked at."""
    rows: list[list[str]] = []
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            rows.extend(itertools.islice(csv.reader(fh, delimiter=sep, quoting=quoting), HEADER_ROWS))
    except (OSError, csv.Error):
        pass
    return rows


def _written(cell) -> bool:
    """Whether a cell holds something: not None, not blank."""
    return cell is not None and str(cell).strip() != ""


def _first_words(rows: Iterable) -> str:
    """The first cell written in ``rows`` (the rows above a header: its title, mostly), shortened to 40 characters."""
    cell = next((str(v).strip() for row in rows for v in (row or ()) if _written(v)), "")
    return cell if len(cell) <= 40 else cell[:39] + "…"


TEXT_LINES = "text"  # the column of a file of one suggestion a line
UNIT_SEPARATOR = "\x1f"  # a separator no text holds: a line of such a file is one cell, commas and all


def _one_suggestion_a_line(rows: list[list[str]], plain_text: bool = False) -> bool:
    """Whether the first ``rows`` of a text file are one suggestion a line, no header, as an office types or pastes
    them: each line one cell, line 1 no column name the reader knows but a suggestion
    (:func:`_reads_as_a_suggestion`). In a ``plain_text`` file (a .txt), whose lines may hold commas, also lines of
    several cells where line 1 is no header (no name the reader knows, a cell a suggestion) and the lines no table:
    they do not share one count of cells, or no cell among them is data (a number, a day: :func:`_reads_as_data`).
    Why: the first suggestion was read as the column's name, so lost, and the run said "no text column; columns are
    ['建议在小区门口增设公交站点…']"; and a .txt whose first lines held a comma was read as CSV, its suggestions cut
    at their commas."""
    cells = [row for row in rows if any(v.strip() for v in row)]
    if not cells or _known_names(cells[0]) or not any(_reads_as_a_suggestion(v.strip()) for v in cells[0]):
        return False
    if all(len(row) == 1 for row in cells):
        return True
    a_table = len({len(row) for row in cells}) == 1 and any(_reads_as_data([v.strip() for v in row]) for row in cells)
    return plain_text and not a_table


_SENTENCE_MARKS = re.compile(r"[，。！？；、,.!?;]")


def _reads_as_a_suggestion(cell: str) -> bool:
    """Whether a cell of a headerless file's line 1 reads as a suggestion, not a column's name: longer than a name
    (8 characters), or with a sentence's punctuation, or data (a number, a day: :func:`_reads_as_data`). Why: a
    column under a name the reader does not know (群众诉求) was read as one suggestion a line, its name imported as
    suggestion 1."""
    return len(cell) > 8 or _SENTENCE_MARKS.search(cell) is not None or _reads_as_data([cell])


def _reads_as_data(cells: list) -> bool:
    """Whether a row looks like data, not a header's names: a cell is a number, a day (2026-03-01, 2026年3月1日)
    or longer than a name."""
    def number(cell) -> bool:
        try:
            float(cell)
        except (TypeError, ValueError):
            return False
        return True

    return any(isinstance(cell, str) and (number(cell) or len(cell) > 50 or _A_DAY.match(cell) is not None)
               for cell in cells)


_A_DAY = re.compile(r"\s*(1[89]|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")  # 2026-03-01, 2026/3/1 9:00, 2026年3月1日


HEADER_ROWS = 10  # a title, a note or merged group headings above the header: rows looked at, per sheet or text file
HEADER_SHEETS = 10  # a workbook's sheets looked at for the one holding the text column


def workbook_header(sheets: Sequence, path: Path, wanted) -> tuple[list[tuple[str, Iterator]], list, list[str], tuple]:
    """The sheets to read, each (its name, its rows after its header), the header, the later sheets left out
    though their header names a text column (:func:`_same_header`), and the rows above the header in the first
    sheet read (how many, the first one's words: :func:`_first_words`). The header: in the first sheet (of the
    first ten) whose first ten rows hold the text column, the header :func:`_best_header` finds; else the first
    sheet's first row that is not empty. ``sheets`` are (name, a function giving the sheet's rows, tuples of cell
    values, from its first).

    Why: government workbooks put 填表说明 on the first sheet, or a title (XX市12345热线导出) or merged group
    headings above the header; reading row 1 of sheet 1 found no text column, and the import page offered only
    the title to choose from. Every later sheet under the same header is read too (:func:`_same_header`)."""
    first = None
    for number, (name, rows) in enumerate(sheets[:HEADER_SHEETS], start=1):
        found = _best_header(itertools.islice(rows(), HEADER_ROWS), wanted)
        if found is not None and (first is None or found.known):
            first = (number, name, rows, found.at, found.cells)
        if found is not None and found.known:
            break
    if first is None:
        raise InputError("workbook has no rows", file=path.name, code="xlsx_unreadable")
    number, name, rows, at, header = first
    if _first_line(rows, wanted) is not None:  # one suggestion a row, no header
        return [(name, itertools.islice(rows(), at, None)), *_sheets_of_lines(sheets[number:], wanted)], \
            [TEXT_LINES], [], (0, "")
    read, unread = _same_header(sheets[number:], header, wanted)
    above = [values for values in itertools.islice(rows(), at) if _trimmed(values)]
    return [(name, itertools.islice(rows(), at + 1, None)), *read], header, unread, (len(above), _first_words(above))


def _sheets_of_lines(later: Sequence, wanted) -> list[tuple[str, Iterator]]:
    """The sheets among ``later`` of one suggestion a row, no header (:func:`_first_line`), each (its name, its rows
    from its first written): those of a workbook whose first sheet is so. Why: only the first sheet was read,
    the others left out without a word. Another sheet (a summary) is left out, as under a header: one naming a
    text column would have been the sheet read (:func:`workbook_header`)."""
    return [(name, itertools.islice(rows(), at, None)) for name, rows in later
            if (at := _first_line(rows, wanted)) is not None]


def _first_line(rows, wanted) -> int | None:
    """Where a sheet of one suggestion a row, no header (:func:`_one_suggestion_a_line`), has its first row
    (``rows``: a function giving its rows); None where the sheet is no such sheet."""
    top = [[str(v) for v in _trimmed(values)] for values in itertools.islice(rows(), HEADER_ROWS)]
    found = _best_header(top, wanted)
    return found.at if found is not None and not found.known and _one_suggestion_a_line(top) else None


def _same_header(later: Sequence, header: list, wanted) -> tuple[list[tuple[str, Iterator]], list[str]]:
    """The sheets among ``later`` whose header (below its own title, if any) has the same names as ``header``, each
    (its name, its rows after its header); and the names of those with rows under another header that names a
    text column. Why: a district office sends one sheet per town or per month, and only the first was read, the
    others' suggestions left out without a word (then, for a while, the workbook refused). A sheet under another
    header (a summary, 填表说明), or with no row in the first ones below its header, is not read; one whose header
    names a text column may hold suggestions, so the reader says it left it out."""
    names = header_names(header)
    read, unread = [], []
    for name, rows in later:
        top = list(itertools.islice(rows(), 2 * HEADER_ROWS))  # the header's rows and some below
        found = _best_header(top[:HEADER_ROWS], wanted)
        if found is None or not any(values and any(map(_written, values)) for values in top[found.at + 1:]):
            continue
        if header_names(found.cells) == names:
            read.append((name, itertools.islice(rows(), found.at + 1, None)))
        elif found.known or ColumnMap.detect(header_names(found.cells)).text:  # by the mapping chosen, or by name
            unread.append(name)
    return read, unread


class _Header(NamedTuple):
    """A row found for the header (:func:`_best_header`)."""

    known: int  # how many columns it names that play a role (0: no text column among them)
    at: int  # its index among the rows looked at
    cells: list  # its cells, trimmed, a name merged down from the row above where a cell was empty


def _best_header(rows: Iterable, wanted) -> _Header | None:
    """The :class:`_Header` of the row among ``rows`` that names the most columns the reader
    knows, by the user's mapping (``wanted``) or by name, the first of equals; the first row that is not empty
    (and 0) when none names the text column; None when every row is empty. A group heading may itself be a known
    name (留言内容 over 留言主题 and 留言详情): taken for the header, it made the titles the text and lost every
    time, id and count below it."""
    def known(names: list[str]) -> int:  # columns the header names that play a role; 0 without a text column
        if wanted:
            return len(wanted(names) or ())
        mapping = ColumnMap.detect(names)
        return len(mapping.used()) if mapping.text else 0

    best = first = above = None
    for at, values in enumerate(rows):
        if not _trimmed(values):
            continue
        header, lower = _merged_down(list(values), above)
        lower = lower and _names_a_column(list(values), above[1])
        header = _trimmed(header)
        score = known(header_names(header))
        if score and (best is None or score > best.known or (lower and score == best.known and best.at == above[0])):
            best = _Header(score, at, header)
        first = first or _Header(0, at, header)
        above = (at, header)
    return best or first


def _names_a_column(lower: list, upper: list) -> bool:
    """Whether ``lower``, a row below ``upper`` with a cell empty, names a column as a header's lower row does: one
    of its cells is a name the reader knows, or stands where ``upper`` names nothing (under a heading merged
    across, 提交人信息 over 姓名 and 电话). Why: a first row of data with its text empty (,已电话回访 under
    意见内容,备注) was taken for a header's lower row: the row was lost, the 备注 column named by its cell."""
    return _known_names([str(v).strip() for v in lower if _written(v)]) or any(
        _written(v) and (j >= len(upper) or not _written(upper[j])) for j, v in enumerate(lower))


def _merged_down(header: list, above: tuple[int, list] | None) -> tuple[list, bool]:
    """``header`` with each empty cell named as the cell above it (``above``: the row before, (index, cells)), and
    whether one was: the lower row of a header of two, a column's name merged down both rows (序号, 意见内容) beside a
    heading merged across (提交人信息 over 姓名 and 电话). Why: a merged cell keeps its value in its top cell only,
    so the lower row, the one that names every column, named those columns column_1, and their ids were lost (or
    the upper row won, and the lower became a row of data with no text)."""
    if above is None or all(map(_written, header)):
        return header, False
    cells = above[1]
    header = header + [None] * (len(cells) - len(header))  # a row read as long as its own cells
    filled = [cells[j] if not _written(v) and j < len(cells) and _written(cells[j]) else v
              for j, v in enumerate(header)]
    return filled, filled != header


def _trimmed(values) -> list:
    """A row's cells without the empty ones at its end (a row of none written: [])."""
    header = list(values or ())
    while header and not _written(header[-1]):
        header.pop()
    return header


def header_names(header: list) -> list[str]:
    """A header's cells as column names, an empty one named by its place (column_3)."""
    return [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]


def check_header_names(headers: Sequence[str], text: Sequence[str], file: str) -> None:
    """Fail where no text column was found under a first line that reads as data (a number, a long cell): a file
    written without a header row. Why: its first row was read as the names, so lost, and the user was told "no
    text column; columns are ['1', '建议在小区门口增设公交站点…']", or offered them as the columns to choose from."""
    if not text and _reads_as_data([str(h) for h in headers]):
        raise InputError(f"line 1 looks like a row of data, not column names ({list(headers)[:3]}…): write a header "
                         "row above it, such as id,text,time", file=file, row=1, code="header_is_data")


def _known_names(headers: Sequence[str]) -> bool:
    return any(str(h).strip().lower() in _HEADER_NAMES for h in headers)


def line_one_unknown(headers: Sequence[str], text: Sequence[str]) -> bool:
    """Whether line 1, read as the header, may be a row of data no check can tell from names: no text column
    (``text``: the mapping's) and none of its cells a name the reader knows (张三,李四,王五). Said wherever a column
    is to be named (the command line's error, the import page), so that naming one does not lose line 1 unawares."""
    return not text and not _known_names(headers)


_HEADER_NAMES = frozenset(name for names in AUTO_HEADERS.values() for name in names)
_HEADER_CHARS = max(map(len, _HEADER_NAMES)) * 2 + 1  # a title and a body header joined


def header_rows(raw: pd.DataFrame, records: pd.DataFrame, lengths: pd.Series) -> np.ndarray:
    """Which rows are a header again: every cell a column name the reader knows or the file's own header, as
    where two exports were joined (``cat``, or pasted one below the other) or a second header row (the English
    names below the Chinese ones). Such a row was a message reading "留言详情".

    Only the short texts (``lengths``: of ``records["text"]``) leave Arrow as Python strings: converting the
    whole column cost 0.02 CPU-s per 25,000 rows, most of this check."""
    short = np.flatnonzero((lengths <= _HEADER_CHARS).to_numpy(dtype=bool))
    out = np.zeros(len(records), dtype=bool)
    if not len(short):
        return out
    header = {str(c).strip().lower() for c in raw.columns}
    known = header | _HEADER_NAMES
    for i, text in zip(short.tolist(), records["text"].take(short).tolist(), strict=True):
        if all(part.strip().lower() in known for part in text.split("\n")):
            cells = [str(v).strip().lower() for v in raw.iloc[i].tolist() if v is not None and str(v).strip()]
            # one cell alone is a header only as the file's own: 建议 may be all a message says
            out[i] = all(cell in known for cell in cells) and (len(cells) > 1 or cells[0] in header)
    return out


# A row that sums the rows above it, as an office's export ends (合计 | | 4条 | 60), or a town's (小计); as written,
# with the spaces that centre it in a cell (合  计) and a colon after it
_TOTAL_WORDS = ("合计", "总计", "共计", "小计", "总数", "合计数", "汇总", "total", "sum", "grand total")
_TOTAL_CELLS = frozenset(
    f"{spaced}{colon}"
    for word in _TOTAL_WORDS
    for written in {word, word.title(), word.upper()}
    for spaced in {written, *(gap.join(written) for gap in (" ", "  ", "   ", "\u3000") if len(written) == 2)}
    for colon in ("", ":", "：")
)


def total_rows(raw: pd.DataFrame, text: pd.Series, sums: Sequence[str] = ()) -> np.ndarray:
    """Which rows are a total row, by their shape: a total label (合计, 总计, 小计, Total: :data:`_TOTAL_CELLS`) opens
    the row (its first cell written, the 序号 column's mostly) or is its ``text``, and the count columns (``sums``:
    the likes) hold a number or nothing. Why: an office's export ends in one; its text cell (4条, or 合计 where it
    stands in the text column) was read as a suggestion, with the column's sum as its likes. Then a text of over 20
    characters made it a suggestion again, where the row summed up in words (共收到群众意见建议128条，已全部转交…),
    and a short suggestion whose category read 汇总 was taken for a total."""
    out = np.zeros(len(raw), dtype=bool)
    if not len(raw) or not raw.shape[1]:
        return out
    first = raw.iloc[:, 0]
    unwritten = first.isna().to_numpy(dtype=bool) | (first.astype(str).str.strip() == "").to_numpy(dtype=bool)
    # a hashed look-up of the first cells and the texts (trimmed already)
    out |= first.isin(_TOTAL_CELLS).to_numpy(dtype=bool) | text.isin(_TOTAL_CELLS).to_numpy(dtype=bool)
    later = np.flatnonzero(unwritten)  # rows opening with an empty cell: the label may open them further on
    for column in range(1, raw.shape[1]):  # column by column, the rows whose cells so far are all empty
        if not len(later):
            break
        cells = raw.iloc[later, column]
        out[later] |= cells.isin(_TOTAL_CELLS).to_numpy(dtype=bool)
        later = later[cells.isna().to_numpy(dtype=bool) | (cells.astype(str).str.strip() == "").to_numpy(dtype=bool)]
    for column in sums:
        if column in raw and out.any():
            out[out] &= ~unreadable_counts(raw[column].iloc[np.flatnonzero(out)])
    return out
