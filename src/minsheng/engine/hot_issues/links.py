"""The link rules: which messages are one issue.

How messages are grouped (no step is quadratic in N; details in :func:`_link_blocks`):

1. **place or group** — :mod:`minsheng.engine.places` finds the most specific place (estate, school, company,
   road …) or group of people (车贷受害人, 出租车司机 …) named in each message, and a key that lets
   ``万科魅力之城`` and ``魅力之城小区`` meet; keys that start or end with a shorter key merge into it
   (``工定向商品房伊景园滨河苑`` → ``伊景园滨河苑``). Where a message's own place is not in its title, the
   place its title names is: every key that two messages have is looked up in the titles (:func:`.title_places._title_keys`),
   so a road or hospital named in passing in the body does not make the place, and 时代年华 without 小区
   does. A second place the title names links the message with that place's messages of its fine theme
   that say the same thing (:func:`_second_key_edges`); the message keeps its one place.
2. **one place, across themes** — messages of one place link when they share a fine theme (``theme_id``) and
   some of their words beyond those the theme's messages all write (:data:`MATTER_SIMILARITY`), or when their
   texts (TF-IDF over rjieba words of the title and the start of the body, the place name left out) reach
   cosine ``similarity`` within one broad theme (:data:`ACROSS_THEMES_SIMILARITY` across, except for a
   message that writes its place as a school, kindergarten or hospital): one problem is often told in the
   words of several fine themes (丽发新城's mixing plant: noise, dust, permits), while a place's unrelated
   problems stay apart.
   A place named only in the body links by its texts alone, not by a shared fine theme (a thank-you for a
   hospital's receipt and a wish for a clinic near it were one issue). At a site few write about, two titles
   that name one problem are enough (:func:`_few_messages_edges`).
3. **no place** — messages that name no place (policy advice, a company, a fraud case) are grouped within
   their fine theme around a leader, each at cosine ≥ ``name_similarity`` to it, so that a chain of
   look-alikes cannot grow into one giant issue; a group joins at most one place issue, the one its leader is
   most like. Its ``place_or_group`` is the name its titles share (58车贷, 温斯顿英语), or empty. A name
   written with a number (58车贷, 3号线, 205路) is compared as one word beside its words: the number is what
   tells one case, line or bus from another. A message whose title writes a district (city or county) and one
   that writes none are two questions (a district's case, a policy), unless they share a name. Two such
   messages no rule linked link when both titles write a name few texts write, whatever their fine themes
   (:func:`_rare_name_edges`).
4. **time** — two messages are linked only if at most ``window_days`` apart, so an issue lasts as long as
   people keep writing about it; up to :data:`STRETCHED_WINDOWS` windows when their texts are alike
   (:data:`STRETCHED_SIMILARITY`: a letter telling it again a few months on); at any gap when their texts are
   nearly the same (:data:`RECUR_SIMILARITY`), or
   when they name one site (not a village or subdistrict; its names merged into one key where they are one
   place, 鹏基诺亚山林 and 诺亚山林, or written with the area it is in, 星沙凉塘路 and 四区凉塘路; each name as written
   where the key may be two, 财政经济学院 and 涉外经济学院 → 经济学院), share a fine theme (a broad one for an organisation's conduct: a bureau, a company) and their texts
   are alike (:data:`LASTING_SIMILARITY`): the same problem raised again months later.
5. **one writer** — a writer's placed messages of one fine theme link when their whole texts are alike at
   ``name_similarity``: a follow-up that names the place another way (:func:`_writer_block`); beyond the words
   the writer writes about three places or more, a serial writer's template (:func:`_writer_own`).

Blocks above ``block_size`` messages are cut in time order, so each pairwise step costs at most
``N × block_size``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from operator import contains

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rjieba
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from minsheng.engine.hot_issues.districts import _A_CODE, _apart_codes, _code_numbers, _leading_codes
from minsheng.engine.hot_issues.leaders import _leader_edges
from minsheng.engine.hot_issues.naming import _is_name_word
from minsheng.engine.hot_issues.parts import _ONE_TASK_ROWS, _near, _pieces
from minsheng.engine.hot_issues.prelude import (
    _conduct_theme,
    _institutions,
    _pair_codes,
    _Prelude,
    _shared_tail,
    _shared_value,
    _site_theme,
    _writer_block,
    _writer_own,
)
from minsheng.engine.hot_issues.thresholds import (
    ACROSS_THEMES_SIMILARITY,
    FEW_MESSAGES,
    FEW_SIMILARITY,
    LASTING_SIMILARITY,
    MATTER_SIMILARITY,
    NAMED_PLACE_MESSAGES,
    NAMED_PLACE_SIMILARITY,
    RARE_NAME_SIMILARITY,
    RARE_NAME_TITLES,
    RECUR_SIMILARITY,
    SECOND_KEY_SIMILARITY,
    STRETCHED_SIMILARITY,
    TITLES_SIMILARITY,
)
from minsheng.engine.hot_issues.title_places import _own_titles
from minsheng.engine.hot_issues.vectors import _apart, _matter_rows, _name_columns, _vectorise
from minsheng.engine.places import is_area, numbered_names, place_level
from minsheng.engine.tokens import ranges

# Messages are compared on their title and the start of the body: what the problem is, said first. Segmenting
# the words is most of the stage's cost, so this bounds it (with 200 characters the stage cost about twice as
# much, and B-cubed recall on the gold set was 0.63 instead of 0.66).
_COMPARED_CHARS = 100
_LEADER_PARTS = 6  # parts of the fine themes whose placeless messages are grouped (:func:`_leader_edges`)


def _link_blocks(key: pd.Series, theme: pd.Series | None, text: pa.Array, places: pd.DataFrame,
                 days: np.ndarray, similarity: float, name_similarity: float, window_days: int,
                 block_size: int, map_parts: Callable = map, part_rows: int = 20_000,
                 in_title: np.ndarray | None = None, writer: np.ndarray | None = None,
                 code: np.ndarray | None = None, asked: np.ndarray | None = None,
                 consulter: np.ndarray | None = None,
                 second: np.ndarray | None = None, copies: np.ndarray | None = None) -> tuple:
    """Issue labels, so that a problem told in several fine themes or without a place is still one issue,
    and nothing chains into a giant component:

    - **place**: messages of one place (variants merged) link when they share a fine theme and some words
      beyond what their theme's messages all write (:data:`MATTER_SIMILARITY`, :func:`_matter_rows`), or
      when their texts (the place name blanked out) reach cosine ``similarity`` within one broad theme
      (丽发新城's mixing plant is told as noise, dust and permits), or :data:`ACROSS_THEMES_SIMILARITY` across
      broad themes; issues are the connected components.
    - **no place**: messages that name no place are grouped within their fine theme (all together without
      themes) around a *leader* — the first message of the group, each member at cosine ≥
      ``name_similarity`` to it — so only shared rare words (58车贷, 温斯顿, 人才新政) make a group and a
      chain of look-alikes cannot. A group then joins the place issue its leader is most like (same fine
      theme, cosine ≥ ``name_similarity``), and at most one: groups never bridge two places. Neither links
      messages whose district ``code`` s differ (:func:`district_codes`), nor a district's message and one
      that writes no district, nor two whose titles ask two kinds of question (``asked``, ``consulter``:
      :func:`questions_asked`), unless they share a name (:func:`.districts._apart_general`).
    - **a title's second place** (``second``, :func:`.title_places._title_keys`): a message links with that place's messages
      of its fine theme that say the same thing (:func:`_second_key_edges`).

    - **copies** (``copies``: the duplicate stage's groups, or identical texts): copies of one letter at one place
      (or at none) are one issue (:func:`_copies_edges`), though the pieces compared apart may hold them.

    Never more than ``window_days`` apart. Blocks above ``block_size`` are cut in time order, so each step
    costs at most ``N × block_size``.
    """
    n = len(key)
    has_place = key.notna().to_numpy()
    # Places and themes as codes (−1: none), each factorized once: the blocks compared together are numbers,
    # not strings joined over every row (at 1M rows: the prelude 3 → 1.9 CPU-s, the parent 19 → 16).
    key_code, key_names = pd.factorize(key)
    fine, broad = np.full(n, -1, dtype=np.intp), None
    if theme is not None:
        fine, fine_names = pd.factorize(theme)
        broad = np.r_[pd.factorize(pd.Series(fine_names, dtype=object).str[:3])[0], -1][fine]
        theme_code = fine
        if in_title is not None:  # a place named only in the body (in passing) links by what the texts say
            theme_code = np.where(in_title | ~has_place, theme_code, -1)
        site, names = pd.factorize(places["place_key"].to_numpy(dtype=object))
        own_theme = _site_theme(site, theme_code)
        # Where a key is the tail or head of two names neither of which holds the other (涉外经济学院 and
        # 财政经济学院 → 经济学院: two colleges, or one written two ways), a fine theme links the messages
        # of one name as written only; across names, what their texts say does.
        shared = _shared_tail(site, names, key_code, key_names)
        # One site, one fine theme: linked across any time gap (see _link); not a village's or a subdistrict's
        # messages, which hold unrelated problems of one kind. The site is the merged key where the names
        # merged into it are one place (鹏基诺亚山林 and 诺亚山林, 保利麓谷林语 and 麓谷林语), the name as written
        # where the merge may join two (``shared``).
        lasting_site, lasting_names = pd.factorize(np.where(shared | key.isna().to_numpy(),
                                                            places["place_key"].to_numpy(dtype=object),
                                                            key.to_numpy(dtype=object, na_value=None)))
        area = np.r_[np.fromiter(map(is_area, lasting_names), dtype=bool, count=len(lasting_names)), True]
        lasting = _site_theme(np.where(area[lasting_site], -1, lasting_site),
                              _conduct_theme(lasting_site, places["place"].to_numpy(dtype=object), theme_code,
                                             broad))  # area[-1]: no site
        theme_code = np.where(shared, own_theme, theme_code)
        # an institution's letters across broad themes (see _institutions), not where its key may be two places
        institution = _institutions(places["place"].to_numpy(dtype=object)) & ~shared
    else:
        theme_code = lasting = institution = None
    # without themes every row is of one theme (its messages without a place are grouped all together)
    theme_block = pd.Series(np.where(fine >= 0, fine, np.nan) if theme is not None else np.zeros(n))
    block = key_code
    if code is not None:  # a place's messages of another county than most of them write (教师进城, 小纸厂): a place apart
        site = _pair_codes(key_code, np.full(n, -1) if broad is None else broad)  # what is compared together
        leading = _leading_codes(site, code)
        apart = _apart_codes(code, leading) | ((leading == -2) & (code % 100 > 0))
        block = _pair_codes(key_code, np.where(apart, pd.factorize(code)[0], -1))
    place_block = pd.Series(np.where(block >= 0, block, np.nan))
    written = _writer_block(writer, has_place, fine if theme is not None else np.zeros(n, dtype=np.intp), key_code)
    in_pair = _shared_value(place_block.to_numpy()) | _shared_value(theme_block.to_numpy()) | written.notna().to_numpy()
    shared = np.flatnonzero(in_pair)
    head = pc.utf8_slice_codeunits(text, 0, _COMPARED_CHARS)  # what is compared; _rare_name_edges counts names in it
    docs = head.take(pa.array(shared))
    vectors, blanked, words = _vectorise(docs, places["place"].to_numpy()[shared], map_parts)
    row_in_vectors = np.full(n, -1)
    row_in_vectors[shared] = np.arange(len(shared))
    # A place's pairs across broad themes link only when nearly alike (see _link): its messages are compared
    # together, each with its broad theme.
    names = _name_columns(words)
    matter = (_matter_rows(blanked, np.where(has_place[shared], fine[shared], -1),
                           names, similarity) if theme is not None and blanked is not None else None)
    # The groups of the messages without a place and the products of the blocks run in the workers, handed
    # out by two threads here, the groups first: they are the longest tasks (in this thread they outlasted the
    # workers' products beside them).
    rules = _Prelude(key=key, key_code=key_code, key_names=key_names,
                     written_key=places["place_key"].to_numpy(dtype=object), has_place=has_place, fine=fine,
                     broad=broad, in_title=in_title, institution=institution, code=code, asked=asked,
                     consulter=consulter, text=text,
                     head=head, vectors=vectors, blanked=blanked, words=words, names=names,
                     row_in_vectors=row_in_vectors, days=days, window_days=window_days, block_size=block_size,
                     map_parts=map_parts, part_rows=part_rows)
    with ThreadPoolExecutor(2, thread_name_prefix="minsheng-hot-edges") as pool:
        leaders = pool.submit(_leader_edges, rules, theme_block, name_similarity,
                              parts=1 if n <= _ONE_TASK_ROWS else _LEADER_PARTS)
        edges = pool.submit(_edges, rules, place_block, blanked, similarity, theme=theme_code, lasting=lasting,
                            matter=matter, broad_apart=True)
        own, in_own = _writer_own(vectors, row_in_vectors, written, key_code)
        writers = pool.submit(_edges, rules, written, own, name_similarity, row_in_vectors=in_own)
        named = pool.submit(_named_place_edges, rules) if theme is not None else None
        (r, c), (lr, lc), (wr, wc) = edges.result(), leaders.result(), writers.result()
        xr, xc = named.result() if named is not None else (np.empty(0, dtype=np.int64),) * 2
    r, c = np.concatenate([r, lr, wr, xr]), np.concatenate([c, lc, wc, xc])
    if second is not None and theme is not None and blanked is not None:
        sr, sc = _second_key_edges(rules, pd.Index(key_names).get_indexer(pd.Series(second, dtype=object)))
        r, c = np.concatenate([r, sr]), np.concatenate([c, sc])
    if theme is not None and blanked is not None and in_title is not None:
        fr, fc = _few_messages_edges(rules, place_block)
        r, c = np.concatenate([r, fr]), np.concatenate([c, fc])
    if theme is not None and blanked is not None:
        tr, tc = _titles_edges(rules, place_block)
        r, c = np.concatenate([r, tr]), np.concatenate([c, tc])
    if copies is not None:
        cr, cc = _copies_edges(copies, key_code, days, window_days)
        r, c = np.concatenate([r, cr]), np.concatenate([c, cc])
    graph = coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n))
    labels = connected_components(graph, directed=False)[1]
    if theme is not None and vectors is not None:  # two letters every rule above left alone
        alone = ~has_place & (np.bincount(labels, minlength=n)[labels] == 1)
        nr, nc = _rare_name_edges(rules, alone)
        if len(nr):
            graph = coo_matrix((np.ones(len(r) + len(nr)), (np.r_[r, nr], np.r_[c, nc])), shape=(n, n))
            labels = connected_components(graph, directed=False)[1]
    issue_of = np.where(has_place | in_pair, labels, -1)
    return issue_of, vectors, words, row_in_vectors


def _copies_edges(copies: np.ndarray, key_code: np.ndarray, days: np.ndarray, window_days: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Links between copies of one letter (``copies``: a code per row, −1 for none) of one place or of none
    (``key_code``), each to the one before it in time when within ``window_days`` (or either has no time).

    Why: the rules above compare rows within pieces of ``block_size`` in time order, so copies falling in two
    pieces were never compared: 200,000 identical rows came out as 200 hot issues of 1,000 rows each, and a form
    letter sent 5,000 times as five. The heat still counts the copies as one voice (:mod:`.heat`)."""
    rows = np.flatnonzero(copies >= 0)
    if len(rows) < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    when = np.nan_to_num(days[rows], nan=-np.inf)
    rows = rows[np.lexsort((when, key_code[rows], copies[rows]))]
    same = (copies[rows[1:]] == copies[rows[:-1]]) & (key_code[rows[1:]] == key_code[rows[:-1]])
    gap = days[rows[1:]] - days[rows[:-1]]
    near = same & ~(gap > window_days)  # a missing time is no gap
    return rows[1:][near].astype(np.int64), rows[:-1][near].astype(np.int64)


def _second_key_edges(p: _Prelude, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Links of a message whose title names a ``second`` place (a code of ``p.key_code``, −1: none) with that
    place's messages of its fine theme whose blanked texts reach :data:`SECOND_KEY_SIMILARITY`, within the window
    and of no two district codes (:func:`_apart_codes`). A message keeps one place: its links to the second
    place's messages make one issue of what both say. Only the pairs of the few rows with a second place and the
    messages of that place and fine theme are formed."""
    empty = np.empty(0, dtype=np.int64)
    key, fine, row_in_vectors, days, code = p.key_code, p.fine, p.row_in_vectors, p.days, p.code
    width = np.int64(fine.max(initial=-1)) + 2
    rows = np.flatnonzero((second >= 0) & (fine >= 0) & (row_in_vectors >= 0))
    placed = np.flatnonzero((key >= 0) & (fine >= 0) & (row_in_vectors >= 0))
    if not len(rows) or not len(placed):
        return empty, empty
    site = key[placed].astype(np.int64) * width + fine[placed]  # one number per (place, fine theme)
    order = np.argsort(site, kind="stable")
    placed, site = placed[order], site[order]
    wanted = second[rows].astype(np.int64) * width + fine[rows]
    lo, hi = np.searchsorted(site, wanted, side="left"), np.searchsorted(site, wanted, side="right")
    a, b = np.repeat(rows, hi - lo), placed[ranges(lo, hi - lo)]
    keep = ~(np.abs(days[a] - days[b]) > p.window_days) & (a != b)
    if code is not None:
        keep &= ~_apart_codes(code[a], code[b])
    a, b = a[keep], b[keep]
    if not len(a):
        return empty, empty
    sim = np.asarray(p.blanked[row_in_vectors[a]].multiply(p.blanked[row_in_vectors[b]]).sum(axis=1)).ravel()
    link = sim >= SECOND_KEY_SIMILARITY
    return a[link], b[link]


def _named_place_edges(p: _Prelude) -> tuple[np.ndarray, np.ndarray]:
    """Links between messages of two places, of one fine theme, whose whole texts (place words included) reach
    :data:`NAMED_PLACE_SIMILARITY` and one of which names the other's place (a site, not an area: a town or
    subdistrict holds many problems of a kind), within the window (:func:`_edges`).

    Why: two people write one problem each from where they stand. 深业睿城's missing metro exit is keyed
    深业睿城 in one letter, 星沙文体中心站 and 开元路 in the two that name it in their bodies; 向阳社区's forced
    building works are keyed 向阳 and 高新区麓谷街道. A place key alone kept such pairs apart, and a small issue
    of two or three letters had no other way to meet (docs/engine/hot-issues.md, h-hot20). The naming is
    what makes them one matter: without it, the same words at 0.45 joined different schools' forced
    internships and different estates' restaurant fumes. Only places of a few messages
    (:data:`NAMED_PLACE_MESSAGES`): a place many write about has its own issue, and a key many texts hold
    (个体工商户, or 康西县湖, cut from longer names) says nothing about which of them is one matter. A key that keeps
    the district code its letter wrote (A1区老地方美食广场: a common name stands as a place only with it) is named by
    a text that writes the name alone, unless that text's title writes another district: a tenant's letter keyed by
    the building wrote the food court's name without the code, and stayed apart (messages_hot's gold G23, h-hot33).
    The two texts must also share words beyond the places' (their blanked cosine at least :data:`MATTER_SIMILARITY`,
    as a place's own letters of one fine theme): the naming makes the names' words shared, and one school written
    two ways (楚江工贸技工学校 / 楚江技工工贸学校) joined its enrolment fraud and its make-up fees at a whole cosine of
    0.37 made of its names alone (h-hot33).
    """
    empty = np.empty(0, dtype=np.int64)
    code = p.key_code
    few = np.r_[np.bincount(code[code >= 0], minlength=int(code.max(initial=-1)) + 1) <= NAMED_PLACE_MESSAGES, False]
    themed = pd.Series(np.where(p.has_place & (p.fine >= 0) & few[code], p.fine, np.nan))  # only these are compared
    # the pairs themselves, of two places: whether one text names the other's place is a test of a pair, and the
    # links a component is joined by (each row to its first) are pairs that may not be alike at all
    r, c = _edges(p, themed, p.vectors, NAMED_PLACE_SIMILARITY, apart=code)
    if not len(r):
        return empty, empty
    # Python strings of the pairs' rows and places once, each place's test of being a site once: the pairs are many
    # where templated letters are alike (≈ 43,000 at 100,000 synthetic rows), and the test per pair is one lookup and
    # one substring search (numpy's string search over the pairs cost four times as much: a copy of each pair's text).
    rows = np.unique(np.r_[r, c])
    texts = dict(zip(rows.tolist(), p.text.take(pa.array(rows)).to_pylist(), strict=True))
    places = np.unique(np.r_[code[r], code[c]])
    place = dict(zip(places.tolist(), p.key_names[places].tolist(), strict=True))
    site = {k: not is_area(name) for k, name in place.items()}
    # a key that keeps its district code (A1区老地方美食广场: a name common enough to stand only with it) is named by
    # a text that writes the name without the code, unless the text's own code is another district's
    keys = pa.array(list(place.values()), pa.string())
    coded = _code_numbers(keys, f"^{_A_CODE}").tolist()
    bare = dict(zip(place, pc.replace_substring_regex(keys, f"^{_A_CODE}", "").to_pylist(), strict=True))
    of = dict(zip(place, coded, strict=True))
    written = p.code if p.code is not None else np.full(len(code), -1)

    def names(row: int, k: int) -> bool:
        """Whether the text of ``row`` names place ``k``, a site."""
        return site[k] and bare[k] in texts[row] and (of[k] < 0 or place[k] in texts[row]
                                                      or not _apart_codes(written[row:row + 1], of[k])[0])

    ok = np.fromiter((names(a, kc) or names(b, kr)  # a names b's, or b a's
                      for a, b, kr, kc in zip(r.tolist(), c.tolist(), code[r].tolist(), code[c].tolist(), strict=True)),
                     dtype=bool, count=len(r))
    r, c = r[ok], c[ok]
    # ... and some words beyond the places' (the naming makes the names' words shared): as a place's own letters of
    # one fine theme need (MATTER_SIMILARITY)
    at = p.row_in_vectors
    beyond = np.asarray(p.blanked[at[r]].multiply(p.blanked[at[c]]).sum(axis=1)).ravel() >= MATTER_SIMILARITY
    return r[beyond], c[beyond]


def _few_messages_edges(p: _Prelude, block: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Links between the messages of a site few write about (its key, held by at most :data:`FEW_MESSAGES` rows;
    a site or a name without a place ending, not a road nor an area: :func:`~minsheng.engine.places.place_level`;
    compared within its ``block``, as its other links are), of one broad theme (any, where either row is an
    institution's), whose titles write the same words beyond the place: the part of their cosine (``p.blanked``:
    the place's words out) made of words both titles write and that are not names (``p.words``, ``p.names``:
    :func:`_name_columns`) reaches :data:`FEW_SIMILARITY`, within the window (:func:`_edges`). Only rows whose
    title names the place (``p.in_title``, or the key as the row itself wrote it, ``p.written_key``: 天楚中苑
    merged into 楚天中苑); a text of one line, by its first sentence (:func:`_own_titles`).

    Why: a place's messages of two fine themes link at cosine ``similarity`` (0.12) with the place blanked,
    because a place many write about holds many problems of a kind, and only the words beyond the place tell
    them apart. At a site two or three people write about, two letters whose titles name one problem are one
    matter even where their bodies tell it in other words: 双水湾's residents' 出行 once the bridge is gone
    (blanked cosine 0.09), 佳园星城's 垃圾站 (0.085), a school's 强制补课 and its 补课费 (docs/engine/hot-issues.md,
    h-hot21). The titles, not the texts: at the cosine of those pairs, a small estate's other letters share a
    word of their bodies (小区, 开发商, a building's number) and are different grievances (a leak and a market in a
    shelter, parking spaces and two deeds, a mahjong hall and a refuse station). Not names: a road both titles
    name (楚龙) says where, not what. Not a road: its letters are about points along it (two junctions'
    lights and an overpass of 人民东路), as an area's are about its many sites. Only in the title: a place named
    in passing in a body is where the writer stands, not what two letters are about."""
    empty = np.empty(0, dtype=np.int64)
    key, key_names, row_in_vectors, written_key = p.key_code, p.key_names, p.row_in_vectors, p.written_key
    count = np.bincount(key[key >= 0], minlength=1)
    site = np.r_[np.fromiter((place_level(k) in (0, 3) for k in key_names), dtype=bool, count=len(key_names)), False]
    few = np.flatnonzero((key >= 0) & (count[np.maximum(key, 0)] <= FEW_MESSAGES) & site[key]
                         & block.notna().to_numpy() & (row_in_vectors >= 0))
    titles, lined = _own_titles(p.text, few)
    # the place in the title: as the title search found it, or as this row wrote it before two spellings were
    # merged into one key (天楚中苑 into 楚天中苑); a text of one line, in the title it is cut to
    wrote = np.fromiter((isinstance(t, str) and isinstance(k, str) and k in t
                         for t, k in zip(titles[few], written_key[few], strict=True)), dtype=bool, count=len(few))
    few = few[(wrote | (p.in_title[few] & lined[few])) & (titles[few] != None)]  # noqa: E711 (object array)
    values = np.full(len(key), np.nan)
    values[few] = block.to_numpy()[few]
    values = np.where(_shared_value(values), values, np.nan)
    if not np.isfinite(values).any():
        return empty, empty
    # the rows some pair of which is alike at all (the whole blanked cosine bounds its titles' part)
    r, c = _edges(p, pd.Series(values), p.blanked, FEW_SIMILARITY, broad_apart=True)
    rows = np.unique(np.r_[r, c])
    if not len(rows):
        return empty, empty
    X = p.blanked[row_in_vectors[rows]].tocsr()
    row_of = np.repeat(np.arange(len(rows)), np.diff(X.indptr))
    titled = np.fromiter(map(contains, titles[rows][row_of], np.asarray(p.words, dtype=object)[X.indices]),
                         dtype=bool, count=X.nnz) & ~p.names[X.indices]
    X = csr_matrix((X.data * titled, X.indices, X.indptr), shape=X.shape)
    X.eliminate_zeros()
    values[np.setdiff1d(np.flatnonzero(np.isfinite(values)), rows)] = np.nan
    in_titles = np.full(len(key), -1)
    in_titles[rows] = np.arange(len(rows))
    return _edges(p, pd.Series(values), X, FEW_SIMILARITY, row_in_vectors=in_titles, broad_apart=True)


def _titles_edges(p: _Prelude, block: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Links between the messages of a site few write about (its key held by at most :data:`FEW_MESSAGES` rows; a
    site or a name without a place ending, not a road nor an area, as :func:`_few_messages_edges` reads it; compared
    within its ``block``, as its other links are) whose titles say the same beyond the place, whatever their themes:
    the part of their cosine (``p.blanked``: the place's words out) made of words both titles write
    (:func:`.title_places._own_titles`) that are not names (``p.names``) nor words of the place as the title writes
    it (within its key, or right before or after it) reaches :data:`TITLES_SIMILARITY`, within the window
    (:func:`_edges`).

    Why: the other rules of a place read its messages' themes (one fine theme and some of the matter alike; one broad
    theme at ``similarity``; across broad themes at :data:`ACROSS_THEMES_SIMILARITY`; :func:`_few_messages_edges`,
    one broad theme), and the theme model is a random clustering: two letters of 锦楚国际's power cuts, of
    星沙公园's substation, of 楚江世纪城's pyramid-selling den fell in one theme on one seed and in two broad themes on
    another, and their issue came or went with the seed (docs/engine/hot-issues.md, h-hot31). Two titles that name
    one matter do not move with it. Not the place's own words: 碧桂园南城首府's letters write 首府 (its key is
    碧桂园南城), 万科魅力之城's 之城, whatever they complain about (water bills and leaks, parking sales and school
    places)."""
    empty = np.empty(0, dtype=np.int64)
    row_in_vectors, key = p.row_in_vectors, p.key_code
    site = np.r_[np.fromiter((place_level(k) in (0, 3) for k in p.key_names), dtype=bool, count=len(p.key_names)),
                 False]
    few = np.r_[np.bincount(key[key >= 0], minlength=len(p.key_names)) <= FEW_MESSAGES, False]
    values = np.where((row_in_vectors >= 0) & site[key] & few[key], block.to_numpy(), np.nan)
    values = np.where(_shared_value(values), values, np.nan)
    rows = np.flatnonzero(np.isfinite(values))
    if len(rows) < 2:
        return empty, empty
    titles = _own_titles(p.text, rows)[0]
    values[rows[titles[rows] == None]] = np.nan  # noqa: E711 (object array): a text of one line without a title
    rows = rows[titles[rows] != None]  # noqa: E711
    X = p.blanked[row_in_vectors[rows]].tocsr()
    row_of = np.repeat(np.arange(len(rows)), np.diff(X.indptr))
    text = np.dtypes.StringDType()
    word, title = np.asarray(p.words, dtype=text)[X.indices], np.asarray(titles[rows], dtype=text)[row_of]
    keep = (np.strings.find(title, word) >= 0) & ~p.names[X.indices]
    # nor a word of the place as the title writes it: in its key (之城 of 魅力之城) or right after or before it (首府
    # after 碧桂园南城, 过渡 after 汽车南站)
    name = np.asarray(p.key_names, dtype=object)[key[rows]][row_of].astype(text)
    keep &= ~((np.strings.find(name, word) >= 0) | (np.strings.find(title, np.strings.add(name, word)) >= 0)
              | (np.strings.find(title, np.strings.add(word, name)) >= 0))
    X = csr_matrix((X.data * keep, X.indices, X.indptr), shape=X.shape)
    X.eliminate_zeros()
    in_titles = np.full(len(values), -1)
    in_titles[rows] = np.arange(len(rows))
    return _edges(p, pd.Series(values), X, TITLES_SIMILARITY, row_in_vectors=in_titles)


_HAN_PAIR = re.compile("(?=([\u4e00-\u9fa5]{2}))")


def _rare_name_edges(p: _Prelude, alone: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Links between two messages without a place that no other rule linked (``alone``), of one broad theme, whose
    whole texts reach :data:`RARE_NAME_SIMILARITY` within the window (farther as other rules' pairs: at
    :data:`STRETCHED_SIMILARITY`, :data:`RECUR_SIMILARITY`), of no two district codes (:func:`_apart_codes`), and whose
    titles (:func:`_own_titles`; a text of one line without a first sentence, its first 40 letters) both write a name
    (:func:`_name_pairs`: two letters of it, or one title them swapped, 趣步 / 步趣; or a name written with a number,
    whole: :func:`~minsheng.engine.places.numbered_names`, 205路 and not X205路) that at most
    :data:`RARE_NAME_TITLES` texts of the input write in their first letters: ``p.head``, each text's first
    :data:`_COMPARED_CHARS` letters (what is compared; a title is within them).

    Why: a letter about one named thing that is not a place — a company's unpaid wages, an app said to be a
    pyramid scheme — links only around a leader at ``name_similarity`` (0.25), and two people telling it in their
    own words miss it just under (0.22-0.25: 名未's wages and 趣步 / 步趣, messages_hot's gold G40 and G38). What a
    reader joins them by is the name both titles write and the input's other letters do not: a name few texts
    write is one company, app or case. Its letters, not its words: an unknown name is cut into words each writer's
    way (省名 | 未 / 楚雅名 | 未, 省步趣 / 趣步). Two letters alone only: a link between two groups would join what
    their leaders keep apart. Measured on the DEV files (not blind): docs/engine/hot-issues.md, h-hot22.

    Of one broad theme, not one fine theme: the theme model is a random clustering, and a name few texts write says
    what two letters are about where their fine themes do not (a bus route's missed departures under two fine
    themes: messages_hot's gold G10 on two theme seeds of four; h-hot37). Across broad themes such names joined two
    matters: 网约 of ride-hailing's illegal cars and of its drivers' exam, 号线 of a bus line and a metro line."""
    empty = np.empty(0, dtype=np.int64)
    days, code, head = p.days, p.code, p.head
    rows = np.flatnonzero(alone & (p.fine >= 0) & (p.broad >= 0) & (p.row_in_vectors >= 0))
    if len(rows) < 2:
        return empty, empty
    # of one broad theme, any fine ones (the name, not the random theme model, says what the letters are about),
    # in time order
    rows, piece = _pieces(p.broad, rows, days, p.block_size)
    S = _apart(p.vectors[p.row_in_vectors[rows]], piece)
    S = (S @ S.T).tocoo()
    ok = (S.row < S.col) & (S.data >= RARE_NAME_SIMILARITY)
    r, c, v = rows[S.row[ok]], rows[S.col[ok]], S.data[ok]
    ok = (v >= RECUR_SIMILARITY) | _near(days[r], days[c], p.window_days, v >= STRETCHED_SIMILARITY)
    if code is not None:
        ok &= ~_apart_codes(code[r], code[c])
    r, c = r[ok], c[ok]
    if not len(r):
        return empty, empty
    both = np.unique(np.r_[r, c])
    titles = _own_titles(head, both)[0]
    untitled = both[titles[both] == None]  # noqa: E711 (object array): one line without a first sentence
    if len(untitled):  # its first letters, a title's length (40): where a name the title writes is
        titles[untitled] = pc.utf8_slice_codeunits(head.take(pa.array(untitled)), 0, 40).to_numpy(zero_copy_only=False)
    named = {i: _name_pairs(titles[i]) if isinstance(titles[i], str) else set() for i in both.tolist()}
    shared = [named[a] & (named[b] | {p[::-1] for p in named[b]}) for a, b in zip(r.tolist(), c.tolist(), strict=True)]
    wanted = set().union(*shared)
    wanted |= {p[::-1] for p in wanted}
    # a name written with a number (205路, 3号线) both titles write, whole and as written (热线12345 is read
    # 12345热线): its letters alone are no name's
    titled = [i for i in both.tolist() if isinstance(titles[i], str)]
    numbered: dict[int, set[str]] = {}
    for i, name in zip(*numbered_names([titles[i] for i in titled]), strict=True):
        if name in titles[titled[i]]:
            numbered.setdefault(titled[i], set()).add(name)
    counted = [numbered.get(a, set()) & numbered.get(b, set()) for a, b in zip(r.tolist(), c.tolist(), strict=True)]
    whole = set().union(*counted)
    if not wanted and not whole:
        return empty, empty
    # how many texts write each pair of letters, each numbered name, in their first letters (what is compared:
    # _COMPARED_CHARS)
    pattern = "|".join([*sorted(wanted), *map(re.escape, sorted(whole))])
    hit = head.take(pa.array(np.flatnonzero(pc.match_substring_regex(head, pattern).to_numpy(zero_copy_only=False))))
    hit = hit.to_pylist()
    written = Counter(p for t in hit for p in set(_HAN_PAIR.findall(t)) & wanted)
    alone_number = {n: re.compile(f"(?<![0-9A-Za-z]){re.escape(n)}") for n in whole}  # 205路, not X205路
    written.update(n for t in hit for n, find in alone_number.items() if find.search(t))
    rare = {p for p in wanted if written[p] + (written[p[::-1]] if p[::-1] != p else 0) <= RARE_NAME_TITLES}
    rare |= {n for n in whole if written[n] <= RARE_NAME_TITLES}
    keep = np.fromiter((bool((s | n) & rare) for s, n in zip(shared, counted, strict=True)), dtype=bool,
                       count=len(shared))
    return r[keep], c[keep]


# Where a title's name is cut off what is written before it: a district's code or a province (西地省名未集团: rjieba cuts
# 省名 | 未, a province's name and a letter; 名未集团 alone, 名未 | 集团), and what is not a letter.
_BEFORE_NAMES = re.compile("[A-Z][0-9]{0,2}[区县市]|省|[^\\u4e00-\\u9fa5]+")


def _name_pairs(title: str) -> set[str]:
    """The pairs of letters of ``title`` that are of a name as rjieba cuts it (each stretch between district codes,
    provinces and other marks, :data:`_BEFORE_NAMES`, on its own): each letter in a word the dictionary does not
    know or a proper name (:func:`_is_name_word`) or a letter alone, one of them in such a word of two letters or
    more (楚雅名 | 未: 名未). Not a pair across two words of the dictionary (城乡 | 居民's 乡居, 长期 | 拖欠's 期拖,
    公积金 | 管理's 金管) nor within one (缴存, 护照): those are what any title may write."""
    found = set()
    for part in _BEFORE_NAMES.split(title):
        of_name, in_word = [], []
        for word, tag in rjieba.tag(part) if len(part) > 1 else ():
            name = len(word) == 1 or _is_name_word(word, tag)
            of_name += [name] * len(word)
            in_word += [name and len(word) > 1] * len(word)
        found.update(part[k:k + 2] for k in range(len(part) - 1)
                     if of_name[k] and of_name[k + 1] and (in_word[k] or in_word[k + 1]))
    return found


def _edges(p: _Prelude, block: pd.Series, vectors, similarity: float, *, row_in_vectors: np.ndarray | None = None,
           theme: np.ndarray | None = None, lasting: np.ndarray | None = None, matter=None,
           broad_apart: bool = False, apart: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Links (row pairs) within each block: the same fine ``theme`` (per row, −1: none) and the ``matter`` said
    alike (per row of ``vectors``: :func:`_matter_rows`), or cosine ≥ ``similarity`` of the rows of ``vectors``
    (each row's: ``row_in_vectors``, by default ``p.row_in_vectors``); with ``broad_apart``, of one broad theme
    (``p.broad``) or where either row is an institution's (``p.institution``), else
    :data:`ACROSS_THEMES_SIMILARITY`. Never more than ``p.window_days`` apart (unless :data:`RECUR_SIMILARITY`;
    of one ``lasting`` site and fine theme, however long between: see :func:`_link`). The rules read the rest
    from the prelude ``p``; only plain arrays go to the workers. With ``apart`` (a code per row), every linked
    pair whose two codes differ instead: for a rule that tests each pair further (:func:`_named_place_edges`).

    Blocks are cut in time order into pieces of at most ``p.block_size``. Many pieces are compared in one
    sparse product, each piece's words in columns of its own, so that only pairs within a piece are ever
    computed (most places have a handful of messages: one product per place would cost more in overhead than
    in work, and one product over all would cost rows²). The products go through ``p.map_parts`` in tasks of
    about ``p.part_rows`` rows, each with its rows of ``vectors`` only (a task of single products would cost
    more in messages than in work).
    """
    empty = np.empty(0, dtype=np.int64)
    days, block_size, part_rows = p.days, p.block_size, p.part_rows
    row_in_vectors = p.row_in_vectors if row_in_vectors is None else row_in_vectors
    broad, institution = (p.broad, p.institution) if broad_apart else (None, None)
    rows = np.flatnonzero(block.notna().to_numpy())
    if not len(rows):
        return empty, empty
    rows, piece = _pieces(block.to_numpy(), rows, days, block_size)
    keep = np.bincount(piece)[piece] >= 2
    rows, piece = rows[keep], piece[keep]
    if not len(rows):
        return empty, empty
    bounds = np.r_[0, np.flatnonzero(piece[1:] != piece[:-1]) + 1, len(piece)]
    cuts, lo = [], 0  # (start, end) in rows of each product
    for k in range(1, len(bounds)):
        if k == len(bounds) - 1 or bounds[k + 1] - bounds[lo] > 4 * block_size:
            cuts.append((bounds[lo], bounds[k]))
            lo = k
    tasks, first = [], 0  # consecutive cuts of about part_rows rows together
    for i, (_, end) in enumerate(cuts):
        if end - cuts[first][0] >= part_rows or i == len(cuts) - 1:
            tasks.append(cuts[first:i + 1])
            first = i + 1

    def messages():
        for task in tasks:
            yield [(vectors[row_in_vectors[rows[a:b]]] if vectors is not None else None, days[rows[a:b]],
                    theme[rows[a:b]] if theme is not None else None, piece[a:b] - piece[a],
                    lasting[rows[a:b]] if lasting is not None else None,
                    broad[rows[a:b]] if broad is not None else None,
                    matter[row_in_vectors[rows[a:b]]] if matter is not None else None,
                    institution[rows[a:b]] if institution is not None else None,
                    apart[rows[a:b]] if apart is not None else None) for a, b in task]

    rs, cs = [empty], [empty]
    link = partial(_link_task, similarity=similarity, window_days=p.window_days)
    for task, links in zip(tasks, p.map_parts(link, messages()), strict=True):
        for (a, b), (r, c) in zip(task, links, strict=True):
            rs.append(rows[a:b][r])
            cs.append(rows[a:b][c])
    return np.concatenate(rs), np.concatenate(cs)


def _link_task(products: list[tuple], similarity: float, window_days: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`_link` of each (rows of the vectors, days, theme, piece) of a task (runs in a worker)."""
    return [_link(X, np.arange(len(days)), days, similarity, window_days, theme, piece, lasting, broad, matter,
                  institution, apart)
            for X, days, theme, piece, lasting, broad, matter, institution, apart in products]


def _link(vectors, rows: np.ndarray, days: np.ndarray, similarity: float, window_days: int,
          theme: np.ndarray | None, piece: np.ndarray,
          lasting: np.ndarray | None = None, broad: np.ndarray | None = None,
          matter=None, institution: np.ndarray | None = None,
          apart: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Links (positions in ``rows``, in time order within each ``piece``, numbered from 0) that connect what
    the pairs within each piece connect: cosine ≥ ``similarity`` (:data:`ACROSS_THEMES_SIMILARITY` across
    ``broad`` themes unless either row is an ``institution``'s), or the same fine ``theme`` and cosine ≥
    :data:`MATTER_SIMILARITY`; close in time. With ``apart`` (a code per row of ``rows``), the linked pairs
    themselves whose codes differ, not links that connect them."""
    n = len(rows)
    r = c = np.empty(0, dtype=np.int64)
    if vectors is not None:
        X = vectors[rows]
        X = _apart(X, piece)  # pairs within a piece only
        S = (X @ X.T).tocoo()
        # Each pair once (the product holds both triangles), and only pairs that some rule below can link: cosine
        # ≥ ``similarity``, or below it, in one fine theme, MATTER_SIMILARITY. The band below ``similarity`` is
        # tested for the theme on its own: at 1,018,000 synthetic records 37 of the 79 million pairs above the lower
        # floor lay in it, and 11,000 of them in one fine theme; every gather and test after this one read them all.
        upper = S.row < S.col
        pair = np.flatnonzero(upper & (S.data >= similarity))
        row, col, data = S.row[pair].astype(np.int64), S.col[pair].astype(np.int64), S.data[pair]
        keep = np.ones(len(pair), dtype=bool)
        if broad is not None:  # across broad themes, nearly alike only (an institution's: see _institutions)
            one = broad[row] == broad[col]
            if institution is not None:
                one |= institution[row] | institution[col]
            keep &= one | (data >= ACROSS_THEMES_SIMILARITY)
        r, c, sim = row[keep], col[keep], data[keep]
        # A problem raised again months later, in nearly the same words, is the same issue; a few months later, in
        # its words, too (see STRETCHED_SIMILARITY).
        recur, stretched = sim >= RECUR_SIMILARITY, sim >= STRETCHED_SIMILARITY
        if lasting is not None:  # one site, one fine theme, texts alike: however long between
            far = np.flatnonzero((sim >= LASTING_SIMILARITY) & ~recur & (np.abs(days[r] - days[c]) > window_days))
            recur[far] = (lasting[r[far]] == lasting[c[far]]) & (lasting[r[far]] >= 0)
        if theme is not None and similarity > MATTER_SIMILARITY:
            # one fine theme, and some of the matter said alike (see MATTER_SIMILARITY)
            low = np.flatnonzero(upper & (S.data >= MATTER_SIMILARITY) & (S.data < similarity))
            row, col = S.row[low], S.col[low]
            of = theme[row]
            same = np.flatnonzero((of == theme[col]) & (of >= 0))
            row, col = row[same].astype(np.int64), col[same].astype(np.int64)
            if matter is not None and len(row):  # ... beyond what the fine theme says (see _matter_rows)
                M = matter[rows]
                alike = np.asarray(M[row].multiply(M[col]).sum(axis=1)).ravel() >= MATTER_SIMILARITY
                row, col = row[alike], col[alike]
            r = np.concatenate([r, row])
            c = np.concatenate([c, col])
            recur = np.concatenate([recur, np.zeros(len(row), dtype=bool)])
            stretched = np.concatenate([stretched, np.zeros(len(row), dtype=bool)])
    else:
        recur = stretched = np.zeros(0, dtype=bool)

    keep = recur | _near(days[r], days[c], window_days, stretched)  # unknown times (NaN) do not break a link
    if apart is not None:
        keep &= apart[rows[r]] != apart[rows[c]]
        return r[keep], c[keep]
    # Only what is connected matters: one link from each row to the first row of its component, not the
    # millions of similar pairs of a big place (their memory grew with the input).
    graph = coo_matrix((np.ones(int(keep.sum()), dtype=np.float32), (r[keep], c[keep])), shape=(n, n))
    labels = connected_components(graph, directed=False)[1]
    root = np.unique(labels, return_index=True)[1][labels]
    linked = np.flatnonzero(root != np.arange(n))
    return linked, root[linked]
