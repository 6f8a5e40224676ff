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
