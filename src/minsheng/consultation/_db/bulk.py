"""``INSERT … ON CONFLICT DO NOTHING RETURNING``: insert many rows and learn which ones were new, in one trip.

Django's ``bulk_create(ignore_conflicts=True)`` cannot say which rows it skipped, so the intake would need a
second query to read them back. Both PostgreSQL and SQLite (≥ 3.35) return exactly the inserted rows here;
the SQL is built from the model's own field list, so it follows migrations.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.apps import apps
from django.db import connection
from django.db.models import Model


def insert_new(rows: Sequence[Model], *, returning: Sequence[str], chunk: int = 1000) -> list[tuple]:
    """Insert ``rows`` (all of one model), skip those that break a unique constraint, return the new ones."""
    if not rows:
        return []
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            values = [[f.get_db_prep_save(f.pre_save(row, True), connection) for row in part] for f in fields]
            if connection.vendor == "postgresql" and len(part) > 20:
                # One array per column: 17 parameters instead of 17,000 keeps the driver's query parsing cheap.
                params = values
            else:
                params = [value for row in zip(*values, strict=True) for value in row]
            cursor.execute(_sql(meta.label, tuple(returning), len(part), connection.vendor, len(params)), params)
            out.extend(cursor.fetchall())
    return out


@lru_cache(maxsize=64)
def _sql(label: str, returning: tuple[str, ...], n_rows: int, vendor: str, n_params: int) -> str:
    meta = apps.get_model(label)._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    if n_params == len(fields) and n_rows > 1:
        body = "SELECT * FROM unnest(" + ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields) + ")"
    else:
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        body = "VALUES " + ", ".join([one] * n_rows)
    back = ", ".join(quote(meta.get_field(name).column) for name in returning)
    return f"{head}{body} ON CONFLICT DO NOTHING RETURNING {back}"
