"""`minsheng report DIR` from the command line."""

from __future__ import annotations

import shutil

from minsheng.cli import main


def test_it_writes_the_requested_formats(analysis_dir, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(analysis_dir, out)
    for name in ("report.html", "report.xlsx", "report.pdf"):
        (out / name).unlink(missing_ok=True)
    assert main(["report", str(out), "--format", "html", "--format", "xlsx"]) == 0
    assert (out / "report.html").stat().st_size > 0
    assert (out / "report.xlsx").stat().st_size > 0
    assert not (out / "report.pdf").exists()


def test_it_names_a_bad_directory(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
