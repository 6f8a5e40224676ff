"""One owner for the analysis output: :class:`AnalysisResult` and the directory it is written to.

This module is the only code that knows the output's file names, its columns' dtypes and its format version;
the engine builds an :class:`AnalysisResult`, the command line writes it with :func:`write_result`, and the
reports and the platform read it back with :func:`read_result`. Tables are CSV (people open them) and the
per-record table is Parquet; the dtype of every CSV column is recorded in ``summary.json`` when written, so
a reader gets back what was written (an id of digits stays a string, a time is a real timestamp) instead of
what pandas guesses. Times are real timestamps or null, never strings: in ``summary.json`` they are ISO 8601
or ``null``.

Writing is safe to interrupt: ``summary.json`` is removed first and written last, every file goes to a
temporary name and is renamed, and files a previous run left that this result does not have are removed, so a
directory either holds one complete result or has no ``summary.json``.

>>> result = read_result("out/analysis")              # doctest: +SKIP
>>> result.summary["accepted"], len(result.records)   # doctest: +SKIP
(1018000, 1018000)
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from minsheng.engine.cells import FORMULA_STARTS, formula_safe_frame
from minsheng.engine.errors import InputError
from minsheng.engine.masking import mask_names_frame, names_in, some_for_masks

__all__ = ["FORMAT_VERSION", "TABLES", "TIED_DEPARTMENTS", "AnalysisResult", "model_path", "read_result", "write_result"]

#: Raised when the files or their meaning change; a reader refuses a newer version than its own.
FORMAT_VERSION = 1
RECORDS_FILE, SUMMARY_FILE = "records.parquet", "summary.json"
#: Table attributes of :class:`AnalysisResult` and their files.
TABLES = {
    "campaigns": "campaigns.csv",
    "rejects": "rejects.csv",
    "themes": "themes.csv",
    "hot_issues": "hot_issues.csv",
    "suggestions": "suggestions.csv",
    "novel": "novel.csv",
    "replies": "replies.csv",
    "replies_by_department": "replies_by_department.csv",
}
#: Fitted models kept beside the result (the platform assigns new suggestions with them).
MODELS = {"themes": "theme_model.joblib", "digest": "digest_model.joblib"}
#: Columns that hold times in every table (also read as times from a directory written without a schema).
TIME_COLUMNS = {"time", "time_start", "time_end", "first_time", "last_time", "reply_time"}
#: Columns that hold text in every table: recorded, and read without a schema, as text even when every cell is
#: empty (pandas makes such a column float64 NaN, and a report would treat novel.csv's empty titles as numbers).
TEXT_COLUMNS = {"id", "title", "proposal", "why", "department", "place", "places", "districts", "headline",
                "description", "campaigns", "weekly", "member_ids", "place_or_group", "label", "keywords",
                "parent_id", "kind", "elements", *(f"quote_{i}" for i in range(1, 6)),
                *(f"representative_{i}" for i in range(1, 4))}
#: Joins the departments a digest suggestion's members split evenly between, in its ``department``
#: (``交通运输局、教育局``): none of them owns it (:func:`minsheng.engine.digest_members.departments`).
TIED_DEPARTMENTS = "、"
_SUMMARY_TIMES = ("time_start", "time_end")
ISO = "%Y-%m-%dT%H:%M:%S.%f"


@dataclass
class AnalysisResult:
    """Everything one analysis produces; a table is ``None`` when its step did not run.

    ``records`` has one row per accepted input row (see :mod:`minsheng.engine` for its columns);
    ``summary`` holds counts, options, stage timings and ``time_start``/``time_end`` (``pd.Timestamp`` or
    ``None``); ``models`` maps a name of :data:`MODELS` to the fitted object.
    """

    records: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    rejects: pd.DataFrame | None = None
    campaigns: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    hot_issues: pd.DataFrame | None = None
    suggestions: pd.DataFrame | None = None
    novel: pd.DataFrame | None = None
    replies: pd.DataFrame | None = None
    replies_by_department: pd.DataFrame | None = None
    models: dict[str, Any] = field(default_factory=dict)
    #: Set by :func:`mask_tables`: masking again would find nothing more, so it is not done again.
    tables_masked: bool = False

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by attribute name."""
        return {name: getattr(self, name) for name in TABLES if getattr(self, name) is not None}


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _kind(series: pd.Series) -> str:
    if series.name in TIME_COLUMNS or pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    if series.name in TEXT_COLUMNS:
        return "string"
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "Int64"
    if pd.api.types.is_float_dtype(series):
        return "float64"
    return "string"


def _time(value) -> pd.Timestamp | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp


def _json_default(value):
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = _time(value)
        return None if stamp is None else stamp.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Path):
        return str(value)
    if value is pd.NaT or value is pd.NA:
        return None
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def mask_tables(result: AnalysisResult) -> AnalysisResult:
    """``result`` with full names and doors' numbers masked in its tables (:func:`~minsheng.engine.masking.mask_names`,
    :func:`~minsheng.engine.masking.mask_doors`), their counts added to the summary; the records untouched.

    What is handed on names roles, not people, and a road, not a home. The analysis read them as written (places,
    themes) and an officer acting on a letter reads it so; a name learnt where a post stands before it is masked
    wherever a table writes it ("得到邓峰其的回答"). :func:`write_result` does it; the platform does it before it
    loads the tables its pages show. Masking twice would find nothing more, so a masked result is returned as it is."""
    if result.tables_masked:  # the platform masks before it loads the tables, then writes them
        return result
    known = names_in(result.records["text"]) if "text" in result.records else frozenset()
    masked, tables = Counter(), {}
    for name, table in result.tables().items():
        tables[name], counts = mask_names_frame(table, known)
        masked += counts
    if "suggestions" in tables:  # a headline stands for many writers: 某 where a name or a door was masked
        tables["suggestions"] = tables["suggestions"].assign(
            headline=tables["suggestions"]["headline"].map(some_for_masks, na_action="ignore"))
    summary = dict(result.summary)
    for kind in ("names", "doors"):
        summary[f"{kind}_masked_in_tables"] = summary.get(f"{kind}_masked_in_tables", 0) + masked[kind]
    return dataclasses.replace(result, summary=summary, tables_masked=True, **tables)


def write_result(result: AnalysisResult, out_dir: str | Path) -> Path:
    """Write ``result`` into ``out_dir`` (created if needed), its tables masked (:func:`mask_tables`); returns the
    directory."""
    start = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / SUMMARY_FILE).unlink(missing_ok=True)  # from here until the end the directory does not look finished
    with ThreadPoolExecutor(1, thread_name_prefix="minsheng-records") as beside:
        # Arrow encodes the records without the GIL while this thread masks and writes the tables (Python):
        # at a million records 1.4 CPU-s of Parquet, which ran alone after the masking at the run's end.
        records = beside.submit(_atomic, out / RECORDS_FILE, functools.partial(result.records.to_parquet, index=False))
        result = mask_tables(result)
        schema = _write_tables(result, out)
        records.result()
    summary = {**result.summary, "format_version": FORMAT_VERSION, "schema": schema}
    summary["write_seconds"] = round(time.perf_counter() - start, 3)
    for key in _SUMMARY_TIMES:
        summary[key] = _time(summary.get(key))
    text = json.dumps(summary, ensure_ascii=False, indent=2, default=_json_default)
    _atomic(out / SUMMARY_FILE, lambda p: p.write_text(text, "utf-8"))
    return out


def _write_tables(result: AnalysisResult, out: Path) -> dict[str, dict[str, str]]:
    """The tables (CSV) and models of ``result`` into ``out``; the schema of the tables written."""
    import joblib

    schema: dict[str, dict[str, str]] = {}
    for name, file in TABLES.items():
        table = getattr(result, name)
        if table is None:
            (out / file).unlink(missing_ok=True)
            continue
        schema[file] = {str(c): _kind(table[c]) for c in table.columns}
        times = [c for c, kind in schema[file].items() if kind == "datetime"]
        table = formula_safe_frame(table.assign(**{c: pd.to_datetime(table[c], errors="coerce") for c in times}))
        _atomic(out / file, lambda p, t=table: t.to_csv(p, index=False, date_format=ISO))
    for name, file in MODELS.items():
        model = result.models.get(name)
        if model is None:
            (out / file).unlink(missing_ok=True)
        else:
            _atomic(out / file, lambda p, m=model: joblib.dump(m, p))
    return schema


def model_path(out_dir: str | Path, name: str) -> Path:
    """Where the model ``name`` of :data:`MODELS` of the result in ``out_dir`` is (it may not exist)."""
    return Path(out_dir) / MODELS[name]


@functools.lru_cache(maxsize=4)
def load_model(path: str, kind: type):
    """The fitted ``kind`` saved at ``path``, loaded once per process: every partition a worker maps asks for it,
    and shipping a 40 MB model with each partition is what the path is there to avoid."""
    import joblib

    model = joblib.load(path)
    if not isinstance(model, kind):
        raise InputError(f"not a {kind.__name__}: {path}", file=path)
    return model


def read_result(out_dir: str | Path, *, record_columns: Iterable[str] | None = None,
                tables: Iterable[str] | None = None, models: bool = False) -> AnalysisResult:
    """Read the result in ``out_dir``: only ``record_columns`` of the records (all by default, those absent
    are skipped), only ``tables`` (all by default), and the fitted models when ``models``.

    Raises :class:`InputError` naming the file when the directory holds no result, a file cannot be read, or
    it was written by a newer format than this code reads.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError("not an analysis output directory", file=str(out))
    summary = _read_summary(out / SUMMARY_FILE)
    records_path = out / RECORDS_FILE
    if not summary and not records_path.exists():
        raise InputError(f"neither {SUMMARY_FILE} nor {RECORDS_FILE} found", file=str(out))
    result = AnalysisResult(records=_read_records(records_path, record_columns), summary=summary)
    schema = summary.get("schema") or {}
    for name in TABLES if tables is None else tables:
        setattr(result, name, _read_table(out / TABLES[name], schema.get(TABLES[name])))
    if models:
        import joblib

        for name, file in MODELS.items():
            if (out / file).exists():
                result.models[name] = joblib.load(out / file)
    return result


def _read_summary(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON: {exc}", file=str(path)) from exc
    if not isinstance(summary, dict):
        raise InputError("not an analysis summary", file=str(path))
    version = summary.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputError(f"written by a newer minsheng (format {version}, this one reads {FORMAT_VERSION})",
                         file=str(path))
    for key in _SUMMARY_TIMES:
        try:
            summary[key] = _time(summary.get(key))
        except (ValueError, TypeError):  # an older writer stored "NaT" or another unreadable string
            summary[key] = None
    return summary


def _read_records(path: Path, columns: Iterable[str] | None) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=["id", "text", "time"])
    import pyarrow.parquet as pq

    try:
        if columns is None:
            return pd.read_parquet(path)
        names = pq.ParquetFile(path).schema_arrow.names
        return pd.read_parquet(path, columns=[c for c in columns if c in names])
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read: {exc}", file=str(path)) from exc


def _read_table(path: Path, schema: dict[str, str] | None) -> pd.DataFrame | None:
    if not path.exists():
        return None
    if schema is None:  # written without a schema: pandas infers, times are parsed by name
        schema = {}
    dtypes = {c: k for c, k in schema.items() if k != "datetime"} or dict.fromkeys(TEXT_COLUMNS, "string")
    try:
        # Only an empty cell is missing: a text "NA" or "null" stays a text.
        frame = pd.read_csv(path, encoding="utf-8", dtype=dtypes, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=list(schema))
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise InputError(f"cannot read: {exc}", file=str(path)) from exc
    for col in frame.columns:
        if schema.get(col) == "datetime" or (col not in schema and col in TIME_COLUMNS):
            frame[col] = pd.to_datetime(frame[col], errors="coerce", format="ISO8601")
        elif pd.api.types.is_string_dtype(frame[col]) or frame[col].dtype == object:
            frame[col] = _unescape(frame[col])
    return frame


def _unescape(column: pd.Series) -> pd.Series:
    """Undo :func:`~minsheng.engine.cells.formula_safe`: the apostrophe written before a formula-like text.

    Why a first look for any apostrophe: pandas' string methods cost a fixed part of a millisecond each per
    column, and the five the whole test takes made half of reading a 5,000-row result's tables (40 text columns),
    where hardly any cell starts with one; the test itself stays vectorised (Arrow), for tables of a million rows.
    """
    text = column.astype("string")
    quoted = text.str.startswith("'")
    if not quoted.any():
        return column
    escaped = (quoted & text.str.slice(1, 2).isin(FORMULA_STARTS)).fillna(False).astype(bool)
    return column.mask(escaped, text.str.slice(1)) if escaped.any() else column
