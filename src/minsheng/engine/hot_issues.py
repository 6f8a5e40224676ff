"""Hot issues (热点问题): a specific problem of a specific place or group of people within a period.

How messages are grouped (no step is quadratic in N):

1. **place** — :mod:`minsheng.engine.places` finds the most specific place (estate, school, company, road …) or
   group of people (车贷受害者, 出租车司机 …) named in each message, and a key that lets ``万科魅力之城`` and
   ``魅力之城小区`` meet. Messages that name neither cannot be a *specific* issue and are left out.
2. **similarity** — within one place, messages about the same problem share words. When the theme stage has
   run, that is the fine theme (``theme_id``): messages of one place and one fine theme are about the same
   suggestion. Otherwise (a file on its own) TF-IDF over rjieba words, with the place name itself removed so
   that "parking" and "noise" at one estate do not merge because both say the estate's name, cosine ≥
   ``similarity``.
3. **time** — two messages are linked only if at most ``window_days`` apart; linked messages form an issue
   (connected components; with themes, runs without a longer gap), so an issue lasts as long as people keep
   writing about it.

Without themes, places with more than ``block_size`` messages are cut into time-ordered blocks of that
size, so the pairwise step costs at most ``N × block_size``; with themes nothing is pairwise. Only the ``max_issues`` hottest issues are kept (and
described): below them an "issue" is a handful of messages, not something a city official needs to see.

Heat index (documented here, computed in :func:`heat_index`)::

    P = min(distinct users, distinct voices)           # people, not copies
    L, D = likes, dislikes summed once per voice       # a copy's likes are not counted again
    base = ln(1 + P) + 0.5·ln(1 + L) + 0.2·ln(1 + D)
    C = 1 / (1 + ln(1 + span_days / 30))               # time concentration: 1 within days, ~0.4 over a year
    R = 0.5 + 0.5·exp(−age_days / 180)                 # recency vs. the newest message of the input
    heat = 10 · base · (0.5 + 0.5·C) · R

A *voice* is one distinct argument: all messages of one ``campaign_id`` are one voice, so are all messages of
one ``dup_group`` (both from the duplicate stage when it ran), and messages whose text is identical after
removing blanks and punctuation. So 500 accounts posting the same form letter count as one person with one
voice, while 500 people describing the same problem in their own words count as 500; one person re-posting
the same complaint ten times counts as one. Dislikes count for less than likes but still show attention.
Recency is measured from the newest message of the input, not the wall clock, so results are reproducible.

An issue needs at least ``min_people`` people or ``min_support`` likes (a single message that thousands
agree with is hot). Output: a per-record ``hot_issue_id`` (``H0001`` = hottest, missing for other records) and
the table for ``hot_issues.csv`` with columns :data:`HOT_COLUMNS`.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfTransformer

from minsheng.engine.errors import InputError
from minsheng.engine.places import extract_places, is_specific
from minsheng.engine.tokens import batch_counts, tokenize

__all__ = ["HOT_COLUMNS", "find_hot_issues", "heat_index"]

log = logging.getLogger(__name__)

HOT_COLUMNS = ["rank", "issue_id", "heat", "time_start", "time_end", "place_or_group", "description",
               "n_messages", "n_users", "likes", "dislikes", "member_ids"]
_NON_WORD = re.compile(r"[\W_]+")


def find_hot_issues(frame: pd.DataFrame, *, similarity: float = 0.12, window_days: int = 90,
                    min_people: int = 2, min_support: int = 20, block_size: int = 1000,
                    max_issues: int = 1000) -> tuple[pd.Series, pd.DataFrame]:
    """Group ``frame`` into hot issues; returns (``hot_issue_id`` per record, the hot-issues table).

    Uses ``id``, ``text`` (title on the first line), and when present ``time``, ``user``, ``likes``,
    ``dislikes``, ``dup_group``, ``campaign_id``, and ``place_key``/``place`` (from
    :func:`minsheng.engine.places.extract_places`, computed here if absent).
    """
    for c in ("id", "text"):
        if c not in frame.columns:
            raise InputError(f"missing column {c!r}", field=c)
    n = len(frame)
    text = frame["text"].fillna("").astype(str).to_numpy()
    places = (frame[["place", "place_key"]].reset_index(drop=True) if {"place", "place_key"} <= set(frame.columns)
              else extract_places(text))
    time = (pd.to_datetime(frame["time"], errors="coerce").reset_index(drop=True) if "time" in frame.columns
            else pd.Series(pd.NaT, index=range(n)))
    days = (time - pd.Timestamp("2000-01-01")).dt.total_seconds().to_numpy() / 86400.0
    key = _merge_place_keys(places["place_key"])

    if "theme_id" in frame.columns:
        # as "string": a batch in which no text names a place has an all-null key, which object + str refuses
        key = key.astype("string") + "|" + frame["theme_id"].astype("string").fillna("").reset_index(drop=True)
        issue_of = _split_by_time(key, days, window_days)
        vectors, words, row_in_vectors = None, [], np.full(n, -1)
    else:
        issue_of, vectors, words, row_in_vectors = _link_places(key, text, places, days, similarity,
                                                                window_days, block_size)
    members = pd.DataFrame({"issue": issue_of, "row": np.arange(n)})
    members = members[members.issue >= 0]
    table = _summarise(frame.reset_index(drop=True), members, places, time, min_people, min_support,
                       (vectors, words, row_in_vectors), max_issues)
    hot_id = pd.Series(pd.NA, index=frame.index, dtype="string")
    if len(table):
        id_of_issue = dict(zip(table.pop("_issue"), table["issue_id"], strict=True))
        mapped = pd.Series(issue_of).map(id_of_issue)
        hot_id[:] = mapped.astype("string").to_numpy()
    else:
        table = table.drop(columns="_issue")
    return hot_id, table


def _split_by_time(key: pd.Series, days: np.ndarray, window_days: int) -> np.ndarray:
    """Issue labels: same key, and no gap longer than ``window_days`` between consecutive messages."""
    n = len(key)
    issue_of = np.full(n, -1)
    rows = np.flatnonzero(key.notna().to_numpy())
    if not len(rows):
        return issue_of
    codes = pd.factorize(key.to_numpy()[rows])[0]
    t = np.nan_to_num(days[rows], nan=np.inf)
    order = np.lexsort((t, codes))
    c, t = codes[order], t[order]
    gap = np.diff(t)
    new = np.concatenate([[True], (c[1:] != c[:-1]) | (gap > window_days)])
    issue_of[rows[order]] = np.cumsum(new) - 1
    return issue_of


def _link_places(key: pd.Series, text: np.ndarray, places: pd.DataFrame, days: np.ndarray, similarity: float,
                 window_days: int, block_size: int) -> tuple:
    """Issue labels by pairwise similarity within each place (blocks of at most ``block_size``)."""
    n = len(key)
    issue_of = np.full(n, -1)
    next_issue = 0
    has_place = key.notna().to_numpy()
    sizes = key.map(key.value_counts())
    shared = np.flatnonzero(has_place & (sizes.fillna(0).to_numpy() >= 2))
    vectors, words = _vectorise(text[shared], places["place"].to_numpy()[shared])
    row_in_vectors = np.full(n, -1)
    row_in_vectors[shared] = np.arange(len(shared))
    grouped = pd.Series(np.arange(n))[has_place].groupby(key[has_place].to_numpy(), sort=True)
    for _, idx in grouped:
        rows = idx.to_numpy()
        if len(rows) < 2:
            issue_of[rows] = next_issue
            next_issue += 1
            continue
        order = rows[np.argsort(np.nan_to_num(days[rows], nan=np.inf), kind="stable")]
        for start in range(0, len(order), block_size):
            block = order[start:start + block_size]
            labels = _link(vectors, row_in_vectors[block], days[block], similarity, window_days)
            issue_of[block] = labels + next_issue
            next_issue += labels.max() + 1
    return issue_of, vectors, words, row_in_vectors


def _merge_place_keys(keys: pd.Series) -> pd.Series:
    """Map a key onto a shorter key it ends with (``保利西海岸`` → ``西海岸``).

    Only suffixes of three or more letters that are themselves keys and still name something (two letters
    before a place suffix: never ``幼儿园`` alone) are used; cost is linear in the number of distinct keys.
    """
    distinct = set(keys.dropna().unique())
    mapping = {}
    for k in distinct:
        for i in range(1, len(k) - 2):
            if k[i:] in distinct and is_specific(k[i:]):
                mapping[k] = k[i:]
                break
    return keys.map(lambda k: mapping.get(k, k) if isinstance(k, str) else k)


def _vectorise(texts: np.ndarray, place_names: np.ndarray):
    """TF-IDF rows (unit length) of the messages that share a place, with the place name blanked out,
    and the words of the columns."""
    docs = [t[:200].replace(p, " ") if isinstance(p, str) and p else t[:200]
            for t, p in zip(texts, place_names, strict=True)]
    counts, words = batch_counts(docs)
    if not words:
        return None, []
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32).tocsr(), words


def _link(vectors, rows: np.ndarray, days: np.ndarray, similarity: float, window_days: int) -> np.ndarray:
    """Connected components of "similar and close in time" among the messages of one place block."""
    n = len(rows)
    if vectors is None:
        return np.zeros(n, dtype=int)
    X = vectors[rows]
    S = (X @ X.T).tocoo()
    keep = (S.data >= similarity) & (S.row < S.col)
    r, c = S.row[keep], S.col[keep]
    keep = ~(np.abs(days[r] - days[c]) > window_days)  # unknown times (NaN) do not break a link
    graph = coo_matrix((np.ones(keep.sum()), (r[keep], c[keep])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _voices(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """One integer label per distinct argument (see the module docstring)."""
    if "dup_group" in frame.columns:  # the duplicate stage already grouped copies and near-copies
        voice = pd.factorize(frame["dup_group"].to_numpy()[rows])[0]
    else:
        voice = pd.factorize(np.array([_NON_WORD.sub("", str(t))[:300] for t in frame["text"].to_numpy()[rows]],
                                      dtype=object))[0]
    if "campaign_id" in frame.columns:
        campaign = pd.factorize(frame["campaign_id"].to_numpy()[rows])[0]  # -1 where none
        voice = np.where(campaign >= 0, voice.max(initial=0) + 1 + campaign, voice)
    return voice


def heat_index(people: int, likes: int, dislikes: int, span_days: float, age_days: float) -> float:
    """The heat of one issue (formula in the module docstring); the platform re-ranks with it after increments."""
    base = math.log1p(people) + 0.5 * math.log1p(likes) + 0.2 * math.log1p(dislikes)
    concentration = 1.0 / (1.0 + math.log1p(max(span_days, 0.0) / 30.0))
    recency = 0.5 + 0.5 * math.exp(-max(age_days, 0.0) / 180.0)
    return round(10.0 * base * (0.5 + 0.5 * concentration) * recency, 2)


def _summarise(frame: pd.DataFrame, members: pd.DataFrame, places: pd.DataFrame, time: pd.Series,
               min_people: int, min_support: int, vectors: tuple, max_issues: int) -> pd.DataFrame:
    rows = members["row"].to_numpy()
    users = (pd.factorize(frame["user"].to_numpy()[rows])[0] if "user" in frame.columns
             else np.full(len(rows), -1))
    m = pd.DataFrame({
        "issue": members["issue"].to_numpy(), "row": rows,
        "user": np.where(users < 0, -1 - rows, users),  # no user: one person per record
        "voice": _voices(frame, rows),
        "likes": _count(frame, "likes")[rows], "dislikes": _count(frame, "dislikes")[rows],
        "time": time.to_numpy()[rows],
    })
    per_voice = m.groupby(["issue", "voice"])[["likes", "dislikes"]].max().groupby("issue").sum()
    stats = m.groupby("issue").agg(n_messages=("row", "size"), n_users=("user", "nunique"),
                                   n_voices=("voice", "nunique"), likes=("likes", "sum"),
                                   dislikes=("dislikes", "sum"), time_start=("time", "min"),
                                   time_end=("time", "max"))
    stats["people"] = stats[["n_users", "n_voices"]].min(axis=1)
    stats = stats.join(per_voice.add_prefix("voice_"))
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

    ids = frame["id"].astype(str).to_numpy()
    text = frame["text"].fillna("").astype(str).to_numpy()
    place_of = places["place"].to_numpy()
    kept = m[m["issue"].isin(stats.index)]
    place_name, description, member_ids = {}, {}, {}
    for issue, grp in kept.groupby("issue", sort=False):
        r = grp["row"].to_numpy()
        common = Counter(p for p in place_of[r] if isinstance(p, str)).most_common(1)
        place_name[issue] = common[0][0] if common else ""
        description[issue] = _describe(place_name[issue], text[r], grp["likes"].to_numpy(), r, vectors)
        member_ids[issue] = ";".join(ids[np.sort(r)])
    table = stats.assign(place_or_group=stats.index.map(place_name), description=stats.index.map(description),
                         member_ids=stats.index.map(member_ids))
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table.insert(1, "issue_id", [f"H{r:04d}" for r in table["rank"]])
    for c in ("n_messages", "n_users", "likes", "dislikes"):
        table[c] = table[c].astype(int)
    return table[[*HOT_COLUMNS, "_issue"]].reset_index(drop=True)


def _count(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    return pd.to_numeric(frame[col], errors="coerce").fillna(0).clip(lower=0).astype(np.int64).to_numpy()


def _describe(place: str, texts: np.ndarray, likes: np.ndarray, rows: np.ndarray, vectors: tuple) -> str:
    """Place, the words most of its messages use (title words count three times: they are what the writers
    chose to stress), and the title of the most supported message."""
    X, words, row_in_vectors = vectors
    counts = Counter()
    place_words = set(tokenize(place))
    titles = [t.split("\n", 1)[0] for t in texts]
    for title in titles[:30]:  # enough to know what a big issue's titles say
        counts.update(dict.fromkeys(set(tokenize(title)) - place_words, 2))
    vec_rows = row_in_vectors[rows]
    if X is not None and (vec_rows >= 0).all():
        df = np.asarray((X[vec_rows] > 0).sum(axis=0)).ravel()
        for i in np.argsort(-df, kind="stable")[:20]:
            if df[i] and words[i] not in place_words:
                counts[words[i]] += int(df[i])
    else:  # members not vectorised (themes grouped them, or a single message of its place): read some
        for t in texts[:30]:
            counts.update(set(tokenize(t[:400])) - place_words)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    best = titles[int(np.argmax(likes))][:60] if len(texts) else ""
    head = f"{place}：" if place else ""
    return f"{head}{'、'.join(w for w, _ in ranked[:5])}（例：{best}）"
