"""An analysis run over the database: results, themes, form letters; restartable; incremental."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _run(campaign, user, **kw):
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.services import analysis_run_start

    run = analysis_run_start(campaign=campaign, user=user, **kw)
    return AnalysisRun.objects.get(pk=run.pk)


def test_it_loads_every_suggestion_once_with_themes_and_groups(fed, django_capture_on_commit_callbacks):
    from minsheng.consultation.analysis.models import AnalysisRun, SuggestionResult

    with django_capture_on_commit_callbacks(execute=True):
        run = _run(fed.campaign, fed.owner)
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE, run.error
    assert run.progress == 100
    n = fed.campaign.suggestions.count()
    assert SuggestionResult.objects.filter(run=run).count() == n == run.n_suggestions
    assert run.themes.filter(level="broad").exists() and run.themes.filter(level="fine").exists()
    fine = run.themes.filter(level="fine").first()
    assert fine.parent.level == "broad" and fine.keywords
    ours = SuggestionResult.objects.get(run=run, suggestion__external_id="letter-0")
    letter = ours.form_letter
    assert letter is not None and "停车位" in letter.template
    assert letter.messages == 12 and letter.people == 12
    assert SuggestionResult.objects.filter(run=run, form_letter=letter).count() == 12
    assert (run_dir := __import__("pathlib").Path(run.out_dir)).joinpath("records.parquet").exists()
    assert (run_dir / "report.html").exists()
    from django.test import Client

    owner = Client()
    owner.force_login(fed.owner)
    report = owner.get(f"/manage/c/{fed.campaign.slug}/analysis/runs/{run.pk}/report.html")
    assert report.status_code == 200 and report["Content-Security-Policy"].startswith("sandbox allow-scripts")


def test_a_run_executed_again_after_a_crash_leaves_no_duplicates(fed, django_capture_on_commit_callbacks):
    from minsheng.consultation.analysis.models import AnalysisRun, SuggestionResult, Theme
    from minsheng.consultation.analysis.services import analysis_run_execute

    with django_capture_on_commit_callbacks(execute=True):
        run = _run(fed.campaign, fed.owner)
    run.refresh_from_db()
    themes = Theme.objects.filter(run=run).count()
    # As if the worker died after loading and the run were picked up again.
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING, progress=80)
    run.refresh_from_db()
    analysis_run_execute(run=run)
    assert SuggestionResult.objects.filter(run=run).count() == fed.campaign.suggestions.count()
    assert Theme.objects.filter(run=run).count() == themes
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE and run.attempts == 2


def test_new_suggestions_join_existing_themes_and_groups(fed, django_capture_on_commit_callbacks):
    from minsheng.consultation.analysis.models import SuggestionResult
    from minsheng.consultation.intake.services import suggestion_submit

    with django_capture_on_commit_callbacks(execute=True):
        full = _run(fed.campaign, fed.owner)
    full.refresh_from_db()
    letter = SuggestionResult.objects.get(run=full, suggestion__external_id="letter-0").form_letter
    copy = suggestion_submit(campaign=fed.campaign, text="强烈建议在城区增加公共停车位，解决停车难问题，方便群众出行，这是大家共同的心声。谢谢")
    with django_capture_on_commit_callbacks(execute=True):
        inc = _run(fed.campaign, fed.owner, incremental=True)
    inc.refresh_from_db()
    assert inc.base_id == full.pk and inc.status == "done", inc.error
    assert inc.n_suggestions == 1
    result = SuggestionResult.objects.get(run=full, suggestion=copy)
    assert result.dup_group == letter.dup_group and not result.is_representative
    assert result.theme is not None and result.theme.run_id == full.pk


def test_a_second_start_while_one_is_queued_is_refused(fed):
    from minsheng.consultation.analysis.services import RunBusy, analysis_run_start

    analysis_run_start(campaign=fed.campaign, user=fed.owner)  # on_commit never runs: stays queued
    with pytest.raises(RunBusy):
        analysis_run_start(campaign=fed.campaign, user=fed.owner)


def test_a_run_left_running_by_a_crash_is_queued_again_when_the_worker_starts(fed):
    from minsheng.consultation.analysis.models import AnalysisRun, SuggestionResult
    from minsheng.consultation.analysis.services import analysis_run_start
    from minsheng.consultation.tasks import resume_stale

    run = analysis_run_start(campaign=fed.campaign, user=fed.owner)  # on_commit never ran: the worker "died"
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING, progress=40)
    assert resume_stale()["analysis runs"] == [run.pk]  # the immediate backend runs it now
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE
    assert SuggestionResult.objects.filter(run=run).count() == fed.campaign.suggestions.count()


def test_the_reports_are_found_where_the_var_folder_was_restored(fed, settings, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    """A backup restored on another server, or under another MINSHENG_VAR_DIR, keeps its reports downloadable."""
    import shutil
    from pathlib import Path

    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        run = _run(fed.campaign, fed.owner)
    run.refresh_from_db()
    written = Path(run.out_dir)
    restored = tmp_path / "restored"
    shutil.copytree(Path(settings.VAR_DIR) / "analysis", restored / "analysis")
    shutil.rmtree(written)
    settings.VAR_DIR = restored
    owner = Client()
    owner.force_login(fed.owner)
    link = f"/manage/c/{fed.campaign.slug}/analysis/runs/{run.pk}/report.html"
    assert link in owner.get(f"/manage/c/{fed.campaign.slug}/analysis/").content.decode()
    assert owner.get(link).status_code == 200
