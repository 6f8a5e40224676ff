"""检索 by the region (地区) a file or a partner gave: the filter is offered only when the campaign's suggestions
carry regions, its choices are the regions present in this campaign, the rows, the letter page and the export
show the region, and the page's queries do not grow with its rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
URL = "/manage/c/plan/analysis/search/"


@pytest.fixture
def regional(analysed):
    """Three suggestions of the campaign carry a region as the partner API gives it; one of another campaign too."""
    from minsheng.consultation.intake.services import campaign_create, suggestion_submit

    for region in ("珠晖区", "珠晖区", "雁峰区"):
        suggestion_submit(campaign=analysed.campaign, text=f"{region}的老旧小区需要加装电梯", region=region)
    other = campaign_create(owner=analysed.owner, slug="other", title="另一次征集", question="？", status="open")
    suggestion_submit(campaign=other, text="石鼓区的路灯坏了", region="石鼓区")
    return analysed


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8")[1:])))


def test_no_region_filter_when_no_suggestion_has_a_region(client, analysed):
    client.force_login(analysed.owner)
    response = client.get(URL)
    assert response.context["regions"] == []
    assert 'name="region"' not in response.content.decode()


def test_a_region_in_the_address_is_shown_in_force_where_no_suggestion_has_one(client, analysed):
    """A link's ``?region=`` on a campaign whose suggestions carry no region narrows to nothing; the filter is
    shown with it chosen, so the empty list says why and 全部地区 undoes it (hidden, nothing would)."""
    client.force_login(analysed.owner)
    response = client.get(URL, {"region": "雁峰区"})
    assert response.context["regions"] == ["雁峰区"] and response.context["page"].paginator.count == 0
    html = response.content.decode()
    assert '<option value="">全部地区</option><option value="雁峰区" selected>' in html
    assert "没有符合条件的建议" in html


def test_the_filter_offers_the_campaigns_regions_and_narrows(client, regional):
    client.force_login(regional.owner)
    response = client.get(URL)
    assert response.context["regions"] == sorted(["珠晖区", "雁峰区"])  # not 石鼓区, of another campaign
    html = response.content.decode()
    assert '<select name="region"' in html and '<option value="石鼓区"' not in html
    page = client.get(URL, {"region": "珠晖区"}).context["page"]
    assert page.paginator.count == 2 and {s.region for s in page} == {"珠晖区"}
    narrowed = client.get(URL, {"region": "雁峰区", "q": "电梯"})
    assert narrowed.context["page"].paginator.count == 1
    assert '<option value="雁峰区" selected>' in narrowed.content.decode()
    assert '<td class="region">雁峰区</td>' in narrowed.content.decode()
    assert client.get(URL, {"region": "石鼓区"}).context["page"].paginator.count == 0


def test_the_export_carries_the_region_and_the_filter(client, regional):
    client.force_login(regional.owner)
    rows = _csv(client.get(URL + "export.csv", {"region": "珠晖区"}))
    assert rows[0][4] == "地区"
    assert len(rows) == 3 and all(r[4] == "珠晖区" for r in rows[1:])
    every = _csv(client.get(URL + "export.csv"))
    assert {r[4] for r in every[1:]} == {"", "珠晖区", "雁峰区"}


def test_the_letter_page_shows_the_region(client, regional):
    s = regional.campaign.suggestions.get(region="雁峰区")
    regional.campaign.suggestions.filter(pk=s.pk).update(department=regional.dept_a)
    client.force_login(regional.officer_a)
    html = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert '<td id="region">雁峰区</td>' in html
    plain = regional.campaign.suggestions.filter(department=regional.dept_a, region="").first()
    assert 'id="region"' not in client.get(f"/manage/inbox/s/{plain.pk}/").content.decode()


def test_the_page_does_not_query_per_row(client, regional, monkeypatch):
    from minsheng.consultation.analysis import views

    client.force_login(regional.owner)
    counts = []
    for size in (5, 25):
        monkeypatch.setattr(views, "PAGE", size)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
