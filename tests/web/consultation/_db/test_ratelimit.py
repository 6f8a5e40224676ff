"""The database rate limiter: shared counts, windows that roll over, refused hits not counted."""

from __future__ import annotations

from minsheng.consultation._db.ratelimit import rate_hit


def test_it_allows_up_to_the_limit_in_one_window(db):
    decisions = [rate_hit(key="k", limit=3, now=120.0).allowed for _ in range(4)]
    assert decisions == [True, True, True, False]


def test_the_next_window_starts_afresh(db):
    for _ in range(3):
        rate_hit(key="k", limit=3, now=120.0)
    assert not rate_hit(key="k", limit=3, now=179.0).allowed
    assert rate_hit(key="k", limit=3, now=180.0).allowed


def test_a_refused_batch_does_not_eat_the_budget(db):
    assert not rate_hit(key="k", limit=10, cost=11, now=0.0).allowed
    assert rate_hit(key="k", limit=10, cost=10, now=0.0).allowed


def test_keys_and_periods_are_independent(db):
    assert rate_hit(key="a", limit=1, now=0.0).allowed
    assert rate_hit(key="b", limit=1, now=0.0).allowed
    assert rate_hit(key="a", limit=1, period=86400, now=0.0).allowed
    decision = rate_hit(key="a", limit=1, now=30.0)
    assert not decision.allowed and decision.retry_after == 31


def test_generous_limits_reserve_leases_instead_of_one_query_per_hit(db, django_assert_max_num_queries):
    rate_hit(key="big", limit=5000, now=0.0)
    with django_assert_max_num_queries(0):
        for _ in range(99):
            assert rate_hit(key="big", limit=5000, now=1.0).allowed


def test_leases_never_let_the_shared_count_pass_the_limit(db):
    from minsheng.consultation._db.models import RateWindow
    from minsheng.consultation._db.ratelimit import rate_leases_clear

    allowed = 0
    for i in range(300):
        if i % 7 == 0:
            rate_leases_clear()  # as if another process took the next hit
        allowed += rate_hit(key="k2", limit=200, now=5.0).allowed
    assert allowed <= 200
    assert RateWindow.objects.get(key="k2@60").count <= 200
