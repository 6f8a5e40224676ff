"""ASVS 2.7 / 4.3.1 (等保 2.0 level 3): an administrator gives a TOTP code after the password, enrolling the
first time; every page, the admin included, waits for it; wrong codes are locked out as wrong passwords are."""

from __future__ import annotations

import base64
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp

from minsheng.accounts.services import user_create
from minsheng.web.second_factor import device_for

from ..conftest import PASSWORD, enrolled, totp_code

pytestmark = pytest.mark.django_db
FACTOR = "/accounts/second-factor/"


def _admin(username="root"):
    return user_create(username=username, password=PASSWORD, is_staff=True, is_superuser=True)


def _sign_in(client, username, password=PASSWORD, next="/admin/", address="203.0.113.20"):
    return client.post(f"/accounts/login/?next={next}", {"username": username, "password": password, "next": next},
                       REMOTE_ADDR=address)


def _code_from(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_an_administrator_enrols_at_the_first_sign_in_and_nothing_opens_before(settings):
    root = _admin()
    client = Client()
    response = _sign_in(client, "root")
    assert response.status_code == 302 and client.get(response["Location"])["Location"].startswith(FACTOR)
    for path in ("/admin/", "/manage/", "/accounts/start/", "/admin/accounts/user/"):
        assert client.get(path)["Location"].startswith(FACTOR), path
    page = client.get(f"{FACTOR}?next=/admin/").content.decode()
    assert "设置动态口令" in page and "<svg" in page and "<?xml" not in page
    secret = re.search(r'<code id="second-factor-secret">([A-Z2-7 ]+)</code>', page).group(1)
    # django-otp's wait after a wrong code (1 s by default) made long enough that the next post always falls in it
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    response = client.post(FACTOR, {"code": "000000", "next": "/admin/"}, REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 400 and "动态口令不正确或已经用过" in response.content.decode()
    response = client.post(FACTOR, {"code": _code_from(secret), "next": "/admin/"}, REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 429 and re.search("尝试过于频繁，请 (59|60) 秒后再输入", response.content.decode())
    assert "<svg" in response.content.decode()
    device_for(root).throttle_reset()  # the wait over, without sleeping through it
    response = client.post(FACTOR, {"code": _code_from(secret), "next": "/admin/"}, REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_enrolled_administrator_gives_a_code_each_sign_in_and_a_code_is_taken_once():
    root = _admin()
    enrolled(root)
    first = Client()
    _sign_in(first, "root")
    page = first.get(FACTOR).content.decode()
    assert "输入动态口令" in page and "<svg" not in page and "second-factor-secret" not in page  # no secret again
    code = totp_code(root)
    assert first.post(FACTOR, {"code": code}).status_code == 302
    second = Client()
    _sign_in(second, "root")
    assert second.post(FACTOR, {"code": code}).status_code == 400  # the same code again: refused
    assert second.get("/admin/")["Location"].startswith(FACTOR)


def test_people_without_an_administrators_rights_sign_in_with_the_password_alone(cast, settings):
    for who in ("owner", "officer_a", "citizen"):
        client = Client()
        assert _sign_in(client, who, next="/accounts/start/").status_code == 302
        assert not client.get("/accounts/start/")["Location"].startswith(FACTOR), who
    settings.SECOND_FACTOR_ROLES = ["department_officer"]  # a site may ask it of a role too
    client = Client()
    _sign_in(client, "officer_a", next="/accounts/start/")
    assert client.get("/accounts/start/")["Location"].startswith(FACTOR)


def test_a_misspelt_role_stops_the_site_from_starting(settings):
    from django.core.exceptions import ImproperlyConfigured

    from minsheng.web.second_factor import check_roles

    settings.SECOND_FACTOR_ROLES = ["civil_affairs_admin", "civil_admin"]
    with pytest.raises(ImproperlyConfigured, match="names no role: civil_admin"):
        check_roles()


def test_wrong_codes_are_locked_out_and_a_new_password_sign_in_does_not_reset_the_count(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own growing wait aside: axes's count is tested here
    root = _admin()
    enrolled(root)
    client = Client()
    _sign_in(client, "root")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(FACTOR, {"code": "123456"}, REMOTE_ADDR="203.0.113.20").status_code == 400
    client = Client()
    assert _sign_in(client, "root", address="198.51.100.30").status_code == 302  # the password is still right
    response = client.post(FACTOR, {"code": "123456"}, REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    _sign_in(client, "root", address="198.51.100.30")
    response = client.post(FACTOR, {"code": totp_code(root)}, REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 429  # even the right code, until the cool-off ends


def test_the_admin_site_itself_requires_the_code(settings):
    """Without the middleware in front, the admin still refuses a session signed in with the password alone."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "minsheng.web.second_factor.require_second_factor"]
    _admin()
    client = Client()
    _sign_in(client, "root")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_reset_device_is_enrolled_again_and_the_old_codes_stop():
    root = _admin()
    old = enrolled(root)
    call_command("reset_second_factor", "root")
    client = Client()
    _sign_in(client, "root")
    page = client.get(FACTOR).content.decode()
    assert "设置动态口令" in page and not type(old).objects.filter(pk=old.pk).exists()


def test_the_factor_can_be_turned_off_for_a_trial(settings):
    settings.SECOND_FACTOR_REQUIRED = False
    _admin()
    client = Client()
    _sign_in(client, "root")
    assert client.get("/admin/").status_code == 200


def test_the_demo_admin_is_enrolled_and_the_logins_block_gives_the_secret():
    from minsheng.demo.accounts import PEOPLE, second_factors_enrol, seed_accounts
    from minsheng.demo.management.commands.seed_demo import logins_block

    passwords, _ = seed_accounts(departments=["交通运输局"], partners=[])
    secrets = second_factors_enrol()
    assert list(secrets) == ["admin"]
    people = [p[0] for p in PEOPLE] + ["elder"]
    block = logins_block(site="http://x", slug="plan2020", passwords={u: "pw" for u in people}, keys={},
                         second_factors=secrets)
    assert f"动态口令 (TOTP) secret {secrets['admin']}" in block
    client = Client()
    _sign_in(client, "admin", password=passwords["admin"])
    assert client.post(FACTOR, {"code": _code_from(secrets["admin"])}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_shows_no_administrators_second_factor_secret(rf):
    """django-otp's device admin showed every administrator's key (and …/config/ the enrolment link) to anyone
    with the admin: it is unregistered, and were it registered again it would hide the key."""
    from django.contrib.admin import AdminSite
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    root = _admin()
    device = enrolled(root)
    client = Client()
    client.force_login(root)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert not re.search("totp|otp_", index.content.decode(), re.IGNORECASE)
    for path in ("/admin/otp_totp/", "/admin/otp_totp/totpdevice/", f"/admin/otp_totp/totpdevice/{device.pk}/change/",
                 f"/admin/otp_totp/totpdevice/{device.pk}/config/"):
        assert client.get(path).status_code == 404, path
    request = rf.get("/admin/")
    request.user = root
    fieldsets = TOTPDeviceAdmin(TOTPDevice, AdminSite()).get_fieldsets(request, device)
    assert "key" not in [field for _, options in fieldsets for field in options["fields"]]


def test_the_code_page_opens_on_a_site_served_under_a_prefix():
    """Served under a prefix (SCRIPT_NAME /ms, behind a proxy), the open pages are matched without it: matched
    with it, the code page itself redirected to the code page, round and round."""
    _admin()
    client = Client()
    _sign_in(client, "root")
    assert client.get(FACTOR, SCRIPT_NAME="/ms").status_code == 200
    assert client.get("/admin/", SCRIPT_NAME="/ms")["Location"].startswith(FACTOR)
