"""Campaigns: people versus distinct arguments, template and additions."""

import pandas as pd

from minsheng.engine.campaigns import detect_campaigns, personal_addition, recover_template, split_sentences

TEMPLATE = "尊敬的领导：我们强烈要求保留老城区历史街区。大拆大建会毁掉城市记忆。请有关部门尽快重新论证方案。"


def campaign_frame(n_people=30, additions=("我家就住在附近。", "我父母在这里住了一辈子。")):
    rows = []
    for i in range(n_people):
        text = TEMPLATE.replace("尽快", "尽早") if i % 3 == 0 else TEMPLATE
        if i % 5 == 0:
            text = text + additions[i % len(additions)]
        rows.append({"id": str(i), "text": text, "user": f"U{i}",
                     "time": pd.Timestamp("2020-08-20 10:00") + pd.Timedelta(seconds=20 * i)})
    rows.append({"id": "solo", "text": "另一条普通建议。", "user": "U999", "time": pd.Timestamp("2020-08-21")})
    frame = pd.DataFrame(rows)
    frame["dup_group"] = [0] * n_people + [1]
    frame["dup_group_size"] = [n_people] * n_people + [1]
    frame["is_representative"] = [i == 1 for i in range(n_people)] + [True]
    return frame


def test_template_survives_synonym_swaps_and_additions_are_recovered():
    frame = campaign_frame()
    template = recover_template(frame["text"][:30].tolist(), TEMPLATE)
    assert "".join(template) == TEMPLATE
    assert personal_addition(TEMPLATE.replace("尽快", "尽早") + "我家就住在附近。", template) == "我家就住在附近。"


def test_the_template_sample_and_the_additions_split_each_text_once():
    """``sentences`` keeps each text's sentences for the next reader: the campaign's additions read the sample's
    texts again, split once."""
    texts = campaign_frame()["text"][:30].tolist()
    sentences: dict[str, list[str]] = {}
    template = recover_template(texts, TEMPLATE, sentences=sentences)
    assert set(sentences) == set(texts) and sentences[TEMPLATE] == split_sentences(TEMPLATE)
    sentences[TEMPLATE + "我家就住在附近。"] = ["这是已经分好的一句。"]  # read from the dict, not split again
    assert personal_addition(TEMPLATE + "我家就住在附近。", template, sentences=sentences) == "这是已经分好的一句。"


def test_campaigns_of_records_labelled_in_any_order_are_those_of_a_range_index():
    """The campaign's members are taken by position and written back by label: a frame whose index is not
    0..n-1 gets the same columns, row by row."""
    frame = campaign_frame()
    labelled = frame.set_axis(pd.Index(range(len(frame)))[::-1] * 7)
    cid, addition, table = detect_campaigns(frame, min_people=10)
    cid2, addition2, table2 = detect_campaigns(labelled, min_people=10)
    assert cid2.index.equals(labelled.index) and cid2.tolist() == cid.tolist()
    assert addition2.fillna("").tolist() == addition.fillna("").tolist() and table2.equals(table)


def test_people_versus_distinct_arguments():
    cid, addition, table = detect_campaigns(campaign_frame(), min_people=10)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["people"] == 30 and row["messages"] == 30
    assert row["distinct_arguments"] == 3  # the template plus two different personal additions
    assert row["burst_per_minute"] == 3
    assert cid.iloc[-1] is None and cid.iloc[0] == "C0001"
    assert addition.iloc[0] == "我家就住在附近。" and pd.isna(addition.iloc[1])


def test_one_person_posting_many_copies_is_not_a_campaign():
    frame = campaign_frame()
    frame.loc[frame["dup_group"] == 0, "user"] = "SAME"
    _, _, table = detect_campaigns(frame, min_people=10)
    assert table.empty


def short_ask_frame(minutes_apart: int, n_people: int = 40):
    """One short ask, word for word, from ``n_people`` people, ``minutes_apart`` minutes apart."""
    frame = pd.DataFrame({
        "id": [str(i) for i in range(n_people)],
        "text": ["建议延长产假，减轻年轻家庭的负担。"] * n_people,
        "user": [f"U{i}" for i in range(n_people)],
        "time": [pd.Timestamp("2020-08-16 08:00") + pd.Timedelta(minutes=minutes_apart * i) for i in range(n_people)],
    })
    frame["dup_group"], frame["dup_group_size"] = 0, n_people
    frame["is_representative"] = frame.index == 0
    return frame


def test_a_short_ask_many_people_share_over_days_is_opinion_not_a_campaign():
    cid, _, table = detect_campaigns(short_ask_frame(minutes_apart=300), min_people=10)
    assert table.empty and cid.isna().all()


def test_a_short_text_posted_by_many_accounts_within_the_hour_is_a_campaign():
    cid, _, table = detect_campaigns(short_ask_frame(minutes_apart=1), min_people=10)
    assert len(table) == 1 and table.loc[0, "people"] == 40 and cid.notna().all()
