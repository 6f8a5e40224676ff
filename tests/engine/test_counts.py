"""summed_counts: the canonical CSR counts of (row, column) pairs, whichever way it sums them."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from minsheng.engine.counts import summed_counts


@pytest.mark.parametrize(("n_rows", "n_columns", "ordered"), [
    (50, 300, False),            # 32-bit keys, sorted
    (5_000, 2**22, False),       # 64-bit keys, more columns than pairs: sorted
    (5_000, 2**20, True),        # 64-bit keys, fewer columns than pairs, rows in order: transposed
    (5_000, 2**20, False),       # the same out of order: sorted
])
@pytest.mark.parametrize("fast_sort", [True, False])
def test_counts_equal_scipys_summed_duplicates(n_rows, n_columns, ordered, fast_sort, monkeypatch):
    from minsheng.engine import counts

    monkeypatch.setattr(counts, "sort_is_fast", lambda: fast_sort)  # both ways, whatever this host's sort is
    rng = np.random.default_rng(0)
    rows = rng.integers(0, n_rows, size=2_000_000 if n_columns == 2**20 else 20_000)
    cols = rng.integers(0, min(n_columns, 500), size=rows.size) * (n_columns // min(n_columns, 500))
    if ordered:
        rows = np.sort(rows)
    expected = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (rows, cols)), shape=(n_rows, n_columns))
    expected.sum_duplicates()
    got = summed_counts(rows, cols, n_rows, n_columns)
    assert got.has_canonical_format and got.dtype == np.float32 and got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def test_no_pairs_is_an_empty_matrix():
    got = summed_counts(np.empty(0, np.int64), np.empty(0, np.int64), 3, 7)
    assert got.shape == (3, 7) and got.nnz == 0 and got.dtype == np.float32


def test_run_lengths_are_exact_far_into_the_keys():
    """Each run's length is taken in integers, then stored as float32: runs that start past 2**24 (float32's last
    exact integer) keep their true lengths."""
    from minsheng.engine.counts import _run_lengths

    first = np.array([0, 2**24 + 1, 2**24 + 3], dtype=np.int64)
    got = _run_lengths(first, 2**24 + 4)
    assert got.dtype == np.float32 and got.tolist() == [float(np.float32(2**24 + 1)), 2.0, 1.0]



@pytest.mark.parametrize("n_columns", [300, 2**20])  # fewer columns than keys (not sorted), more (sorted)
@pytest.mark.parametrize("fast_sort", [True, False])
def test_keys_whose_rows_come_in_order(n_columns, fast_sort, monkeypatch):
    """Rows in order, columns in any order within a row, empty rows first, last and between: the same counts as
    scipy's (with fewer columns than keys, without a sort: each row starts where a binary search finds it)."""
    from minsheng.engine import counts
    from minsheng.engine.counts import counts_of_keys, key_layout

    monkeypatch.setattr(counts, "sort_is_fast", lambda: fast_sort)
    rng = np.random.default_rng(1)
    n_rows = 400
    rows = np.sort(rng.integers(3, n_rows - 3, size=30_000))
    rows = rows[(rows < 100) | (rows > 110)]  # rows 100..110 without a pair
    cols = rng.integers(0, 250, size=rows.size) * (n_columns // 250)
    dtype, shift = key_layout(n_rows, n_columns)
    keys = (rows.astype(dtype) << shift) | cols.astype(dtype)
    expected = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (rows, cols)), shape=(n_rows, n_columns))
    expected.sum_duplicates()
    got = counts_of_keys(keys, n_rows, n_columns, rows_in_order=True)
    assert got.has_canonical_format and got.dtype == np.float32 and got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def test_a_host_whose_sort_is_fast_sorts_pairs_whose_rows_come_in_order(monkeypatch):
    """Where np.sort is fast (stop 38's host: 5.6 ns a key), sorting the keys is three to four times cheaper than
    transposing them: the transposition is kept for hosts whose sort is slow."""
    from minsheng.engine import counts

    assert isinstance(counts.sort_is_fast(), bool)  # the host's own answer, timed once
    monkeypatch.setattr(counts, "sort_is_fast", lambda: True)
    monkeypatch.setattr(counts, "_transposed_counts", lambda *a: pytest.fail("transposed on a fast-sorting host"))
    rows, cols = np.repeat(np.arange(100), 30), np.tile(np.arange(30) % 7, 100)
    got = counts.summed_counts(rows, cols, 100, 7)
    dtype, shift = counts.key_layout(100, 7)
    keys = (rows.astype(dtype) << shift) | cols.astype(dtype)
    assert (got != counts.counts_of_keys(keys, 100, 7, rows_in_order=True)).nnz == 0
    assert got.has_canonical_format and got.toarray()[5].tolist() == [5.0, 5.0] + [4.0] * 5


@pytest.mark.parametrize("n_runs", [2, 5, 8, 9, 40])  # up to _FEW_RUNS: merged and transposed; more: sorted
@pytest.mark.parametrize("fast_sort", [True, False])
def test_pairs_whose_rows_come_in_a_few_runs(n_runs, fast_sort, monkeypatch):
    """Rows in a few ascending runs (the router's words: each text's pieces, then its title's): the same counts as
    scipy's, and on a slow-sorting host they are not sorted up to ``_FEW_RUNS`` runs (put in row order by a merge)."""
    from minsheng.engine import counts

    monkeypatch.setattr(counts, "sort_is_fast", lambda: fast_sort)
    merged = not fast_sort and n_runs <= counts._FEW_RUNS
    if merged:
        monkeypatch.setattr(counts, "counts_of_keys", lambda *a, **k: pytest.fail("sorted rows in a few runs"))
    rng = np.random.default_rng(n_runs)
    n_rows, n_columns = 700, 90
    rows = np.concatenate([np.sort(rng.integers(0, n_rows, size=4_000)) for _ in range(n_runs)])
    cols = rng.integers(0, n_columns, size=rows.size)
    expected = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (rows, cols)), shape=(n_rows, n_columns))
    expected.sum_duplicates()
    got = counts.summed_counts(rows, cols, n_rows, n_columns)
    assert got.has_canonical_format and got.dtype == np.float32 and got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def test_members_counted_per_group_as_pandas_counts_them():
    """Distinct values per group and the likes summed once per voice (its largest), against pandas' groupbys, on
    negative codes (no user: −1 − row), groups with gaps, a group holding one voice many times, and no likes."""
    from minsheng.engine.counts import distinct_per_group, voice_totals

    rng = np.random.default_rng(3)
    n = 5_000
    group = rng.choice([0, 2, 3, 7, 40], size=n)  # groups 1, 4-6, 8-39 hold no member
    user = np.where(rng.random(n) < 0.2, -1 - np.arange(n), rng.integers(0, 300, n))
    voice = rng.integers(-1, 60, n)
    likes, dislikes = rng.integers(0, 50, n), np.where(rng.random(n) < 0.9, 0, rng.integers(0, 9, n))
    m = pd.DataFrame({"g": group, "user": user, "voice": voice, "likes": likes, "dislikes": dislikes})
    size = 41
    want_users = m.groupby("g")["user"].nunique().reindex(range(size), fill_value=0).to_numpy()
    per_voice = m.groupby(["g", "voice"])[["likes", "dislikes"]].max().groupby("g").sum()
    per_voice = per_voice.reindex(range(size), fill_value=0)
    want_voices = m.groupby("g")["voice"].nunique().reindex(range(size), fill_value=0).to_numpy()

    assert distinct_per_group(group, user, size).tolist() == want_users.tolist()
    voices, (got_likes, got_dislikes) = voice_totals(group, voice, [likes, dislikes], size)
    assert voices.tolist() == want_voices.tolist()
    assert got_likes.tolist() == per_voice["likes"].tolist()
    assert got_dislikes.tolist() == per_voice["dislikes"].tolist()
    assert got_likes[[1, 4, 39]].tolist() == [0, 0, 0] and got_likes[40] > 0

    voices, (none,) = voice_totals(group, voice, [np.zeros(n, dtype=np.int64)], size)  # a file without likes
    assert voices.tolist() == want_voices.tolist() and not none.any()


def test_count_column_reads_missing_unreadable_and_negative_counts_as_zero():
    """Hot issues, the digest and novel ideas weigh support by these same likes: gaps, text and negatives are 0."""
    from minsheng.engine.counts import count_column

    frame = pd.DataFrame({"likes": ["3", None, "很多", "-2", 7.0]})
    assert count_column(frame, "likes").tolist() == [3, 0, 0, 0, 7]
    assert count_column(frame, "dislikes").tolist() == [0, 0, 0, 0, 0]  # a file without the column


def test_voice_labels_one_voice_per_campaign_duplicate_group_or_text():
    """A campaign's letters are one voice whatever their duplicate groups; without groups, texts alike but for
    blanks and punctuation are one voice; labels are read at the rows asked, in their order."""
    from minsheng.engine.counts import voice_labels

    grouped = pd.DataFrame({"dup_group": [0, 0, 1, 2, 3], "campaign_id": [None, None, "C", None, "C"]})
    voice = voice_labels(grouped, np.arange(5))
    assert voice[0] == voice[1] and voice[2] == voice[4] and len(set(voice[[0, 2, 3]])) == 3
    texts = pd.DataFrame({"text": ["路灯坏了！", "修路", "路灯 坏了"]})
    assert voice_labels(texts, np.array([2, 1, 0])).tolist() == [0, 1, 0]
