"""What a newcomer walking every role met (h-qa16): a new suggestion no department holds before an analysis run
is sent on by hand from the campaign page; a region typed as 100 letters keeps that page on the screen; the admin's
user form sent back with errors speaks Chinese. Screenshots in out/screenshots/newcomer/."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page, english_sentences

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_suggestion_is_dispatched_by_hand_before_any_analysis(browser, live_server, cast):
    """A citizen's suggestion stayed 已收到 in no inbox until the next analysis run: the campaign page listed only
    returned ones for 分派. Now it lists new ones too; the dispatcher sends one to 教育局 and its clock starts."""
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.consultation.models import Suggestion

    s = suggestion_submit(campaign=cast.campaign, text="学校门口早晚高峰拥堵，建议增设护学岗")
    base = live_server.url
    context, page = sign_in(browser, base, "owner", SIZES["desktop"])
    page.goto(f"{base}/manage/c/plan/")
    assert s.receipt[:5] in page.locator("#unrouted").inner_text()
    problems = check_page(page, "newcomer", "1-unrouted", "desktop")
    page.click("#unrouted button")  # nothing chosen: the browser asks in the site's words, nothing is sent
    assert page.evaluate(f"document.querySelector('#route-{s.pk}').validationMessage") == "请选择一项"
    page.select_option(f"#route-{s.pk}", str(cast.dept_b.pk))
    page.click("#unrouted button")
    page.wait_for_selector("text=已分派至教育局")
    s.refresh_from_db()
    assert s.department_id == cast.dept_b.pk and s.department_locked and s.due_at is not None
    assert page.locator("#unrouted").count() == 0
    officer_context, officer = sign_in(browser, base, "officer_b", SIZES["desktop"])
    officer.goto(f"{base}/manage/inbox/?c=plan")
    assert "护学岗" in officer.locator("main").inner_text()
    assert Suggestion.objects.filter(department=None).count() == 0
    context.close()
    officer_context.close()
    assert problems == [], "\n".join(problems)


def test_a_long_region_without_spaces_keeps_the_campaign_page_on_the_screen(browser, live_server, cast):
    """地区 is free text: 100 letters with no space widened 最新建议 past a 1366-pixel screen and squeezed 来源
    (新闻客户端) to one character per line."""
    from minsheng.consultation.intake.services import suggestion_submit

    suggestion_submit(campaign=cast.campaign, text="建议在小区门口增设公交站点", region="x" * 100)
    context, page = sign_in(browser, live_server.url, "owner", SIZES["desktop"])
    page.goto(f"{live_server.url}/manage/c/plan/")
    problems = check_page(page, "newcomer", "2-long-region", "desktop")
    context.close()
    assert problems == [], "\n".join(problems)


def test_the_admin_user_form_sent_back_with_errors_speaks_chinese(browser, live_server, cast):
    """The admin's 增加 用户 page said "After you’ve created a user, you’ll be able to edit more user options.",
    and sent back empty it was titled "Error: 增加 用户": words Django's zh_Hans catalogue lacks."""
    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username, SIZES["desktop"])
    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    assert "Error" not in page.title() and page.title().startswith("有错误")
    english = english_sentences(page)  # Django's own admin styling is not ours to fix: only its words are checked
    context.close()
    assert english == []
