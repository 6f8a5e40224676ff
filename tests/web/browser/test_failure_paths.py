"""What a stranger sees when something goes wrong, on a phone: a form that expired (CSRF), a link to a page that
is gone. Each error page is Chinese, passes axe, fits the screen, and leads back to where the person was;
screenshots in out/screenshots/errors/."""

from __future__ import annotations

import re

import pytest

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
