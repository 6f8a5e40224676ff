"""Model files: round trip with metadata; incompatible or foreign files refused with a clear error."""

from __future__ import annotations

import pickle

import joblib
import numpy as np
import pytest

from minsheng.engine.errors import InputError
from minsheng.engine.routing import (
    TaxonomyRouter,
    TextRouter,
    check_model,
    load_model,
    read_header,
    save_model,
    training_hash,
)
from minsheng.engine.routing._model_io import library_versions

TEXTS = ["小区燃气管道漏气", "学校食堂卫生差", "燃气费太贵了", "学校乱收费", "燃气表不准", "学校校车超载"] * 3
LABELS = ["城乡建设", "教育文体"] * 9


@pytest.fixture(scope="module")
def router():
    return TextRouter(min_df=1, calibration_cv=3).fit(TEXTS, LABELS)


def test_round_trip_keeps_predictions_and_records_metadata(router, tmp_path):
    path = tmp_path / "router.joblib"
    save_model(router, path, metadata={"training_hash": training_hash(TEXTS, LABELS),
                                       "cv": {"macro_f1_mean": 0.9}})
    loaded = load_model(path)
    probe = ["燃气漏气", "学校收费"]
    assert np.allclose(loaded.predict_proba(probe), router.predict_proba(probe))
    header = loaded.header_
    assert header["labels"] == ["城乡建设", "教育文体"] and header["kind"] == "supervised"
    assert header["versions"] == library_versions() and set(header["versions"]) == {"minsheng", "sklearn", "numpy"}
    assert header["training_hash"] == training_hash(TEXTS, LABELS) != training_hash(TEXTS, LABELS[::-1])
    assert header["cv"]["macro_f1_mean"] == 0.9
    assert read_header(path)["labels"] == header["labels"]


def test_taxonomy_router_round_trips_too(tmp_path):
    import pandas as pd

    tax = pd.DataFrame({"level1": ["城乡建设", "教育文体"], "level2": ["燃气供应", "学校管理"]})
    path = tmp_path / "tax.joblib"
    save_model(TaxonomyRouter().fit(tax), path)
    loaded = load_model(path)
    assert loaded.header_["kind"] == "taxonomy"
    assert loaded.predict(["燃气涨价"]).tolist() == ["城乡建设"]


def _write_with_versions(router, path, **versions):
    header = {"format": "minsheng-router", "format_version": 1, "kind": router.kind,
              "labels": list(router.classes_), "versions": {**library_versions(), **versions}}
    with path.open("wb") as f:
        pickle.dump(header, f)
        joblib.dump(router, f)


@pytest.mark.parametrize(("library", "version", "named"), [
    ("sklearn", "1.0.2", "scikit-learn 1.0.2"),
    ("numpy", "1.26.4", "numpy 1.26.4"),
    ("minsheng", "9.9.0", "minsheng 9.9.0"),
])
def test_a_model_from_an_incompatible_version_is_refused(router, tmp_path, library, version, named):
    path = tmp_path / "old.joblib"
    _write_with_versions(router, path, **{library: version})
    with pytest.raises(InputError) as err:
        load_model(path)
    assert named in str(err.value) and "retrain" in str(err.value) and err.value.field == "versions"


def test_check_model_refuses_what_load_model_refuses_without_unpickling_the_router(router, tmp_path):
    old = tmp_path / "old.joblib"
    _write_with_versions(router, old, sklearn="1.0.2")
    with pytest.raises(InputError, match="scikit-learn 1.0.2"):
        check_model(old)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model", encoding="utf-8")
    with pytest.raises(InputError, match="not a minsheng router model"):
        check_model(notes)
    whole, header_only = tmp_path / "router.joblib", tmp_path / "header.joblib"
    save_model(router, whole)
    with header_only.open("wb") as f:  # a loadable header and no router after it: only loading finds that out
        pickle.dump(read_header(whole), f)
    assert check_model(header_only)["kind"] == "supervised"
    with pytest.raises(EOFError):
        load_model(header_only)


def test_a_patch_release_still_loads(router, tmp_path):
    path = tmp_path / "patch.joblib"
    major, minor = library_versions()["sklearn"].split(".")[:2]
    _write_with_versions(router, path, sklearn=f"{major}.{minor}.99")
    assert load_model(path).predict(["燃气漏气"]).tolist() == ["城乡建设"]


def test_foreign_and_missing_files_are_named(tmp_path):
    other = tmp_path / "other.pkl"
    other.write_bytes(pickle.dumps({"something": "else"}))
    text = tmp_path / "notes.txt"
    text.write_text("not a model", encoding="utf-8")
    for path in (other, text, tmp_path / "missing.joblib"):
        with pytest.raises(InputError) as err:
            load_model(path)
        assert str(path) in str(err.value)


def test_the_router_ships_to_workers_without_its_16_mb_column_map(router):
    shipped = pickle.dumps(router)
    assert len(shipped) < router.column_map_.nbytes / 4
    back = pickle.loads(shipped)
    assert np.array_equal(back.column_map_, router.column_map_)
    assert np.allclose(back.predict_proba(TEXTS[:4]), router.predict_proba(TEXTS[:4]))
    assert hasattr(router, "column_map_")  # pickling did not strip the original


def test_route_frame_takes_a_model_path_as_workers_do(router, tmp_path):
    import pandas as pd

    from minsheng.engine.routing import route_frame

    path = tmp_path / "router.joblib"
    save_model(router, path)
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["燃气漏气", "学校收费"]})
    by_path, by_object = route_frame(frame, str(path)), route_frame(frame, router)
    assert by_path["department"].tolist() == by_object["department"].tolist() == ["城乡建设", "教育文体"]


def test_a_router_pickled_before_the_title_block_still_predicts_the_same():
    old = TextRouter(min_df=1, calibration_cv=3, title_weight=0.0).fit(TEXTS, LABELS)
    state = old.__getstate__()
    del state["title_weight"], state["title_chars"]  # what a router saved by the previous release holds
    revived = TextRouter.__new__(TextRouter)
    revived.__setstate__(state)
    probe = ["燃气漏气", "学校收费"]
    assert revived.title_weight == 0.0
    assert np.allclose(revived.predict_proba(probe), old.predict_proba(probe))
