"""Times and counts as people write them in a spreadsheet or an export, read without ever raising.

A time column is whatever the exporting system or the person typed: ISO text, ``2019/1/5 10:00``,
``2019年1月5日 10时30分``, ``下午3点``, epoch seconds or milliseconds, an Excel serial day (43470.5 when a workbook's
cell lost its date format; ``serial_days``), some rows with a UTC offset and some without. pandas reads the common text forms at vector speed but
raises on a column that mixes offsets ("Mixed timezones detected"), and leaves the Chinese and numeric forms
unread. :func:`parse_times` keeps pandas' fast path for the usual file and reads the rest value by value, so a
bad cell is a missing time (counted as unparsed), never a failed run.

A support count is ``1,234``, ``１２``, ``1.2万``, ``-``, ``3.0`` or ``inf``: :func:`parse_counts` reads the readable ones
and counts the others as 0, clipped to what an int64 holds.

>>> parse_times(pd.Series(["2019年1月5日 10时30分", "1546653600", "43470.5", "2019-01-05T10:00:00Z", "x"]),
...             serial_days=True).tolist()
[Timestamp('2019-01-05 10:30:00'), Timestamp('2019-01-05 10:00:00'), Timestamp('2019-01-05 12:00:00'), \
Timestamp('2019-01-05 18:00:00'), NaT]
>>> parse_counts(pd.Series(["1,234", "1.2万", "-", "inf", None, "7"])).tolist()
[1234, 12000, 0, 0, 0, 7]
"""

from __future__ import annotations

import logging
import re
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

log = logging.getLogger(__name__)

ZONE = "Asia/Shanghai"  # a time written with an offset is shown as the platform's local time
MAX_COUNT = 10**12

_CJK_DATE = str.maketrans({"年": "-", "月": "-", "日": " ", "号": " ", "时": ":", "点": ":", "分": ":", "秒": " "})
# Parts of the day written before the hour (下午3点, 晚上8:30): an afternoon or evening hour under 12 is 12 more.
_DAY_PART = re.compile(r"凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间")
_WEEKDAY = re.compile(r"(星期|周|礼拜)[一二三四五六日天]")  # Chinese Excel's long date: 2019年4月25日星期四
_AFTER_NOON = ("下午", "傍晚", "晚上", "夜里", "夜间")
# Plain numbers taken for times, by size: Excel serial days (1954-2119), epoch seconds, epoch milliseconds.
SERIAL_DAYS = (20_000, 80_000)
_NUMERIC_TIMES = ((*SERIAL_DAYS, "D"), (1e8, 4.1e9, "s"), (1e11, 4.1e12, "ms"))  # up to 2099
_SCALES = {"万": 1e4, "w": 1e4, "W": 1e4, "亿": 1e8, "k": 1e3, "K": 1e3, "千": 1e3}


def parse_times(values: pd.Series, *, serial_days: bool | np.ndarray = False) -> pd.Series:
    """``values`` as naive local ``datetime64[ns]``; NaT where a cell is empty or no time.

    A plain number of 20,000–80,000 is an Excel serial day only where ``serial_days`` says the cell came from a
    workbook (a bool, or one per value): written in a text file it is as likely a duration in seconds or a code,
    and reading it as a date put such a column at 1954–2119 without a word (:func:`serial_day_numbers`)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return _in_bounds(_local(values))
    if values.isna().all():
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    values = _day_first_as_iso(values)
    parsed = _in_bounds(_text_times(values))  # pandas may choose seconds or microseconds: nanoseconds here
    unread = (parsed.isna() & values.notna()).to_numpy()
    if unread.any():  # only the cells pandas left: a clean million-row column costs nothing more
        written = values[unread].astype(str).str.strip().reset_index(drop=True)
        text = written.str.normalize("NFKC")
        parsed = parsed.copy()
        workbook = np.broadcast_to(np.asarray(serial_days, dtype=bool), unread.shape)[unread]
        found = _other_times(text, workbook)
        wide = (text != written).to_numpy() & found.isna().to_numpy()
        if wide.any():  # full-width digits (２０２０－０８－１６, as a Chinese IME types them), in any form pandas reads
            found[wide] = _in_bounds(_text_times(text[wide])).to_numpy()
        parsed.iloc[np.flatnonzero(unread)] = found.to_numpy()
    return _in_bounds(parsed.mask(_without_year(values, parsed)))


# A day and a month written with slashes, dots or dashes before a four-digit year (05/08/2020, 13.08.2020 10:00).
_DAY_MONTH = r"^\s*(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})"


def _day_first_as_iso(values: pd.Series) -> pd.Series:
    """``values`` with cells written day first (13/08/2020) rewritten as ISO dates, when the column is day first.

    pandas reads each such cell month first unless it cannot be (13/08/2020 is then day first), so a column
    written day first came back half in August and half in May without a word. The column decides, as a reader
    would: day first when some cell's first number is over 12 and no cell's second is. When no cell tells, the
    cells stay month first, pandas' reading, and the log says so (05/08/2020 is 8 May in Europe and Hong Kong).
    One RE2 pass over the column: an ISO column fails the pattern at its third character."""
    if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        return values
    try:
        text = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or times among the text: each cell as written
        text = pa.array(values.astype(str).mask(values.isna()).to_numpy(dtype=object), type=pa.string(),
                        from_pandas=True)
    parts = pc.extract_regex(text, _DAY_MONTH)
    found = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    if not found.any():
        return values
    parts = parts.filter(pa.array(found))
    day_first = (pc.cast(pc.struct_field(parts, "a"), pa.int64()).to_numpy() > 12).any()
    month_first = (pc.cast(pc.struct_field(parts, "b"), pa.int64()).to_numpy() > 12).any()
    if not day_first and not month_first:
        log.warning("times such as %r could be day or month first; read month first", values[found].iloc[0])
    if month_first or not day_first:
        return values
    iso = pc.replace_substring_regex(text, _DAY_MONTH, "\\3-\\2-\\1")
    return pd.Series(iso.to_numpy(zero_copy_only=False), index=values.index, name=values.name).mask(values.isna())


def _without_year(values: pd.Series, parsed: pd.Series) -> pd.Series:
    """Which read cells hold no four-digit run: a time of day alone (09:32:00, a workbook's time-only cell), a
    day without its year (1月5日) or with two digits of it (19-4-25). pandas put the first two on today's date or
    this year and read the third as 2025-04-19; none says when it was written, so each is no time (counted as
    unparsed), not a wrong one. Epoch numbers and serial days have four digits."""
    read = parsed.notna().to_numpy()
    if not read.any():
        return pd.Series(False, index=values.index)
    return pd.Series(read & ~values.astype(str).str.contains(r"\d{4}", regex=True).fillna(False).to_numpy(bool),
                     index=values.index)


def _text_times(values: pd.Series) -> pd.Series:
    """pandas' reading of the column; value by value when it cannot read the column as a whole (offsets mixed).

    pandas warns (UserWarning, on stderr) when it reads 13/01/2020 day first in a column read month first: that is
    the one reading such a cell has, and which way the column's ambiguous cells go is chosen and logged before
    (:func:`_day_first_as_iso`); a bare pandas warning beside a finished analysis told the user nothing more."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Parsing dates in .* format when dayfirst", category=UserWarning)
        try:
            return _local(pd.to_datetime(values, errors="coerce", format="mixed"))
        except (ValueError, TypeError, OverflowError):
            uniques = pd.unique(values.dropna())
            found = {v: _one_time(v) for v in uniques}
            return pd.Series([found.get(v, pd.NaT) if v is not None else pd.NaT for v in values],
                             index=values.index, dtype="datetime64[ns]")


def _one_time(value) -> pd.Timestamp:
    try:
        stamp = pd.to_datetime(value, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if stamp is pd.NaT or not isinstance(stamp, pd.Timestamp):
        return pd.NaT
    stamp = stamp.tz_convert(ZONE).tz_localize(None) if stamp.tzinfo is not None else stamp
    return stamp if pd.Timestamp.min <= stamp <= pd.Timestamp.max else pd.NaT


def _other_times(text: pd.Series, serial_days: np.ndarray) -> pd.Series:
    """Chinese date words (年月日, 时分秒) and plain numbers (serial days, epoch seconds or milliseconds)."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    cjk = text.str.contains("[年月日号时点分秒]", regex=True) | text.str.contains(_DAY_PART)
    if cjk.any():
        part = text[cjk].str.extract(f"({_DAY_PART.pattern})", expand=False)
        plain = text[cjk].str.replace(_DAY_PART, " ", regex=True).str.replace(_WEEKDAY, " ", regex=True)
        spelled = plain.map(lambda s: " ".join(s.translate(_CJK_DATE).split()).replace(": ", " ").strip(" :-"))
        spelled = spelled.str.replace(r":$", "", regex=True).str.replace(r"(?<=\d) (\d{1,2})$", r" \1:00", regex=True)
        times = _in_bounds(_text_times(spelled))  # an hour alone (3点, 10时) is on the hour
        late = part.isin(_AFTER_NOON).to_numpy() & (times.dt.hour < 12).to_numpy()
        out[cjk] = times + pd.to_timedelta(np.where(late, 12, 0), unit="h")
    number = pd.to_numeric(text.where(~cjk & text.str.fullmatch(r"\d+(\.\d+)?")), errors="coerce")
    for low, high, unit in _NUMERIC_TIMES:
        hit = (number >= low) & (number < high) & (serial_days if unit == "D" else True)
        if hit.any():
            if unit == "D":
                # to the second, as Excel shows it: a day's fraction in a float is off by a few microseconds
                out[hit] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(number[hit], unit="D")).dt.round("s")
            else:
                out[hit] = _local(pd.to_datetime(number[hit], unit=unit, utc=True))
    return out


_A_DAY = pd.Timestamp("2000-01-01")


def times_of_day(values: pd.Series) -> pd.Series:
    """Cells that hold a time of day alone (``10:23:45``, ``下午3点``, ``10时30分``) as the time since midnight,
    NaT elsewhere: read as :func:`parse_times` reads the same time on a day, so every form it knows is known here.
    For a file that keeps the day and the time of day in two columns (日期 + 时间)."""
    text = values.astype(str).str.strip()
    bare = values.notna().to_numpy() & ~text.str.contains(r"\d{4}", regex=True).to_numpy(bool) & (text != "").to_numpy()
    out = pd.Series(pd.NaT, index=values.index, dtype="timedelta64[ns]")
    if bare.any():
        since = parse_times(f"{_A_DAY.date()} " + text[bare]) - _A_DAY
        out[bare] = since.where((since >= pd.Timedelta(0)) & (since < pd.Timedelta(days=1)))
    return out


def serial_day_numbers(values: pd.Series) -> pd.Series:
    """Which cells are plain numbers in the range of Excel serial days (43470.5), as booleans."""
    text = values.astype(str).str.strip()
    number = pd.to_numeric(text.where(text.str.fullmatch(r"\d+(\.\d+)?", na=False)), errors="coerce")
    return (number >= SERIAL_DAYS[0]) & (number < SERIAL_DAYS[1])


def _local(times: pd.Series) -> pd.Series:
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert(ZONE).dt.tz_localize(None)
    return times


EARLIEST = pd.Timestamp("1900-01-01")
AHEAD = pd.Timedelta(days=1)  # a clock a little fast, or a zone east of ours: what the partner API allows too


def latest() -> pd.Timestamp:
    """The latest time a message can have been written at: tomorrow, in the platform's zone."""
    return pd.Timestamp.now(tz=ZONE).tz_localize(None) + AHEAD


def _in_bounds(times: pd.Series) -> pd.Series:
    # Year 1 or 9999 parses (in microseconds) but is no arrival time: unreadable, like any other bad time. So is
    # 1677 or 2262, the edges of datetime64[ns]: the hot-issue stage's days since 2000 overflowed on them. So is a
    # time after tomorrow (2099-01-01, a typo for 2019): taken as written, the reports' time axis ran to 2099 and
    # the import stored it, where the partner API refuses it.
    times = times.where((times >= EARLIEST) & (times <= latest()))
    return times.astype("datetime64[ns]")


# About a number, as people write a count they did not take exactly (约20, 10+, 20多, 1万余, 100以上): the number
_ABOUT = re.compile(r"^(?:大约|约|近|超过|超)|(?:\+|余|多|以上|左右)$")


def _written_counts(values: pd.Series) -> pd.Series:
    """``values`` as numbers (float64) as people write counts: 1,234 / 1.2万 / 3k / 10+ / 约20; NaN where none is
    readable."""
    number = pd.to_numeric(values, errors="coerce")
    text = values.where(number.isna() & values.notna())
    if text.notna().any():
        # NFKC: full-width digits, commas and points (１，２３４, as a Chinese IME types them) were 0
        text = text.astype(str).str.normalize("NFKC").str.replace(r"[,，\s]", "", regex=True).str.replace(
            _ABOUT, "", regex=True)
        scale = text.str[-1:].map(_SCALES).fillna(1.0)
        written = pd.to_numeric(text.where(scale == 1.0, text.str[:-1]), errors="coerce") * scale
        number = number.fillna(written)
    return number.astype("float64")


def parse_counts(values: pd.Series) -> pd.Series:
    """``values`` as non-negative int64 counts; 0 where a cell holds no readable number."""
    number = _written_counts(values)
    number = number.where(np.isfinite(number), 0).clip(0, MAX_COUNT)
    return number.round().astype("int64")


def unreadable_counts(values: pd.Series) -> np.ndarray:
    """Which cells hold something that is no count (很多, 若干, many, inf): read as 0, and said to be unreadable, as
    a time that cannot be read is. Why: such likes were 0 without a word."""
    written = values.notna() & (values.astype(str).str.strip() != "")
    return (written & ~np.isfinite(_written_counts(values))).to_numpy(dtype=bool)


def parse_count(value: str) -> float | None:
    """One count written as a file's cell is read (the partner API's ``likes`` in a string): the number, negative
    or not, or None where it holds none."""
    number = float(_written_counts(pd.Series([value], dtype=object)).iat[0])
    return number if np.isfinite(number) else None


__all__ = ["latest", "parse_count", "parse_counts", "parse_times", "serial_day_numbers", "times_of_day",
           "unreadable_counts"]
