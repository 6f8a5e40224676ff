"""Every main assistance page, as each role sees it, at phone and desktop size: axe-core finds no serious or
critical violation, no English sentence shows, nothing overflows; screenshots in out/screenshots/a11y-assistance/.
The recipient switches 长辈模式 on and her page grows and stays clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..browser.a11y import SCREENSHOTS, SIZES, check_page, current_item_stands_out
from ..conftest import sign_in
from .conftest import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(browser, base: str, size: str, username: str):
    return sign_in(browser, base, username, SIZES[size])


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_assistance_pages_pass_axe_and_speak_chinese(browser, live_server, aid, need_a, size):
    from minsheng.assistance.services.needs import need_create

    talked = walk(need_a, "communicated", aid=aid)
    accepted = walk(need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="companionship",
                                channel="cadre", description="老人独居，想有人陪着聊聊天"), "accepted", aid=aid)
    served = walk(need_create(actor=aid.cadre_b, recipient=aid.grandpa_b, need_type="device_teaching",
                              channel="cadre", description="学用手机视频"), "served", aid=aid, provider=aid.p_volunteer)
    for kind, text in (("daily_care", "打扫卫生"), ("paperwork", "代办医保报销")):  # 李奶奶 rates two services on her page
        walk(need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type=kind, channel="cadre",
                         description=text), "served", aid=aid)
    fresh = need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="companionship", channel="cadre",
                        description="想找人陪着去医院复查")  # its talk form open, with the visit's date and time
    pages = {
        "cadre_a": [("home", "/assistance/"), ("need-to-talk", f"/assistance/needs/{fresh.pk}/"), ("recipients", "/assistance/recipients/"),
                    ("recipient", f"/assistance/recipients/{aid.grandma_a.pk}/"),
                    ("recipient-new", "/assistance/recipients/new/"),
                    ("need-new", f"/assistance/recipients/{aid.grandma_a.pk}/needs/new/"),
                    ("needs", "/assistance/needs/"), ("need-talked", f"/assistance/needs/{talked.pk}/")],
        "station": [("dispatch", f"/assistance/needs/{talked.pk}/dispatch/")],
        "social_a": [("worker-home", "/assistance/"), ("need-checkin", f"/assistance/needs/{accepted.pk}/")],
        "cadre_b": [("need-revisit", f"/assistance/needs/{served.pk}/")],
        "civil": [("dashboard", "/assistance/dashboard/"), ("audit", "/assistance/audit/"),
                  ("no-contact", "/assistance/recipients/no-contact/")],
        "grandma": [("me", "/assistance/me/")],
    }
    problems = []
    for username, visits in pages.items():
        context, page = _sign_in(browser, live_server.url, size, username)
        for name, path in visits:
            page.goto(live_server.url + path)
            if name == "dashboard":
                expect(page.locator(".chart[data-drawn]")).to_have_count(4)
            problems += check_page(page, "a11y-assistance", name, size)
        if username == "grandma":
            before = page.evaluate("getComputedStyle(document.body).fontSize")
            page.click("#elder-toggle button")
            page.wait_for_load_state()
            assert page.evaluate("document.documentElement.className") == "elder"
            assert float(page.evaluate("getComputedStyle(document.body).fontSize")[:-2]) >= 1.3 * float(before[:-2])
            problems += check_page(page, "a11y-assistance", "me-elder", size)
            assert page.locator("#elder-toggle button").inner_text() == "标准字体"
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_demo_district_dashboard_draws_no_label_over_another(browser, live_server, size):
    """The need-status donut of the demo district (some 430 needs in seven states) wrote the counts of its thin
    slices over each other on a phone ("23" on "19"): it is the analysis page's donut now, whole percentages and
    none on a slice too thin to hold one (the legend and the tooltip still name it).
    The station's 满意度 bars, turned on their side on a phone, cut the value of the longest ("4.8" of 5) at the
    chart's right edge, and left the width of the names empty a second time left of them (the grid already holds
    them): the bars had half of a 318-pixel chart."""
    from minsheng.demo.assistance import seed_assistance

    from ..browser.a11y import crowded_chart_texts

    passwords = seed_assistance(recipients=300, seed=7)["passwords"]
    for username in ("civil", "station"):
        context, page = sign_in(browser, live_server.url, username, SIZES[size], passwords[username])
        page.goto(f"{live_server.url}/assistance/dashboard/")
        expect(page.locator(".chart[data-drawn]")).to_have_count(4)
        assert crowded_chart_texts(page) == [], username
        plot_left = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('chart-satisfaction'))
            .getModel().getComponent('grid').coordinateSystem.getRect().x""")
        assert plot_left < 0.3 * page.locator("#chart-satisfaction").bounding_box()["width"], username
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_item_of_the_sub_navigation_shows_whole(browser, live_server, aid, size):
    """The sub-navigation of a civil-affairs officer (six items) ran off a phone's screen sideways: 看板 cut at the
    edge and nothing saying the row scrolls. It wraps onto a second line now, as the consultation side's does: every
    item whole inside the screen, none hidden behind a scroll."""
    context, page = _sign_in(browser, live_server.url, size, "civil")
    page.goto(f"{live_server.url}/assistance/dashboard/")
    items = page.locator("nav.subnav a")
    expect(items).to_have_count(6)
    nav = page.locator("nav.subnav").bounding_box()
    width = page.viewport_size["width"]
    boxes = {item.inner_text(): item.bounding_box() for item in items.all()}
    cut = [(text, box) for text, box in boxes.items()
           if box["x"] < max(0, nav["x"]) - 0.5 or box["x"] + box["width"] > min(width, nav["x"] + nav["width"]) + 0.5]
    assert cut == []
    assert page.evaluate("(n => n.scrollWidth <= n.clientWidth)(document.querySelector('nav.subnav'))")
    page.screenshot(path=str(SCREENSHOTS / "a11y-assistance" / f"subnav-{size}.png"))
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_sub_navigation_marks_the_page_one_is_on(browser, live_server, aid, need_a, size):
    """No item of the assistance sub-navigation said where one was. The current one carries aria-current and
    stands out by weight, a thick underline and a thicker border, not by colour alone; a need's page marks 需求."""
    context, page = _sign_in(browser, live_server.url, size, "civil")
    for path, expected in [("/assistance/", ("待办", "page")),
                           ("/assistance/recipients/no-contact/", ("久未联系", "page")),
                           (f"/assistance/needs/{need_a.pk}/", ("需求", "true"))]:
        page.goto(live_server.url + path)
        assert current_item_stands_out(page) == expected, path
    (SCREENSHOTS / "a11y-assistance").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "a11y-assistance" / f"subnav-current-{size}.png"))
    context.close()
