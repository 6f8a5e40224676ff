"""The tuned baseline every router is measured against, in the same folds.

What a careful engineer would build in an afternoon with scikit-learn alone: character 1–3-gram TF-IDF
(sublinear tf, ``min_df=2``) and a class-balanced :class:`~sklearn.svm.LinearSVC`, with ``C`` chosen by an
inner group-aware 3-fold cross-validation of the *training* fold only (nothing is tuned on the test fold;
the TF-IDF vocabulary and weights come from the training fold's texts). The router is only worth its
extra parts if it beats this by more than the fold-to-fold noise.

>>> texts = ["小区燃气管道漏气", "学校食堂卫生差", "燃气费太贵", "学校乱收费"] * 6
>>> labels = ["城乡建设", "教育文体", "城乡建设", "教育文体"] * 6
>>> BaselineRouter(Cs=(1.0,)).fit(texts, labels).predict(["燃气漏气"]).tolist()
['城乡建设']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold
from sklearn.svm import LinearSVC


class BaselineRouter(ClassifierMixin, BaseEstimator):
    """Character 1–3-gram TF-IDF + class-balanced linear SVM, ``C`` tuned inside the training data.

    ``groups`` (duplicate groups of the training texts) keep copies of a text on one side of each inner
    split, as the outer cross-validation does; without them the inner folds are plain stratified folds.
    """

    def __init__(self, *, Cs: Sequence[float] = (0.1, 0.3, 1.0, 3.0, 10.0), inner_folds: int = 3,
                 random_state: int = 0):
        self.Cs = Cs
        self.inner_folds = inner_folds
        self.random_state = random_state

    def fit(self, texts: Sequence[str], y: Sequence[str], unlabeled: Sequence[str] | None = None,
            groups: Sequence[int] | None = None) -> BaselineRouter:
        texts = [str(t) for t in texts]
        y = np.asarray(y, dtype=object).astype(str)
        # The vectoriser is unsupervised, so it is fitted once on the training texts and only the SVM's C
        # is searched (15 SVM fits instead of 15 vectorisations of the same texts).
        self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        X = self.vectorizer_.fit_transform(texts)
        svm = LinearSVC(class_weight="balanced", random_state=self.random_state)
        if len(self.Cs) > 1:
            groups = np.arange(len(texts)) if groups is None else np.asarray(groups)
            inner = StratifiedGroupKFold(n_splits=self.inner_folds, shuffle=True, random_state=self.random_state)
            search = GridSearchCV(svm, {"C": list(self.Cs)}, scoring="f1_macro", cv=inner).fit(X, y, groups=groups)
            self.model_, self.C_ = search.best_estimator_, float(search.best_params_["C"])
        else:
            self.C_ = float(self.Cs[0])
            self.model_ = svm.set_params(C=self.C_).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.model_.predict(self.vectorizer_.transform([str(t) for t in texts]))
