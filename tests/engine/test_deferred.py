"""scipy.stats, scipy.optimize, scipy.integrate and scipy.interpolate are loaded when first used, not when the engine
imports scikit-learn (minsheng.engine._deferred)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    """``code`` in a fresh interpreter (this one may have loaded scipy.stats already); its printed output."""
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def test_importing_the_engine_does_not_load_the_deferred_modules():
    loaded = _run("import sys\n"
                  "import minsheng.engine.pipeline, minsheng.engine.routing, minsheng.engine.themes\n"
                  "import minsheng.engine.digest, minsheng.engine.hot_issues, minsheng.engine.places\n"
                  "import sklearn.calibration, sklearn.cluster, sklearn.metrics, sklearn.isotonic\n"
                  "deferred = ('scipy.stats.', 'scipy.integrate.', 'scipy.interpolate.', 'scipy.fft')\n"
                  "print(sorted(m for m in sys.modules if m.startswith(deferred)),\n"
                  "      sorted(m for m in sys.modules if m.startswith('scipy.optimize.')))")
    # scikit-learn's line search is imported from its own submodule, which loads no more of scipy.optimize
    assert loaded == "[] ['scipy.optimize._dcsrch', 'scipy.optimize._linesearch']"


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


def test_names_taken_from_the_other_deferred_modules_work_as_theirs():
    out = _run("import minsheng.engine.routing\n"
               "import numpy as np\n"
               "from sklearn.calibration import minimize_scalar\n"
               "from sklearn.metrics._ranking import trapezoid\n"
               "from sklearn.metrics.cluster._bicluster import linear_sum_assignment\n"
               "from sklearn.preprocessing._polynomial import BSpline\n"
               "from minsheng.engine.routing._titles import minimize\n"
               "lazy = (round(float(minimize_scalar(lambda x: (x - 2) ** 2).x), 4), float(trapezoid([1, 2, 3])),\n"
               "        [int(i) for i in linear_sum_assignment(np.array([[4, 1], [2, 0]]))[1]],\n"
               "        BSpline.design_matrix(np.array([0.5]), np.array([0., 0., 1., 1.]), 1).toarray().tolist(),\n"
               "        round(float(minimize(lambda x: float((x[0] - 1) ** 2), np.zeros(1)).x[0]), 3))\n"
               "import scipy.optimize, scipy.interpolate\n"
               "print(lazy, scipy.optimize.minimize_scalar.__module__, scipy.interpolate.BSpline.__name__)")
    assert out == "(2.0, 4.0, [1, 0], [[0.5, 0.5]], 1.0) scipy.optimize._minimize BSpline"


def test_numpy_submodules_nothing_uses_are_loaded_on_first_use_only():
    out = _run("import sys\n"
               "import minsheng.engine.pipeline, minsheng.engine.routing, minsheng.engine.digest\n"
               "import numpy\n"
               "before = sorted(m for m in sys.modules if m.startswith(('numpy.testing', 'numpy.f2py')))\n"
               "numpy.testing.assert_array_equal(numpy.arange(3), [0, 1, 2])\n"
               "from numpy import char\n"
               "print(before, 'numpy.testing' in sys.modules, char.upper(['a']).tolist())")
    assert out == "[] True ['A']"


def test_the_command_line_loads_neither_numpy_nor_scipy_until_a_command_does():
    out = _run("import sys\n"
               "import minsheng.cli\n"
               "minsheng.cli.build_parser()\n"
               "print(sorted(m for m in ('numpy', 'scipy', 'pandas') if m in sys.modules))\n"
               "import sklearn.base, sklearn.metrics\n"
               "print(type(sys.modules['scipy.stats']).__name__, 'scipy.stats._distn_infrastructure' in sys.modules,\n"
               "      type(sys.modules['scipy'].__loader__).__name__, type(sys.modules['numpy'].testing).__name__)")
    assert out.splitlines() == ["[]", "_Module False SourceFileLoader _NumpyModule"]
