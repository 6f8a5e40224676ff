"""``scipy.stats`` loaded when something first uses it, not when scikit-learn is imported.

Why: scikit-learn's first module (``sklearn.utils.fixes``) imports ``scipy.stats``, and four of the modules the
engine loads take a name from it at import time (``rankdata``, ``gmean``, ``chi2``, ``spearmanr``), yet no step
of the engine calls into it. Importing it builds the docstrings of a hundred distributions: 0.3 CPU-s of the
engine's 1.3 CPU-s of imports, in every process that imports the engine, and about a fifteenth of a 5,000-row
file's run from the shell. :func:`defer_scipy_stats` puts a stand-in into ``sys.modules``; the first use of any
other attribute (or of one of those four names) imports the real module, and the stand-in then holds all of it.

>>> defer_scipy_stats()
>>> from scipy.stats import rankdata   # doctest: +SKIP
>>> rankdata([3, 1, 2])                 # imports scipy.stats now  # doctest: +SKIP
array([3., 1., 2.])
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

_NAME = "scipy.stats"
#: Names libraries take from scipy.stats when they are imported (``from scipy.stats import ...``), handed out as
#: stand-ins that import it when called or asked for an attribute.
_ON_USE = frozenset({"rankdata", "gmean", "chi2", "spearmanr"})
_lock = threading.Lock()


class _Stats(types.ModuleType):
    """Stands for ``scipy.stats`` in ``sys.modules`` until one of its attributes is wanted."""

    def __getattr__(self, name: str):
        return _OnUse(name) if name in _ON_USE else getattr(_load(), name)


class _OnUse:
    """One function or distribution of scipy.stats, taken by an import before scipy.stats was loaded."""

    def __init__(self, name: str):
        self._name = name

    def __call__(self, *args, **kwargs):
        return getattr(_load(), self._name)(*args, **kwargs)

    def __getattr__(self, attr: str):
        return getattr(getattr(_load(), self._name), attr)

    def __repr__(self) -> str:
        return f"<scipy.stats.{self._name}, imported on first use>"


def _load() -> types.ModuleType:
    """The real scipy.stats, imported in place of the stand-in on first use; the stand-in gets all its attributes
    (modules that bound it, e.g. by ``from scipy import stats``, then find them there)."""
    with _lock:
        stand_in = sys.modules.get(_NAME)
        if not isinstance(stand_in, _Stats):
            return importlib.import_module(_NAME)
        del sys.modules[_NAME]
        real = importlib.import_module(_NAME)
        stand_in.__dict__.update(real.__dict__)
        return real


def defer_scipy_stats() -> None:
    """Put the stand-in for ``scipy.stats`` into ``sys.modules``, unless scipy.stats is already there.

    The stand-in has the package's spec and ``__path__``: ``from scipy.stats import rankdata`` then asks it for
    the name instead of loading the package to find it, and a submodule imported on its own (``scipy.stats._qmc``)
    is imported as usual (the package reuses it when it loads).
    """
    with _lock:
        if _NAME in sys.modules:
            return
        try:
            spec = importlib.util.find_spec(_NAME)  # imports the (small) scipy package, not scipy.stats
        except ModuleNotFoundError:
            return
        if spec is None or spec.submodule_search_locations is None:
            return
        stand_in = _Stats(_NAME)
        stand_in.__spec__, stand_in.__path__ = spec, list(spec.submodule_search_locations)
        sys.modules[_NAME] = stand_in
