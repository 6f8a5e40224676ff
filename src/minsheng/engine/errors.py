"""Errors that name what is wrong in the user's input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input the user must fix, with the file, row and field it concerns.

    The CLI prints it as a single line (no traceback); the platform shows it next to the upload, in its own
    words: ``code`` names the kind of problem and ``params`` the values the message quotes, so a program can
    say it in another language without parsing the English.

    >>> str(InputError("no text column", file="a.csv", field="text"))
    'a.csv: field text: no text column'
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, field: str | None = None,
                 code: str = "", params: dict | None = None):
        self.message, self.file, self.row, self.field = message, file, row, field
        self.code, self.params = code, params or {}
        where = [p for p in (file, f"row {row}" if row is not None else None,
                             f"field {field}" if field else None) if p]
        super().__init__(": ".join([*where, message]))


def require_columns(frame, *columns: str | None) -> None:
    """Raise :class:`InputError` naming the first of ``columns`` (``None`` entries skipped) not in ``frame``."""
    for column in columns:
        if column is not None and column not in frame.columns:
            raise InputError(f"missing column {column!r}", field=column, code="column_not_found",
                             params={"column": column})
