"""How good are the hot issues? Scores against a hand-made gold set and hand-labelled place names.

The gold set (``tests/data/hot_issues_gold.csv``, how it was built in ``tests/data/README.md``) lists hot
issues of teddy2020 ``messages_hot.csv`` by their member ids. It is not exhaustive, so every measure is taken
over the gold messages only:

- **B-cubed precision / recall** (Bagga & Baldwin 1998): for each gold message, the share of its hot issue's
  gold messages that belong to its gold issue (precision), and the share of its gold issue found in its hot
  issue (recall), averaged over messages. A gold message in no hot issue is a singleton: it costs recall,
  never precision.
- **split**: gold issues whose members sit in two or more hot issues; **missed**: gold issues none of whose
  members is in a hot issue; **merged**: hot issues holding members of two or more gold issues.
- **place acceptance**: the share of non-empty ``place_or_group`` values (of the hottest ``top`` issues; empty
  is an issue without place or group, counted apart) that a reader accepts as a place or group, from hand labels (``tests/data/hot_places_labels.csv``); values nobody has
  labelled yet are counted and listed, not guessed.

>>> gold = pd.DataFrame({"id": ["1", "2", "3"], "gold": ["G1", "G1", "G2"]})
>>> score_hot_issues(pd.Series(["H1", "H1", "H1"], index=["1", "2", "3"]), gold)["bcubed_recall"]
1.0
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from minsheng.engine.asks import message_ask
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import read_side_table

__all__ = ["EXPORT_SHAPES", "evaluate_asks", "evaluate_export_shapes", "evaluate_hot_issues", "export_shape", "format_ask_evaluation", "format_hot_evaluation", "place_acceptance",
           "read_ask_gold", "read_gold", "read_place_labels", "score_asks",
           "score_hot_issues"]


def read_gold(path: str | Path) -> pd.DataFrame:
    """One row per gold message: ``id`` (str) and ``gold`` (the gold issue); a message in two issues is an error."""
    path = Path(path)
    table = read_side_table(path, dtype=str)
    for col in ("gold_id", "member_ids"):
        if col not in table.columns:
            raise InputError(f"missing column {col!r}", file=str(path), field=col)
    rows = [(i.strip(), g) for g, ids in zip(table["gold_id"], table["member_ids"], strict=True)
            for i in str(ids).split(";") if i.strip()]
    gold = pd.DataFrame(rows, columns=["id", "gold"])
    twice = gold[gold["id"].duplicated()]
    if len(twice):
        raise InputError(f"message {twice['id'].iloc[0]} is in two gold issues", file=str(path), field="member_ids")
    return gold


def score_hot_issues(hot_issue_of: pd.Series, gold: pd.DataFrame) -> dict:
    """B-cubed precision/recall, split, missed and merged counts (see the module docstring).

    ``hot_issue_of``: the hot issue of each message, indexed by message id (missing: in none); ``gold`` from
    :func:`read_gold`. Gold ids absent from ``hot_issue_of`` count as in no issue.
    """
    pred = gold["id"].map(hot_issue_of.astype("string").to_dict()).astype("string")
    g = gold.assign(pred=pred.fillna("_single_" + gold["id"]).to_numpy(), assigned=pred.notna().to_numpy())
    both = g.groupby(["pred", "gold"]).size().rename("both")
    g = g.join(both, on=["pred", "gold"])
    g["pred_size"] = g.groupby("pred")["id"].transform("size")
    g["gold_size"] = g.groupby("gold")["id"].transform("size")
    precision = float((g["both"] / g["pred_size"]).mean()) if len(g) else 0.0
    recall = float((g["both"] / g["gold_size"]).mean()) if len(g) else 0.0
    in_issue = g[g["assigned"]]
    issues_per_gold = in_issue.groupby("gold")["pred"].nunique()
    golds_per_issue = in_issue.groupby("pred")["gold"].nunique()
    n_gold = int(g["gold"].nunique())
    return {
        "gold_issues": n_gold,
        "gold_messages": len(g),
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "gold_split": int((issues_per_gold >= 2).sum()),
        "gold_missed": n_gold - int(len(issues_per_gold)),
        "hot_issues_merging_gold": int((golds_per_issue >= 2).sum()),
        "gold_messages_in_an_issue": round(float(g["assigned"].mean()), 4) if len(g) else 0.0,
    }


def read_place_labels(path: str | Path) -> dict[str, bool]:
    """``value`` → accepted, from a CSV with columns ``value`` and ``accepted`` (1/0)."""
    path = Path(path)
    table = read_side_table(path, dtype=str, keep_default_na=False)
    for col in ("value", "accepted"):
        if col not in table.columns:
            raise InputError(f"missing column {col!r}", file=str(path), field=col)
    bad = table[~table["accepted"].isin(["0", "1"])]
    if len(bad):
        raise InputError(f"accepted must be 0 or 1, got {bad['accepted'].iloc[0]!r}", file=str(path),
                         row=int(bad.index[0]) + 2, field="accepted")
    return dict(zip(table["value"], table["accepted"] == "1", strict=True))


def place_acceptance(values: list[str], labels: dict[str, bool]) -> dict:
    """Share of labelled ``values`` a reader accepts; unlabelled values are reported, not scored."""
    labelled = [v for v in values if v in labels]
    unlabelled = sorted({v for v in values if v not in labels})
    return {
        "values": len(values),
        "labelled": len(labelled),
        "accepted_share": round(sum(labels[v] for v in labelled) / len(labelled), 4) if labelled else None,
        "rejected": sorted({v for v in labelled if not labels[v]}),
        "unlabelled": unlabelled,
    }


def evaluate_hot_issues(inputs: list[str | Path], gold_path: str | Path, *, places_path: str | Path | None = None,
                        top: int = 100, columns=None, out_dir: str | Path | None = None) -> dict:
    """Run the engine's steps up to hot issues on ``inputs`` (as ``minsheng analyze`` does) and score them;
    ``out_dir``: also write the result there, to look at.

    Returns :func:`score_hot_issues`'s figures, ``places`` (:func:`place_acceptance` over the ``top`` hottest
    issues, when ``places_path`` is given), ``top_issues`` (rank, place, people, description of the first 10)
    and the hot-issue stage's seconds.
    """
    from minsheng.engine.pipeline import AnalyzeOptions, analyze, campaigns, duplicates, hot_issues, themes

    gold = read_gold(gold_path)
    run = analyze(inputs, AnalyzeOptions(columns=columns), steps=[duplicates, campaigns, themes, hot_issues])
    if out_dir is not None:
        from minsheng.engine.result import write_result

        write_result(run, out_dir)
    records = run.records[["id", "hot_issue_id"]]
    table = run.hot_issues.assign(place_or_group=lambda t: t["place_or_group"].fillna("").astype(str))
    summary = run.summary
    result = score_hot_issues(records.set_index(records["id"].astype(str))["hot_issue_id"], gold)
    result["hot_issues"] = len(table)
    result["messages_in_hot_issues"] = round(float(records["hot_issue_id"].notna().mean()), 4)
    result["hot_issue_seconds"] = summary["stages"].get("hot_issues", {}).get("seconds")
    if places_path is not None:
        shown = [v for v in table["place_or_group"].head(top) if v]  # empty: an issue without place or group
        result["places"] = place_acceptance(shown, read_place_labels(places_path))
        result["places"]["top"] = top
        result["places"]["without_place_or_group"] = min(top, len(table)) - len(shown)
    result["top_issues"] = table.head(10)[["rank", "place_or_group", "n_users", "n_messages", "description"]] \
        .to_dict("records")
    return result


#: The columns a poorer export of the same messages keeps (:func:`export_shape`); ``text`` is the title glued to the
#: body with nothing between them, as a bare export writes it (teddy2020's messages_labeled_text.csv: id, text,
#: label). Four shapes, so that a loss is put down to its cause: the glued title (bare vs untimed, glued vs
#: anonymous), no time (untimed vs anonymous, bare vs glued), no user and no likes (anonymous vs the file).
EXPORT_SHAPES = {
    "anonymous": ("id", "title", "body", "time"),
    "untimed": ("id", "title", "body"),
    "glued": ("id", "text", "time"),
    "bare": ("id", "text"),
}


def export_shape(path: str | Path, shape: str, out_dir: str | Path) -> Path:
    """``path`` (a CSV with ``id``, ``title``, ``body``) written to ``out_dir`` as an export of ``shape``
    (:data:`EXPORT_SHAPES`) would give the same messages, with the same ids; returns the new file's path.

    Why: the gold sets were built on full files (time, user, likes, a title column), and rules read on them
    can lean on what a bare export lacks; scored on its twin, the same gold set shows what that costs."""
    path = Path(path)
    table = read_side_table(path, dtype=str, keep_default_na=False)
    for col in ("id", "title", "body"):
        if col not in table.columns:
            raise InputError(f"missing column {col!r}", file=str(path), field=col)
    table["text"] = table["title"].str.strip() + table["body"].str.strip()
    out = Path(out_dir) / f"{path.stem}.{shape}.csv"
    table[[c for c in EXPORT_SHAPES[shape] if c in table.columns]].to_csv(out, index=False)
    return out


def evaluate_export_shapes(runs: list[tuple[list, str | Path]], shapes: list[str], *,
                           places_path: str | Path | None = None, top: int = 100) -> list[dict]:
    """:func:`evaluate_hot_issues` of each (inputs, gold) of ``runs`` written in each of ``shapes``
    (:func:`export_shape`, in a temporary folder): one row per run and shape, with ``input`` and ``shape``;
    the place labels only for the first run, as for the file itself."""
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory(prefix="minsheng-shapes-") as tmp:
        for k, (inputs, gold) in enumerate(runs):
            for shape in shapes:
                shaped = [export_shape(path, shape, tmp) for path in inputs]
                result = evaluate_hot_issues(shaped, gold, places_path=places_path if k == 0 else None,
                                             top=top if k == 0 else 0)
                rows.append({"input": str(inputs[0]), "shape": shape,
                             **{key: v for key, v in result.items() if key != "top_issues"}})
    return rows


def format_hot_evaluation(result: dict) -> str:
    """The figures of :func:`evaluate_hot_issues` as a few lines of text."""
    lines = [
        f"热点问题 hot issues vs {result['gold_issues']} gold issues ({result['gold_messages']} messages): "
        f"B-cubed precision {result['bcubed_precision']:.3f}  recall {result['bcubed_recall']:.3f}  "
        f"F1 {result['bcubed_f1']:.3f}",
        f"  gold issues split {result['gold_split']}, missed {result['gold_missed']}; hot issues merging gold "
        f"issues {result['hot_issues_merging_gold']}; gold messages in an issue "
        f"{result['gold_messages_in_an_issue']:.1%}; all messages in an issue {result['messages_in_hot_issues']:.1%}"
        f" ({result['hot_issues']} issues)",
    ]
    places = result.get("places")
    if places:
        share = "n/a" if places["accepted_share"] is None else f"{places['accepted_share']:.1%}"
        lines.append(f"  place_or_group accepted {share} of {places['labelled']} labelled values "
                     f"(top {places['top']}: {places['without_place_or_group']} without place or group, "
                     f"{len(places['unlabelled'])} distinct values unlabelled)")
        if places["rejected"]:
            lines.append("  rejected: " + "、".join(places["rejected"]))
        if places["unlabelled"]:
            lines.append("  unlabelled: " + "、".join(places["unlabelled"]))
    for row in result.get("top_issues", []):
        lines.append(f"  {row['rank']}. [{row['place_or_group']}] {row['n_users']} 人 / {row['n_messages']} 条  "
                     f"{row['description']}")
    for other in result.get("other_gold_sets", []):  # other inputs, each against its own gold set
        figures = format_hot_evaluation({**other, "top_issues": []}).splitlines()
        lines += [f"{Path(other['input']).name}: {figures[0]}", *figures[1:]]
    if result.get("export_shapes"):
        lines.append("导出形态 export shapes (the same messages and gold sets, fewer columns; glued: title and body in "
                     "one text with nothing between them):")
        for row in result["export_shapes"]:
            places = row.get("places")
            accepted = (f"  places accepted {places['accepted_share']:.1%} of {places['labelled']}"
                        f" ({len(places['unlabelled'])} unlabelled)" if places and places["accepted_share"] is not None
                        else "")
            columns = ",".join(EXPORT_SHAPES[row["shape"]])
            lines.append(f"  {Path(row['input']).name:<24}{row['shape']:<10}({columns:<18}) P {row['bcubed_precision']:.3f}"
                         f"  R {row['bcubed_recall']:.3f}  split {row['gold_split']}, missed {row['gold_missed']}"
                         f" ({row['hot_issues']} issues){accepted}")
    return "\n".join(lines)


# -- what a message asks ------------------------------------------------------------------------------------
def read_ask_gold(path: str | Path) -> pd.DataFrame:
    """Asks marked by hand (``tests/data/hot_asks_gold.csv``, how in ``hot_asks_gold.md``): per message ``id``,
    ``ask`` (the span of the body that states the writer's main ask, verbatim; empty when the body asks
    nothing), ``generic`` (1: the only ask says nothing specific, "希望领导重视"), ``other_asks`` (more spans,
    " | " between them) and ``title_only`` (1: only the title asks)."""
    path = Path(path)
    table = read_side_table(path, dtype=str, keep_default_na=False)
    for col in ("id", "ask", "generic", "other_asks", "title_only"):
        if col not in table.columns:
            raise InputError(f"missing column {col!r}", file=str(path), field=col)
    if table["id"].duplicated().any():
        raise InputError(f"message {table['id'][table['id'].duplicated()].iloc[0]} is labelled twice",
                         file=str(path), field="id")
    return table


def _spans(body: str, parts: list[str]) -> list[tuple[int, int]]:
    """Where each of ``parts`` stands in ``body`` (parts not found are left out)."""
    found = []
    for part in parts:
        at = body.find(part) if part else -1
        if at >= 0:
            found.append((at, at + len(part)))
    return found


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether ``span`` covers at least half of one of ``spans``, or one of them covers half of it."""
    a, b = span
    return any(min(b, d) - max(a, c) >= 0.5 * min(b - a, d - c) for c, d in spans)


def score_asks(bodies: pd.Series, gold: pd.DataFrame, ask_of=None) -> dict:
    """How the ask a description shows (``ask_of(body)``, by default :func:`~minsheng.engine.asks.message_ask`) agrees
    with the asks marked by hand. ``bodies``: each message's body, indexed by id, normalised as the engine
    sees it (the gold spans are normalised the same way before they are looked for).

    Per message with a marked ask: **right** (the shown ask covers half of a marked span, or a marked span
    half of it), **wrong** (shown, but none of the marked spans), **missed** (none shown); per message whose
    body asks nothing (or only in its title): **noise** (one shown) or right. Precision is right / shown,
    recall right / messages with a specific marked ask (a generic-only ask may go unshown)."""
    from minsheng.engine.normalise import normalise_texts

    ask_of = ask_of or message_ask
    outcome, rows = {}, []
    for r in gold.itertuples(index=False):
        if r.id not in bodies.index:
            raise InputError(f"gold message {r.id} is not in the input", field="id")
        body = bodies[r.id]
        marked = [r.ask, *[p.strip() for p in r.other_asks.split(" | ")]] if r.ask else []
        marked = normalise_texts([m for m in marked if m])[0]
        spans = _spans(body, marked)
        shown = ask_of(body)
        # as the body: the ask may have its full-width question mark back
        at = _spans(body, normalise_texts([shown])[0]) if shown else []
        if not marked:
            kind = "noise" if shown else "right_none"
        elif not shown:
            kind = "missed_generic" if r.generic == "1" else "missed"
        elif at and _overlaps(at[0], spans):
            kind = "right_generic" if r.generic == "1" else "right"
        else:
            kind = "wrong"
        outcome[kind] = outcome.get(kind, 0) + 1
        rows.append({"id": r.id, "kind": kind, "shown": shown, "marked": r.ask})
    n = outcome.get
    shown = n("right", 0) + n("right_generic", 0) + n("wrong", 0) + n("noise", 0)
    specific = n("right", 0) + n("wrong", 0) + n("missed", 0)
    return {"messages": len(gold), "outcomes": dict(sorted(outcome.items())), "shown": shown,
            "precision": round((n("right", 0) + n("right_generic", 0)) / shown, 4) if shown else None,
            "recall": round(n("right", 0) / specific, 4) if specific else None, "rows": rows}


def evaluate_asks(inputs: list[str | Path], gold_path: str | Path) -> dict:
    """:func:`score_asks` on the bodies of ``inputs`` (CSV files with ``id`` and ``body`` columns, as teddy2020's)."""
    from minsheng.engine.normalise import normalise_texts

    gold = read_ask_gold(gold_path)
    frames = []
    for path in inputs:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in ("id", "body"):
            if col not in frame.columns:
                raise InputError(f"missing column {col!r}", file=str(path), field=col)
        frames.append(frame[["id", "body"]])
    frame = pd.concat(frames).drop_duplicates("id")
    frame = frame[frame["id"].isin(set(gold["id"]))]
    bodies = pd.Series(normalise_texts(frame["body"].tolist())[0], index=frame["id"].to_numpy())
    return score_asks(bodies, gold)


def format_ask_evaluation(result: dict) -> str:
    """The figures of :func:`score_asks` as text, with the messages where shown and marked disagree."""
    lines = [f"诉求 asks shown in descriptions vs {result['messages']} messages marked by hand: shown {result['shown']}, "
             f"precision {result['precision']}, recall {result['recall']}",
             "  " + ", ".join(f"{k} {v}" for k, v in result["outcomes"].items())]
    for row in result["rows"]:
        if row["kind"] in ("wrong", "noise", "missed"):
            lines.append(f"  {row['kind']:7} {row['id']}: shown「{row['shown']}」 marked「{row['marked']}」")
    return "\n".join(lines)
