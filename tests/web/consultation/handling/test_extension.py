"""延期: an officer asks for more days with a reason; the campaign's manager approves (the deadline moves, the
suggestion shows 已延期) or refuses (it stays)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.consultation.handling.deadlines import extend
from minsheng.consultation.handling.services import extension_decide, extension_request, suggestion_return

pytestmark = pytest.mark.django_db


def test_approval_moves_the_deadline_and_marks_it_extended(cast, routed, client):
    s = routed()
    first_due = s.due_at
    asked = extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=5,
                              reason="需要现场勘查")
    with pytest.raises(ValidationError, match="等待审批"):
        extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=3, reason="再等等")
    with pytest.raises(PermissionDenied):  # an officer cannot approve their own request
        extension_decide(user=cast.officer_a, extension_id=asked.pk, approve=True)
    client.force_login(cast.owner)
    assert "需要现场勘查" in client.get("/manage/c/plan/").content.decode()
    client.post(f"/manage/c/plan/extensions/{asked.pk}/", {"action": "approve", "note": "同意"})
    s.refresh_from_db()
    assert s.extended and s.due_at == extend(first_due, 5, working=True)
    with pytest.raises(ValidationError, match="审批过了"):
        extension_decide(user=cast.owner, extension_id=asked.pk, approve=False)
    client.force_login(cast.officer_a)
    assert "已延期" in client.get("/manage/inbox/", {"c": "plan"}).content.decode()


def test_refusal_leaves_the_deadline(cast, routed):
    s = routed()
    asked = extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=5,
                              reason="需要现场勘查")
    extension_decide(user=cast.owner, extension_id=asked.pk, approve=False, note="请按期办结")
    before = s.due_at
    s.refresh_from_db()
    assert s.due_at == before and not s.extended
    assert [e.get_action_display() for e in s.handling_events.order_by("at", "id")][-1] == "不同意延期"


def test_a_request_needs_a_reason_and_cannot_outlive_a_return(cast, routed):
    s = routed()
    with pytest.raises(ValidationError, match="请写明理由"):
        extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=5, reason="")
    with pytest.raises(ValidationError, match="1 到 60"):
        extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=0, reason="要勘查")
    asked = extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=5,
                              reason="需要现场勘查")
    suggestion_return(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, reason="不属本部门")
    asked.refresh_from_db()
    assert asked.status == "refused"  # returned: nothing left to extend
