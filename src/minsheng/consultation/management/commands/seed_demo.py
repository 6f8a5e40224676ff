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
        parser.add_argument("--no-analysis", action="store_true", help="skip the demo analysis run")

    def handle(self, *args, corpus: Path | None, limit: int, no_analysis: bool = False, **options):
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
        if not no_analysis:
            from minsheng.consultation.demo import seed_analysis

            done = seed_analysis(campaign)
            run, router = done["run"], done["router"]
            if router is not None:
                out.write(f"demo router trained on {router.n_train} suggestions: macro-F1 {router.after.get('macro_f1')}"
                          f" on {router.after.get('n_test')} held out")
            out.write(f"demo analysis run #{run.pk}: {run.get_status_display()}, {run.n_suggestions} suggestions,"
                      f" {run.themes.count()} themes, {run.form_letters.count()} form letters"
                      f" — /manage/c/{campaign.slug}/analysis/")
        from minsheng.assistance.demo import seed_assistance

        aid = seed_assistance()
        out.write(f"assistance demo /assistance/ : {aid['recipients']} recipients, {aid['needs']} needs")
        out.write(f"  elder      {aid['passwords']['elder']:<14} 救助对象本人 · /assistance/me/")
