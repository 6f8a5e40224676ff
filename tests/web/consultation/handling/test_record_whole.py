"""The 办理记录 reads whole, and once: a long record is cut to its newest lines with a link to all of them, and a
move (转交) is not listed a second time beside the 转交 form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from minsheng.consultation.handling.models import HandlingEvent
from minsheng.consultation.handling.selectors import LOG_SHOWN
from minsheng.consultation.workbench.services import suggestion_reassign

pytestmark = pytest.mark.django_db


def _lines(page: str) -> list[str]:
    section = page.split('id="handling-log"', 1)[1].split("</section>", 1)[0]
    return [li.split("</li>")[0] for li in section.split("<li>")[1:]]


def test_a_long_record_shows_its_newest_lines_and_a_link_to_the_whole(cast, routed, client):
    """Before, the page showed the 30 newest lines and no way to read the rest."""
    s = routed()
    start = timezone.now()
    HandlingEvent.objects.bulk_create([
        HandlingEvent(suggestion=s, department=cast.dept_a, action=HandlingEvent.Action.REMIND_DUE,
                      due_at=start + timedelta(days=i), at=start + timedelta(minutes=i), text=f"提醒第{i}次")
        for i in range(40)])
    client.force_login(cast.officer_a)
    page = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert len(_lines(page)) == LOG_SHOWN and "提醒第39次" in _lines(page)[0]
    assert 'href="?log=all#handling-log"' in page and "显示全部 41 条记录" in page
    whole = client.get(f"/manage/inbox/s/{s.pk}/?log=all").content.decode()
    lines = _lines(whole)
    assert len(lines) == 41 and "分派" in lines[-1] and "显示全部" not in whole


def test_a_short_record_has_no_link(cast, routed, client):
    s = routed()
    client.force_login(cast.officer_a)
    page = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert len(_lines(page)) == 1 and "显示全部" not in page


def test_a_move_is_listed_once(cast, routed, client):
    """Before, the 分派有误？ card listed each move again (李科员：交通运输局 → 教育局（reason）) below the record's line."""
    s = routed()
    suggestion_reassign(user=cast.officer_a, suggestion_id=s.pk, from_department=cast.dept_a, to_department=cast.dept_b,
                        reason="属于学校周边管理")
    client.force_login(cast.officer_b)
    page = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    assert page.count("属于学校周边管理") == 1 and "→" not in page.split('id="reassign-form"', 1)[1].split("</section>")[0]


def test_the_receiving_department_reads_the_senders_name_never_a_login_name(cast, routed, client):
    """After 转交 the receiver reads who sent it (to ask why: the record is internal, the receipt names no officer);
    an officer without a display name was shown by login name (a staff or phone number)."""
    cast.officer_a.display_name = ""
    cast.officer_a.save(update_fields=["display_name"])
    s = routed()
    suggestion_reassign(user=cast.officer_a, suggestion_id=s.pk, from_department=cast.dept_a, to_department=cast.dept_b,
                        reason="属于学校周边管理")
    client.force_login(cast.officer_b)
    page = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
    [moved, dispatched] = _lines(page)
    assert cast.officer_a.username not in page
    assert moved.split()[2:4] == ["工作人员", "·"] and "转交至教育局：属于学校周边管理" in moved
