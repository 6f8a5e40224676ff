"""A bureau sets itself up in the back office (walked live by h-journey4 on an empty site): a grant or an area
that could never work is refused in words there, where it was saved and then met as a dead end."""

from __future__ import annotations

import pytest

from minsheng.accounts.models import Area, Organisation, Role, RoleGrant
from minsheng.accounts.services import area_create, organisation_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(user_create(username="admin", password="Bureau-2026-ok", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def places():
    district = area_create(code="zhuhui", name="珠晖区", level=Area.Level.DISTRICT)
    town = area_create(code="chashanao", name="茶山坳镇", level=Area.Level.TOWN, parent=district)
    station = organisation_create(code="station", name="茶山坳镇社工站", kind=Organisation.Kind.STATION, area=town)
    unplaced = organisation_create(code="mzj", name="民政局", kind=Organisation.Kind.CIVIL_AFFAIRS)
    return district, town, station, unplaced


def _errors(response) -> str:
    return " ".join(str(e) for form in [response.context["adminform"].form] for e in form.non_field_errors())


def test_a_grant_that_would_show_nothing_is_refused_in_words(admin_client, places):
    """社工 granted with no area and no station was saved; signed in, the worker read 您没有救助服务平台的权限."""
    district, town, station, unplaced = places
    worker = user_create(username="sun")
    for role, organisation in [(Role.SOCIAL_WORKER, None), (Role.VILLAGE_CADRE, unplaced.pk),
                               (Role.DEPARTMENT_OFFICER, None)]:
        response = admin_client.post("/admin/accounts/rolegrant/add/", {
            "user": worker.pk, "role": role, "organisation": organisation or "", "area": ""})
        assert response.status_code == 200, role
        assert "区域" in _errors(response) or "单位" in _errors(response), (role, _errors(response))
    assert not RoleGrant.objects.filter(user=worker).exists()
    for role, organisation, area in [(Role.SOCIAL_WORKER, station.pk, ""), (Role.VILLAGE_CADRE, "", town.pk),
                                     (Role.CIVIL_AFFAIRS_ADMIN, "", ""), (Role.VOLUNTEER, "", "")]:
        response = admin_client.post("/admin/accounts/rolegrant/add/", {
            "user": worker.pk, "role": role, "organisation": organisation, "area": area})
        assert response.status_code == 302, (role, _errors(response))


def test_an_area_out_of_its_place_in_the_tree_is_refused(admin_client, places):
    """A 乡镇/街道 with no 上级 was saved and lay outside the district: its civil-affairs admin never saw it."""
    district, town, station, unplaced = places
    for level, parent in [(Area.Level.TOWN, ""), (Area.Level.VILLAGE, district.pk), (Area.Level.DISTRICT, town.pk)]:
        response = admin_client.post("/admin/accounts/area/add/", {
            "code": f"x-{level}", "name": "某地", "level": level, "parent": parent})
        assert response.status_code == 200 and "上级" in _errors(response), (level, parent)
    response = admin_client.post("/admin/accounts/area/add/", {
        "code": "xiaoxiang", "name": "潇湘村", "level": Area.Level.VILLAGE, "parent": town.pk})
    assert response.status_code == 302


def test_a_new_account_is_given_the_name_people_read_when_it_is_made(admin_client):
    """The add page asked for a login and a password only: made that way, an officer's reply was signed 工作人员 and a
    worker read wu_sg on 派单 and the 看板 until someone opened 修改 again."""
    from minsheng.accounts.models import User

    page = admin_client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="display_name"' in page
    response = admin_client.post("/admin/accounts/user/add/", {
        "username": "wu_sg", "display_name": "吴社工", "usable_password": "true", "password1": "Minsheng-2026-ok",
        "password2": "Minsheng-2026-ok", "grants-TOTAL_FORMS": 0, "grants-INITIAL_FORMS": 0})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(username="wu_sg").display_name == "吴社工"


def test_a_leaver_with_an_old_grant_that_lacks_an_area_can_still_be_deactivated(admin_client, places):
    """A grant saved before the check (社工 with no area) is left as it was: refused on every save of its user's
    page, it stopped even 有效 being unticked for someone who had left. A grant edited is checked as a new one."""
    from minsheng.accounts.models import User

    leaver = user_create(username="zhou", password="Bureau-2026-ok")
    grant = RoleGrant.objects.create(user=leaver, role=Role.SOCIAL_WORKER)
    data = {"username": "zhou", "display_name": "周社工", "phone": "", "first_name": "", "last_name": "", "email": "",
            "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": "",
            "grants-TOTAL_FORMS": 1, "grants-INITIAL_FORMS": 1, "grants-MIN_NUM_FORMS": 0, "grants-MAX_NUM_FORMS": 1000,
            "grants-0-id": grant.pk, "grants-0-user": leaver.pk, "grants-0-role": Role.SOCIAL_WORKER,
            "grants-0-organisation": "", "grants-0-area": ""}  # is_active left out: unticked
    response = admin_client.post(f"/admin/accounts/user/{leaver.pk}/change/", data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert not User.objects.get(pk=leaver.pk).is_active
    response = admin_client.post(f"/admin/accounts/user/{leaver.pk}/change/", {**data, "grants-0-role": Role.WORK_TEAM})
    assert response.status_code == 200 and "区域" in str(response.context["inline_admin_formsets"][0].formset.errors)
