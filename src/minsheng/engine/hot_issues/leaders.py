"""The messages without a place, grouped within their fine theme around a leader (:func:`_leader_edges`): each
member at cosine ≥ ``name_similarity`` to its leader, so a chain of look-alikes cannot grow into one giant issue;
leaders whose groups are one are joined (:func:`_alike_groups`), and a group joins at most one place issue.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from minsheng.engine.hot_issues.districts import _apart_codes, _apart_general, _one_district
from minsheng.engine.hot_issues.parts import _near, _near_gap, _pieces
from minsheng.engine.hot_issues.prelude import _Prelude
from minsheng.engine.hot_issues.thresholds import RECUR_SIMILARITY, SPECIFIC_SIMILARITY, STRETCHED_SIMILARITY
from minsheng.engine.hot_issues.vectors import _apart, _specific
from minsheng.engine.unit_rows import unit_rows


def _leader_edges(p: _Prelude, block: pd.Series, similarity: float, *, groups_per_product: int = 2000,
                  parts: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Edges member → leader for the messages without a place, leader → leader for groups that are one
    (:func:`_alike_groups`), and each group → the placed message of its fine theme most like the group as
    a whole (see :func:`.links._link_blocks`): of the rows ``block`` gives a fine theme (NA: none), at cosine
    ≥ ``similarity``. None between messages (a group: its leader's) whose district codes (``p.code``) differ
    (:func:`district_codes`), nor whose titles ask two kinds of question (``p.asked``) unless they share a name.

    A member is also alike its leader in what its fine theme does not say already (:func:`_specific`, with
    ``p.names``: per word, whether it is a name), and a group is like a placed message by those words too.
    The rest (places, vectors, days, window, block size, the workers' map) is read from the prelude ``p``, as
    :func:`.links._edges` reads it; only plain arrays go to the workers.

    Everything here is within one fine theme, so the themes are cut into ``parts`` of about as many messages
    without a place, each computed through ``p.map_parts`` (:func:`_leader_task`): in the parent this was the
    largest serial step of the stage, outlasting the workers' products beside it. The edges are the same."""
    empty = np.empty(0, dtype=np.int64)
    has_place, vectors, row_in_vectors, days = p.has_place, p.vectors, p.row_in_vectors, p.days
    code, names, asked, consulter = p.code, p.names, p.asked, p.consulter
    if vectors is None:
        return empty, empty
    rows = np.flatnonzero(block.notna().to_numpy() & (row_in_vectors >= 0))
    theme = pd.factorize(block.to_numpy()[rows])[0]
    free = np.bincount(theme[~has_place[rows]], minlength=int(theme.max(initial=-1)) + 1)
    rows, theme = rows[free[theme] > 0], theme[free[theme] > 0]  # a theme's placed messages without a group: none
    if not len(rows):
        return empty, empty
    part = _balanced(free, parts)[theme]
    code = np.full(len(block), -1, dtype=np.int64) if code is None else code
    asked = np.zeros(len(block), dtype=np.int64) if asked is None else asked
    consulter = np.full(len(block), -1, dtype=np.int64) if consulter is None else consulter
    names = np.zeros(vectors.shape[1], dtype=bool) if names is None else names
    own = [rows[part == k] for k in range(int(part.max()) + 1)]
    own = [r for r in own if len(r)]
    tasks = ((theme[np.searchsorted(rows, r)], has_place[r], vectors[row_in_vectors[r]], days[r], code[r], asked[r],
              consulter[r]) for r in own)
    task = partial(_leader_task, similarity=similarity, window_days=p.window_days, block_size=p.block_size,
                   groups_per_product=groups_per_product, names=names)
    rs, cs = [empty], [empty]
    for r, (a, b) in zip(own, p.map_parts(task, tasks), strict=True):
        rs.append(r[a])
        cs.append(r[b])
    return np.concatenate(rs), np.concatenate(cs)


def _balanced(sizes: np.ndarray, parts: int) -> np.ndarray:
    """A part (0 … ``parts`` − 1) per item, the largest items first each to the part with the least so far."""
    part, load = np.zeros(len(sizes), dtype=np.int64), np.zeros(max(parts, 1))
    for i in np.argsort(-sizes, kind="stable").tolist():
        part[i] = k = int(np.argmin(load))
        load[k] += sizes[i]
    return part


def _leader_task(task: tuple, similarity: float, window_days: int, block_size: int, groups_per_product: int,
                 names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_leader_edges` of some fine themes' messages (runs in a worker): ``task`` holds per message its
    theme (a number), whether it has a place, its vector, day, district code, kinds of question asked and who consults;
    the edges as positions among them."""
    values, has_place, vectors, days, code, asked, consulter = task
    empty = np.empty(0, dtype=np.int64)
    rows = np.arange(len(values))
    free, piece = _pieces(values, rows[~has_place[rows]], days, block_size)
    if not len(free):
        return empty, empty
    X = _apart(vectors[free], piece)
    Y = _specific(X, piece, names, similarity)
    leader, group_code = _one_district(_leaders(X, days[free], similarity, window_days, piece, code=code[free],
                                                specific=Y, names=names, asked=asked[free],
                                                consulter=consulter[free]), code[free])
    r, c = _alike_groups(X, leader, days[free], window_days, code=group_code, specific=Y, names=names,
                         asked=asked[free], consulter=consulter[free])
    r, c = np.r_[np.arange(len(free)), r], np.r_[leader, c]
    rs, cs = [free[r]], [free[c]]
    placed = rows[has_place[rows]]
    if len(placed):
        # the groups as they end up, and what each says as a whole
        group = connected_components(coo_matrix((np.ones(len(r)), (r, c)), shape=(len(free),) * 2),
                                     directed=False)[1]
        head = np.unique(group, return_index=True)[1]
        theme = pd.factorize(values[np.concatenate([free[head], placed])])[0]
        # what each group says beyond its fine theme (Y's words in their own columns again)
        G, start, end = _group_means(csr_matrix((Y.data, Y.indices % vectors.shape[1], Y.indptr),
                                                shape=(len(free), vectors.shape[1])), group, days[free])
        G = _apart(G, theme[:len(head)], int(theme.max()) + 1)
        P = _apart(vectors[placed], theme[len(head):], int(theme.max()) + 1)
        found = [(empty, empty, np.empty(0, dtype=np.float32))]
        PT = P.T.tocsr()  # once, not in every product (a pass over all placed messages' words each time)
        for lo in range(0, len(head), groups_per_product):
            T = (G[lo:lo + groups_per_product] @ PT).tocoo()
            g, c = T.row + lo, placed[T.col]
            # within the window of the group's activity, farther where alike (see STRETCHED_SIMILARITY)
            gap = np.maximum(start[g] - days[c], days[c] - end[g])
            ok = ((T.data >= similarity) & _near_gap(gap, window_days, T.data >= STRETCHED_SIMILARITY)
                  & ~_apart_general(group_code[head[g]], code[c], G, P, g, T.col, names,
                                    (asked[free[head[g]]], consulter[free[head[g]]]), (asked[c], consulter[c])))
            found.append((g[ok], c[ok], T.data[ok]))
        # the most similar placed message of each group (the first one on ties), and only that one: a group
        # never bridges two places
        g, c, v = (np.concatenate(x) for x in zip(*found, strict=True))
        order = np.lexsort((c, -v, g))
        first = order[np.r_[True, g[order][1:] != g[order][:-1]]] if len(order) else order
        rs.append(free[head[g[first]]])
        cs.append(c[first])
    return np.concatenate(rs), np.concatenate(cs)


def _group_means(X, group: np.ndarray, days: np.ndarray, unit: bool = True):
    """Per group (labels 0…k−1): the unit mean of its rows (the sum when not ``unit``), its first and its last
    day (NaN when no row's time is known)."""
    k = int(group.max(initial=-1)) + 1
    member = csr_matrix((np.ones(len(group), dtype=X.dtype), (group, np.arange(len(group)))),
                        shape=(k, len(group)))
    start, end = np.full(k, np.inf), np.full(k, -np.inf)
    np.fmin.at(start, group, days)
    np.fmax.at(end, group, days)
    start[np.isinf(start)], end[np.isinf(end)] = np.nan, np.nan
    return unit_rows(member @ X) if unit else (member @ X).tocsr(), start, end


def _alike_groups(X, leader: np.ndarray, days: np.ndarray, window_days: int,
                  per_product: int = 2000, code: np.ndarray | None = None,
                  specific=None, names: np.ndarray | None = None,
                  asked: np.ndarray | None = None, consulter: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of leaders whose groups are one: their mean vectors at cosine ≥ :data:`RECUR_SIMILARITY` (and,
    with ``specific`` (:func:`_specific`), the means of those rows, scaled as the means' are, at
    :data:`SPECIFIC_SIMILARITY`), and no more than ``window_days`` between one group's activity and the
    other's, :data:`~.thresholds.STRETCHED_WINDOWS` windows as a place's letters (they are alike at
    :data:`STRETCHED_SIMILARITY`: :func:`.parts._near_gap`); unknown times never keep them apart.

    A leader keeps its group close to its own words, so replies to one case that drift from its first
    message start groups of their own (the 58车贷 victims' letters to the police, to the party secretary);
    what their groups say as a whole still agrees. One product over the leaders, which are few."""
    heads, group = np.unique(leader, return_inverse=True)
    if len(heads) < 2:
        return heads[:0], heads[:0]
    G, start, end = _group_means(X, group, days)  # pieces stay apart: X's columns already are
    if specific is not None:  # the same means of the specific rows, scaled as G's rows were normalised
        sums = _group_means(X, group, days, unit=False)[0]
        scale = 1.0 / np.maximum(np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel()), 1e-12)
        H = csr_matrix(_group_means(specific, group, days, unit=False)[0].multiply(scale[:, None]))
    rs, cs = [heads[:0]], [heads[:0]]
    for lo in range(0, len(heads), per_product):  # bounded memory where nearly every message leads
        S = G[lo:lo + per_product] @ G.T
        if specific is not None:
            S = S.multiply((H[lo:lo + per_product] @ H.T) >= SPECIFIC_SIMILARITY)
        S = S.tocoo()
        r = S.row + lo
        gap = np.maximum(start[r], start[S.col]) - np.minimum(end[r], end[S.col])
        ok = (r < S.col) & (S.data >= RECUR_SIMILARITY) & _near_gap(gap, window_days, S.data >= STRETCHED_SIMILARITY)
        if code is not None:
            ok &= ~_apart_general(code[heads[r]], code[heads[S.col]], G, G, r, S.col, names,
                                  *(((asked[heads[r]], consulter[heads[r]]), (asked[heads[S.col]], consulter[heads[S.col]]))
                                    if asked is not None else ()))
        rs.append(heads[r[ok]])
        cs.append(heads[S.col[ok]])
    return np.concatenate(rs), np.concatenate(cs)


def _leaders(X, days: np.ndarray, similarity: float, window_days: int, piece: np.ndarray | None = None,
             chunk: int = 64, code: np.ndarray | None = None, specific=None,
             names: np.ndarray | None = None, asked: np.ndarray | None = None,
             consulter: np.ndarray | None = None) -> np.ndarray:
    """The leader of each row of ``X`` (rows in time order within each ``piece``, pieces apart in ``X``'s
    columns, see :func:`_apart`): the most similar earlier leader of its piece at cosine ≥ ``similarity``
    within ``window_days`` (or at :data:`RECUR_SIMILARITY`; farther at :data:`STRETCHED_SIMILARITY`, see
    :func:`.parts._near`) and of no other district ``code`` (and where ``specific`` is given, its rows at
    :data:`SPECIFIC_SIMILARITY`: :func:`_specific`), else the row itself.

    Sequential by nature (whether a row leads depends on the rows before it), but a row only needs the
    leaders before it, and they are few (about 1 % of the rows of the synthetic corpus): the ``chunk`` next
    rows of every piece are compared with the leaders so far, and only the rows no leader takes among
    themselves. So the cost is rows × leaders, not rows², in a few products for all pieces together; the
    Python loop runs over the untaken rows only.
    """
    n = X.shape[0]
    X, specific, was = _used_columns(X, specific)
    if names is not None and len(names):  # per column as numbered now (:func:`_apart_general` reads them so)
        names = names[was % len(names)]
    days = np.asarray(days, dtype=float)
    piece = np.zeros(n, dtype=np.int64) if piece is None else piece
    first = np.r_[0, np.flatnonzero(piece[1:] != piece[:-1]) + 1]
    step = (np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))) // chunk
    by_step = np.argsort(step, kind="stable")
    bounds = np.searchsorted(step[by_step], np.arange(int(step.max(initial=-1)) + 2))
    leader = np.arange(n)
    heads = np.empty(0, dtype=np.int64)
    taken = np.zeros(n, dtype=bool)
    for k in range(len(bounds) - 1):
        rows = by_step[bounds[k]:bounds[k + 1]]
        found = [_near_pairs(X, rows, heads, days, similarity, window_days, code, specific, names, asked,
                                consulter)] if len(heads) else []
        held = np.unique(found[0][0]) if found else rows[:0]
        free = np.setdiff1d(rows, held, assume_unique=True)
        if len(free):  # which of the rows no earlier leader took lead: each one no new leader before it takes
            r, c, v = _near_pairs(X, free, free, days, similarity, window_days, code, specific, names, asked,
                                consulter)
            later = c < r
            r, c, v = r[later], c[later], v[later]
            order = np.argsort(c, kind="stable")
            lo, hi = np.searchsorted(c[order], free, side="left"), np.searchsorted(c[order], free, side="right")
            new = []
            for j, i in enumerate(free.tolist()):
                if not taken[i]:
                    new.append(i)
                    taken[r[order[lo[j]:hi[j]]]] = True
            new = np.asarray(new, dtype=np.int64)
            to_new = np.isin(c, new)
            found.append((r[to_new], c[to_new], v[to_new]))
            if len(held):  # rows an earlier leader took may be more like a new one
                r, c, v = _near_pairs(X, held, new, days, similarity, window_days, code, specific, names, asked,
                                consulter)
                found.append((r[c < r], c[c < r], v[c < r]))
            heads = np.concatenate([heads, new])
        if found:  # the most similar leader of each row (the earliest on ties)
            r, c, v = (np.concatenate(x) for x in zip(*found, strict=True))
            order = np.lexsort((c, -v, r))
            first = order[np.r_[True, r[order][1:] != r[order][:-1]]] if len(order) else order
            leader[r[first]] = c[first]
    return leader


def _used_columns(X, Y=None) -> tuple:
    """``X`` (and ``Y``, of its shape) over the columns some row of either writes, numbered in the same order,
    and the column each was.

    Why: a sparse product transposes one side, a pass over every column, and the columns of :func:`_apart`
    (pieces × words: 2.4 million at 200,000 rows) are mostly empty; :func:`_leaders` ran dozens of products.
    The products are the same bit for bit: every word a row writes keeps its place among that row's words."""
    used = np.zeros(X.shape[1], dtype=bool)
    used[X.indices] = True
    if Y is not None:
        used[Y.indices] = True
    column = np.cumsum(used) - 1
    width = int(column[-1]) + 1 if len(column) else 0
    return (*(None if M is None else csr_matrix((M.data, column[M.indices].astype(M.indices.dtype), M.indptr),
                                                shape=(M.shape[0], width)) for M in (X, Y)), np.flatnonzero(used))


def _near_pairs(X, a: np.ndarray, b: np.ndarray, days: np.ndarray, similarity: float,
                window_days: int, code: np.ndarray | None = None,
                specific=None, names: np.ndarray | None = None,
                asked: np.ndarray | None = None,
                consulter: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row of ``a``, row of ``b``, cosine) of the pairs at cosine ≥ ``similarity`` and within
    ``window_days`` (or at :data:`RECUR_SIMILARITY`; farther at :data:`STRETCHED_SIMILARITY`, see
    :func:`.parts._near`), of no two district ``code`` s, and whose ``specific`` rows reach
    :data:`SPECIFIC_SIMILARITY` (when given)."""
    T = X[a] @ X[b].T
    ok = T.data >= similarity
    if specific is not None:
        P = specific[a] @ specific[b].T
        if np.array_equal(P.indptr, T.indptr) and np.array_equal(P.indices, T.indices):
            ok &= P.data >= SPECIFIC_SIMILARITY  # the same pairs in the same places: tested where they lie
        else:
            T = T.multiply(P >= SPECIFIC_SIMILARITY).tocsr()
            ok = T.data >= similarity
    row = np.repeat(np.arange(T.shape[0]), np.diff(T.indptr))
    r, c, v = a[row[ok]], b[T.indices[ok]], T.data[ok]
    ok = (v >= RECUR_SIMILARITY) | _near(days[r], days[c], window_days, v >= STRETCHED_SIMILARITY)
    if code is not None:
        ok &= ~(_apart_general(code[r], code[c], X, X, r, c, names,
                               *(((asked[r], consulter[r]), (asked[c], consulter[c])) if asked is not None else ()))
                if names is not None
                else _apart_codes(code[r], code[c]))
    return r[ok], c[ok], v[ok]
