"""From labelled files to a saved router: the steps ``minsheng train`` and ``minsheng evaluate --cv`` share."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from minsheng.engine.errors import InputError
from minsheng.engine.routing._data import (
    apply_corrections,
    duplicate_groups,
    read_labelled,
    read_texts,
    resolve_conflicts,
)
from minsheng.engine.routing._evaluate import cross_validate
from minsheng.engine.routing._model_io import training_hash
from minsheng.engine.routing._router import TextRouter

log = logging.getLogger(__name__)


def training_set(paths: Sequence[str | Path], *, label_col: str = "label", text_cols: Sequence[str] = (),
                 id_col: str | None = None, corrections: str | Path | None = None,
                 ) -> tuple[pd.DataFrame, dict[str, int]]:
    """Labelled records ready for training: read, corrected, conflicts resolved, one row per example."""
    frame = read_labelled(paths, label_col=label_col, text_cols=text_cols, id_col=id_col,
                          require_labels=corrections is None)
    stats: dict[str, int] = {}
    if corrections is not None:
        frame, stats = apply_corrections(frame, corrections)
        log.info("corrections: %s", stats)
    frame = resolve_conflicts(frame)
    if frame["label"].nunique() < 2:  # the files' fault, said in one line (the CLI's exit 2), not a traceback
        found = sorted(frame["label"].astype(str).unique().tolist())
        raise InputError(f"need at least two different labels to train a router; column {label_col!r} has "
                         f"{found or 'none'}", field=label_col, code="too_few_labels", params={"labels": found})
    return frame, stats


def unlabeled_texts(paths: Sequence[str | Path]) -> list[str]:
    """Normalised texts of extra files used without labels (vocabulary and IDF)."""
    return read_texts(paths)["text"].tolist() if paths else []


def train_router(frame: pd.DataFrame, *, unlabeled: Sequence[str] = (), cv: int = 5, seed: int = 0,
                 on_fold: Callable[[int, dict[str, float]], None] | None = None,
                 **params: Any) -> tuple[TextRouter, dict[str, Any]]:
    """Cross-validate (group-aware, when ``cv`` > 1), then fit on everything; returns router and metadata."""
    texts, labels = frame["text"].tolist(), frame["label"].astype(str).tolist()
    metadata: dict[str, Any] = {
        "training_hash": training_hash(texts, labels),
        "n_train": len(texts),
        "n_unlabeled": len(unlabeled),
        "label_counts": {str(k): int(v) for k, v in pd.Series(labels).value_counts().sort_index().items()},
        "params": TextRouter(**params).get_params(),
    }
    if cv and cv > 1:
        result = cross_validate(texts, labels, duplicate_groups(texts), lambda: TextRouter(**params),
                                folds=cv, seed=seed, unlabeled=list(unlabeled) or None, on_fold=on_fold)
        metadata["cv"] = {"folds": cv, "seed": seed, "group_aware": True,
                          "macro_f1_per_fold": [f["macro_f1"] for f in result["folds"]],
                          "macro_f1_mean": result["macro_f1_mean"], "macro_f1_std": result["macro_f1_std"],
                          "accuracy_mean": result["accuracy_mean"], "pooled": result["pooled"]}
    start = time.perf_counter()
    router = TextRouter(**params).fit(texts, labels, unlabeled=list(unlabeled) or None)
    metadata["train_seconds"] = round(time.perf_counter() - start, 2)
    return router, metadata
