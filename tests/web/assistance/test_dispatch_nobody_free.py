"""The station's 派单 page when nobody can take the job (every provider paused or at their limit), on a phone:
it said nothing and showed 确认派单 over radio buttons that were all disabled (a dead end), and the faded cards
(opacity .55) put their reasons below axe's contrast threshold. Screenshots in out/screenshots/hqa2-dispatch/."""

from __future__ import annotations

import pytest

from ..browser.a11y import SIZES, check_page
from ..conftest import sign_in
from .conftest import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nobody_free_says_so_reads_clearly_and_leads_back(browser, live_server, aid, need_a):
    from minsheng.assistance.models import Provider

    talked = walk(need_a, "communicated", aid=aid)
    Provider.objects.update(available=False)  # everyone has paused taking jobs
    context, page = sign_in(browser, live_server.url, "station", SIZES["phone"])
    page.goto(f"{live_server.url}/assistance/needs/{talked.pk}/dispatch/")
    assert page.locator("#candidates li.ineligible").count() >= 1
    assert "现在没有能接单的服务人员" in page.locator("#nobody-free").inner_text()
    assert page.locator("button.primary", has_text="确认派单").count() == 0
    problems = check_page(page, "hqa2-dispatch", "nobody-free", "phone")
    page.click("#back-to-need")
    page.wait_for_url(f"**/assistance/needs/{talked.pk}/")
    context.close()
    assert problems == []
