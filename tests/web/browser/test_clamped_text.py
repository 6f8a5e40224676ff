"""Long texts in the tables of the campaign page and of an import's preview, on a phone: cut to three whole
lines, with no part of a fourth showing below them (the cell's padding used to show its top). Screenshots in
out/screenshots/clamped/ for a person to look at."""

from __future__ import annotations

import pytest

from ..conftest import sign_in
from .a11y import SCREENSHOTS, SIZES, partly_shown_lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG = "建议在小区东门外的主干道上增设一处人行横道和红绿灯，早晚高峰车辆很多，老人和孩子过马路非常危险，" * 3


def test_long_texts_show_three_whole_lines_on_a_phone(browser, live_server, cast, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minsheng.consultation.intake.imports import import_create
    from minsheng.consultation.intake.services import suggestion_submit

    settings.MEDIA_ROOT = str(tmp_path)
    for i in range(3):
        suggestion_submit(campaign=cast.campaign, text=f"{i + 1}. {LONG}")
    rows = "".join(f"m{i},{LONG}\n" for i in range(3))
    job = import_create(campaign=cast.campaign, user=cast.owner,
                        upload=SimpleUploadedFile("八月建议.csv", f"编号,内容\n{rows}".encode()))
    context, page = sign_in(browser, live_server.url, cast.owner.username, SIZES["phone"])
    folder = SCREENSHOTS / "clamped"
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{live_server.url}/manage/c/{cast.campaign.slug}"
    try:
        for name, url in [("campaign", f"{base}/"), ("import-preview", f"{base}/imports/{job.pk}/")]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            cells = page.locator("main td.trunc, main td .trunc, main th .trunc")
            assert cells.count() >= 3, name
            box = cells.first.bounding_box()
            page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
            cells.first.locator("xpath=ancestor::tr[1]").screenshot(path=str(folder / f"{name}-row-phone.png"))
            assert partly_shown_lines(page) == [], name
            line = float(page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)",
                                       cells.first.element_handle()))
            assert abs(box["height"] - 3 * line) <= 1, (name, box, line)
    finally:
        context.close()
