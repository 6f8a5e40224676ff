"""Channel API keys: shown once, stored as a SHA-256 hash, found again by a short public prefix.

A key has 256 random bits, so a fast hash is enough (no password-style stretching is needed) and the
per-request check stays cheap under load.

>>> key = generate_key(); prefix, digest = split_key(key), hash_key(key)
>>> key.startswith("msk_") and len(digest) == 64
True
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_PREFIX = "msk_"


def generate_key() -> str:
    return f"{_PREFIX}{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"


def split_key(key: str) -> str | None:
    """The lookup prefix of a key, or None when the string cannot be one of our keys."""
    if not key.startswith(_PREFIX):
        return None
    prefix, sep, secret = key[len(_PREFIX):].partition("_")
    if not sep or len(prefix) != 12 or not secret:
        return None
    return prefix


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, digest: str) -> bool:
    return hmac.compare_digest(hash_key(key), digest)
