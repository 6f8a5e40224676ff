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


@pytest.mark.django_db
def test_a_provider_reads_the_persons_phone_and_address_once_they_took_the_work(client, aid, need_a):
    """An offer is not yet the work: a volunteer asked to serve someone of another village decides on the need
    (what, where, when), and may decline it. Until they accept, the person's page masks the phone, the address
    below the village and the relative's name and phone; a provider who accepted reads them to go to the door."""
    from minsheng.assistance.services.dispatch import assignment_accept
    from minsheng.assistance.services.recipients import recipient_update

    recipient_update(actor=aid.cadre_a, recipient=aid.grandma_a, phone="13812345678", address="潇湘村3组18号",
                     guardian_name="李建国", guardian_relation="儿子", guardian_phone="13987654321")
    client.force_login(aid.volunteer)
    walk(need_a, "communicated", aid=aid)
    offer = need_dispatch(actor=aid.station, need=need_a, provider=aid.p_volunteer)
    page = client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").content.decode()
    for kept in ("13812345678", "3组18号", "李建国", "13987654321"):
        assert kept not in page, kept
    assert "138****5678" in page and "接单后可见" in page
    assignment_accept(actor=aid.volunteer, assignment=offer)
    page = client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").content.decode()
    for kept in ("13812345678", "潇湘村3组18号", "李建国", "13987654321"):
        assert kept in page, kept
    client.force_login(aid.cadre_a)  # the village's own cadre reads them whatever the assignment
    assert "13812345678" in client.get(f"/assistance/recipients/{aid.grandma_a.pk}/").content.decode()


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
