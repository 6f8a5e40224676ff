"""What a writer asks, read from a sentence and from a whole message (made-up examples of each kind)."""

from __future__ import annotations

import pytest

from minsheng.engine.asks import message_ask, stated_ask, stated_question


def test_stated_ask_reads_the_writers_ask_only():
    assert stated_ask("得到解释后业主停止了维权，期盼着今年出具配套入学的相关文件") == "期盼着今年出具配套入学的相关文件"
    assert stated_ask("我们请过户籍警，但每次协调物业都是一句话") == ""
    assert stated_ask("天时地利人和兼备，我们翘首以盼的大型购物中心安排上吧") == ""
    assert stated_ask("请领导关注，盼回复") == ""
    # a demand the story tells, not the writer's: after narrated time, or refused in the next clause
    assert stated_ask("商城客服这时候组建微信群，建议帮商城刷销量，不然不发货") == ""
    assert stated_ask("业主要求明确打开时间，物业公司以各种理由推托") == ""
    # a plea complete in its first clause, then the story again; a plea that goes on with what to do
    assert stated_ask("望各级领导重视，我们所有的投资款加起来也有千万") == ""
    assert stated_ask("请领导为民做主，协调相关部门拆除违章建筑，修复排污管路") == "请领导为民做主，协调相关部门拆除违章建筑，修复排污管路"
    assert stated_ask("望江二栋建于1993年，现已出现楼板开裂") == ""  # 望 of a name, no plea


def test_stated_question_reads_a_real_question_from_its_last_question_word():
    assert stated_question("周边环境恶劣，在市委市政府大力倡导一圈二场三道的大背景下有何具体行动？") == \
        "在市委市政府大力倡导一圈二场三道的大背景下有何具体行动？"
    assert stated_question("为何不能像其他省份一样，公积金中心直接将贷款放给银行？") != ""
    assert stated_question("难道就没有人管管吗？") == ""  # rhetorical
    assert stated_question("你们一年到头做了多少事，心里没数吗？") == ""  # put to 你: rhetoric
    assert stated_question("请问后续该如何处理？") == ""  # names nothing
    assert stated_question("我们一共只有两个人，要动手还打得赢？") == ""  # no question word


def test_message_ask_reads_sentence_by_sentence_and_keeps_a_questions_mark():
    # a half-width full stop ends a sentence, a decimal point does not
    assert message_ask("路灯坏了.希望尽快修复5.15路段的路灯") == "希望尽快修复5.15路段的路灯"
    assert message_ask("周边人口密集。在大力倡导一圈二场三道的大背景下有何具体行动？") == "在大力倡导一圈二场三道的大背景下有何具体行动？"
    # the ask that says the title again is not shown: the description opens with the title
    assert message_ask("请尽快修复小塘路路灯。", "请尽快修复小塘路路灯") == ""


def test_an_ask_ends_before_a_clause_that_reports_what_someone_answered():
    assert stated_ask("几百名受害人再次造访省委，要求推进案件进展，抓捕犯罪嫌疑人，发全国协查，得到某某的回答是：四个月后"
                      "发全国协查") == "要求推进案件进展，抓捕犯罪嫌疑人，发全国协查"
    assert stated_ask("要求提供材料和采购清单等证明材料，开发商说可以现场看，但是不允许拍照") == "要求提供材料和采购清单等证明材料"
    assert stated_ask("请求对自家住房外立面一起进行改造，享受此次惠民政策，却被告知要等三年") == \
        "请求对自家住房外立面一起进行改造，享受此次惠民政策"
    # a reply asked for, not one reported
    assert stated_ask("恳请领导督促物业整改楼道照明，并给予明确的答复") == "恳请领导督促物业整改楼道照明，并给予明确的答复"
    assert stated_ask("要求开发商说明延期交房的原因，公示整改方案") == "要求开发商说明延期交房的原因，公示整改方案"


def test_a_courtesy_or_a_reproach_in_a_pleas_form_asks_nothing():
    assert stated_ask("请你们海涵，祝新春愉快") == ""
    assert stated_ask("请你们扪心自问摸摸良心") == ""
    assert stated_question("为什么历来县委政府的工程项目没有这么多人来关注和进言呢，这是大家都值得深思的？") == ""
    # the writer's own ask after a reproach is still read
    assert message_ask("请你们扪心自问摸摸良心。请相关部门帮帮我们小区，铲除破坏分子，还我们安宁。") == \
        "请相关部门帮帮我们小区，铲除破坏分子，还我们安宁"


def test_a_list_number_ends_the_sentence_before_it():
    body = "开发商不按合同交房，希望政府责令限期整改，并赔偿业主损失.2.地下车库漏水严重，绿化大面积植被枯死"
    assert message_ask(body) == "希望政府责令限期整改，并赔偿业主损失"  # not "…损失.2.地下车库漏水严重"
    assert message_ask("请问1.东十路下穿高速在本月底能否如期开通呢？2.另外") == "东十路下穿高速在本月底能否如期开通呢？"
    assert message_ask("面积1.5米，单价3.25元，请问3、4栋能否先交房？") == "请问3、4栋能否先交房？"  # numbers, not a list


def test_an_ask_that_points_at_a_list_is_the_lists():
    body = "希望市长看到我们的呼吁，能回复或解决以下问题：1、我们的工资能否按时发放？2、能否加入工会？"
    assert message_ask(body) == "我们的工资能否按时发放？"


@pytest.mark.parametrize(("body", "ask"), [
    # a condition, a reason or a basis left without what it qualifies is cut off, or the ask is not shown
    # (each longer than an ask is shown, so that it is cut)
    ("请不要用死板的噪音油烟数字来封住被打扰到的业主的嘴，如果不是严重影响到业主的生活起居，谁会一次又一次地投诉呢。",
     "请不要用死板的噪音油烟数字来封住被打扰到的业主的嘴"),
    ("强烈要求省里加快道路运输部门取消自用货车运输道路运输证，由于这几年经济飞速发展，农村里跑运输的货车数量越来越多而农民的负担也越来越重。",
     "强烈要求省里加快道路运输部门取消自用货车运输道路运输证"),
    ("我们强烈要求县政府切实履行第590号令第十三条规定的。", ""),
])
def test_an_ask_is_not_cut_inside_a_condition_a_reason_or_a_basis(body, ask):
    assert message_ask(body) == ask


@pytest.mark.parametrize("body", [
    "我们多次找到物价局，要求通过他们向上级物价部门反映，可毫无结果。",  # a demand the story tells, in vain
    "选拔公告写明，要求满2年工作经历，却每次都让刚满一年的大学生村官报考。",  # a rule's requirement, then the complaint
    "住建委回复我：建议你通过司法途径予以解决。",  # advice the writer was given
    "生育津贴拿不到，难到就不能有什么补救的办法吗？",  # rhetorical (难到: 难道 mistyped)
    "这个厂违法排污，为什么还能得到合法手续？",  # rhetorical: why is it still allowed
    "中间缴纳的社保金额都哪去了？",
    "用得着特意在医疗垃圾池旁来建一个房子存放消毒用品吗？",
])
def test_told_demands_given_advice_and_protests_are_no_ask(body):
    assert message_ask(body) == ""


def test_a_question_opened_with_qingwen_after_a_clause_is_read_from_there():
    body = "我们是参加2016年工勤技能岗位考试的职工，时间过去一年了，请问1级至5级调整的工资何时能到位。"
    assert message_ask(body) == "请问1级至5级调整的工资何时能到位"


@pytest.mark.parametrize("body", [
    "小区门口的歌厅天天唱到凌晨，为什么反映了好几次，街道还不处理？",  # a why that reproaches inaction going on
    "同样是山区县，为什么我们县的补贴就少了这么多呢？",  # a why measured with indignation
    "为什么城东化工厂屡次违规排污？",  # a wrong done again and again
    "上级说要减轻农民负担，在我们村又体现在哪里？",  # a taunt
    "垃圾站天天臭气熏天，请问城南街道的领导在干什么？",  # what officials are doing
    "工资拖欠了半年，他们没有按时发放过工资吗？",  # a question that answers itself by a negation
    "楼下突然开了一家烧烤店，请问是谁批准的？",  # blame
    "菜市场天天杀鸡，非得在小区里面杀吗？",
    "市场里的传销没人管，我们老百姓的权益找谁保障呢？",  # whom to turn to, asked as a protest
])
def test_a_question_put_as_a_protest_is_no_ask(body):
    assert message_ask(body) == ""


@pytest.mark.parametrize("body", [
    # a why that protests what is or was done: the blind readers of the descriptions filed none as an ask
    "为什么到了八月底还没有完成装修？",
    "为什么不公布所有考生的面试成绩？",
    "廉租房变成了公租房，今年的房租为什么翻了一倍？",
    "新建的楼房墙面为什么有出现裂痕？",
    "请问政府，全市所有乡镇为什么不建设道路交通电子监控？",  # put with 请问, still a protest
])
def test_a_why_that_protests_is_no_ask(body):
    assert message_ask(body) == ""


def test_a_real_question_beside_protests_is_still_read():
    # why the writer cannot do something: a consultation
    assert message_ask("在外地参加的医保为何不能转回A市？") == "在外地参加的医保为何不能转回A市？"
    assert message_ask("我的住房公积金为什么提取不了？") == "我的住房公积金为什么提取不了？"
    assert message_ask("为什么反映了好几次，街道还不处理？今年的房租是否会下调？") == "今年的房租是否会下调？"


@pytest.mark.parametrize(("body", "ask"), [
    ("希望能在春节前拿到自己的社保卡，祝领导新年快乐，谢谢", "希望能在春节前拿到自己的社保卡"),
    ("望领导督促学校停止暑期补课，谢谢各位领导！", "望领导督促学校停止暑期补课"),
    # a plea that names only whom it asks and for an answer, once the courtesy is gone, asks nothing
    ("请各位领导考虑一下，谢谢。", ""),
    ("请县里领导给我一个说法。", ""),
    ("求您百忙之中抽空帮帮我好吗？", ""),
    ("希望得到贵局的帮助。", ""),
    ("希望能得到有关部门的正面答复。", ""),
])
def test_the_courtesies_that_close_a_letter_are_no_part_of_its_ask(body, ask):
    assert message_ask(body) == ask
