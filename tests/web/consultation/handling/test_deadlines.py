"""办理时限: a deadline is the end of the N-th (working) day after the local day a department received it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from minsheng.consultation.handling.deadlines import days_left, due_after, due_for, extend
from minsheng.consultation.handling.models import HandlingLimit
from minsheng.consultation.handling.selectors import due_mark
from minsheng.consultation.intake.models import Suggestion
from minsheng.forms import moment_words

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _shanghai():
    with timezone.override(SHANGHAI):
        yield


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_working_days_skip_the_weekend_and_calendar_days_do_not():
    friday = at("2026-12-04T10:00")
    assert due_after(friday, 3, working=True) == at("2026-12-09T23:59:59")  # Wednesday
    assert due_after(friday, 3, working=False) == at("2026-12-07T23:59:59")  # Monday


def test_the_local_day_counts_not_the_utc_one():
    # 20:00 UTC on Friday is already Saturday in Beijing: one working day later is Monday, not Monday via Friday.
    start = datetime(2026, 12, 4, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert due_after(start, 1, working=True) == at("2026-12-07T23:59:59")


def test_an_extension_adds_days_counted_the_same_way():
    assert extend(at("2026-12-09T23:59:59"), 2, working=True) == at("2026-12-11T23:59:59")
    assert extend(at("2026-12-11T23:59:59"), 1, working=True) == at("2026-12-14T23:59:59")


def test_marks_read_as_days_left_due_today_or_days_late():
    due = at("2026-12-09T23:59:59")
    s = Suggestion(due_at=due, status=Suggestion.Status.RECEIVED)
    assert due_mark(s, at("2026-12-06T09:00")) == ("剩余 3 天", "due")
    assert due_mark(s, at("2026-12-09T08:00")) == ("今日到期", "due-today")
    assert due_mark(s, at("2026-12-10T00:30")) == ("超时 1 天", "late")
    assert days_left(due, at("2026-12-12T12:00")) == -3
    s.status, s.answered_at = Suggestion.Status.REPLIED, due - timedelta(days=1)
    assert due_mark(s, at("2026-12-20T00:00")) == ("按时办结", "on-time")
    s.answered_at = due + timedelta(minutes=1)
    assert due_mark(s, at("2026-12-20T00:00")) == ("超时办结", "late")
    assert due_mark(Suggestion(status=Suggestion.Status.RECEIVED), at("2026-12-20T00:00")) is None


@pytest.mark.django_db
def test_a_department_may_have_its_own_time_limit(cast):
    cast.campaign.handling_days, cast.campaign.handling_working_days = 10, False
    HandlingLimit.objects.create(campaign=cast.campaign, department=cast.dept_b, days=2)
    start = at("2026-12-04T10:00")
    assert due_for(cast.campaign, cast.dept_a.pk, start) == at("2026-12-14T23:59:59")
    assert due_for(cast.campaign, cast.dept_b.pk, start) == at("2026-12-06T23:59:59")
    assert due_for(cast.campaign, None, start) is None


@pytest.mark.django_db
def test_every_way_into_a_department_starts_its_clock(cast, routed):
    from minsheng.consultation.workbench.services import reply_rate, reply_send, suggestion_reassign

    s = routed()
    assert s.due_at is not None and s.due_at > timezone.now() + timedelta(days=14)  # 15 working days
    HandlingLimit.objects.create(campaign=cast.campaign, department=cast.dept_b, days=1)
    moved = suggestion_reassign(user=cast.officer_a, suggestion_id=s.pk, from_department=cast.dept_a,
                                to_department=cast.dept_b)
    assert moved.due_at < s.due_at  # 教育局's own single day
    reply_send(user=cast.officer_b, department=cast.dept_b, suggestion_ids=[s.pk], text="已安排")
    s.refresh_from_db()
    assert s.answered_at is not None and s.answered_at <= s.due_at
    reply_rate(suggestion=s, rating="unsatisfied")
    s.refresh_from_db()
    assert s.status == "in_review" and s.answered_at is None and s.due_at is not None  # reopened, a fresh clock


@pytest.mark.django_db
def test_the_citizen_sees_by_when_the_department_answers(cast, routed, client):
    s = routed()
    assert f"{moment_words(s.due_at, '')}前答复" in client.get(f"/r/{s.receipt}/").content.decode()
