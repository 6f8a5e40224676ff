"""``minsheng analyze``: the engine's stages end to end, from input files to an output directory.

Stages: ingest → normalise + sign (partition-wise: in worker processes or on Dask) → duplicate
grouping (one global merge of signatures) → campaigns → later stages → write.

The map stage is the only one that touches every character; it runs per partition so that the
same function serves the local pool and a Dask cluster. The merge works on fixed-size signatures
(512 bytes a record), which is what lets a million records fit comfortably in memory.

Outputs are written to temporary names and renamed at the end, so an interrupted run never leaves
a half-written file that looks finished; running again gives the same result (every step is
deterministic for the same inputs and options).
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.campaigns import detect_campaigns
from minsheng.engine.cells import write_csv
from minsheng.engine.dedup import exact_keys, group_duplicates
from minsheng.engine.executor import make_executor
from minsheng.engine.ingest import (
    MAX_TEXT_CHARS,
    ColumnMap,
    IngestStats,
    iter_batches,
    rejects_frame,
)
from minsheng.engine.masking import KINDS
from minsheng.engine.metrics import StageMeter
from minsheng.engine.minhash import canonical_many, signatures
from minsheng.engine.normalise import normalise_texts
from minsheng.engine.progress import progress

log = logging.getLogger(__name__)


@dataclass
class AnalyzeOptions:
    """Everything that changes a result (recorded in ``summary.json``)."""

    columns: ColumnMap | None = None
    threshold: float = 0.8
    num_perm: int = 128
    bands: int = 16
    shingle: int = 4
    min_campaign_people: int = 10
    batch_rows: int = 25_000  # per partition: small enough that each worker's shingle arrays stay < ~250 MB
    max_text_chars: int = MAX_TEXT_CHARS
    model: str | None = None  # a router file from `minsheng train` (supervised or taxonomy)
    review_threshold: float | None = None  # None: the model's own
    executor: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    themes: bool = True  # themes, then hot issues by place + fine theme + time
    n_broad: int = 20
    n_fine: int | None = None  # None: as many as the data holds (micro-clusters joined within 0.15 cosine)
    theme_seed: int = 0
    hot_issues: bool = True
    reply_col: str | None = None  # score replies when set (and reply_time_col for timeliness)
    reply_time_col: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class SignedPartition:
    """What the map stage returns for one batch."""

    records: pd.DataFrame
    exact: np.ndarray
    sig: np.ndarray
    masked: Counter


def sign_partition(records: pd.DataFrame, *, num_perm: int, shingle: int) -> SignedPartition:
    """Normalise and mask a batch, then hash it for duplicate detection (runs in a worker)."""
    texts, masked = normalise_texts(records["text"].tolist())
    records = records.assign(text=texts)
    canon = canonical_many(texts)
    return SignedPartition(records, exact_keys(canon), signatures(canon, num_perm, shingle, canonicalise=False),
                           masked)


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def analyze(inputs: list[str | Path], out_dir: str | Path, options: AnalyzeOptions | None = None) -> dict:
    """Run the pipeline on ``inputs`` and write ``out_dir``; returns the summary."""
    options = options or AnalyzeOptions()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if options.model:
        from minsheng.engine.routing import load_model

        load_model(options.model)  # a bad or incompatible model fails now, not after the map stage
    meter = StageMeter()
    stats = IngestStats()
    try:
        with meter.stage("ingest_normalise_sign"), _executor(options, fresh=False) as ex:
            # Workers exit with this stage: their memory is not held through the merge that follows.
            records, exact, sig, masked = _map_stage(ex, inputs, options, stats)
        with meter.stage("duplicates"):
            records = _group_stage(records, exact, sig, options)
        del sig
        with meter.stage("campaigns"):
            cid, addition, campaigns = detect_campaigns(records, min_people=options.min_campaign_people)
            records["campaign_id"] = cid
            records["campaign_addition"] = addition
        if options.model and len(records):
            with meter.stage("routing"), _executor(options) as ex:
                records = _route_stage(ex, records, options)
        records, tables = _insight_stages(records, options, meter, out)
        with meter.stage("write"):
            summary = _summary(inputs, records, campaigns, stats, masked, exact, options)
            _write_outputs(out, records, campaigns, stats)
            for name, table in tables.items():
                _atomic_write(out / name, lambda p, t=table: write_csv(t, p))
            summary["themes"] = int((tables["themes.csv"]["level"] == "fine").sum()) if "themes.csv" in tables else 0
            summary["hot_issues"] = len(tables.get("hot_issues.csv", ()))
    finally:
        meter.close()
    summary["stages"] = meter.stages
    summary["peak_rss_mb"] = round(meter.peak_rss_mb, 1)
    summary["peak_pss_mb"] = round(meter.peak_pss_mb, 1)
    summary["seconds"] = round(sum(s["seconds"] for s in meter.stages.values()), 3)
    _atomic_write(out / "summary.json",
                  lambda p: p.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), "utf-8"))
    return summary


def _executor(options: AnalyzeOptions, *, fresh: bool = True):
    """Workers for a stage; after the map stage they start fresh, not as copies of a large parent."""
    return make_executor(options.executor, scheduler=options.scheduler, workers=options.workers, fresh=fresh)


def _map_stage(ex, inputs, options: AnalyzeOptions, stats: IngestStats):
    batches = iter_batches(inputs, options.columns, batch_rows=options.batch_rows,
                           max_text_chars=options.max_text_chars, stats=stats)
    func = partial(sign_partition, num_perm=options.num_perm, shingle=options.shingle)
    frames, exacts, sigs, masked = [], [], [], Counter()
    total = _count_hint(inputs)
    # With a known row count, signatures go straight into one array: no second copy from concatenating.
    table = np.empty((total, options.num_perm), np.uint16) if total else None
    filled = 0
    with progress("normalise+sign", total=total) as bar:
        for part in ex.map(func, batches):
            frames.append(part.records)
            exacts.append(part.exact)
            if table is not None:
                table[filled: filled + len(part.sig)] = part.sig
            else:
                sigs.append(part.sig)
            filled += len(part.sig)
            masked.update(part.masked)
            bar.update(len(part.records))
    if not frames:
        empty = pd.DataFrame(columns=["id", "text", "time", "user", "channel", "source", "row"])
        return empty, np.empty(0, np.uint64), np.empty((0, options.num_perm), np.uint16), masked
    sig = table[:filled] if table is not None else np.concatenate(sigs)
    return pd.concat(frames, ignore_index=True), np.concatenate(exacts), sig, masked


def _partitions(frame: pd.DataFrame, rows: int):
    return (frame.iloc[start: start + rows] for start in range(0, len(frame), rows))


def _route_stage(ex, records: pd.DataFrame, options: AnalyzeOptions) -> pd.DataFrame:
    """Department, confidence and review flag per record; workers get the model's path, not the model."""
    from minsheng.engine.routing import route_frame

    func = partial(route_frame, model=str(Path(options.model).resolve()), review_threshold=options.review_threshold)
    columns = ["department", "department_confidence", "needs_review"]
    with progress("routing", total=len(records)) as bar:
        parts = []
        for part in ex.map(func, (p[["text"]] for p in _partitions(records, options.batch_rows))):
            parts.append(part[columns])
            bar.update(len(part))
    return pd.concat([records, pd.concat(parts)], axis=1)


def _insight_stages(records: pd.DataFrame, options: AnalyzeOptions, meter: StageMeter,
                    out: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Themes and places (fit on a sample, assigned per partition), hot issues, reply quality.

    Adds ``theme_id``, ``theme_broad_id``, ``theme_score``, ``place``, ``place_key``, ``place_kind``,
    ``district``, ``hot_issue_id``; returns the tables to write by file name. The theme model is saved as
    ``theme_model.joblib`` (workers load it from there once; the platform assigns new records with it).
    """
    import joblib

    from minsheng.engine.errors import InputError
    from minsheng.engine.hot_issues import find_hot_issues
    from minsheng.engine.replies import replies_by_department, score_replies
    from minsheng.engine.themes import assign_themes, fit_themes, theme_table

    tables: dict[str, pd.DataFrame] = {}
    if options.themes and len(records):
        with meter.stage("themes"):
            try:
                model = fit_themes(records, n_broad=options.n_broad, n_fine=options.n_fine,
                                   random_state=options.theme_seed)
            except InputError as exc:  # nothing to cluster (a handful of records, or no words): no themes
                log.warning("themes skipped: %s", exc)
                model = None
            if model is not None:
                path = out / "theme_model.joblib"
                _atomic_write(path, lambda p: joblib.dump(model, p))
                func = partial(assign_themes, model=str(path.resolve()), places=True)
                parts = []
                with _executor(options) as ex, progress("themes", total=len(records)) as bar:
                    for part in ex.map(func, (p[["text"]] for p in _partitions(records, options.batch_rows))):
                        parts.append(part)
                        bar.update(len(part))
                records = pd.concat([records, pd.concat(parts)], axis=1)
                tables["themes.csv"] = theme_table(records, model)
    if options.hot_issues and len(records):
        with meter.stage("hot_issues"):
            hot_id, tables["hot_issues.csv"] = find_hot_issues(records)
            records["hot_issue_id"] = hot_id
    if options.reply_col and len(records):
        with meter.stage("replies"):
            scores = score_replies(records, reply_col=options.reply_col, reply_time_col=options.reply_time_col)
            tables["replies.csv"] = scores
            tables["replies_by_department.csv"] = replies_by_department(scores, records)
    return records, tables


def _count_hint(inputs) -> int | None:
    """Rows to expect, for the progress bar: exact for Parquet, unknown otherwise."""
    total = 0
    for path in map(Path, inputs):
        if path.suffix.lower() != ".parquet" or not path.exists():
            return None
        import pyarrow.parquet as pq

        total += pq.ParquetFile(path).metadata.num_rows
    return total


def _group_stage(records: pd.DataFrame, exact: np.ndarray, sig: np.ndarray, options: AnalyzeOptions) -> pd.DataFrame:
    times = records["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    order_key = np.where(records["time"].isna().to_numpy(), np.iinfo(np.int64).max, times)
    groups = group_duplicates(sig, exact, threshold=options.threshold, bands=options.bands, order_key=order_key)
    return records.assign(dup_group=groups.labels, dup_group_size=groups.sizes,
                          is_representative=groups.representative)


def _summary(inputs, records, campaigns, stats: IngestStats, masked: Counter, exact: np.ndarray,
             options: AnalyzeOptions) -> dict:
    n = len(records)
    sizes = records.drop_duplicates("dup_group")["dup_group_size"] if n else pd.Series(dtype=int)
    users = records["user"] if n else pd.Series(dtype=object)
    return {
        "inputs": [str(p) for p in inputs],
        "rows_in": stats.rows_in + sum(1 for r in stats.rejects if r.field == "*"),
        "accepted": n,
        "rejected": len(stats.rejects),
        "unparsed_times": stats.bad_times,
        "exact_duplicates": int(n - len(np.unique(exact))),
        "near_duplicate_groups": int((sizes > 1).sum()),
        "records_in_duplicate_groups": int(sizes[sizes > 1].sum()),
        "distinct_after_duplicates": int(len(sizes)),
        "campaigns": len(campaigns),
        "campaign_messages": int(campaigns["messages"].sum()) if len(campaigns) else 0,
        "campaign_people": int(campaigns["people"].sum()) if len(campaigns) else 0,
        "people": int(users.dropna().nunique() + users.isna().sum()),
        "masked": {kind: int(masked.get(kind, 0)) for kind in KINDS},
        "channels": {str(k): int(v) for k, v in records["channel"].value_counts().items()} if n else {},
        "time_start": records["time"].min() if n else None,
        "time_end": records["time"].max() if n else None,
        "options": {k: v for k, v in asdict(options).items() if k not in ("columns", "extra")},
    }


def _write_outputs(out: Path, records: pd.DataFrame, campaigns: pd.DataFrame, stats: IngestStats) -> None:
    _atomic_write(out / "records.parquet", lambda p: records.to_parquet(p, index=False))
    _atomic_write(out / "campaigns.csv", lambda p: write_csv(campaigns, p))
    _atomic_write(out / "rejects.csv", lambda p: write_csv(rejects_frame(stats.rejects), p))
