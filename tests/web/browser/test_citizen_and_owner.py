"""End to end in a real headless chromium on a phone-sized screen: a citizen submits and looks up the
receipt; an owner imports a file. Screenshots go to out/screenshots/web/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Playwright's sync API keeps an event loop in this thread; Django's ORM calls in the test are still sync.

SHOTS = Path(__file__).resolve().parents[3] / "out" / "screenshots" / "web"
DIGITS = "零一二三四五六七八九"



@pytest.fixture
def phone(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://localhost",
                                                                                  "http://127.0.0.1")) else None)
    yield page
    context.close()
    assert outside == [], f"page loaded assets from outside: {outside}"


def solve(page) -> str:
    label = page.locator("label[for=id_answer]").inner_text()
    a, b = re.search(r"(.)加(.)等于几", label).groups()
    return str(DIGITS.index(a) + DIGITS.index(b))


def owner_opens(page, url: str) -> None:
    """Sign in as the campaign's owner on the way to ``url``."""
    page.goto(url.replace("/manage/", "/accounts/login/?next=/manage/", 1))
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", "test-pass-7291")
    page.click("button.primary")
    page.wait_for_url(url)


def test_a_citizen_submits_from_a_phone_and_looks_up_the_receipt(phone, live_server, cast):
    from minsheng.consultation.intake.models import Suggestion

    page = phone
    page.goto(f"{live_server.url}/c/plan/")
    assert page.locator("h1").inner_text() == "“十四五”规划建言"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
    page.fill("#id_text", "建议在老城区增设公交线路，方便老人出行。我的电话13812345678。<b>谢谢</b>")
    page.fill("#id_region", "珠晖区")
    page.fill("#id_answer", solve(page))
    page.screenshot(path=str(SHOTS / "1-campaign-form.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/r/\w+/\?new=1$"))
    code = page.locator(".receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    quote = page.locator(".quote").inner_text()
    assert "138****5678" in quote and "13812345678" not in quote and "<b>谢谢</b>" in quote  # escaped, shown as text
    page.screenshot(path=str(SHOTS / "2-receipt.png"), full_page=True)
    stored = Suggestion.objects.get()
    assert stored.receipt == code.replace("-", "") and stored.region == "珠晖区"

    page.goto(f"{live_server.url}/r/")
    page.fill("#id_code", code.lower())
    page.click("button.primary")
    page.wait_for_url(re.compile(rf"/r/{stored.receipt}/$"))
    assert page.locator("#status").inner_text() == "已收到"
    page.screenshot(path=str(SHOTS / "3-lookup.png"), full_page=True)


def test_a_wrong_answer_brings_the_form_back_at_the_question(phone, live_server, cast):
    """A wrong sum came back as a 400 (a failed request in the console) with its message below the fold of a
    phone: the form comes back as a page, the text kept, the answer box focused and its message in sight."""
    from minsheng.consultation.intake.models import Suggestion

    page = phone
    failed = []
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/c/plan/")
    page.fill("#id_text", "建议在社区里多设几处长椅，方便老人歇脚")
    page.fill("#id_answer", str(int(solve(page)) + 1))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#id_text") == "建议在社区里多设几处长椅，方便老人歇脚"
    assert page.evaluate("document.activeElement.id") == "id_answer"
    expect(page.locator("#id_answer + .errorlist")).to_be_in_viewport()
    assert "验证题答得不对" in page.locator("#id_answer + .errorlist").inner_text()
    page.screenshot(path=str(SHOTS / "1b-wrong-answer.png"), full_page=False)
    assert failed == [] and not Suggestion.objects.exists()
    page.fill("#id_answer", solve(page))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/r/\w+/\?new=1$"))


def test_an_owner_imports_a_file(phone, live_server, cast, tmp_path):
    from minsheng.consultation.intake.models import Suggestion

    csv = tmp_path / "export.csv"
    csv.write_text("编号,内容,时间\nk1,建议改善农村饮水,2020-08-20 09:00\nk2,,2020-08-20 10:00\n"
                   "k3,建议增加乡村医生,2020-08-21 11:00\n", encoding="utf-8")
    page = phone
    owner_opens(page, f"{live_server.url}/manage/c/plan/")
    page.screenshot(path=str(SHOTS / "4-owner-campaign.png"), full_page=True)
    page.click("text=导入文件")
    expect(page.locator(".file-pick")).to_have_text("选择文件")  # the site's words, not the browser's Choose File
    page.set_input_files("#id_file", str(csv))
    expect(page.locator(".file-names")).to_have_text(csv.name)
    page.click("button.primary")
    page.wait_for_selector("#start-import")
    page.screenshot(path=str(SHOTS / "5-import-preview.png"), full_page=True)
    page.click("#start-import")
    expect(page.locator("#import-status")).to_have_text("已完成", timeout=20_000)
    assert page.locator("#import-created").inner_text() == "2"
    assert page.locator("#import-errors").inner_text() == "1"
    page.screenshot(path=str(SHOTS / "6-import-done.png"), full_page=True)
    assert set(Suggestion.objects.values_list("external_id", flat=True)) == {"k1", "k3"}


def test_a_partner_tries_the_api_from_the_docs_page(phone, live_server, cast):
    from minsheng.consultation.intake.models import Suggestion

    page = phone
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.fill("#api-key", cast.key)
    post = page.locator(".endpoint").first
    assert post.locator(".method").inner_text() == "POST"
    slug = post.locator(".params input").first  # what to type is said under the box, whole, on a phone too
    assert "/c/代码/" in page.locator(f"#{slug.get_attribute('aria-describedby')}").inner_text()
    post.locator("input").first.fill("plan")
    post.locator(".try").click()
    post.locator(".response").wait_for()
    expect(post.locator(".response")).to_have_text(re.compile(r"^201 单条：新建\n"))  # not "201 Created"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    post.locator(".response").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "7-api-docs-try.png"), full_page=False)
    assert Suggestion.objects.get().external_id == "weibo-000123"


def test_the_counter_counts_a_text_the_browser_put_back(phone, live_server, cast):
    """Back from a page that said the suggestion was not saved (the database was away), the browser puts the text
    back into the box, but the counter under it said 已写 0 字 (it counted only typing)."""
    page = phone
    page.goto(f"{live_server.url}/c/plan/")
    page.fill("#id_text", "建议在老城区增设公交线路")
    page.goto(f"{live_server.url}/r/")
    page.go_back()
    page.wait_for_load_state("load")
    assert page.locator("#id_text").input_value() == "建议在老城区增设公交线路"
    expect(page.locator("#text-count")).to_have_text(re.compile(r"^已写 12 字，还可以写 4,988 字"))  # not 4988


def test_a_text_too_long_is_said_once_under_the_box(phone, live_server, cast, settings):
    """A 6,000-character suggestion came back with two red lines for one error: the counter's and the server's.
    One line now, in Chinese, and the box's count is the server's: a line break is one character to both."""
    from minsheng.consultation.intake.models import Suggestion

    limit = settings.SUGGESTION_MAX_CHARS
    page = phone
    page.goto(f"{live_server.url}/c/plan/")
    page.fill("#id_text", "建议" * (limit // 2 + 500))
    page.fill("#id_answer", solve(page))
    page.click("button.primary")
    page.wait_for_load_state()
    said = [t for t in page.locator(".errorlist li:visible, #text-count.error").all_inner_texts() if t.strip()]
    assert len(said) == 1 and "超出 1,000 字" in said[0], said  # counts grouped as every page writes them
    assert not re.search(r"[A-Za-z]{3}", said[0])

    lines = "\n".join(["建议增加公交班次"] * (limit // 9))  # counted as the box counts it, line breaks and all
    page.fill("#id_text", lines)
    assert page.locator("#text-count.error").count() == 0
    page.fill("#id_answer", solve(page))
    page.click("button.primary")
    page.wait_for_url("**/r/**")
    assert Suggestion.objects.get().text == lines


def _owner_uploads(page, live_server, tmp_path, content: str, encoding: str):
    """The owner signs in and sends ``content`` as a CSV file to the import page: the preview is next."""
    csv = tmp_path / "export.csv"
    csv.write_text(content, encoding=encoding)
    owner_opens(page, f"{live_server.url}/manage/c/plan/imports/")
    page.set_input_files("#id_file", str(csv))
    page.click("button.primary")
    return page


def test_an_owner_adds_a_second_text_column_with_a_tap(phone, live_server, cast, tmp_path):
    """The text columns of an import are boxes to tick: a list to pick several from needed Ctrl-click (on a
    desktop) that no stranger guesses, so a second column was never added. Ticked columns join in the file's order,
    and the preview shows the rows as the ticks will read them."""
    from minsheng.consultation.intake.models import Suggestion

    page = _owner_uploads(phone, live_server, tmp_path, "编号,内容,补充说明\nk1,建议改善农村饮水,水管老化经常停水\n", "utf-8")
    page.wait_for_selector("#start-import")
    assert page.is_checked("#text-columns input[value=内容]") and not page.is_checked("#text-columns input[value=补充说明]")
    shown = page.locator("#preview-rows .trunc").first  # the preview's first row as it will be read
    assert "水管老化经常停水" not in shown.inner_text()
    page.locator("#text-columns label", has_text="补充说明").tap()
    expect(shown).to_contain_text("水管老化经常停水")  # the preview follows the ticks (it stayed as first drawn)
    page.screenshot(path=str(SHOTS / "5b-import-two-text-columns.png"), full_page=True)
    page.click("#start-import")
    expect(page.locator("#import-status")).to_have_text("已完成", timeout=20_000)
    text = Suggestion.objects.get(external_id="k1").text
    assert "建议改善农村饮水" in text and "水管老化经常停水" in text and text.index("建议") < text.index("水管")


def test_ticking_the_text_column_clears_the_missing_column_hint(phone, live_server, cast, tmp_path):
    """A file whose text column is not recognised says so above the boxes; once the owner ticks one, the hint
    goes and the preview shows the rows (both stayed as first drawn)."""
    page = _owner_uploads(phone, live_server, tmp_path, "编号,诉求描述\ng1,建议增加公交线路方便群众出行\n", "gb18030")
    expect(page.locator("#no-text-column")).to_be_visible()
    page.locator("#text-columns label", has_text="诉求描述").tap()
    expect(page.locator("#preview-rows .trunc").first).to_have_text("建议增加公交线路方便群众出行")
    expect(page.locator("#no-text-column")).to_have_count(0)


def test_an_owner_previews_and_imports_with_javascript_off(browser, live_server, cast, tmp_path):
    """Progressive enhancement: with JavaScript off (a locked-down office browser) a tick cannot ask for the
    preview, so 更新预览 posts the ticked columns and the same preview comes back; the import then starts and its
    progress is followed by a link, not by htmx's polling."""
    from minsheng.consultation.intake.models import Suggestion

    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = _owner_uploads(context.new_page(), live_server, tmp_path,
                          "编号,内容,补充说明\nk1,建议改善农村饮水,水管老化经常停水\n", "utf-8")
    page.wait_for_selector("#start-import")
    page.locator("#text-columns label", has_text="补充说明").tap()
    page.click("#update-preview")
    expect(page.locator("#preview-rows .trunc").first).to_contain_text("水管老化经常停水")
    assert page.is_checked("#text-columns input[value=补充说明]") and not Suggestion.objects.exists()
    page.screenshot(path=str(SHOTS / "5c-import-preview-no-js.png"), full_page=True)
    page.click("#start-import")
    for _ in range(40):
        if page.inner_text("#import-status") == "已完成":
            break
        page.wait_for_timeout(500)
        page.click("text=刷新查看进度")
    expect(page.locator("#import-status")).to_have_text("已完成")
    text = Suggestion.objects.get(external_id="k1").text
    assert "建议改善农村饮水" in text and "水管老化经常停水" in text
    context.close()


def test_the_preview_of_a_real_export_fits_a_phone(phone, live_server, cast, tmp_path):
    """A message board's export (ids, user codes such as A000102948, times with seconds) made the preview's table
    wider than a phone, the page scrolling sideways; each row is a card now, its text on top."""
    from .a11y import check_page

    rows = "".join(f"18800{i},A00010294{i},A3区一米阳光婚纱艺术摄影是否合法纳税了？,2019/2/28 11:25:0{i},"
                   f"座落在A市A3区联丰路米兰春天G2栋320的一家影楼，请税务局和工商局查一下。\n" for i in range(8))
    page = _owner_uploads(phone, live_server, tmp_path, "id,user,title,time,body,likes\n" + rows, "utf-8")
    page.wait_for_selector("#start-import")
    problems = check_page(page, "web", "import-preview-export", "phone")
    assert problems == [], "\n".join(problems)
    text = page.locator("#preview-rows tbody th").first.bounding_box()
    assert text["width"] > 0.8 * page.locator("#preview-rows").bounding_box()["width"]  # the text across the card


def test_a_newer_export_says_which_rows_were_imported_before(phone, live_server, cast, tmp_path):
    """November's export holds October's rows: the preview says how many will be skipped, the finished import how
    many were, and lists the one whose text changed since. Before, every row was stored again without a word."""
    from minsheng.consultation.intake.models import Suggestion

    october = "编号,内容,时间\nh-1001,建议在城区增加公共停车位,2026-10-03\nh-1002,希望延长地铁运营时间,2026-10-15\n"
    november = october.replace("希望延长地铁运营时间", "希望延长地铁运营时间到凌晨一点") + "h-1101,建议增加公交线路,2026-11-02\n"
    page = phone
    for month, content in (("10", october), ("11", november)):
        _owner_uploads(page, live_server, tmp_path, content, "utf-8")
        page.wait_for_selector("#start-import")
        if month == "11":
            expect(page.locator("#preview-already")).to_contain_text("2 条此前已导入，将跳过")
            page.screenshot(path=str(SHOTS / "7-import-preview-already.png"), full_page=True)
        page.click("#start-import")
        expect(page.locator("#import-status")).to_have_text("已完成", timeout=20_000)
        if month == "10":
            page.context.clear_cookies()  # _owner_uploads signs in
    expect(page.locator("#import-already")).to_contain_text("1 条此前已导入，已跳过")
    assert page.locator("#import-created").inner_text() == "1" and page.locator("#import-errors").inner_text() == "1"
    expect(page.locator("#progress table").last).to_contain_text("编号“h-1002”此前已导入")
    page.screenshot(path=str(SHOTS / "8-import-done-already.png"), full_page=True)
    assert Suggestion.objects.count() == 3
    page.goto(f"{live_server.url}/manage/c/plan/")  # the campaign's list of imports says it too
    expect(page.locator(".import-already")).to_have_text("1 条此前已导入，已跳过")
    page.screenshot(path=str(SHOTS / "9-campaign-imports-already.png"), full_page=True)
