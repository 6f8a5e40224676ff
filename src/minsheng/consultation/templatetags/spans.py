"""``{{ start|span:end }}`` and ``{{ start|span_minutes:end }}``: a time span a reader cannot misplace.

Month-day alone ("11-01–01-15") could be any two winters, and a campaign's data may be years old: the year is
written whenever the span is not wholly within this year.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


def _local(moment: datetime | date) -> datetime | date:
    return timezone.localtime(moment) if isinstance(moment, datetime) and timezone.is_aware(moment) else moment


def span_words(start: datetime | date | None, end: datetime | date | None, *, this_year: int,
               minutes: bool = False) -> str:
    """Two moments as "03-02 至 04-05" within ``this_year``, else with years ("2019-11-01 至 2020-01-15")."""
    if start is None or end is None:
        return "—"
    start, end = _local(start), _local(end)
    shape = "%m-%d" if start.year == end.year == this_year else "%Y-%m-%d"
    shape += " %H:%M" if minutes and isinstance(start, datetime) else ""
    first, last = start.strftime(shape), end.strftime(shape)
    return first if first == last else _("{start} 至 {end}").format(start=first, end=last)  # one day: once


@register.filter
def span(start, end) -> str:
    return span_words(start, end, this_year=timezone.localdate().year)


@register.filter
def span_minutes(start, end) -> str:
    return span_words(start, end, this_year=timezone.localdate().year, minutes=True)
