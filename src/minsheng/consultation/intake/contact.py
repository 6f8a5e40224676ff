"""Contacts (phone, e-mail) identify a person, so they are encrypted at rest, with a key of their own.

``CONTACT_KEY`` lists secrets the MultiFernet way (``new,old``): the first encrypts, any decrypts, and
``minsheng manage rotate_keys`` re-encrypts every stored contact with the first. It is separate from
``SECRET_KEY`` on purpose: rotating the session-signing key must not make contacts unreadable (and with
them the notifications promised to people). Outside ``DEBUG`` the server refuses to start without it; under
``DEBUG`` a key derived from ``SECRET_KEY`` is used, with a warning.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contact_channel(contact: str) -> str | None:
    """How a contributor is told of the answer: "email", "sms", or None when no message can reach ``contact``."""
    from minsheng.engine.masking import is_phone  # pandas and pyarrow load with it: not at every start

    contact = contact.strip()
    if EMAIL.match(contact):
        return "email"
    if is_phone(contact):  # a phone plan's number, not any run of digits (a partner's user id 100234567)
        return "sms"
    return None


def contact_problem(contact: str) -> str | None:
    """Why ``contact`` cannot be kept, in the words the writer's sender reads; None for a phone, an e-mail or
    nothing. A notice goes to phones and e-mails alone (:func:`contact_channel`): a partner's user id or a 微信
    stored as the contact was never told of the answer, though kept encrypted as if it would be. One check for
    the public form, the partner API and anything else that stores a contact."""
    if not contact.strip() or contact_channel(contact) is not None:
        return None
    return _("contact（联系方式）只能是手机号或电子邮箱：部门答复后按它通知，其他联系方式（如微信号、平台用户编号）"
             "无法通知；不需要通知请不填")


def _secrets() -> list[str]:
    secrets = [part.strip() for part in settings.CONTACT_KEY.split(",") if part.strip()]
    if secrets:
        return secrets
    if settings.DEBUG:
        log.warning("CONTACT_KEY is not set: contacts are encrypted with a key derived from SECRET_KEY (DEBUG only)")
        return [f"derived-from-secret-key:{settings.SECRET_KEY}"]
    raise ImproperlyConfigured("CONTACT_KEY is not set: it encrypts contributors' phone numbers and e-mails (use a "
                               "long random string, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"minsheng-contact:" + s.encode()).digest()))
                        for s in _secrets()])


def contact_keys_check() -> None:
    _secrets()


def encrypt_contact(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt_contact(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:  # not silent: a notification will not reach this person
        log.error("a contact was encrypted with a key CONTACT_KEY no longer lists; put the old key back")
        return ""


def contact_readable(token: str) -> bool:
    """Whether a listed key opens ``token``: ``check_keys`` asks it of every stored contact after a restore, so it
    answers quietly instead of logging one error per row as :func:`decrypt_contact` does."""
    try:
        _fernet().decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate_contact(token: str) -> str:
    """``token`` encrypted again with the first key (raises InvalidToken if no listed key opens it)."""
    return _fernet().rotate(token.encode()).decode() if token else ""
