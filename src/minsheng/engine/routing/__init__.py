"""Department routing (分类分派): which office must act on each message, and how sure we are.

Two kinds of router share one API (``fit``, ``predict``, ``predict_proba``, ``classes_``,
``review_threshold``) and one model-file format:

* :class:`TextRouter` — supervised, trained on labelled messages (``minsheng train``): hashed character
  n-gram TF-IDF, linear SVM, Platt-calibrated confidence.
* :class:`TaxonomyRouter` — cold start from a category tree (``minsheng train --taxonomy``): keywords of
  the lower levels vote for the top level.

The pipeline calls :func:`route_frame` per partition; it adds ``department``, ``department_confidence``
and ``needs_review``.

>>> import pandas as pd
>>> tax = pd.DataFrame({"level1": ["城乡建设", "教育文体"], "level2": ["燃气供应", "学校管理"]})
>>> route_frame(pd.DataFrame({"text": ["燃气涨价", "天气很好"]}), TaxonomyRouter().fit(tax))
   text department  department_confidence  needs_review
0  燃气涨价       城乡建设                    1.0         False
1  天气很好       None                    0.0          True
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from minsheng.engine._deferred import attributes_on_use
from minsheng.engine.routing._data import (
    apply_corrections,
    duplicate_groups,
    read_labelled,
    read_texts,
    resolve_conflicts,
)
from minsheng.engine.routing._features import CharNgramHasher, char_ngram_counts
from minsheng.engine.routing._model_io import check_model, load_model, read_header, save_model, training_hash
from minsheng.engine.routing._taxonomy import TaxonomyRouter, read_taxonomy

__all__ = [
    "BaselineRouter", "CharNgramHasher", "TaxonomyRouter", "TextRouter", "apply_corrections", "char_ngram_counts",
    "check_model", "cross_validate", "duplicate_groups", "format_report", "load_model", "quality_report", "read_header",
    "read_labelled", "read_taxonomy", "read_texts", "resolve_conflicts", "resolve_model", "route_columns", "route_frame",
    "route_texts", "save_model", "train_router", "training_hash", "training_set", "unlabeled_texts",
]


#: Imported when first used (PEP 562): the supervised router (scikit-learn's SVM and calibration) and the
#: evaluation (scikit-learn's metrics and model selection) cost a small run 0.1-0.2 CPU-s before its first stage,
#: where the pipeline only checks the model file's header (:func:`check_model`); a model file loads them as it
#: is unpickled, in the routing stage. Training (``minsheng train``, ``evaluate --cv``, the platform's retraining)
#: and the baseline it is measured against load them too.
_LAZY = {"TextRouter": "_router", "cross_validate": "_evaluate", "format_report": "_evaluate",
         "quality_report": "_evaluate", "BaselineRouter": "_baseline", "train_router": "_training",
         "training_set": "_training", "unlabeled_texts": "_training"}

__getattr__ = attributes_on_use(__name__, _LAZY)


@functools.lru_cache(maxsize=4)
def _cached_model(path: str, mtime: float) -> Any:
    return load_model(path)


def resolve_model(model: Any) -> Any:
    """A router object, or a model path loaded once per process (worker processes get the path; the pipeline
    loads it to check it before any work, and a one-partition run then routes with that same router)."""
    if isinstance(model, str | Path):
        path = Path(model)
        return _cached_model(str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)
    return model


def route_texts(texts: list[str], model: Any, *, review_threshold: float | None = None, distinct: bool = False,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(department, confidence, needs_review) arrays for ``texts``; each distinct text is routed once.

    ``department`` is None where the router has no answer at all (a taxonomy router that matched no
    keyword); such records always need review. A threshold of 1 or more sends every prediction to review (the
    guess kept): what a caller asks of a router it does not trust yet — a router of two departments gives every
    text a confidence of at least 0.5, so no threshold at or below 0.5 would ever send one. ``distinct``: the texts are strings, each once (the pipeline's
    distinct texts), so they are not hashed again to find the repeats.
    """
    router = resolve_model(model)
    threshold = router.review_threshold if review_threshold is None else review_threshold
    if distinct:
        codes, uniques = slice(None), texts
    else:
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object).fillna(""), sort=False)
    if len(uniques) == 0:
        return np.empty(0, dtype=object), np.empty(0), np.empty(0, dtype=bool)
    proba = router.predict_proba(list(uniques))
    confidence = proba.max(axis=1)
    department = np.asarray(router.classes_, dtype=object)[proba.argmax(axis=1)]
    department[confidence <= 0] = None
    review = (confidence < threshold) | (confidence <= 0) | (threshold >= 1)
    return department[codes], confidence[codes], review[codes]


def route_frame(frame: pd.DataFrame, model: Any, *, review_threshold: float | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with ``department``, ``department_confidence`` and ``needs_review`` added.

    ``model`` is a router or the path of a model file (cached per process, so a partition-wise executor
    can ship the path instead of the model). Uses ``frame["text"]`` (normalised, as the pipeline has it).
    """
    out = frame.copy()
    for name, column in route_columns(frame, model, review_threshold=review_threshold).items():
        out[name] = column
    return out


def route_columns(frame: pd.DataFrame, model: Any, *, review_threshold: float | None = None,
                  distinct: bool = False) -> pd.DataFrame:
    """Only the columns :func:`route_frame` adds, on ``frame``'s index (``distinct``: see :func:`route_texts`).

    For the pipeline's workers: the texts are not sent back to the parent nor spread to every record there.
    """
    department, confidence, review = route_texts(frame["text"].tolist(), model,
                                                 review_threshold=review_threshold, distinct=distinct)
    return pd.DataFrame({"department": pd.Series(department, index=frame.index, dtype=object),
                         "department_confidence": pd.Series(confidence, index=frame.index, dtype="float64"),
                         "needs_review": pd.Series(review, index=frame.index, dtype=bool)})
