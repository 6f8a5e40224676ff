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

from minsheng.engine.counts import counts_of_keys, key_layout

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
    their columns taken through the map. Cheaper: dropped n-grams are never counted, and where the host's sort is
    slow the kept columns (about 12,000), fewer than a chunk's n-grams, are counted without sorting the keys
    (:func:`~minsheng.engine.counts.counts_of_keys`).

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
    lengths, joined = _joined(texts, max_chars, lowercase)
    n_docs = len(lengths)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n_columns = 1 << bits if columns is None else n_columns
    keys = _ngram_keys(codes, lengths, np.arange(lo, hi + 1), seed=seed, bits=bits, columns=columns,
                       layout=key_layout(n_docs, n_columns))
    return counts_of_keys(keys, n_docs, n_columns, rows_in_order=True)  # _ngram_keys keeps the texts' order


def as_strings(texts: Sequence[str] | None) -> list[str]:
    """``texts`` as a list of strings, None and NaN as empty; no Python step per text when all are strings."""
    if texts is None:
        return []
    if set(map(type, texts)) <= {str}:
        return list(texts)
    return ["" if t is None or t != t else str(t) for t in texts]


def _joined(texts: Sequence[str], max_chars: int | None, lowercase: bool) -> tuple[np.ndarray, str]:
    """(the lengths of the texts as strings, cut at ``max_chars`` and lowercased; those texts joined), with work
    per text in Python only where it changes something.

    Why: three list comprehensions over the texts (strings, cut, lowercase) were a fifth of the n-gram counts of
    a routing partition. Now the types and lengths are read by C loops, only a batch with a longer text is cut, and
    the joined texts are lowercased in one call: the same as lowercasing each text unless lowercasing changes a
    length or depends on the next character (only ``Σ`` does: final sigma), when each text is lowercased alone.
    """
    texts = as_strings(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if max_chars is not None and len(texts) and int(lengths.max()) > max_chars:
        texts = [t[:max_chars] for t in texts]
        lengths = np.minimum(lengths, max_chars)
    joined = "".join(texts)
    if lowercase:
        lower = joined.lower()
        if len(lower) != len(joined) or "\u03a3" in joined:
            texts = [t.lower() for t in texts]
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            lower = "".join(texts)
        joined = lower
    return lengths, joined


def _ngram_keys(codes: np.ndarray, lengths: np.ndarray, orders: np.ndarray, *, seed: int, bits: int,
                columns: np.ndarray | None, layout: tuple) -> np.ndarray:
    """The key (:func:`~minsheng.engine.counts.key_layout`: row, then column) of every n-gram of the documents
    whose code points ``codes`` holds one after another.

    One row per character position, one column per order: the hash of the n-gram starting there. An n-gram
    that would run past its document's end is dropped (the last ``n - 1`` positions of each document: a few
    scattered writes, not a comparison per position); with ``columns``, so is one outside the kept vocabulary.
    """
    dtype, shift = layout
    n_chars, n_docs = codes.size, lengths.size
    ends = np.cumsum(lengths)
    keys = np.empty((n_chars, len(orders)), dtype=dtype)
    valid = np.ones((n_chars, len(orders)), dtype=bool)
    rows = np.repeat(np.arange(n_docs, dtype=dtype) << shift, lengths)
    for j, n in enumerate(orders.tolist()):
        h = np.full(n_chars, ((n + (int(seed) << 8)) * int(_MULTIPLIERS[-1])) % 2**64, dtype=np.uint64)
        for k in range(n):
            h[:n_chars - k] += codes[k:] * _MULTIPLIERS[k]
        h *= _GOLDEN
        h >>= np.uint64(64 - bits)
        if columns is None:
            np.bitwise_or(rows, h.astype(dtype, copy=False), out=keys[:, j])
        else:
            column = columns[h]
            valid[:, j] = column >= 0
            np.bitwise_or(rows, column.astype(dtype), out=keys[:, j])
        for k in range(1, n):  # the n-grams that start in the last n - 1 characters of their document
            valid[ends[lengths >= k] - k, j] = False
    return keys[valid]


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
