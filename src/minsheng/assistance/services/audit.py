"""The audit trail: every write appends who, when, what, and the fields before → after.

Values are stored as text so the trail survives later schema changes and never holds an ID number in the
clear (recipients are snapshotted with their masked number only).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.assistance.models import AuditEntry

ACTIONS = {
    "recipient.register": gettext_lazy("登记救助对象"), "recipient.update": gettext_lazy("修改对象信息"), "recipient.reveal_id": gettext_lazy("查看完整身份证号"),
    "recipient.read_contact": gettext_lazy("服务人员查看住址和电话"),
    "need.create": gettext_lazy("登记需求"), "need.communicate": gettext_lazy("服务前沟通"), "need.dispatch": gettext_lazy("派单"),
    "assignment.accept": gettext_lazy("接单"), "assignment.decline": gettext_lazy("拒单"), "visit.checkin": gettext_lazy("签到"), "visit.checkout": gettext_lazy("签退"),
    "need.close": gettext_lazy("回访满意·办结"), "need.reopen": gettext_lazy("回访不满意·重开"), "need.escalate": gettext_lazy("超时督办"),
    "feedback_link.issue": gettext_lazy("生成评价二维码"), "feedback_link.revoke": gettext_lazy("作废评价二维码"),
}


# Purposes the platform writes itself are stored as a code ("need:42") and put in words when read: a text
# translated when written was in the reader's language, so "logged once per need" held once per need and language.
PURPOSES = {"need": gettext_lazy("上门服务：需求 #{pk}"), "link": gettext_lazy("本人扫码评价：需求 #{pk}")}


def purpose_code(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def purpose_words(purpose: str) -> str:
    """A stored purpose as a person reads it: a code in the reader's language, a typed purpose as typed."""
    kind, colon, pk = purpose.partition(":")
    if colon and kind in PURPOSES and pk.isdigit():
        return str(PURPOSES[kind]).format(pk=pk)
    return purpose


# Keys a service adds to a snapshot that are no model field.
EXTRA_LABELS = {"checkin_position": gettext_lazy("签到定位"), "files": gettext_lazy("附件"), "reasons": gettext_lazy("匹配理由"), "communication": gettext_lazy("沟通内容"),
                "recipient": gettext_lazy("救助对象"), "purpose": gettext_lazy("查阅事由"),
                "expires_at": gettext_lazy("有效期至"), "revoked_at": gettext_lazy("作废时间")}


def _model_field(name: str):
    from minsheng.assistance.models import Assignment, Communication, Feedback, Need, Recipient, Visit

    for model in (Need, Recipient, Visit, Communication, Feedback, Assignment):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _readable(field, value) -> str:
    """One stored value as a person reads it: choice labels, local times, 是/否, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_readable(field, v) for v in value)
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return f"{timezone.localtime(datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"
        except ValueError:
            return value
    return str(value)


def change_rows(changes: dict) -> list[tuple[str, str, str]]:
    """An entry's changes as (field label, before, after) in words, for the audit page."""
    rows = []
    for name, (before, after) in changes.items():
        field = _model_field(name)
        label = EXTRA_LABELS.get(name) or (str(field.verbose_name) if field is not None else name)
        before, after = _readable(field, before), _readable(field, after)
        if before != after:  # "住址：— → —" says nothing
            rows.append((label, before, after))
    return rows


def _plain(value) -> str | int | float | bool | None | list:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def audit_record(*, actor, action: str, obj: models.Model, area_id: int | None, at: datetime,
                 before: dict | None = None, after: dict | None = None, purpose: str = "") -> AuditEntry:
    """Append one entry; ``changes`` holds only the fields that differ, as [before, after]."""
    before, after = before or {}, after or {}
    changes = {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
               if before.get(k) != after.get(k)}
    return AuditEntry.objects.create(actor=actor, at=at, action=action, entity=obj._meta.model_name,
                                     entity_id=obj.pk, area_id=area_id, changes=changes, purpose=purpose)
