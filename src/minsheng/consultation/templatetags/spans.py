"""``{{ start|span:end }}``, ``{{ start|span_minutes:end }}`` and ``{{ at|moment }}``: times a reader cannot misplace.

Month-day alone ("11-01–01-15", "03-02 14:05") could be any year, and a campaign's data, a suggestion waiting in a
queue or an old analysis run may be years old: the year is written whenever the time is not within this year.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()

CLOCKS = {"": "", "minutes": " %H:%M", "seconds": " %H:%M:%S"}


def _local(moment: datetime | date) -> datetime | date:
    return timezone.localtime(moment) if isinstance(moment, datetime) and timezone.is_aware(moment) else moment


def span_words(start: datetime | date | None, end: datetime | date | None, *, this_year: int,
               clock: str = "") -> str:
    """Two moments as "03-02 至 04-05" within ``this_year``, else with years ("2019-11-01 至 2020-01-15").

    ``clock`` ("minutes" or "seconds") adds the time of day to datetimes; one moment is a span from it to itself.
    """
    if start is None or end is None:
        return "—"
    start, end = _local(start), _local(end)
    shape = "%m-%d" if start.year == end.year == this_year else "%Y-%m-%d"
    shape += CLOCKS[clock] if isinstance(start, datetime) else ""
    first, last = start.strftime(shape), end.strftime(shape)
    return first if first == last else _("{start} 至 {end}").format(start=first, end=last)  # one day: once


@register.filter
def span(start, end) -> str:
    return span_words(start, end, this_year=timezone.localdate().year)


@register.filter
def span_minutes(start, end) -> str:
    return span_words(start, end, this_year=timezone.localdate().year, clock="minutes")


@register.filter
def moment(at, clock: str = "minutes") -> str:
    """One time in a list or a note ("12-03 14:05", "2025-12-03 14:05"): ``{{ s.submitted_at|moment }}``,
    ``{{ run.started_at|moment:"seconds" }}``."""
    return span_words(at, at, this_year=timezone.localdate().year, clock=clock)
