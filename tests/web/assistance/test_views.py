"""The pages turn service errors into messages on the form and change nothing when input is bad."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minsheng.assistance.models import Attachment, Need, Recipient

from .conftest import forge, make_id, walk
from .test_uploads import png


def _recipient_post(aid, number):
    return {"name": "赵爷爷", "id_number": number, "area": aid.village_a.pk, "category": "dibao",
            "household_size": 1, "consent": "on", "consent_note": "本人口头同意"}


def test_registering_with_a_forged_number_shows_the_error(client, aid):
    client.force_login(aid.cadre_a)
    response = client.post("/assistance/recipients/new/", _recipient_post(aid, forge(make_id("43040519360606001"))))
    assert response.status_code == 200 and "校验位不符" in response.content.decode()
    assert not Recipient.objects.filter(name="赵爷爷").exists()
    response = client.post("/assistance/recipients/new/", _recipient_post(aid, make_id("43040519360606001")))
    created = Recipient.objects.get(name="赵爷爷")
    assert response.status_code == 302 and response["Location"] == f"/assistance/recipients/{created.pk}/"


def test_a_registration_with_several_mistakes_names_them_all_at_once(client, aid):
    """A cadre left the name blank and mistyped the ID number and the phone: the page said only 此项必填, then once
    that was fixed 校验位不符, then the phone, then the consent: four rounds for one form. Now one round names all
    four; and a mobile written in groups (139 1962 1600), as people read it out, is taken as 13919621600."""
    client.force_login(aid.cadre_a)
    post = {**_recipient_post(aid, forge(make_id("43040519360606001"))), "name": " ", "phone": "1391962",
            "guardian_phone": "abc"}
    del post["consent"]
    page = client.post("/assistance/recipients/new/", post).content.decode()
    assert "此项必填" in page and "校验位不符" in page and "请先取得本人或监护人同意登记" in page
    assert page.count("请填写11位手机号或带区号的固定电话") == 2
    assert not Recipient.objects.filter(name="赵爷爷").exists()
    post = {**_recipient_post(aid, make_id("43040519360606001")), "phone": "139 1962 1600",
            "guardian_phone": "139-1962-1601"}
    assert client.post("/assistance/recipients/new/", post).status_code == 302
    made = Recipient.objects.get(name="赵爷爷")
    assert (made.phone, made.guardian_phone) == ("13919621600", "13919621601")


def test_the_area_choice_offers_only_the_users_villages(client, aid):
    client.force_login(aid.cadre_b)
    page = client.get("/assistance/recipients/new/").content.decode()
    assert "茶园村" in page and "潇湘村" not in page
    response = client.post("/assistance/recipients/new/", _recipient_post(aid, make_id("43040519360606001")))
    assert response.status_code == 200 and not Recipient.objects.filter(name="赵爷爷").exists()


def test_a_non_image_photo_is_refused_on_the_page_and_the_visit_stays_open(client, aid, need_a):
    need = walk(need_a, "in_service", aid=aid)
    client.force_login(aid.social_a)
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = client.post(f"/assistance/needs/{need.pk}/checkout/", {
        "place": "李奶奶家", "work_done": "教视频", "finish": "on", "photos": [png("ok.png"), fake]})
    assert response.status_code == 302 and "不是图片" in client.get(response["Location"]).content.decode()
    need.refresh_from_db()
    assert need.status == "in_service" and need.visits.get().checkout_at is None and not Attachment.objects.exists()
    response = client.post(f"/assistance/needs/{need.pk}/checkout/", {
        "place": "李奶奶家", "work_done": "教视频", "finish": "on", "photos": [png("ok.png")]})
    assert response.status_code == 302 and Need.objects.get(pk=need.pk).status == "served"
    photo = Attachment.objects.get()
    assert client.get(f"/assistance/files/{photo.pk}/")["Content-Type"] == "image/png"
    client.force_login(aid.cadre_b)
    assert client.get(f"/assistance/files/{photo.pk}/").status_code == 404


def test_a_refused_check_in_leads_back_to_the_need_page_with_why_and_what_was_typed(client, aid, need_a):
    """A refused check-in (here a second one) answered at /checkin/ itself, so a reload posted it again; every
    action of the need page now redirects back to the need (post/redirect/get) with the reason on top and the
    typed place put back."""
    need = walk(need_a, "in_service", aid=aid)
    client.force_login(aid.social_a)
    response = client.post(f"/assistance/needs/{need.pk}/checkin/", {"place": "李奶奶家门口"})
    assert response.status_code == 302 and response["Location"] == f"/assistance/needs/{need.pk}/"
    page = client.get(response["Location"]).content.decode()
    kept = json.loads(page.split('<script id="kept-form" type="application/json">')[1].split("</script>")[0])
    assert "请先签退" in page and kept["fields"]["place"] == "李奶奶家门口"
    assert need.visits.count() == 1
    response = client.post(f"/assistance/needs/{need.pk}/checkout/", {"place": "", "work_done": "教视频"})
    assert response.status_code == 302 and "签退地点：此项必填" in client.get(response["Location"]).content.decode()


def test_the_dashboard_draws_from_scoped_figures(client, aid, need_a):
    client.force_login(aid.station)
    page = client.get("/assistance/dashboard/").content.decode()
    assert 'id="t-total">1<' in page and "reports/echarts.min.js" in page and 'id="dashboard-data"' in page
    assert client.get("/static/reports/echarts.min.js").status_code == 200


def test_the_check_out_offers_the_place_checked_in_at(client, aid, need_a):
    """签退地点 was empty and required: a volunteer on a phone typed again where they had checked in."""
    walk(need_a, "in_service", aid=aid)
    client.force_login(aid.social_a)
    html = client.get(f"/assistance/needs/{need_a.pk}/").content.decode()
    checkout = html.split("/checkout/")[1].split("</form>")[0]
    assert 'name="place" value="李奶奶家"' in checkout


def test_a_registration_posted_signed_out_comes_back_without_the_id_number(client, aid):
    """What was typed is kept across the sign-in (minsheng.web.kept), but never a full ID number: it is stored
    only encrypted, and the session table is no place for it."""
    import json

    from ..conftest import PASSWORD

    page = "/assistance/recipients/new/"
    number = make_id("43040519520101003")
    client.post("/accounts/login/", {"username": "cadre_a", "password": PASSWORD})
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the session ran out while the form was being filled in
    response = client.post(page, _recipient_post(aid, number) | {"address": "潇湘村三组"},
                           HTTP_REFERER=f"http://testserver{page}")
    assert response["Location"] == "/accounts/login/?next=%2Fassistance%2Frecipients%2Fnew%2F"
    assert number not in json.dumps(dict(client.session.items()))
    client.post(response["Location"], {"username": "cadre_a", "password": PASSWORD})
    html = client.get(page).content.decode()
    kept = json.loads(html.split('<script id="kept-form" type="application/json">')[1].split("</script>")[0])
    assert kept["why"] == "signed_out" and kept["fields"]["address"] == "潇湘村三组"
    assert "id_number" not in kept["fields"] and number not in html


def test_a_volunteer_who_finishes_or_declines_lands_on_their_worklist_with_the_outcome(client, aid, need_a):
    """A volunteer sees only what is dispatched to them: once the service is finished (or the offer declined)
    the need is no longer theirs, and the redirect back to it ended on 页面不存在 instead of saying it was done."""
    need = walk(need_a, "in_service", aid=aid, provider=aid.p_volunteer)
    client.force_login(aid.volunteer)
    response = client.post(f"/assistance/needs/{need.pk}/checkout/", {
        "place": "李奶奶家", "work_done": "陪老人聊天，教她用手机视频", "finish": "on"}, follow=True)
    assert response.status_code == 200 and "已签退，服务完成，等待回访" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/assistance/" and Need.objects.get(pk=need.pk).status == "served"

    from minsheng.assistance.services.needs import need_create

    need = walk(need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="daily_care", channel="cadre",
                            description="想请人帮忙买菜", goal="每周有人送菜"),
                "dispatched", aid=aid, provider=aid.p_volunteer)
    offer = need.assignments.get()
    response = client.post(f"/assistance/needs/{need.pk}/offers/{offer.pk}/decline/", {"reason": "这周在外地"},
                           follow=True)
    assert response.status_code == 200 and "已拒单" in response.content.decode()


def test_the_dispatch_page_of_a_need_that_cannot_be_dispatched_leads_back_with_the_reason(client, aid, need_a):
    """Opened by its address, the dispatch page listed providers to pick for a closed (or not yet talked-to)
    need, and only the pick was refused: it now leads back to the need with the reason, as the actions do."""
    from minsheng.assistance.services.feedback import feedback_record

    client.force_login(aid.station)
    response = client.get(f"/assistance/needs/{need_a.pk}/dispatch/", follow=True)
    assert response.redirect_chain[-1][0] == f"/assistance/needs/{need_a.pk}/"
    assert "派单前须先记录服务前沟通" in response.content.decode()

    need = walk(need_a, "served", aid=aid)
    feedback_record(actor=aid.station, need=need, source="revisit", satisfaction=5)
    response = client.get(f"/assistance/needs/{need.pk}/dispatch/", follow=True)
    assert response.redirect_chain[-1][0] == f"/assistance/needs/{need.pk}/"
    assert "需求当前状态为“已办结”，不能派单" in response.content.decode()
    assert 'name="provider"' not in response.content.decode()


@pytest.mark.parametrize(("who", "channel"), [("cadre_a", "cadre"), ("social_a", "social_worker"),
                                              ("station", "social_worker")])
def test_the_need_form_opens_on_the_way_the_recorder_takes_needs_in(client, aid, who, channel):
    """The 来源 box opened on its first choice, 社工代录, for everyone: a cadre who kept it recorded every need
    as a social worker's, and the need page said so."""
    client.force_login(getattr(aid, who))
    form = client.get(f"/assistance/recipients/{aid.grandma_a.pk}/needs/new/").context["form"]
    assert form["channel"].value() == channel
    client.post(f"/assistance/recipients/{aid.grandma_a.pk}/needs/new/",
                {"need_type": "companionship", "urgency": "normal", "description": "想有人陪着说说话",
                 "channel": form["channel"].value()})
    assert Need.objects.get(description="想有人陪着说说话").channel == channel


def test_a_revisit_of_a_need_with_a_goal_asks_whether_it_was_reached(client, aid, need_a):
    """期望效果是否达成 opened on 不适用 for a need that has a goal (the question shows only then): a cadre who
    skipped it recorded "not applicable" for a goal that exists. It opens on 请选择 and must be answered: 是, 否,
    or 暂未核对 said outright, which the 效果达成率 leaves out as it leaves out an unasked goal."""
    from django.utils import timezone

    from minsheng.assistance.selectors.dashboard import dashboard_stats
    from minsheng.assistance.services.needs import need_create

    need = walk(need_a, "served", aid=aid)
    client.force_login(aid.cadre_a)
    form = client.get(f"/assistance/needs/{need.pk}/").content.decode().split('id="revisit"')[1]
    assert "不适用" not in form and "暂未核对" in form and 'name="goal_achieved" required' in form
    response = client.post(f"/assistance/needs/{need.pk}/feedback/", {"satisfaction": "5"})
    assert response.status_code == 302 and "期望效果是否达成：此项必填" in client.get(response["Location"]).content.decode()
    assert Need.objects.get(pk=need.pk).status == "served" and not need.feedback.exists()
    client.post(f"/assistance/needs/{need.pk}/feedback/", {"satisfaction": "5", "goal_achieved": "unchecked"})
    assert Need.objects.get(pk=need.pk).status == "closed" and need.feedback.get().goal_achieved is None
    assert dashboard_stats(aid.civil, now=timezone.now())["total"]["goal_rate"] is None
    # A need without a goal is not asked; its revisit goes through without the question.
    plain = walk(need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="daily_care", channel="cadre",
                             description="打扫卫生"), "served", aid=aid)
    assert "goal_achieved" not in client.get(f"/assistance/needs/{plain.pk}/").content.decode()
    client.post(f"/assistance/needs/{plain.pk}/feedback/", {"satisfaction": "4"})
    assert Need.objects.get(pk=plain.pk).status == "closed"


def test_the_sub_navigation_says_which_page_one_is_on(client, aid, need_a):
    """No item of the assistance sub-navigation said where one was: the current one carries aria-current (page on
    its own page, true on a page under it: a need's page under 需求), exactly one at a time; 久未联系, whose address
    lies under 救助对象's, is marked alone."""
    import re

    client.force_login(aid.civil)
    for url, expected in [("/assistance/", ("page", "待办")),
                          ("/assistance/recipients/", ("page", "救助对象")),
                          ("/assistance/recipients/no-contact/", ("page", "久未联系")),
                          (f"/assistance/needs/{need_a.pk}/", ("true", "需求")),
                          ("/assistance/dashboard/", ("page", "看板"))]:
        html = client.get(url).content.decode()
        nav = re.search(r'<nav class="subnav"[^>]*>(.*?)</nav>', html, re.S).group(1)
        assert re.findall(r'<a href="[^"]*" aria-current="(\w+)">([^<]*)</a>', nav) == [expected], url


def test_a_revisit_that_left_the_goal_unchecked_says_so_in_the_record(client, aid, need_a):
    """A revisit answered 暂未核对 (stored as no answer) showed nothing in the need's record, the same as a goal
    nobody asked about. It says 期望效果暂未核对 now; a need without a goal, whose revisit is not asked, still says
    nothing of a goal."""
    from minsheng.assistance.services.needs import need_create

    assert need_a.goal
    need = walk(need_a, "served", aid=aid)
    client.force_login(aid.cadre_a)
    client.post(f"/assistance/needs/{need.pk}/feedback/", {"satisfaction": "4", "goal_achieved": "unchecked"})
    record = client.get(f"/assistance/needs/{need.pk}/").content.decode().split('id="timeline"')[1]
    assert "期望效果暂未核对" in record
    plain = walk(need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="daily_care", channel="cadre",
                             description="打扫卫生"), "served", aid=aid)
    client.post(f"/assistance/needs/{plain.pk}/feedback/", {"satisfaction": "4"})
    record = client.get(f"/assistance/needs/{plain.pk}/").content.decode().split('id="timeline"')[1]
    assert "回访" in record and "期望效果" not in record


def test_an_unknown_filter_in_the_needs_address_shows_every_need_and_says_so(client, aid, need_a):
    """``?status=`` with a value no status has (an old bookmark, a hand-edited link) showed an empty list, as if
    the village had no needs: the filter is dropped, the list shows them all, and a line says why."""
    client.force_login(aid.cadre_a)
    plain = client.get("/assistance/needs/").content.decode()
    assert f"/assistance/needs/{need_a.pk}/" in plain and "筛选条件已失效" not in plain
    for query in ("status=bogus", "type=nothing"):
        page = client.get(f"/assistance/needs/?{query}").content.decode()
        assert f"/assistance/needs/{need_a.pk}/" in page and "链接里的筛选条件已失效" in page


def test_an_unknown_status_asked_of_the_needs_api_is_a_400_that_says_so(client, aid, need_a):
    """The field apps' JSON took ``?status=bogus`` as "no need matches" and answered an empty list, as if the area
    had none; it answers 400 in the API's error shape, naming the value and the statuses there are."""
    client.force_login(aid.cadre_a)
    assert [n["id"] for n in client.get("/assistance/api/needs/", {"status": need_a.status}).json()["needs"]] == [
        need_a.pk]
    response = client.get("/assistance/api/needs/?status=bogus")
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "bad_request"
    assert "'bogus'" in error["message"] and "无效" in error["message"] and need_a.status in error["message"]


def test_a_volunteers_recipient_list_says_whom_it_holds(client, aid, need_a):
    """A volunteer's 救助对象 tab read 没有找到救助对象。 under an empty search, after a service they had just done:
    it lists only people of work dispatched to them now, and says so."""
    walk(need_a, "served", aid=aid, provider=aid.p_volunteer)
    client.force_login(aid.volunteer)
    html = client.get(reverse("assistance:recipients")).content.decode()
    assert "志愿者只看得到派给您的服务对象" in html and "目前没有派给您的服务对象。" in html
    client.force_login(aid.cadre_a)
    html = client.get(reverse("assistance:recipients")).content.decode()
    assert "志愿者只看得到" not in html and "李奶奶" in html
