"""scipy.stats is loaded when first used, not when the engine imports scikit-learn (minsheng.engine._deferred)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    """``code`` in a fresh interpreter (this one may have loaded scipy.stats already); its printed output."""
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def test_importing_the_engine_does_not_load_scipy_stats():
    loaded = _run("import sys\n"
                  "import minsheng.engine.pipeline, minsheng.engine.routing, minsheng.engine.themes\n"
                  "import minsheng.engine.digest, minsheng.engine.hot_issues, minsheng.engine.places\n"
                  "import sklearn.calibration, sklearn.cluster, sklearn.metrics\n"
                  "print(sorted(m for m in sys.modules if m.startswith('scipy.stats.')))")
    assert loaded == "[]"


def test_what_was_taken_from_scipy_stats_before_it_loaded_works_as_scipy_stats_itself():
    out = _run("import minsheng.engine.themes\n"
               "from scipy import stats\n"
               "from sklearn.covariance._robust_covariance import chi2\n"
               "from sklearn.metrics._ranking import rankdata\n"
               "lazy = (list(rankdata([30, 10, 20])), chi2.ppf(0.5, df=3), chi2(3).isf(0.1), stats.norm.cdf(0))\n"
               "import importlib, sys\n"
               "del sys.modules['scipy.stats']\n"
               "real = importlib.import_module('scipy.stats')\n"
               "print(lazy == (list(real.rankdata([30, 10, 20])), real.chi2.ppf(0.5, df=3), real.chi2(3).isf(0.1),"
               " real.norm.cdf(0)), lazy[0] == [3, 1, 2])")
    assert out == "True True"


def test_a_submodule_imported_first_is_the_one_the_package_uses():
    out = _run("import minsheng.engine\n"
               "from scipy.stats._qmc import Halton\n"
               "import scipy.stats\n"
               "print(scipy.stats.qmc.Halton is Halton, round(float(scipy.stats.norm.cdf(1)), 4))")
    assert out == "True 0.8413"
