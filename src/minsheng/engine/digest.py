"""The suggestion digest (建议摘编): the asks and problems of all messages, clustered into distinct suggestions.

What is clustered: claims (:mod:`minsheng.engine.claims`), not messages — every message's title, plus up to
``max_claims - 1`` asks, questions or problems of its body. A message with three asks can so add a person to
three suggestions. A claim is read in its message's context: its vector is its own words, plus its title's words
at ``title_weight`` (a body sentence "请尽快处理" means nothing without its title), the words of the message's
start at ``context_weight`` (2: what the whole message is about outweighs one sentence's wording, which
separates two asks for the same action about different things) and the message's place key
(:mod:`minsheng.engine.places`: ``魅力之城`` for every spelling of that estate) at ``place_weight``, so that two
complaints about the same estate's fumes meet while fumes at two estates do not. Place-free policy advice has
no place token and is grouped by its words alone.

What is asked, not where: the words of a claim's place name that the names of ``GENERIC_PLACES`` or more places
of the sample share (职业, 技术, 学院; 小区; 中学) are left out of its own and its title's words — they say what
kind of institution the claim is about, and one college's relocation, delivery fees and scholarships met on
them. A name written with a number (3号线, 205路, 58车贷) is one word and its kind (号线) is not counted alone:
without the number, any two metro lines were alike.

How (linear in N; nothing pairwise over the corpus):

1. **vocabulary and IDF** from a seeded sample of claims (``sample_size``), words by rjieba as everywhere
   (:mod:`minsheng.engine.tokens`), words in more than ``max_df`` of the sampled claims dropped (they say
   nothing about *which* suggestion);
2. **leader clustering of the sample** (DP-means): claims are taken in chunks; a claim joins the nearest
   suggestion centroid when the cosine is at least ``threshold``, otherwise it starts a new suggestion, which
   later claims of its chunk may join. A second pass assigns every sampled claim to its nearest final
   centroid, so the order of the first pass matters little. Why not k-means: nobody knows the number of
   suggestions, and a suggestion is defined by "these people ask the same thing", a similarity threshold;
   why not agglomerative clustering: quadratic;
3. **splitting by object** (:meth:`DigestModel._split`): a suggestion formed on a shared action phrase
   ("建议加大…投入" about nine different things) holds sub-groups that share a second thing, the object of the
   ask. Within each suggestion the members' words beyond its central ones are clustered (DP-means at
   ``split``); when two or more sub-groups each hold ``split_share`` of the members (and ``split_min``
   sampled claims), each is a candidate piece. Members that vary their wording form such sub-groups too (bare
   titles, long letters naming places): pieces neither of which writes an object the other lacks, in the
   members' own words and titles (a word ``split_object`` of one writes and under ``object_rare`` of the
   other: :meth:`DigestModel._objects_apart`), are one again, and two or more pieces left become suggestions.
   Each piece is split once more by its own centre (``split_depth``), parting there only where each side writes
   an object the other lacks: a few asking one action about another thing, under ``split_share`` of the whole,
   stay in that action's piece otherwise. A second pass without the object test (before it existed) shattered
   pure suggestions on their incidental words, and with it one-sided, a piece's bare titles from its letters;
4. **joining by place** (:meth:`DigestModel._join`): two suggestions that most members of both write one
   place or named case about (伊景园滨河苑 and 工定向商品房伊景园滨河苑 are one, :func:`~minsheng.engine.places.merge_place_keys`)
   are one suggestion when their centroids, without the place's words and tokens, agree at ``join``: one ask
   at one estate worded two ways ("车位属于业主所有，不应该被捆绑销售" / "强制职工购房时捆绑购买车位") was
   two suggestions. Suggestions are compared only within one place, never across places (linear), and
   joined by complete linkage (every pair of a joined group agrees), so a vague suggestion does not chain
   two asks; a group of people (困难老人, ``place_kind`` group) is no place;
5. **joining one ask across places** (:meth:`DigestModel._join_asks`): night construction noise at a dozen
   sites, or paid extra classes at four schools, were as many suggestions, each the ask at one or a few places.
   Two suggestions anywhere are one when their centroids without place tokens agree at ``join_asks``, the
   split did not separate them (their claims came mostly from different suggestions of the first pass: the
   synthetic planted asks that share an action phrase stay apart), their members' titles agree on average
   (``join_members``: two bags of "请加快…建设力度" about different things do not) and neither side writes an
   object the other lacks (a word in ``object_share`` of one side's titles and under ``object_rare`` of the
   other's); complete linkage;
6. **assignment**: every claim goes to its nearest centroid (top ``max_terms`` words each, one sparse product
   per partition, in worker processes) when the cosine is at least ``threshold``; other claims belong to no
   suggestion (they are candidates for :mod:`minsheng.engine.novel` instead);
7. **splitting a mixed suggestion** (:func:`split_mixed`): a listed suggestion flagged mixed (its members ask
   different things under one headline, 医保 or 业委会 questions) is split into the asks it holds where two or
   more groups of its members ask alike, each of two or more writers and with an object of its own; members
   asking what no other does stay in it, as the rest of the set; the most writers of one group among them is
   what the rest counts as (``shared``);
8. the table (:mod:`minsheng.engine.digest_table`) keeps suggestions raised by at least ``min_people``
   distinct users, ranked by the people who ask one same thing — people (a form letter counting once), but for a
   suggestion left mixed the most of them in one group of step 7 — then people and support, at most ``n_suggestions``
   (1,000 by default: what the 2020 planners made of 1,018,000 messages); a suggestion headed by an action other
   headlines name about different things (action-only) is split by step 7 by what its members ask it about
   (:func:`.digest_table.suggestion_table`).

``threshold`` 0.25 (with the weights above) was chosen on the hand-built DEV gold set (``tests/data/digest_gold.csv``); the benchmark
prints its B-cubed precision and recall. ``context_weight`` 2 and the split (0.25, 3%, 10 claims) were chosen
on synthetic corpora (``minsheng evaluate-digest --synth 100000``, generator v4: 977 suggestions found for 847
planted, AMI 0.88, where a global threshold found ≈150, AMI 0.79) and kept only because the gold set did not lose by them (B-cubed P 0.935 → 0.954,
R 0.762 → 0.761). A higher global ``threshold`` also splits the synthetic actions, but halves gold recall:
real people asking the same thing share far fewer words than synthetic ones, hence the relative split.
``join`` 0.45 is on another scale than ``threshold``: it compares two centroids (sums of many members), not a
claim with a centroid. With the place's words in, different asks at one place reached 0.3–0.5 (they share the
estate's name in every message's context) and the synthetic corpus, whose extractor takes topic nouns for
places (养老服务中心), joined different planted asks; hence the comparison without them. Read by hand on DEV
(messages_hot.csv and the gold files), the pairs at 0.45 or above were one place's one case (bundled parking at
伊景园滨河苑 0.73, one company's false advertising 0.46, one estate's 14栋 0.45), those just below two asks at one
place (a food court's leasing fraud and its fire licence 0.42; dog licences and guards at one estate 0.30).
Gold B-cubed R 0.761 → 0.806 (P 0.954 unchanged): the parking suggestion; no gold suggestion was joined wrongly.
``join_asks`` 0.4, ``join_members`` 0.12 and the object check (0.7 / 0.2) were read on DEV messages_hot.csv (24
pieces of five asks split across the top 400 → 18: night construction noise, extra classes, housing quality,
water cuts) and counted on the synthetic corpus, 100,000 suggestions: 64 joins of one planted ask, 14 of two
(an object check that only kept apart two sides that each had an object let 101 wrong joins through: a clean
object then joined an action-only bag). Gold B-cubed unchanged (0.954 / 0.810), synthetic AMI 0.880 → 0.888,
planted headline found 63.9 % → 63.9 %; 0.8 CPU-s on the 60,000-claim sample.

>>> model = DigestModel().fit(claims)                                   # doctest: +SKIP
>>> cluster, score = model.assign(claims)                               # doctest: +SKIP
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable
from functools import cache, lru_cache, partial
from itertools import chain, repeat
from pathlib import Path

import numpy as np
import pandas as pd
import rjieba
from scipy.sparse import csr_matrix, vstack
from sklearn.base import BaseEstimator
from threadpoolctl import threadpool_limits

from minsheng.engine.claims import CLAIM_KINDS, PROBLEM, claim_arrays
from minsheng.engine.counts import summed_counts
from minsheng.engine.dedup import DistinctParts, text_codes, texts_at
from minsheng.engine.errors import InputError, require_columns
from minsheng.engine.places import arabic, numbered_names
from minsheng.engine.result import load_model
from minsheng.engine.titles import texts_as_read, title_ends
from minsheng.engine.tokens import (
    batch_counts,
    count_matrix,
    ranges,
    segment_prefixes,
    shared_segmentation,
    tokenize,
)
from minsheng.engine.unit_rows import unit_rows

__all__ = ["CLAIM_COLUMNS", "MIXED_SHARE", "DigestModel", "ask_spread", "assign_claims", "digest_claims",
           "member_claims", "member_word_share", "run_digest", "with_context"]

log = logging.getLogger(__name__)

# The rank of each kind of CLAIM_KINDS as a record's claim: ask, question, problem; praise and context none (-1).
_KIND_ORDER = np.array([0, 1, 2, -1, -1])
GENERIC_PLACES = 3  # a word in the names of this many distinct places names a kind of place, not which one
_CN_NUMERAL_IN = re.compile("[一二三四五六七八九十]")  # a token that may number a name in Chinese numerals
CONTEXT_CHARS = 300  # the start of a message: its title and first sentences say what it is about
_PLACE_CANDIDATE = 0.25  # a place key this share of a suggestion's members carry may be its place
_PLACE = "@"  # prefix of place tokens in the vocabulary: never the start of a rjieba content word
_SAMPLE_SPAN = 1_000  # sampled rows taken at once: a few of the record column's Arrow chunks


def digest_claims(records: pd.DataFrame, *, max_claims: int = 2) -> pd.DataFrame:
    """The claims a digest clusters, for one partition: each record's title (whatever its kind, it is the
    writer's own summary) and its first asks, then questions, then problems, at most ``max_claims`` per record.

    Columns: ``record`` (the record's index label), ``pos``, ``kind``, ``is_title``, ``text``, ``title`` (the
    record's title, or its first claim when it has none), ``context`` (its text) and ``place_key`` (from the
    record when the theme stage put it there). A message is read only up to the asks it needs (the first
    ``max_claims`` asks, or its first twelve sentences): classifying every sentence was most of this cost.
    Titles are read as the run decided (:func:`~minsheng.engine.titles.title_ends`).
    """
    return _in_context(records, first_claims(records, max_claims=max_claims))


def first_claims(records: pd.DataFrame, *, max_claims: int = 2) -> pd.DataFrame:
    """The claims of :func:`digest_claims` without their records' context: ``row`` (the record's position in
    ``records``), ``pos``, ``kind``, ``is_title``, ``text`` and ``title``. What a worker can find before the
    model is fitted (:func:`run_digest`); :func:`_in_context` adds the rest."""
    require_columns(records, "text")
    owner, pos, kind, is_title, text = claim_arrays(texts_as_read(records), max_sentences=12,
                                                    read=partial(_kinds_read, max_claims=max_claims))
    # Each record's title and its first asks, then questions, then problems, then back in the text's order.
    order = np.where(is_title, -1, _KIND_ORDER[kind])
    at = np.flatnonzero(is_title | (order >= 0))
    at = at[np.lexsort((pos[at], order[at], owner[at]))]
    at = np.sort(at[np.arange(len(at)) - np.searchsorted(owner[at], owner[at]) < max_claims])
    if not len(at):
        return pd.DataFrame(columns=["row", "pos", "kind", "is_title", "text", "title"])
    text = np.asarray(text, dtype=object)
    first = np.searchsorted(owner, owner[at])  # a record's first claim, whatever its kind: its title
    return pd.DataFrame({"row": owner[at], "pos": pos[at], "kind": np.asarray(CLAIM_KINDS, dtype=object)[kind[at]].tolist(),
                         "is_title": is_title[at], "text": text[at].tolist(),
                         "title": pd.Series(text[first], dtype=object)})


def _kinds_read(owner: np.ndarray, is_title: np.ndarray, kinds: np.ndarray, kind: str, *, max_claims: int) -> np.ndarray:
    """Whether :func:`first_claims` reads each claim's kind should the next cue give it ``kind`` (``kinds``: those
    found so far): a title's always; a body claim's while its message has fewer claims of the kinds kept before
    ``kind`` than it keeps (``max_claims``, less its title). A message with enough asks keeps none of its
    questions or problems, and no body claim is kept for praise: searching its sentences for those cues found
    kinds nobody read."""
    rank = _KIND_ORDER[CLAIM_KINDS.index(kind)]
    if rank < 0:
        return is_title.copy()
    size = int(owner[-1]) + 1 if len(owner) else 0
    order = _KIND_ORDER[kinds]
    before = ~is_title & (order >= 0) & (order < rank)
    room = max_claims - np.bincount(owner[is_title], minlength=size) - np.bincount(owner[before], minlength=size)
    return is_title | (room[owner] > 0)


def _in_context(records: pd.DataFrame, split: pd.DataFrame) -> pd.DataFrame:
    """The claims of :func:`digest_claims` from those of :func:`first_claims` of the same ``records``."""
    if split.empty:
        return pd.DataFrame(columns=["record", "pos", "kind", "is_title", "text", "title", "context", "place_key"])
    own = split["row"].to_numpy()
    # Titles and contexts are the records' own strings, repeated by reference: as object columns, not copied
    # into a string column once per claim (that conversion was half the cost of this function).
    claims = pd.DataFrame({
        "record": records.index.to_numpy()[own], "pos": split["pos"].to_numpy(), "kind": split["kind"].array,
        "is_title": split["is_title"].to_numpy(), "text": split["text"].array,
        "title": pd.Series(split["title"].to_numpy(), dtype=object),
        "context": pd.Series(np.asarray(records["text"].tolist(), dtype=object)[own], dtype=object)})
    # Place keys too (an Arrow string column inferred from them was read back into Python strings by embed).
    if "place_key" in records.columns:
        claims["place_key"] = pd.Series(records["place_key"].to_numpy()[own], dtype=object)
    else:
        claims["place_key"] = None
    if "place_kind" in records.columns:
        claims["place_kind"] = pd.Series(records["place_kind"].to_numpy()[own], dtype=object)
    return claims


class DigestModel(BaseEstimator):
    """Suggestion centroids learned from (a sample of) claims; see the module docstring.

    Learned: ``vocabulary_`` (word → column; place tokens start with ``@``), ``idf_``, ``centroids_`` (sparse
    unit rows, ``max_terms`` words each), ``n_clusters_`` and ``sample_size_``.
    """

    def __init__(self, threshold: float = 0.25, title_weight: float = 0.5, context_weight: float = 2.0,
                 place_weight: float = 0.5, split: float = 0.25, split_share: float = 0.03, split_min: int = 10,
                 split_object: float = 0.6, split_depth: int = 2,
                 sample_size: int = 60_000, max_df: float = 0.2, max_features: int = 100_000,
                 max_terms: int = 40, chunk_size: int = 2_000, join: float = 0.45, join_asks: float = 0.4,
                 join_members: float = 0.12, object_share: float = 0.7, object_rare: float = 0.2, object_min: int = 2,
                 random_state: int = 0):
        self.threshold = threshold
        self.join = join
        self.join_asks = join_asks
        self.join_members = join_members
        self.object_share = object_share
        self.object_rare = object_rare
        self.object_min = object_min
        self.split = split
        self.split_share = split_share
        self.split_min = split_min
        self.split_object = split_object
        self.split_depth = split_depth
        self.title_weight = title_weight
        self.context_weight = context_weight
        self.place_weight = place_weight
        self.sample_size = sample_size
        self.max_df = max_df
        self.max_features = max_features
        self.max_terms = max_terms
        self.chunk_size = chunk_size
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------------------
    def fit(self, claims: pd.DataFrame, y=None) -> DigestModel:
        """Learn suggestion centroids from ``claims`` (columns ``text``, ``title``, ``is_title``, ``place_key``).

        When ``claims`` has ``is_representative`` (from the duplicate stage), only claims of representatives
        are sampled: a form letter sent 10,000 times must not fill the sample.
        """
        require_columns(claims, "text", "title", "is_title", "place_key")
        if "is_representative" in claims.columns:
            claims = claims[claims["is_representative"].fillna(True).astype(bool)]
        if claims.empty:
            raise InputError("no claims to build suggestions from", field="text")
        rng = np.random.default_rng(self.random_state)
        if len(claims) > self.sample_size:
            claims = claims.iloc[np.sort(rng.choice(len(claims), self.sample_size, replace=False))]
        self.sample_size_ = len(claims)
        with threadpool_limits(limits=1):
            self._learn_vocabulary(claims)
            Z = self.embed(claims)
            labels = self._leader(Z)
            if (labels < 0).all():  # e.g. one long message whose claims have no words in the vocabulary
                raise InputError("no claims with words to build suggestions from", field="text")
            labels = self._reassign(Z, labels)
            origin = labels
            if self.split:
                labels = self._reassign(Z, self._split(Z, labels, claims))
            if self.join:
                labels = self._join(claims, Z, labels)
            if self.join_asks:
                labels = self._join_asks(claims, Z, labels, origin)
        self.centroids_ = self._centroids(Z, labels)
        self.n_clusters_ = self.centroids_.shape[0]
        log.info("digest: %d suggestion centroids from %d sampled claims", self.n_clusters_, len(claims))
        return self

    def _learn_vocabulary(self, claims: pd.DataFrame) -> None:
        counts, words = batch_counts(claims["text"].fillna("").tolist())
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        n = len(claims)
        ok = np.flatnonzero((df >= (2 if n >= 50 else 1)) & (df <= max(1.0, self.max_df * n)))
        ok = ok[np.argsort(-df[ok], kind="stable")][: self.max_features]
        vocab = [words[i] for i in ok]
        doc_freq = list(df[ok])
        known = set(vocab)
        for name, k in _numbered_df(claims["text"].fillna("").tolist()).items():
            if (2 if n >= 50 else 1) <= k <= max(1.0, self.max_df * n) and name not in known:
                vocab.append(name)
                doc_freq.append(k)
        places = claims.drop_duplicates("record")["place_key"].dropna().astype(str) if "record" in claims \
            else claims["place_key"].dropna().astype(str)
        place_df = places.value_counts()
        place_df = place_df[place_df >= 2] if n >= 50 else place_df
        kinds = pd.Series([w for p in places.unique() for w in set(tokenize(p))], dtype=object).value_counts()
        self.generic_place_words_ = frozenset(kinds.index[kinds >= GENERIC_PLACES])
        vocab += [_PLACE + p for p in place_df.index]
        doc_freq += list(place_df.to_numpy())
        if not vocab:
            raise InputError("no words to build suggestions from (every word is a stop word, or too rare)",
                             field="text")
        self.vocabulary_ = {w: i for i, w in enumerate(vocab)}
        self.idf_ = (np.log((1 + n) / (1 + np.asarray(doc_freq, dtype=float))) + 1).astype(np.float32)

    def _tfidf(self, texts: list[str]) -> csr_matrix:
        X = count_matrix(texts, self.vocabulary_)
        X.data = 1 + np.log(X.data)  # sublinear tf
        return unit_rows(X.multiply(self.idf_).tocsr())

    # -- vectors ---------------------------------------------------------------------------------------
    def words_by_index(self) -> dict[int, str]:
        """The vocabulary's words by column: the inverse of ``vocabulary_``, to name what a column counts."""
        return {i: w for w, i in self.vocabulary_.items()}

    def own_vectors(self, texts: list[str]) -> csr_matrix:
        """Unit TF-IDF vectors of sentences alone (no title, context or place): what a sentence itself says."""
        return self._tfidf(texts)

    def embed(self, claims: pd.DataFrame) -> csr_matrix:
        """Unit claim vectors: own words, + ``title_weight`` × the title's words (body claims only),
        + ``context_weight`` × the words of the message's first ``CONTEXT_CHARS`` characters, + ``place_weight``
        × the place token.

        Each message is segmented once: its claims and title are pieces of its text cut at punctuation, where
        rjieba also cuts, so their words are the message's words within their spans (a claim not found in its
        message's text is segmented alone). Segmenting claims, titles and contexts separately read most
        messages three times and was the stage's largest cost. A word straddling the context's end is left out.
        """
        n = len(claims)
        owner = pd.factorize(claims["record"])[0] if "record" in claims.columns else np.arange(n)
        heads = np.unique(owner, return_index=True)[1]  # first claim of each record (owners number by appearance)
        texts = _strings(claims["text"])
        titles = _strings(claims["title"].iloc[heads])
        use_context = bool(self.context_weight) and "context" in claims.columns
        docs = _strings(claims["context"].iloc[heads]) if use_context else titles
        extra: list[str] = []
        spans = [_locate(texts, owner, docs, extra), _locate(titles, np.arange(len(docs)), docs, extra)]
        if use_context:
            ends = np.minimum(np.fromiter(map(len, docs), np.int64, count=len(docs)), CONTEXT_CHARS)
            spans.append((np.arange(len(docs)), np.zeros(len(docs), np.int64), ends))
        doc, start, end = (np.concatenate(parts) for parts in zip(*spans, strict=True))
        A = self._span_tfidf(docs + extra, doc, start, end)
        # Each distinct place once: its generic words and its token are looked up per place, not per claim.
        place, places = pd.factorize(claims["place_key"].to_numpy(dtype=object))
        G = self._generic_place_words(place, places.tolist())
        X = A[:n]
        X = X - X.multiply(G)
        if self.title_weight:
            not_title = ~claims["is_title"].fillna(False).astype(bool).to_numpy()
            T = A[n: n + len(docs)][owner]
            T = T - T.multiply(G)
            X = X + T.multiply(self.title_weight * not_title[:, None]).tocsr()
        if use_context:
            K = A[n + len(docs):][owner]
            X = X + K.multiply(self.context_weight).tocsr()
        if self.place_weight:
            token = np.fromiter((self.vocabulary_.get(_PLACE + p, -1) if isinstance(p, str) else -1
                                 for p in places.tolist()), dtype=np.int64, count=len(places))
            col = np.where(place >= 0, token[place] if len(token) else -1, -1)
            has = col >= 0
            P = csr_matrix((np.full(int(has.sum()), self.place_weight, np.float32),
                            (np.flatnonzero(has), col[has])), shape=X.shape)
            # A place token only where the claim says something else too: a place alone is not a suggestion.
            P = P.multiply((X.getnnz(axis=1) > 0)[:, None]).tocsr()
            X = X + P
        return unit_rows(X.astype(np.float32).tocsr())

    def _generic_place_words(self, codes: np.ndarray, names: list) -> csr_matrix:
        """Indicator, per claim, of the words of its place's name that many places share (职业, 技术, 学院 of
        航空职业技术学院; see ``generic_place_words_``). They say what kind of institution a claim is about, not
        what it asks: without them, a college's relocation, its delivery fees and its scholarships no longer
        meet on 职业技术学院, while the place token still joins claims about the same college. ``codes``: each
        claim's place as an index into the distinct ``names`` (-1: none)."""
        generic = getattr(self, "generic_place_words_", frozenset())
        cols = [[self.vocabulary_[w] for w in _name_words(k) if w in generic and w in self.vocabulary_]
                for k in names]
        size = np.fromiter(map(len, cols), np.int64, count=len(cols))
        per = np.where(codes >= 0, size[codes] if len(size) else 0, 0)  # each claim's count, by array indexing
        named = codes[codes >= 0]
        col = np.fromiter(chain.from_iterable(cols), np.int64, count=int(size.sum()))[
            ranges((np.cumsum(size) - size)[named], size[named])]
        return csr_matrix((np.ones(len(col), np.float32), (np.repeat(np.arange(len(codes)), per), col)),
                          shape=(len(codes), len(self.vocabulary_)))

    def _span_tfidf(self, docs: list[str], doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> csr_matrix:
        """Unit TF-IDF rows of the character spans ``[start, end)`` of ``docs[doc]``, each document segmented
        once (only up to its last span's end) by one rjieba call on the joined documents."""
        limit = np.zeros(len(docs), np.int64)
        np.maximum.at(limit, doc, end)
        # Tokens cover the joined documents character for character (one separator between two documents).
        _, codes, uniques = segment_prefixes(docs, limit.tolist())
        length = np.fromiter(map(len, uniques), np.int64, count=len(uniques))[codes]
        tok_end = np.cumsum(length)
        tok_start = tok_end - length
        base = np.concatenate([[0], np.cumsum(limit + 1)[:-1]])  # where each document starts in ``joined``
        lo = np.searchsorted(tok_start, base[doc] + start, side="left")
        hi = np.maximum(np.searchsorted(tok_end, base[doc] + np.minimum(end, limit[doc]), side="right"), lo)
        # A token holding a numbered name in Chinese numerals (二中, 二十三路) is read as its name (2中, 23路)
        column = np.fromiter((self.vocabulary_.get(arabic(u) if _CN_NUMERAL_IN.search(u) else u, -1)
                              for u in uniques), np.int64, count=len(uniques))
        col = column[codes]  # of each token of the stream
        # A number and the word right after it inside the span (3号线, 205路; 三号|线 read as 3号线) is one word:
        # the words alone drop the number, so line 3's exits and line 7's viaduct met on 地铁 and 号线.
        digit = np.fromiter(((u.isdigit() and u.isascii()) or bool(_CN_NUMERAL_IN.match(u)) for u in uniques), bool,
                            count=len(uniques))
        named = np.full(len(codes), -1, np.int64)  # the name's column of a number token and the next one
        at = np.flatnonzero(digit[codes[:-1]])
        if len(at):
            pair, distinct = pd.factorize(codes[at] * len(uniques) + codes[at + 1])
            glued = map(_numbered, (uniques[d // len(uniques)] + uniques[d % len(uniques)] for d in distinct.tolist()))
            named[at] = np.fromiter(map(self.vocabulary_.get, glued, repeat(-1)), np.int64, count=len(distinct))[pair]
        # 号线 of 3号线 is read as the name only (it made any two lines alike), where the number is in the span too:
        # a span's first token keeps its own column.
        after = col.copy()
        after[1:][named[:-1] >= 0] = -1
        # Each span's words, found among the stream's counted tokens only (most tokens are stop words, marks or
        # words outside the vocabulary): its first token, the rest of its tokens, and each name that starts in
        # it and ends in it. The same counts as expanding every token of every span, for less than half the work.
        # Token t's two words, after[t] and named[t], are slots 2t and 2t + 1 of one stream, so a span's words
        # are one run of slots, 2 lo + 1 (the name starting at its first token) to 2 hi - 2 (its last token's
        # word), and the pairs come out row after row: no merge of three runs before they are summed. Its first
        # token's own word is slot 2 lo, unless the token before ended a name (then after[lo] is -1): those few
        # are inserted at their row's start.
        both = np.stack([after, named], axis=1).ravel()
        counted = np.flatnonzero(both >= 0)
        prev_named = np.concatenate([[-1], named])[lo]  # the name of the token before a span (-1: none)
        head = (hi > lo) & (prev_named < 0)
        begin = np.searchsorted(counted, 2 * lo + 1 - head)
        n = np.maximum(np.searchsorted(counted, 2 * hi - 1) - begin, 0)
        row, col_of = np.repeat(np.arange(len(doc)), n), both[counted[ranges(begin, n)]]
        alone = np.flatnonzero((hi > lo) & (prev_named >= 0))
        alone = alone[col[lo[alone]] >= 0]
        if len(alone):
            at = (np.cumsum(n) - n)[alone]
            row, col_of = np.insert(row, at, alone), np.insert(col_of, at, col[lo[alone]])
        X = summed_counts(row, col_of, len(doc), len(self.vocabulary_))  # canonical, as sum_duplicates
        X.data = 1 + np.log(X.data)  # sublinear tf
        return unit_rows(X.multiply(self.idf_).tocsr())

    # -- clustering the sample ---------------------------------------------------------------------------
    def _split(self, Z: csr_matrix, labels: np.ndarray, claims: pd.DataFrame) -> np.ndarray:
        """Second stage: split a suggestion whose members share one thing (the action asked for) but differ in
        another that several of them share (the object of the ask). Within each suggestion, the members' words
        beyond its ``max_terms`` central words are clustered (DP-means at ``split``); sub-groups holding at least
        ``split_share`` of the members and ``split_min`` claims are its candidate pieces, the other members
        joining the nearest. Pieces neither of which writes an object the other lacks (:meth:`_objects_apart`,
        read in the members' own words and titles) are one piece again (complete linkage); two or more pieces
        left become suggestions of their own.

        Why the object test: the residual words group members by how they word one ask as readily as by what
        they ask it about (a bare title with a short body, long letters naming places, a detail or a reason
        most of one piece gives), and those pieces were listed as two to five suggestions of one ask, rejoined
        later by their headlines only where those read alike. On the synthetic 20,000's sample, of 390 pairs of
        pieces (ten claims or more) with one planted ask, 298 write no object the other lacks at the default
        ``split_object`` of 0.6 (343 at 0.7); of 2,774 pairs of two asks, 81 do not either (152 at 0.7).

        Each piece is split again by its own centre while under ``split_depth`` splits deep, and parts there only
        where each side writes an object the other lacks. Why: a suggestion's first split parts what most of its
        members differ by (two actions about 养老保险); a few asking one action about another thing (劳动合同) are
        under ``split_share`` of the whole, or their residual is the action's, and stayed in that action's piece
        (synthetic 20,000: "建议畅通劳动维权渠道，解决养老保险的问题", 112 letters with 14 about 劳动合同). Against
        its own centre the piece's residual is what its members differ by. Both sides must write an object of
        their own there: with one side enough, a piece's bare titles (which lack the object its letters name)
        parted from its letters, one ask in two (synthetic 20,000, AMI 0.9235 → 0.9156; 0.9251 with both)."""
        out = labels.copy()
        nxt = int(labels.max(initial=-1)) + 1
        order = np.argsort(labels, kind="stable")
        bounds = np.searchsorted(labels[order], np.arange(nxt + 1))
        floor = max(self.split_min, 1)
        record = claims["record"].to_numpy() if "record" in claims.columns else np.arange(len(claims))
        texts = titles = word = None  # read once a suggestion has pieces
        # (label, its claims, how many splits made it): a piece is split again, by its own centre, while it is
        # under ``split_depth`` splits deep
        todo = deque((c, order[bounds[c]:bounds[c + 1]], 0) for c in range(nxt))  # first in, first split
        while todo:
            c, idx, depth = todo.popleft()
            if len(idx) < 2 * floor or depth >= self.split_depth:
                continue
            Zc = Z[idx]
            cen = self._truncate(unit_rows(csr_matrix(Zc.sum(axis=0))))
            R = Zc - csr_matrix(np.asarray((Zc @ cen.T).todense())) @ cen
            R = unit_rows(csr_matrix(R))
            sub = self._leader(R, self.split)
            size = np.bincount(sub[sub >= 0], minlength=int(sub.max(initial=-1)) + 1)
            keep = np.flatnonzero(size >= max(floor, self.split_share * len(idx)))
            if len(keep) < 2:
                continue
            remap = np.full(len(size), -1)
            remap[keep] = np.arange(len(keep))
            S = unit_rows(self._sums(R, np.where(sub >= 0, remap[np.maximum(sub, 0)], -1)))
            _, arg = _nearest(R, S, self.chunk_size * 5)
            arg = np.where(arg < 0, 0, arg)
            if texts is None:
                texts, titles, word = _strings(claims["text"]), _strings(claims["title"]), self.words_by_index()
            once = ~pd.DataFrame({"p": arg, "r": record[idx]}).duplicated().to_numpy()  # one per message
            M = csr_matrix((np.ones(int(once.sum()), np.float32), (arg[once], np.flatnonzero(once))),
                           shape=(len(keep), len(idx)))
            own = self.own_vectors([f"{titles[i]}。{texts[i]}" for i in idx.tolist()])  # a title claim twice
            own.data[:] = 1.0
            # a piece split again parts only where each side writes an object the other lacks: its residual
            # groups members by how they word the piece's ask (a bare title lacks the object the letters name)
            apart = self._objects_apart(M, own, word=word, cut=self.split_object, both=depth > 0)
            _, piece = np.unique(_complete_linkage((~apart).astype(np.float32), 0.5), return_inverse=True)
            if piece.max() < 1:
                continue
            arg = piece[arg]
            out[idx] = np.where(arg == 0, c, nxt + arg - 1)
            todo.extend((c if k == 0 else nxt + k - 1, idx[arg == k], depth + 1) for k in range(int(piece.max()) + 1))
            nxt += int(piece.max())
        return out

    def _objects_apart(self, M: csr_matrix, written: csr_matrix, pairs: tuple[np.ndarray, np.ndarray] | None = None,
                       word: dict[int, str] | None = None, cut: float | None = None, both: bool = False) -> np.ndarray:
        """Whether two groups of claims (rows of ``M``, one claim per message, over the rows of ``written``:
        the words each claim's writer writes, 0/1) ask about different things: one writes an object the other
        lacks, a word in at least ``object_share`` (``cut`` when given; and ``object_min``) of one group's claims and in less than
        ``object_rare`` of the other's that is no time word nor the other's word a character shorter or longer
        (:func:`_is_object`). For the given ``pairs`` (rows, rows), else as a matrix of all pairs. ``word``: the
        model's :meth:`words_by_index`, when the caller has it."""
        n = np.maximum(np.asarray(M.sum(axis=1)).ravel(), 1)
        count = (M @ written).tocsr()
        share = count.multiply(1 / n[:, None]).tocsr()
        main = (share >= (self.object_share if cut is None else cut)).multiply(count >= self.object_min).tocsr()
        share.sum_duplicates()  # sorted columns in each row, for the look-ups below
        word = self.words_by_index() if word is None else word

        def lacks(x: int, y: int) -> bool:
            words = _row(main, x)[0]
            lacking = words[_row_values(share, y, words) < self.object_rare]
            if not len(lacking):
                return False
            cols, vals = _row(share, y)
            other = [word[j] for j in cols[vals >= self.object_rare]]
            return any(_is_object(word[j], other) for j in lacking)

        def apart(x: int, y: int) -> bool:
            return (lacks(x, y) and lacks(y, x)) if both else (lacks(x, y) or lacks(y, x))

        if pairs is not None:
            return np.array([apart(x, y) for x, y in zip(*pairs, strict=True)], dtype=bool)
        k = M.shape[0]
        out = np.zeros((k, k), dtype=bool)
        for x in range(k):
            for y in range(x + 1, k):
                out[x, y] = out[y, x] = apart(x, y)
        return out

    def _join(self, claims: pd.DataFrame, Z: csr_matrix, labels: np.ndarray) -> np.ndarray:
        """Third stage: join suggestions that most members of both write one place or named case about, when
        their centroids agree at ``join`` without the place: without place tokens and the words of the place's
        names, what is left is what is asked (two wordings of one ask at 伊景园滨河苑, "车位属于业主所有，不应该被
        捆绑销售" and "强制职工购房时捆绑购买车位", agree at 0.73; the dog licences and the guards of one estate
        at 0.30).

        A suggestion's place is, among the merged place keys (:func:`~minsheng.engine.places.merge_place_keys`:
        伊景园滨河苑 and 工定向商品房伊景园滨河苑 are 滨河苑) that at least ``_PLACE_CANDIDATE`` of its member
        messages carry, the one the most members write in their first ``CONTEXT_CHARS`` characters, when more
        than half do: a member names the estate in its text even when the place extractor picked the district
        (武广新城). Suggestions are compared only within one place, never across places, so the cost is the
        members read once plus the pairs within a place."""
        from minsheng.engine.places import merge_place_keys

        record = claims["record"].to_numpy() if "record" in claims.columns else np.arange(len(claims))
        keys = claims["place_key"].reset_index(drop=True)
        if "place_kind" in claims.columns:  # a group of people (困难老人, 个体工商户) is not a place or a case
            keys = keys.where(claims["place_kind"].to_numpy() != "group")
        members = pd.DataFrame({"cluster": labels, "record": record, "key": merge_place_keys(keys).to_numpy(),
                                "context": _strings(claims["context"] if "context" in claims.columns
                                                    else claims["title"])})
        members = members[members["cluster"] >= 0].drop_duplicates(["cluster", "record"])
        size = members.groupby("cluster").size()
        held = members.dropna(subset=["key"]).groupby(["cluster", "key"]).size().rename("held").reset_index()
        held = held[held["held"] >= _PLACE_CANDIDATE * size.loc[held["cluster"]].to_numpy()]
        if held.empty:
            return labels
        pairs = members[["cluster", "context"]].merge(held[["cluster", "key"]], on="cluster")
        pairs["named"] = [k in c[:CONTEXT_CHARS] for k, c in zip(pairs["key"], pairs["context"], strict=True)]
        named = pairs.groupby(["cluster", "key"])["named"].mean().rename("share").reset_index()
        named = named[named["share"] > 0.5].sort_values(["cluster", "share"], ascending=[True, False])
        place = named.drop_duplicates("cluster")  # one place per suggestion: never a bridge between two places
        C = self._centroids(Z, labels)
        # Compared on what is asked, not where: without place tokens and the words of the place's names.
        spelled = members.assign(raw=keys[members.index].to_numpy())
        spelled = spelled.dropna(subset=["raw"]).drop_duplicates(["key", "raw"]).groupby("key")["raw"].agg(list)
        is_place = np.zeros(C.shape[1], dtype=bool)
        is_place[[i for w, i in self.vocabulary_.items() if w.startswith(_PLACE)]] = True
        comp = np.arange(int(labels.max()) + 1)
        for key, ids in place.groupby("key", sort=False)["cluster"]:
            ids = ids.to_numpy()
            if len(ids) < 2:
                continue
            drop = is_place.copy()
            drop[[self.vocabulary_[w] for name in [key, *spelled.get(key, [])] for w in tokenize(name)
                  if w in self.vocabulary_]] = True
            Cg = unit_rows(C[ids].multiply(~drop[None, :]).tocsr())
            comp[ids] = ids[_complete_linkage(Cg @ Cg.T, self.join)]
        if (comp == np.arange(len(comp))).all():
            return labels
        _, comp = np.unique(comp, return_inverse=True)
        log.info("digest: %d suggestions joined into others that name the same place", len(comp) - int(comp.max()) - 1)
        return np.where(labels >= 0, comp[np.maximum(labels, 0)], -1)

    def _join_asks(self, claims: pd.DataFrame, Z: csr_matrix, labels: np.ndarray, origin: np.ndarray) -> np.ndarray:
        """Fourth stage: join suggestions anywhere (not only within one place) that ask the same thing, so that one
        ask raised at many sites is one suggestion (night construction noise was a dozen, paid extra classes four).

        Two suggestions are joined (complete linkage, as :meth:`_join`) when all of these hold:

        - their centroids without place tokens agree at ``join_asks``;
        - the split did not separate them: the first-pass suggestions (``origin``) most of their claims came
          from differ. On the synthetic corpus (100,000), where planted asks share a long action phrase and differ
          only in the object, 3,599 of the 6,276 candidate pairs were such pieces, 3,015 of them two planted asks;
        - their members agree: the mean cosine of a member message's title (own words, without the words of the
          sample's place names) with one of the other side's is at least ``join_members`` (two bags of
          "请加快…建设力度" about different things share the action and little else: 0.05);
        - neither side has an object the other lacks: no word written in at least ``object_share`` (and
          ``object_min``) of one side's member titles and in less than ``object_rare`` of the other's (体育强省
          in every title of one "加快…力度" suggestion; 学校食堂 against 校车接送 in the synthetic corpus); a word
          that says when (夜间 / 凌晨) or one that the other side writes a character shorter or longer (公交车 /
          公交) is no such object (:func:`_is_object`: night works and the punctuality of buses were two
          suggestions each in messages_hot.csv).

        Linear in the suggestions' centroid product (sparse, a few words each) and the candidate pairs."""
        k = int(labels.max(initial=-1)) + 1
        if k < 2:
            return labels
        C = self._centroids(Z, labels)
        is_place = np.zeros(C.shape[1], dtype=bool)
        is_place[[i for w, i in self.vocabulary_.items() if w.startswith(_PLACE)]] = True
        C = unit_rows(C.multiply(~is_place[None, :]).tocsr())
        S = (C @ C.T).tocoo()
        pick = (S.row < S.col) & (S.data >= self.join_asks)
        a, b, sim = S.row[pick], S.col[pick], S.data[pick]
        got = labels >= 0
        parent = pd.DataFrame({"c": labels[got], "o": origin[got]}).value_counts().reset_index()
        parent = parent.drop_duplicates("c").set_index("c")["o"].reindex(np.arange(k)).to_numpy()
        ok = parent[a] != parent[b]
        if not ok.any():
            return labels
        record = claims["record"].to_numpy() if "record" in claims.columns else np.arange(len(claims))
        first = got & ~pd.DataFrame({"c": labels, "r": record}).duplicated().to_numpy()  # one title per message
        M = csr_matrix((np.ones(int(first.sum()), np.float32), (labels[first], np.flatnonzero(first))),
                       shape=(k, len(labels)))
        n = np.maximum(np.asarray(M.sum(axis=1)).ravel(), 1)
        titles = self.own_vectors(_strings(claims["title"]))
        named = [self.vocabulary_[w] for p in claims["place_key"].dropna().astype(str).unique() for w in tokenize(p)
                 if w in self.vocabulary_]
        keep = np.ones(titles.shape[1], dtype=bool)
        keep[named] = False
        sums = (M @ unit_rows(titles.multiply(keep[None, :]).tocsr())).tocsr()
        cross = np.asarray(sums[a].multiply(sums[b]).sum(axis=1)).ravel() / (n[a] * n[b])
        ok &= cross >= self.join_members
        titles.data[:] = 1.0
        at = np.flatnonzero(ok)
        ok[at] = ~self._objects_apart(M, titles, (a[at], b[at]))
        if not ok.any():
            return labels
        from scipy.sparse.csgraph import connected_components

        G = csr_matrix((sim[ok], (a[ok], b[ok])), shape=(k, k))
        G = (G + G.T).tocsr()
        _, comp = connected_components(G, directed=False)
        out = np.arange(k)
        for c in np.unique(comp[a[ok]]):
            ids = np.flatnonzero(comp == c)
            sub = G[ids][:, ids].toarray()
            np.fill_diagonal(sub, 1.0)
            out[ids] = ids[_complete_linkage(sub, self.join_asks)]
        if (out == np.arange(k)).all():
            return labels
        _, out = np.unique(out, return_inverse=True)
        log.info("digest: %d suggestions joined into others that ask the same elsewhere", k - int(out.max()) - 1)
        return np.where(labels >= 0, out[np.maximum(labels, 0)], -1)

    def _leader(self, Z: csr_matrix, threshold: float | None = None) -> np.ndarray:
        """First pass of DP-means: chunk by chunk, join the nearest centroid or lead a new suggestion."""
        n = Z.shape[0]
        labels = np.full(n, -1, dtype=np.int64)
        sums = csr_matrix((0, Z.shape[1]), dtype=np.float32)
        t = self.threshold if threshold is None else threshold
        for start in range(0, n, self.chunk_size):
            C = Z[start:start + self.chunk_size]
            local = np.full(C.shape[0], -1, dtype=np.int64)
            if sums.shape[0]:
                best, arg = _nearest(C, unit_rows(sums), self.chunk_size)
                local = np.where(best >= t, arg, -1)
            free = np.flatnonzero((local < 0) & (C.getnnz(axis=1) > 0))
            if len(free):
                G = _gram(C[free])
                taken = np.zeros(len(free), dtype=bool)
                new = sums.shape[0]
                for i in range(len(free)):
                    if taken[i]:
                        continue
                    row = G[i, i:]
                    join = i + np.flatnonzero((row >= t) & (row != 0))  # a sparse product keeps no zeros
                    join = join[~taken[join]]
                    taken[join] = True
                    taken[i] = True
                    local[free[join]] = new
                    local[free[i]] = new
                    new += 1
            labels[start:start + C.shape[0]] = local
            sums = _pad(sums, int(local.max(initial=-1)) + 1) + _pad(self._sums(C, local), None, like=sums)
        return labels

    @staticmethod
    def _sums(Z: csr_matrix, labels: np.ndarray) -> csr_matrix:
        """Sum of the member vectors of each label (rows 0 … max label; -1 ignored)."""
        k = int(labels.max(initial=-1)) + 1
        keep = labels >= 0
        M = csr_matrix((np.ones(int(keep.sum()), np.float32), (labels[keep], np.flatnonzero(keep))),
                       shape=(k, Z.shape[0]))
        return (M @ Z).tocsr()

    def _reassign(self, Z: csr_matrix, labels: np.ndarray) -> np.ndarray:
        """Second pass: every sampled claim to its nearest centroid of the first pass (ties to the lower id)."""
        C = self._truncate(unit_rows(self._sums(Z, labels)))
        best, arg = _nearest(Z, C, self.chunk_size * 5)
        out = np.where(best >= self.threshold, arg, -1)
        # Keep the first pass's label for claims no centroid reaches any more (their own centroid moved).
        out = np.where((out < 0) & (labels >= 0), labels, out)
        _, out_compact = np.unique(out, return_inverse=True)
        return np.where(out >= 0, out_compact - (1 if (out < 0).any() else 0), -1)

    def _truncate(self, C: csr_matrix) -> csr_matrix:
        """Keep the ``max_terms`` heaviest words of each centroid (vectorised), then renormalise."""
        C = C.tocoo()
        order = np.lexsort((-C.data, C.row))
        row = C.row[order]
        start = np.searchsorted(row, row, side="left")
        keep = order[(np.arange(len(order)) - start) < self.max_terms]
        T = csr_matrix((C.data[keep], (C.row[keep], C.col[keep])), shape=C.shape, dtype=np.float32)
        return unit_rows(T)

    def _centroids(self, Z: csr_matrix, labels: np.ndarray) -> csr_matrix:
        return self._truncate(unit_rows(self._sums(Z, labels))).astype(np.float32)

    # -- applying -------------------------------------------------------------------------------------
    def assign(self, claims: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Nearest suggestion centroid of each claim (-1 below ``threshold``) and its cosine."""
        with threadpool_limits(limits=1):
            Z = self.embed(claims)
            best, arg = _nearest(Z, self.centroids_, self.chunk_size * 5)
        return np.where(best >= self.threshold, arg, -1), best.astype(np.float32)


@lru_cache(maxsize=65_536)
def _is_time_word(word: str) -> bool:
    return all(tag == "t" for _, tag in rjieba.tag(word))


@lru_cache(maxsize=65_536)
def is_noun(word: str) -> bool:
    """A noun or an abbreviation (医保, 房产证 are tagged j): what a set of questions can be about. Public because
    :mod:`.digest_wording` asks it of a headline's words too (one cache for both)."""
    return all(tag.startswith(("n", "j")) for _, tag in rjieba.tag(word))


def _is_object(word: str, written: list[str]) -> bool:
    """Whether ``word``, written by most members of one suggestion and by few of another's, names an object the
    other lacks (what keeps two asks apart in :meth:`DigestModel._join_asks`). Not when it says when (夜间, 凌晨:
    night works asked to stop at night and before dawn are one ask), nor when the other side writes it one
    character shorter or longer (公交 / 公交车: one thing, two spellings)."""
    if _is_time_word(word):
        return False
    return not any(len(w) >= 2 and len(word) >= 2 and abs(len(w) - len(word)) == 1
                   and (w.startswith(word) or word.startswith(w)) for w in written)


def _row(M: csr_matrix, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of row ``r`` of ``M``, read from its arrays: ``M[r]`` builds a matrix (scipy checks
    and copies each time), and :meth:`DigestModel._join_asks` read a few thousand rows that way, most of its
    time."""
    span = slice(M.indptr[r], M.indptr[r + 1])
    return M.indices[span], M.data[span]


def _row_values(M: csr_matrix, r: int, cols: np.ndarray) -> np.ndarray:
    """``M[r, cols]`` as a flat array (0 where nothing is stored); ``M`` has sorted, distinct columns per row."""
    have, vals = _row(M, r)
    at = np.minimum(np.searchsorted(have, cols), max(len(have) - 1, 0))
    return np.where(have[at] == cols, vals[at], 0) if len(have) else np.zeros(len(cols), dtype=M.dtype)


def _complete_linkage(S: csr_matrix, t: float) -> np.ndarray:
    """Groups of the rows of the similarity matrix ``S`` in which every pair is at least ``t`` (each group
    numbered by its first row), joined from the most similar pair down. Not single linkage: a vague suggestion
    ("关于社区养老服务中心的建议") like two different asks at one place must not chain them together.
    Quadratic in the rows, which are the suggestions of one place: a few."""
    S = S.toarray() if hasattr(S, "toarray") else np.asarray(S)
    group = np.arange(S.shape[0])
    i, j = np.nonzero(np.triu(t <= S, 1))
    for a, b in sorted(zip(i.tolist(), j.tolist(), strict=True), key=lambda p: -S[p]):
        ga, gb = group[a], group[b]
        if ga != gb and S[np.ix_(group == ga, group == gb)].min() >= t:
            group[group == max(ga, gb)] = min(ga, gb)
    return group


@lru_cache(maxsize=1 << 16)
def _name_words(name: str) -> tuple[str, ...]:
    """The distinct words of a place's name, once per process: a worker's partitions name the same places again
    (each partition's few thousand names were segmented again by every partition)."""
    return tuple(set(tokenize(name)))


def _strings(column: pd.Series) -> list[str]:
    """The cells as Python strings, ``""`` where missing: ``fillna("").astype(str).tolist()`` without first
    converting an object column of whole messages to a string column (a copy of every text). A column without
    missing cells is not filled (a copy, and a scan of every cell, for nothing: the claims' texts and their
    records' titles and contexts have none)."""
    if isinstance(column.dtype, pd.StringDtype):
        return (column.fillna("") if column.hasnans else column).tolist()
    values = column.tolist()
    if set(map(type, values)) <= {str}:
        return values
    return [v if isinstance(v, str) else str(v) for v in column.fillna("").tolist()]


def _numbered(glued: str) -> str | None:
    """A digit run and its next token as a name (3号线), Chinese numerals only when they number a kind of name
    (三号|线 is 3号线; 一|些, 一直|没有 are no names)."""
    if glued[0].isascii():
        return glued
    name = arabic(glued)
    return name if name != glued else None


def _numbered_df(texts: list[str]) -> pd.Series:
    """Document frequency of each name written with a number (3号线 and 三号线 as one, 58车贷, 205路; see
    :func:`minsheng.engine.places.numbered_names`) in ``texts``."""
    rows, names = numbered_names(texts)
    if not names:
        return pd.Series(dtype=np.int64)
    return pd.DataFrame({"row": rows, "name": names}).drop_duplicates()["name"].value_counts()


def _locate(strings: list[str], owner: np.ndarray, docs: list[str], extra: list[str]):
    """(document, start, end) of each string in its owner's document; a string not found there becomes a
    document of its own, appended to ``extra`` (numbered after ``docs``)."""
    doc = np.asarray(owner, dtype=np.int64).copy()
    start = np.fromiter(map(str.find, (docs[o] for o in doc.tolist()), strings), np.int64, count=len(strings))
    for i in np.flatnonzero(start < 0).tolist():
        doc[i] = len(docs) + len(extra)
        extra.append(strings[i])
        start[i] = 0
    return doc, start, start + np.fromiter(map(len, strings), np.int64, count=len(strings))


def _pad(M: csr_matrix, rows: int | None, *, like: csr_matrix | None = None) -> csr_matrix:
    """``M`` with empty rows appended up to ``rows`` (or to the row count of ``like`` after its own padding)."""
    if like is not None:
        rows = max(like.shape[0], M.shape[0])
    rows = max(rows or 0, M.shape[0])
    if rows == M.shape[0]:
        return M
    return csr_matrix((M.data, M.indices, np.append(M.indptr, [M.indptr[-1]] * (rows - M.shape[0]))),
                      shape=(rows, M.shape[1]))


_DENSE_CELLS = 32_000_000  # float32 cells (128 MB): the largest dense copy of the centroids :func:`_nearest` makes


def _nearest(Z: csr_matrix, C: csr_matrix, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """Best cosine and its centroid row for each row of ``Z`` (ties to the lower row); chunked so the product
    stays small (at most ~4 M cells, made dense for max/argmax: scipy's sparse row max sorts indices).

    The product is sparse × dense: the centroids hold few distinct words in all (``max_terms`` each, mostly
    shared), and a claim meets most centroids through its common words (at 200,000 rows 785 of 1,035 products
    were non-zero), so a dense copy of the centroids over their own words is small and scipy's sparse × dense
    product was three times faster than sparse × sparse. It adds each claim word's centroid row in the same
    order as the sparse product does, so the cosines are the same bit for bit. Centroids too many for a dense
    copy (``_DENSE_CELLS``) keep the sparse product."""
    n = Z.shape[0]
    best = np.zeros(n, dtype=np.float32)
    arg = np.full(n, -1, dtype=np.int64)
    if C.shape[0] == 0:
        return best, arg
    words = np.unique(C.indices)
    if len(words) * C.shape[0] <= _DENSE_CELLS:
        Z, CT = Z[:, words], np.ascontiguousarray(C[:, words].T.toarray())
    else:
        CT = C.T.tocsr()
    step = max(1, min(chunk, 4_000_000 // C.shape[0]))
    for start in range(0, n, step):
        S = Z[start:start + step] @ CT
        S = S if isinstance(S, np.ndarray) else S.toarray()
        arg[start:start + step] = S.argmax(axis=1)
        best[start:start + step] = S[np.arange(S.shape[0]), arg[start:start + step]]
    arg[best <= 0] = -1
    return best, arg


def _gram(M: csr_matrix) -> np.ndarray:
    """``M @ M.T`` as a dense array, computed as sparse × dense over the words ``M`` uses.

    Why: within a suggestion, the split's residual vectors all share the centroid's words, so their products are
    all non-zero and scipy's sparse × sparse product spent most of the fit building a full matrix entry by entry
    (83 % of the split at 200,000 rows). The sparse × dense product adds each word's row in the order of ``M``'s
    row, as the sparse product does, so every cosine is the same bit for bit (see :func:`_nearest`). Sparse
    claims (the leader pass over the sample: few shared words), or words too many for a dense copy
    (``_DENSE_CELLS``), keep the sparse product: its cost is the sum over words of their row count squared, the
    dense one's the non-zeros times the rows, about 16 times cheaper per step (measured on the 200,000-row fit)."""
    words, count = np.unique(M.indices, return_counts=True)
    if len(words) * M.shape[0] > _DENSE_CELLS or 16 * float(count @ count.astype(float)) < M.nnz * M.shape[0]:
        return (M @ M.T).toarray()
    M = M[:, words]
    return np.asarray(M @ np.ascontiguousarray(M.T.toarray()))


def _coded(column: pd.Series) -> pd.Categorical:
    """``column`` as a categorical of its values in order of appearance (no sort of the values)."""
    codes, uniques = pd.factorize(column)
    return pd.Categorical.from_codes(codes, uniques)


def _spread(claims: pd.DataFrame, codes: np.ndarray, n_distinct: int) -> pd.DataFrame:
    """Claims of distinct texts (``record`` = code) as claims of every record, in record order."""
    by_code = np.argsort(claims["record"].to_numpy(), kind="stable")
    count = np.bincount(claims["record"].to_numpy(), minlength=n_distinct)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    per_record = count[codes]
    record = np.repeat(np.arange(len(codes)), per_record)
    offset = np.arange(len(record)) - np.repeat(np.cumsum(per_record) - per_record, per_record)
    rows = by_code[start[codes][record] + offset]
    return claims.iloc[rows].assign(record=record).reset_index(drop=True)


# -- the stage's steps (:func:`run_digest` runs them; the pipeline calls it) ----------------------------
def assign_claims(records: pd.DataFrame, model: DigestModel | str | Path, *, max_claims: int = 2,
                  split: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims of a partition with their suggestion (``cluster``, -1 for none) and cosine (``score``).

    Returns only what the table needs (``record``, ``pos``, ``kind``, ``is_title``, ``text``, ``cluster``,
    ``score``): titles and contexts are the records' own text, not shipped back from a worker once per claim.
    ``model`` may be the path of a saved model: workers load it once per process. Without a ``place_key``
    column (no theme stage) places are found here. ``split``: the partition's :func:`first_claims`, when
    found already.
    """
    if isinstance(model, str | Path):
        model = load_model(str(model), DigestModel)
    if "place_key" not in records.columns:
        from minsheng.engine.places import place_columns

        records = records.join(place_columns(records)[["place_key"]])
    claims = (digest_claims(records, max_claims=max_claims) if split is None
              else _in_context(records, split))
    if claims.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    cluster, score = model.assign(claims)
    return claims.assign(cluster=cluster, score=score)[CLAIM_COLUMNS]


CLAIM_COLUMNS = ["record", "pos", "kind", "is_title", "text", "cluster", "score"]



def with_context(claims: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """``claims`` with their records' ``title`` (the first line as the run reads it,
    :func:`~minsheng.engine.titles.texts_as_read`), ``context`` and ``place_key`` again (to embed a few of them)."""
    # taken at the claims' records before they are converted (not every record's text and place)
    rows = claims["record"].to_numpy()
    text = np.asarray(texts_at(records["text"], rows), dtype=object)
    place = (records["place_key"].iloc[rows].to_numpy() if "place_key" in records.columns
             else np.full(len(claims), None, dtype=object))
    titles = [t.split("\n", 1)[0] for t in texts_as_read(records, rows)]
    return claims.assign(title=titles, context=text, place_key=place)


MIXED_COSINE = 0.3  # a member whose ask is at least this like the other members' says what they say
MIXED_SHARE = 0.4  # a suggestion is flagged mixed when this share of its members says something else
PLACES_SHARE = 0.25  # … and a count line over many places stands for all its people only below this share
TOPIC_SHARE = 0.5  # a word this share of a suggestion's members write is what holds them together
QUESTION_SHARE = 0.5  # a suggestion this share of whose members ask a question is a set of questions
TOPIC_WORDS = 2  # nouns that may hold a set of questions together (公积金 and 贷款: what it is about, no act)
_SPREAD_SAMPLE = 30  # members read per suggestion: enough for a share, and the cost stays per suggestion


def member_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims (``cluster``, ``record``, ``text``, ``kind`` when known) of the first ``_SPREAD_SAMPLE``
    member messages of each suggestion: what is read of a suggestion's members (:func:`member_word_share`,
    :func:`ask_spread`), at a cost per suggestion, not per member."""
    # Each (suggestion, record) pair numbered in order of first appearance on one integer key, and its rank
    # among its suggestion's pairs; only the rows kept are taken: a two-column drop_duplicates and merge of every
    # claim's columns did the same (the rows in their order) at 0.3-0.5 CPU-s a call at a million records,
    # three calls in the digest's serial stretch.
    at = np.flatnonzero(claims["cluster"].to_numpy() >= 0)
    cluster, record = (claims[c].to_numpy()[at].astype(np.int64) for c in ("cluster", "record"))
    width = int(record.max(initial=0)) + 1
    pair, keys = pd.factorize(cluster * width + record)
    rank = pd.Series(keys // width).groupby(keys // width, sort=False).cumcount().to_numpy()
    got = claims.iloc[at[rank[pair] < _SPREAD_SAMPLE]][["cluster", "record", "text",
                                                         *(["kind"] if "kind" in claims.columns else [])]]
    got = got.reset_index(drop=True)
    return got.assign(text=got["text"].astype(str))  # strings, not codes into every claim's text


def _messages(cluster: np.ndarray, record: np.ndarray) -> pd.Series:
    """Per suggestion (index: ``cluster``, ascending; none for -1), the records among its claims (``cluster``,
    ``record``): what a drop_duplicates of the two columns and a groupby counted, on one integer key."""
    at = cluster >= 0
    cluster, record = cluster[at].astype(np.int64), record[at].astype(np.int64)
    n = int(record.max(initial=0)) + 1
    count = np.bincount(pd.unique(cluster * n + record) // n)  # hashed: np.unique took 2.8 CPU-s at 1.8 M claims
    ids = np.flatnonzero(count)
    return pd.Series(count[ids], index=pd.Index(ids, name="cluster"))


def member_word_share(got: pd.DataFrame, model: DigestModel) -> tuple[csr_matrix, dict]:
    """Per suggestion, the share of its member messages (at most ``_SPREAD_SAMPLE`` read) whose claims in it
    write each word of the vocabulary, and the row of each suggestion (``cluster`` → row).

    What a headline must say is what most members ask (:func:`~minsheng.engine.digest_table.suggestion_table`
    scores each candidate by the member share of its words): centrality alone lets a stray member's side
    question win when it repeats one central word ("出资人是否可以禁止对方使用电梯" among "电梯经常坏").
    ``got``: the suggestions' :func:`member_claims`."""
    if got.empty:
        return csr_matrix((0, len(model.vocabulary_)), dtype=np.float32), {}
    member, member_keys = pd.factorize(pd.MultiIndex.from_arrays([got["cluster"].to_numpy(), got["record"].to_numpy()]))
    A = csr_matrix((np.ones(len(got), np.float32), (member, np.arange(len(got)))), shape=(len(member_keys), len(got)))
    B = (A @ model.own_vectors(got["text"].astype(str).tolist())).tocsr()
    B.data[:] = 1.0  # a word written by a member, however often
    group, groups = pd.factorize(member_keys.get_level_values(0).to_numpy())
    size = np.bincount(group).astype(np.float32)
    G = csr_matrix((1 / size[group], (group, np.arange(len(group)))), shape=(len(groups), len(group)))
    return (G @ B).tocsr(), {c: i for i, c in enumerate(groups.tolist())}


def ask_spread(got: pd.DataFrame, model: DigestModel) -> pd.DataFrame:
    """Per suggestion (index: ``cluster``), ``ask_spread``: the share of its member messages that ask something
    else than the others, and ``topic``: the noun that holds a set of different questions together, or "".

    Each member's claims in the suggestion (``got``: the suggestions' :func:`member_claims`), *without the
    words of the place or institution it names* (its record's ``place`` and ``place_key``, columns of ``got``
    when known: 职业技术学院, 伊景园滨河苑, 地铁站), are one vector of own words, compared with the sum of the
    other members' (cosine below ``MIXED_COSINE``). Members left with no word (a title that only names a
    place) are not counted; at most ``_SPREAD_SAMPLE`` members are read, in order.

    Why without places: a suggestion glued by a shared institution noun (a college's relocation, its delivery
    fees and its scholarships) looks as tight as a pure one by its words, and one ask raised at twenty sites
    (night construction noise) looks as loose as a mixed one; what tells them apart is whether the words left
    once the place is gone are shared. On the top 40 suggestions of DEV messages_hot.csv labelled by hand
    (``tests/data/digest_mixed_labels.csv``) this share separates mixed from pure with ROC AUC 0.81, the
    ``coherence`` score only 0.59 (see ``digest_mixed_labels.md`` for precision and recall of the flag).

    A policy word glues questions the same way (医保: one asks about reimbursement abroad, one about arrears,
    one why the fee rose): when ``QUESTION_SHARE`` of the members ask a question (``got["kind"]``) and only one
    word is written by ``TOPIC_SHARE`` of them, that word is left out too, so that the questions themselves are
    compared, and named as the suggestion's ``topic`` when it is a noun ("" otherwise: 申请, 频繁 name
    nothing). One ask has more than one word in common (户口 and 迁移; 补课 and 学生); a bucket of questions only
    its policy noun (docs/engine/digest.md, 2026-12-04 h-digest3), or two nouns that say what it is about and
    no act (公积金 and 贷款, 小孩 and 户口: 2026-12-05 h-digest5). A mixed suggestion whose members share only
    such nouns without being questions (complaints about 垃圾 or 红绿灯 at different places, each a different
    problem) is named by them too; its words stay in the comparison, since complaints of one kind share
    nothing else either (leaving them out flagged pure complaint buckets: 交房, 停水, 房屋质量).
    """
    if got.empty:
        return pd.DataFrame({"ask_spread": pd.Series(dtype=float), "topic": pd.Series(dtype=str),
                             "questions": pd.Series(dtype=float), "matter": pd.Series(dtype=bool)})
    V, _, group, groups, held, topic = _ask_vectors(got, model)
    has = V.getnnz(axis=1) > 0
    G = csr_matrix((has.astype(np.float32), (group, np.arange(len(group)))), shape=(len(groups), len(group)))
    S = (G @ V).tocsr()
    own = np.asarray(V.multiply(S[group]).sum(axis=1)).ravel()  # v·S = 1 + v·(others)
    rest = np.sqrt(np.maximum(np.asarray(S.multiply(S).sum(axis=1)).ravel()[group] - 2 * own + 1, 1e-12))
    counted = np.bincount(group, weights=has, minlength=len(groups))
    low = has & (counted[group] >= 2) & ((own - 1) / rest < MIXED_COSINE)  # one member alone is like no one
    spread = np.bincount(group, weights=low, minlength=len(groups)) / np.maximum(counted, 1)
    # Named: the sets of questions held by their shared words, and the mixed complaints whose members share only
    # what they are about (垃圾: its sorting, a landfill, burning; 红绿灯 at several crossings).
    n_words = topic.getnnz(axis=1)
    named = np.union1d(held, np.flatnonzero((spread >= MIXED_SHARE) & (n_words >= 1) & (n_words <= TOPIC_WORDS)))
    words = np.full(len(groups), "", dtype=object)
    if len(named):
        word = model.words_by_index()
        clusters, texts = got["cluster"].to_numpy(), got["text"].astype(str).to_numpy()
        words[named] = [_topic_name([word[j] for j in topic[g].indices.tolist()], texts[clusters == groups[g]])
                        for g in named.tolist()]
    return pd.DataFrame({"ask_spread": spread, "topic": words, "questions": _questions(got).reindex(groups).to_numpy(),
                         "matter": _matters(topic, model.words_by_index())}, index=groups)


def _matters(shared: csr_matrix, word: dict[int, str]) -> np.ndarray:
    """Per suggestion (rows of ``shared``: the words ``TOPIC_SHARE`` of its members write), whether those words
    are a matter its members write of, not one ask: one to ``TOPIC_WORDS`` nouns, none naming a problem
    (公积金 贷款, 房产证; not 麻将馆 扰民, 停水, nor 开发商 交房). Questions and complaints about one matter
    (a developer refusing 公积金 loans, whether a second loan is allowed, how to move a loan) share those words
    and nothing else, whatever their share of questions. Read once per suggestion."""
    n_words = shared.getnnz(axis=1)
    out = np.zeros(shared.shape[0], dtype=bool)
    for g in np.flatnonzero((n_words >= 1) & (n_words <= TOPIC_WORDS)).tolist():
        words = [word[j] for j in shared[g].indices.tolist()]
        out[g] = all(is_noun(w) and not PROBLEM.search(w) for w in words)
    return out


def _questions(got: pd.DataFrame) -> pd.Series:
    """Per suggestion (``cluster``), the share of its member messages of ``got`` with a claim of kind question."""
    kind = got["kind"].astype(str).to_numpy() == "question" if "kind" in got.columns else np.zeros(len(got), bool)
    asked = pd.Series(kind).groupby([got["cluster"].to_numpy(), got["record"].to_numpy()], sort=False).any()
    return asked.groupby(level=0, sort=False).mean()


def _topic_name(words: list[str], texts: np.ndarray) -> str:
    """What a set of questions held by ``words`` is about, as its members write it: the nouns in the order of
    the first of ``texts`` that has them all ("公积金贷款", not "贷款公积金"); "" when one of them is no noun
    (申请, 频繁 name nothing)."""
    if not all(is_noun(w) for w in words):
        return ""
    text = next((t for t in texts if all(w in t for w in words)), "")
    return "".join(sorted(words, key=lambda w: (text.find(w), w)))


def _ask_vectors(got: pd.DataFrame, model: DigestModel):
    """``(V, record, group, groups, held, topic)``: one unit vector per member message of ``got`` (its
    ``record``, in the order of first appearance of each (cluster, record) pair) of its claims' own words
    without the place it names and without the policy word that holds a set of questions together (see
    :func:`ask_spread`); ``group`` numbers each member's suggestion among ``groups``; ``held`` are the groups
    read as such sets, ``topic`` their word."""
    rec = got["record"].to_numpy()
    texts = _placeless(got)
    member, member_keys = pd.factorize(pd.MultiIndex.from_arrays([got["cluster"].to_numpy(), rec]))
    A = csr_matrix((np.ones(len(rec), np.float32), (member, np.arange(len(rec)))), shape=(len(member_keys), len(rec)))
    V = (A @ model.own_vectors(texts)).tocsr()
    group, groups = pd.factorize(member_keys.get_level_values(0).to_numpy())
    asks = (got["kind"].astype(str).to_numpy() == "question") if "kind" in got.columns else np.zeros(len(rec), bool)
    held, topic = _question_topics(V, group, len(groups),
                                   np.bincount(member, weights=asks, minlength=len(member_keys)) > 0,
                                   model.words_by_index())
    return (unit_rows(_without_topic(V, group, held, topic)), member_keys.get_level_values(1).to_numpy(), group, groups,
            held, topic)


def _without_topic(V: csr_matrix, group: np.ndarray, held: np.ndarray, topic: csr_matrix) -> csr_matrix:
    """``V`` (one row per member, its group in ``group``) without the words ``topic`` that hold a set of
    questions, for the members of the ``held`` groups: what differs between their asks."""
    if not len(held):
        return V
    glue = csr_matrix((np.ones(len(held), np.float32), (held, held)), shape=(topic.shape[0], topic.shape[0])) @ topic
    V = (V - V.multiply(glue.tocsr()[group])).tocsr()
    V.eliminate_zeros()
    return V


def _question_topics(V: csr_matrix, group: np.ndarray, n_groups: int, asks: np.ndarray,
                     word: dict[int, str]) -> tuple[np.ndarray, csr_matrix]:
    """``(groups, shared)``: the groups read as sets of different asks held by a topic, and per group (rows of
    ``shared``) the words written by ``TOPIC_SHARE`` of its members, which hold a group of ``groups``: the words written by ``TOPIC_SHARE`` of the
    members (rows of ``V``, in ``group``) when they are one word, or up to ``TOPIC_WORDS`` nouns (公积金 and 贷款;
    小孩 and 户口: what they are about, no act), in a group where ``QUESTION_SHARE`` of the members ask a
    question (``asks``). One ask keeps an act among its shared words (户口 迁移, 补课 学生) and is left out."""
    has = V.getnnz(axis=1) > 0
    members = np.bincount(group, weights=has, minlength=n_groups)
    counted = np.maximum(members, 1)
    written = V.copy()
    written.data[:] = 1.0
    G = csr_matrix((has / counted[group], (group, np.arange(len(group)))), shape=(n_groups, len(group)))
    share = (G @ written).tocsr()
    share.data = (share.data >= TOPIC_SHARE - 1e-6).astype(np.float32)
    share.eliminate_zeros()
    questions = np.bincount(group, weights=has & asks, minlength=n_groups) / counted >= QUESTION_SHARE
    n_words = share.getnnz(axis=1)
    held = [g for g in np.flatnonzero((n_words >= 1) & (n_words <= TOPIC_WORDS) & questions & (members >= 2)).tolist()
            if n_words[g] == 1 or all(is_noun(word[j]) for j in share[g].indices.tolist())]
    return np.asarray(held, dtype=np.int64), share


OPENING_CHARS = 60  # a message's opening read for what it asks: a title, or the first sentence's start
_SENTENCE_END = re.compile(r"[。！!？?；;]")
SPLIT_COSINE = 0.4  # members of a mixed suggestion whose asks agree, every pair, at this cosine ask one thing
SPLIT_APART = 0.2  # two sub-asks whose centres agree at this cosine are one ask, worded two ways
COMMON_SHARE = 0.02  # a word in this share of all messages (居民, 影响, 小区) is written whatever is asked
COMMON_WORDS = 0.01  # … when it is also among this share of the vocabulary written most (see :func:`_common_words`)


def split_mixed(claims: pd.DataFrame, records: pd.DataFrame, model: DigestModel, *, min_people: int = 2,
                n_suggestions: int = 1000, writers=None, only=None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Each claim's suggestion and cosine to its centre (``claims["cluster"]``, ``["score"]``) after a mixed
    suggestion is split into the asks it holds, and the :func:`ask_spread` of the suggestions read, left whole
    or the rest of a split one (the table need not compute it again), with ``shared`` for those flagged: the
    most writers who ask one same thing among the members left in it, what the table ranks a mixed suggestion
    by (NaN when they were too few to group, or all one group), and ``partly``, counted alike for those not flagged
    but with ``PLACES_SHARE`` of their members asking unlike the rest (交房: late handovers and a developer's false
    advertising share one word), what a places line counts; the centres of the new suggestions are appended to ``model``'s
    ``centroids_`` (a headline is the sentence most central to its own members, not to the whole bucket).

    A suggestion flagged mixed (:func:`ask_spread` at least ``MIXED_SHARE``: members asking different things
    under one headline, a set of questions held by one policy word, 医保 or 公积金) is split where its members'
    asks, compared as :func:`ask_spread` compares them (own words, without the place they name or the word that
    holds the set), fall into groups: the members of its first ``_SPREAD_SAMPLE`` whose asks agree pairwise at
    ``SPLIT_COSINE`` (complete linkage) form a sub-ask when ``min_people`` or more of them do; every other member
    joins the sub-ask its ask is nearest to at that cosine. Each sub-ask becomes a suggestion of its own (its
    headline and count are its members'); members asking something no other member asks stay in the suggestion,
    now the rest of the set. A pure suggestion flagged by mistake (one ask worded many ways) forms no such
    groups and stays whole: the data, not the flag, decides the split.

    Only suggestions that may be listed are read (``2 * min_people`` messages or more, the largest
    ``n_suggestions``): the cost is per listed suggestion and per member of a flagged one. ``writers``: a
    call that returns the records' :func:`~minsheng.engine.digest_members.record_writers`, when the caller
    has one computed (by a worker) for the table too; else they are found here.

    ``only`` (cluster → headline): read these suggestions alone, each split as a flagged one is whatever its
    spread, its members' asks compared without its headline's words: the table's suggestions headed by an action
    without its object (:func:`.digest_table._action_only`), whose members share the action, so that their asks
    look alike; what differs between them is what they ask it about."""
    cluster, score = claims["cluster"].to_numpy(), claims["score"].to_numpy()
    size = _messages(cluster, claims["record"].to_numpy())
    size = size[size >= 2 * min_people].sort_values(ascending=False, kind="stable").head(n_suggestions)
    if only is not None:
        size = size[size.index.isin(list(only))]
    if size.empty:
        return cluster, score, ask_spread(claims.iloc[:0], model)
    if only is None:
        spread = ask_spread(_with_places(member_claims(claims[np.isin(cluster, size.index.to_numpy())]), records),
                            model)
        # The mixed ones are split and counted; sets of questions left whole are counted (how many ask one thing)
        flagged = spread.index[spread["ask_spread"] >= MIXED_SHARE].to_numpy()
        sets = spread.index[(spread["questions"] >= QUESTION_SHARE) | spread["matter"].to_numpy(dtype=bool)]
        # not flagged, but a quarter of the members ask unlike the rest: counted as a mixed one is, for a places line
        partly = spread.index[(spread["ask_spread"] >= PLACES_SHARE) & (spread["ask_spread"] < MIXED_SHARE)]
    else:
        # each is split whatever its spread, and only what is left of a split one is read (below): the spread of
        # all of them, read first, was a sixth of the call and none of it used
        spread = ask_spread(claims.iloc[:0], model)
        flagged, sets, partly = size.index.to_numpy(), spread.index, spread.index
    rows = np.flatnonzero(np.isin(cluster, np.union1d(flagged, sets.union(partly))))
    if not len(rows):
        return cluster, score, spread.assign(shared=np.nan, partly=np.nan)
    got = claims.iloc[rows][["cluster", "record", "text", *(["kind"] if "kind" in claims.columns else [])]]
    got = _with_places(got.assign(text=got["text"].astype(str)), records)
    V, rec, group, groups, held, topic = _ask_vectors(got, model)
    if only is not None:
        # what differs between the asks of an action-only suggestion is what they ask it about: its headline's
        # words (the action) are left out of its members' asks, as a set's topic is
        heads = pd.Series(only).reindex(groups).fillna("").astype(str).tolist()
        T = model.own_vectors(heads).astype(bool).astype(np.float32).tocsr()
        held, topic = np.arange(len(groups)), T
        V = unit_rows(_without_topic(V, group, held, T))
    counted = _with_openings(V, records, rec, group, held, topic, model)
    common = _common_words(model.idf_)
    # What each member writes first in the suggestion (its title, most often), as a set of words: where a
    # sub-ask's object shows (:func:`_objects`); a body sentence adds incidental words (生活, 影响).
    head = model.own_vectors(_placeless(got.drop_duplicates(["cluster", "record"]))).astype(bool).astype(np.float32)
    if only is not None:
        # an action-only suggestion's members write the action first (their title, its headline): what they ask
        # it about is in the rest of what they write in it
        head = V.astype(bool).astype(np.float32)
    from minsheng.engine.digest_members import record_writers

    # who wrote each member: users (no user: one writer per message) and voices (copies and near-copies of one
    # text are one), as the table counts them
    found = writers() if writers is not None else record_writers(records)
    user, voice = found["user"][rec], found["voice"][rec]
    word = model.words_by_index()
    new = np.full(len(rec), -1, np.int64)
    shared, alike = pd.Series(np.nan, index=spread.index), pd.Series(np.nan, index=spread.index)
    head = head.tocsr()
    told = partial(_told, records, rec, model)  # whole messages, read only for a suggestion to be split
    for g in range(len(groups)):
        idx, asks, most = np.flatnonzero(group == g), [], None
        if groups[g] in flagged:
            asks, most = _sub_asks((V, counted), (head, told), idx, (user, voice), min_people, word, common,
                                   cut=(model.object_share, model.object_rare))
        elif groups[g] in sets:
            # a set of questions the flag calls one ask: its members share the words of its matter (退休 人员,
            # 公积金 贷款), which are no agreement between two of its questions
            most = _most_alike(counted, idx, (user, voice), min_people, word, "set", common)
        if groups[g] in partly:
            # different asks under one word at many places (交房 late or falsely advertised; 物业 cutting water or
            # leaving), counted as in a mixed suggestion: the shared word pairs them unless it is their topic
            few = _most_alike(counted, idx, (user, voice), min_people, word, "mixed", common)
            alike[groups[g]] = np.nan if few is None else few
        for sub in asks:
            new[sub] = int(new.max(initial=-1)) + 1
        shared[groups[g]] = np.nan if most is None else most
    spread = spread.assign(shared=shared, partly=alike)
    moved = new >= 0
    if not moved.any():
        return cluster, score, spread
    log.info("digest: %d mixed suggestions split into %d asks", len(np.unique(group[moved])), int(new.max()) + 1)
    n = len(records) + 1
    key = pd.Index(np.asarray(groups)[group[moved]].astype(np.int64) * n + rec[moved])
    at = key.get_indexer(cluster[rows].astype(np.int64) * n + claims["record"].to_numpy()[rows])
    rows, sub = rows[at >= 0], new[moved][at[at >= 0]]
    Z = model.embed(with_context(claims.iloc[rows], records))
    C = model._centroids(Z, sub)
    base = model.centroids_.shape[0]
    model.centroids_ = vstack([model.centroids_, C]).tocsr()
    model.n_clusters_ = model.centroids_.shape[0]
    cluster, score = cluster.copy(), score.copy()
    cluster[rows] = base + sub
    score[rows] = np.asarray(Z.multiply(C[sub]).sum(axis=1)).ravel()
    # What is left of a split suggestion is read again (a few suggestions), keeping what its members share.
    split = np.unique(np.asarray(groups)[group[moved]])
    left = claims.assign(cluster=cluster, score=score)
    left = ask_spread(_with_places(member_claims(left[np.isin(cluster, split)]), records), model)
    return cluster, score, pd.concat([spread.drop(index=split, errors="ignore"),  # none read of action-only ones
                                      left.assign(shared=shared.reindex(left.index), partly=np.nan)])


def _with_openings(V: csr_matrix, records: pd.DataFrame, rec: np.ndarray, group: np.ndarray, held: np.ndarray,
                   topic: csr_matrix, model: DigestModel) -> csr_matrix:
    """The ask vectors ``V`` (one row per member, its record ``rec``) with each member's opening added: the
    own words of its message's title, or of its first sentence when it has none (:func:`_opening`), without
    its place and without the word that holds its group's set of questions.
    What :func:`_sub_asks` counts people who ask one same thing by. Why: a long message joins a suggestion by
    a body sentence in its own words (微信 加入 人头 for a complaint titled 传销活动), so five people on one
    ask (传销, 再婚 二胎, 滴滴) were counted as one or two and sent down; the title says what each one asks.
    Read from the message, not from its claims: a message without a title keeps only its first asks as
    claims, so its "first claim" was a late sentence ("不知西地省可不可以？" for 再婚夫妻二胎生育政策)."""
    at = np.unique(rec)
    first = _with_places(pd.DataFrame({"record": at, "text": list(map(_opening, texts_as_read(records, at)))}),
                         records)
    W = csr_matrix(model.own_vectors(_placeless(first)), dtype=np.float32)[pd.Index(first["record"]).get_indexer(rec)]
    return unit_rows(unit_rows(_without_topic(W, group, held, topic)) + V).tocsr()


def _opening(text: str) -> str:
    """What a message opens with: its title (its first line as the run reads it, :func:`~minsheng.engine.titles
    .as_read`), else its first sentence, at most ``OPENING_CHARS``."""
    return first_sentence(text.strip())


def first_sentence(text: str) -> str:
    """The first sentence of ``text``'s first line, at most ``OPENING_CHARS``: a title, or a body's opening."""
    return _SENTENCE_END.split(text.split("\n", 1)[0], 1)[0][:OPENING_CHARS]


def _common_words(idf: np.ndarray) -> np.ndarray:
    """The columns of the words written in every kind of message (居民, 影响, 小区): in ``COMMON_SHARE`` of the
    messages the model was fitted on or more (read from their IDF), and among the ``COMMON_WORDS`` share of its
    vocabulary written most. The second bound keeps a small input's own topic out: in fifty messages, the five of
    one suggestion put its words over 2 %."""
    top = np.argsort(idf, kind="stable")[:int(COMMON_WORDS * len(idf))]
    return np.sort(top[np.exp(1 - idf[top]) >= COMMON_SHARE])


def _ask_groups(V: csr_matrix, idx: np.ndarray, min_people: int, *, topic: str | None = None,
                word: dict[int, str] | None = None, common: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, int] | None:
    """``(idx, group, n)``: the members ``idx`` with words in ``V`` and the ask group of each (``-1``: near no
    group's centre), of ``n`` groups: the members of the first ``_SPREAD_SAMPLE`` whose asks agree pairwise at
    ``SPLIT_COSINE`` (complete linkage), joined when their centres agree at ``SPLIT_APART`` (one ask worded two
    ways), every other member to the group whose centre it is ``SPLIT_COSINE`` like. None when fewer than
    ``2 * min_people`` members have words, or all of them form one group.

    ``topic`` ("set" or "mixed", with ``word``, the vocabulary by index): the words most members write may be
    what the whole suggestion is about rather than what two of its members ask alike (:func:`_glue`); those are
    left out where :func:`_glue` says."""
    idx = idx[V[idx].getnnz(axis=1) > 0]
    head = idx[:_SPREAD_SAMPLE]
    if len(head) < 2 * min_people:
        return None
    apart, unlinked = _glue(V, head, topic, word, common) if topic else (np.zeros(0, np.int64),) * 2
    link = _complete_linkage(_gram(unit_rows(_without(V[head], unlinked)) if len(unlinked) else V[head]), SPLIT_COSINE)
    big = np.unique(link)
    if len(big) < 2:
        return None
    U = _without(V, apart)
    of = np.searchsorted(big, link)
    one = _centroid_linkage(_group_sums(U[head], of, len(big)), SPLIT_APART)
    C = unit_rows(csr_matrix(_group_sums(V[head], one[of], one.max() + 1)))
    best, arg = _nearest(V[idx], C, 1_000)
    arg = np.where(best >= SPLIT_COSINE, arg, -1)
    arg[:len(head)] = one[of]
    return idx, arg, C.shape[0]


def _group_sums(X: csr_matrix, group: np.ndarray, n: int) -> np.ndarray:
    """Per group of ``group`` (``n`` groups), the sum of the rows of ``X`` in it, dense: one sparse product, whose
    sums add each group's rows in their order as ``X[rows].sum(axis=0)`` does (the same floats), not one row
    selection and dense sum per group (a third of :func:`_ask_groups`)."""
    G = csr_matrix((np.ones(len(group), X.dtype), (group, np.arange(len(group)))), shape=(n, X.shape[0]))
    return (G @ X).toarray()


def _glue(V: csr_matrix, head: np.ndarray, topic: str, word: dict[int, str],
          common: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(apart, unlinked)``: of the words ``TOPIC_SHARE`` of the members ``head`` write, those that must not
    join two groups of them (``apart``) and those that must not make two members ask alike (``unlinked``).

    What a whole suggestion is about is no agreement between two of its members. A set of questions left whole
    (``topic`` "set", :func:`split_mixed`): its shared words never join groups (退休, 人员 chained sixteen
    different questions); when they are all nouns, a matter and no act (人才 购房 补贴, 公积金 贷款), or no more
    than ``TOPIC_WORDS`` words (户口 迁移), they make no pair either: nine of sixteen different questions on a
    talent housing subsidy were one group by those three words alone, and seven of eleven on moving a 户口, each
    a case of its own (moving back, a 双女户, a village's benefits), by those two (2026-12-05 h-digest12). People
    who ask one same thing share more than its name (驾驶证 异地 换证) and pair by it. A suggestion flagged mixed
    (``topic`` "mixed"): its members already differ once their place is gone, so one word they still share is
    their topic when it names no problem (教师, 红绿灯, 快递: eight different complaints about teachers counted as
    seven asking one thing, 2026-12-05 h-digest9), and left out of both; a problem word (油烟, 噪音) is what they
    complain of, and two words or more (地铁 扫码) are one ask, unless every one of them is ``common``: written in
    every kind of message (居民 影响 生活: seven different nuisances counted as six asking one thing,
    2026-12-05 h-digest10)."""
    written = V[head].copy()
    written.data[:] = 1.0
    glue = np.flatnonzero(np.asarray(written.mean(axis=0)).ravel() >= TOPIC_SHARE - 1e-6)
    none = np.zeros(0, np.int64)
    if topic == "mixed":
        one = len(glue) == 1 and not PROBLEM.search(word[int(glue[0])])
        if one:
            return glue, glue
        # words written in every kind of message (居民 影响 生活), when they are all the members share, say what no
        # ask is: seven different nuisances were one group of six by those three words alone
        usual = common is not None and len(glue) and np.isin(glue, common).all()
        return (glue, glue) if usual else (none, none)
    return glue, glue if len(glue) and (len(glue) <= TOPIC_WORDS or all(is_noun(word[j]) for j in glue.tolist())) else none


def _without(V: csr_matrix, words: np.ndarray) -> csr_matrix:
    """``V`` without the columns ``words``."""
    if not len(words):
        return V
    keep = np.ones(V.shape[1], np.float32)
    keep[words] = 0
    return (V @ csr_matrix((keep, (np.arange(V.shape[1]), np.arange(V.shape[1]))), shape=(V.shape[1],) * 2)).tocsr()


def _writers(idx: np.ndarray, arg: np.ndarray, n: int, writer: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Per group of ``arg`` (``n`` groups), its distinct writers: users, and voices (copies of one text)."""
    user, voice = writer
    return np.array([min(len(np.unique(user[idx[arg == k]])), len(np.unique(voice[idx[arg == k]]))) for k in range(n)])


def _sub_asks(V: tuple[csr_matrix, csr_matrix], written: tuple[csr_matrix, Callable[[np.ndarray], csr_matrix]],
              idx: np.ndarray, writer: tuple[np.ndarray, np.ndarray], min_people: int, word: dict[int, str],
              common: np.ndarray | None = None, *, cut: tuple[float, float],
              ) -> tuple[list[np.ndarray], int | None]:
    """The sub-asks of one mixed suggestion whose members' ask vectors are ``V[0][idx]``, first claims' words
    ``written[0][idx]`` and writers ``writer`` (user, voice; see :func:`split_mixed`): positions into ``V`` per
    sub-ask; none unless two or more sub-asks, each of ``min_people`` writers and with an object of its own
    (:func:`_objects`, by ``cut``: the model's ``object_share`` and ``object_rare``, the same test of an object
    that joins two suggestions), differ, and none when every sub-ask's objects are only circumstances of one ask
    (:func:`_one_story`; ``written[1]``: the words of given members' whole messages; then all its writers ask
    one thing, the count returned). Groups are as :func:`_ask_groups` finds them: groups whose centres agree at
    ``SPLIT_APART`` are one ask worded two ways (拖欠工资 at two pairs of companies). One writer's two messages
    (a re-post, a reminder) are no sub-ask.

    Also the most writers that ask one same thing among the members left in the suggestion (those of no
    sub-ask), grouped alike but by ``V[1]``, the asks with each member's opening (:func:`_with_openings`):
    what the suggestion is ranked by when it stays mixed (None: too few members read to tell, or all of them
    one group). Counting only members whose asks agree pairwise (at ``SPLIT_COSINE`` or ``MIXED_COSINE``)
    undercounts one ask worded many ways: five wage-arrears complaints counted as two (docs/engine/digest.md,
    2026-12-05 h-digest5)."""
    V, counted = V
    written, told = written
    asks = []
    found = _ask_groups(V, idx, min_people)
    if found is not None:
        got, arg, n = found
        writers = _writers(got, arg, n, writer)
        objects = {k: _objects(written[got], arg == k, word, cut) for k in range(n) if writers[k] >= min_people}
        objects = {k: o for k, o in objects.items() if len(o)}
        if len(objects) >= 2 and _one_story(told(got), arg, objects, cut[1]):
            # one ask told from different circumstances: all its writers ask it (counted, ranked and headed so)
            return [], int(_writers(idx, np.zeros(len(idx), np.int64), 1, writer)[0])
        if len(objects) >= 2:
            asks = [got[arg == k] for k in objects]
    # Counted as asking one same thing among the members left: a group as found here (pairs that agree, joined
    # when their centres agree); members near no group's centre (-1) each ask alone.
    left = np.setdiff1d(idx, np.concatenate(asks)) if asks else idx
    return asks, _most_alike(counted, left, writer, min_people, word, "mixed", common)


def _most_alike(counted: csr_matrix, idx: np.ndarray, writer: tuple[np.ndarray, np.ndarray], min_people: int,
                word: dict[int, str], topic: str, common: np.ndarray | None = None) -> int | None:
    """The most writers of the members ``idx`` who ask one same thing, their asks with openings ``counted``
    grouped as :func:`_ask_groups` groups them (members near no group's centre each ask alone; ``topic``: "set"
    or "mixed", what the words most members write may not do, :func:`_glue`); None when too few members were
    read to tell, or all of them are one group."""
    found = _ask_groups(counted, idx, min_people, topic=topic, word=word, common=common)
    if found is None:
        return None
    got, arg, n = found
    return int(max([*_writers(got, arg, n, writer).tolist(), 1]))


def _objects(written: csr_matrix, inside: np.ndarray, word: dict[int, str], cut: tuple[float, float]) -> np.ndarray:
    """The objects the members ``inside`` (rows of ``written``: the words of each member's first claim) share
    and the other members of their suggestion lack, as columns: words at least ``cut[0]`` of them write
    and under ``cut[1]`` of the others (:func:`_is_object`: not a word of time, not the others' word one
    character longer or shorter). Two sub-asks without one are one ask worded two ways (油烟 from 烧烤 and from
    餐馆)."""
    if inside.all() or not inside.any():
        return np.zeros(0, np.int64)
    share_in = np.asarray(written[inside].mean(axis=0)).ravel()
    share_out = np.asarray(written[~inside].mean(axis=0)).ravel()
    share, rare = cut
    others = [word[j] for j in np.flatnonzero(share_out >= rare)]
    cols = np.flatnonzero((share_in >= share) & (share_out < rare))
    return np.asarray([j for j in cols.tolist() if _is_object(word[j], others)], dtype=np.int64)


def _one_story(told: csr_matrix, arg: np.ndarray, objects: dict[int, np.ndarray], rare: float) -> bool:
    """Whether the sub-asks ``objects`` (group of ``arg`` → its object columns) are one ask told from different
    circumstances: every object of every sub-ask is told, somewhere in their messages (rows of ``told``, the
    words of each member's whole message), by ``rare`` of the members outside it. A different ask's
    object is written by those who ask it (异地 公积金 贷款, 医保 报销: none or a tenth of the others);
    a circumstance of one ask is the others' story too, though their first sentence puts another first:
    ten asking to register a child born over quota were four pieces by 二胎, 户口 and 结扎, each told in the
    bodies of a quarter to two thirds of the other pieces' members (docs/engine/digest.md, h-digest14)."""
    for k, cols in objects.items():
        out = told[arg != k]
        if (np.asarray(out[:, cols].mean(axis=0)).ravel() < rare).any():
            return False
    return True


def _told(records: pd.DataFrame, rec: np.ndarray, model: DigestModel, at: np.ndarray) -> csr_matrix:
    """The words (0/1, without the place they name) of the whole messages of the members at positions ``at``
    of ``rec`` (their records): read only for a suggestion about to be split."""
    texts = pd.DataFrame({"record": rec[at], "text": np.asarray(texts_at(records["text"], rec[at]), dtype=object)})
    return csr_matrix(model.own_vectors(_placeless(_with_places(texts, records))).astype(bool), dtype=np.float32)


def _placeless(got: pd.DataFrame) -> list[str]:
    """The ``text`` of each row of ``got`` without the ``place`` and ``place_key`` its record names (when
    those columns are there): what is asked, not where."""
    names = [got[c].to_numpy() if c in got.columns else np.full(len(got), None, dtype=object)
             for c in ("place", "place_key")]
    texts = []
    for text, *place in zip(got["text"].astype(str).tolist(), *names, strict=True):
        for p in place:
            if isinstance(p, str) and p:
                text = text.replace(p, " ")
        texts.append(text)
    return texts


def _centroid_linkage(sums: np.ndarray, t: float) -> np.ndarray:
    """Groups of the rows of ``sums`` (sums of member vectors), numbered from 0: the two groups whose centres
    (normalised sums) agree best are joined while they agree at ``t`` or more. Few rows (a suggestion's
    sub-asks)."""
    sums = np.asarray(sums, dtype=np.float64)
    group = np.arange(len(sums))
    while True:
        ids = np.unique(group)
        C = np.vstack([sums[group == k].sum(axis=0) for k in ids])
        C /= np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-12)
        S = np.triu(C @ C.T, 1)
        if len(ids) < 2 or S.max() < t:
            return np.unique(group, return_inverse=True)[1]
        a, b = np.unravel_index(S.argmax(), S.shape)
        group[group == ids[b]] = ids[a]


def _with_places(got: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """``got`` (claims with ``record``) with the ``place`` and ``place_key`` their records name, when known:
    what :func:`ask_spread` leaves out of an ask."""
    at = got["record"].to_numpy()
    return got.assign(**{c: records[c].iloc[at].to_numpy() for c in ("place", "place_key") if c in records.columns})


def fit_model(item: tuple[DigestModel, pd.DataFrame, int | None, str]) -> DigestModel:
    """``(model, sample, max_claims, path)``: the model fitted on the sample's claims (``max_claims`` None: the
    sample is its claims already), saved at ``path``. Public (like :func:`split_part`) because the pipeline
    starts it ahead of the stage (:class:`~minsheng.engine.pipeline._Ahead`): one function, the same model."""
    import joblib

    model, sample, max_claims, path = item
    model.fit(sample if max_claims is None else digest_claims(sample, max_claims=max_claims))
    joblib.dump(model, path)
    return model


def fit_sample(records: pd.DataFrame, model: DigestModel, *, max_claims: int = 2,
               random_state: int = 0) -> pd.DataFrame:
    """The records whose claims the model is fitted on: a seeded sample of the representatives (``records``
    indexed from 0), with their place keys. One function for the stage and for a fit started before it."""
    # The rows sampled, found before any column is taken: filtering the whole frame copied every column.
    pool = (np.flatnonzero(records["is_representative"].fillna(True).astype(bool).to_numpy())
            if "is_representative" in records.columns else np.arange(len(records)))
    n_sample = max(1, model.sample_size // max_claims)
    if len(pool) > n_sample:
        rng = np.random.default_rng(random_state)
        pool = pool[np.sort(rng.choice(len(pool), n_sample, replace=False))]
    # Taken a span of records at a time (pool is ascending): one iloc of the whole frame joined every chunk of its
    # Arrow text column first (0.4-0.9 CPU-s at a million records, before any worker starts).
    columns = records[["text", *(c for c in ("title_end", "place_key", "place_kind") if c in records.columns)]]
    spans = list(DistinctParts(columns, pool, _SAMPLE_SPAN))
    sample = pd.concat(spans).set_axis(records.index[pool]) if spans else columns.iloc[pool]
    if "place_key" not in sample.columns:
        from minsheng.engine.places import place_columns

        sample = sample.join(place_columns(sample)[["place_key"]])
    return sample


def digest_inputs(records: pd.DataFrame, *, batch_rows: int, max_claims: int = 2, random_state: int = 0,
                  distinct: tuple[np.ndarray, np.ndarray] | None = None, **params):
    """What the stage reads before its first step: (the records indexed from 0, the unfitted model, its
    :func:`fit_sample`, (each record's distinct-text code, the first record of each), the partitions of the
    distinct texts). One function for
    :func:`run_digest` and for its first steps started before it (:class:`~minsheng.engine.pipeline._Ahead`), so
    both fit on the same sample and split the same partitions. The records carry ``title_end`` (the run's
    reading of their titles, :func:`~minsheng.engine.titles.title_ends`, decided over all of them where they did
    not), so every partition and the sample read titles alike.

    Each distinct text is read once (its place key is found from the text, so it is the same for every copy): a
    form letter sent 10,000 times costs one row, and its claims are copied to every sender."""
    records = records.reset_index(drop=True)
    if "title_end" not in records.columns:
        records = records.assign(title_end=title_ends(records).astype(np.int32))
    model = DigestModel(random_state=random_state, **params)
    sample = fit_sample(records, model, max_claims=max_claims, random_state=random_state)
    cols = ["text", "title_end", *(["place_key"] if "place_key" in records.columns else [])]
    codes, first = distinct if distinct is not None else text_codes(records["text"])
    return records, model, sample, (codes, first), DistinctParts(records[cols], first, batch_rows)


def _writer_columns(records: pd.DataFrame) -> list[str]:
    """The columns of ``records`` that :func:`~minsheng.engine.digest_members.record_writers` reads (what a
    worker is sent)."""
    from minsheng.engine.digest_members import WRITER_COLUMNS

    return [c for c in (*WRITER_COLUMNS, *([] if "dup_group" in records.columns else ["text"])) if c in records.columns]


def digest_spill(scratch: str | Path) -> Path:
    """The folder of the run's scratch where :func:`split_part` writes the partitions' claims (made here)."""
    spill = Path(scratch) / "digest_claims"
    spill.mkdir(parents=True, exist_ok=True)
    return spill


def split_part(item: tuple[int, pd.DataFrame], *, max_claims: int, folder: str) -> str:
    """:func:`first_claims` of partition ``item = (i, records)``, written to ``folder`` while the model is
    fitted; the path is returned. Held in the parent, a million records' claims were about 0.6 GB of the
    stage's peak. An uncompressed Arrow file, read once by :func:`_assign_part` on this host: Parquet's encoding
    and compression were 13-15 % of this function's CPU and its decoding a few % of the assignment's (the same
    frame, dtypes included, either way). Public because the pipeline splits partitions ahead of the stage
    with it (:class:`~minsheng.engine.pipeline._Ahead`), into the same files."""
    i, records = item
    path = Path(folder) / f"claims-{i:05d}.arrow"
    first_claims(records, max_claims=max_claims).to_feather(path, compression="uncompressed")
    return str(path)


def _assign_part(item: tuple[pd.DataFrame, str | None], *, model: str, max_claims: int, folder: str) -> pd.DataFrame:
    """:func:`assign_claims` of a partition: ``(records, path of its split)``, or ``(records, None)`` to split it
    here first (:func:`first_claims`, as :func:`split_part` would) once the model is fitted: one task, so the
    partition is sent to a worker once, its texts are made Python strings once, its claims are not written to a
    file and read back, and no map's end waits for its slowest partition before the assignment starts."""
    records, path = item
    split = None  # split by assign_claims, on the texts shared_segmentation made Python strings once for both
    if path is not None:
        split = pd.read_feather(path)
        Path(path).unlink()
    from minsheng.engine.pipeline import give_back_memory

    # the texts become Python strings once, in shared_segmentation, for its key and the claims' contexts alike
    claims = shared_segmentation(records, func=partial(assign_claims, model=model, max_claims=max_claims, split=split),
                                 folder=folder)
    # The worker then idles through the table (or words suggestions, which need little): what the assignment
    # freed is returned to the system, not counted in the stage's peak (about 0.4 GB a worker at a million rows).
    give_back_memory()
    return claims


def run_digest(records: pd.DataFrame, *, scratch: str | Path, executor=None, batch_rows: int = 25_000,
               n_suggestions: int = 1000, min_people: int = 2, max_claims: int = 2, random_state: int = 0,
               completed=None, wording=None, distinct: tuple[np.ndarray, np.ndarray] | None = None,
               ahead: tuple | None = None, **params) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame, DigestModel]:
    """The digest stage: fit on a sample, assign every partition's claims, build the tables.

    ``executor`` is a callable returning a context manager whose object has an ordered ``map`` (the
    pipeline's worker pool); None runs in this process. The model is saved in ``scratch`` for the workers.
    With workers and more than one partition, one worker fits the model while the others split the messages
    into claims (:func:`first_claims`), and the suggestions are worded in the workers
    (:func:`~minsheng.engine.digest_wording.suggestion_texts`): this process's own work was most of the stage's
    wall time. The outputs are the same either way.
    ``completed(records)``, when given, returns the records with the columns the tables read but the fit and
    the claims do not (campaigns, departments), called only once the claims are assigned: a small run starts
    its digest before those stages end. ``wording``, an executor, words the suggestions of a run of one partition
    (the pipeline's parent process, once idle: :class:`~minsheng.engine.pipeline._SharedParts`). ``distinct``: the
    code of each record's text and the first record of each code, when the caller found them already (the
    pipeline's earlier stages do: hashing a million texts again was a second of this process alone). Returns
    each record's main ``suggestion_id``, the suggestions and novel-ideas tables, and the model.
    ``ahead``: (the future of the fitted model or None, the futures of the first partitions' :func:`split_part`
    paths), computed by the caller before the stage (the pipeline's idle core during hot issues:
    :class:`~minsheng.engine.pipeline._Ahead`) with the same functions, so the outputs are the same. With the
    model fitted ahead, the partitions not split ahead are split and assigned in one task each.
    Titles are read as the run decided (the records' ``title_end``, or decided here over all of them:
    :func:`digest_inputs`).
    """
    import contextlib

    from minsheng.engine.digest_members import record_writers
    from minsheng.engine.digest_table import suggestion_table
    from minsheng.engine.novel import novel_ideas

    records, model, sample, (codes, first), parts = digest_inputs(
        records, batch_rows=batch_rows, max_claims=max_claims, random_state=random_state, distinct=distinct, **params)
    path = Path(scratch) / "digest_model.joblib"
    # The pipeline's earlier stages saved the words of these same partitions of distinct texts: read, not cut again.
    folder = str(Path(scratch) / "tokens")
    with (executor() if executor is not None else contextlib.nullcontext()) as ex:
        if ex is not None and len(parts) > 1:
            # Workers split the messages into claims while one of them fits the model (one core's work): the
            # claims need no model, and the other cores were idle during the fit. What ``ahead`` computed
            # already (the fit, the first partitions' splits) is taken instead.
            fitted, done = ahead if ahead is not None else (None, [])
            func = partial(_assign_part, model=str(path.resolve()), max_claims=max_claims, folder=folder)
            if fitted is None:
                fitted = ex.submit(fit_model, (model, sample, max_claims, str(path)))
                spill = digest_spill(scratch)
                rest = list(ex.map(partial(split_part, max_claims=max_claims, folder=str(spill.resolve())),
                                   ((i, parts[i]) for i in range(len(done), len(parts)))))
                splits = [split.result() for split in done] + rest
                model = fitted.result()
                results = list(ex.map(func, zip(parts, splits, strict=True)))
            else:
                # The model was fitted ahead: each partition not split ahead is split and assigned in one task, and
                # those come first (the split ahead in flight, if any, ends meanwhile); results in partition order.
                model = fitted.result()
                order = [*range(len(done), len(parts)), *range(len(done))]
                got = ex.map(func, ((parts[i], done[i].result() if i < len(done) else None) for i in order))
                results = [r for _, r in sorted(zip(order, got, strict=True), key=lambda pair: pair[0])]
        elif len(parts) == 1 and records["text"].notna().all():
            # One partition: its messages are split into claims once, for the fit's sample (representatives,
            # whose texts are among the partition's) and for the assignment, and the model is used as fitted.
            split = first_claims(parts[0], max_claims=max_claims)
            of_sample = split if split.empty else _spread(split.rename(columns={"row": "record"}),
                                                          codes[sample.index.to_numpy()],
                                                          len(parts[0])).rename(columns={"record": "row"})
            fit_model((model, _in_context(sample, of_sample), None, str(path)))
            func = partial(assign_claims, model=model, max_claims=max_claims, split=split)
            results = [shared_segmentation(parts[0], func=func, folder=folder)]
        else:
            model = fit_model((model, sample, max_claims, str(path)))
            func = partial(assign_claims, model=str(path.resolve()), max_claims=max_claims)
            func = partial(shared_segmentation, func=func, folder=folder)
            results = list(ex.map(func, parts)) if ex is not None else [func(p) for p in parts]
        if completed is not None:
            records = completed(records)
        pooled = ex is not None and len(parts) > 1
        # Who wrote each record (users, voices, copies, likes) is read of the records alone: a worker, idle from
        # here until the first wording block, finds it while this process spreads the claims and splits the mixed
        # suggestions (which read it first), and the table counts by the same arrays.
        # computed once and kept: a worker's future hands its result over once, and both readers ask
        writers = cache(ex.submit(record_writers, records[_writer_columns(records)]).result if pooled
                       else partial(record_writers, records))
        results = [r for r in results if len(r)]
        claims = pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=CLAIM_COLUMNS)
        # Texts and kinds as codes into their distinct values: the spread repeats a form letter's claims for
        # every sender and the table copies the kept claims, and each copy of a text column was hundreds of MB
        # at a million records.
        claims = claims.astype({"record": np.int64, "cluster": np.int64}).assign(
            text=_coded(claims["text"]), kind=_coded(claims["kind"]))
        claims = _spread(claims, codes, len(first))
        # One BLAS thread here, as in the workers: the dense products of this process are tiny (the centres of a
        # suggestion's 30 members read, in _centroid_linkage), and a pool of BLAS threads woken for each of them
        # spun more than it computed (split_mixed 3.9-4.4 → 1.8-2.3 CPU-s at a million records).
        with threadpool_limits(limits=1):
            cluster, score, spread = split_mixed(claims, records, model, min_people=min_people,
                                                 n_suggestions=n_suggestions, writers=writers)
            claims = claims.assign(cluster=cluster, score=score)
            # The suggestions are worded in the workers already started for the claims (a run of one partition
            # starts none, and words them here).
            table, main = suggestion_table(records, claims, model, min_people=min_people, n_suggestions=n_suggestions,
                                           executor=ex if len(first) > batch_rows else wording,
                                           spread=spread, writers=writers)
    people = _messages(claims["cluster"].to_numpy(), claims["record"].to_numpy())
    suggested = np.zeros(max(model.n_clusters_, 1), dtype=bool)
    suggested[people[people >= min_people].index.to_numpy()] = True  # messages, a cheap upper bound of users
    idf = {w: float(model.idf_[i]) for w, i in model.vocabulary_.items()}
    novel = novel_ideas(records, claims, suggested, idf)
    return main, table, novel, model
