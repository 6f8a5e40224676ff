"""The citizen's outcome page (h-qa22): what became of a suggestion once a department answered it, on a phone and a
desktop, and the rating under the answer. Screenshots in out/screenshots/outcome/."""

from __future__ import annotations

import pytest

from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each rating choice: how far the middle of its round button is from the middle of its words, in pixels.
OFF_CENTRE = """() => [...document.querySelectorAll('#rating label.check')].map(label => {
    const box = label.querySelector('input').getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(label.lastChild);
    const words = range.getBoundingClientRect();
    return [label.textContent.trim(), Math.abs((box.top + box.bottom) / 2 - (words.top + words.bottom) / 2)];
  })"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_answered_suggestions_page_shows_the_answer_and_a_rating_whose_choices_line_up(browser, live_server, cast,
                                                                                          size):
    """The rating's round buttons sat half a line above their words (满意, 基本满意, 不满意) inside the browser's
    grey fieldset frame: the site's stylesheet lined up a choice with its words only on the assistance pages. And a
    rating sent before a choice was made took two taps once made (the elder's rating on /assistance/me/ too)."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.consultation.workbench.services import suggestion_adopt

    s = suggestion_submit(campaign=cast.campaign, text="小区门口的路灯坏了三个多月，建议尽快修复")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    suggestion_adopt(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], outcome="partly_adopted",
                     note="路灯维修纳入本月市政维护计划", text="感谢您的建议，已安排维修。")
    context = browser.new_context(**(SIZES[size] | ({"viewport": {"width": 1366, "height": 900}}
                                                    if size == "desktop" else {})))
    page = context.new_page()
    page.goto(f"{live_server.url}/r/{s.receipt}/")
    assert "部分采纳" in page.locator("#outcome").inner_text()
    assert "路灯维修纳入本月市政维护计划" in page.locator("#reply").inner_text()
    problems = check_page(page, "outcome", "answered", size)
    off = page.evaluate(OFF_CENTRE)
    assert [name for name, _px in off] == ["满意", "基本满意", "不满意"]
    assert all(px <= 2 for _name, px in off), off
    # 提交评价 before choosing: the browser asks in the site's words; then 不满意, and one tap sends it (it took two:
    # the choices not taken still held the first message, so the first tap after choosing did nothing).
    page.click("#rating button.primary")
    assert page.evaluate("document.querySelector('#rating input[type=radio]').validationMessage") == "请选择一项"
    page.locator("#rating label.check", has_text="不满意").click()
    with page.expect_navigation(timeout=5000):
        page.click("#rating button.primary")
    page.wait_for_selector("#rated")
    assert "已退回承办部门重新办理" in page.locator("main").inner_text()
    problems += check_page(page, "outcome", "rated", size)
    context.close()
    assert problems == [], "\n".join(problems)
