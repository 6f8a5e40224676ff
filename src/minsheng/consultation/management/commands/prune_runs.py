"""``minsheng manage prune_runs [--dry-run] [--keep N]``: remove the analysis run folders retention no longer keeps.

Every full run does this when it finishes (:mod:`minsheng.consultation.analysis.retention` says what stays);
the command is for a site upgraded from before that, a changed ``ANALYSIS_KEEP_RUNS``, or a look first.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


class Command(BaseCommand):
    help = "Remove old analysis run folders (all but each campaign's current run and its ANALYSIS_KEEP_RUNS newest)"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would go; remove nothing")
        parser.add_argument(
            "--keep", type=int, default=None, help="full runs kept per campaign (default: ANALYSIS_KEEP_RUNS)"
        )

    def handle(self, *args, dry_run: bool, keep: int | None, **options):
        from minsheng.consultation.analysis.retention import analysis_root, run_folders_prune

        if keep is not None and keep < 0:
            raise CommandError("--keep must be 0 or more (0 keeps only the current run)")
        pruning = run_folders_prune(keep=keep, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        root = analysis_root()
        for folder in pruning.folders:
            whose = f"run {folder.run_id}" if folder.run_id is not None else "no run (leftover)"
            self.stdout.write(f"{verb} {folder.path.relative_to(root)}  {whose}  {_mib(folder.size)}")
        kept = settings.ANALYSIS_KEEP_RUNS if keep is None else keep
        self.stdout.write(
            f"{verb} {len(pruning.folders)} folder(s) under {root}: {pruning.freed:,} bytes "
            f"({_mib(pruning.freed)}) {'would be ' if dry_run else ''}freed; "
            f"kept each campaign's current run and its {kept} newest full run(s)"
        )
        for folder, error in pruning.failed:
            self.stderr.write(f"could not remove {folder.path}: {error}")
        if pruning.failed:
            raise CommandError(f"{len(pruning.failed)} folder(s) could not be removed")
