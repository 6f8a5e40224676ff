"""``minsheng train`` and ``minsheng evaluate`` end to end on real labelled messages in a temporary directory."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from minsheng.cli import main
from minsheng.engine.routing import load_model

TEDDY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "teddy2020"
pytestmark = pytest.mark.skipif(not TEDDY.exists(), reason="teddy2020 data not available")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A training file (title/body columns, Chinese headers) and a test file from the other release."""
    root = tmp_path_factory.mktemp("routing")
    source = pd.read_csv(TEDDY / "messages_labeled_text.csv", dtype=str)
    train = source.groupby("label").sample(n=60, random_state=3)
    train = train.rename(columns={"id": "编号", "text": "内容", "label": "部门"})
    test = pd.read_csv(TEDDY / "messages_labeled.csv", dtype=str).drop_duplicates("id").head(150)
    paths = {"train": root / "train.csv", "test": root / "test.csv", "root": root}
    train.to_csv(paths["train"], index=False)
    test.to_csv(paths["test"], index=False)
    return paths


def run_json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_train_then_evaluate(files, capsys):
    model = files["root"] / "router.joblib"
    summary = run_json(capsys, "train", str(files["train"]), "--label-col", "部门", "--out", str(model),
                       "--cv", "3", "--json", "--quiet")
    assert summary["n_train"] == 420 and len(summary["cv_macro_f1_per_fold"]) == 3
    header = load_model(model).header_
    assert header["cv"]["group_aware"] and len(header["training_hash"]) == 64
    assert sum(header["label_counts"].values()) == 420

    report = run_json(capsys, "evaluate", str(files["test"]), "--model", str(model), "--label-col", "label",
                      "--json", "--quiet")
    assert {"accuracy", "macro_f1", "per_class", "confusion"} <= set(report)
    assert report["macro_f1"] > 0.6  # 60 examples per department; chance is about 0.14
    assert set(report["per_class"]) >= set(header["labels"])
    assert sum(map(sum, report["confusion"]["matrix"])) == report["n"] == 150

    assert main(["evaluate", str(files["test"]), "--model", str(model), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "macro-F1" in text and "混淆矩阵" in text


def test_corrections_on_the_command_line(files, capsys):
    fixes = files["root"] / "fixes.csv"
    train = pd.read_csv(files["train"], dtype=str)
    moved = train[train["部门"] == "交通运输"]["编号"]
    pd.DataFrame({"id": moved, "label": "城乡建设"}).to_csv(fixes, index=False)
    model = files["root"] / "corrected.joblib"
    summary = run_json(capsys, "train", str(files["train"]), "--label-col", "部门", "--out", str(model),
                       "--corrections", str(fixes), "--cv", "0", "--json", "--quiet")
    assert summary["corrections"]["overridden"] == len(moved)
    assert "交通运输" not in summary["labels"]


def test_cross_validation_command(files, capsys):
    report = run_json(capsys, "evaluate", str(files["train"]), "--label-col", "部门", "--cv", "3",
                      "--seeds", "0", "1", "--json", "--quiet")
    cv = report["cv"]
    assert cv["group_aware"] and [r["seed"] for r in cv["runs"]] == [0, 1]
    assert cv["full_train_seconds"] > 0 and 0.5 < cv["macro_f1_mean"] <= 1
    # The baseline is scored in the same folds, and the printed difference is the per-fold one.
    router = np.array([r["macro_f1_per_fold"] for r in cv["runs"]])
    baseline = np.array([r["baseline_macro_f1_per_fold"] for r in cv["runs"]])
    assert router.shape == baseline.shape == (2, 3) and 0.5 < baseline.mean() <= 1
    assert cv["difference_mean"] == pytest.approx((router - baseline).mean())
    assert cv["macro_f1_std_seeds"] == pytest.approx(router.mean(axis=1).std())
    assert cv["folds_won"] == int((router > baseline).sum())


def test_taxonomy_model_from_the_command_line(files, capsys):
    model = files["root"] / "tax.joblib"
    summary = run_json(capsys, "train", "--taxonomy", str(TEDDY / "taxonomy.csv"), "--out", str(model),
                       "--json", "--quiet")
    assert summary["kind"] == "taxonomy" and len(summary["labels"]) == 15
    report = run_json(capsys, "evaluate", str(files["test"]), "--model", str(model), "--json", "--quiet")
    assert report["accuracy"] > 0.4


def test_a_missing_label_column_is_one_clear_line(files, capsys):
    code = main(["train", str(files["train"]), "--label-col", "label", "--out",
                 str(files["root"] / "x.joblib"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "field label" in err and "Traceback" not in err


def test_route_bench_reports_throughput(files, capsys):
    model = files["root"] / "bench.joblib"
    run_json(capsys, "train", "--taxonomy", str(TEDDY / "taxonomy.csv"), "--out", str(model), "--json", "--quiet")
    result = run_json(capsys, "route-bench", "--model", str(model), "--n", "3000", "--partition", "1000",
                      "--json", "--quiet")
    assert result["rows"] == 3000 and result["rows_per_cpu_second"] > 0
    assert 0 <= result["needs_review_share"] <= 1 and result["model_kind"] == "taxonomy"


@pytest.mark.parametrize("command", [["train", "--out", "r.joblib"], ["evaluate", "--cv", "2"]])
def test_a_label_column_with_one_department_is_one_line(tmp_path, capsys, command):
    """Labels all alike (or one department and blanks): a ValueError traceback from `minsheng train` and
    `evaluate --cv`; it is the file's fault, said in one line with status 2."""
    path = tmp_path / "one.csv"
    pd.DataFrame({"id": range(6), "text": [f"燃气涨价{i}" for i in range(6)],
                  "label": ["城乡建设"] * 5 + [""]}).to_csv(path, index=False)
    args = [a if a != "r.joblib" else str(tmp_path / "r.joblib") for a in command]
    assert main([args[0], str(path), "--label-col", "label", *args[1:]]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "two different labels" in err and "城乡建设" in err


@pytest.mark.parametrize("flag", ["--corrections", "--hot-gold", "--replies", "--gold"])
def test_an_empty_side_file_is_one_line(tmp_path, capsys, flag):
    """Corrections, a hot-issue gold set, reply grades: each read with pd.read_csv on its own, and an empty file
    ended `minsheng train` / `evaluate` in pandas' EmptyDataError traceback."""
    labelled = tmp_path / "l.csv"
    pd.DataFrame({"id": range(12), "text": [f"{w}{i}" for i, w in enumerate(["燃气涨价", "学校收费"] * 6)],
                  "label": ["城乡建设", "教育文体"] * 6, "reply": ["已处理"] * 12,
                  "reply_time": ["2020-01-02"] * 12}).to_csv(labelled, index=False)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    if flag == "--corrections":
        args = ["train", str(labelled), "--label-col", "label", "--out", str(tmp_path / "r.joblib"), flag, str(empty)]
    elif flag == "--gold":
        args = ["evaluate-digest", flag, str(empty), "--data", str(tmp_path)]
    else:
        args = ["evaluate", str(labelled), flag, str(empty)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "minsheng: error: empty.csv" in err


def test_a_training_file_too_small_for_its_folds_is_one_line(tmp_path, capsys):
    """Three messages per department and the default five folds: scikit-learn's ValueError ("n_splits=5 cannot be
    greater than the number of members in each class") was a traceback from `minsheng train`."""
    path = tmp_path / "small.csv"
    pd.DataFrame({"id": range(6), "text": ["燃气涨价", "学校收费", "燃气漏气", "学校食堂", "燃气费", "学校乱收费"],
                  "label": ["城乡建设", "教育文体"] * 3}).to_csv(path, index=False)
    assert main(["train", str(path), "--label-col", "label", "--out", str(tmp_path / "r.joblib")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--cv 0" in err
    assert main(["train", str(path), "--label-col", "label", "--out", str(tmp_path / "r.joblib"), "--cv", "0"]) == 0
