"""``{% due_badge s %}``: a suggestion's deadline as a badge (剩余 N 天 / 今日到期 / 超时 N 天 / 按时办结), plus 已延期."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from minsheng.consultation.handling.selectors import due_mark

register = template.Library()


@register.simple_tag
def due_badge(suggestion) -> str:
    mark = due_mark(suggestion)
    if mark is None:
        return ""
    text, css = mark
    html = format_html('<span class="badge {} due-mark" title="{}">{}</span>', css,
                       _("办理期限 %(due)s") % {"due": f"{timezone.localtime(suggestion.due_at):%Y-%m-%d %H:%M}"},
                       text)
    if suggestion.extended:
        html += format_html(' <span class="badge extended">{}</span>', _("已延期"))
    return html
