"""``{% due_badge s %}``: a suggestion's deadline as a badge (剩余 N 天 / 今日到期 / 超时 N 天 / 按时办结), plus 已延期;
``{{ user|signed }}``: how an officer signs a line of the 办理记录 or an answer."""

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


@register.filter
def signed(user) -> str:
    """An officer's name as other departments read it in the 办理记录 (a 转交 shows the sender to the receiver, who
    may need to ask why): the name the officer works under, never the login name (often a staff number or a phone
    number) of one who has none; 系统 for a line no person wrote (reminders)."""
    if user is None:
        return _("系统")
    return user.display_name or _("工作人员")
