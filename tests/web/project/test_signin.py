"""Password guessing is locked out per account and per address, on the sign-in page and /admin/ alike;
staff sessions are short; a production-like environment passes `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from ..conftest import PASSWORD

WRONG = {"password": "not-the-password"}


def _sign_in(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_right_password_after_many_wrong_ones_is_refused(cast, settings, url):
    cast.owner.is_staff = True
    cast.owner.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, url, "owner", WRONG["password"]).status_code == 200
    assert _sign_in(client, url, "owner", WRONG["password"]).status_code == 429
    response = _sign_in(client, url, "owner", PASSWORD, address="198.51.100.9")  # another address: same account
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _sign_in(Client(), "/accounts/login/", "officer_a", PASSWORD).status_code == 429  # same address


@pytest.mark.django_db
def test_the_lock_out_page_is_the_sites_error_page(cast, settings):
    """It rendered the error template by itself: without 长辈模式, a way back, or the Retry-After it says."""
    client = Client()
    client.cookies["elder"] = "1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "owner", "password": WRONG["password"]},
                               REMOTE_ADDR="203.0.113.8", HTTP_REFERER="http://testserver/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert 'class="elder"' in html and 'href="http://testserver/accounts/login/" id="back"' in html


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock_and_success_resets(cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "/accounts/login/", "owner", WRONG["password"])
    assert _sign_in(client, "/accounts/login/", "owner", PASSWORD).status_code == 302
    _sign_in(Client(), "/accounts/login/", "owner", WRONG["password"])
    assert _sign_in(Client(), "/accounts/login/", "owner", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_staff_sessions_are_short_and_citizens_keep_the_default(cast, settings):
    staff, citizen = Client(), Client()
    assert _sign_in(staff, "/accounts/login/", "officer_a", PASSWORD).status_code == 302
    assert _sign_in(citizen, "/accounts/login/", "citizen", PASSWORD, address="192.0.2.1").status_code == 302
    assert staff.session.get_expiry_age() == settings.STAFF_SESSION_MINUTES * 60
    assert citizen.session.get_expiry_age() == settings.SESSION_COOKIE_AGE > settings.STAFF_SESSION_MINUTES * 60


def test_a_production_like_environment_passes_check_deploy(tmp_path):
    # The test harness's own settings; a production host has no such thing.
    harness = ("DEBUG", "TASKS_BACKEND")
    env = {k: v for k, v in os.environ.items() if k not in harness}
    env.update(MINSHENG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="minsheng.web.settings", DEBUG="0",
               SECRET_KEY="prod-like-" + "k3y" * 20, ALLOWED_HOSTS="minsheng.example.gov.cn",
               ASSISTANCE_ID_KEY="prod-like-assistance-key-0123456789abcdefghijklmnop", SECURE_COOKIES="1",
               SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
               SECURE_HSTS_PRELOAD="1", SECURE_PROXY_SSL_HEADER="1")
    done = subprocess.run([sys.executable, "-m", "minsheng.cli", "manage", "check", "--deploy", "--fail-level",
                           "WARNING"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.django_db
def test_the_sign_in_page_is_for_everyone_with_an_account_and_says_citizens_need_none(client):
    """Recipients (often elderly) and signed-in citizens sign in here too: a page headed 工作人员登录 tells
    them it is not for them; a citizen who only wants to write or look up a receipt needs no account."""
    html = client.get("/accounts/login/").content.decode()
    assert "工作人员登录" not in html and "<h1>登录</h1>" in html
    assert "提交建议、查回执不需要登录" in html and 'href="/r/"' in html
