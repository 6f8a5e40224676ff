"""Headline and description form: what a planner reads alone (made-up examples of each kind of failure)."""

from __future__ import annotations

import numpy as np

from minsheng.engine.digest_eval import readable_headline, truncated
from minsheng.engine.digest_table import _description, _headline, clip_sentence, opens_badly, strip_opening


def _cands(rows):
    """Candidate claims as the suggestion table reads them: (text, kind, is_title, own) each."""
    text, kind, is_title, own = zip(*rows, strict=True)
    return {"text": np.array(text, dtype=object), "kind": np.array(kind, dtype=object),
            "is_title": np.array(is_title), "own": np.array(own, dtype=float)}


def test_openings_are_stripped():
    assert strip_opening("2、能否延长图书馆周末开放时间") == "能否延长图书馆周末开放时间"
    assert strip_opening("您好，请问青松路的路灯何时修复？") == "请问青松路的路灯何时修复？"
    assert strip_opening("尊敬的李局长：请整治河西菜市场占道经营") == "请整治河西菜市场占道经营"
    assert strip_opening("（二）增设社区老年食堂") == "增设社区老年食堂"
    assert strip_opening("③取消停车场夜间收费") == "取消停车场夜间收费"
    assert strip_opening("标题：请加装电梯") == "请加装电梯"
    assert strip_opening("3号线何时通车") == "3号线何时通车"  # a number that is part of the sentence stays
    assert strip_opening("2.5米宽的人行道太窄") == "2.5米宽的人行道太窄"


def test_headline_drops_greeting_and_list_number():
    got = _headline(_cands([("1、能否增加早高峰公交班次", "ask", True, 0.6)]), None)
    assert got == "能否增加早高峰公交班次"
    got = _headline(_cands([("你好，请问桂花园小区的垃圾站何时清运？", "question", True, 0.6)]), None)
    assert got == "请问桂花园小区的垃圾站何时清运？"


def test_headline_prefers_the_ask_over_context_and_first_person():
    cands = _cands([
        ("城东的老街改造就快全部完工了", "context", True, 0.62),
        ("我是青松小区的一名业主", "context", False, 0.61),
        ("城东老街改造还要拖到什么时候？", "question", True, 0.55),
    ])
    assert _headline(cands, None) == "城东老街改造还要拖到什么时候？"
    cands = _cands([("我是城南花园业主，小区门口的排水沟堵塞严重", "problem", True, 0.62),
                    ("城南花园门口排水沟堵塞，请尽快疏通", "ask", True, 0.58)])
    assert _headline(cands, None) == "城南花园门口排水沟堵塞，请尽快疏通"


def test_headline_is_not_cut_after_a_fragment():
    long = "某集团要求员工购买湖畔花园的住房时必须另外购买一个十五万元的地下车位,不买车位,就不能买房"
    assert clip_sentence(long) == "某集团要求员工购买湖畔花园的住房时必须另外购买一个十五万元的地下车位"
    # a whole sentence nearly as central wins over a clipped one
    cands = _cands([(long, "problem", True, 0.60), ("湖畔花园捆绑销售地下车位", "problem", True, 0.58)])
    assert _headline(cands, None) == "湖畔花园捆绑销售地下车位"


def test_description_skips_sentences_that_need_their_predecessor():
    cands = _cands([
        ("所以请相关部门尽快处理停车难问题。", "ask", False, 0.7),
        ("2.2018年3月业主要求开发商整改。", "ask", False, 0.69),
        ("标题：请整改停车场您好。", "ask", False, 0.68),
        ("请在文化路增设临时停车位。", "ask", False, 0.5),
        ("但是车位太少导致车辆乱停严重。", "problem", False, 0.6),
        ("车位太少导致消防通道经常被堵。", "problem", False, 0.4),
    ])
    assert _description(cands, "文化路停车难") == "请在文化路增设临时停车位。车位太少导致消防通道经常被堵。"


def test_readable_headline_catches_form_failures():
    assert not readable_headline("1、能否增加早高峰公交班次")
    assert not readable_headline("您好，请问桂花园小区的垃圾站何时清运")
    assert not readable_headline("标题：请加装电梯")
    assert not readable_headline("某集团捆绑销售湖畔花园的地下车位,不买车位")
    assert not readable_headline("关于加快建设城东的")
    assert truncated("要求开发商退还多收的")
    assert not truncated("小区门口排水沟堵塞，请尽快疏通")
    assert readable_headline("金桂路万达·滨江苑工地夜间施工扰民")  # one · inside a name
    assert not readable_headline("教育·停车·物业")
    assert opens_badly("（三）整治占道经营") and not opens_badly("整治占道经营")


def test_hot_issue_description_tie_goes_to_the_ask_then_likes():
    import pandas as pd
    from scipy import sparse

    from minsheng.engine.hot_issues import _describe

    X = sparse.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]))  # all equally central
    vectors = (X, None, np.array([0, 1, 2]), None)
    texts = np.array(["已收到医院开具的发票，感谢领导\n发票已收到。",
                      "盼望泉水镇建一个卫生服务中心\n希望尽快在泉水镇设立卫生服务中心。",
                      "泉水镇看病太远\n老人看病要坐一个小时车。"], dtype=object)
    t = pd.Timestamp("2020-01-05")
    got = _describe("", texts, np.array([5, 1, 9]), np.arange(3), vectors, 3, t, t)
    assert got.startswith("盼望泉水镇建一个卫生服务中心")
    got = _describe("", texts[[0, 2]], np.array([5, 9]), np.arange(2), vectors, 2, t, t)
    assert got.startswith("泉水镇看病太远")  # no ask in either: the most liked
