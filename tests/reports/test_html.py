"""report.html in a real headless chromium: no errors, every chart drawn, Chinese text, working tables."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from minsheng.bench.reports import CHROMIUM, launch_chromium, open_report

from .analysis_fixture import CHANNELS, UNMASKED_PHONE

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which(CHROMIUM), reason="chromium not installed")]

# Non-blank pixels on a chart's canvas: drawn, not just created.
DRAWN = """el => {
  const c = el.querySelector('canvas');
  if (!c || !c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""


@pytest.fixture(scope="module")
def page(reported_dir):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context()
        outside = []
        # Anything but the file itself is a request to the network: record it and refuse it.
        context.route(re.compile(r"^(?!file:).*"), lambda route: (outside.append(route.request.url), route.abort()))
        page, problems = open_report(context, reported_dir / "report.html")
        page.wait_for_timeout(400)  # let the short entry animations finish
        page.problems, page.outside = problems, outside
        yield page
        browser.close()


def test_it_opens_offline_without_errors(page):
    assert page.problems == []
    assert page.outside == []


def test_every_chart_is_drawn(page, reported_dir):
    html = (reported_dir / "report.html").read_text(encoding="utf-8")
    charts = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))
    containers = page.query_selector_all("[data-chart]")
    assert sorted(el.get_attribute("data-chart") for el in containers) == sorted(charts)
    assert len(containers) >= 9
    for el in containers:
        assert el.evaluate(DRAWN) > 1000, el.get_attribute("data-chart")


def test_it_reads_in_chinese(page):
    text = page.inner_text("body")
    for words in ("总体情况", "部门分派", "主题", "热点问题", "组织化活动", "答复评价", "数据质量", "方法说明",
                  *CHANNELS):
        assert words in text
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert UNMASKED_PHONE not in page.content()


def test_tables_sort_and_search(page):
    table = page.locator("#table-departments")
    messages = lambda: [int(c.replace(",", "")) for c in table.locator("tbody td:nth-child(2)").all_inner_texts()]  # noqa: E731
    header = table.locator("th", has_text="建议数")
    header.click()
    first = messages()
    assert first == sorted(first, reverse=True)
    header.click()
    assert messages() == sorted(first)
    search = page.locator("[data-table]", has=table).locator(".table-search")
    search.fill("民政")
    visible = table.locator("tbody tr:visible")
    assert visible.count() == 1 and "民政厅" in visible.inner_text()
    search.fill("")
    assert table.locator("tbody tr:visible").count() == len(first)


def test_it_stays_small(reported_dir):
    assert (reported_dir / "report.html").stat().st_size < 2_000_000


def test_the_digest_comes_first_and_filters_by_department(page, reported_dir):
    """The suggestion digest (建议摘编) is the first section after the overview; picking a department in its
    filter leaves only that department's suggestions."""
    html = (reported_dir / "report.html").read_text(encoding="utf-8")
    assert html.index('id="digest"') < html.index('id="volume"')
    assert "金点子" in html and "增设改签窗口" in html
    rows = page.locator("#table-suggestions tbody tr")
    total = rows.count()
    department = page.locator("#digest select.table-filter option").nth(1).inner_text()
    page.locator("#digest select.table-filter").select_option(department)
    shown = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(shown) < total
    assert all(department in r.inner_text() for r in shown)


def test_it_passes_axe(page):
    """A table's box scrolls (max-height 520 px): it could not be reached from the keyboard, so a person who does
    not use a mouse could not read its lower rows (axe: scrollable-region-focusable, serious)."""
    from tests.web.browser.a11y import serious_violations

    assert serious_violations(page) == []


def test_it_fits_a_phone(page, reported_dir):
    """On a 390 px phone the page scrolled sideways to 627 px: each table's tools (search, a department filter as
    wide as its longest name, the row count) sat in one line; the tables themselves scroll in their own box."""
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                               is_mobile=True)
    phone, problems = open_report(context, reported_dir / "report.html")
    filters = phone.evaluate("""name => [...document.querySelectorAll('select.table-filter')]
        .map(s => s.add(new Option(name))).length""", "市住房和城乡建设局住房保障和房产管理科（含住房公积金管理中心）")
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert filters and problems == [] and width <= 390


def test_the_digest_rows_on_a_phone_are_as_tall_as_what_they_show(page, reported_dir):
    """On a phone each digest row was four lines tall (the quotes far to the right, clamped at four lines) while
    the screen showed one line of headline, cut at the screen's edge: rows mostly empty. The headline wraps within
    the screen, and a long cell shows two lines until tapped."""
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                               is_mobile=True)
    phone, _problems = open_report(context, reported_dir / "report.html")
    rows = phone.evaluate("""() => {
      const table = document.querySelector('#table-suggestions');
      // quotes as long as the page keeps them (HTML_TEXT): the fixture's are short
      table.querySelectorAll('td.long > div').forEach(d => { d.textContent = '建议增加公交线路'.repeat(25); });
      const col = [...table.querySelectorAll('thead th')].findIndex(th => th.textContent.trim() === '建议');
      return [...table.querySelectorAll('tbody tr')].slice(0, 8).map(tr => {
        const cell = tr.children[col], range = document.createRange();
        range.selectNodeContents(cell);
        const style = getComputedStyle(cell);
        return {row: tr.getBoundingClientRect().height, text: range.getBoundingClientRect().height,
                width: cell.getBoundingClientRect().width,
                line: parseFloat(style.lineHeight) || 1.6 * parseFloat(style.fontSize)};
      });
    }""")
    context.close()
    assert rows
    for r in rows:
        assert r["width"] <= 320, r  # the headline is read on the screen, not cut at its edge
        assert r["row"] <= max(r["text"], 2 * r["line"]) + 14, r  # no row taller than what it shows
