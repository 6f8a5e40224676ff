"""The service slip and the page its QR code opens, in a real chromium: the cadre prints the slip on the desktop,
the recipient's phone (no account) rates the service on big type; both pages pass the checks every page passes
(axe, no English, nothing overflows); screenshots in out/screenshots/feedback-link/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from minsheng.assistance.models import Feedback

from ..browser.a11y import SIZES, check_page
from ..conftest import sign_in
from .conftest import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_cadre_prints_a_slip_and_her_phone_rates_the_service(browser, live_server, aid, need_a, size, settings):
    settings.MINSHENG_SITE_URL = live_server.url
    need = walk(need_a, "served", aid=aid)
    context, page = sign_in(browser, live_server.url, "cadre_a", SIZES[size])
    page.goto(f"{live_server.url}/assistance/needs/{need.pk}/")
    page.click("#own-rating button")
    page.wait_for_url(re.compile(r"/slip/\d+/$"))
    problems = check_page(page, "feedback-link", "slip", size)
    assert page.locator("#slip .qr svg").count() == 1
    url = page.locator(".slip-url").inner_text().strip()
    page.emulate_media(media="print")
    assert not page.locator("nav.subnav").is_visible() and page.locator("#slip .qr svg").is_visible()
    context.close()

    phone = browser.new_context(**SIZES["phone"])  # hers: never signed in
    mine = phone.new_page()
    mine.goto(url)
    problems += check_page(mine, "feedback-link", "rate", size)
    assert float(mine.evaluate("getComputedStyle(document.querySelector('#rate')).fontSize")[:-2]) >= 20
    mine.click("text=4 满意")
    mine.click("#rate button.primary")
    mine.wait_for_selector(".done")
    problems += check_page(mine, "feedback-link", "rated", size)
    phone.close()
    assert problems == []
    assert Feedback.objects.get(need=need).source == "recipient"
