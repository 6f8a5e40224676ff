"""Chinese word segmentation (rjieba) with stop words removed, shared by themes, hot issues and replies.

Each distinct text is segmented once per run where it can be: the first stage that maps a partition of
distinct texts saves its tokens and the next stages' workers count from them (:class:`Segmentation`).

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

import contextlib
import functools
import os
import pickle
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd
import rjieba
from scipy.sparse import csr_matrix, vstack

__all__ = ["STOP_WORDS", "Segmentation", "batch_counts", "count_matrix", "is_content_word", "load_stop_words",
           "segment_batch", "shared_segmentation", "tokenize", "tokenize_many"]

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
    if _SHARED is not None:
        return _SHARED.count_matrix(texts, vocabulary)
    return _cut_counts(texts, vocabulary)


def _cut_counts(texts: Sequence[str], vocabulary: Mapping[str, int]) -> csr_matrix:
    """:func:`count_matrix` by segmenting ``texts`` now."""
    lookup = {**vocabulary, _SEP: -2}
    tokens = _cut_joined(texts)
    column = np.fromiter(map(lookup.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
    return _counts(np.cumsum(column == -2), column, len(texts), len(vocabulary))


def segment_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segment a batch in one rjieba call: (text of each token, code of each token, distinct tokens).

    Tokens are hashed to codes in C (Arrow's ``dictionary_encode``), so per-token work never runs in Python;
    the separator between texts is one of the distinct tokens and numbers the texts. The tokens cover the joined
    texts character for character, so callers that need token positions (the digest's spans, hot issues'
    numbered names) use this one call too.
    """
    if _SHARED is not None:
        return _SHARED.segment_batch(texts)
    return _segment(texts)


def _segment(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`segment_batch` by segmenting ``texts`` now."""
    codes, uniques = _encode(_cut_joined(texts))
    sep = np.flatnonzero(uniques == _SEP)
    doc = np.cumsum(codes == sep[0]) if len(sep) else np.zeros(len(codes), dtype=np.int64)
    return doc, codes, uniques


def _encode(tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``tokens`` into their distinct values, numbered by first appearance (as ``pd.factorize``).

    Why a dict whose missing keys get the next number: rjieba's tokens are Python strings already, so one
    look-up each, mapped in C, is all the work; ``pd.factorize`` first makes an object array of them, and
    Arrow copies every string to UTF-8 before hashing (0.088 against 0.117 CPU-s for Arrow on the 1.7 M
    tokens of 25,000 distinct synthetic texts, 0.18-0.30 for ``pd.factorize``).
    """
    code_of: defaultdict[str, int] = defaultdict()
    code_of.default_factory = code_of.__len__
    codes = np.fromiter(map(code_of.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    return codes, np.array(list(code_of), dtype=object)


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


class Segmentation:
    """The rjieba tokens of a batch of texts, segmented once and kept for every stage that counts their words.

    Why: routing, themes and the digest each segmented every distinct text again (one rjieba pass over a
    million texts is about 25 CPU-s here), although the tokens of a text are the same whoever asks. A
    pipeline stage that maps the distinct texts segments each partition once, saves it (:meth:`save`, a few MB),
    and the later stages' workers load it instead of cutting again (:func:`shared_segmentation`). Tokens are
    stored as codes into the batch's distinct tokens, so counting them over a vocabulary is array indexing.
    Results do not change: a text is looked up by its content, and a text not in the batch (a title, a text
    cut at ``max_chars`` or with its title restored) is segmented as before.
    """

    def __init__(self, texts: Sequence[str]):
        doc, codes, uniques = _segment(texts)
        sep = np.flatnonzero(uniques == _SEP)
        word = codes != sep[0] if len(sep) else np.ones(len(codes), dtype=bool)
        self.offsets = np.concatenate([[0], np.cumsum(np.bincount(doc[word], minlength=len(texts)))])
        self.codes = codes[word].astype(np.uint16 if len(uniques) <= 1 << 16 else np.uint32)
        self.uniques = uniques
        self._row: dict[str, int] = {}
        self._columns: tuple[Mapping[str, int], np.ndarray] | None = None

    @staticmethod
    def key(texts: Sequence[str]) -> str:
        """A name for the batch from its content, so any stage holding the same texts finds its file."""
        return f"{zlib.crc32(_SEP.join(texts).encode('utf-8', 'surrogatepass')):08x}-{len(texts)}"

    def save(self, path: Path) -> None:
        """Write to ``path`` atomically (workers of two stages may race for it)."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump((self.offsets, self.codes, self.uniques), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Segmentation:
        self = cls.__new__(cls)
        with open(path, "rb") as f:
            self.offsets, self.codes, self.uniques = pickle.load(f)
        self._row, self._columns = {}, None
        return self

    def count_matrix(self, texts: Sequence[str], vocabulary: Mapping[str, int]) -> csr_matrix:
        """:func:`count_matrix` of ``texts``: the tokens of the batch's texts, others segmented now."""
        row = np.fromiter(map(self._row.get, texts, repeat(-1)), dtype=np.int64, count=len(texts))
        known = row >= 0
        if not known.any():
            return _cut_counts(texts, vocabulary)
        if self._columns is None or self._columns[0] is not vocabulary:
            self._columns = (vocabulary, np.fromiter(map(vocabulary.get, self.uniques, repeat(-1)), dtype=np.int64,
                                                     count=len(self.uniques)))
        length = np.diff(self.offsets)[row[known]]
        doc = np.repeat(np.arange(len(length)), length)
        tok = _ranges(self.offsets[row[known]], length)
        X = _counts(doc, self._columns[1][self.codes[tok]], len(length), len(vocabulary))
        if known.all():
            return X
        rest = _cut_counts([t for t, k in zip(texts, known.tolist(), strict=True) if not k], vocabulary)
        order = np.argsort(np.r_[np.flatnonzero(known), np.flatnonzero(~known)], kind="stable")
        return vstack([X, rest], format="csr", dtype=np.float32)[order]

    def segment_batch(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`segment_batch` of ``texts``: the tokens of the batch's texts, others segmented now. The same
        token stream (each text's tokens, one separator between two texts); ``uniques`` numbered otherwise."""
        row = np.fromiter(map(self._row.get, texts, repeat(-1)), dtype=np.int64, count=len(texts))
        known = row >= 0
        if not known.any():
            return _segment(texts)
        missing = [t for t, k in zip(texts, known.tolist(), strict=True) if not k]
        _, cut, cut_uniques = _segment(missing) if missing else (None, np.empty(0, np.int64), np.empty(0, object))
        # One code space: the batch's tokens, the separator, then the tokens only the other texts have.
        code, uniques = pd.factorize(np.concatenate([self.uniques, np.array([_SEP], dtype=object), cut_uniques]))
        sep = code[len(self.uniques)]
        theirs = code[len(self.uniques) + 1:][cut]
        word = theirs != sep
        length = np.zeros(len(texts), np.int64)
        length[known] = np.diff(self.offsets)[row[known]]
        length[~known] = np.bincount(np.cumsum(~word)[word], minlength=len(missing))
        start = np.cumsum(length) - length + np.arange(len(texts))  # one separator before every text but the first
        codes = np.full(int(length.sum()) + len(texts) - 1, sep, dtype=np.int64)
        codes[_ranges(start[known], length[known])] = code[self.codes[_ranges(self.offsets[row[known]],
                                                                              length[known])]]
        codes[_ranges(start[~known], length[~known])] = theirs[word]
        return np.cumsum(codes == sep), codes, uniques

    @contextlib.contextmanager
    def shared(self, texts: Sequence[str]) -> Iterator[None]:
        """While in this block, :func:`count_matrix` takes the tokens of ``texts`` (the batch's, in order) from here."""
        global _SHARED
        self._row = {t: i for i, t in enumerate(texts)}
        previous, _SHARED = _SHARED, self
        try:
            yield
        finally:
            _SHARED, self._row, self._columns = previous, {}, None


_SHARED: Segmentation | None = None


def _ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """``start[i] .. start[i] + length[i] - 1`` for every ``i``, concatenated."""
    return np.repeat(start - np.cumsum(length) + length, length) + np.arange(int(length.sum()))


def shared_segmentation(frame, *, func: Callable, folder: str):
    """``func(frame)`` with the segmentation of ``frame["text"]`` shared (:class:`Segmentation`): loaded from
    ``folder`` when an earlier stage saved it, else made and saved there for the stages after this one.

    For the pipeline's maps over distinct texts (workers or this process); a folder that cannot be written
    (another host's scratch) only means the next stage segments again.
    """
    texts = frame["text"].fillna("").tolist()
    path = Path(folder) / f"tokens-{Segmentation.key(texts)}.pkl"
    try:
        segmentation = Segmentation.load(path)
    except (OSError, EOFError, pickle.UnpicklingError):
        segmentation = Segmentation(texts)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            segmentation.save(path)
    with segmentation.shared(texts):
        return func(frame)
