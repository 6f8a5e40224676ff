"""Exact and near-duplicate grouping over MinHash signatures (LSH banding + verification).

Exact duplicates share the hash of their canonical text (:func:`minsheng.engine.minhash.canonical`).
Near duplicates are found by **locality-sensitive hashing**: each signature is cut into ``bands``
bands of ``rows`` values; texts whose band values agree land in one bucket and become candidates.
Candidates are verified by the estimated Jaccard similarity of their full signatures against
``threshold``, and verified pairs are joined into groups by connected components.

Nothing is quadratic: inside a bucket every member is compared with two *anchors* (its first member
and one chosen per band), never with every other member. A form letter sent 100,000 times costs
≈ 2 × bands × 100,000 comparisons, not 5 × 10⁹. Each group gets a representative: the member whose
exact text is most common in the group (the unedited template, for a campaign), earliest on ties.

>>> import numpy as np
>>> from minsheng.engine.minhash import signatures, canonical
>>> texts = ["市民建议增设公交线路，方便出行。谢谢", "市民建议增设公交线路,方便出行。谢谢！", "完全不同的一条意见"]
>>> groups = group_duplicates(signatures(texts), exact_keys([canonical(t) for t in texts]))
>>> groups.labels.tolist()
[0, 0, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from minsheng.engine.minhash import hash_text, is_blank, mix64, similar


def exact_keys(canonical_texts: list[str]) -> np.ndarray:
    """64-bit hash of each canonical text: equal keys mean exact duplicates (up to punctuation)."""
    return np.fromiter((hash_text(t) for t in canonical_texts), dtype=np.uint64, count=len(canonical_texts))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by sorting. numpy 2.3+ takes a hash-table path for plain ``np.unique``, which on
    structured 64-bit keys (``lo << 32 | hi`` pair ids) is about 100 times slower than a sort (2.9 s vs 0.03 s
    for 2 million pairs): it was half of the duplicate stage."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def band_keys(sig: np.ndarray, bands: int) -> np.ndarray:
    """Hash each band of each signature to one uint64; shape ``(n, bands)``.

    A band's values are read as whole 64-bit words (four uint16 values at a time) where the band's width
    allows, so 8 values take two multiply-and-mix steps instead of eight.
    """
    n, num_perm = sig.shape
    if num_perm % bands:
        raise ValueError(f"bands ({bands}) must divide num_perm ({num_perm})")
    rows = num_perm // bands
    width = rows * sig.dtype.itemsize
    if width % 8 == 0:
        parts = np.ascontiguousarray(sig).view(np.uint64).reshape(n, bands, width // 8)
    else:
        parts = sig.reshape(n, bands, rows).astype(np.uint64)
    key = np.empty((n, bands), np.uint64)
    # Slices of 32k rows (4 MB a temporary): a whole-array pass made each of mix64's temporaries 128 MB at a
    # million rows, fresh pages every time (band keys 1.5-3.9 CPU-s there, the most of any step).
    for s in range(0, n, _SLICE):
        key[s: s + _SLICE] = _rolled(parts[s: s + _SLICE])
    return key


_SLICE = 1 << 15


def _rolled(parts: np.ndarray) -> np.ndarray:
    """One key per (record, band) from the band's 64-bit words ``parts[:, :, r]``."""
    key = np.zeros(parts.shape[:2], np.uint64)
    with np.errstate(over="ignore"):
        for r in range(parts.shape[2]):
            key = mix64(key * np.uint64(0x100000001B3) + parts[:, :, r] + np.uint64(r + 1))
    return key


@dataclass(frozen=True)
class Groups:
    """Result of grouping: a label per record, and what it took to get there."""

    labels: np.ndarray          # int64 group id per record, numbered by first appearance
    sizes: np.ndarray           # size of each record's group
    representative: np.ndarray  # bool: the record stands for its group
    candidate_pairs: int        # distinct pairs of different texts that share a bucket (by their first records)
    verified_pairs: int         # links kept: exact duplicates and verified near pairs


def _bucket_pairs(keys: np.ndarray, band: int, exact_first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(member, anchor) pairs for the buckets of one band: each member against two anchors, each record named by
    the first record of its exact text (``exact_first``).

    Only a text's first record is a member: its exact duplicates have its signature, so they share its buckets
    and would only bring the same pairs again (after :func:`_near_pairs` names each record by its first, as
    linking them to it does), and an anchor is named by its first record for the same reason. At a million
    records the pairs to sort and verify were 12.4 and 8.4 million, a sixth of them repeats.
    """
    # One sort of (key, record) packed in 64 bits instead of a stable argsort (several times slower): the
    # key's top bits above the record number. Keys cut to their top bits can only merge buckets by chance
    # (about n² / 2⁶⁴⁻ᵇⁱᵗˢ, 10⁻² at a million), which adds candidates that verification then drops.
    bits = max(1, int(len(keys) - 1).bit_length())
    packed = np.sort(((keys >> np.uint64(bits)) << np.uint64(bits)) | np.arange(len(keys), dtype=np.uint64))
    order = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    sorted_keys = packed >> np.uint64(bits)
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    # per sorted position: is its bucket shared, and is its record the first of its text? The anchors are
    # still chosen among all the bucket's records, as before.
    multi = np.repeat(sizes > 1, sizes)
    multi &= exact_first[order] == order
    if not multi.any():
        return np.empty(0, np.int64), np.empty(0, np.int64)
    pos = np.flatnonzero(multi)
    run_start = np.repeat(starts, sizes)[pos]
    run_size = np.repeat(sizes, sizes)[pos]
    member = order[pos]
    # a bucket's first record is the first of its text: an earlier record of the text would share the bucket
    first = order[run_start]
    second = exact_first[order[run_start + (band * 7919 + run_size // 2) % run_size]]
    a = np.concatenate((member, member))
    b = np.concatenate((first, second))
    keep = a != b
    return a[keep], b[keep]


def group_duplicates(sig: np.ndarray, exact: np.ndarray, *, threshold: float = 0.8, bands: int = 16,
                     order_key: np.ndarray | None = None) -> Groups:
    """Group records that are exact or near duplicates (estimated Jaccard ≥ ``threshold``)."""
    n = len(sig)
    # Texts of punctuation only have nothing to compare: each stays alone.
    blank = is_blank(sig)
    exact = exact.copy()
    exact[blank] = np.arange(int(blank.sum()), dtype=np.uint64) + np.uint64(1)
    # Exact duplicates need no verification: link each to the first record with the same key.
    exact_first = _first_of_each(exact)
    dup = np.flatnonzero(exact_first != np.arange(n))
    keys = band_keys(sig, bands)
    keys[blank] = (np.arange(int(blank.sum()), dtype=np.uint64)[:, None] * np.uint64(bands)
                   + np.arange(bands, dtype=np.uint64)[None, :] + np.uint64(1))
    lo, hi = _near_pairs([_bucket_pairs(keys[:, band], band, exact_first) for band in range(bands)], exact)
    ok = similar(sig, lo, hi, threshold)
    src, dst = np.concatenate((dup, lo[ok])), np.concatenate((exact_first[dup], hi[ok]))
    labels = _components(src, dst, n)
    sizes = np.bincount(labels)[labels]
    rep = _representatives(labels, sizes, exact, order_key if order_key is not None else np.arange(n))
    return Groups(labels=labels, sizes=sizes, representative=rep, candidate_pairs=len(lo), verified_pairs=len(src))


_HALF = np.uint64(32)  # record numbers below 2³² (4 billion records)


def _first_of_each(values: np.ndarray) -> np.ndarray:
    """Per record, the first record with the same value (``np.unique``'s ``return_index``/``return_inverse``
    without its stable argsort of 64-bit keys): factorize numbers values by first appearance."""
    codes = pd.factorize(values)[0]
    return first_appearances(codes)[codes]


def text_codes(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The code of each record's text (numbered by first appearance, a missing text as "") and the first record
    of each code: what the maps of distinct texts and the digest's spread of claims are indexed by."""
    codes = pd.factorize(text.fillna(""))[0]
    return codes, first_appearances(codes)


def first_appearances(codes: np.ndarray) -> np.ndarray:
    """Where each code first appears, for codes numbered by first appearance (``pd.factorize``'s, none missing):
    ``np.unique(codes, return_index=True)[1]`` in one pass instead of a stable argsort of every code, since a
    code's first row is where it passes every code before it."""
    new = np.empty(len(codes), dtype=bool)
    new[:1] = True
    new[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    return np.flatnonzero(new)


class DistinctParts(Sequence):
    """The partitions of the distinct texts: ``frame``'s rows ``first`` (first appearances, ascending), ``rows``
    at a time, indexed from 0 on as slices of one frame of them were; each is taken from ``frame`` when a map
    reaches it, its missing values filled with ``fill`` (column → value) when given.

    Why: that one frame, which the partitions were slices of, was a copy of every distinct text held through
    the whole stage (330 MB of text at a million synthetic records); a partition is 25,000 of them. And the copy
    was taken in one Arrow ``take`` of the whole column, which joins every chunk first, in the pipeline's parent
    with the other core idle, before each map of distinct texts (the places', routing's, the themes').
    """

    def __init__(self, frame: pd.DataFrame, first: np.ndarray, rows: int, fill: dict | None = None):
        self._frame, self._first, self._rows, self._fill = frame, first, rows, fill

    def __len__(self) -> int:
        return -(-len(self._first) // self._rows)

    def __getitem__(self, k: int) -> pd.DataFrame:
        if not 0 <= k < len(self):
            raise IndexError(k)
        rows = self._first[k * self._rows: (k + 1) * self._rows]
        # Taken from the span of records the rows lie in (first appearances: in order), not from all of them:
        # Arrow joins every chunk of a column it takes from (2.0 CPU-s against 0.11 for 37 partitions at 1M).
        low = rows.min()
        span = self._frame.iloc[low: rows.max() + 1]
        part = span.iloc[rows - low].set_axis(pd.RangeIndex(k * self._rows, k * self._rows + len(rows)))
        return part if self._fill is None else part.fillna(self._fill)


def take_rows(values: pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """``values.take(rows)``, taken chunk by chunk: Arrow's take of a chunked array of strings joined its chunks
    first (a copy of every text: 0.5 s for 83,000 rows of a million; the pipeline's text column is 41 chunks at a
    million records)."""
    bounds = np.cumsum([0, *(len(c) for c in values.chunks)])
    chunk = np.searchsorted(bounds, rows, side="right") - 1
    order = np.argsort(chunk, kind="stable")
    cut = np.searchsorted(chunk[order], np.arange(len(bounds)))
    parts = [values.chunk(k).take(pa.array(rows[order[a:b]] - bounds[k]))
             for k, (a, b) in enumerate(zip(cut[:-1], cut[1:], strict=True)) if b > a]
    taken = pa.concat_arrays([pa.array([], values.type), *parts])
    return taken.take(pa.array(np.argsort(order, kind="stable")))


def frame_rows(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``frame.iloc[rows]``, its Arrow string columns taken chunk by chunk (:func:`take_rows`): pandas' take of
    such a column joined every chunk first, a copy of all its texts for each column and each take (the campaign
    stage took 1M records' five string columns once, then again for each of its 43 groups: 2.6 CPU-s at a
    million records, for 61,118 rows)."""
    columns = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            taken = take_rows(pa.chunked_array(pa.array(column.array)), np.asarray(rows))
            columns[name] = pd.arrays.ArrowStringArray(taken, dtype=column.dtype)
        else:
            columns[name] = column.to_numpy()[rows] if isinstance(column.dtype, np.dtype) else column.array.take(rows)
    return pd.DataFrame(columns, index=frame.index[rows])


def texts_at(column: pd.Series, rows: np.ndarray) -> list[str]:
    """``column``'s texts at the positions ``rows`` as Python strings, ``""`` where missing. An Arrow column is
    taken chunk by chunk (:func:`take_rows`): its ``iloc`` joined every chunk first, a copy of all the texts of a
    million records (41 chunks, 330 MB) for the few thousand read at a time in the digest's serial stretch."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        import pyarrow.compute as pc

        return pc.fill_null(take_rows(pa.chunked_array(pa.array(column.array)), np.asarray(rows)), "").to_pylist()
    return column.iloc[rows].fillna("").astype(str).tolist()


def _near_pairs(pairs: list[tuple[np.ndarray, np.ndarray]], exact: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (lo, hi) record pairs of ``pairs`` whose exact keys differ (exact pairs are linked already)."""
    a = np.concatenate([p[0] for p in pairs]) if pairs else np.empty(0, np.int64)
    b = np.concatenate([p[1] for p in pairs]) if pairs else np.empty(0, np.int64)
    # lo and hi in one 64-bit id, in (lo, hi) order: shifts and masks, not 64-bit division (0.6 s at a million)
    pair_ids = sorted_unique((np.minimum(a, b).astype(np.uint64) << _HALF) | np.maximum(a, b).astype(np.uint64))
    lo, hi = (pair_ids >> _HALF).astype(np.int64), (pair_ids & np.uint64(0xFFFFFFFF)).astype(np.int64)
    near = exact[lo] != exact[hi]
    return lo[near], hi[near]


def _components(src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    """Connected components of the links, numbered in order of each component's first record (stable
    whatever the component algorithm)."""
    graph = coo_matrix((np.ones(len(src), np.int8), (src, dst)), shape=(n, n))
    return pd.factorize(connected_components(graph, directed=False)[1])[0].astype(np.int64)


def _representatives(labels: np.ndarray, sizes: np.ndarray, exact: np.ndarray, order_key: np.ndarray) -> np.ndarray:
    """Per group, the record whose exact text is most frequent in the group; earliest on ties. A record alone
    stands for itself: only the members of larger groups are sorted (at a million rows a sixth of them)."""
    rep = sizes == 1
    i = np.flatnonzero(~rep)
    frame = pd.DataFrame({"g": labels[i], "e": exact[i], "o": order_key[i], "i": i})
    frame["freq"] = frame.groupby(["g", "e"], sort=False)["i"].transform("size")
    best = frame.sort_values(["g", "freq", "o", "i"], ascending=[True, False, True, True]).drop_duplicates("g")
    rep[best["i"].to_numpy()] = True
    return rep


def pair_scores(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Pairwise precision and recall of a grouping against ground-truth families.

    Counts pairs through the contingency table (Σ C(n,2)), never by listing pairs, so it works for
    groups of 100,000.
    """
    def pairs(counts: np.ndarray) -> int:
        counts = counts.astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    table = pd.DataFrame({"p": predicted, "t": truth})
    both = pairs(table.groupby(["p", "t"]).size().to_numpy())
    pred = pairs(table.groupby("p").size().to_numpy())
    true = pairs(table.groupby("t").size().to_numpy())
    return {
        "precision": both / pred if pred else 1.0,
        "recall": both / true if true else 1.0,
        "predicted_pairs": pred,
        "true_pairs": true,
    }
