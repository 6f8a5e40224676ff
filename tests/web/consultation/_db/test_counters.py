"""The campaign page's counts come from trigger-kept counters: after every kind of write they equal COUNT(*)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from minsheng.consultation._db.models import SuggestionCount
from minsheng.consultation.intake.models import ImportJob, Suggestion
from minsheng.consultation.intake.selectors import campaign_stats, suggestion_counts
from minsheng.consultation.migrations import _counters as counters

pytestmark = pytest.mark.django_db


def real_counts(campaign) -> list[tuple]:
    rows = (Suggestion.objects.filter(campaign=campaign).values_list("channel_id", "source", "status")
            .order_by())
    found: dict[tuple, int] = {}
    for channel_id, source, status in rows:
        key = (channel_id or 0, source, status)
        found[key] = found.get(key, 0) + 1
    return sorted((*key, n) for key, n in found.items())


def assert_counts_agree(campaign) -> list[tuple]:
    kept = sorted(suggestion_counts(campaign=campaign))
    assert kept == real_counts(campaign)
    return kept


def ingest(cast, n: int, start: int = 0, text: str = "建议增加夜班公交线路"):
    from minsheng.consultation.intake.services import suggestions_ingest

    items = [{"external_id": f"e{i}", "text": f"{text}{i}"} for i in range(start, start + n)]
    return suggestions_ingest(channel=cast.channel, items=items)


def test_the_triggers_are_installed_after_all_migrations():
    expected = set(counters.TRIGGERS) - ({"consultation_suggestion_count_truncate"}
                                         if connection.vendor == "sqlite" else set())
    assert counters.installed(connection) == expected


def test_single_intake_and_moderation_are_counted(cast):
    from minsheng.consultation.intake.services import suggestion_moderate, suggestion_submit

    suggestion_submit(campaign=cast.campaign, text="建议多建社区养老服务中心")
    held = suggestion_submit(campaign=cast.campaign, text="出售冰毒，联系我")
    other = suggestion_submit(campaign=cast.campaign, text="代开发票，价格优惠")
    assert assert_counts_agree(cast.campaign) == [(0, "web", "held", 2), (0, "web", "received", 1)]
    suggestion_moderate(actor=cast.owner, suggestion=held, approve=True)
    suggestion_moderate(actor=cast.owner, suggestion=other, approve=False)
    assert assert_counts_agree(cast.campaign) == [(0, "web", "received", 2), (0, "web", "rejected", 1)]
    stats = campaign_stats(campaign=cast.campaign)
    assert stats["total"] == 3 and stats["held"] == 0
    assert stats["by_channel"] == [{"name": "网页", "n": 3}]


def test_an_api_batch_and_its_replay_are_counted_once(cast):
    assert all(r.created for r in ingest(cast, 250))
    replay = ingest(cast, 260)  # 250 replays, 10 new
    assert sum(r.created for r in replay) == 10
    assert assert_counts_agree(cast.campaign) == [(cast.channel.pk, "api", "received", 260)]
    stats = campaign_stats(campaign=cast.campaign)
    assert stats["per_channel"] == {cast.channel.pk: 260}
    assert stats["by_channel"] == [{"name": "新华网", "n": 260}]


def test_a_file_import_is_counted(cast):
    from minsheng.consultation.intake.imports import import_create, import_run

    rows = "\n".join(f"a{i},建议第{i}条：增加公共停车位" for i in range(1500))
    job = import_create(campaign=cast.campaign, user=cast.owner,
                        upload=SimpleUploadedFile("e.csv", ("编号,详情\n" + rows + "\nx,出售冰毒\n").encode()))
    job.mapping = {"id": "编号", "text": ["详情"]}
    job.status = ImportJob.Status.RUNNING
    job.save()
    assert import_run(job=job) == 1501
    assert import_run(job=job) == 1501  # resumed: conflicts are skipped and not counted again
    assert assert_counts_agree(cast.campaign) == [(0, "import", "held", 1), (0, "import", "received", 1500)]


def test_a_reply_changes_the_status_counts(cast):
    from minsheng.consultation.workbench.services import reply_send, suggestion_adopt

    ingest(cast, 30)
    ids = list(cast.campaign.suggestions.order_by("pk").values_list("pk", flat=True))
    Suggestion.objects.filter(pk__in=ids).update(department=cast.dept_a)  # as routing leaves them
    assert_counts_agree(cast.campaign)
    reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=ids[:10], text="已研究。")
    suggestion_adopt(user=cast.officer_a, department=cast.dept_a, suggestion_ids=ids[5:12],
                     outcome="adopted", note="纳入明年计划")
    assert assert_counts_agree(cast.campaign) == [(cast.channel.pk, "api", "adopted", 7),
                                                  (cast.channel.pk, "api", "received", 18),
                                                  (cast.channel.pk, "api", "replied", 5)]


def test_bulk_updates_moves_and_deletes_are_counted(cast):
    from minsheng.consultation.intake.services import channel_create

    ingest(cast, 40)
    other, _key = channel_create(actor=cast.owner, campaign=cast.campaign, code="rmw", name="人民网")
    ids = list(cast.campaign.suggestions.order_by("pk").values_list("pk", flat=True))
    Suggestion.objects.filter(pk__in=ids[:15]).update(channel=other)
    Suggestion.objects.filter(pk__in=ids[10:20]).update(status="noted", department=cast.dept_b)
    Suggestion.objects.filter(pk__in=ids[:5]).update(channel=None, source="web")
    Suggestion.objects.filter(pk__in=ids[30:]).delete()
    Suggestion.objects.get(pk=ids[29]).delete()
    assert assert_counts_agree(cast.campaign) == [(0, "web", "received", 5),
                                                  (cast.channel.pk, "api", "noted", 5),
                                                  (cast.channel.pk, "api", "received", 9),
                                                  (other.pk, "api", "noted", 5),
                                                  (other.pk, "api", "received", 5)]
    stats = campaign_stats(campaign=cast.campaign)
    assert stats["per_channel"] == {cast.channel.pk: 14, other.pk: 10}
    assert stats["total"] == 29


def test_campaigns_are_counted_apart(cast):
    from minsheng.consultation.intake.services import campaign_create, suggestion_submit

    second = campaign_create(owner=cast.owner, slug="second", title="第二次征集", question="？", status="open")
    ingest(cast, 3)
    suggestion_submit(campaign=second, text="建议修缮老旧小区")
    assert assert_counts_agree(cast.campaign) == [(cast.channel.pk, "api", "received", 3)]
    assert assert_counts_agree(second) == [(0, "web", "received", 1)]


def test_install_recounts_existing_suggestions(cast):
    """What the migration does to a database that already holds suggestions."""
    from minsheng.consultation.intake.services import suggestion_submit

    counters.uninstall(connection)
    ingest(cast, 25)
    suggestion_submit(campaign=cast.campaign, text="出售冰毒")
    SuggestionCount.objects.all().delete()
    assert suggestion_counts(campaign=cast.campaign) == []
    counters.install(connection)
    assert assert_counts_agree(cast.campaign) == [(0, "web", "held", 1), (cast.channel.pk, "api", "received", 25)]
    ingest(cast, 5, start=25)  # and counting goes on from there
    assert assert_counts_agree(cast.campaign)[-1] == (cast.channel.pk, "api", "received", 30)


def test_the_campaign_page_shows_the_counts(client, cast):
    from minsheng.consultation.intake.services import suggestion_submit

    ingest(cast, 12)
    suggestion_submit(campaign=cast.campaign, text="出售冰毒")
    client.force_login(cast.owner)
    page = client.get("/manage/c/plan/").content.decode()
    assert '<b id="total">13</b>' in page
    assert '<span class="muted">新华网</span><b>12</b>' in page
    assert '<span class="muted">待审核</span><b>1</b>' in page


@pytest.mark.parametrize("order", [("counts", "suggestions", "campaign"), ("campaign", "suggestions", "counts"),
                                   ("suggestions", "campaign", "counts"), ("counts", "campaign", "suggestions")])
def test_no_counter_outlives_its_campaign_whatever_the_order_of_deletes(cast, order):
    """A test database's flush deletes every table in no particular order: nothing may be left pointing at a
    deleted campaign (SQLite checks the deferred foreign key at commit and the flush would fail)."""
    from minsheng.consultation.intake.services import suggestion_submit

    ingest(cast, 4)
    suggestion_submit(campaign=cast.campaign, text="出售冰毒")
    pk = cast.campaign.pk
    statements = {"counts": "DELETE FROM consultation_suggestioncount",
                  "suggestions": "DELETE FROM consultation_suggestion",
                  "campaign": f"DELETE FROM consultation_campaign WHERE id = {pk}"}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM consultation_campaign_departments WHERE campaign_id = {pk}")
        cursor.execute(f"DELETE FROM consultation_channel WHERE campaign_id = {pk}")
        for step in order:
            cursor.execute(statements[step])
    assert not SuggestionCount.objects.filter(campaign_id=pk).exists()
