"""Each role lands on its own home after signing in, and the top navigation offers only the homes it opens."""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD


def _sign_in(client, user) -> str:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(("who", "home"), [
    ("grandma_user", "/assistance/me/"),
    ("cadre_a", "/assistance/"),
    ("volunteer", "/assistance/"),
    ("outsider", "/manage/"),
])
def test_each_role_lands_on_its_own_home(client, aid, who, home):
    assert _sign_in(client, getattr(aid, who)) == home


def test_the_recipient_is_led_to_her_own_page_not_refused(client, aid):
    client.force_login(aid.grandma_user)
    response = client.get("/assistance/", follow=True)
    assert response.redirect_chain == [("/assistance/me/", 302)]
    page = response.content.decode()
    assert "我的救助" in page and 'href="/manage/"' not in page


def test_staff_navigation_has_no_recipient_page(client, aid):
    client.force_login(aid.cadre_a)
    page = client.get("/assistance/").content.decode()
    assert 'href="/assistance/"' in page and 'href="/assistance/me/"' not in page and 'href="/manage/"' not in page


@pytest.mark.parametrize(("who", "page", "shown"), [
    (None, "/", True),
    ("outsider", "/manage/", True),
    ("cadre_a", "/assistance/", False),
    ("civil", "/assistance/", False),
    ("grandma_user", "/assistance/me/", False),
])
def test_the_receipt_lookup_is_offered_only_where_suggestions_are(client, aid, who, page, shown):
    """查回执 belongs to the consultation side (a citizen's receipt for a suggestion): assistance staff and
    recipients, whose header offers only their own system, were shown it on every page."""
    from django.urls import reverse

    if who:
        client.force_login(getattr(aid, who))
    html = client.get(page).content.decode()
    assert (f'href="{reverse("receipt-lookup")}"' in html) is shown


@pytest.mark.parametrize(("who", "home", "shown"), [
    ("volunteer", "/assistance/", "需求登记、派单、服务记录与回访"),
    ("cadre_a", "/assistance/", "需求登记、派单、服务记录与回访"),
    ("grandma_user", "/assistance/me/", "我的救助"),
    ("outsider", "/", "查看征集活动"),
])
def test_the_workbench_typed_by_hand_leads_each_person_to_their_own_pages(client, aid, who, home, shown):
    """A volunteer who typed /manage/ met a page whose only button was 接口文档 (the partner API's docs): a dead
    end. It now links to the pages their roles open and says what is there; the API docs stay with consultation."""
    client.force_login(getattr(aid, who))
    card = client.get("/manage/").content.decode().split('<section class="card">')[1].split("</section>")[0]
    assert f'href="{home}"' in card and shown in card and 'href="/api/v1/docs/"' not in card


def test_a_providers_worklist_says_which_work_is_under_way(client, aid, need_a):
    """派给我的服务 showed the offer's 已接单 for work checked in and not yet checked out (the walk: a volunteer's
    list read 已接单 beside the need's own 服务中), so the one visit left open looked like work not yet begun.
    Work accepted shows where it stands: 已接单 before the check-in, 服务中 after it; an offer 待接单."""
    import re

    from minsheng.assistance.services.dispatch import need_dispatch
    from minsheng.assistance.services.needs import need_communicate, need_create

    from .conftest import walk

    walk(need_a, "in_service", aid=aid)
    second = need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="companionship", channel="cadre",
                         description="独居，希望每周有人来聊聊天")
    walk(second, "accepted", aid=aid)
    third = need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="device_teaching", channel="cadre",
                        description="想学用手机挂号")
    need_communicate(actor=aid.cadre_a, need=third, mode="visit", agreed="约定周五上午")
    need_dispatch(actor=aid.station, need=third, provider=aid.p_social)
    client.force_login(aid.social_a)
    html = client.get("/assistance/").content.decode()
    section = html[html.index('id="my-offers"'):]
    rows = {int(pk): badge for pk, badge in re.findall(
        r'href="/assistance/needs/(\d+)/".*?<span class="badge st-\w+">([^<]+)</span>', section, re.S)}
    assert rows == {need_a.pk: "服务中", second.pk: "已接单", third.pk: "待接单"}, rows
