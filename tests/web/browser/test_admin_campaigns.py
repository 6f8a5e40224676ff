"""The admin's campaigns, as a stranger met them (walk of 2026-12-06): the list squeezed 标题 to two characters a
line at a laptop's width, and the form showed 分类 as raw JSON ("[]")."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import DESKTOP, squeezed_cells

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_campaign_list_keeps_its_titles_readable_at_a_laptops_width(browser, live_server, cast, width):
    """开始时间/截止时间 kept to one line took the room, and 标题 ("“十四五”规划建言") broke after every second
    character. A title now gets at least a few characters a line."""
    from datetime import timedelta

    from django.utils import timezone

    from minsheng.consultation.intake.services import campaign_create

    with_password(cast.owner, admin=True)
    closes = timezone.now() + timedelta(days=14)
    campaign_create(owner=cast.owner, slug="plan2021-online", title="“十四五”规划编制 网上征求意见",
                    question="您对“十四五”时期经济社会发展有哪些意见和建议？", closes_at=closes)
    campaign_create(owner=cast.owner, slug="water", title="关于城市供水管网改造与二次供水设施提升的意见征集",
                    question="您对供水有什么建议？", closes_at=closes)
    context, page = sign_in(browser, live_server.url, cast.owner.username,
                            DESKTOP | {"viewport": {"width": width, "height": 900}, "bypass_csp": True})
    page.goto(live_server.url + "/admin/consultation/campaign/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=f"/tmp/h-qa19-admin-campaigns-{width}.png", full_page=True)
    assert squeezed_cells(page) == []
    em = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td.field-title')).fontSize)")
    widths = page.evaluate("[...document.querySelectorAll('td.field-title')].map(c => c.getBoundingClientRect().width)")
    assert widths and min(widths) >= 8 * em, widths
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # and no column is pushed out of sight behind the list's own scroll bar (负责人 was, at 1280 px)
    assert page.evaluate("(() => { const r = document.querySelector('.results');"
                         " return r.scrollWidth <= r.clientWidth; })()")
    assert page.evaluate("""[...document.querySelectorAll('td.field-status')].every(c => {
        const range = document.createRange(); range.selectNodeContents(c);
        return range.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(c).fontSize); })""")  # 征集中
    context.close()


def test_the_campaign_form_edits_categories_one_a_line(browser, live_server, cast):
    """分类 was a JSON box reading "[]"; it is a text box with one category a line, and a fault names the field."""
    from minsheng.consultation.intake.models import Campaign

    Campaign.objects.filter(pk=cast.campaign.pk).update(taxonomy=["交通出行", "教育"])
    with_password(cast.owner, admin=True)
    context, page = sign_in(browser, live_server.url, cast.owner.username, DESKTOP | {"bypass_csp": True})
    page.goto(live_server.url + f"/admin/consultation/campaign/{cast.campaign.pk}/change/")
    box = page.locator("#id_taxonomy")
    assert box.evaluate("e => e.tagName") == "TEXTAREA"
    assert box.input_value() == "交通出行\n教育"
    help_text = page.locator("#id_taxonomy_helptext").inner_text()
    assert "每行" in help_text, help_text
    box.fill("交通出行\n\n  医疗卫生 \n交通出行\n")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    errors = page.locator(".field-taxonomy .errorlist").inner_text()
    assert "分类" in errors and "交通出行" in errors and "重复" in errors, errors
    page.screenshot(path="/tmp/h-qa19-admin-campaign-categories-error.png", full_page=True)
    box.fill("交通出行\n\n  医疗卫生 \n")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() == 0
    assert Campaign.objects.get(pk=cast.campaign.pk).taxonomy == ["交通出行", "医疗卫生"]
    page.screenshot(path="/tmp/h-qa19-admin-campaign-categories.png", full_page=True)
    context.close()
