"""Which words and places a group's members share, and which lines speak for one writer only.

A digest headline (:mod:`.digest_wording`) and a broad theme's label (:mod:`.themes`) are both one line chosen to
speak for many messages; both pass over a line that tells one writer's own case or names a place few members
write. This module holds what the two read that way.
"""

from __future__ import annotations

import re

import numpy as np
import rjieba

from minsheng.engine.places import arabic, extract_places
from minsheng.engine.tokens import is_content_word

__all__ = ["FIRST_PERSON", "HEAD_CHARS", "OWN_CASE", "Commonness", "named_places"]

HEAD_CHARS = 300  # the start of a member's message read for the places it writes
# A name only one member writes counts against a line (:meth:`Commonness.own_names`) in a group of at least this
# many members read: among two or three members, every name is one member's.
_OWN_NAME_MEMBERS = 5
# A first-person opening (who writes is context), or one writer's own case anywhere in the line (为何我的申请…,
# 处理我家房屋漏水): a suggestion's headline speaks for all its members ("我们的小区" is the members' own, so it stays).
OWN_CASE = re.compile(r"(?:我|本人)(?:的|家)(?!乡)|我们家")
FIRST_PERSON = re.compile(r"^(?:我|我们|本人|笔者)(?!国|市|省|区|县)|" + OWN_CASE.pattern)


def named_places(texts: list[str]) -> tuple[list, np.ndarray]:
    """The place each sentence itself names (:func:`~minsheng.engine.places.extract_places`, one call for
    all): its name without the district code, and its key (None for none, or for a group of people)."""
    found = extract_places(texts)
    names = [p[len(d):] if isinstance(p, str) and isinstance(d, str) and p.startswith(d) else p
             for p, d in zip(found["place"], found["district"], strict=True)]
    return names, found["place_key"].where(found["place_kind"] == "place").to_numpy()


class Commonness:
    """Which place keys are a suggestion's: those written in at least half of ``members`` (texts of its
    messages). By the words written, not by the place extracted: 凉塘路, 星沙四区凉塘路 and 星沙凉塘路 are one
    road to a reader, and "凉塘路" is in all of them."""

    def __init__(self, members: np.ndarray):
        self._heads = [arabic(str(t)[:HEAD_CHARS]) for t in members]  # 二中 and 2中 are one name (numbered names are in digits)
        self._shares: dict[str, float] = {}

    def own_names(self, line: str) -> float:
        """The share of ``line``'s content words that are names one member writes: words rjieba's dictionary
        does not know (an estate, a company, a school: 袁岭家佳兆业, 鑫华, 盛长) written by at most one of the
        members read. 0 when fewer than ``_OWN_NAME_MEMBERS`` are read: among two or three members every name is
        one member's."""
        if len(self._heads) < _OWN_NAME_MEMBERS:
            return 0.0
        words = [w for w in rjieba.cut(arabic(line)) if is_content_word(w)]
        own = sum(1 for w in words if not rjieba.has_word(w) and self.share(w) * len(self._heads) < 2)
        return own / len(words) if words else 0.0

    def share(self, key: str) -> float:
        """The share of members that write ``key`` (cached: a suggestion's candidates name few places)."""
        if key not in self._shares:
            self._shares[key] = sum(key in t for t in self._heads) / max(len(self._heads), 1)
        return self._shares[key]

    def common(self, key) -> bool:
        """Whether ``key`` is the suggestion's place (no name at all is: nothing to generalise)."""
        if not isinstance(key, str) or len(key) < 2:
            return True
        return 2 * self.share(key) >= 1
