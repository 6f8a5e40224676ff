"""A suggestion's time, wherever a person reads it, is when its author wrote it (``submitted_at``), not when the
platform received it (``received_at``, the queue's order): a partner channel may forward a letter days later, and
the citizen's receipt said 提交时间 beside the platform's time while the officer read the author's."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.services import suggestions_ingest

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[4] / "src" / "minsheng"
WRITTEN = timezone.make_aware(datetime(2019, 11, 1, 9, 30))
RECEIVED = timezone.make_aware(datetime(2019, 11, 4, 16, 45))


def test_no_template_shows_the_platform_s_receipt_time():
    shown = [f"{path.relative_to(SRC)}:{number}" for path in SRC.rglob("templates/**/*.html")
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if re.search(r"\{\{[^}]*received_at", line)]
    assert not shown, shown


def test_a_forwarded_suggestion_shows_when_it_was_written_to_citizen_and_officer(client, cast):
    [result] = suggestions_ingest(channel=cast.channel, items=[
        {"external_id": "late-1", "text": "建议在城东增设公交线路，方便上下班", "submitted_at": WRITTEN.isoformat()}])
    Suggestion.objects.filter(receipt=result.receipt).update(received_at=RECEIVED, department=cast.dept_a)
    s = Suggestion.objects.get(receipt=result.receipt)

    pages = {"receipt": client.get(f"/r/{s.receipt}/").content.decode()}
    client.force_login(cast.officer_a)
    pages["inbox"] = client.get("/manage/inbox/?c=plan").content.decode()
    pages["letter"] = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    client.force_login(cast.owner)
    pages["campaign"] = client.get("/manage/c/plan/").content.decode()
    for name, html in pages.items():
        assert "2019-11-01 09:30" in html and "2019-11-04 16:45" not in html, name
    assert "新华网" in pages["receipt"].split("提交时间")[1].split("</tr>")[0]  # whose time it is
