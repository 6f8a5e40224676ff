"""A newer export of the same system, imported into the same campaign: a district office exports its hotline every
month and each export holds the months before it. A row whose 编号 an earlier import stored is not stored again:
counted and said (N 条此前已导入，已跳过); one whose text changed is listed among the rows left out, the stored
suggestion neither overwritten nor doubled. The database decides, so it holds for two imports at once."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from minsheng.consultation.intake.imports import import_create, import_run, import_start
from minsheng.consultation.intake.models import ImportJob, Suggestion

HEAD = "编号,内容,时间\n"
OCTOBER = [("h-1001", "建议在城区增加公共停车位解决停车难", "2026-10-03"),
           ("h-1002", "希望延长地铁运营时间方便夜班工人", "2026-10-15")]
NOVEMBER = [("h-1001", "建议在城区增加公共停车位解决停车难", "2026-10-03"),  # the same row again
            ("h-1002", "希望延长地铁运营时间到凌晨一点", "2026-10-15"),  # its text changed since
            ("h-1101", "建议增加公交线路覆盖新区居民出行", "2026-11-02")]


def _csv(rows, head=HEAD) -> bytes:
    return (head + "".join(",".join(r) + "\n" for r in rows)).encode()


def _job(cast, name: str, data: bytes, **mapping) -> ImportJob:
    job = import_create(campaign=cast.campaign, user=cast.owner, upload=SimpleUploadedFile(name, data))
    return import_start(actor=cast.owner, job=job, mapping=mapping or {"id": "编号", "text": ["内容"], "time": "时间"})


def _run(job: ImportJob) -> ImportJob:
    import_run(job=job)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_newer_export_stores_only_its_new_rows_and_lists_a_changed_one(client, cast,
                                                                        django_capture_on_commit_callbacks):
    """Before, November's export stored h-1001 and h-1002 a second time: 5 suggestions for 3 messages, each
    counted as two people's voice by the analysis."""
    october = _run(_job(cast, "10月.csv", _csv(OCTOBER)))
    assert october.created_count == 2
    november = _run(_job(cast, "11月.csv", _csv(NOVEMBER)))
    assert (november.created_count, november.already_imported_count, november.error_count) == (1, 1, 1)
    stored = Suggestion.objects.filter(campaign=cast.campaign)
    assert sorted(stored.values_list("external_id", flat=True)) == ["h-1001", "h-1002", "h-1101"]
    assert stored.get(external_id="h-1002").text == "希望延长地铁运营时间方便夜班工人"  # not overwritten
    [changed] = november.errors
    assert (changed["row"], changed["field"], changed["id"]) == (2, "id", "h-1002")
    assert "此前已导入" in changed["reason"] and "内容与之不同" in changed["reason"]
    client.force_login(cast.owner)
    page = client.get(f"/manage/c/{cast.campaign.slug}/imports/{november.pk}/").content.decode()
    assert "1 条此前已导入，已跳过" in page and "内容与之不同" in page
    # the same export a third time stores nothing, and says so
    again = _run(_job(cast, "11月(1).csv", _csv(NOVEMBER)))
    assert (again.created_count, again.already_imported_count, again.error_count) == (0, 2, 1)
    assert stored.count() == 3


@pytest.mark.django_db
def test_the_same_number_from_two_channels_is_two_messages(cast):
    """Two systems may number alike (the hotline's 7, the website's 7): the 编号 is keyed after the row's 渠道
    where the file has one."""
    head, mapping = "编号,渠道,内容\n", {"id": "编号", "channel": "渠道", "text": ["内容"]}
    hotline = _csv([("7", "12345热线", "建议在城区增加公共停车位解决停车难")], head)
    website = _csv([("7", "网站留言", "希望延长地铁运营时间方便夜班工人")], head)
    assert [_run(_job(cast, name, data, **mapping)).created_count
            for name, data in (("热线.csv", hotline), ("网站.csv", website))] == [1, 1]
    again = _run(_job(cast, "网站(1).csv", website, **mapping))
    assert (again.created_count, again.already_imported_count, again.error_count) == (0, 1, 0)


@pytest.mark.django_db
def test_rows_without_a_number_of_their_own_are_never_taken_for_earlier_ones(cast):
    """A file without an 编号 column: the reader numbers its rows by the stored copy's name (import.csv:1), which
    the next upload's copy takes again once the first is removed. Such a number says nothing of the row."""
    first = _run(_job(cast, "a.csv", "内容\n建议在城区增加公共停车位解决停车难\n".encode(), text=["内容"]))
    second = _run(_job(cast, "b.csv", "内容\n希望延长地铁运营时间方便夜班工人\n".encode(), text=["内容"]))
    assert (first.created_count, second.created_count, second.already_imported_count) == (1, 1, 0)


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_of_one_number(cast):
    """Not a check in Python alone: the unique key holds whatever writes the row."""
    job = _run(_job(cast, "10月.csv", _csv(OCTOBER)))
    first = Suggestion.objects.get(external_id="h-1001")
    copy = Suggestion(campaign=cast.campaign, source="import", external_id="h-1001", source_key=first.source_key,
                      receipt="ZZZZZZZZZZ", text="另一条")
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert job.created_count == 2


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_store_each_number_once(cast, settings):
    """November's import starts while October's holds its rows uncommitted: a check in Python would see none of
    them and store each again; the unique key makes the second wait, then skip them."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer at a time: runs on PostgreSQL")
    # queued, not run at once: this test runs them
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    october, november = _job(cast, "10月.csv", _csv(OCTOBER)), _job(cast, "11月.csv", _csv(NOVEMBER))
    done, errors = threading.Event(), []

    def later():
        try:
            _run(november)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()
            done.set()

    with transaction.atomic():
        _run(october)  # its rows written, not yet committed
        thread = threading.Thread(target=later)
        thread.start()
        assert not done.wait(2)  # November waits on October's rows
    thread.join(30)
    assert errors == []
    november.refresh_from_db()
    assert (november.created_count, november.already_imported_count, november.error_count) == (1, 1, 1)
    assert Suggestion.objects.filter(campaign=cast.campaign).count() == 3


@pytest.mark.django_db
def test_the_preview_says_how_many_rows_were_imported_before(client, cast):
    """The owner learns before starting it that the export holds rows already in: of the whole file, not of the
    few rows the preview shows. The warning that the same file would store every row twice gives way to it."""
    _run(_job(cast, "10月.csv", _csv(OCTOBER)))
    client.force_login(cast.owner)
    for name, data, said in (("11月.csv", _csv(NOVEMBER), "2 条此前已导入，将跳过"),
                             ("10月(1).csv", _csv(OCTOBER), "2 条此前已导入，将跳过")):
        response = client.post(f"/manage/c/{cast.campaign.slug}/imports/", {"file": SimpleUploadedFile(name, data)})
        page = client.get(response["Location"]).content.decode()
        assert said in page.split('id="preview-already">', 1)[1].split("</p>", 1)[0]
        assert 'id="same-file"' not in page
    fresh = client.post(f"/manage/c/{cast.campaign.slug}/imports/",
                        {"file": SimpleUploadedFile("12月.csv", _csv([("h-1201", "建议增设社区食堂", "2026-12-01")]))})
    assert 'id="preview-already"' not in client.get(fresh["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keys_the_rows_imported_before_it(cast):
    """A database whose campaign was imported into before the key existed, a re-import's copies among the rows:
    back to 0030, forward again. The first row of each 编号 is keyed, so the next export is checked against it; its
    copies, the reader's own numbers (import.csv:2) and a partner's items are not, and the unique key is made."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("consultation", "0030_importjob_sheet_rows")])
    try:
        old = executor.loader.project_state([("consultation", "0030_importjob_sheet_rows")]).apps
        Old = old.get_model("consultation", "Suggestion")
        rows = [("import", None, "h-1001"), ("import", None, "h-1001"), ("import", None, "import.csv:2"),
                ("import", None, "import_x7Qa2Lp.xlsx:3"), ("api", cast.channel.pk, "h-1002"), ("import", None, "h-1002")]
        Job = old.get_model("consultation", "ImportJob")
        # a row counter is no 编号: an import numbered 1..n, and one whose column was 序号 (whatever its numbers)
        counted = Job.objects.create(campaign_id=cast.campaign.pk, created_by_id=cast.owner.pk, original_name="a.csv",
                                     mapping={"id": "编号", "text": ["内容"]})
        named = Job.objects.create(campaign_id=cast.campaign.pk, created_by_id=cast.owner.pk, original_name="b.csv",
                                   mapping={"id": "序号", "text": ["内容"]})
        jobs = [None] * len(rows) + [counted.pk, counted.pk, named.pk]
        rows += [("import", None, "1"), ("import", None, "2"), ("import", None, "7")]
        made = [Old.objects.create(campaign_id=cast.campaign.pk, source=source, channel_id=channel, external_id=number,
                                   receipt=f"MIGRATE{i:03d}", text=f"建议{i}", import_job_id=job).pk
                for i, ((source, channel, number), job) in enumerate(zip(rows, jobs, strict=True))]
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("consultation", "0032_unique_source_key")])
        keys = dict(Suggestion.objects.filter(pk__in=made).values_list("pk", "source_key"))
        assert [keys[pk] for pk in made] == ["h-1001", None, None, None, None, "h-1002", None, None, None]
    finally:  # every later migration again: the tests after this one share the database
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


TOWN_A = [("1", "城关镇建议在老街增设公共厕所"), ("2", "城关镇希望修缮中心小学操场")]
TOWN_B = [("1", "河西镇建议硬化通村道路"), ("2", "河西镇希望增加卫生院夜间门诊")]


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["序号", "编号"])
def test_a_row_counter_is_no_number_of_a_suggestion(cast, column):
    """Each township's export numbers its rows from 1 (序号, or an 编号 that merely counts 1, 2, 3…): keyed by it,
    the second file's rows all read as the first's, changed, and none was stored."""
    head, mapping = f"{column},内容\n", {"id": column, "text": ["内容"]}
    first = _run(_job(cast, "城关镇.csv", _csv(TOWN_A, head), **mapping))
    second = _run(_job(cast, "河西镇.csv", _csv(TOWN_B, head), **mapping))
    assert (first.created_count, second.created_count, second.error_count) == (2, 2, 0)
    assert Suggestion.objects.filter(campaign=cast.campaign).count() == 4


@pytest.mark.django_db
def test_numbers_that_name_other_suggestions_are_stored_as_new_and_said(client, cast):
    """Numbers not from 1 (another system's, a numbering begun again at 101): where most rows whose 编号 an
    earlier import stored have another text, the 编号 does not name the same suggestions. The preview says so
    beforehand, and the rows go in as new, said, rather than left out."""
    _run(_job(cast, "城关镇.csv", _csv([("101", TOWN_A[0][1]), ("102", TOWN_A[1][1])], "编号,内容\n"),
              id="编号", text=["内容"]))
    other = _csv([("101", TOWN_B[0][1]), ("102", TOWN_B[1][1]), ("103", "河西镇建议增设农贸市场")], "编号,内容\n")
    client.force_login(cast.owner)
    response = client.post(f"/manage/c/{cast.campaign.slug}/imports/", {"file": SimpleUploadedFile("河西镇.csv", other)})
    page = client.get(response["Location"]).content.decode()
    assert "2 行的编号与本活动此前导入的建议相同，内容却不同" in page.split('id="preview-renumbered">', 1)[1]
    assert 'id="preview-already"' not in page
    job = _run(_job(cast, "河西镇(1).csv", other, id="编号", text=["内容"]))
    assert (job.created_count, job.already_imported_count, job.error_count) == (3, 0, 0)
    assert "已作为新建议入库" in job.message
    assert Suggestion.objects.filter(campaign=cast.campaign).count() == 5


@pytest.mark.django_db
def test_the_preview_reads_the_whole_file_once_for_the_columns_that_key_it(client, cast, monkeypatch):
    """The count of rows imported before is a pass over the whole file (25 CPU-s at 1M rows): made at each change of
    a column, it was paid again for a column that changes nothing of it (时间). Kept on the job, it is made again
    only where the 编号, 渠道 or text columns change."""
    from minsheng.engine import ingest

    _run(_job(cast, "10月.csv", _csv(OCTOBER)))
    real, reads = ingest.iter_batches, []

    def counted(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "iter_batches", counted)
    client.force_login(cast.owner)
    location = client.post(f"/manage/c/{cast.campaign.slug}/imports/",
                           {"file": SimpleUploadedFile("11月.csv", _csv(NOVEMBER))})["Location"]
    said = []
    for chosen in ({"time": "时间"}, {"time": ""}, {"time": "", "id": ""}, {"time": ""}, {"time": "", "id": "时间"},
                   {"time": ""}):
        reads.clear()
        page = client.get(location, {"chosen": "1", "id": "编号", "text": ["内容"], **chosen}).content.decode()
        said.append((len(reads), "2 条此前已导入" in page))
    # the first rows read each time; the whole file the first time and each time another column is the 编号
    assert said == [(2, True), (1, True), (1, False), (1, True), (2, False), (2, True)]
