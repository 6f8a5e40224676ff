"""The analyst's pages as an analyst checks them on a phone (390×844) and a desktop (1366×900), in a real
headless chromium: the volume chart on a time axis with a period to pick and empty periods at zero, a donut whose
labels fit, tables that scroll instead of squeezing a column to one character per line, the search exported,
and the report with a human data source and both masking counts. Screenshots in out/screenshots/analyst/."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date
from pathlib import Path

import pytest

from ..conftest import sign_in, with_password
from .a11y import DESKTOP, PHONE, SCREENSHOTS, check_page, crowded_chart_texts, current_item_stands_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"phone": PHONE | {"bypass_csp": True, "accept_downloads": True},
         "desktop": DESKTOP | {"viewport": {"width": 1366, "height": 900}, "bypass_csp": True,
                               "accept_downloads": True}}
NEW = 6  # suggestions typed on the site today, years after the demo's 2020 ones


@pytest.fixture
def mixed(settings, tmp_path):
    """The demo campaign: 300 suggestions from 2020 through partner channels and a few typed on the site today,
    each with a phone number the intake masked; then one finished analysis with its reports."""
    from django.core.cache import cache

    from minsheng.accounts.models import User
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.demo.consultation import seed_analysis, seed_demo

    settings.VAR_DIR, settings.ANALYSIS_WORKERS, settings.ANALYSIS_REPORTS = tmp_path, 1, True
    cache.clear()
    campaign = seed_demo(corpus=None, limit=300)["campaign"]
    for i in range(NEW):
        suggestion_submit(campaign=campaign, text=f"小区门口的路灯坏了{i + 2}个月，请尽快修理，我的电话1381234567{i}。")
    seed_analysis(campaign)
    with_password(User.objects.get(username="owner"))
    return campaign


@pytest.fixture(params=["phone", "desktop"])
def analyst(request, browser, live_server, mixed):
    context, page = sign_in(browser, live_server.url, "owner", SIZES[request.param])
    page.size = request.param
    page.base = f"{live_server.url}/manage/c/{mixed.slug}/analysis"
    yield page
    context.close()


def _option(page, selector):
    return page.evaluate(f"() => echarts.getInstanceByDom(document.querySelector('{selector}')).getOption()")


def _assert_donut_fits(page, selector):
    """Names outside the ring only where there is room for them; in a narrow chart (a phone, a half-width card)
    percentages inside the ring and every name in the legend below it, none cut off."""
    series, = _option(page, selector)["series"]
    width = page.evaluate(f"document.querySelector('{selector}').clientWidth")
    assert series["label"]["position"] in (("inside",) if width <= 520 else ("outer", "outside")), width
    if page.size == "phone":
        assert series["label"]["position"] == "inside"


def _shot(page, name):
    folder = SCREENSHOTS / "analyst"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{page.size}.png"), full_page=True)


def test_the_overview_draws_time_with_a_chosen_period_and_fits_the_screen(analyst, mixed):
    from django.utils.timezone import localtime

    from minsheng.consultation.models import Suggestion

    page = analyst
    page.goto(page.base + "/")
    page.wait_for_selector("#chart-volume[data-period]")
    problems = check_page(page, "analyst", "overview", page.size)
    assert problems == [], "\n".join(problems)

    times = sorted(localtime(t).date() for t in Suggestion.objects.filter(campaign=mixed)
                   .values_list("submitted_at", flat=True))
    first, last = times[0], times[-1]
    assert (last - first).days > 365 * 5  # old and new mixed: six years apart
    assert page.get_attribute("#chart-volume", "data-period") == "month"
    assert page.get_attribute("#volume-periods [data-period=month]", "aria-pressed") == "true"
    option = _option(page, "#chart-volume")
    assert option["xAxis"][0]["type"] == "time"
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    for series in option["series"]:
        assert len(series["data"]) == months  # every month, the empty ones at zero
    totals = [sum(s["data"][i][1] for s in option["series"]) for i in range(months)]
    assert totals[0] > 0 and totals[-1] >= NEW and totals.count(0) >= months - 4
    assert sum(totals) == Suggestion.objects.filter(campaign=mixed).count()

    page.click("#volume-periods [data-period=day]")
    assert page.get_attribute("#chart-volume", "data-period") == "day"
    days = _option(page, "#chart-volume")["series"][0]["data"]
    assert len(days) == (last - first).days + 1
    assert date.fromtimestamp(days[0][0] / 1000) == first
    page.click("#volume-periods [data-period=week]")
    assert page.get_attribute("#volume-periods [data-period=week]", "aria-pressed") == "true"

    _assert_donut_fits(page, "#chart-departments")
    _shot(page, "overview-week")


def test_the_search_is_exported_as_shown(analyst, mixed):
    page = analyst
    page.goto(page.base + "/search/?q=路灯")
    problems = check_page(page, "analyst", "search", page.size)
    assert problems == [], "\n".join(problems)
    shown = page.locator("table.results tr").count() - 1
    with page.expect_download() as download:
        page.click("#search-export a:has-text('CSV')")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) - 1 == shown >= NEW
    assert all("路灯" in r[2] for r in rows[1:]) and all("138****567" in r[2] for r in rows[1:NEW + 1])
    assert "13812345670" not in text
    with page.expect_download() as download:
        page.click("#search-export a:has-text('Excel')")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_report_names_its_source_counts_both_maskings_and_fits(analyst, mixed):
    page = analyst
    run = mixed.analysis_runs.get()
    page.goto(f"{page.base}/runs/{run.pk}/report.html")
    page.wait_for_selector("body[data-ready]")
    _shot(page, "report")
    sub = page.inner_text(".masthead .sub")
    assert f"数据来源：{mixed.title}：网站提交 {NEW} 条、合作渠道 300 条" in sub and "parquet" not in sub
    data = json.loads(page.inner_text("#report-data"))
    masked = {s["name"]: dict(zip(data["masked"]["kinds"], s["data"], strict=True)) for s in data["masked"]["series"]}
    assert masked["录入时已脱敏"]["手机号码"] >= NEW and masked["分析时脱敏"]["手机号码"] == 0
    volume = _option(page, "#chart-volume")
    assert volume["xAxis"][0]["type"] == "time" and page.get_attribute("#chart-volume", "data-period") == "month"
    _assert_donut_fits(page, "#chart-channels")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert crowded_chart_texts(page) == []  # on a phone too: no "102030" under a bar chart, no name over another


def test_a_suggestion_that_may_be_mixed_is_marked_on_the_digest_and_its_page(analyst, mixed):
    """The trust flag as an officer meets it: filtered to, a badge beside the headline whose tooltip says why, and on
    the suggestion's page a sentence with the share of letters that ask something else; both pages fit."""
    run = mixed.analysis_runs.get()
    item = run.digest.filter(mixed=True).order_by("rank").first()
    if item is None:  # the demo's 300 letters may hold none: flag the first as the engine would
        item = run.digest.order_by("rank").first()
        run.digest.filter(pk=item.pk).update(mixed=True, ask_spread=0.6)
        item.refresh_from_db()
    page = analyst
    page.goto(page.base + "/digest/?mixed=yes&sort=spread")
    problems = check_page(page, "analyst", "digest-mixed", page.size)
    assert problems == [], "\n".join(problems)
    badges = page.locator("#digest-table .badge.mixed")
    assert badges.count() == run.digest.filter(mixed=True).count() and badges.first.is_visible()
    assert "来信诉求与其余不同" in badges.first.get_attribute("title")
    page.goto(f"{page.base}/digest/{item.code}/")
    problems = check_page(page, "analyst", "digest-item-mixed", page.size)
    assert problems == [], "\n".join(problems)
    note = page.inner_text("#digest-mixed")
    assert "内容可能混杂" in note and f"约 {round(item.ask_spread * 100)}% 提出的诉求与其余不同" in note


def test_the_novel_ideas_read_in_chinese_and_fit(analyst, mixed):
    """金点子 as a planner opens it from the analysis menu: every idea with its letter and its score's parts in
    words (not the engine's proposal+2.00 codes); the table scrolls rather than squeezing on a phone."""
    run = mixed.analysis_runs.get()
    page = analyst
    page.goto(page.base + "/")
    page.click("nav.subnav >> text=金点子")
    page.wait_for_load_state()
    problems = check_page(page, "analyst", "novel", page.size)
    assert problems == [], "\n".join(problems)
    rows = page.locator("#novel-table tr")
    assert rows.count() == min(run.novel_ideas.count(), 25) + 1 > 1
    text = page.inner_text("#novel-table")
    assert run.novel_ideas.first().proposal[:20] in text and "提出具体办法" in text and "proposal" not in text
    _shot(page, "novel")


@pytest.mark.parametrize("table", ["hot", "digest"])
def test_the_hot_issues_and_the_digest_read_without_scrolling_sideways(analyst, mixed, table):
    """热点问题 and 建议摘编 on a phone: each row is a card with its text across the screen and its figures below,
    not a table whose figures (or the text itself) had to be scrolled into view (cut at the card's edge)."""
    run = mixed.analysis_runs.get()
    first = run.hot_issues.order_by("rank").first().description if table == "hot" else \
        run.digest.order_by("rank").first().headline
    page = analyst
    page.goto(f"{page.base}/{table}/")
    problems = check_page(page, "analyst", table, page.size)
    assert problems == [], "\n".join(problems)
    box = page.locator(f"#{table}-table").locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), f"the {table} table scrolls sideways"
    link = page.locator(f"#{table}-table a").first
    assert link.inner_text()[:10] == first[:10]
    card, shown = box.bounding_box(), link.bounding_box()
    assert shown["x"] + shown["width"] <= card["x"] + card["width"] + 1  # the text whole in view
    if page.size == "phone":
        heading = page.locator(f"#{table}-table tbody th[scope=row]").first.bounding_box()
        assert heading["width"] > card["width"] * 0.8  # across the screen, not a narrow column
        rank = page.locator(f"#{table}-table tbody td").first.bounding_box()
        assert shown["y"] < rank["y"]  # the text heads its card, the figures below it


def test_the_sub_navigation_marks_the_page_one_is_on(analyst, mixed):
    """No item of the analysis pages' sub-navigation said where the analyst was. The current one carries
    aria-current and stands out by weight and a thick underline, not by colour alone; a theme's page marks 主题."""
    from minsheng.consultation.models import Theme

    page = analyst
    theme = Theme.objects.filter(run__campaign=mixed, level="fine").first()
    for path, expected in [("/", ("分析总览", "page")), ("/hot/", ("热点问题", "page")),
                           (f"/themes/{theme.code}/", ("主题", "true"))]:
        page.goto(page.base + path)
        assert current_item_stands_out(page) == expected, path
        # on a phone the row wraps between items, never inside one (重 | 复与组织化 read as two words)
        broken = page.evaluate("[...document.querySelectorAll('nav.subnav a')]"
                               ".filter(a => a.getClientRects().length > 1).map(a => a.innerText)")
        assert broken == [], path
    _shot(page, "subnav-theme")


@pytest.mark.parametrize("where", ["digest", "search"])
def test_the_filters_stand_in_a_row_on_a_desktop_and_one_a_line_on_a_phone(analyst, mixed, where):
    """On a desktop 建议摘编's four filters and its button stood one under another across the whole card (检索's
    eight too), pushing the list below the fold: they stand in rows now, each control as tall as the next; on
    a phone each still takes a line of its own."""
    page = analyst
    page.goto(f"{page.base}/{where}/")
    controls = "form.filters > input, form.filters > select, form.filters > label, form.filters > button"
    boxes = page.evaluate("""s => [...document.querySelectorAll(s)].map(e => { const r = e.getBoundingClientRect();
        return {top: Math.round(r.top), height: Math.round(r.height), width: r.width}; })""", controls)
    card = page.locator("form.filters").bounding_box()
    tops = sorted(b["top"] for b in boxes)
    rows = 1 + sum(b - a > 8 for a, b in itertools.pairwise(tops))  # a row's controls are centred, within a pixel or two
    if page.size == "desktop":
        assert rows <= 2 and len(boxes) >= 5, boxes
        assert max(b["height"] for b in boxes) - min(b["height"] for b in boxes) <= 4, boxes
        assert all(b["width"] < card["width"] * 0.7 for b in boxes), boxes
    else:
        assert rows == len(boxes), boxes
    problems = check_page(page, "analyst", f"filters-{where}", page.size)
    assert problems == [], "\n".join(problems)
