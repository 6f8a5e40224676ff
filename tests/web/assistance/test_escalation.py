"""Time limits by urgency and escalation, driven by a controllable clock (no sleeps)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from minsheng.assistance.models import Escalation
from minsheng.assistance.selectors.records import escalated_needs_for
from minsheng.assistance.services.escalation import needs_escalate
from minsheng.assistance.services.feedback import feedback_record
from minsheng.assistance.services.needs import need_create

from .conftest import walk

T0 = timezone.now().replace(microsecond=0) - timedelta(days=60)


def _need(aid, urgency, now=T0, recipient=None):
    return need_create(actor=aid.cadre_a, recipient=recipient or aid.grandma_a, need_type="daily_care",
                       channel="cadre", description="需要帮忙买药", urgency=urgency, now=now)


def test_time_limits_follow_urgency_and_are_configurable(aid, settings):
    assert _need(aid, "urgent").due_at == T0 + timedelta(hours=24)
    assert _need(aid, "normal").due_at == T0 + timedelta(days=7)
    settings.ASSISTANCE_SLA_HOURS = {**settings.ASSISTANCE_SLA_HOURS, "urgent": 4}
    assert _need(aid, "urgent").due_at == T0 + timedelta(hours=4)


def test_overdue_work_goes_to_the_station_then_to_civil_affairs(aid):
    need = _need(aid, "urgent")
    assert needs_escalate(now=T0 + timedelta(hours=23)) == []
    first = needs_escalate(now=T0 + timedelta(hours=25))
    assert [(e.need_id, e.level) for e in first] == [(need.pk, 1)]
    # Level 1 reaches the station manager of the town, not yet civil affairs.
    assert list(escalated_needs_for(aid.station)) == [need] and list(escalated_needs_for(aid.civil)) == []
    assert needs_escalate(now=T0 + timedelta(hours=26)) == []  # running again raises nothing twice
    second = needs_escalate(now=T0 + timedelta(hours=49))
    assert [(e.need_id, e.level) for e in second] == [(need.pk, 2)]
    need.refresh_from_db()
    assert need.escalation_level == 2
    assert list(escalated_needs_for(aid.station)) == [need] and list(escalated_needs_for(aid.civil)) == [need]
    assert list(escalated_needs_for(aid.cadre_a)) == [] and list(escalated_needs_for(aid.volunteer)) == []


def test_a_need_late_by_two_limits_jumps_straight_to_civil_affairs(aid):
    _need(aid, "normal")
    raised = needs_escalate(now=T0 + timedelta(days=15))
    assert sorted(e.level for e in raised) == [1, 2]


def test_served_and_closed_needs_are_not_escalated(aid, need_a):
    walk(need_a, "served", aid=aid)
    assert needs_escalate(now=timezone.now() + timedelta(days=90)) == []


def test_a_reopened_need_gets_a_fresh_time_limit(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    later = timezone.now() + timedelta(days=30)
    feedback_record(actor=aid.cadre_a, need=need, source="revisit", satisfaction=1, now=later)
    need.refresh_from_db()
    assert need.due_at == later + timedelta(days=7) and need.escalation_level == 0
    assert needs_escalate(now=later + timedelta(days=6)) == []
    assert [e.level for e in needs_escalate(now=later + timedelta(days=8))] == [1]


def test_the_management_command_takes_the_clock_as_an_option(aid):
    _need(aid, "urgent")
    out = StringIO()
    call_command("assistance_escalate", "--now", (T0 + timedelta(hours=30)).isoformat(), stdout=out)
    assert "1 to station managers, 0 to civil affairs" in out.getvalue()
    assert Escalation.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("assistance_escalate", "--now", "tomorrow")


def test_the_escalation_task_runs_with_the_real_clock(aid):
    from minsheng.assistance.tasks import escalate_overdue

    _need(aid, "urgent")  # recorded 60 days ago: long overdue now
    result = escalate_overdue.enqueue()
    assert result.return_value == 2
