"""Moves (转交) made before a move became a line of the 办理记录 (4a579e7) get their line, so that the record, which
no longer lists moves apart under 分派有误？, still shows them: who moved it, from which department, to which,
why, and when. A 分派 (its own 分派 line exists) and a run's assignment (no person) are not moves; a move that has
its line already keeps it alone."""

from datetime import timedelta

from django.db import migrations

# A move's line is written in the same transaction as its assignment: within a second of it, give or take clocks.
_SAME_MOVE = timedelta(seconds=60)


def moves_in_record(apps, schema_editor):
    DepartmentAssignment = apps.get_model("consultation", "DepartmentAssignment")
    HandlingEvent = apps.get_model("consultation", "HandlingEvent")
    moves = (DepartmentAssignment.objects.filter(by__isnull=False, from_department__isnull=False)
             .exclude(reason="分派").select_related("to_department").order_by("id"))
    lines = []
    for move in moves.iterator():
        if HandlingEvent.objects.filter(suggestion_id=move.suggestion_id, action="reassign",
                                        at__range=(move.created_at - _SAME_MOVE, move.created_at + _SAME_MOVE)).exists():
            continue
        moved = f"转交至{move.to_department.name}"
        reason = move.reason.strip()
        lines.append(HandlingEvent(suggestion_id=move.suggestion_id, department_id=move.from_department_id,
                                   actor_id=move.by_id, action="reassign", at=move.created_at,
                                   text=(f"{moved}：{reason}" if reason else moved)[:300]))
    HandlingEvent.objects.bulk_create(lines, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0022_import_file_fingerprint"),
    ]

    operations = [migrations.RunPython(moves_in_record, migrations.RunPython.noop)]
