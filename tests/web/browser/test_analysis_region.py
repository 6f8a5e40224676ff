"""A district planner's pages at phone (390 px) and desktop (1366 px) size: the dashboard's chart of suggestions per
region, a bar's link to that region's digest, the digest filtered by the region with its counts, then the themes and
hot issues of the same region; axe-core finds no serious violation and no English shows. Screenshots in
out/screenshots/analysis-region/."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGIONS = ("珠晖区", "雁峰区", "石鼓区", "蒸湘区", "")
VIEWS = {"phone": SIZES["phone"], "desktop": SIZES["desktop"] | {"viewport": {"width": 1366, "height": 900}}}


@pytest.fixture
def regional(settings, tmp_path):
    """The demo campaign (300 suggestions), most of them with the region a file's 地区 column gave, analysed."""
    from django.core.cache import cache

    from minsheng.accounts.models import User
    from minsheng.demo.consultation import seed_analysis, seed_demo

    settings.VAR_DIR, settings.ANALYSIS_WORKERS, settings.ANALYSIS_REPORTS = tmp_path, 1, False
    cache.clear()
    campaign = seed_demo(corpus=None, limit=300)["campaign"]
    ids = list(campaign.suggestions.order_by("pk").values_list("pk", flat=True))
    for i, region in enumerate(REGIONS):
        campaign.suggestions.filter(pk__in=ids[i :: len(REGIONS)]).update(region=region)
    seed_analysis(campaign)
    with_password(User.objects.get(username="owner"))
    return campaign


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_district_reads_its_own_suggestions(browser, live_server, regional, size):
    _, page = sign_in(browser, live_server.url, "owner", VIEWS[size])
    base = f"{live_server.url}/manage/c/{regional.slug}/analysis/"
    page.goto(base)
    page.wait_for_selector("#chart-regions[data-drawn='1']")
    problems = check_page(page, "analysis-region", "overview", size)
    page.click("#regions-card .region-links a >> text=雁峰区")
    page.wait_for_load_state()
    assert "region=" in page.url and "/digest/" in page.url
    assert page.locator("select[name=region]").input_value() == "雁峰区"
    assert page.locator("#region-counts").inner_text().startswith("雁峰区：本地区 ")
    cells = [int(n.replace(",", "")) for n in page.locator("td.n-region").all_inner_texts()]
    assert cells and cells == sorted(cells, reverse=True)
    problems += check_page(page, "analysis-region", "digest", size)
    # The same region on the themes page, chosen there from the filter.
    page.goto(base + "themes/")
    page.select_option("select[name=region]", "雁峰区")
    page.click("#region-filter button")
    page.wait_for_load_state()
    assert "本地区 " in page.locator("#region-counts").inner_text()
    problems += check_page(page, "analysis-region", "themes", size)
    page.goto(base + "hot/?region=%E9%9B%81%E5%B3%B0%E5%8C%BA")
    problems += check_page(page, "analysis-region", "hot", size)
    assert problems == []
