"""Time limits and escalation: overdue work goes to the station manager, and if still overdue, to civil affairs.

A need is due ``sla(urgency)`` after it was recorded (or reopened) until it is served. Once past due it is
raised to level 1 (社工站督办); one more time limit later, to level 2 (民政督办). The clock is a parameter so the
job is tested by moving ``now``, and running it twice raises nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from minsheng.assistance.conf import sla
from minsheng.assistance.models import Escalation, Need
from minsheng.assistance.services.audit import audit_record
from minsheng.assistance.services.guards import now_or
from minsheng.assistance.services.needs import need_snapshot


def level_due(need: Need, now: datetime) -> int:
    if now <= need.due_at:
        return 0
    return 2 if now > need.due_at + sla(need.urgency) else 1


@transaction.atomic
def needs_escalate(*, now: datetime | None = None) -> list[Escalation]:
    """Raise every open, overdue need to the level its lateness calls for; return the new escalations."""
    now = now_or(now)
    raised = []
    overdue = (Need.objects.select_for_update().filter(status__in=Need.OPEN_STATUSES, due_at__lt=now,
                                                       escalation_level__lt=2).order_by("pk"))
    for need in overdue:
        target = level_due(need, now)
        if target <= need.escalation_level:
            continue
        before = need_snapshot(need)
        for level in range(need.escalation_level + 1, target + 1):
            raised.append(Escalation.objects.create(need=need, level=level, raised_at=now, due_at=need.due_at))
        need.escalation_level = target
        need.save(update_fields=["escalation_level"])
        audit_record(actor=None, action="need.escalate", obj=need, area_id=need.area_id, at=now, before=before,
                     after=need_snapshot(need))
    return raised
