"""服务后有反馈: satisfaction from the recipient or a revisit; dissatisfaction reopens, satisfaction closes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance.conf import feedback_link_days, sla
from minsheng.assistance.models import Feedback, FeedbackLink, Need
from minsheng.assistance.selectors.scope import scope_for
from minsheng.assistance.services.audit import audit_record, purpose_code, snapshot
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
    return _settle(need, actor=actor, source=source, satisfaction=satisfaction, comment=comment,
                   goal_achieved=goal_achieved, now=now)


def _settle(need: Need, *, actor, source: str, satisfaction: int, comment: str, goal_achieved: bool | None,
            now: datetime, by_link: bool = False) -> Feedback:
    """Store one rating of the served ``need`` (locked by the caller) and close or reopen it. ``actor`` is None
    for the recipient's rating through a feedback link."""
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
    # Any rating is a contact with her, her own (the slip's QR code) as much as a revisit's: 久未联系 listed a
    # recipient who had rated a service the day before.
    touch_contact(need.recipient, now)
    audit_record(actor=actor, action="need.close" if feedback.satisfied else "need.reopen", obj=need,
                 area_id=need.area_id, at=now, before=before,
                 after=need_snapshot(need) | {"satisfaction": satisfaction, "goal_achieved": goal_achieved},
                 purpose=purpose_code("link", need.pk) if by_link else "")
    return feedback


# --- The recipient's own rating through a one-time link (printed with a QR code on the service slip) ---

def _token_hash(token: str) -> str:
    # The token carries 192 random bits: a plain hash suffices (no guessing to slow down), and a stolen table
    # holds no usable link.
    return hashlib.sha256(token.encode()).hexdigest()


def _link_keeper(actor, need: Need) -> bool:
    """Who may hand the recipient a link, and take it back: staff of the need's area who did not serve it (the
    rule of a revisit: a provider holding the link could rate their own work, or void a slip she dislikes)."""
    return scope_for(actor).sees_area(need.area_id) and not need.visits.filter(provider__user=actor).exists()


def link_issuable(actor, need: Need) -> bool:
    return need.status == Need.Status.SERVED and _link_keeper(actor, need)


def open_link(need: Need, now: datetime | None = None) -> FeedbackLink | None:
    """The link of ``need`` still waiting to be used, if any."""
    now = now_or(now)
    return (need.feedback_links.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now,
                                       served_at=need.served_at).first()
            if need.status == Need.Status.SERVED else None)


@transaction.atomic
def feedback_link_issue(*, actor, need: Need, now: datetime | None = None) -> tuple[FeedbackLink, str]:
    """A new link for the service awaiting a rating, and its token (shown this once). An earlier unused link of
    the need is revoked: one slip in the recipient's hands at a time."""
    now = now_or(now)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.SERVED:
        raise ValidationError(_("只有“待回访”的需求可以生成评价二维码"))
    if not link_issuable(actor, need):
        raise PermissionDenied(_("评价二维码须由本区域服务人员以外的工作人员生成"))
    for old in need.feedback_links.filter(used_at__isnull=True, revoked_at__isnull=True):
        _revoke(old, actor=actor, now=now)
    token = secrets.token_urlsafe(24)
    link = FeedbackLink.objects.create(need=need, token_hash=_token_hash(token), served_at=need.served_at,
                                       issued_by=actor, issued_at=now,
                                       expires_at=now + timedelta(days=feedback_link_days()))
    audit_record(actor=actor, action="feedback_link.issue", obj=need, area_id=need.area_id, at=now,
                 after=snapshot(link, ["expires_at"]))
    return link, token


def _revoke(link: FeedbackLink, *, actor, now: datetime) -> None:
    link.revoked_at = now
    link.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="feedback_link.revoke", obj=link.need, area_id=link.need.area_id, at=now,
                 after=snapshot(link, ["revoked_at"]))


@transaction.atomic
def feedback_link_revoke(*, actor, link: FeedbackLink, now: datetime | None = None) -> None:
    now = now_or(now)
    # The need first, then its link: the order of every writer of links (issue, revoke, a rating), so that two
    # of them at once wait for each other instead of deadlocking.
    need = Need.objects.select_for_update().get(pk=link.need_id)
    link = FeedbackLink.objects.select_for_update().get(pk=link.pk)
    link.need = need
    if not _link_keeper(actor, need):
        raise PermissionDenied(_("评价二维码须由本区域服务人员以外的工作人员作废"))
    if link.used_at or link.revoked_at:
        raise ValidationError(_("该评价二维码已使用或已作废"))
    _revoke(link, actor=actor, now=now)


def _links():
    return FeedbackLink.objects.select_related("need__recipient", "need__provider__user")


def link_for_token(token: str) -> FeedbackLink | None:
    if not token or len(token) > 64:
        return None
    return _links().filter(token_hash=_token_hash(token)).first()


def link_get(pk: int | None) -> FeedbackLink | None:
    return _links().filter(pk=pk).first() if isinstance(pk, int) else None


def link_refusal(link: FeedbackLink | None, now: datetime | None = None) -> str | None:
    """Why ``link`` cannot take a rating now, in the recipient's words; None when it can."""
    now = now_or(now)
    if link is None:
        return _("这个评价链接无效。请核对二维码，或联系村（社区）工作人员。")
    if link.used_at:
        return _("这次服务您已经评价过了，谢谢您！")
    if link.revoked_at:
        return _("这个评价链接已作废。工作人员可能给了您新的服务单，请扫描新的二维码。")
    if link.expires_at <= now:
        return _("这个评价链接已过期。如果您想评价这次服务，请联系村（社区）工作人员。")
    need = link.need
    if need.status != Need.Status.SERVED or need.served_at != link.served_at:
        return _("这次服务已经评价过了，谢谢您！")
    return None


@transaction.atomic
def feedback_by_link(*, link_id: int | None, satisfaction: int, comment: str = "", goal_achieved: bool | None = None,
                     now: datetime | None = None) -> Feedback:
    """The recipient's own rating through her link (``link_id``, taken from her token): stored as 本人评价, once."""
    now = now_or(now)
    need_id = FeedbackLink.objects.filter(pk=link_id).values_list("need_id", flat=True).first()
    need = link = None
    if need_id is not None:  # the need first, then the link: the order of feedback_link_issue and _revoke
        need = Need.objects.select_for_update().select_related("recipient").get(pk=need_id)
        link = FeedbackLink.objects.select_for_update().get(pk=link_id)
        link.need = need
    if why := link_refusal(link, now):  # on the locked rows: a reissue or a rating just before is seen
        raise ValidationError(why)
    feedback = _settle(need, actor=None, source=Feedback.Source.RECIPIENT, satisfaction=satisfaction,
                       comment=comment, goal_achieved=goal_achieved, now=now, by_link=True)
    link.used_at, link.feedback = now, feedback
    link.save(update_fields=["used_at", "feedback"])
    return feedback
