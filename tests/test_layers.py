"""No import runs back up the layers (the contract is in pyproject.toml, checked by import-linter).

engine <- reports <- accounts | forms <- consultation | assistance <- web <- bench | demo <- commands <- cli: a module
may import from its own layer and the layers below it, never above. The second test plants one wrong import
in a copy of the package and checks that the same contract catches it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "minsheng"


def _lint(src_dir: Path) -> subprocess.CompletedProcess:
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True))")
    env = {**os.environ, "PYTHONPATH": str(src_dir)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_no_lower_layer_imports_a_higher_one():
    result = _lint(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_back_up_the_layers_breaks_the_contract(tmp_path):
    copy = tmp_path / "src" / "minsheng"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "locale"))
    target = copy / "engine" / "dedup.py"
    target.write_text(target.read_text() + "\nfrom minsheng.reports import FORMATS  # noqa: E402\n")
    result = _lint(copy.parent)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "minsheng.engine.dedup -> minsheng.reports" in result.stdout
