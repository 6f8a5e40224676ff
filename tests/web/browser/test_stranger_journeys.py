"""What a stranger walking the demo met (h-journey2, 2026-12-07): a file the import cannot read stayed on the
campaign page as 待确认, an answered suggestion was headed 已答复（已答复）. Screenshots in out/screenshots/stranger/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..conftest import sign_in, with_password
from .a11y import SIZES, check_page, english_sentences

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_file_the_import_cannot_read_is_listed_as_failed_and_its_upload_removed(browser, live_server, cast,
                                                                                settings, tmp_path):
    """A CSV with a quote left open cannot be read at all: its page said why and offered another upload, but the
    campaign page listed the file as 待确认 (awaiting a confirmation nobody could give) for good, and the upload,
    every row unmasked, stayed on disk. It is 失败 now, with the reason on its page and the file gone."""
    from minsheng.consultation.intake.models import ImportJob

    settings.MEDIA_ROOT = str(tmp_path / "media")
    export = tmp_path / "热线导出.csv"
    export.write_text('id,text\n1,建议增加社区食堂\n2,"引号没有闭合的一行\n3,建议修缮村道路灯\n', encoding="utf-8")
    base = live_server.url
    context, page = sign_in(browser, base, "owner", SIZES["phone"], next="/manage/c/plan/imports/")
    page.set_input_files("#id_file", str(export))
    page.click("button.primary")
    page.wait_for_selector("#import-error")
    assert "热线导出.csv" in page.locator("#import-error").inner_text()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not job.file
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))

    page.goto(f"{base}/manage/c/plan/")
    listed = page.locator("section", has_text="文件导入").inner_text()
    assert "热线导出.csv 失败" in listed and "待确认" not in listed
    page.click("text=热线导出.csv")
    assert "无法按 CSV 格式读取" in page.locator("#import-message").inner_text()
    problems = check_page(page, "stranger", "1-unreadable-import", "phone")
    page.click("text=重新上传文件")
    page.wait_for_selector("#id_file")
    context.close()
    assert problems == [], "\n".join(problems)


def test_a_plain_reply_is_headed_once_not_already_answered_twice(browser, live_server, cast):
    """已答复 is itself one of the outcomes: a plain reply's page was headed 已答复（已答复）. The heading names the
    outcome only beside another one (已答复（采纳）, the handling journey's test)."""
    from minsheng.consultation.handling.services import suggestion_dispatch
    from minsheng.consultation.intake.services import suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="建议在老旧小区加装电梯，方便老年人上下楼")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    context, officer = sign_in(browser, live_server.url, "officer_a", SIZES["phone"], next=f"/manage/inbox/s/{s.pk}/")
    officer.select_option("#outcome", "replied")
    officer.fill("#text", "您的建议已收悉，已转告住建部门纳入明年加装电梯计划统筹考虑。")
    officer.click("#reply-form button.primary")
    officer.wait_for_selector("#answered-by")
    assert officer.locator("#answer h2").inner_text() == "已答复"
    problems = check_page(officer, "stranger", "2-plain-reply", "phone")
    context.close()
    assert problems == [], "\n".join(problems)


def test_typing_the_sign_out_address_offers_to_sign_out(browser, live_server, cast):
    """退出 is a posted form; a person who typed /accounts/logout/ (as on most sites) met 不能直接打开这个地址 and
    stayed signed in. The address now shows a 退出登录 button, and says so once signed out. The sign-in page opened
    while signed in says as whom, where it looked as if nobody were."""
    base = live_server.url
    context, page = sign_in(browser, base, "owner", SIZES["phone"], next="/accounts/login/")
    assert "王主任" in page.locator("#signed-in-as").inner_text()
    page.goto(f"{base}/accounts/logout/")
    assert page.locator("h1").inner_text() == "退出登录" and "王主任" in page.locator("main").inner_text()
    problems = check_page(page, "stranger", "3-sign-out", "phone")
    page.click("#logout")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/accounts/logout/")
    assert page.locator("#signed-out").inner_text() == "您已退出登录。"
    page.goto(f"{base}/manage/")
    assert "/accounts/login/" in page.url and page.locator("#signed-in-as").count() == 0
    context.close()
    assert problems == [], "\n".join(problems)


def test_the_admins_sign_in_records_are_named_in_chinese(browser, live_server, cast):
    """The admin's 登录防护 pages: each record's page was titled "Access Log for owner @ 2026-12-07 09:36:49…" or
    "Attempted Access: …" (django-axes' own English names, which no catalogue translates)."""
    from urllib.parse import urljoin

    from axes.models import AccessAttempt
    from django.utils import timezone

    with_password(cast.owner, admin=True)
    base = live_server.url
    context, page = sign_in(browser, base, "owner", SIZES["desktop"])
    # an attempt that failed, as the guard records it (a sign-in clears the attempts from its address)
    AccessAttempt.objects.create(username="nobody", ip_address="10.0.0.9", user_agent="", attempt_time=timezone.now(),
                                 get_data="", post_data="", http_accept="", path_info="/accounts/login/",
                                 failures_since_start=1)
    titles = {}
    for records in ("accessattempt", "accesslog"):
        page.goto(f"{base}/admin/axes/{records}/")
        page.goto(urljoin(page.url, page.locator("#result_list tbody tr a").first.get_attribute("href")))
        titles[records] = page.title()
        assert english_sentences(page) == [], records
    context.close()
    assert titles["accessattempt"].startswith("登录尝试：nobody，"), titles
    assert titles["accesslog"].startswith("登录记录：owner，"), titles


def test_an_imports_rows_say_how_they_are_counted(browser, live_server, cast, tmp_path):
    """Rows are counted from the one below the header: a workbook with a title above its header listed 第 1 行 for
    what Excel shows as row 4, and a stranger looked at the wrong row. The pages say how rows are counted."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["“十四五”建议汇总表"])
    book.active.append([])
    book.active.append(["序号", "建议内容", "提交时间"])
    book.active.append([1, "", "2026-11-01 09:00"])
    book.active.append([2, "建议加强职业技能培训，帮助青年人就业。", "2026-11-02 09:00"])
    workbook = tmp_path / "汇总表.xlsx"
    book.save(workbook)
    context, page = sign_in(browser, live_server.url, "owner", SIZES["phone"], next="/manage/c/plan/imports/")
    page.set_input_files("#id_file", str(workbook))
    page.click("button.primary")
    page.wait_for_selector("#start-import")
    assert page.locator("#preview-skipped td").first.inner_text() == "1"  # Excel's row 4
    assert "表头下面的第一行数起" in page.locator("#row-numbers").inner_text()
    problems = check_page(page, "stranger", "4-row-numbers", "phone")
    page.click("#start-import")
    expect(page.locator("#import-status")).to_have_text("已完成", timeout=20_000)
    assert "表头下面的第一行数起" in page.locator("#row-numbers").inner_text()
    context.close()
    assert problems == [], "\n".join(problems)


def test_a_held_then_rejected_suggestions_receipt_says_what_happens_to_it(browser, live_server, cast):
    """A lawful complaint about 代开发票 ads is held for review by the keyword screen; its receipt then said, like
    any other, 工作人员会把您的建议…梳理分析，转交给承办部门, and after the owner's 驳回 (未通过审核) went on promising
    a department's reply that will never come. It now says it waits for review, then that it goes nowhere."""
    from minsheng.consultation.intake.services import suggestion_moderate, suggestion_submit

    s = suggestion_submit(campaign=cast.campaign, text="小区门口总有人发代开发票的小广告，建议城管加强清理")
    assert s.status == "held"
    context = browser.new_context(**SIZES["phone"])
    page = context.new_page()
    page.goto(f"{live_server.url}/r/{s.receipt}/")
    assert "审核通过后" in page.locator("#next-steps").inner_text()
    suggestion_moderate(actor=cast.owner, suggestion=s, approve=False)
    page.reload()
    said = page.locator("#next-steps").inner_text()
    assert page.locator("#status").inner_text() == "未通过审核"
    assert "不会公开，也不会转交部门" in said and "梳理分析，转交给承办部门" not in said
    assert "部门答复后" not in page.locator("main").inner_text()
    problems = check_page(page, "stranger", "5-rejected-receipt", "phone")
    page.click("text=重新提交建议")
    page.wait_for_selector("#id_text")
    context.close()
    assert problems == [], "\n".join(problems)
