"""Ingest: read suggestion files of any common format into record batches, streamed.

Formats by file ending (:data:`SUFFIXES`): ``.csv``, ``.tsv``/``.tab``/``.txt``, ``.xlsx``, ``.xls``,
``.jsonl``/``.ndjson``/``.json`` (one object a line, or one array of objects, read item by item), ``.parquet``. Files are read in batches of ``batch_rows`` rows so a million-row export
never sits in memory as Python objects all at once. CSV/TSV encodings are detected: UTF-8 (with or
without BOM) and GB18030 (a superset of GBK and GB2312, what Chinese Excel writes).

Columns are mapped by :class:`ColumnMap`; without one, common English and Chinese headers are
recognised (id/编号, title/主题, body/详情/内容, text, time/时间, date/日期, user/用户, channel/渠道, region/地区,
likes/点赞数).

What a workbook's copy carries is read as meant: the header below a title or merged group headings, Excel's
``_x000D_`` escapes of line breaks, ids saved as floats (``1.88006E+05``, ``188006.0``). Where the header is, and which
names it holds, is found by :mod:`minsheng.engine.ingest_headers`.

Rows that cannot be used are *rejected*, not fatal: each becomes a :class:`Reject` naming file, row,
id and reason (empty text, text too long, duplicate id, malformed JSON line, wrong field count).
Problems that make a whole file unreadable (unknown encoding, no text column, empty or truncated
file) raise :class:`~minsheng.engine.errors.InputError`.
"""

from __future__ import annotations

import codecs
import csv
import decimal
import itertools
import json
import logging
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.errors import InputError
from minsheng.engine.ingest_headers import (
    TEXT_LINES,
    UNIT_SEPARATOR,
    ColumnMap,
    check_header_names,
    header_names,
    header_rows,
    line_one_unknown,
    role_finder,
    rows_above_header,
    total_rows,
    workbook_header,
)
from minsheng.engine.masking import mask_column, mask_writers, pseudonyms
from minsheng.engine.values import (
    parse_counts,
    parse_times,
    serial_day_numbers,
    times_of_day,
    unreadable_counts,
)

log = logging.getLogger(__name__)

BATCH_ROWS = 50_000
# Every file ending the reader takes, and the one list the CLI, the platform's import and its upload form read:
# the platform once kept a copy of its own and refused the .txt that Excel's "Unicode text" export writes.
SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xls", ".jsonl", ".ndjson", ".json", ".parquet")
MAX_TEXT_CHARS = 100_000
WORKBOOKS = (".xlsx", ".xls")  # where a plain number in a time column is an Excel serial day

@dataclass(frozen=True)
class Reject:
    """One input row that was not accepted, and why: ``reason`` in English, ``code`` and ``params`` for a
    program that says it in its own words (as :class:`InputError`)."""

    source: str
    row: int
    id: str | None
    field: str
    reason: str
    code: str = ""
    params: dict | None = None


@dataclass
class IngestStats:
    rows_in: int = 0
    accepted: int = 0
    rejects: list[Reject] = field(default_factory=list)
    bad_times: int = 0
    # The first rows whose time cell was there but unreadable, as (file, row, the cell as written): the row is kept
    # with no time, and a reader is told which rows to fix (the platform's import page, the command line's warning).
    bad_time_rows: list[tuple[str, int, str]] = field(default_factory=list)
    # The same for likes that are no number (很多, 若干): the row is kept with 0 likes
    bad_likes: int = 0
    bad_like_rows: list[tuple[str, int, str]] = field(default_factory=list)
    # The .xlsx workbooks read, whose cells that are formulas without a saved value (a workbook a program wrote,
    # never opened in Excel) were read as empty: :attr:`formulas_unread` counts them when asked
    workbooks: list[Path] = field(default_factory=list)
    # The sheets of workbooks read (where a workbook's several are, or one is left out), and the later sheets left
    # out that name a text column under another header (:func:`source_name`): a user is told which were read
    sheets_read: list[str] = field(default_factory=list)
    sheets_unread: list[str] = field(default_factory=list)
    # The rows above a file's header (a title, a date, group headings), passed over, as (file, how many, the first
    # one's words): said, for a row of data above the header would be lost with them
    rows_above: list[tuple[str, int, str]] = field(default_factory=list)
    _formulas: dict[Path, int] = field(default_factory=dict, repr=False)

    @property
    def formulas_unread(self) -> int:
        """Cells of the workbooks read that are formulas without a saved value, read as empty (so said): counted
        when a report asks, not at each read. Why: a scan of every sheet's XML (1.3 CPU-s on 120,000 rows with a
        formula each) ran on each of the four reads of one upload (its header, its first rows, its rows by
        sheet, the import), where only the import's report and the analysis' warning say it."""
        for path in self.workbooks:
            if path not in self._formulas:
                self._formulas[path] = _formulas_unread(path)
        return sum(self._formulas.values())


BAD_TIMES_LISTED = 500


# ----------------------------------------------------------------------------------------- encoding

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how an Excel 97-2003 workbook (BIFF inside OLE2) begins
# How a workbook, an archive, a PDF or a picture begins: a file that does is not text in any encoding, though GB18030
# decodes most of its bytes. (Not "holds a NUL": exports with a stray NUL in a cell are imported without it.)
_BINARY_STARTS = (b"PK\x03\x04", _OLE2, b"%PDF", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c",
                  b"Rar!", b"\x89PNG", b"\xff\xd8\xff")
# How a web page or an XML file begins (after any byte order mark and blanks)
_WEB_PAGE = re.compile(rb"\s*<(!doctype\s+html|html|head|body|table|meta|\?xml)\b", re.IGNORECASE)


def detect_encoding(path: Path, sample_bytes: int = 1 << 20) -> str:
    """Return the codec to read ``path`` with: ``utf-8-sig``, ``utf-8``, ``gb18030`` or :data:`GB18030_SIG`."""
    with open(path, "rb") as fh:
        head = fh.read(sample_bytes)
    if _WEB_PAGE.match(head.removeprefix(codecs.BOM_UTF8)):
        # What many office systems' "export to Excel" writes: an HTML table (or Excel 2003's XML) under a .xls or
        # .csv name. Read as CSV its header was the whole page; as a workbook it was "damaged", which it is not.
        raise InputError("a web page (HTML) or XML file, not a workbook or CSV: open it in Excel or WPS and save "
                         "it as .xlsx", file=path.name, code="web_page")
    if head.startswith(codecs.BOM_UTF8):
        # GB18030 under UTF-8's mark (a tool that writes the mark whatever it encodes, a GBK file pasted under a
        # UTF-8 one's first line) was "text is not valid utf-8-sig near data row 1", the encoding named a riddle
        final = len(head) < sample_bytes
        return "utf-8-sig" if _text_codec(head[3:], final=final) != "gb18030" else GB18030_SIG
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(_BINARY_STARTS):
        # An Excel workbook or an archive renamed .csv: its "header" was read as gibberish columns and the person
        # was asked to pick the text column among them.
        raise InputError("not a text file (a workbook or an archive under a text file's name?); upload a workbook "
                         "as .xlsx, anything else saved as CSV (UTF-8)", file=path.name, code="not_text")
    codec = _text_codec(head, final=len(head) < sample_bytes)
    if codec:
        return codec
    raise InputError("unknown text encoding (expected UTF-8 or GB18030/GBK); save the file as UTF-8",
                     file=path.name, row=_first_row_not_utf8(head), code="encoding_unknown")


GB18030_SIG = "gb18030-sig"  # GB18030 after UTF-8's byte-order mark, which is passed over (:func:`_codec_search`)


class _Gb18030SigDecoder(codecs.BufferedIncrementalDecoder):
    """GB18030, passing over a UTF-8 byte-order mark at the start (read as GB18030 it was 锘 and a broken byte
    in the first column's name)."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self._inner = codecs.getincrementaldecoder("gb18030")(errors)
        self._start = True

    def _buffer_decode(self, data, errors, final):
        if self._start:
            if len(data) < len(codecs.BOM_UTF8) and not final:
                return "", 0
            self._start = False
            return self._inner.decode(bytes(data).removeprefix(codecs.BOM_UTF8), final), len(data)
        return self._inner.decode(data, final), len(data)

    def reset(self) -> None:
        super().reset()
        self._inner.reset()
        self._start = True


def _codec_search(name: str) -> codecs.CodecInfo | None:
    """:data:`GB18030_SIG` for ``open`` and pandas (read only; it writes plain GB18030)."""
    if name.replace("-", "_") != GB18030_SIG.replace("-", "_"):
        return None
    base = codecs.lookup("gb18030")

    def decode(data, errors="strict"):
        text, _ = base.decode(bytes(data).removeprefix(codecs.BOM_UTF8), errors)
        return text, len(data)

    return codecs.CodecInfo(base.encode, decode, incrementalencoder=base.incrementalencoder,
                            incrementaldecoder=_Gb18030SigDecoder, name=GB18030_SIG)


codecs.register(_codec_search)


def _first_row_not_utf8(head: bytes) -> int | None:
    """The data row (counting lines, so near it where a cell spans lines) where ``head`` stops being UTF-8, or
    None in the header: a file pasted together from a UTF-8 and a GBK export was refused naming no row."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return head.count(b"\n", 0, exc.start) or None
    return None


# ------------------------------------------------------------------------------------------ readers

def _raw_batches(path: Path, batch_rows: int, wanted=None, *, header_only: bool = False) -> Iterator[pd.DataFrame]:
    """Yield the file's rows as string DataFrames with the original headers; index = 1-based row.

    ``wanted(headers)`` names the columns to keep, where the format can skip the others unread (Parquet:
    a benchmark corpus carries six ground-truth columns nobody analyses). A folder is said to be one: read as a
    file it was "unsupported file type 'exports'", which a stranger takes for the files inside. ``header_only``:
    only the column names are wanted (:func:`read_headers`), which Parquet has in its footer (the other formats
    read their first rows, as few as ``batch_rows`` allows).
    """
    if path.is_dir():
        raise InputError(f"is a folder, not a file: name the files in it ({path / '*.csv'})", file=path.name,
                         code="is_folder")
    suffix = supported_suffix(path.name)
    if path.stat().st_size == 0:
        raise InputError("file is empty", file=path.name, code="file_empty")
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _jsonl_batches(path, batch_rows)
    elif suffix == ".xlsx" or (suffix == ".xls" and zipfile.is_zipfile(path)):  # an .xlsx named .xls is common
        yield from _xlsx_batches(path, batch_rows, wanted)
    elif suffix == ".xls" and not _text_named_xls(path):
        yield from _xls_batches(path, batch_rows, wanted)
    elif suffix == ".parquet":
        yield from _parquet_batches(path, batch_rows, wanted, header_only=header_only)
    else:  # the delimited text endings; the separator is sniffed from the header line
        yield from _delimited_batches(path, "\t" if suffix in (".tsv", ".tab") else ",", batch_rows, wanted)


def _text_named_xls(path: Path) -> bool:
    """Whether an ``.xls`` file is text (a CSV or TSV, or a web page) rather than a BIFF workbook: office systems
    write their "Excel" exports so, and xlrd refused them as damaged workbooks. Text is read as text (a web page is
    then said to be one)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return not head.startswith(_OLE2) and (head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                                          or (b"\0" not in head and _text_codec(head) is not None))


def _text_codec(head: bytes, final: bool = False) -> str | None:
    """The first of UTF-8 and GB18030 that decodes ``head`` (the start of a file, unless ``final``), or None."""
    for codec in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(codec)().decode(head, final=final)
            return codec
        except UnicodeDecodeError:
            continue
    return None


def supported_suffix(name: str) -> str:
    """``name``'s ending in lower case when it is one of :data:`SUFFIXES`, else the one-line error of every reader."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        kinds = " ".join(SUFFIXES)
        raise InputError(f"unsupported file type {suffix or name!r} (use {kinds})", file=Path(name).name,
                         code="unsupported_type", params={"suffix": suffix, "kinds": kinds})
    return suffix


def _delimited_batches(path: Path, sep: str, batch_rows: int, wanted=None) -> Iterator[pd.DataFrame]:
    encoding = detect_encoding(path)
    sep = _separator(path, encoding, sep)
    good = 0  # rows pandas returned so far
    skipped: list[int] = []  # data rows pandas skipped (wrong field count), to keep row numbers true
    try:
        above, lines_above, names, said = rows_above_header(path, sep, encoding, wanted)
        headerless = {}
        if above is None:  # one suggestion a line, no header (:func:`rows_above_header`): every line is a row
            sep, lines_above, headerless = UNIT_SEPARATOR, lines_above - 1, {"names": [TEXT_LINES], "index_col": False,
                                                                             "quoting": csv.QUOTE_NONE}
        read = {"sep": sep, "dtype": str, "keep_default_na": False, "encoding": encoding, "engine": "c",
                "header": above}
        header, extra = (None, 0) if headerless else _long_first_row(path, read)
        if extra:
            headerless = {"names": [*header, *(f"{_EXTRA}{i}" for i in range(extra))], "index_col": False}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reader = pd.read_csv(path, chunksize=batch_rows, on_bad_lines="warn", **read, **headerless)
            for chunk in itertools.chain(reader, [None]):
                bad = _drain_bad_lines(caught, lines_above, len(header) if extra else None)
                if chunk is None:  # pandas said the last batch's skipped rows only after it, or had no row to give
                    if not bad:
                        break
                    chunk = pd.DataFrame(columns=headerless.get("names", header), dtype=str)
                skipped.extend(row for row, *_ in bad)
                chunk.index = _true_rows(good, len(chunk), skipped)
                first, good = not good, good + len(chunk)
                if extra:
                    chunk, long_rows = _without_extra_fields(chunk, len(header), lines_above)
                    bad = sorted(bad + long_rows)
                if names:  # a name merged down from the header's upper row (:func:`rows_above_header`)
                    chunk.columns = [names[j] if str(c).startswith("Unnamed: ") and j < len(names) and names[j]
                                     else c for j, c in enumerate(chunk.columns)]
                chunk = _text_formulas_read(chunk)
                chunk.attrs["bad_lines"] = bad
                if said[0] and first:
                    chunk.attrs["rows_above"] = said
                yield chunk
    except UnicodeDecodeError as exc:
        raise InputError(f"text is not valid {encoding} near data row {good + 1}: {exc.reason}",
                         file=path.name, row=good + 1, code="encoding_invalid", params={"encoding": encoding}) from None
    except pd.errors.EmptyDataError:
        raise InputError("file has no header row", file=path.name, code="no_header") from None
    except pd.errors.ParserError as exc:
        kind = "TSV" if sep == chr(9) else "CSV"
        raise InputError(f"cannot parse as {kind}: {exc}", file=path.name, row=_parser_row(str(exc), good + 1),
                         code="unparseable", params={"format": kind}) from None



def _text_formulas_read(chunk: pd.DataFrame) -> pd.DataFrame:
    """Cells a system exported as ``="188006"`` (so that Excel keeps a number or a date as written) as the value
    inside: the id kept the formula, the time and the count were not read at all. Only the cells that open
    with ``="`` are tested further: a column without one (every message text) is scanned once, not three times."""
    for name in chunk.columns:
        column = chunk[name]
        opens = column.str.startswith('="', na=False)
        if not opens.any():
            continue
        cells = column[opens]
        formula = opens.to_numpy().copy()
        formula[formula] = (cells.str.endswith('"') & (cells.str.len() > 2)).to_numpy()
        if formula.any():
            chunk[name] = column.mask(formula, column.str[2:-1])
    return chunk


_STARTING_ROW = re.compile(r"starting at row (\d+)")


def _parser_row(message: str, default: int) -> int:
    """The data row a pandas parser error names ("EOF inside string starting at row 11": an opening quote never
    closed swallows the rest of the file), else ``default``: the row after the last batch read, which said
    row 1 for a bad quote in row 11 of a small file."""
    found = _STARTING_ROW.search(message)
    return int(found.group(1)) if found else default


def _separator(path: Path, encoding: str, expected: str) -> str:
    """``expected``, unless the header line has none of it and a tab, a semicolon or a bar instead: Excel's
    "Unicode text" (UTF-16, tab-separated, often saved as .txt or .csv) and European spreadsheets (;) were
    read as one column named by the whole header line, and "no text column found" was all the user got."""
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            header = fh.readline(1 << 16)
    except (OSError, UnicodeError):
        return expected
    if expected in header:
        return expected
    return next((sep for sep in ("\t", ";", "|") if sep in header), expected)


def _true_rows(done: int, n: int, skipped: list[int]) -> pd.Index:
    """1-based data-row numbers of the next ``n`` good rows, counting the rows pandas skipped."""
    if not skipped:
        return pd.RangeIndex(done + 1, done + n + 1)
    candidates = np.arange(1, done + n + len(skipped) + 1)
    kept = candidates[~np.isin(candidates, skipped)]
    return pd.Index(kept[done: done + n])


_EXTRA = "\0extra field "  # the names of the columns past the header's, when the first data row has more fields


def _long_first_row(path: Path, read: dict) -> tuple[list[str], int]:
    """The header's column names, as pandas reads them, and how many more fields than it the first data row has.

    Why: pandas takes such a first row (an unquoted comma in a message) for a row with an index: every column
    shifted left (ids took the texts, texts went empty, every later row was rejected as empty); told
    ``index_col=False`` it silently cut the extra fields of that row and of every later row as long. Asked for that
    many more columns (:func:`_without_extra_fields`), it reads every row in its place."""
    probe = pd.read_csv(path, nrows=1, on_bad_lines="skip", **read)
    return list(probe.columns), (0 if isinstance(probe.index, pd.RangeIndex) else probe.index.nlevels)


def _without_extra_fields(chunk: pd.DataFrame, fields: int, above: int) -> tuple[pd.DataFrame, list[BadLine]]:
    """``chunk`` read with columns past the header's ``fields`` (:func:`_long_first_row`) without them and without
    the rows that wrote in them, which are said as every row with too many fields is (:func:`_drain_bad_lines`).
    A row whose fields past the header are empty ("1,text,") is kept: pandas pads a shorter row the same way."""
    past = chunk.iloc[:, fields:].to_numpy(dtype=object) != ""
    written = past.any(axis=1)
    if not written.any():
        return chunk.iloc[:, :fields], []
    saw = fields + past.shape[1] - np.argmax(past[:, ::-1], axis=1)
    long_rows = [_wrong_fields(int(row), above, fields, int(n))
                 for row, n in zip(chunk.index[written], saw[written], strict=True)]
    return chunk.loc[~written].iloc[:, :fields], long_rows


def _wrong_fields(row: int, above: int, expected: int, saw: int) -> BadLine:
    """A data row with ``saw`` fields where the header has ``expected``, as pandas says it (``line``: the file's)."""
    line = row + 1 + above
    return (row, f"wrong number of fields: expected {expected} fields, saw {saw} (line {line} of the file)",
            "wrong_field_count", {"line": line, "expected": expected, "saw": saw})


_LINE = re.compile(r"line (\d+)")
_FIELDS = re.compile(r"expected (\d+) fields?, saw (\d+)")
BadLine = tuple[int, str, str, dict]  # data row, reason, its code and params (as Reject)


def _drain_bad_lines(caught: list, above: int = 0, header: int | None = None) -> list[BadLine]:
    """(data row, reason, code, params) for each line pandas skipped since the last call; ``above`` rows stand
    above the header; ``header``: its field count, where pandas was told of more columns (:func:`_long_first_row`)."""
    out = []
    for w in caught:
        if issubclass(w.category, pd.errors.ParserWarning):
            for line in str(w.message).strip().splitlines():
                found = _LINE.search(line)
                if found:
                    lineno = int(found.group(1))
                    detail = line.split(":", 1)[-1].strip()
                    fields = _FIELDS.search(detail)
                    if fields:
                        out.append(_wrong_fields(lineno - 1 - above, above, header or int(fields[1]), int(fields[2])))
                    else:
                        out.append((lineno - 1 - above, f"wrong number of fields: {detail} (line {lineno} of the file)",
                                    "bad_line", {"line": lineno}))
    caught.clear()
    return out


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _jsonl_batches(path: Path, batch_rows: int) -> Iterator[pd.DataFrame]:
    """One JSON object a line; or, when the file opens with ``[``, one JSON array of objects (what many systems
    export as ``.json``), its items numbered from 1 as rows."""
    encoding = detect_encoding(path)
    rows: list[dict] = []
    index: list[int] = []
    bad: list[BadLine] = []
    with open(path, encoding=encoding, errors="strict") as fh:
        try:
            for number, obj, escaped in _json_items(fh, path):
                if isinstance(obj, json.JSONDecodeError):
                    bad.append((number, f"malformed JSON: {obj.msg} at column {obj.colno}", "malformed_json",
                                {"column": obj.colno}))
                    continue
                if isinstance(obj, RecursionError):
                    bad.append((number, "JSON nested too deep", "json_too_deep",
                                {"item": number, "limit": JSON_MAX_DEPTH}))
                    continue
                if not isinstance(obj, dict):
                    bad.append((number, f"a JSON line must be an object, got {type(obj).__name__}",
                                "json_not_object", {}))
                    continue
                row = {k: _json_cell(v) for k, v in obj.items()}
                if escaped:  # "\ud800" alone decodes to what no UTF-8 writer accepts
                    row = {k: v if v is None else LONE_SURROGATE.sub("\ufffd", v) for k, v in row.items()}
                rows.append(row)
                index.append(number)
                if len(rows) >= batch_rows:
                    yield _frame(rows, index, bad)
                    rows, index, bad = [], [], []
        except UnicodeDecodeError as exc:
            raise InputError(f"text is not valid {encoding}: {exc.reason}", file=path.name,
                             row=(index[-1] + 1) if index else 1, code="encoding_invalid",
                             params={"encoding": encoding}) from None
    if rows or bad:
        yield _frame(rows, index, bad)


def _json_cell(value) -> str | None:
    """A JSON value as a cell's text: an object or an array as JSON (it was Python's repr, {'a': 'b'}, stored and
    analysed as the suggestion's text), anything else as written."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)  # ijson's Decimals as their digits
    return str(value)


def _json_items(fh, path: Path) -> Iterator[tuple[int, object, bool]]:
    """(row number, the decoded object or its JSONDecodeError, whether it escaped a lone surrogate)."""
    start = fh.read(4096).lstrip()
    if start.startswith("[") and not _array_then_lines(fh):
        fh.seek(0)
        yield from _array_items(fh, path)
        return
    if start.startswith("{") and (at := _wrapped_list(fh, path)) is not None:
        fh.seek(0)
        yield from _array_items(fh, path, at)
        return
    fh.seek(0)
    for lineno, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line), bool(_ESCAPED_SURROGATE.search(line))
        except (json.JSONDecodeError, RecursionError) as exc:  # nested past Python's limit: this line's fault
            yield lineno, exc, False


JSON_CHUNK_CHARS = 1 << 20


def _array_then_lines(fh) -> bool:
    """Whether the first line is a whole array and more lines follow: a JSONL file that opens with an array is
    read line by line (its first line rejected), not as one array. Scans for the first line's end in chunks."""
    fh.seek(0)
    last = ""
    while chunk := fh.read(JSON_CHUNK_CHARS):
        head, newline, rest = chunk.partition("\n")
        last = head.rstrip()[-1:] or last
        if newline:
            break
    else:
        return False
    if last != "]":
        return False
    while True:
        if rest.strip():
            return True
        rest = fh.read(JSON_CHUNK_CHARS)
        if not rest:
            return False


JSON_MAX_DEPTH = 64  # an export's item is an object of a level or two


_ARRAY = object()  # on the stack of :func:`_wrapped_list` and :func:`_under`: inside an array, not a map


def _wrapped_list(fh, path: Path) -> tuple[str, ...] | None:
    """The keys leading to the one list of objects in a file that is one JSON object with no text column of its
    own, as partner APIs export (``{"data": [...]}``, ``{"code": 0, "data": {"total": 9, "rows": [...]}}``); None
    where the file is anything else (JSON Lines, a record). Several such lists fail the file in one line naming
    them; only empty lists (``{"code": 0, "data": []}``) fail it as having no rows. Why: such a file was one row
    with a column ``data``, refused as having no text column, and the import page offered ``data`` as the text
    (the whole array as one suggestion); an empty list was "no text column; columns are ['code', 'data']"."""
    import ijson

    fh.seek(0)
    keys: list[str] = []
    lists: list[tuple[str, ...]] = []
    empty: list[tuple[str, ...]] = []
    stack: list = []  # per open map its current key, per open array _ARRAY
    opened = None  # the list just opened, counted once its first item is an object (or it ends at once)
    try:
        for event, value in ijson.basic_parse(_Utf8(fh), use_float=True, buf_size=JSON_CHUNK_CHARS):
            if opened is not None and event in ("start_map", "end_array"):
                (lists if event == "start_map" else empty).append(opened)
            opened = None
            if event == "map_key":
                stack[-1] = value
                if len(stack) == 1:
                    keys.append(value)
            elif event == "start_map" or event == "start_array":
                if event == "start_array" and stack and len(stack) <= 3 and _ARRAY not in stack:
                    opened = tuple(stack)
                stack.append(None if event == "start_map" else _ARRAY)
                if len(stack) > JSON_MAX_DEPTH:
                    return None  # the line reader says so, naming the line
            elif event == "end_map" or event == "end_array":
                stack.pop()
    except ijson.JSONError:  # more than one value (JSON Lines), or damaged: read line by line
        return None
    if ColumnMap.detect(keys).text or not (lists or empty):
        return None
    if not lists:
        names = ", ".join(".".join(at) for at in empty)
        raise InputError(f"file has no rows: the JSON object's list {names} is empty", file=path.name,
                         code="no_rows")
    if len(lists) > 1:
        names = ", ".join(".".join(at) for at in lists)
        raise InputError(f"a JSON object holding several lists ({names}): export one list of suggestions, or "
                         "a JSON array", file=path.name, code="json_several_lists", params={"lists": names})
    return lists[0]


def _under(events: Iterator, at: tuple[str, ...]) -> Iterator:
    """The events of the array at keys ``at`` of the JSON object ``events`` parse, from its start to its end."""
    stack: list = []
    inside = 0
    for event, value in events:
        if not inside and not (event == "start_array" and tuple(stack) == at):
            if event == "map_key":
                stack[-1] = value
            elif event == "start_map" or event == "start_array":
                stack.append(None if event == "start_map" else _ARRAY)
            elif event == "end_map" or event == "end_array":
                stack.pop()
            continue
        yield event, value
        if event == "start_map" or event == "start_array":
            inside += 1
        elif event == "end_map" or event == "end_array":
            inside -= 1
            if not inside:
                return


def _array_items(fh, path: Path, at: tuple[str, ...] = ()) -> Iterator[tuple[int, object, bool]]:
    """The items of one JSON array (or of the list at keys ``at`` of the object wrapping it), decoded one at a time as the file is read (ijson): the whole file read and
    decoded at once took memory several times its size (a 2 GB export, 10+ GB). Items are numbered from 1 as
    rows; the array broken off or damaged fails the file naming the item, after the items before it.

    Built from ijson's plain events, not ``ijson.items``: its paths grow with the nesting, so a file of 100,000
    ``[`` (100 KB) took minutes and the page's worker was killed; nesting past :data:`JSON_MAX_DEPTH` fails the
    file at once. Building the items in Python costs reading 100,000 items 0.88 -> 1.30 CPU-s (JSON
    arrays only: CSV, workbooks and JSONL are read as before).

    Read in chunks of :data:`JSON_CHUNK_CHARS`, not ijson's 64 KB: yajl lexes a string that spans chunks again
    from its start at each chunk, so one cell of 10 MB of Chinese took 15.3 CPU-s to read (quadratic in the
    cell); 1.3 now (h-fuzz2; 100,000 short items 0.91 -> 0.97 CPU-s, medians of 3)."""
    import ijson
    from ijson.common import ObjectBuilder

    number, depth, builder = 0, 0, None
    events = ijson.basic_parse(_Utf8(fh), use_float=True, buf_size=JSON_CHUNK_CHARS)
    try:
        for event, value in _under(events, at) if at else events:
            if event == "start_map" or event == "start_array":
                depth += 1
                if depth > JSON_MAX_DEPTH:
                    raise InputError(f"JSON nested more than {JSON_MAX_DEPTH} levels deep in item {number + 1}",
                                     file=path.name, row=number + 1, code="json_too_deep",
                                     params={"item": number + 1, "limit": JSON_MAX_DEPTH})
                if depth == 2:
                    builder = ObjectBuilder()
            elif event == "end_map" or event == "end_array":
                depth -= 1
                if depth == 1:
                    builder.event(event, value)
                    number += 1
                    yield number, builder.value, False
                    continue
            if depth >= 2:
                builder.event(event, value)
            elif depth == 1 and event != "start_array":  # a number or a string as an item
                number += 1
                yield number, value, False
    except ijson.JSONError as exc:  # yajl's message goes on with the text around the fault on more lines
        message = (str(exc).splitlines() or ["incomplete"])[0].removeprefix("parse error: ")
        raise InputError(f"malformed JSON array: {message} in item {number + 1}", file=path.name, row=number + 1,
                         code="malformed_json_array", params={"item": number + 1}) from None


class _Utf8:
    """A text file read as UTF-8 bytes, which ijson parses: the file may be GB18030 or UTF-16 (or start with a
    byte order mark), which the text file has decoded already."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def read(self, size: int = -1) -> bytes:
        return self.fh.read(size).encode("utf-8", "surrogatepass")


def _frame(rows: list[dict], index: list[int], bad: list[BadLine]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, index=index) if rows else pd.DataFrame(index=index)
    frame.attrs["bad_lines"] = bad
    return frame


# A tiny hostile workbook must not cost minutes or gigabytes: its zip says how large it inflates, and
# openpyxl keeps every shared string in memory and pads rows to whatever range the sheet declares.
XLSX_MAX_INFLATED_BYTES = 2 << 30          # all parts together, once inflated
XLSX_MAX_RATIO = 100                        # inflated / compressed, checked once over XLSX_RATIO_FROM bytes
XLSX_RATIO_FROM = 32 << 20
XLSX_MAX_SHARED_STRINGS = 2_000_000
XLSX_MAX_COLUMNS = 500


def _xlsx_guard(path: Path) -> None:
    """Refuse a workbook whose parts inflate too far or hold too many shared strings, before parsing it.

    The sizes a zip declares are an upper bound: ``zipfile`` stops inflating a part at its declared size.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            inflated = sum(p.file_size for p in parts)
            packed = max(1, sum(p.compress_size for p in parts))
            if inflated > XLSX_MAX_INFLATED_BYTES or (inflated > XLSX_RATIO_FROM
                                                      and inflated / packed > XLSX_MAX_RATIO):
                raise InputError(f"workbook inflates to {inflated:,} bytes from {packed:,} "
                                 f"(limits: {XLSX_MAX_INFLATED_BYTES:,} bytes, {XLSX_MAX_RATIO}x beyond "
                                 f"{XLSX_RATIO_FROM:,} bytes): refusing a zip bomb", file=path.name,
                                 code="xlsx_unreadable")
            names = {p.filename for p in parts}
            if "xl/sharedStrings.xml" in names:
                count, tail = 0, b""
                with archive.open("xl/sharedStrings.xml") as part:
                    while chunk := part.read(1 << 20):
                        count += (tail + chunk).count(b"<si>") + (tail + chunk).count(b"<si ")
                        tail = chunk[-3:]
                        if count > XLSX_MAX_SHARED_STRINGS:
                            raise InputError(f"workbook has more than {XLSX_MAX_SHARED_STRINGS:,} shared strings",
                                             file=path.name, code="xlsx_unreadable")
    except InputError:
        raise
    except Exception as exc:  # zipfile raises BadZip, NotImplemented (version), zlib and OS errors
        raise InputError(f"not a readable XLSX workbook (truncated or corrupt?): {exc}", file=path.name,
                         code="xlsx_unreadable") from None



def _xlsx_batches(path: Path, batch_rows: int, wanted=None) -> Iterator[pd.DataFrame]:
    import openpyxl

    _xlsx_guard(path)
    with open(path, "rb") as fh:  # by its contents: openpyxl refuses a file whose name ends in .xls
        try:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # a damaged zip or XML surfaces as zlib, XML, Key, Type or Value errors
            raise InputError(f"not a readable XLSX workbook (truncated or corrupt?): {exc}", file=path.name,
                             code="xlsx_unreadable") from None
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # rows as long as their cells, not as wide as a declared A1:XFD1048576
        try:
            for raw in _sheet_batches([(sheet.title, partial(sheet.iter_rows, values_only=True))
                                       for sheet in book.worksheets], path, batch_rows, wanted):
                raw.attrs["xlsx"] = True  # its formulas without a saved value are counted if asked (IngestStats)
                yield raw
        finally:
            book.close()


def _xls_batches(path: Path, batch_rows: int, wanted=None) -> Iterator[pd.DataFrame]:
    """A workbook of Excel 97–2003 (BIFF, what older office systems still export), read as an ``.xlsx`` is:
    such a file was refused, and saving it again as .xlsx was the user's work. At most 65,536 rows a sheet,
    so the whole file in memory is a few MB."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, struct, Index and Assertion errors on a damaged file
        raise InputError(f"not a readable XLS workbook (truncated, corrupt, or a web page saved as .xls?): {exc}",
                         file=path.name, code="xlsx_unreadable") from None

    def rows(index: int) -> Iterator[tuple]:
        sheet = book.sheet_by_index(index)
        for i in range(sheet.nrows):
            yield tuple(_xls_value(cell, book.datemode) for cell in sheet.row(i))

    try:
        yield from _sheet_batches([(book.sheet_by_index(i).name, partial(rows, i)) for i in range(book.nsheets)],
                                  path, batch_rows, wanted)
    finally:
        book.release_resources()


def _xls_value(cell, datemode: int):
    """A BIFF cell as openpyxl gives an .xlsx cell: a date as a datetime (a time of day alone as a time), a whole
    number as an int, an error or a blank as None."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
        return when.time() if cell.value < 1 else when
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>(.*?)</c>)", re.DOTALL)
_SAVED = re.compile(rb"<v>[^<]")


def _formulas_unread(path: Path) -> int:
    """How many cells of an .xlsx workbook's sheets are formulas without a saved value: a workbook written by a
    program (openpyxl, a report system) and never opened in Excel has only the formulas, which are read as empty
    cells (their values exist only once a spreadsheet computes them). Scans each sheet's XML once, in chunks; one
    with no ``<f`` in it costs a search of its bytes."""
    count = 0
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            tail = b""
            with archive.open(part) as fh:
                while chunk := fh.read(1 << 22):
                    text = tail + chunk
                    end = text.rfind(b"</c>") + 4  # cells up to the last whole one; the rest with the next chunk
                    if end >= 4 and text.find(b"<f", 0, end) >= 0:
                        count += sum(1 for cell in _CELL.finditer(text, 0, end)
                                     if cell[1] and b"<f" in cell[1] and not _SAVED.search(cell[1]))
                    tail = text[max(end, 0):][-(1 << 22):]
    return count


def _sheet_batches(sheets: Sequence, path: Path, batch_rows: int, wanted) -> Iterator[pd.DataFrame]:
    """A workbook's rows below its header as string DataFrames, of each sheet read (:func:`workbook_header`) in
    turn, numbered from 1 in each sheet; empty rows skipped. Where more than one sheet is read, each batch names
    its sheet (``attrs["sheet"]``), and the reader names it in every row's source (:func:`source_name`)."""
    index: list[int] = []
    name = None
    try:
        read, header, unread, above = workbook_header(sheets, path, wanted)
        if len(header) > XLSX_MAX_COLUMNS:
            raise InputError(f"header has {len(header):,} columns (at most {XLSX_MAX_COLUMNS})",
                             file=path.name, row=1, code="xlsx_unreadable")
        names = header_names(header)
        width = len(names)

        sheets_said = len(read) > 1 or unread  # on the first batch: which sheets are read, which not

        def frame(batch: list[list], index: list[int]) -> pd.DataFrame:
            nonlocal sheets_said, above
            out = pd.DataFrame(batch, columns=names, index=index)
            if name is not None:
                out.attrs["sheet"] = name
            if sheets_said:
                out.attrs["sheets"], sheets_said = ([sheet for sheet, _rows in read], unread), False
            if above[0]:
                out.attrs["rows_above"], above = above, (0, "")
            return out

        for sheet, rows_iter in read:
            name = sheet if len(read) > 1 else None
            batch: list[list] = []
            index = []
            for rowno, values in enumerate(rows_iter, start=1):
                if values is None or all(v is None for v in values[:width]):
                    continue
                row = ["" if v is None else str(v) for v in values[:width]]
                batch.append(row + [""] * (width - len(row)))
                index.append(rowno)
                if len(batch) >= batch_rows:
                    yield frame(batch, index)
                    batch, index = [], []
            if batch:
                yield frame(batch, index)
    except InputError:
        raise
    except Exception as exc:  # as above: damage inside a part, found while streaming it
        raise InputError(f"workbook is truncated or corrupt: {exc}", file=source_name(path, name),
                         row=(index[-1] + 1) if index else 1, code="xlsx_unreadable") from None


SHEET = ", sheet "  # between a workbook's name and a sheet's in a row's source, where several sheets are read


def source_name(path: Path, sheet: str | None = None) -> str:
    """Where a row comes from, as the reader names it (a record's ``source``, a :class:`Reject`'s, an error's
    file): the file's name, and the sheet's where a workbook's several sheets are read ("towns.xlsx, sheet 城关镇")."""
    return f"{path.name}{SHEET}{sheet}" if sheet is not None else path.name


def sheet_of(source: str) -> str:
    """The sheet :func:`source_name` names in ``source``; empty where it names none."""
    return source.partition(SHEET)[2]


def from_workbook(sources: pd.Series) -> np.ndarray:
    """Which sources (:func:`source_name`) are workbooks, where a plain number in a time column is a serial day."""
    return sources.astype(str).str.split(SHEET, n=1, regex=False).str[0].str.lower().str.endswith(WORKBOOKS).to_numpy()


def _parquet_batches(path: Path, batch_rows: int, wanted=None, *, header_only: bool = False) -> Iterator[pd.DataFrame]:
    """The rows of a Parquet file (see :func:`_raw_batches`); with ``header_only``, one frame of no rows with the
    columns, when the file has rows, from the footer.

    Why the footer: a first batch of one row read every column's first row group, the whole file as pyarrow writes
    one of up to a million rows: 0.04-0.14 s for the benchmark's 1,018,000 rows (0.35 CPU-s, 0.66 s wall, once its
    pages had left the cache) and 0.01-0.05 s for 5,000, against 0.004 s now, before a run's first stage, only to
    learn whether a column holds replies (:func:`reply_columns`). A damaged page is found by ingest, which says so."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(f"not a readable Parquet file: {exc}", file=path.name, code="parquet_unreadable") from None
    written = pfile.schema_arrow.names
    names = _unique_names(written)
    keep = set(wanted(names) or names) if wanted else set(names)
    at = [i for i, c in enumerate(names) if c in keep]
    if header_only:
        if pfile.metadata.num_rows:
            yield pd.DataFrame(columns=[names[i] for i in at])
        return
    start = 1
    # By name where names are unique (unused columns never read); all of them where a name repeats.
    batches = pfile.iter_batches(batch_size=batch_rows,
                                 columns=[written[i] for i in at] if names == written else None)
    while True:
        try:  # a damaged page surfaces only when it is read: OSError or ArrowInvalid, never a traceback
            batch = next(batches, None)
            if batch is None:
                return
            # Text-like columns as strings (ids may be stored as integers); timestamps keep their type.
            columns = batch.columns if names == written else [batch.column(i) for i in at]
            arrays = [col if pa.types.is_timestamp(col.type) else _parquet_strings(col, pa, pc) for col in columns]
            frame = pa.RecordBatch.from_arrays(arrays, names=[names[i] for i in at]).to_pandas()
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"Parquet file is damaged: {exc}", file=path.name, row=start,
                             code="parquet_unreadable") from None
        frame.index = pd.RangeIndex(start, start + len(frame))
        start += len(frame)
        yield frame


def _unique_names(names: list[str]) -> list[str]:
    """Column names with a repeated one numbered as pandas numbers a CSV's (``text``, ``text.1``): a Parquet file
    may repeat a name, and the second column then came back as a table where one column was expected."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(f"{name}.{n}" if n else name)
    return out


def _parquet_strings(column, pa, pc):
    """A Parquet column as strings: Arrow's cast where it has one; else each value as text (bytes that are not
    UTF-8, lists, structs), so an odd column nobody analyses does not stop the file.

    A string column is checked to be UTF-8 (0.1 CPU-s per 300 MB): Arrow reads a damaged page without looking,
    and the bad bytes failed later wherever the text was first touched, with an ArrowException of any kind."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column.validate(full=True)
        return column
    try:
        return pc.cast(column, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                         for v in column.to_pylist()], pa.string())


# ------------------------------------------------------------------------------------------ mapping


def _check_columns(mapping: ColumnMap, headers: Sequence[str], path: Path) -> None:
    check_header_names(headers, mapping.text, path.name)
    if not mapping.text:
        # A first line of short words (张三,李四,王五) reads as names no check can tell from data: where none is a
        # name the reader knows, the line says what else it may be, so that naming a column does not lose it
        unknown = (" (none is a column name the reader knows: if line 1 is a row of data, write a header row above "
                   "it)") if line_one_unknown(headers, mapping.text) else ""
        raise InputError(f"no text column found; columns are {list(headers)}{unknown}; name one with --text-col",
                         file=path.name, field="text", code="no_text_column")
    missing = [c for c in mapping.used() if c not in headers]
    if missing:
        raise InputError(f"column {missing[0]!r} not found; columns are {list(headers)}",
                         file=path.name, field=missing[0], code="column_not_found", params={"column": missing[0]})


def _to_records(raw: pd.DataFrame, mapping: ColumnMap, path: Path, writers_as_pseudonyms: bool = True,
                source: str | None = None) -> pd.DataFrame:
    """Map a raw batch to the record contract (see :mod:`minsheng.engine`); ``source`` names where it comes from
    (:func:`source_name`), the file's name by default."""
    source = source or path.name
    n = len(raw)
    rows = pd.Series(raw.index, dtype="int64")

    def col(name: str | None) -> pd.Series:
        if name is None or name not in raw:
            return pd.Series([None] * n, dtype=object)
        return raw[name].reset_index(drop=True).astype(object).where(lambda s: s.notna(), None)

    def strings(name: str | None) -> pd.Series | None:
        """The column stripped, when it holds strings already (Parquet, Arrow): no round trip through
        Python objects, which was a third of ingest."""
        if name is None or name not in raw or not isinstance(raw[name].dtype, pd.StringDtype):
            return None
        return raw[name].reset_index(drop=True).str.strip()

    def text_col(name: str) -> pd.Series:
        values = strings(name)
        text = col(name).fillna("").astype(str).str.strip() if values is None else values.fillna("")
        # Parquet is a program's export, not a workbook's copy: looking for the escapes in it would cost
        # 0.6 CPU-s a column at a million rows (the benchmark's input)
        return text if path.suffix.lower() == ".parquet" else _unescaped(text)

    def label_col(name: str | None) -> pd.Series:  # user, channel: stripped, blank is missing
        values = strings(name)
        if values is None:
            return col(name).map(lambda v: v.strip() or None if isinstance(v, str) else v)
        return values.where(values != "")

    parts = [text_col(c) for c in mapping.text]
    text = parts[0] if len(parts) == 1 else _join_lines(parts)
    def default_ids() -> pd.Series:
        return source + ":" + rows.astype(str)

    if mapping.id is not None and mapping.id in raw:
        _check_ids_whole(raw[mapping.id].reset_index(drop=True), mapping.id, rows, source)
    ids = _plain_numbers(strings(mapping.id))
    if ids is not None:
        given = ids.notna() & (ids != "")
        ids = ids if given.all() else ids.where(given, default_ids())
    else:
        ids = _plain_numbers(col(mapping.id).astype(object))
        ids = ids.where(ids.notna() & (ids.astype(str).str.strip() != ""), default_ids()).astype(str).str.strip()
    writers = label_col(mapping.user)
    out = pd.DataFrame({
        "id": ids,
        "text": text,
        "time": _times(raw, mapping, rows, path, source),
        "user": pseudonyms(writers) if writers_as_pseudonyms else writers,  # counted apart, never named when written
        "channel": label_col(mapping.channel),
        "source": source,
        "row": rows,
    })
    for name in mapping.extra:  # kept beside the text, and masked as it is (a reply quotes a complainant's room)
        # a reply addresses its writer by the id the user column holds (a phone number too: before numbers are masked)
        values = col(name) if mapping.user is None or not writers_as_pseudonyms else mask_writers(
            col(name), writers, out["user"])
        out[name] = mask_column(values)
    for name, header in (("likes", mapping.likes), ("dislikes", mapping.dislikes)):
        if header and name not in out:
            out[name] = parse_counts(col(header))
    if mapping.region:  # only a file that has one: no column, and no work, for one that has none
        # free text someone typed: a phone or an ID number written into it is masked as in the text; a code a
        # workbook stored as a number (430400) is the text it shows
        region = label_col(mapping.region)
        if not isinstance(region.dtype, pd.StringDtype):  # Parquet's strings are strings already
            region = region.map(lambda v: v if v is None or isinstance(v, str) else str(v))
        out["region"] = mask_column(region).astype(str)  # a string column, as records.parquet reads it back
    return out


_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def _unescaped(text: pd.Series) -> pd.Series:
    """``text`` with a workbook's escapes of characters XML cannot hold decoded (``_x000D_`` is a carriage return):
    openpyxl leaves them in a cell, and so does every CSV converted from a workbook by pandas, so a body Excel
    wrote with line breaks read "本人系_x000D_\n春华镇…" and the marker went on into words, themes and headlines."""
    escaped = text.str.contains("_x", regex=False)
    if not escaped.any():
        return text
    decoded = text[escaped].str.replace(_OOXML_ESCAPE, lambda m: chr(int(m[1], 16)), regex=True)
    return text.mask(escaped, decoded.str.strip())  # a decoded line break may end the cell


_SPREADSHEET_FLOAT = re.compile(r"\d(\.\d+)?E\+\d\d+|\d+\.0")  # Excel's 1.88006E+05, pandas' 188006.0


def _plain_numbers(ids: pd.Series | None) -> pd.Series | None:
    """Ids a spreadsheet wrote as a float, back to the whole number they are: Excel saves 188006 shown as
    1.88006E+05 into a CSV as shown, and pandas saves an id column with a blank as 188006.0; neither matched the
    same message's id in any other file, nor the id the officer searches for."""
    if ids is None:
        return None
    text = ids.astype(str).str.strip()
    floats = text.str.fullmatch(_SPREADSHEET_FLOAT).fillna(False).astype(bool) & ids.notna()
    if not floats.any():
        return ids
    whole = text[floats].map(_whole_number).dropna()
    out = ids.copy()
    out[whole.index] = whole
    return out


_SCIENTIFIC = re.compile(r"\s*\d(?:\.(\d*))?[Ee]\+?(\d+)\s*")
# What pandas infers of a column no cell of which is written in scientific notation
_NO_NOTATION = frozenset({"integer", "boolean", "datetime64", "datetime", "date", "timedelta64", "timedelta", "time",
                          "empty"})


def _check_ids_whole(ids: pd.Series, column: str, rows: pd.Series, source: str) -> None:
    """Fail the file, naming the first, where an id in scientific notation has fewer digits than it stands for:
    Excel shows an id of 12 digits or more as 1.23457E+11 and saves a CSV as shown, so the last digits are lost
    and different messages came out under one id, the later ones rejected as duplicates without a word.

    Only a column of text or floats can hold one: a workbook's column of whole numbers, times or booleans is not
    formatted as strings to look (9 ms per 25,000 cells)."""
    if not isinstance(ids.dtype, pd.StringDtype) and pd.api.types.infer_dtype(ids, skipna=True) in _NO_NOTATION:
        return
    text = ids.astype(str)
    maybe = text.str.contains(r"\d[Ee]\+?\d", regex=True).fillna(False).to_numpy(bool)
    if not maybe.any():
        return
    for at in np.flatnonzero(maybe).tolist():
        found = _SCIENTIFIC.fullmatch(text.iat[at])
        if found and int(found[2]) + 1 > 1 + len(found[1] or ""):
            value = text.iat[at].strip()
            raise InputError(f"id column {column!r} holds {value!r}: Excel showed long ids in scientific notation "
                             f"and saved them so, their last digits lost and different messages under one id; "
                             f"format the column as text in Excel and save the file again",
                             file=source, row=int(rows[at]), field=column, code="ids_rounded",
                             params={"column": column, "value": value})


def _whole_number(text: str) -> str | None:
    number = decimal.Decimal(text)
    return str(int(number)) if number == number.to_integral_value() and number.adjusted() < 30 else None


def _times(raw: pd.DataFrame, mapping: ColumnMap, rows: pd.Series, path: Path, source: str) -> pd.Series:
    """The time column read (:func:`~minsheng.engine.values.parse_times`). A plain number of 20,000–80,000 is an
    Excel serial day in a workbook's cell only; in any other file it fails the file on the first one, naming it:
    a duration in seconds or a code there was read as a date of 1954–2119 without a word, and leaving it a
    missing time would drop every time of a CSV saved from a sheet whose date format was lost, just as quietly.

    Where the day is a column of its own (``mapping.date``: 日期 + 时间, 提交日期 + 提交时间), a time of day is
    read on its row's day, to the second; a cell of the time column that holds a whole time is kept as it is, and
    a day without a time of day is its midnight. Why: the time of day alone is no time, so every time of such a
    file was lost, and the day with it."""
    column = mapping.time
    if column is None:
        return parse_times(pd.Series([None] * len(raw), dtype=object))
    values = raw[column].reset_index(drop=True)
    workbook = path.suffix.lower() in WORKBOOKS
    times = parse_times(values, serial_days=workbook)
    unread = times.isna() & values.notna()
    if not workbook and unread.any():
        serial = serial_day_numbers(values[unread])
        if serial.any():
            at = serial.idxmax()
            raise InputError(f"time column {column!r} holds {values[at]!r}, a number that is a date only in a "
                             f"workbook (Excel serial days): write the times as dates, or save the file as .xlsx",
                             file=source, row=int(rows[at]), field=column, code="serial_days_in_text",
                             params={"column": column, "value": str(values[at]).strip()})
    if mapping.date and mapping.date != column and times.isna().any():
        days = parse_times(raw[mapping.date].reset_index(drop=True), serial_days=workbook).dt.normalize()
        times = times.fillna(days + times_of_day(values).fillna(pd.Timedelta(0)))
    return times


def _join_lines(parts: list[pd.Series]) -> pd.Series:
    """Title and body joined by a newline, the newline dropped where one is empty (in Arrow: ``str.cat`` goes
    through Python objects, and was a third of reading a Parquet file)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(parts[0], pa.large_string())
    for part in parts[1:]:
        text = pc.utf8_trim(pc.binary_join_element_wise(text, pa.array(part, pa.large_string()),
                                                         pa.scalar("\n", pa.large_string())), "\n")
    return text.to_pandas()


# ------------------------------------------------------------------------------------------- public

def iter_batches(paths: Iterable[str | Path], columns: ColumnMap | None = None, *,
                 batch_rows: int = BATCH_ROWS, max_text_chars: int = MAX_TEXT_CHARS,
                 stats: IngestStats | None = None, writers_as_pseudonyms: bool = True) -> Iterator[pd.DataFrame]:
    """Yield record batches from ``paths`` in order; rejected rows go to ``stats.rejects``.

    Ids are unique across all files: a later row repeating an id is rejected, the first is kept. The writer column
    comes as pseudonyms (:func:`~minsheng.engine.masking.pseudonyms`) unless ``writers_as_pseudonyms`` is off: the
    platform's import stores who wrote each row, as officers see it, and hands the analysis its own keyed hash.
    """
    stats = stats if stats is not None else IngestStats()
    seen_ids = _SeenIds()
    for raw_path in paths:
        path = Path(raw_path)
        if not path.exists():
            raise InputError("file not found", file=str(path), code="file_not_found")
        mapping: ColumnMap | None = None
        rows_seen, accepted, rejected = 0, stats.accepted, len(stats.rejects)
        for raw in _raw_batches(path, batch_rows, partial(_needed, columns)):
            source = source_name(path, raw.attrs.get("sheet"))
            if raw.attrs.get("xlsx") and path not in stats.workbooks:
                stats.workbooks.append(path)
            if "rows_above" in raw.attrs:
                stats.rows_above.append((source_name(path), *raw.attrs["rows_above"]))
            if "sheets" in raw.attrs:
                stats.sheets_read += [source_name(path, sheet) for sheet in raw.attrs["sheets"][0]]
                stats.sheets_unread += [source_name(path, sheet) for sheet in raw.attrs["sheets"][1]]
            stats.rejects.extend(Reject(source, row, None, "*", reason, code, params)
                                 for row, reason, code, params in raw.attrs.get("bad_lines", []))
            if mapping is None:
                headers = [str(c) for c in raw.columns]
                mapping = ColumnMap.detect(headers).merged(columns)
                _check_columns(mapping, headers, path)
                log.info("%s: columns %s", path.name, mapping)
                if mapping.date and mapping.date != mapping.time:
                    log.info("%s: times are the day in %r at the time of day in %r", path.name, mapping.date,
                             mapping.time)
            bad_lines = len(raw.attrs.get("bad_lines", []))
            records = _to_records(raw, mapping, path, writers_as_pseudonyms, source) if len(raw) else None
            if records is not None and (blank := _blank_rows(raw, records)).any():
                raw, records = raw[~blank], records[~blank].reset_index(drop=True)
            rows_seen += len(raw) + bad_lines
            if len(raw) == 0:
                continue
            stats.rows_in += len(records)
            keep = _reject_bad_rows(raw, records, source, seen_ids, max_text_chars, stats,
                                    [c for c in (mapping.likes, mapping.dislikes) if c])
            records = records[keep].reset_index(drop=True)
            stats.accepted += len(records)
            _count_bad_times(raw, records, mapping, keep, stats, source)
            if mapping.likes:
                cells = _time_cells(raw, mapping.likes, keep)
                stats.bad_likes += _note_unread(stats.bad_like_rows, unreadable_counts(cells), cells, records, source)
            yield records
        if not rows_seen:
            raise InputError("file has a header but no rows", file=path.name, code="no_rows")
        if stats.accepted == accepted and all(r.code == "empty_text" for r in stats.rejects[rejected:]):
            _no_text_anywhere(mapping, path, stats.formulas_unread)


def _no_text_anywhere(mapping: ColumnMap, path: Path, formulas: int = 0) -> None:
    """Fail a file whose text column is empty in every row, in one line naming it: each row was listed as
    "empty text" and the analysis ran on nothing, where the text is most likely in a column not chosen, or, in a
    workbook of ``formulas`` without saved values, in formulas no spreadsheet has computed."""
    columns = " + ".join(mapping.text)
    if formulas:
        raise InputError(f"text column {columns} is empty in every row, and {formulas:,} cell(s) of the workbook "
                         "are formulas without a saved value (written by a program, never opened in Excel): open "
                         "it in Excel or WPS and save it", file=path.name, field=mapping.text[0],
                         code="formulas_unsaved", params={"column": columns, "count": formulas})
    raise InputError(f"text column {columns} is empty in every row: name the column that holds the text "
                     f"(--text-col)", file=path.name, field=mapping.text[0], code="text_column_empty",
                     params={"column": columns})


def _blank_rows(raw: pd.DataFrame, records: pd.DataFrame) -> np.ndarray:
    """Which rows have every cell blank: a row of separators only (``,,,,,,``), which Excel and WPS save for a
    row once used and then cleared. No row at all, as a blank line is (a workbook's empty rows are skipped the
    same way), where it was a row rejected for its empty text and listed on the import page as an error."""
    empty = (records["text"] == "").to_numpy(dtype=bool, copy=True)
    if not empty.any():
        return empty
    at = np.flatnonzero(empty)
    cells = raw.iloc[at].astype(object)
    blank = cells.isna() | cells.apply(lambda column: column.astype(str).str.strip() == "")
    empty[at] = blank.all(axis=1).to_numpy(dtype=bool)
    return empty



def _needed(columns: ColumnMap | None, headers: Sequence[str]) -> list[str] | None:
    """The columns a file's mapping uses, or ``None`` (read them all) when one is missing: the error that
    follows lists every column the file has."""
    mapping = ColumnMap.detect(headers).merged(columns)
    used = mapping.used()
    return used if mapping.text and set(used) <= set(headers) else None


def _time_cells(raw: pd.DataFrame, column: str, keep: pd.Series) -> pd.Series:
    return raw[column].reset_index(drop=True)[keep.to_numpy()].reset_index(drop=True)


def _has_time(raw: pd.DataFrame, mapping: ColumnMap, keep: pd.Series) -> pd.Series:
    if mapping.time is None:
        return pd.Series(False, index=range(int(keep.sum())))
    values = _time_cells(raw, mapping.time, keep)
    if pd.api.types.is_datetime64_any_dtype(values):  # not formatted as strings only to look for blanks
        return values.notna()
    return values.notna() & (values.astype(str).str.strip() != "")


def _count_bad_times(raw: pd.DataFrame, records: pd.DataFrame, mapping: ColumnMap, keep: pd.Series,
                     stats: IngestStats, source: str) -> None:
    """Count the kept rows whose time cell was written but could not be read, and note the first ones with
    the cell as written (the day's cell before it where the day and the time of day are two columns)."""
    unread = (records["time"].isna() & _has_time(raw, mapping, keep)).to_numpy(dtype=bool)
    if not unread.any():
        return
    cells = _time_cells(raw, mapping.time, keep).astype(str).str.strip()
    if mapping.date and mapping.date != mapping.time:
        cells = _time_cells(raw, mapping.date, keep).astype(str).str.strip() + " " + cells
    stats.bad_times += _note_unread(stats.bad_time_rows, unread, cells, records, source)


def _note_unread(listed: list, unread: np.ndarray, cells: pd.Series, records: pd.DataFrame, source: str) -> int:
    """Add the first of the kept rows whose cell is ``unread`` to ``listed`` as (source, row, the cell as written),
    up to :data:`BAD_TIMES_LISTED` in all; how many are unread."""
    at = np.flatnonzero(unread)[:max(BAD_TIMES_LISTED - len(listed), 0)]
    rows = records["row"].to_numpy()[at]
    listed.extend((source, int(row), str(cell).strip()[:40])
                  for row, cell in zip(rows.tolist(), cells.take(at).tolist(), strict=True))
    return int(unread.sum())


def _reject_bad_rows(raw: pd.DataFrame, records: pd.DataFrame, source: str, seen_ids: _SeenIds, max_text_chars: int,
                     stats: IngestStats, sums: Sequence[str] = ()) -> pd.Series:
    lengths = records["text"].str.len()
    headers = header_rows(raw, records, lengths)
    totals = total_rows(raw, records["text"], sums)
    empty = lengths == 0
    long = lengths > max_text_chars
    keep = ~(empty | long | headers | totals)
    for i in records.index[~keep]:
        if headers[i]:
            reason, code, params = "a header row among the data (files joined together?)", "header_row", {}
        elif totals[i]:
            reason, code, params = "a total row (合计), not a suggestion", "total_row", {}
        elif empty[i]:
            reason, code, params = "empty text", "empty_text", {}
        else:
            reason = f"text has {lengths[i]:,} characters, more than the limit of {max_text_chars:,}"
            code, params = "text_too_long", {"chars": int(lengths[i]), "limit": max_text_chars}
        stats.rejects.append(Reject(source, int(records.at[i, "row"]), None if headers[i] else records.at[i, "id"],
                                    "*" if headers[i] else "text", reason, code, params))
    ok, name = keep.to_numpy(copy=True), source
    at = np.flatnonzero(ok)
    ids, rows = records["id"].take(at).tolist(), records["row"].to_numpy()[at]
    # Each id's first text is kept as a fingerprint: an id written again over another message (two exports each
    # numbered from 1) is said to be one, where it read as a row sent twice.
    prints = _fingerprints(records["text"])[at]
    if seen_ids.add_new(name, ids, rows, prints):  # the usual batch: no id in it seen before
        return pd.Series(ok, index=keep.index)
    # Plain lists and a numpy mask in the loop: pandas' per-element indexing cost half of ingest.
    first_at = seen_ids.first_at()
    for i, rid, row, fingerprint in zip(at.tolist(), ids, rows.tolist(), prints.tolist(), strict=True):
        first = first_at.get(rid)
        if first is None:
            first_at[rid] = (name, int(row), fingerprint)
            continue
        ok[i] = False
        differs = first[2] != fingerprint
        stats.rejects.append(Reject(
            name, int(row), rid, "id",
            f"duplicate id {rid!r}{' with a different text' if differs else ''} (first at {first[0]} row {first[1]})",
            "duplicate_id_other_text" if differs else "duplicate_id",
            {"id": rid, "first_row": first[1], "first_file": first[0]}))
    return pd.Series(ok, index=keep.index)


class _SeenIds:
    """The ids accepted so far, in all files: a later row repeating one is rejected, naming the first.

    A set of the ids, and each batch's ids and rows as read; where each id was first (file, row) is looked up
    in a dict only once a batch repeats one. Why: filling that dict for every id, a tuple for each, cost
    1.0 CPU-s per million ids in the process that reads the file (the set 0.3), and 0.1 GB held through the run.
    """

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._batches: list[tuple[str, list[str], np.ndarray, np.ndarray]] = []
        self._first_at: dict[str, tuple[str, int, int]] | None = None

    def add_new(self, name: str, ids: list[str], rows: np.ndarray, prints: np.ndarray) -> bool:
        """Remember ``ids`` (read at ``rows`` of file ``name``, their texts' :func:`_fingerprints`) if none of them
        was seen and none repeats; False, remembering nothing, if one does."""
        if self._first_at is not None or len(set(ids)) != len(ids) or not self._ids.isdisjoint(ids):
            return False
        self._ids.update(ids)
        self._batches.append((name, ids, rows, prints))
        return True

    def first_at(self) -> dict[str, tuple[str, int, int]]:
        """Id → (file, row, fingerprint) where it was first, for every id seen; the caller adds the ids it accepts."""
        if self._first_at is None:
            self._first_at = {}
            for name, ids, rows, prints in self._batches:
                self._first_at.update(zip(ids, zip(itertools.repeat(name), rows.tolist(), prints.tolist()), strict=True))
            self._ids, self._batches = set(), []
        return self._first_at


_PRINT_BYTES = np.arange(16)


def _fingerprints(text: pd.Series) -> np.ndarray:
    """Each text's length in bytes mixed with 16 of its bytes spread from its first to its last: enough to tell
    an id reused for another message from a row sent twice, read from the Arrow buffers in a few array steps.
    Why not ``hash``: turning every text into a Python string for it cost ingest half as much again (0.4 CPU-s on
    200,000 rows). Two texts of one length that differ only between the bytes looked at pass as one."""
    import pyarrow as pa

    arr = pa.array(text, pa.large_string())
    if arr.null_count:
        arr = arr.fill_null("")
    offsets = np.frombuffer(arr.buffers()[1], np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    length = np.diff(offsets)
    if not len(data):
        return length.astype(np.uint64)
    at = offsets[:-1, None] + np.maximum(length - 1, 0)[:, None] * _PRINT_BYTES // (len(_PRINT_BYTES) - 1)
    picked = data[np.minimum(at, len(data) - 1)].astype(np.uint64)  # an empty text's bytes are its neighbour's
    out = length.astype(np.uint64)
    with np.errstate(over="ignore"):
        for column in picked.T:
            out = (out * np.uint64(1099511628211)) ^ column
    return out


def read_side_table(path: str | Path, **read_csv: object) -> pd.DataFrame:
    """A small CSV beside the inputs (a taxonomy, corrections, a gold set), in its detected encoding; a file that
    is missing, empty or not CSV is one :class:`InputError` naming it. Why: each was read with ``pd.read_csv``
    on its own, and an empty one ended ``minsheng train`` or ``evaluate`` in pandas' EmptyDataError traceback."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=str(path), code="file_not_found")
    try:
        return pd.read_csv(path, encoding=detect_encoding(path), **read_csv)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read as CSV: {exc}", file=path.name, code="unparseable",
                         params={"format": "CSV"}) from None


def read_headers(path: str | Path) -> list[str]:
    """The column names of a file, as the user wrote them (for a column-mapping preview)."""
    path = Path(path)
    raw = next(_raw_batches(path, 1, header_only=True), None)
    if raw is None:
        raise InputError("file has no rows", file=path.name, code="no_rows")
    if len(raw.columns) == 0:  # every line read so far was unreadable (a JSON file cut short): say why
        bad = raw.attrs.get("bad_lines") or [(None, "file has no columns", "no_header", {})]
        row, reason, code, params = bad[0]
        raise InputError(reason, file=path.name, row=row, code=code, params=params)
    return [str(c) for c in raw.columns]


def reply_columns(path: str | Path) -> tuple[str | None, str | None]:
    """The columns of a published reply and of its time in a file's header (:data:`AUTO_HEADERS`), or None: a file
    of messages with their answers gets its replies scored without a flag."""
    find = role_finder(read_headers(path))
    return find("reply"), find("reply_time")


def count_rows(path: str | Path) -> int:
    """Data rows in a file (a quick pass, for progress bars), not counting rows of separators only, which the
    reader skips (:func:`_blank_rows`): an import of 10 rows and 3 cleared ones said 13 rows, 10 imported."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    return sum(rows_by_sheet(path).values())


def rows_by_sheet(path: str | Path, columns: ColumnMap | None = None) -> dict[str | None, int]:
    """:func:`count_rows` by sheet, where a workbook's several sheets are read (keyed by name; else None), with
    the header the reader finds by ``columns``: the import page says how many rows each sheet gives."""
    counts: dict[str | None, int] = {}
    for raw in _raw_batches(Path(path), BATCH_ROWS, partial(_needed, columns) if columns is not None else None):
        sheet = raw.attrs.get("sheet")
        counts[sheet] = counts.get(sheet, 0) + _filled_rows(raw) + len(raw.attrs.get("bad_lines", []))
    return counts


def _filled_rows(raw: pd.DataFrame) -> int:
    if raw.columns.empty:
        return len(raw)
    cells = raw.astype(object).where(raw.notna(), "")
    return int(cells.apply(lambda column: column.astype(str).str.strip() != "").any(axis=1).sum())


def read_records(paths: Iterable[str | Path], columns: ColumnMap | None = None,
                 **kwargs) -> tuple[pd.DataFrame, list[Reject]]:
    """Read all ``paths`` into one DataFrame (for small inputs: tests, training sets, the platform)."""
    stats = IngestStats()
    batches = list(iter_batches(paths, columns, stats=stats, **kwargs))
    frame = pd.concat(batches, ignore_index=True) if batches else pd.DataFrame(
        columns=["id", "text", "time", "user", "channel", "source", "row"])
    return frame, stats.rejects


def rejects_frame(rejects: Sequence[Reject]) -> pd.DataFrame:
    """Rejects as a table for ``rejects.csv``."""
    return pd.DataFrame([r.__dict__ for r in rejects], columns=["source", "row", "id", "field", "reason"])


__all__ = ["ColumnMap", "IngestStats", "Reject", "count_rows", "check_header_names", "detect_encoding", "line_one_unknown", "iter_batches", "read_headers",
           "read_records",
           "rejects_frame", "BATCH_ROWS", "MAX_TEXT_CHARS"]
