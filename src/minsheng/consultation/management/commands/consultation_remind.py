"""``minsheng manage consultation_remind [--now ISO]``: remind officers of suggestions due within a day or overdue.

Safe to run as often as you like (cron, or the worker's timer in ``minsheng serve``): a deadline is announced once.
"""

from __future__ import annotations

from minsheng.forms import ClockCommand


class Command(ClockCommand):
    help = "Remind department officers of suggestions due within 24 hours or overdue (once per deadline)"

    def handle(self, *args, now: str | None, **options):
        from minsheng.consultation.handling.models import HandlingEvent
        from minsheng.consultation.handling.remind import handling_remind

        new = handling_remind(now=self.clock(now))
        late = sum(e.action == HandlingEvent.Action.REMIND_OVERDUE for e in new)
        self.stdout.write(f"reminders: {len(new) - late} due within 24 hours, {late} overdue")
