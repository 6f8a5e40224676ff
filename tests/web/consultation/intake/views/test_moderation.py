"""Held suggestions: the owner releases or rejects them; nobody else can."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.consultation.intake.services import suggestion_submit


@pytest.fixture
def held(cast):
    return suggestion_submit(campaign=cast.campaign, text="出售六合彩，联系我")


def test_the_owner_sees_held_suggestions_and_releases_one(client, cast, held):
    client.force_login(cast.owner)
    assert display_receipt(held.receipt) in client.get("/manage/c/plan/").content.decode()
    client.post(f"/manage/c/plan/moderate/{held.receipt}/", {"action": "approve"})
    assert Suggestion.objects.get(pk=held.pk).status == "received"


def test_the_owner_rejects_one_and_cannot_moderate_it_twice(client, cast, held):
    client.force_login(cast.owner)
    client.post(f"/manage/c/plan/moderate/{held.receipt}/", {"action": "reject"})
    assert Suggestion.objects.get(pk=held.pk).status == "rejected"
    response = client.post(f"/manage/c/plan/moderate/{held.receipt}/", {"action": "approve"}, follow=True)
    assert "只有待审核的建议可以审核" in response.content.decode()
    assert Suggestion.objects.get(pk=held.pk).status == "rejected"


@pytest.mark.parametrize("who", ["officer_a", "partner", "citizen", "outsider"])
def test_nobody_else_can_moderate(client, cast, held, who):
    client.force_login(getattr(cast, who))
    assert client.post(f"/manage/c/plan/moderate/{held.receipt}/", {"action": "approve"}).status_code == 404
    assert Suggestion.objects.get(pk=held.pk).status == "held"
