"""Registering recipients, finding them by ID number, reading the number in full only with a purpose."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.assistance.models import AuditEntry, Recipient
from minsheng.assistance.selectors.records import recipients_for
from minsheng.assistance.services.recipients import recipient_register, recipient_reveal_id, recipient_update

from .conftest import forge, make_id


def _register(aid, actor=None, **kw):
    fields = {"name": "张大爷", "id_number": make_id("43040519380808001"), "area": aid.village_a,
              "category": "dibao", "consent": True} | kw
    return recipient_register(actor=actor or aid.cadre_a, **fields)


def test_it_registers_with_masked_number_birth_date_and_an_audit_entry(aid):
    r = _register(aid)
    assert r.id_masked == "4304**********" + make_id("43040519380808001")[-4:]
    assert str(r.birth_date) == "1938-08-08" and r.gender == "男"
    entry = AuditEntry.objects.get(action="recipient.register", entity_id=r.pk)
    assert entry.actor == aid.cadre_a and entry.changes["name"] == [None, "张大爷"]


def test_a_forged_number_is_a_clear_error_and_nothing_is_saved(aid):
    before = (Recipient.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as err:
        _register(aid, id_number=forge(make_id("43040519380808001")))
    assert "校验位" in err.value.message_dict["id_number"][0]
    assert (Recipient.objects.count(), AuditEntry.objects.count()) == before


def test_it_refuses_duplicates_missing_consent_and_other_areas(aid):
    with pytest.raises(ValidationError, match="已登记"):
        _register(aid, id_number=make_id("43040519450312002"))  # 李奶奶's number
    with pytest.raises(ValidationError, match="同意"):
        _register(aid, consent=False)
    with pytest.raises(PermissionDenied):
        _register(aid, actor=aid.cadre_b)  # village B's cadre registering in village A
    with pytest.raises(PermissionDenied):
        _register(aid, actor=aid.volunteer)


def test_search_by_full_number_uses_the_keyed_hash_within_scope(aid):
    number = make_id("43040519450312002")
    assert list(recipients_for(aid.cadre_a, q=number)) == [aid.grandma_a]
    assert list(recipients_for(aid.cadre_a, q=number.replace("2", "2 ", 1))) == [aid.grandma_a]
    assert list(recipients_for(aid.cadre_b, q=number)) == []  # exists, but not in village B


def test_reading_in_full_needs_a_purpose_and_is_logged(aid):
    with pytest.raises(ValidationError, match="事由"):
        recipient_reveal_id(actor=aid.social_a, recipient=aid.grandma_a, purpose="  ")
    assert not AuditEntry.objects.filter(action="recipient.reveal_id").exists()
    number = recipient_reveal_id(actor=aid.social_a, recipient=aid.grandma_a, purpose="办理高龄补贴核对身份")
    assert number == make_id("43040519450312002")
    entry = AuditEntry.objects.get(action="recipient.reveal_id")
    assert (entry.actor, entry.purpose, entry.entity_id) == (aid.social_a, "办理高龄补贴核对身份", aid.grandma_a.pk)
    with pytest.raises(PermissionDenied):
        recipient_reveal_id(actor=aid.cadre_b, recipient=aid.grandma_a, purpose="想看看")


def test_an_update_is_audited_before_and_after(aid):
    recipient_update(actor=aid.social_a, recipient=aid.grandma_a, phone="13900002222", household_note="独居")
    entry = AuditEntry.objects.get(action="recipient.update")
    assert entry.changes == {"phone": ["13800001111", "13900002222"], "household_note": ["", "独居"]}
    with pytest.raises(ValidationError):
        recipient_update(actor=aid.social_a, recipient=aid.grandma_a, id_hash="x")


def test_a_rating_sent_without_a_choice_says_so(client, aid, need_a):
    """李奶奶's 提交评价 with no star chosen (an old phone's browser does not hold the form back) went back to
    我的求助 without a word: nothing was stored and nothing said so."""
    from .conftest import walk

    walk(need_a, "served", aid=aid)
    client.force_login(aid.grandma_user)
    page = client.post(f"/assistance/me/needs/{need_a.pk}/feedback/", {"comment": "很好"}, follow=True)
    assert "满意度：此项必填" in page.content.decode() and not need_a.feedback.exists()
    page = client.post(f"/assistance/me/needs/{need_a.pk}/feedback/", {"satisfaction": "5"}, follow=True)
    assert "谢谢您的评价" in page.content.decode() and need_a.feedback.count() == 1


def test_a_recipient_who_was_not_satisfied_is_told_what_happens_next(client, aid, need_a):
    """李秀英 rated a service 2 不满意 on the live demo: the need reopened (as it should), but her page said only
    谢谢您的评价！ and the service now read 待派单 with her worker gone and her rating nowhere, as if nothing she said
    had been heard. She is told it will be arranged again, and each service shows the rating she gave."""
    from .conftest import walk

    walk(need_a, "served", aid=aid)
    client.force_login(aid.grandma_user)
    page = client.post(f"/assistance/me/needs/{need_a.pk}/feedback/", {"satisfaction": "2", "comment": "教得太快"},
                       follow=True).content.decode()
    assert "重新安排" in page and "您的评价：2 不满意" in page
    walk(need_a, "served", aid=aid, skip_talk=True)
    page = client.post(f"/assistance/me/needs/{need_a.pk}/feedback/", {"satisfaction": "5"}, follow=True).content.decode()
    assert "谢谢您的评价" in page and "重新安排" not in page and "您的评价：5 非常满意" in page


def test_a_recipient_reads_her_services_in_her_own_words_not_the_staffs(client, aid, need_a):
    """李秀英's page named her services by the staff's steps: 待派单 (dispatch is the station's word), 待回访 beside
    这次服务您满意吗？ (the revisit is the cadre's), 待接单. She reads what is happening for her."""
    from .conftest import walk

    client.force_login(aid.grandma_user)
    walk(need_a, "communicated", aid=aid)
    page = client.get("/assistance/me/").content.decode()
    assert "正在安排服务人员" in page and "待派单" not in page
    walk(need_a, "served", aid=aid, skip_talk=True)
    page = client.get("/assistance/me/").content.decode()
    assert "服务已完成，请您评价" in page and "待回访" not in page
