"""Who sees and changes what: the owner, officers of departments A and B, a partner, a citizen, an outsider."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.models import Channel, Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.consultation.intake.services import suggestion_submit

MANAGE_URLS = ["/manage/c/plan/", "/manage/c/plan/imports/"]


def _route(suggestion, department):
    Suggestion.objects.filter(pk=suggestion.pk).update(department=department)


def test_anonymous_visitors_reach_only_public_pages(client, cast):
    for url in ["/", "/c/plan/", "/r/", "/api/v1/docs/", "/api/v1/openapi.json"]:
        assert client.get(url).status_code == 200, url
    for url in ["/manage/", "/manage/inbox/", "/manage/new/", *MANAGE_URLS]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.get("/admin/").status_code == 302


def test_the_owner_manages_the_campaign(client, cast):
    client.force_login(cast.owner)
    for url in MANAGE_URLS:
        assert client.get(url).status_code == 200, url
    assert client.get("/manage/new/").status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "partner", "citizen", "outsider"])
def test_nobody_else_sees_or_changes_the_campaign(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in MANAGE_URLS:
        assert client.get(url).status_code == 404, url
    assert client.post("/manage/c/plan/toggle/", {"action": "close"}).status_code == 404
    assert client.post("/manage/c/plan/channels/", {"code": "evil", "name": "x", "rate_per_minute": 1}).status_code == 404
    assert client.post(f"/manage/c/plan/channels/{cast.channel.code}/revoke/").status_code == 404
    assert client.get("/manage/new/").status_code == 403
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == "open" and Channel.objects.get().revoked_at is None


def test_the_owner_closes_the_campaign_and_revokes_a_key(client, cast):
    client.force_login(cast.owner)
    client.post(f"/manage/c/plan/channels/{cast.channel.code}/revoke/")
    client.post("/manage/c/plan/toggle/", {"action": "close"})
    cast.campaign.refresh_from_db()
    cast.channel.refresh_from_db()
    assert cast.campaign.status == "closed" and cast.channel.revoked_at is not None


def test_a_new_channel_key_is_shown_once_and_stored_hashed(client, cast):
    client.force_login(cast.owner)
    response = client.post("/manage/c/plan/channels/", {"code": "cctv", "name": "央视网", "rate_per_minute": 100})
    html = response.content.decode()
    channel = Channel.objects.get(code="cctv")
    key = html.split('id="api-key">')[1].split("<")[0]
    assert key.startswith(f"msk_{channel.key_prefix}_") and key not in channel.key_hash
    assert response["Cache-Control"] == "no-store"
    assert key not in client.get("/manage/c/plan/").content.decode()


def test_each_officer_sees_only_their_department(client, cast):
    for_a = suggestion_submit(campaign=cast.campaign, text="修路建议")
    for_b = suggestion_submit(campaign=cast.campaign, text="学校建议")
    _route(for_a, cast.dept_a)
    _route(for_b, cast.dept_b)
    client.force_login(cast.officer_a)
    html = client.get("/manage/inbox/").content.decode()
    assert display_receipt(for_a.receipt) in html and display_receipt(for_b.receipt) not in html
    client.force_login(cast.officer_b)
    html = client.get("/manage/inbox/").content.decode()
    assert display_receipt(for_b.receipt) in html and display_receipt(for_a.receipt) not in html


@pytest.mark.parametrize("who", ["owner", "partner", "citizen", "outsider"])
def test_people_without_a_department_have_no_inbox(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get("/manage/inbox/").status_code == 403


def test_the_partner_sees_its_channel_but_not_the_key(client, cast):
    client.force_login(cast.partner)
    html = client.get("/manage/").content.decode()
    assert cast.channel.key_prefix in html and cast.key not in html


def test_the_outsider_sees_no_channel_and_no_campaign(client, cast):
    client.force_login(cast.outsider)
    html = client.get("/manage/").content.decode()
    assert cast.channel.key_prefix not in html and "十四五" not in html


def test_only_staff_reach_the_django_admin(client, cast):
    from minsheng.accounts.models import Role
    from minsheng.accounts.services import role_grant, user_create

    for who in ("owner", "officer_a", "partner", "outsider"):
        client.force_login(getattr(cast, who))
        assert client.get("/admin/").status_code == 302
    admin = user_create(username="admin", password="x" * 12)
    role_grant(user=admin, role=Role.ADMIN)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/manage/c/plan/").status_code == 200


def test_a_citizen_finds_their_own_receipt(client, cast):
    s = suggestion_submit(campaign=cast.campaign, text="建议", author=cast.citizen)
    client.force_login(cast.citizen)
    assert client.get(f"/r/{s.receipt}/").status_code == 200


def test_a_signed_in_citizen_sees_their_own_suggestions_and_nobody_else_does(client, cast):
    mine = suggestion_submit(campaign=cast.campaign, text="我的建议", author=cast.citizen)
    client.force_login(cast.citizen)
    assert display_receipt(mine.receipt) in client.get("/manage/").content.decode()
    for who in ("outsider", "owner", "officer_a"):
        client.force_login(getattr(cast, who))
        assert display_receipt(mine.receipt) not in client.get("/manage/").content.decode()
