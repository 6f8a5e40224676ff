"""Retention of analysis run folders: old ones go, so a site's disk does not grow with every run.

Every run, full or incremental, leaves ``var/analysis/<campaign>/run-<n>/`` (a million-suggestion run's is about
200 MB). After its run ends, a folder is read only as the result of a campaign's *current* run (its reports, and
its theme model, which incremental runs join new suggestions to) or while a run is in progress. So a folder is
kept when its run is

- the campaign's current run (:func:`~.selectors.current_run`) or one of its incremental runs;
- queued or running, or the run such a run builds on;
- one of the campaign's ``ANALYSIS_KEEP_RUNS`` newest full runs (with their increments), so that the previous
  result's reports stay at hand for a comparison;

and every other run's folder goes. Their rows stay as the campaign's history, marked ``files_pruned_at`` (the
pages then say 结果文件已清理). A folder that no run row names — a run whose campaign was deleted, a database
restored from before the run — goes once nothing in it has changed for a day: a younger one may belong to a
run this listing did not see yet.

Nothing here is in one transaction: files are not. Each folder is removed, then its run is marked; a folder that
cannot be removed is logged and skipped, and the others still go.

>>> pruned = run_folders_prune(dry_run=True)  # doctest: +SKIP
>>> [(f.path.name, f.size) for f in pruned.folders]  # doctest: +SKIP
[('run-3', 216002560)]
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from minsheng.consultation.analysis.models import AnalysisRun
from minsheng.consultation.analysis.selectors import current_run
from minsheng.consultation.intake.models import Campaign

log = logging.getLogger(__name__)
#: How long a folder that no run row names is left alone (a run being created has its row first, but the
#: listing of rows may have been read before it).
LEFTOVER_AGE = timedelta(days=1)
_RUN_FOLDER = re.compile(r"run-(\d+)")


@dataclass(frozen=True)
class RunFolder:
    """A run folder retention removes: where, how many bytes its files hold, and its run (``None``: a leftover)."""

    path: Path
    size: int
    run_id: int | None


@dataclass
class Pruning:
    """What :func:`run_folders_prune` removed (or, dry, would remove), and what it could not."""

    folders: list[RunFolder] = field(default_factory=list)
    failed: list[tuple[RunFolder, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def freed(self) -> int:
        return sum(folder.size for folder in self.folders)


def analysis_root() -> Path:
    """Where run folders live (:func:`~.services.run_dir` puts each under its campaign's slug)."""
    return Path(settings.VAR_DIR) / "analysis"


def runs_kept(*, keep: int) -> set[int]:
    """The runs whose folders stay (see the module's docstring): per campaign the current run, the ``keep``
    newest full runs, their increments, and any queued or running run with its base."""
    active = [AnalysisRun.Status.QUEUED, AnalysisRun.Status.RUNNING]
    kept: set[int] = set()
    for run_id, base_id in AnalysisRun.objects.filter(status__in=active).values_list("pk", "base_id"):
        kept |= {run_id, base_id} - {None}
    for campaign in Campaign.objects.filter(analysis_runs__isnull=False).distinct():
        full = list(
            campaign.analysis_runs.filter(base=None).order_by("-pk").values_list("pk", flat=True)[:keep]
        )
        current = current_run(campaign)
        kept |= {*full, *([current.pk] if current else [])}
    increments = AnalysisRun.objects.filter(base_id__in=kept).values_list("pk", flat=True)
    return kept | set(increments)


def run_folders_prunable(*, keep: int | None = None, now: datetime | None = None) -> list[RunFolder]:
    """Every folder under ``var/analysis`` that retention removes, oldest run first; nothing is touched."""
    keep = settings.ANALYSIS_KEEP_RUNS if keep is None else keep
    now = now or timezone.now()
    runs = set(AnalysisRun.objects.values_list("pk", flat=True))
    kept = runs_kept(keep=keep)
    found = []
    for path in _run_folders():
        run_id = int(_RUN_FOLDER.fullmatch(path.name).group(1))
        if run_id in runs:
            if run_id not in kept:
                found.append(RunFolder(path, _size(path), run_id))
        elif now - _last_change(path) > LEFTOVER_AGE:
            found.append(RunFolder(path, _size(path), None))
    return sorted(found, key=lambda f: (f.run_id is not None, f.run_id or 0, str(f.path)))


def run_folders_prune(
    *, keep: int | None = None, dry_run: bool = False, now: datetime | None = None
) -> Pruning:
    """Remove the folders :func:`run_folders_prunable` lists and mark their runs; with ``dry_run`` only list them.

    Runs whose folder is already gone (deleted by hand, as the operations guide once said) and that retention
    would prune are marked too, so their pages say 结果文件已清理 rather than 报告尚未生成.
    """
    now = now or timezone.now()
    pruning = Pruning(folders=run_folders_prunable(keep=keep, now=now), dry_run=dry_run)
    if dry_run:
        return pruning
    removed = []
    for folder in pruning.folders:
        try:
            shutil.rmtree(folder.path)
        except OSError as exc:
            log.warning("could not remove run folder %s: %s", folder.path, exc)
            pruning.failed.append((folder, str(exc)))
            continue
        removed.append(folder)
        if folder.run_id is not None:
            AnalysisRun.objects.filter(pk=folder.run_id, files_pruned_at=None).update(files_pruned_at=now)
    pruning.folders = removed
    _mark_gone(keep=settings.ANALYSIS_KEEP_RUNS if keep is None else keep, now=now)
    _remove_emptied_campaign_folders({folder.path.parent for folder in removed})
    log.info("pruned %d run folders, %d bytes freed", len(removed), pruning.freed)
    return pruning


def _mark_gone(*, keep: int, now: datetime) -> None:
    """Mark the runs retention would prune whose folder is not there (any more)."""
    kept = runs_kept(keep=keep)
    stale = AnalysisRun.objects.filter(files_pruned_at=None).exclude(out_dir="").exclude(pk__in=kept)
    on_disk = {int(_RUN_FOLDER.fullmatch(p.name).group(1)) for p in _run_folders()}
    gone = [pk for pk in stale.values_list("pk", flat=True) if pk not in on_disk]
    AnalysisRun.objects.filter(pk__in=gone).update(files_pruned_at=now)


def _run_folders() -> list[Path]:
    """``var/analysis/<slug>/run-<n>`` folders, not followed through links: nothing else there is ours to remove."""
    root = analysis_root()
    if not root.is_dir():
        return []
    return [
        run
        for campaign in root.iterdir()
        if campaign.is_dir() and not campaign.is_symlink()
        for run in campaign.iterdir()
        if _RUN_FOLDER.fullmatch(run.name) and run.is_dir() and not run.is_symlink()
    ]


def _remove_emptied_campaign_folders(folders: set[Path]) -> None:
    """A deleted campaign's folder, once the last of its runs' folders went (a live campaign's is left alone)."""
    slugs = set(Campaign.objects.values_list("slug", flat=True))
    for folder in folders:
        if folder.name not in slugs and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _walk(path: Path):
    for top, dirs, files in os.walk(path):
        yield top
        yield from (os.path.join(top, name) for name in (*dirs, *files))


def _size(path: Path) -> int:
    """Bytes in the folder's files (what ``du --apparent-size`` counts), links not followed."""
    return sum(os.lstat(p).st_size for p in _walk(path) if not os.path.isdir(p) or os.path.islink(p))


def _last_change(path: Path) -> datetime:
    """When anything in the folder last changed: a crashed run's folder may hold a file written an hour ago."""
    newest = max(os.lstat(p).st_mtime for p in _walk(path))
    return datetime.fromtimestamp(newest, tz=timezone.get_current_timezone())
