"""The demo campaign for `make run`: the 2020 five-year-plan consultation, fed from a generated corpus (with its
regions, where it has a ``region`` column).

Suggestions go through the same service as the partner API (one batch per channel), so the demo data is
a state the platform can really reach. The generated corpus carries its true department, which we use to
fill the officers' inboxes until the routing of the analysis issue takes over.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.models import User
from minsheng.consultation.handling.deadlines import due_for
from minsheng.consultation.intake.models import Campaign, Channel, Suggestion
from minsheng.consultation.intake.services import (
    campaign_create,
    campaign_open,
    channel_create,
    channel_rotate_key,
    suggestions_ingest,
)
from minsheng.demo.accounts import departments_of, seed_accounts

SLUG = "plan2020"
CHANNELS = [("people", "人民网"), ("xinhua", "新华网"), ("cctv", "央视网"), ("news-app", "新闻客户端"),
            ("xuexi", "学习强国")]


def seed_demo(*, corpus: Path | None, limit: int = 3000) -> dict:
    import pandas as pd

    from minsheng.engine.synth import generate, novel_ideas

    # A few of the ``limit`` are one-off proposals, so that the demo's 金点子 page shows what the stage finds: the
    # synthetic corpus's suggestions are all shared by many people.
    frame = _read(corpus) if corpus and corpus.exists() else generate(limit, seed=7, regions=True)
    # Regions (地区) where the corpus has them (`minsheng synth --regions`, as `make run` writes it): the overview's
    # chart and the region filters of 检索, 建议摘编, 主题 and 热点问题 show where suggestions come from.
    novel = novel_ideas(min(limit // 10, max(3, limit // 500)), seed=7, regions="region" in frame)
    frame = frame.head(limit - len(novel))
    frame = pd.concat([frame, novel], ignore_index=True)
    departments = sorted(frame["gt_department"].dropna().unique()) if "gt_department" in frame else ["交通运输局"]
    passwords, depts = seed_accounts(departments=departments, partners=[name for _c, name in CHANNELS])
    campaign = Campaign.objects.filter(slug=SLUG).first()
    keys = {}
    if campaign is None:
        campaign = campaign_create(
            owner=User.objects.get(username="owner"), slug=SLUG, title="“十四五”规划编制 网上征求意见",
            question="您对“十四五”时期经济社会发展有哪些意见和建议？",
            description="围绕就业、教育、医疗、养老、交通、生态环境等方面，欢迎提出具体建议。每条建议都会登记并转交相关部门认真研究。",
            closes_at=timezone.now() + timedelta(days=14), departments=depts, status=Campaign.Status.OPEN)
        from minsheng.accounts.models import Organisation

        for code, name in CHANNELS:
            partner = Organisation.objects.get(kind=Organisation.Kind.PARTNER, name=name)
            _channel, keys[name] = channel_create(actor=campaign.owner, campaign=campaign, code=code, name=name, partner=partner)
    else:
        # Keys are shown only once, so a new seed gives the demo channels new keys to print.
        for channel in campaign.channels.all():
            _channel, keys[channel.name] = channel_rotate_key(actor=campaign.owner, channel=channel)
        if not campaign.is_accepting():  # a demo seeded weeks ago: open it again
            campaign_open(actor=campaign.owner, campaign=campaign)
    by_name = {c.name: c for c in Channel.objects.filter(campaign=campaign)}
    dept_by_name = {d.name: d for d in depts}
    created = 0
    for name, group in frame.groupby("channel"):
        channel = by_name.get(name) or by_name["新华网"]
        rows = group.to_dict("records")
        for start in range(0, len(rows), 1000):
            chunk = rows[start:start + 1000]
            items = [{"external_id": r["id"], "title": r.get("title") or "", "text": r["body"],
                      "author_name": r.get("user") or "",
                      "region": r.get("region") or "", "submitted_at": str(r["time"]).replace(" ", "T") + "+08:00"}
                     for r in chunk]
            created += sum(res.created for res in suggestions_ingest(channel=channel, items=items))
            with transaction.atomic():
                for dept_name, ids in _by_department(chunk).items():
                    dept = dept_by_name.get(dept_name)
                    Suggestion.objects.filter(channel=channel, external_id__in=ids, department=None).update(
                        department=dept, due_at=due_for(campaign, dept.pk if dept else None),
                        **({"status": Suggestion.status_when_held()} if dept else {}))
    return {"campaign": campaign, "passwords": passwords, "keys": keys, "created": created,
            "total": campaign.suggestions.count(), "departments": departments_of(depts)}


def seed_analysis(campaign: Campaign) -> dict:
    """Train the demo router on the seeded departments and run one analysis, in this process (no worker yet).

    Skipped when a finished run already covers every suggestion, so a second `make run` stays fast.
    """
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.retrain import router_retrain
    from minsheng.consultation.analysis.selectors import current_run
    from minsheng.consultation.analysis.services import analysis_run_execute

    run = current_run(campaign)
    if run is not None and run.results.count() >= campaign.suggestions.exclude(
            status__in=[Suggestion.Status.HELD, Suggestion.Status.REJECTED]).count():
        return {"run": run, "router": None}
    owner = User.objects.get(username="owner")
    version = router_retrain(campaign=campaign, user=owner)
    run = AnalysisRun.objects.create(campaign=campaign, started_by=owner)
    analysis_run_execute(run=run)
    run.refresh_from_db()
    return {"run": run, "router": version}


def _read(path: Path):
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _by_department(rows: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in rows:
        if r.get("gt_department"):
            out.setdefault(r["gt_department"], []).append(r["id"])
    return out
