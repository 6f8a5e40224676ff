"""Only the department holding a suggestion returns it or asks for more time; only the campaign's manager
dispatches, decides extensions and sets time limits; only the author of an action takes it back."""

from __future__ import annotations

import pytest

from minsheng.consultation.handling.models import ExtensionRequest, HandlingLimit
from minsheng.consultation.handling.services import extension_request
from minsheng.consultation.handling.undo import undoable_for
from minsheng.consultation.intake.models import Campaign, Suggestion
from minsheng.consultation.intake.services import campaign_close

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["owner", "officer_b", "partner", "citizen", "outsider"])
def test_only_the_holding_department_returns_or_asks_for_time(client, cast, routed, who):
    s = routed()
    client.force_login(getattr(cast, who))
    assert client.post(f"/manage/inbox/s/{s.pk}/return/", {"reason": "不归我们管"}).status_code in (403, 404)
    assert client.post(f"/manage/inbox/s/{s.pk}/extend/", {"days": 5, "reason": "要勘查"}).status_code in (403, 404)
    s.refresh_from_db()
    assert s.department == cast.dept_a and not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "partner", "citizen", "outsider"])
def test_only_the_manager_dispatches_decides_and_sets_limits(client, cast, routed, who):
    s = routed()
    asked = extension_request(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, days=5,
                              reason="需要现场勘查")
    client.force_login(getattr(cast, who))
    assert client.post(f"/manage/c/plan/dispatch/{s.receipt}/", {"department": cast.dept_b.pk}).status_code == 404
    assert client.post(f"/manage/c/plan/extensions/{asked.pk}/", {"action": "approve"}).status_code == 404
    assert client.post("/manage/c/plan/limits/", {"days": 1, f"dept-{cast.dept_a.pk}": 1}).status_code == 404
    s.refresh_from_db()
    asked.refresh_from_db()
    assert s.department == cast.dept_a and asked.status == "pending" and not HandlingLimit.objects.exists()
    assert Campaign.objects.get(pk=cast.campaign.pk).handling_days == 15


def test_the_manager_sets_limits_and_a_bad_value_changes_nothing(client, cast):
    client.force_login(cast.owner)
    client.post("/manage/c/plan/limits/", {"days": 10, "working": "1", f"dept-{cast.dept_b.pk}": 3})
    cast.campaign.refresh_from_db()
    assert (cast.campaign.handling_days, cast.campaign.handling_working_days) == (10, True)
    assert HandlingLimit.objects.get().days == 3
    response = client.post("/manage/c/plan/limits/", {"days": 0, f"dept-{cast.dept_b.pk}": ""}, follow=True)
    assert "默认办理时限：请填写 1 到 365 之间的天数" in response.content.decode()
    cast.campaign.refresh_from_db()
    assert cast.campaign.handling_days == 10 and HandlingLimit.objects.get().days == 3


def test_nobody_takes_back_another_persons_action(client, cast):
    campaign_close(actor=cast.owner, campaign=cast.campaign)
    [action] = undoable_for(cast.owner)
    client.force_login(cast.outsider)
    response = client.post(f"/manage/undo/{action.pk}/", follow=True)
    assert "没有可撤销的操作" in response.content.decode()
    assert Campaign.objects.get(pk=cast.campaign.pk).status == "closed"
    assert Suggestion.objects.count() == 0
