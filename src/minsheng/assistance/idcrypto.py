"""Resident ID numbers: checksum validation, encryption at rest, a keyed hash for lookup, masking.

One secret (``ASSISTANCE_ID_KEY``) feeds two derived keys through HKDF: a Fernet key that encrypts the number
and an HMAC key that indexes it. A plain hash would not do: there are only ~10^11 valid numbers, so an
unkeyed digest is reversed by brute force in minutes. Without the secret the platform refuses to start
handling ID numbers, except under ``DEBUG`` where a fixed development key is used and a warning is logged.

>>> id_number_valid("11010519491231002X")
True
>>> id_number_mask("11010519491231002X")
'1101**********002X'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

log = logging.getLogger(__name__)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
DEV_KEY = "minsheng-development-only-id-key-never-in-production"


def id_number_check_char(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_normalise(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_number_clean(value: str) -> str:
    """Return the normalised number or raise a ValidationError that says what is wrong with it."""
    number = id_number_normalise(value)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号应为18位（前17位为数字，末位为数字或X）", code="format")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期无效", code="birth_date") from None
    if born.year < 1900 or born > date.today():
        raise ValidationError("身份证号中的出生日期无效", code="birth_date")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位不符，请核对后重新输入", code="checksum")
    return number


def id_number_valid(value: str) -> bool:
    try:
        id_number_clean(value)
    except ValidationError:
        return False
    return True


def id_number_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_mask(number: str) -> str:
    """Keep the region prefix and the last four: enough to tell people apart on a list, not to identify them."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "*" * len(number)


def _secret() -> bytes:
    key = getattr(settings, "ASSISTANCE_ID_KEY", "")
    if key:
        return key.encode()
    if settings.DEBUG:
        log.warning("ASSISTANCE_ID_KEY is not set: ID numbers are encrypted with the PUBLIC DEVELOPMENT KEY. "
                    "Never run like this with real data; set ASSISTANCE_ID_KEY (a long random string).")
        return DEV_KEY.encode()
    raise ImproperlyConfigured("ASSISTANCE_ID_KEY is not set: it encrypts resident ID numbers (use a long random "
                               "string, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")


@lru_cache(maxsize=4)
def _keys(secret: bytes) -> tuple[Fernet, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=b"minsheng-assistance-id",
                    info=b"fernet+hmac").derive(secret)
    return Fernet(base64.urlsafe_b64encode(material[:32])), material[32:]


def id_number_encrypt(number: str) -> str:
    fernet, _ = _keys(_secret())
    return fernet.encrypt(number.encode()).decode()


def id_number_decrypt(token: str) -> str:
    fernet, _ = _keys(_secret())
    return fernet.decrypt(token.encode()).decode()


def id_number_hash(number: str) -> str:
    """The keyed hash that finds a recipient by ID number without decrypting every row."""
    _, mac_key = _keys(_secret())
    return hmac.new(mac_key, id_number_normalise(number).encode(), hashlib.sha256).hexdigest()
