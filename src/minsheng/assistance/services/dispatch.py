"""派单: offer a need to a ranked provider; the provider accepts, or declines with a reason."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance.models import Assignment, Need, Provider
from minsheng.assistance.selectors.dispatch import area_chain, open_loads, rank_provider, set_back
from minsheng.assistance.services.audit import audit_record
from minsheng.assistance.services.guards import now_or, require_dispatcher
from minsheng.assistance.services.needs import need_appointment, need_snapshot


def dispatch_refusal(need: Need) -> str | None:
    """Why ``need`` cannot be dispatched now, or None: the service refuses a pick with it, and the dispatch page
    leads back to the need with it rather than list providers for a need closed or not yet talked to."""
    if need.status == Need.Status.NEW or not need.communications.exists():
        return _("派单前须先记录服务前沟通（谁、何时、约定了什么）")
    if need.status not in (Need.Status.COMMUNICATED, Need.Status.DISPATCHED):
        return _("需求当前状态为“{value}”，不能派单").format(value=need.get_status_display())
    return None


UNCHECKED = object()


def pending_offer(need: Need) -> Assignment | None:
    """The offer waiting for its provider's answer, if any (a dispatch withdraws it)."""
    return (need.assignments.filter(status=Assignment.Status.OFFERED).select_related("provider__user", "assigned_by")
            .first())


@transaction.atomic
def need_dispatch(*, actor, need: Need, provider: Provider, now: datetime | None = None,
                  seen_offer: int | None | object = UNCHECKED) -> Assignment:
    """Offer ``need`` to ``provider``. A pending offer to someone else is withdrawn.

    ``seen_offer``: the pending offer the dispatcher was shown (None: none). If another dispatcher offered the need
    since, nothing is done and the error says to whom: of two dispatchers picking at once, the second does not
    silently withdraw the first one's offer."""
    now = now_or(now)
    require_dispatcher(actor, need.area_id)
    need = Need.objects.select_for_update().get(pk=need.pk)
    # Fresh from the database and locked: two dispatchers must not both fill a provider's last slot.
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if why := dispatch_refusal(need):
        raise ValidationError(why)
    pending = pending_offer(need)
    if seen_offer is not UNCHECKED and pending is not None and pending.pk != seen_offer:
        raise ValidationError(_("这项需求刚刚已由{who}派给{provider}（待接单），这次未派单。如仍要改派，请核对后再确认派单。").format(
            who=pending.assigned_by or _("他人"), provider=pending.provider))
    if pending is not None and pending.provider_id == provider.pk:
        raise ValidationError(_("已派给{provider}，正在等其接单；如要改派，请选择其他服务人员").format(provider=provider))
    declined, unhappy = set_back(need)
    candidate = rank_provider(need, provider, area_chain(need.area), open_loads([provider.pk]).get(provider.pk, 0),
                              provider.pk in declined, need_appointment(need), provider.pk in unhappy)
    if candidate is None:
        raise ValidationError(_("{provider}的服务区域不包括{name}，不能派给其服务").format(provider=provider, name=need.area.name))
    if not candidate.eligible:
        raise ValidationError(_("{provider}当前不能接单：{value}").format(provider=provider, value='、'.join(candidate.blockers)))
    before = need_snapshot(need)
    need.assignments.filter(status=Assignment.Status.OFFERED).update(status=Assignment.Status.WITHDRAWN,
                                                                    responded_at=now)
    assignment = Assignment.objects.create(need=need, provider=provider, assigned_by=actor, assigned_at=now,
                                           score=candidate.score, reasons=candidate.reasons)
    need.status, need.provider = Need.Status.DISPATCHED, provider
    need.save()
    audit_record(actor=actor, action="need.dispatch", obj=need, area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need) | {"reasons": candidate.reasons})
    return assignment


def _own_offer(actor, assignment: Assignment) -> Assignment:
    if assignment.provider.user_id != actor.pk:
        raise PermissionDenied(_("这不是派给您的工单"))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != Assignment.Status.OFFERED:
        raise ValidationError(_("该派单已{value}，不能再次处理").format(value=assignment.get_status_display()))
    return assignment


@transaction.atomic
def assignment_accept(*, actor, assignment: Assignment, now: datetime | None = None) -> Assignment:
    now = now_or(now)
    assignment = _own_offer(actor, assignment)
    need = assignment.need
    before = need_snapshot(need)
    assignment.status, assignment.responded_at = Assignment.Status.ACCEPTED, now
    assignment.save()
    need.status = Need.Status.ACCEPTED
    need.save()
    audit_record(actor=actor, action="assignment.accept", obj=need, area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need))
    return assignment


@transaction.atomic
def assignment_decline(*, actor, assignment: Assignment, reason: str, now: datetime | None = None) -> Assignment:
    """Decline with a reason; the need goes back to the dispatcher's queue."""
    now = now_or(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("拒单须说明理由")})
    assignment = _own_offer(actor, assignment)
    need = assignment.need
    before = need_snapshot(need)
    assignment.status, assignment.responded_at, assignment.decline_reason = Assignment.Status.DECLINED, now, reason
    assignment.full_clean()
    assignment.save()
    need.status, need.provider = Need.Status.COMMUNICATED, None
    need.save()
    audit_record(actor=actor, action="assignment.decline", obj=need, area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need) | {"decline_reason": reason})
    return assignment
