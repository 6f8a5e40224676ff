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
    page.click("button.primary")
    page.wait_for_url(f"**{next}") if next else page.wait_for_load_state()
    return context, page


def with_password(*users, admin: bool = False) -> None:
    """Give ``users`` the tests' PASSWORD, which :func:`sign_in` types (the demo seeds its own), and make them
    superusers with ``admin`` (the admin's pages)."""
    for user in users:
        if admin:
            user.is_staff = user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()


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
