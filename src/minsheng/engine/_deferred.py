"""SciPy subpackages that scikit-learn imports but no step of the engine calls, loaded on first use.

Why: scikit-learn's modules import ``scipy.stats`` (its first module, ``sklearn.utils.fixes``), ``scipy.optimize``
(calibration, the linear models, the bicluster metrics), ``scipy.integrate`` (the ranking metrics) and
``scipy.interpolate`` (the spline features, isotonic regression), taking a few names from them at import time,
yet the engine's steps call into none of them. Importing scipy.stats builds the docstrings of a hundred
distributions: 0.3 CPU-s of the engine's 1.3 CPU-s of imports; scipy.optimize (which loads scipy.fft through
its linear programming), scipy.integrate and scipy.interpolate another 0.1-0.2 CPU-s; in every process that
imports the engine, and about a tenth of a 5,000-row file's run from the shell.

:func:`defer_scipy` puts a stand-in for each into ``sys.modules``. A name in :data:`_ON_USE` taken from it by an
import (``from scipy.stats import rankdata``) is a stand-in too, which imports the real module when called or
asked for an attribute; the first use of any other attribute imports the real module, and the module's stand-in
then holds all of it. Only training a router (``routing._titles``: ``scipy.optimize.minimize``) loads one.

>>> defer_scipy()
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

#: Each deferred module, and the names libraries take from it when they are imported (``from ... import``), handed
#: out as stand-ins that import it when called or asked for an attribute.
_ON_USE = {
    "scipy.stats": frozenset({"rankdata", "gmean", "chi2", "spearmanr"}),
    "scipy.optimize": frozenset({"minimize", "minimize_scalar", "linear_sum_assignment", "linprog"}),
    "scipy.integrate": frozenset({"trapezoid"}),
    "scipy.interpolate": frozenset({"BSpline"}),
}
_lock = threading.RLock()


class _Module(types.ModuleType):
    """Stands for a deferred module in ``sys.modules`` until one of its attributes is wanted."""

    def __getattr__(self, name: str):
        if name in _ON_USE[self.__name__]:
            return _OnUse(self.__name__, name)
        return getattr(_load(self.__name__), name)


class _OnUse:
    """One function or class of a deferred module, taken by an import before the module was loaded."""

    def __init__(self, module: str, name: str):
        self._module = module
        self._name = name

    def __call__(self, *args, **kwargs):
        return getattr(_load(self._module), self._name)(*args, **kwargs)

    def __getattr__(self, attr: str):
        return getattr(getattr(_load(self._module), self._name), attr)

    def __repr__(self) -> str:
        return f"<{self._module}.{self._name}, imported on first use>"


def _load(name: str) -> types.ModuleType:
    """The real module, imported in place of its stand-in on first use; the stand-in gets all its attributes
    (modules that bound it, e.g. by ``from scipy import stats``, then find them there)."""
    with _lock:
        stand_in = sys.modules.get(name)
        if not isinstance(stand_in, _Module):
            return importlib.import_module(name)
        del sys.modules[name]
        try:
            real = importlib.import_module(name)
        except BaseException:
            sys.modules[name] = stand_in
            raise
        stand_in.__dict__.update(real.__dict__)
        return real


def defer_scipy() -> None:
    """Put a stand-in for each module of :data:`_ON_USE` into ``sys.modules``, unless it is already there.

    The stand-in has the package's spec and ``__path__``: ``from scipy.stats import rankdata`` then asks it for
    the name instead of loading the package to find it, and a submodule imported on its own (``scipy.stats._qmc``)
    is imported as usual (the package reuses it when it loads).
    """
    with _lock:
        for name in _ON_USE:
            if name in sys.modules:
                continue
            try:
                spec = importlib.util.find_spec(name)  # imports the (small) scipy package, not the subpackage
            except ModuleNotFoundError:
                return
            if spec is None or spec.submodule_search_locations is None:
                continue
            stand_in = _Module(name)
            stand_in.__spec__, stand_in.__path__ = spec, list(spec.submodule_search_locations)
            sys.modules[name] = stand_in


#: numpy's submodules that numpy itself loads on first attribute access (``numpy.testing``, ``numpy.f2py``, ...) and
#: that nothing here uses, yet the array-API wrappers scipy and scikit-learn vendor (``array_api_compat``) load them
#: all at import, cloning numpy's namespace with ``hasattr`` on every name ``dir(numpy)`` lists: 0.05-0.1 CPU-s of
#: every process's start.
_NUMPY_ON_USE = ("testing", "f2py", "ctypeslib", "rec", "char", "strings")


class _NumpyModule(types.ModuleType):
    """Stands for one of :data:`_NUMPY_ON_USE` as an attribute of ``numpy`` until one of its own is wanted; an
    ``import numpy.testing`` imports the real module as usual (and puts it in the stand-in's place)."""

    def __getattr__(self, name: str):
        return getattr(importlib.import_module(self.__name__), name)


def defer_numpy_submodules() -> None:
    """Put a stand-in for each of :data:`_NUMPY_ON_USE` not yet imported in its place as an attribute of numpy."""
    import numpy

    for name in _NUMPY_ON_USE:
        if f"numpy.{name}" not in sys.modules and name not in vars(numpy):
            setattr(numpy, name, _NumpyModule(f"numpy.{name}"))


def defer_when_scipy_loads() -> None:
    """:func:`defer_scipy` and :func:`defer_numpy_submodules` as soon as the scipy package has been imported (by
    whatever imports it first), or now if it has been.

    Why not now: the scipy package imports numpy, 0.09 CPU-s, and every module of the engine imports this
    package (the CLI's error classes among them): a command that never reaches scipy paid it, ``minsheng --help``
    0.15 CPU-s instead of 0.08. Deferred to the package's import, the stand-ins are in place at the same point as
    before for a run that uses scipy: after the scipy package, before any of its subpackages and scikit-learn.
    """
    with _lock:
        if "scipy" in sys.modules:
            defer_scipy()
            defer_numpy_submodules()
        elif not any(isinstance(f, _OnScipyImport) for f in sys.meta_path):
            sys.meta_path.insert(0, _OnScipyImport())


class _OnScipyImport:
    """Finds the scipy package as the other finders do, with a loader that defers the modules once the package's
    code has run (:func:`defer_when_scipy_loads`); then leaves ``sys.meta_path``."""

    def find_spec(self, name, path=None, target=None):
        if name != "scipy":
            return None
        with _lock:
            if self in sys.meta_path:
                sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenDefer(spec.loader)
        return spec


class _ThenDefer:
    """``loader``, which then runs the deferrals; the module keeps ``loader`` as its own."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        module.__loader__ = module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        defer_scipy()
        defer_numpy_submodules()


def attributes_on_use(package: str, homes: dict[str, str]):
    """A package's ``__getattr__`` (PEP 562) that imports each name of ``homes`` from its submodule on first use.

    Why: a package's ``__init__`` that imported its heavy submodules eagerly would load them (and scikit-learn)
    in every process that imports anything of the package; the engine and its routing package both want names
    that are cheap to write and load only when used.
    """

    def __getattr__(name: str):
        if name in homes:
            return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
