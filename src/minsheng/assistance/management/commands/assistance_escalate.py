"""``minsheng manage assistance_escalate [--now ISO]``: raise overdue needs; run it from cron or the task worker."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime


class Command(BaseCommand):
    help = "Escalate overdue assistance needs to the station manager, then to civil affairs"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this time (ISO 8601 with offset), for drills and tests")

    def handle(self, *args, now: str | None, **options):
        from minsheng.assistance.services.escalation import needs_escalate

        when = None
        if now:
            when = parse_datetime(now)
            if when is None or when.tzinfo is None:
                raise CommandError(f"--now {now!r}: use ISO 8601 with a UTC offset, e.g. 2026-01-31T09:00+08:00")
        raised = needs_escalate(now=when)
        by_level = {1: 0, 2: 0}
        for escalation in raised:
            by_level[escalation.level] += 1
        self.stdout.write(f"escalated: {by_level[1]} to station managers, {by_level[2]} to civil affairs")
