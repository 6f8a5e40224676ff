"""``minsheng manage seed_demo [--corpus FILE] [--limit N] [--logins-out FILE]``: the demo campaign, channels
and users. The logins, API keys and where each person clicks first make one block: printed at the end, or
written to ``--logins-out`` (only you can read it) for ``minsheng serve --welcome`` to print once the site answers.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from minsheng.demo.accounts import PEOPLE

# Where each demo person starts (they land there after signing in) and what to try first.
FIRST_CLICK = {
    "owner": "征集活动 → 梳理分析（主题、重复与组织化、热点、检索） /manage/c/{slug}/analysis/",
    "officer_a": "部门收件箱：回复、采纳、按主题成组答复 /manage/inbox/",
    "officer_b": "部门收件箱（另一个部门，看不到 officer_a 部门的建议） /manage/inbox/",
    "partner": "我的渠道；推送接口见 /api/v1/docs/",
    "admin": "工作台与后台管理 /admin/",
    "cadre": "救助对象 → 登记需求 → 服务前沟通（潇湘村）",
    "workteam": "待办：潇湘村的需求与回访",
    "station": "待派单 → 派单（按技能、区域、在办量、约定时间排序）",
    "social": "派给我的服务 → 接单 → 签到（手机定位） → 签退",
    "volunteer": "派给我的服务（只看得到派给自己的）",
    "civil": "看板、久未联系、审计",
    "elder": "我的救助：提出需求、看进度、评价 /assistance/me/",
}


#: Where the site's address goes in a logins file: ``minsheng serve --welcome`` prints the address it serves at.
SITE = "{site}"


def logins_block(*, site: str, slug: str, passwords: dict[str, str], keys: dict[str, str],
                 departments: dict[str, str] | None = None, second_factors: dict[str, str] | None = None) -> str:
    """The one block a person running the demo needs: the address, each role's login (an officer's with their
    department, ``departments``; an administrator's with the secret of their second factor, ``second_factors``),
    where to click first."""
    departments, second_factors = departments or {}, second_factors or {}
    people = [(u, f"{d}（{departments[u]}）" if u in departments else d, r.label) for u, d, r, _o, _a in PEOPLE]
    people.append(("elder", "李秀英（救助对象本人）", "救助对象"))
    rule = "=" * 78
    lines = [rule, f"Minsheng (民声) demo: {site}/   sign in at {site}/accounts/login/   (Ctrl-C stops it)",
             f"Citizens need no login: {site}/c/{slug}/ (submit, keep the receipt code, look it up at {site}/r/)",
             "Each person below lands on their own home after signing in. Passwords are new on every seed.", ""]
    for username, display, role in people:
        lines.append(f"  {username:<10} {passwords[username]:<14} {role} · {display}")
        if username in second_factors:
            lines.append(f"  {'':<10} {'':<14} 动态口令 (TOTP) secret {second_factors[username]}: add it to an "
                         f"authenticator app, or `oathtool --totp -b {second_factors[username]}`")
        lines.append(f"  {'':<10} {'':<14} → {FIRST_CLICK[username].format(slug=slug)}")
    if keys:
        lines += ["", "Channel API keys (shown only now; POST /api/v1/campaigns/" + slug + "/suggestions):"]
        lines += [f"  {name}: {key}" for name, key in keys.items()]
    lines.append(rule)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Seed the demo: a campaign with five channels, departments, and a user of every role (passwords printed)"

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, help="CSV from `minsheng synth` (generated when missing)")
        parser.add_argument("--limit", type=int, default=3000, help="suggestions to load (default 3000)")
        parser.add_argument("--no-analysis", action="store_true", help="skip the demo analysis run")
        parser.add_argument("--logins-out", type=Path,
                            help="write the logins block here (mode 600) instead of printing it")

    def handle(self, *args, corpus: Path | None, limit: int, no_analysis: bool = False,
               logins_out: Path | None = None, **options):
        from minsheng.demo.assistance import seed_assistance
        from minsheng.demo.consultation import seed_demo

        result = seed_demo(corpus=corpus, limit=limit)
        campaign = result["campaign"]
        out = self.stdout
        out.write(f"demo campaign /c/{campaign.slug}/ : {result['total']} suggestions ({result['created']} new)")
        if not no_analysis:
            from minsheng.demo.consultation import seed_analysis

            done = seed_analysis(campaign)
            run, router = done["run"], done["router"]
            if router is not None:
                out.write(f"demo router trained on {router.n_train} suggestions: macro-F1 {router.after.get('macro_f1')}"
                          f" on {router.after.get('n_test')} held out")
            out.write(f"demo analysis run #{run.pk}: {run.get_status_display()}, {run.n_suggestions} suggestions,"
                      f" {run.themes.count()} themes, {run.form_letters.count()} form letters")
        aid = seed_assistance()
        from minsheng.demo.accounts import second_factors_enrol

        second_factors = second_factors_enrol()
        out.write(f"assistance demo: {aid['recipients']} recipients, {aid['needs']} needs")
        # written for `serve --welcome`, the address is the one served then (the seed said :8000 for any port)
        block = logins_block(site=settings.MINSHENG_SITE_URL if logins_out is None else SITE, slug=campaign.slug,
                             passwords=result["passwords"] | {"elder": aid["passwords"]["elder"]}, keys=result["keys"],
                             departments=result["departments"], second_factors=second_factors)
        if logins_out is None:
            out.write(block)
            return
        logins_out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(logins_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(block + "\n")
        out.write(f"demo logins written to {logins_out} (printed again when the site is up)")
