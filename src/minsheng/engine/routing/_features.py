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
                      lowercase: bool = True, seed: int = 0) -> sp.csr_matrix:
    """Count matrix (documents × hashed n-grams) of the character n-grams of ``texts``.

    n-grams never cross document boundaries; ``max_chars`` keeps only the start of each text (the
    title comes first, and the start carries most of what a router needs). ``n_features`` must be a
    power of two: the column is the top bits of a multiplicative (Fibonacci) hash. A different ``seed``
    gives an independent hash, so several kinds of n-grams (say, of the title) can share one column space.

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
    return _summed_csr(np.repeat(np.arange(n_docs, dtype=np.uint64), per_doc), cols, bits, n_docs)


def _summed_csr(rows: np.ndarray, cols: np.ndarray, bits: int, n_docs: int) -> sp.csr_matrix:
    """Canonical CSR counts (sorted columns, repeats added up) from one (row, column) pair per n-gram.

    Why not ``csr_matrix.sum_duplicates``: it sorts every row's indices with a comparison sort, a third of
    the routing stage. One ``np.sort`` of the pairs packed into 64-bit keys (row above the column bits) does
    the same work several times faster, and equal neighbours are then the repeats.
    """
    if cols.size == 0:
        return sp.csr_matrix((n_docs, 1 << bits), dtype=np.float32)
    keys = np.sort((rows << np.uint64(bits)) | cols)
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(first, keys.size)).astype(np.float32)
    keys = keys[first]
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount((keys >> np.uint64(bits)).astype(np.int64), minlength=n_docs), out=indptr[1:])
    columns = (keys & np.uint64((1 << bits) - 1)).astype(np.int32)
    out = sp.csr_matrix((counts, columns, indptr), shape=(n_docs, 1 << bits))
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
