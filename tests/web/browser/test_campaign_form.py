"""新建征集 as an owner meets it on a phone: the 网址标识 (the slug, the public page's address) says what it is
and what it may hold before anything is typed, and a Chinese slug is refused in Chinese, never with "slug"."""

from __future__ import annotations

import pytest

from ..conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_slug_field_says_what_to_type(browser, live_server, cast):
    from minsheng.consultation.models import Campaign

    _, page = sign_in(browser, live_server.url, "owner", PHONE, next="/manage/new/")
    hint = page.locator("#" + page.get_attribute("#id_slug", "aria-describedby"))
    assert hint.is_visible() and "/c/" in hint.inner_text() and "英文字母" in hint.inner_text()

    page.fill("#id_slug", "十四五规划")
    page.fill("#id_title", "新的征集")
    page.fill("#id_question", "您有什么建议？")
    page.evaluate("document.querySelector('#id_slug').form.noValidate = true")  # the server's own answer
    page.click("button.primary")
    page.wait_for_load_state()
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("网址标识只能用英文字母" in e for e in errors), errors
    assert "slug" not in page.inner_text("main").lower()
    assert not Campaign.objects.filter(title="新的征集").exists()
    page.context.close()
