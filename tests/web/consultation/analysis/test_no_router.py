"""A bureau's first campaign has no router: its first analysis sends nothing to a department (walked live by
h-journey4 on an empty site: 1,399 suggestions analysed, the 承办部门 donut an empty grey ring without a word, and the
campaign page still saying 运行“梳理分析”会按分派模型一起分派). The pages say what the run does and what to do."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_without_a_router_the_pages_say_the_analysis_sends_nothing_and_how_to_start(client, analysed):
    from minsheng.consultation.analysis.retrain import MIN_LABELLED
    from minsheng.consultation.analysis.services import router_path
    from minsheng.consultation.intake.models import Suggestion

    campaign = analysed.run.campaign
    assert not router_path(campaign).exists()
    Suggestion.objects.filter(campaign=campaign).update(department=None)
    client.force_login(analysed.owner)
    page = client.get("/manage/c/plan/").content.decode()
    assert "按分派模型一起分派" not in page and 'id="unrouted-more"' in page and "一起分派" not in page
    assert "还没有分派模型" in page and f"{MIN_LABELLED} 条" in page and "用更正重新训练分派模型" in page
    assert "； " not in page  # one sentence, not broken by the template's line
    overview = client.get("/manage/c/plan/analysis/").content.decode()
    assert 'id="no-router"' in overview and "还没有分派模型" in overview

    router_path(campaign).parent.mkdir(parents=True, exist_ok=True)
    router_path(campaign).write_bytes(b"")  # a router saved by a retraining: the run routes, the words are the old ones
    page = client.get("/manage/c/plan/").content.decode()
    assert "按分派模型一起分派" in page and "还没有分派模型" not in page and "其余的请运行“梳理分析”一起分派" in page
    assert 'id="no-router"' not in client.get("/manage/c/plan/analysis/").content.decode()
