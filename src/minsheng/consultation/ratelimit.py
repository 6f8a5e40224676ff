"""Fixed-window rate limits counted in the database, so every server process shares one counter.

One upsert per check (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) works the same on SQLite and
PostgreSQL and needs no extra service such as Redis.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from minsheng.consultation.models import RateWindow


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int


def rate_hit(*, key: str, limit: int, period: int = 60, cost: int = 1, now: float | None = None) -> RateDecision:
    """Count ``cost`` against ``key`` for the current window; refused hits are not counted."""
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"{key}@{period}"
    table = RateWindow._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "window", "count") VALUES (%s, %s, %s) '
            f'ON CONFLICT ("key", "window") DO UPDATE SET "count" = {table}."count" + EXCLUDED."count" '
            'RETURNING "count"',
            [key, window, cost],
        )
        count = cursor.fetchone()[0]
        if count > limit:
            cursor.execute(f'UPDATE {table} SET "count" = "count" - %s WHERE "key" = %s AND "window" = %s',
                           [cost, key, window])
            return RateDecision(False, int((window + 1) * period - now) + 1)
    if random.random() < 0.001:
        RateWindow.objects.filter(key__endswith=f"@{period}", window__lt=window - 1).delete()
    return RateDecision(True, 0)
