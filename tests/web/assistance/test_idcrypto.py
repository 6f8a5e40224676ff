"""ID numbers: the checksum catches forgeries, the database never holds the number in the clear."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection

from minsheng.assistance.idcrypto import (
    id_number_clean,
    id_number_decrypt,
    id_number_encrypt,
    id_number_hash,
    id_number_mask,
    id_number_valid,
)

from .conftest import forge, make_id


def test_the_checksum_accepts_real_numbers_and_rejects_forged_ones():
    number = make_id("11010519491231002")
    assert number == "11010519491231002X"  # the GB 11643 example number
    assert id_number_valid(number) and id_number_valid(number.lower())
    with pytest.raises(ValidationError) as err:
        id_number_clean(forge(number))
    assert "校验位" in err.value.messages[0]
    for bad, word in [("1101051949123100", "18位"), ("11010519491331002X", "出生日期"), ("abc", "18位")]:
        with pytest.raises(ValidationError) as err:
            id_number_clean(bad)
        assert word in err.value.messages[0]


def test_masking_keeps_region_and_last_four():
    assert id_number_mask("430105194503120021") == "4301**********0021"


def test_encryption_round_trips_and_the_hash_is_keyed(settings):
    number = make_id("43040519450312002")
    token = id_number_encrypt(number)
    assert number not in token and id_number_decrypt(token) == number
    first = id_number_hash(number)
    settings.ASSISTANCE_ID_KEY = "another-secret-another-secret-another-secret"
    assert id_number_hash(number) != first  # without the key the hash cannot be recomputed


def test_no_key_outside_debug_refuses_and_debug_warns_loudly(settings, caplog):
    settings.ASSISTANCE_ID_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        id_number_encrypt("x")
    settings.DEBUG = True
    with caplog.at_level(logging.WARNING, logger="minsheng.assistance.idcrypto"):
        assert id_number_decrypt(id_number_encrypt("x")) == "x"
    assert "DEVELOPMENT KEY" in caplog.text


def test_the_database_holds_no_clear_id_number(aid):
    number = make_id("43040519450312002")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM assistance_recipient")
        rows = cursor.fetchall()
        cursor.execute("SELECT changes, purpose FROM assistance_auditentry")
        audit = cursor.fetchall()
    assert len(rows) == 2
    assert number not in repr(rows) and number[6:14] not in repr(rows)
    assert number not in repr(audit)
    assert any("4304**********" in repr(row) for row in rows)
