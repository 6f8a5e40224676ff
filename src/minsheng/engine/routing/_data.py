"""Labelled data for training and evaluating routers: reading, corrections, conflicts, duplicate groups.

Honest evaluation needs two things the raw files do not give:

* **Conflicts are resolved deliberately.** When the same text carries different labels (teddy2020 has
  id 37042 twice, once 城乡建设 and once 劳动和社会保障), a model cannot be right both ways. The majority
  label wins; on a tie the text is left out of training and evaluation, and a warning names it. Ingest
  already keeps only the first row of a repeated id, so repeated ids are reported the same way and
  left out: the source contradicts itself about them.
* **Duplicates stay together.** Identical and near-identical texts (re-posted messages, the same message
  in two files) in both a training and a test fold would inflate the score. :func:`duplicate_groups`
  gives each text a group (the engine's own MinHash grouping, at a permissive threshold) for
  :class:`~sklearn.model_selection.StratifiedGroupKFold`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.dedup import exact_keys, group_duplicates
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import ColumnMap, read_records, read_side_table
from minsheng.engine.minhash import canonical_many, signatures
from minsheng.engine.normalise import normalise_texts

log = logging.getLogger(__name__)

NEAR_DUPLICATE_JACCARD = 0.5


def read_texts(paths: Sequence[str | Path], *, text_cols: Sequence[str] = (), id_col: str | None = None,
               extra: Sequence[str] = ()) -> pd.DataFrame:
    """Records of ``paths`` (through ingest) with normalised text, as the pipeline would see them."""
    columns = ColumnMap(id=id_col, text=tuple(text_cols), extra=tuple(extra))
    frame, rejects = read_records(list(paths), columns=columns)
    repeated = sorted({str(r.id) for r in rejects if r.field == "id"})
    if repeated:
        # Ingest kept the first row of each repeated id; its label is not trustworthy either.
        log.warning("left out %d repeated id(s) with ambiguous rows: %s", len(repeated), ", ".join(repeated[:10]))
        frame = frame[~frame["id"].astype(str).isin(repeated)].reset_index(drop=True)
    for r in rejects:
        if r.field != "id":
            log.warning("%s row %s: %s", r.source, r.row, r.reason)
    frame["text"] = normalise_texts(frame["text"].astype(str).tolist())[0]
    return frame


def read_labelled(paths: Sequence[str | Path], *, label_col: str = "label", text_cols: Sequence[str] = (),
                  id_col: str | None = None, require_labels: bool = True) -> pd.DataFrame:
    """Records with ``id``, ``text`` and ``label`` (label None where the cell is empty).

    A missing label column is an :class:`InputError` naming the field.
    """
    frame = read_texts(paths, text_cols=text_cols, id_col=id_col, extra=(label_col,))
    labels = frame[label_col].astype(object).where(frame[label_col].notna(), None)
    frame["label"] = [str(v).strip() or None if v is not None else None for v in labels]
    if label_col != "label":
        frame = frame.drop(columns=[label_col])
    if require_labels and frame["label"].isna().all():
        raise InputError(f"no labels in column {label_col!r}", file=", ".join(map(str, paths)), field=label_col)
    return frame


def apply_corrections(frame: pd.DataFrame, path: str | Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Override (or add) labels from a corrections CSV with columns ``id,label`` (optional ``text``).

    Corrections are people's decisions, so they win over the original label. A correction whose id is
    not in the training data is added as a new example when it has a ``text``, and skipped otherwise.
    """
    path = Path(path)
    fixes = read_side_table(path, dtype=str, keep_default_na=False)
    for column in ("id", "label"):
        if column not in fixes.columns:
            raise InputError(f"corrections need columns id,label; found {list(fixes.columns)}",
                             file=path.name, field=column)
    fixes["id"] = fixes["id"].str.strip()
    fixes["label"] = fixes["label"].str.strip()
    empty = fixes.index[(fixes["id"] == "") | (fixes["label"] == "")]
    if len(empty):
        raise InputError("empty id or label", file=path.name, row=int(empty[0]) + 1,
                         field="id" if fixes.at[empty[0], "id"] == "" else "label")
    latest = fixes.drop_duplicates("id", keep="last").set_index("id")  # a later correction wins
    out = frame.copy()
    known = out["id"].astype(str).isin(latest.index)
    before = out.loc[known, "label"].copy()
    out.loc[known, "label"] = out.loc[known, "id"].astype(str).map(latest["label"])
    new = latest[~latest.index.isin(out["id"].astype(str))]
    stats = {"overridden": int((before != out.loc[known, "label"]).sum()), "confirmed": 0, "added": 0,
             "skipped": 0}
    stats["confirmed"] = int(known.sum()) - stats["overridden"]
    if "text" in latest.columns:
        texts = new["text"].fillna("").str.strip()
        addable = new[texts != ""]
        if len(addable):
            added = pd.DataFrame({"id": addable.index, "label": addable["label"].to_numpy(),
                                  "text": normalise_texts(addable["text"].tolist())[0],
                                  "source": path.name})
            out = pd.concat([out, added], ignore_index=True)
        stats["added"] = len(addable)
        stats["skipped"] = len(new) - len(addable)
    else:
        stats["skipped"] = len(new)
    if stats["skipped"]:
        log.warning("%s: %d correction(s) name ids that are not in the training data and have no text",
                    path.name, stats["skipped"])
    return out, stats


def duplicate_groups(texts: Sequence[str]) -> np.ndarray:
    """Group id per text: exact and near duplicates (MinHash Jaccard ≥ 0.5) share one."""
    texts = list(texts)
    if not texts:
        return np.zeros(0, dtype=np.int64)
    groups = group_duplicates(signatures(texts), exact_keys(canonical_many(texts)),
                              threshold=NEAR_DUPLICATE_JACCARD)
    return groups.labels


def resolve_conflicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop unlabelled rows; give exact-duplicate texts their majority label, dropping ties (logged)."""
    labelled = frame[frame["label"].notna()].reset_index(drop=True)
    keys = exact_keys(canonical_many(labelled["text"].tolist()))
    table = pd.DataFrame({"key": keys, "label": labelled["label"]})
    counts = table.groupby(["key", "label"]).size().rename("n").reset_index()
    top = counts.sort_values(["key", "n"], ascending=[True, False]).groupby("key")
    best, second = top.nth(0).set_index("key")["n"], top.nth(1).set_index("key")["n"]
    tied = set(second.index[second.to_numpy() == best.reindex(second.index).to_numpy()])
    winner = counts.sort_values(["key", "n", "label"], ascending=[True, False, True]).drop_duplicates("key")
    winner = winner.set_index("key")["label"]
    conflicted = table["key"].isin(second.index)
    if conflicted.any():
        ids = labelled.loc[conflicted & table["key"].isin(tied), "id"].astype(str).tolist()
        if ids:
            log.warning("left out %d text(s) labelled both ways with no majority: ids %s", len(ids),
                        ", ".join(ids[:10]))
        labelled["label"] = table["key"].map(winner).to_numpy()
    return labelled[~table["key"].isin(tied).to_numpy()].reset_index(drop=True)
