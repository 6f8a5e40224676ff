"""``minsheng manage seed_demo [--corpus FILE] [--limit N]``: the demo campaign, channels and users."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from minsheng.accounts.demo import PEOPLE


class Command(BaseCommand):
    help = "Seed the demo: a campaign with five channels, departments, and a user of every role (passwords printed)"

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, help="CSV from `minsheng synth` (generated when missing)")
        parser.add_argument("--limit", type=int, default=3000, help="suggestions to load (default 3000)")

    def handle(self, *args, corpus: Path | None, limit: int, **options):
        from minsheng.consultation.demo import seed_demo

        result = seed_demo(corpus=corpus, limit=limit)
        campaign = result["campaign"]
        out = self.stdout
        out.write(f"demo campaign /c/{campaign.slug}/ : {result['total']} suggestions ({result['created']} new)")
        out.write("demo users (passwords are new on every seed):")
        for username, display, role, _org, _area in PEOPLE:
            out.write(f"  {username:<10} {result['passwords'][username]:<14} {role.label} · {display}")
        for name, key in result["keys"].items():
            out.write(f"  API key for {name}: {key}")
        if not result["keys"]:
            out.write("  (channel API keys were shown when first created; make new ones on the campaign page)")
        from minsheng.assistance.demo import seed_assistance

        aid = seed_assistance()
        out.write(f"assistance demo /assistance/ : {aid['recipients']} recipients, {aid['needs']} needs")
        out.write(f"  elder      {aid['passwords']['elder']:<14} 救助对象本人 · /assistance/me/")
