"""``minsheng train``: train a department router from labelled files, or build one from a taxonomy.

    minsheng train messages.csv --label-col label --out router.joblib [--corrections fixes.csv]
    minsheng train --taxonomy taxonomy.csv --out router.joblib

The model file records its label set, training-data hash, library versions and (unless ``--cv 0``)
group-aware cross-validated scores; ``minsheng analyze --model`` accepts either kind of router.
"""

from __future__ import annotations

import argparse
import json
import logging

from minsheng.engine.errors import InputError
from minsheng.engine.progress import set_quiet

log = logging.getLogger(__name__)


def add_data_arguments(p: argparse.ArgumentParser, *, inputs_required: bool = True) -> None:
    """Input and column options shared by ``train`` and ``evaluate``."""
    p.add_argument("inputs", nargs="+" if inputs_required else "*", metavar="INPUT",
                   help="labelled files (.csv, .xlsx, .jsonl, .parquet)")
    p.add_argument("--label-col", default="label", help="column with the department (default: label)")
    p.add_argument("--text-col", action="append", default=[], metavar="COL",
                   help="text column; repeat for title and body (default: detected)")
    p.add_argument("--id-col", default=None, metavar="COL", help="id column (default: detected)")
    p.add_argument("--unlabeled", nargs="+", default=[], metavar="FILE",
                   help="extra files whose texts (not labels) shape the vocabulary and IDF weights")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a department router (分类分派) or build one from a taxonomy")
    add_data_arguments(p, inputs_required=False)
    p.add_argument("--out", required=True, metavar="MODEL", help="model file to write")
    p.add_argument("--corrections", metavar="FILE",
                   help="CSV id,label[,text] of people's corrections; they override or add labels")
    p.add_argument("--taxonomy", metavar="FILE",
                   help="taxonomy CSV level1,level2[,level3]: build a keyword router, no labels needed")
    p.add_argument("--cv", type=int, default=5, metavar="K",
                   help="folds of group-aware cross-validation recorded in the model (0: skip; default 5)")
    p.add_argument("--seed", type=int, default=0, help="seed of the cross-validation split")
    p.add_argument("--review-threshold", type=float, default=None, metavar="P",
                   help="confidence below which a record needs review (default 0.5)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minsheng.engine.routing import (
        TaxonomyRouter,
        read_taxonomy,
        save_model,
        train_router,
        training_set,
        unlabeled_texts,
    )

    set_quiet(args.quiet)
    params = {} if args.review_threshold is None else {"review_threshold": args.review_threshold}
    if args.taxonomy:
        router = TaxonomyRouter(**params).fit(read_taxonomy(args.taxonomy))
        header = save_model(router, args.out, metadata={"taxonomy": str(args.taxonomy),
                                                        "n_keywords": len(router.keywords_)})
        summary = {"model": str(args.out), "kind": "taxonomy", "labels": header["labels"],
                   "n_keywords": len(router.keywords_)}
    else:
        if not args.inputs:
            raise InputError("give labelled INPUT files, or --taxonomy FILE", field="INPUT")
        frame, corrections = training_set(args.inputs, label_col=args.label_col, text_cols=args.text_col,
                                          id_col=args.id_col, corrections=args.corrections)
        extra = unlabeled_texts(args.unlabeled)

        def on_fold(k: int, fold: dict) -> None:
            log.info("fold %d: macro-F1 %.4f (%.1f s)", k + 1, fold["macro_f1"], fold["train_seconds"])

        router, metadata = train_router(frame, unlabeled=extra, cv=args.cv, seed=args.seed, on_fold=on_fold,
                                        **params)
        metadata["corrections"] = corrections
        header = save_model(router, args.out, metadata=metadata)
        summary = {"model": str(args.out), "kind": "supervised", "labels": header["labels"],
                   "n_train": header["n_train"], "n_unlabeled": header["n_unlabeled"],
                   "train_seconds": header["train_seconds"], "corrections": corrections,
                   "cv_macro_f1_per_fold": header.get("cv", {}).get("macro_f1_per_fold"),
                   "cv_macro_f1_mean": header.get("cv", {}).get("macro_f1_mean")}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"模型已保存 model saved: {summary['model']} ({summary['kind']}, {len(summary['labels'])} 类)")
        if summary.get("cv_macro_f1_per_fold"):
            folds = " ".join(f"{f:.4f}" for f in summary["cv_macro_f1_per_fold"])
            print(f"交叉验证 macro-F1 per fold: {folds}; mean {summary['cv_macro_f1_mean']:.4f}")
        if "train_seconds" in summary:
            print(f"训练用时 training time: {summary['train_seconds']:.1f} s on {summary['n_train']} messages")
    return 0
