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


def _repeats_read_one_by_one(codes: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """How many of the body's first characters (≤ _REPEAT_MAX) occur together in the title, cut by cut: the n-gram at
    the cut is found at a start no later than the cut minus its size, for every size up to the count."""
    out = np.zeros((codes.shape[0], cuts.size), dtype=np.int64)
    for r, row in enumerate(codes.tolist()):
        for j, cut in enumerate(cuts.tolist()):
            size = 0
            while size < _titles._REPEAT_MAX:
                gram = row[cut:cut + size + 1]
                if not any(row[q:q + size + 1] == gram for q in range(cut - size)):
                    break
                size += 1
            out[r, j] = size
    return out


def test_the_body_start_repeats_in_the_title_as_reading_each_cut_finds_them():
    """The single characters' repeats come from a numbering of (row, character) pairs by first appearance (no sort):
    the counts of every cut are what reading the rows cut by cut gives, with rows that repeat a lot, a little, and
    rows of padding; the first positions of a row are never found in the row before it."""
    rng = np.random.default_rng(3)
    cuts = np.arange(_titles._MIN_TITLE, _titles._LONGEST + 1)
    few = np.array([0x4E00, 0x4E01, 0x4E02], dtype=np.uint64)  # three characters: repeats of every size
    many = np.arange(0x4E00, 0x4F00, dtype=np.uint64)
    codes = np.concatenate([few[rng.integers(0, 3, size=(60, _titles._WINDOW))],
                            many[rng.integers(0, 256, size=(60, _titles._WINDOW))],
                            np.zeros((3, _titles._WINDOW), dtype=np.uint64),
                            np.tile(np.arange(0x4E00, 0x4E00 + _titles._WINDOW, dtype=np.uint64), (4, 1))])
    expected = _repeats_read_one_by_one(codes, cuts)
    assert np.array_equal(_titles._repeats(codes, cuts), expected)
    assert set(np.unique(expected).tolist()) == set(range(_titles._REPEAT_MAX + 1))
    assert not _titles._repeats(codes[-4:], cuts).any()  # rows that repeat nothing, after rows that repeat everything
