"""A paginator whose count stops at a cap, so a list over a million suggestions never counts them all.

``COUNT(*)`` over a million rows (or over a substring search, which cannot use an index) costs more than the
page itself; past a few hundred pages nobody pages on, they narrow the filters. The count runs on a subquery
with ``LIMIT cap + 1``, and the pager says "10,000+" when the cap was reached.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = 10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        # Without ORDER BY: a sliced subquery keeps the ordering, and sorting every match to count the first
        # ten thousand is exactly the cost this class exists to avoid.
        objects = self.object_list.order_by() if hasattr(self.object_list, "order_by") else self.object_list
        n = objects[:self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)
