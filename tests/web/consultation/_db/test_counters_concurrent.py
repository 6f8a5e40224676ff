"""Counters stay exact when several connections write the same campaign at once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from minsheng.consultation.intake.models import Suggestion

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_intake_replies_and_moderation_are_counted_exactly(cast):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database has no concurrent writers; runs on PostgreSQL")
    from minsheng.consultation.intake.services import (
        suggestion_moderate,
        suggestion_submit,
        suggestions_ingest,
    )
    from minsheng.consultation.workbench.services import reply_send, suggestion_adopt

    from .test_counters import assert_counts_agree

    suggestions_ingest(channel=cast.channel, items=[{"external_id": f"old{i}", "text": f"建议增设公交站点{i}"}
                                                    for i in range(120)])
    old = list(cast.campaign.suggestions.order_by("pk").values_list("pk", flat=True))
    Suggestion.objects.filter(pk__in=old).update(department=cast.dept_a)
    held = [suggestion_submit(campaign=cast.campaign, text=f"出售冰毒{i}") for i in range(20)]
    barrier, errors = threading.Barrier(5), []

    def work(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    def batches(prefix):
        for b in range(5):
            suggestions_ingest(channel=cast.channel, items=[{"external_id": f"{prefix}{b}-{i}",
                                                             "text": f"建议{prefix}第{b}批{i}"} for i in range(100)])

    def singles():
        for i in range(30):
            suggestion_submit(campaign=cast.campaign, text=f"建议延长图书馆开放时间{i}")

    def answers():
        for start in range(0, 120, 10):
            ids = old[start:start + 10]
            if start % 20:
                reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=ids, text="已研究。")
            else:
                suggestion_adopt(user=cast.officer_a, department=cast.dept_a, suggestion_ids=ids,
                                 outcome="adopted", note="纳入计划")

    def moderation():
        for i, s in enumerate(held):
            suggestion_moderate(actor=cast.owner, suggestion=s, approve=i % 2 == 0)

    threads = [threading.Thread(target=work, args=(job,))
               for job in (lambda: batches("a"), lambda: batches("b"), singles, answers, moderation)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = dict(((ch, src, st), n) for ch, src, st, n in assert_counts_agree(cast.campaign))
    assert counts[(cast.channel.pk, "api", "received")] == 1000
    assert counts[(cast.channel.pk, "api", "adopted")] == 60 and counts[(cast.channel.pk, "api", "replied")] == 60
    assert counts[(0, "web", "received")] == 40 and counts[(0, "web", "rejected")] == 10
