"""撤销: a destructive or mass action can be taken back by the person who did it, for ``UNDO_MINUTES``.

- 结束征集 → the campaign is open again with its old closing time;
- 吊销 an API key → the same key works again (only its hash is kept, so a revoked key is otherwise gone);
- an answer (to one suggestion, or one answer to a whole group) → the reply is withdrawn and every suggestion
  has its former state again, with a 撤销 line in its 办理记录. The contributors' messages wait out the window
  (see ``workbench.services.notifications_enqueue``); once one has gone out, or a citizen has rated the answer,
  the answer stands.

The confirmation before each action stays: the window is for the slip noticed a moment later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from minsheng.consultation.handling.models import UndoableAction

__all__ = ["UndoableAction", "record", "action_undo", "remember", "undoable_for", "undoable_shown"]


@dataclass(frozen=True)
class Recorded:
    action: UndoableAction
    deadline: datetime


def window() -> timedelta:
    return timedelta(minutes=settings.UNDO_MINUTES)


def record(*, kind: str, actor, campaign_id: int, object_id: int, label: str, before: dict) -> Recorded:
    action = UndoableAction.objects.create(kind=kind, actor=actor, campaign_id=campaign_id, object_id=object_id,
                                           label=label[:200], before=before)
    return Recorded(action, action.deadline)


def remember(request, said: str = "") -> None:
    """Note in the session that this person has something to take back, so pages look for it only then, and tell
    them for how long: ``said`` with the minutes as ``%(n)s``, by default 如属误操作，可在 N 分钟内撤销。"""
    request.session["undo_until"] = (timezone.now() + window()).timestamp()
    messages.info(request, (said or _("如属误操作，可在 %(n)s 分钟内撤销。")) % {"n": settings.UNDO_MINUTES})


def undoable_shown(request, *, campaign=None) -> list[UndoableAction]:
    """What a page offers to take back: nothing (and no query) unless this session did something lately."""
    if request.session.get("undo_until", 0) < timezone.now().timestamp():
        return []
    return undoable_for(request.user, campaign=campaign)


def undoable_for(user, *, campaign=None, now: datetime | None = None) -> list[UndoableAction]:
    """The user's own actions that can still be taken back, newest first."""
    if not user.is_authenticated:
        return []
    qs = UndoableAction.objects.filter(actor=user, undone_at=None, done_at__gt=(now or timezone.now()) - window())
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return list(qs[:5])


@transaction.atomic
def action_undo(*, user, action_id: int, now: datetime | None = None) -> UndoableAction:
    """Take back ``action_id``: only its author, only once, only within the window."""
    now = now or timezone.now()
    action = UndoableAction.objects.select_for_update().filter(pk=action_id, actor=user).first()
    if action is None:
        raise ValidationError(_("没有可撤销的操作"))
    if action.undone_at is not None:
        raise ValidationError(_("这项操作已经撤销过了"))
    if now > action.deadline:
        raise ValidationError(_("已超过 %(n)s 分钟，不能再撤销") % {"n": settings.UNDO_MINUTES})
    UNDO[action.kind](action)
    action.undone_at = now
    action.save(update_fields=["undone_at"])
    return action


def _campaign_close(action: UndoableAction) -> None:
    from minsheng.consultation.intake.models import Campaign
    from minsheng.consultation.intake.selectors import channel_cache_clear

    campaign = Campaign.objects.select_for_update().get(pk=action.object_id)
    if campaign.status != Campaign.Status.CLOSED:
        raise ValidationError(_("征集已重新开放，无需撤销"))
    campaign.status = action.before["status"]
    closes = action.before.get("closes_at")
    campaign.closes_at = parse_datetime(closes) if closes else None
    campaign.save(update_fields=["status", "closes_at"])
    channel_cache_clear()
    transaction.on_commit(channel_cache_clear)


def _key_revoke(action: UndoableAction) -> None:
    from minsheng.consultation.intake.models import Channel
    from minsheng.consultation.intake.selectors import channel_cache_clear

    Channel.objects.filter(pk=action.object_id).update(revoked_at=None)
    channel_cache_clear()
    transaction.on_commit(channel_cache_clear)


def _reply(action: UndoableAction) -> None:
    from minsheng.consultation.handling.models import HandlingEvent
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.workbench.models import Notification, Reply, ReplyRating, SuggestionReply

    reply = Reply.objects.select_for_update().filter(pk=action.object_id).first()
    if reply is None:
        raise ValidationError(_("这次答复已不存在"))
    if Notification.objects.filter(reply=reply).exclude(sent_at=None).exists():
        raise ValidationError(_("通知已经发给建议人，这次答复不能再撤销"))
    if ReplyRating.objects.filter(reply=reply).exists():
        raise ValidationError(_("建议人已经评价了这次答复，不能再撤销"))
    rows = action.before["rows"]
    ids = [row[0] for row in rows]
    if SuggestionReply.objects.filter(suggestion__in=ids, reply__created_at__gt=reply.created_at).exists():
        raise ValidationError(_("其中有建议在这之后又被答复过，不能撤销"))
    list(Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    for pk, status, answered in rows:
        Suggestion.objects.filter(pk=pk).update(status=status, answered_at=parse_datetime(answered) if answered else None)
    HandlingEvent.objects.bulk_create(
        [HandlingEvent(suggestion_id=pk, department_id=reply.department_id, actor_id=action.actor_id,
                       action=HandlingEvent.Action.UNDO, text=action.label) for pk in ids], batch_size=2000)
    Notification.objects.filter(reply=reply, sent_at=None).delete()
    reply.delete()


UNDO = {UndoableAction.Kind.CAMPAIGN_CLOSE: _campaign_close, UndoableAction.Kind.KEY_REVOKE: _key_revoke,
        UndoableAction.Kind.REPLY: _reply}
