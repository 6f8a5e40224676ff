"""A full ID read states a reason from a list plus the reader's words and is limited per person per hour;
registering a number held in another area does not say that (or where) the person exists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minsheng.assistance.models import AuditEntry, Category
from minsheng.assistance.services.recipients import recipient_register, recipient_reveal_id

from .conftest import make_id

NUMBER_A = make_id("43040519450312002")


@pytest.mark.django_db
def test_the_reason_is_chosen_from_a_list_and_recorded_with_the_readers_words(client, aid):
    client.force_login(aid.civil)
    url = f"/assistance/recipients/{aid.grandma_a.pk}/reveal/"
    assert NUMBER_A not in client.post(url, {"purpose": "核对身份信息"}).content.decode()  # no reason chosen
    assert NUMBER_A not in client.post(url, {"reason": "随便看看", "purpose": "核对身份信息"}).content.decode()
    assert NUMBER_A in client.post(url, {"reason": "审核申请材料", "purpose": "低保年审"}).content.decode()
    assert AuditEntry.objects.get(action="recipient.reveal_id").purpose == "审核申请材料：低保年审"


@pytest.mark.django_db
def test_full_id_reads_are_limited_per_person_per_hour(aid, settings):
    settings.ASSISTANCE_REVEALS_PER_HOUR = 3
    for _ in range(3):
        assert recipient_reveal_id(actor=aid.civil, recipient=aid.grandma_a, purpose="审核申请材料：年审") == NUMBER_A
    with pytest.raises(ValidationError, match="一小时内最多查看 3 次"):
        recipient_reveal_id(actor=aid.civil, recipient=aid.grandma_a, purpose="审核申请材料：年审")
    assert recipient_reveal_id(actor=aid.station, recipient=aid.grandma_a, purpose="审核申请材料：年审") == NUMBER_A


@pytest.mark.django_db
def test_a_number_registered_in_another_area_is_not_revealed(aid):
    with pytest.raises(ValidationError) as elsewhere:  # 李奶奶 lives in village A; cadre B cannot see her
        recipient_register(actor=aid.cadre_b, name="某人", id_number=NUMBER_A, area=aid.village_b,
                           category=Category.TEKUN, consent=True)
    said = " ".join(elsewhere.value.message_dict["id_number"])
    assert "已登记" not in said and "潇湘村" not in said and "请联系区民政部门核实" in said
    with pytest.raises(ValidationError, match="已登记"):  # in her own area the cadre is told to look her up
        recipient_register(actor=aid.cadre_a, name="李奶奶", id_number=NUMBER_A, area=aid.village_a,
                           category=Category.TEKUN, consent=True)
