"""Moves made before 转交 was a line of the 办理记录 (and no longer listed apart) get their line from migration 0023."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from minsheng.consultation.handling.models import HandlingEvent
from minsheng.consultation.handling.services import suggestion_dispatch
from minsheng.consultation.workbench.models import DepartmentAssignment
from minsheng.consultation.workbench.services import suggestion_reassign

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("minsheng.consultation.migrations.0023_moves_in_record").moves_in_record


def test_an_old_move_gets_its_line_and_nothing_else_does(cast, routed):
    old = routed("建议学校门口设置减速带")
    when = timezone.now() - timedelta(days=3)
    DepartmentAssignment.objects.create(suggestion=old, from_department=cast.dept_a, to_department=cast.dept_b,
                                        by=cast.officer_a, reason="属于学校周边管理", created_at=when)
    new = routed("建议校门口增加护学岗")  # moved today: its line written by suggestion_reassign
    suggestion_reassign(user=cast.officer_a, suggestion_id=new.pk, from_department=cast.dept_a,
                        to_department=cast.dept_b, reason="学校管理")
    returned = routed("建议增开公交线路")  # a 分派 has its own line
    HandlingEvent.objects.create(suggestion=returned, department=cast.dept_a, actor=cast.officer_a,
                                 action=HandlingEvent.Action.RETURN, text="不属本部门")
    returned.department = None
    returned.save(update_fields=["department"])
    suggestion_dispatch(user=cast.owner, suggestion_id=returned.pk, department=cast.dept_b)
    before = HandlingEvent.objects.count()

    backfill(apps, None)
    backfill(apps, None)  # run twice (a migration re-applied after a rollback): still one line a move

    [line] = HandlingEvent.objects.filter(suggestion=old, action=HandlingEvent.Action.REASSIGN)
    assert (line.text, line.department, line.actor, line.at) == ("转交至教育局：属于学校周边管理", cast.dept_a,
                                                                cast.officer_a, when)
    assert HandlingEvent.objects.filter(suggestion=new, action=HandlingEvent.Action.REASSIGN).count() == 1
    assert not HandlingEvent.objects.filter(suggestion=returned, action=HandlingEvent.Action.REASSIGN).exists()
    assert HandlingEvent.objects.count() == before + 1
