"""What the command line prints: log lines on the platform's clock, no progress-bar residue in a log file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from minsheng.cli import main


def test_log_lines_use_the_platform_time_zone_and_a_log_file_gets_no_bars(tmp_path):
    env = {**os.environ, "TZ": "UTC", "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("TIME_ZONE", None)
    done = subprocess.run([sys.executable, "-m", "minsheng.cli", "synth", "--n", "300", "--seed", "1",
                           "--out", str(tmp_path / "c.csv")], env=env, capture_output=True, text=True, check=True)
    # The offset is said: beside `date` and the machine's other logs in UTC, a bare time 8 hours ahead misled.
    stamp = re.search(r"^(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d,\d{3}\+0800 INFO ", done.stderr, re.M)
    assert stamp, done.stderr
    logged = datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    assert abs(datetime.now(ZoneInfo("Asia/Shanghai")) - logged) < timedelta(minutes=5)
    assert "\r" not in done.stderr and "%|" not in done.stderr  # stderr is a pipe here, not a terminal


@pytest.mark.parametrize("flag", [["--batch-rows", "0"], ["--batch-rows", "-1"], ["--n-broad", "0"],
                                  ["--suggestions", "0"], ["--batch-rows", "many"]])
def test_a_count_below_one_is_refused_by_the_command_line(tmp_path, capsys, flag):
    """--batch-rows 0 was a pandas ValueError traceback ('chunksize' must be an integer >=1), --n-broad 0 a
    scikit-learn one: refused before any work, argparse's one-line error with status 2."""
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,建议增加公交\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(["analyze", str(src), "--out", str(tmp_path / "out"), "--quiet", "--no-report", *flag])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and "Traceback" not in err and f"argument {flag[0]}" in err


def test_a_region_column_named_on_the_command_line_reaches_the_records(tmp_path):
    """--region-col names a column whose header is not one the reader knows (来信区域): it is read as the region."""
    import pandas as pd

    src = tmp_path / "in.csv"
    src.write_text("id,text,来信区域\n1,建议增加公交,珠晖区\n2,路灯不亮,雁峰区\n", encoding="utf-8")
    main(["analyze", str(src), "--out", str(tmp_path / "out"), "--quiet", "--no-report", "--no-themes",
          "--no-hot-issues", "--no-digest", "--region-col", "来信区域"])
    assert pd.read_parquet(tmp_path / "out" / "records.parquet")["region"].tolist() == ["珠晖区", "雁峰区"]
