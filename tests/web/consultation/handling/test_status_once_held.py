"""办理中 from the moment a department holds a suggestion: routed by an analysis run or dispatched by hand, the
receipt, the officer's inbox and a partner's status lookup all say so (a routed suggestion nobody had answered
read 已收到 for ever, while the same receipt said it had been passed to the department). An answered suggestion
routed again keeps its outcome; one returned to the dispatcher does not go back to 已收到."""

from __future__ import annotations

import pandas as pd
import pytest

from minsheng.consultation.analysis.services import _route_suggestions
from minsheng.consultation.handling.services import suggestion_dispatch, suggestion_return
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.services import suggestion_submit
from minsheng.consultation.workbench.services import reply_send

pytestmark = pytest.mark.django_db


def _status_everywhere(client, cast, s: Suggestion) -> set[str]:
    """The status label as the citizen, the holding officer and the partner API see it."""
    import re

    receipt = client.get(f"/r/{s.receipt}/").content.decode()
    seen = {re.search(r'id="status">([^<]+)<', receipt).group(1)}
    client.force_login(cast.officer_a)
    seen.add(re.search(r'id="status">([^<]+)<', client.get(f"/manage/inbox/s/{s.pk}/").content.decode()).group(1))
    client.logout()
    s.refresh_from_db()
    seen.add(s.get_status_display())
    return seen


def test_a_suggestion_routed_by_a_run_reads_in_hand_everywhere(client, cast):
    waiting = suggestion_submit(campaign=cast.campaign, text="建议增加公交班次，方便上下班")
    routed = suggestion_submit(campaign=cast.campaign, text="建议在学校门口增设人行横道")
    _route_suggestions(cast.campaign, pd.DataFrame({"id": [waiting.pk, routed.pk], "department": [None, "交通运输局"]}))
    assert _status_everywhere(client, cast, routed) == {"办理中"}
    waiting.refresh_from_db()
    assert waiting.get_status_display() == "已收到"
    assert "已收到" in client.get(f"/r/{waiting.receipt}/").content.decode()


def test_dispatched_by_hand_is_in_hand_and_a_return_does_not_undo_it(client, cast):
    s = suggestion_submit(campaign=cast.campaign, text="建议在学校门口增设人行横道")
    suggestion_dispatch(user=cast.owner, suggestion_id=s.pk, department=cast.dept_a)
    assert _status_everywhere(client, cast, s) == {"办理中"}
    suggestion_return(user=cast.officer_a, suggestion_id=s.pk, department=cast.dept_a, reason="属于教育局职责")
    s.refresh_from_db()
    assert s.status == Suggestion.Status.IN_REVIEW


def test_an_answered_suggestion_routed_again_keeps_its_outcome(cast):
    s = suggestion_submit(campaign=cast.campaign, text="建议在学校门口增设人行横道")
    _route_suggestions(cast.campaign, pd.DataFrame({"id": [s.pk], "department": ["交通运输局"]}))
    reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], text="已安排施工，下月完成。")
    _route_suggestions(cast.campaign, pd.DataFrame({"id": [s.pk], "department": ["教育局"]}))
    s.refresh_from_db()
    assert (s.department, s.get_status_display()) == (cast.dept_b, "已答复")
