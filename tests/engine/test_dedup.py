"""MinHash signatures and duplicate grouping against known truth."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.engine.dedup import band_keys, exact_keys, group_duplicates, pair_scores, sorted_unique
from minsheng.engine.minhash import canonical, signatures, similar
from minsheng.engine.normalise import normalise_texts


def shingle_jaccard(a: str, b: str, k: int = 4) -> float:
    sa = {a[i:i + k] for i in range(len(a) - k + 1)}
    sb = {b[i:i + k] for i in range(len(b) - k + 1)}
    return len(sa & sb) / len(sa | sb)


def test_signature_agreement_estimates_jaccard(corpus):
    texts = [canonical(t) for t in (corpus["title"] + corpus["body"]).head(400)]
    sig = signatures(texts, canonicalise=False)
    rng = np.random.default_rng(0)
    errors = []
    for _ in range(300):
        i, j = rng.integers(0, len(texts), 2)
        errors.append(abs((sig[i] == sig[j]).mean() - shingle_jaccard(texts[i], texts[j])))
    assert np.mean(errors) < 0.03


def test_punctuation_and_width_do_not_matter_but_words_do():
    texts, _ = normalise_texts(["建议增加公交班次，方便市民出行。", "建议增加公交班次,方便市民出行!", "建议减少公交班次，方便市民出行。"])
    sig = signatures(texts)
    assert (sig[0] == sig[1]).all()
    assert not (sig[0] == sig[2]).all()


def test_grouping_recovers_synthetic_families(corpus):
    texts, _ = normalise_texts((corpus["title"] + "\n" + corpus["body"]).tolist())
    canon = [canonical(t) for t in texts]
    groups = group_duplicates(signatures(canon, canonicalise=False), exact_keys(canon))
    scores = pair_scores(groups.labels, corpus["gt_family"].to_numpy())
    assert scores["precision"] >= 0.99
    assert scores["recall"] >= 0.95
    # Every group has exactly one representative.
    reps = np.bincount(groups.labels, weights=groups.representative)
    assert (reps == 1).all()


def test_blank_texts_are_never_grouped():
    sig = signatures(["！！！", "？？？", "。。。"])
    groups = group_duplicates(sig, exact_keys([canonical(t) for t in ["！！！", "？？？", "。。。"]]))
    assert groups.labels.tolist() == [0, 1, 2]


def test_representative_is_the_most_common_text():
    base = "联名建议：保护老街区，停止大拆大建，留住城市记忆和乡愁，请有关部门重新论证改造方案"
    texts = [base, base + "！", base, base + "，谢谢"]
    canon = [canonical(t) for t in texts]
    groups = group_duplicates(signatures(canon, canonicalise=False), exact_keys(canon),
                              order_key=np.array([3, 0, 1, 2]))
    assert len(set(groups.labels)) == 1
    # Exact key of texts 0-2 is shared (punctuation ignored); among them index 1 is earliest.
    assert groups.representative.tolist() == [False, True, False, False]


def test_pair_scores_counts_pairs_without_listing_them():
    predicted = np.array([0, 0, 0, 1, 1, 2])
    truth = np.array([0, 0, 1, 1, 1, 2])
    scores = pair_scores(predicted, truth)
    assert scores["predicted_pairs"] == 4 and scores["true_pairs"] == 4
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5


def test_band_keys_agree_exactly_when_a_band_agrees():
    rng = np.random.default_rng(3)
    sig = rng.integers(0, 2**16, size=(50, 128), dtype=np.uint16)
    sig[1, :8] = sig[0, :8]  # band 0 shared (whole 64-bit words)
    sig[2, 40:48] = sig[0, 40:48]  # band 5 shared
    for bands in (16, 32, 64):  # 8, 4 and 2 values a band: word reads and the value-by-value fallback
        keys = band_keys(sig, bands)
        rows = 128 // bands
        same = (sig.reshape(50, bands, rows)[:, None] == sig.reshape(50, bands, rows)[None]).all(axis=3)
        assert ((keys[:, None] == keys[None]) == same).all()


def test_similar_is_the_share_of_equal_values_against_the_threshold():
    rng = np.random.default_rng(5)
    sig = rng.integers(0, 4, size=(300, 128), dtype=np.uint16)  # few values: every level of agreement occurs
    sig[100:200] = sig[:100]
    sig[100:200, rng.integers(0, 128, 100)] += np.uint16(1)  # near copies, differing in the first or second half
    a, b = rng.integers(0, 300, 5000), rng.integers(0, 300, 5000)
    share = (sig[a] == sig[b]).mean(axis=1)
    for threshold in (0.0, 0.26, 0.5, 0.8, 0.99, 1.0, 1.5):
        for chunk in (7, 16_384):
            assert (similar(sig, a, b, threshold, chunk=chunk) == (share >= threshold)).all()
    # rows gathered as two halves of one contiguous row: a column-major signature, none asked
    assert (similar(np.asfortranarray(sig), a, b, 0.8) == (share >= 0.8)).all()
    assert similar(sig, a[:0], b[:0], 0.8).shape == (0,)


def test_sorted_unique_is_numpy_unique():
    values = np.random.default_rng(4).integers(0, 1000, 5000).astype(np.uint64) * np.uint64(2**40)
    assert (sorted_unique(values) == np.unique(values)).all()
    assert len(sorted_unique(np.empty(0, np.uint64))) == 0


def test_canonical_of_a_joined_batch_is_canonical_of_each_text_for_every_code_point():
    from minsheng.engine.minhash import canonical_joined

    texts = [chr(c) for c in range(0x110000)] + ["A_b 1，２Ⅻ\U0001F600\U00020000ß", "", "_"]
    texts = [t for t in texts if t != "\x01"]
    assert canonical_joined("\x01".join(texts)) == [canonical(t) for t in texts]


def test_canonical_of_a_joined_batch_of_letters_lowered_one_by_one_is_canonical_of_each_text():
    from minsheng.engine.minhash import _ODD, _folded_bmp, canonical_joined

    odd = set(np.flatnonzero(_folded_bmp() == _ODD).tolist())
    texts = [chr(c) for c in range(0x10000) if c not in odd and c != 1] + ["ABC Straße 12号", "", "ΑΒΓ δ"]
    joined = "\x01".join(texts)
    assert not (_folded_bmp().take(np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32),
                                   mode="clip") == _ODD).any()  # the table's path, not str.lower's
    assert canonical_joined(joined) == [canonical(t) for t in texts]
    for odd_one in ("ΟΔΟΣ ΣΑΣ", "ΣΑ", "İstanbul", "\U0001D400BC"):  # final sigma, İ, beyond the BMP
        assert canonical_joined(f"ABC\x01{odd_one}\x01Σ") == [canonical(t) for t in ("ABC", odd_one, "Σ")]


def test_first_appearances_are_numpy_uniques_first_indices():
    """Codes numbered by first appearance: each code's first row, as ``np.unique(return_index=True)`` finds it."""
    import pandas as pd

    from minsheng.engine.dedup import first_appearances

    codes = pd.factorize(np.random.default_rng(3).integers(0, 500, 20_000))[0]
    assert np.array_equal(first_appearances(codes), np.unique(codes, return_index=True)[1])
    assert first_appearances(np.empty(0, np.intp)).size == 0


def test_rows_taken_chunk_by_chunk_are_those_of_a_take_of_the_whole_column():
    """Rows of a chunked Arrow column (in any order, repeated, missing values among them) taken chunk by chunk:
    the values of one take of the joined column, in the order asked; the digest's reading of member texts gets
    the same values that way as through ``iloc``."""
    import pandas as pd
    import pyarrow as pa

    from minsheng.engine.dedup import take_rows, texts_at
    from minsheng.engine.digest_table import _texts_at

    rng = np.random.default_rng(0)
    values = [None if i % 11 == 0 else f"第{i}条：{'路灯' * (i % 5)}" for i in range(500)]
    cuts = [0, 1, 1, 90, 260, 499, 500]  # an empty chunk, a chunk of one
    chunked = pa.chunked_array([pa.array(values[a:b], pa.large_string()) for a, b in zip(cuts[:-1], cuts[1:], strict=True)])
    for rows in (rng.integers(0, 500, 300), np.arange(500)[::-1], np.array([], dtype=np.int64), np.array([499, 0])):
        assert take_rows(chunked, rows).to_pylist() == [values[r] for r in rows]
        text = pd.Series(pd.array(chunked, dtype="str"))
        assert _texts_at(text, rows).equals(pa.array(text.iloc[rows].astype(str)))
        objects = pd.Series(values, dtype=object)
        assert _texts_at(objects, rows).equals(pa.array(objects.iloc[rows].astype(str)))
        # the digest's serial reads of whole messages: strings, "" where missing, as iloc's fillna("") gave them
        for column in (text, objects):
            assert texts_at(column, rows) == column.iloc[rows].fillna("").astype(str).tolist()


def test_frame_rows_are_those_of_iloc_with_the_columns_kinds_kept():
    """``frame_rows`` takes a frame's rows (any order, repeated) column by column, its Arrow string columns chunk by
    chunk: the frame ``iloc`` gives, the same values, dtypes and index labels."""
    import pandas as pd
    import pyarrow as pa

    from minsheng.engine.dedup import frame_rows

    values = [None if i % 7 == 0 else f"第{i}条" for i in range(300)]
    chunked = pa.chunked_array([pa.array(values[a:b], pa.large_string()) for a, b in ((0, 100), (100, 101), (101, 300))])
    frame = pd.DataFrame({
        "text": pd.array(chunked, dtype="str"),
        "n": np.arange(300) * 3,
        "flag": np.arange(300) % 2 == 0,
        "time": pd.date_range("2020-01-01", periods=300, freq="h"),
        "zoned": pd.date_range("2020-01-01", periods=300, freq="h", tz="Asia/Shanghai"),
        "obj": pd.Series([None if i % 5 == 0 else f"u{i}" for i in range(300)], dtype=object),
    }, index=pd.Index([f"r{i}" for i in range(300)]))
    assert len(pa.chunked_array(pa.array(frame["text"].array)).chunks) == 3
    for rows in (np.random.default_rng(1).integers(0, 300, 120), np.arange(300)[::-1], np.array([], np.int64)):
        taken = frame_rows(frame, rows)
        pd.testing.assert_frame_equal(taken, frame.iloc[rows])


_M64 = (1 << 64) - 1
_EMPTY32 = 0xFFFFFFFF
_ROT = 0x9E3779B1


def _splitmix(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _reference_signature(text: str, num_perm: int = 128, k: int = 4) -> list[int]:
    """One text's signature by the definition, in plain Python integers: each k-shingle's rolling polynomial
    (or, for a text shorter than k, the text's xxh3), spread by splitmix64; the top bits pick the bin, the low
    32 bits are kept, minimum per bin; empty bins filled (:func:`_reference_densified`); low 16 bits."""
    import xxhash

    if not text:
        return [0xFFFF] * num_perm
    if len(text) < k:
        hashes = [xxhash.xxh3_64_intdigest(text.encode("utf-8"))]
    else:
        hashes = []
        for i in range(len(text) - k + 1):
            h = 0
            for c in text[i: i + k]:
                h = (h * 0x100000001B3 + ord(c) + 1) & _M64
            hashes.append(h)
    bins = [_EMPTY32] * num_perm
    shift = 64 - num_perm.bit_length() + 1
    for h in map(_splitmix, hashes):
        bins[h >> shift] = min(bins[h >> shift], h & _EMPTY32)
    return [v & 0xFFFF for v in _reference_densified(bins)]


def _reference_densified(bins: list[int]) -> list[int]:
    """Each empty bin: the next filled bin to its right (circularly) plus the rotation constant per step, where
    an empty-marker value reached on the way stays."""
    filled = [j for j in range(len(bins)) if bins[j] != _EMPTY32]
    out = []
    for j in range(len(bins)):
        d = min((f - j) % len(bins) for f in filled)
        value = bins[(j + d) % len(bins)]
        for _ in range(d):
            value = value if value == _EMPTY32 else (value + _ROT) & _EMPTY32
        out.append(value)
    return out


def test_signatures_are_the_definition_across_blocks_and_for_short_texts(corpus, monkeypatch):
    from minsheng.engine import minhash

    texts = [canonical(t) for t in corpus["body"].head(60)] + ["", "a", "ab", "abc", "abcd", "十二三四五"]
    assert sum(map(len, texts)) > 3 * 1000
    monkeypatch.setattr(minhash, "_BLOCK", 1000)  # blocks of 1,000 code points
    sig = signatures(texts, canonicalise=False)
    assert sig.tolist() == [_reference_signature(t) for t in texts]


def test_densification_keeps_a_value_that_reaches_the_empty_marker():
    from minsheng.engine.minhash import _densify

    rows = np.full((4, 16), _EMPTY32, dtype=np.uint32)
    rows[0, 5] = (_EMPTY32 - _ROT) & _EMPTY32  # one step left of bin 5 reaches the marker: bins 0-4 and 6-15 keep it
    rows[1, 0] = (_EMPTY32 - 3 * _ROT) & _EMPTY32  # reached three steps into the wrap, at bin 13
    rows[2, [3, 9]] = [7, (_EMPTY32 - 2 * _ROT) & _EMPTY32]
    rows[3, 15] = 12345
    assert _densify(rows.copy()).tolist() == [_reference_densified(row) for row in rows.tolist()]


_TEMPLATE = "联名建议：保护老街区，停止大拆大建，留住城市记忆和乡愁，请有关部门重新论证改造方案"


def test_candidates_are_pairs_of_distinct_texts():
    # five copies of one text and one near copy: one pair of different texts to verify, not one per copy
    texts = [_TEMPLATE] * 5 + [_TEMPLATE + "谢谢"]
    canon = [canonical(t) for t in texts]
    groups = group_duplicates(signatures(canon, canonicalise=False), exact_keys(canon))
    assert groups.labels.tolist() == [0] * 6
    assert groups.candidate_pairs == 1
    assert groups.verified_pairs == 5  # four copies linked to the first, the near copy to it


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(1, 4)), min_size=1, max_size=40),
    st.randoms(use_true_random=False),
)
def test_groups_are_those_of_every_copy_as_a_member(families, rnd):
    """Taking only each text's first record as a bucket member finds the groups and representatives that every
    record as a member found: the copies share the first's buckets, and are linked to it anyway."""
    import minsheng.engine.dedup as dedup

    bases = [
        _TEMPLATE,
        "建议增加公交班次，方便市民出行，早晚高峰时段尤其拥挤，希望尽快解决",
        "小区门口路灯坏了很久没人修，晚上出行很不方便",
        "学校周边交通拥堵严重，接送孩子的车辆乱停乱放，建议增设临时停车位",
    ]
    edits = ["", "谢谢", "！请尽快处理", "急", "望回复", "希望尽快解决此事"]
    texts = [bases[b] + edits[e] for b, e, copies in families for _ in range(copies)]
    rnd.shuffle(texts)
    canon = [canonical(t) for t in texts]
    sig, exact = signatures(canon, canonicalise=False), exact_keys(canon)
    order_key = np.array([rnd.randrange(5) for _ in texts])
    new = group_duplicates(sig, exact, order_key=order_key, bands=32)
    every = dedup._bucket_pairs
    with pytest.MonkeyPatch.context() as mp:  # every record its own first: every record a member
        mp.setattr(dedup, "_bucket_pairs", lambda keys, band, first: every(keys, band, np.arange(len(keys))))
        old = group_duplicates(sig, exact, order_key=order_key, bands=32)
    assert new.labels.tolist() == old.labels.tolist()
    assert new.representative.tolist() == old.representative.tolist()
