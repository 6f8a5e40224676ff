"""Resident ID numbers: checksum validation, encryption at rest, a keyed hash for lookup, masking.

One secret (``ASSISTANCE_ID_KEY``) feeds two derived keys through HKDF: a Fernet key that encrypts the number
and an HMAC key that indexes it. A plain hash would not do: there are only ~10^11 valid numbers, so an
unkeyed digest is reversed by brute force in minutes. Without the secret the platform refuses to start
(``minsheng serve`` and the WSGI application check it), except under ``DEBUG`` where a fixed development key
is used and a warning is logged.

Keys are versioned the MultiFernet way: ``ASSISTANCE_ID_KEY=new,old`` encrypts and indexes with the first
secret, decrypts with any, and finds a person by the hash of any; ``minsheng manage rotate_keys`` then
re-encrypts and re-hashes every row with the first, after which the old secret can be dropped.

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

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

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
        raise ValidationError(_("身份证号应为18位（前17位为数字，末位为数字或X）"), code="format")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效"), code="birth_date") from None
    if born.year < 1900 or born > date.today():
        raise ValidationError(_("身份证号中的出生日期无效"), code="birth_date")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不符，请核对后重新输入"), code="checksum")
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


def _secrets() -> tuple[bytes, ...]:
    raw = settings.ASSISTANCE_ID_KEY
    secrets = tuple(part.strip().encode() for part in raw.split(",") if part.strip())
    if secrets:
        return secrets
    if settings.DEBUG:
        log.warning("ASSISTANCE_ID_KEY is not set: ID numbers are encrypted with the PUBLIC DEVELOPMENT KEY. "
                    "Never run like this with real data; set ASSISTANCE_ID_KEY (a long random string).")
        return (DEV_KEY.encode(),)
    raise ImproperlyConfigured("ASSISTANCE_ID_KEY is not set: it encrypts resident ID numbers (use a long random "
                               "string, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")


def id_keys_check() -> None:
    """Raise ImproperlyConfigured now, at start-up, rather than on the first request that needs the key."""
    _secrets()


@lru_cache(maxsize=8)
def _derive(secret: bytes) -> tuple[Fernet, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=b"minsheng-assistance-id",
                    info=b"fernet+hmac").derive(secret)
    return Fernet(base64.urlsafe_b64encode(material[:32])), material[32:]


def _fernet() -> MultiFernet:
    return MultiFernet([_derive(secret)[0] for secret in _secrets()])


class IdKeyLost(Exception):
    """The number was encrypted with a secret that is no longer in ASSISTANCE_ID_KEY."""


def id_number_encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def id_number_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise IdKeyLost("encrypted with a key that ASSISTANCE_ID_KEY no longer lists") from None


def id_number_rotate(token: str) -> str:
    """``token`` encrypted again with the current (first) key."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise IdKeyLost("encrypted with a key that ASSISTANCE_ID_KEY no longer lists") from None


def _mac(mac_key: bytes, number: str) -> str:
    return hmac.new(mac_key, id_number_normalise(number).encode(), hashlib.sha256).hexdigest()


def id_number_hash(number: str) -> str:
    """The keyed hash, with the current key, that finds a recipient without decrypting every row."""
    return _mac(_derive(_secrets()[0])[1], number)


def id_number_hashes(number: str) -> list[str]:
    """The hash under every configured key: a person stored before a rotation is still found."""
    return [_mac(_derive(secret)[1], number) for secret in _secrets()]
