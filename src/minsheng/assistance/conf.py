"""Time limits by urgency, the shortest visit, upload limits: read from settings (declared in web/settings.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENT_TYPES = {"application/pdf"} | IMAGE_TYPES


def sla_hours() -> dict[str, int]:
    return settings.ASSISTANCE_SLA_HOURS


def sla(urgency: str) -> timedelta:
    return timedelta(hours=sla_hours()[urgency])


def min_visit() -> timedelta:
    """The shortest visit a check-out is accepted for: in and out within a minute is not a home visit."""
    return timedelta(minutes=settings.ASSISTANCE_MIN_VISIT_MINUTES)


def upload_max_bytes() -> int:
    return settings.ASSISTANCE_UPLOAD_MAX_BYTES


def feedback_link_days() -> int:
    """How long a printed feedback link (the QR code on the service slip) takes a rating."""
    return settings.ASSISTANCE_FEEDBACK_LINK_DAYS
