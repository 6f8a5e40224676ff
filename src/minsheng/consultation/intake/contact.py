"""Contacts (phone, e-mail) identify a person, so they are encrypted at rest.

The key comes from ``CONTACT_KEY`` (a Fernet key) or, failing that, is derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    key = os.environ.get("CONTACT_KEY")
    if not key:
        digest = hashlib.sha256(b"minsheng-contact:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt_contact(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt_contact(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
