"""``minsheng manage rotate_keys``: re-encrypt and re-hash every stored secret with the current key.

Rotation, step by step: put the new secret first (``ASSISTANCE_ID_KEY=new,old`` and/or ``CONTACT_KEY=new,old``)
and restart — new rows use it, old rows still decrypt and are still found; run this command; then drop
``old``. ID numbers are re-encrypted and re-hashed, contributors' contacts re-encrypted. Rows are rewritten
in small transactions, so it can run on a live platform and be run again after an interruption.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import QuerySet

BATCH = 500


def _rewrite(rows: QuerySet, fields: list[str], rewrite: Callable, what: str) -> int:
    """Apply ``rewrite`` to every row in primary-key batches; a row no listed key opens stops the command."""
    done, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(rows.select_for_update().filter(pk__gt=last).order_by("pk")[:BATCH])
            for row in batch:
                try:
                    rewrite(row)
                except Exception as exc:
                    raise CommandError(f"{what} {row.pk}: encrypted with a key no longer listed ({exc!r}); put the "
                                       "old key back after the new one and run again") from None
            rows.model.objects.bulk_update(batch, fields)
        if not batch:
            return done
        done, last = done + len(batch), batch[-1].pk


class Command(BaseCommand):
    help = "Re-encrypt ID numbers and contacts with the first key of ASSISTANCE_ID_KEY and CONTACT_KEY"

    def handle(self, *args, **options):
        from minsheng.assistance.idcrypto import id_number_decrypt, id_number_hash, id_number_rotate
        from minsheng.assistance.models import Recipient
        from minsheng.consultation.intake.contact import rotate_contact
        from minsheng.consultation.intake.models import Suggestion

        def recipient(r):
            r.id_encrypted = id_number_rotate(r.id_encrypted)
            r.id_hash = id_number_hash(id_number_decrypt(r.id_encrypted))

        def contact(s):
            s.contact_encrypted = rotate_contact(s.contact_encrypted)

        ids = _rewrite(Recipient.objects.all(), ["id_encrypted", "id_hash"], recipient, "recipient")
        self.stdout.write(f"ID numbers re-encrypted and re-hashed with the current key: {ids}")
        contacts = _rewrite(Suggestion.objects.exclude(contact_encrypted="").only("pk", "contact_encrypted"),
                            ["contact_encrypted"], contact, "suggestion")
        self.stdout.write(f"contacts re-encrypted with the current key: {contacts}")
