"""The admin in a real browser: a form left wanting is met by the site's Chinese words, not the browser's."""

from __future__ import annotations

import re

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, browser_worded_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_forms_speak_chinese_when_left_wanting(browser, live_server, cast):
    """The suggestions' list in the admin asked "Please select an item in the list." of its action menu, and an
    add form "Please fill out this field.": the admin did not load the script that words them (validity.js)."""
    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username, SIZES["desktop"])
    for path in ("/admin/consultation/suggestion/", "/admin/consultation/campaign/add/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert browser_worded_messages(page) == [], path
    context.close()


def test_the_admin_pickers_of_several_items_speak_chinese(browser, live_server, cast):
    """A campaign's 承办部门 (and a provider's areas) are picked in Django's two-box widget, whose words come from
    Django's JavaScript catalogue; Django 5.2's Chinese one lacks the widget's newer wording, so the admin said
    "Choose 承办部门 by selecting them and then select the "Choose" arrow button." and "Choose all 承办部门"."""
    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username, SIZES["desktop"])
    page.goto(live_server.url + "/admin/consultation/campaign/add/")
    page.wait_for_selector(".selector-chooseall")  # drawn by SelectFilter2.js once the catalogue is in
    words = page.evaluate("""[...document.querySelectorAll('.selector *')].flatMap(e =>
        [e.title, ...[...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent)])""")
    english = [w.strip() for w in words if re.search(r"[A-Za-z]{3,}", w or "")]
    assert english == []
    context.close()


def test_the_admin_time_boxes_say_their_zone_to_a_browser_in_utc(browser, live_server, cast):
    """A browser in UTC read under each date and time box "注意：你比服务器时间慢 8 个小时。" (Django's words), as if
    the times shown were 8 hours wrong. The box says which zone the admin's times are in, and "现在" fills in that
    zone's time, the one the campaign's own times are shown in."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username,
                            {**SIZES["desktop"], "timezone_id": "UTC"})
    page.goto(live_server.url + "/admin/consultation/campaign/add/")
    page.wait_for_selector(".datetimeshortcuts")  # drawn by DateTimeShortcuts.js on load
    notes = page.locator(".timezonewarning").all_inner_texts()
    assert notes and all("Asia/Shanghai" in n and "UTC+0800" in n for n in notes), notes
    assert not [n for n in notes if "慢" in n or "hours" in n]
    page.locator("#id_opens_at_1").fill("")
    page.locator(".datetimeshortcuts a", has_text="现在").first.click()
    filled = page.locator("#id_opens_at_1").input_value()
    shanghai = datetime.now(ZoneInfo("Asia/Shanghai"))
    apart = (int(filled[:2]) * 60 + int(filled[3:5]) - (shanghai.hour * 60 + shanghai.minute)) % 1440
    assert min(apart, 1440 - apart) <= 2, filled
    context.close()


def test_the_admin_calendar_marks_the_platforms_today_in_a_browser_in_utc(browser, live_server, cast):
    """At 02:00 in Shanghai a UTC browser's day is still yesterday: the calendar marked that day as today while
    its "今天" filled in the platform's date. It marks the platform's day."""
    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username,
                            {**SIZES["desktop"], "timezone_id": "UTC"})
    page.clock.set_fixed_time("2026-03-10T18:00:00Z")  # 2026-03-11 02:00 in Shanghai
    page.goto(live_server.url + "/admin/consultation/campaign/add/")
    page.wait_for_selector(".datetimeshortcuts")
    page.locator("#id_opens_at_0").fill("")
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    box = page.locator(".calendarbox:visible")
    caption, marked = box.locator("caption").inner_text(), box.locator("td.today").all_inner_texts()
    assert "三月 2026" in caption and marked == ["11"], (caption, marked)
    page.locator(".datetimeshortcuts a", has_text="今天").first.click()
    assert page.locator("#id_opens_at_0").input_value() in ("2026-03-11", "2026/03/11")
    context.close()


def test_the_admin_pages_pass_axe(browser, live_server, cast):
    """The admin's breadcrumbs (首页 › 建议 › …) are links told from the words around them by colour alone, white
    among grey words on blue: axe's link-in-text-block, on every admin page. Our admin CSS underlines them.
    Two faults of Django's own widgets are mended too: a date and a time box whose 日期/时间 were plain words, not
    their labels (admin/widgets/split_datetime.html), and the two-box picker's aria-label on a bare span
    (admin-select.js), on a campaign's, a provider's and a group's page."""
    from minsheng.consultation.intake.services import suggestion_submit

    from .a11y import serious_violations

    s = suggestion_submit(campaign=cast.campaign, text="建议增加公交班次，方便上下班")
    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username, SIZES["desktop"])
    found = []
    for path in ("/admin/", "/admin/consultation/", "/admin/consultation/suggestion/",
                 f"/admin/consultation/suggestion/{s.pk}/change/", "/admin/consultation/campaign/add/",
                 "/admin/assistance/provider/add/", "/admin/auth/group/add/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")  # the two-box picker is drawn on load
        found += [f"{path}: {v}" for v in serious_violations(page)]
    assert found == [], "\n".join(found)
    page.goto(live_server.url + "/admin/consultation/campaign/add/")
    assert page.evaluate("[...document.getElementById('id_opens_at_0').labels].map(l => l.textContent)") == ["日期："]
    context.close()
