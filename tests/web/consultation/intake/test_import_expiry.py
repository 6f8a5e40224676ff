"""ASVS 8.3.8: a file uploaded for import holds every row unmasked. One previewed and never started is removed
after ``IMPORT_PREVIEW_KEEP_DAYS`` (by the worker's timer or `minsheng manage expire_imports`); the import reads
已过期 and says the file was removed; nothing else goes."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from minsheng.consultation.intake.imports import import_start
from minsheng.consultation.intake.models import ImportJob, Suggestion
from minsheng.engine.errors import InputError

from .test_imports import upload


def _aged(location: str, days: float) -> ImportJob:
    job = ImportJob.objects.get(pk=int(location.rstrip("/").rsplit("/", 1)[1]))
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))
    return job


def test_a_preview_never_started_expires_and_nothing_else_goes(client, cast, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(cast.owner)
    done_at = upload(client, name="done.csv")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(done_at, {"id": "编号", "text": ["详情"], "user": "用户"})
    done = _aged(done_at, 30)
    old_at, recent_at = upload(client, name="old.csv")["Location"], upload(client, name="recent.csv")["Location"]
    old, recent = _aged(old_at, 7.01), _aged(recent_at, 6.9)
    old_path, recent_path = old.file.path, recent.file.path
    stored = Suggestion.objects.count()
    assert stored and os.path.exists(old_path) and os.path.exists(recent_path)

    call_command("expire_imports")

    old.refresh_from_db(), recent.refresh_from_db(), done.refresh_from_db()
    assert old.status == "expired" and not old.file and not os.path.exists(old_path) and old.finished_at
    assert recent.status == "preview" and os.path.exists(recent_path)
    assert done.status == "done" and done.created_count == Suggestion.objects.count() == stored
    page = client.get(old_at).content.decode()
    assert "已过期" in page and "文件上传后 7 天内没有开始导入，已按保存期限删除。需要导入时请重新上传。" in page
    assert 'href="/manage/c/plan/imports/"' in page  # 重新上传文件
    assert "已过期" in client.get("/manage/c/plan/").content.decode()
    assert "建议增加夜班公交" in client.get(recent_at).content.decode()  # the recent preview still reads its file


def test_the_keep_is_a_setting_and_the_worker_task_applies_it(client, cast, settings, tmp_path):
    from minsheng.consultation.tasks import imports_expire_task

    settings.MEDIA_ROOT = str(tmp_path)
    settings.IMPORT_PREVIEW_KEEP_DAYS = 2
    client.force_login(cast.owner)
    job = _aged(upload(client)["Location"], 2.5)
    assert imports_expire_task.enqueue().return_value == 1
    job.refresh_from_db()
    assert job.status == "expired" and "2 天内没有开始导入" in job.message
    assert imports_expire_task.enqueue().return_value == 0  # again: nothing more


def test_starting_an_import_that_expired_meanwhile_says_it_expired(client, cast, settings, tmp_path,
                                                                   django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(cast.owner)
    location = upload(client)["Location"]
    assert "确认并开始导入" in client.get(location).content.decode()  # the page is open …
    _aged(location, 8)
    call_command("expire_imports")  # … while the worker's timer expires it
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(location, {"id": "编号", "text": ["详情"], "user": "用户"}, follow=True)
    assert not queued and ImportJob.objects.get().status == "expired" and not Suggestion.objects.exists()
    assert "已按保存期限删除" in response.content.decode()


def test_starting_an_import_twice_says_it_started_not_that_it_expired(client, cast, settings, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    """A double click (two posts that both found the preview) was told the file had expired and been removed."""
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(cast.owner)
    location = upload(client)["Location"]
    job, again = _aged(location, 0), _aged(location, 0)  # each post's own copy, both read as a preview
    mapping = {"id": "编号", "text": ["详情"], "user": "用户"}
    with django_capture_on_commit_callbacks(execute=True) as queued:
        import_start(actor=cast.owner, job=job, mapping=mapping)
        with pytest.raises(InputError) as second:
            import_start(actor=cast.owner, job=again, mapping=mapping)
    assert len(queued) == 1 and second.value.code == "import_started"
    assert "已经开始" in second.value.message and "保存期限" not in second.value.message
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.EXPIRED)
    with pytest.raises(InputError) as expired:
        import_start(actor=cast.owner, job=again, mapping=mapping)
    assert expired.value.code == "import_expired" and "保存期限" in expired.value.message
