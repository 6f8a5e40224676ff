"""Hashed character n-gram features computed with numpy, a whole batch at a time.

Why not :class:`sklearn.feature_extraction.text.HashingVectorizer`? Its analyzer builds every n-gram as a
Python string, which costs about six minutes per million messages for character 1–3-grams; routing has a
budget of well under a minute per million. Here the batch is one UTF-32 code-point array and each n-gram is
an integer hash computed by vectorised arithmetic, so the cost is a few numpy passes over the characters.

Character n-grams need no word segmentation, which suits Chinese: the 1–3-grams cover the words the
segmenter would find plus their overlaps, and they are robust to the typos and variant spellings of
citizen messages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

# Odd 64-bit multipliers (golden-ratio and murmur3 constants) for combining code points into one hash.
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
                        dtype=np.uint64)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def char_ngram_counts(texts: Sequence[str], *, ngram_range: tuple[int, int] = (1, 3),
                      n_features: int = 2**22, max_chars: int | None = None,
                      lowercase: bool = True, seed: int = 0,
                      columns: np.ndarray | None = None, n_columns: int = 0) -> sp.csr_matrix:
    """Count matrix (documents × hashed n-grams) of the character n-grams of ``texts``.

    n-grams never cross document boundaries; ``max_chars`` keeps only the start of each text (the
    title comes first, and the start carries most of what a router needs). ``n_features`` must be a
    power of two: the column is the top bits of a multiplicative (Fibonacci) hash. A different ``seed``
    gives an independent hash, so several kinds of n-grams (say, of the title) can share one column space.

    ``columns`` (a router's vocabulary: hashed column → kept column ``0..n_columns-1`` in increasing order, -1
    for a dropped one) gives the counts of the kept columns only, the same matrix as the hashed counts with
    their columns taken through the map. Cheaper: dropped n-grams are never sorted, and the sort keys (row
    and kept column) mostly fit 32 bits (the sort was a third of the routing stage's n-gram work).

    >>> m = char_ngram_counts(["ab", "b"], ngram_range=(1, 2), n_features=1024)
    >>> m.shape, int(m.sum()), int(m.max())     # "a", "b", "ab" | "b"
    ((2, 1024), 4, 1)
    """
    lo, hi = ngram_range
    if not 1 <= lo <= hi <= len(_MULTIPLIERS):
        raise ValueError(f"ngram_range must lie within 1..{len(_MULTIPLIERS)}, got {ngram_range}")
    bits = int(n_features).bit_length() - 1
    if n_features < 2 or 1 << bits != n_features:
        raise ValueError(f"n_features must be a power of two, got {n_features}")
    texts = ["" if t is None or t != t else str(t) for t in texts]  # None and NaN count as empty
    if max_chars is not None:
        texts = [t[:max_chars] for t in texts]
    if lowercase:
        texts = [t.lower() for t in texts]
    n_docs = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n_docs)
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    # One row per character position, one column per order: the hash of the n-gram starting there.
    # Flattened row-major, the n-grams come out document by document, so the CSR rows need no sort.
    orders = np.arange(lo, hi + 1)
    n_chars = codes.size
    hashes = np.empty((n_chars, len(orders)), dtype=np.uint64)
    for j, n in enumerate(orders):
        h = np.full(n_chars, ((int(n) + (int(seed) << 8)) * int(_MULTIPLIERS[-1])) % 2**64, dtype=np.uint64)
        for k in range(n):
            h[:n_chars - k] += codes[k:] * _MULTIPLIERS[k]
        hashes[:, j] = h
    ends = np.repeat(np.cumsum(lengths), lengths)  # exclusive end of each character's document
    valid = np.arange(n_chars)[:, None] + orders[None, :] <= ends[:, None]
    cols = (hashes[valid] * _GOLDEN) >> np.uint64(64 - bits)
    per_doc = np.maximum(lengths[:, None] - orders[None, :] + 1, 0).sum(axis=1)
    rows = np.repeat(np.arange(n_docs, dtype=np.uint64), per_doc)
    if columns is None:
        return _summed_csr(rows, cols, 1 << bits, n_docs)
    cols = columns[cols]
    kept = cols >= 0
    return _summed_csr(rows[kept], cols[kept].astype(np.uint64), n_columns, n_docs)


def _summed_csr(rows: np.ndarray, cols: np.ndarray, n_columns: int, n_docs: int) -> sp.csr_matrix:
    """Canonical CSR counts (sorted columns, repeats added up) from one (row, column) pair per n-gram.

    Why not ``csr_matrix.sum_duplicates``: it sorts every row's indices with a comparison sort, a third of
    the routing stage. One ``np.sort`` of the pairs packed into 64-bit keys (row above the column bits) does
    the same work several times faster, and equal neighbours are then the repeats; when row and column fit
    32 bits, the keys are 32-bit and sort in two thirds of the time.
    """
    if cols.size == 0:
        return sp.csr_matrix((n_docs, n_columns), dtype=np.float32)
    if n_columns <= cols.size:
        return _transposed_counts(rows, cols, n_columns, n_docs)
    bits = max(int(n_columns - 1).bit_length(), 1)
    dtype = np.uint32 if bits + int(n_docs).bit_length() <= 32 else np.uint64
    shift = dtype(bits)
    keys = np.sort((rows.astype(dtype) << shift) | cols.astype(dtype))
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(first, keys.size)).astype(np.float32)
    keys = keys[first]
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount((keys >> shift).astype(np.int64), minlength=n_docs), out=indptr[1:])
    columns = (keys & dtype((1 << bits) - 1)).astype(np.int32)
    out = sp.csr_matrix((counts, columns, indptr), shape=(n_docs, n_columns))
    out.has_canonical_format = True
    return out


def _transposed_counts(rows: np.ndarray, cols: np.ndarray, n_columns: int, n_docs: int) -> sp.csr_matrix:
    """:func:`_summed_csr` for pairs whose rows come in order, over few columns (a router's kept vocabulary).

    Transposing a CSR matrix is a counting sort (linear in the pairs plus the columns): to columns, the rows of
    each column come out in order, so the repeats are neighbours and are added up there; back to rows, the
    columns of each row come out in order. Half the time of sorting the pairs, when the columns are fewer
    than the pairs.
    """
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows.astype(np.int64), minlength=n_docs), out=indptr[1:])
    by_column = sp.csr_matrix((np.ones(cols.size, dtype=np.float32), cols.astype(np.int32), indptr),
                              shape=(n_docs, n_columns)).tocsc()
    row = by_column.indices
    new = np.empty(row.size + 1, dtype=bool)  # a (column, row) pair unlike the one before it
    new[0], new[-1] = True, True
    np.not_equal(row[1:], row[:-1], out=new[1:-1])
    new[by_column.indptr[:-1]] = True
    first = np.flatnonzero(new)
    counts = np.diff(first).astype(np.float32)
    column_ptr = np.concatenate([[0], np.cumsum(new[:-1], dtype=np.int64)])[by_column.indptr]
    out = sp.csc_matrix((counts, row[first[:-1]], column_ptr), shape=(n_docs, n_columns)).tocsr()
    out.has_canonical_format = True
    return out


class CharNgramHasher(TransformerMixin, BaseEstimator):
    """Stateless transformer: texts → hashed character n-gram counts (see :func:`char_ngram_counts`).

    Stateless like :class:`~sklearn.feature_extraction.text.HashingVectorizer`, so each partition of a
    million-record batch is transformed independently and the results are simply stacked.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), n_features: int = 2**22,
                 max_chars: int | None = None, lowercase: bool = True):
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.max_chars = max_chars
        self.lowercase = lowercase

    def fit(self, X: Sequence[str], y: object = None) -> CharNgramHasher:
        return self

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        return char_ngram_counts(X, ngram_range=self.ngram_range, n_features=self.n_features,
                                 max_chars=self.max_chars, lowercase=self.lowercase)
