"""Two officers adopt the same suggestions at the same moment: one notification per contributor."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_adopting_at_once_notify_once(fed):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database has no concurrent writers; runs on PostgreSQL")
    from minsheng.accounts.models import Role
    from minsheng.accounts.services import role_grant, user_create
    from minsheng.consultation.workbench.models import Notification
    from minsheng.consultation.workbench.services import suggestion_adopt

    colleague = user_create(username="officer_a2", password="x-pass-1234", display_name="赵科员")
    role_grant(user=colleague, role=Role.DEPARTMENT_OFFICER, organisation=fed.dept_a)
    ids = list(fed.campaign.suggestions.filter(external_id__startswith="letter-").values_list("pk", flat=True))
    barrier, errors = threading.Barrier(2), []

    def adopt(user):
        try:
            barrier.wait()
            suggestion_adopt(user=user, department=fed.dept_a, suggestion_ids=ids, outcome="adopted",
                             note="纳入规划")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=adopt, args=(u,)) for u in (fed.officer_a, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Notification.objects.filter(kind="adopted").count() == 12
    assert len(mail.outbox) == 12
