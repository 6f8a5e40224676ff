"""``{{ start|span:end }}``, ``{{ start|span_minutes:end }}`` and ``{{ at|moment }}``: times a reader cannot misplace
(the rule is :func:`minsheng.forms.span_words`)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from minsheng.forms import moment_words, span_words

register = template.Library()


@register.filter
def span(start, end) -> str:
    return span_words(start, end, this_year=timezone.localdate().year)


@register.filter
def span_minutes(start, end) -> str:
    return span_words(start, end, this_year=timezone.localdate().year, clock="minutes")


@register.filter
def moment(at, clock: str = "minutes") -> str:
    """``{{ s.submitted_at|moment }}``, ``{{ run.started_at|moment:"seconds" }}``."""
    return moment_words(at, clock)
