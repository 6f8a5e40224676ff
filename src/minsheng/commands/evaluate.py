"""``minsheng evaluate``: how well does a router route, and how well are replies scored and hot issues found? Four modes.

    minsheng evaluate test.csv --model router.joblib --label-col label [--json]
        scores a saved router on labelled messages it has (preferably) never seen;
    minsheng evaluate a.csv b.csv --cv 5 --label-col label [--unlabeled more.csv ...] [--json]
        the reproducible quality measurement: group-aware stratified K-fold cross-validation of a fresh
        router per fold (identical and near-identical texts never straddle folds), printing macro-F1 per
        fold, the mean, and training times, side by side with a tuned baseline in the same folds;
    minsheng evaluate messages_replied.csv --replies grades.csv [more_grades.csv ...] [--json]
        scores the replies (``engine/replies.py``) and prints, per grades file, the Spearman correlation of
        the score with hand grades (0–4, columns id,grade) and with the length of the reply: give the
        held-out files too, the figure that counts is on grades the scorer was not tuned on;
    minsheng evaluate messages_hot.csv [messages_replied.csv] --hot-gold tests/data/hot_issues_gold.csv \
            [tests/data/hot_issues_gold_replied.csv] [--hot-places tests/data/hot_places_labels.csv] [--top 100] [--json]
        runs the whole engine and scores its hot issues against a hand-made gold set: B-cubed precision and
        recall, gold issues split or missed, and the share of place_or_group values a reader accepts
        (:mod:`minsheng.engine.hot_eval`); with one gold set per input, each input is analysed on its own and
        scored against its own set (in order; the place labels are the first input's), printed one after another;
        ``--as-bare-export [bare glued untimed anonymous]`` scores each input again written as a poorer export of
        the same messages (:data:`~minsheng.engine.hot_eval.EXPORT_SHAPES`: bare is id and text, the title glued
        to the body), printed beside;
    minsheng evaluate messages_hot.csv --ask-gold tests/data/hot_asks_gold.csv [--json]
        scores the ask a hot issue's description shows for a message (``；诉求：…``) against asks marked by hand:
        precision, recall, and the messages where they disagree.

Both print accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix; ``--json`` gives
the same as an object with keys ``accuracy``, ``macro_f1``, ``per_class`` (and ``confusion``, ``cv``).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

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
    mode.add_argument("--replies", metavar="GRADES", nargs="+",
                      help="score the replies of INPUT and compare with hand grades (CSV id,grade 0–4), "
                           "per file")
    p.add_argument("--reply-col", default="reply", help="with --replies: reply column (default: reply)")
    p.add_argument("--reply-time-col", default="reply_time", help="with --replies: reply time column")
    mode.add_argument("--hot-gold", metavar="GOLD", nargs="+",
                      help="score the engine's hot issues against this gold set (or one per input, in order)")
    mode.add_argument("--ask-gold", metavar="GOLD", help="score the asks descriptions show against asks marked by hand")
    p.add_argument("--hot-places", metavar="LABELS", help="with --hot-gold: hand labels of place_or_group values")
    p.add_argument("--top", type=int, default=100, help="with --hot-places: label check over the hottest N (100)")
    p.add_argument("--as-bare-export", metavar="SHAPE", nargs="*", choices=["anonymous", "untimed", "glued", "bare"],
                   help="with --hot-gold: also score each input written as a poorer export of the same messages "
                        "(bare: id and text, the title glued to the body; glued: with time; untimed: title and body "
                        "apart, no time; anonymous: with time; none keeps user or likes); no SHAPE: bare")
    p.add_argument("--seeds", "--seed", dest="seeds", type=int, nargs="+", default=[0], metavar="SEED",
                   help="seeds of the cross-validation split; several give the noise over splits (default 0)")
    p.add_argument("--corrections", metavar="FILE", help="with --cv: corrections applied before splitting")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    set_quiet(args.quiet)
    if args.hot_gold:
        return _hot_issues(args)
    if args.ask_gold:
        from minsheng.engine.hot_eval import evaluate_asks, format_ask_evaluation

        result = evaluate_asks(args.inputs, args.ask_gold)
        print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_ask_evaluation(result))
        return 0
    mode = _replies if args.replies else _cross_validate if args.cv else _score_model
    result = mode(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.replies:
        _print_replies(result)
    else:
        _print_text(result)
    return 0


def _hot_issues(args: argparse.Namespace) -> int:
    from minsheng.engine.hot_eval import evaluate_hot_issues, format_hot_evaluation
    from minsheng.engine.ingest import ColumnMap

    columns = ColumnMap(id=args.id_col, text=tuple(args.text_col)) if args.id_col or args.text_col else None
    golds = args.hot_gold
    if len(golds) > 1 and len(golds) != len(args.inputs):
        raise InputError(f"--hot-gold: one gold set, or one per input ({len(args.inputs)}), not {len(golds)}",
                         field="hot_gold")
    runs = [(args.inputs, golds[0])] if len(golds) == 1 else [([i], g) for i, g in zip(args.inputs, golds, strict=True)]
    result = evaluate_hot_issues(runs[0][0], runs[0][1], places_path=args.hot_places, top=args.top,
                                 columns=columns)
    result["gold_path"] = str(runs[0][1])
    # the other inputs, each against its own gold set: the figures only (their places are not labelled)
    result["other_gold_sets"] = [{"input": str(inputs[0]), "gold_path": str(gold),
                                  **evaluate_hot_issues(inputs, gold, top=0, columns=columns)}
                                 for inputs, gold in runs[1:]]
    if args.as_bare_export is not None:  # the same messages as a bare export would give them
        from minsheng.engine.hot_eval import evaluate_export_shapes

        result["export_shapes"] = evaluate_export_shapes(runs, args.as_bare_export or ["bare"],
                                                         places_path=args.hot_places, top=args.top)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str) if args.json
          else format_hot_evaluation(result))
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
    import numpy as np

    from minsheng.engine.routing import (
        BaselineRouter,
        TextRouter,
        cross_validate,
        duplicate_groups,
        training_set,
        unlabeled_texts,
    )

    if args.cv < 2:
        raise InputError("--cv needs at least 2 folds", field="cv")
    frame, _ = training_set(args.inputs, label_col=args.label_col, text_cols=args.text_col,
                            id_col=args.id_col, corrections=args.corrections)
    extra = unlabeled_texts(args.unlabeled) or None
    texts, labels = frame["text"].tolist(), frame["label"].astype(str).tolist()
    groups = duplicate_groups(texts)

    runs = []
    for seed in args.seeds:
        def on_fold(k: int, fold: dict, seed: int = seed) -> None:
            if not args.json:
                print(f"种子 seed {seed} 第 {k + 1} 折 fold {k + 1}: router macro-F1 {fold['macro_f1']:.4f}  "
                      f"baseline {fold['baseline_macro_f1']:.4f} (C={fold['baseline_C']:g})  "
                      f"Δ {fold['macro_f1'] - fold['baseline_macro_f1']:+.4f}  "
                      f"训练 train {fold['train_seconds']:.1f} s", flush=True)

        result = cross_validate(texts, labels, groups, TextRouter, folds=args.cv, seed=seed, unlabeled=extra,
                                on_fold=on_fold, make_baseline=BaselineRouter)
        runs.append({"seed": seed, "macro_f1_per_fold": [f["macro_f1"] for f in result["folds"]],
                     "baseline_macro_f1_per_fold": [f["baseline_macro_f1"] for f in result["folds"]],
                     **{k: v for k, v in result.items() if k not in ("folds", "pooled")},
                     "pooled": result["pooled"]})
    start = time.perf_counter()
    TextRouter().fit(texts, labels, unlabeled=extra)
    router = np.array([r["macro_f1_per_fold"] for r in runs])
    baseline = np.array([r["baseline_macro_f1_per_fold"] for r in runs])
    report = dict(runs[0]["pooled"])
    report["cv"] = {
        "folds": args.cv, "seeds": list(args.seeds), "group_aware": True, "n_messages": len(texts),
        "n_unlabeled": len(extra or ()), "full_train_seconds": round(time.perf_counter() - start, 2),
        "macro_f1_mean": float(router.mean()), "macro_f1_std_folds": float(router.std(axis=1).mean()),
        "macro_f1_std_seeds": float(router.mean(axis=1).std()),
        "baseline_macro_f1_mean": float(baseline.mean()),
        "baseline_macro_f1_std_folds": float(baseline.std(axis=1).mean()),
        "baseline_macro_f1_std_seeds": float(baseline.mean(axis=1).std()),
        "difference_mean": float((router - baseline).mean()),
        "difference_std_folds": float((router - baseline).std()),
        "folds_won": int((router > baseline).sum()), "n_folds": int(router.size),
        "runs": [{k: v for k, v in r.items() if k != "pooled"} for r in runs],
    }
    return report


def _print_text(result: dict) -> None:
    from minsheng.engine.routing import format_report

    if "cv" in result:
        cv = result["cv"]
        print(f"\n{cv['folds']} 折分组交叉验证 group-aware CV over {cv['n_messages']} messages"
              f" (+{cv['n_unlabeled']} unlabelled), seeds {' '.join(map(str, cv['seeds']))}; macro-F1:")
        for run in cv["runs"]:
            print(f"  seed {run['seed']}: router {run['macro_f1_mean']:.4f} ± {run['macro_f1_std']:.4f}   "
                  f"baseline {run['baseline_macro_f1_mean']:.4f} ± {run['baseline_macro_f1_std']:.4f}   "
                  f"Δ {run['difference_mean']:+.4f} ± {run['difference_std']:.4f}")
        print(f"  路由器 router   {cv['macro_f1_mean']:.4f} (std over folds {cv['macro_f1_std_folds']:.4f}, "
              f"over seeds {cv['macro_f1_std_seeds']:.4f})")
        print(f"  基线 baseline   {cv['baseline_macro_f1_mean']:.4f} (std over folds "
              f"{cv['baseline_macro_f1_std_folds']:.4f}, over seeds {cv['baseline_macro_f1_std_seeds']:.4f}); "
              "char 1-3-gram TF-IDF, sublinear tf, min_df 2, balanced LinearSVC, C tuned inside each training fold")
        print(f"  差值 router − baseline {cv['difference_mean']:+.4f} (std of the per-fold difference "
              f"{cv['difference_std_folds']:.4f}); router better in {cv['folds_won']} of {cv['n_folds']} folds")
        print(f"全量训练用时 training time on all {cv['n_messages']} messages: {cv['full_train_seconds']:.1f} s")
        print("\n合并各折预测 pooled out-of-fold predictions (first seed):")
    print(format_report(result))


def _replies(args: argparse.Namespace) -> dict:
    from minsheng.engine.replies import agreement_with_grades, read_grades, score_replies
    from minsheng.engine.routing import read_texts

    frame = read_texts(args.inputs, text_cols=args.text_col, id_col=args.id_col,
                       extra=(args.reply_col, args.reply_time_col))
    frame = frame.assign(id=frame["id"].astype(str))
    scores = score_replies(frame, reply_col=args.reply_col, reply_time_col=args.reply_time_col)
    replies = frame.set_index("id")[args.reply_col]
    sets = {Path(path).stem: agreement_with_grades(scores, replies, read_grades(path)) for path in args.replies}
    first = next(iter(sets.values()))
    return {"n_scored": first["n_scored"], "spearman_length_all": first["spearman_length_all"], "sets": sets}


def _print_replies(result: dict) -> None:
    print(f"答复评分与人工评分 reply scores vs hand grades ({result['n_scored']} replies scored; "
          f"Spearman(score, length) over all {result['spearman_length_all']:.3f}):")
    width = max(24, *(len(name) + 2 for name in result["sets"]))
    print(f"  {'grades':<{width}}{'n':>5}{'ρ(score,grade)':>16}{'ρ(score,length)':>17}{'ρ(grade,length)':>17}"
          f"{'partial':>9}")
    for name, r in result["sets"].items():
        print(f"  {name:<{width}}{r['n_graded']:>5}{r['spearman_grade']:>16.3f}{r['spearman_length']:>17.3f}"
              f"{r['grade_vs_length']:>17.3f}{r['partial_length_given_grade']:>9.3f}")
    print("  (partial: score and length with the grade held fixed)")
    for name, r in result["sets"].items():
        print(f"  答复类型 × 人工评分 kind × grade, {name}:")
        grades = sorted({g for row in r["by_kind"].values() for g in row})
        print("    " + " " * 10 + "".join(f"{g:>5d}" for g in grades))
        for kind, row in r["by_kind"].items():
            print(f"    {kind}" + " " * (10 - 2 * len(kind)) + "".join(f"{row.get(g, 0):>5d}" for g in grades))
