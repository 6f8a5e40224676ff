"""确认派单 with nothing touched sent the job to the first ranked provider (its radio was preselected): the
dispatcher now picks someone, the best match marked 推荐; pressing 确认派单 before a pick sends nobody and says so
(walk-2026-12-07e.md). Screenshots in out/screenshots/dispatch-choice/."""

from __future__ import annotations

import re

import pytest

from minsheng.assistance.models import Assignment

from ..browser.a11y import SIZES, check_page
from ..conftest import sign_in
from .conftest import walk


@pytest.mark.django_db
def test_nobody_is_chosen_for_the_dispatcher_and_no_choice_sends_nobody(client, aid, need_a):
    talked = walk(need_a, "communicated", aid=aid)
    client.force_login(aid.station)
    page = client.get(f"/assistance/needs/{talked.pk}/dispatch/").content.decode()
    assert not re.search(r'<input[^>]*name="provider"[^>]*checked', page)
    assert "推荐" in page and "请先点选一位服务人员，再确认派单" in page
    refused = client.post(f"/assistance/needs/{talked.pk}/dispatch/", {"offer": ""}).content.decode()
    assert "请先点选一位服务人员，再确认派单" in refused and not Assignment.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_dispatcher_must_pick_before_confirming(browser, live_server, aid, need_a, size):
    talked = walk(need_a, "communicated", aid=aid)
    context, page = sign_in(browser, live_server.url, "station", SIZES[size])
    page.goto(f"{live_server.url}/assistance/needs/{talked.pk}/dispatch/")
    problems = check_page(page, "dispatch-choice", "dispatch", size)
    page.click("button.primary:has-text('确认派单')")
    # the browser asks for a pick and sends nothing: a post would come back with the server's refusal on this same
    # address, so the address alone could not tell the two apart
    assert page.locator("input[name=provider]:invalid").count() > 0
    assert page.locator("#dispatch-error").count() == 0 and not Assignment.objects.exists()
    chosen = page.locator("#candidates li", has_text=str(aid.p_social)).locator("input[name=provider]")
    chosen.check()
    with page.expect_navigation():
        page.click("button.primary:has-text('确认派单')")
    context.close()
    assert problems == []
    assert Assignment.objects.get().provider == aid.p_social


@pytest.mark.django_db
def test_a_provider_that_is_not_a_number_is_no_pick(client, aid, need_a):
    """A tampered or garbled post (provider=abc) ended in a server error: Provider's key read it as a number."""
    talked = walk(need_a, "communicated", aid=aid)
    client.force_login(aid.station)
    refused = client.post(f"/assistance/needs/{talked.pk}/dispatch/", {"provider": "abc", "offer": ""})
    assert refused.status_code == 200 and "请先点选一位服务人员，再确认派单" in refused.content.decode()
    assert not Assignment.objects.exists()
