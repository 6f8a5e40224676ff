"""The member figures of the suggestions table, computed for all suggestions at once, against the per-suggestion
reading they replace (:mod:`minsheng.engine.digest_members`)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from minsheng.engine import digest_members as dm


def test_iso_weeks_are_pandas_isocalendar_across_year_ends():
    """Late December can be week 1 of the next ISO year and early January week 53 of the last one."""
    days = pd.Series(pd.to_datetime(["2019-12-30", "2021-01-03", "2020-12-31", "2019-02-11 23:59", None, "2024-06-30"], format="mixed"))
    iso = days.dt.isocalendar()
    expected = np.where(days.notna(), iso["year"].fillna(0).astype(int) * 100 + iso["week"].fillna(0).astype(int), -1)
    assert dm.iso_weeks(days.to_numpy(dtype="datetime64[ns]")).tolist() == expected.tolist()
    assert dm.iso_weeks(days.to_numpy(dtype="datetime64[ns]"))[:2].tolist() == [202001, 202053]


def test_weekly_counts_each_suggestions_members_per_week_in_order():
    time = pd.to_datetime(["2019-02-18", "2019-02-11", "2019-02-12", None, "2019-02-11"]).to_numpy("datetime64[ns]")
    got = dm.weekly(np.array([1, 1, 1, 1, 7]), time)
    assert got == {1: "2019-W07:2 2019-W08:1", 7: "2019-W07:1"}


def test_tops_count_names_with_ties_in_order_of_first_appearance():
    place = np.array(["乙", "甲", "乙", "甲", "丙", None, "", "丁"], dtype=object)
    cluster, rows = np.array([2, 2, 2, 2, 2, 2, 2, 5, 5]), np.array([0, 1, 2, 3, 4, 5, 6, 5, 7])
    got = dm.tops(dm.coded_names(place), cluster, rows)
    assert got == {2: "乙(2)、甲(2)、丙(1)", 5: "丁(1)"}
    rng = np.random.default_rng(3)
    place = rng.choice(np.array(["a", "b", "c", "d", "e", None], dtype=object), 500)
    cluster = np.sort(rng.integers(0, 40, 2000))
    rows = rng.integers(0, 500, 2000)
    got = dm.tops(dm.coded_names(place), cluster, rows)
    for c in np.unique(cluster).tolist():
        counts = Counter(p for p in place[rows[cluster == c]] if p)  # most_common keeps first-seen order on ties
        assert got[c] == "、".join(f"{p}({n})" for p, n in counts.most_common(3))


def test_departments_confidence_is_the_mean_of_the_tied_members():
    names = pd.Index(["甲局", "乙局"])
    dept = np.array([0, 1, 0, 1, -1])
    conf = np.array([0.25, 0.5, np.nan, 0.125, 0.9])
    got = dm.departments(dept, names, conf, np.array([0, 0, 0, 0, 0, 3]), np.array([0, 1, 2, 3, 4, 4]))
    assert got[0]["department"] == "甲局、乙局" and got[0]["department_share"] == 0.4
    assert got[0]["department_confidence"] == round((0.25 + 0.5 + 0.125) / 3, 3)
    assert got[3]["department"] == "" and np.isnan(got[3]["department_share"])
    rng = np.random.default_rng(5)
    conf = rng.random(300)
    conf[rng.random(300) < 0.1] = np.nan
    dept = rng.integers(-1, 4, 300)
    cluster = np.sort(rng.integers(0, 30, 3000))
    rows = rng.integers(0, 300, 3000)
    got = dm.departments(dept, pd.Index(list("ABCD")), conf, cluster, rows)
    for c in np.unique(cluster).tolist():
        codes, known = dept[rows[cluster == c]], conf[rows[cluster == c]]
        counts = np.bincount(codes[codes >= 0])
        tied = np.flatnonzero(counts == counts.max())
        assert got[c]["department"] == "、".join("ABCD"[t] for t in tied)
        assert got[c]["department_confidence"] == round(float(np.nanmean(known[np.isin(codes, tied)])), 3)


def test_campaigns_list_each_campaign_once_with_its_whole_size():
    campaign = np.array(["C2", None, "C1", "C2", "", "C2"], dtype=object)
    got = dm.campaigns(campaign, np.array([0, 0, 0, 0, 6]), np.array([3, 0, 2, 1, 4]))
    assert got == {0: "C1×1; C2×3", 6: ""}
    assert dm.campaigns(None, np.array([0]), np.array([0])) == {0: ""}


def test_joined_ids_keep_the_members_order():
    ids = pd.Series(["m1", "m2", "m3", "m4"])
    assert dm.joined_ids(ids, np.array([1, 1, 1, 8]), np.array([2, 0, 3, 1])) == {1: "m3;m1;m4", 8: "m2"}
    assert dm.joined_ids(pd.Series([10, 20]), np.array([0, 0]), np.array([1, 0])) == {0: "20;10"}


def test_member_counts_are_the_groupby_of_the_members():
    """Distinct users, voices and copies, messages and the likes of each voice's most liked member, per
    suggestion: the same frame (values, int64 dtypes, ascending index) as the pandas groupby they replace,
    with negative codes (a record of no user is one person of its own) and with and without likes."""
    rng = np.random.default_rng(7)
    n = 5_000
    cluster = rng.choice([3, 11, 12, 40, 977], n)
    user = rng.integers(-30, 60, n)
    voice, dup = rng.integers(0, 25, n), rng.integers(-5, 5, n)
    for likes in (rng.integers(0, 9, n), np.zeros(n, dtype=np.int64)):
        m = pd.DataFrame({"cluster": cluster, "record": np.arange(n), "user": user, "voice": voice, "likes": likes,
                          "dup": dup})
        expected = m.groupby("cluster").agg(n_users=("user", "nunique"), voices=("voice", "nunique"),
                                            messages=("record", "size"), dups=("dup", "nunique"))
        expected["likes"] = m.groupby(["cluster", "voice"])["likes"].max().groupby("cluster").sum()
        got = dm.member_counts(cluster, {"n_users": user, "voices": voice, "dups": dup}, likes, voice)
        pd.testing.assert_frame_equal(got[list(expected.columns)], expected)


def test_record_writers_count_users_voices_and_copies_as_the_table_did():
    """Who wrote each record, found once for the mixed suggestions' split and the table: a record without a user is
    a user of its own, one without a duplicate group a copy of nothing, a campaign's letters one voice; the
    same codes the table computed itself (and the split's voices alike on any subset of records)."""
    from minsheng.engine.counts import voice_labels

    records = pd.DataFrame({
        "user": pd.Series(["a", "b", None, "a", None, "c"], dtype="str"),
        "dup_group": [0, 0, 1, -1, 2, 2],
        "campaign_id": [None, None, "C1", None, "C1", None],
        "likes": [1, None, 3, -2, 0, 5],
    })
    records["dup_group"] = records["dup_group"].where(records["dup_group"] >= 0)  # one record in no group
    got = dm.record_writers(records)
    assert got["user"].tolist() == [0, 1, -3, 0, -5, 2]
    assert got["copy"].tolist() == [0, 0, 1, -4, 2, 2]
    assert got["likes"].tolist() == [1, 0, 3, 0, 0, 5]
    assert (got["voice"] == voice_labels(records, np.arange(6))).all()
    rows = np.array([5, 2, 4, 0])
    _, subset = np.unique(voice_labels(records, rows), return_inverse=True)
    _, shared = np.unique(got["voice"][rows], return_inverse=True)
    assert (pd.factorize(subset)[0] == pd.factorize(shared)[0]).all()  # the same voices, numbered apart


def test_record_writers_without_users_or_groups_read_the_texts():
    records = pd.DataFrame({"text": ["你好，世界", "你好世界！", "别的"]})
    got = dm.record_writers(records)
    assert got["user"].tolist() == [-1, -2, -3] and got["copy"].tolist() == got["voice"].tolist() == [0, 0, 1]
    assert got["likes"].tolist() == [0, 0, 0]
