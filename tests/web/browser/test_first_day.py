"""What a bureau's first day on an empty site met (h-journey4, 2026-12-07; docs/readings/walk-2026-12-07d.md)."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_held_suggestions_buttons_keep_apart(browser, live_server, cast):
    """待审核 on the campaign page: beside a long held text the cell of 通过 / 驳回 is narrow, the two buttons fell
    one above the other with no space between (check_page: buttons touching), so a slip of the finger rejected;
    on a phone each word broke over two lines (通 / 过)."""
    from minsheng.consultation.intake.services import suggestion_submit

    for _ in range(2):
        suggestion_submit(campaign=cast.campaign, text="咨询代开发票问题：" + "我一朋友出国在外学习，他的房子出租给了某公司，需要到税务局代开房屋租金发票。" * 3)
    with_password(cast.owner)
    problems = []
    for size in ("desktop", "phone"):
        context, page = sign_in(browser, live_server.url, "owner", SIZES[size], next="/manage/c/plan/")
        assert page.locator("button[value=approve]").count() == 2
        heights = page.eval_on_selector_all("#held button, td > form button", "bs => bs.map(b => b.offsetHeight)")
        assert heights and max(heights) < 56, heights  # one line of words each (通 / 过 on two lines: 65)
        problems += check_page(page, "first-day", "1-held", size)
        context.close()
    assert problems == [], "\n".join(problems)
