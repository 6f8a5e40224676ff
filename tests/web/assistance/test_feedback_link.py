"""The recipient rates a service herself with no account: area staff print a slip with a one-time link (QR
code); the page it opens takes one rating, stored as her own (本人评价), until it expires or is revoked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_script_prefix
from django.urls import reverse
from django.utils import timezone

from minsheng.assistance.models import AuditEntry, Feedback, FeedbackLink, Need
from minsheng.assistance.services.feedback import feedback_by_link, feedback_link_issue, feedback_link_revoke

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


def _scan(token, client=None):
    """Her phone opens the slip's address: sent on at once to the page without the token."""
    client = client or Client()
    first = client.get(reverse("assistance:rate-token", args=[token]))
    assert first.status_code == 302 and first["Location"] == reverse("assistance:rate"), first
    return client


def test_the_recipient_rates_once_through_the_slip_and_it_counts_as_her_own(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    token = _issue(Client(), aid.cadre_a, need)
    stranger = _scan(token)  # her phone: no account, no session
    page = stranger.get(reverse("assistance:rate"))
    html = page.content.decode()
    assert page.status_code == 200 and "李**，您好" in html and "李奶奶" not in html and "13800001111" not in html
    assert "这次服务您满意吗？" in html and "智能设备教学" in html
    done = stranger.post(reverse("assistance:rate"), {"satisfaction": "4", "comment": "小吴很耐心"},
                         follow=True)
    assert "谢谢您的评价！" in done.content.decode() and "4 满意" in done.content.decode()
    need.refresh_from_db()
    assert need.status == "closed"
    fb = Feedback.objects.get(need=need)
    assert (fb.source, fb.satisfaction, fb.comment, fb.recorded_by) == ("recipient", 4, "小吴很耐心", None)
    assert FeedbackLink.objects.get(need=need).feedback == fb
    again = stranger.post(reverse("assistance:rate"), {"satisfaction": "1"}, follow=True)
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
    thanks = _scan(token).post(reverse("assistance:rate"), {"satisfaction": "2"}, follow=True)
    assert "服务人员 吴社工" in thanks.content.decode()  # the need's provider is cleared by the reopening
    need.refresh_from_db()
    assert need.status == "communicated" and need.reopen_count == 1
    need = walk(need, "served", aid=aid, skip_talk=True)
    page = _scan(token).post(reverse("assistance:rate"), {"satisfaction": "5"}, follow=True)
    need.refresh_from_db()
    assert need.status == "served" and Feedback.objects.filter(need=need).count() == 1
    assert "您的评价：2 不满意" in page.content.decode()


def test_an_expired_a_revoked_and_a_reissued_slip_are_refused_in_words(aid, need_a, settings):
    need = walk(need_a, "served", aid=aid)
    cadre = Client()
    first = _issue(cadre, aid.cadre_a, need)
    second = _issue(cadre, aid.cadre_a, need)
    page = _scan(first).post(reverse("assistance:rate"), {"satisfaction": "5"})
    assert "已作废" in page.content.decode() and not Feedback.objects.exists()
    link = FeedbackLink.objects.get(revoked_at__isnull=True)
    cadre.post(reverse("assistance:slip-revoke", args=[need.pk, link.pk]))
    assert "已作废" in _scan(second).get(reverse("assistance:rate")).content.decode()
    third = _issue(cadre, aid.cadre_a, need)
    FeedbackLink.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = _scan(third).post(reverse("assistance:rate"), {"satisfaction": "5"})
    assert "已过期" in page.content.decode() and not Feedback.objects.exists()
    missing = Client().get(reverse("assistance:rate-token", args=["x" * 32]), follow=True)
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


def _sessions_hold(token: str) -> bool:
    return any(token in str(row.get_decoded()) for row in Session.objects.all())


def test_the_slip_shows_its_token_once_and_no_session_keeps_it(aid, need_a):
    """Only the token's hash is kept: the slip takes the raw token out of the session as it shows it, and a
    reprint is a reissue, which voids the old link."""
    need = walk(need_a, "served", aid=aid)
    cadre = Client()
    token = _issue(cadre, aid.cadre_a, need)
    assert not _sessions_hold(token)
    link = FeedbackLink.objects.get(need=need)
    again = cadre.get(reverse("assistance:slip", args=[need.pk, link.pk])).content.decode()
    assert "<svg" not in again and token not in again and "只在生成时显示一次" in again and "旧的二维码会作废" in again
    stranger = _scan(token)
    assert not _sessions_hold(token)
    assert "这次服务您满意吗？" in stranger.get(reverse("assistance:rate")).content.decode()


def test_the_token_leaves_the_address_at_the_first_request(aid, need_a):
    """The token in a path reaches access logs, CSRF warnings and Referers: the page that takes the rating has
    an address without it, and answers only the phone that opened the link."""
    need = walk(need_a, "served", aid=aid)
    token = _issue(Client(), aid.cadre_a, need)
    phone = Client(enforce_csrf_checks=True)
    _scan(token, phone)
    page = phone.get(reverse("assistance:rate"))
    assert page.status_code == 200 and token not in page.content.decode()
    done = phone.post(reverse("assistance:rate"), {"satisfaction": "5", "csrfmiddlewaretoken": page.context["csrf_token"]})
    assert done.status_code == 302 and token not in done["Location"]
    assert Feedback.objects.get(need=need).source == "recipient"
    other = Client().post(reverse("assistance:rate"), {"satisfaction": "1"})
    assert other.status_code == 404 and Feedback.objects.count() == 1


def test_the_provider_who_served_it_cannot_revoke_the_slip(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    _issue(Client(), aid.cadre_a, need)
    link = FeedbackLink.objects.get(need=need)
    provider = Client()
    provider.force_login(aid.social_a)
    assert "作废这个二维码" not in provider.get(reverse("assistance:need", args=[need.pk])).content.decode()
    page = provider.post(reverse("assistance:slip-revoke", args=[need.pk, link.pk]), follow=True)
    assert "服务人员以外" in page.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize("site", ["https://gov.example", "https://gov.example/ms", "https://gov.example/ms/"])
def test_the_slip_address_names_the_script_prefix_once(aid, need_a, settings, site):
    settings.MINSHENG_SITE_URL = site
    need = walk(need_a, "served", aid=aid)
    cadre = Client()
    cadre.force_login(aid.cadre_a)
    cadre.post(reverse("assistance:slip-issue", args=[need.pk]))
    slip = reverse("assistance:slip", args=[need.pk, FeedbackLink.objects.get(need=need).pk])
    with override_script_prefix("/ms/"):  # served under /ms behind a proxy: reverse() names the prefix
        html = cadre.get(slip).content.decode()
    assert re.search(r'slip-url">https://gov\.example/ms/assistance/rate/[\w-]+/<', html), html


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database takes no row locks")
def test_every_writer_of_links_locks_the_need_before_the_link(aid, need_a):
    """Issue locked the need then its links, a rating the link then the need: a reissue at the moment of a
    rating could deadlock (a 500 on PostgreSQL). One order everywhere."""
    need = walk(need_a, "served", aid=aid)
    for act in (lambda: feedback_link_issue(actor=aid.cadre_a, need=need),
                lambda: feedback_link_revoke(actor=aid.cadre_a, link=FeedbackLink.objects.get(revoked_at=None)),
                lambda: feedback_link_issue(actor=aid.cadre_a, need=need),
                lambda: feedback_by_link(link_id=FeedbackLink.objects.get(revoked_at=None).pk, satisfaction=5)):
        with CaptureQueriesContext(connection) as seen:
            act()
        tables = [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in seen.captured_queries
                  if "FOR UPDATE" in q["sql"]]
        assert tables and tables[0] == Need._meta.db_table, tables


def test_her_own_rating_answers_the_goal_and_counts_as_a_contact(aid, need_a):
    """Her rating through the slip left 期望效果达成率 at — (she was never asked) and 最近联系 untouched (only a
    revisit touched it): she is asked in her words, and her answer and her rating count as any service feedback."""
    from minsheng.assistance.selectors.dashboard import dashboard_stats

    need = walk(need_a, "served", aid=aid)
    token = _issue(Client(), aid.cadre_a, need)
    phone = _scan(token)
    html = phone.get(reverse("assistance:rate")).content.decode()
    assert "您希望的“能与家人视频通话”，现在做到了吗？" in html and "做到了" in html and "说不清" in html
    phone.post(reverse("assistance:rate"), {"satisfaction": "5", "goal_achieved": "yes"})
    fb = Feedback.objects.get(need=need)
    assert (fb.source, fb.goal_achieved) == ("recipient", True)
    assert dashboard_stats(aid.civil, now=timezone.now())["total"]["goal_rate"] == 100
    need.recipient.refresh_from_db()
    assert need.recipient.last_contact_at == fb.recorded_at


def test_her_rating_without_the_goal_answered_is_no_answer(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    phone = _scan(_issue(Client(), aid.cadre_a, need))
    phone.post(reverse("assistance:rate"), {"satisfaction": "4", "goal_achieved": "unchecked"})
    assert Feedback.objects.get(need=need).goal_achieved is None
