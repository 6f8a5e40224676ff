"""Creating a campaign from the workbench: owners and admins may, with a window that makes sense."""

from __future__ import annotations

from minsheng.consultation.intake.models import Campaign


def _form(**extra):
    return {"slug": "water", "title": "饮水安全建言", "question": "您对农村饮水有什么建议？", "description": "",
            "opens_at": "2026-01-01T08:00", "closes_at": "2026-01-15T08:00", "is_public": "on",
            "taxonomy_text": "水质\n管网\n\n", **extra}


def test_the_owner_creates_a_draft_campaign_with_departments(client, cast):
    client.force_login(cast.owner)
    response = client.post("/manage/new/", _form(departments=[cast.dept_a.pk]))
    assert response.status_code == 302 and response["Location"] == "/manage/c/water/"
    campaign = Campaign.objects.get(slug="water")
    assert campaign.status == "draft" and campaign.owner == cast.owner
    assert list(campaign.departments.all()) == [cast.dept_a] and campaign.taxonomy == ["水质", "管网"]
    assert client.get("/c/water/").status_code == 404  # drafts are not public yet


def test_a_window_that_ends_before_it_starts_is_shown_as_an_error(client, cast):
    client.force_login(cast.owner)
    response = client.post("/manage/new/", _form(closes_at="2025-12-01T08:00"))
    assert response.status_code == 200 and "截止时间必须晚于开始时间" in response.content.decode()
    assert not Campaign.objects.filter(slug="water").exists()


def test_a_taken_slug_is_refused(client, cast):
    client.force_login(cast.owner)
    response = client.post("/manage/new/", _form(slug="plan"))
    assert response.status_code == 200 and Campaign.objects.filter(slug="plan").count() == 1
