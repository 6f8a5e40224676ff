"""A time in a list shows its year unless it is within this year: "03-02 14:05" of a suggestion that waited since
an earlier year, or of an analysis run from one, would be read as this spring."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from minsheng.consultation.analysis.models import AnalysisRun
from minsheng.consultation.handling.models import HandlingEvent
from minsheng.consultation.handling.services import suggestion_return
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.workbench.services import suggestion_reassign

pytestmark = pytest.mark.django_db

OLD = timezone.make_aware(datetime(2019, 11, 1, 9, 30, 5))


def _recent():
    """A moment of this year that is not today (12-31 is never in the future of Jan 1, so both are in range)."""
    today = timezone.localdate()
    return timezone.make_aware(datetime(today.year, 1, 1, 9, 30, 5))


def test_the_inbox_and_a_suggestion_s_routing_history_show_an_old_year(client, fed):
    old, new = Suggestion.objects.filter(department=fed.dept_a).order_by("pk")[:2]
    Suggestion.objects.filter(pk=old.pk).update(received_at=OLD, submitted_at=OLD)
    Suggestion.objects.filter(pk=new.pk).update(received_at=_recent(), submitted_at=_recent())
    Suggestion.objects.filter(department=fed.dept_a).exclude(pk__in=[old.pk, new.pk]).update(department=fed.dept_b)
    client.force_login(fed.officer_a)
    inbox = client.get("/manage/inbox/").content.decode()
    assert "2019-11-01 09:30" in inbox and "01-01 09:30" in inbox
    assert f"{timezone.localdate().year}-01-01 09:30" not in inbox

    suggestion_reassign(user=fed.officer_a, suggestion_id=old.pk, from_department=fed.dept_a,
                        to_department=fed.dept_b, reason="属于教育局")
    HandlingEvent.objects.filter(suggestion=old, action="reassign").update(at=OLD)  # the move, as the record lists it
    client.force_login(fed.officer_b)
    page = client.get(f"/manage/inbox/s/{old.pk}/").content.decode()
    assert "2019-11-01 09:30" in page.split("属于教育局")[0].rsplit("<li>", 1)[1]


def test_a_returned_suggestion_shows_when_it_was_returned_with_its_year(client, fed):
    s = Suggestion.objects.filter(department=fed.dept_a).first()
    suggestion_return(user=fed.officer_a, suggestion_id=s.pk, department=fed.dept_a, reason="不归我们管")
    HandlingEvent.objects.filter(suggestion=s, action="return").update(at=OLD)
    client.force_login(fed.owner)
    assert "于 2019-11-01 09:30 退回" in client.get("/manage/c/plan/").content.decode()


def test_the_run_list_the_search_and_the_results_line_show_an_old_year(client, analysed):
    AnalysisRun.objects.filter(pk=analysed.run.pk).update(started_at=OLD, finished_at=OLD)
    Suggestion.objects.filter(campaign=analysed.campaign).update(submitted_at=OLD)
    client.force_login(analysed.owner)
    overview = client.get("/manage/c/plan/analysis/").content.decode()
    assert "2019-11-01 09:30:05" in overview
    assert "结果来自第 1 次分析（2019-11-01 09:30）" in overview
    assert "2019-11-01 09:30" in client.get("/manage/c/plan/analysis/search/?q=建议").content.decode()

    AnalysisRun.objects.filter(pk=analysed.run.pk).update(started_at=_recent(), finished_at=_recent())
    overview = client.get("/manage/c/plan/analysis/").content.decode()
    assert "结果来自第 1 次分析（01-01 09:30）" in overview and ">01-01 09:30:05<" in overview
