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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_SALT = "minsheng.consultation.challenge"
_DIGITS = gettext_lazy("零一二三四五六七八九")


@dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    token: str

    @property
    def question(self) -> str:
        return _("{value}加{value2}等于几？（请填阿拉伯数字）").format(value=_DIGITS[self.a], value2=_DIGITS[self.b])


def new_challenge(*, now: float | None = None) -> Challenge:
    a, b = random.randint(1, 9), random.randint(1, 9)
    token = signing.dumps({"a": a, "b": b, "t": time.time() if now is None else now, "n": secrets.token_hex(8)},
                          salt=_SALT)
    return Challenge(a, b, token)


def challenge_problem(token: str, answer: str, *, now: float | None = None, min_seconds: float = 2,
                      max_age: float = 7200) -> str:
    """"" when the answer passes, else why not: "invalid", "expired", "wrong", "early" (sooner than a person
    types) or "used" (a token already spent)."""
    now = time.time() if now is None else now
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return "invalid"
    elapsed = now - float(data.get("t", 0))
    if elapsed > max_age:
        return "expired"
    if answer.strip() != str(data["a"] + data["b"]):
        return "wrong"
    if elapsed < min_seconds:
        return "early"
    from minsheng.consultation._db.ratelimit import rate_hit

    # one use per nonce: the window is the token's own (its issue time), so it cannot roll over
    fresh = rate_hit(key=f"challenge:{data.get('n', token)}", limit=1, period=int(max_age),
                     now=float(data.get("t", 0))).allowed
    return "" if fresh else "used"


def check_challenge(token: str, answer: str, **limits) -> bool:
    return not challenge_problem(token, answer, **limits)


def challenge_started(token: str) -> float | None:
    """When the person first opened the form: a question asked again after an error keeps that time, so a
    quick, correct second answer is not taken for a bot."""
    try:
        return float(signing.loads(token, salt=_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
