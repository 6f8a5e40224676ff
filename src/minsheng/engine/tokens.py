"""Chinese word segmentation (rjieba) with stop words removed, shared by themes, hot issues and replies.

Why one module: keywords shown to analysts (theme keywords, hot-issue descriptions) and the vectors used for
similarity must come from the same tokens, or a keyword could be a word the clustering never saw.

Why rjieba rather than jieba: it is the same dictionary and algorithm in Rust, about 5 M characters/s on one
core here (jieba runs at a tenth of that), which is what lets a million messages be segmented in seconds.

What is kept: words of two or more characters that are letters or digits (so no punctuation), not pure
numbers, not ASCII codes mixed with digits (the anonymised place codes ``A3``, ``K8`` and house numbers), and
not in the stop-word list ``stopwords_zh.txt`` (function words plus phrases every petition or reply contains,
such as 您好, 反映, 相关部门). Single characters are dropped: they are mostly particles, and the few that
carry meaning (水, 电) nearly always occur inside a longer word too.

>>> tokenize("A市A3区中海国际社区夜间施工噪音扰民，请相关部门处理！")
['中海', '国际', '社区', '夜间', '施工', '噪音', '扰民']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from itertools import repeat

import numpy as np
import pandas as pd
import rjieba
from scipy.sparse import csr_matrix, vstack

__all__ = ["STOP_WORDS", "batch_counts", "count_matrix", "is_content_word", "load_stop_words", "segment_batch",
           "tokenize", "tokenize_many"]

_SEP = "\x01"  # a control character: never inside normalised text, and rjieba keeps it as its own token


@functools.cache
def load_stop_words() -> frozenset[str]:
    """The packaged stop-word list (``stopwords_zh.txt``), read once."""
    text = resources.files(__package__).joinpath("stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


STOP_WORDS: frozenset[str] = load_stop_words()


def is_content_word(w: str) -> bool:
    """The filter of :func:`tokenize` for one word (string predicates are C methods: cheaper than a regex)."""
    return (len(w) > 1 and w.isalnum() and not w.isdigit() and w not in STOP_WORDS
            and not (w.isascii() and not w.isalpha()))


def tokenize(text: str) -> list[str]:
    """Content words of ``text`` in order (repeats kept, so callers can count term frequency)."""
    if not isinstance(text, str) or not text:
        return []
    return [w for w in rjieba.cut(text) if is_content_word(w)]


def tokenize_many(texts: Iterable[str]) -> list[list[str]]:
    """:func:`tokenize` over a sequence; a list so the result can be reused by several vectorisers."""
    return [tokenize(t) for t in texts]


def count_matrix(texts: Sequence[str], vocabulary: Mapping[str, int]) -> csr_matrix:
    """Term counts of ``texts`` over a fixed ``vocabulary`` (word → column; words from :func:`tokenize`), fast.

    Why not ``CountVectorizer.transform``: it filters and looks up every token in Python, which costs more
    than segmenting. Here a whole batch is segmented by one rjieba call on the joined texts and every token is
    looked up by ``dict.get`` mapped in C (half the cost of hashing the tokens to codes first: 6 µs a text of 130
    characters against 9–14 under load); words outside the vocabulary (stop words included, since the vocabulary was built
    from filtered tokens) simply drop out. The counts equal those of
    ``CountVectorizer(analyzer=tokenize, vocabulary=vocabulary)``.
    """
    if len(texts) == 0:
        return csr_matrix((0, len(vocabulary)), dtype=np.float32)
    lookup = {**vocabulary, _SEP: -2}
    tokens = _cut_joined(texts)
    column = np.fromiter(map(lookup.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
    return _counts(np.cumsum(column == -2), column, len(texts), len(vocabulary))


def segment_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segment a batch in one rjieba call: (text of each token, code of each token, distinct tokens).

    Tokens are hashed to codes in C (``pd.factorize``), so per-token work never runs in Python; the
    separator between texts is one of the distinct tokens and numbers the texts. The tokens cover the joined
    texts character for character, so callers that need token positions (the digest's spans, hot issues'
    numbered names) use this one call too.
    """
    codes, uniques = pd.factorize(np.asarray(_cut_joined(texts), dtype=object))
    sep = np.flatnonzero(uniques == _SEP)
    doc = np.cumsum(codes == sep[0]) if len(sep) else np.zeros(len(codes), dtype=np.int64)
    return doc, codes, uniques


def _counts(doc: np.ndarray, col: np.ndarray, n: int, n_words: int) -> csr_matrix:
    """Sparse counts from the text and column of each token (column -1: not counted)."""
    keep = col >= 0
    X = csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (doc[keep], col[keep])), shape=(n, n_words),
                   dtype=np.float32)
    X.sum_duplicates()
    return X


def _cut_joined(texts: Sequence[str]) -> list[str]:
    """rjieba over a whole batch at once: one call, texts separated by a token of their own."""
    return rjieba.cut(_SEP.join(t.replace(_SEP, " ") if isinstance(t, str) else "" for t in texts))


def batch_counts(texts: Sequence[str], chunk: int = 20_000) -> tuple[csr_matrix, list[str]]:
    """Term counts of ``texts`` over the content words they contain, and those words (column order: first
    appearance).

    For stages that need a vocabulary of their own batch (hot issues, replies): the batch is segmented in
    calls of ``chunk`` texts, distinct tokens are found by hashing in C, and only *distinct* tokens go through
    the Python filter — a few tens of thousands instead of millions. Why in chunks: one call on the million
    texts of the hot-issue stage held every token as a Python string at once (1.2 GB more for 190,000 texts:
    the peak of the whole analysis at a million); a chunk's tokens are dropped once counted. Chunking changes
    nothing: texts are segmented independently (the separator is a token of its own) and columns are numbered
    by first appearance across the chunks.
    """
    if len(texts) == 0:
        return csr_matrix((0, 0), dtype=np.float32), []
    column_of: dict[str, int] = {}  # every distinct token seen → its column, -1 when it is not a content word
    words: list[str] = []
    parts = []
    for start in range(0, len(texts), chunk):
        part = texts[start: start + chunk]
        doc, codes, uniques = segment_batch(part)
        column = np.empty(len(uniques), dtype=np.int64)
        for i, token in enumerate(uniques):
            col = column_of.get(token)
            if col is None:
                col = column_of[token] = len(words) if is_content_word(token) else -1
                if col >= 0:
                    words.append(token)
            column[i] = col
        parts.append(_counts(doc, column[codes], len(part), len(words)))
    # The earlier chunks saw fewer words: the same rows, widened to every column.
    parts = [csr_matrix((X.data, X.indices, X.indptr), shape=(X.shape[0], len(words))) for X in parts]
    return vstack(parts, format="csr", dtype=np.float32), words
