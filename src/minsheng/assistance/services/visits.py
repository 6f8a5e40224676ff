"""服务过程有效果: check in at the recipient's place, record what was done and its effect, check out."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from minsheng.assistance.models import Assignment, Attachment, Need, Visit
from minsheng.assistance.services.audit import audit_record, snapshot
from minsheng.assistance.services.guards import now_or
from minsheng.assistance.services.needs import need_snapshot, touch_contact
from minsheng.assistance.services.uploads import upload_check


def _require_provider(actor, need: Need) -> None:
    if need.provider is None or need.provider.user_id != actor.pk:
        raise PermissionDenied("只有接单的服务人员可以签到、记录服务")


@transaction.atomic
def visit_checkin(*, actor, need: Need, place: str, now: datetime | None = None) -> Visit:
    now = now_or(now)
    need = Need.objects.select_for_update(of=("self",)).select_related("provider").get(pk=need.pk)
    _require_provider(actor, need)
    if need.status not in (Need.Status.ACCEPTED, Need.Status.IN_SERVICE):
        raise ValidationError(f"需求当前状态为“{need.get_status_display()}”，不能签到（请先接单）")
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": "请填写签到地点"})
    open_visit = need.visits.filter(provider=need.provider, checkout_at__isnull=True).first()
    if open_visit:
        raise ValidationError(f"您已于{open_visit.checkin_at:%m-%d %H:%M}签到，请先签退再签到")
    before = need_snapshot(need)
    visit = Visit(need=need, provider=need.provider, checkin_at=now, checkin_place=place)
    visit.full_clean()
    visit.save()
    need.status = Need.Status.IN_SERVICE
    need.save()
    touch_contact(need.recipient, now)
    audit_record(actor=actor, action="visit.checkin", obj=need, area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need) | {"checkin_place": place})
    return visit


@transaction.atomic
def visit_checkout(*, actor, visit: Visit, place: str, work_done: str, outcome: str = "",
                   files: list[tuple[str, object]] = (), finish: bool = False, now: datetime | None = None) -> Visit:
    """Check out with what was done; ``files`` are (kind, uploaded file). ``finish`` marks the service done.

    Every file is checked before anything is written, so a bad upload leaves the visit open and unchanged.
    """
    now = now_or(now)
    visit = Visit.objects.select_for_update(of=("self",)).select_related("need__provider").get(pk=visit.pk)
    need = visit.need
    _require_provider(actor, need)
    if visit.checkout_at is not None:
        raise ValidationError("该次服务已签退")
    checked = [(kind, upload, upload_check(upload, kind)) for kind, upload in files]
    before = snapshot(visit, ["checkout_at", "checkout_place", "work_done", "outcome"])
    visit.checkout_at, visit.checkout_place = now, (place or "").strip()
    visit.work_done, visit.outcome = (work_done or "").strip(), (outcome or "").strip()
    if not visit.checkout_place:
        raise ValidationError({"place": "请填写签退地点"})
    if not visit.work_done:
        raise ValidationError({"work_done": "请填写本次服务内容"})
    visit.full_clean()
    visit.save()
    for kind, upload, content_type in checked:
        attachment = Attachment(visit=visit, kind=kind, original_name=upload.name[:200], content_type=content_type,
                                size=upload.size, uploaded_by=actor, uploaded_at=now)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    need_before = need_snapshot(need)
    if finish:
        need.status, need.served_at = Need.Status.SERVED, now
        need.save()
        need.assignments.filter(status=Assignment.Status.ACCEPTED).update(status=Assignment.Status.DONE)
    audit_record(actor=actor, action="visit.checkout", obj=need, area_id=need.area_id, at=now,
                 before=before | need_before,
                 after=snapshot(visit, ["checkout_at", "checkout_place", "work_done", "outcome"])
                 | need_snapshot(need) | {"files": [u.name for _k, u, _t in checked]})
    return visit
