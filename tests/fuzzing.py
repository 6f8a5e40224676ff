"""How many examples each Hypothesis property runs: the count the test names (derandomized, so CI is repeatable
and stays as fast as it was), or that count times ``MINSHENG_FUZZ`` with fresh random examples, to search::

    MINSHENG_FUZZ=50 pytest tests/engine/test_any_input.py      # 8 examples -> 400, a new seed each run

A failure found while searching is printed with its example; keep it as a regular test beside the property."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FACTOR = int(os.environ.get("MINSHENG_FUZZ") or 0)


def examples(n: int) -> settings:
    """Settings for a property worth ``n`` examples in CI; no deadline (analyses take seconds, unevenly)."""
    return settings(max_examples=n * FACTOR if FACTOR else n, deadline=None, derandomize=not FACTOR,
                    suppress_health_check=list(HealthCheck))
