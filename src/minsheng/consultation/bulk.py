"""``INSERT … ON CONFLICT DO NOTHING RETURNING``: insert many rows and learn which ones were new, in one trip.

Django's ``bulk_create(ignore_conflicts=True)`` cannot say which rows it skipped, so the intake would need a
second query to read them back. Both PostgreSQL and SQLite (≥ 3.35) return exactly the inserted rows here;
the SQL is built from the model's own field list, so it follows migrations.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def insert_new(rows: Sequence[Model], *, returning: Sequence[str], chunk: int = 1000) -> list[tuple]:
    """Insert ``rows`` (all of one model), skip those that break a unique constraint, return the new ones."""
    if not rows:
        return []
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    back = ", ".join(quote(meta.get_field(name).column) for name in returning)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    out: list[tuple] = []
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            values = [[f.get_db_prep_save(f.pre_save(row, True), connection) for row in part] for f in fields]
            if connection.vendor == "postgresql":
                # One array per column: 17 parameters instead of 17,000 keeps the driver's query parsing cheap.
                arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
                sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"
                params = values
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}"
                params = [value for row in zip(*values, strict=True) for value in row]
            cursor.execute(f"{sql} ON CONFLICT DO NOTHING RETURNING {back}", params)
            out.extend(cursor.fetchall())
    return out
