"""A bad or repeated file as an owner meets it: the rows left out are listed in the file's order, and the same export
uploaded again is named before its rows are stored a second time."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

NO_IDS = "内容,时间\n建议在城区增加公共停车位解决停车难,2020-08-01 10:00\n希望延长地铁运营时间方便夜班工人,2020-08-02\n"
ROWS = "编号,内容,时间\n1,建议在城区增加公共停车位解决停车难,2020-08-01 10:00\n2,希望延长地铁运营时间方便夜班工人,2020-08-02\n"


def _upload(client, cast, name: str, data: bytes) -> str:
    response = client.post(f"/manage/c/{cast.campaign.slug}/imports/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:300]
    return response["Location"]


def _start(client, url: str, capture, **mapping) -> None:
    with capture(execute=True):
        client.post(url, mapping)


def test_the_same_file_uploaded_again_is_named_before_it_is_imported_twice(client, cast,
                                                                           django_capture_on_commit_callbacks):
    """Before, a second upload of one GB18030 export stored every suggestion again, with no word. A file without
    an 编号 column: rows with one are skipped on a second import, and the preview says so instead
    (test_import_again)."""
    from minsheng.consultation.intake.models import Suggestion

    client.force_login(cast.owner)
    data = NO_IDS.encode("gb18030")
    first = _upload(client, cast, "留言导出.csv", data)
    assert 'id="same-file"' not in client.get(first).content.decode()
    _start(client, first, django_capture_on_commit_callbacks, text="内容", time="时间")
    assert Suggestion.objects.filter(campaign=cast.campaign).count() == 2
    second = _upload(client, cast, "留言导出(1).csv", data)
    page = client.get(second).content.decode()
    warning = page.split('id="same-file">', 1)[1].split("</p>", 1)[0]
    assert "导入的“留言导出.csv”内容完全相同（已入库 2 条）" in warning and "重复一次" in warning
    other = _upload(client, cast, "另一批.csv", (NO_IDS + "建议增加公交线路覆盖新区,2020-08-03\n").encode("gb18030"))
    assert 'id="same-file"' not in client.get(other).content.decode()


def test_a_file_that_failed_or_was_never_started_is_no_earlier_import(client, cast):
    client.force_login(cast.owner)
    data = ROWS.encode()
    _upload(client, cast, "a.csv", data)  # previewed, never started: nothing stored
    page = client.get(_upload(client, cast, "a.csv", data)).content.decode()
    assert 'id="same-file"' not in page


def test_the_rows_left_out_are_listed_in_the_files_order(client, cast, django_capture_on_commit_callbacks):
    """Before, row 3 (empty) was listed above row 2 (a duplicate id): the reader finds empty texts first."""
    from minsheng.consultation.intake.models import ImportJob

    client.force_login(cast.owner)
    url = _upload(client, cast, "dups.csv", "编号,内容\n1,建议增加公交线路覆盖新区居民出行\n1,希望公园增加健身器材方便老人锻炼\n2,\n".encode())
    preview = client.get(url).content.decode().split('id="preview-skipped"', 1)[1]
    assert preview.index("编号“1”已用于第 1 行") < preview.index("内容为空")
    _start(client, url, django_capture_on_commit_callbacks, id="编号", text="内容")
    job = ImportJob.objects.get(campaign=cast.campaign)
    assert [(e["row"], e["field_label"]) for e in job.errors] == [(2, "编号"), (3, "内容")]
