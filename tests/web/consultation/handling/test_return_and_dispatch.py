"""退回: an officer whose department is not responsible hands a suggestion back with a reason; the dispatcher
(the campaign's manager) sees it with the reason and gives it to another department."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.consultation.handling.models import HandlingEvent
from minsheng.consultation.handling.selectors import returned_to_dispatcher
from minsheng.consultation.handling.services import suggestion_dispatch, suggestion_return
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.workbench.models import DepartmentAssignment

pytestmark = pytest.mark.django_db


def test_a_return_needs_a_reason_and_the_officer_of_the_department(cast, routed):
    s = routed()
    with pytest.raises(ValidationError, match="请写明理由"):
        suggestion_return(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, reason="  ")
    with pytest.raises(PermissionDenied):
        suggestion_return(user=cast.officer_b, suggestion_id=s.pk, department=cast.dept_a, reason="不归我们管")
    with pytest.raises(ValidationError, match="已转至其他部门"):  # 教育局 does not hold it
        suggestion_return(user=cast.officer_b, suggestion_id=s.pk, department=cast.dept_b, reason="不归我们管")
    s.refresh_from_db()
    assert s.department == cast.dept_a and not HandlingEvent.objects.filter(action="return").exists()


def test_returned_waits_for_the_dispatcher_with_its_reason_then_goes_to_another_department(cast, routed, client):
    s = routed()
    suggestion_return(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, reason="属于教育局职责")
    s.refresh_from_db()
    assert (s.department, s.due_at, s.department_locked) == (None, None, True)
    [waiting] = returned_to_dispatcher(campaign=cast.campaign)
    assert (waiting.pk, waiting.return_reason, waiting.returned_by) == (s.pk, "属于教育局职责", "交通运输局")
    client.force_login(cast.owner)
    page = client.get("/manage/c/plan/").content.decode()
    assert "待重新分派（部门退回）" in page and "属于教育局职责" in page
    with pytest.raises(PermissionDenied):  # officers do not dispatch
        suggestion_dispatch(user=cast.officer_b, suggestion_id=s.pk, department=cast.dept_b)
    response = client.post(f"/manage/c/plan/dispatch/{s.receipt}/", {"department": cast.dept_b.pk}, follow=True)
    assert "已分派至教育局" in response.content.decode()
    s.refresh_from_db()
    assert s.department == cast.dept_b and s.due_at is not None
    assert not returned_to_dispatcher(campaign=cast.campaign).exists()
    move = DepartmentAssignment.objects.get(suggestion=s)  # the correction trains the next router
    assert (move.from_department, move.to_department, move.by) == (cast.dept_a, cast.dept_b, cast.owner)
    log = [e.get_action_display() for e in s.handling_events.order_by("at", "id")]
    assert log == ["分派", "退回", "分派"]


def test_the_officer_returns_from_the_suggestion_page_and_it_leaves_the_inbox(cast, routed, client):
    s = routed()
    client.force_login(cast.officer_a)
    page = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert "退回分派人" in page and "办理期限" in page and "剩余" in page
    client.post(f"/manage/inbox/s/{s.pk}/return/", {"reason": ""})
    assert Suggestion.objects.get(pk=s.pk).department == cast.dept_a  # refused without a reason
    response = client.post(f"/manage/inbox/s/{s.pk}/return/", {"reason": "应由教育局办理"}, follow=True)
    assert "已退回" in response.content.decode()
    assert s.pk not in {x.pk for x in response.context["page"]}
    assert client.get(f"/manage/inbox/s/{s.pk}/").status_code == 404


def test_an_answered_suggestion_cannot_be_returned(cast, routed):
    from minsheng.consultation.workbench.services import reply_send

    s = routed()
    reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], text="已答复")
    with pytest.raises(ValidationError, match="已经办结"):
        suggestion_return(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, reason="不归我们管")


def test_dispatch_by_a_typed_receipt_stays_within_the_campaign_and_its_managers(cast, client):
    """待分派's receipt form (h-walk7) takes a code as typed; only this campaign's suggestions, only for its managers."""
    from minsheng.consultation.intake.services import campaign_create, suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="酃湖路口没有红绿灯，孩子过马路很危险，建议增设。")
    other = campaign_create(owner=cast.owner, slug="other", title="另一次征集", question="您有什么建议？")
    elsewhere = Suggestion.objects.create(campaign=other, receipt="OTHER12345", text="另一次征集的建议")
    client.force_login(cast.officer_a)
    client.post("/manage/c/plan/dispatch/", {"receipt": s.receipt, "department": cast.dept_a.pk})
    s.refresh_from_db()
    assert s.department is None
    client.force_login(cast.owner)
    page = client.post("/manage/c/plan/dispatch/", {"receipt": "other 12345", "department": cast.dept_a.pk}, follow=True)
    assert "没有找到这个回执码" in page.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.department is None
    typed = f" {s.receipt[:5].lower()}-{s.receipt[5:].lower()} "
    client.post("/manage/c/plan/dispatch/", {"receipt": typed, "department": cast.dept_a.pk})
    s.refresh_from_db()
    assert (s.department, s.status) == (cast.dept_a, Suggestion.Status.IN_REVIEW)
