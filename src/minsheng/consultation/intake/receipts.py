"""Receipt codes: short, unambiguous when read aloud or typed on a phone (no 0/O, 1/I/L).

Ten characters from a 30-letter alphabet carry ~49 bits, so codes cannot be guessed to read other
people's suggestions; the database still enforces uniqueness.

>>> code = new_receipt(); len(code), display_receipt(code).count("-")
(10, 1)
>>> normalise_receipt(" abcd-efgh23 ") == "ABCDEFGH23"
True
>>> display_receipt("3NE4JYYTCV"), display_receipt("3ne4j-yytcv"), display_receipt("")
('3NE4J-YYTCV', '3NE4J-YYTCV', '')
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"[:30]
RECEIPT_LENGTH = 10


def new_receipt() -> str:
    # One call to the OS for 64 random bits, then base 30: cheap enough for a batch of 1,000.
    value = int.from_bytes(secrets.token_bytes(8), "big")
    digits = []
    for _ in range(RECEIPT_LENGTH):
        value, digit = divmod(value, 30)
        digits.append(ALPHABET[digit])
    return "".join(digits)


def display_receipt(code: str | None) -> str:
    """The one form a receipt is shown in, to citizens and officers alike: pages, e-mails, SMS, exports.

    Whatever it is given (stored, typed with a dash, lower case); a code of another length is shown as it is."""
    code = normalise_receipt(code or "")
    return f"{code[:5]}-{code[5:]}" if len(code) == RECEIPT_LENGTH else code


def normalise_receipt(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())
