"""Area-scoped access by every URL, told with the named people of conftest.

A cadre of village B must not reach village A's recipient by any list, search, detail, export, API or action
URL; a volunteer sees only what was dispatched to them; an outsider sees nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from minsheng.assistance.models import AuditEntry, Communication, Need

from .conftest import make_id, walk

NUMBER_A = make_id("43040519450312002")


def _urls(aid, need):
    r = aid.grandma_a.pk
    return [f"/assistance/recipients/{r}/", f"/assistance/recipients/{r}/needs/new/", f"/assistance/needs/{need.pk}/",
            f"/assistance/needs/{need.pk}/dispatch/"]


def _lists(client) -> str:
    """Everything the list, search, export, API and proactive URLs show to the signed-in person."""
    out = []
    for url, search in [("/assistance/", None), ("/assistance/recipients/", None),
                        ("/assistance/recipients/", "李奶奶"), ("/assistance/recipients/", NUMBER_A),
                        ("/assistance/recipients/export.csv", NUMBER_A), ("/assistance/needs/", None),
                        ("/assistance/recipients/no-contact/", None), ("/assistance/api/needs/", None)]:
        if search is not None:  # searches are posted, then read back from the session
            client.post("/assistance/recipients/", {"q": search})
        response = client.get(url)
        out.append(response.content.decode() if response.status_code == 200 else f"[{response.status_code}]")
    return re.sub(r'value="[^"]*"', "", "\n".join(out))  # not the search box echoing the query


def test_anonymous_visitors_are_sent_to_sign_in(client, aid, need_a):
    for url in ["/assistance/", "/assistance/dashboard/", "/assistance/audit/", *_urls(aid, need_a)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_an_outsider_is_refused_everywhere(client, aid, need_a):
    client.force_login(aid.outsider)
    for url in ["/assistance/", "/assistance/recipients/", "/assistance/dashboard/", "/assistance/audit/",
                "/assistance/api/needs/", "/assistance/recipients/export.csv", *_urls(aid, need_a)]:
        assert client.get(url).status_code == 403, url


def test_the_cadre_of_village_b_cannot_reach_village_a_by_any_url(client, aid, need_a):
    client.force_login(aid.cadre_b)
    for url in _urls(aid, need_a):
        assert client.get(url).status_code == 404, url
    shown = _lists(client)
    assert "王爷爷" in shown and "李奶奶" not in shown and aid.grandma_a.id_masked not in shown
    posts = {f"/assistance/recipients/{aid.grandma_a.pk}/reveal/": {"reason": "审核申请材料", "purpose": "核对身份信息"},
             f"/assistance/needs/{need_a.pk}/talk/": {"mode": "phone", "agreed": "越权"},
             f"/assistance/needs/{need_a.pk}/feedback/": {"satisfaction": 1},
             f"/assistance/needs/{need_a.pk}/checkin/": {"place": "x"}}
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert not Communication.objects.exists() and not AuditEntry.objects.filter(action="recipient.reveal_id").exists()
    assert client.get("/assistance/audit/").status_code == 403


def test_the_social_worker_of_village_a_sees_a_only(client, aid, need_a):
    client.force_login(aid.social_a)
    for url in _urls(aid, need_a)[:3]:
        assert client.get(url).status_code == 200, url
    assert client.get(_urls(aid, need_a)[3]).status_code == 403  # may not dispatch
    shown = _lists(client)
    assert "李奶奶" in shown and "王爷爷" not in shown
    assert client.get(f"/assistance/recipients/{aid.grandpa_b.pk}/").status_code == 404


def test_the_station_manager_sees_the_town_and_dispatches(client, aid, need_a):
    walk(need_a, "communicated", aid=aid)
    client.force_login(aid.station)
    shown = _lists(client)
    assert "李奶奶" in shown and "王爷爷" in shown
    page = client.get(f"/assistance/needs/{need_a.pk}/dispatch/").content.decode()
    assert "吴社工" in page and "擅长智能设备教学" in page and "冯社工" not in page
    response = client.post(f"/assistance/needs/{need_a.pk}/dispatch/", {"provider": aid.p_far.pk})
    assert response.status_code == 200 and "服务区域不包括潇湘村" in response.content.decode()
    response = client.post(f"/assistance/needs/{need_a.pk}/dispatch/", {"provider": aid.p_social.pk})
    assert response.status_code == 302
    assert Need.objects.get(pk=need_a.pk).status == "dispatched"
    assert client.get("/assistance/audit/").status_code == 403


def test_a_volunteer_sees_only_what_was_dispatched_to_them(client, aid, need_a):
    client.force_login(aid.volunteer)
    for url in _urls(aid, need_a)[:3:2]:
        assert client.get(url).status_code == 404, url
    assert "李奶奶" not in _lists(client)
    walk(need_a, "dispatched", aid=aid, provider=aid.p_volunteer)
    assert client.get(f"/assistance/needs/{need_a.pk}/").status_code == 200
    assert client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").status_code == 200
    api = json.loads(client.get("/assistance/api/needs/").content)
    assert [n["id"] for n in api["needs"]] == [need_a.pk] and api["needs"][0]["id_masked"].startswith("4304**")
    assert "王爷爷" not in _lists(client)
    for url in ["/assistance/recipients/export.csv", "/assistance/dashboard/", "/assistance/recipients/new/",
                f"/assistance/recipients/{aid.grandma_a.pk}/needs/new/"]:
        assert client.get(url).status_code == 403, url
    response = client.post(f"/assistance/recipients/{aid.grandma_a.pk}/reveal/", {"reason": "上门服务前核实身份", "purpose": "上门前核对身份"})
    assert NUMBER_A not in response.content.decode()
    assert not AuditEntry.objects.filter(action="recipient.reveal_id").exists()


def test_civil_affairs_reads_the_audit_trail_including_full_id_reads(client, aid):
    client.force_login(aid.social_a)
    response = client.post(f"/assistance/recipients/{aid.grandma_a.pk}/reveal/", {"reason": "办理救助业务，核对身份", "purpose": "办理高龄补贴"})
    assert NUMBER_A in response.content.decode() and response["Cache-Control"] == "no-store"
    assert NUMBER_A not in client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").content.decode()
    client.force_login(aid.civil)
    page = client.get("/assistance/audit/?action=recipient.reveal_id").content.decode()
    assert "办理高龄补贴" in page and "吴社工" in page and NUMBER_A not in page


@pytest.mark.parametrize("who", ["cadre_a", "social_a", "station", "civil"])
def test_the_export_is_masked_and_scoped(client, aid, who):
    client.force_login(getattr(aid, who))
    csv = client.get("/assistance/recipients/export.csv").content.decode("utf-8-sig")
    assert "李**" in csv and aid.grandma_a.id_masked in csv and NUMBER_A not in csv and "李奶奶" not in csv
    assert (aid.grandpa_b.id_masked in csv) == (who in ("station", "civil"))


def test_the_recipient_sees_only_their_own_page(client, aid, need_a):
    client.force_login(aid.grandma_user)
    page = client.get("/assistance/me/").content.decode()
    assert "李奶奶" in page and "智能设备教学" in page
    assert client.get("/assistance/recipients/").status_code == 403
    client.force_login(aid.cadre_a)
    assert client.get("/assistance/me/").status_code == 403


def test_a_worker_reading_a_recipient_of_another_area_is_offered_nothing_they_may_not_do(client, aid, need_a):
    """A social worker of another area sees 李奶奶 once her need is dispatched to them, but may neither record a
    need for her nor read her full ID number: the page offers neither, and the URL says why, not 'volunteer'."""
    aid.p_far.areas.add(aid.village_a)  # serves there, as the demo's 吴社工 serves the whole town
    walk(need_a, "dispatched", aid=aid, provider=aid.p_far)
    client.force_login(aid.far_worker)
    page = client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").content.decode()
    assert "李奶奶" in page and "/needs/new/" not in page and "/reveal/" not in page
    refused = client.get(f"/assistance/recipients/{aid.grandma_a.pk}/needs/new/")
    assert refused.status_code == 403 and "志愿者" not in refused.content.decode()
    assert "只能为本辖区的救助对象登记需求" in refused.content.decode()
    client.force_login(aid.cadre_a)
    page = client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").content.decode()
    assert "/needs/new/" in page and "/reveal/" in page


def test_the_field_apps_json_names_a_recipient_in_full_only_to_the_worker_assigned_to_her(client, aid, need_a):
    """The field app's JSON gave every field worker in scope the full name of every recipient; a name identifies
    a person. In full only to the worker with a live assignment for that need; surname and stars to the rest."""

    def recipients(who) -> list[str]:
        client.force_login(getattr(aid, who))
        return [n["recipient"] for n in client.get("/assistance/api/needs/").json()["needs"] if n["id"] == need_a.pk]

    walk(need_a, "communicated", aid=aid)
    assert recipients("station") == recipients("social_a") == recipients("cadre_a") == ["李**"]
    walk(need_a, "dispatched", aid=aid, skip_talk=True)  # to 吴社工 (social_a)
    assert recipients("social_a") == ["李奶奶"]
    assert recipients("station") == recipients("cadre_a") == recipients("civil") == ["李**"]
    assert recipients("volunteer") == []  # not theirs: not listed at all
