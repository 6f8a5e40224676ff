"""A provider's access follows the live assignment: declining, being withdrawn or finishing ends it."""

from __future__ import annotations

import json

import pytest

from minsheng.assistance.services.dispatch import assignment_decline, need_dispatch

from .conftest import walk


def _sees(client, aid, need) -> dict:
    api = json.loads(client.get("/assistance/api/needs/").content)
    return {"need": client.get(f"/assistance/needs/{need.pk}/").status_code,
            "recipient": client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").status_code,
            "api": [n["id"] for n in api["needs"]]}


@pytest.mark.django_db
def test_a_volunteer_who_declined_no_longer_opens_the_need_or_the_person(client, aid, need_a):
    client.force_login(aid.volunteer)
    walk(need_a, "communicated", aid=aid)
    offer = need_dispatch(actor=aid.station, need=need_a, provider=aid.p_volunteer)
    assert _sees(client, aid, need_a) == {"need": 200, "recipient": 200, "api": [need_a.pk]}
    assignment_decline(actor=aid.volunteer, assignment=offer, reason="本周外出，无法上门")
    assert _sees(client, aid, need_a) == {"need": 404, "recipient": 404, "api": []}
    assert "没有找到救助对象" in client.post("/assistance/recipients/", {"q": "李奶奶"}, follow=True).content.decode()


@pytest.mark.django_db
def test_a_provider_whose_offer_was_withdrawn_or_who_finished_loses_access(client, aid, need_a):
    from minsheng.assistance.services.needs import need_create

    client.force_login(aid.volunteer)
    walk(need_a, "communicated", aid=aid)
    need_dispatch(actor=aid.station, need=need_a, provider=aid.p_volunteer)
    need_dispatch(actor=aid.station, need=need_a, provider=aid.p_social)  # the volunteer's offer is withdrawn
    assert _sees(client, aid, need_a) == {"need": 404, "recipient": 404, "api": []}

    care = need_create(actor=aid.cadre_a, recipient=aid.grandma_a, need_type="daily_care", channel="cadre",
                       description="每周帮忙打扫卫生", goal="家里干净")
    walk(care, "in_service", aid=aid, provider=aid.p_volunteer)
    assert _sees(client, aid, care) == {"need": 200, "recipient": 200, "api": [care.pk]}
    from minsheng.assistance.services.visits import visit_checkout

    visit_checkout(actor=aid.volunteer, visit=care.visits.get(), place="李奶奶家", work_done="打扫了厨房",
                   finish=True)
    assert _sees(client, aid, care) == {"need": 404, "recipient": 404, "api": []}


def _offered_the_work(client, aid, need_a):
    """The person's contact written, ``need_a`` offered to the volunteer of another village, signed in as them."""
    from minsheng.assistance.services.recipients import recipient_update

    recipient_update(actor=aid.cadre_a, recipient=aid.grandma_a, phone="13812345678", address="潇湘村3组18号",
                     guardian_name="李建国", guardian_relation="儿子", guardian_phone="13987654321")
    client.force_login(aid.volunteer)
    walk(need_a, "communicated", aid=aid)
    return need_dispatch(actor=aid.station, need=need_a, provider=aid.p_volunteer)


@pytest.mark.django_db
@pytest.mark.parametrize("shown", ["recipients", "needs"])
def test_a_provider_reads_the_persons_phone_and_address_once_they_took_the_work(client, aid, need_a, shown):
    """An offer is not yet the work: a volunteer asked to serve someone of another village decides on the need
    (what, where, when), and may decline it. Until they accept, the person's page masks the phone, the address
    below the village and the relative's name and phone; a provider who accepted reads them to go to the door.
    The need's page, where the worklist leads a provider to do the work, named the person but said neither where
    they live nor how to call them: it says them now, on the same terms."""
    from minsheng.assistance.services.dispatch import assignment_accept

    offer = _offered_the_work(client, aid, need_a)
    url = f"/assistance/{shown}/{aid.grandma_a.pk if shown == 'recipients' else need_a.pk}/"
    page = client.get(url).content.decode()
    for kept in ("13812345678", "3组18号", "李建国", "13987654321"):
        assert kept not in page, kept
    assert "138****5678" in page and "接单后可见" in page
    assignment_accept(actor=aid.volunteer, assignment=offer)
    page = client.get(url).content.decode()
    for kept in ('href="tel:13812345678"', "潇湘村3组18号", "李建国", "13987654321"):
        assert kept in page, kept
    client.force_login(aid.cadre_a)  # the village's own cadre reads them whatever the assignment
    assert "潇湘村3组18号" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_providers_first_read_of_how_to_reach_the_person_is_audited_once_per_need(client, aid, need_a):
    """As a full ID number's read is: the area sees who was handed a vulnerable person's address, for which
    service. Not an offer (nothing shown), not each reload, not the area's own staff."""
    from minsheng.assistance.models import AuditEntry
    from minsheng.assistance.services.audit import purpose_words
    from minsheng.assistance.services.dispatch import assignment_accept

    offer = _offered_the_work(client, aid, need_a)
    reads = AuditEntry.objects.filter(action="recipient.read_contact")
    client.get(f"/assistance/needs/{need_a.pk}/")
    assert not reads.exists()
    assignment_accept(actor=aid.volunteer, assignment=offer)
    for url in (f"/assistance/needs/{need_a.pk}/", f"/assistance/needs/{need_a.pk}/",
                f"/assistance/recipients/{aid.grandma_a.pk}/"):
        client.get(url)
    entry = reads.get()
    assert (entry.actor, entry.entity_id, entry.area_id) == (aid.volunteer, aid.grandma_a.pk, aid.grandma_a.area_id)
    assert f"#{need_a.pk}" in purpose_words(entry.purpose)
    client.force_login(aid.cadre_a)
    client.get(f"/assistance/needs/{need_a.pk}/")
    assert reads.count() == 1
    client.force_login(aid.civil)
    assert "服务人员查看住址和电话" in client.get("/assistance/audit/").content.decode()


@pytest.mark.django_db
def test_a_provider_offered_the_work_cannot_confirm_a_phone_by_searching(client, aid, need_a):
    """The page masks the phone until the provider accepts; the search must not answer "found" for the number
    (or for its hidden middle digits) either, while the person's name still finds them."""
    from minsheng.assistance.services.dispatch import assignment_accept
    from minsheng.assistance.services.recipients import recipient_update

    recipient_update(actor=aid.cadre_a, recipient=aid.grandma_a, phone="13812345678")
    client.force_login(aid.volunteer)
    walk(need_a, "communicated", aid=aid)
    offer = need_dispatch(actor=aid.station, need=need_a, provider=aid.p_volunteer)

    def found(q: str) -> bool:
        page = client.post("/assistance/recipients/", {"q": q}, follow=True).content.decode()
        return f"/assistance/recipients/{aid.grandma_a.pk}/" in page

    assert found("李奶奶")
    assert not found("13812345678") and not found("1234")
    assignment_accept(actor=aid.volunteer, assignment=offer)
    assert found("13812345678") and found("1234")


@pytest.mark.django_db
def test_a_read_is_logged_once_per_need_in_whatever_language_it_was_read(client, aid, need_a, monkeypatch):
    """The purpose was the translated text and the check for an earlier entry compared it: a second reader's
    language made a second entry for the same need. The stored purpose is a code, put in words on the page."""
    from minsheng.assistance.models import AuditEntry
    from minsheng.assistance.services import recipients

    recipients.contact_read(actor=aid.volunteer, recipient=aid.grandma_a, needs=[need_a])
    monkeypatch.setattr(recipients, "_", lambda text: f"[another language] {text}")
    recipients.contact_read(actor=aid.volunteer, recipient=aid.grandma_a, needs=[need_a])
    assert AuditEntry.objects.filter(action="recipient.read_contact").count() == 1
    client.force_login(aid.civil)
    page = client.get("/assistance/audit/").content.decode()
    assert f"上门服务：需求 #{need_a.pk}" in page and f"need:{need_a.pk}" not in page
