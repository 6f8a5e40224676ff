"""A page that is not there yet says what is missing and leads on: an unpublished campaign's results page said
页面不存在, as if the address were wrong; so did the analysis pages before any analysis had finished."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_unpublished_results_say_so_and_lead_back_to_the_campaign(client, cast):
    response = client.get("/c/plan/results/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "征集结果尚未公布" in html and "页面不存在" not in html and cast.campaign.title in html
    assert '<a class="button" href="/c/plan/" id="onward">返回征集活动页</a>' in html
    unknown = client.get("/c/nosuch/results/").content.decode()
    assert "页面不存在" in unknown and "尚未公布" not in unknown  # a wrong address is still one


def test_analysis_pages_before_any_analysis_lead_to_the_analysis_page(client, cast):
    client.force_login(cast.owner)
    for url in ("/manage/c/plan/analysis/themes/", "/manage/c/plan/analysis/hot/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404 and "还没有完成的分析" in html and "页面不存在" not in html, url
        assert 'href="/manage/c/plan/analysis/" id="onward"' in html, url
