"""``minsheng manage expire_imports [--now ISO]``: remove uploads previewed but never imported, past their keep.

`minsheng serve`'s worker does this on its timer (``--escalate-every``); the command is for a site whose worker
runs elsewhere (cron) and for drills. Safe to run as often as you like.
"""

from __future__ import annotations

from django.conf import settings

from minsheng.forms import ClockCommand


class Command(ClockCommand):
    help = "Remove uploaded files whose import was previewed but not started within IMPORT_PREVIEW_KEEP_DAYS"

    def handle(self, *args, now: str | None, **options):
        from minsheng.consultation.intake.imports import imports_expire

        expired = imports_expire(now=self.clock(now))
        self.stdout.write(f"expired {len(expired)} import(s) previewed but not started within "
                          f"{settings.IMPORT_PREVIEW_KEEP_DAYS} day(s); their files removed")
