"""``minsheng analyze``: run the analysis engine on files and write an output directory."""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
import time
from pathlib import Path

from minsheng.engine.executor import start_up_done
from minsheng.engine.progress import set_quiet

log = logging.getLogger(__name__)


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    """Input files and column mapping flags, shared by every command that reads suggestions."""
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="CSV/TSV/XLSX/XLS/JSONL/Parquet files")
    p.add_argument("--id-col")
    p.add_argument("--text-col", action="append", default=[], help="repeatable; joined with a newline")
    p.add_argument("--time-col")
    p.add_argument("--date-col", help="the day, when --time-col holds only the time of day (a date column beside a time column)")
    p.add_argument("--user-col")
    p.add_argument("--channel-col")
    p.add_argument("--region-col", help="where each suggestion comes from (a region, province or district): "
                                        "the reports break down by it")
    p.add_argument("--extra-col", action="append", default=[], help="repeatable; kept under its own name")


def column_map(args: argparse.Namespace):
    from minsheng.engine.ingest import ColumnMap

    return ColumnMap(id=args.id_col, text=tuple(args.text_col), time=args.time_col, user=args.user_col,
                     channel=args.channel_col, extra=tuple(args.extra_col), date=args.date_col,
                     region=args.region_col)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--batch-rows 0`` was a pandas ValueError traceback,
    ``--n-broad 0`` a scikit-learn one); anything else is argparse's own one-line error, status 2."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="ingest, normalise, group duplicates, detect campaigns, ...")
    add_input_arguments(p)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--model", help="router from `minsheng train` (supervised or --taxonomy): adds departments")
    p.add_argument("--review-threshold", type=float, help="confidence below which a record needs review")
    p.add_argument("--no-themes", action="store_true", help="skip themes (hot issues then compare texts instead)")
    p.add_argument("--n-broad", type=positive_int, default=20, help="broad themes (20)")
    p.add_argument("--n-fine", type=positive_int, help="exactly this many fine themes (default: as many as the data holds, ~700 for the synthetic million)")
    p.add_argument("--theme-seed", type=int, default=0)
    p.add_argument("--no-hot-issues", action="store_true")
    p.add_argument("--no-digest", action="store_true", help="skip the suggestion digest (suggestions.csv, novel.csv)")
    p.add_argument("--suggestions", type=positive_int, dest="n_suggestions", help="at most this many suggestions (1000)")
    p.add_argument("--reply-col", help="score the replies in this column: replies.csv, replies_by_department.csv")
    p.add_argument("--reply-time-col", help="time of each reply, for timeliness")
    p.add_argument("--no-replies", action="store_true",
                   help="do not score a reply column found in the header (reply, answer …)")
    p.add_argument("--threshold", type=float, default=0.8, help="near-duplicate Jaccard threshold (0.8)")
    p.add_argument("--min-campaign-people", type=int, default=10)
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", help="Dask scheduler address (default: start a LocalCluster)")
    p.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    p.add_argument("--batch-rows", type=positive_int, default=25_000, help="rows per partition (25000)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--no-report", action="store_true", help="skip report.html/.xlsx/.pdf (`minsheng report DIR` later)")
    p.add_argument("--timings", metavar="FILE", help="write where the run's wall time went (JSON; `minsheng bench`)")
    # hard_exit: see minsheng.cli._hard_exit; collect_after_start: its start-up runs without the cyclic garbage
    # collector, turned on at the first stage (minsheng.engine.executor.start_up_done)
    p.set_defaults(func=run, hard_exit=True, collect_after_start=True)


def options_from(args: argparse.Namespace):
    """The engine's options from the flags ``add_input_arguments`` and the stage commands share."""
    from minsheng.engine.pipeline import AnalyzeOptions

    set_quiet(getattr(args, "quiet", False))
    names = ("threshold", "min_campaign_people", "executor", "scheduler", "workers", "batch_rows", "model",
             "review_threshold", "n_broad", "n_fine", "theme_seed", "theme_model", "theme_sample", "window_days",
             "reply_col", "reply_time_col", "n_suggestions")
    given = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    if hasattr(args, "reply_col") and not args.reply_col and not getattr(args, "no_replies", False):
        given.update(_found_replies(args.inputs[0]))
    if given.get("reply_col"):  # the reply columns must survive ingest
        args.extra_col += [c for c in (given["reply_col"], given.get("reply_time_col"))
                           if c and c not in args.extra_col]
    return AnalyzeOptions(columns=column_map(args), **given)


def _found_replies(path: str) -> dict[str, str]:
    """``reply_col`` (and ``reply_time_col``) when the first input's header names a published reply (答复意见,
    reply …): its replies are scored as if the flags had been given. Nothing when the header cannot be read:
    ingest then says what is wrong with the file."""
    from minsheng.engine.errors import InputError
    from minsheng.engine.ingest import reply_columns

    try:
        reply, when = reply_columns(path)
    except (InputError, OSError, ValueError):
        return {}
    if reply:
        log.info("%s: replies in column %r%s are scored (replies.csv; --no-replies to skip)", Path(path).name,
                 reply, f", their times in {when!r}" if when else "")
    return {k: v for k, v in (("reply_col", reply), ("reply_time_col", when)) if v}


def run(args: argparse.Namespace) -> int:
    from minsheng.reports import FORMATS, ReportWriter

    clock = [("command", time.time())]
    # First, before the engine's imports and threads: the writer forks a helper that loads the PDF's libraries
    # while the engine works (see ReportWriter).
    with ReportWriter(() if args.no_report else FORMATS) as reports:
        from minsheng.engine import pipeline
        from minsheng.engine.result import write_result

        options = options_from(args)
        skip = {pipeline.themes} if args.no_themes else set()
        skip |= {pipeline.hot_issues} if args.no_hot_issues else set()
        skip |= {pipeline.digest} if args.no_digest else set()
        steps = [_charts_drawn_ahead(s, reports, args.out) if s is pipeline.digest and reports.formats else s
                 for s in pipeline.STEPS if s not in skip]
        first_stage = []

        def started(name: str) -> None:
            if not first_stage:
                first_stage.append(time.time())
                start_up_done()

        result = pipeline.analyze(args.inputs, options, steps, on_stage=started)
        clock += [("first_stage", first_stage[0] if first_stage else time.time()), ("engine", time.time())]
        write_result(result, args.out)
        clock.append(("written", time.time()))
        if reports.formats:
            reports.write(args.out)
    clock.append(("reports", time.time()))
    if args.timings:
        _write_timings(args.timings, clock, result.summary)
    summary = result.summary
    brief = {k: summary.get(k, 0) for k in ("rows_in", "accepted", "rejected", "exact_duplicates",
                                            "near_duplicate_groups", "distinct_after_duplicates", "campaigns",
                                            "masked", "themes", "hot_issues", "suggestions", "seconds",
                                            "peak_rss_mb")}
    json.dump(brief, sys.stdout, ensure_ascii=False, indent=2)
    print(f"\noutput: {args.out}")
    return 0


def _charts_drawn_ahead(step, reports, out: str):
    """``step`` (the digest), after handing the result so far to the report helper, which draws the PDF's
    charts on the other core while the digest runs (:meth:`ReportWriter.draw_ahead`)."""
    @functools.wraps(step)  # the same name in summary.json's steps
    def run_step(run) -> None:
        reports.draw_ahead(run.result, out)
        step(run)
    return run_step


def _write_timings(path: str, clock: list[tuple[str, float]], summary: dict) -> None:
    """Where the wall time of this run went, in seconds, for ``minsheng bench``'s from-the-shell row.

    ``start_up``: from the process's start to the first stage (interpreter, CLI, the report helper's fork,
    the engine's imports); ``stages``: the engine's stages as ``summary.json`` times them; ``between_stages``:
    the rest of the engine's run (imports a step makes on first use, e.g. scikit-learn for themes);
    ``writing``: the output directory; ``reports``: HTML, XLSX and PDF. What follows (the process's exit)
    is the caller's wall time minus ``until_reports``.
    """
    at = dict(clock)
    started = time.time() - _since_process_start()
    stages = sum(s["seconds"] for s in summary.get("stages", {}).values())
    times = {"start_up": at["first_stage"] - started, "stages": stages,
             "between_stages": at["engine"] - at["first_stage"] - stages, "writing": at["written"] - at["engine"],
             "reports": at["reports"] - at["written"], "until_reports": at["reports"] - started}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({k: round(v, 3) for k, v in times.items()}, fh, indent=2)


def _since_process_start() -> float:
    """Seconds since this process started (Linux: its start in clock ticks after boot, against the boot
    clock; psutil's ``create_time`` is only as precise as the boot time's whole second)."""
    import os

    with open("/proc/self/stat", encoding="ascii") as fh:
        start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
    return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
