"""Counts, fast: sparse count matrices from (row, column) pairs (the router's n-grams and the tokens' word counts),
and the per-group counts of a group's members (hot issues' and suggestions' distinct users, voices, likes), with
what both stages count a record as: its voice (:func:`voice_labels`) and its likes (:func:`count_column`).

>>> summed_counts(np.array([1, 0, 1]), np.array([2, 0, 2]), 2, 3).toarray()
array([[1., 0., 0.],
       [0., 0., 2.]], dtype=float32)
"""

from __future__ import annotations

import functools
import re
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["count_column", "counts_of_keys", "distinct_per_group", "key_layout", "sort_is_fast", "summed_counts",
           "voice_labels", "voice_totals"]


def distinct_per_group(group: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """How many distinct ``values`` (integer codes, any sign) the members of each group ``0 .. size - 1`` hold;
    ``group`` and ``values`` one entry per member.

    Why not pandas' ``nunique`` per group: a groupby hashes every member again. Here the (group, value) pairs are
    packed into one int64 key and sorted once; the first of equal neighbours is a distinct pair. At a million
    records (1.2 M suggestion members) 0.3 CPU-s, a groupby's three ``nunique`` 0.8-0.9, a hash of the keys 0.45
    (docs/engine/speed.md, h-speed29). Hot issues and the digest count their members with it."""
    key, span = _pair_keys(group, values)
    key.sort()
    first = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    return np.bincount(key[first] // span, minlength=size).astype(np.int64)


def voice_totals(group: np.ndarray, voice: np.ndarray, weights, size: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per group ``0 .. size - 1``: how many distinct voices its members have, and for each array of ``weights``
    (likes, dislikes; ≥ 0, one per member) the sum over those voices of the voice's largest weight among the
    group's members — a form letter's copies are liked once, not once a copy.

    The (group, voice) pairs are hashed once and serve the count and every weight; with no weight at all (a file
    without likes) only the count is taken, by :func:`distinct_per_group`."""
    weights = [np.asarray(w) for w in weights]
    if not any(w.any() for w in weights):
        return distinct_per_group(group, voice, size), [np.zeros(size, dtype=np.int64) for _ in weights]
    key, span = _pair_keys(group, voice)
    pair, keys = pd.factorize(key)
    of_group = keys // span
    sums = []
    for w in weights:
        most = np.full(len(keys), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(most, pair, w.astype(np.int64))
        summed = np.zeros(size, dtype=np.int64)
        np.add.at(summed, of_group, most)
        sums.append(summed)
    return np.bincount(of_group, minlength=size).astype(np.int64), sums


def count_column(frame: pd.DataFrame, col: str) -> np.ndarray:
    """The counts a column of ``frame`` holds (``likes``, ``dislikes``) as int64, one per record: 0 where a value
    is missing, not a number or negative, and 0 for every record when the column is absent.

    Why one home: hot issues weigh an issue's support, the digest a suggestion's, and novel ideas a proposal's by
    the same likes; read three ways, a file whose likes hold text or gaps would rank the three differently."""
    if col not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    return pd.to_numeric(frame[col], errors="coerce").fillna(0).clip(lower=0).astype(np.int64).to_numpy()


_NON_WORD = re.compile(r"[\W_]+")


def voice_labels(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """One integer label per distinct argument among ``frame``'s records at ``rows``: all records of one
    ``campaign_id`` are one voice, so are all records of one ``dup_group`` (both from the duplicate stage when it
    ran) and, without ``dup_group``, records whose first 300 letters are the same once blanks and punctuation are
    removed.

    Why: 500 accounts posting one form letter are one voice, 500 people telling one problem in their own words
    are 500 (the heat index, :mod:`minsheng.engine.hot_issues`); the digest counts a suggestion's voices by the same
    rule so that its figures and a hot issue's can be read side by side.

    >>> voice_labels(pd.DataFrame({"text": ["路灯坏了！", "路灯 坏了", "修路"]}), np.arange(3))
    array([0, 0, 1])
    """
    if "dup_group" in frame.columns:  # the duplicate stage already grouped copies and near-copies
        voice = pd.factorize(frame["dup_group"].iloc[rows].to_numpy())[0]
    else:
        voice = pd.factorize(np.array([_NON_WORD.sub("", str(t))[:300] for t in frame["text"].to_numpy()[rows]],
                                      dtype=object))[0]
    if "campaign_id" in frame.columns:
        campaign = pd.factorize(frame["campaign_id"].iloc[rows].to_numpy())[0]  # -1 where none
        voice = np.where(campaign >= 0, voice.max(initial=0) + 1 + campaign, voice)
    return voice


def _pair_keys(group: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, int]:
    """One int64 key per member, ``group × span + (value − lowest value)``, and ``span``: groups and values below a
    few million, so the product stays far below 2**63."""
    low = int(values.min(initial=0))
    span = int(values.max(initial=0)) - low + 1
    return group.astype(np.int64) * span + (values.astype(np.int64) - low), span


def summed_counts(rows: np.ndarray, cols: np.ndarray, n_docs: int, n_columns: int) -> sp.csr_matrix:
    """Canonical CSR counts (float32; sorted columns, repeats added up) from one (row, column) pair per item
    (an n-gram, a word), in any order.

    Why not ``csr_matrix.sum_duplicates``: it sorts every row's indices with a comparison sort, a third of
    the routing stage and of counting words over the shared segmentation. Pairs are counted by one ``np.sort`` of
    the pairs packed into keys (row above the column bits, 32 bits when they fit), where equal neighbours are then
    the repeats; on a host whose sort is slow (:func:`sort_is_fast`), pairs whose rows come in order (a batch's
    tokens, text after text, or a few such runs: see ``_FEW_RUNS``) over fewer columns than pairs are counted without
    a sort (:func:`_transposed_counts`).
    """
    if cols.size == 0:
        return sp.csr_matrix((n_docs, n_columns), dtype=np.float32)
    if n_columns <= cols.size and not sort_is_fast():
        descents = np.count_nonzero(np.diff(rows) < 0)
        if descents <= _FEW_RUNS:
            indptr = np.zeros(n_docs + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=n_docs), out=indptr[1:])
            if descents:  # a few ascending runs (a text's pieces, then its title's): merged in about one pass
                cols = cols[np.argsort(rows, kind="stable")]
            return _transposed_counts(indptr, cols, n_columns)
    dtype, shift = key_layout(n_docs, n_columns)
    return counts_of_keys((rows.astype(dtype) << shift) | cols.astype(dtype), n_docs, n_columns)


# At most this many descents in the rows (so runs of rows in order) and a slow sort: the pairs are put in row order
# by a stable argsort (a merge of the runs) and transposed, not sorted. The router's word counts of restored texts and
# their titles (:func:`~minsheng.engine.tokens.piece_counts`: 900,000 pairs in 5 runs, 50,000 rows, 1,652 columns)
# took 33.8 ms sorted and 19.2 ms so (medians, this host); pairs in random row order take three times as long so.
_FEW_RUNS = 8


def key_layout(n_docs: int, n_columns: int) -> tuple[type, np.unsignedinteger]:
    """The dtype and column bits of keys ``row << bits | column`` for :func:`counts_of_keys`: 32 bits when they fit."""
    bits = max(int(n_columns - 1).bit_length(), 1)
    dtype = np.uint32 if bits + int(n_docs).bit_length() <= 32 else np.uint64
    return dtype, dtype(bits)


def counts_of_keys(keys: np.ndarray, n_docs: int, n_columns: int, *, rows_in_order: bool = False) -> sp.csr_matrix:
    """:func:`summed_counts` of pairs packed into keys as :func:`key_layout` says, in any order; ``rows_in_order``:
    the keys' rows never decrease (the columns of a row may come in any order).

    After the sort a row's keys lie together, so where each row starts is a binary search per row. Where the
    host's sort is slow (:func:`sort_is_fast`), keys whose rows come in order, over fewer columns than keys, are
    not sorted: their rows start where a binary search finds them already, and :func:`_transposed_counts` counts
    the columns.
    """
    dtype, shift = key_layout(n_docs, n_columns)
    if keys.size == 0:
        return sp.csr_matrix((n_docs, n_columns), dtype=np.float32)
    if rows_in_order and n_columns <= keys.size and not sort_is_fast():
        keys = keys.astype(dtype, copy=False)
        # Every key of rows before r is below r << shift, every other one is not: enough for the binary search.
        indptr = np.searchsorted(keys, np.arange(n_docs + 1, dtype=dtype) << shift)
        return _transposed_counts(indptr, (keys & dtype((1 << int(shift)) - 1)).astype(np.int32), n_columns)
    keys = np.sort(keys.astype(dtype, copy=False))
    new = np.empty(keys.size, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    first = np.flatnonzero(new)
    counts = _run_lengths(first, keys.size)
    keys = keys[first]
    indptr = np.searchsorted(keys, np.arange(n_docs + 1, dtype=dtype) << shift)
    columns = (keys & dtype((1 << int(shift)) - 1)).astype(np.int32)
    out = sp.csr_matrix((counts, columns, indptr), shape=(n_docs, n_columns))
    out.has_canonical_format = True
    return out


# Nanoseconds a 32-bit key above which this host's np.sort is the slow kind (see sort_is_fast).
_FAST_SORT_NS = 12.0


@functools.cache
def sort_is_fast() -> bool:
    """Whether ``np.sort`` of 32-bit keys is fast here (a vectorised sort: about 6 ns a key), so that counts are
    summed by sorting their keys rather than by transposing (:func:`_transposed_counts`).

    Why ask: the two ways give the same matrix, but which is cheaper depends on the host. On the 2-core host of
    stop 37 a sort took about 26 ns a key and transposing was half the time; on stop 38's host (numpy reports
    AVX512_ICL) it takes 5.6 ns and sorting is three to four times faster (a routing partition's kept n-grams,
    5.7 M keys: 258 → 84 ms; 1.2 M word pairs of 25,000 rows: 96 → 24 ms). Timed once per process on 131,072
    keys (about a millisecond), in the thread's CPU time so that a loaded host does not make it look slow.
    """
    keys = np.arange(1 << 17, dtype=np.uint32) * np.uint32(2654435761)  # a scrambled order of distinct keys
    best = min(_sort_ns(keys) for _ in range(3))
    return best / keys.size < _FAST_SORT_NS


def _sort_ns(keys: np.ndarray) -> int:
    start = time.thread_time_ns()
    np.sort(keys)
    return time.thread_time_ns() - start


def _run_lengths(first: np.ndarray, total: int) -> np.ndarray:
    """The length of each run of equal sorted keys that starts at ``first`` (the last one ends at ``total``), as
    float32 counts. Why not ``np.diff(first, append=total).astype(np.float32)``: that writes the positions again,
    their differences and then the counts, three arrays as long as the distinct keys (millions per partition);
    this subtracts in int64 (exact at any position) straight into the counts."""
    counts = np.empty(first.size, dtype=np.float32)
    np.subtract(first[1:], first[:-1], out=counts[:-1], dtype=np.int64, casting="unsafe")
    counts[-1:] = total - first[-1:]
    return counts


def _transposed_counts(indptr: np.ndarray, cols: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """:func:`summed_counts` of pairs whose rows come in order (row ``i``'s are ``cols[indptr[i]:indptr[i + 1]]``),
    over fewer columns than pairs (a router's kept vocabulary, a batch's words).

    Transposing a CSR matrix is a counting sort (linear in the pairs plus the columns): to columns, the rows of
    each column come out in order, so the repeats are neighbours and are added up there; back to rows, the
    columns of each row come out in order. Half the time of sorting the pairs on the 2-core host of
    2026-12-05, whose ``np.sort`` takes about 26 ns a 32-bit key (the router's kept n-grams of 25,000 synthetic
    texts, 5.7 M in 15 chunks: 190 → 118 ms; a host whose sort was faster found the opposite for 32-bit keys).
    """
    n_docs = len(indptr) - 1
    by_column = sp.csr_matrix((np.ones(cols.size, dtype=np.float32), cols.astype(np.int32, copy=False), indptr),
                              shape=(n_docs, n_columns)).tocsc()
    row = by_column.indices
    new = np.empty(row.size + 1, dtype=bool)  # a (column, row) pair unlike the one before it
    new[0], new[-1] = True, True
    np.not_equal(row[1:], row[:-1], out=new[1:-1])
    new[by_column.indptr[:-1]] = True
    first = np.flatnonzero(new)
    counts = _run_lengths(first[:-1], int(first[-1]))
    column_ptr = np.concatenate([[0], np.cumsum(new[:-1], dtype=np.int64)])[by_column.indptr]
    out = sp.csc_matrix((counts, row[first[:-1]], column_ptr), shape=(n_docs, n_columns)).tocsr()
    out.has_canonical_format = True
    return out
