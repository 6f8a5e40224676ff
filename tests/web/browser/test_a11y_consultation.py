"""Every main consultation page, at phone and desktop size, as the citizen, the analyst and the officer see it:
axe-core finds no serious or critical violation, no English sentence shows, nothing overflows; screenshots in
out/screenshots/a11y-consultation/."""

from __future__ import annotations

import pytest

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    """The demo campaign with 300 suggestions, its router and one finished analysis run."""
    from django.core.cache import cache

    from minsheng.accounts.models import User
    from minsheng.demo.consultation import seed_analysis, seed_demo

    settings.VAR_DIR, settings.ANALYSIS_WORKERS = tmp_path, 1
    cache.clear()
    campaign = seed_demo(corpus=None, limit=300)["campaign"]
    seed_analysis(campaign)
    with_password(*User.objects.filter(username__in=["owner", "officer_a"]))
    return campaign


def _pages(campaign) -> dict[str | None, list[tuple[str, str]]]:
    from minsheng.consultation.models import FormLetter, Suggestion, Theme

    suggestion = Suggestion.objects.filter(campaign=campaign).order_by("pk").first()
    theme = Theme.objects.filter(run__campaign=campaign).order_by("pk").first()
    letter = FormLetter.objects.filter(run__campaign=campaign).order_by("pk").first()
    base = f"/manage/c/{campaign.slug}"
    owner = [("dashboard", "/manage/"), ("campaign-manage", f"{base}/"), ("analysis", f"{base}/analysis/"),
             ("themes", f"{base}/analysis/themes/"), ("groups", f"{base}/analysis/groups/"),
             ("hot", f"{base}/analysis/hot/"), ("digest", f"{base}/analysis/digest/"), ("search", f"{base}/analysis/search/?q=建议"),
             ("search-empty", f"{base}/analysis/search/"),
             ("import", f"{base}/imports/"), ("campaign-new", "/manage/new/")]
    if theme is not None:
        owner.append(("theme", f"{base}/analysis/themes/{theme.code}/"))
    if letter is not None:
        owner.append(("group", f"{base}/analysis/groups/{letter.dup_group}/"))
    return {
        None: [("home", "/"), ("campaign", f"/c/{campaign.slug}/"), ("receipt-lookup", "/r/"),
               ("receipt", f"/r/{suggestion.receipt}/"), ("login", "/accounts/login/"), ("api-docs", "/api/v1/docs/")],
        "owner": owner,
        "officer_a": [("inbox", "/manage/inbox/")],
    }


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_consultation_pages_pass_axe_and_speak_chinese(browser, live_server, demo, size):
    problems = []
    for username, visits in _pages(demo).items():
        if username:
            context, page = sign_in(browser, live_server.url, username, SIZES[size])
        else:
            context = browser.new_context(**SIZES[size])
            page = context.new_page()
        for name, path in visits:
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{name}/{size}: HTTP {response.status} for {path}")
                continue
            problems += check_page(page, "a11y-consultation", name, size)
        context.close()
    assert problems == [], "\n".join(problems)
