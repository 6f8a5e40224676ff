"""The hot-issue stage from records to issues: :func:`find_hot_issues` reads the texts, places, times and themes,
links them (:mod:`.links`) and makes the table (:mod:`.table`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from minsheng.engine.errors import InputError
from minsheng.engine.hot_issues.districts import questions_asked
from minsheng.engine.hot_issues.links import _link_blocks
from minsheng.engine.hot_issues.table import _summarise
from minsheng.engine.hot_issues.title_places import _title_keys, _titles_and_codes, _with_code
from minsheng.engine.places import (
    extract_places,
    groups_of_verbs,
    merge_homophone_keys,
    merge_inserted_keys,
    merge_place_keys,
    merge_swapped_keys,
    verb_before_ending,
)
from minsheng.engine.titles import title_ends, with_title_ends

log = logging.getLogger(__name__)


def find_hot_issues(frame: pd.DataFrame, *, similarity: float = 0.12, name_similarity: float = 0.25,
                    window_days: int = 90, min_people: int = 2, min_support: int = 20, block_size: int = 1000,
                    max_issues: int = 1000, map_parts: Callable = map,
                    part_rows: int = 20_000) -> tuple[pd.Series, pd.DataFrame]:
    """Group ``frame`` into hot issues; returns (``hot_issue_id`` per record, the hot-issues table).

    Uses ``id``, ``text`` (title on the first line; a bare export's titles glued to their bodies given back as the
    run decided, :func:`~minsheng.engine.titles.title_ends`: at ``title_end`` where the records have it, from
    :func:`minsheng.engine.places.place_columns`, else decided here over all of ``frame``), and when present ``time``, ``user``, ``likes``, ``dislikes``,
    ``dup_group``, ``campaign_id``, ``theme_id``, and ``place_key``/``place`` (from
    :func:`minsheng.engine.places.extract_places`, computed here if absent).

    ``map_parts`` is an ordered ``map`` (the pipeline's worker pool's): the pieces' comparisons, which are
    independent of each other, run through it in tasks of about ``part_rows`` rows; the builtin ``map`` runs
    them here. The result is the same.
    """
    for c in ("id", "text"):
        if c not in frame.columns:
            raise InputError(f"missing column {c!r}", field=c)
    n = len(frame)
    text = with_title_ends(_arrow_texts(frame["text"]), title_ends(frame))
    # The titles and their district codes are read in a thread while this one takes the places' keys: Arrow
    # passes over every text, which run without the GIL, at the stage's start, where the other core was idle.
    with ThreadPoolExecutor(1, thread_name_prefix="minsheng-hot-titles") as pool:
        titles = pool.submit(_titles_and_codes, text)
        given = [c for c in ("place", "place_key", "place_kind") if c in frame.columns]
        places = (frame[given].reset_index(drop=True) if {"place", "place_key"} <= set(given)
                  else extract_places(text.to_numpy(zero_copy_only=False)))
        places = _without_verb_groups(places, text)
        time = (pd.to_datetime(frame["time"], errors="coerce").reset_index(drop=True) if "time" in frame.columns
                else pd.Series(pd.NaT, index=range(n)))
        days = (time - pd.Timestamp("2000-01-01")).dt.total_seconds().to_numpy() / 86400.0
        # two writers' spellings of one name (天楚中苑 / 楚天中苑, 星沙文化公园 / 星沙公园, 黄星大道 / 黄兴大道) are one
        # place; the texts decide the links
        key = merge_homophone_keys(merge_swapped_keys(merge_inserted_keys(
            merge_place_keys(places["place_key"].astype("string")))))
        if "place_kind" in places.columns:  # a group of people links as a message without a place does
            key = key.where(places["place_kind"].to_numpy() != "group")
        theme = frame["theme_id"].astype("string").reset_index(drop=True) if "theme_id" in frame.columns else None
        title, districts = titles.result()
    titled, in_title, second = _title_keys(key, title, pd.factorize(theme.str[:3])[0] if theme is not None else None,
                                   map_parts)
    named = titled.to_numpy(dtype=object, na_value=None)
    moved = named != key.to_numpy(dtype=object, na_value=None)
    if moved.any():  # the place the title names is the message's place, shown with the code written before it
        shown = places["place"].to_numpy(dtype=object).copy()
        rows = np.flatnonzero(moved)
        shown[rows] = list(map(_with_code, title.take(pa.array(rows)).to_pylist(), named[rows].tolist()))
        places = places.assign(place=shown,
                               place_key=np.where(moved, named, places["place_key"].to_numpy(dtype=object)))
    # The places as Python strings once: the links' prelude and vectors read them five times (a conversion of a
    # million Arrow strings ≈ 0.1 CPU-s, in the parent alone).
    place = places["place"].to_numpy(dtype=object)
    places = places.assign(place=pd.Series(place, index=places.index, dtype=object),
                           place_key=pd.Series(places["place_key"].to_numpy(dtype=object), index=places.index,
                                               dtype=object))
    key = titled.mask(_registered_alone(titled, place))
    # the writers as codes from their Arrow strings (Python strings of a million users first: 0.4 CPU-s, parent)
    writer = pd.factorize(frame["user"].reset_index(drop=True))[0] if "user" in frame.columns else None
    asked, consulter = questions_asked(title, writer)
    issue_of, vectors, words, row_in_vectors = _link_blocks(key, theme, text, places, days, similarity,
                                                            name_similarity, window_days, block_size, map_parts,
                                                            part_rows, in_title, writer, districts, asked,
                                                            consulter, second, _copies(frame, text))
    members = pd.DataFrame({"issue": issue_of, "row": np.arange(n)})
    members = members[members.issue >= 0]
    has_place = places["place_key"].notna().to_numpy()  # a group names an issue as a place does
    table = _summarise(frame.reset_index(drop=True), text, members, places, key, has_place, time, min_people,
                       min_support, (vectors, words, row_in_vectors), max_issues, map_parts, writer)
    hot_id = pd.Series(pd.NA, index=frame.index, dtype="string")
    if len(table):
        id_of_issue = dict(zip(table.pop("_issue"), table["issue_id"], strict=True))
        mapped = pd.Series(issue_of).map(id_of_issue)
        hot_id[:] = mapped.astype("string").to_numpy()
    else:
        table = table.drop(columns="_issue")
    return hot_id, table


def _copies(frame: pd.DataFrame, text: pa.Array) -> np.ndarray:
    """Per row, its group of copies (−1 alone): the duplicate stage's ``dup_group`` where it ran, else identical
    texts."""
    if "dup_group" in frame.columns:
        group = pd.factorize(frame["dup_group"].reset_index(drop=True))[0]
    else:
        group = pd.factorize(text.to_pandas(types_mapper=pd.ArrowDtype))[0]
    size = np.bincount(group[group >= 0], minlength=int(group.max(initial=-1)) + 1)
    return np.where((group >= 0) & (np.r_[size, 0][group] > 1), group, -1)


def _without_verb_groups(places: pd.DataFrame, text: pa.Array) -> pd.DataFrame:
    """``places`` without the groups whose qualifier the input writes as a verb (办理老人: how to get an elder's
    bus card, not a kind of people; :func:`~minsheng.engine.places.groups_of_verbs`), nor the places whose name is
    such a verb before a generic ending (开始甩锅社区: the bureau passed the buck to the community;
    :func:`~minsheng.engine.places.verb_before_ending`): their messages then link as messages without a place do."""
    if "place_kind" not in places.columns:
        return places
    kind = places["place_kind"].to_numpy(dtype=object)
    keys = places["place_key"].to_numpy(dtype=object)
    group = kind == "group"
    # a place's (name, key) once each: few distinct, and the test reads the dictionary
    place = np.flatnonzero(kind == "place")
    pairs, pair_of = pd.factorize(pd.Series(list(zip(places["place"].to_numpy(dtype=object)[place], keys[place],
                                                      strict=True)), dtype=object))
    verb_like = np.fromiter((verb_before_ending(*p) for p in pair_of), dtype=bool, count=len(pair_of))
    maybe = np.zeros(len(keys), dtype=bool)
    maybe[place[verb_like[pairs]]] = True
    if not group.any() and not maybe.any():
        return places
    verbs = groups_of_verbs(keys[group].tolist(), text, keys[maybe].tolist())
    if not verbs:
        return places
    # looked up at those rows only: np.isin of a million object keys sorted them (1 CPU-s at 1M, parent alone)
    drop = np.zeros(len(keys), dtype=bool)
    at = np.flatnonzero(group | maybe)
    drop[at] = pd.Index(list(verbs)).get_indexer(keys[at]) >= 0
    return places.mask(pd.Series(drop, index=places.index), None)


def _arrow_texts(text: pd.Series) -> pa.Array:
    """The texts as one Arrow array ('' when missing). The stage reads them through Arrow and makes Python
    strings only of the texts it describes: turning every text into one (twice) cost about a CPU-second per
    200,000 rows in the parent."""
    arrow = pa.array(text.fillna("").astype(str), pa.large_string())
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


_REGISTERED = re.compile("有限(?:责任)?公司$")  # a company's registered name: 有限公司, 有限责任公司, 股份有限公司


def _registered_alone(key: pd.Series, written: np.ndarray) -> np.ndarray:
    """Per row, whether its place is a company's registered name (``written`` ends in 有限公司) under a key no other
    row has: such a row links by what it says, as a row without a place does (its place is still shown).

    Why: writers copy a registered name each their own way (聚利人普惠投资 / 利聚人普惠投资 / 惠普利聚人投资有限公司,
    messages_hot's gold G06); under a key of its own a letter links with nobody, where without it its text links it
    with the letters naming the company another way. Only registered names: any key of its own linking so changed
    31 issues of messages_hot, and with 集团 too two groups' shantytown projects joined (docs/engine/hot-issues.md)."""
    names, written_names = pd.factorize(written)
    registered = np.r_[np.fromiter((isinstance(w, str) and _REGISTERED.search(w) is not None for w in written_names),
                                   dtype=bool, count=len(written_names)), False][names]
    codes, _ = pd.factorize(key)
    alone = np.r_[np.bincount(codes[codes >= 0], minlength=int(codes.max(initial=-1)) + 1) == 1, False][codes]
    return registered & alone
