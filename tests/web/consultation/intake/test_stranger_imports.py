"""The files a city office hands over (``tests/stranger_files.py``), imported on the platform as an owner does it:
upload, the preview's own choice of columns, the import in the background; then an analysis run ends ``done``.
Also the smallest files (1, 2, 3 rows) and a file of place-free policy advice."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.stranger_files import TEDDY, quirks, variants

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not TEDDY.exists(), reason="shared data not beside the checkout")]
ADVICE = ["建议放宽二套房限购政策，因为现在负担太重。", "希望加大职业教育投入，提高技能人才待遇。", "农村养老保险应该提高标准。",
          "建议延长产假，并给予生育家庭个税减免。", "建议中小学课后服务延长到下午六点。"]


def _campaign(cast, slug: str):
    from minsheng.consultation.intake.models import Campaign
    from minsheng.consultation.intake.services import campaign_create

    return campaign_create(owner=cast.owner, slug=slug, title="建言", question="？", status=Campaign.Status.OPEN,
                           departments=[cast.dept_a, cast.dept_b])


def _import(client, campaign, path, capture):
    """Upload ``path``, start the import with the columns the preview chose, run it; the finished job."""
    from minsheng.consultation.intake.imports import import_preview
    from minsheng.consultation.intake.models import ImportJob

    response = client.post(f"/manage/c/{campaign.slug}/imports/",
                           {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    assert page.status_code == 200, page.content.decode()[:500]
    mapping = import_preview(job=ImportJob.objects.get(campaign=campaign, status="preview")).mapping
    with capture(execute=True):
        client.post(response["Location"], {k: v for k, v in mapping.items() if v})
    return ImportJob.objects.filter(campaign=campaign).latest("pk")


def _analyse(campaign, user, capture):
    from minsheng.consultation.analysis.models import AnalysisRun
    from minsheng.consultation.analysis.services import analysis_run_start

    with capture(execute=True):
        run = analysis_run_start(campaign=campaign, user=user)
    return AnalysisRun.objects.get(pk=run.pk)


def test_every_form_of_an_office_s_file_imports_as_the_messages_it_holds(client, cast, tmp_path,
                                                                          django_capture_on_commit_callbacks):
    """Each variant into a campaign of its own: every row stored, under its own id, with its time, text and likes;
    the rows counted are the rows read."""
    from django.utils.timezone import localtime

    from minsheng.consultation.intake.models import Suggestion
    from minsheng.engine.masking import mask_as_written

    client.force_login(cast.owner)
    found = variants("hot", tmp_path, rows=8) | quirks(tmp_path, rows=10)
    wrong = []
    for n, (kind, variant) in enumerate(found.items()):
        campaign = _campaign(cast, f"office{n}")
        job = _import(client, campaign, variant.path, django_capture_on_commit_callbacks)
        want = variant.expected
        stored = {s.external_id or str(s.source_row): s for s in Suggestion.objects.filter(import_job=job)}
        ids = want["id"].tolist()
        problems = [f"status {job.status} {job.message}"] * (job.status != "done")
        refused = [(e["row"], e["field"]) for e in job.errors]
        problems += [f"errors {job.errors[:2]}"] * (refused != list(variant.rejected))
        problems += [f"ids {sorted(stored)[:3]}"] * (sorted(stored) != sorted(ids))
        problems += [f"{job.total_rows} rows, {job.created_count} + {job.error_count} read"] * (
            job.total_rows != job.created_count + job.error_count)
        for row in want.itertuples():
            got = stored.get(row.id)
            if got is None:
                continue
            if row.time == row.time and localtime(got.submitted_at).replace(tzinfo=None) != row.time:
                problems.append(f"time {got.submitted_at} for {row.time}")
            if got.text != mask_as_written(row.text)[0]:  # kept as written, personal data masked
                problems.append(f"text {got.text[:60]!r}")
            if "likes" in want and got.likes != row.likes:
                problems.append(f"likes {got.likes} for {row.likes}")
        wrong += [f"{kind}: {'; '.join(problems)}"] if problems else []
    assert wrong == []


@pytest.mark.parametrize("kind", ["xlsx, merged group headings", "Unicode text (.txt)"])
def test_an_office_s_file_imported_is_analysed_to_done(kind, client, cast, tmp_path, settings,
                                                        django_capture_on_commit_callbacks):
    settings.ANALYSIS_REPORTS = False
    client.force_login(cast.owner)
    campaign = _campaign(cast, "office")
    job = _import(client, campaign, variants("replied", tmp_path, rows=30)[kind].path,
                  django_capture_on_commit_callbacks)
    assert (job.status, job.created_count) == ("done", 30)
    run = _analyse(campaign, cast.owner, django_capture_on_commit_callbacks)
    assert run.status == "done", run.error
    assert run.n_suggestions == 30


@pytest.mark.parametrize("rows", [ADVICE[:1], ADVICE[:2], ADVICE[:3], ADVICE * 12])
def test_the_smallest_files_and_place_free_advice_are_analysed_to_done(rows, client, cast, tmp_path, settings,
                                                                       django_capture_on_commit_callbacks):
    settings.ANALYSIS_REPORTS = False
    client.force_login(cast.owner)
    campaign = _campaign(cast, "small")
    path = tmp_path / "建议.csv"
    path.write_text("意见建议\n" + "\n".join(f"{t}（第{i}条）" for i, t in enumerate(rows)) + "\n", encoding="gb18030")
    job = _import(client, campaign, path, django_capture_on_commit_callbacks)
    assert (job.status, job.created_count) == ("done", len(rows))
    run = _analyse(campaign, cast.owner, django_capture_on_commit_callbacks)
    assert run.status == "done", run.error
    assert run.n_suggestions == len(rows)


def test_a_workbook_of_one_sheet_per_town_is_imported_whole_and_analysed(client, cast, tmp_path, settings,
                                                                         django_capture_on_commit_callbacks):
    """Every sheet under the workbook's header is imported (the first only was, then the workbook was refused):
    rows numbered in each sheet, the rows of the second stored beside the first's (keyed by row, they collided),
    each listed error naming its sheet. Fails before."""
    import xlsxwriter

    from minsheng.consultation.intake.models import Suggestion

    settings.ANALYSIS_REPORTS = False
    client.force_login(cast.owner)
    campaign = _campaign(cast, "towns")
    path = tmp_path / "各乡镇建议.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for town, rows in (("城关镇", ADVICE[:3] + [""]), ("汇总", None), ("河口乡", ADVICE[3:] + [""])):
        sheet = book.add_worksheet(town)
        if rows is None:
            sheet.write_row(0, 0, ["乡镇", "条数"])
            continue
        sheet.write_row(0, 0, ["编号", "意见建议"])
        for i, text in enumerate(rows, start=1):
            sheet.write_row(i, 0, [f"{town}-{i}", text])
    book.close()
    job = _import(client, campaign, path, django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.error_count) == ("done", 5, 2)
    assert sorted(Suggestion.objects.filter(import_job=job).values_list("external_id", flat=True)) == [
        "城关镇-1", "城关镇-2", "城关镇-3", "河口乡-1", "河口乡-2"]
    assert [(e["sheet"], e["row"], e["field"]) for e in job.errors] == [("城关镇", 4, "text"), ("河口乡", 3, "text")]
    page = client.get(f"/manage/c/towns/imports/{job.pk}/").content.decode()
    assert "工作表“河口乡”第 3 行" in page and "各乡镇建议.xlsx" not in page.split("有误的行")[-1]
    run = _analyse(campaign, cast.owner, django_capture_on_commit_callbacks)
    assert (run.status, run.n_suggestions) == ("done", 5), run.error


def test_a_workbook_s_sheets_are_named_on_the_preview_and_a_sheet_left_out_is_said(client, cast, tmp_path,
                                                                                 django_capture_on_commit_callbacks):
    """The preview showed the first sheet's first rows without its name, a repeated id named the row that first used
    it but not its sheet, and a later sheet under another header that names a text column was left out without a
    word. The preview names the sheets read with their rows and the one left out, its rows name their sheet; a
    duplicate id names the first row's sheet; the finished import says which sheet it left out. Fails before."""
    import xlsxwriter

    from minsheng.consultation.intake.models import ImportJob

    client.force_login(cast.owner)
    campaign = _campaign(cast, "sheets")
    path = tmp_path / "各乡镇建议.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for town, rows in (("城关镇", [("城关镇-1", ADVICE[0]), ("城关镇-2", ADVICE[1]), ("城关镇-3", ADVICE[2])]),
                       ("河口乡", [("河口乡-1", ADVICE[3]), ("城关镇-2", ADVICE[4])])):
        sheet = book.add_worksheet(town)
        sheet.write_row(0, 0, ["编号", "意见建议"])
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, row)
    letters = book.add_worksheet("来信")
    letters.write_row(0, 0, ["序号", "留言内容", "日期"])
    letters.write_row(1, 0, ["1", "建议增设路灯", "2020-08-16"])
    book.close()
    response = client.post("/manage/c/sheets/imports/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    page = client.get(response["Location"]).content.decode()
    assert "将读取 2 个工作表：“城关镇”3 行、“河口乡”2 行" in page
    assert "工作表“来信”的表头与“城关镇”不同，虽有建议内容列，不会导入" in page
    assert "工作表“城关镇”第 1 行" in page.split('id="preview-rows"')[1]
    job = ImportJob.objects.get(campaign=campaign, status="preview")
    job.delete()
    job = _import(client, campaign, path, django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.error_count) == ("done", 4, 1)
    assert job.errors[0]["reason"].startswith("编号“城关镇-2”已用于工作表“城关镇”第 2 行，但两行内容不同")
    assert "工作表“来信”的表头与“城关镇”不同，虽有建议内容列，未导入" in job.message
