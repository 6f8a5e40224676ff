"""Retention of run folders: the current run and its increments stay, old runs' folders go after each full run,
a run in progress and its base stay, leftovers go after a day, dry runs delete nothing, and the pages of a pruned
run say so in Chinese instead of failing."""

from __future__ import annotations

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def _done(campaign, user, capture, **kw):
    """A run through the service and the task, as the worker would do it (the immediate task backend)."""
    from minsheng.consultation.analysis.services import analysis_run_start

    with capture(execute=True):
        run = analysis_run_start(campaign=campaign, user=user, **kw)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def test_old_runs_go_after_a_full_run_and_the_current_run_and_its_increments_stay(
    fed, settings, django_capture_on_commit_callbacks
):
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.services import run_dir
    from minsheng.consultation.intake.services import suggestion_submit

    settings.ANALYSIS_KEEP_RUNS, settings.ANALYSIS_REPORTS = 1, False
    first = _done(fed.campaign, fed.owner, django_capture_on_commit_callbacks)
    suggestion_submit(campaign=fed.campaign, text="建议在老旧小区加装电梯，方便老年人上下楼出行。")
    first_increment = _done(fed.campaign, fed.owner, django_capture_on_commit_callbacks, incremental=True)
    assert run_dir(first).is_dir() and run_dir(first_increment).is_dir()
    second = _done(fed.campaign, fed.owner, django_capture_on_commit_callbacks)
    # The second full run's task removed the first's folders: one full run is kept, the current one.
    assert not run_dir(first).exists() and not run_dir(first_increment).exists()
    assert run_dir(second).joinpath("records.parquet").exists()
    suggestion_submit(campaign=fed.campaign, text="建议增加社区公园的健身器材，并定期维护。")
    increment = _done(fed.campaign, fed.owner, django_capture_on_commit_callbacks, incremental=True)
    assert increment.base_id == second.pk  # joined the kept theme model of the current run
    assert run_dir(second).is_dir() and run_dir(increment).is_dir()
    # The rows stay as history, the pruned ones marked.
    runs = {r.pk: r.files_pruned_at for r in AnalysisRun.objects.filter(campaign=fed.campaign)}
    assert set(runs) == {first.pk, first_increment.pk, second.pk, increment.pk}
    assert runs[first.pk] and runs[first_increment.pk] and not runs[second.pk] and not runs[increment.pk]

    owner = Client()
    owner.force_login(fed.owner)
    report = owner.get(f"/manage/c/{fed.campaign.slug}/analysis/runs/{first.pk}/report.html")
    html = report.content.decode()
    assert report.status_code == 410 and "结果文件已清理" in html and "页面不存在" not in html  # Gone, not Not Found
    assert f'href="/manage/c/{fed.campaign.slug}/analysis/" id="onward"' in html
    overview = owner.get(f"/manage/c/{fed.campaign.slug}/analysis/")
    assert overview.status_code == 200
    assert overview.content.decode().count('class="meta files-pruned">结果文件已清理') == 2


def _age(path, days: float) -> None:
    stamp = time.time() - days * 86400
    for top, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            os.utime(os.path.join(top, name), (stamp, stamp))
        os.utime(top, (stamp, stamp))


def test_a_run_in_progress_stays_leftovers_go_after_a_day_and_a_dry_run_deletes_nothing(
    analysed, settings, django_capture_on_commit_callbacks
):
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.services import analysis_run_start, run_dir

    settings.ANALYSIS_KEEP_RUNS = 0
    with django_capture_on_commit_callbacks(execute=False):  # queued, the worker not there yet
        running = analysis_run_start(campaign=analysed.campaign, user=analysed.owner)
    run_dir(running).mkdir(parents=True)  # what the worker does first when it takes the run
    AnalysisRun.objects.filter(pk=running.pk).update(status=AnalysisRun.Status.RUNNING)
    run_dir(running).joinpath("input.parquet").write_bytes(b"x" * 1000)
    leftover = settings.VAR_DIR / "analysis" / "deleted-campaign" / "run-999999"
    leftover.mkdir(parents=True)
    leftover.joinpath("input.parquet").write_bytes(b"y" * 4096)
    not_ours = settings.VAR_DIR / "analysis" / "notes"
    not_ours.mkdir()

    out = StringIO()
    call_command("prune_runs", stdout=out)
    assert "removed 0 folder(s)" in out.getvalue()
    assert leftover.is_dir(), "a leftover younger than a day may be a run being created"
    assert run_dir(analysed.run).is_dir() and run_dir(running).is_dir()

    _age(leftover, days=2)
    out = StringIO()
    call_command("prune_runs", "--dry-run", stdout=out)
    assert "would remove deleted-campaign/run-999999  no run (leftover)" in out.getvalue()
    assert "4,096 bytes" in out.getvalue() and leftover.is_dir()
    out = StringIO()
    call_command("prune_runs", stdout=out)
    assert "removed deleted-campaign/run-999999" in out.getvalue() and "4,096 bytes" in out.getvalue()
    assert not leftover.parent.exists()  # the deleted campaign's folder went with its last run
    assert not_ours.is_dir() and run_dir(analysed.run).is_dir() and run_dir(running).is_dir()
    assert not AnalysisRun.objects.exclude(files_pruned_at=None).exists()


def test_a_folder_that_will_not_go_is_logged_and_the_run_still_succeeds(
    analysed, settings, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import shutil

    from minsheng.consultation.analysis import retention
    from minsheng.consultation.analysis.services import run_dir

    settings.ANALYSIS_KEEP_RUNS = 0

    stuck, rmtree = run_dir(analysed.run), shutil.rmtree

    def refuse(path, *args, **kwargs):  # tests run as root, whom file modes do not stop
        if path == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        return rmtree(path, *args, **kwargs)

    monkeypatch.setattr(retention.shutil, "rmtree", refuse)
    second = _done(analysed.campaign, analysed.owner, django_capture_on_commit_callbacks)
    assert second.status == "done" and stuck.is_dir()
    analysed.run.refresh_from_db()
    assert analysed.run.files_pruned_at is None
    assert f"could not remove run folder {stuck}" in caplog.text
    monkeypatch.setattr(retention.shutil, "rmtree", rmtree)
    out = StringIO()
    call_command("prune_runs", stdout=out)
    assert f"removed {analysed.campaign.slug}/run-{analysed.run.pk}  run {analysed.run.pk}" in out.getvalue()
    assert not run_dir(analysed.run).exists()


def test_a_first_attempt_empties_a_folder_of_its_number_left_by_a_database_restored_from_before_it(
    fed, settings, django_capture_on_commit_callbacks
):
    from minsheng.consultation.analysis.services import analysis_run_start, run_dir

    settings.ANALYSIS_REPORTS = False
    with django_capture_on_commit_callbacks() as queued:
        run = analysis_run_start(campaign=fed.campaign, user=fed.owner)
    # A folder of the run's number, from a run the restored database no longer knows.
    run_dir(run).mkdir(parents=True)
    (run_dir(run) / "report.html").write_text("another run's report", encoding="utf-8")
    for enqueue in queued:
        enqueue()
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert not (run_dir(run) / "report.html").exists()  # this run writes no reports: the file was the other run's
    assert (run_dir(run) / "records.parquet").exists()
