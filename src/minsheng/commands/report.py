"""``minsheng report DIR``: write report.html, report.xlsx and report.pdf for an analysis output directory."""

from __future__ import annotations

import argparse

from minsheng.reports import FORMATS, ReportWriter


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="write HTML/XLSX/PDF reports for an analysis output directory",
        description="Write report.html, report.xlsx and report.pdf (Simplified Chinese, offline) into DIR, "
                    "the output directory of `minsheng analyze --out DIR`.")
    parser.add_argument("dir", metavar="DIR", help="analysis output directory (summary.json, records.parquet, ...)")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS,
                        help="only this format (repeatable; default: all three)")
    parser.set_defaults(func=run, hard_exit=True)  # see minsheng.cli._hard_exit


def run(args: argparse.Namespace) -> int:
    with ReportWriter(args.formats or FORMATS) as reports:
        for path in reports.write(args.dir).values():
            print(path)
    return 0
