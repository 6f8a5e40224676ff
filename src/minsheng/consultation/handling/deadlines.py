"""办理时限: when a department must have answered, and how a deadline reads (剩余 N 天 / 今日到期 / 超时 N 天).

A deadline is the end of the N-th day (local time) after the day the department received the suggestion, as a
12345 hotline counts it: received on Friday with 3 working days, it is due at the end of Wednesday. Working
days skip Saturdays and Sundays; public holidays and the weekends worked in their place (调休) are not known to
the platform, so a campaign over a holiday should count in calendar days or allow for it in N.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def due_after(start: datetime, days: int, *, working: bool) -> datetime:
    """The end of the ``days``-th (working) day after ``start``'s local date.

    Example: received Friday 2026-12-04 10:00 (+08:00) with 3 working days, due Wednesday 2026-12-09 23:59:59.
    """
    day = timezone.localtime(start).date()
    return end_of(add_days(day, days, working=working))


def add_days(day: date, days: int, *, working: bool) -> date:
    if not working:
        return day + timedelta(days=days)
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def extend(due: datetime, days: int, *, working: bool) -> datetime:
    """The deadline ``days`` (working) days later than ``due`` (an approved 延期)."""
    return end_of(add_days(timezone.localtime(due).date(), days, working=working))


def days_left(due: datetime, now: datetime | None = None) -> int:
    """Whole local days from today to the due day: 0 on the due day, negative once it has passed."""
    today = timezone.localtime(now or timezone.now()).date()
    return (timezone.localtime(due).date() - today).days


def limit_for(campaign, department_id: int | None) -> int:
    """The department's own time limit in the campaign, or the campaign's default."""
    from minsheng.consultation.handling.models import HandlingLimit

    own = HandlingLimit.objects.filter(campaign=campaign, department_id=department_id).values_list("days", flat=True)
    return next(iter(own), campaign.handling_days)


def due_for(campaign, department_id: int | None, start: datetime | None = None) -> datetime | None:
    """When a suggestion the department receives at ``start`` (now) is due; None without a department."""
    if department_id is None:
        return None
    return due_after(start or timezone.now(), limit_for(campaign, department_id),
                     working=campaign.handling_working_days)
