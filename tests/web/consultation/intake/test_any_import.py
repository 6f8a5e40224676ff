"""Whatever file an owner uploads, the import ends ``done`` (each row stored or listed by row and field with a
reason) or ``failed`` with one Chinese line naming the file; never a fault of ours, and a second run of the task
(a worker restarted) stores nothing twice and loses nothing already stored. What was imported is then analysed:
the run ends ``done`` with a result per suggestion, or ``failed`` with one line. Tables as in the engine's
properties (``tests/any_tables.py``): CSV in several encodings, Unicode text, JSON Lines cut short, a JSON array,
a workbook with merged headings."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from tests.any_tables import suffix, tables, write
from tests.fuzzing import examples

from minsheng.engine.errors import InputError

pytestmark = pytest.mark.django_db
_campaigns = itertools.count()


def _has_chinese(line: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in line)


def _campaign(cast):
    from minsheng.consultation.intake.models import Campaign
    from minsheng.consultation.intake.services import campaign_create

    return campaign_create(owner=cast.owner, slug=f"file{next(_campaigns)}", title="建言", question="？",
                           status=Campaign.Status.OPEN, departments=[cast.dept_a, cast.dept_b])


def check_import(cast, frame, encoding: str, capture) -> None:
    from minsheng.consultation.analysis.models import AnalysisRun, SuggestionResult
    from minsheng.consultation.analysis.services import analysis_run_start
    from minsheng.consultation.intake.imports import (
        MAX_LISTED_ERRORS,
        import_create,
        import_preview,
        import_run,
    )
    from minsheng.consultation.intake.models import ImportJob, Suggestion
    from minsheng.consultation.tasks import run_import

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export{suffix(encoding)}"
        write(frame, encoding, path)
        upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = import_create(campaign=_campaign(cast), user=cast.owner, upload=upload)
    try:
        preview = import_preview(job=job)
    except InputError as exc:  # the page shows it and offers another upload
        assert "\n" not in str(exc) and _has_chinese(str(exc)) and path.name in str(exc), str(exc)
        return
    mapping = dict(preview.mapping, text=preview.mapping["text"] or preview.headers[:1])
    ImportJob.objects.filter(pk=job.pk).update(mapping=mapping, status=ImportJob.Status.QUEUED)
    run_import.call(job.pk)
    job.refresh_from_db()
    if job.status == ImportJob.Status.FAILED:
        assert "\n" not in job.message and _has_chinese(job.message) and path.name in job.message, job.message
        assert "导入中途出错" not in job.message, job.message  # a fault of ours, not of the file
        return
    assert job.status == ImportJob.Status.DONE, (job.status, job.message)
    stored = Suggestion.objects.filter(import_job=job).count()
    assert job.created_count == stored and len(job.errors) == min(job.error_count, MAX_LISTED_ERRORS)
    assert job.error_count <= job.total_rows
    assert all(isinstance(e["row"], int) and e["field"] and e["reason"] for e in job.errors), job.errors
    rows = set(Suggestion.objects.filter(import_job=job).values_list("source_row", flat=True))
    assert not rows & {e["row"] for e in job.errors}  # a row is stored or listed, never both
    job.file = upload  # the task removed the upload; a worker restarted mid-way runs it again
    job.file.save(f"again{suffix(encoding)}", upload, save=True)
    import_run(job=job)
    assert Suggestion.objects.filter(import_job=job).count() == stored
    with capture(execute=True):
        run = analysis_run_start(campaign=job.campaign, user=cast.owner)
    run = AnalysisRun.objects.get(pk=run.pk)
    assert run.status in ("done", "failed"), run.status
    if run.status == "failed":
        assert run.error and "\n" not in run.error and _has_chinese(run.error), run.error
        assert "中途出错" not in run.error, run.error  # a fault of ours (one_line names the exception)
    else:
        assert SuggestionResult.objects.filter(run=run).count() == run.n_suggestions


@examples(2)
@given(table=tables())
def test_any_file_imports_and_analyses_or_fails_in_one_chinese_line(cast, settings,
                                                                    django_capture_on_commit_callbacks, table):
    settings.ANALYSIS_REPORTS = False
    check_import(cast, *table, django_capture_on_commit_callbacks)
