"""Progress bars: none, and no tqdm imported, when none would be shown."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_CODE = """
import sys
from minsheng.engine.progress import progress, set_quiet
set_quiet({quiet})
with progress("x", total=5) as bar:
    bar.update(3)
print(bar.n, "tqdm" in sys.modules)
"""


@pytest.mark.parametrize("quiet", [True, False])
def test_no_bar_shown_imports_no_tqdm(quiet):
    """Under --quiet, or with stderr a pipe (a log file, CI), nothing is shown: tqdm (about 0.025 CPU-s of a small
    run's serial start, :func:`~minsheng.engine.progress.progress`) is not imported, and the bar still counts."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", _CODE.format(quiet=quiet)], env=env, capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["3", "False"] and done.stderr == ""
