"""Registering recipients and reading their ID number in full (a stated purpose, always logged)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import Area
from minsheng.assistance.idcrypto import (
    IdKeyLost,
    id_number_birth_date,
    id_number_clean,
    id_number_decrypt,
    id_number_encrypt,
    id_number_hash,
    id_number_hashes,
    id_number_mask,
)
from minsheng.assistance.models import AuditEntry, Recipient
from minsheng.assistance.selectors.scope import scope_for
from minsheng.assistance.services.audit import audit_record, purpose_code, snapshot
from minsheng.assistance.services.guards import now_or, require_area

log = logging.getLogger(__name__)

AUDITED = ["name", "id_masked", "gender", "area", "category", "address", "phone", "household_size",
           "household_note", "guardian_name", "guardian_relation", "guardian_phone", "consent_at", "consent_note"]
EDITABLE = set(AUDITED) - {"id_masked", "gender"}
PURPOSE_MIN_CHARS = 4
# Also what the registration form says beside its other mistakes (forms.RecipientForm), so one round names all.
CONSENT_MISSING = gettext_lazy("请先取得本人或监护人同意登记（可口头同意，写明方式）")


@transaction.atomic
def recipient_register(*, actor, name: str, id_number: str, area: Area, category: str, address: str = "",
                       phone: str = "", household_size: int = 1, household_note: str = "", guardian_name: str = "",
                       guardian_relation: str = "", guardian_phone: str = "", consent: bool = False,
                       consent_note: str = "", user=None, now: datetime | None = None) -> Recipient:
    """Register a recipient of ``area`` (a village or community the actor covers); consent is required."""
    now = now_or(now)
    require_area(actor, area.pk)
    try:
        number = id_number_clean(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if area.level != Area.Level.VILLAGE:
        raise ValidationError({"area": _("救助对象应登记到村/社区")})
    if not consent:
        raise ValidationError({"consent": CONSENT_MISSING})
    existing = Recipient.objects.filter(id_hash__in=id_number_hashes(number)).first()
    if existing is not None:
        if scope_for(actor).sees_area(existing.area_id):
            raise ValidationError({"id_number": _("该身份证号已登记，请直接查找该救助对象")})
        # Registered in an area the actor does not cover: say nothing about where (or whether), but leave a
        # trace in the log (the audit row would roll back with this refusal) for civil affairs to follow up.
        log.warning("registration refused: user %s, area %s; the number is registered as recipient %s",
                    actor.pk, area.pk, existing.pk)
        raise ValidationError({"id_number": _("该身份证号暂时无法在此登记，请联系区民政部门核实")})
    recipient = Recipient(
        name=name.strip(), id_encrypted=id_number_encrypt(number), id_hash=id_number_hash(number),
        id_masked=id_number_mask(number), gender="男" if int(number[16]) % 2 else "女",
        birth_date=id_number_birth_date(number), area=area, category=category, address=address, phone=phone,
        household_size=household_size, household_note=household_note, guardian_name=guardian_name,
        guardian_relation=guardian_relation, guardian_phone=guardian_phone, consent_at=now,
        consent_note=consent_note or _("本人同意"), user=user, created_by=actor, created_at=now)
    recipient.full_clean()
    recipient.save()
    audit_record(actor=actor, action="recipient.register", obj=recipient, area_id=area.pk, at=now,
                 after=snapshot(recipient, AUDITED))
    return recipient


@transaction.atomic
def recipient_update(*, actor, recipient: Recipient, now: datetime | None = None, **fields) -> Recipient:
    now = now_or(now)
    require_area(actor, recipient.area_id)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError(_("不能修改这些字段：{value}").format(value=', '.join(sorted(unknown))))
    if "area" in fields:
        require_area(actor, fields["area"].pk)
    before = snapshot(recipient, AUDITED)
    for name, value in fields.items():
        setattr(recipient, name, value)
    recipient.full_clean()
    recipient.save()
    audit_record(actor=actor, action="recipient.update", obj=recipient, area_id=recipient.area_id, at=now,
                 before=before, after=snapshot(recipient, AUDITED))
    return recipient


def contact_read(*, actor, recipient: Recipient, needs, now: datetime | None = None) -> None:
    """A provider from outside the person's area is shown how to reach them (address, phone, relative) for the
    ``needs`` they accepted: the first showing for each need goes into the audit trail, as a full ID number's
    read does, so the area can see who was handed a vulnerable person's address and for which service. Area
    staff read these as part of their work and are not logged; nor is every reload of the page."""
    now = now_or(now)
    for need in needs:
        purpose = purpose_code("need", need.pk)
        if not AuditEntry.objects.filter(actor=actor, action="recipient.read_contact", entity="recipient",
                                         entity_id=recipient.pk, purpose=purpose).exists():
            audit_record(actor=actor, action="recipient.read_contact", obj=recipient, area_id=recipient.area_id,
                         at=now, purpose=purpose)


@transaction.atomic
def recipient_reveal_id(*, actor, recipient: Recipient, purpose: str, now: datetime | None = None) -> str:
    """The full ID number, for a stated purpose that goes into the audit trail before the number is returned."""
    scope = require_area(actor, recipient.area_id)
    if not scope.is_staff:
        raise ValidationError(_("无权查看完整身份证号"))
    purpose = (purpose or "").strip()
    if len(purpose) < PURPOSE_MIN_CHARS:
        raise ValidationError({"purpose": _("请写明查看完整身份证号的事由（至少{PURPOSE_MIN_CHARS}个字）").format(PURPOSE_MIN_CHARS=PURPOSE_MIN_CHARS)})
    now = now_or(now)
    recent = AuditEntry.objects.filter(actor=actor, action="recipient.reveal_id",
                                       at__gte=now - timedelta(hours=1)).count()
    if recent >= settings.ASSISTANCE_REVEALS_PER_HOUR:
        raise ValidationError(_("一小时内最多查看 {ASSISTANCE_REVEALS_PER_HOUR} 次完整身份证号，请稍后再试；确有需要请联系民政部门").format(ASSISTANCE_REVEALS_PER_HOUR=settings.ASSISTANCE_REVEALS_PER_HOUR))
    audit_record(actor=actor, action="recipient.reveal_id", obj=recipient, area_id=recipient.area_id,
                 at=now, purpose=purpose)
    try:
        return id_number_decrypt(recipient.id_encrypted)
    except IdKeyLost:
        log.error("recipient %s: ID number encrypted with a key no longer configured", recipient.pk)
        raise ValidationError(_("该身份证号无法解密：加密密钥已更换且未保留旧密钥，请联系系统管理员")) from None
