"""The texts as vectors: TF-IDF over rjieba words of each text's start, counted once per distinct clause in the
workers (:func:`_vectorise`); the same with the place's words out; and the words a theme's messages all write
weighed down (:func:`_specific`, :func:`_matter_rows`), so that what links two messages is their matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rjieba
from scipy.sparse import csr_matrix, vstack
from sklearn.feature_extraction.text import TfidfTransformer

from minsheng.engine.hot_issues.naming import _is_name_word
from minsheng.engine.hot_issues.parts import _own_parts
from minsheng.engine.hot_issues.thresholds import THEME_WORD_DISCOUNT
from minsheng.engine.places import numbered_names
from minsheng.engine.tokens import batch_counts, tokenize


def _specific(X, piece: np.ndarray, names: np.ndarray, similarity: float):
    """``X`` (rows of unit length, each ``piece``'s words in columns of its own: :func:`_apart`) with each
    word weighed down by how much of its piece writes it: × (1 − (d − 2) / n) ** :data:`THEME_WORD_DISCOUNT`,
    where d of the piece's n rows write the word (the two compared rows do not count); ``names`` (per word of
    the unapart width) keep their weight, and so does every word of a piece whose rows are as alike on average
    as a member and its leader must be (mean cosine of its pairs ≥ ``similarity``): such a piece is one
    problem, and its words are the problem's. Not normalised again, so a product of two rows is the part of
    their cosine that is not what the whole piece (a fine theme of many problems) says.

    Why: a fine theme is one kind of question (exam results, housing-fund loans, 独生子女 rewards), and two
    messages of it that share only the theme's own words (考试, 成绩, 公布) ask about two things (a bank's
    recruitment exam, a title exam): readers found such groups incoherent. A case's name (58车贷, 温斯顿) is
    what its messages share even where the case fills its theme, so names are never discounted."""
    if not X.nnz:
        return X
    width = len(names)
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    written = np.bincount(X.indices, minlength=X.shape[1])[X.indices]
    n = np.bincount(piece, minlength=int(piece.max(initial=0)) + 1)[piece[rows]]
    factor = (1.0 - np.maximum(written - 2, 0) / n) ** THEME_WORD_DISCOUNT
    factor[names[X.indices % width]] = 1.0
    # mean cosine of each piece's pairs: (|sum of its unit rows|² − n) / (n (n − 1))
    sums = np.asarray(csr_matrix((X.data, X.indices, X.indptr), shape=X.shape).sum(axis=0)).ravel()
    sizes = np.bincount(piece, minlength=int(piece.max(initial=0)) + 1)
    square = np.bincount(np.arange(X.shape[1]) // width, weights=sums ** 2, minlength=len(sizes))
    one_problem = (square - sizes) / np.maximum(sizes * (sizes - 1), 1) >= similarity
    factor[one_problem[piece[rows]]] = 1.0
    return csr_matrix(((X.data * factor).astype(X.dtype), X.indices, X.indptr), shape=X.shape)


def _matter_rows(blanked, theme: np.ndarray, names: np.ndarray, similarity: float):
    """``blanked`` (unit rows, the place's words out) of the rows with a fine ``theme`` (the others, −1, are
    never linked by their matter: rows without a place or a theme) with each word weighed down as
    :func:`_specific` weighs it within the theme's rows (its messages that name a place); the others empty.
    None where no word is weighed down (every theme one problem, as the synthetic corpus's planted topics are).

    Why: a place's two messages of one fine theme linked when they shared any word, and a theme's common words
    (物业 in an estate theme, 红绿灯 at a road, 小区) are shared by its unrelated complaints: an estate's
    burglaries and its parking fees, a driving school's fees and a call for new medical fees under 物价局.
    What is left once those words are weighed down is the matter: 泉星 and 建设 for a park's slow building."""
    rows = np.flatnonzero(theme >= 0)
    X, piece = blanked[rows], pd.factorize(theme[rows])[0]
    Y = _specific(_apart(X, piece), piece, names, similarity)
    if np.array_equal(Y.data, X.data):
        return None
    pick = csr_matrix((np.ones(len(rows), dtype=X.dtype), (rows, np.arange(len(rows)))),
                      shape=(blanked.shape[0], len(rows)))
    return (pick @ csr_matrix((Y.data, Y.indices % X.shape[1], Y.indptr), shape=X.shape)).tocsr()


def _name_columns(words: list[str]) -> np.ndarray:
    """Per word: whether it is a name (:func:`_is_name_word`: a proper name, a word the dictionary does not
    know, one with digits)."""
    return np.fromiter((_is_name_word(w, rjieba.tag(w)[0][1]) for w in words), dtype=bool, count=len(words))


def _apart(X, group: np.ndarray, n_groups: int | None = None):
    """``X`` with each ``group``'s words in columns of its own (``n_groups`` × its width, by default as many
    as ``group`` holds), so that a product pairs rows of one group only: many small groups are compared in
    one sparse product, without computing the pairs across them."""
    width = X.shape[1]
    n_groups = int(group.max(initial=0)) + 1 if n_groups is None else n_groups
    return csr_matrix((X.data, X.indices.astype(np.int64) + np.repeat(group, np.diff(X.indptr)) * width,
                       X.indptr), shape=(X.shape[0], n_groups * width))


# The last letter of a district code, which the segmenter glues to the place written after it.
_CODE_ENDS = "市县区"


def _glued_heads(name, index: dict) -> list[int]:
    """The columns of ``index`` that are a district code's last letter glued to the head of the place ``name``:
    rjieba cuts A市雅礼中学 as 市雅礼 | 中学 and A市楚雅二医院 as 市楚 | 雅二 | 医院, so the place's own words
    (:func:`~minsheng.engine.tokens.tokenize` of the name: 雅礼, 中学) missed the piece every letter of the place
    writes, and one school's class fund and its classroom heat were alike by it alone (blanked cosine 0.126 ≥
    ``similarity``; messages_hot's read pairs, docs/engine/hot-issues.md, h-hot29). The name's first one or two
    letters only: its letters two or three at a time (雅二) blanked too lost a gold letter of messages_hot."""
    if not isinstance(name, str):
        return []
    return [index[w] for w in (c + name[:k] for c in _CODE_ENDS for k in (1, 2)) if w in index]


# A district code (A市, A1区, B3县) and up to six letters after it, ending where a place name begins.
_CODE_BEFORE = re.compile(r"[A-Z]\d*[市县区]([\u4e00-\u9fff]{0,6})$")


def _written_before(docs: pa.Array, place_names: np.ndarray) -> list[str]:
    """Per doc, what it writes just before its place name the first time: the district code, and a place of the
    corpus between them (A市梅溪湖嘉顺苑: 梅溪湖 is a place's name too, 嘉顺苑's area); else nothing.

    Why: the segmenter cuts the text as written, across the name's bounds (A市梅溪湖 as 市梅 | 溪湖, A市楚雅二医院
    as 市楚 | 雅二 | 医院), and the words of the name cut alone (楚雅, 医院) missed those pieces, which every letter
    of the place writes: 嘉顺苑's water cuts and its build quality, 楚雅二医院's housing rights and a fake appraisal
    were alike by them alone (messages_hot's read pairs, docs/engine/hot-issues.md, h-hot33). Only a place of the
    corpus between the code and the name counts, so that other words written there (A市无良万润滨江天著) are kept."""
    named = pd.notna(place_names)
    known = set(place_names[named])
    out, texts = [""] * len(place_names), docs.to_pylist()
    for i in np.flatnonzero(named):
        name, doc = place_names[i], texts[i]
        at = doc.find(name) if doc else -1
        m = _CODE_BEFORE.search(doc, max(at - 12, 0), at) if at > 0 else None
        if m is not None and (not m.group(1) or m.group(1) in known):
            out[i] = m.group(0)
    return out


def _vectorise(docs: pa.Array, place_names: np.ndarray, map_parts: Callable = map):
    """TF-IDF rows (unit length) of ``docs``; the same with the words of each doc's place name left out (so
    that "parking" and "noise" at one estate are not alike because both name the estate); the words."""
    counts, words = _clause_counts(docs, map_parts)
    if not words:
        return None, None, []
    # each doc's place name and what it writes before it (one row per distinct pair) → the words it is written with
    named = pd.notna(place_names)
    before = _written_before(docs, place_names)
    name_of, pairs = pd.factorize(pd.Series([(b, n) if ok else None for b, n, ok in zip(before, place_names, named,
                                                                                          strict=True)], dtype=object))
    names = [n for _, n in pairs]
    index = {w: i for i, w in enumerate(words)}
    cols = [[index[w] for w in dict.fromkeys(tokenize(b + n) + tokenize(n)) if w in index] + _glued_heads(n, index)
            for b, n in pairs]
    for row, name in zip(*numbered_names(list(names)), strict=True):  # 地铁3号线's 3号线 too
        if name in index:
            cols[row].append(index[name])
    name_words = csr_matrix((np.ones(sum(map(len, cols)), dtype=np.float32),
                             (np.repeat(np.arange(len(cols)), list(map(len, cols))).astype(np.int64),
                              np.fromiter((c for cs in cols for c in cs), dtype=np.int64))),
                            shape=(len(names), len(words)))
    named = np.flatnonzero(name_of >= 0)
    doc_name = csr_matrix((np.ones(len(named), dtype=np.float32), (named, name_of[named])),
                          shape=(counts.shape[0], len(names)))
    place_words = (doc_name @ name_words) > 0
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    rest = (counts - counts.multiply(place_words)).tocsr()
    rest.eliminate_zeros()
    # Each matrix transformed in place and kept as float32 without a copy: the counts and ``rest`` are read by
    # nothing after, and ``astype`` of a float32 matrix copied it whole. Four copies of 18 million entries were
    # ≈ 0.5–0.8 of the parent's CPU-s at 1,018,000 synthetic records; the values are the same.
    full = tfidf.transform(counts, copy=False).astype(np.float32, copy=False).tocsr()
    blanked = tfidf.transform(rest, copy=False).astype(np.float32, copy=False).tocsr()
    return full, blanked, words


# Where rjieba ends a block of text (blanks and punctuation outside its word class, which keeps ``+#&._%-``
# inside blocks): it segments each block on its own, so a text's words are the words of its clauses.
_CLAUSE_BREAK = "[\\s,!?;:，。！？、；：“”‘’（）《》【】…—·～()\\[\\]{}<>/|\"'@$^*=~`]+"


def _clause_counts(docs: pa.Array, map_parts: Callable = map, part_clauses: int = 40_000,
                   part_docs: int = 50_000) -> tuple[csr_matrix, list[str]]:
    """Term counts of ``docs`` (as :func:`~minsheng.engine.tokens.batch_counts`), segmenting each distinct
    clause once: clauses recur across messages (a form letter's sentences, "希望能得到回复", a re-post), and
    segmenting is most of this stage's cost. The counts are the same as segmenting every doc whole, plus a
    column for each name written with a number (:func:`_with_numbered_names`).

    The distinct clauses are segmented through ``map_parts`` in tasks of ``part_clauses`` (the pipeline's
    workers, in parallel; it was the largest cost left in the parent), and their columns merged in order."""
    # the docs split into clauses through ``map_parts`` too (a regular expression over every doc, in the parent
    # it was the largest cost after segmenting), each part's clauses handed back distinct (:func:`_split_clauses`)
    split = map_parts(_split_clauses, _own_parts(docs, part_docs))
    distinct, codes, owners = [], [], [np.empty(0, dtype=np.int64)]
    for start, (clauses_of_part, code, owner_of_clauses) in zip(range(0, len(docs), part_docs), split, strict=True):
        distinct.append(clauses_of_part.cast(pa.large_string()))
        codes.append(code)
        owners.append(owner_of_clauses + start)
    owner = np.concatenate(owners)
    clauses, clause_of = _merged_clauses(distinct, codes)
    parts = _own_parts(clauses, part_clauses)
    # The names written with a number are found here, in a thread, while the workers segment the clauses: the
    # parent only waits for them then (numbered_names reads the word after a number across clauses, so it is
    # not cut into the workers' tasks).
    with ThreadPoolExecutor(1, thread_name_prefix="minsheng-hot-numbered") as pool:
        numbered = pool.submit(numbered_names, clauses)
        counts, words = _merge_counts(map_parts(_count_clauses, parts))
        counts, words = _with_numbered_names(numbered.result(), counts, words)
    if not words:
        return counts, words
    member = csr_matrix((np.ones(len(owner), dtype=np.float32), (owner, clause_of)),
                        shape=(len(docs), counts.shape[0]))
    return (member @ counts).tocsr(), words


def _split_clauses(docs: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The distinct clauses of ``docs`` in order of first appearance, the code of each clause among them, and
    the doc each clause is of (runs in a worker).

    Why distinct here: a part's clauses are about half distinct, and hashing every clause of every doc into one
    dictionary was the largest serial step of the stage's vectors (1.55 of the parent's CPU-s at 1,018,000
    synthetic records, 7.2 million clauses); the parent merges the parts' smaller dictionaries
    (:func:`_merged_clauses`)."""
    runs = pc.split_pattern_regex(docs, _CLAUSE_BREAK)
    coded = pc.dictionary_encode(pc.list_flatten(runs))
    return (coded.dictionary, coded.indices.to_numpy(zero_copy_only=False),
            pc.list_parent_indices(runs).to_numpy().astype(np.int64))


def _merged_clauses(distinct: list[pa.Array], codes: list[np.ndarray]) -> tuple[pa.Array, np.ndarray]:
    """The distinct clauses of consecutive parts (each part's ``distinct`` clauses and the ``codes`` of its
    clauses among them, :func:`_split_clauses`) as one: the clauses numbered by first appearance across the
    parts, and the number of every clause, in order. The same as dictionary-encoding all clauses at once: a
    clause first written in part k is in part k's dictionary, after the part's clauses written before it and
    after every clause of the parts before k."""
    coded = pc.dictionary_encode(pa.concat_arrays([pa.array([], pa.large_string()), *distinct]))
    number = coded.indices.to_numpy(zero_copy_only=False)
    bounds = np.cumsum([0, *map(len, distinct)])
    parts = [number[a:b][code] for a, b, code in zip(bounds[:-1], bounds[1:], codes, strict=True)]
    return coded.dictionary, np.concatenate(parts) if parts else number[:0]


def _count_clauses(clauses: pa.Array) -> tuple[csr_matrix, list[str]]:
    """:func:`~minsheng.engine.tokens.batch_counts` of one task's clauses (runs in a worker)."""
    return batch_counts(clauses.to_pylist())


def _merge_counts(parts: Iterable[tuple[csr_matrix, list[str]]]) -> tuple[csr_matrix, list[str]]:
    """The counts of consecutive batches as one: columns numbered by first appearance across them, as
    :func:`~minsheng.engine.tokens.batch_counts` of all the texts at once numbers them."""
    column_of: dict[str, int] = {}
    blocks = []
    for X, words in parts:
        column = np.fromiter((column_of.setdefault(w, len(column_of)) for w in words), np.int64, len(words))
        blocks.append((X.data, column[X.indices], X.indptr, X.shape[0]))
    merged = vstack([csr_matrix((d, i, p), shape=(n, len(column_of))) for d, i, p, n in blocks] or
                    [csr_matrix((0, 0), dtype=np.float32)], format="csr", dtype=np.float32)
    merged.sort_indices()  # as batch_counts leaves them: a new numbering changes their order within a row
    return merged, list(column_of)


def _with_numbered_names(found: tuple[np.ndarray, list[str]], counts: csr_matrix,
                         words: list[str]) -> tuple[csr_matrix, list[str]]:
    """``counts`` and ``words`` of some clauses with a column for each name written with a number that
    :func:`~minsheng.engine.places.numbered_names` ``found`` in them, beside the words it is written with."""
    rows, names = found
    if not names:
        return counts, words
    column = {w: i for i, w in enumerate(words)}
    words = words + [n for n in dict.fromkeys(names) if n not in column]
    column.update((w, i) for i, w in enumerate(words))
    extra = csr_matrix((np.ones(len(names), dtype=np.float32), (rows, [column[n] for n in names])),
                       shape=(counts.shape[0], len(words)))
    widened = csr_matrix((counts.data, counts.indices, counts.indptr), shape=extra.shape)
    return (widened + extra).tocsr(), words
