"""Reassign, reply, adopt: the officers' writes, their checks and the notifications they cause."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.consultation.intake.receipts import display_receipt

pytestmark = pytest.mark.django_db


def _letters(fed):
    return list(fed.campaign.suggestions.filter(external_id__startswith="letter-").order_by("pk"))


def test_reassign_moves_the_suggestion_and_keeps_the_correction(fed):
    from minsheng.consultation.workbench.models import DepartmentAssignment
    from minsheng.consultation.workbench.services import suggestion_reassign

    s = _letters(fed)[0]
    suggestion_reassign(user=fed.officer_a, suggestion_id=s.pk, from_department=fed.dept_a,
                        to_department=fed.dept_b, reason="属于教育")
    s.refresh_from_db()
    assert s.department == fed.dept_b and s.department_locked
    fix = DepartmentAssignment.objects.get(suggestion=s)
    assert (fix.from_department, fix.to_department, fix.by) == (fed.dept_a, fed.dept_b, fed.officer_a)


def test_an_officer_cannot_reassign_for_another_department(fed):
    from minsheng.consultation.workbench.services import suggestion_reassign

    s = _letters(fed)[0]
    with pytest.raises(PermissionDenied):
        suggestion_reassign(user=fed.officer_b, suggestion_id=s.pk, from_department=fed.dept_a,
                            to_department=fed.dept_b)


def test_a_group_reply_reaches_every_contributor_once(fed, django_capture_on_commit_callbacks):
    from minsheng.consultation.workbench.models import Notification, Reply
    from minsheng.consultation.workbench.services import reply_send, suggestion_adopt

    ids = [s.pk for s in _letters(fed)]
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(user=fed.officer_a, department=fed.dept_a, suggestion_ids=ids, text="已研究，将增设停车位。",
                   scope="group")
    assert len(mail.outbox) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"fan{i}@example.cn" for i in range(12))
    # The same suggestions answered again as part of another group: nobody hears "replied" twice.
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(user=fed.officer_a, department=fed.dept_a, suggestion_ids=ids[:5], text="补充说明。")
    assert len(mail.outbox) == 12
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_adopt(user=fed.officer_a, department=fed.dept_a, suggestion_ids=ids,
                         outcome=Reply.Outcome.ADOPTED, note="纳入城区停车规划")
    assert len(mail.outbox) == 24
    assert Notification.objects.filter(kind="adopted", sent_at__isnull=False).count() == 12
    assert set(fed.campaign.suggestions.filter(pk__in=ids).values_list("status", flat=True)) == {"adopted"}


def test_a_reply_to_a_suggestion_that_moved_is_refused(fed):
    from minsheng.consultation.workbench.models import Reply
    from minsheng.consultation.workbench.services import SuggestionMoved, reply_send, suggestion_reassign

    letters = _letters(fed)
    suggestion_reassign(user=fed.officer_a, suggestion_id=letters[3].pk, from_department=fed.dept_a,
                        to_department=fed.dept_b)
    with pytest.raises(SuggestionMoved) as exc:
        reply_send(user=fed.officer_a, department=fed.dept_a, suggestion_ids=[s.pk for s in letters], text="答复")
    assert display_receipt(letters[3].receipt) in exc.value.messages[0] and "其他部门" in exc.value.messages[0]
    assert not Reply.objects.exists()
    assert not fed.campaign.suggestions.filter(status="replied").exists()


def test_an_analyst_cannot_reply_for_a_department(fed):
    from minsheng.consultation.workbench.services import reply_send

    with pytest.raises(PermissionDenied):
        reply_send(user=fed.owner, department=fed.dept_a, suggestion_ids=[_letters(fed)[0].pk], text="答复")


def test_adoption_needs_a_note(fed):
    from minsheng.consultation.workbench.services import suggestion_adopt

    with pytest.raises(ValidationError):
        suggestion_adopt(user=fed.officer_a, department=fed.dept_a, suggestion_ids=[_letters(fed)[0].pk],
                         outcome="adopted", note=" ")


def test_sms_contacts_go_to_the_provider(fed, django_capture_on_commit_callbacks, settings):
    from minsheng.consultation.intake.contact import encrypt_contact
    from minsheng.consultation.intake.models import Suggestion
    from minsheng.consultation.workbench.services import reply_send

    sent = []

    class Recorder:
        def send(self, phone, text):
            sent.append((phone, text))

    settings.SMS_PROVIDER = f"{__name__}.RecorderHolder"
    RecorderHolder.target = Recorder
    s = _letters(fed)[0]
    Suggestion.objects.filter(pk=s.pk).update(contact_encrypted=encrypt_contact("13812345678"))
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(user=fed.officer_a, department=fed.dept_a, suggestion_ids=[s.pk], text="谢谢您的建议")
    assert len(sent) == 1 and sent[0][0] == "13812345678" and display_receipt(s.receipt) in sent[0][1]


class RecorderHolder:
    target = None

    def __new__(cls):
        return cls.target()


def test_router_retrain_reports_scores_before_and_after(fed):
    from minsheng.consultation.analysis.retrain import router_retrain

    first = router_retrain(campaign=fed.campaign, user=fed.owner)
    assert first.before == {} and 0 <= first.after["macro_f1"] <= 1 and first.after["n_test"] > 0
    second = router_retrain(campaign=fed.campaign, user=fed.owner)
    assert second.before["n_test"] == second.after["n_test"] == first.after["n_test"]
    assert second.n_train == fed.campaign.suggestions.exclude(department=None).count()


def test_router_retrain_can_train_on_a_sample(fed):
    from minsheng.consultation.analysis.retrain import router_retrain
    from minsheng.consultation.workbench.services import suggestion_reassign

    moved = _letters(fed)[0]
    suggestion_reassign(user=fed.officer_a, suggestion_id=moved.pk, from_department=fed.dept_a,
                        to_department=fed.dept_b)
    version = router_retrain(campaign=fed.campaign, user=fed.owner, max_train=60)
    assert version.n_train == 60 and version.n_corrections == 1


def test_an_officer_finds_a_letter_by_the_receipt_a_citizen_reads_out(client, fed):
    """A citizen calls with 7W5MV-V8B7F: the inbox opens that letter if it is the officer's department's, and
    says so plainly (the same words for another department's or none) if it is not."""
    s = _letters(fed)[0]
    mine = fed.officer_a if s.department_id == fed.dept_a.pk else fed.officer_b
    other = fed.officer_b if mine == fed.officer_a else fed.officer_a
    client.force_login(mine)
    assert 'name="r"' in client.get("/manage/inbox/").content.decode()
    said = f" {s.receipt[:5].lower()}-{s.receipt[5:]} "
    response = client.get("/manage/inbox/", {"r": said})
    assert response.status_code == 302 and response["Location"] == f"/manage/inbox/s/{s.pk}/"
    client.force_login(other)
    page = client.get("/manage/inbox/", {"r": said}, follow=True).content.decode()
    assert "没有这条建议，或它不在您的部门" in page and f"/manage/inbox/s/{s.pk}/" not in page
