"""Time limits by urgency, the shortest visit, upload limits: settings with defaults, overridable from the environment.

``ASSISTANCE_SLA_HOURS`` may be a dict in settings or, in the environment, ``urgent=24,normal=168``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from minsheng.web.env import env_int, env_str

DEFAULT_SLA_HOURS = {"urgent": 24, "high": 72, "normal": 168, "low": 336}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENT_TYPES = {"application/pdf"} | IMAGE_TYPES


def _parse(raw: str) -> dict[str, int]:
    out = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = part.partition("=")
        if key.strip() not in DEFAULT_SLA_HOURS or not value.strip().isdigit():
            raise ImproperlyConfigured(f"ASSISTANCE_SLA_HOURS: bad item {part!r} (use e.g. urgent=24,normal=168)")
        out[key.strip()] = int(value)
    return out


def sla_hours() -> dict[str, int]:
    configured = getattr(settings, "ASSISTANCE_SLA_HOURS", None) or _parse(env_str("ASSISTANCE_SLA_HOURS"))
    return {**DEFAULT_SLA_HOURS, **configured}


def sla(urgency: str) -> timedelta:
    return timedelta(hours=sla_hours()[urgency])


def min_visit() -> timedelta:
    """The shortest visit a check-out is accepted for: in and out within a minute is not a home visit."""
    minutes = getattr(settings, "ASSISTANCE_MIN_VISIT_MINUTES", None)
    return timedelta(minutes=env_int("ASSISTANCE_MIN_VISIT_MINUTES", 5) if minutes is None else minutes)


def upload_max_bytes() -> int:
    return getattr(settings, "ASSISTANCE_UPLOAD_MAX_BYTES", None) or env_int("ASSISTANCE_UPLOAD_MAX_BYTES",
                                                                          5 * 1024 * 1024)
