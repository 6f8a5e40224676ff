"""The services refuse whoever may not act, whichever page or script calls them (consultation/access.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from minsheng.consultation.access import scope_for
from minsheng.consultation.intake.services import (
    campaign_close,
    campaign_create,
    channel_create,
    channel_revoke,
    suggestion_moderate,
    suggestion_submit,
)
from minsheng.consultation.publishing.services import campaign_results_publish
from minsheng.consultation.workbench.services import reply_send


def _writes(cast, actor):
    held = suggestion_submit(campaign=cast.campaign, text="这条建议里提到六合彩，应当先审核再公开。")
    return {
        "create": lambda: campaign_create(owner=actor, slug="mine", title="t", question="q"),
        "close": lambda: campaign_close(actor=actor, campaign=cast.campaign),
        "channel": lambda: channel_create(actor=actor, campaign=cast.campaign, code="new", name="新渠道"),
        "revoke": lambda: channel_revoke(actor=actor, channel=cast.channel),
        "moderate": lambda: suggestion_moderate(actor=actor, suggestion=held, approve=True),
        "publish": lambda: campaign_results_publish(actor=actor, campaign=cast.campaign),
    }


@pytest.mark.parametrize("who", ["officer_a", "partner", "citizen", "outsider"])
def test_only_the_owner_manages_the_campaign(cast, who):
    for name, write in _writes(cast, getattr(cast, who)).items():
        with pytest.raises(PermissionDenied):
            write()
            pytest.fail(f"{who} could {name}")


def test_the_owner_does_every_managing_write(cast):
    for write in _writes(cast, cast.owner).values():
        write()


def test_an_officer_answers_only_for_their_own_department(cast):
    s = suggestion_submit(campaign=cast.campaign, text="建议在学校门口增设红绿灯，保障学生安全。")
    s.department = cast.dept_a
    s.save(update_fields=["department"])
    with pytest.raises(PermissionDenied):
        reply_send(user=cast.officer_b, department=cast.dept_a, suggestion_ids=[s.pk], text="已收到。")
    assert reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], text="已收到。").pk


def test_the_scope_says_what_each_role_opens(cast):
    owner, officer, outsider = scope_for(cast.owner), scope_for(cast.officer_a), scope_for(cast.outsider)
    assert owner.can_create_campaigns and owner.manages(cast.campaign) and not owner.is_officer
    assert officer.acts_for(cast.dept_a.pk) and not officer.acts_for(cast.dept_b.pk)
    assert not officer.manages(cast.campaign) and not officer.can_create_campaigns
    assert not (outsider.manages(cast.campaign) or outsider.is_officer or outsider.can_create_campaigns)
