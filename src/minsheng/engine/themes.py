"""Theme discovery (主题归纳): two levels of clusters, fitted on a sample, applied to any number of records.

Why this shape: clustering a million documents directly (UMAP + HDBSCAN, agglomerative, anything pairwise)
is quadratic or close to it; BERTopic users report hours. Here everything after the fit is a fixed linear map
plus a nearest-centroid search, so cost grows linearly with N and records can be assigned partition by
partition, in another process or on a Dask worker, without refitting.

Steps of :class:`ThemeModel`:

1. draw a sample (``sample_size``, seeded) of the texts;
2. words by rjieba with stop words removed (:mod:`minsheng.engine.tokens`), TF-IDF with a vocabulary learned
   on the sample (``max_features``; words never seen in the sample are ignored later, which is what lets
   keywords be real words rather than hashes);
3. ``TruncatedSVD`` to ``n_components`` dimensions (LSA), rows scaled to unit length so dot product = cosine;
4. **micro-clusters**: a first ``KMeans`` with ``n_broad`` clusters splits the sample into blocks, then
   ``KMeans`` inside each block over-segments it into ``max(2 * sqrt(N), sample / 25)`` micro-clusters (2,000
   for a million records), shared out in proportion to the blocks' sizes. Blocked because k-means++ seeding
   of 2,000 clusters at once costs a minute, twenty of 100 a few seconds;
5. **fine themes** — the "distinct suggestions" — are micro-clusters joined by average-linkage agglomerative
   clustering (cosine) of their centroids until they are ``fine_distance`` (0.15) apart, or to exactly
   ``n_fine`` themes when that is given. Why not k-means with k = the number of themes: nobody knows that
   number, and k-means cuts in a different place for each seed: on the synthetic corpus with 864 planted
   suggestions, k = 864 gave ARI 0.68 between seeds; k = 100 was stable (0.86) only because it merged the
   planted suggestions (0.44 against them). Over-segmenting
   and joining finds the structure that is there: the number of fine themes follows the data, and the join
   has no random start;
6. **broad themes**: the same joining of the fine centroids into ``n_broad`` groups, so each fine theme has
   exactly one broad parent;
7. ids ordered by size: broad ``B01`` is the largest, its fine themes ``B01-001``, ``B01-002`` … largest first,
   so ids are deterministic for a seed and readable.

Measured on the synthetic corpus (``minsheng synth --seed 7``, 100,000 records, 12 generated themes of 72
specific suggestions each, 864 in all): about 695 fine themes; adjusted Rand index between seeds 0 and 1 is
0.84 for fine themes (0.81 against the generator's suggestions) and 0.93 for broad themes (0.92 against its
themes). :func:`theme_stability` computes both for the benchmark (``make bench``, seed 2020: 0.84 / 0.89). On the 6,670 real messages of ``teddy2020`` few
micro-clusters are close enough to join (196 fine themes of 198 micro-clusters): real complaints are more
varied than generated ones.

New records go to the nearest micro-cluster centroid (one matrix product per batch) and take its fine theme and
broad parent.
Records whose text has no word of the vocabulary (empty, or only stop words) get ``B00-000`` (未归类).

Output columns (added by :func:`assign_themes`): ``theme_id`` (fine id, e.g. ``B03-017``; the broad id is its
first three characters), ``theme_broad_id`` (``B03``) and ``theme_score`` (cosine to the fine theme's centroid, used to
pick representative messages).

>>> model = ThemeModel(n_broad=2, n_fine=4).fit(texts)          # doctest: +SKIP
>>> model.predict(["小区夜间施工噪音扰民"])                        # doctest: +SKIP
array(['B01-002'], dtype=object)
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import rjieba
from sklearn.base import BaseEstimator
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import cosine_distances
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs import mean_variance_axis
from threadpoolctl import threadpool_limits

from minsheng.engine.asks import REFERS_BACK
from minsheng.engine.commonness import FIRST_PERSON, Commonness, named_places
from minsheng.engine.errors import InputError, require_columns
from minsheng.engine.places import KINDS_OF_PLACE
from minsheng.engine.result import load_model
from minsheng.engine.titles import as_read, title_ends
from minsheng.engine.tokens import batch_counts, count_matrix

__all__ = [
    "UNASSIGNED",
    "THEME_COLUMNS",
    "ThemeModel",
    "assign_themes",
    "fit_themes",
    "theme_stability",
    "theme_table",
]

log = logging.getLogger(__name__)

UNASSIGNED = "B00-000"
THEME_COLUMNS = [
    "theme_id", "level", "parent_id", "label", "keywords", "n_messages", "n_users",
    "representative_1", "representative_2", "representative_3",
]
_N_KEYWORDS = 8
_SEARCH_BROAD = 3  # broad themes whose micro-centroids a record is compared with (see _nearest_centroid)


_ROW_HASH = np.random.default_rng(0).integers(1, 2**62, size=4096, dtype=np.int64) | 1


def _n_distinct(Z: np.ndarray) -> int:
    """Distinct rows (to 4 decimals): KMeans cannot make more clusters than that.

    Each rounded row becomes one exact integer hash (integer arithmetic wraps, never rounds), so a sort of
    n numbers replaces ``np.unique(axis=0)``'s sort of n rows: 8 % of the theme fit before.
    """
    if Z.shape[1] > len(_ROW_HASH):  # pragma: no cover - wider than any LSA here
        return len(np.unique(Z.round(4), axis=0))
    with np.errstate(over="ignore"):
        keys = np.sort(np.rint(Z * 1e4).astype(np.int64) @ _ROW_HASH[: Z.shape[1]])
    return int(len(keys) and 1 + np.count_nonzero(keys[1:] != keys[:-1]))


def _no_spread(X) -> bool:
    """Whether every sampled row is the same vector: one suggestion, or copies of one sampled once. A
    decomposition of such rows is undefined (TruncatedSVD divides by their total variance, 0) and has nothing to
    find; the rows' own direction is the whole space. Other inputs are decomposed as before."""
    return X.shape[0] < 2 or float(mean_variance_axis(X, axis=0)[1].sum()) == 0.0


def _one_direction(X) -> TruncatedSVD:
    """The exact decomposition of rows that are all one vector: that vector, unit length, as the only component
    (a text is then embedded by its cosine with it)."""
    svd = TruncatedSVD(n_components=1)
    svd.components_ = normalize(X[:1].toarray()).astype(np.float32)
    svd.n_features_in_ = X.shape[1]
    return svd


def _allocate(total: int, sizes: np.ndarray) -> np.ndarray:
    """Split ``total`` clusters over groups in proportion to their size (largest remainder, at least 1)."""
    share = total * sizes / max(sizes.sum(), 1)
    k = np.maximum(1, np.floor(share).astype(int))
    for i in np.argsort(-(share - np.floor(share)), kind="stable")[: max(0, total - k.sum())]:
        k[i] += 1
    return k


def _average_link(points: np.ndarray, *, n_clusters: int | None = None, distance: float | None = None) -> np.ndarray:
    """Group label of each unit row: average-linkage cosine clustering into ``n_clusters`` groups, or joining
    while groups are closer than ``distance``. No random start, so the same points always give the same
    groups; quadratic in the number of points (a few thousand centroids), never in N."""
    if len(points) < 2 or n_clusters == 1:
        return np.zeros(len(points), dtype=int)
    if n_clusters is not None:
        n_clusters, distance = min(n_clusters, len(points)), None
    metric = "cosine"
    if not np.any(points, axis=1).all():
        # A zero row (a text orthogonal to every kept direction: three one-word texts sharing no word, reduced to
        # two) is refused by the cosine metric; as distances it is 1 from every other point.
        points, metric = cosine_distances(points), "precomputed"
    return AgglomerativeClustering(n_clusters=n_clusters, distance_threshold=distance, linkage="average",
                                   metric=metric).fit_predict(points)


def _sample(n: int, size: int, random_state: int) -> np.ndarray:
    """Positions of the texts a model is fitted on: ``size`` of ``n`` drawn with ``random_state`` (in order),
    or all of them."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, size=size, replace=False))


def default_n_fine(n_total: int, n_broad: int) -> int:
    """``sqrt(N)``, at least ``n_broad``: half the micro-clusters for a large N (1,000 for a million)."""
    return max(n_broad, int(round(math.sqrt(max(n_total, 1)))))


class ThemeModel(BaseEstimator):
    """Two-level themes learned from a sample; see the module docstring for the method.

    Parameters are stored unchanged (scikit-learn contract); learned state ends in ``_``:
    ``words_`` and ``vocabulary_`` (word → column, learned on the sample), ``tfidf_``, ``svd_``, ``fine_centroids_`` (unit rows, ordered as ``fine_ids_``), ``fine_ids_``,
    ``broad_ids_``, ``parent_`` (broad id of each fine theme), ``keywords_`` (id → list of words),
    ``n_fine_`` and ``sample_size_``.
    """

    def __init__(self, n_broad: int = 20, n_fine: int | None = None, fine_distance: float = 0.15,
                 sample_size: int = 50_000, n_components: int = 200, max_features: int = 50_000,
                 random_state: int = 0):
        self.n_broad = n_broad
        self.n_fine = n_fine
        self.fine_distance = fine_distance
        self.sample_size = sample_size
        self.n_components = n_components
        self.max_features = max_features
        self.random_state = random_state

    def __setstate__(self, state):
        """Models saved before fine themes were joined micro-clusters have one centroid per fine theme."""
        super().__setstate__(state)
        if "fine_centroids_" in state and "centroids_" not in state:
            self.centroids_ = self.fine_centroids_
            self.centroid_rows_ = np.arange(len(self.fine_ids_))

    # -- fitting -------------------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], y=None, *, n_total: int | None = None) -> ThemeModel:
        """Learn themes from (a sample of) ``texts``.

        ``n_total`` is the size of the whole collection when ``texts`` is already a sample (the pipeline
        samples partitions); it only sets the default number of fine themes.

        Runs on one BLAS/OpenMP thread: the many small k-means fits and products are dominated by thread
        start-up and spinning, which made the fit ten times slower on a busy 2-core machine (1.5 s vs 15 s
        on 3,000 messages); parallelism comes from partitions in worker processes instead.
        """
        with threadpool_limits(limits=1):
            return self._fit(texts, n_total)

    def _fit(self, texts: Sequence[str], n_total: int | None) -> ThemeModel:
        texts = list(texts)
        if not texts:
            raise InputError("no texts to learn themes from", field="text")
        sample = [texts[i] for i in _sample(len(texts), self.sample_size, self.random_state)]
        self.sample_size_ = len(sample)
        counts = self._learn_vocabulary(sample)
        self.tfidf_ = TfidfTransformer(sublinear_tf=True)
        X = self.tfidf_.fit_transform(counts).astype(np.float32)
        k = min(self.n_components, X.shape[1] - 1)
        if k < 2:
            raise InputError("too few distinct words to learn themes", field="text")
        if _no_spread(X):
            self.svd_ = _one_direction(X)
            reduced = self.svd_.transform(X)
        else:
            self.svd_ = TruncatedSVD(n_components=k, random_state=self.random_state)
            reduced = self.svd_.fit_transform(X)
        Z = normalize(reduced.astype(np.float64))  # float32 makes k-means++ upcast: 10x slower
        self.svd_.components_ = self.svd_.components_.astype(np.float32)  # half the model size to ship
        has_words = np.asarray(X.getnnz(axis=1) > 0)
        Zw, Xw = Z[has_words], X[has_words]
        n_micro = max(2 * (self.n_fine or default_n_fine(n_total or len(texts), self.n_broad)), len(Zw) // 25)
        micro, micro_sizes, micro_labels = self._micro_clusters(Zw, n_micro)
        fine_of_micro = (_average_link(micro, n_clusters=self.n_fine) if self.n_fine
                         else _average_link(micro, distance=self.fine_distance))
        n_fine = int(fine_of_micro.max()) + 1
        self.n_fine_ = n_fine
        sizes = np.bincount(fine_of_micro, weights=micro_sizes, minlength=n_fine)
        centroids = np.zeros((n_fine, micro.shape[1]))
        np.add.at(centroids, fine_of_micro, micro * micro_sizes[:, None])
        centroids = normalize(centroids)
        log.info("themes: %d fine themes from %d micro-clusters of %d sampled texts", n_fine, len(micro), len(sample))
        # Broad themes are the fine centroids joined the same way: on the synthetic corpus (100k records, 12
        # true themes) it gave ARI 0.93 between seeds and 0.97 against the truth, where k-means on the same
        # centroids gave 0.78 and 0.78.
        broad_of_fine = _average_link(centroids, n_clusters=self.n_broad)
        position = self._name_clusters(centroids, sizes, broad_of_fine, int(broad_of_fine.max()) + 1)
        self.centroids_ = micro.astype(np.float32)
        self.centroid_rows_ = position[fine_of_micro]
        self._learn_keywords(Xw, self.centroid_rows_[micro_labels])
        return self

    def _micro_clusters(self, Z: np.ndarray, n_micro: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Over-segment the sample: ``KMeans`` inside blocks cut by a first ``KMeans`` of ``n_broad`` clusters.

        Blocked because k-means++ seeding of 2,000 clusters at once costs a minute, twenty of 100 a few
        seconds. Returns unit centroids, their sizes and each sampled row's micro-cluster.
        """
        n_blocks = max(1, min(self.n_broad, _n_distinct(Z)))
        blocks = KMeans(n_clusters=n_blocks, random_state=self.random_state, n_init=1).fit(Z).labels_
        labels = np.empty(len(Z), dtype=int)
        centroids, sizes = [], []
        for b, k in enumerate(_allocate(n_micro, np.bincount(blocks, minlength=n_blocks))):
            members = np.flatnonzero(blocks == b)
            k = max(1, min(k, _n_distinct(Z[members])))
            km = KMeans(n_clusters=k, random_state=self.random_state, n_init=1, max_iter=100).fit(Z[members])
            labels[members] = km.labels_ + len(centroids)
            centroids.extend(normalize(km.cluster_centers_))
            sizes.extend(np.bincount(km.labels_, minlength=k))
        return np.asarray(centroids), np.asarray(sizes, dtype=float), labels

    def _learn_vocabulary(self, sample: list[str]):
        """Words seen in at least 2 sampled texts (1 for tiny samples) and at most half of them, the
        ``max_features`` most frequent; returns the sample's counts over them.

        What ``CountVectorizer(min_df, max_df, max_features)`` does, on :func:`batch_counts`, which segments
        the whole sample in one call: four times faster on 50,000 texts.
        """
        counts, words = batch_counts(sample)
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        total = np.asarray(counts.sum(axis=0)).ravel()
        min_df = 2 if len(sample) >= 50 else 1
        ok = np.flatnonzero((df >= min_df) & (df <= max(1, 0.5 * len(sample))))
        if not len(ok):
            raise InputError("no words to learn themes from (every word is a stop word, or too rare)", field="text")
        words = np.asarray(words, dtype=object)
        best = ok[np.lexsort((words[ok], -total[ok]))[: self.max_features]]
        best = best[np.argsort(words[best], kind="stable")]  # columns in word order, as CountVectorizer
        self.words_ = words[best]
        self.vocabulary_ = {w: i for i, w in enumerate(self.words_)}
        return counts[:, best]

    def _name_clusters(self, centroids: np.ndarray, sizes: np.ndarray, broad_of_fine: np.ndarray,
                       n_broad: int) -> np.ndarray:
        """Give ids ordered by size (ties by cluster number); returns old fine label -> new row."""
        broad_sizes = np.bincount(broad_of_fine, weights=sizes, minlength=n_broad)
        broad_order = np.lexsort((np.arange(n_broad), -broad_sizes))
        broad_name = {b: f"B{r + 1:02d}" for r, b in enumerate(broad_order)}
        order, ids, parents = [], [], []
        for b in broad_order:
            members = np.flatnonzero(broad_of_fine == b)
            members = members[np.lexsort((members, -sizes[members]))]
            for r, f in enumerate(members):
                order.append(f)
                ids.append(f"{broad_name[b]}-{r + 1:03d}")
                parents.append(broad_name[b])
        order = np.asarray(order)
        self.fine_centroids_ = centroids[order].astype(np.float32)
        self.fine_ids_ = np.asarray(ids, dtype=object)
        self.parent_ = np.asarray(parents, dtype=object)
        self.broad_ids_ = np.asarray([broad_name[b] for b in broad_order], dtype=object)
        position = np.empty(len(order), dtype=int)
        position[order] = np.arange(len(order))
        return position

    def _learn_keywords(self, X, rows: np.ndarray) -> None:
        """Top words per theme: highest mean TF-IDF among the sampled members (fine) or children (broad)."""
        vocab = self.words_
        n = len(self.fine_ids_)
        member = pd.Series(rows).groupby(rows).indices
        self.keywords_: dict[str, list[str]] = {}
        fine_means = np.zeros((n, X.shape[1]), dtype=np.float32) if n * X.shape[1] < 2e8 else None
        for r, idx in member.items():
            mean = np.asarray(X[idx].mean(axis=0)).ravel()
            if fine_means is not None:
                fine_means[r] = mean * len(idx)
            top = np.argsort(-mean, kind="stable")[:_N_KEYWORDS]
            self.keywords_[self.fine_ids_[r]] = [vocab[i] for i in top if mean[i] > 0]
        for b in self.broad_ids_:
            idx = np.flatnonzero(self.parent_ == b)
            if fine_means is not None:
                total = fine_means[idx].sum(axis=0)
                top = np.argsort(-total, kind="stable")[:_N_KEYWORDS]
                self.keywords_[b] = [vocab[i] for i in top if total[i] > 0]
            else:  # pragma: no cover - huge vocabularies: first words of the children instead
                self.keywords_[b] = list(dict.fromkeys(w for i in idx for w in self.keywords_[self.fine_ids_[i]][:2]))[:_N_KEYWORDS]
        self.keywords_[UNASSIGNED[:3]] = self.keywords_[UNASSIGNED] = []

    # -- applying ------------------------------------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length LSA vectors of ``texts`` (zero rows for texts without a known word)."""
        X = self.tfidf_.transform(count_matrix(list(texts), self.vocabulary_))
        return normalize(self.svd_.transform(X).astype(np.float32))

    def assign(self, texts: Sequence[str], batch_size: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
        """Fine theme id and cosine to its centroid for every text; batched to bound memory."""
        with threadpool_limits(limits=1):  # one worker process per core already
            return self._assign(list(texts), batch_size)

    def _assign(self, texts: list[str], batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        texts = list(texts)
        ids = np.empty(len(texts), dtype=object)
        score = np.zeros(len(texts), dtype=np.float32)
        groups = self._search_groups()
        for start in range(0, len(texts), batch_size):
            Z = self.embed(texts[start:start + batch_size])
            rows = self.centroid_rows_[self._nearest_centroid(Z, *groups)]
            s = np.einsum("ij,ij->i", Z, self.fine_centroids_[rows])  # centre of the theme, not of the micro-cluster
            empty = ~np.any(Z, axis=1)
            chunk = self.fine_ids_[rows]
            chunk[empty] = UNASSIGNED
            ids[start:start + len(rows)] = chunk
            score[start:start + len(rows)] = np.where(empty, 0.0, s)
        return ids, score

    def _search_groups(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """Unit mean of the micro-centroids of each broad theme, and the rows of ``centroids_`` in each."""
        codes, _ = pd.factorize(self.parent_[self.centroid_rows_])
        members = [np.flatnonzero(codes == g) for g in range(int(codes.max(initial=-1)) + 1)]
        return normalize(np.stack([self.centroids_[m].mean(axis=0) for m in members])), members

    def _nearest_centroid(self, Z: np.ndarray, means: np.ndarray, members: list[np.ndarray]) -> np.ndarray:
        """Row of ``centroids_`` nearest each row of ``Z``, searched among the micro-centroids of the
        ``_SEARCH_BROAD`` broad themes whose mean is nearest.

        Why not all of them: the product with 2,000 micro-centroids was the largest cost of assigning (25 µs
        a record, more than segmenting); the three nearest broad themes hold about a fifth of them. Measured
        on 50,000 texts of the synthetic corpus (seed 2020): the same micro-centroid as the full search for
        99.99 % of texts (98.8 % with one broad theme, 99.93 % with two). Exact pruning by the triangle
        inequality does not work here: in 200 dimensions a broad theme's micro-centroids are nearly
        orthogonal to their mean (radius ≈ 1), so no group can ever be ruled out.
        """
        if len(means) <= _SEARCH_BROAD:
            return (Z @ self.centroids_.T).argmax(axis=1)
        near = np.argpartition(-(Z @ means.T), _SEARCH_BROAD - 1, axis=1)[:, :_SEARCH_BROAD]
        best = np.zeros(len(Z), dtype=np.int64)
        score = np.full(len(Z), -np.inf, dtype=np.float32)
        for g, cols in enumerate(members):
            rows = np.flatnonzero((near == g).any(axis=1))
            if not len(rows):
                continue
            sims = Z[rows] @ self.centroids_[cols].T
            j = sims.argmax(axis=1)
            s = sims[np.arange(len(rows)), j]
            better = s > score[rows]
            best[rows[better]], score[rows[better]] = cols[j[better]], s[better]
        return best

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Fine theme ids (``B03-017``); the broad id is ``id[:3]``."""
        return self.assign(texts)[0]

    def label(self, theme_id: str) -> str:
        """Short label: the first three keywords, or 未归类."""
        words = self.keywords_.get(theme_id, [])
        return "·".join(words[:3]) if words else "未归类"


# -- stage functions the pipeline calls ----------------------------------------------------------------
def fit_themes(frame: pd.DataFrame, **params) -> ThemeModel:
    """Fit a :class:`ThemeModel` on a frame (``text`` column).

    When the duplicate stage has run (``is_representative``), only one message per duplicate group is sampled:
    an orchestrated campaign of 10,000 copies must not claim 10,000 slots of the sample.
    """
    require_columns(frame, "text")
    texts = frame["text"]
    if "is_representative" in frame.columns:
        texts = texts[frame["is_representative"].fillna(True).astype(bool)]
    model = ThemeModel(**params)
    # the sample the fit draws, drawn here: Python strings of 50,000 texts, not of a million (0.5 GB)
    texts = texts.iloc[_sample(len(texts), model.sample_size, model.random_state)]
    return model.fit(texts.fillna("").tolist(), n_total=len(frame))


def assign_themes(frame: pd.DataFrame, model: ThemeModel | str | Path, *, places: bool = False,
                  glued: bool | None = None) -> pd.DataFrame:
    """New columns ``theme_id``, ``theme_broad_id``, ``theme_score`` for a partition (no refit).

    ``model`` may be a path to a model saved with ``joblib.dump``: workers then load it once per process
    instead of receiving ~40 MB with every partition. ``places=True`` adds the columns of
    :func:`minsheng.engine.places.place_columns` in the same pass, which the hot-issue stage needs (``glued``:
    the run's decision whether titles were glued to their bodies).
    """
    require_columns(frame, "text")
    if isinstance(model, str | Path):
        model = load_model(str(model), ThemeModel)
    ids, score = model.assign(frame["text"].fillna("").tolist())
    out = pd.DataFrame({"theme_id": ids, "theme_broad_id": [i[:3] for i in ids], "theme_score": score},
                       index=frame.index)
    if places:
        from minsheng.engine.places import place_columns

        out = out.join(place_columns(frame, glued))
    return out



def theme_table(frame: pd.DataFrame, model: ThemeModel) -> pd.DataFrame:
    """The ``themes.csv`` table from records that carry ``theme_id`` and ``theme_score``.

    Sizes are over all records; ``n_users`` counts distinct ``user`` values (records without a user count
    as one person each, since nobody can tell them apart). Representatives of a fine theme are its three
    highest-scoring distinct texts; those of a broad theme are the best message of each of its three largest
    fine themes, so they show the breadth of the broad theme rather than three copies of one suggestion.
    A fine theme's label is its representatives' title (:func:`~minsheng.engine.digest_wording.phrase_label`); a
    broad theme's is the title nearest its centre among its fine themes' 20 most central messages
    (:func:`_central_labels`), followed by 等.
    """
    from minsheng.engine.digest_wording import phrase_label

    require_columns(frame, "text", "theme_id", "theme_score")
    theme = frame["theme_id"].astype(str).to_numpy()
    codes, ids = pd.factorize(theme)
    if "user" in frame.columns:  # coded as the column is (Arrow's strings), not as a million Python strings
        user_codes = pd.factorize(frame["user"])[0].astype(np.int64)
        missing = np.flatnonzero(user_codes < 0)
        user_codes[missing] = user_codes.max(initial=-1) + 1 + np.arange(len(missing))  # no user: one person each
    else:
        user_codes = np.arange(len(frame), dtype=np.int64)
    broad_codes, broad_ids = pd.factorize(np.asarray([t[:3] for t in ids], dtype=object)[codes])
    fine_n = pd.Series(np.bincount(codes, minlength=len(ids)), index=ids)
    fine_u = pd.Series(_distinct_per_group(codes, user_codes, len(ids)), index=ids)
    broad_n = pd.Series(np.bincount(broad_codes, minlength=len(broad_ids)), index=broad_ids)
    broad_u = pd.Series(_distinct_per_group(broad_codes, user_codes, len(broad_ids)), index=broad_ids)

    # Representatives: a numeric sort by (theme, -score), then only the first 20 of each theme are compared
    # as texts — sorting a million strings would cost more than the whole rest of the table.
    order = np.lexsort((-frame["theme_score"].to_numpy(dtype=float), codes))
    sorted_codes = codes[order]
    start = np.searchsorted(sorted_codes, sorted_codes, side="left")
    head = order[(np.arange(len(order)) - start) < 20]
    # only the candidates' texts made Python strings (all of them cost about a CPU-second a million records)
    cand = pd.DataFrame({"theme_id": theme[head],
                         "short": frame["text"].iloc[head].fillna("").astype(str).to_numpy()})
    cand["short"] = cand["short"].str.slice(0, 200)
    # the labels read each title as the run does (:func:`~minsheng.engine.titles.title_ends`, at most 48 letters
    # in), the representatives are shown as written
    cand["read"] = list(map(as_read, cand["short"], title_ends(frame, head).tolist()))
    cand = cand.drop_duplicates(["theme_id", "short"])
    first = cand.groupby("theme_id", sort=False).head(3).groupby("theme_id", sort=False)
    reps, reps_read = first["short"].agg(list), first["read"].agg(list)
    pool = cand.groupby(cand["theme_id"].str.slice(0, 3), sort=False)["read"].agg(list)
    row_of = {t: i for i, t in enumerate(model.fine_ids_)}

    broads = [b for b in [*model.broad_ids_, UNASSIGNED[:3]] if b in broad_n.index]
    children = {b: sorted((t for t in fine_n.index if t.startswith(b)), key=lambda t: (-fine_n[t], t)) for b in broads}
    centres = {}
    for b in broads:
        known = [t for t in children[b] if t in row_of]
        if known:  # the centre of the whole theme: its fine centroids weighted by their sizes
            centre = fine_n[known].to_numpy(dtype=np.float32) @ model.fine_centroids_[[row_of[t] for t in known]]
            centres[b] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    labels = dict(zip(centres, _central_labels([(pool[b], centre) for b, centre in centres.items()], model),
                      strict=True))
    rows = []
    for b in broads:
        largest = [t for t in children[b] if t in reps.index][:3]
        label = labels.get(b, "") or phrase_label([reps_read[t][0] for t in largest], "")
        rows.append(_row(b, "broad", "", model, broad_n[b], broad_u[b], [reps[t][0] for t in largest], label))
        for t in sorted(children[b]):
            rows.append(_row(t, "fine", b, model, fine_n[t], fine_u[t], reps.get(t, []),
                             phrase_label(reps_read.get(t, []), "")))
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


# What a broad theme's label candidate loses beside the cosine of its own words to the theme's centre (about
# 0.3-0.9): a first line that had to be clipped (mostly a title glued to its body that nothing split: "…计划外生育因
# 第二个小孩…"), one writer's own case or a back-reference, and a place few of the theme's messages name.
_CLIPPED_MALUS, _PERSON_MALUS, _PLACE_MALUS = 0.15, 0.15, 0.2
_THEME_PLACE = 0.25  # a place written by a quarter of a theme's messages is the theme's, not one message's
_ONE_WRITER = re.compile(r"我(?![们国市省县区乡镇村])")  # "…给我补发工资": one writer's case wherever it is said
_REPEATED = re.compile(r"([\u4e00-\u9fa5]{6,}).*\1")  # a title written twice, glued to itself
# Kinds of place or organisation a name opening a title stands before ("东盈商业广场开发商…"), and the words that may
# open the title before the name ("投诉融创融公馆开发商…").
_KINDS = ("开发商", "物业", "有限公司", "机构")
_OPENERS = frozenset(("投诉", "反映", "举报", "关于", "请求", "建议", "要求", "咨询", "希望"))
_NAME_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nt", "nz"))


def _central_labels(pools: list[tuple[list[str], np.ndarray]], model: ThemeModel) -> list[str]:
    """Each broad theme's label, from (texts, centre) of each: the title, among ``texts`` (the most central messages
    of each of its fine themes), whose own words are nearest the centre of the whole theme; "" when none reads.

    Why not the largest fine theme's label, as before: a broad theme of the real messages holds 5-30 fine themes
    and the largest is about a tenth of it, so its label named one complaint of many ("呼吁撤销禁摩令" over 401
    messages mostly about wages and companies). The title nearest the centre is the one whose words most
    members share. It is read as a digest headline is: a title opening with one message's name loses the name
    (:func:`_unnamed`: "投诉融创融公馆开发商区别对待业主" → "投诉开发商区别对待业主"); a name few of the theme's
    messages write left elsewhere (:meth:`~minsheng.engine.commonness.Commonness.own_names`) takes its share of
    the cosine, since the vectors hardly see such a name; a place one message names
    (:func:`~minsheng.engine.places.extract_places`) or one writer's own case (我家…) speaks for one message.

    The places of every theme's candidate lines are found by one :func:`~minsheng.engine.commonness.named_places`
    call (a line's places are its own): each call costs about 8 ms of Arrow and pandas set-up, and twenty of them
    were a tenth of a small run's theme table.
    """
    lines = [_title_lines(texts) for texts, _ in pools]
    # One embedding of every theme's lines, cut per theme (a row's vector is its own): twenty calls of the model's
    # TF-IDF, projection and scikit-learn's checks took twice the time of one.
    vectors = model.embed([line for theme in lines for line in theme]) if any(lines) else None
    cuts = np.cumsum([0] + [len(theme) for theme in lines])
    picks = [_label_candidates(texts, theme, vectors[cuts[i]:cuts[i + 1]], centre) if theme else None
             for i, ((texts, centre), theme) in enumerate(zip(pools, lines, strict=True))]
    shown = [line for pick in picks if pick is not None for line in pick[1]]
    keys = iter(named_places(shown)[1] if shown else ())
    return [_best_label(*pick, [next(keys) for _ in pick[1]]) if pick is not None else "" for pick in picks]


def _title_lines(texts: list[str]) -> dict[str, bool]:
    """The distinct title lines of ``texts`` that read as a label (:func:`_reads`), each with whether it was clipped."""
    from minsheng.engine.digest_wording import title_line

    lines: dict[str, bool] = {}
    for text in texts:
        line, clipped = title_line(text)
        if line not in lines and _reads(line):
            lines[line] = clipped
    return lines


def _label_candidates(texts: list[str], lines: dict[str, bool], vectors: np.ndarray, centre: np.ndarray) -> tuple:
    """The ten best title lines of :func:`_central_labels` as shown (order, lines, scores, the members'
    commonness), before the places they name are looked up, from a theme's texts, its :func:`_title_lines` and
    their vectors."""
    cands = list(lines)
    score = vectors @ centre.astype(np.float32)
    score -= [_CLIPPED_MALUS * lines[c] + _PERSON_MALUS * bool(FIRST_PERSON.search(c) or REFERS_BACK.search(c)
                                                               or _ONE_WRITER.search(c)) for c in cands]
    order = np.argsort(-score, kind="stable")[:10]  # the malus below only lower a score: the ten best decide
    common = Commonness(np.asarray(texts, dtype=object))
    rare = max(2 / len(texts), 0.05)  # a name: written by one message of the theme's, or by fewer than 5 %
    shown = [_unnamed(cands[i], common.share, rare) for i in order]
    return order, shown, score, common


def _best_label(order: np.ndarray, shown: list[str], score: np.ndarray, common: Commonness, keys) -> str:
    """The line of :func:`_label_candidates` that :func:`_central_labels` picks, given the place key each names."""
    from minsheng.engine.normalise import full_width_punctuation

    best, best_score = "", -np.inf
    for i, line, key in zip(order, shown, keys, strict=True):
        s = float(score[i])
        if s <= best_score:
            break
        s *= 1.0 - common.own_names(line)
        if isinstance(key, str) and len(key) >= 2 and common.share(key) < _THEME_PLACE:
            s -= _PLACE_MALUS
        if s > best_score:
            best, best_score = line, s
    return full_width_punctuation(best)


def _reads(line: str) -> bool:
    """Whether a title reads as a label: readable, at least 6 characters, no broken opening, not written twice."""
    from minsheng.engine.digest_wording import broken_start
    from minsheng.engine.sentences import opens_badly, readable

    return (len(line) >= 6 and readable(line) and not opens_badly(line) and not broken_start(line)
            and not _REPEATED.search(line))


def _unnamed(line: str, share, rare: float) -> str:
    """``line`` without the name opening it: words each written by a share (``share(word)``) of the theme's
    messages below ``rare``, one of them a name by the dictionary (unknown to it, or tagged as a person, place,
    organisation or other proper name), before a kind of place or organisation: "东盈商业广场开发商欺骗业主" →
    "开发商欺骗业主", "投诉海红公司拖欠员工工资" → "投诉公司拖欠员工工资"; else ``line`` unchanged. A broad theme
    is about many such places, and the kind speaks for them all."""
    tagged = rjieba.tag(line)
    words = [w for w, _ in tagged]
    at = end = int(bool(words) and words[0] in _OPENERS)
    while (end < len(words) and words[end] not in KINDS_OF_PLACE + _KINDS and share(words[end]) < rare
           and re.match(r"\w", words[end])):
        end += 1
    named = any(not rjieba.has_word(w) or t in _NAME_TAGS for w, t in tagged[at:end])
    if end == len(words) or words[end] not in KINDS_OF_PLACE + _KINDS or len("".join(words[at:end])) < 2 or not named:
        return line
    shorter = "".join(words[:at] + words[end:])
    return shorter if _reads(shorter) else line


def _distinct_per_group(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Number of distinct ``values`` in each group (integer codes in, one count per group out)."""
    pairs = pd.unique(groups.astype(np.int64) * (int(values.max(initial=0)) + 1) + values)
    return np.bincount(pairs // (int(values.max(initial=0)) + 1), minlength=n_groups)


def _row(theme_id: str, level: str, parent: str, model: ThemeModel, n: int, users: int,
         reps: list[str], label: str) -> list:
    # A readable phrase from the data (the keywords stay in their own column): a broad theme's central title
    # (:func:`_central_labels`), "… 等", else the representatives' (its largest fine themes' best messages).
    label = (f"{label}等" if label and level == "broad" else label) or model.label(theme_id)
    reps = [*reps, "", "", ""][:3]
    return [theme_id, level, parent, label, " ".join(model.keywords_.get(theme_id, [])),
            int(n), int(users), *reps]


def theme_stability(texts: Sequence[str], seeds: tuple[int, int] = (0, 1), eval_size: int = 50_000,
                    **params) -> dict[str, float]:
    """Adjusted Rand index between the themes of two seeds (broad and fine), for the benchmark.

    Both models are fitted on ``texts`` with everything else equal; ARI is computed over (at most
    ``eval_size``) records drawn with a fixed seed, because ARI itself is quadratic in nothing but costs
    the assignment time.
    """
    texts = list(texts)
    rng = np.random.default_rng(12345)
    idx = np.sort(rng.choice(len(texts), size=min(eval_size, len(texts)), replace=False))
    probe = [texts[i] for i in idx]
    a, b = (ThemeModel(random_state=s, **params).fit(texts).predict(probe) for s in seeds)
    return {
        "broad_ari": float(adjusted_rand_score([x[:3] for x in a], [x[:3] for x in b])),
        "fine_ari": float(adjusted_rand_score(a, b)),
    }
