"""The dashboard of an analysis that found no orchestrated campaign (组织化征集), at phone and desktop size: its card
says so in Chinese instead of drawing a chart with empty axes and no bar, and the page passes the checks every page
does. Screenshots in out/screenshots/analysis-no-letters/."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def without_letters(settings, tmp_path):
    """The demo campaign at 150 suggestions (the generator writes form letters from 200 on), analysed."""
    from django.core.cache import cache

    from minsheng.accounts.models import User
    from minsheng.demo.consultation import seed_analysis, seed_demo

    settings.VAR_DIR, settings.ANALYSIS_WORKERS, settings.ANALYSIS_REPORTS = tmp_path, 1, False
    cache.clear()
    campaign = seed_demo(corpus=None, limit=150)["campaign"]
    run = seed_analysis(campaign)["run"]
    assert not run.form_letters.exists()  # the case under test
    with_password(User.objects.get(username="owner"))
    return campaign


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_orchestrated_campaign_is_said_not_drawn_as_empty_axes(browser, live_server, without_letters, size):
    """Before, the card drew a chart with two bare axes and a legend: nothing said none was found."""
    context, page = sign_in(browser, live_server.url, "owner", SIZES[size])
    page.goto(f"{live_server.url}/manage/c/{without_letters.slug}/analysis/")
    page.wait_for_selector("#chart-themes[data-drawn='1']")
    card = page.locator("section.card", has=page.locator("h2", has_text="组织化征集"))
    assert card.locator("#chart-letters").count() == 0
    assert "没有发现组织化征集" in card.locator("#letters-empty").inner_text()
    assert check_page(page, "analysis-no-letters", "overview", size) == []
    context.close()
