"""The committed catalogues are exactly what scripts/make-messages.sh writes, so the next i18n change is a small
diff: a catalogue edited by hand (entries appended at the end, long lines unwrapped next to wrapped ones, new
messages left out because an empty msgstr shows the msgid anyway) made the script rewrite ~1,200 lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import minsheng

PACKAGE = Path(minsheng.__file__).parent
ROOT = PACKAGE.parents[1]
CATALOGUES = ("django.po", "djangojs.po")


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_make_messages_leaves_the_committed_catalogues_unchanged(tmp_path):
    """Runs the script on a copy of the sources, so the checkout is never written."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "make-messages.sh", tmp_path / "scripts")
    shutil.copytree(PACKAGE, tmp_path / "src" / "minsheng",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"))
    subprocess.run(["bash", str(tmp_path / "scripts" / "make-messages.sh")], check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable})
    for name in CATALOGUES:
        committed = (PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / name).read_text(encoding="utf-8")
        written = (tmp_path / "src" / "minsheng" / "locale" / "zh_Hans" / "LC_MESSAGES" / name).read_text(encoding="utf-8")
        assert written == committed, f"{name} differs from what scripts/make-messages.sh writes: run it and commit"
