"""Background work: the escalation job as a task the database worker can run (e.g. enqueued hourly by cron)."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_overdue() -> int:
    from minsheng.assistance.services.escalation import needs_escalate

    return len(needs_escalate())
