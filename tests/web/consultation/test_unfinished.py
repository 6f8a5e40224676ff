"""Which imports and analysis runs the worker still has to carry out: one answer per model (``UNFINISHED``), read by
the tasks, the worker's restart and the pages that poll, where tasks.py and two templates each spelled the strings."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from minsheng.consultation.analysis.models import AnalysisRun
from minsheng.consultation.intake.imports import import_create
from minsheng.consultation.intake.models import ImportJob

CSV = "编号,详情\na1,建议增加夜班公交\n"


@pytest.mark.parametrize("model", [ImportJob, AnalysisRun])
def test_the_unfinished_statuses_are_the_models_own(model):
    """Fails before: the statuses lived as strings in tasks.py (a status renamed or added left them behind)."""
    assert set(model.UNFINISHED) == {model.Status.QUEUED, model.Status.RUNNING} <= set(model.Status)
    assert [model(status=status).unfinished for status in model.Status] == [
        status in ("queued", "running") for status in model.Status]


def test_the_worker_queues_again_and_the_pages_poll_exactly_the_unfinished(cast, settings):
    from minsheng.consultation.tasks import resume_stale

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not run at once
    jobs = {}
    for status in ImportJob.Status:
        job = import_create(campaign=cast.campaign, user=cast.owner,
                            upload=SimpleUploadedFile(f"{status}.csv", CSV.encode()))
        ImportJob.objects.filter(pk=job.pk).update(status=status)
        job.refresh_from_db()
        jobs[status] = job
    runs = {status: AnalysisRun.objects.create(campaign=cast.campaign, status=status) for status in AnalysisRun.Status}
    resumed = resume_stale()
    assert resumed["imports"] == [jobs[s].pk for s in ("queued", "running")]
    assert resumed["analysis runs"] == [runs[s].pk for s in ("queued", "running")]
    for status, job in jobs.items():
        page = render_to_string("consultation/manage/import_progress.html", {"job": job, "campaign": cast.campaign})
        assert ("hx-get" in page) == (status in ("queued", "running")), status
    for status, run in runs.items():
        page = render_to_string("consultation/analysis/_progress.html", {"active": run, "campaign": cast.campaign})
        assert ("hx-get" in page) == (status in ("queued", "running")), status
