"""The place a message's title names (:func:`_title_keys`): every place key two messages have is looked up in the
titles, so a road or a hospital named in passing in the body does not make a message's place; and a second
place a title names, which links the message with that place's messages (:func:`.links._second_key_edges`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from operator import contains

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minsheng.engine.hot_issues.districts import _CODE_BEFORE, _DISTRICT_CODE, district_codes
from minsheng.engine.hot_issues.parts import _ONE_TASK_ROWS, _own_parts
from minsheng.engine.places import BODY_OPENS, is_specific, place_level, schools_as_keys


def _first_line(text: pa.Array) -> pa.Array:
    """Each text's title: its first line, of at most 60 letters. The first line's first 60 letters are those of
    the text's first 60 letters (splitting whole texts at their first line break copied every text once more)."""
    return pc.list_element(pc.split_pattern(pc.utf8_slice_codeunits(text, 0, 60), "\n", max_splits=1), 0)


def _title_alone(text: pa.Array, first_line: pa.Array) -> pa.Array:
    """``first_line`` (:func:`_first_line` of ``text``), where a text of one line (title and body joined) ends
    its title where its body opens (:data:`~minsheng.engine.places.BODY_OPENS`, six letters or more in:
    "…收费标准|尊敬的詹书记：您好，省卫生厅和省物价局…"): the places, bureaus and names the body writes are whom
    the writer writes to or where they studied, not what the title is about."""
    rows = np.flatnonzero(pc.invert(pc.match_substring(text, "\n")).to_numpy(zero_copy_only=False))
    if not len(rows):  # the expression is read on the texts of one line only: most texts have a title line
        return first_line
    cut = pc.extract_regex(first_line.take(pa.array(rows)), f"^(?P<t>.{{6,}}?)(?:{BODY_OPENS})")
    found = pc.is_valid(cut).to_numpy(zero_copy_only=False)
    if not found.any():
        return first_line
    titles = first_line.to_numpy(zero_copy_only=False).copy()
    titles[rows[found]] = pc.struct_field(cut, [0]).filter(pa.array(found)).to_numpy(zero_copy_only=False)
    return pa.array(titles, first_line.type)


def _titles_and_codes(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Each text's title (:func:`_title_alone`) and the district code its first line writes (:func:`district_codes`).
    The code is read from the first 60 letters of a text of one line as before: read from the title alone, two
    placeless pairs of messages_labeled_text joined, one of them judged two questions blind (未婚生育: 上户, a
    fine, and the date a pardon starts: the third message's K市 was in its body)."""
    first = _first_line(text)
    return _title_alone(text, first), district_codes(first)


def _title_keys(key: pd.Series, title: pa.Array, broad: np.ndarray | None = None,
                map_parts: Callable = map) -> tuple[pd.Series, np.ndarray]:
    """``key`` with the place the title names where the message's own place is not in its title (or where it
    names a more written one beside it, see below): the data's
    own gazetteer — every key that at least two messages have — looked up in the titles (the longest one
    found), each title among the keys of its broad theme (``broad``: a code per row), the only ones it can
    link with. A place named in passing in the body (a hospital a message about a new clinic mentions, the
    road an estate is on) does not make the issue's place when the title names one that others wrote about
    (滨河苑, 南山十里天池, 时代年华), and a title that names such a place without a place ending (时代年华
    without 小区) has it.

    Also returns, per row, whether its (new) place is named in its title, and the second place it names (None:
    none; see :func:`_second_of`)."""
    code, names = pd.factorize(key)
    names = np.asarray(names.tolist(), dtype=object)
    keyed = np.flatnonzero(code >= 0)
    in_title = np.zeros(len(key), dtype=bool)
    keyed_titles, keyed_names = title.take(pa.array(keyed)).to_pylist(), names[code[keyed]].tolist()
    in_title[keyed] = list(map(contains, keyed_titles, keyed_names))
    numbered = np.array([any(c.isdigit() for c in k) for k in names.tolist()], dtype=bool)
    again = np.flatnonzero(~in_title[keyed] & numbered[code[keyed]])  # a school's number the title writes in words
    in_title[keyed[again]] = [_holds(keyed_titles[i], keyed_names[i]) for i in again.tolist()]
    count = np.bincount(code[keyed], minlength=len(names))
    # a case's or company's name without a place ending that one message has in its title (富惠天下, four letters
    # or more): other titles may write it
    own_title = np.bincount(code[keyed], weights=in_title[keyed], minlength=len(names)) > 0
    usable = (count >= 2) | (own_title & np.array([len(k) >= 4 and place_level(k) == 0 for k in names.tolist()],
                                                  dtype=bool))
    usable[usable] = [len(k) >= 3 and is_specific(k) for k in names[usable].tolist()]
    code_of = {k: i for i, k in zip(np.flatnonzero(usable).tolist(), names[usable].tolist(), strict=True)}
    # a common name keyed with its district code (A6区时代年华) is written with the city's code as well
    bare = {k: _DISTRICT_CODE.sub("", k, count=1) for k in code_of if _DISTRICT_CODE.match(k)}
    once = Counter(bare.values())
    key_of = dict(zip(code_of, code_of, strict=True))
    key_of.update({b: k for k, b in bare.items() if once[b] == 1 and len(b) >= 3 and b not in key_of})
    rows = np.flatnonzero(pc.utf8_length(title).to_numpy(zero_copy_only=False) >= 3)
    broad = np.zeros(len(key), dtype=np.int64) if broad is None else np.asarray(broad, dtype=np.int64)
    # the keys of each broad theme, with how many messages have them: the only ones a title can link with
    usable_rows = keyed[usable[code[keyed]]]
    present = Counter(zip(broad[usable_rows].tolist(), code[usable_rows].tolist(), strict=True))
    changed, second = {}, {}
    # The titles are searched through ``map_parts`` (the pipeline's workers) in parts, each title on its own:
    # in the parent it was the largest serial cost of the stage's start, with the workers idle.
    titles = title.take(pa.array(rows))
    per_part = max(len(titles) if len(key) <= _ONE_TASK_ROWS else -(-len(titles) // _TITLE_PARTS), 1)
    starts = range(0, len(titles), per_part)
    done = map_parts(partial(_names_in_title_part, names=list(key_of)), _own_parts(titles, per_part))
    for i, found in ((start + i, found) for start, part in zip(starts, done, strict=True) for i, found in part):
        row, group = int(rows[i]), int(broad[rows[i]])
        if in_title[row] and len(found) < 2:
            continue  # its own place alone (most titles that name one)
        found = [f for f in found if (group, code_of[key_of[f]]) in present]
        if not found:
            continue
        if not in_title[row]:
            changed[row] = key_of[max(found, key=len)]
            _second_of(second, row, changed[row], found, key_of, group, code_of, present)
            continue
        # A title naming its own place and another one of the data's: the one more people wrote about, unless
        # the other is broader (an area, a road) or one name holds the other. 投诉武广新城伊景园滨河苑…: the
        # estate thirty people wrote about, not the new town around it that two messages named first. As many:
        # the narrower one, a site before the street it is on (司门口老街老地方美食广场…: the food court's
        # letters, not the old street's).
        own = names[code[row]]
        mine = (present.get((group, code[row]), 1), _site_level(own))
        better = [k for k in map(key_of.get, found) if k not in own and own not in k
                  and (present[(group, code_of[k])], _site_level(k)) > mine and _site_level(k) >= mine[1]]
        if better:
            changed[row] = max(better, key=lambda k: (present[(group, code_of[k])], len(k)))
        _second_of(second, row, changed.get(row, own), found, key_of, group, code_of, present)
    also = np.full(len(key), None, dtype=object)
    if second:
        also[np.fromiter(second, dtype=np.int64, count=len(second))] = list(second.values())
    if not changed:
        return key, in_title, also
    out = key.copy()
    where = np.fromiter(changed, dtype=np.int64, count=len(changed))
    out.iloc[where] = list(changed.values())
    in_title[where] = True
    return out, in_title, also


def _second_of(second: dict, row: int, own: str, found: list[str], key_of: dict, group: int, code_of: dict,
               present: Counter) -> None:
    """Sets ``second[row]`` to the other place a title names beside ``own`` (the key it keeps), neither holding
    the other, the one more messages of its broad theme have: 投诉武广新城伊景园滨河苑… keeps the estate and names
    the new town that other letters about the estate's parking spaces were keyed to (:func:`.links._second_key_edges`)."""
    others = [k for k in map(key_of.get, found) if k not in own and own not in k]
    if others:
        second[row] = max(others, key=lambda k: (present[(group, code_of[k])], len(k)))


def _with_code(title: str, key: str) -> str:
    """``key`` as ``title`` writes it right after a code (A市理工大学), else as it is: a key alone may be a kind of
    place (理工大学) that a reader cannot place."""
    if not title or key[:1].isascii():
        return key
    at = title.find(key)
    code = _CODE_BEFORE.search(title, max(0, at - 6), at) if at > 0 else None
    return code.group(1) + key if code else key


def _holds(title: str, key: str) -> bool:
    """Whether ``title`` writes the place ``key``: as it is, or for a key with a number (a school's: A7县1中) with
    the number as the title writes it (A7县一中, A7县第一中学: :func:`~minsheng.engine.places.schools_as_keys`)."""
    if key in title:
        return True
    if not any(c.isdigit() for c in key):
        return False
    return key in schools_as_keys(title)


_TITLE_PARTS = 4  # parts of the titles searched for the data's place names (each with all the names)


def _names_in_title_part(titles: pa.Array, names: list[str]) -> list[tuple[int, list[str]]]:
    """:func:`_names_in_titles` of one part of the titles (runs in a worker)."""
    return list(_names_in_titles(titles.to_pylist(), names))


def _site_level(key: str) -> int:
    """:func:`~minsheng.engine.places.place_level` of a key, where a key without a place ending is a site's
    (an estate's or a company's name without its 小区 or 公司)."""
    return place_level(key) or 3


def _names_in_titles(titles: list[str], names: Iterable[str]):
    """(position, names found) of each title that holds one of ``names`` (of at least three letters), all
    titles' code points at once in numpy: where the first three letters of a name stand, then which names of
    each length start there (a 64-bit polynomial hash of the letters, each match checked as a string)."""
    by_length: dict[int, list[str]] = {}
    for k in names:
        by_length.setdefault(len(k), []).append(k)
    if not by_length or not titles:
        return
    joined = "\x00".join(titles)
    p = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    heads_of = {n: np.unique(np.array([ord(k[0]) << 42 | ord(k[1]) << 21 | ord(k[2]) for k in ks], dtype=np.uint64))
                for n, ks in by_length.items()}
    heads = np.unique(np.concatenate(list(heads_of.values())))
    # only where the first two letters start a name are the three looked up (a search of every position in
    # the sorted heads cost a third of this function)
    first, second = np.zeros(0x110000, dtype=bool), np.zeros(0x110000, dtype=bool)
    first[(heads >> np.uint64(42)).astype(np.int64)] = True
    second[((heads >> np.uint64(21)) & np.uint64(0x1FFFFF)).astype(np.int64)] = True
    maybe = np.flatnonzero(first[p[:-2]] & second[p[1:-1]])
    grams = (p[maybe].astype(np.uint64) << np.uint64(42) | p[maybe + 1].astype(np.uint64) << np.uint64(21)
             | p[maybe + 2])
    held = heads[np.minimum(np.searchsorted(heads, grams), len(heads) - 1)] == grams
    hits, grams = maybe[held], grams[held]
    starts = np.r_[0, np.cumsum(np.fromiter(map(len, titles), dtype=np.int64, count=len(titles)) + 1)]
    owner = np.searchsorted(starts, hits, side="right") - 1
    found: dict[int, list[str]] = {}
    for n, ks in by_length.items():
        own = heads_of[n]  # where a name of this length can start: its first three letters stand there
        at = hits[(own[np.minimum(np.searchsorted(own, grams), len(own) - 1)] == grams) & (hits + n <= len(p))]
        if not len(at):
            continue
        wanted = np.unique(_hashes(np.array([[ord(c) for c in k] for k in ks], dtype=np.uint64)))
        h = _hashes(p[at[:, None] + np.arange(n)])
        match = at[wanted[np.minimum(np.searchsorted(wanted, h), len(wanted) - 1)] == h]
        ks = set(ks)
        for m, o in zip(match.tolist(), owner[np.searchsorted(hits, match)].tolist(), strict=True):
            if joined[m:m + n] in ks:  # not a collision
                found.setdefault(o, []).append(joined[m:m + n])
    yield from found.items()


def _hashes(points: np.ndarray) -> np.ndarray:
    """A 64-bit polynomial hash of each row of code points (wrapping)."""
    h = np.zeros(len(points), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(points.shape[1]):
            h = h * np.uint64(1_000_003) + points[:, j]
    return h


# A title's end in a text of one line whose title was not given back: its first sentence, within a title's length.
_FIRST_SENTENCE = re.compile("^(.{6,40}?[。？！?!])")


def _own_titles(text: pa.Array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``rows`` (None elsewhere): its title (:func:`_first_line`), and whether it is a title line; a
    text of one line (a glued title :func:`~minsheng.engine.titles.restore_titles` did not find) has its first
    sentence, where it ends within a title's length (40 letters), else None: its first line is its body too."""
    lines, lined = np.empty(len(text), dtype=object), np.zeros(len(text), dtype=bool)
    if not len(rows):
        return lines, lined
    head = pc.utf8_slice_codeunits(text.take(pa.array(rows)), 0, 61)  # the rows' only, not a pass over every text
    lines[rows] = _first_line(head).to_numpy(zero_copy_only=False)
    lined[rows] = pc.match_substring(head, "\n").to_numpy(zero_copy_only=False)
    for i in rows[~lined[rows]].tolist():
        m = _FIRST_SENTENCE.match(lines[i])
        lines[i] = m.group(1) if m else None
    return lines, lined
