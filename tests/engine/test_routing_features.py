"""Hashed character n-grams: the counts a plain Python reference gives, at numpy speed."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest

from minsheng.engine.routing import CharNgramHasher, char_ngram_counts


def reference_ngrams(text: str, lo: int, hi: int) -> Counter:
    return Counter(text[i:i + n] for n in range(lo, hi + 1) for i in range(len(text) - n + 1))


def test_counts_match_a_python_reference():
    texts = ["小区燃气管道漏气漏气", "", "ab", "学校乱收费，学校", "x"]
    m = char_ngram_counts(texts, ngram_range=(1, 3), n_features=2**20)
    for row, text in enumerate(texts):
        expected = reference_ngrams(text, 1, 3)
        assert m[row].sum() == sum(expected.values())
        # Repeated n-grams are counted, not listed twice: the largest count equals the reference's.
        assert (m[row].max() if m[row].nnz else 0) == max(expected.values(), default=0)


def test_ngrams_never_cross_documents():
    joined = char_ngram_counts(["ab"], ngram_range=(2, 2), n_features=2**20)
    split = char_ngram_counts(["a", "b"], ngram_range=(2, 2), n_features=2**20)
    assert joined.nnz == 1 and split.nnz == 0


def test_the_same_ngram_gets_the_same_column_in_any_batch():
    alone = char_ngram_counts(["燃气"], ngram_range=(2, 2), n_features=2**22)
    inside = char_ngram_counts(["别的", "小区燃气漏气"], ngram_range=(2, 2), n_features=2**22)
    assert alone.indices[0] in inside[1].indices
    assert alone.indices[0] not in inside[0].indices


def test_seed_gives_an_independent_hash_and_max_chars_cuts():
    a = char_ngram_counts(["燃气管道"], n_features=2**22)
    b = char_ngram_counts(["燃气管道"], n_features=2**22, seed=1)
    assert not set(a.indices) & set(b.indices)
    cut = char_ngram_counts(["燃气管道"], ngram_range=(1, 1), max_chars=2, n_features=2**22)
    assert cut.sum() == 2


def test_transformer_is_stateless_and_checks_its_parameters():
    hasher = CharNgramHasher(ngram_range=(1, 2), n_features=2**16)
    texts = ["公交线路", "燃气价格"]
    assert np.array_equal(hasher.fit(["别的"]).transform(texts).toarray(), hasher.transform(texts).toarray())
    with pytest.raises(ValueError, match="power of two"):
        char_ngram_counts(texts, n_features=1000)
    with pytest.raises(ValueError, match="ngram_range"):
        char_ngram_counts(texts, ngram_range=(0, 2))


def test_kept_columns_are_the_hashed_counts_through_the_map():
    """``columns`` gives the hashed counts with their columns mapped (dropped ones out), whichever way it sums."""
    texts = ["小区燃气管道漏气漏气", "", "ab", "学校乱收费，学校", "x"] * 30
    hashed = char_ngram_counts(texts, n_features=2**20)
    rng = np.random.default_rng(0)
    seen = np.unique(hashed.indices)
    for unseen in (0, 10_000):  # fewer kept columns than n-grams (transposed), or more (sorted)
        kept = np.unique(np.concatenate([rng.choice(seen, size=seen.size // 2, replace=False),
                                         rng.integers(0, 2**20, size=unseen)]))
        columns = np.full(2**20, -1, dtype=np.int32)
        columns[kept] = np.arange(kept.size, dtype=np.int32)
        expected = hashed[:, kept]
        expected.sort_indices()
        got = char_ngram_counts(texts, n_features=2**20, columns=columns, n_columns=kept.size)
        assert got.has_canonical_format and got.shape == expected.shape and got.dtype == expected.dtype
        assert got.indptr.tolist() == expected.indptr.tolist() and got.indices.tolist() == expected.indices.tolist()
        assert got.data.tolist() == expected.data.tolist()


def test_a_batch_counts_as_its_texts_one_by_one():
    # Lowercased, cut and typed per batch (one call each), not per text: the same rows as each text alone, also where
    # lowercasing changes a length (İ), depends on the next text (final sigma) or a cell is not a string.
    cases = [["ΑΣ", "Β", "ABC燃气"], ["İstanbul路", "ΑΣ", None, float("nan"), 12, "小区燃气" * 700, "ABC燃气"]]
    for texts, max_chars in itertools.product(cases, (None, 5, 2000)):
        batch = char_ngram_counts(texts, ngram_range=(1, 2), n_features=2**16, max_chars=max_chars)
        for row, text in enumerate(texts):
            alone = char_ngram_counts([text], ngram_range=(1, 2), n_features=2**16, max_chars=max_chars)
            assert (batch[row] != alone).nnz == 0, (text, max_chars)
