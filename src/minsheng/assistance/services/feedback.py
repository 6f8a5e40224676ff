"""服务后有反馈: satisfaction from the recipient or a revisit; dissatisfaction reopens, satisfaction closes."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance.conf import sla
from minsheng.assistance.models import Feedback, Need
from minsheng.assistance.selectors.scope import scope_for
from minsheng.assistance.services.audit import audit_record
from minsheng.assistance.services.guards import now_or
from minsheng.assistance.services.needs import need_snapshot, touch_contact


def _check_author(actor, need: Need, source: str) -> None:
    if source == Feedback.Source.RECIPIENT:
        if need.recipient.user_id is None or need.recipient.user_id != actor.pk:
            raise PermissionDenied(_("只有救助对象本人可以提交本人评价"))
        return
    if not scope_for(actor).sees_area(need.area_id):
        raise PermissionDenied(_("您无权回访该区域的救助对象"))
    if need.visits.filter(provider__user=actor).exists():
        # A provider grading their own work is not feedback.
        raise ValidationError(_("回访须由服务人员以外的人进行"))


@transaction.atomic
def feedback_record(*, actor, need: Need, satisfaction: int, source: str, comment: str = "",
                    goal_achieved: bool | None = None, now: datetime | None = None) -> Feedback:
    now = now_or(now)
    need = Need.objects.select_for_update().select_related("recipient").get(pk=need.pk)
    _check_author(actor, need, source)
    if need.status != Need.Status.SERVED:
        if need.status == Need.Status.CLOSED:
            raise ValidationError(_("该需求已办结"))
        raise ValidationError(_("该需求尚未完成服务（当前“{value}”），不能评价").format(value=need.get_status_display()))
    feedback = Feedback(need=need, source=source, satisfaction=satisfaction, comment=(comment or "").strip(),
                        goal_achieved=goal_achieved, recorded_by=actor, recorded_at=now)
    feedback.full_clean()
    feedback.save()
    before = need_snapshot(need)
    if feedback.satisfied:
        need.status, need.closed_at = Need.Status.CLOSED, now
    else:
        need.status, need.provider, need.served_at = Need.Status.COMMUNICATED, None, None
        need.reopen_count += 1
        need.escalation_level, need.due_at = 0, now + sla(need.urgency)
    need.save()
    if source == Feedback.Source.REVISIT:
        touch_contact(need.recipient, now)
    audit_record(actor=actor, action="need.close" if feedback.satisfied else "need.reopen", obj=need,
                 area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need) | {"satisfaction": satisfaction, "goal_achieved": goal_achieved})
    return feedback
