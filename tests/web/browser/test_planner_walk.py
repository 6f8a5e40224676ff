"""What a district planner met walking a campaign from an office's files to the public page (h-walk7, 2026-12-08;
docs/readings/walk-2026-12-08.md)."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_suggestion_behind_the_first_twenty_is_dispatched_by_its_receipt(browser, live_server, cast):
    """待分派 lists the oldest 20 unrouted suggestions. After an office's file of 700 was imported, the citizen who
    had just written on the public page (and rang to ask) could not be dispatched by hand before the 700 were:
    the campaign page now takes the receipt code, typed as people type it."""
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.intake.services import suggestion_submit

    for n in range(21):
        suggestion_submit(
            campaign=cast.campaign, text=f"第{n}条：建议在老旧小区加装电梯，方便老人上下楼，编号{n}。"
        )
    urgent = suggestion_submit(
        campaign=cast.campaign, text="酃湖路与东风路交叉口没有红绿灯，孩子上学过马路很危险，建议尽快增设。"
    )
    with_password(cast.owner)
    problems = []
    for size, typed in (
        ("phone", "nothere99"),
        ("desktop", urgent.receipt[:5].lower() + " " + urgent.receipt[5:]),
    ):
        context, page = sign_in(browser, live_server.url, "owner", SIZES[size], next="/manage/c/plan/")
        assert page.locator(f"#unrouted li:has-text('{urgent.text[:10]}')").count() == 0
        problems += check_page(page, "planner-walk", "1-unrouted", size)
        select, button = (
            page.locator(f"#dispatch-by-receipt {tag}").bounding_box() for tag in ("select", "button")
        )
        assert (
            button["y"] >= select["y"] + select["height"] + 4
            or button["x"] >= select["x"] + select["width"] + 4
        )
        page.fill("#dispatch-receipt", typed)
        page.select_option("#dispatch-receipt-department", label="交通运输局")
        with page.expect_navigation():
            page.click("#dispatch-by-receipt button")
        flash = page.locator(".messages").inner_text()
        if size == "phone":
            assert "没有找到这个回执码" in flash
        else:
            assert "已分派至交通运输局" in flash, flash
        context.close()
    urgent.refresh_from_db()
    assert urgent.department == cast.dept_a and urgent.status == Suggestion.Status.IN_REVIEW
    assert problems == [], "\n".join(problems)
