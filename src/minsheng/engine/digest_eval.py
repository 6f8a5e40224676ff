"""How good is the digest? The measures ``minsheng evaluate-digest`` and ``minsheng bench`` print.

* **B-cubed precision and recall** against a hand-built gold set (``tests/data/digest_gold.csv``, with its
  README saying what "the same suggestion" means): per gold message, precision is the share of its found
  suggestion that is in its gold suggestion, recall the share of its gold suggestion that is in its found
  suggestion; both averaged over the gold messages. A message in no suggestion is a suggestion of its own.
* **Readable headlines**: the share of headlines that :func:`readable_headline` accepts.
* On the synthetic corpus: **adjusted mutual information** between the planted suggestions (``gt_topic``) and
  the found ones (records in no suggestion each count alone), and the share of planted suggestions whose
  **headline is found**: the suggestion holding most of a planted suggestion's messages has a headline naming
  both its object and its action (e.g. 老年食堂 and 引入社会力量参与运营);
  and of the **top 30** (what a planner reads first, :func:`top_scores`): their mean purity (the share of an
  item's member messages from its main planted ask), the mean share of that ask's messages the item holds, and
  the items holding under 80 % of theirs.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.digest_wording import broken_start
from minsheng.engine.ingest import read_side_table
from minsheng.engine.sentences import fragment, opens_badly, readable

__all__ = ["bcubed", "evaluate_gold", "evaluate_synth", "mixed_scores", "readable_headline", "readable_share",
           "score_output", "synth_scores", "top_scores", "truncated"]


def bcubed(gold, found) -> tuple[float, float]:
    """B-cubed precision and recall of clustering ``found`` against ``gold`` (two label arrays, same items)."""
    frame = pd.DataFrame({"g": np.asarray(gold, dtype=object), "f": np.asarray(found, dtype=object)})
    if frame.empty:
        return 0.0, 0.0
    cell = frame.groupby(["g", "f"]).size()
    f_size = frame.groupby("f").size()
    g_size = frame.groupby("g").size()
    sq = cell.to_numpy(dtype=float) ** 2
    f_of = f_size.reindex(cell.index.get_level_values("f")).to_numpy(dtype=float)
    g_of = g_size.reindex(cell.index.get_level_values("g")).to_numpy(dtype=float)
    n = len(frame)
    return float((sq / f_of).sum() / n), float((sq / g_of).sum() / n)


def readable_headline(line: str) -> bool:
    """A headline a planner reads as a sentence: :func:`~minsheng.engine.sentences.readable` (balanced
    brackets, no dangling connective, not a list of words), 6–60 characters, not a keyword list (·-joined; one
    · inside a name such as 世贸·璀璨天城 is fine), not opened by a header, greeting or list number
    (:func:`~minsheng.engine.sentences.opens_badly`: "1、能否…", "你好，请问…", "标题：…"), not cut
    mid-clause (:func:`truncated`), and no broken word fragment at its start (a lone first character that
    cannot start a sentence)."""
    if not isinstance(line, str) or not 6 <= len(line) <= 60 or line.count("·") > 1 or not readable(line):
        return False
    if opens_badly(line) or truncated(line):
        return False
    return not broken_start(line)


def truncated(line: str) -> bool:
    """Whether ``line`` reads as cut mid-clause: it ends on a word that needs what follows (的, 和, 因为, 如果 …)
    or on a comma, or its last clause is a short conditional fragment ("…的车位，不买车位")."""
    line = line.rstrip()
    if re.search(r"[，,、：:]$|(?:的|和|与|及|或|在|对|把|将|被|给|向|从|因为|由于|如果|但是|而且|并且|以及)$", line):
        return True
    *head, last = re.split(r"[，,；;]", line)
    return bool(head) and fragment(last)


def readable_share(headlines) -> float:
    """Share of ``headlines`` accepted by :func:`readable_headline` (0 for none)."""
    values = list(headlines)
    return float(np.mean([readable_headline(h) for h in values])) if values else 0.0


def _digest(records: pd.DataFrame, out_dir: Path, **params):
    """``records`` with their place columns, then what :func:`~minsheng.engine.digest.run_digest` returns (each
    record's main ``suggestion_id``, the suggestions and novel-ideas tables) and the digest's wall seconds."""
    from minsheng.engine.digest import run_digest
    from minsheng.engine.places import place_columns

    records = records.reset_index(drop=True)
    records = records.join(place_columns(records))
    start = time.perf_counter()
    main, table, novel, _ = run_digest(records, scratch=out_dir, **params)
    return records, main, table, novel, time.perf_counter() - start


def evaluate_gold(data_dir: str | Path, gold: str | Path, out_dir: str | Path, **params) -> dict:
    """Run the digest on the DEV files the gold set names (in ``data_dir``) and score it against ``gold``."""
    from minsheng.engine.ingest import read_records

    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    g = read_side_table(gold, dtype={"id": str})
    files = sorted(g["file"].unique())
    records, _ = read_records([data_dir / f for f in files])
    records, main, table, novel, seconds = _digest(records, out_dir, **params)
    key = records["source"].astype(str) + ":" + records["id"].astype(str)
    where = pd.Series(np.arange(len(records)), index=key)
    g_key = g["file"] + ":" + g["id"]
    missing = g_key[~g_key.isin(where.index)]
    if len(missing):
        raise ValueError(f"{gold}: {len(missing)} gold messages not in the data, e.g. {missing.iloc[0]}")
    found = main[where[g_key].to_numpy()]
    found = np.where(pd.isna(found), [f"alone-{i}" for i in range(len(found))], found)
    p, r = bcubed(g["suggestion"], found)
    small = ~g["suggestion"].isin(g["suggestion"].value_counts().head(2).index)
    p2, r2 = bcubed(g["suggestion"][small], found[small.to_numpy()])
    return {
        "gold_messages": len(g), "gold_suggestions": int(g["suggestion"].nunique()),
        "bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4),
        "bcubed_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "without_two_largest": {"precision": round(p2, 4), "recall": round(r2, 4)},
        "messages": len(records), "suggestions": len(table), "novel": len(novel),
        "readable_headlines": round(readable_share(table["headline"]), 4),
        "digest_seconds": round(seconds, 2),
    }


def planted_headlines_found(frame: pd.DataFrame, main: np.ndarray, table: pd.DataFrame) -> tuple[int, int]:
    """(found, planted): planted suggestions whose plurality suggestion's headline names object and action."""
    from minsheng.engine import synth_vocab as V

    headline = dict(zip(table["suggestion_id"], table["headline"], strict=True))
    topics = frame["gt_topic"].astype(str).to_numpy()
    m = pd.DataFrame({"topic": topics, "sid": main}).dropna()
    m = m[~m["topic"].str.contains(":C", regex=False)]  # campaigns are planted form letters, not topics
    planted = pd.unique(pd.Series(topics[~pd.Series(topics).str.contains(":C", regex=False).to_numpy()]))
    best = m.groupby("topic")["sid"].agg(lambda s: s.value_counts().index[0])
    found = 0
    for topic, sid in best.items():
        theme, pair = topic.split(":")
        o, a = (int(x) for x in pair.split("-"))
        _dept, _label, objects, _problems, actions = V.THEMES[theme]
        line = headline.get(sid, "")
        found += objects[o] in line and actions[a] in line
    return found, len(planted)


def top_scores(frame: pd.DataFrame, table: pd.DataFrame, *, top: int = 30) -> dict:
    """How the first ``top`` suggestions of ``table`` (by rank, with their ``member_ids``) stand for the planted
    asks of ``frame`` (``id``, ``gt_topic``): mean **purity** (the share of an item's member messages from the
    planted ask most of them belong to, its main ask), mean **share held** (of its main ask's messages, those in
    the item) and the items **under 80 %** of theirs. An item heading several asks (one action about different
    objects) has a low purity; one ask listed in pieces, a low share held."""
    topic = pd.Series(frame["gt_topic"].astype(str).to_numpy(), index=frame["id"].astype(str).to_numpy())
    size = topic.value_counts()
    purity, held = [], []
    for members in table.sort_values("rank")["member_ids"].head(top).fillna("").astype(str):
        got = topic.reindex([m for m in members.split(";") if m]).dropna().value_counts()
        if got.empty:
            continue
        purity.append(got.iloc[0] / got.sum())
        held.append(got.iloc[0] / size[got.index[0]])
    return {"top": len(purity), "purity": round(float(np.mean(purity)), 4) if purity else 0.0,
            "share_held": round(float(np.mean(held)), 4) if held else 0.0,
            "under_80": int(np.sum(np.asarray(held) < 0.8)), "purity_under_90": int(np.sum(np.asarray(purity) < 0.9))}


def synth_scores(frame: pd.DataFrame, main: np.ndarray, table: pd.DataFrame, *, seed: int = 0,
                 ami_sample: int = 50_000) -> dict:
    """AMI and headline-found share of a digest (``main`` per record, ``table``) of a synthetic ``frame``."""
    from sklearn.metrics import adjusted_mutual_info_score

    labels = np.where(pd.isna(main), [f"alone-{i}" for i in range(len(main))], main)
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(frame), min(ami_sample, len(frame)), replace=False))
    ami = adjusted_mutual_info_score(frame["gt_topic"].to_numpy()[pick], labels[pick])
    found, planted = planted_headlines_found(frame, main, table)
    return {
        "planted": planted, "suggestions": len(table), "ami": round(float(ami), 4), "headlines_found": found,
        "headline_found_share": round(found / planted, 4) if planted else 0.0,
        "readable_headlines": round(readable_share(table["headline"]), 4),
        "in_a_suggestion": round(float(pd.notna(main).mean()), 4),
        **({"top30": top_scores(frame, table)} if "member_ids" in table.columns and "id" in frame.columns else {}),
    }


def score_output(corpus: str | Path, out_dir: str | Path) -> dict:
    """:func:`synth_scores` of an analysis output directory of a synthetic corpus (what the benchmark wrote)."""
    from minsheng.engine.result import read_result

    frame = pd.read_parquet(corpus, columns=["id", "gt_topic"])
    result = read_result(out_dir)
    if result.suggestions is None or "suggestion_id" not in result.records.columns:
        raise ValueError(f"{out_dir}: no digest in this output (run analyze without --no-digest)")
    sid = result.records.set_index(result.records["id"].astype(str))["suggestion_id"]
    main = sid.reindex(frame["id"].astype(str)).to_numpy(dtype=object)
    scores = synth_scores(frame, main, result.suggestions)
    scores["digest_seconds"] = round(result.summary.get("stages", {}).get("digest", {}).get("seconds", 0.0), 2)
    return scores


def evaluate_synth(n: int, seed: int, out_dir: str | Path, *, ami_sample: int = 50_000, **params) -> dict:
    """Generate ``n`` synthetic suggestions, run the digest, and compare with the planted suggestions."""
    from minsheng.engine.synth import generate

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = generate(n, seed=seed)
    text = (frame["title"].fillna("") + "\n" + frame["body"].fillna("")).str.strip("\n")
    records = pd.DataFrame({"id": frame["id"], "text": text, "time": frame["time"], "user": frame["user"]})
    records, main, table, novel, seconds = _digest(records, out_dir, **params)
    scores = {"n": n, "seed": seed, **synth_scores(frame, main, table, seed=seed, ami_sample=ami_sample)}
    scores["digest_seconds"] = round(seconds, 2)
    return scores


def mixed_scores(suggestions: pd.DataFrame, labels: pd.DataFrame, *, jaccard: float = 0.8) -> dict:
    """Precision and recall of the ``mixed`` flag of ``suggestions`` (a ``suggestions.csv`` of
    messages_hot.csv) against suggestions labelled mixed or pure by hand (``tests/data/digest_mixed_labels.csv``).

    A labelled suggestion is matched to the suggestion sharing most of its members when their member sets
    agree at ``jaccard`` or more (labels of two runs: a suggestion labelled twice counts once); unmatched
    labels are left out and counted. Also the share of all suggestions flagged: a flag on most suggestions
    tells a planner nothing."""
    found = [frozenset(str(m).split(";")) for m in suggestions["member_ids"].fillna("")]
    flag = suggestions["mixed"].astype(bool).to_numpy()
    matched: dict[int, bool] = {}
    for members, label in zip(labels["member_ids"].astype(str), labels["label"], strict=True):
        gold = frozenset(members.split(";"))
        best = max(range(len(found)), key=lambda i: len(gold & found[i]) / len(gold | found[i]), default=None)
        if best is not None and len(gold & found[best]) / len(gold | found[best]) >= jaccard:
            matched.setdefault(best, label == "mixed")
    truth = np.fromiter(matched.values(), bool, count=len(matched))
    got = flag[list(matched)] if matched else np.zeros(0, bool)
    tp = int((truth & got).sum())
    return {"labelled": len(labels), "matched": len(matched), "mixed": int(truth.sum()), "flagged": int(got.sum()),
            "precision": round(tp / got.sum(), 3) if got.sum() else 0.0,
            "recall": round(tp / truth.sum(), 3) if truth.sum() else 0.0,
            "flagged_share_all": round(float(flag.mean()), 3) if len(flag) else 0.0}
