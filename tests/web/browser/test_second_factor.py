"""An administrator's first sign-in in a real browser: the password, then the enrolment page (the QR code drawn,
the secret written out) confirmed with one code from an authenticator, then the admin; the next sign-in asks only
for the code."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from minsheng.accounts.services import user_create

from ..conftest import PASSWORD, PHONE, totp_code
from .a11y import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_with_password(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/admin/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")


def test_an_administrator_enrols_then_signs_in_with_a_code(browser, live_server):
    root = user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    base = live_server.url
    context = browser.new_context(**PHONE)  # the site's own CSP in force: the QR code is no script
    page = context.new_page()
    _sign_in_with_password(page, base)
    assert "/accounts/second-factor/" in page.url and page.locator("h1").inner_text() == "设置动态口令"
    qr = page.locator("#second-factor-qr svg").bounding_box()
    assert qr and qr["width"] >= 150 and qr["width"] <= page.viewport_size["width"]  # drawn, within the phone
    secret = page.locator("#second-factor-secret").inner_text().replace(" ", "")
    page.goto(f"{base}/admin/")  # nothing else opens before the code
    assert "/accounts/second-factor/" in page.url
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=code]", f"{TOTP(key).token():06d}")  # what the phone's authenticator shows
    with page.expect_navigation():
        page.click("#second-factor-confirm")
    assert page.url == f"{base}/admin/" and "民声 · 后台管理" in page.content()
    context.close()

    context = browser.new_context(**SIZES["desktop"])
    page = context.new_page()
    _sign_in_with_password(page, base)
    assert page.locator("h1").inner_text() == "输入动态口令" and page.locator("#second-factor-qr").count() == 0
    page.fill("input[name=code]", totp_code(root))
    with page.expect_navigation():
        page.click("#second-factor-confirm")
    assert page.url == f"{base}/admin/"
    context.close()
