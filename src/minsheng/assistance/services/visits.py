"""服务过程有效果: check in at the recipient's place, record what was done and its effect, check out."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance.conf import min_visit
from minsheng.assistance.models import Assignment, Attachment, Need, Visit
from minsheng.assistance.services.audit import audit_record, snapshot
from minsheng.assistance.services.guards import now_or
from minsheng.assistance.services.needs import need_snapshot, touch_contact
from minsheng.assistance.services.uploads import upload_check
from minsheng.forms import moment_words


def _attach(visit: Visit, kind: str, upload, content_type: str, actor, now: datetime) -> Attachment:
    attachment = Attachment(visit=visit, kind=kind, original_name=upload.name[:200], content_type=content_type,
                            size=upload.size, uploaded_by=actor, uploaded_at=now)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def _where(visit: Visit) -> str:
    """The check-in position in words for the audit trail: a typed place says it was not located."""
    if visit.checkin_lat is None:
        return _("未定位（手动填写地点）")
    accuracy = _("，精度约{checkin_accuracy:.0f}米").format(checkin_accuracy=visit.checkin_accuracy) if visit.checkin_accuracy is not None else ""
    return _("北纬{checkin_lat:.5f}，东经{checkin_lon:.5f}{accuracy}").format(checkin_lat=visit.checkin_lat, checkin_lon=visit.checkin_lon, accuracy=accuracy)


def _require_provider(actor, need: Need) -> None:
    if need.provider is None or need.provider.user_id != actor.pk:
        raise PermissionDenied(_("只有接单的服务人员可以签到、记录服务"))


def _position(lat: float | None, lon: float | None, accuracy: float | None) -> tuple:
    if lat is None and lon is None:
        return None, None, None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"place": _("手机定位数据不完整或超出范围，请重新定位或手动填写地点")})
    if accuracy is not None and accuracy < 0:
        raise ValidationError({"place": _("定位精度不能为负数")})
    return lat, lon, accuracy


@transaction.atomic
def visit_checkin(*, actor, need: Need, place: str = "", lat: float | None = None, lon: float | None = None,
                  accuracy: float | None = None, photo=None, now: datetime | None = None) -> Visit:
    """Check in at the recipient's place: the phone's position (taken with consent) and/or the place in words,
    and an optional photo. A typed place without a position is accepted as the fallback and shown as such."""
    now = now_or(now)
    need = Need.objects.select_for_update(of=("self",)).select_related("provider").get(pk=need.pk)
    _require_provider(actor, need)
    if need.status not in (Need.Status.ACCEPTED, Need.Status.IN_SERVICE):
        raise ValidationError(_("需求当前状态为“{value}”，不能签到（请先接单）").format(value=need.get_status_display()))
    lat, lon, accuracy = _position(lat, lon, accuracy)
    place = (place or "").strip()
    if not place and lat is None:
        raise ValidationError({"place": _("请点“获取手机定位”，或手动填写签到地点")})
    if not place:
        place = _("手机定位") + (_("（精度约{accuracy:.0f}米）").format(accuracy=accuracy) if accuracy is not None else "")
    photo_type = upload_check(photo, "photo") if photo else None
    open_visit = need.visits.filter(provider=need.provider, checkout_at__isnull=True).first()
    if open_visit:
        raise ValidationError(_("您已于{checkin_at}签到，请先签退再签到").format(checkin_at=moment_words(open_visit.checkin_at)))
    before = need_snapshot(need)
    visit = Visit(need=need, provider=need.provider, checkin_at=now, checkin_place=place, checkin_lat=lat,
                  checkin_lon=lon, checkin_accuracy=accuracy)
    visit.full_clean()
    visit.save()
    if photo:
        _attach(visit, "photo", photo, photo_type, actor, now)
    need.status = Need.Status.IN_SERVICE
    need.save()
    touch_contact(need.recipient, now)
    audit_record(actor=actor, action="visit.checkin", obj=need, area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need) | {"checkin_place": place, "checkin_position": _where(visit)}
                 | ({"files": [photo.name]} if photo else {}))
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
        raise ValidationError(_("该次服务已签退"))
    if now - visit.checkin_at < min_visit():
        local = timezone.localtime(visit.checkin_at)
        raise ValidationError(_("您于{local:%H:%M}签到，服务时长至少{value}分钟才能签退").format(local=local, value=int(min_visit().total_seconds() // 60)))
    checked = [(kind, upload, upload_check(upload, kind)) for kind, upload in files]
    before = snapshot(visit, ["checkout_at", "checkout_place", "work_done", "outcome"])
    visit.checkout_at, visit.checkout_place = now, (place or "").strip()
    visit.work_done, visit.outcome = (work_done or "").strip(), (outcome or "").strip()
    if not visit.checkout_place:
        raise ValidationError({"place": _("请填写签退地点")})
    if not visit.work_done:
        raise ValidationError({"work_done": _("请填写本次服务内容")})
    visit.full_clean()
    visit.save()
    for kind, upload, content_type in checked:
        _attach(visit, kind, upload, content_type, actor, now)
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
