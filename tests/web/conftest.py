"""Django set-up for the platform tests, kept to tests/web so engine tests never need Django settings.

The named people below are the cast of every permission test (healthchecks' "alice, bob, charlie"):

- 王主任 (owner): owns the campaign;
- 李科员 (officer_a) of 交通运输局 and 张科员 (officer_b) of 教育局: department officers;
- 新华渠道 (partner): a channel partner whose organisation feeds the campaign through the API;
- 刘女士 (citizen): signs in to submit; 陈某 (outsider): signed in, no role anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.web.settings")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("CONTACT_KEY", "test-contact-key-0123456789-abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402

PASSWORD = "test-pass-7291"


def totp_code(user) -> str:
    """The code an administrator's authenticator shows now (the next step's once this one was used: a code is
    taken once), as a person reads it off their phone."""
    import time

    from django_otp.oath import TOTP

    from minsheng.web.second_factor import device_for

    device = device_for(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user):
    """``user``'s confirmed second-factor device, made if missing (an administrator who enrolled earlier)."""
    from minsheng.web.second_factor import device_enrol, device_for

    return device_for(user, confirmed=True) or device_enrol(user=user, confirmed=True)


def _force_login_with_second_factor():
    """``force_login`` skips the password; for an administrator it skips the code too (its session verified with
    an enrolled device), so tests of other pages need not sign in twice. The second factor's own tests sign in by
    posting the password and the code."""
    from django.test import Client

    from minsheng.web.second_factor import needs_second_factor

    plain = Client.force_login
    if getattr(plain, "second_factor", False):
        return

    def force_login(self, user, backend=None):
        plain(self, user, backend)
        if needs_second_factor(user):
            from django_otp import DEVICE_ID_SESSION_KEY

            session = self.session
            session[DEVICE_ID_SESSION_KEY] = enrolled(user).persistent_id
            session.save()

    force_login.second_factor = True
    Client.force_login = force_login


_force_login_with_second_factor()


@dataclass
class Cast:
    owner: object
    officer_a: object
    officer_b: object
    partner: object
    citizen: object
    outsider: object
    dept_a: object
    dept_b: object
    partner_org: object
    campaign: object
    channel: object
    key: str


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    from minsheng.consultation._db.ratelimit import rate_leases_clear
    from minsheng.consultation.intake.selectors import channel_cache_clear

    rate_leases_clear()
    channel_cache_clear()  # leases live in the process, the database is rolled back after each test
    settings.CHALLENGE_MIN_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db) -> Cast:
    from minsheng.accounts.models import Organisation, Role
    from minsheng.accounts.services import organisation_create, role_grant, user_create
    from minsheng.consultation.intake.models import Campaign
    from minsheng.consultation.intake.services import campaign_create, channel_create

    def person(username: str, name: str):
        return user_create(username=username, password=PASSWORD, display_name=name)

    owner, officer_a, officer_b = person("owner", "王主任"), person("officer_a", "李科员"), person("officer_b", "张科员")
    partner, citizen, outsider = person("partner", "新华渠道"), person("citizen", "刘女士"), person("outsider", "陈某")
    dept_a = organisation_create(code="transport", name="交通运输局", kind=Organisation.Kind.DEPARTMENT)
    dept_b = organisation_create(code="education", name="教育局", kind=Organisation.Kind.DEPARTMENT)
    partner_org = organisation_create(code="xinhua", name="新华网", kind=Organisation.Kind.PARTNER)
    role_grant(user=owner, role=Role.CAMPAIGN_OWNER)
    role_grant(user=officer_a, role=Role.DEPARTMENT_OFFICER, organisation=dept_a)
    role_grant(user=officer_b, role=Role.DEPARTMENT_OFFICER, organisation=dept_b)
    role_grant(user=partner, role=Role.CHANNEL_PARTNER, organisation=partner_org)
    campaign = campaign_create(owner=owner, slug="plan", title="“十四五”规划建言", question="您对未来五年有什么建议？",
                               departments=[dept_a, dept_b], status=Campaign.Status.OPEN)
    channel, key = channel_create(actor=owner, campaign=campaign, code="xinhua", name="新华网", partner=partner_org)
    return Cast(owner, officer_a, officer_b, partner, citizen, outsider, dept_a, dept_b, partner_org,
                campaign, channel, key)


# One phone-sized device and one headless chromium for every browser test under tests/web.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


def sign_in(browser, base_url: str, username: str, context_options: dict, password: str = PASSWORD,
            next: str = ""):
    """A new browser context signed in as ``username``: its context and page. With ``next`` (a path of the site),
    signed in through ``/accounts/login/?next=`` and on that page when this returns."""
    from urllib.parse import urlencode

    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/" + (f"?{urlencode({'next': next})}" if next else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button.primary")
    if "/accounts/second-factor/" in page.url:  # an administrator: the code from their authenticator
        from minsheng.accounts.models import User

        page.fill("input[name=code]", totp_code(User.objects.get(username=username)))
        page.click("#second-factor-confirm")
    page.wait_for_url(f"**{next}") if next else page.wait_for_load_state()
    return context, page


def with_password(*users, admin: bool = False) -> None:
    """Give ``users`` the tests' PASSWORD, which :func:`sign_in` types (the demo seeds its own), and make them
    superusers with ``admin`` (the admin's pages), enrolled in the second factor whose code :func:`sign_in` types."""
    for user in users:
        if admin:
            user.is_staff = user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()
        if admin:
            enrolled(user)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium with the project's flags (never a downloaded build); skipped where it is missing."""
    from pathlib import Path

    from minsheng.bench.reports import CHROMIUM, launch_chromium

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (run scripts/system-deps.sh)")
    # Playwright's sync API runs an event loop in this thread, so Django would refuse the ORM calls the browser
    # tests make between page actions; allowed only while this module's browser is open, never process-wide.
    with pytest.MonkeyPatch.context() as env, sync_api.sync_playwright() as p:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = launch_chromium(p)
        yield browser
        browser.close()
