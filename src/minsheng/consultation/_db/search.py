"""Substring search over suggestions: every word must occur in the title or the text.

Chinese has no spaces to split words on, so the search is by substring (``LIKE '%词%'``), exact on every
database. On PostgreSQL each word of two or more characters also carries a condition the bigram index of
migration 0005 answers — the AND of the word's overlapping character pairs — so a rare word is found among a
million suggestions in milliseconds instead of a full scan; ``LIKE`` then keeps the exact matches.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

MAX_WORDS = 5
# The indexed expression, exactly as migration 0005 wrote it: PostgreSQL uses an expression index only for
# the same expression.
_INDEXED = "minsheng_bigrams(consultation_suggestion.title || ' ' || consultation_suggestion.text) @@ %s::tsquery"


def bigram_query(word: str) -> str | None:
    """The ``tsquery`` every text containing ``word`` matches: its character pairs, quoted, joined by ``&``.

    >>> bigram_query("盛西路")
    "'盛西' & '西路'"
    >>> bigram_query("停") is None
    True
    """
    pairs = sorted({word[i:i + 2] for i in range(len(word) - 1)})
    if not pairs:
        return None
    return " & ".join("'" + p.replace("\\", "\\\\").replace("'", "''") + "'" for p in pairs)


def containing_words(qs: QuerySet, q: str) -> QuerySet:
    """``qs`` narrowed to suggestions whose title or text contains every word of ``q`` (at most five)."""
    for word in q.split()[:MAX_WORDS]:
        query = bigram_query(word) if connection.vendor == "postgresql" else None
        if query is not None:
            qs = qs.filter(RawSQL(_INDEXED, [query], output_field=BooleanField()))
        qs = qs.filter(Q(text__contains=word) | Q(title__contains=word))
    return qs
