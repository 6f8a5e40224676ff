"""催办: suggestions due within a day or overdue are announced to their department's officers once per deadline,
however often the job runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from minsheng.consultation.handling.models import HandlingLimit
from minsheng.consultation.handling.remind import handling_remind
from minsheng.consultation.handling.services import extension_decide, extension_request
from minsheng.consultation.intake.receipts import display_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_deadlines(cast, routed):
    cast.officer_a.email, cast.officer_b.email = "li@example.gov.cn", "zhang@example.gov.cn"
    cast.officer_a.save()
    cast.officer_b.save()
    HandlingLimit.objects.create(campaign=cast.campaign, department=cast.dept_a, days=3)
    HandlingLimit.objects.create(campaign=cast.campaign, department=cast.dept_b, days=1)
    soon = routed("建议增设公交站台，方便老人出行", department=cast.dept_a)
    late = routed("建议延长图书馆开放时间", department=cast.dept_b)
    return soon, late


def test_one_reminder_per_deadline_however_often_it_runs(cast, two_deadlines, routed):
    soon, late = two_deadlines
    now = soon.due_at - timedelta(hours=10)
    assert late.due_at < now  # 教育局's single day is over
    new = handling_remind(now=now)
    assert sorted((e.suggestion_id, e.get_action_display()) for e in new) == sorted(
        [(soon.pk, "即将到期提醒"), (late.pk, "超时提醒")])
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"li@example.gov.cn", "zhang@example.gov.cn"}
    assert display_receipt(soon.receipt) in by_person["li@example.gov.cn"].body and display_receipt(late.receipt) not in by_person["li@example.gov.cn"].body
    assert "公交站台" not in by_person["li@example.gov.cn"].body  # receipt codes only, never the citizen's words
    assert handling_remind(now=now) == [] and handling_remind(now=now + timedelta(minutes=5)) == []
    assert len(mail.outbox) == 2
    later = handling_remind(now=soon.due_at + timedelta(hours=1))  # the 交通运输局 deadline has now passed
    assert [(e.suggestion_id, e.get_action_display()) for e in later] == [(soon.pk, "超时提醒")]


def test_an_extended_deadline_is_announced_again_and_answered_ones_never(cast, two_deadlines):
    from minsheng.consultation.workbench.services import reply_send

    soon, late = two_deadlines
    reply_send(user=cast.officer_b, department=cast.dept_b, suggestion_ids=[late.pk], text="已延长开放时间")
    now = soon.due_at - timedelta(hours=10)
    assert [e.suggestion_id for e in handling_remind(now=now)] == [soon.pk]
    asked = extension_request(user=cast.officer_a, suggestion_id=soon.pk, department=cast.dept_a, days=2,
                              reason="等待规划部门意见")
    extension_decide(user=cast.owner, extension_id=asked.pk, approve=True)
    soon.refresh_from_db()
    assert [e.suggestion_id for e in handling_remind(now=soon.due_at - timedelta(hours=2))] == [soon.pk]


def test_the_command_counts_what_it_announced(two_deadlines, capsys):
    soon, _late = two_deadlines
    call_command("consultation_remind", "--now", (soon.due_at - timedelta(hours=10)).isoformat())
    assert "reminders: 1 due within 24 hours, 1 overdue" in capsys.readouterr().out
    call_command("consultation_remind", "--now", (soon.due_at - timedelta(hours=10)).isoformat())
    assert "reminders: 0 due within 24 hours, 0 overdue" in capsys.readouterr().out


def test_the_reminder_query_can_be_answered_from_its_partial_index(cast, two_deadlines):
    """The job runs every few minutes over every campaign: at a million rows it must not walk the table.
    Sequential scans are ruled out on PostgreSQL (two rows fit in one page, so the planner would rightly scan
    them); what matters is that the query's shape matches the index's condition."""
    from django.db import connection
    from django.utils import timezone

    from minsheng.consultation.handling.remind import open_due

    sql, params = open_due(timezone.now()).values_list("pk", "department_id", "due_at").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row) for row in cursor.fetchall())
    assert "suggestion_open_due" in plan, plan


def test_the_reminders_link_lands_on_what_is_due_in_every_campaign(cast, routed, client):
    """The link was /manage/inbox/?state=overdue: the inbox of the newest campaign, where the overdue letter of
    an older campaign is not. It leads to one list across the officer's campaigns, the most urgent first."""
    import re
    from urllib.parse import urlsplit

    from django.utils import timezone

    from minsheng.consultation.intake.models import Campaign, Suggestion
    from minsheng.consultation.intake.services import campaign_create

    cast.officer_a.email = "li@example.gov.cn"
    cast.officer_a.save()
    late = routed("建议修复破损路面")
    Suggestion.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    newer = campaign_create(owner=cast.owner, slug="plan2", title="城市更新征集", question="您的建议？",
                            departments=[cast.dept_a], status=Campaign.Status.OPEN)
    Campaign.objects.filter(pk=newer.pk).update(opens_at=timezone.now() + timedelta(days=1))
    assert [e.suggestion_id for e in handling_remind()] == [late.pk]
    url = re.search(r"收件箱：(\S+)", mail.outbox[0].body).group(1)
    client.force_login(cast.officer_a)
    for link in (urlsplit(url).path, "/manage/inbox/?state=overdue"):  # the new link, and the ones already sent
        page = client.get(link, follow=True)
        assert [s.pk for s in page.context["page"]] == [late.pk], link
        html = page.content.decode()
        assert display_receipt(late.receipt) in html and "“十四五”规划建言" in html and re.search("超时 [23] 天", html)
    client.force_login(cast.officer_b)  # 教育局 owes nothing
    assert "没有超时或即将到期的建议" in client.get(url).content.decode()
