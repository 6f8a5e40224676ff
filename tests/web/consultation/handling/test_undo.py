"""撤销: 结束征集, 吊销 a key and one answer to a whole group can be taken back by their author for a few minutes,
and restore exactly what was there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from minsheng.consultation.handling.undo import action_undo, undoable_for
from minsheng.consultation.intake.models import Campaign, Channel, Suggestion
from minsheng.consultation.intake.services import campaign_close, channel_revoke
from minsheng.consultation.workbench.models import Notification, Reply
from minsheng.consultation.workbench.notify import notifications_deliver
from minsheng.consultation.workbench.services import reply_send

pytestmark = pytest.mark.django_db


def test_closing_is_undone_with_the_old_closing_time(cast):
    closes = cast.campaign.opens_at + timedelta(days=30)
    Campaign.objects.filter(pk=cast.campaign.pk).update(closes_at=closes)
    cast.campaign.refresh_from_db()
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    [action] = undoable_for(cast.owner, campaign=cast.campaign)
    with pytest.raises(ValidationError, match="没有可撤销"):  # only its author
        action_undo(user=cast.officer_a, action_id=action.pk)
    action_undo(user=cast.owner, action_id=action.pk)
    cast.campaign.refresh_from_db()
    assert (cast.campaign.status, cast.campaign.closes_at) == ("open", closes)
    with pytest.raises(ValidationError, match="已经撤销过"):
        action_undo(user=cast.owner, action_id=action.pk)
    assert undoable_for(cast.owner) == []


def test_the_window_closes(cast, settings):
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    [action] = undoable_for(cast.owner)
    later = action.done_at + timedelta(minutes=settings.UNDO_MINUTES, seconds=1)
    assert undoable_for(cast.owner, now=later) == []
    with pytest.raises(ValidationError, match="不能再撤销"):
        action_undo(user=cast.owner, action_id=action.pk, now=later)
    assert Campaign.objects.get(pk=cast.campaign.pk).status == "closed"


def test_a_revoked_key_works_again_after_undo(cast, client):
    channel_revoke(actor=cast.owner, channel=cast.channel)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {cast.key}"}
    body = {"items": [{"external_id": "x1", "text": "建议增加公交线路"}]}
    assert client.post("/api/v1/campaigns/plan/suggestions", body, content_type="application/json", **headers).status_code == 403
    client.force_login(cast.owner)
    [action] = undoable_for(cast.owner)
    response = client.post(f"/manage/undo/{action.pk}/", {"next": "/manage/c/plan/"}, follow=True)
    assert "已撤销" in response.content.decode()
    assert Channel.objects.get(pk=cast.channel.pk).is_active
    client.logout()
    assert client.post("/api/v1/campaigns/plan/suggestions", body, content_type="application/json", **headers).status_code < 300


def _group(cast, routed):
    return [routed(f"建议学校门口设置减速带{i}", contact=f"p{i}@example.com") for i in range(2)]


def test_a_group_answer_waits_for_the_window_and_undo_restores_every_suggestion(cast, routed, settings,
                                                                               django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from django_tasks import default_task_backend

    group = _group(cast, routed)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk for s in group],
                           text="已设置减速带", scope="group")
    [queued] = default_task_backend.results
    assert queued.task.run_after >= reply.created_at + timedelta(minutes=settings.UNDO_MINUTES - 1)
    ids = list(Notification.objects.filter(reply=reply).values_list("pk", flat=True))
    assert len(ids) == 2
    [action] = undoable_for(cast.officer_a)
    action_undo(user=cast.officer_a, action_id=action.pk)
    assert not Reply.objects.filter(pk=reply.pk).exists()
    assert [(s.status, s.answered_at) for s in Suggestion.objects.filter(pk__in=[g.pk for g in group])] == [
        ("in_review", None), ("in_review", None)]  # held by the department: 办理中 again
    assert notifications_deliver(ids) == 0 and mail.outbox == []  # the queued task finds nothing to send


def test_a_group_answer_already_announced_stands(cast, routed, django_capture_on_commit_callbacks):
    group = _group(cast, routed)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend sends at once
        reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk for s in group],
                   text="已设置减速带", scope="group")
    assert len(mail.outbox) == 2
    [action] = undoable_for(cast.officer_a)
    with pytest.raises(ValidationError, match="通知已经发给建议人"):
        action_undo(user=cast.officer_a, action_id=action.pk)
    assert all(s.status == "replied" for s in Suggestion.objects.filter(pk__in=[g.pk for g in group]))


def test_a_single_reply_is_taken_back_as_a_group_answer_is(cast, routed, settings,
                                                          django_capture_on_commit_callbacks):
    """A single reply (or 采纳) could not be undone: only whole-group answers could. The same window, the same
    author-only rule and the same restore; both leave a 撤销 line in the suggestion's 办理记录."""
    from minsheng.consultation.handling.models import HandlingEvent
    from minsheng.consultation.workbench.services import suggestion_adopt

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from django_tasks import default_task_backend

    s = routed("建议学校门口设置减速带", contact="p@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        reply = suggestion_adopt(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk],
                                 outcome="adopted", note="已在校门口设置减速带")
    [queued] = default_task_backend.results  # the message waits out the window, as a group answer's does
    assert queued.task.run_after >= reply.created_at + timedelta(minutes=settings.UNDO_MINUTES - 1)
    [action] = undoable_for(cast.officer_a)
    assert action.object_id == reply.pk and "答复建议" in action.label
    with pytest.raises(ValidationError, match="没有可撤销"):  # only its author
        action_undo(user=cast.officer_b, action_id=action.pk)
    later = action.done_at + timedelta(minutes=settings.UNDO_MINUTES, seconds=1)
    with pytest.raises(ValidationError, match="不能再撤销"):
        action_undo(user=cast.officer_a, action_id=action.pk, now=later)
    action_undo(user=cast.officer_a, action_id=action.pk)
    s.refresh_from_db()
    assert (s.status, s.answered_at) == ("in_review", None) and not Reply.objects.filter(pk=reply.pk).exists()
    [event] = HandlingEvent.objects.filter(suggestion=s, action="undo")
    assert (event.actor, event.department, event.text) == (cast.officer_a, cast.dept_a, action.label)
    with pytest.raises(ValidationError, match="已经撤销过"):
        action_undo(user=cast.officer_a, action_id=action.pk)


def test_closing_and_revoking_say_how_long_they_can_be_taken_back(cast, client, settings):
    from django.contrib.messages import get_messages

    client.force_login(cast.owner)
    window = f"如属误操作，可在 {settings.UNDO_MINUTES} 分钟内撤销。"
    for url, data in ((f"/manage/c/plan/channels/{cast.channel.code}/revoke/", {}),
                      ("/manage/c/plan/toggle/", {"action": "close"})):
        response = client.post(url, data)
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == window
    assert len(undoable_for(cast.owner)) == 2
