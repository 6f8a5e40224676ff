"""Fixtures: a generated analysis output directory, and the same with its reports written."""

from __future__ import annotations

from pathlib import Path

import pytest

from .analysis_fixture import make_analysis_dir


@pytest.fixture(scope="session")
def analysis_dir(tmp_path_factory) -> Path:
    """A full analysis output directory (all optional sections present), reports not yet written."""
    out = tmp_path_factory.mktemp("analysis")
    make_analysis_dir(out)
    return out


@pytest.fixture(scope="session")
def reported_dir(analysis_dir) -> Path:
    """The same directory with report.html, report.xlsx and report.pdf written once for all tests, as the CLI
    writes them (the PDF in the writer's helper process)."""
    from minsheng.reports import ReportWriter

    with ReportWriter() as reports:
        reports.write(analysis_dir)
    return analysis_dir
