"""``minsheng report DIR``: write report.html, report.xlsx and report.pdf for an analysis output directory."""

from __future__ import annotations

import argparse

from minsheng.reports import FORMATS, write_reports


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="write HTML/XLSX/PDF reports for an analysis output directory",
        description="Write report.html, report.xlsx and report.pdf (Simplified Chinese, offline) into DIR, "
                    "the output directory of `minsheng analyze --out DIR`.")
    parser.add_argument("dir", metavar="DIR", help="analysis output directory (summary.json, records.parquet, ...)")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS,
                        help="only this format (repeatable; default: all three)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for path in write_reports(args.dir, formats=args.formats or FORMATS).values():
        print(path)
    return 0
