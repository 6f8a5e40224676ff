"""The recipient rates a service herself with no account: area staff print a slip with a one-time link (QR
code); the page it opens takes one rating, stored as her own (本人评价), until it expires or is revoked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minsheng.assistance.models import AuditEntry, Feedback, FeedbackLink

from .conftest import walk


def _issue(client, user, need) -> str:
    """Sign ``user`` in, press 生成服务评价单 on the need page, and read the link off the printed slip."""
    client.force_login(user)
    page = client.post(reverse("assistance:slip-issue", args=[need.pk]), follow=True)
    assert page.status_code == 200, page.content.decode()
    html = page.content.decode()
    assert "<svg" in html, "the slip has no QR code"
    token = re.search(r"/assistance/rate/([\w-]+)/", html).group(1)
    return token


def test_the_recipient_rates_once_through_the_slip_and_it_counts_as_her_own(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    token = _issue(Client(), aid.cadre_a, need)
    stranger = Client()  # her phone: no account, no session
    page = stranger.get(reverse("assistance:rate", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200 and "李**，您好" in html and "李奶奶" not in html and "13800001111" not in html
    assert "这次服务您满意吗？" in html and "智能设备教学" in html
    done = stranger.post(reverse("assistance:rate", args=[token]), {"satisfaction": "4", "comment": "小吴很耐心"},
                         follow=True)
    assert "谢谢您的评价！" in done.content.decode() and "4 满意" in done.content.decode()
    need.refresh_from_db()
    assert need.status == "closed"
    fb = Feedback.objects.get(need=need)
    assert (fb.source, fb.satisfaction, fb.comment, fb.recorded_by) == ("recipient", 4, "小吴很耐心", None)
    assert FeedbackLink.objects.get(need=need).feedback == fb
    again = stranger.post(reverse("assistance:rate", args=[token]), {"satisfaction": "1"}, follow=True)
    assert Feedback.objects.filter(need=need).count() == 1 and "谢谢您的评价" in again.content.decode()
    actions = list(AuditEntry.objects.filter(entity="need", entity_id=need.pk).values_list("action", "actor",
                                                                                            "purpose"))
    assert ("feedback_link.issue", aid.cadre_a.pk, "") in actions and ("need.close", None, f"link:{need.pk}") in actions
    staff = Client()
    staff.force_login(aid.civil)
    assert "本人扫码" in staff.get(reverse("assistance:need", args=[need.pk])).content.decode()
    assert "本人扫码" in staff.get(reverse("assistance:audit")).content.decode()


def test_a_dissatisfied_rating_reopens_the_need_and_the_old_slip_then_rates_nothing(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    token = _issue(Client(), aid.cadre_a, need)
    thanks = Client().post(reverse("assistance:rate", args=[token]), {"satisfaction": "2"}, follow=True)
    assert "服务人员 吴社工" in thanks.content.decode()  # the need's provider is cleared by the reopening
    need.refresh_from_db()
    assert need.status == "communicated" and need.reopen_count == 1
    need = walk(need, "served", aid=aid, skip_talk=True)
    page = Client().post(reverse("assistance:rate", args=[token]), {"satisfaction": "5"}, follow=True)
    need.refresh_from_db()
    assert need.status == "served" and Feedback.objects.filter(need=need).count() == 1
    assert "您的评价：2 不满意" in page.content.decode()


def test_an_expired_a_revoked_and_a_reissued_slip_are_refused_in_words(aid, need_a, settings):
    need = walk(need_a, "served", aid=aid)
    cadre = Client()
    first = _issue(cadre, aid.cadre_a, need)
    second = _issue(cadre, aid.cadre_a, need)
    page = Client().post(reverse("assistance:rate", args=[first]), {"satisfaction": "5"})
    assert "已作废" in page.content.decode() and not Feedback.objects.exists()
    link = FeedbackLink.objects.get(revoked_at__isnull=True)
    cadre.post(reverse("assistance:slip-revoke", args=[need.pk, link.pk]))
    assert "已作废" in Client().get(reverse("assistance:rate", args=[second])).content.decode()
    third = _issue(cadre, aid.cadre_a, need)
    FeedbackLink.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = Client().post(reverse("assistance:rate", args=[third]), {"satisfaction": "5"})
    assert "已过期" in page.content.decode() and not Feedback.objects.exists()
    missing = Client().get(reverse("assistance:rate", args=["x" * 32]))
    assert missing.status_code == 404 and "这个评价链接无效" in missing.content.decode()
    assert "<h1>服务评价</h1>" in missing.content.decode()
    revokes = AuditEntry.objects.filter(action="feedback_link.revoke", entity_id=need.pk).count()
    assert revokes == 2  # the reissue and the button


def test_only_area_staff_who_did_not_serve_it_issue_a_slip(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    for user, status in ((aid.social_a, 200), (aid.cadre_b, 404), (aid.volunteer, 404)):
        client = Client()
        client.force_login(user)
        page = client.post(reverse("assistance:slip-issue", args=[need.pk]), follow=True)
        assert page.status_code == status and not FeedbackLink.objects.exists(), user
        if status == 200:  # the provider who served it: said why, on the need page
            assert "服务人员以外" in page.content.decode()
            assert "生成服务评价单" not in page.content.decode()


@pytest.mark.parametrize("status", ["communicated", "in_service"])
def test_no_slip_before_the_service_is_done(aid, need_a, status):
    need = walk(need_a, status, aid=aid)
    client = Client()
    client.force_login(aid.cadre_a)
    page = client.post(reverse("assistance:slip-issue", args=[need.pk]), follow=True)
    assert "待回访" in page.content.decode() and not FeedbackLink.objects.exists()
