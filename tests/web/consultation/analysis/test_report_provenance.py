"""A platform run's report names its data in words and counts what the intake masked: the engine reads an export
named input.parquet whose texts were masked on the way in, so on its own it would say "数据来源：input.parquet" and
show zero masked numbers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


def test_the_report_names_the_campaign_and_channels_and_counts_the_intakes_masks(
        fed, settings, django_capture_on_commit_callbacks):
    from minsheng.consultation.analysis.services import analysis_run_start
    from minsheng.consultation.intake.services import suggestion_submit
    from minsheng.engine.masking import mask_as_written

    raw = [f"楼下的路灯坏了，请来修，电话1391234567{i}，邮箱li{i}@example.cn" for i in range(4)]
    raw.append("孩子上学的路口没有红绿灯，身份证430405194503120023")
    for text in raw:
        suggestion_submit(campaign=fed.campaign, text=text)
    # What the intake masked, counted from what people wrote: these five and the corpus the fixture fed.
    from minsheng.engine.synth import generate

    written = raw + [str(v) for r in generate(240, seed=3).to_dict("records") for v in (r.get("title"), r["body"]) if v]
    expected = Counter()
    for text in written:
        expected.update(mask_as_written(text)[1])
    settings.ANALYSIS_REPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        run = analysis_run_start(campaign=fed.campaign, user=fed.owner)
    run.refresh_from_db()
    assert run.status == "done", run.error
    summary = json.loads((Path(run.out_dir) / "summary.json").read_text(encoding="utf-8"))
    n_api = fed.campaign.suggestions.filter(source="api").count()
    assert summary["source"] == f"{fed.campaign.title}：网站提交 5 条、合作渠道 {n_api} 条"
    intake = summary["masked_at_intake"]
    assert {k: v for k, v in intake.items() if v} == dict(expected)
    assert expected["mobile"] >= 4 and expected["email"] >= 4 and expected["id_card"] >= 1
    assert summary["masked"]["mobile"] == 0  # nothing left for the analysis to mask

    html = (Path(run.out_dir) / "report.html").read_text(encoding="utf-8")
    page = html.split("<footer")[0]
    assert f"数据来源：{fed.campaign.title}：网站提交 5 条" in page
    assert ".parquet" not in page and "“检索”中筛选并导出" in page  # no internal file named anywhere
    data = json.loads(html.split('<script type="application/json" id="report-data">')[1].split("</script>")[0])
    series = {s["name"]: dict(zip(data["masked"]["kinds"], s["data"], strict=True)) for s in data["masked"]["series"]}
    assert series["录入时已脱敏"]["手机号码"] == intake["mobile"] and series["分析时脱敏"]["手机号码"] == 0


def test_a_runs_report_breaks_down_by_the_suggestions_regions(fed, settings, django_capture_on_commit_callbacks):
    """The pages break down by region (检索, 建议摘编…); the run's report did not: the export handed the engine no
    region. A campaign without regions gets no such section (the fixture's other tests)."""
    from minsheng.consultation.analysis.services import ANALYSED, analysis_run_start
    from minsheng.consultation.intake.models import Suggestion

    ids = list(Suggestion.objects.filter(campaign=fed.campaign).order_by("pk").values_list("pk", flat=True))
    Suggestion.objects.filter(pk__in=ids[::2]).update(region="珠晖区")
    Suggestion.objects.filter(pk__in=ids[1::4]).update(region="雁峰区")
    settings.ANALYSIS_REPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        run = analysis_run_start(campaign=fed.campaign, user=fed.owner)
    run.refresh_from_db()
    assert run.status == "done", run.error
    out = Path(run.out_dir)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["regions"] == 2
    html = (out / "report.html").read_text(encoding="utf-8")
    data = json.loads(html.split('<script type="application/json" id="report-data">')[1].split("</script>")[0])
    analysed = Suggestion.objects.filter(campaign=fed.campaign).exclude(status__in=ANALYSED)
    expected = [{"name": "珠晖区", "value": analysed.filter(region="珠晖区").count()},
                {"name": "雁峰区", "value": analysed.filter(region="雁峰区").count()}]
    assert data["regions"] == expected and '<section id="regions">' in html
