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


def _run(campaign, owner, capture):
    from minsheng.consultation.analysis.services import analysis_run_start

    with capture(execute=True):
        run = analysis_run_start(campaign=campaign, user=owner)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def test_a_router_not_yet_trusted_routes_nothing_and_its_guesses_wait_in_dispatch(
        client, fed, settings, django_capture_on_commit_callbacks):
    """Walked live (h-journey4): retrained on 51 suggestions settled over two departments, a router scoring 0.42 on
    11 held out sent all 1,399 of the next run to one department with none to review — with two departments learnt
    no confidence falls below 0.5. Until its held-out score is good enough, a run routes nothing: each guess waits in
    待分派, proposed, for a person whose choice then trains the next router."""
    from minsheng.consultation.analysis.models import SuggestionResult
    from minsheng.consultation.analysis.retrain import router_retrain
    from minsheng.consultation.analysis.services import ROUTER_TRUSTED_F1, router_untrusted
    from minsheng.consultation.intake.models import Suggestion

    settings.ANALYSIS_REPORTS = False
    campaign = fed.campaign
    version = router_retrain(campaign=campaign, user=fed.owner)  # the fixture's departments are drawn at random
    assert version.after["macro_f1"] < ROUTER_TRUSTED_F1 and router_untrusted(campaign) == version
    Suggestion.objects.filter(campaign=campaign).update(department=None)

    run = _run(campaign, fed.owner, django_capture_on_commit_callbacks)
    assert not Suggestion.objects.filter(campaign=campaign).exclude(department=None).exists()
    results = SuggestionResult.objects.filter(run=run)
    assert results.exclude(department_label="").count() == results.count() > 0
    assert not results.filter(needs_review=False).exists()  # every guess marked for a person

    client.force_login(fed.owner)
    page = client.get("/manage/c/plan/").content.decode()
    assert 'id="router-untrusted"' in page and "分派模型还在学习" in page and "按分派模型一起分派" not in page
    assert "分派模型的猜测：" in page and page.count(" selected>") >= 1
    assert "其余的请运行“梳理分析”一起分派" not in page
    overview = client.get("/manage/c/plan/analysis/").content.decode()
    assert 'id="router-untrusted"' in overview and f"{version.after['macro_f1']:.2f}" in overview

    version.after = {**version.after, "macro_f1": 0.9, "n_test": 20}  # a router that has earned trust routes
    version.save()
    assert router_untrusted(campaign) is None
    run = _run(campaign, fed.owner, django_capture_on_commit_callbacks)
    assert Suggestion.objects.filter(campaign=campaign).exclude(department=None).count() > 0
    assert 'id="router-untrusted"' not in client.get("/manage/c/plan/").content.decode()

