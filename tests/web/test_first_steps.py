"""A new site's first administrator is told what to set up first (h-journey4, walk-2026-12-07d): the 工作台 of an
empty site showed 后台管理 · 新建征集 · 救助服务 · 接口文档 and nothing of areas, departments, people or 服务人员."""

from __future__ import annotations

import pytest

from minsheng.accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_the_first_administrator_reads_the_first_steps_until_they_are_done(client):
    from minsheng.accounts.models import Area, Organisation, Role
    from minsheng.accounts.services import area_create, organisation_create, role_grant
    from minsheng.assistance.models import Provider
    from minsheng.consultation.intake.services import campaign_create

    admin = user_create(username="admin", password="Bureau-2026-ok", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/manage/").content.decode()
    assert 'id="first-steps"' in page
    for url in ("/admin/accounts/area/add/", "/admin/accounts/organisation/add/", "/admin/accounts/user/add/",
                "/admin/assistance/provider/add/", "/manage/new/"):
        assert f'href="{url}"' in page, url

    district = area_create(code="zhuhui", name="珠晖区", level=Area.Level.DISTRICT)
    department = organisation_create(code="jtj", name="区交通运输局", kind=Organisation.Kind.DEPARTMENT, area=district)
    worker = user_create(username="wu", display_name="吴社工")
    role_grant(user=worker, role=Role.SOCIAL_WORKER, area=district)
    Provider.objects.create(user=worker, kind=Provider.Kind.SOCIAL_WORKER).areas.set([district])
    assert 'id="first-steps"' in client.get("/manage/").content.decode()  # no campaign yet
    campaign_create(owner=admin, slug="plan", title="规划", question="您有什么建议？", departments=[department])
    assert 'id="first-steps"' not in client.get("/manage/").content.decode()


def test_nobody_else_reads_them(client):
    owner = user_create(username="owner", password="Bureau-2026-ok")
    from minsheng.accounts.models import Role
    from minsheng.accounts.services import role_grant

    role_grant(user=owner, role=Role.CAMPAIGN_OWNER)
    client.force_login(owner)
    assert 'id="first-steps"' not in client.get("/manage/").content.decode()
