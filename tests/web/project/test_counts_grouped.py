"""Counts shown to people carry thousands separators, as the reports and import previews already wrote them:
the campaign page said "每分钟 120000 条" of a demo channel, which read as a typo (walk of 2026-12-06)."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_the_campaign_page_groups_a_channels_rate_and_its_counts(client, cast):
    client.force_login(cast.owner)
    html = client.get("/manage/c/plan/").content.decode()
    assert "每分钟 120,000 条" in html and "每分钟 120000 条" not in html  # the form's number box keeps 120000


def test_a_partners_rate_limit_is_said_with_grouped_digits(client, cast):
    from minsheng.consultation._db.ratelimit import rate_hit
    from minsheng.consultation.intake.models import Channel

    Channel.objects.filter(pk=cast.channel.pk).update(rate_per_minute=1500)
    rate_hit(key=f"channel:{cast.channel.pk}", limit=1500, cost=1500)
    response = client.post("/api/v1/campaigns/plan/suggestions", {"items": [{"external_id": "x1", "text": "建议增加公交线路"}]},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {cast.key}")
    assert response.status_code == 429
    assert "每分钟 1,500 条" in response.json()["error"]["message"]


@pytest.mark.parametrize("template", ["consultation/manage/pager.html", "consultation/analysis/_pager.html",
                                      "assistance/_pager.html"])
def test_the_pagers_group_their_totals(template):
    page = Paginator(range(123_456), 20).page(2)
    html = render_to_string(template, {"page": page})
    assert "6,173" in html and "123,456" in html and "123456" not in html


def test_the_admins_lists_group_counts(client, cast):
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    html = client.get("/admin/consultation/channel/").content.decode()
    assert "120,000" in html and ">120000<" not in html


def test_a_reminders_subject_groups_its_counts():
    from types import SimpleNamespace

    from django.utils import timezone

    from minsheng.consultation.handling.remind import _message

    s = SimpleNamespace(receipt="7w5mvv8b7f", campaign=SimpleNamespace(title="规划"))
    soon = SimpleNamespace(action="remind_due", suggestion=s, due_at=timezone.now())
    late = SimpleNamespace(action="remind_overdue", suggestion=s, due_at=timezone.now())
    subject, _body = _message([soon] * 1200 + [late])
    assert "1,200 条建议将在一天内到期" in subject
