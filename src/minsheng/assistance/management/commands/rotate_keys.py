"""``minsheng manage rotate_keys``: re-encrypt and re-hash every stored secret with the current key.

Rotation, step by step: put the new secret first (``ASSISTANCE_ID_KEY=new,old`` and/or ``CONTACT_KEY=new,old``)
and restart — new rows use it, old rows still decrypt and are still found; run this command; then drop
``old``. ID numbers are re-encrypted and re-hashed, contributors' contacts re-encrypted. Rows are rewritten in
small transactions, so it can run on a live platform and be run again after an interruption.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt ID numbers and contacts with the first key of ASSISTANCE_ID_KEY and CONTACT_KEY"

    def handle(self, *args, **options):
        from minsheng.assistance.idcrypto import (
            IdKeyLost,
            id_number_decrypt,
            id_number_hash,
            id_number_rotate,
        )
        from minsheng.assistance.models import Recipient

        done, last = 0, 0
        while True:
            with transaction.atomic():
                rows = list(Recipient.objects.select_for_update().filter(pk__gt=last).order_by("pk")[:BATCH])
                for r in rows:
                    try:
                        r.id_encrypted = id_number_rotate(r.id_encrypted)
                    except IdKeyLost:
                        raise CommandError(f"recipient {r.pk}: encrypted with a key ASSISTANCE_ID_KEY no longer "
                                           "lists; put the old key back after the new one and run again") from None
                    r.id_hash = id_number_hash(id_number_decrypt(r.id_encrypted))
                Recipient.objects.bulk_update(rows, ["id_encrypted", "id_hash"])
            if not rows:
                break
            done, last = done + len(rows), rows[-1].pk
        self.stdout.write(f"ID numbers re-encrypted and re-hashed with the current key: {done}")
        self.stdout.write(f"contacts re-encrypted with the current key: {self._contacts()}")

    def _contacts(self) -> int:
        from cryptography.fernet import InvalidToken

        from minsheng.consultation.intake.contact import rotate_contact
        from minsheng.consultation.intake.models import Suggestion

        done, last = 0, 0
        while True:
            with transaction.atomic():
                rows = list(Suggestion.objects.select_for_update().exclude(contact_encrypted="")
                            .filter(pk__gt=last).order_by("pk").only("pk", "contact_encrypted")[:BATCH])
                for s in rows:
                    try:
                        s.contact_encrypted = rotate_contact(s.contact_encrypted)
                    except InvalidToken:
                        raise CommandError(f"suggestion {s.pk}: contact encrypted with a key CONTACT_KEY no longer "
                                           "lists; put the old key back after the new one and run again") from None
                Suggestion.objects.bulk_update(rows, ["contact_encrypted"])
            if not rows:
                return done
            done, last = done + len(rows), rows[-1].pk
