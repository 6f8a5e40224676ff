"""The demo district: generated through the services, every state present, demo users can sign in."""

from __future__ import annotations

import time

from django.contrib.auth import authenticate

from minsheng.assistance.models import Escalation, Feedback, Need, Recipient


def test_the_demo_holds_every_state_and_prints_working_passwords(db, settings):
    from minsheng.demo.assistance import seed_assistance

    started = time.perf_counter()
    result = seed_assistance(recipients=60, seed=3)
    seconds = time.perf_counter() - started
    statuses = set(Need.objects.values_list("status", flat=True))
    assert statuses == set(Need.Status.values), statuses
    assert result["recipients"] == Recipient.objects.count() == 60 and result["needs"] == Need.objects.count()
    assert Need.objects.filter(reopen_count__gt=0, status="closed").exists()
    assert Escalation.objects.exists() and Feedback.objects.filter(satisfaction__lte=2).exists()
    for username in ("civil", "station", "social", "volunteer", "cadre", "workteam", "elder"):
        assert authenticate(username=username, password=result["passwords"][username]) is not None, username
    elder = Recipient.objects.get(user__username="elder")
    assert elder.name == "李秀英" and elder.needs.filter(status="served").exists()  # something to rate on /me/
    again = seed_assistance(recipients=60, seed=3)  # idempotent: nothing added, new passwords only
    assert again["needs"] == result["needs"] and again["passwords"]["elder"] != result["passwords"]["elder"]
    print(f"demo with 60 recipients, {result['needs']} needs: {seconds:.1f}s")


def test_the_station_has_someone_to_dispatch_to(db):
    """Seeded at the demo's size (300 recipients, seed 7), every provider ended at their limit: 70 of the 92 needs
    waiting to be dispatched offered the station nobody who could take them (the demo's 待派单 → 派单)."""
    from minsheng.assistance.selectors.dispatch import candidates_for
    from minsheng.demo.assistance import seed_assistance

    seed_assistance(recipients=300, seed=7)
    waiting = Need.objects.filter(status="communicated")
    stuck = [n.pk for n in waiting if not any(c.eligible for c in candidates_for(n))]
    assert waiting.count() >= 30 and stuck == []


def test_the_demos_unfinished_work_is_days_old_not_months(db):
    """The demo's open offers read 超时 51 天 on a volunteer's worklist: a quarter of the unfinished needs were
    started 5 to 55 days ago, as finished ones are. A district that keeps up has work a few days late, and some
    of it escalated, but nothing left waiting for weeks: every need not yet closed (awaiting the revisit too) was
    registered within the last fortnight, and some are still overdue (the 督办 list has something to show)."""
    from datetime import timedelta

    from django.utils import timezone

    from minsheng.demo.assistance import seed_assistance

    seed_assistance(recipients=300, seed=7)  # the demo's size and seed
    now = timezone.now()
    unfinished = Need.objects.exclude(status=Need.Status.CLOSED)
    oldest = min(unfinished.values_list("created_at", flat=True))
    assert now - oldest <= timedelta(days=14), f"a need unfinished since {now - oldest}"
    late = [now - due for due in unfinished.filter(status__in=Need.OPEN_STATUSES).values_list("due_at", flat=True)]
    assert max(late) <= timedelta(days=14) and sum(t > timedelta(0) for t in late) >= 3
    assert Escalation.objects.exists()


def test_the_demos_home_visits_and_revisits_come_by_day(db):
    """The demo's need pages read 签到 12-06 22:27（李秀英家中） · 签退 01:20: a fifth of its home visits began between
    midnight and six, and 33 of 353 ended the next day. Visits and revisits come in working hours; work of the
    last hours before the seed, whose next morning has not come, stays where it fell."""
    from datetime import timedelta

    from django.utils import timezone

    from minsheng.assistance.models import Feedback, Visit
    from minsheng.demo.assistance import seed_assistance

    before = timezone.now() - timedelta(hours=16)
    seed_assistance(recipients=300, seed=7)  # the demo's size and seed
    visits = Visit.objects.filter(checkin_at__lt=before)
    assert visits.count() > 200
    night = [timezone.localtime(v.checkin_at) for v in visits if not 8 <= timezone.localtime(v.checkin_at).hour < 17]
    assert night == []
    late = [v.pk for v in visits.exclude(checkout_at=None).filter(checkout_at__lt=before)
            if timezone.localtime(v.checkout_at).date() != timezone.localtime(v.checkin_at).date()
            or timezone.localtime(v.checkout_at).hour >= 20]
    assert late == []
    revisits = Feedback.objects.filter(source="revisit", recorded_at__lt=before)
    assert [f.pk for f in revisits if not 8 <= timezone.localtime(f.recorded_at).hour < 17] == []
