"""The capped paginator counts at most ``cap`` rows and says when it stopped."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_stops_counting_at_the_cap(cast):
    from minsheng.consultation._db.paging import CappedPaginator
    from minsheng.consultation.intake.services import suggestion_submit

    for i in range(7):
        suggestion_submit(campaign=cast.campaign, text=f"建议{i}")
    qs = cast.campaign.suggestions.order_by("pk")
    capped = CappedPaginator(qs, 2, cap=5)
    assert capped.count == 5 and capped.capped and capped.num_pages == 3
    assert [s.text for s in capped.get_page(3)] == ["建议4"]
    whole = CappedPaginator(qs, 2, cap=10)
    assert whole.count == 7 and not whole.capped
