"""Template helpers for the assistance pages: how late an open need is, in words."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def overdue(need) -> str:
    """"超时 3 天" / "超时 5 小时" for an open need past its time limit, "" otherwise."""
    if not need.is_open:
        return ""
    late = timezone.now() - need.due_at
    if late.total_seconds() <= 0:
        return ""
    if late.days:
        return _("超时 {days} 天").format(days=late.days)
    return _("超时 {value} 小时").format(value=max(1, late.seconds // 3600))
