"""Labels read off department replies (issue 12 item 5): the unit a reply names, mapped to a category."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from minsheng.engine.routing._replies import (
    LABELLED_CATEGORIES,
    UNIT_PATTERNS,
    reply_categories,
    reply_labels,
)


@pytest.mark.parametrize(("reply", "label"), [
    ("网友您好！您的留言已收悉，A市教育局高度重视，现答复如下", "教育文体"),
    ("A3区人力资源和社会保障局调查核实，该公司已补发工资", "劳动和社会保障"),
    ("经市住建局核实，该小区的房屋质量问题已责成开发商整改", "城乡建设"),
    ("A7县城管局已对占道经营的商贩进行了劝离", "城乡建设"),
    ("A市生态环境局执法人员现场检查，该厂已停产整改", "环境保护"),
    ("市卫健委已责成该医院核查收费", "卫生计生"),
    ("B市市场监督管理局对该超市进行了检查", "商贸旅游"),
    ("市交通运输局运管处已约谈该客运公司", "交通运输"),
    ("县教体局已通报批评该校有偿补课的老师", "教育文体"),
])
def test_a_reply_naming_one_categorys_units_labels_the_message(reply, label):
    assert reply_labels([reply]) == [label]


@pytest.mark.parametrize("reply", [
    "我局已调查处理，感谢您的监督",                       # a pronoun names no unit
    "市公安局与市教育局联合开展了校园周边整治",            # 公安 is 政法, outside the seven: a veto
    "A2区交警大队已在该路口增设信号灯",                    # 交通管理 is 政法 in taxonomy.csv, not 交通运输
    "市住建局和市教育局共同研究学校周边的道路",            # two of the seven
    "县文化旅游广电局已责成景区整改",                      # 文化旅游 serves two categories: not a 旅游局
    "市医疗保障局已将该药品纳入报销目录",                  # 医保 is split between two categories
    "A市环境卫生管理处已清运垃圾",                         # 环境卫生, not 卫生局
    "",
])
def test_no_label_without_exactly_one_of_the_seven(reply):
    assert reply_labels([reply]) == [None]


def test_units_outside_the_seven_are_only_vetoes():
    assert set(LABELLED_CATEGORIES) < set(UNIT_PATTERNS)
    assert reply_categories("市公安局已立案") == {"政法"}
    assert reply_labels([None]) == [None]  # an empty cell of the replies file


def test_the_hand_read_sample_is_what_the_map_says():
    """tests/data/reply_labels_read.csv holds 40 labels read by hand; the map must still give them."""
    data = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "teddy2020" / "messages_replied.csv"
    if not data.exists():
        pytest.skip("teddy2020 data not available")
    read = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "reply_labels_read.csv", dtype=str)
    replies = pd.read_csv(data, dtype=str).drop_duplicates("id").set_index("id")["reply"]
    assert reply_labels(replies.loc[read["id"]].tolist()) == read["reply_label"].tolist()
    assert read["verdict"].value_counts().to_dict() == {"right": 31, "wrong": 7, "ambiguous": 2}
