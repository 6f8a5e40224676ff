"""Every error a person meets is Chinese, every API error is the API's JSON shape, and an unreachable
database is a 503 "try again later", not a 500."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import clear_script_prefix, include, path, set_script_prefix

from minsheng.accounts.models import Role
from minsheng.accounts.services import role_grant
from minsheng.web import errors

from ..conftest import PASSWORD, enrolled, totp_code


def _outage(request):
    raise OperationalError("connection refused")


def _bug(request):
    raise ValueError("a bug")


urlpatterns = [
    path("boom/outage", _outage),
    path("boom/bug", _bug),
    path("api/v1/boom/outage", _outage),
    path("api/v1/boom/bug", _bug),
    path("", include("minsheng.web.urls")),
]
handler400, handler403, handler404 = errors.bad_request, errors.permission_denied, errors.page_not_found
handler500 = errors.server_error


@pytest.mark.django_db
def test_missing_pages_are_chinese_and_api_errors_are_json(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    assert "Not Found" not in response.content.decode()
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_a_site_under_a_prefix_tells_its_pages_from_the_api_below_the_prefix(client):
    """Served under a prefix (SCRIPT_NAME, behind a proxy), a page was taken for the API's by the whole path: a
    site at /gov/api answered every missing page with the API's JSON."""
    response = client.get("/no/such/page/", SCRIPT_NAME="/gov/api")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "页面不存在" in response.content.decode()
    assert client.get("/api/v1/no/such/thing", SCRIPT_NAME="/gov/api").json()["error"]["code"] == "not_found"
    # the page the person came from is the browser's address, prefix and all: no link back to the page itself
    page = client.get("/no/such/page/", SCRIPT_NAME="/ms", HTTP_REFERER="http://testserver/ms/no/such/page/")
    assert 'id="back"' not in page.content.decode()


@pytest.mark.django_db
def test_a_campaign_whose_slug_is_api_answers_with_pages_not_the_apis_json(client):
    """"/api/" anywhere in the path was taken for the API: a campaign with the slug "api" (the slug is the owner's
    to choose) answered a missing page with JSON, and a signed-out visitor to its management page with a JSON 401
    instead of the sign-in page. The API is the URLconf's API routes only."""
    response = client.get("/c/api/")  # no such campaign
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "页面不存在" in response.content.decode()
    response = client.get("/manage/c/api/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/campaigns/api/suggestions/nope").json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/").json()["error"]["code"] == "not_found"
    assert client.get("/assistance/api/needs/").status_code == 401


@pytest.mark.django_db
def test_a_lapsed_session_under_a_prefix_signs_in_back_under_it(client):
    """With no page to go back to, the sign-in led to /accounts/start/, written out: off the site under a prefix."""
    set_script_prefix("/ms/")  # as Django's WSGI handler does for each request (the test client does not)
    try:
        login = client.get("/assistance/api/needs/", SCRIPT_NAME="/ms").json()["error"]["login"]
    finally:
        clear_script_prefix()
    assert login == "/ms/accounts/login/?next=%2Fms%2Faccounts%2Fstart%2F"


@pytest.mark.django_db
def test_a_refused_form_says_why_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and "刷新后重新提交" in response.content.decode()
    assert "页面已过期" in response.content.decode() and "CSRF" not in response.content.decode()


@pytest.mark.django_db
def test_a_refusal_says_the_views_own_reason_never_djangos_english(client, cast):
    client.force_login(cast.outsider)
    page = client.get("/assistance/recipients/").content.decode()
    assert "您没有救助服务平台的权限" in page and 'href="/accounts/start/"' in page
    page = client.get("/manage/c/no-such-campaign/").content.decode()
    assert "没有这个征集活动，或您无权管理" in page
    response = client.get("/no/such/page/")
    assert "您要找的页面不存在或已被移除" in response.content.decode() and "Request" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_an_unreachable_database_is_a_503_and_a_bug_a_chinese_500():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/outage")
    assert response.status_code == 503 and response["Retry-After"]
    assert "服务暂时不可用，请稍后再试" in response.content.decode()
    response = client.get("/api/v1/boom/outage")
    assert response.status_code == 503 and response.json()["error"]["code"] == "service_unavailable"
    response = client.get("/boom/bug")
    assert response.status_code == 500 and "服务器出错" in response.content.decode()
    assert client.get("/api/v1/boom/bug").json()["error"]["code"] == "server_error"


@pytest.mark.django_db
def test_probes(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readiness_waits_for_the_schema_this_code_needs(client):
    """A database that answers but was not migrated to this code (an empty file, a deploy before ``migrate``) is
    not ready: every page would fail on it."""
    from django.db.migrations.recorder import MigrationRecorder

    latest = MigrationRecorder.Migration.objects.filter(app="consultation").order_by("-name").first()
    latest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.content == b"database schema not migrated\n"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_the_site_has_an_icon_and_favicon_ico_finds_it(client):
    """Every visit asked for /favicon.ico and logged a 404 (and a console error) beside the page."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith("minsheng/favicon.svg")
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "minsheng/favicon.svg" in page


@pytest.mark.django_db
def test_an_error_page_leads_back_to_the_page_of_this_site_the_person_came_from():
    """A CSRF refusal said 请返回上一页 and offered only 回到我的首页 and 网站首页 (a page without a way back)."""
    client = Client(enforce_csrf_checks=True)
    page = client.post("/accounts/login/", {"username": "x"}, HTTP_REFERER="http://testserver/accounts/login/?next=/manage/")
    assert '<a class="button" href="http://testserver/accounts/login/?next=/manage/" id="back">返回上一页</a>' \
        in page.content.decode()
    page = client.get("/no/such/page/", HTTP_REFERER="http://testserver/c/plan/")
    assert 'href="http://testserver/c/plan/" id="back"' in page.content.decode()
    for elsewhere in ("https://evil.example/x", "javascript:alert(1)", ""):
        assert 'id="back"' not in client.get("/no/such/page/", HTTP_REFERER=elsewhere).content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_form_posted_into_an_outage_says_it_was_not_kept():
    client = Client(raise_request_exception=False)
    response = client.post("/boom/outage", {"text": "建议"}, HTTP_REFERER="http://testserver/c/plan/")
    html = response.content.decode()
    assert response.status_code == 503 and "您刚才提交的内容没有保存" in html and 'href="http://testserver/c/plan/"' in html
    assert "没有保存" not in client.get("/boom/outage").content.decode()  # a page read, nothing was sent


@pytest.mark.django_db
def test_the_field_apps_json_answers_errors_in_json(client, cast):
    """/assistance/api/needs/ is JSON for field apps: a refusal there was the HTML page."""
    client.force_login(cast.outsider)
    response = client.get("/assistance/api/needs/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


@pytest.mark.django_db
def test_the_field_apps_json_answers_a_lapsed_session_with_a_json_401(client, cast):
    """Signed out, /assistance/api/needs/ redirected to the HTML sign-in page, which a field app cannot read."""
    response = client.get("/assistance/api/needs/", HTTP_REFERER="http://testserver/assistance/needs/")
    assert response.status_code == 401 and response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "signed_out" and "登录" in error["message"]
    assert error["login"] == "/accounts/login/?next=%2Fassistance%2Fneeds%2F"
    assert client.get("/assistance/api/needs/").json()["error"]["login"] == "/accounts/login/?next=%2Faccounts%2Fstart%2F"
    assert client.get("/assistance/needs/").status_code == 302  # a page still leads to the sign-in page


@pytest.mark.django_db
def test_a_visitor_without_an_account_is_not_sent_to_sign_in(client, cast):
    """回到我的首页 is /accounts/start/, which sends a visitor with no session to the sign-in page: a citizen who
    met an error was offered sign-in as the way home. Shown to the signed-in only."""
    page = client.get("/no/such/page/").content.decode()
    assert 'href="/accounts/start/"' not in page and 'href="/"' in page
    client.force_login(cast.citizen)
    assert 'href="/accounts/start/"' in client.get("/no/such/page/").content.decode()


@pytest.mark.django_db
def test_a_receipt_link_cut_short_offers_the_lookup_again(client, cast):
    """/r/7W5MV/ (a text message's link cut in two) ended on 页面不存在 with no lookup and no help."""
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议增设公交站")
    response = client.get(f"/r/{s.receipt[:5]}/")
    html = response.content.decode()
    assert response.status_code == 200 and "没有找到这个回执码，请检查后重试" in html
    assert f'value="{s.receipt[:5]}"' in html and 'id="lost-code"' in html
    assert client.get(f"/r/{s.receipt[:5].lower()}-{s.receipt[5:]}/").status_code == 200


@pytest.mark.django_db
def test_the_code_corrected_on_a_cut_short_link_is_looked_up(client, cast):
    """The lookup form on /r/7W5MV/ sent the corrected code back to /r/7W5MV/?code=…, which looked up 7W5MV again
    and said 没有找到 again: the person who fixed the code could never reach their receipt from that page."""
    import re

    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议增设公交站")
    page = client.get(f"/r/{s.receipt[:5]}/").content.decode()
    form = re.search(r'<form method="get"[^>]*>', page).group(0)
    action = re.search(r'action="([^"]*)"', form)
    sent = client.get(action.group(1) if action else f"/r/{s.receipt[:5]}/", {"code": s.receipt})
    assert sent.status_code == 302 and sent["Location"] == f"/r/{s.receipt}/"


@pytest.mark.django_db
def test_opening_a_form_only_address_explains_and_leads_back(client, cast):
    """A GET to a POST-only address (a reload after posting; signing in again after the session ended in the middle
    of a form) was Django's 405 with no body: a blank white page."""
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议增设公交站")
    for address, who in ((f"/r/{s.receipt}/rate/", None), ("/manage/inbox/act/", cast.officer_a)):
        if who:
            client.force_login(who)
        response = client.get(address, HTTP_REFERER=f"http://testserver/r/{s.receipt}/")
        html = response.content.decode()
        assert response.status_code == 405 and response["Allow"] == "POST", address
        assert "不能直接打开这个地址" in html and f'href="http://testserver/r/{s.receipt}/" id="back"' in html
    response = client.put("/api/v1/campaigns/plan/suggestions")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_an_error_page_keeps_elder_mode(client):
    """长辈模式 (a cookie) made every page large but the error pages, which dropped to small type."""
    assert 'class="elder"' not in client.get("/no/such/page/").content.decode()
    client.cookies["elder"] = "1"
    assert '<html lang="zh-Hans" class="elder">' in client.get("/no/such/page/").content.decode()


@pytest.mark.django_db
def test_a_form_posted_after_the_session_ended_signs_in_back_to_its_page(client, cast):
    """The sign-in's next was the form's own address (/manage/inbox/act/), where it led afterwards: a 405."""
    response = client.post("/manage/inbox/act/", {"ids": "1"}, HTTP_REFERER="http://testserver/manage/inbox/?c=plan")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fmanage%2Finbox%2F%3Fc%3Dplan"
    response = client.post(response["Location"], {"username": "officer_a", "password": PASSWORD})
    assert response["Location"] == "/manage/inbox/?c=plan"
    client.logout()
    response = client.post("/manage/inbox/act/", {"ids": "1"}, HTTP_REFERER="https://evil.example/x")
    assert response["Location"] == "/accounts/login/?next=/manage/inbox/act/"  # no page of ours to go back to


@pytest.mark.django_db
def test_a_refused_action_keeps_what_was_typed_for_the_page_it_returns_to(client, cast):
    """An action that redirects back with a service's error (采纳 without its 说明) dropped the reply typed with
    it; the page it returns to now gets it once (minsheng.web.kept), and a post that was taken keeps nothing."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议在城东增设公交线路")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    client.force_login(cast.officer_a)
    page = f"/manage/inbox/s/{s.pk}/"
    posted = {"ids": s.pk, "dept": cast.dept_a.pk, "outcome": "adopted", "text": "已纳入明年线网优化方案", "next": page}
    html = client.post("/manage/inbox/act/", posted, follow=True).content.decode()
    assert "采纳情况请附说明" in html
    kept = json.loads(html.split('<script id="kept-form" type="application/json">')[1].split("</script>")[0])
    assert kept["why"] == "refused" and kept["action"] == "/manage/inbox/act/"
    assert kept["fields"]["text"] == "已纳入明年线网优化方案" and "csrfmiddlewaretoken" not in kept["fields"]
    assert 'id="kept-form"' not in client.get(page).content.decode()  # handed once
    # an adoption note typed under a plain reply was dropped unseen: now refused, the form kept
    html = client.post("/manage/inbox/act/", posted | {"outcome": "replied", "note": "纳入规划"},
                       follow=True).content.decode()
    assert "选择“已答复”时不填写采纳说明" in html and 'id="kept-form"' in html
    assert not s.reply_links.exists()
    html = client.post("/manage/inbox/act/", posted | {"note": "纳入规划"}, follow=True).content.decode()
    assert "已办理 1 条建议" in html and 'id="kept-form"' not in html


@pytest.mark.django_db
def test_a_form_kept_across_a_lapsed_sign_in_goes_back_only_to_the_same_account(client, cast):
    """On a shared computer (a village office) the reply one officer typed before their session ran out was put
    back into the form of whoever signed in next on that browser. It is now restored to its own account only, and
    discarded for anyone else."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.web.kept import SESSION_KEY

    s = suggestion_submit(campaign=cast.campaign, text="建议在城东增设公交线路")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    page = f"/manage/inbox/s/{s.pk}/"
    posted = {"ids": s.pk, "dept": cast.dept_a.pk, "outcome": "noted", "text": "已纳入明年线网优化方案"}

    def lapse_and_post():
        client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
        client.get(page)
        client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the staff session ran out in the browser
        response = client.post("/manage/inbox/act/", posted, HTTP_REFERER=f"http://testserver{page}")
        assert response["Location"].startswith("/accounts/login/") and SESSION_KEY in client.session
        return response["Location"]

    def signs_in(username):
        response = client.post(sign_in, {"username": username, "password": PASSWORD}, follow=True)
        return response.content.decode()

    sign_in = lapse_and_post()
    role_grant(user=cast.officer_b, role=Role.DEPARTMENT_OFFICER, organisation=cast.dept_a)
    html = signs_in("officer_b")  # an officer of the same department, next on the same browser
    assert 'id="kept-form"' not in html
    assert SESSION_KEY not in client.session  # discarded, not left for later
    client.logout()
    sign_in = lapse_and_post()
    html = signs_in("officer_a")
    kept = json.loads(html.split('<script id="kept-form" type="application/json">')[1].split("</script>")[0])
    assert kept["fields"]["text"] == "已纳入明年线网优化方案"


@pytest.mark.django_db
@pytest.mark.parametrize("sign_in", ["/accounts/login/", "/admin/login/"])
def test_a_form_is_kept_across_a_lapsed_session_whichever_page_signed_in(client, cast, sign_in):
    """What is kept goes to the account named by the sign-in's cookie (minsheng.web.kept), and a post from a
    browser without one is not kept: /admin/login/ set none, so an officer who had signed in there lost the reply
    typed when the session ran out."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.web.kept import SESSION_KEY

    cast.officer_a.is_staff = True  # the admin lets only staff in
    cast.officer_a.save(update_fields=["is_staff"])
    s = suggestion_submit(campaign=cast.campaign, text="建议在城东增设公交线路")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    enrolled(cast.officer_a)  # staff give their second factor after the password
    client.post(sign_in, {"username": "officer_a", "password": PASSWORD})
    client.post("/accounts/second-factor/", {"code": totp_code(cast.officer_a)})
    assert client.get(f"/manage/inbox/s/{s.pk}/").status_code == 200
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the staff session ran out in the browser
    client.post("/manage/inbox/act/", {"ids": s.pk, "outcome": "noted", "text": "已纳入明年线网优化方案"},
                HTTP_REFERER=f"http://testserver/manage/inbox/s/{s.pk}/")
    assert client.session[SESSION_KEY]["fields"]["text"] == "已纳入明年线网优化方案"


@pytest.mark.django_db
def test_a_refusal_a_view_words_itself_keeps_what_was_typed_too(client, cast):
    """Only a service's ValidationError kept the form (a flag set on the request); a view's own refusal (延期
    without its days, a channel without its code) said why and dropped the reason or name typed with it."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议在城东增设公交线路")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    client.force_login(cast.officer_a)
    page = f"/manage/inbox/s/{s.pk}/"
    html = client.post(f"/manage/inbox/s/{s.pk}/extend/", {"days": "", "reason": "需要会同住建部门现场勘查"},
                       follow=True).content.decode()
    assert "请填写延长的天数" in html
    kept = json.loads(html.split('<script id="kept-form" type="application/json">')[1].split("</script>")[0])
    assert kept["fields"]["reason"] == "需要会同住建部门现场勘查" and client.get(page).status_code == 200
    client.force_login(cast.owner)
    html = client.post("/manage/c/plan/channels/", {"code": "坏 编码", "name": "人民网客户端"}, follow=True).content.decode()
    assert "渠道信息有误" in html
    kept = json.loads(html.split('<script id="kept-form" type="application/json">')[1].split("</script>")[0])
    assert kept["fields"]["name"] == "人民网客户端"
