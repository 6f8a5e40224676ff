"""ReportWriter: the PDF and the workbook written in two helper processes forked before the analysis, the HTML in this
one."""

from __future__ import annotations

import shutil

import psutil

from minsheng.reports import ReportWriter


def _new_children(before: set[int]) -> list[psutil.Process]:
    return [p for p in psutil.Process().children() if p.pid not in before]


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children()}


def _fresh_copy(analysis_dir, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(analysis_dir, out)
    for name in ("report.html", "report.xlsx", "report.pdf"):
        (out / name).unlink(missing_ok=True)
    return out


def test_the_helpers_write_the_pdf_and_the_workbook_and_exit_with_the_writer(analysis_dir, tmp_path):
    out, before = _fresh_copy(analysis_dir, tmp_path), _children()
    with ReportWriter() as reports:
        helpers = _new_children(before)
        assert len(helpers) == 2  # the PDF's, the workbook's: written at once beside the HTML
        written = reports.write(out)
    assert list(written) == ["html", "xlsx", "pdf"]
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    assert written["xlsx"].read_bytes().startswith(b"PK")
    assert all(path.stat().st_size > 0 for path in written.values())
    assert all(not h.is_running() or h.status() == psutil.STATUS_ZOMBIE for h in helpers)


def test_without_the_html_the_workbook_is_written_here_beside_the_pdf(analysis_dir, tmp_path):
    out, before = _fresh_copy(analysis_dir, tmp_path), _children()
    with ReportWriter(["xlsx", "pdf"]) as reports:
        assert len(_new_children(before)) == 1
        assert list(reports.write(out)) == ["xlsx", "pdf"]


def test_a_dead_helper_leaves_the_pdf_to_this_process(analysis_dir, tmp_path):
    out, before = _fresh_copy(analysis_dir, tmp_path), _children()
    with ReportWriter() as reports:
        for helper in _new_children(before):
            helper.kill()
            helper.wait(10)
        written = reports.write(out)
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    assert written["xlsx"].read_bytes().startswith(b"PK")  # the other helper's report, written here too


def test_only_the_pdf_or_no_pdf_needs_no_helper(analysis_dir, tmp_path):
    out, before = _fresh_copy(analysis_dir, tmp_path), _children()
    for formats in (["pdf"], ["html", "xlsx"]):
        with ReportWriter(formats) as reports:
            assert _new_children(before) == []
            assert list(reports.write(out)) == formats
