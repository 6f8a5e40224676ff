"""Typed readers for settings that come from the environment.

Each helper fails loudly on a value it cannot parse, so a typo in deployment stops the process at start-up
instead of silently running with a default (the healthchecks way).

>>> import os; os.environ["X_DEMO"] = "yes"; env_bool("X_DEMO")
True
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks (``10.0.0.0/8, ::1``); a typo stops start-up, not a request."""
    values = env_list(name, [])
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {value!r} is not an IP address or network") from None
    return values


def env_url(name: str, default: str) -> str:
    """An absolute http(s) URL without a trailing slash, e.g. ``https://minsheng.example.gov.cn/sub``."""
    raw = os.environ.get(name)
    value = (default if raw is None or raw.strip() == "" else raw.strip()).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an absolute http(s) URL such as https://example.cn")
    return value


def env_int_map(name: str, default: dict[str, int]) -> dict[str, int]:
    """``key=int`` pairs (``urgent=24,normal=168``) over ``default``; only the default's keys are accepted."""
    out = dict(default)
    for part in env_list(name, []):
        key, _, value = (x.strip() for x in part.partition("="))
        if key not in default or not value.isdigit():
            raise ImproperlyConfigured(f"{name}: bad item {part!r} (use e.g. "
                                       + ",".join(f"{k}={v}" for k, v in list(default.items())[:2]) + ")")
        out[key] = int(value)
    return out
