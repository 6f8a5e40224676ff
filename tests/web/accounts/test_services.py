"""Accounts services and selectors: roles are scoped, idempotent and revocable; areas form a tree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minsheng.accounts.models import Area, Organisation, Role
from minsheng.accounts.selectors import (
    areas_within,
    organisations_for_user,
    user_has_role,
    user_is_admin,
    user_roles,
)
from minsheng.accounts.services import area_create, organisation_create, role_grant, role_revoke, user_create


def test_granting_twice_keeps_one_grant_and_revoking_removes_it(cast):
    assert role_grant(user=cast.officer_a, role=Role.DEPARTMENT_OFFICER, organisation=cast.dept_a).pk == \
        role_grant(user=cast.officer_a, role=Role.DEPARTMENT_OFFICER, organisation=cast.dept_a).pk
    assert list(organisations_for_user(cast.officer_a, role=Role.DEPARTMENT_OFFICER)) == [cast.dept_a]
    assert role_revoke(user=cast.officer_a, role=Role.DEPARTMENT_OFFICER, organisation=cast.dept_a) == 1
    assert not user_has_role(cast.officer_a, Role.DEPARTMENT_OFFICER)


def test_an_unknown_role_is_refused(cast):
    with pytest.raises(ValidationError):
        role_grant(user=cast.outsider, role="emperor")


def test_the_admin_role_opens_the_back_office(cast):
    assert not user_is_admin(cast.outsider)
    role_grant(user=cast.outsider, role=Role.ADMIN)
    cast.outsider.refresh_from_db()
    assert user_is_admin(cast.outsider) and cast.outsider.is_staff


def test_areas_within_walks_district_town_village(db):
    district = area_create(code="zhuhui", name="珠晖区", level=Area.Level.DISTRICT)
    town = area_create(code="hengzhou", name="衡州街道", level=Area.Level.TOWN, parent=district)
    village = area_create(code="dongfeng", name="东风村", level=Area.Level.VILLAGE, parent=town)
    other = area_create(code="yanfeng", name="雁峰区", level=Area.Level.DISTRICT)
    assert {a.code for a in areas_within(district)} == {"zhuhui", "hengzhou", "dongfeng"}
    assert areas_within(village) == [village] and other not in areas_within(district)


def test_roles_scoped_to_an_area_and_a_station(db):
    village = area_create(code="v1", name="一村", level=Area.Level.VILLAGE)
    station = organisation_create(code="s1", name="一村社工站", kind=Organisation.Kind.STATION, area=village)
    worker = user_create(username="sw", password="x" * 12)
    role_grant(user=worker, role=Role.SOCIAL_WORKER, organisation=station, area=village)
    assert user_roles(worker) == {"social_worker"}
    assert list(organisations_for_user(worker, role=Role.SOCIAL_WORKER)) == [station]


def test_a_duplicate_username_is_refused(cast):
    with pytest.raises(ValidationError):
        user_create(username="owner", password="x" * 12)
