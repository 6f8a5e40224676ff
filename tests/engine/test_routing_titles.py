"""The router's title ends (``routing/_titles.py``): the scores of the candidate cuts as the stacked features give them."""

from __future__ import annotations

import numpy as np

from minsheng.engine.routing import _titles


def _hash_as_before(kind: int, *parts: np.ndarray) -> np.ndarray:
    h = np.uint64((kind + 1) * int(_titles._MULTIPLIERS[-1]) % 2**64)
    for i, part in enumerate(parts):
        h = (h + part.astype(np.uint64)) * _titles._MULTIPLIERS[i % 3]
    return (h >> np.uint64(64 - _titles._BITS)).astype(np.int64)


def test_the_scores_are_the_stacked_feature_weights_summed_bit_for_bit():
    rng = np.random.default_rng(0)
    # code points of a few CJK characters, commas and colons, and the window's padding
    alphabet = np.array([0, ord(","), ord(":"), *range(0x4E00, 0x4E40)], dtype=np.uint64)
    codes = alphabet[rng.integers(0, len(alphabet), size=(300, _titles._WINDOW))]
    # weights of very different sizes: float32 sums in another order differ in their last bits
    weights = (
        rng.standard_normal(1 << _titles._BITS) * 10.0 ** rng.uniform(-4, 4, 1 << _titles._BITS)
    ).astype(np.float32)
    stacked = np.stack(_titles._features(codes, weights), axis=2)
    assert np.array_equal(_titles._scores(codes, weights), stacked.sum(axis=2))
    assert np.array_equal(stacked, weights[_titles._features(codes)])
    for kind, parts in (
        (0, (codes[:, 3],)),
        (5, (codes[:, 1], codes[:, 2], codes[:, 3])),
        (11, (np.arange(5)[:, None], (np.arange(41) // 5)[None, :])),
    ):
        assert np.array_equal(_titles._hash(kind, *parts), _hash_as_before(kind, *parts))
