"""``minsheng manage check_keys``: read every stored ID number and contact with the keys listed now, write nothing.

The server starts with any key that is set: after a restore with the wrong environment file, or after dropping
an old key before ``rotate_keys`` finished, every page still answers and a list still shows the masked ID
numbers (the mask is stored apart); only a full-number read, a search by ID number and the replies' notifications
fail, one person at a time, long after. This command finds it at once: run it after every restore and before
dropping an old key. It exits non-zero, naming the first row, when a row is unreadable or its ID number would
not be found by a search.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

BATCH = 2000


def _count(rows: QuerySet, readable: Callable) -> tuple[int, int, int | None]:
    """(rows read, rows unreadable, the first unreadable row's primary key)."""
    read = bad = 0
    first = None
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        if readable(row):
            read += 1
        else:
            bad += 1
            first = row.pk if first is None else first
    return read, bad, first


class Command(BaseCommand):
    help = "Check that ASSISTANCE_ID_KEY and CONTACT_KEY open every stored ID number and contact (read-only)"

    def handle(self, *args, **options):
        from minsheng.assistance.idcrypto import IdKeyLost, id_number_decrypt, id_number_hashes
        from minsheng.assistance.models import Recipient
        from minsheng.consultation.intake.contact import contact_readable
        from minsheng.consultation.intake.models import Suggestion

        def id_readable(recipient) -> bool:
            try:
                number = id_number_decrypt(recipient.id_encrypted)
            except IdKeyLost:
                return False
            return recipient.id_hash in id_number_hashes(number)

        ids = _count(Recipient.objects.only("pk", "id_encrypted", "id_hash"), id_readable)
        contacts = _count(
            Suggestion.objects.exclude(contact_encrypted="").only("pk", "contact_encrypted"),
            lambda s: contact_readable(s.contact_encrypted),
        )
        self.stdout.write(f"ID numbers: {ids[0]} read and found with ASSISTANCE_ID_KEY, {ids[1]} not")
        self.stdout.write(f"contacts: {contacts[0]} read with CONTACT_KEY, {contacts[1]} not")
        problems = [
            f"{what} (first: {row} {pk})"
            for (_, bad, pk), what, row in (
                (ids, "ID numbers", "recipient"),
                (contacts, "contacts", "suggestion"),
            )
            if bad
        ]
        if problems:
            raise CommandError(
                " and ".join(problems) + " were encrypted with a key no longer listed: put back the "
                "environment file of the backup they came from (or list the old key after the new "
                "one) and restart"
            )
