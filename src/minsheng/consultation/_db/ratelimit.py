"""Fixed-window rate limits counted in the database, so every server process shares one counter.

One upsert per check (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) works the same on SQLite and
PostgreSQL and needs no extra service such as Redis.

For generous limits (a partner's 120,000 a minute) a process does not go to the database for every
request: it reserves a *lease* of up to 1/50 of the limit at once and spends it locally. The price is that
a window may close up to one unspent lease per process early; small limits (the public page's 5 a
minute) get leases of one, so they are exact.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction

from minsheng.consultation._db.models import RateWindow

LEASE_FRACTION = 50
_leases: dict[str, tuple[int, int]] = {}  # key@period -> (window, tokens left in this process)
_lock = threading.Lock()


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int


def rate_hit(*, key: str, limit: int, period: int = 60, cost: int = 1, now: float | None = None) -> RateDecision:
    """Count ``cost`` against ``key`` for the current window; refused hits are not counted."""
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"{key}@{period}"
    lease = max(1, limit // LEASE_FRACTION)
    with _lock:
        held_window, left = _leases.get(key, (window, 0))
        if held_window == window and left >= cost:
            _leases[key] = (window, left - cost)
            return RateDecision(True, 0)
    left = left if held_window == window else 0
    reserve = max(cost - left, lease)
    if not _reserve(key, window, reserve, limit):
        reserve = cost - left
        if reserve <= 0 or not _reserve(key, window, reserve, limit):
            return RateDecision(False, int((window + 1) * period - now) + 1)
    with _lock:
        held_window, now_left = _leases.get(key, (window, 0))
        now_left = now_left if held_window == window else 0
        _leases[key] = (window, now_left + reserve - cost)
    if random.random() < 0.001:
        RateWindow.objects.filter(key__endswith=f"@{period}", window__lt=window - 1).delete()
    return RateDecision(True, 0)


def _reserve(key: str, window: int, amount: int, limit: int) -> bool:
    """Add ``amount`` to the shared counter unless that would pass ``limit``."""
    table = RateWindow._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A counter is not precious: losing the last hits in a crash is fine, so this commit does not
            # wait for the disk. The suggestions themselves are always committed durably.
            cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            f'INSERT INTO {table} ("key", "window", "count") VALUES (%s, %s, %s) '
            f'ON CONFLICT ("key", "window") DO UPDATE SET "count" = {table}."count" + EXCLUDED."count" '
            'RETURNING "count"',
            [key, window, amount],
        )
        if cursor.fetchone()[0] <= limit:
            return True
        cursor.execute(f'UPDATE {table} SET "count" = "count" - %s WHERE "key" = %s AND "window" = %s',
                       [amount, key, window])
        return False


def rate_leases_clear() -> None:
    """Forget this process's leases (tests, and after changing a limit)."""
    with _lock:
        _leases.clear()
