"""``{{ start|span:end }}``, ``{{ start|span_minutes:end }}``, ``{{ at|moment }}``, ``{{ end|until:start }}``, ``{{ at|day }}`` and ``{{ at|dated }}``: dates and
times a reader cannot misplace, written one way on every page (the rule is :func:`minsheng.forms.span_words`).
A builtin of the template engine (settings.TEMPLATES): a page that formats a date its own way (2026年12月6日 on
the campaign page, 2026-12-06 on the home page) is caught by tests/web/project/test_one_date_format.py."""

from __future__ import annotations

from django import template
from django.utils import timezone

from minsheng.forms import dated_words, end_words, moment_words, span_words

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


@register.filter
def until(end, start) -> str:
    """``{{ v.checkout_at|until:v.checkin_at }}``: the end's time of day, with its date when it falls on another day."""
    return end_words(start, end)


@register.filter
def day(at) -> str:
    """``{{ campaign.opens_at|day }}``: a date without its time of day."""
    return moment_words(at, "")


@register.filter
def dated(at, clock: str = "minutes") -> str:
    """``{{ v.checkin_at|dated }}``, ``{{ link.expires_at|dated:"" }}``: with its year always (:func:`dated_words`),
    for the records of a need or a recipient, which span years."""
    return dated_words(at, clock)
