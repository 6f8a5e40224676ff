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
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import rjieba
import xxhash
from scipy.sparse import csr_matrix, vstack

from minsheng.engine.counts import summed_counts

__all__ = ["STOP_WORDS", "Segmentation", "batch_counts", "count_matrix", "is_content_word", "load_stop_words",
           "piece_counts", "ranges", "segment_batch", "shared_segmentation", "tokenize", "tokenize_many"]

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
    codes, uniques = _cut_encoded(texts)
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


# Characters rjieba never puts in a word (outside its word class ``[CJK a-zA-Z0-9+#&._%-]``, each one token of its
# own; ``\r`` is not among them: "\r\n" is one token): a batch's clauses between them are segmented alone.
_MOSTLY_DISTINCT = 0.6  # share of a batch's clause characters in distinct clauses above which it is cut whole
_CLAUSE_SPLIT = re.compile("([\\s,!?;:，。！？、；：“”‘’（）《》【】…—·～()\\[\\]{}<>/|\"'@$^*=~`" + _SEP + "])")


def _cut_encoded(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_encode` of :func:`_cut_joined` of ``texts``, cutting each distinct clause of the batch once.

    Why: rjieba cuts a text into blocks at every character outside its word class and segments each block
    alone, so the tokens of a batch are its clauses' tokens with each such character between them, and a clause
    written again (a form letter's sentences, 您好, 谢谢, a template's phrases) need not be cut again. In the
    synthetic corpus a partition of 25,000 distinct texts holds 250,000 clauses of which 35,000 are distinct
    (27 % of the characters): 1.71 → 1.01 CPU-s for 100,000 such texts. The codes are renumbered by first
    appearance in the whole token stream, as :func:`_encode` numbers them.

    Splitting into clauses and putting the pieces back costs about a third of the cut, so a batch whose clauses
    are mostly distinct is cut whole: the teddy2020 messages' clauses are 88-96 % distinct (by characters), and
    cut clause by clause they took 15-30 % longer. Which way is decided on the first eighth of the batch (its
    distinct share there: 0.36-0.41 in the synthetic partitions, 0.90-0.97 in the teddy2020 files).
    """
    joined = _joined(texts)
    if "\r" in joined:  # "\r\n" is one token: not cut at "\n" alone
        return _encode(rjieba.cut(joined))
    sample = _CLAUSE_SPLIT.split(joined[:len(joined) // 8 + 1])[0::2]
    if sum(map(len, dict.fromkeys(sample))) > _MOSTLY_DISTINCT * sum(map(len, sample)):
        return _encode(rjieba.cut(joined))
    point = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)  # a lone surrogate fails here as in rjieba
    which, distinct, at = _clauses(point)
    tokens = rjieba.cut(distinct)  # the distinct clauses, a separator between two
    code_of: defaultdict[str, int] = defaultdict()
    code_of.default_factory = code_of.__len__
    own = np.fromiter(map(code_of.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    kinds, kind = _distinct_codes(point[at])  # the separators between the clauses, each one token
    breaks = np.fromiter(map(code_of.__getitem__, map(chr, kinds.tolist())), dtype=np.int64, count=len(kinds))[kind]
    sep = code_of[_SEP]
    word = own != sep
    size = np.bincount(np.cumsum(~word)[word], minlength=int(which.max(initial=-1)) + 1)  # tokens of each clause
    start = np.cumsum(size) - size
    # The stream: each clause's tokens, then the separator after it; the separators sit after the clauses' tokens.
    n_pieces = len(which) + len(breaks)
    length = np.ones(n_pieces, dtype=np.int64)
    length[0::2] = size[which]
    origin = np.empty(n_pieces, dtype=np.int64)
    origin[0::2] = start[which]
    origin[1::2] = int(word.sum()) + np.arange(len(breaks))
    stream = np.concatenate([own[word], breaks])[ranges(origin, length)]
    codes, first = _renumbered(stream, len(code_of))
    return codes, np.array(list(code_of), dtype=object)[first]


def _renumbered(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values)`` of integers in ``0 .. size - 1``: each value's number by first appearance, and
    the values in that order.

    Why not ``pd.factorize``: it hashes each of the 1.6 M tokens of a routing partition (21 ms); the first
    position of each of its ≈ 2,500 values is a minimum per value (``np.minimum.at``) and their order a sort of
    those few, 12 ms.
    """
    first = np.full(size, len(values), dtype=np.int64)
    np.minimum.at(first, values, np.arange(len(values)))
    order = np.argsort(first, kind="stable")
    order = order[first[order] < len(values)]  # values that appear, by first appearance
    number = np.empty(size, dtype=np.int64)
    number[order] = np.arange(len(order))
    return number[values], order


def _distinct_codes(point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(point, return_inverse=True)`` of code points (the separators of a batch, all in the first plane):
    the distinct ones in increasing order and each one's number among them.

    Why not ``np.unique``: it sorts the quarter of a million separators of a routing partition (and argsorts them
    for the inverse), 26 ms where this host's sort takes 23 ns a key; a count per code point and a table finds
    the same in 1.5 ms.
    """
    present = np.bincount(point)
    kinds = np.flatnonzero(present)
    number = np.zeros(len(present), dtype=np.int64)
    number[kinds] = np.arange(len(kinds))
    return kinds.astype(point.dtype), number[point]


@functools.cache
def _separator_table() -> np.ndarray:
    """Whether each code point is one ``_CLAUSE_SPLIT`` cuts at (all of them are in the first plane)."""
    table = np.zeros(0x110000, dtype=bool)
    table[[m.start() for m in _CLAUSE_SPLIT.finditer("".join(map(chr, range(0x10000))))]] = True
    return table


def _clauses(point: np.ndarray) -> tuple[np.ndarray, str, np.ndarray]:
    """The clauses of a joined batch (``point``: its code points), as ``_CLAUSE_SPLIT.split`` cuts it: each
    clause's number among the distinct ones, the distinct clauses joined by the separator, and where the
    separating characters are (one between two clauses).

    Why not ``re.split`` and a dict: half a million Python strings for 25,000 texts, made and hashed, were 100 ms
    of a routing partition's 230 ms segmentation. Here the clauses are slices of the code points' buffer, told
    apart by Arrow's hashing, and only the distinct ones become text again (one decode).
    """
    at = np.flatnonzero(_separator_table()[point])
    bounds = np.empty(2 * len(at) + 2, dtype=np.int64)  # clause i runs from bounds[2i] to bounds[2i + 1]
    bounds[0], bounds[-1] = 0, len(point)
    bounds[1:-1:2], bounds[2:-1:2] = at, at + 1
    pieces = pa.Array.from_buffers(pa.large_binary(), len(bounds) - 1,
                                   [None, pa.py_buffer(4 * bounds), pa.py_buffer(point)])
    coded = pieces.take(pa.array(np.arange(0, len(bounds) - 1, 2))).dictionary_encode()
    values = coded.dictionary
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset: values.offset + len(values) + 1] // 4
    chars = np.frombuffer(values.buffers()[2], dtype=np.uint32)
    size = np.diff(offsets)
    joined = np.full(int(size.sum()) + max(len(values) - 1, 0), ord(_SEP), dtype=np.uint32)
    joined[ranges(offsets[:-1] - offsets[0] + np.arange(len(values)), size)] = chars[ranges(offsets[:-1], size)]
    return coded.indices.to_numpy().astype(np.int64), joined.tobytes().decode("utf-32-le"), at


def _counts(doc: np.ndarray, col: np.ndarray, n: int, n_words: int) -> csr_matrix:
    """Sparse counts from the text and column of each token (column -1: not counted)."""
    keep = col >= 0
    return summed_counts(doc[keep], col[keep], n, n_words)


def _cut_joined(texts: Sequence[str]) -> list[str]:
    """rjieba over a whole batch at once: one call, texts separated by a token of their own."""
    return rjieba.cut(_joined(texts))


def _joined(texts: Sequence[str]) -> str:
    """``texts`` joined by the separator, a separator inside a text replaced by a space and a non-string empty.

    Why not a generator that checks each text: its Python step per text was 45 ms of a routing partition of
    25,000 texts (a third of rjieba's own cut there). Strings without the separator (normalised text never has
    one) are joined in one call, and the separators counted to make sure; any other batch takes the slow way.
    """
    try:
        joined = _SEP.join(texts)
    except TypeError:  # a missing text (None, NaN)
        joined = None
    if joined is None or joined.count(_SEP) != max(len(texts) - 1, 0):
        joined = _SEP.join(t.replace(_SEP, " ") if isinstance(t, str) else "" for t in texts)
    return joined


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
        self._kinds: tuple[np.ndarray, np.ndarray] | None = None

    @staticmethod
    def key(texts: Sequence[str]) -> str:
        """A name for the batch from its content, so any stage holding the same texts finds its file. The texts'
        code points hashed by xxh3 (64 bits): CRC-32 of their UTF-8 cost twice the time (13.6 against 6.4 ms a
        partition of 25,000 texts, and every stage that maps the texts names each of its partitions)."""
        return f"{xxhash.xxh3_64_hexdigest(_SEP.join(texts).encode('utf-32-le', 'surrogatepass'))}-{len(texts)}"

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
        self._row, self._columns, self._kinds = {}, None, None
        return self

    def count_matrix(self, texts: Sequence[str], vocabulary: Mapping[str, int]) -> csr_matrix:
        """:func:`count_matrix` of ``texts``: the tokens of the batch's texts, others segmented now."""
        row = np.fromiter(map(self._row.get, texts, repeat(-1)), dtype=np.int64, count=len(texts))
        known = row >= 0
        if not known.any():
            return _cut_counts(texts, vocabulary)
        length = np.diff(self.offsets)[row[known]]
        doc = np.repeat(np.arange(len(length)), length)
        tok = ranges(self.offsets[row[known]], length)
        X = _counts(doc, self._unique_columns(vocabulary)[self.codes[tok]], len(length), len(vocabulary))
        if known.all():
            return X
        rest = _cut_counts([t for t, k in zip(texts, known.tolist(), strict=True) if not k], vocabulary)
        order = np.argsort(np.r_[np.flatnonzero(known), np.flatnonzero(~known)], kind="stable")
        return vstack([X, rest], format="csr", dtype=np.float32)[order]

    def _unique_columns(self, vocabulary: Mapping[str, int]) -> np.ndarray:
        """The column of each of the batch's distinct tokens in ``vocabulary`` (-1: not in it), kept for the next call."""
        if self._columns is None or self._columns[0] is not vocabulary:
            self._columns = (vocabulary, np.fromiter(map(vocabulary.get, self.uniques, repeat(-1)), dtype=np.int64,
                                                     count=len(self.uniques)))
        return self._columns[1]

    def piece_counts(self, texts: Sequence[str], pieces: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
                     n_rows: int, vocabulary: Mapping[str, int]) -> csr_matrix | None:
        """:func:`piece_counts` from the batch's tokens; None when a text of ``texts`` is not in the batch."""
        where = np.fromiter(map(self._row.get, texts, repeat(-1)), dtype=np.int64, count=len(texts))
        if (where < 0).any():
            return None
        text, start, end, row = (np.asarray(a, dtype=np.int64) for a in pieces)
        n_tokens = np.diff(self.offsets)[where]
        codes = self.codes[ranges(self.offsets[where], n_tokens)]  # the texts' tokens, one text after another
        sizes, separators = self._token_kinds()
        size = sizes[codes]
        stop = np.cumsum(size)  # where each token ends, counted along the texts joined without a gap
        first = np.concatenate([[0], np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))])
        bounds = np.concatenate([[0], stop])
        if not np.array_equal(bounds[np.cumsum(n_tokens)], first[1:]):  # tokens that do not cover their texts
            return None
        # Block edges, in order: a text's ends and both sides of every separator token (rjieba segments blocks
        # alone). Boundary j is the start of token j.
        edge = np.zeros(len(codes) + 1, dtype=bool)
        edge[:-1] = separators[codes]  # a separator's start
        edge[1:] |= separators[codes]  # and its end
        edge[np.concatenate([[0], np.cumsum(n_tokens)])] = True
        edges = bounds[edge]
        lo, hi = first[text] + start, first[text] + end
        inner_lo = edges[np.searchsorted(edges, lo, side="left")]  # the piece's first and last block edges
        inner_hi = edges[np.searchsorted(edges, hi, side="right") - 1]
        inner = inner_lo < inner_hi
        begin = np.searchsorted(stop, inner_lo[inner], side="right")  # the tokens between them are the text's
        count = np.searchsorted(stop, inner_hi[inner], side="right") - begin
        doc = np.repeat(row[inner], count)
        column = self._unique_columns(vocabulary)[codes[ranges(begin, count)]]
        # The rest of each piece (between its ends and its block edges, or all of it) is segmented now.
        recut = [(inner & (lo < inner_lo), lo, inner_lo), (inner & (inner_hi < hi), inner_hi, hi),
                 (~inner & (lo < hi), lo, hi)]
        w_text = np.concatenate([text[m] for m, _, _ in recut])
        w_lo = np.concatenate([a[m] for m, a, _ in recut]) - first[w_text]
        w_hi = np.concatenate([b[m] for m, _, b in recut]) - first[w_text]
        w_row = np.concatenate([row[m] for m, _, _ in recut])
        if len(w_row):
            lookup = {**vocabulary, _SEP: -2}
            tokens = _cut_joined([texts[i][a:b] for i, a, b in zip(w_text.tolist(), w_lo.tolist(), w_hi.tolist(),
                                                                   strict=True)])
            cut_column = np.fromiter(map(lookup.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
            doc = np.concatenate([doc, w_row[np.cumsum(cut_column == -2)]])
            column = np.concatenate([column, cut_column])
        return _counts(doc, column, n_rows, len(vocabulary))

    def _token_kinds(self) -> tuple[np.ndarray, np.ndarray]:
        """Length of each distinct token, and whether it is a separator (a character rjieba never puts in a word)."""
        if self._kinds is None:
            sizes = np.fromiter(map(len, self.uniques), dtype=np.int64, count=len(self.uniques))
            separators = np.fromiter(map(_separates, self.uniques), dtype=bool, count=len(self.uniques))
            self._kinds = (sizes, separators)
        return self._kinds

    def segment_batch(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`segment_batch` of ``texts``: the tokens of the batch's texts, others segmented now. The same
        token stream (each text's tokens, one separator between two texts); ``uniques`` numbered otherwise."""
        return self.segment_prefixes(texts, None)

    def segment_prefixes(self, texts: Sequence[str], limits: Sequence[int] | None) -> tuple[np.ndarray, np.ndarray,
                                                                                             np.ndarray]:
        """:func:`segment_batch` of ``texts[i][:limits[i]]`` (whole texts when ``limits`` is None).

        A prefix of a batch's text takes the text's tokens up to the last clause end before the prefix's end
        (:func:`_clause_start`) and segments only the rest: rjieba segments each run of letters between two
        such characters alone, so the prefix's tokens are the same as when it is segmented whole (a message's
        first 300 characters, read by the digest, were all segmented again)."""
        row = np.fromiter(map(self._row.get, texts, repeat(-1)), dtype=np.int64, count=len(texts))
        known = row >= 0
        if not known.any():
            return _segment(texts if limits is None else [t[:k] for t, k in zip(texts, limits, strict=True)])
        keep = np.zeros(len(texts), np.int64)
        keep[known] = np.diff(self.offsets)[row[known]]
        pieces: dict[int, str] = {i: t if limits is None else t[:limits[i]]
                                  for i, t in enumerate(texts) if not known[i]}
        if limits is not None:
            prefix = np.asarray(limits, dtype=np.int64)
            short = np.flatnonzero(known & (prefix < np.fromiter(map(len, texts), np.int64, count=len(texts))))
            if len(short):
                # Where each token ends, counted along the batch's texts one after another: one pass for all the
                # prefixes, not one per text (a sum and a search per text were a fifth of the digest's spans).
                stop = np.cumsum(np.fromiter(map(len, self.uniques), np.int64, count=len(self.uniques))[self.codes])
                first, last = self.offsets[row[short]], self.offsets[row[short] + 1]
                base = np.zeros(len(short), np.int64)  # where each text starts
                base[first > 0] = stop[first[first > 0] - 1]
                at = np.fromiter(map(_clause_start, (texts[i] for i in short.tolist()), prefix[short].tolist()),
                                 np.int64, count=len(short))
                n = np.where(at > 0, np.minimum(np.searchsorted(stop, base + at, side="right"), last) - first, 0)
                some = np.flatnonzero(n > 0)
                whole = some[stop[first[some] + n[some] - 1] - base[some] != at[some]]
                n[whole], at[whole] = 0, 0  # no token of the text ends there: the whole prefix is segmented
                keep[short] = n
                for i, a in zip(short.tolist(), at.tolist(), strict=True):
                    if a < limits[i]:
                        pieces[i] = texts[i][a:limits[i]]
        cut_at = np.fromiter(pieces, np.int64, count=len(pieces))
        _, cut, cut_uniques = (_segment(list(pieces.values())) if pieces
                               else (None, np.empty(0, np.int64), np.empty(0, object)))
        # One code space: the batch's tokens, the separator, then the tokens only the other texts have.
        code, uniques = pd.factorize(np.concatenate([self.uniques, np.array([_SEP], dtype=object), cut_uniques]))
        sep = code[len(self.uniques)]
        theirs = code[len(self.uniques) + 1:][cut]
        word = theirs != sep
        fresh = np.zeros(len(texts), np.int64)
        fresh[cut_at] = np.bincount(np.cumsum(~word)[word], minlength=len(pieces))
        length = keep + fresh
        start = np.cumsum(length) - length + np.arange(len(texts))  # one separator before every text but the first
        codes = np.full(int(length.sum()) + len(texts) - 1, sep, dtype=np.int64)
        codes[ranges(start[known], keep[known])] = code[self.codes[ranges(self.offsets[row[known]], keep[known])]]
        codes[ranges(start[cut_at] + keep[cut_at], fresh[cut_at])] = theirs[word]
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

# Characters outside rjieba's word class (``[CJK ideographs a-zA-Z0-9+#&._%-]``): it cuts a text into blocks at
# each of them, segments every block alone and gives each of them a token of its own. Only punctuation and spaces
# of blocks far from the ideographs are listed; "\r" is left out (rjieba keeps "\r\n" as one token).
_SEPARATOR_BLOCKS = ((0x00, 0x7F), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def _separates(token: str) -> bool:
    """Whether ``token`` is one character rjieba always cuts at (see ``_SEPARATOR_BLOCKS``)."""
    if len(token) != 1 or token.isalnum() or token in "+#&._%-\r" + _SEP:
        return False
    code = ord(token)
    return any(lo <= code <= hi for lo, hi in _SEPARATOR_BLOCKS)


def piece_counts(texts: Sequence[str], pieces: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], n_rows: int,
                 vocabulary: Mapping[str, int]) -> csr_matrix | None:
    """Word counts of rows made of pieces of ``texts``, from the shared segmentation; None without one.

    ``pieces`` is four arrays (text, start, end, row): piece ``i`` is ``texts[text[i]][start[i]:end[i]]``,
    segmented as a text of its own, and its words count in row ``row[i]`` of the ``n_rows`` rows. So the router
    counts the words of a text whose title line it restored (two pieces: the title, the body) and of a title
    (a text's start) without segmenting them whole again: the counts equal :func:`count_matrix` of the pieces
    joined by a line break.

    Why that is exact: rjieba cuts a text into blocks at every character outside its word class (punctuation,
    spaces) and segments each block alone, so a piece has the text's tokens between the first and the last
    such character inside it, and only the stretches from its ends to those characters (a title's last words,
    a clause) are segmented now. None when there is no shared segmentation or it misses one of ``texts``.
    """
    if _SHARED is None:
        return None
    return _SHARED.piece_counts(texts, pieces, n_rows, vocabulary)


#: Characters rjieba never joins to another (punctuation and spaces, each a token of its own; not "\r", which
#: "\r\n" joins): a run of text it segments as one starts after each.
_CLAUSE_ENDS = tuple("\n ,;:!?，。！？；：、")


def _clause_start(text: str, k: int) -> int:
    """Where the last run rjieba segments as one, of ``text[:k]``, starts: after its last clause end (0: none)."""
    return max(text.rfind(c, 0, k) for c in _CLAUSE_ENDS) + 1


def segment_prefixes(texts: Sequence[str], limits: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`segment_batch` of ``texts[i][:limits[i]]``; the shared segmentation's tokens of a text serve its
    prefix too (:meth:`Segmentation.segment_prefixes`)."""
    if _SHARED is not None:
        return _SHARED.segment_prefixes(texts, limits)
    return _segment([t[:k] for t, k in zip(texts, limits, strict=True)])


def ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """``start[i] .. start[i] + length[i] - 1`` for every ``i``, concatenated."""
    return np.repeat(start - np.cumsum(length) + length, length) + np.arange(int(length.sum()))


def shared_segmentation(frame, *, func: Callable, folder: str):
    """``func(frame)`` with the segmentation of ``frame["text"]`` shared (:class:`Segmentation`): loaded from
    ``folder`` when an earlier stage saved it, else made and saved there for the stages after this one.

    For the pipeline's maps over distinct texts (workers or this process); a folder that cannot be written
    (another host's scratch) only means the next stage segments again. ``func`` gets the texts as the Python
    strings made here (an object column, missing values kept): routing and themes each turned the partition's
    Arrow strings into Python strings again (about 20 ms a partition of 25,000 texts), and their look-ups into
    the segmentation then hashed those new strings once more.
    """
    column = frame["text"]
    if column.dtype != object:
        column = column.astype(object)
        frame = frame.assign(text=column)
    texts = column.fillna("").tolist()
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
