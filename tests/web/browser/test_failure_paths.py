"""What a stranger sees when something goes wrong, on a phone: a form that expired (CSRF), a link to a page that
is gone. Each error page is Chinese, passes axe, fits the screen, and leads back to where the person was;
screenshots in out/screenshots/errors/."""

from __future__ import annotations

import re

import pytest
from django.urls import include, path

from minsheng.web import errors

from .a11y import SIZES, check_page
from .test_citizen_and_owner import solve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_expired_form_and_a_dead_link_lead_back(browser, live_server, cast, size):
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    base, problems = live_server.url, []

    page.goto(f"{base}/c/plan/")
    page.fill("#id_text", "建议在老城区增设公交线路，方便老人出行")
    page.fill("#id_answer", solve(page))
    context.clear_cookies()  # the page was left open for days; the browser dropped its cookies
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "页面已过期"
    problems += check_page(page, "errors", "1-csrf", size)
    page.click("#back")
    page.wait_for_url(re.compile(r"/c/plan/$"))
    assert page.locator("#id_text").count() == 1  # the form again, with a fresh token

    page.goto(f"{base}/c/plan/no-such-page/")
    assert page.locator("h1").inner_text() == "页面不存在"
    problems += check_page(page, "errors", "2-not-found", size)
    context.close()
    assert problems == []


def test_a_reply_that_was_not_taken_is_there_again(browser, live_server, cast):
    """An officer's reply was lost twice over: refused (采纳 without its 说明), the letter came back with the
    error and an empty form; posted after the staff session ended, it went to the sign-in page, which led back to
    the letter with an empty form. Both times it is put back (not sent), said why, and sent once."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.consultation.models import Suggestion

    from ..conftest import PASSWORD, sign_in

    s = suggestion_submit(campaign=cast.campaign, text="建议在城东增设公交线路，方便上下班")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    context, page = sign_in(browser, live_server.url, "officer_a", SIZES["phone"], next=f"/manage/inbox/s/{s.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    reply = "您好，公交集团已将城东新线纳入明年线网优化方案，预计三月开通，届时将在公众号公布站点。" * 3
    page.fill("#text", reply)
    page.select_option("#reply-form select[name=outcome]", "noted")
    page.click("#reply-form button.primary")  # 留作参考 needs its 说明: refused
    page.wait_for_load_state()
    assert "请附说明" in page.locator(".messages").inner_text()
    assert page.locator("#text").input_value() == reply and "请按页面上方的提示修改" in page.locator("#kept-note").inner_text()
    assert page.locator("#reply-form select[name=outcome]").input_value() == "noted"
    problems = check_page(page, "errors", "3-refused-reply", "phone")
    page.fill("#note", "纳入明年线网优化")
    context.clear_cookies(name="sessionid")  # the staff session ends while the reply is being written
    page.click("#reply-form button.primary")
    page.wait_for_url("**/accounts/login/**")  # where the page led: signed in again there
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"**/manage/inbox/s/{s.pk}/")
    assert page.locator("#text").input_value() == reply and page.locator("#note").input_value() == "纳入明年线网优化"
    assert page.locator("#reply-form select[name=outcome]").input_value() == "noted"
    assert "尚未提交" in page.locator("#kept-note").inner_text()
    assert Suggestion.objects.get(pk=s.pk).status == "in_review"  # put back, not sent: still 办理中
    problems += check_page(page, "errors", "4-kept-reply", "phone")
    page.click("#reply-form button.primary")
    page.wait_for_load_state()
    assert Suggestion.objects.get(pk=s.pk).status == "noted"
    page.goto(f"{live_server.url}/manage/inbox/s/{s.pk}/")
    assert page.locator("#kept-note").count() == 0  # handed once
    context.close()
    assert problems == []


def test_a_progress_bar_polled_after_the_session_ended_sends_the_page_to_sign_in(browser, live_server, cast):
    """The analysis page polls its progress bar every second; when the staff session ended, the poll followed the
    redirect and drew the whole sign-in page inside the bar. Now the page goes to sign in and comes back."""
    from minsheng.consultation.analysis.models import AnalysisRun

    from ..conftest import sign_in

    AnalysisRun.objects.create(campaign=cast.campaign, started_by=cast.owner, status=AnalysisRun.Status.RUNNING,
                               stage="主题", progress=40)
    context, page = sign_in(browser, live_server.url, "owner", SIZES["phone"], next="/manage/c/plan/analysis/")
    assert page.locator("#run-progress").count() == 1
    context.clear_cookies(name="sessionid")  # the staff session ends while the run goes on
    page.wait_for_url("**/accounts/login/?next=%2Fmanage%2Fc%2Fplan%2Fanalysis%2F", timeout=10_000)
    assert page.locator("#run-progress").count() == 0 and page.locator("h1").inner_text() == "登录"
    context.close()


def _form(request):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    return HttpResponse(f'<!doctype html><html lang="zh-Hans"><body><form method="post" action="/boom/outage">'
                        f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
                        f'<textarea id="text" name="text"></textarea><button>提交</button></form></body></html>')


def _outage(request):
    from django.db import OperationalError

    raise OperationalError("connection refused")


urlpatterns = [path("boom/form", _form), path("boom/outage", _outage), path("", include("minsheng.web.urls"))]
handler500 = errors.server_error


@pytest.mark.urls(__name__)
def test_the_way_back_from_a_form_lost_in_an_outage_keeps_what_was_typed(browser, live_server):
    """Posted while the database was away (the walk stopped it for 20 s), a form's page says 您刚才提交的内容没有保存
    … 已填写的内容一般还在 and offers 返回上一页: a link that loaded the form anew, empty, where the browser's own
    back keeps the text. The button goes back in the history now."""
    page = browser.new_context(**SIZES["phone"]).new_page()
    page.goto(f"{live_server.url}/boom/form")
    page.fill("#text", "建议在小区门口增设公交站台，方便老人出行")
    page.click("button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "服务暂时不可用" and page.locator("#unsaved").count() == 1
    page.click("#back")
    page.wait_for_url(re.compile(r"/boom/form$"))
    assert page.input_value("#text") == "建议在小区门口增设公交站台，方便老人出行"
    page.context.close()
