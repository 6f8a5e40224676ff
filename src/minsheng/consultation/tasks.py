"""Every background task of the consultation app, run by the database worker (``minsheng serve``).

Each task is a thin wrapper: it loads its rows and calls the feature's service, which does the work and is
safe to run again (a task killed half-way is simply queued again by :func:`resume_stale` when the worker
starts).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def run_analysis(run_id: int) -> int:
    """An analysis run (:mod:`.analysis.services`); returns the number of suggestions analysed."""
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.services import analysis_run_execute

    run = AnalysisRun.objects.select_related("campaign", "base").get(pk=run_id)
    if not run.unfinished:  # a second task for it (see resume_stale): done or failed, it stays so
        return run.n_suggestions
    try:
        n = analysis_run_execute(run=run)
    except Exception as exc:  # recorded for the analyst; the run can be started again
        from minsheng.engine.errors import InputError

        if isinstance(exc, InputError):  # the campaign's input, not a fault: one line, no traceback, in the log too
            log.warning("analysis run %s failed on its input: %s", run_id, exc)
        else:
            log.exception("analysis run %s failed", run_id)  # the traceback goes to the log, not to the page
        AnalysisRun.objects.filter(pk=run_id).update(status=AnalysisRun.Status.FAILED, error=one_line(exc),
                                                     finished_at=timezone.now())
        return 0
    if run.base_id is None:
        _prune_run_folders(run_id)
    return n


def _prune_run_folders(run_id: int) -> None:
    """After a full run, the folders retention no longer keeps (:mod:`.analysis.retention`) go, so a site never
    grows without bound; the run stands whatever happens here (a folder that will not go is logged)."""
    from minsheng.consultation.analysis.retention import run_folders_prune

    try:
        run_folders_prune()
    except Exception:
        log.exception("pruning run folders after analysis run %s failed", run_id)


def one_line(exc: Exception) -> str:
    """What the analyst reads when a run fails, in Chinese: bad input in the import page's words (never the
    name of the run's own export file), a worker killed (out of memory) with what helps, anything else by its
    kind, its traceback left to the log."""
    from django.utils.translation import gettext as _

    from minsheng.consultation.intake.imports import in_words
    from minsheng.engine.errors import InputError
    from minsheng.engine.executor import WorkerDied

    if isinstance(exc, InputError):
        text = in_words(exc.code, exc.params, exc.message)
    elif isinstance(exc, WorkerDied):  # the engine's line names the CLI's flags, which an analyst has not
        text = _("分析进程在同一批建议上两次意外退出（多半是服务器内存不足），这次分析没有结果。"
                 "请重新开始分析；再次失败时，请管理员减少分析进程数（ANALYSIS_WORKERS）。")
    else:
        text = _("分析中途出错（{kind}），详情已记入日志；可以重新开始分析").format(kind=type(exc).__name__)
    return " ".join(text.split())[:500]


@task()
def run_import(job_id: int) -> int:
    """A file import (:mod:`.intake.imports`): stream the file in batches into the campaign; rows created."""
    from django.db import InterfaceError, OperationalError
    from django.utils.translation import gettext as _

    from minsheng.consultation.intake.imports import failure_in_words, import_delete_upload, import_run
    from minsheng.consultation.intake.models import ImportJob, Suggestion
    from minsheng.engine.errors import InputError

    job = ImportJob.objects.select_related("campaign").get(pk=job_id)
    if not job.unfinished:  # a second task for it: a failed import was run again, its reason overwritten
        return job.created_count
    try:
        created = import_run(job=job)
    except InputError as exc:
        _import_failed(job, failure_in_words(exc, file_name=job.original_name))
        created = 0
    except (OperationalError, InterfaceError):
        raise  # the database went away: the worker dies with it and resumes the job (file kept) when restarted
    except Exception as exc:  # a fault of ours: said in one line, never retried forever at each worker start
        log.exception("import %s failed", job_id)
        kept = Suggestion.objects.filter(import_job=job).count()
        _import_failed(job, _("{file}：导入中途出错（{kind}），已导入的 {count} 条保留；详情已记入日志").format(
            file=job.original_name, kind=type(exc).__name__, count=f"{kept:,}"))
        created = 0
    import_delete_upload(job)
    return created


def _import_failed(job, message: str) -> None:
    from minsheng.consultation.intake.models import ImportJob

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message=message,
                                               finished_at=timezone.now())


@task()
def router_retrain_task(campaign_id: int, user_id: int | None) -> int:
    """Retraining (:mod:`.analysis.retrain`): a hundred thousand suggestions take minutes, not a request."""
    from minsheng.accounts.models import User
    from minsheng.consultation.analysis.retrain import router_retrain
    from minsheng.consultation.intake.models import Campaign

    campaign = Campaign.objects.get(pk=campaign_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return router_retrain(campaign=campaign, user=user).pk


@task()
def notifications_send(ids: list[int]) -> int:
    """Send the given notifications that are not sent yet (:mod:`.workbench.notify`); how many went out."""
    from minsheng.consultation.workbench.notify import notifications_deliver

    return notifications_deliver(ids)


@task()
def handling_remind_task() -> int:
    """催办 (:mod:`.handling.remind`), queued on the worker's timer; how many reminders were new."""
    from minsheng.consultation.handling.remind import handling_remind

    return len(handling_remind())


@task()
def imports_expire_task() -> int:
    """Uploads previewed and never started, past ``IMPORT_PREVIEW_KEEP_DAYS`` (:func:`.intake.imports.imports_expire`),
    queued on the worker's timer; how many expired."""
    from minsheng.consultation.intake.imports import imports_expire

    return len(imports_expire())


def enqueue(job_task, job) -> None:
    """Queue ``job_task`` for a row with ``status`` and ``task_id`` (an import or an analysis run), noting the task."""
    result = job_task.enqueue(job.pk)
    type(job).objects.filter(pk=job.pk).update(task_id=str(result.id))


def resume_stale() -> dict[str, list[int]]:
    """Queue again the imports and analysis runs a crash left queued or running (called when the worker starts),
    but not one whose task still waits in the queue: it was queued a second time, and ran twice (h-fuzz2; a second
    task for a finished job does nothing: ``unfinished`` on each model)."""
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.intake.models import ImportJob

    resumed = {}
    for name, model, job_task in (("imports", ImportJob, run_import), ("analysis runs", AnalysisRun, run_analysis)):
        stale = [job for job in model.objects.filter(status__in=model.UNFINISHED).order_by("pk")
                 if not _waiting(job_task, job)]
        for job in stale:
            enqueue(job_task, job)
        resumed[name] = [job.pk for job in stale]
    return resumed


def _waiting(job_task, job) -> bool:
    """Whether ``job``'s task is still in the queue, not yet taken up (where the queue can say: the database's)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    if not job.task_id or not job_task.get_backend().supports_get_result:
        return False
    try:
        return job_task.get_result(job.task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False
