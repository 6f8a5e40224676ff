"""Need intake and the pre-service talk (服务前期有沟通): nothing is dispatched before someone has talked."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance.conf import sla
from minsheng.assistance.models import Communication, Need, Recipient
from minsheng.assistance.selectors.scope import scope_for
from minsheng.assistance.services.audit import audit_record, snapshot
from minsheng.assistance.services.guards import now_or, require_area

NEED_AUDITED = ["status", "need_type", "urgency", "description", "goal", "provider", "due_at", "escalation_level",
                "first_contact_at", "served_at", "closed_at", "reopen_count"]


def need_snapshot(need: Need) -> dict:
    return snapshot(need, NEED_AUDITED)


def touch_contact(recipient: Recipient, at: datetime) -> None:
    """Remember the latest contact, which the proactive "not contacted for N days" list reads."""
    if recipient.last_contact_at is None or recipient.last_contact_at < at:
        Recipient.objects.filter(pk=recipient.pk).update(last_contact_at=at)
        recipient.last_contact_at = at


@transaction.atomic
def need_create(*, actor, recipient: Recipient, need_type: str, description: str, channel: str,
                urgency: str = "normal", goal: str = "", now: datetime | None = None) -> Need:
    """Record a need, by the recipient themself or on their behalf by staff of the recipient's area."""
    now = now_or(now)
    own = recipient.user_id is not None and recipient.user_id == getattr(actor, "pk", None)
    if own:
        channel = Need.Channel.SELF
    elif not scope_for(actor).sees_area(recipient.area_id):
        raise PermissionDenied(_("您无权为该救助对象登记需求"))
    elif channel == Need.Channel.SELF:
        raise ValidationError({"channel": _("代为登记时请选择实际来源")})
    need = Need(recipient=recipient, area_id=recipient.area_id, need_type=need_type, urgency=urgency,
                description=(description or "").strip(), goal=goal.strip(), channel=channel,
                status=Need.Status.NEW, due_at=now, created_by=actor, created_at=now)
    need.full_clean(exclude=["due_at"])
    need.due_at = now + sla(urgency)
    need.save()
    audit_record(actor=actor, action="need.create", obj=need, area_id=need.area_id, at=now,
                 after=need_snapshot(need) | {"channel": channel, "recipient": str(recipient)})
    return need


@transaction.atomic
def need_communicate(*, actor, need: Need, mode: str, agreed: str, talked_at: datetime | None = None,
                     appointment_at: datetime | None = None, now: datetime | None = None) -> Communication:
    """Log a talk with the recipient: who, when, how, what was agreed (and the time agreed for the service,
    which dispatch shows and ranks providers by). The first talk opens dispatch."""
    now = now_or(now)
    require_area(actor, need.area_id)
    talked_at = talked_at or now
    if talked_at > now:
        raise ValidationError({"talked_at": _("沟通时间不能晚于现在")})
    if need.status == Need.Status.CLOSED:
        raise ValidationError(_("需求已办结，如需继续服务请新建需求"))
    if appointment_at is not None and appointment_at < talked_at:
        raise ValidationError({"appointment_at": _("约定上门时间不能早于沟通时间")})
    talk = Communication(need=need, talked_by=actor, talked_at=talked_at, mode=mode, agreed=(agreed or "").strip(),
                         appointment_at=appointment_at)
    talk.full_clean()
    talk.save()
    before = need_snapshot(need)
    if need.first_contact_at is None:
        need.first_contact_at = talked_at
    if need.status == Need.Status.NEW:
        need.status = Need.Status.COMMUNICATED
    need.save()
    touch_contact(need.recipient, talked_at)
    audit_record(actor=actor, action="need.communicate", obj=need, area_id=need.area_id, at=now,
                 before=before, after=need_snapshot(need) | {"communication": talk.agreed[:200]}
                 | snapshot(talk, ["appointment_at"]))
    return talk


def need_appointment(need: Need) -> datetime | None:
    """The service time agreed in the latest talk that set one (None when no talk named a time)."""
    talk = need.communications.filter(appointment_at__isnull=False).order_by("-talked_at", "-pk").first()
    return talk.appointment_at if talk else None
