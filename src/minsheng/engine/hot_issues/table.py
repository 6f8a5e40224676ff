"""The hot-issues table: each linked issue's people, voices, likes and heat (:mod:`.heat`), the hottest kept,
ranked, named and described (:mod:`.naming`).

Only the ``max_issues`` hottest issues are kept (and described): below them an "issue" is
a handful of messages, not something a city official needs to see. Quality against a hand-made gold set:
:mod:`minsheng.engine.hot_eval`.

An issue needs at least ``min_people`` people or ``min_support`` likes (a single message that thousands
agree with is hot). Its description is one sentence from the data — the title of its most central message —
what that message asks, and how many people over which months. ``place_confidence`` (0–1) says how sure its
``place_or_group`` is: the share of the issue's messages that name that place (or whose titles hold that shared
name); a reader can trust a name at 0.8 and should check one at 0.3. Output: a per-record ``hot_issue_id``
(``H0001`` = hottest, missing for other records) and the table for ``hot_issues.csv`` with columns
:data:`HOT_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa

from minsheng.engine.counts import count_column, voice_labels
from minsheng.engine.hot_issues.heat import _distinct_counts, heat_index
from minsheng.engine.hot_issues.naming import _CENTRE_SAMPLE, _centre_sample, _name_and_describe_task
from minsheng.engine.hot_issues.parts import _ONE_TASK_ROWS

HOT_COLUMNS = ["rank", "issue_id", "heat", "time_start", "time_end", "place_or_group", "place_confidence",
               "description", "n_messages", "n_users", "likes", "dislikes", "member_ids"]


def _summarise(frame: pd.DataFrame, text: pa.Array, members: pd.DataFrame, places: pd.DataFrame, key: pd.Series,
               has_place: np.ndarray, time: pd.Series, min_people: int, min_support: int, vectors: tuple,
               max_issues: int, map_parts: Callable = map, writer: np.ndarray | None = None) -> pd.DataFrame:
    """The hot-issues table (:data:`HOT_COLUMNS` and ``_issue``) of the linked ``members`` (each row's issue):
    each issue's people, voices, support and heat (:mod:`.heat`); those with ``min_people`` people or
    ``min_support`` likes and dislikes kept, the ``max_issues`` hottest ranked, then named and described
    (:mod:`.naming`) in tasks run through ``map_parts``."""
    # ``writer``: the code of each record's user (−1: none; None: no users), the one the links used: factorizing
    # the members' users again cost 0.4 CPU-s at a million records, in the parent alone. Only how many distinct
    # users an issue has is read, so any one code per user will do.
    rows = members["row"].to_numpy()
    users = writer[rows] if writer is not None else np.full(len(rows), -1)
    users = np.where(users < 0, -1 - rows, users)  # no user: one person per record
    by_campaign = "campaign_id" in frame.columns and "user" in frame.columns
    campaign = (pd.factorize(frame["campaign_id"].iloc[rows].to_numpy())[0] if by_campaign
                else np.full(len(rows), -1))
    m = pd.DataFrame({
        "issue": members["issue"].to_numpy(), "row": rows, "user": users,
        "person": np.where(campaign >= 0, users.max(initial=0) + 1 + campaign, users),  # a campaign is one
        "voice": voice_labels(frame, rows),
        "likes": count_column(frame, "likes")[rows], "dislikes": count_column(frame, "dislikes")[rows],
        "time": time.to_numpy()[rows],
    })
    stats = m.groupby("issue").agg(n_messages=("row", "size"), likes=("likes", "sum"), dislikes=("dislikes", "sum"),
                                   time_start=("time", "min"), time_end=("time", "max"))
    stats = stats.assign(**_distinct_counts(m, stats.index.to_numpy()))
    stats["people"] = stats["n_persons"] if by_campaign else stats[["n_users", "n_voices"]].min(axis=1)
    support = stats["voice_likes"] + stats["voice_dislikes"]
    stats = stats[(stats["people"] >= min_people) | (support >= min_support)]
    if stats.empty:
        return pd.DataFrame(columns=[*HOT_COLUMNS, "_issue"])
    newest = time.max()
    span = ((stats["time_end"] - stats["time_start"]).dt.total_seconds() / 86400).fillna(0.0)
    age = ((newest - stats["time_end"]).dt.total_seconds() / 86400).fillna(0.0)
    stats["heat"] = [heat_index(p, lk, dk, s, a) for p, lk, dk, s, a in zip(
        stats["people"], stats["voice_likes"], stats["voice_dislikes"], span, age, strict=True)]
    stats = stats.assign(_issue=stats.index).sort_values(["heat", "n_messages", "_issue"],
                                                         ascending=[False, False, True], kind="stable")
    stats = stats.head(max_issues)

    X, words, row_in_vectors = vectors
    # rarity of each compared word, for the names of issues without a place
    idf_of = (dict(zip(words, np.log((1 + X.shape[0]) / (1 + np.bincount(X.indices, minlength=len(words)))).tolist(),
                       strict=True)) if X is not None else {})
    # The described issues' members issue by issue (issues in the order of their first message, rows ascending
    # within each), and all that is handed out per issue taken for them at once: a groupby and a sparse row
    # selection per issue cost about a CPU-second a 200,000 rows in the parent, where the workers wait for it.
    kept = m[m["issue"].isin(stats.index)]
    code, order = pd.factorize(kept["issue"].to_numpy())
    by_issue = np.argsort(code, kind="stable")
    rows, likes = kept["row"].to_numpy()[by_issue], kept["likes"].to_numpy()[by_issue]
    bounds = np.r_[0, np.cumsum(np.bincount(code, minlength=len(order)))]
    ids = frame["id"].iloc[rows].astype(str).to_numpy(dtype=object)
    placed = has_place[rows]
    place_of = places["place"].iloc[rows[placed]].to_numpy(dtype=object)
    named_of = key.iloc[rows[placed]].to_numpy(dtype=object, na_value=None)  # a group has no linking key:
    named_of = np.where(pd.isna(named_of), places["place_key"].iloc[rows[placed]].to_numpy(dtype=object),
                        named_of)  # its own key names it
    placed_bounds = np.r_[0, np.cumsum(placed)][bounds]
    people = stats["people"].astype(int).to_dict()  # looked up per issue: stats.loc cost more than the rest
    start, end = stats["time_start"].to_dict(), stats["time_end"].to_dict()
    sizes = np.diff(bounds)
    if X is not None:  # the compared vectors of each issue's centre sample, selected in one go
        vec_rows = row_in_vectors[rows]
        unknown = np.add.reduceat((vec_rows < 0).astype(np.int64), bounds[:-1]) if len(rows) else sizes
        compared = (sizes > 1) & (unknown == 0)
        picks = [bounds[i] + _centre_sample(int(sizes[i])) for i in np.flatnonzero(compared).tolist()]
        sampled = X[vec_rows[np.concatenate(picks)]] if picks else None
        sample_bounds = np.r_[0, np.cumsum(np.where(compared, np.minimum(sizes, _CENTRE_SAMPLE), 0))]
    else:
        compared = np.zeros(len(order), dtype=bool)

    # Naming and describing the issues runs through ``map_parts`` (the pipeline's workers): it was the largest
    # cost left in the parent. The tasks are built here while the workers name the ones before (issues come
    # in the order of their first message, not of size, so large ones spread over the tasks).
    # A small input's issues are named in one task, here: more tasks would start the pipeline's pool (a forkserver
    # that imports the engine, 2 CPU-s) for a 5,000-row run, whose issues take a fraction of that to name.
    per_task = -(-len(stats) // _DESCRIBE_TASKS) if len(frame) > _ONE_TASK_ROWS else max(len(stats), 1)

    def tasks():
        """Each task's issues and the Arrow texts of their members, each issue with its members' place in them
        (:func:`_name_and_describe_task`). Taken task by task, as the pool asks for them: the texts of every
        described member taken at once (half a GB at a million synthetic records) were the parent's share of
        the stage's peak, held while the workers named the issues."""
        issue_of = order.tolist()
        for first in range(0, len(issue_of), per_task):
            last = min(first + per_task, len(issue_of))
            lo = bounds[first]
            issues = []
            for i in range(first, last):
                a, b, pa_, pb = bounds[i], bounds[i + 1], placed_bounds[i], placed_bounds[i + 1]
                issues.append((issue_of[i], (named_of[pa_:pb], place_of[pa_:pb]), (a - lo, b - lo), likes[a:b],
                               sampled[sample_bounds[i]:sample_bounds[i + 1]] if compared[i] else None,
                               people[issue_of[i]], start[issue_of[i]], end[issue_of[i]], ";".join(ids[a:b])))
            yield text.take(pa.array(rows[lo:bounds[last]])), issues

    unseen = float(np.log(1 + (X.shape[0] if X is not None else 1)))  # a word never compared: rarest
    named = partial(_name_and_describe_task, idf_of=idf_of, unseen=unseen)
    place_name, confidence, description, member_ids = {}, {}, {}, {}
    for done in map_parts(named, tasks()):
        for issue, name, sure, said, members in done:
            place_name[issue], confidence[issue], description[issue], member_ids[issue] = name, sure, said, members
    table = stats.assign(place_or_group=stats.index.map(place_name),
                         place_confidence=stats.index.map(confidence).astype(float),
                         description=stats.index.map(description),
                         member_ids=stats.index.map(member_ids))
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table.insert(1, "issue_id", [f"H{r:04d}" for r in table["rank"]])
    for c in ("n_messages", "n_users", "likes", "dislikes"):
        table[c] = table[c].astype(int)
    return table[[*HOT_COLUMNS, "_issue"]].reset_index(drop=True)


_DESCRIBE_TASKS = 8  # each with the input's word rarities: more tasks would cost more in messages than in work
