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


#: The hot_issues package's modules share underscore names among themselves (its ``__init__`` says so).
_SHARING = ("minsheng", "engine", "hot_issues")


def _private_to(target: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where ``target`` (a dotted path, split) may be imported from: the package or module before its first
    private part (``routing._training``: routing; ``reports._labels.score_parts``: reports), None when public."""
    at = next((i for i, p in enumerate(target) if p.startswith("_") and not p.startswith("__")), None)
    return None if at is None else target[:at]


def _imports(path: Path, package: Path) -> list[tuple[tuple[str, ...], int]]:
    """What the module at ``path`` (in ``package``) imports, each a dotted path split, with its line: a module,
    or a module's name (``from a import b``: ``a.b``), relative imports made absolute."""
    import ast

    parts = path.relative_to(package.parent).with_suffix("").parts
    targets = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets += [(tuple(a.name.split(".")), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = tuple(node.module.split(".")) if node.module else ()
            if node.level:  # relative: from the package this file is in, or above it
                base = parts[:len(parts) - node.level] + base
            targets += [(base + (a.name,), node.lineno) for a in node.names]
    return targets


def _private_imports(package: Path) -> list[str]:
    """Each import in ``package`` of a module or a name private to another package or module."""
    wrong = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        here = parts[:-1] if parts[-1] == "__init__" else parts
        for target, line in _imports(path, package):
            owner = _private_to(target)
            if target[:1] != ("minsheng",) or owner is None or here[:len(owner)] == owner:
                continue
            if target[:3] == _SHARING and here[:3] == _SHARING:
                continue
            wrong.append(f"{path.relative_to(package.parent)}:{line}: {'.'.join(target)}")
    return wrong


def test_no_module_imports_a_name_private_to_another():
    """A private module (``routing._training``) or name (``_labels``) is its package's or module's own: what
    another package needs is made public where it belongs (the package's ``__init__``), or moved there."""
    assert _private_imports(PACKAGE) == []


#: What a migration may name of the app's code: a field's ``upload_to`` that Django wrote by reference (it runs
#: when a file is uploaded, never while migrating).
_MIGRATIONS_MAY_NAME = {("minsheng", "assistance", "models")}


def test_no_migration_runs_the_apps_code():
    """A migration must do later what it did when it was written: what it runs (a count, a reader, the counters'
    triggers) is its own or its migrations package's (``_counters``), with models from ``apps.get_model``, never
    the app's code, which changes under it (0026 counted with ``analysis.regions``, 0013 read with the engine's
    reader, 0004/0010/0015 installed the triggers of ``_db.counters``)."""
    wrong = []
    for path in sorted(PACKAGE.glob("*/migrations/*.py")):
        own = path.relative_to(PACKAGE.parent).parts[:3]  # minsheng, the app, migrations
        for target, line in _imports(path, PACKAGE):
            if target[:1] == ("minsheng",) and target[:3] != own and target not in _MIGRATIONS_MAY_NAME:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {'.'.join(target)}")
    assert wrong == []
