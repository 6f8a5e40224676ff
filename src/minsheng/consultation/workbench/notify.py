"""Telling contributors what became of their suggestion: e-mail through Django's mail backends, SMS behind
a provider interface.

A :class:`~minsheng.consultation.models.Notification` row is unique per (suggestion, outcome), and it is
created in the same transaction that locks the suggestion and records the outcome, so two officers
adopting at the same moment, or one reply to a group that a contributor wrote into twice, still make one
message. Sending happens after commit; a row stays unsent (``sent_at`` empty, ``error`` filled) if the
provider fails, and :func:`notifications_deliver` can be run again.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from minsheng.consultation.intake.contact import contact_channel, decrypt_contact
from minsheng.consultation.intake.models import Suggestion
from minsheng.consultation.intake.receipts import display_receipt
from minsheng.consultation.workbench.models import Notification
from minsheng.forms import site_url

log = logging.getLogger(__name__)


class SmsProvider(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsProvider:
    """The default SMS provider: writes the message to the log and sends nothing (no contract, no cost)."""

    def send(self, phone: str, text: str) -> None:
        log.warning("SMS to %s****%s: %s", phone[:3], phone[-2:], text)


def sms_provider() -> SmsProvider:
    return import_string(settings.SMS_PROVIDER)()


def notifications_plan(*, suggestions: list[Suggestion], kind: str, reply_id: int | None) -> list[int]:
    """Create the missing notification rows for contributors who left a contact; call with rows locked."""
    have = set(Notification.objects.filter(suggestion__in=suggestions, kind=kind)
               .values_list("suggestion_id", flat=True))
    new = []
    for s in suggestions:
        if s.pk in have or not s.contact_encrypted:
            continue
        channel = contact_channel(decrypt_contact(s.contact_encrypted))
        if channel:
            new.append(Notification(suggestion=s, kind=kind, channel=channel, reply_id=reply_id))
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return list(Notification.objects.filter(suggestion__in=[n.suggestion for n in new], kind=kind,
                                            sent_at=None).values_list("pk", flat=True))


def receipt_url(receipt: str) -> str:
    """The absolute link to a receipt page: messages are read outside the site, so a path alone is useless."""
    return site_url(reverse("receipt", args=[receipt]))


def _message(n: Notification) -> tuple[str, str]:
    s = n.suggestion
    status = Suggestion.Status(s.status).label
    url = receipt_url(s.receipt)
    subject = _("您的建议有了答复：{status}").format(status=status)
    answer = "\n".join(filter(None, [n.reply.text, n.reply.note and n.reply.note_heading + n.reply.note])) if n.reply else ""
    body = (_("您在「{title}」提交的建议（回执码 {receipt}）{status}。\n{value}\n查看详情：{url}").format(title=s.campaign.title, receipt=display_receipt(s.receipt), status=status, value=answer, url=url))
    return subject, body


def notifications_deliver(ids: list[int]) -> int:
    """Send the given notifications that are not sent yet; returns how many went out."""
    sent = 0
    pending = (Notification.objects.filter(pk__in=ids, sent_at=None)
               .select_related("suggestion", "suggestion__campaign", "reply"))
    for n in pending:
        # Claim the row first: of two workers handed the same ids, only one sends.
        if not Notification.objects.filter(pk=n.pk, sent_at=None).update(sent_at=timezone.now(), error=""):
            continue
        contact = decrypt_contact(n.suggestion.contact_encrypted)
        subject, body = _message(n)
        try:
            if n.channel == "email":
                send_mail(subject, body, None, [contact])
            else:
                sms_provider().send(contact, body)
        except Exception as exc:  # released, to be retried
            Notification.objects.filter(pk=n.pk).update(sent_at=None, error=str(exc)[:500])
            continue
        sent += 1
    return sent
