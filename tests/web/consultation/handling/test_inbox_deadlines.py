"""The officer's inbox reads deadlines: 超时 N 天 marks, the 超时 tab, most urgent first on request, and the
按时办结率 beside 响应率/解决率/满意率 (on the inbox and the campaign page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.workbench.selectors import handling_rates
from minsheng.consultation.workbench.services import reply_send

pytestmark = pytest.mark.django_db


def test_overdue_is_marked_filtered_sorted_and_counted(cast, routed, client):
    late, fresh, answered = routed("建议修复破损路面"), routed("建议增设路灯"), routed("建议增加公交班次")
    reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[answered.pk], text="已增加班次")
    # Two days pass beyond the first one's deadline.
    Suggestion.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2, hours=1))
    rates = handling_rates(campaign=cast.campaign)
    assert (rates["overdue"], rates["owed"], rates["on_time"]) == (1, 2, 50.0)
    client.force_login(cast.officer_a)
    page = client.get("/manage/inbox/", {"c": "plan", "state": "overdue"})
    assert [s.pk for s in page.context["page"]] == [late.pk]
    html = page.content.decode()
    assert "超时 2 天" in html or "超时 3 天" in html  # local midnight may fall in between
    assert 'id="count-overdue">1<' in html and "按时办结率" in html and "50.0%" in html
    assert "1 条已超时" in html
    by_due = client.get("/manage/inbox/", {"c": "plan", "state": "todo", "sort": "due"}).context["page"]
    assert [s.pk for s in by_due] == [late.pk, fresh.pk]
    client.force_login(cast.owner)
    assert 'id="rate-on-time">50.0%' in client.get("/manage/c/plan/").content.decode()


def test_the_sort_links_keep_the_filters_and_add_nothing_stray(cast, client):
    """The inbox opened bare linked 按办理期限排序 as ``?&sort=due``: the link is built from the query, not glued to it."""
    client.force_login(cast.officer_a)
    bare = client.get("/manage/inbox/").content.decode()
    assert 'href="?sort=due" id="sort-due"' in bare
    filtered = client.get("/manage/inbox/", {"c": "plan", "state": "todo"}).content.decode()
    assert 'href="?c=plan&amp;state=todo&amp;sort=due" id="sort-due"' in filtered
