"""Field work that is hard to fake: a position (or a typed place, marked unlocated) and an optional photo at
check-in, no visit shorter than the minimum, and dispatch that knows the time agreed with the recipient."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minsheng.assistance.models import AuditEntry, Provider, Visit
from minsheng.assistance.selectors.dispatch import available_at, candidates_for
from minsheng.assistance.services.audit import change_rows
from minsheng.assistance.services.dispatch import need_dispatch
from minsheng.assistance.services.needs import need_communicate
from minsheng.assistance.services.visits import visit_checkin, visit_checkout
from minsheng.forms import moment_words

from .conftest import walk
from .test_uploads import png

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_check_out_within_the_minimum_visit_is_refused(aid, need_a, settings):
    settings.ASSISTANCE_MIN_VISIT_MINUTES = 5
    need = walk(need_a, "accepted", aid=aid)
    t = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    visit = visit_checkin(actor=aid.social_a, need=need, place="李奶奶家", now=t)
    with pytest.raises(ValidationError, match="09:00签到，服务时长至少5分钟"):
        visit_checkout(actor=aid.social_a, visit=visit, place="李奶奶家", work_done="教视频", now=t + timedelta(seconds=59))
    visit.refresh_from_db()
    assert visit.checkout_at is None
    visit_checkout(actor=aid.social_a, visit=visit, place="李奶奶家", work_done="教视频", now=t + timedelta(minutes=5))
    visit.refresh_from_db()
    assert visit.checkout_at == t + timedelta(minutes=5)


def test_a_second_check_in_names_the_open_one_in_local_time_with_its_year(aid, need_a):
    """A visit left open since an earlier year read "12-31 23:30" (and in UTC): the year and the local clock."""
    need = walk(need_a, "accepted", aid=aid)
    visit_checkin(actor=aid.social_a, need=need, place="李奶奶家", now=datetime(2019, 12, 31, 23, 30, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError, match="您已于2019-12-31 23:30签到，请先签退再签到"):
        visit_checkin(actor=aid.social_a, need=need, place="李奶奶家")


def test_check_in_by_the_phone_position_with_a_photo(aid, need_a):
    need = walk(need_a, "accepted", aid=aid)
    visit = visit_checkin(actor=aid.social_a, need=need, lat=26.894512, lon=112.659871, accuracy=12.4,
                          photo=png("门口.png"))
    assert (visit.checkin_place, visit.checkin_lat, visit.checkin_lon) == ("手机定位（精度约12米）", 26.894512,
                                                                          112.659871)
    assert [a.kind for a in visit.attachments.all()] == ["photo"]
    entry = AuditEntry.objects.filter(action="visit.checkin").get()
    assert entry.changes["checkin_position"][1] == "北纬26.89451，东经112.65987，精度约12米"


def test_a_typed_place_is_the_fallback_and_says_so(aid, need_a):
    need = walk(need_a, "accepted", aid=aid)
    visit = visit_checkin(actor=aid.social_a, need=need, place="李奶奶家")
    assert visit.checkin_lat is None
    entry = AuditEntry.objects.filter(action="visit.checkin").get()
    assert entry.changes["checkin_position"][1] == "未定位（手动填写地点）"


@pytest.mark.parametrize(("kw", "message"), [
    ({}, "获取手机定位"),
    ({"lat": 26.9}, "定位数据不完整"),
    ({"lat": 126.9, "lon": 112.6}, "超出范围"),
    ({"place": "李奶奶家", "photo": "text"}, "不是图片"),
])
def test_check_in_needs_a_position_or_a_place_and_a_real_photo(aid, need_a, kw, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    need = walk(need_a, "accepted", aid=aid)
    if kw.get("photo") == "text":
        kw["photo"] = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match=message):
        visit_checkin(actor=aid.social_a, need=need, **kw)
    assert not Visit.objects.exists()


@pytest.mark.parametrize(("note", "when", "fits"), [
    ("工作日全天", datetime(2026, 12, 3, 9), True),  # a Thursday
    ("工作日全天", datetime(2026, 12, 5, 9), False),  # a Saturday
    ("周一至周五下午", datetime(2026, 12, 3, 9), False),
    ("周一至周五下午", datetime(2026, 12, 3, 15), True),
    ("周末", datetime(2026, 12, 6, 20), True),
    ("随叫随到", datetime(2026, 12, 6, 3), True),
    ("看情况", datetime(2026, 12, 3, 9), None),
])
def test_availability_in_words(note, when, fits):
    assert available_at(note, when.replace(tzinfo=SHANGHAI)) is fits


def test_dispatch_ranks_by_the_time_agreed_in_the_talk(aid, need_a):
    Provider.objects.filter(pk=aid.p_social.pk).update(availability_note="工作日全天")
    Provider.objects.filter(pk=aid.p_volunteer.pk).update(availability_note="周末")
    saturday = datetime(2026, 12, 5, 10, tzinfo=SHANGHAI)
    need_communicate(actor=aid.cadre_a, need=need_a, mode="phone", agreed="约好周六上午上门",
                     talked_at=saturday - timedelta(days=3), appointment_at=saturday, now=saturday - timedelta(days=3))
    social, volunteer = sorted(candidates_for(need_a, saturday), key=lambda c: str(c.provider) != "吴社工")
    assert social.score == 7 - 3 and "约定时间不在其可服务时间内（工作日全天）" in social.reasons
    assert volunteer.score == 2 + 1 and ("约定时间在其可服务时间内（周末）", "+1") in volunteer.explained
    # The service ranks the same way: the score kept with the offer counts the agreed time.
    assignment = need_dispatch(actor=aid.station, need=need_a, provider=aid.p_social)
    assert assignment.score == 4


def test_an_appointment_before_the_talk_is_refused(aid, need_a):
    t = datetime(2026, 12, 3, 10, tzinfo=SHANGHAI)
    with pytest.raises(ValidationError, match="不能早于沟通时间"):
        need_communicate(actor=aid.cadre_a, need=need_a, mode="phone", agreed="约好", talked_at=t,
                         appointment_at=t - timedelta(hours=1), now=t)


def test_audit_changes_read_as_words():
    rows = change_rows({"status": ["served", "closed"], "closed_at": [None, "2026-12-01T06:05:00+00:00"],
                        "files": [None, ["visit.jpg", "门口.png"]], "goal_achieved": [None, True]})
    assert rows == [("状态", "待回访", "已办结"), ("办结时间", "—", "2026-12-01 14:05"),
                    ("附件", "—", "visit.jpg、门口.png"), ("期望效果是否达成", "—", "是")]


def test_the_cadres_only_village_is_preselected(client, aid):
    client.force_login(aid.cadre_a)
    page = client.get("/assistance/recipients/new/").content.decode()
    select = page[page.index('name="area"'):page.index("</select>", page.index('name="area"'))]
    assert select.count("<option") == 1 and f'value="{aid.village_a.pk}" selected' in select
    client.force_login(aid.station)  # two villages in the town: a real choice, nothing preselected
    page = client.get("/assistance/recipients/new/").content.decode()
    select = page[page.index('name="area"'):page.index("</select>", page.index('name="area"'))]
    assert '<option value="" selected>请选择村/社区</option>' in select and select.count("<option") == 3


def test_an_overdue_need_says_by_how_much_with_the_year(client, aid, need_a):
    from minsheng.assistance.models import Need

    Need.objects.filter(pk=need_a.pk).update(due_at=timezone.now() - timedelta(days=3, hours=2))
    client.force_login(aid.cadre_a)
    for url in [f"/assistance/needs/{need_a.pk}/", "/assistance/needs/"]:
        page = client.get(url).content.decode()
        # the year unless it is this year's, as every time a page shows (minsheng.forms.span_words)
        assert "超时 3 天" in page and f"时限 {moment_words(timezone.now() - timedelta(days=3, hours=2))}" in page


def test_a_check_out_sent_empty_lists_its_missing_fields_with_one_stop_at_the_end(client, aid, need_a):
    """Each field's "此项必填。" joined by "；" read "签退地点：此项必填。；服务内容：此项必填。": two stops in a row."""
    from django.contrib.messages import get_messages

    need = walk(need_a, "in_service", aid=aid)
    client.force_login(aid.social_a)
    response = client.post(f"/assistance/needs/{need.pk}/checkout/", {"place": "", "work_done": ""})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["签退地点：此项必填；服务内容：此项必填。"]
