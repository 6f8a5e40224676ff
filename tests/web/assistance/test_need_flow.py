"""The loop through the services: talk before dispatch, dispatch within the area, serve, revisit, close.

Each bad input is a clear error and leaves nothing half-saved.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.assistance.models import Assignment, AuditEntry, Communication, Feedback, Need, Visit
from minsheng.assistance.services.dispatch import assignment_accept, assignment_decline, need_dispatch
from minsheng.assistance.services.feedback import feedback_record
from minsheng.assistance.services.needs import need_communicate, need_create
from minsheng.assistance.services.visits import visit_checkin, visit_checkout

from .conftest import walk


def _counts():
    return (Need.objects.count(), Communication.objects.count(), Assignment.objects.count(), Visit.objects.count(),
            Feedback.objects.count(), AuditEntry.objects.count())


def test_the_whole_loop_closes_and_every_step_is_audited(aid, need_a):
    assert need_a.status == "new" and need_a.channel == "cadre"
    need = walk(need_a, "served", aid=aid)
    assert need.first_contact_at is not None and need.served_at is not None
    feedback_record(actor=aid.cadre_a, need=need, source="revisit", satisfaction=5, comment="儿子每天和我视频",
                    goal_achieved=True)
    need.refresh_from_db()
    assert need.status == "closed" and need.closed_at is not None
    actions = list(AuditEntry.objects.filter(entity="need", entity_id=need.pk).order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["need.create", "need.communicate", "need.dispatch", "assignment.accept", "visit.checkin",
                       "visit.checkout", "need.close"]
    close = AuditEntry.objects.get(action="need.close")
    assert close.changes["status"] == ["served", "closed"] and close.actor == aid.cadre_a
    aid.grandma_a.refresh_from_db()
    assert aid.grandma_a.last_contact_at == close.at


def test_no_dispatch_before_the_pre_service_talk(aid, need_a):
    before = _counts()
    with pytest.raises(ValidationError, match="服务前沟通"):
        need_dispatch(actor=aid.station, need=need_a, provider=aid.p_social)
    assert _counts() == before


def test_a_dispatch_outside_the_providers_area_is_refused(aid, need_a):
    need = walk(need_a, "communicated", aid=aid)
    before = _counts()
    with pytest.raises(ValidationError, match="服务区域不包括潇湘村"):
        need_dispatch(actor=aid.station, need=need, provider=aid.p_far)
    assert _counts() == before
    need.refresh_from_db()
    assert need.status == "communicated" and need.provider is None


def test_only_dispatchers_of_the_area_dispatch(aid, need_a):
    need = walk(need_a, "communicated", aid=aid)
    for who in (aid.cadre_a, aid.social_a, aid.volunteer, aid.cadre_b, aid.outsider):
        with pytest.raises(PermissionDenied):
            need_dispatch(actor=who, need=need, provider=aid.p_social)
    assert need_dispatch(actor=aid.civil, need=need, provider=aid.p_social).provider == aid.p_social


def test_a_decline_needs_a_reason_and_returns_the_need_to_dispatch(aid, need_a):
    need = walk(need_a, "dispatched", aid=aid, provider=aid.p_volunteer)
    offer = need.assignments.get()
    with pytest.raises(ValidationError, match="理由"):
        assignment_decline(actor=aid.volunteer, assignment=offer, reason=" ")
    with pytest.raises(PermissionDenied):
        assignment_decline(actor=aid.social_a, assignment=offer, reason="不是我的")
    assignment_decline(actor=aid.volunteer, assignment=offer, reason="这周在外地培训")
    need.refresh_from_db()
    offer.refresh_from_db()
    assert (need.status, need.provider, offer.status, offer.decline_reason) == (
        "communicated", None, "declined", "这周在外地培训")
    with pytest.raises(ValidationError, match="已拒单"):
        assignment_accept(actor=aid.volunteer, assignment=offer)


def test_a_double_check_in_is_refused(aid, need_a):
    need = walk(need_a, "in_service", aid=aid)
    before = _counts()
    with pytest.raises(ValidationError, match="请先签退"):
        visit_checkin(actor=aid.social_a, need=need, place="李奶奶家")
    assert _counts() == before


def test_several_visits_per_need(aid, need_a):
    need = walk(need_a, "in_service", aid=aid)
    visit = need.visits.get()
    visit_checkout(actor=aid.social_a, visit=visit, place="李奶奶家", work_done="装好微信", finish=False)
    need.refresh_from_db()
    assert need.status == "in_service"
    second = visit_checkin(actor=aid.social_a, need=need, place="村部")
    visit_checkout(actor=aid.social_a, visit=second, place="村部", work_done="练习视频通话", finish=True)
    need.refresh_from_db()
    assert need.status == "served" and need.visits.count() == 2


def test_only_the_assigned_provider_checks_in(aid, need_a):
    need = walk(need_a, "accepted", aid=aid)
    for who in (aid.volunteer, aid.cadre_a, aid.station):
        with pytest.raises(PermissionDenied):
            visit_checkin(actor=who, need=need, place="x")


def test_feedback_on_a_need_never_served_is_refused(aid, need_a):
    need = walk(need_a, "in_service", aid=aid)
    before = _counts()
    with pytest.raises(ValidationError, match="尚未完成服务"):
        feedback_record(actor=aid.cadre_a, need=need, source="revisit", satisfaction=5)
    assert _counts() == before


def test_the_provider_cannot_revisit_their_own_work(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    with pytest.raises(ValidationError, match="服务人员以外"):
        feedback_record(actor=aid.social_a, need=need, source="revisit", satisfaction=5)
    with pytest.raises(PermissionDenied):
        feedback_record(actor=aid.cadre_b, need=need, source="revisit", satisfaction=5)


def test_dissatisfaction_reopens_the_need(aid, need_a):
    need = walk(need_a, "served", aid=aid)
    feedback_record(actor=aid.grandma_user, need=need, source="recipient", satisfaction=2, comment="还是不会用",
                    goal_achieved=False)
    need.refresh_from_db()
    assert (need.status, need.reopen_count, need.provider, need.closed_at) == ("communicated", 1, None, None)
    assert AuditEntry.objects.filter(action="need.reopen", entity_id=need.pk).exists()
    # …and goes round again to closure.
    assignment = need_dispatch(actor=aid.station, need=need, provider=aid.p_social)
    assignment_accept(actor=aid.social_a, assignment=assignment)
    visit = visit_checkin(actor=aid.social_a, need=need, place="李奶奶家")
    visit_checkout(actor=aid.social_a, visit=visit, place="李奶奶家", work_done="再教一遍", finish=True)
    feedback_record(actor=aid.grandma_user, need=need, source="recipient", satisfaction=4, goal_achieved=True)
    need.refresh_from_db()
    assert need.status == "closed" and list(need.feedback.values_list("goal_achieved", flat=True)) == [False, True]


def test_the_recipient_records_their_own_need_but_not_someone_elses(aid):
    need = need_create(actor=aid.grandma_user, recipient=aid.grandma_a, need_type="companionship",
                       channel="cadre", description="一个人在家闷")
    assert need.channel == "self" and need.created_by == aid.grandma_user
    with pytest.raises(PermissionDenied):
        need_create(actor=aid.grandma_user, recipient=aid.grandpa_b, need_type="companionship", channel="self",
                    description="x")


def test_an_empty_description_is_a_field_error(aid):
    with pytest.raises(ValidationError) as err:
        need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="policy", channel="cadre", description=" ")
    assert "description" in err.value.message_dict and Need.objects.count() == 0


def test_talks_cannot_be_dated_in_the_future(aid, need_a):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValidationError, match="晚于现在"):
        need_communicate(actor=aid.cadre_a, need=need_a, mode="phone", agreed="x",
                         talked_at=timezone.now() + timedelta(hours=2))
