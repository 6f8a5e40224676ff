"""The audit trail: every write appends who, when, what, and the fields before → after.

Values are stored as text so the trail survives later schema changes and never holds an ID number in the
clear (recipients are snapshotted with their masked number only).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import models

from minsheng.assistance.models import AuditEntry

ACTIONS = {
    "recipient.register": "登记救助对象", "recipient.update": "修改对象信息", "recipient.reveal_id": "查看完整身份证号",
    "need.create": "登记需求", "need.communicate": "服务前沟通", "need.dispatch": "派单",
    "assignment.accept": "接单", "assignment.decline": "拒单", "visit.checkin": "签到", "visit.checkout": "签退",
    "need.close": "回访满意·办结", "need.reopen": "回访不满意·重开", "need.escalate": "超时督办",
}


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
