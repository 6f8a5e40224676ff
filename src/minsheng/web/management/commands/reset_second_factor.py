"""``minsheng manage reset_second_factor USERNAME``: remove a person's second-factor device (a lost phone).

They enrol again (a new QR code and secret) at their next sign-in; the old codes no longer work.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Remove a user's TOTP device: they enrol a new one at their next sign-in"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        from minsheng.web.second_factor import devices_reset

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        removed = devices_reset(user=user)
        self.stdout.write(f"{username}: {removed} second-factor device(s) removed; they enrol again at the next sign-in")
