"""The 12345 handling loop as an officer and the dispatcher do it on a phone: deadlines and 超时 in the inbox,
退回 with a reason, 延期 asked, the dispatcher's 分派 and approval, 结束征集 taken back with 撤销. Every page
passes axe (no serious or critical violation), shows no English sentence and fits the screen; screenshots in
out/screenshots/handling/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from minsheng.consultation.intake.receipts import display_receipt

from ..conftest import sign_in
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, base: str, username: str):
    context, page = sign_in(browser, base, username, SIZES["phone"], next="/manage/")
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations are tested in test_confirmations
    return context, page


def test_deadlines_return_extension_and_undo_on_a_phone(browser, live_server, cast):
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.consultation.models import Campaign, Suggestion

    def routed(text):
        s = suggestion_submit(campaign=cast.campaign, text=text)
        return suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)

    wrong, slow, late = routed("建议增加中小学课后托管服务"), routed("建议改造老旧小区雨污管网"), routed("建议修复破损路面")
    Suggestion.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=3))  # three days pass
    base, problems = live_server.url, []

    context, officer = _signed_in(browser, base, "officer_a")
    officer.goto(f"{base}/manage/inbox/?c=plan")
    assert officer.locator("#count-overdue").inner_text() == "1"
    assert "1 条已超时" in officer.locator("#due-reminder").inner_text()
    problems += check_page(officer, "handling", "1-inbox", "phone")
    officer.click("#tab-overdue")
    officer.wait_for_url("**state=overdue**")  # the tab is a link: read the list it leads to, not the one it left
    assert officer.locator(".inbox .receipt").all_inner_texts() == [display_receipt(late.receipt)]
    assert "超时" in officer.locator(".inbox .due-mark").first.inner_text()

    officer.goto(f"{base}/manage/inbox/s/{wrong.pk}/")
    problems += check_page(officer, "handling", "2-suggestion", "phone")
    officer.fill("#return-reason", "课后托管属于教育局职责")
    officer.click("#return-form button")
    officer.wait_for_url("**/manage/inbox/?c=plan")
    assert "已退回" in officer.locator(".messages").inner_text()

    officer.goto(f"{base}/manage/inbox/s/{slow.pk}/")
    officer.fill("#extension-days", "5")
    officer.fill("#extension-reason", "需要与住建部门联合勘查")
    officer.click("#extension-form button")
    officer.wait_for_selector("#extension-pending")
    problems += check_page(officer, "handling", "3-extension-asked", "phone")

    dispatcher_context, dispatcher = _signed_in(browser, base, "owner")
    dispatcher.goto(f"{base}/manage/c/plan/")
    assert "课后托管属于教育局职责" in dispatcher.locator("#returned").inner_text()
    assert "联合勘查" in dispatcher.locator("#extensions").inner_text()
    problems += check_page(dispatcher, "handling", "4-dispatcher", "phone")
    dispatcher.select_option(f"#dispatch-{wrong.pk}", str(cast.dept_b.pk))
    dispatcher.click("#returned button")
    dispatcher.wait_for_selector("text=已分派至教育局")
    dispatcher.click("#extensions button[value=approve]")
    dispatcher.wait_for_selector("text=已同意延期")
    assert Suggestion.objects.get(pk=wrong.pk).department_id == cast.dept_b.pk
    assert Suggestion.objects.get(pk=slow.pk).extended

    dispatcher.click("text=结束征集")
    dispatcher.wait_for_selector("#undo")
    assert Campaign.objects.get(pk=cast.campaign.pk).status == "closed"
    problems += check_page(dispatcher, "handling", "5-undo", "phone")
    dispatcher.click("#undo .undo-button")
    dispatcher.wait_for_selector("text=已撤销")
    assert Campaign.objects.get(pk=cast.campaign.pk).status == "open"

    officer.goto(f"{base}/manage/inbox/?c=plan&state=todo&sort=due")
    assert "已延期" in officer.locator(".inbox").inner_text()
    assert officer.locator(".inbox .receipt").first.inner_text() == display_receipt(late.receipt)  # most urgent first
    problems += check_page(officer, "handling", "6-inbox-by-deadline", "phone")
    context.close()
    dispatcher_context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_handled_suggestion_shows_its_answer_and_offers_undo_not_the_answer_form(browser, live_server, cast, size):
    """After a single reply (or 采纳) the officer's page still offered the answer form and 转交 as if nothing had
    happened, and the reply could not be taken back. It now says what was answered, by whom and when, offers
    撤销 for the window (the whole-group answer's, handling/undo.py) and the next 未办; answering again is
    folded away. 撤销 brings the form back; the 办理记录 keeps the answer's line and adds the 撤销 one."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议在学校门口增设人行横道和减速带")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    base, problems = live_server.url, []
    context, officer = _signed_in(browser, base, "officer_a")
    if size == "desktop":
        officer.set_viewport_size(SIZES["desktop"]["viewport"])
    officer.goto(f"{base}/manage/inbox/s/{s.pk}/")
    officer.select_option("#outcome", "adopted")
    officer.fill("#text", "已在学校门口施划人行横道")
    officer.fill("#note", "东门人行横道已施划，减速带下月安装")
    officer.click("#reply-form button.primary")
    officer.wait_for_load_state()
    assert officer.locator("#status").inner_text() == "已采纳"
    answer = officer.locator("#answer").inner_text()
    assert "已答复（采纳）" in answer and "答复人 李科员 · 交通运输局 · " in answer and "已在学校门口施划人行横道" in answer
    assert officer.locator("#undo-reply button").is_visible()
    assert not officer.locator("#reply-form").is_visible()  # folded under 再次答复
    assert officer.locator("#reassign-form").count() == 0
    assert officer.locator("#next-todo").get_attribute("href") == "/manage/inbox/?c=plan&state=todo"
    assert "李科员 · 采纳 · 交通运输局：东门人行横道已施划" in officer.locator("#handling-log").inner_text()
    problems += check_page(officer, "handling", "5-answered", size)
    officer.click("#undo-reply button")
    officer.wait_for_load_state()
    assert "已撤销" in officer.locator(".messages").inner_text()
    assert officer.locator("#status").inner_text() == "办理中"
    assert officer.locator("#answer").count() == 0 and officer.locator("#reply-form").is_visible()
    assert officer.locator("#reassign-form").is_visible()
    record = officer.locator("#handling-log li").all_inner_texts()  # newest first: answered, then taken back
    assert ["撤销" in record[0], "采纳" in record[1], "分派" in record[2]] == [True, True, True]
    problems += check_page(officer, "handling", "6-undone", size)
    context.close()
    assert problems == [], "\n".join(problems)
