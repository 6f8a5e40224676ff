"""A simple challenge against bots on the public page: a signed sum, a minimum fill-in time and a honeypot.

It stops naive scripts, not a determined attacker; the per-address rate limit does the rest. A solved
challenge is spent: its nonce is counted once in the shared rate table, so replaying one token (from any
server process) fails.

>>> new_challenge(now=0.0).question.endswith("等于几？（请填阿拉伯数字）")
True
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass

from django.core import signing

_SALT = "minsheng.consultation.challenge"
_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    token: str

    @property
    def question(self) -> str:
        return f"{_DIGITS[self.a]}加{_DIGITS[self.b]}等于几？（请填阿拉伯数字）"


def new_challenge(*, now: float | None = None) -> Challenge:
    a, b = random.randint(1, 9), random.randint(1, 9)
    token = signing.dumps({"a": a, "b": b, "t": time.time() if now is None else now, "n": secrets.token_hex(8)},
                          salt=_SALT)
    return Challenge(a, b, token)


def check_challenge(token: str, answer: str, *, now: float | None = None, min_seconds: float = 2,
                    max_age: float = 7200) -> bool:
    now = time.time() if now is None else now
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return False
    elapsed = now - float(data.get("t", 0))
    if not (min_seconds <= elapsed <= max_age):
        return False
    if answer.strip() != str(data["a"] + data["b"]):
        return False
    from minsheng.consultation._db.ratelimit import rate_hit

    # one use per nonce: the window is the token's own (its issue time), so it cannot roll over
    return rate_hit(key=f"challenge:{data.get('n', token)}", limit=1, period=int(max_age),
                    now=float(data.get("t", 0))).allowed
