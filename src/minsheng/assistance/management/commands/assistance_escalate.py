"""``minsheng manage assistance_escalate [--now ISO]``: raise overdue needs; run it from cron or the task worker."""

from __future__ import annotations

from minsheng.forms import ClockCommand


class Command(ClockCommand):
    help = "Escalate overdue assistance needs to the station manager, then to civil affairs"

    def handle(self, *args, now: str | None, **options):
        from minsheng.assistance.services.escalation import needs_escalate

        raised = needs_escalate(now=self.clock(now))
        by_level = {1: 0, 2: 0}
        for escalation in raised:
            by_level[escalation.level] += 1
        self.stdout.write(f"escalated: {by_level[1]} to station managers, {by_level[2]} to civil affairs")
