"""Saving and loading routers with the metadata that says what they are and whether they still load.

A model file is two objects written one after the other: a small header of plain Python values (label
set, training-data hash, library versions, cross-validated scores) and then the router itself (joblib,
compressed). The header is read first, so a model made by an incompatible version is refused with a clear
message *before* unpickling objects whose classes may have changed: scikit-learn does not support
loading estimators pickled by another minor version.

Model files are pickles: load only models you made or trust, as with any scikit-learn model.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn

import minsheng
from minsheng.engine.errors import InputError

log = logging.getLogger(__name__)

FORMAT = "minsheng-router"
FORMAT_VERSION = 1


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose pickles a model contains."""
    return {"minsheng": minsheng.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__}


def training_hash(texts: Iterable[str], labels: Iterable[str]) -> str:
    """SHA-256 over the (text, label) pairs in order: the same data gives the same hash."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(str(text).encode("utf-8"))
        digest.update(b"\x00")
        digest.update(str(label).encode("utf-8"))
        digest.update(b"\x01")
    return digest.hexdigest()


def _compatible(saved: dict[str, str], current: dict[str, str]) -> str | None:
    """Why a model saved with ``saved`` versions cannot be loaded here, or None when it can."""
    def major_minor(v: str) -> tuple[str, ...]:
        return tuple(v.split(".")[:2])

    if major_minor(saved.get("sklearn", "?")) != major_minor(current["sklearn"]):
        return f"scikit-learn {saved.get('sklearn')} (this installation has {current['sklearn']})"
    if saved.get("numpy", "?").split(".")[0] != current["numpy"].split(".")[0]:
        return f"numpy {saved.get('numpy')} (this installation has {current['numpy']})"
    if major_minor(saved.get("minsheng", "?")) != major_minor(current["minsheng"]):
        return f"minsheng {saved.get('minsheng')} (this installation has {current['minsheng']})"
    return None


def save_model(router: Any, path: str | Path, *, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``router`` with its header to ``path``; returns the header.

    The router must have ``classes_`` and ``kind`` (``"supervised"`` or ``"taxonomy"``).
    """
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": router.kind,
        "labels": [str(c) for c in router.classes_],
        "versions": library_versions(),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        **(metadata or {}),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        pickle.dump(header, f, protocol=pickle.HIGHEST_PROTOCOL)
        joblib.dump(router, f, compress=3)
    tmp.replace(path)  # never leave a half-written model under the real name
    return header


def read_header(path: str | Path) -> dict[str, Any]:
    """The header of a model file, checked for format (not for versions)."""
    path = Path(path)
    if not path.exists():
        raise InputError("model file not found", file=str(path))
    try:
        with path.open("rb") as f:
            header = pickle.load(f)
    except Exception as exc:  # any unpickling failure means "not one of our model files"
        raise InputError(f"not a minsheng router model ({type(exc).__name__})", file=str(path)) from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InputError("not a minsheng router model", file=str(path))
    return header


def check_model(path: str | Path) -> dict[str, Any]:
    """The header of the router model file ``path``, when this installation can load the router it holds.

    Raises :class:`~minsheng.engine.errors.InputError` when the file is not a router model or was made
    by an incompatible format or library version (retrain it with ``minsheng train``). The router itself is
    not unpickled: what its classes import (scikit-learn's SVM and calibration) is not loaded.
    """
    path = Path(path)
    header = read_header(path)
    if header.get("format_version") != FORMAT_VERSION:
        raise InputError(f"model format version {header.get('format_version')} is not supported "
                         f"(this installation reads version {FORMAT_VERSION}); retrain it with minsheng train",
                         file=str(path), field="format_version")
    why = _compatible(header.get("versions", {}), library_versions())
    if why:
        raise InputError(f"model was made with {why}; retrain it with minsheng train",
                         file=str(path), field="versions")
    return header


def load_model(path: str | Path) -> Any:
    """Load a router saved by :func:`save_model`; its header is available as ``router.header_``.

    Raises :class:`~minsheng.engine.errors.InputError` as :func:`check_model` does.
    """
    path = Path(path)
    header = check_model(path)
    with path.open("rb") as f:
        pickle.load(f)
        router = joblib.load(f)
    router.header_ = header
    return router
