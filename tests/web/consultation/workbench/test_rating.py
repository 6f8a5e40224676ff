"""The citizen rates a reply from the receipt page; 不满意 sends it back to the department's 未办, and the
response, resolution and satisfaction rates follow."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.services import suggestion_submit
from minsheng.consultation.models import ReplyRating, Suggestion
from minsheng.consultation.workbench.selectors import handling_rates
from minsheng.consultation.workbench.services import reply_send

pytestmark = pytest.mark.django_db


def _answered(cast, text="建议增加公交班次"):
    s = suggestion_submit(campaign=cast.campaign, text=text)
    Suggestion.objects.filter(pk=s.pk).update(department=cast.dept_a)
    reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], text="已增加两个班次")
    return Suggestion.objects.get(pk=s.pk)


def test_unsatisfied_reopens_and_a_second_rating_of_the_same_reply_is_refused(client, cast):
    s = _answered(cast)
    page = client.get(f"/r/{s.receipt}/").content.decode()
    assert "您对这次答复满意吗" in page
    response = client.post(f"/r/{s.receipt}/rate/", {"rating": "unsatisfied", "comment": "班次还是太少"}, follow=True)
    assert "已退回承办部门重新办理" in response.content.decode()
    s.refresh_from_db()
    assert s.status == "in_review" and ReplyRating.objects.get().comment == "班次还是太少"
    client.post(f"/r/{s.receipt}/rate/", {"rating": "satisfied"})
    assert ReplyRating.objects.count() == 1
    client.force_login(cast.officer_a)
    assert s.pk in {x.pk for x in client.get("/manage/inbox/", {"c": "plan"}).context["page"]}  # back in 未办


def test_rates_count_answers_resolutions_and_ratings(client, cast):
    first, second = _answered(cast), _answered(cast, "建议修缮老旧小区")
    suggestion_submit(campaign=cast.campaign, text="建议增加路灯")  # not answered yet
    client.post(f"/r/{first.receipt}/rate/", {"rating": "basically"})
    client.post(f"/r/{second.receipt}/rate/", {"rating": "unsatisfied"})
    rates = handling_rates(campaign=cast.campaign)
    # No deadlines here (departments set by hand): nothing is owed by a time, so no on-time rate.
    assert rates == {"total": 3, "rated": 2, "response": 66.7, "resolution": 33.3, "satisfaction": 50.0,
                     "todo": 2, "done": 1, "on_time": None, "owed": 0, "overdue": 0, "soon": 0}
    client.post(f"/r/{first.receipt}/rate/", {"rating": "nonsense"})
    assert ReplyRating.objects.count() == 2


def test_a_suggestion_without_a_reply_cannot_be_rated(client, cast):
    s = suggestion_submit(campaign=cast.campaign, text="建议增加路灯")
    response = client.post(f"/r/{s.receipt}/rate/", {"rating": "satisfied"}, follow=True)
    assert "还没有答复" in response.content.decode() and not ReplyRating.objects.exists()


def test_a_reply_kept_for_reference_gives_its_reason_as_such(client, cast):
    """留作参考 needs a 说明, which is why the suggestion was not adopted; the citizen's page and the officer's record
    headed it 采纳说明 (采纳说明：用地规划不允许 under 留作参考, seen on the walk). An adoption's stays 采纳说明."""
    for outcome, heading, other in [("noted", "未采纳的原因：", "采纳说明："), ("adopted", "采纳说明：", "未采纳的原因：")]:
        s = suggestion_submit(campaign=cast.campaign, text=f"建议在火车站附近修建立体停车场（{outcome}）")
        Suggestion.objects.filter(pk=s.pk).update(department=cast.dept_a)
        reply_send(user=cast.officer_a, department=cast.dept_a, suggestion_ids=[s.pk], outcome=outcome,
                   text="火车站周边用地已规划为广场绿地。", note="用地规划不允许")
        client.logout()
        page = client.get(f"/r/{s.receipt}/").content.decode()
        assert heading in page and other not in page, outcome
        client.force_login(cast.officer_a)
        record = client.get(f"/manage/inbox/s/{s.pk}/").content.decode()
        assert f"{heading}用地规划不允许" in record and f"{other}用地规划不允许" not in record, outcome
