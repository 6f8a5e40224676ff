"""``suggestions.csv``: one row per suggestion of the digest, what a planner reads (see :mod:`.digest`).

Columns (:data:`SUGGESTION_COLUMNS`):

=========================  ======================================================================================
``rank``, ``suggestion_id``  rank by ``people``, then ``likes``, then ``messages``; ``G0001`` is the first
``headline``               one sentence from the data: the most central ask (a title or a body sentence,
                           asks before questions before problems), clipped at a clause end to at most
                           ``HEADLINE_CHARS`` characters; district codes and place names are removed when the
                           suggestion spans several places (no place holds half of its messages)
``description``            one or two other sentences of the members: the most central ask and the most
                           central problem that gives a reason (因为, 导致, 严重 …)
``people``                 distinct people, a form-letter campaign counting once: min(distinct users, voices)
``n_users``, ``messages``  distinct users; messages with a claim in the suggestion
``reposts``                messages that are copies or near-copies of another member (duplicate stage)
``voices``                 distinct arguments: a duplicate group is one voice, a campaign is one voice
``campaigns``              the campaigns among the members with their size, e.g. ``C003×1200``
``likes``                  likes summed once per voice
``places``, ``districts``  the three most frequent places and district codes, with counts
``first_time``, ``last_time``, ``weekly``  first and last message; messages per ISO week (``2019-W07:3 …``)
``department``             the router's most frequent department among the members, ``department_confidence``
                           its mean confidence, ``department_share`` the share of members routed there
``coherence``              mean cosine of the member claims to the suggestion's centre (1 = all say the same;
                           below about 0.35, read the quotes before trusting the grouping)
``ask_spread``, ``mixed``  share of the members (at most 30 read) whose ask, without the place or institution
                           it names, is unlike the other members' (:func:`.digest.ask_spread`); ``mixed`` when
                           at least ``MIXED_SHARE`` (0.4): several asks share a noun or a phrase, not one ask
``quote_1`` … ``quote_5``  up to five member sentences chosen by maximal marginal relevance (central, but each
                           unlike the ones before), each followed by its message id in brackets
``member_ids``             ids of the member messages, ``;``-separated
=========================  ======================================================================================
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from minsheng.engine.digest import MIXED_SHARE, ask_spread, with_context
from minsheng.engine.hot_issues import _count, _voices

__all__ = ["HEADLINE_CHARS", "SUGGESTION_COLUMNS", "clip_sentence", "fragment", "generalise", "opens_badly", "phrase_label",
           "readable", "strip_opening", "suggestion_table"]

HEADLINE_CHARS = 40
SUGGESTION_COLUMNS = [
    "rank", "suggestion_id", "headline", "description", "people", "n_users", "messages", "reposts", "voices",
    "campaigns", "likes", "places", "districts", "first_time", "last_time", "weekly", "department",
    "department_confidence", "department_share", "coherence", "ask_spread", "mixed",
    "quote_1", "quote_2", "quote_3", "quote_4", "quote_5", "member_ids",
]
_CANDIDATES = 40  # most central claims of a suggestion read for its headline, description and quotes
_KIND_BONUS = {"ask": 0.08, "question": 0.04, "problem": 0.0}  # any other kind (context, praise): -0.15
# What opens a line without being part of its sentence: a header ("标题："), a greeting ("你好，", "尊敬的王书记："),
# a list number ("1、", "2.", "（一）", "①"); a year after "2." is a number's sentence ("2.2019年6月…").
_OPENING = re.compile(
    r"^(?:\s*(?:(?:标题|主题|题目|事由)\s*[:：]"
    r"|(?:尊敬的|敬爱的)?[^，,。！!：:？?]{0,12}?(?:您好|你好)[，,。！!：:\s]*"
    r"|(?:尊敬的|敬爱的)[^，,。：:]{0,16}[：:，,]"
    r"|[(（][一二三四五六七八九十\d]{1,2}[)）][、.．，,]?"
    r"|[一二三四五六七八九十\d]{1,2}\s*(?:、|[.．](?!\d)|[.．](?=\d{4}年))"
    r"|[①-⑳]))+\s*")
_HEADER = re.compile(r"^\s*(?:标题|主题|题目|事由)\s*[:：]|您好|你好")
_FIRST_PERSON = re.compile(r"^(?:我|我们|本人|笔者)(?!国|市|省|区|县)")
_CLAUSE_END = re.compile(r"[，,；;：:。！!？?]")
_TRAILING = re.compile(r"[，,；;：:、。！!\s]+$")
_LEADING = re.compile(r"^[，,；;：:、。！!？?\s的]+")
_DISTRICT = re.compile(r"[A-Z]\d{0,2}(?:市|区|县|镇)|西地省")
_CONNECTIVE = re.compile(r"^(?:所以|但是|但|而且|另外|同时|因此|并且|其次|首先|还有|那么|可是|然而|此外|再者|"
                         r"最后|以及|或者|否则|因为|由于|如果|例如|比如|即|就是|和|与|及|也)")
_REASON = re.compile(r"因为|由于|导致|造成|影响|严重|以致|致使|无法|不能")


def clip_sentence(text: str, limit: int = HEADLINE_CHARS) -> str:
    """``text`` without trailing punctuation (a question mark stays), cut at the last clause end within
    ``limit`` characters; unchanged when it is short enough, ``""`` when no clause end allows a clean cut."""
    text = _LEADING.sub("", text.strip())
    keep_q = text.rstrip().endswith(("？", "?"))
    text = _TRAILING.sub("", text.rstrip("？? ")) + ("？" if keep_q else "")
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _CLAUSE_END.finditer(text)]
    # a cut after a short conditional clause keeps a fragment of the next thought ("…的车位，不买车位")
    cuts = [e for i, e in enumerate(ends) if 6 <= e <= limit and not fragment(text[(ends[i - 1] + 1 if i else 0):e])]
    cuts = cuts or [e for e in ends if 6 <= e <= limit]
    return _TRAILING.sub("", text[: cuts[-1]]) if cuts else ""


def fragment(clause: str) -> bool:
    """Whether ``clause`` is a short conditional or negated piece that needs the clause after it
    ("不买车位" in "…捆绑车位，不买车位，就不能买房")."""
    clause = clause.strip()
    return 0 < len(clause) <= 4 and clause[0] in "不没若如只才就否"


def strip_opening(text: str) -> str:
    """``text`` without the header, greeting or list number that opens it (see ``_OPENING``):
    ``"1、能否加强发车时间的准点性"`` → ``"能否加强发车时间的准点性"``, ``"你好，请问…"`` → ``"请问…"``."""
    return _OPENING.sub("", text, count=1)


def opens_badly(line: str) -> bool:
    """Whether ``line`` opens with a header, a greeting or a list number, or holds a greeting: not a sentence a
    planner reads alone (the project's readable-headline check and the description both use it)."""
    return bool(_OPENING.match(line) or _HEADER.search(line))


def generalise(text: str) -> str:
    """``text`` without its district codes (``A市``, ``A3区``, ``西地省``), for a suggestion about many places.

    Only the codes, which are whole words: cutting an estate's name out of a sentence leaves fragments
    (``申小区``); sentences that name a place are passed over instead (see :func:`_headline`)."""
    text = _DISTRICT.sub("", text)
    text = re.sub(r"^(?:关于|在|对)(?=[的，,])", "", text)
    return _LEADING.sub("", re.sub(r"[，,]{2,}", "，", text))


def phrase_label(texts: list[str], fallback: str = "") -> str:
    """A readable label for a group of messages (a theme) taken from the data, as a suggestion's headline is:
    the first of ``texts`` (most central first) whose title, without district codes and clipped at a clause
    end, is a readable sentence of at least 6 characters; ``fallback`` (the keywords) when none is.

    >>> phrase_label(["A市A5区魅力之城小区油烟扰民\\n底层餐馆油烟直排。"], "油烟·扰民·餐馆")
    '魅力之城小区油烟扰民'
    """
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            continue
        line = clip_sentence(generalise(text.strip().split("\n", 1)[0]), HEADLINE_CHARS)
        if len(line) >= 6 and readable(line):
            return line
    return fallback


def suggestion_table(records: pd.DataFrame, claims: pd.DataFrame, model, *, min_people: int = 2,
                     n_suggestions: int = 1000) -> tuple[pd.DataFrame, np.ndarray]:
    """The suggestions table and each record's main ``suggestion_id`` (None where it has none).

    ``claims`` are the claims of all records with ``cluster`` and ``score`` (:func:`.digest.assign_claims`),
    ``record`` being the record's position in ``records``; ``model`` embeds candidate quotes for the MMR.
    """
    n = len(records)
    main = np.full(n, None, dtype=object)
    got = claims[claims["cluster"] >= 0]
    if got.empty:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS), main
    pairs = got.drop_duplicates(["cluster", "record"])[["cluster", "record"]]
    rows = pairs["record"].to_numpy()
    user = (pd.factorize(records["user"].to_numpy())[0] if "user" in records.columns
            else np.full(n, -1))
    user = np.where(user < 0, -1 - np.arange(n), user)  # no user: one person per record
    voice = _voices(records, np.arange(n))
    likes = _count(records, "likes")
    m = pd.DataFrame({"cluster": pairs["cluster"].to_numpy(), "record": rows, "user": user[rows],
                      "voice": voice[rows], "likes": likes[rows]})
    if "dup_group" in records.columns:
        m["dup"] = pd.factorize(records["dup_group"].to_numpy())[0][rows]
    else:
        m["dup"] = voice[rows]
    stats = m.groupby("cluster").agg(n_users=("user", "nunique"), voices=("voice", "nunique"),
                                     messages=("record", "size"), dups=("dup", "nunique"))
    stats["likes"] = m.groupby(["cluster", "voice"])["likes"].max().groupby("cluster").sum()
    stats["people"] = stats[["n_users", "voices"]].min(axis=1)
    # Kept when raised by ``min_people`` distinct users, even if they all signed one form letter: the letter
    # is listed (ranked as one voice, its size in ``campaigns``), never silently dropped.
    stats = stats[stats["n_users"] >= min_people]
    stats = stats.assign(_c=stats.index).sort_values(["people", "likes", "messages", "_c"],
                                                     ascending=[False, False, False, True], kind="stable")
    stats = stats.head(n_suggestions)
    if stats.empty:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS), main
    sid = {c: f"G{r:04d}" for r, c in enumerate(stats.index, 1)}

    # Main suggestion of a record: its title's when kept, else its first kept claim's.
    kept = got[got["cluster"].isin(stats.index)]
    first = kept.sort_values(["record", "is_title", "pos"], ascending=[True, False, True], kind="stable")
    first = first.drop_duplicates("record")
    main[first["record"].to_numpy()] = [sid[c] for c in first["cluster"].to_numpy()]

    m = m[m["cluster"].isin(stats.index)]
    ids = records["id"].astype(str).to_numpy()
    time = pd.to_datetime(records["time"], errors="coerce") if "time" in records.columns \
        else pd.Series(pd.NaT, index=records.index)
    place = records["place"].to_numpy() if "place" in records.columns else np.full(n, None, dtype=object)
    place_key = records["place_key"].to_numpy() if "place_key" in records.columns else place
    district = records["district"].to_numpy() if "district" in records.columns else np.full(n, None, dtype=object)
    dept, dept_names = pd.factorize(records["department"]) if "department" in records.columns else (None, None)
    conf = (pd.to_numeric(records["department_confidence"], errors="coerce").to_numpy()
            if "department_confidence" in records.columns else None)
    campaign = records["campaign_id"].to_numpy() if "campaign_id" in records.columns else None
    campaign_size = (records["campaign_id"].value_counts() if campaign is not None else pd.Series(dtype=int))

    # The most central claims of each kept suggestion, found by one sort rather than one per suggestion.
    order = kept.sort_values(["cluster", "score"], ascending=[True, False], kind="stable")
    order = order.drop_duplicates(["cluster", "text"])
    cand = order[order.groupby("cluster", sort=False).cumcount() < _CANDIDATES]
    cand = with_context(cand, records).assign(_row=np.arange(len(cand)))
    V = model.embed(cand)  # with title and context: what the quotes' MMR compares
    own = model.own_vectors(cand["text"].astype(str).tolist())  # the sentence's own words: what a headline says
    cand["own"] = np.asarray(own.multiply(model.centroids_[cand["cluster"].to_numpy()]).sum(axis=1)).ravel()
    cols = {k: cand[k].to_numpy() for k in ("cluster", "text", "kind", "is_title", "own", "score", "record", "_row")}
    bounds = _bounds(cols["cluster"])
    m = m.sort_values(["cluster", "record"], kind="stable")
    member_rows, member_bounds = m["record"].to_numpy(), _bounds(m["cluster"].to_numpy())
    coherence = kept.groupby("cluster")["score"].mean()
    spread = ask_spread(kept, records, model)
    week = _week_labels(time)
    weekly = (pd.DataFrame({"cluster": m["cluster"].to_numpy(), "week": week[member_rows]}).dropna()
              .groupby(["cluster", "week"]).size().reset_index(name="k"))
    weekly = ((weekly["week"] + ":" + weekly["k"].astype(str)).groupby(weekly["cluster"].to_numpy())
              .agg(" ".join).to_dict())
    t_ns = time.to_numpy(dtype="datetime64[ns]")

    out = []
    for rank, (c, row) in enumerate(stats.iterrows(), 1):
        lo, hi = member_bounds[c]
        r = member_rows[lo:hi]
        lo, hi = bounds[c]
        cands = {k: v[lo:hi] for k, v in cols.items()}
        keys = Counter(k for k in place_key[r] if isinstance(k, str))
        one_place = bool(keys) and keys.most_common(1)[0][1] * 2 >= len(r)
        headline = _headline(cands, None if one_place else {p for p in set(place[r]) if isinstance(p, str)})
        rec = {
            "rank": rank, "suggestion_id": sid[c], "headline": headline,
            "description": _description(cands, headline),
            "people": int(row["people"]), "n_users": int(row["n_users"]), "messages": int(row["messages"]),
            "reposts": int(row["messages"] - row["dups"]), "voices": int(row["voices"]),
            "campaigns": _campaigns(campaign, campaign_size, r), "likes": int(row["likes"]),
            "places": _top(place[r]), "districts": _top(district[r]),
        }
        t = t_ns[r]
        t = t[~np.isnat(t)]
        rec["first_time"] = pd.Timestamp(t.min()) if len(t) else pd.NaT
        rec["last_time"] = pd.Timestamp(t.max()) if len(t) else pd.NaT
        rec["weekly"] = weekly.get(c, "")
        rec.update(_department(dept, dept_names, conf, r))
        rec["coherence"] = round(float(coherence[c]), 3)
        rec["ask_spread"] = round(float(spread.get(c, 0.0)), 3)
        rec["mixed"] = bool(rec["ask_spread"] >= MIXED_SHARE)
        quotes = _quotes(cands, V, ids)
        for i in range(5):
            rec[f"quote_{i + 1}"] = quotes[i] if i < len(quotes) else ""
        rec["member_ids"] = ";".join(ids[r])
        out.append(rec)
    return pd.DataFrame(out, columns=SUGGESTION_COLUMNS), main


def _headline(cands: dict, places: set[str] | None) -> str:
    """The most telling readable ask of a suggestion: the member sentence whose *own* words are nearest the
    suggestion's centre (a bare "请尽快处理" says nothing however central its message is), asks before
    questions before problems, and well before context ("星沙的旧城改造就快全部结束了") or a first-person
    opening ("我是…业主"); titles first on ties. A header, greeting or list number opening a sentence is dropped;
    a sentence that had to be clipped gives way to a whole one nearly as central. For a suggestion about many
    places (``places`` given), a sentence naming one of them is passed over when another will do, and district
    codes are dropped."""
    best, best_score = "", -np.inf
    for text, kind, is_title, own in zip(cands["text"], cands["kind"], cands["is_title"], cands["own"],
                                         strict=True):
        s = float(own) + _KIND_BONUS.get(kind, -0.15) + (0.05 if is_title else 0.0)
        if s <= best_score:  # what follows only rejects or lowers: a sentence already beaten is not read
            continue
        text = strip_opening(str(text))
        if _FIRST_PERSON.match(text):
            s -= 0.15  # who writes is context, not what is asked
        whole = clip_sentence(generalise(text) if places is not None else text, 10_000)
        line = clip_sentence(whole)
        if len(line) < 6 or not readable(line) or opens_badly(line):
            continue
        if line != whole:
            s -= 0.04  # clipped: the rest of the sentence is lost
        if places is not None and any(p in text for p in places if len(p) >= 2):
            s -= 10.0  # one member's place names a suggestion of many places only when no sentence avoids it
        if s > best_score:
            best, best_score = line, s
    if not best and len(cands):  # nothing clips cleanly: the most central claim's first clause
        best = _CLAUSE_END.split(strip_opening(str(cands["text"][0])))[0][:HEADLINE_CHARS]
    return best


def readable(line: str) -> bool:
    """A sentence a planner can read alone: brackets and quotes balanced, not opened by a connective that
    needs the sentence before it (所以, 但是, 另外 …), some Chinese in it, not a list of words."""
    pairs = (("(", ")"), ("（", "）"), ("“", "”"), ("《", "》"), ("【", "】"))
    if any(line.count(a) != line.count(b) for a, b in pairs):
        return False
    if _CONNECTIVE.match(line) or not re.search(r"[\u4e00-\u9fa5]{4}", line):
        return False
    return not re.search(r"(?:[\u4e00-\u9fa5]{2,4}[·、/ ]){2,}[\u4e00-\u9fa5]{2,4}$", line)


def _description(cands: dict, headline: str) -> str:
    """The member ask, and the member problem that gives a reason, whose own words are nearest the
    suggestion's centre (extractive; the headline is not repeated), each a sentence that reads alone: not
    opened by a connective, a list number, a header or a greeting."""
    body = np.flatnonzero(~cands["is_title"].astype(bool))
    body = body[np.argsort(-cands["own"][body], kind="stable")]  # what the sentence itself says, first
    picked = []
    for wanted in ("ask", "problem"):
        for text, kind in zip(cands["text"][body], cands["kind"][body], strict=True):
            line = clip_sentence(text, 80) or text[:80]
            if kind != wanted or line in picked or headline in line or line in headline:
                continue
            if opens_badly(line) or not readable(line):  # 所以…, "2.…", "标题：…您好": needs what came before
                continue
            if wanted == "problem" and not _REASON.search(line):
                continue
            picked.append(line)
            break
    return "".join(p if p.endswith(("。", "？", "！")) else p + "。" for p in picked)


def _quotes(cands: dict, V, ids: np.ndarray, k: int = 5, lam: float = 0.7) -> list[str]:
    """Up to ``k`` member sentences by maximal marginal relevance: λ·centrality − (1−λ)·likeness to those
    already chosen, so five near-copies of the same sentence are never shown together."""
    pool = np.flatnonzero(np.fromiter(map(len, cands["text"]), dtype=int, count=len(cands["text"])) >= 8)
    if not len(pool):
        return []
    P = V[cands["_row"][pool]]
    rel = cands["score"][pool].astype(float)
    sim = (P @ P.T).toarray()
    chosen: list[int] = []
    free = np.ones(len(pool), dtype=bool)
    while len(chosen) < k and free.any():
        penalty = sim[:, chosen].max(axis=1) if chosen else np.zeros(len(pool))
        value = np.where(free, lam * rel - (1 - lam) * penalty, -np.inf)
        i = int(np.argmax(value))
        if chosen and penalty[i] > 0.95:  # only near-copies left
            break
        chosen.append(i)
        free[i] = False
    texts = cands["text"][pool]
    recs = cands["record"][pool]
    return [f"{clip_sentence(texts[i], 120) or texts[i][:120]}（{ids[recs[i]]}）" for i in chosen]


def _top(values: np.ndarray, k: int = 3) -> str:
    counts = Counter(v for v in values if isinstance(v, str) and v)
    return "、".join(f"{v}({c})" for v, c in counts.most_common(k))


def _campaigns(campaign, sizes: pd.Series, rows: np.ndarray) -> str:
    if campaign is None:
        return ""
    ids = sorted({c for c in campaign[rows] if isinstance(c, str) and c})
    return "; ".join(f"{c}×{int(sizes.get(c, 0))}" for c in ids)


def _bounds(sorted_keys: np.ndarray) -> dict:
    """Start and end of each run of equal keys in a sorted array."""
    keys, start = np.unique(sorted_keys, return_index=True)
    end = np.append(start[1:], len(sorted_keys))
    return {k: (a, b) for k, a, b in zip(keys.tolist(), start.tolist(), end.tolist(), strict=True)}


def _week_labels(time: pd.Series) -> np.ndarray:
    """ISO week of each time (``2019-W07``), None where unknown; computed once for all records."""
    t = pd.to_datetime(time, errors="coerce")
    iso = t.dt.isocalendar()
    label = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
    return label.astype(object).where(t.notna(), None).to_numpy()


def _department(dept, names, conf, rows: np.ndarray) -> dict:
    """Most frequent routed department of the members (``dept``: codes into ``names``, -1 for none), its mean
    confidence and its share of the members; ties go to the department seen first."""
    codes = dept[rows] if dept is not None else np.empty(0, dtype=np.int64)
    counts = np.bincount(codes[codes >= 0])
    if not counts.sum():
        return {"department": "", "department_confidence": np.nan, "department_share": np.nan}
    top = int(np.argmax(counts))
    mask = codes == top
    confidence = float(np.nanmean(conf[rows][mask])) if conf is not None else np.nan
    return {"department": names[top], "department_confidence": round(confidence, 3),
            "department_share": round(float(mask.mean()), 3)}
