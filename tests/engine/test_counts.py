"""summed_counts: the canonical CSR counts of (row, column) pairs, whichever way it sums them."""

import numpy as np
import pytest
import scipy.sparse as sp

from minsheng.engine.counts import summed_counts


@pytest.mark.parametrize(("n_rows", "n_columns", "ordered"), [
    (50, 300, False),            # 32-bit keys, sorted
    (5_000, 2**22, False),       # 64-bit keys, more columns than pairs: sorted
    (5_000, 2**20, True),        # 64-bit keys, fewer columns than pairs, rows in order: transposed
    (5_000, 2**20, False),       # the same out of order: sorted
])
def test_counts_equal_scipys_summed_duplicates(n_rows, n_columns, ordered):
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
def test_keys_whose_rows_come_in_order(n_columns):
    """Rows in order, columns in any order within a row, empty rows first, last and between: the same counts as
    scipy's (with fewer columns than keys, without a sort: each row starts where a binary search finds it)."""
    from minsheng.engine.counts import counts_of_keys, key_layout

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
