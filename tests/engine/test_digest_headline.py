"""Headline and description form: what a planner reads alone (made-up examples of each kind of failure)."""

from __future__ import annotations

import numpy as np

from minsheng.engine.asks import topic_only, writer_asks
from minsheng.engine.commonness import Commonness, named_places
from minsheng.engine.digest_eval import readable_headline, truncated
from minsheng.engine.digest_wording import (
    _description,
    _kind_stands,
    _place_fit,
    _quotes,
    _summary,
    _unextracted_names,
    broken_start,
    generalise,
    phrase_label,
)
from minsheng.engine.digest_wording import _headline as _headline_at
from minsheng.engine.normalise import full_width_punctuation
from minsheng.engine.sentences import clip_sentence, opens_badly, strip_opening


def _cands(rows, records=None):
    """Candidate claims as the suggestion table reads them: (text, kind, is_title, own) each; one message each
    unless ``records`` says which."""
    text, kind, is_title, own = zip(*rows, strict=True)
    return {"text": np.array(text, dtype=object), "kind": np.array(kind, dtype=object),
            "is_title": np.array(is_title), "own": np.array(own, dtype=float),
            "record": np.arange(len(rows)) if records is None else np.asarray(records)}


def _headline(cands, codes=False):
    return _headline_at(cands, codes)[0]


def test_openings_are_stripped():
    assert strip_opening("2、能否延长图书馆周末开放时间") == "能否延长图书馆周末开放时间"
    assert strip_opening("您好，请问青松路的路灯何时修复？") == "请问青松路的路灯何时修复？"
    assert strip_opening("尊敬的李局长：请整治河西菜市场占道经营") == "请整治河西菜市场占道经营"
    assert strip_opening("（二）增设社区老年食堂") == "增设社区老年食堂"
    assert strip_opening("③取消停车场夜间收费") == "取消停车场夜间收费"
    assert strip_opening("标题：请加装电梯") == "请加装电梯"
    assert strip_opening("3号线何时通车") == "3号线何时通车"  # a number that is part of the sentence stays
    assert strip_opening("2.5米宽的人行道太窄") == "2.5米宽的人行道太窄"
    # an addressee alone, without 尊敬的 (a headline read 领导：请求政府有关部门…)
    assert strip_opening("领导：请求公平解决退休人员待遇问题") == "请求公平解决退休人员待遇问题"
    assert strip_opening("各位领导：货车限行区域是否调整？") == "货车限行区域是否调整？"
    assert strip_opening("陈局长：为什么还要交50块？") == "为什么还要交50块？"
    assert opens_badly("发改委领导：物业费是否备案？")
    assert strip_opening("局长说：明年修路") == "局长说：明年修路"  # what someone said is the sentence
    assert strip_opening("请领导重视：路灯不亮") == "请领导重视：路灯不亮"


def test_headline_drops_greeting_and_list_number():
    got = _headline(_cands([("1、能否增加早高峰公交班次", "ask", True, 0.6)]))
    assert got == "能否增加早高峰公交班次"
    got = _headline(_cands([("你好，请问桂花园小区的垃圾站何时清运？", "question", True, 0.6)]))
    assert got == "请问桂花园小区的垃圾站何时清运？"


def test_headline_passes_over_a_line_with_a_masked_detail():
    """A plate, room or phone masked in a line (楚M*****号车) is one writer's detail and reads as a hole."""
    got = _headline(_cands([("请问城管执法车楚M*****号车可以违法乱停乱放吗？", "question", True, 0.62),
                            ("城管执法车辆不应违法乱停乱放", "ask", True, 0.6)]))
    assert got == "城管执法车辆不应违法乱停乱放"


def test_headline_prefers_the_ask_over_context_and_first_person():
    cands = _cands([
        ("城东的老街改造就快全部完工了", "context", True, 0.62),
        ("我是青松小区的一名业主", "context", False, 0.61),
        ("城东老街改造还要拖到什么时候？", "question", True, 0.55),
    ])
    assert _headline(cands) == "城东老街改造还要拖到什么时候？"
    cands = _cands([("我是城南花园业主，小区门口的排水沟堵塞严重", "problem", True, 0.62),
                    ("城南花园门口排水沟堵塞，请尽快疏通", "ask", True, 0.58)])
    assert _headline(cands) == "城南花园门口排水沟堵塞，请尽快疏通"


def test_headline_is_not_cut_after_a_fragment():
    long = "某集团要求员工购买湖畔花园的住房时必须另外购买一个十五万元的地下车位,不买车位,就不能买房"
    assert clip_sentence(long) == "某集团要求员工购买湖畔花园的住房时必须另外购买一个十五万元的地下车位"
    # a whole sentence nearly as central wins over a clipped one
    cands = _cands([(long, "problem", True, 0.60), ("湖畔花园捆绑销售地下车位", "problem", True, 0.58)])
    assert _headline(cands) == "湖畔花园捆绑销售地下车位"


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

    from minsheng.engine.hot_issues.naming import _describe

    X = sparse.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]))  # all equally central
    texts = np.array(["已收到医院开具的发票，感谢领导\n发票已收到。",
                      "盼望泉水镇建一个卫生服务中心\n希望尽快在泉水镇设立卫生服务中心。",
                      "泉水镇看病太远\n老人看病要坐一个小时车。"], dtype=object)
    t = pd.Timestamp("2020-01-05")
    got = _describe("", texts, np.array([5, 1, 9]), X, 3, t, t)
    assert got.startswith("盼望泉水镇建一个卫生服务中心")
    got = _describe("", texts[[0, 2]], np.array([5, 9]), X[[0, 2]], 2, t, t)
    assert got.startswith("泉水镇看病太远")  # no ask in either: the most liked


def test_writer_asks_only_when_the_writer_asks():
    assert writer_asks("恳请教育局制止周六强制补课")
    assert writer_asks("小区停水三天，请尽快恢复供水")
    assert writer_asks("能否增加早高峰班次")
    assert writer_asks("望有关部门尽快处理")
    assert not writer_asks("学校要求学生周六补课")  # the school's demand, not the writer's
    assert not writer_asks("至今没有解决")
    assert not writer_asks("望新公司拖欠农民工工资")  # a name that starts with 望


def test_topic_only():
    assert topic_only("咨询住房公积金贷款问题")
    assert topic_only("关于地铁7号线的相关建议")
    assert topic_only("投诉保利香槟国际开发商")
    assert not topic_only("投诉丽发新城小区附近违建搅拌站噪音扰民")
    assert not topic_only("请尽快解决小区停水问题")


def test_headline_is_the_ask_not_the_topic_or_a_report():
    cands = _cands([("咨询城西住房公积金贷款问题", "question", True, 0.70),
                    ("能否允许商业贷款转为公积金贷款？", "question", False, 0.62)])
    assert _headline(cands) == "能否允许商业贷款转为公积金贷款？"
    cands = _cands([("关于公交12路的建议", "ask", True, 0.80), ("建议公交12路延长末班车时间", "ask", True, 0.70)])
    assert _headline(cands) == "建议公交12路延长末班车时间"
    # "要求" in a report is the school's; the writer's ask nearly as central wins
    cands = _cands([("学校要求学生周六补课", "ask", True, 0.66), ("恳请教育局制止周六强制补课", "ask", True, 0.60)])
    assert _headline(cands) == "恳请教育局制止周六强制补课"
    # a topic stays when nothing nearly as central asks anything
    cands = _cands([("咨询城西住房公积金贷款问题", "question", True, 0.80), ("公积金能贷多少？", "question", False, 0.3)])
    assert _headline(cands) == "咨询城西住房公积金贷款问题"


def _fit(cands, members):
    cands["place_name"], cands["place_named"] = named_places(list(cands["text"]))
    cands["record_key"] = np.full(len(cands["text"]), None, dtype=object)
    common = Commonness(np.asarray(members, dtype=object))
    cands.update(_place_fit(cands, common))
    return cands


def test_a_suggestion_of_many_places_is_generalised():
    rows = [("A3区青松中学违规补课收费", "problem", True, 0.64), ("A1区明德中学强制学生周六补课", "problem", True, 0.60)]
    members = ["A3区青松中学违规补课收费\n…", "A1区明德中学强制学生周六补课\n…", "A5区育才中学周末补课\n…"]
    assert _headline(_fit(_cands(rows), members), codes=True) == "中学违规补课收费"
    # the same sentence over a suggestion about that one school keeps its name (and its district code)
    members = ["A3区青松中学违规补课收费\n…", "青松中学又在周六补课\n…", "A3区青松中学寒假补课\n…"]
    assert _headline(_fit(_cands(rows), members)) == "A3区青松中学违规补课收费"
    # a name the sentence does not start with is never cut out of it (申奥美域 → 申小区): passed over instead
    rows = [("申奥美域小区麻将馆扰民", "problem", True, 0.85), ("住宅楼里开设麻将馆扰民严重", "problem", True, 0.50)]
    members = ["申奥美域小区麻将馆扰民\n…", "领东汇小区麻将馆扰民\n…", "泉塘小区麻将馆扰民\n…"]
    cands = _fit(_cands(rows), members)
    assert cands["other_place"][0] and cands["general"][0] is None
    assert _headline(cands, codes=True) == "住宅楼里开设麻将馆扰民严重"


def test_a_name_the_place_extractor_does_not_know_is_generalised_too():
    """Estates, companies and bus lines the extractor misses are names by their ending when few members write
    them; generic words before the ending (物业公司, 这个小区) are not names."""
    rows = [("西地省望新公司无良，无故拖欠农民工工资", "problem", True, 0.70),
            ("请督促施工单位尽快支付拖欠的农民工工资", "ask", False, 0.52)]
    members = ["西地省望新公司无良，无故拖欠农民工工资", "某项目拖欠农民工工资半年", "工地老板拖欠工资不给",
               "物业公司拖欠保安工资", "请督促施工单位尽快支付拖欠的农民工工资"]
    cands = _cands(rows)
    cands["place_name"] = cands["place_named"] = cands["record_key"] = np.full(2, None, dtype=object)
    cands.update(_place_fit(cands, Commonness(np.asarray(members, dtype=object))))
    assert _headline(cands, codes=True) == "公司无良，无故拖欠农民工工资"
    # a numbered line that one member of five writes is passed over for the ask all share
    rows = [("请增加276路运行线路或增加发车频率", "ask", True, 0.70), ("能否加强公交发车时间的准点性", "ask", False, 0.55)]
    members = ["请增加276路运行线路或增加发车频率", "205路等车太久", "418路发车不准时", "X112路班次太少",
               "能否加强公交发车时间的准点性"]
    cands = _cands(rows)
    cands["place_name"] = cands["place_named"] = cands["record_key"] = np.full(2, None, dtype=object)
    cands.update(_place_fit(cands, Commonness(np.asarray(members, dtype=object))))
    assert _headline(cands, codes=True) == "能否加强公交发车时间的准点性"
    # generic words before an ending are no name: the sentence is the suggestion's own
    common = Commonness(np.asarray(["这个小区物业公司乱收费", "物业公司乱收停车费", "请问物业公司能否涨价"], dtype=object))
    assert _unextracted_names("请问这个小区物业公司乱收费", common) == []
    # a numbered school is a name; 其中/集中 are words
    assert _unextracted_names("A6区二中强制学生暑假补课，其中高三集中补课", common) == ["2中"]


def test_district_codes_go_without_breaking_the_sentence():
    assert generalise("A市民可以在网上办理无犯罪记录证明吗？") == "市民可以在网上办理无犯罪记录证明吗？"
    assert generalise("建议政府取缔A市内所有经营性麻将馆") == "建议政府取缔市内所有经营性麻将馆"
    assert generalise("A1区长郡中学周六补课") == "长郡中学周六补课"
    assert generalise("户口迁移到A市的流程") == "户口迁移到A市的流程"  # the object of the sentence stays
    # a code owning what follows (…A市的…) inside the sentence stays; opening it, it goes
    assert generalise("咨询一下A8县的户口政策") == "咨询一下A8县的户口政策"
    assert generalise("A市的公交太挤") == "公交太挤"


def test_description_is_what_is_wanted_and_why_from_two_members():
    cands = _cands([
        ("本人情况：已婚，想买改善型住房。", "ask", False, 0.7),
        ("我是青松小区的一名业主，请领导关注。", "ask", False, 0.7),
        ("很头痛，天天如此。", "ask", False, 0.7),
        ("请政府关闭处理这个地方。", "ask", False, 0.7),
        ("恳请在早高峰增加12路公交的班次。", "ask", False, 0.6),
        ("车太少导致每天上班都要迟到。", "problem", False, 0.6),  # same message as the ask
        ("等车要四十分钟，严重影响上班。", "problem", False, 0.5),
        ("希望有关部门能看到这条帖子，帮忙解决！", "ask", False, 0.0),  # says nothing
    ], records=[0, 1, 2, 3, 4, 4, 5, 6])
    assert _description(cands, "12路公交班次太少") == "恳请在早高峰增加12路公交的班次。等车要四十分钟，严重影响上班。"


def test_quotes_cover_what_the_headline_does_not_say():
    import pandas as pd

    from minsheng.engine.digest import DigestModel

    texts = ["丽发新城搅拌站噪音扰民", "丽发新城附近搅拌站噪音严重扰民", "丽发新城小区旁搅拌站夜里噪音扰民",
             "搅拌站的扬尘把阳台都染白了", "这个搅拌站是否经过环评审批，是否合法", "丽发新城搅拌站噪音太大"]
    claims = pd.DataFrame({"text": texts, "title": texts, "is_title": True, "place_key": None,
                           "record": range(len(texts))})
    model = DigestModel(max_df=1.0).fit(claims)
    own = model.own_vectors(texts)
    cands = _cands([(t, "problem", True, 0.0) for t in texts])
    cands.update(own=np.array([0.9, 0.85, 0.8, 0.45, 0.4, 0.85]), score=np.array([0.9, 0.9, 0.85, 0.6, 0.6, 0.9]),
                 _row=np.arange(len(texts)))
    quotes = _quotes(cands, own, np.array([f"m{i}" for i in range(len(texts))], dtype=object), at=0, k=3)
    assert any("扬尘" in q for q in quotes) and any("环评" in q for q in quotes)
    assert not any(q.startswith("丽发新城搅拌站噪音扰民") for q in quotes)  # the headline's own sentence


def test_display_text_is_full_width():
    assert full_width_punctuation("请问3号线何时开通?早上7:10等车,人太多(尤其周一)") == \
        "请问3号线何时开通？早上7:10等车，人太多（尤其周一）"
    assert full_width_punctuation("共1,000元;网址http://x.cn/a?id=3") == "共1,000元；网址http://x.cn/a?id=3"
    label = phrase_label(["A市咨询公积金贷款问题\n…", "A市民可以用公积金贷款买二手房吗?\n…"], "公积金·贷款")
    assert label == "市民可以用公积金贷款买二手房吗？"  # not the topic, not "民可以…", full width


def test_headline_is_what_most_members_write_not_a_strays_side_question():
    """A stray's side question, as central by its words as the members' report and a question (which outranks
    a report), loses to the report most members write: a candidate loses by the words few members write."""
    cands = _cands([("针对不参与电梯出资的业主，出资人是否可以禁止对方使用电梯？", "question", False, 0.55),
                    ("电梯经常坏，上下楼很不方便", "problem", False, 0.50)])
    assert _headline(cands).startswith("针对")  # by centrality alone
    cands["stray"] = np.array([0.6, 0.0])  # 出资, 禁止, 使用: words one member of eight writes
    assert _headline(cands) == "电梯经常坏，上下楼很不方便"


def test_member_word_share_counts_members_not_words():
    """The share of a suggestion's member messages writing each word: a word a member repeats counts once."""
    import pandas as pd

    from minsheng.engine.digest import DigestModel, member_claims, member_word_share

    texts = ["电梯经常坏\n电梯电梯电梯", "电梯经常坏\n请维修", "电梯坏了\n出资人禁止使用", "小区停水\n请恢复供水",
             "小区停水\n停水三天"]
    claims = pd.DataFrame({"record": range(5), "text": texts, "title": [t.split("\n")[0] for t in texts],
                           "is_title": True, "place_key": None, "cluster": [0, 0, 0, 1, 1]})
    model = DigestModel(max_df=1.0, sample_size=10).fit(claims)
    share, row = member_word_share(member_claims(claims), model)
    lift = share[row[0]].toarray().ravel()
    assert lift[model.vocabulary_["电梯"]] == 1.0 and abs(lift[model.vocabulary_["经常"]] - 2 / 3) < 1e-6
    assert share[row[1]].toarray().ravel()[model.vocabulary_["电梯"]] == 0.0


def test_description_of_many_places_is_not_one_members_case():
    """In a suggestion about many sites, a sentence telling one member's case (a district, a date, a count of
    households) gives way to one that says what all of them want; about one place, the case is the point."""
    cands = _cands([
        ("2019年6月，A6区杏林小区旁工地半夜施工，300户居民严重影响休息。", "problem", False, 0.8),
        ("夜间施工噪音严重影响居民休息。", "problem", False, 0.6),
        ("希望有关部门查处夜间违规施工。", "ask", False, 0.6),
    ])
    assert _description(cands, "工地夜间施工扰民", many_places=True) == \
        "希望有关部门查处夜间违规施工。夜间施工噪音严重影响居民休息。"
    assert _description(cands, "工地夜间施工扰民").endswith("300户居民严重影响休息。")


def test_headline_is_not_one_writers_own_case():
    """A first-person case anywhere in the line ("为何我的…", "…处理我家…") and, over many places, one estate's
    count ("近百户") tell one writer's case: a sentence nearly as central that all members could write wins."""
    cands = _cands([("为何我的人才购房补贴申请不通过？", "question", True, 0.62),
                    ("人才购房补贴申请条件是什么？", "question", False, 0.55)])
    assert _headline(cands) == "人才购房补贴申请条件是什么？"
    cands = _cands([("现恳请领导督促物业公司处理我家房屋漏水问题", "ask", True, 0.62),
                    ("请督促开发商维修新房漏水", "ask", False, 0.55)])
    assert _headline(cands) == "请督促开发商维修新房漏水"
    cands = _cands([("小区近百户楼板开裂墙面开裂", "problem", True, 0.62),
                    ("新房墙面开裂，楼板渗水", "problem", False, 0.55)])
    assert _headline(cands, codes=True) == "新房墙面开裂，楼板渗水"
    assert _headline(cands) == "小区近百户楼板开裂墙面开裂"  # about that one estate, its count is the point
    # the runner-up must read alone too: no broken first word nor a phrase needing what came before
    cands = _cands([("污水管道施工，导致我家住房成危房", "problem", True, 0.62),
                    ("更重要的是，开挖可造成房屋墙体沉陷", "problem", False, 0.58),
                    ("污水管道施工造成沿线房屋开裂", "problem", False, 0.54)])
    assert _headline(cands) == "污水管道施工造成沿线房屋开裂"


def test_description_without_a_fitting_reason_is_shorter_not_one_estates_case():
    """Over many places, when the only reason given is one estate's numbers, the description is the ask alone."""
    cands = _cands([("希望供水部门保障小区正常供水。", "ask", False, 0.6),
                    ("1100户居民、5000余人已无水可用，严重影响生活。", "problem", False, 0.8)])
    assert _description(cands, "停水问题很严重", many_places=True) == "希望供水部门保障小区正常供水。"
    cands = _cands([("现恳请领导督促物业公司处理我家房屋漏水问题。", "ask", False, 0.7),
                    ("请有关部门督促开发商维修新房质量问题。", "ask", False, 0.6)])
    assert _description(cands, "新房质量不过关", many_places=True) == "请有关部门督促开发商维修新房质量问题。"


def test_headline_drops_a_list_number_after_a_colon():
    got = _headline(_cands([("建议：1增加左转车道，延长左转绿灯时间", "ask", True, 0.6)]))
    assert got == "建议：增加左转车道，延长左转绿灯时间"
    got = _headline(_cands([("诉求：（1）尽快退还全部学费", "ask", True, 0.6)]))
    assert got == "诉求：尽快退还全部学费"
    # a number before a measure word is a quantity, not a list
    assert _headline(_cands([("地址：1号楼地下室长期积水", "problem", True, 0.6)])) == "地址：1号楼地下室长期积水"
    assert strip_opening("1，为什么南环路到处都是坑") == "为什么南环路到处都是坑"
    assert strip_opening("3号线何时通车") == "3号线何时通车"


def test_a_one_letter_verb_opens_a_sentence():
    assert not broken_start("挖了一条很深的沟却没人填")
    assert not broken_start("拆了围墙以后小区没人管")
    assert _headline(_cands([("埋了很多建筑垃圾在河边", "problem", True, 0.6)])) == "埋了很多建筑垃圾在河边"
    assert broken_start("开区政府不作为")  # a name's tail (经开区) before 区政府
    assert broken_start("更重要的是，要修路")
    # a lone verb before another verb, an adverb or a lone letter is a piece of a sentence
    assert broken_start("拿去公安局再以诈骗报案")
    assert broken_start("拒不查处该行违法违规经营")
    assert broken_start("到时不买也可以随时退还")


def _estates(rows):
    """Candidates of a suggestion about many estates: (text, kind, own, the estate it names or None) each."""
    cands = _cands([(t, k, False, o) for t, k, o, _ in rows])
    names = [e for *_, e in rows]
    n = len(rows)
    cands.update(other_place=np.array([e is not None for e in names]), general=np.full(n, None, dtype=object),
                 place_name=np.array(names, dtype=object),
                 place_named=np.array([e and e.removesuffix("小区") for e in names], dtype=object),
                 record_key=np.array([e and e.removesuffix("小区") for e in names], dtype=object))
    return cands


def test_description_of_many_places_generalises_one_estates_ask():
    """When every member's ask names the writer's own estate, the ask is still the description, without the
    estate (and the road and district before it); a sentence still telling one estate's numbers is not."""
    cands = _estates([
        ("A5区劳动东路翠竹园小区临街烧烤摊油烟直排，请城管取缔占道烧烤。", "ask", 0.7, "翠竹园小区"),
        ("2019年7月起，A3区桂花苑小区300户居民深受油烟困扰。", "problem", 0.65, "桂花苑小区"),
        ("恳请环保部门督促金桥小区门口的夜宵摊安装油烟净化器，油烟严重影响居民休息。", "ask", 0.6, "金桥小区"),
    ])
    out = _description(cands, "小区临街门面油烟扰民", many_places=True)
    assert out == "小区临街烧烤摊油烟直排，请城管取缔占道烧烤。恳请环保部门督促小区门口的夜宵摊安装油烟净化器，" \
                  "油烟严重影响居民休息。"


def test_description_is_never_empty():
    """When no member sentence fits (each tells one estate's case), the description is the summary built from
    the data: how many, where, when — not an empty cell, not a list of words."""
    cands = _estates([("A6区润和小区1100户居民已无水可用。", "problem", 0.7, "润和小区"),
                      ("2019年8月3日金邻公寓晚间停水。", "problem", 0.6, None)])
    summary = _summary(9, 3, "2019-03-02", "2019-12-30")
    assert summary == "9人反映，涉及3处（2019-03 至 2019-12）。"
    assert _description(cands, "停水问题很严重", many_places=True, summary=summary) == summary
    assert _summary(2, 0, "2019-07-01", "2019-07-20") == "2人反映（2019-07）。"


def test_description_does_not_say_the_headline_again():
    """Another member's title of the same complaint adds nothing beside the headline; a body ask does."""
    cands = _cands([("小区门面油烟扰民", "problem", True, 0.8), ("小区临街油烟扰民严重", "problem", True, 0.75),
                    ("请城管部门取缔占道夜宵摊。", "ask", False, 0.5)])
    assert _description(cands, "小区临街门面油烟直排扰民") == "请城管部门取缔占道夜宵摊。"


def test_description_keeps_the_ask_of_a_sentence_whose_opening_needs_its_predecessor():
    """Context that points back ("也没有整改", "很头痛") goes; the writer's ask after it reads alone and stays."""
    cands = _cands([("也没有正面整改，希望有关部门依法取缔无证歌厅。", "ask", False, 0.7),
                    ("很头痛，望部门领导在高峰期增加一趟线路。", "ask", False, 0.6)])
    assert _description(cands, "歌厅扰民") == "希望有关部门依法取缔无证歌厅。"
    cands["own"] = np.array([0.5, 0.7])
    assert _description(cands, "公交太少") == "望部门领导在高峰期增加一趟线路。"
    # an ask that leaves what is asked in the clause cut off says nothing alone
    cands = _cands([("此处人流量大，望相关部门酌情处理。", "ask", False, 0.7)])
    assert _description(cands, "站台位置不合理", summary="3人反映（2019-07）。") == "3人反映（2019-07）。"


def test_a_title_naming_one_members_place_anywhere_is_generalised_for_the_headline():
    """A title whose place name stands mid-sentence ("请求对某某小区…") is the headline without the name, as
    a description sentence would be; left with a name's remnant before the kind ("洋湖小学") it is passed over."""
    rows = [("请求对A市楚华公寓小区水表改造和小区提质改造", "ask", True, 0.7),
            ("街道反映情况，并要求水表改造，不知何故一直得不到解决", "ask", False, 0.5)]
    members = ["请求对A市楚华公寓小区水表改造和小区提质改造", "请求将香樟路楚樟家园小区纳入提质改造",
               "富绿新村提质改造工程质量太粗糙", "请求把恒达时代花园小区消防通道纳入提质改造"]
    common = Commonness(np.asarray(members, dtype=object))
    assert _headline_at(_fit(_cands(rows), members), True, common)[0] == "请求对小区水表改造和小区提质改造"
    # 洋湖博才小学 is found whole since a two-letter word ending in a place letter opens the name after it (places),
    # so no real title of the data is left with the remnant now; the check itself, on the line it was left with:
    assert not _kind_stands("请解决洋湖小学装空调的问题", "博才小学")
    assert _kind_stands("请解决小学装空调的问题", "洋湖博才小学")


def test_description_without_an_ask_or_a_reason_is_a_members_title_before_the_count_line():
    cands = _cands([("停水问题很严重", "problem", True, 0.8), ("物业公司多次停水停电", "problem", True, 0.6)])
    assert _description(cands, "停水问题很严重", 0, summary="6人反映。") == "物业公司多次停水停电。"


def test_headline_is_not_one_members_name_the_place_finder_missed():
    """A title naming one member's site by a name no place finder knows ("袁岭家佳兆业", no place ending) looked
    as if it spoke for all members (施工, 扰民 are everyone's words): a name only one member of five or more
    writes takes its share of the line's centrality, and the ask all members could write wins."""
    rows = [("投诉袁岭家佳兆业施工扰民", "problem", True, 0.62),
            ("请相关部门协调，凌晨一点还在施工，噪音严重影响周边居民生活", "ask", False, 0.50)]
    members = ["投诉袁岭家佳兆业施工扰民\n…", "天健城第三期凌晨2点还在施工，严重扰民", "人民医院凌晨施工扰民",
               "地铁站施工严重扰民", "工地一直存在凌晨施工扰民的情况", "凌晨施工，噪音严重影响周边居民生活"]
    cands = _cands(rows)
    cands["place_name"] = cands["place_named"] = cands["record_key"] = np.full(2, None, dtype=object)
    common = Commonness(np.asarray(members, dtype=object))
    cands.update(_place_fit(cands, common))
    assert _headline_at(cands, True, common)[0] == "请相关部门协调，凌晨一点还在施工，噪音严重影响周边居民生活"
    assert common.own_names("投诉袁岭家佳兆业施工扰民") > 0.3 and common.own_names("凌晨施工扰民") == 0.0
    # among three members every name is one member's: nothing is counted
    few = Commonness(np.asarray(members[:3], dtype=object))
    assert few.own_names("投诉袁岭家佳兆业施工扰民") == 0.0
    assert _headline_at(cands, True, few)[0] == "投诉袁岭家佳兆业施工扰民"
