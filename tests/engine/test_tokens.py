"""Tokens: rjieba words with stop words, punctuation, numbers and place codes removed."""

from __future__ import annotations

import pytest

from minsheng.engine.tokens import STOP_WORDS, batch_counts, count_matrix, tokenize, tokenize_many


def test_it_keeps_content_words_in_order():
    words = tokenize("A市A3区中海国际社区夜间施工噪音扰民，请相关部门尽快处理！")
    assert words[:3] == ["中海", "国际", "社区"]
    assert "噪音" in words and "扰民" in words


def test_it_drops_stop_words_punctuation_numbers_and_codes():
    words = tokenize("您好，我们的A3区在2019年12月有3栋楼停水了吗？？……")
    assert not set(words) & STOP_WORDS
    assert all(len(w) > 1 and w.isalnum() and not w.isdigit() for w in words)
    assert "A3" not in words and "2019" not in words
    assert "停水" in words


def test_stop_words_are_loaded_from_the_package_file():
    assert {"的", "我们", "您好", "相关部门"} <= STOP_WORDS
    assert not any(w.startswith("#") for w in STOP_WORDS)


def test_empty_and_missing_text():
    assert tokenize("") == [] and tokenize(None) == []
    assert tokenize_many(["噪音扰民", ""]) == [["噪音", "扰民"], []]


def test_count_matrix_equals_the_counts_of_tokenize():
    from sklearn.feature_extraction.text import CountVectorizer

    texts = ["A市A3区中海国际社区夜间施工噪音扰民，施工噪音！", "", "小区\x01物业费上涨", "垃圾分类 垃圾清运\n臭味"]
    cv = CountVectorizer(analyzer=tokenize).fit(texts)
    expected = cv.transform(texts).toarray()
    assert (count_matrix(texts, cv.vocabulary_).toarray() == expected).all()
    assert expected.sum() > 0


def test_batch_counts_equal_the_counts_of_tokenize():
    from sklearn.feature_extraction.text import CountVectorizer

    texts = ["A市A3区中海国际社区夜间施工噪音扰民，施工噪音！", "", "小区物业费上涨", "垃圾分类 垃圾清运\n臭味"]
    X, words = batch_counts(texts)
    cv = CountVectorizer(analyzer=tokenize).fit(texts)
    expected = cv.transform(texts)[:, [cv.vocabulary_[w] for w in words]].toarray()
    assert sorted(words) == sorted(cv.vocabulary_)
    assert (X.toarray() == expected).all() and expected.sum() > 0


def test_batch_counts_in_chunks_equal_one_call():
    texts = ["A市A3区中海国际社区夜间施工噪音扰民", "", "小区物业费上涨", "物业费上涨，噪音扰民", "垃圾分类 垃圾清运\n臭味",
             "施工噪音"]
    X, words = batch_counts(texts, chunk=len(texts))
    for chunk in (1, 2, 4):
        Y, chunked_words = batch_counts(texts, chunk=chunk)
        assert chunked_words == words and Y.shape == X.shape and (Y != X).nnz == 0
    assert words[:2] == ["中海", "国际"] and "臭味" in words  # columns in order of first appearance


_BATCH = ["A市A3区中海国际社区夜间施工噪音扰民，施工噪音！", "", "小区\x01物业费上涨", "垃圾分类 垃圾清运\n臭味",
          "地铁3号线出口太少，建议增设出口。"]
_OTHERS = ["施工噪音扰民", "物业费", "", "地铁3号线出口太少，建议增设出口。", "臭味扰民"]


def test_a_shared_segmentation_counts_what_segmenting_again_counts(tmp_path):
    """Texts of the batch take their saved tokens, the others are cut: the counts are the same either way."""
    from minsheng.engine.tokens import Segmentation

    _, words = batch_counts(_BATCH + _OTHERS)
    vocabulary = {w: i for i, w in enumerate(words)}
    Segmentation(_BATCH).save(tmp_path / "s.pkl")
    saved = Segmentation.load(tmp_path / "s.pkl")
    for texts in (_BATCH, _OTHERS, _OTHERS[:1], [_BATCH[3], *_OTHERS, _BATCH[0]]):
        expected = count_matrix(texts, vocabulary)
        with saved.shared(_BATCH):
            got = count_matrix(texts, vocabulary)
        assert (got != expected).nnz == 0 and got.shape == expected.shape


def test_a_shared_segmentation_gives_the_same_token_stream():
    from minsheng.engine.tokens import Segmentation, segment_batch

    segmentation = Segmentation(_BATCH)
    for texts in (_BATCH, _OTHERS, [_BATCH[4]], [_OTHERS[0], _BATCH[1], _BATCH[0], _OTHERS[4]]):
        doc, codes, uniques = segment_batch(texts)
        with segmentation.shared(_BATCH):
            shared_doc, shared_codes, shared_uniques = segment_batch(texts)
        assert shared_doc.tolist() == doc.tolist()
        assert shared_uniques[shared_codes].tolist() == uniques[codes].tolist()
        assert len(set(shared_uniques)) == len(shared_uniques)


def test_a_shared_segmentation_segments_prefixes_as_segmenting_them_does():
    """A prefix of a batch's text (the digest's first 300 characters) takes the text's tokens up to its last clause
    end: the same stream as segmenting the prefix, wherever it is cut (inside a word, a number, after a comma)."""
    from minsheng.engine.tokens import Segmentation, segment_batch, segment_prefixes

    batch = [*_BATCH, "A市地铁3号线施工噪音扰民，晚上十点后还在施工。请尽快处理！谢谢", "标题\r\n正文 第二段,还有"]
    segmentation = Segmentation(batch)
    texts = [*batch, *_OTHERS]
    for cut in range(0, max(map(len, texts)) + 2):
        limits = [min(len(t), cut) if i % 2 else max(len(t) - cut, 0) for i, t in enumerate(texts)]
        doc, codes, uniques = segment_batch([t[:k] for t, k in zip(texts, limits, strict=True)])
        with segmentation.shared(batch):
            shared_doc, shared_codes, shared_uniques = segment_prefixes(texts, limits)
        assert shared_doc.tolist() == doc.tolist()
        assert shared_uniques[shared_codes].tolist() == uniques[codes].tolist()


def test_the_first_stage_saves_the_segmentation_and_the_next_reads_it(tmp_path, monkeypatch):
    import pandas as pd

    from minsheng.engine import tokens

    frame = pd.DataFrame({"text": _BATCH})
    vocabulary = {"噪音": 0, "出口": 1}
    first = tokens.shared_segmentation(frame, func=lambda f: count_matrix(f["text"].tolist(), vocabulary),
                                       folder=str(tmp_path))
    assert len(list(tmp_path.glob("tokens-*.pkl"))) == 1
    monkeypatch.setattr(tokens, "_cut_joined", lambda texts: pytest.fail("segmented again"))
    again = tokens.shared_segmentation(frame, func=lambda f: count_matrix(f["text"].tolist(), vocabulary),
                                       folder=str(tmp_path))
    assert (again != first).nnz == 0 and first.sum() == 4
    assert tokens._SHARED is None


def test_segment_batch_numbers_tokens_by_first_appearance_as_factorize():
    """Callers index by these codes (the digest's spans, hot issues' numbered names): the Arrow encoding must
    number the distinct tokens as ``pd.factorize`` of the token stream does."""
    import numpy as np
    import pandas as pd

    from minsheng.engine.tokens import _cut_joined, segment_batch

    for texts in (_BATCH + _OTHERS, ["", "噪音噪音", ""], []):
        _, codes, uniques = segment_batch(texts)
        expected_codes, expected_uniques = pd.factorize(np.asarray(_cut_joined(texts), dtype=object))
        assert codes.dtype == np.int64 and uniques.dtype == object
        assert codes.tolist() == expected_codes.tolist() and uniques.tolist() == expected_uniques.tolist()


def test_piece_counts_equal_the_counts_of_the_pieces_segmented_alone():
    """Pieces of the batch's texts (a title's end inside a clause, at a comma, at a line break, empty, the whole
    text, a restored text's two halves) count the words that segmenting each piece alone counts."""
    import random

    import numpy as np

    from minsheng.engine.tokens import Segmentation, piece_counts

    texts = _BATCH + ["燃气管道漏气无人管尊敬的领导：我们小区燃气管道漏气，已经半个月了。\r\n请尽快处理 谢谢",
                      "学校乱收费问题\n您好,我是家长.学校今年多收了500元资料费%,请查处!", "a-b+c#d&e_f%g.h 中文。。",
                      "长株潭城际铁路经济学院组织公积金组合贷款的问题太多了"]
    _, words = batch_counts(texts)
    vocabulary = {w: i for i, w in enumerate(words)}
    rng = random.Random(0)
    pieces = [(i, a, b) for i, t in enumerate(texts) for a in range(len(t) + 1) for b in range(a, len(t) + 1)
              if rng.random() < 0.05] + [(0, 0, len(texts[0])), (1, 0, 0)]
    text, start, end = (np.array(column) for column in zip(*pieces, strict=True))
    row = np.arange(len(pieces)) // 2  # two pieces a row
    n_rows = int(row.max()) + 1
    expected = count_matrix(["\n".join(texts[i][a:b] for (i, a, b), r in zip(pieces, row, strict=True) if r == k)
                             for k in range(n_rows)], vocabulary)
    assert piece_counts(texts, (text, start, end, row), n_rows, vocabulary) is None  # nothing shared
    with Segmentation(texts).shared(texts):
        got = piece_counts(texts, (text, start, end, row), n_rows, vocabulary)
        assert piece_counts(["不在这一批"], (text[:1] * 0, start[:1] * 0, end[:1] * 0, row[:1] * 0), 1,
                            vocabulary) is None
    assert got.has_canonical_format and got.shape == expected.shape
    assert got.indptr.tolist() == expected.indptr.tolist() and got.indices.tolist() == expected.indices.tolist()
    assert got.data.tolist() == expected.data.tolist() and got.sum() > 100


@pytest.mark.parametrize("mostly_distinct", [-1.0, 0.6, 2.0])  # always whole, as decided, always clause by clause
def test_cutting_each_distinct_clause_once_gives_the_tokens_of_cutting_the_batch(monkeypatch, mostly_distinct):
    import random

    import numpy as np

    from minsheng.engine import tokens

    monkeypatch.setattr(tokens, "_MOSTLY_DISTINCT", mostly_distinct)
    rng = random.Random(0)
    # letters rjieba joins into words, and characters it never does: ASCII and CJK punctuation, every kind of
    # blank (the ideographic space, NBSP, \x1c, \x85), a symbol, an emoji, the batch's own separator
    letters = list("我们的小区停车难问题希望尽快解决道路施工噪音abcXY0123+#&._%-") + ["①", "℃", "😀"]
    breaks = list("，。！？、；：“”（）《》【】…—·～ \t\n\u3000\xa0\x1c\x85'\"/@$^*=~`{}[]<>|()\x01")
    clauses = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 12))) for _ in range(40)]
    texts = ["".join(rng.choice(clauses) + rng.choice(breaks) * rng.randint(0, 2) for _ in range(rng.randint(0, 8)))
             for _ in range(3000)] + ["", None, "  ", "\x01\x01"]
    for batch in (texts, texts + ["小区停水\r\n请尽快恢复"], [], [""]):  # "\r\n" is one token: cut whole
        expected_codes, expected_uniques = tokens._encode(tokens._cut_joined(batch))
        codes, uniques = tokens._cut_encoded(batch)
        assert np.array_equal(codes, expected_codes)
        assert uniques.tolist() == expected_uniques.tolist()


def test_small_integers_are_renumbered_by_first_appearance_as_factorize_does():
    """The clause-by-clause cut renumbers its token stream by a minimum per value, not a hash of every token."""
    import numpy as np
    import pandas as pd

    from minsheng.engine import tokens

    rng = np.random.default_rng(0)
    for values, size in ((rng.integers(0, 3000, size=100_000), 4000), (rng.integers(0, 5, size=9), 5),
                         (np.array([7, 7, 0, 3], np.int64), 9), (np.empty(0, np.int64), 3)):
        values = values.astype(np.int64)
        expected_codes, expected_values = pd.factorize(values)
        codes, first = tokens._renumbered(values, size)
        assert codes.dtype == np.int64 and codes.tolist() == expected_codes.tolist()
        assert first.tolist() == expected_values.tolist()


def test_the_separators_are_numbered_as_np_unique_numbers_them():
    """The separators between a batch's clauses (all in the first plane) are told apart by a count per code point,
    not a sort: the same distinct code points, in the same order, and the same number for each."""
    import numpy as np

    from minsheng.engine import tokens

    rng = np.random.default_rng(0)
    table = tokens._separator_table()
    kinds = np.flatnonzero(table).astype(np.uint32)
    for point in (rng.choice(kinds, size=50_000), rng.choice(kinds[:3], size=7), np.array([0xFFFF, 0x20], np.uint32),
                  np.empty(0, np.uint32)):
        point = point.astype(np.uint32)
        expected, expected_inverse = np.unique(point, return_inverse=True)
        got, inverse = tokens._distinct_codes(point)
        assert got.dtype == expected.dtype and got.tolist() == expected.tolist()
        assert inverse.tolist() == expected_inverse.tolist()


def test_a_batch_cut_clause_by_clause_is_split_by_regex_only_in_its_sample(monkeypatch):
    """The clauses come from the code points (no Python string per clause); only the first eighth, which decides
    the way, is split by the pattern."""
    import re

    from minsheng.engine import tokens

    split = []
    pattern = tokens._CLAUSE_SPLIT

    class Watched:
        def split(self, text):
            split.append(len(text))
            return pattern.split(text)

        def __getattr__(self, name):
            return getattr(pattern, name)

    monkeypatch.setattr(tokens, "_CLAUSE_SPLIT", Watched())
    texts = ["小区门口道路施工，噪音扰民。希望尽快处理！", "您好，小区停水三天，希望尽快处理！"] * 500
    joined = tokens._joined(texts)
    codes, uniques = tokens._cut_encoded(texts)
    expected_codes, expected_uniques = tokens._encode(tokens._cut_joined(texts))
    assert codes.tolist() == expected_codes.tolist() and uniques.tolist() == expected_uniques.tolist()
    assert split == [len(joined) // 8 + 1]
    assert isinstance(pattern, re.Pattern)


def test_a_batch_is_joined_as_each_text_cleaned_of_the_separator_would_be():
    from minsheng.engine import tokens

    def one_by_one(texts):
        return tokens._SEP.join(t.replace(tokens._SEP, " ") if isinstance(t, str) else "" for t in texts)

    for batch in (["小区停水", "", "道路施工"], [], [""], ["a\x01b", "c"], ["\x01"], ["a", None, float("nan"), "b"],
                  ["\x01\x01", "x"]):
        assert tokens._joined(batch) == one_by_one(batch)
