"""What the link rules read, computed once (:class:`_Prelude`), and the helpers that make its columns: which
site and theme a place's messages share, which place is an institution or an organisation, which key may be two
places (:func:`_shared_tail`), one writer's messages (:func:`_writer_block`)
and what they share beyond the writer's own words (:func:`_writer_own`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from minsheng.engine.places import is_area


@dataclass(frozen=True)
class _Prelude:
    """What the link rules read, computed once by :func:`.links._link_blocks`: one value per row (``n`` rows) unless said.

    A rule takes this and what is its own (a block, the rows left alone), and reads each column by name: the
    rules had 9-17 positional arguments each, most of them the same columns in another order."""

    key: pd.Series               # the merged place key (NA: no place)
    key_code: np.ndarray         # ``key`` as codes into ``key_names`` (-1: no place)
    key_names: pd.Index
    written_key: np.ndarray      # the place key as the row wrote it, before spellings were merged (object; None)
    has_place: np.ndarray        # bool: ``key`` is not NA
    fine: np.ndarray             # the fine theme's code (-1: none)
    broad: np.ndarray | None     # the broad theme's code (-1: none); None without themes
    in_title: np.ndarray | None  # bool: the row's place is named in its title (:func:`.title_places._title_keys`)
    institution: np.ndarray | None  # bool: the place as written is a school, a hospital … (:func:`_institutions`)
    code: np.ndarray | None      # the district code its first line writes (:func:`district_codes`)
    asked: np.ndarray | None     # the kinds of question its title asks, as bits (:func:`questions_asked`)
    consulter: np.ndarray | None  # the writer whose own case its title consults about (-1: none, not known)
    text: pa.Array               # the texts, titles given back
    head: pa.Array               # each text's first _COMPARED_CHARS letters: what is compared
    vectors: object              # TF-IDF rows of the compared rows (sparse; None: nothing compared)
    blanked: object              # ... with the place's words out
    words: list[str]             # the vectors' columns
    names: np.ndarray            # per column: whether it is a name (:func:`.vectors._name_columns`)
    row_in_vectors: np.ndarray   # the row's row in ``vectors`` (-1: not compared)
    days: np.ndarray             # days since 2000-01-01 (NaN: no time)
    window_days: int
    block_size: int
    map_parts: Callable
    part_rows: int


def _pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per row: one number per (``a``, ``b``) pair in the order of first appearance, −1 where ``a`` is missing
    (−1; a missing ``b`` is a value of its own), as the factorized strings ``a + "|" + b`` were numbered."""
    out = np.full(len(a), -1, dtype=np.intp)
    ok = a >= 0
    out[ok] = pd.factorize(a[ok].astype(np.int64) * (int(b.max(initial=0)) + 2) + b[ok] + 1)[0]
    return out


# What an organisation is written with (西地省农机局, 华洋机电设备制造有限公司): its messages are about what it does.
_ORGANISATIONS = ("公司", "集团", "局")


def _conduct_theme(site: np.ndarray, written: np.ndarray, fine: np.ndarray, broad: np.ndarray) -> np.ndarray:
    """Per row, the theme a site's messages must share to link across any time gap (:data:`.thresholds.LASTING_SIMILARITY`):
    the ``broad`` theme where the site is an organisation (a row of it written ending in :data:`_ORGANISATIONS`),
    else the ``fine`` one (−1 where ``fine`` is: no theme, or a place named only in the body).

    Why: an organisation's conduct is one matter told under several fine themes — 西地省农机局's offices, its
    villas, its land deal and its officials' shares in a housing project, March to November (messages_hot's gold
    G22: the November letter, under another fine theme, was left out). A place people live at or pass is not: an
    estate's, a road's or a community's letters of one broad theme months apart were different grievances
    (家和院小区's shops in flats and its fire risk, 谷山庭院's air-raid garage and its parking fee, 明升壹城's dogs
    and its second phase; docs/engine/hot-issues.md)."""
    names, written_names = pd.factorize(written)
    organisation = np.r_[np.fromiter((isinstance(w, str) and w.endswith(_ORGANISATIONS) for w in written_names),
                                     dtype=bool, count=len(written_names)), False][names]
    own = (site >= 0) & organisation
    of_site = np.r_[np.bincount(site[own], minlength=int(site.max(initial=-1)) + 1) > 0, False]
    by_broad = of_site[site] & (fine >= 0) & (broad >= 0)
    return np.where(by_broad, int(fine.max(initial=0)) + 1 + broad, fine)


def _site_theme(site: np.ndarray, theme: np.ndarray) -> np.ndarray:
    """Per row: one number per (``site``, fine ``theme``) pair, −1 where either is missing (−1)."""
    ok = (site >= 0) & (theme >= 0)
    return np.where(ok, pd.factorize(site.astype(np.int64) * (int(theme.max(initial=0)) + 1) + theme)[0], -1)


# A writer's placed messages of one fine theme that name this many places or more are no follow-up of one problem
# (see :func:`_writer_block`): messages_hot's A00031618 sent 24 letters of one plea ("请A市加快…力度…有何具体行动？")
# about ten matters and places, one fine theme, their whole texts alike by the template, and the one-writer rule made
# them one hot issue. Read on 425 candidate pairs outside the DEV gold (tests/data/hot_pairs_labelled_dev.csv,
# h-hot27): the writers' blocks of the DEV files name 1-3 places (the 11-letter follow-ups of 青青家园 / 青山新村社区,
# gold G14: 3), but two of messages_hot's name 6-8 and 12 (both template writers, theme seeds 0-3); at 5 the gold
# figures are unchanged on both DEV files, full and bare, theme seeds 0-3, and the pipeline's issues join 54 read
# pairs instead of 68 (messages_hot, full, seed 0), 40 of them one issue instead of 41.
SERIAL_PLACES = 5


def _writer_block(writer: np.ndarray | None, has_place: np.ndarray, theme: np.ndarray,
                  key_code: np.ndarray | None = None) -> pd.Series:
    """Per row that names a place: its writer and fine theme as one number where that writer wrote another
    such message of that fine theme, else NaN. These messages link when their whole texts (place words
    included) are alike at ``name_similarity`` (as a group without a place needs to its leader), within the
    window (:func:`.links._edges`).

    Why: a writer who comes back is following up one problem, and names its place another way each time —
    the estate once, its community the next (青青家园 / 青山新村社区), the shop once, the building it is in the
    next, a name mistyped (金领公寓 / 金邻公寓) — so the place keys that link other people's messages kept a
    writer's own follow-ups apart. It adds no person to an issue: the heat counts people, not messages. Whole
    texts, not the ones with the place blanked: naming the same place is what a follow-up shares.
    Only placed messages, and only within a fine theme: a writer's links bridge the issues at their two
    ends, and on the synthetic corpus (writers drawn at random, so two messages of one writer are mostly
    unrelated) links across a broad theme or between messages without a place (large groups of policy
    advice) merged unrelated issues (B-cubed precision against the planted topics 0.43 → 0.18; so
    restricted 0.43 → 0.43). A block whose messages name :data:`SERIAL_PLACES` places or more (``key_code``, −1:
    none) is no follow-up: a writer sending one plea about many places, alike by its template (messages_hot's
    A00031618: 24 letters of ten matters were one issue). ``theme``: the fine theme's code per row (−1: none)."""
    if writer is None:
        return pd.Series(np.nan, index=range(len(theme)))
    ok = (writer >= 0) & has_place & (theme >= 0)
    own = np.full(len(ok), -1, dtype=np.int64)
    own[ok] = pd.factorize(writer[ok].astype(np.int64) * (int(theme.max(initial=0)) + 1) + theme[ok])[0]
    counts = np.bincount(own[ok], minlength=1)
    block = ok & (counts[np.maximum(own, 0)] >= 2)
    if key_code is not None and block.any():  # the places each block names, a (block, key) pair counted once
        keyed = np.flatnonzero(block & (key_code >= 0))
        stride = int(key_code.max()) + 1
        named = np.unique(own[keyed] * stride + key_code[keyed]) // stride
        block &= np.bincount(named, minlength=len(counts))[np.maximum(own, 0)] < SERIAL_PLACES
    return pd.Series(np.where(block, own, np.nan))  # a number per block


# A word a writer writes in letters of this many different places (merged keys) is the writer's, not a matter's.
_TEMPLATE_PLACES = 3


def _writer_own(vectors, row_in_vectors: np.ndarray, written: pd.Series, key_code: np.ndarray) -> tuple:
    """The rows of ``vectors`` (unit TF-IDF, whole texts) of the rows of a writer block (``written``:
    :func:`_writer_block`) with the writer's own words out: a word that the block's letters write under at least
    :data:`_TEMPLATE_PLACES` different place keys (``key_code``); and each row's row in them (−1: none). Not
    normalised again (as :func:`~minsheng.engine.hot_issues.vectors._specific`), so a product of two rows is the
    part of their cosine that is not what the writer writes about any place.

    Why: the one-writer link is for follow-ups, a writer naming one matter's place another way (青青家园 /
    青山新村社区). A serial writer sends one template about many places — messages_hot's A00031618, 24 letters
    "请加快A市…建设力度" about a park, a hospital's site, a school's road, a water works (one fine theme, whole
    cosine 0.25–0.57 from the template alone) — and the link joined them into one hot issue (H0068; the read
    pairs, docs/engine/hot-issues.md, h-hot27). A word written about three places is written whatever the place;
    two keys are not enough to tell: a follow-up naming its place two ways writes all its words under both. On the
    DEV files only that writer's blocks have such words but one: 青青家园's eleven letters under three keys
    (its name and 住改商 written under all three) stay joined by what else they share. Beside
    :data:`SERIAL_PLACES`, which drops a block of five places or more whole (that writer's, on the DEV files), this
    takes the template out of a smaller one (docs/engine/hot-issues.md, h-hot28)."""
    block = written.to_numpy()
    rows = np.flatnonzero(np.isfinite(block) & (row_in_vectors >= 0))
    row_in = np.full(len(block), -1)
    if vectors is None or not len(rows):
        return None, row_in
    row_in[rows] = np.arange(len(rows))
    X = vectors[row_in_vectors[rows]].tocsr()
    # only a block whose letters name that many places can hold such a word (most blocks are two letters); the
    # distinct (block, place) and (block, word, place) by pd.unique: np.unique's hash took 7 s at 7.5M cells
    block_of, place_of = pd.factorize(block[rows])[0].astype(np.int64), key_code[rows].astype(np.int64) + 1
    width = int(place_of.max(initial=0)) + 1
    many = np.bincount(pd.unique(block_of * width + place_of) // width, minlength=len(rows)) >= _TEMPLATE_PLACES
    at = np.repeat(np.arange(len(rows)), np.diff(X.indptr))
    cells = np.flatnonzero(many[block_of[at]])
    if not len(cells):
        return X, row_in
    word = pd.factorize(block_of[at[cells]] * X.shape[1] + X.indices[cells])[0].astype(np.int64)  # (block, word)
    own = np.bincount(pd.unique(word * width + place_of[at[cells]]) // width,
                      minlength=int(word.max()) + 1) >= _TEMPLATE_PLACES
    if own.any():
        X = X.copy()
        X.data[cells[own[word]]] = 0.0
        X.eliminate_zeros()
    return X, row_in


# Institutions a city has several of under one name, told apart by what is written before it (a district, a
# neighbourhood: 西雅博才小学, 洋湖博才小学; 财政经济学院, 涉外经济学院).
_BRANCHED = ("学校", "中学", "小学", "大学", "学院", "医院", "幼儿园")
_INSTITUTION = re.compile("(?:" + "|".join(_BRANCHED) + "|(?:[一二三四五六七八九十]|[0-9])[中小])$")  # or 二中, 1小


def _institutions(written: np.ndarray) -> np.ndarray:
    """Per row: whether its place as ``written`` is a school, a kindergarten, a hospital or a college
    (:data:`_BRANCHED`, or a school by its number: K9县二中, A3区1小). Such a message links with its site's
    messages of another broad theme at the cosine asked within one (:func:`.links._link`).

    Why: what an institution does is filed under several broad themes — a kindergarten turned private under
    education, the bureau that delays a public one under administration (messages_replied's gold R15, 恒大城:
    blanked cosine 0.13, where 0.6 is asked across broad themes); a school's forced classes under education, its
    fees under prices. An estate's or a road's letters of two broad themes at that cosine were different grievances
    (a subsidence and a railway's noise; a build quality and a clinic at the gate: :data:`.thresholds.ACROSS_THEMES_SIMILARITY`),
    and so were a lake's planning and a subway exit near it, which one letter's kindergarten merged into the lake's
    key would have joined: the message itself must name the institution."""
    code, names = pd.factorize(written)
    found = np.fromiter((isinstance(n, str) and _INSTITUTION.search(n) is not None for n in names), dtype=bool,
                        count=len(names))
    return np.r_[found, False][code]


def _shared_value(values: np.ndarray) -> np.ndarray:
    """Per row: whether another row has its value (missing values never do). By codes and a count, not a
    ``Series.map`` of ``value_counts``, which looked every row's string up again (0.4 s a 200,000 rows)."""
    code = pd.factorize(values)[0]
    counts = np.bincount(code[code >= 0], minlength=1)
    return (code >= 0) & (counts[np.maximum(code, 0)] >= 2)


def _shared_tail(own_code: np.ndarray, own_names, merged_code: np.ndarray, merged_names) -> np.ndarray:
    """Per row: whether its merged key is the tail of two names neither of which holds the other, or the
    head of two such names (a kind of place several places share, or one place written two ways), or a
    school's or a hospital's into which any other name was merged (:data:`_BRANCHED`). The rows' own names
    as codes into ``own_names``, the merged keys into ``merged_names`` (−1: none).

    A name whose words before the key say where the place is (:func:`_where`: a division, 经开区, 星沙街道四区, or
    an area the input names, 星沙 of 星沙镇) is the key itself: 星沙凉塘路, 四区凉塘路 and 星沙街道凉塘路 are one road
    written with the area it is in, 星沙东六线下穿长永高速 and 经开区东六线下穿长永高速 one project, where 涉外经济学院
    and 财政经济学院 may be two colleges. Without it a road's residents asking seven months apart about its stopped
    renovation (messages_hot) and a project's letters two years apart (messages_replied's gold R06) stayed apart:
    their fine theme and their lasting site were read per name as written (docs/engine/hot-issues.md, h-hot23)."""
    both = (own_code >= 0) & (merged_code >= 0)
    pairs = np.unique(merged_code[both].astype(np.int64) * len(own_names) + own_code[both])
    m, o = pairs // len(own_names), pairs % len(own_names)
    merged_as = np.asarray(merged_names, dtype=object)[m]
    own_as = np.asarray(own_names, dtype=object)[o]
    names_of: dict[int, list[str]] = {}
    for i in np.flatnonzero(own_as != merged_as).tolist():  # the names a merge changed only
        names_of.setdefault(int(m[i]), []).append(own_as[i])
    shared = np.zeros(len(merged_names) + 1, dtype=bool)  # the last: no key
    area_heads: set[str] | None = None
    for m, names in names_of.items():
        target = merged_names[m]
        if target.endswith(_BRANCHED):  # 西雅博才小学, 洋湖博才小学: two schools of one name, or one
            shared[m] = True
            continue
        tails = [n for n in names if n.endswith(target)]
        if len(tails) >= 2:
            if area_heads is None:
                area_heads = {a[:k] for a in own_names if isinstance(a, str) and is_area(a) for k in range(2, len(a))}
            tails = [target if _where(n[:-len(target)], area_heads) else n for n in tails]
        for side in (tails, [n for n in names if n.startswith(target)]):
            side.sort(key=len)  # names before the key, or after it (含浦中海国际, 中海国际社区幼儿园: one estate)
            if any(a not in b for i, a in enumerate(side) for b in side[i + 1:]):
                shared[m] = True
    return shared[merged_code]


_DIVISION_END = re.compile("(?:[区县市镇乡村]|街道|社区)$")


def _where(head: str, area_heads: set[str]) -> bool:
    """Whether ``head``, written before a place's name, says where it is: a division (经开区, 星沙镇四区, 泉塘街道) or
    the name of an area of the input's (星沙: 星沙镇, 星沙街道), not which one of a kind it is (涉外 of 涉外经济学院)."""
    return bool(_DIVISION_END.search(head)) or head in area_heads
