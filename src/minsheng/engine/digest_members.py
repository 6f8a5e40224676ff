"""What the suggestions table counts of each suggestion's members, for all suggestions at once.

The members are given as two aligned arrays sorted by suggestion: ``cluster`` (each member's suggestion) and
``rows`` (its record). Each figure is one pass over all members (a sort, a ``np.unique`` of (suggestion, value)
pairs, a ``reduceat``) instead of one small computation per suggestion: per suggestion, the fixed cost of a few
numpy calls on a few hundred members was most of this, and at a million records these were seconds of the
digest's serial parent work (:func:`~minsheng.engine.digest_table.suggestion_table`). Each function returns the
figures of the suggestions in the order of their first member, as the per-suggestion code computed them.

>>> cluster, rows = np.array([3, 3, 3, 5]), np.array([0, 1, 2, 3])
>>> tops(coded_names(np.array(["a", "b", "b", None], dtype=object)), cluster, rows)
{3: 'b(2)、a(1)', 5: ''}
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minsheng.engine.counts import count_column, distinct_per_group, voice_labels, voice_totals
from minsheng.engine.result import TIED_DEPARTMENTS

__all__ = ["WRITER_COLUMNS", "campaigns", "coded_names", "departments", "iso_weeks", "joined_ids", "member_counts",
           "record_writers", "tops", "weekly"]

#: The records' columns :func:`record_writers` reads (``text`` only where no ``dup_group`` is known).
WRITER_COLUMNS = ("user", "dup_group", "campaign_id", "likes")


def record_writers(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per record, who wrote it as the digest counts a suggestion's members: ``user`` (a code per user; a record
    with none is a user of its own, a negative code), ``voice`` (copies and near-copies of one text, and one
    campaign's letters, are one voice: hot issues' rule), ``copy`` (its duplicate group; a record in none a copy
    of nothing, a negative code) and ``likes``.

    Read of the records alone, not of the claims: :func:`~minsheng.engine.digest.run_digest` has an idle worker
    compute them while it spreads the claims, and :func:`~minsheng.engine.digest.split_mixed` and the table
    share them (each factorized every record's user, 0.2-0.35 CPU-s at a million records, this process alone).
    ``records``: the columns of :data:`WRITER_COLUMNS` it has, and ``text`` when it has no ``dup_group``."""
    n = len(records)
    user = pd.factorize(records["user"])[0] if "user" in records.columns else np.full(n, -1)
    voice = voice_labels(records, np.arange(n))
    copy = pd.factorize(records["dup_group"].to_numpy())[0] if "dup_group" in records.columns else voice
    return {"user": np.where(user < 0, -1 - np.arange(n), user), "voice": voice,
            "copy": np.where(copy < 0, -1 - np.arange(n), copy), "likes": count_column(records, "likes")}


def coded_names(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code into the distinct names (-1 for no name: not a string, or empty), and the names."""
    code, names = pd.factorize(values)
    names = np.asarray(names, dtype=object)
    named = np.append(np.fromiter((isinstance(v, str) and bool(v) for v in names.tolist()), bool, count=len(names)),
                      False)
    return np.where(named[code], code, -1), names  # code -1 reads the appended False


def _pairs(cluster: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (suggestion, code) pairs of the members with a code (>= 0), sorted by suggestion then code:
    their suggestion, code, count and the position of their first member."""
    ok = np.flatnonzero(code >= 0)
    width = int(code.max(initial=0)) + 1
    values, first, counts = np.unique(cluster[ok].astype(np.int64) * width + code[ok], return_index=True,
                                      return_counts=True)
    return values // width, values % width, counts, ok[first]


def member_counts(cluster: np.ndarray, values: dict[str, np.ndarray], likes: np.ndarray, voice: np.ndarray) -> pd.DataFrame:
    """Per suggestion (the index, named ``cluster``, ascending), ``messages`` (its members), the number of distinct
    values of each array of ``values`` among its members (one column each), and ``likes``: the
    sum over its voices of each voice's most liked member. All int64; the frame ``m.groupby("cluster").agg(
    ..."nunique"...)`` with ``m.groupby(["cluster", "voice"])["likes"].max().groupby("cluster").sum()`` gave.

    Counted by :mod:`~minsheng.engine.counts` (as hot issues count theirs), not a groupby: the two-level groupby
    and its three ``nunique`` were 0.8-0.9 CPU-s of the digest's serial parent at a million records (1.2 M
    members), these 0.3."""
    code, ids = pd.factorize(cluster, sort=True)
    k = len(ids)
    out = {"messages": np.bincount(code, minlength=k).astype(np.int64)}
    out.update({name: distinct_per_group(code, value, k) for name, value in values.items()})
    out["likes"] = voice_totals(code, voice, [likes], k)[1][0]
    return pd.DataFrame(out, index=pd.Index(ids, name="cluster"))


def tops(coded: tuple[np.ndarray, np.ndarray], cluster: np.ndarray, rows: np.ndarray, k: int = 3) -> dict:
    """Per suggestion, the ``k`` names most written by its members with their counts, ties in order of first
    appearance (``"魅力之城(12)、伊景园(3)"``; ``""`` for none), from :func:`coded_names` of every record."""
    code, names = coded
    out = dict.fromkeys(pd.unique(cluster).tolist(), "")
    c, value, counts, first = _pairs(cluster, code[rows])
    order = np.lexsort((first, -counts, c))
    rank = np.arange(len(order)) - np.searchsorted(c[order], c[order])
    order = order[rank < k]
    labels = pd.Series([f"{names[v]}({n})" for v, n in zip(value[order].tolist(), counts[order].tolist(),
                                                             strict=True)], dtype=object)
    out.update(labels.groupby(c[order], sort=False).agg("、".join).to_dict())
    return out


def departments(dept: np.ndarray | None, names, conf: np.ndarray | None, cluster: np.ndarray,
                rows: np.ndarray) -> dict:
    """Per suggestion, the most frequent routed department of its members (``dept``: codes into ``names``, -1
    for none), its mean confidence and its share of the members. When members split evenly (one letter to each
    of two departments) no department is the suggestion's: all the tied ones are named, joined by
    :data:`TIED_DEPARTMENTS` in the order the records first name them, with the share of one of them; picking
    one would hand the suggestion to whichever department's letter came first. The mean confidence sums each
    suggestion's tied members in their order, as ``np.nanmean`` of them did (``reduceat``: the same sums)."""
    none = {"department": "", "department_confidence": np.nan, "department_share": np.nan}
    groups, size = np.unique(cluster, return_counts=True)
    out = {c: dict(none) for c in groups.tolist()}
    if dept is None:
        return out
    codes = dept[rows]
    c, value, counts, _ = _pairs(cluster, codes)
    if not len(c):
        return out
    at = np.searchsorted(groups, c)
    best = np.zeros(len(groups), dtype=np.int64)
    np.maximum.at(best, at, counts)
    tied = counts == best[at]
    # Members whose department is one of their suggestion's tied ones (found by the pairs' sorted keys).
    width = int(codes.max()) + 1
    tied_keys = c[tied].astype(np.int64) * width + value[tied]
    member_keys = cluster.astype(np.int64) * width + codes
    mask = (codes >= 0) & np.isin(member_keys, tied_keys)
    confidence = _masked_means(conf[rows] if conf is not None else None, mask, size)
    label = pd.Series([str(names[v]) for v in value[tied].tolist()], dtype=object)
    label = label.groupby(c[tied], sort=False).agg(TIED_DEPARTMENTS.join)
    share = best / size
    for i, g in enumerate(groups.tolist()):
        if best[i]:
            out[g] = {"department": label[g], "department_confidence": round(float(confidence[i]), 3),
                      "department_share": round(float(share[i]), 3)}
    return out


def _masked_means(values: np.ndarray | None, mask: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Per segment of ``values`` (consecutive, of ``size`` members each), the mean of its known values under
    ``mask`` (NaN for none, or without ``values``). Summed by ``np.sum`` of each segment's slice, as
    ``np.nanmean`` sums: ``np.add.reduceat`` adds in another order, and a last bit can move a rounded figure."""
    if values is None:
        return np.full(len(size), np.nan)
    seg = np.repeat(np.arange(len(size)), size)
    known = np.bincount(seg[mask & ~np.isnan(values)], minlength=len(size))
    end = np.cumsum(np.bincount(seg[mask], minlength=len(size)))
    start = np.append(0, end[:-1])
    v = values[mask]
    v[np.isnan(v)] = 0  # NaN as 0, as np.nanmean sums them
    with np.errstate(invalid="ignore", divide="ignore"):
        sums = np.array([np.sum(v[a:b]) for a, b in zip(start.tolist(), end.tolist(), strict=True)], dtype=v.dtype)
        return (sums / known).astype(v.dtype)


def iso_weeks(time: np.ndarray) -> np.ndarray:
    """ISO year × 100 + ISO week of each ``datetime64[ns]`` (``NaT``: -1), on day numbers: the week's Thursday
    gives its ISO year, as ``Series.dt.isocalendar`` does."""
    known = ~np.isnat(time)
    days = time.astype("datetime64[D]").astype(np.int64)
    monday = days - (days + 3) % 7  # 1970-01-01 was a Thursday
    thursday = (monday + 3).astype("datetime64[D]")
    year = thursday.astype("datetime64[Y]")
    week = (thursday - year.astype("datetime64[D]")).astype(np.int64) // 7 + 1
    return np.where(known, (year.astype(np.int64) + 1970) * 100 + week, -1)


def weekly(cluster: np.ndarray, time: np.ndarray) -> dict:
    """Per suggestion, its members' messages per ISO week (``2019-W07:3 2019-W08:1``, weeks in order; unknown
    times left out), from each member's ``cluster`` and ``time`` (``datetime64[ns]``). Counted on integer weeks,
    and only the (suggestion, week) pairs are labelled: labelling every member's week was seconds at a million
    records."""
    week = iso_weeks(time)
    known = week >= 0
    c, w, k, _ = _pairs(cluster[known], week[known] - week[known].min(initial=0))
    w = w + week[known].min(initial=0)
    labels = pd.Series([f"{x // 100}-W{x % 100:02d}:{n}" for x, n in zip(w.tolist(), k.tolist(), strict=True)],
                       dtype=object)
    return labels.groupby(c, sort=False).agg(" ".join).to_dict()


def campaigns(campaign: np.ndarray | None, cluster: np.ndarray, rows: np.ndarray) -> dict:
    """Per suggestion, the campaigns among its members with their whole size, in order of their ids
    (``C003×1200; C017×40``; ``""`` for none), from every record's ``campaign`` id (None or "" for none)."""
    out = dict.fromkeys(pd.unique(cluster).tolist(), "")
    if campaign is None:
        return out
    code, names = coded_names(campaign)
    size = np.bincount(code[code >= 0], minlength=len(names))
    c, value, _, _ = _pairs(cluster, code[rows])
    order = np.lexsort((names[value].astype(str), c))
    labels = pd.Series([f"{names[v]}×{size[v]}" for v in value[order].tolist()], dtype=object)
    out.update(labels.groupby(c[order], sort=False).agg("; ".join).to_dict())
    return out


def joined_ids(ids: pd.Series, cluster: np.ndarray, rows: np.ndarray) -> dict:
    """Per suggestion, the ids of its members' records (``ids``: every record's), ``;``-separated in the
    members' order: taken and joined in Arrow, not one Python join over a copy of every member's id."""
    groups, start = np.unique(cluster, return_index=True)
    offsets = pa.array(np.append(start, len(rows)).astype(np.int64))
    values = pa.array(ids.astype(str).iloc[rows])
    if isinstance(values, pa.ChunkedArray):  # ids concatenated from many partitions stay in their chunks
        values = values.combine_chunks()
    values = values.cast(pa.large_string())
    lists = pa.LargeListArray.from_arrays(offsets, values)
    return dict(zip(groups.tolist(), pc.binary_join(lists, pa.scalar(";", pa.large_string())).to_pylist(), strict=True))
