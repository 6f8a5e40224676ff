"""``minsheng evaluate``: how well does a router route, and how well are replies scored? Three modes.

    minsheng evaluate test.csv --model router.joblib --label-col label [--json]
        scores a saved router on labelled messages it has (preferably) never seen;
    minsheng evaluate a.csv b.csv --cv 5 --label-col label [--unlabeled more.csv ...] [--json]
        the reproducible quality measurement: group-aware stratified K-fold cross-validation of a fresh
        router per fold (identical and near-identical texts never straddle folds), printing macro-F1 per
        fold, the mean, and training times, side by side with a tuned baseline in the same folds;
    minsheng evaluate messages_replied.csv --replies grades.csv [--json]
        scores the replies (``engine/replies.py``) and prints the Spearman correlation of the score with
        hand grades (0–4, columns id,grade) and with the length of the reply.

Both print accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix; ``--json`` gives
the same as an object with keys ``accuracy``, ``macro_f1``, ``per_class`` (and ``confusion``, ``cv``).
"""

from __future__ import annotations

import argparse
import json
import logging
import time

from minsheng.commands.train import add_data_arguments
from minsheng.engine.errors import InputError
from minsheng.engine.progress import set_quiet

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score a router on labelled messages, or cross-validate one (--cv)")
    add_data_arguments(p)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--model", metavar="MODEL", help="saved router to score")
    mode.add_argument("--cv", type=int, metavar="K", help="cross-validate a fresh router in K folds instead")
    mode.add_argument("--replies", metavar="GRADES",
                      help="score the replies of INPUT and compare with hand grades (CSV id,grade 0–4)")
    p.add_argument("--reply-col", default="reply", help="with --replies: reply column (default: reply)")
    p.add_argument("--reply-time-col", default="reply_time", help="with --replies: reply time column")
    p.add_argument("--seed", type=int, default=0, help="seed of the cross-validation split")
    p.add_argument("--corrections", metavar="FILE", help="with --cv: corrections applied before splitting")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    set_quiet(args.quiet)
    mode = _replies if args.replies else _cross_validate if args.cv else _score_model
    result = mode(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.replies:
        _print_replies(result)
    else:
        _print_text(result)
    return 0


def _score_model(args: argparse.Namespace) -> dict:
    from minsheng.engine.routing import load_model, quality_report, read_labelled, route_texts

    router = load_model(args.model)
    frame = read_labelled(args.inputs, label_col=args.label_col, text_cols=args.text_col, id_col=args.id_col)
    frame = frame[frame["label"].notna()]
    start = time.perf_counter()
    department, confidence, _ = route_texts(frame["text"].tolist(), router)
    seconds = time.perf_counter() - start
    predicted = [d if d is not None else "" for d in department]
    report = quality_report(frame["label"].tolist(), predicted, labels=list(router.classes_),
                            confidence=confidence, review_threshold=router.review_threshold)
    report["model"] = {"path": str(args.model), "kind": router.header_.get("kind"),
                       "training_hash": router.header_.get("training_hash"),
                       "cv_macro_f1_mean": router.header_.get("cv", {}).get("macro_f1_mean")}
    report["predict_seconds"] = round(seconds, 3)
    return report


def _cross_validate(args: argparse.Namespace) -> dict:
    from minsheng.engine.routing._training import train_router, training_set, unlabeled_texts

    if args.cv < 2:
        raise InputError("--cv needs at least 2 folds", field="cv")
    frame, _ = training_set(args.inputs, label_col=args.label_col, text_cols=args.text_col,
                            id_col=args.id_col, corrections=args.corrections)
    extra = unlabeled_texts(args.unlabeled)

    def on_fold(k: int, fold: dict) -> None:
        if not args.json:
            print(f"第 {k + 1} 折 fold {k + 1}: macro-F1 {fold['macro_f1']:.4f}  accuracy {fold['accuracy']:.4f}"
                  f"  训练 train {fold['train_seconds']:.1f} s ({fold['n_train']} / test {fold['n_test']})",
                  flush=True)

    _, metadata = train_router(frame, unlabeled=extra, cv=args.cv, seed=args.seed, on_fold=on_fold)
    cv = metadata["cv"]
    report = dict(cv["pooled"])
    report["cv"] = {k: v for k, v in cv.items() if k != "pooled"}
    report["cv"]["n_messages"] = metadata["n_train"]
    report["cv"]["n_unlabeled"] = metadata["n_unlabeled"]
    report["cv"]["full_train_seconds"] = metadata["train_seconds"]
    return report


def _print_text(result: dict) -> None:
    from minsheng.engine.routing import format_report

    if "cv" in result:
        cv = result["cv"]
        print(f"{cv['folds']} 折分组交叉验证 group-aware CV over {cv['n_messages']} messages"
              f" (+{cv['n_unlabeled']} unlabelled): macro-F1 mean {cv['macro_f1_mean']:.4f}"
              f" ± {cv['macro_f1_std']:.4f}; per fold "
              + " ".join(f"{f:.4f}" for f in cv["macro_f1_per_fold"]))
        print(f"全量训练用时 training time on all {cv['n_messages']} messages: {cv['full_train_seconds']:.1f} s")
        print("\n合并各折预测 pooled out-of-fold predictions:")
    print(format_report(result))


def _replies(args: argparse.Namespace) -> dict:
    from minsheng.engine.replies import agreement_with_grades, read_grades, score_replies
    from minsheng.engine.routing import read_texts

    grades = read_grades(args.replies)
    frame = read_texts(args.inputs, text_cols=args.text_col, id_col=args.id_col,
                       extra=(args.reply_col, args.reply_time_col))
    frame = frame.assign(id=frame["id"].astype(str))
    scores = score_replies(frame, reply_col=args.reply_col, reply_time_col=args.reply_time_col)
    return agreement_with_grades(scores, frame.set_index("id")[args.reply_col], grades)


def _print_replies(result: dict) -> None:
    print(f"答复评分与人工评分 reply scores vs hand grades ({result['n_graded']} graded of "
          f"{result['n_scored']} replies):")
    print(f"  Spearman(score, grade)  = {result['spearman_grade']:.3f}")
    print(f"  Spearman(score, length) = {result['spearman_length']:.3f} on the graded replies, "
          f"{result['spearman_length_all']:.3f} on all; the grades themselves: "
          f"Spearman(grade, length) = {result['grade_vs_length']:.3f}")
    print(f"  partial correlation of score and length, grade held fixed = "
          f"{result['partial_length_given_grade']:.3f}")
    print("  答复类型 × 人工评分 kind × grade:")
    grades = sorted({g for row in result["by_kind"].values() for g in row})
    print("    " + " " * 10 + "".join(f"{g:>5d}" for g in grades))
    for kind, row in result["by_kind"].items():
        print(f"    {kind}" + " " * (10 - 2 * len(kind)) + "".join(f"{row.get(g, 0):>5d}" for g in grades))
