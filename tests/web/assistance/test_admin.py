"""The back office (Django's admin) of the assistance records: what only the services may write, it only shows."""

from __future__ import annotations

import re

import pytest

from .conftest import walk


@pytest.fixture
def staff(aid):
    aid.civil.is_staff = aid.civil.is_superuser = True
    aid.civil.save()
    return aid.civil


@pytest.mark.django_db
def test_recipients_and_needs_are_not_added_by_hand(client, staff):
    """An added recipient had no encrypted ID number and no entry in the audit trail; changes were already refused."""
    client.force_login(staff)
    for model in ("recipient", "need"):
        assert client.get(f"/admin/assistance/{model}/add/").status_code == 403
        assert f'href="/admin/assistance/{model}/add/"' not in client.get(f"/admin/assistance/{model}/").content.decode()


@pytest.mark.django_db
def test_the_audit_list_says_actions_and_records_in_words(client, staff, aid, need_a):
    """The list and its filters showed the codes (need.create, recipient), in English among Chinese."""
    walk(need_a, "dispatched", aid=aid)
    client.force_login(staff)
    page = client.get("/admin/assistance/auditentry/").content.decode()
    assert "登记需求" in page and "派单" in page and "需求" in page
    shown = re.sub(r"<[^>]+>|\?[^\"' ]*", " ", page)
    assert not re.search(r"\b(need|recipient)\.(create|dispatch|register|communicate)\b", shown)
    assert not re.search(r">\s*(need|recipient|assignment)\s*<", page)


@pytest.mark.django_db
def test_a_providers_skills_are_ticked_from_the_need_types_and_count_on_the_dispatch_page(client, staff, aid, need_a):
    """擅长服务 was a JSON box (需求类型编码列表): a bureau's administrator, walked live, typed 智能设备教学、生活照料
    (请填写有效的 JSON), then ["智能设备教学"], which was saved but never matched a need: the dispatch page said
    无智能设备教学专长 of the worker she had just set up for it. Now the need types are boxes to tick, kept as codes."""
    from minsheng.assistance.models import NeedType, Provider
    from minsheng.assistance.selectors.dispatch import candidates_for

    client.force_login(staff)
    page = client.get("/admin/assistance/provider/add/").content.decode()
    assert 'type="checkbox" name="skills"' in page and "智能设备教学" in page and "编码" not in page
    response = client.post("/admin/assistance/provider/add/", {
        "user": aid.cadre_a.pk, "kind": Provider.Kind.CADRE, "skills": [NeedType.DEVICE_TEACHING, NeedType.DAILY_CARE],
        "areas": [aid.village_a.pk], "available": "on", "max_open": 8})
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = Provider.objects.get(user=aid.cadre_a)
    assert provider.skills == [NeedType.DEVICE_TEACHING, NeedType.DAILY_CARE]
    change = client.get(f"/admin/assistance/provider/{provider.pk}/change/").content.decode()
    assert re.search(r'<input[^>]*value="device_teaching"[^>]*checked|<input[^>]*checked[^>]*value="device_teaching"', change)
    assert need_a.need_type == NeedType.DEVICE_TEACHING
    ranked = {c.provider.pk: c for c in candidates_for(need_a)}
    assert "擅长智能设备教学" in ranked[provider.pk].reasons
