"""Router quality: the metrics report and group-aware cross-validation.

Why group-aware: the labelled messages contain identical and near-identical texts under different ids.
Plain stratified folds would put copies on both sides of a split and reward memorising them; here all
copies of a text share a group (:func:`~._data.duplicate_groups`) and
:class:`~sklearn.model_selection.StratifiedGroupKFold` keeps each group inside one fold.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from minsheng.engine.errors import InputError


def quality_report(y_true: Sequence[str], y_pred: Sequence[str], *, labels: Sequence[str] | None = None,
                   confidence: Sequence[float] | None = None, review_threshold: float | None = None,
                   ) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    Macro-F1 averages over the classes present in ``y_true`` (a class the data never has cannot be
    scored). With ``confidence`` and ``review_threshold`` it also tells how many predictions would go to
    review and how accurate the rest are: the trade-off an operator tunes the threshold for.
    """
    y_true = np.asarray(y_true, dtype=object).astype(str)
    y_pred = np.asarray(y_pred, dtype=object).astype(str)
    present = sorted(set(y_true))
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    labels += [x for x in sorted(set(y_true) | set(y_pred)) if x not in labels]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    report: dict[str, Any] = {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)) if len(y_true) else 0.0,
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                            "support": int(s[i])} for i, lab in enumerate(labels)},
        "confusion": {"labels": labels,
                      "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
    }
    if confidence is not None and review_threshold is not None:
        confidence = np.asarray(confidence, dtype=float)
        sure = confidence >= review_threshold
        report["review"] = {
            "threshold": float(review_threshold),
            "needs_review_share": float(1 - sure.mean()) if len(sure) else 0.0,
            "accuracy_without_review": float((y_true[sure] == y_pred[sure]).mean()) if sure.any() else 0.0,
        }
    return report


def format_report(report: dict[str, Any]) -> str:
    """The report as aligned text for the terminal (headings in Chinese, metric names kept)."""
    lines = [f"样本数 n = {report['n']}",
             f"准确率 accuracy = {report['accuracy']:.4f}",
             f"宏平均 F1 macro-F1 = {report['macro_f1']:.4f}"]
    if "review" in report:
        rv = report["review"]
        lines.append(f"待人工复核 needs_review (置信度 < {rv['threshold']:.2f}): {rv['needs_review_share']:.1%}；"
                     f"其余准确率 {rv['accuracy_without_review']:.4f}")
    labels = report["confusion"]["labels"]
    width = max([_display_width(f"{len(labels)} {lab}") for lab in labels] + [6]) + 2
    lines += ["", "各类 per class:", "类别" + " " * (width - 4) + "  precision  recall      f1  support"]
    for lab, m in report["per_class"].items():
        pad = width - _display_width(lab)
        lines.append(f"{lab}{' ' * pad}  {m['precision']:9.4f}  {m['recall']:6.4f}  {m['f1']:6.4f}  {m['support']:7d}")
    matrix = report["confusion"]["matrix"]
    lines += ["", "混淆矩阵 confusion matrix (行 = 真实 true, 列 = 预测 predicted):"]
    lines.append(" " * width + "".join(f"{j:>6d}" for j in range(len(labels))))
    for i, (lab, row) in enumerate(zip(labels, matrix, strict=True)):
        head = f"{i} {lab}"
        lines.append(head + " " * (width - _display_width(head)) + "".join(f"{v:>6d}" for v in row))
    return "\n".join(lines)


def _display_width(s: str) -> int:
    """Terminal columns of ``s``: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def cross_validate(texts: Sequence[str], labels: Sequence[str], groups: Sequence[int],
                   make_router: Callable[[], Any], *, folds: int = 5, seed: int = 0,
                   unlabeled: Sequence[str] | None = None,
                   on_fold: Callable[[int, dict[str, float]], None] | None = None,
                   make_baseline: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Group-aware stratified ``folds``-fold cross-validation of a fresh router per fold.

    Returns per-fold macro-F1, accuracy and training seconds, their means, and the report of the
    pooled out-of-fold predictions. ``unlabeled`` texts are passed to every fold's ``fit`` (they carry no
    labels, so no test-fold label can leak through them). With ``make_baseline``, a baseline (see
    :class:`~._baseline.BaselineRouter`) is trained and scored in the same folds, given the training
    fold's duplicate groups for its own inner tuning: ``baseline_macro_f1`` per fold, and the mean and
    standard deviation of the per-fold difference router − baseline.
    """
    texts = list(texts)
    y = np.asarray(labels, dtype=object).astype(str)
    groups = np.asarray(groups)
    predicted = np.empty(len(y), dtype=object)
    confidence = np.zeros(len(y))
    per_fold: list[dict[str, float]] = []
    threshold = None
    largest, distinct = int(pd.Series(y).value_counts().max()), len(set(groups.tolist()))
    if folds > min(largest, distinct):  # scikit-learn's ValueError here was a traceback from train / evaluate
        raise InputError(f"too few examples for {folds}-fold cross-validation: the largest department has "
                         f"{largest}, there are {distinct} distinct texts; use --cv with fewer folds, or --cv 0 "
                         "to train without it", field="--cv", code="too_few_for_cv",
                         params={"folds": folds, "largest": largest, "distinct": distinct})
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(splitter.split(texts, y, groups)):
        start = time.perf_counter()
        router = make_router()
        router.fit([texts[i] for i in train], y[train], unlabeled=unlabeled)
        seconds = time.perf_counter() - start
        proba = router.predict_proba([texts[i] for i in test])
        predicted[test] = router.classes_[proba.argmax(axis=1)]
        confidence[test] = proba.max(axis=1)
        threshold = getattr(router, "review_threshold", None)
        fold = {"fold": k + 1, "n_train": len(train), "n_test": len(test),
                "macro_f1": float(f1_score(y[test], predicted[test], average="macro")),
                "accuracy": float(accuracy_score(y[test], predicted[test])),
                "train_seconds": round(seconds, 2)}
        if make_baseline is not None:
            baseline = make_baseline().fit([texts[i] for i in train], y[train], groups=groups[train])
            fold["baseline_macro_f1"] = float(f1_score(y[test], baseline.predict([texts[i] for i in test]),
                                                       average="macro"))
            fold["baseline_C"] = getattr(baseline, "C_", None)
        per_fold.append(fold)
        if on_fold:
            on_fold(k, fold)
    scores = np.array([f["macro_f1"] for f in per_fold])
    compared = {}
    if make_baseline is not None:
        base = np.array([f["baseline_macro_f1"] for f in per_fold])
        compared = {"baseline_macro_f1_mean": float(base.mean()), "baseline_macro_f1_std": float(base.std()),
                    "difference_mean": float((scores - base).mean()),
                    "difference_std": float((scores - base).std()),
                    "folds_won": int((scores > base).sum())}
    return {
        "folds": per_fold,
        "macro_f1_mean": float(scores.mean()),
        "macro_f1_std": float(scores.std()),
        "accuracy_mean": float(np.mean([f["accuracy"] for f in per_fold])),
        "train_seconds_mean": float(np.mean([f["train_seconds"] for f in per_fold])),
        "pooled": quality_report(y, predicted, confidence=confidence, review_threshold=threshold),
        **compared,
    }
