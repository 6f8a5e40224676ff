"""检索 with the region filter (地区) at phone (390 px) and desktop (1280 px) size: the filter is there, chosen, the
rows show the region, axe-core finds no serious violation and no English shows. Screenshots in
out/screenshots/search-region/."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGIONS = ("珠晖区", "雁峰区", "石鼓区", "蒸湘区")


@pytest.fixture
def regional(settings, tmp_path):
    """The demo campaign with 300 suggestions and a few more that carry the region a partner gave."""
    from django.core.cache import cache

    from minsheng.accounts.models import User
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.demo.consultation import seed_demo

    settings.VAR_DIR, settings.ANALYSIS_WORKERS = tmp_path, 1
    cache.clear()
    campaign = seed_demo(corpus=None, limit=300)["campaign"]
    for i in range(12):
        region = REGIONS[i % len(REGIONS)]
        suggestion_submit(campaign=campaign, text=f"建议{region}的老旧小区加装电梯，第{i + 1}栋楼的老人上下楼太难了。",
                          region=region)
    with_password(User.objects.get(username="owner"))
    return campaign


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_region_filter_reads_at_both_sizes(browser, live_server, regional, size):
    _, page = sign_in(browser, live_server.url, "owner", SIZES[size])
    page.goto(f"{live_server.url}/manage/c/{regional.slug}/analysis/search/")
    page.select_option("select[name=region]", "雁峰区")
    page.click("form.filters button.primary")
    page.wait_for_load_state()
    assert "region=" in page.url
    assert page.locator("td.region").all_inner_texts() == ["雁峰区"] * 3
    assert page.locator("select[name=region]").input_value() == "雁峰区"
    assert check_page(page, "search-region", "search-region", size) == []
