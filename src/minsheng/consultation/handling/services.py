"""Writes of the handling loop: 退回 to the dispatcher, 分派 by the dispatcher, 延期 asked and decided.

The dispatcher is whoever manages the campaign (its owner, or a platform admin): the person who already
routes, moderates and publishes. Every write appends a line to the suggestion's 办理记录 (HandlingEvent).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import Organisation, User
from minsheng.consultation.access import require_manager, require_officer
from minsheng.consultation.handling.deadlines import due_for, extend
from minsheng.consultation.handling.models import ExtensionRequest, HandlingEvent, HandlingLimit
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.workbench.models import DepartmentAssignment
from minsheng.consultation.workbench.selectors import TODO
from minsheng.consultation.workbench.services import lock_held


def _reason(text: str, field: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < 2:
        raise ValidationError({field: _("请写明理由")})
    return text[:300]


def _waiting(suggestion: Suggestion) -> None:
    if suggestion.status not in TODO:
        raise ValidationError(_("这条建议已经办结"))


@transaction.atomic
def suggestion_return(*, user: User, suggestion_id: int, department: Organisation, reason: str) -> Suggestion:
    """退回: a department that is not responsible hands the suggestion back to the dispatcher, with a reason.

    It leaves the department's inbox, stops its clock and waits on the campaign page for the dispatcher; a
    later analysis run does not route it again (a person decides now).
    """
    require_officer(user, department.pk)
    reason = _reason(reason, "reason")
    [suggestion] = lock_held([suggestion_id], department)
    _waiting(suggestion)
    suggestion.department, suggestion.department_locked, suggestion.due_at, suggestion.extended = None, True, None, False
    suggestion.save(update_fields=["department", "department_locked", "due_at", "extended"])
    ExtensionRequest.objects.filter(suggestion=suggestion, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.REFUSED, note=_("建议已退回"), decided_at=timezone.now())
    HandlingEvent.objects.create(suggestion=suggestion, department=department, actor=user,
                                 action=HandlingEvent.Action.RETURN, text=reason)
    return suggestion


@transaction.atomic
def suggestion_dispatch(*, user: User, suggestion_id: int, department: Organisation) -> Suggestion:
    """分派: the dispatcher gives a (returned) suggestion to a department of the campaign; its clock starts."""
    suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=suggestion_id)
    require_manager(user, suggestion.campaign)
    if not suggestion.campaign.departments.filter(pk=department.pk).exists():
        raise ValidationError({"department": _("该部门不是本次征集的承办部门")})
    _waiting(suggestion)
    returned = (HandlingEvent.objects.filter(suggestion=suggestion, action=HandlingEvent.Action.RETURN)
                .values_list("department_id", flat=True).first())
    previous = suggestion.department_id or returned
    if previous is not None and previous != department.pk:  # a correction the next router learns from
        DepartmentAssignment.objects.create(suggestion=suggestion, from_department_id=previous,
                                            to_department=department, by=user, reason=_("分派"))
    suggestion.department, suggestion.department_locked = department, True
    suggestion.due_at, suggestion.extended = due_for(suggestion.campaign, department.pk), False
    suggestion.status = Suggestion.Status.IN_REVIEW  # waiting (_waiting), now held: Suggestion.status_when_held
    suggestion.save(update_fields=["department", "department_locked", "due_at", "extended", "status"])
    HandlingEvent.objects.create(suggestion=suggestion, department=department, actor=user,
                                 action=HandlingEvent.Action.DISPATCH, due_at=suggestion.due_at,
                                 text=_("分派至%(name)s") % {"name": department.name})
    return suggestion


@transaction.atomic
def extension_request(*, user: User, suggestion_id: int, department: Organisation, days: int,
                      reason: str) -> ExtensionRequest:
    """延期申请: the department asks for ``days`` more days; the dispatcher decides."""
    require_officer(user, department.pk)
    reason = _reason(reason, "reason")
    if not 1 <= days <= 60:
        raise ValidationError({"days": _("延长天数请填写 1 到 60 之间的整数")})
    [suggestion] = lock_held([suggestion_id], department)
    _waiting(suggestion)
    if suggestion.due_at is None:
        raise ValidationError(_("这条建议没有办理期限，无需延期"))
    if ExtensionRequest.objects.filter(suggestion=suggestion, status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError(_("已有一份延期申请在等待审批"))
    asked = ExtensionRequest(suggestion=suggestion, department=department, requested_by=user, days=days,
                             reason=reason)
    asked.full_clean()
    asked.save()
    HandlingEvent.objects.create(suggestion=suggestion, department=department, actor=user,
                                 action=HandlingEvent.Action.EXTENSION_REQUEST, due_at=suggestion.due_at,
                                 text=_("申请延期 %(days)s 天：%(reason)s") % {"days": days, "reason": reason})
    return asked


@transaction.atomic
def extension_decide(*, user: User, extension_id: int, approve: bool, note: str = "") -> ExtensionRequest:
    """同意 moves the deadline by the days asked (counted as the campaign counts) and marks 已延期; 不同意
    leaves it. A request for a suggestion that has left the department meanwhile can only be refused."""
    asked = ExtensionRequest.objects.select_related("suggestion__campaign").get(pk=extension_id)
    suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=asked.suggestion_id)
    require_manager(user, suggestion.campaign)
    asked = ExtensionRequest.objects.select_for_update().get(pk=extension_id)
    if asked.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(_("这份延期申请已经审批过了"))
    note = " ".join((note or "").split())[:300]
    if approve:
        if suggestion.department_id != asked.department_id or suggestion.status not in TODO:
            raise ValidationError(_("这条建议已不在申请的部门办理，不能同意延期"))
        suggestion.due_at = extend(suggestion.due_at, asked.days, working=suggestion.campaign.handling_working_days)
        suggestion.extended = True
        suggestion.save(update_fields=["due_at", "extended"])
    asked.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    asked.decided_by, asked.decided_at, asked.note = user, timezone.now(), note
    asked.save(update_fields=["status", "decided_by", "decided_at", "note"])
    action = HandlingEvent.Action.EXTENSION_APPROVE if approve else HandlingEvent.Action.EXTENSION_REFUSE
    HandlingEvent.objects.create(suggestion=suggestion, department_id=asked.department_id, actor=user, action=action,
                                 due_at=suggestion.due_at, text=note)
    return asked


@transaction.atomic
def handling_limits_set(*, user: User, campaign: Campaign, days: int, working: bool,
                        overrides: dict[int, int | None]) -> Campaign:
    """The campaign's 办理时限 and each department's own (None: the campaign's). Deadlines already given stay
    as they were: a department is held to the time limit it was given."""
    require_manager(user, campaign)
    names = dict(campaign.departments.values_list("pk", "name"))
    for name, value in [(_("默认办理时限"), days), *((names.get(d, ""), own) for d, own in overrides.items())]:
        if value is not None and not 1 <= value <= 365:
            raise ValidationError(_("%(name)s：请填写 1 到 365 之间的天数") % {"name": name})
    campaign.handling_days, campaign.handling_working_days = days, working
    campaign.save(update_fields=["handling_days", "handling_working_days"])
    for department_id, own in overrides.items():
        if department_id not in names:
            raise ValidationError(_("该部门不是本次征集的承办部门"))
        if own is None:
            HandlingLimit.objects.filter(campaign=campaign, department_id=department_id).delete()
            continue
        HandlingLimit.objects.update_or_create(campaign=campaign, department_id=department_id, defaults={"days": own})
    return campaign
