"""``suggestions.csv``: one row per suggestion of the digest, what a planner reads (see :mod:`.digest`).

Columns (:data:`SUGGESTION_COLUMNS`):

=========================  ======================================================================================
``rank``, ``suggestion_id``  rank by the people who ask one same thing (``people``, but for a ``mixed``
                           suggestion whose members :func:`.digest.split_mixed` grouped, the most of them in
                           one group: seven different 医保 questions rank as one person's), then ``people``,
                           ``likes``, ``messages``; ``G0001`` is the first
``headline``               one sentence from the data: the most central ask that most members write (a title
                           or a body sentence, ranked by centrality less its words few members write; the writer's own ask and questions before problems, bare topics such as "咨询…问题" and
                           context last), clipped at a clause end to at most ``HEADLINE_CHARS`` characters. A
                           place is kept when most members write it; otherwise a sentence naming one member's
                           place is generalised ("长郡楚府中学强制…" → "中学强制…"; a title's name anywhere:
                           "请求对楚华公寓小区…" → "请求对小区…") or passed over, and
                           district codes are dropped; in a suggestion of five or more members, a name no
                           place finder knows that only one member writes ("投诉袁岭家佳兆业施工扰民") takes its
                           share of the sentence's centrality (:meth:`Commonness.own_names`); a ``mixed``
                           set held by a topic (医保; 公积金贷款; complaints about 垃圾) whose largest
                           group of one ask is at most half its people is "关于医保的多个问题" (its
                           ``topic``), or, without a topic, "多个问题，如：" before the headline
``description``            what people want and why: the most central ask or question and a sentence giving a
                           reason (因为, 导致, 严重 …), from two different members, each readable alone (no
                           header, greeting, list number, "我是…业主" or "这个地方…"); over many places, one
                           member's place generalised ("某某小区临街…" → "小区临街…") and one member's case
                           passed over; failing an ask and a reason, a member's title that passes the same
                           checks; never empty: failing all sentences, "N人反映，涉及K处（月 至 月）。"; a
                           mixed suggestion's opens with its count, "7人所问不尽相同，最多2人问同一件事。", as
                           does a set of questions the flag calls one ask when at most a third of its people (six or
                           more) ask one same thing (:func:`.digest_wording.set_of_questions`); one kind of problem at many places
                           (one site under variant names is one place: :func:`.digest_wording._sites`) opens with
                           "10人反映各地垃圾问题，涉及7处（…）。", or, when ``PLACES_SHARE`` of its members ask unlike
                           the rest and fewer than two thirds ask one same thing (counted as a mixed one is:
                           ``partly`` of :func:`.digest.split_mixed`), "17人所问不尽相同，最多10人问同一件事，涉及12处（…）。"
``people``                 distinct people, a form-letter campaign counting once: min(distinct users, voices)
``n_users``, ``messages``  distinct users; messages with a claim in the suggestion
``reposts``                messages that are copies or near-copies of another member (duplicate stage)
``voices``                 distinct arguments: a duplicate group is one voice, a campaign is one voice
``campaigns``              the campaigns among the members with their size, e.g. ``C003×1200``
``likes``                  likes summed once per voice
``places``, ``districts``  the three most frequent places and district codes, with counts
``first_time``, ``last_time``, ``weekly``  first and last message; messages per ISO week (``2019-W07:3 …``)
``department``             the router's most frequent department among the members, ``department_confidence``
                           its mean confidence, ``department_share`` the share of members routed there; when
                           members split evenly, every tied department joined by ``、`` (none is the owner)
``coherence``              mean cosine of the member claims to the suggestion's centre (1 = all say the same;
                           below about 0.35, read the quotes before trusting the grouping)
``ask_spread``, ``mixed``  share of the members (at most 30 read) whose ask, without the place or institution
                           it names, is unlike the other members' (:func:`.digest.ask_spread`); ``mixed`` when
                           at least ``MIXED_SHARE`` (0.4): several asks share a noun or a phrase, not one ask;
                           in a set of questions only one word most members write (医保), left out too
``quote_1`` … ``quote_5``  up to five member sentences, one per message, chosen by maximal marginal relevance
                           over their own words (central, but each unlike the headline and the ones before: the
                           range of what was said), each followed by its message id in brackets
``member_ids``             ids of the member messages, ``;``-separated
=========================  ======================================================================================

Display text (headline, description, quotes) has Chinese full-width punctuation again (，：；！？（）), which
normalisation's NFKC had made ASCII (:func:`~minsheng.engine.normalise.full_width_punctuation`).
"""

from __future__ import annotations

import logging
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minsheng.engine.commonness import HEAD_CHARS
from minsheng.engine.counts import distinct_per_group
from minsheng.engine.dedup import take_rows
from minsheng.engine.digest import MIXED_SHARE, ask_spread, member_claims, split_mixed
from minsheng.engine.digest_members import (
    campaigns,
    coded_names,
    departments,
    joined_ids,
    member_counts,
    record_writers,
    tops,
    weekly,
)
from minsheng.engine.digest_wording import places_line, set_of_questions, suggestion_texts
from minsheng.engine.sentences import CLAUSE_END, HEADLINE_CHARS, clip_sentence

__all__ = ["SUGGESTION_COLUMNS", "suggestion_table"]

log = logging.getLogger(__name__)

SUGGESTION_COLUMNS = [
    "rank", "suggestion_id", "headline", "description", "people", "n_users", "messages", "reposts", "voices",
    "campaigns", "likes", "places", "districts", "first_time", "last_time", "weekly", "department",
    "department_confidence", "department_share", "coherence", "ask_spread", "mixed",
    "quote_1", "quote_2", "quote_3", "quote_4", "quote_5", "member_ids",
]
#: Dtypes of an empty suggestions.csv (the rest is text), so that a run with no suggestion records its counts as
#: numbers and its times as times, as a run with suggestions does.
_EMPTY = {**dict.fromkeys(("rank", "people", "n_users", "messages", "reposts", "voices", "likes"), "Int64"),
          **dict.fromkeys(("department_confidence", "department_share", "coherence", "ask_spread"), "float64"),
          "first_time": "datetime64[ns]", "last_time": "datetime64[ns]", "mixed": "boolean"}
FIRST_SHARE = 0.1  # a suggestion fewer of whose messages raise it first (title, else first ask) is a phrase added to asks
_CANDIDATES = 40  # most central claims of a suggestion read for its headline, description and quotes
_MEMBER_SAMPLE = 200  # member messages read to tell whether a place is the suggestion's or one member's
_SPLIT_PASSES = 3  # tables worded at most: a split may list a suggestion newly headed by an action alone
_OBJECT_WORDS = 2  # words another headline adds to an action-only one: an object (养老保险; 证明 事项), not a reason
_BLOCKS_PER_WORKER = 4  # blocks of wording tasks per worker: the last ones to end are small


def suggestion_table(records: pd.DataFrame, claims: pd.DataFrame, model, *, min_people: int = 2,
                     n_suggestions: int = 1000, executor=None, spread: pd.DataFrame | None = None, writers=None
                     ) -> tuple[pd.DataFrame, np.ndarray]:
    """The suggestions table and each record's main ``suggestion_id`` (None where it has none).

    ``claims`` are the claims of all records with ``cluster`` and ``score`` (:func:`.digest.assign_claims`),
    ``record`` being the record's position in ``records``; ``model`` embeds candidate quotes for the MMR.
    ``executor`` (an :class:`~minsheng.engine.executor.Executor`, or None for this process) words the
    suggestions (:func:`.digest_wording.suggestion_texts`). ``spread``: the :func:`.digest.ask_spread` of suggestions known
    already (by :func:`.digest.split_mixed`), not computed again. ``writers``: a call that returns the
    records' :func:`~minsheng.engine.digest_members.record_writers` when found already, as ``split_mixed`` was
    given it.

    A suggestion headed by an action without its object (:func:`_action_only`) is split, once, by what its members
    ask that action about (:func:`.digest.split_mixed` with ``only``: their asks without the headline's words), and
    the table worded again (at most ``_SPLIT_PASSES`` times: a split may list a suggestion newly action-only). Why:
    "建议降低灵活就业人员缴费门槛" (20,000, 70 people, purity 0.40) was one item of members asking it about eight
    different things, and a planner reads it as one ask (h-digest18).

    Suggestions headed alike are not joined here: the fit's split keeps one ask worded two ways whole
    (:meth:`.digest.DigestModel._split`, h-digest19), and the join that rejoined its pieces by their headlines
    (h-digest17/18) had nothing left to join on the synthetic 20,000 and 7 suggestions at 100,000 (h-digest20).
    """
    once = partial(_suggestion_table, records, model=model, min_people=min_people, n_suggestions=n_suggestions,
                   executor=executor, writers=writers)
    table, main, listed, spread, worded, tallied = once(claims, spread=spread)
    split = set()  # action-only suggestions split already: what is left of one is not split again
    for _ in range(_SPLIT_PASSES - 1):
        if len(listed) < 2:
            break
        heads = table["headline"].fillna("")
        acts = {c: h for c, h, a in zip(listed, heads, _action_only(model.own_vectors(heads.tolist())), strict=True)
                if a and c not in split}
        if not acts:
            break
        # Members of an action-only suggestion asking that action about one same thing, two or more writers, are a
        # suggestion of their own (:func:`.digest.split_mixed`, as a mixed one's): its headline then names what
        # they ask it about.
        split |= set(acts)
        before = claims["cluster"].to_numpy()
        cluster, score, more = split_mixed(claims, records, model, min_people=min_people,
                                           n_suggestions=n_suggestions, writers=writers, only=acts)
        changed = set(np.unique(np.concatenate([before[cluster != before], cluster[cluster != before]])).tolist())
        if not changed:
            break
        log.info("digest: %d action-only suggestions split by what they ask it about", len(changed & set(acts)))
        claims = claims.assign(cluster=cluster, score=score)
        spread = pd.concat([spread.drop(index=list(changed), errors="ignore"), more[more.index.isin(changed)]])
        # The split suggestions are read and worded again; the others as they were (the same members, the same
        # words): wording every suggestion again doubled the table's cost.
        worded = {c: w for c, w in worded.items() if c not in changed}
        tallied = {c: w for c, w in tallied.items() if c not in changed}
        table, main, listed, spread, worded, tallied = once(claims, spread=spread, worded=worded, tallied=tallied)
    return table, main


def _action_only(V) -> np.ndarray:
    """Per headline (its words, rows of ``V``), whether it names an action without its object: two or more other
    headlines hold all its words, two or more, and add one or two of their own (``_OBJECT_WORDS``), each naming
    the same action about something else ("建议降低灵活就业人员缴费门槛" beside "…，解决养老保险的问题" and "…，
    解决劳动合同的问题"). A headline that other ones hold whole with a clause more (a reason, a problem: "…，因为
    垃圾分类秋冬季雾霾频发", five words) is not one: they add to its ask, not another thing to ask it about.

    Why: on the synthetic 20,000 (reading of h-digest18), of the listed headlines two or more others held so, 61
    headed suggestions of under 90 % purity (1,913 people) and 4 purer ones (94); joined by their headlines (a join
    since deleted), such pieces made items of purity 0.2–0.6 in the top 30 (100,000: "建议加大职业教育投入", 401
    people, 0.24)."""
    B = V.astype(bool).astype(np.int32).tocsr()
    n = np.asarray(B.sum(axis=1)).ravel()
    S = (B @ B.T).tocoo()
    more = n[S.col] - n[S.row]
    holds = (S.data == n[S.row]) & (more >= 1) & (more <= _OBJECT_WORDS)
    return (n >= 2) & (np.bincount(S.row[holds], minlength=len(n)) >= 2)


def _suggestion_table(records: pd.DataFrame, claims: pd.DataFrame, model, *, min_people: int, n_suggestions: int,
                      executor, spread: pd.DataFrame | None, writers, worded: dict | None = None,
                      tallied: dict | None = None) -> tuple[pd.DataFrame, np.ndarray, pd.Index, pd.DataFrame, dict, dict]:
    """:func:`suggestion_table` once, and what a second pass reads again: the suggestions listed (clusters, in
    rank order), the spread of their asks, their wording and what is counted of their members by cluster.
    ``worded``, ``tallied``: those of suggestions known already (by cluster, their members unchanged), not
    worded or counted again."""
    n = len(records)
    main = np.full(n, None, dtype=object)
    got = claims[claims["cluster"] >= 0]
    if got.empty:
        return _empty(), main, pd.Index([]), pd.DataFrame(), {}, {}
    # Each (suggestion, record) pair once, on one integer key rather than a two-column drop_duplicates.
    cluster, rows = got["cluster"].to_numpy(), got["record"].to_numpy()
    once = ~pd.Series(cluster.astype(np.int64) * n + rows).duplicated().to_numpy()
    cluster, rows = cluster[once], rows[once]
    found = writers() if writers is not None else record_writers(records)
    user, voice, copy, likes = found["user"], found["voice"], found["copy"], found["likes"]
    stats = member_counts(cluster, {"n_users": user[rows], "voices": voice[rows], "dups": copy[rows]}, likes[rows],
                          voice[rows])[["n_users", "voices", "messages", "dups", "likes"]]
    stats["people"] = stats[["n_users", "voices"]].min(axis=1)
    m = pd.DataFrame({"cluster": cluster, "record": rows})
    # Kept when raised by ``min_people`` distinct users, even if they all signed one form letter: the letter
    # is listed (ranked as one voice, its size in ``campaigns``), never silently dropped.
    stats = stats[stats["n_users"] >= min_people]
    stats = stats[_raised_first(got, stats["voices"], voice) >= FIRST_SHARE]
    stats = stats.assign(_c=stats.index, alike=_alike(stats["people"], spread)).sort_values(
        ["alike", "people", "likes", "messages", "_c"], ascending=[False, False, False, False, True], kind="stable")
    stats = stats.head(n_suggestions)
    if stats.empty:
        return _empty(), main, pd.Index([]), pd.DataFrame(), {}, {}
    known_alike = _alike_known(stats.index, spread)
    sid = {c: f"G{r:04d}" for r, c in enumerate(stats.index, 1)}

    # Main suggestion of a record: its title's when kept, else its first kept claim's.
    kept = got[got["cluster"].isin(stats.index)]
    record, first = _first_claims(kept)
    label = np.full(int(stats.index.max()) + 1, None, dtype=object)
    label[stats.index.to_numpy()] = list(sid.values())
    main[record[first]] = label[kept["cluster"].to_numpy()[first]]

    m = m[m["cluster"].isin(stats.index)]
    time = pd.to_datetime(records["time"], errors="coerce") if "time" in records.columns \
        else pd.Series(pd.NaT, index=records.index)
    # Place columns as stored (an Arrow column stays one), read only at the rows taken: copying every record's
    # strings into Python objects was a second at a million records.
    place, district = (records[c] if c in records.columns else pd.Series(None, index=records.index, dtype=object)
                       for c in ("place", "district"))
    place_key = records["place_key"] if "place_key" in records.columns else place
    dept, dept_names = pd.factorize(records["department"]) if "department" in records.columns else (None, None)
    conf = (pd.to_numeric(records["department_confidence"], errors="coerce").to_numpy()
            if "department_confidence" in records.columns else None)
    campaign = records["campaign_id"].to_numpy() if "campaign_id" in records.columns else None
    # The members read of each suggestion, with the places their records name: the spread of their asks is
    # computed by a worker (idle until the wording is sent) while this process goes on.
    members = member_claims(kept)
    at = members["record"].to_numpy()
    named = members.assign(place=place.iloc[at].to_numpy() if "place" in records.columns else None,
                           place_key=place_key.iloc[at].to_numpy() if "place_key" in records.columns else None)
    known = spread if spread is not None else ask_spread(named.iloc[:0], model)
    named = named[~named["cluster"].isin(known.index)]
    spread = executor.submit(partial(ask_spread, model=model), named) if executor is not None else None

    # The most central claims of each kept suggestion, found by one sort rather than one per suggestion.
    # Sorted and deduplicated on codes, and only the candidates taken: not every kept claim's columns copied
    # twice and its text hashed as a Python string (seconds and hundreds of MB at a million records).
    cluster = kept["cluster"].to_numpy()
    order = _by_cluster_then_score(cluster, kept["score"].to_numpy())
    text = pd.factorize(kept["text"])[0]
    order = order[~pd.Series(cluster[order].astype(np.int64) * (int(text.max(initial=0)) + 1)
                             + text[order]).duplicated().to_numpy()]
    order = order[pd.Series(cluster[order]).groupby(cluster[order], sort=False).cumcount().to_numpy() < _CANDIDATES]
    cand = kept.iloc[order]
    # What the wording reads of each candidate; its words, centrality, stray words and the places it names are
    # found with the wording (:func:`.digest_wording._read_candidates`), in the workers: here they were the table's serial part.
    cols = {k: cand[k].to_numpy() for k in ("cluster", "kind", "is_title", "score", "record")}
    cols["text"] = np.asarray(cand["text"].tolist(), dtype=object)
    cols["record_key"] = place_key.iloc[cols["record"]].to_numpy()
    bounds = _bounds(cols["cluster"])
    # Each suggestion's members read (their claims in it), for the share of them that writes each word.
    by = members.sort_values("cluster", kind="stable")
    by_record, by_text, by_bounds = by["record"].to_numpy(), by["text"].to_numpy(), _bounds(by["cluster"].to_numpy())
    by_question = (by["kind"].astype(str).to_numpy() == "question") if "kind" in by.columns else np.zeros(len(by), bool)
    m = m.iloc[np.argsort(m["cluster"].to_numpy().astype(np.int64) * n + m["record"].to_numpy())]  # each pair once
    member_rows, member_bounds = m["record"].to_numpy(), _bounds(m["cluster"].to_numpy())
    t_ns = time.to_numpy(dtype="datetime64[ns]")

    # The wording of each suggestion (headline, description, quotes: most of the table's cost) is one task per
    # suggestion, independent of the others: computed in the workers when there are any, while this process
    # counts the rest. The tasks go in blocks of consecutive ranks, each sent as soon as it is built, so that
    # the workers word the first blocks while this process builds and pickles the next (built whole and then
    # sent, the workers idled through both); the largest suggestions rank first and go first. What a block reads
    # of the records (its members' openings and places, its candidates' message ids) is taken for the block
    # alone: taken for all suggestions before the first block, the workers idled through those takes too.
    counts = {k: stats[k].to_numpy().tolist() for k in ("people", "n_users", "messages", "dups", "voices", "likes",
                                                         "alike")}
    # The message ids of the candidates only (each quote names its message): every record's id as a string was
    # a second of this process at a million records.
    cand_id = records["id"].iloc[cols["record"]].astype(str).tolist()
    blocks = 1 if executor is None else _BLOCKS_PER_WORKER * max(getattr(executor, "workers", 1), 1)
    order = stats.index.tolist()
    size = max(1, -(-len(order) // blocks))
    listed, parts, texts = [], [], dict(worded or {})
    for b in range(0, len(order), size):
        block = order[b:b + size]
        # Per suggestion to word, its members counted once per person (``voiced``, whose places are counted) and
        # those read (``read``, whose openings are read): their texts and places are taken for the block at once.
        # A suggestion worded in an earlier pass (``texts``) has its members read no more: in the second and third
        # passes most of them are, and their takes were most of those passes' loop.
        read, voiced, read_at, words, ranks = [], [], [], [], []
        for i, c in enumerate(block, b):
            lo, hi = member_bounds[c]
            r = member_rows[lo:hi]
            t = t_ns[r]
            t = t[~np.isnat(t)]
            listed.append((c, pd.Timestamp(t.min()) if len(t) else pd.NaT,
                           pd.Timestamp(t.max()) if len(t) else pd.NaT))
            if c in texts:
                continue
            # Whose place it is, counted per person: one user's repeats and re-posts of one text are one voice,
            # not a majority for their estate.
            once = r[_firsts(user[r]) & _firsts(copy[r])]
            at = np.linspace(0, len(once) - 1, min(len(once), _MEMBER_SAMPLE)).astype(int)
            words.append(c)
            ranks.append(i)
            voiced.append(once)
            read.append(once[at])
            read_at.append(at)
        if not words:
            continue
        # The texts read, taken and cut at once in Arrow: not every record's text converted for a few hundred of
        # them per suggestion, nor each one whole for its first characters.
        heads = pc.utf8_slice_codeunits(pc.fill_null(_texts_at(records["text"], np.concatenate(read)), ""), 0,
                                        HEAD_CHARS).to_pylist()
        head_end = np.cumsum([len(x) for x in read]).tolist()
        # The places of the block's voices, taken for the block at once and chunk by chunk: a take per suggestion
        # from an Arrow column joined its chunks each time (most of the table's serial work at a million records).
        taken = np.concatenate(voiced)
        keys, names = _values_at(place_key, taken), _values_at(place, taken)
        voiced_end = np.cumsum([len(x) for x in voiced]).tolist()
        tasks = []
        for j, (c, i) in enumerate(zip(words, ranks, strict=True)):
            clo, chi = bounds[c]
            cands = {k: v[clo:chi] for k, v in cols.items()}
            mlo, mhi = by_bounds[c]
            end, vend = head_end[j], voiced_end[j]
            tasks.append({"cands": cands, "members": (by_record[mlo:mhi], by_text[mlo:mhi]), "read_at": read_at[j],
                          "questions": _share_of(by_record[mlo:mhi], by_question[mlo:mhi]),
                          "people": int(counts["people"][i]), "first_time": listed[i][1], "last_time": listed[i][2],
                          "ids": dict(zip(cands["record"].tolist(), cand_id[clo:chi], strict=True)),
                          "heads": heads[end - len(read[j]):end],
                          "keys": keys[vend - len(voiced[j]):vend], "names": names[vend - len(voiced[j]):vend]})
        if executor is not None:
            parts.append((words, executor.submit(partial(suggestion_texts, model=model), tasks)))
        else:
            texts.update(zip(words, suggestion_texts(tasks, model), strict=True))

    coherence = kept.groupby("cluster")["score"].mean()
    spread = pd.concat([known, spread.result() if spread is not None else ask_spread(named, model)])
    # What is counted of the members, for all suggestions at once (:mod:`.digest_members`), but those counted in
    # an earlier pass (``tallied``): their members are the same, and each count reads its suggestion's alone. In
    # the second and third passes most suggestions were counted again for the few joined.
    member_cluster = m["cluster"].to_numpy()
    tallied = {c: tallied[c] for c in stats.index.tolist() if c in tallied} if tallied else {}
    fresh = ~np.isin(member_cluster, np.fromiter(tallied, np.int64, count=len(tallied)))
    if fresh.any():
        member_cluster, rows = member_cluster[fresh], member_rows[fresh]
        local = t_ns if time.dt.tz is None else time.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
        weeks = weekly(member_cluster, local[rows])  # weeks of the writer's calendar, as isocalendar reads them
        places = tops(coded_names(place), member_cluster, rows)
        districts = tops(coded_names(district), member_cluster, rows)
        owners = departments(dept, dept_names, conf, member_cluster, rows)
        among = campaigns(campaign, member_cluster, rows)
        member_ids = joined_ids(records["id"], member_cluster, rows)
        tallied.update({c: (places[c], districts[c], among[c], weeks.get(c, ""), owners[c], member_ids[c])
                        for c in np.unique(member_cluster).tolist()})
    out, topics = [], []
    for i, (c, first_time, last_time) in enumerate(listed):
        places, districts, among, weeks, owners, member_ids = tallied[c]
        rec = {
            "rank": i + 1, "suggestion_id": sid[c], "headline": "", "description": "",
            "people": int(counts["people"][i]), "n_users": int(counts["n_users"][i]),
            "messages": int(counts["messages"][i]), "reposts": int(counts["messages"][i] - counts["dups"][i]),
            "voices": int(counts["voices"][i]), "campaigns": among, "likes": int(counts["likes"][i]),
            "places": places, "districts": districts, "first_time": first_time,
            "last_time": last_time, "weekly": weeks,
        }
        rec.update(owners)
        rec["coherence"] = round(float(coherence[c]), 3)
        rec["ask_spread"] = round(float(spread["ask_spread"].get(c, 0.0)), 3)
        # mixed: its asks look apart, unless its writers were grouped by their asks and all ask one thing (one
        # story told from different circumstances, :func:`.digest._one_story`): the flag says what the count says
        rec["mixed"] = bool(rec["ask_spread"] >= MIXED_SHARE) and not (known_alike[i] and counts["alike"][i] >= rec["people"])
        topics.append(str(spread["topic"].get(c, "")) if rec["mixed"] else "")
        rec["member_ids"] = member_ids
        out.append(rec)
    for words, part in parts:
        texts.update(zip(words, part.result(), strict=True))
    # what a set of questions left whole was counted (:func:`.digest.split_mixed`)
    asked, questions, matter, partly = (spread[c].reindex(stats.index).fillna(0).to_numpy() if c in spread.columns
                                        else np.zeros(len(stats)) for c in ("shared", "questions", "matter", "partly"))
    for i, rec in enumerate(out):
        headline, description, quotes, spread_over = texts[stats.index[i]]
        # Different asks held by one topic are shown as what they are, not as one member's ask, and counted:
        # how many of the people ask one same thing. When most do, the headline (what most members write) is
        # theirs; the count says the rest ask other things.
        alike, people = counts["alike"][i], rec["people"]
        several = rec["mixed"] and (not known_alike[i] or 2 * alike <= people)
        rec["headline"] = (f"关于{topics[i]}的多个问题" if topics[i] and several
                           else _several(headline) if several and known_alike[i] and headline else headline)
        counted = rec["mixed"] and alike < people
        if spread_over is not None:
            # one kind of problem at many places says so first, with the places; counted when its members ask
            # different things there (垃圾: sorting, a landfill, burning), not when they ask one (night works at
            # twelve sites): the line stands for all of them when two thirds or more ask one thing
            most = alike if counted else int(partly[i]) if 0 < 3 * partly[i] < 2 * people else None
            rec["description"] = places_line(people, spread_over, most) + description
        elif counted or set_of_questions(people, asked[i], questions[i], bool(matter[i])):
            # a set of questions the flag calls one ask (its members share the words of its matter: 退休 人员) is
            # counted as a mixed one is, when most of its people ask other things than its largest group
            most = alike if counted else int(asked[i])
            rec["description"] = f"{people}人所问不尽相同，最多{most}人问同一件事。{description}"
        else:
            rec["description"] = description
        for j in range(5):
            rec[f"quote_{j + 1}"] = quotes[j] if j < len(quotes) else ""
    return pd.DataFrame(out, columns=SUGGESTION_COLUMNS), main, stats.index, spread, texts, tallied


def _first_claims(claims: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The ``record`` column of ``claims`` and the positions of each record's first claim: its title, else its
    first claim in the text."""
    record = claims["record"].to_numpy()
    order = np.lexsort((claims["pos"].to_numpy(), ~claims["is_title"].to_numpy(dtype=bool), record))
    return record, order[np.diff(record[order], prepend=-1) != 0]


def _raised_first(got: pd.DataFrame, voices: pd.Series, voice: np.ndarray) -> pd.Series:
    """Per suggestion (the index of ``voices``, its distinct voices), the share of its voices (``voice`` of each
    record: copies and a campaign's letters are one) with a message whose first claim among those suggestions
    (:func:`_first_claims`: the title's, else the first ask's) is in it.

    Why: a sentence people add to asks of every kind — a reason, a detail, a sign-off ("希望能够统筹考虑、分步
    实施", "期待早日落实", "去年我们曾向…反映过，但至今没有解决") — is clustered on its own once enough messages
    carry it, and was listed as a suggestion of hundreds asking nothing, at the top of the list. It is nobody's
    own ask: nobody writes it first. An ask some raise first is one (a side ask others add to theirs); counted
    by voices, so a form letter that adds it to its own ask, hundreds of copies, is one voice, not hundreds."""
    inside = got[got["cluster"].isin(voices.index)]
    record, first = _first_claims(inside)
    code = voices.index.get_indexer(inside["cluster"].to_numpy()[first])
    return distinct_per_group(code, voice[record[first]], len(voices)) / voices


_SEVERAL = "多个问题，如："


def _several(headline: str) -> str:
    """The headline of a mixed suggestion with no topic to name it: "多个问题，如：" before the data's headline,
    clipped at a clause end so that the whole stays within ``HEADLINE_CHARS`` (else its first clause, clipped
    hard: the prefix ran up to seven characters over before)."""
    room = HEADLINE_CHARS - len(_SEVERAL)
    example = clip_sentence(headline, room) or CLAUSE_END.split(headline)[0][:room]
    return _SEVERAL + example


def _alike(people: pd.Series, spread: pd.DataFrame | None) -> pd.Series:
    """Per suggestion (index of ``people``), the people who ask one same thing, what suggestions are ranked by:
    ``people``, but for a suggestion flagged mixed whose members were grouped by their asks
    (:func:`.digest.split_mixed`, column ``shared``), the most of them in one group. Seven different questions
    about 医保 are seven people, but not seven people asking one thing: a shared ask of five goes first."""
    if spread is None or "shared" not in spread.columns:
        return people
    known = spread.reindex(people.index)
    most = known["shared"].where(known["ask_spread"] >= MIXED_SHARE)
    return people.where(most.isna(), np.minimum(people, most.fillna(0)).astype(people.dtype))


def _alike_known(index: pd.Index, spread: pd.DataFrame | None) -> list[bool]:
    """Per suggestion of ``index``, whether its members were grouped by their asks (:func:`_alike`)."""
    if spread is None or "shared" not in spread.columns:
        return [False] * len(index)
    return spread["shared"].reindex(index).notna().tolist()


def _by_cluster_then_score(cluster: np.ndarray, score: np.ndarray) -> np.ndarray:
    """The order of ``np.lexsort((-score, cluster))`` (by cluster, then score descending, ties in the given
    order), as two stable sorts: the cluster's on 16-bit integers when they fit, which numpy sorts by radix
    (the lexsort was a second of the table's serial work at a million records)."""
    order = np.argsort(-score, kind="stable")
    small = cluster.min(initial=0) >= 0 and cluster.max(initial=0) < np.iinfo(np.int16).max
    return order[np.argsort(cluster[order].astype(np.int16) if small else cluster[order], kind="stable")]


def _texts_at(text: pd.Series, rows: np.ndarray) -> pa.Array:
    """``text``'s values at ``rows`` as Arrow strings: an Arrow column's taken chunk by chunk
    (:func:`~minsheng.engine.dedup.take_rows`; ``iloc`` joined the million texts' 41 chunks first, 0.2 CPU-s for the
    200,000 texts read, this process alone), any other column through ``astype(str)`` as before."""
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        return take_rows(pa.chunked_array(pa.array(text.array)), rows)
    return pa.array(text.iloc[rows].astype(str))


def _values_at(column: pd.Series, rows: np.ndarray) -> list:
    """``column``'s values at ``rows`` as Python objects (a missing one None, or as ``tolist`` gives it): an Arrow
    column taken chunk by chunk (:func:`~minsheng.engine.dedup.take_rows`), since its ``iloc`` joins all its
    chunks first, and the table takes a few rows of it per block of suggestions."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        return take_rows(pa.chunked_array(pa.array(column.array)), rows).to_pylist()
    return column.iloc[rows].tolist()


def _firsts(values: np.ndarray) -> np.ndarray:
    """Where each value occurs first (``~pd.Series(values).duplicated()``, without a Series per suggestion)."""
    first = np.zeros(len(values), dtype=bool)
    first[np.unique(values, return_index=True)[1]] = True
    return first


def _share_of(record: np.ndarray, flag: np.ndarray) -> float:
    """The share of the distinct ``record`` values with ``flag`` on one of their rows (members that ask a question)."""
    return len(np.unique(record[flag])) / max(len(np.unique(record)), 1)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_EMPTY.get(c, "string")) for c in SUGGESTION_COLUMNS})


def _bounds(sorted_keys: np.ndarray) -> dict:
    """Start and end of each run of equal keys in a sorted array."""
    keys, start = np.unique(sorted_keys, return_index=True)
    end = np.append(start[1:], len(sorted_keys))
    return {k: (a, b) for k, a, b in zip(keys.tolist(), start.tolist(), end.tolist(), strict=True)}
