"""Incremental analysis: new records join an earlier result's duplicate groups, themes and departments.

Nothing is refitted: a new record joins the duplicate group of the earlier representative it is a copy or a
near copy of (MinHash over the representatives and the new records together, the same grouping as a full
run), takes the nearest fine theme of the stored theme model, and is routed by the router. New records that
match no earlier group form new groups, numbered after the earlier ones. Sizes count the earlier members
too, so ``dup_group_size`` is the group's size after the increment.

>>> added = join_increment(new, representatives, theme_model="run/theme_model.joblib")   # doctest: +SKIP
>>> added.records[["id", "dup_group", "dup_group_size", "theme_id"]]                      # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.dedup import exact_keys, group_duplicates
from minsheng.engine.errors import require_columns
from minsheng.engine.minhash import canonical_many, signatures
from minsheng.engine.normalise import normalise_texts
from minsheng.engine.result import AnalysisResult

__all__ = ["join_increment"]


def join_increment(new: pd.DataFrame, representatives: pd.DataFrame, *, theme_model: str | Path | None = None,
                   router: str | Path | None = None, review_threshold: float | None = None) -> AnalysisResult:
    """``new`` records (``id``, ``text`` as received) joined to an earlier result.

    ``representatives`` has one row per earlier duplicate group: ``dup_group``, ``dup_group_size`` and the
    representative's ``text`` as received. ``theme_model`` and ``router`` are paths of the stored models
    (either may be ``None``, or a path that does not exist: that step is left out); ``review_threshold`` as in
    :class:`~minsheng.engine.pipeline.AnalyzeOptions` (None: the router's own).
    Returns a result whose ``records`` carry ``dup_group``, ``dup_group_size``, ``is_representative`` and,
    when the models are given, the theme and department columns.
    """
    require_columns(new, "id", "text")
    require_columns(representatives, "dup_group", "dup_group_size", "text")
    records = new.reset_index(drop=True)
    if records.empty:
        return AnalysisResult(records=records, summary={"accepted": 0})
    records["text"] = normalise_texts(records["text"].fillna("").astype(str).tolist())[0]
    base = normalise_texts(representatives["text"].fillna("").astype(str).tolist())[0] if len(representatives) else []
    canon = canonical_many(base + records["text"].tolist())
    labels = group_duplicates(signatures(canon), exact_keys(canon)).labels
    nb = len(base)
    base_group = representatives["dup_group"].astype(np.int64).to_numpy()
    base_of_label = dict(zip(labels[:nb].tolist(), base_group.tolist(), strict=True))
    next_group = int(base_group.max()) + 1 if nb else 0
    fresh: dict[int, int] = {}
    groups = [base_of_label[lab] if lab in base_of_label else fresh.setdefault(lab, next_group + len(fresh))
              for lab in labels[nb:].tolist()]
    records["dup_group"] = groups
    base_size = dict(zip(base_group.tolist(), representatives["dup_group_size"].astype(np.int64), strict=True))
    joined = records["dup_group"].isin(base_of_label.values())
    records["is_representative"] = ~joined & ~records.duplicated("dup_group")
    records["dup_group_size"] = (records.groupby("dup_group")["id"].transform("size")
                                 + records["dup_group"].map(base_size).fillna(0).astype(np.int64))
    if theme_model is not None and Path(theme_model).exists():
        from minsheng.engine.themes import assign_themes

        records = records.join(assign_themes(records, str(theme_model)))
    if router is not None and Path(router).exists():
        from minsheng.engine.routing import route_frame

        records = route_frame(records, str(router), review_threshold=review_threshold)
    return AnalysisResult(records=records, summary={"accepted": len(records)})
