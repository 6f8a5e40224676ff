"""Places and groups: whole names, no fragments, no bare group words."""

from __future__ import annotations

import pandas as pd
import pytest

from minsheng.engine.places import (
    extract_place,
    extract_places,
    merge_homophone_keys,
    merge_inserted_keys,
    merge_place_keys,
    merge_swapped_keys,
    name_as_written,
    names_by_ending,
    numbered_names,
    place_columns,
)


@pytest.mark.parametrize(("text", "name", "key"), [
    ("投诉A市伊景园滨河苑捆绑销售车位", "伊景园滨河苑", "伊景园滨河苑"),  # 河 inside the name is no road's end
    ("A7县地铁3号线成功穿越京港澳高速", "京港澳高速", "京港澳高速"),  # 港 inside, a verb before
    ("A市暮云街道丽发新城社区附近搅拌站", "丽发新城社区", "丽发新城"),  # the estate, not the sub-district
    ("A3区中海国际社区三期与四期中间空地", "中海国际社区", "中海国际"),  # a brand stays when 国际 alone is left
    ("A5区劳动东路魅力之城小区临街门面烧烤夜宵摊", "魅力之城小区", "魅力之城"),
    ("A市出租车司机要求调整份子钱", "出租车司机", "出租车司机"),  # a group named by what sets it apart
    ("请提高A2区合同教师的待遇", "合同教师", "合同教师"),  # tagged an adjective, 合同 is no action on them
    ("贫困学生享受补助太少", "贫困学生", "贫困学生"),  # a verb after a group the dictionary knows whole
    ("D10县煤矿全体职工要求补发工资", "煤矿职工", "煤矿职工"),  # how many of them does not set them apart
    ("长株潭城际铁路再次停运", "长株潭城际铁路", "长株潭城际铁路"),  # 城 starts 城际 here: not 长株潭城
    ("A3区涉外经济学院组织学生外出打工", "涉外经济学院", "A3区涉外经济学院"),  # nor 组 in 组织
    ("投诉A市在丽发新城附近建搅拌站", "丽发新城", "丽发新城"),  # 在 glued to 丽 by the dictionary
    ("A市涉外经济学院寒假组织学生去工厂工作", "涉外经济学院", "涉外经济学院"),  # not 学生去工厂
    ("A市经济学院强制学生实习", "经济学院", "经济学院"),  # one college of that name in the city
    ("我是2005年因A4区60号令月湖公园建设拆迁安置户", "月湖公园", "A4区月湖公园"),  # 60号令: a decree
    ("A5区汇金路口红绿灯时间太短", "汇金路", "汇金路"),
    ("取缔A4区珠江俪城公园一号31栋103麻将馆", "珠江俪城公园一号", "珠江俪城公园一号"),  # a development No. 1
    ("我住紫鑫御湖湾一号栋405", "紫鑫御湖湾", "紫鑫御湖湾"),  # ... not where the number is a building's
    ("A1区国金中心1号附近施工扰民", "国金中心", "国金中心"),  # ... nor in digits: a door's number
    ("A7县松雅湖壹号土地使用期限到多久", "松雅湖壹号", "松雅湖壹号"),  # the formal 壹号 only ends a brand's name
    ("A市半山壹号五次延期交房了", "半山壹号", "半山壹号"),
    ("还没住进A市武广新城片区的伊景园滨河苑的业主", "伊景园滨河苑", "伊景园滨河苑"),  # the estate, not its area
    ("投诉伊景园滨河苑为广铁集团的定向商品房", "伊景园滨河苑", "伊景园滨河苑"),  # rjieba glues 苑为  # a position glued to the suffix (路口)
])
def test_whole_names(text, name, key):
    place = extract_place(text)
    assert (place.name, place.key) == (name, key)


@pytest.mark.parametrize("text", [
    "A4区受害人要求公安机关尽快立案",  # a bare group word is no group
    "小区业主反映物业乱收费",  # nor a kind of place before it
    "A市退休人员养老金调整",  # nor what is left of a group word (人员 of 退休人员)
    "违反劳动法，强迫员工加班却不发工资",  # an action on people (员工 the object of 强迫, the subject of 加班)
    "建议开通专线，方便学生出行",  # likewise
    "恳请保护广大投资人的合法权益",  # how many (广大, 全体) leaves a bare group word
    "暮云作为融城的核心区域",  # a verb inside: a clause, not a name
    "请求政府帮忙追回欠款，老板xiang跑路了",  # 跑路 is running away, no road
    "建议提高乡村教师待遇\n作为一名个体工商户，我认为乡村教师工资偏低",  # the writer, not the subject
    "A市居民区小学旁医院建设扰民",  # a clause before an institution, not its name
    "A市搅拌站噪音扰民",  # a city has many: only a district code makes it one place
    "请问A4区公安派出所对58车贷一案办案的进度如何了",  # whom the writer asks, not where the problem is
    "58车贷立案五个月过去,A4区部分银行未公布",  # some banks: a quantity, no institution
    "A6区麻将馆噪音扰民",  # a kind of place the dictionary knows whole, even with a district code
    "公交线路（湖巴、龙骧和宝骏三大公司所属线路）已经实现实时查询",  # a count of companies; a route, no road
    "A市卓越中寰无故拒绝阻碍业主办理公积金组合贷",  # 组 begins 组合: it ends no village group
    "A6区孩子好不容易盼到暑假7月10号收到学校信息",  # a date and a verb before 学校, no name
    "希望A7县城区增加智能红绿灯和过街天桥",  # 街天桥 is a piece of the word 过街天桥
    "咨询A7县农民自留地征收标准及村组集体用地征收费用划分问题",  # 村组: village groups in general, none named
    "反映A8县市乡镇快递乱收费问题",  # 乡镇: towns in general
])
def test_no_fragments(text):
    assert extract_place(text) is None


@pytest.mark.parametrize(("text", "key"), [
    ("A5区稻田中学门口拥堵", "A5区稻田中学"),  # a common name with a district code is still one school
    ("A7县第二医院收费不合理", "A7县第二医院"),
    ("A2区暮云派出所不作为", "A2区暮云派出所"),  # a police station named by its place
])
def test_a_district_makes_a_common_name_one_place(text, key):
    assert extract_place(text).key == key


@pytest.mark.parametrize(("text", "key"), [
    ("B7县二中违规乱补课", "B7县2中"),  # a dictionary word, yet one school of B7县
    ("投诉K7县一中周末非法补课\n关于K7县第一中学的高一年级", "K7县1中"),  # written either way: one key
    ("K7县第一中学违规补课", "K7县1中"),
    ("C市三中寒假补课", "C市3中"),  # a city's code names its school as well
    ("A3区第一小学强迫学生参加课后服务", "A3区1小"),
    ("投诉A市十一中学乱收费", "A市11中"),
])
def test_a_school_a_district_names_by_its_number_is_one_place(text, key):
    assert extract_place(text).key == key


@pytest.mark.parametrize("text", ["A市一中心医院扩建", "A市一中院判决不公", "我们A3区二中年级的学生", "其中补课"])
def test_a_numeral_before_other_words_of_zhong_is_no_school(text):
    found = extract_place(text)
    assert found is None or not found.key.endswith(("1中", "2中"))


@pytest.mark.parametrize(("text", "name"), [
    # a direction and a numeral are a road's or a site's name, not a time: the title's place, not one in passing
    ("A7县东六路下穿长永高速在月底能否如期通车\n其中东六路计划今年通车，南山路、北斗路计划年底通车", "东六路"),
    ("建议A市经开区收回东六路恒天九五工厂地块\n目前泉塘片区只有步步高超市在小打小闹", "恒天九五工厂"),
    ("请问长永高速什么时候通车", "长永高速"),  # the dictionary reads 长永 as an adverb
])
def test_numbered_and_adverb_like_names_are_whole(text, name):
    assert extract_place(text).name == name


def test_a_group_is_not_cut_out_of_a_longer_phrase():
    # 供销合作社在岗失业职工: "岗失业职工" is a fragment of 在岗, so no group rather than a clipped one
    place = extract_place("J4县供销合作社在岗失业职工追缴社保")
    assert place is None or place.name.startswith("供销合作社")


def test_a_number_stays_with_the_name_it_is_part_of():
    """58车贷, 3号线, 205路: the number is what tells one case, line or bus from another; quantities and
    dates (2019年, 3个, 10分钟, 29百) are not names."""
    texts = ["地铁37号线延长到城东", "2019年3个月内10分钟一班的416路公交车", "29百多户", "88网贷爆雷", "没有数字"]
    rows, names = numbered_names(texts)
    assert list(zip(rows.tolist(), names, strict=True)) == [(0, "37号线"), (1, "416路"), (3, "88网贷")]


def test_a_numbered_name_in_chinese_numerals_or_after_its_word_is_the_same_name():
    """地铁三号线 is 地铁3号线, 二期 is 2期, 热线12345 is 12345热线; 一路走来 (all the way) and a sum of money
    (工资3000元) are no names."""
    texts = ["地铁三号线文体中心站", "地铁3号线", "二期工程", "十一路公交", "请拨打热线12345", "12345热线",
             "一路走来", "工资3000元"]
    rows, names = numbered_names(texts)
    assert list(zip(rows.tolist(), names, strict=True)) == [
        (0, "3号线"), (1, "3号线"), (2, "2期"), (3, "11路"), (4, "12345热线"), (5, "12345热线")]
    # a school numbered either way is one (二中 is 2中, 十一中学 11中学); 其中, 集中, 统一 are words
    rows, names = numbered_names(["A6区二中强制补课，其中高三集中补课", "A6区2中强制补课", "十一中学", "统一中标"])
    assert list(zip(rows.tolist(), names, strict=True)) == [(0, "2中"), (1, "2中"), (2, "11中学")]


def test_names_by_ending_are_names_not_function_words():
    """An estate or company before its ending whatever the extractor keeps (it keeps one place a text), with
    the two letters the digest asks about; numbered lines, buses, buildings and schools; 这个小区 is none."""
    found = [(n.name, n.head, n.ending) for n in names_by_ending("佳兆业水新都小区旁276路车站，这个小区和二中")]
    assert found == [("佳兆业水新都小区", "新都", "小区"), ("276路", "", ""), ("2中", "", "")]
    assert [n.name for n in names_by_ending("拨打12345热线投诉3个小时")] == []


def test_a_brand_stays_when_only_kinds_of_place_would_be_left():
    """中海国际社区幼儿园 without its brand is 国际社区幼儿园, kinds of place only (国际, 社区, 幼儿园): a key every
    brand's estate would share, and one that never met 中海国际 (on DEV, the 中海国际社区 kindergarten's three
    writers were in no hot issue). A one-letter suffix may be a name's own: 南湖路 is a road."""
    import pandas as pd

    from minsheng.engine.places import is_specific, merge_place_keys, place_key

    assert place_key("中海国际社区幼儿园") == "中海国际社区幼儿园"
    assert not is_specific("国际社区幼儿园") and is_specific("南湖路") and is_specific("西海岸幼儿园")
    keys = pd.Series([place_key("中海国际社区幼儿园"), place_key("中海国际社区")])
    assert merge_place_keys(keys).tolist() == ["中海国际", "中海国际"]


def test_word_ends_of_runs_cut_together_are_those_of_each_run_cut_alone():
    import itertools

    import rjieba

    from minsheng.engine.places import _word_ends

    runs = ["长株潭城际铁路", "汇金路口", "A市A3区中海国际社区", "经济学院组织", "ab12路", "路", "丽发新城社区附近搅拌站"]
    alone = [set(itertools.accumulate(len(w) for w in rjieba.cut(r))) for r in runs]
    together = [{i for i, flag in enumerate(ends) if flag} for ends in _word_ends(runs)]
    assert together == alone
    assert [len(ends) for ends in _word_ends(runs)] == [len(r) + 1 for r in runs]


@pytest.mark.parametrize(("text", "name"), [
    ("A市翠岭云庭K3县12栋业主反映电梯故障", "翠岭云庭"),  # a building's number says what the name before it is
    ("A市B2区银泉路金桂雅筑存在很多问题\n我是银泉路金桂雅筑3栋的业主", "金桂雅筑"),  # the title writes it beside its road
    ("咨询A市绿地海外滩二期与长戆高铁问题", "绿地海外滩"),  # so does a phase of its building (二期, 4期)
    ("A市江山帝景哈佛4期物业严重过失导致业主财产损失", "江山帝景哈佛"),
    ("A5区桃花苑二期3栋房屋存在质量问题", "桃花苑"),
    ("A市318路公交车经常晚点", "318路"),  # a bus is named by its number (a group: its riders)
    ("建议增加公交车27路的班次", "27路"),
])
def test_names_without_a_place_ending(text, name):
    assert extract_place(text).name == name


@pytest.mark.parametrize("text", ["请问12路口红绿灯时间", "我住在3栋，楼道灯坏了", "地铁工程第一期何时完工",
                                  "兑付协议共30期，从第五期开始停付"])
def test_a_number_alone_names_nothing(text):
    assert extract_place(text) is None


def test_numbered_names_do_not_merge_into_a_shorter_number():
    assert merge_place_keys(pd.Series(["115路", "15路", "伊景园滨河苑", "滨河苑"])).tolist() == \
        ["115路", "15路", "滨河苑", "滨河苑"]


@pytest.mark.parametrize(("text", "key"), [
    ("请查处西地省林业局违规建别墅\n林业局在A5区桃园村修建别墅", "林业局"),  # what the title is about, not the village
    ("A3区水利局违规收费", "A3区水利局"),  # a district's bureau is not another district's
    ("建议A市水利局加强河道管理", None),  # whom the title asks
    ("A3区公安局不作为", None),  # a public service any writer turns to
    ("路灯坏了一个月没人管\n尊敬的A市林业局领导：我们楼下的路灯坏了", None),  # whom the body writes to
    # one line, title and body joined: the body opens with its greeting, and what it names is no bureau of the title
    ("路灯坏了一个月没人管尊敬的领导：您好，A市物价局不作为", None),
])
def test_a_bureau_is_a_place_when_a_title_is_about_it(text, key):
    place = extract_place(text)
    assert (place.key if place else None) == key


def test_a_bus_is_a_group_as_its_riders_are():
    assert extract_place("A市318路公交车经常晚点\n翠湖巴士公司的318路公交车首站未发车").kind == "group"


def test_an_area_word_ends_no_name_but_the_name_goes_on_to_what_it_is():
    # 城乡 is no village's end: the body's estate is the place, not a company's name cut at 乡
    text = "A8县未来方舟还是迟迟不退认筹金\n本人在A8县未来方舟楼盘（A市怡润城乡开发建设有限公司）交了认筹款"
    assert extract_place(text).name != "怡润城乡"
    place = extract_place("咨询B2区白关镇石湾村硬化问题\n请问白关镇石湾村村级路硬化，是否必须由城建局承包施工？")
    assert place is None or place.name != "村村级路"  # 村村 "every village" is no area word here


@pytest.mark.parametrize(("label", "texts", "whole"), [
    # what every member writes before the name, where one message's extraction cut it off
    ("A5区汽车饰品城", ["A5区的莲湖汽车饰品城脏乱差", "A5区洞井乡楚莲社区莲湖汽车饰品城消防隐患"], "A5区莲湖汽车饰品城"),
    ("景山水印象小区", ["A市愿景山水印象小区外墙渗水", "A市愿景山水印象的房屋质量\n开发的楼盘愿景山水印象"], "愿景山水印象小区"),
    ("A8县方舟楼盘", ["A8县市未来方舟不退认筹金", "A8县未来方舟口头承诺一变再变"], "A8县未来方舟楼盘"),
    # not: what stands before it differs, is one writer's road repeated, a brand already written, a function
    # word, a code's letter, or only one text names it
    ("丽发新城小区", ["投诉丽发新城小区搅拌站", "A2区丽发新城附近搅拌站"], "丽发新城小区"),
    ("A3区一师润芳园小区", ["A3区梅溪湖看云路一师润芳园小区烧烤", "A3区梅溪湖看云路一师润芳园小区油烟"],
     "A3区一师润芳园小区"),
    ("万科魅力之城", ["A市万科魅力之城开发商", "A市万科魅力之城大降价"], "万科魅力之城"),
    ("丽发新城", ["住在丽发新城的居民", "家在丽发新城附近"], "丽发新城"),
    ("未来方舟", ["A8县市未来方舟不退认筹金", "A8县市未来方舟口头承诺"], "未来方舟"),
    ("汽车饰品城", ["莲湖汽车饰品城脏乱差"], "汽车饰品城"),
])
def test_an_issue_s_place_is_named_as_all_its_members_write_it(label, texts, whole):
    assert name_as_written(label, texts) == whole


@pytest.mark.parametrize(("a", "b", "variant"), [
    ("金茂路", "金贸路", True),  # one letter of the name proper
    ("商铺廊桥", "商业廊桥", True),
    ("东一路", "东七路", False),  # numbered roads
    ("汽车南站", "汽车北站", False),  # stations of two directions
    ("沙田村", "沙田镇", False),  # a village and a town: the ending differs
    ("H3县光明", "K3县光明", False),  # two counties' codes
    ("205路", "805路", False),  # two buses
    ("伊景园滨河苑", "滨河苑", False),  # not as long: merge_place_keys' business
])
def test_spelling_variants_are_one_letter_of_the_name_proper(a, b, variant):
    from minsheng.engine.places import spelling_variant

    assert spelling_variant(a, b) is variant


@pytest.mark.parametrize(("text", "label", "key"), [
    ("投诉Q4县柳溪镇三中乱收资料费\n该校强制学生购买", "Q4县柳溪镇三中", "Q4县柳溪镇3中"),  # a town between code and number
    ("Q4县石门镇第三中学乱收资料费\n", "Q4县石门镇第三中学", "Q4县石门镇3中"),  # another town's 三中: apart
    ("R2县枫林乡中心小学食堂饭菜变质\n", "R2县枫林乡中心小学", "R2县枫林乡中心小学"),  # a town's central school
    ("R2县白鹭街道卫生院乱收费\n", "R2县白鹭街道卫生院", "白鹭街道卫生院"),  # a subdistrict's clinic
    ("S3县县阳光宝贝幼儿园占用小区绿地\n", "S3县阳光宝贝幼儿园", "阳光宝贝幼儿园"),  # a doubled county word is the code's
    ("S3县县第二中学暑期补课\n", "S3县第二中学", "S3县2中"),
])
def test_a_town_s_school_and_a_doubled_county_word(text, label, key):
    found = extract_place(text)
    assert found is not None and (found.label, found.key) == (label, key)


def test_a_county_town_word_after_a_code_stays():
    found = extract_place("请求恢复S3县县城青松路公交站点\n")  # 县城 is a word: the code's letter is not doubled
    assert found is None or "城" not in found.key[:1]


@pytest.mark.parametrize("text", [
    "如何办理老人优待证\n",  # how to get: no group
    "请问怎么办理老人乘车卡\n",
    "Q4县某校班主任体罚学生\n",  # who acts before the verb: 班主任
    "呼吁政府资助大学生创业\n",  # 政府 acts on them
    "某中学擅自组织学生补课\n",  # 擅自: only a verb follows
    "学校能否利用学生假期\n",
])
def test_a_verb_on_people_is_no_group(text):
    found = extract_place(text)
    assert found is None or found.kind != "group", found


@pytest.mark.parametrize(("text", "key"), [
    ("我们出租车司机要求降低份子钱\n", "出租车司机"),  # a pronoun before: still the group
    ("网约车司机考试通知迟迟不到\n", "网约车司机"),
    ("尿毒症患者透析费用太高\n", "尿毒症患者"),
])
def test_a_kind_of_people_stays_a_group(text, key):
    found = extract_place(text)
    assert found is not None and (found.kind, found.key) == ("group", key)


def test_groups_whose_qualifier_the_input_writes_as_a_verb():
    import pyarrow as pa

    from minsheng.engine.places import groups_of_verbs
    texts = pa.array(["如何补办老人证件", "补办了三次还没好", "怎么补办身份证", "不能补办吗", "补办老人乘车卡",
                      "出租车司机反映份子钱太高", "出租车太少"], pa.large_string())
    assert groups_of_verbs(["补办老人", "出租车司机"], texts) == {"补办老人"}


def test_verb_uses_are_searched_in_the_texts_that_write_a_qualifier():
    """The texts that write a qualifier, in order, and of those the ones that write it as a verb: the same texts
    the verb pattern finds among all of them (a text that writes a qualifier as a verb writes it)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from minsheng.engine.places import _qualifier_texts

    texts = pa.array(["如何补办老人证件", "出租车太少", "补办了三次还没好", "", "怎么补办身份证", "补办老人乘车卡",
                      "不能补办吗", "乘车卡补办流程"], pa.large_string())
    written, as_verb = _qualifier_texts(texts, "补办|乘车", "如何|怎么|不能")
    assert written.to_pylist() == ["如何补办老人证件", "补办了三次还没好", "怎么补办身份证", "补办老人乘车卡", "不能补办吗",
                                   "乘车卡补办流程"]
    verb = "(?:如何|怎么|不能)(?:补办|乘车)|(?:补办|乘车)了"
    assert as_verb.to_pylist() == texts.filter(pc.match_substring_regex(texts, verb)).to_pylist() == [
        "如何补办老人证件", "补办了三次还没好", "怎么补办身份证", "不能补办吗"]


def test_a_function_word_between_two_endings_ends_the_name():
    found = extract_place("举报R2县小太阳幼儿园侵占小区绿地\n听说小太阳幼儿园将小区公共绿地圈占")
    assert found is not None and "将" not in found.name and found.name.endswith("幼儿园")


def test_a_school_numbered_in_digits_is_keyed_as_one_in_words():
    from minsheng.engine.places import schools_as_keys
    found = extract_place("R5县6中违规补课\n")  # Arabic digits: the key as for 六中
    assert found is not None and found.key == "R5县6中" == extract_place("R5县六中违规补课\n").key
    assert schools_as_keys("R5县第一中学和R5县二中") == "R5县1中和R5县2中"


@pytest.mark.parametrize(("text", "name"), [
    ("希望开通A市经松柏岭客运站到滨江的公交车\n", "松柏岭客运站"),  # 经: via the station, no letter of its name
    ("公交车经松柏岭客运站时不停车\n", "松柏岭客运站"),
])
def test_a_route_preposition_is_no_first_letter_of_a_name(text, name):
    found = extract_place(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize(("text", "name"), [
    ("S3县县石桥中学附近养猪场污染水源\n粪水污染了石桥镇的河", "石桥中学"),  # not the town the body names
    ("T2区西湖小区垃圾无人清运\n", "西湖小区"),
])
def test_a_site_whose_second_letter_is_a_place_ending_is_found(text, name):
    found = extract_place(text)  # 桥, 湖 end a one-letter name of their own: the name goes on to its site
    assert found is not None and found.name == name


def test_an_area_whose_second_letter_is_a_place_ending_does_not_hide_its_village():
    found = extract_place("T2区东湖街道青竹村五组何时拆迁\n")
    assert found is not None and found.key == "青竹村"


@pytest.mark.parametrize(("text", "place", "key"), [
    ("投诉Q市职业技术学院国庆不放假\n", "Q市职业技术学院", "职业技术学院"),  # a kind of college: with its city
    ("Q市商贸旅游职业技术学院强制学生实习\n", "Q市商贸旅游职业技术学院", "商贸旅游职业技术学院"),  # 旅游: a field
])
def test_a_college_named_by_its_kind_is_shown_with_its_city(text, place, key):
    found = extract_places([text]).iloc[0]
    assert (found["place"], found["place_key"]) == (place, key)


@pytest.mark.parametrize(("text", "place"), [
    ("S5县桃源三小广播扰民\n我们住在桃源三期安置区", "S5县桃源三小"),  # not the estate the body names
    ("S5县桃源第三小学广播扰民\n我们住在桃源三期安置区", "S5县桃源第三小学"),
])
def test_a_school_named_by_a_place_and_its_number_is_one_school(text, place):
    found = extract_places([text]).iloc[0]
    assert (found["place"], found["place_key"]) == (place, "S5县桃源3小")


@pytest.mark.parametrize(("text", "place"), [
    ("S3县县火车站能否添加自动售票机\n", "S3县火车站"),  # what a county has one of, right after its code
    ("S3县人民医院乱收检查费\n", "S3县人民医院"),
    ("Q市汽车西站管理混乱\n", "Q市汽车西站"),
])
def test_what_a_district_has_one_of_is_a_place_after_its_code(text, place):
    found = extract_places([text]).iloc[0]
    assert (found["place"], found["place_key"]) == (place, place)


@pytest.mark.parametrize("text", ["去人民医院看病要排队\n", "S3县的中医院、人民医院都强制职工加班\n"])
def test_what_any_district_has_is_no_place_without_its_code(text):
    assert pd.isna(extract_places([text]).iloc[0]["place"])


def test_a_village_group_is_named_with_its_village():
    found = extract_places(["希望解决S3县县团结村鸭婆冲组老百姓用电难的问题\n"]).iloc[0]  # 团结 is a verb: no village alone
    assert (found["place"], found["place_key"]) == ("S3县团结村鸭婆冲组", "团结村鸭婆冲组")


def test_a_police_station_the_body_names_is_whom_one_reported_to():
    found = extract_places(["余易贷出借人的钱何时能追回\n我是出借人，S2区桃花岭派出所也在调查，但至今没有结果"]).iloc[0]
    assert pd.isna(found["place"]) or "派出所" not in found["place"]
    titled = extract_places(["S2区桃花岭派出所民警态度恶劣\n昨天去办事"]).iloc[0]  # what the title is about: still
    assert titled["place"] == "S2区桃花岭派出所"


@pytest.mark.parametrize(("text", "name"), [
    ("S4区德润路(三一大道口--车站路口)什么时候改造\n", "德润路"),  # 车站路 is a road, no more specific than 德润路
    ("S4区青竹幼儿园路段十字路口处建议增加减速带\n最近发现青竹幼儿园至明德路段车速很快", "青竹幼儿园"),  # the site
    # a road section is named by, as the body writes it
])
def test_a_road_named_after_a_site_is_a_road(text, name):
    found = extract_place(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize(("text", "name"), [
    ("请求尽快完成S4区新渡口路2014年棚改项目的扫尾工作\n", "新渡口路"),  # 年 of a date starts no name
    ("请问南二环往绕城高速一带有没有新的规划\n", "绕城高速"),  # 往 "towards" is no first letter of one
])
def test_a_date_s_unit_or_a_preposition_is_no_first_letter_of_a_name(text, name):
    found = extract_place(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize(("text", "key"), [
    ("S8县市水木兰亭小区用电问题求解决\n", "水木兰亭"),  # a county-level city's code written 县市: 市 is the code's
    ("S8县市场监管局不作为\n", None),  # 市场: a word of its own
])
def test_a_county_city_s_doubled_code(text, key):
    found = extract_places([text]).iloc[0]
    assert (None if pd.isna(found["place_key"]) else found["place_key"]) == key


@pytest.mark.parametrize(("text", "name"), [
    ("R3县环城东路学校扩建\n", "环城东路学校"),  # 环城 | 东路学校: not the fragment 东路学校
    ("投诉R2区长城翠郡小区物业\n", "长城翠郡小区"),
    ("R1区南路木兰路口公交少\n", "木兰路"),  # a road's letter after a code may end an anonymised road's name
])
def test_a_word_ending_in_a_site_letter_opens_the_name_it_stands_before(text, name):
    found = extract_place(text)
    assert found is not None and found.name == name


def test_a_doubled_village_letter_is_one():
    found = extract_place("R2区白沙镇石湾村村级路硬化\n")  # 村村 "every village"
    assert found is not None and found.name == "石湾村"


@pytest.mark.parametrize(("text", "key"), [
    ("R3区金井镇观佳村用水困难\n", "观佳村"),  # the village, not the town that holds it
    ("R4区东风街道蚌塘社区水管改造\n", "蚌塘"),
])
def test_a_village_is_more_specific_than_its_town(text, key):
    found = extract_place(text)
    assert found is not None and found.key == key



@pytest.mark.parametrize("text", ["咨询R6县养老保险\n本人一直有缴农村养老保险", "建议改变丧葬民俗\n但农村旧俗还很深"])
def test_the_countryside_is_no_village(text):
    assert extract_place(text) is None  # 农村 "the countryside" ends no village's name


def test_a_river_named_by_its_bank_is_where_the_road_after_it_is():
    found = extract_place("反映R市青江河西岸含东山湾路道路建设问题\n")  # 西岸: the river locates the road
    assert found is not None and found.name == "东山湾路"


@pytest.mark.parametrize(("text", "name"), [
    ("建议在R市青溪湖西路碧水雅苑路口装摄像头\n", "青溪湖西路"),  # a road named after a lake and its side
    ("R3区青溪湖环湖路沿线乱停乱靠\n", "环湖路"),  # the lake before a road of its shore is the area
])
def test_a_lake_before_a_road_names_the_road_or_the_area_it_is_in(text, name):
    found = extract_place(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize(("text", "name"), [
    # one line, title and body joined: the writer's introduction opens the body, the title's place is the place
    ("R7县五一桥是县里的重要文物，不能拆我叫王某，县图书馆退休干部，做文物保护工作10年", "五一桥"),
    ("R3区幸福路路灯坏了半年我是R3区金桂苑小区的业主，每天晚上", "幸福路"),
    ("R3区幸福路路灯坏了半年\n我是R3区金桂苑小区的业主，每天晚上", "幸福路"),  # as where the title has its line
    ("R3区幸福路路灯坏了半年尊敬的领导：您好！R3区金桂苑小区的业主每天晚上", "幸福路"),  # a greeting opens it too
])
def test_a_place_before_the_writers_introduction_is_the_titles(text, name):
    assert extract_place(text).name == name


def test_the_writers_own_place_stands_where_the_title_names_none():
    assert extract_place("物业乱收费怎么办我是R3区金桂苑小区的业主，每天晚上").name == "金桂苑小区"


@pytest.mark.parametrize(("text", "name"), [
    ("投诉R市福星驾校霸王条款\n我在驾校报名后", "福星驾校"),
    ("R4区其源驾校违规乱收费\n我在2018年5月报名", "其源驾校"),
])
def test_a_driving_school_is_a_place(text, name):
    assert extract_place(text).name == name


def test_a_driving_school_of_common_words_is_no_place_without_a_district():
    assert extract_place("投诉驾校乱收费驾校科目二补考收费需要一千元") is None


@pytest.mark.parametrize(("text", "place", "key"), [
    ("P3县青松镇果园小区路灯坏了\n果园小区晚上很黑", "P3县青松镇果园小区", "青松镇果园"),  # common words + 小区
    ("投诉P3县青松镇砖瓦厂排放黑烟\n砖瓦厂每天排烟", "P3县青松镇砖瓦厂", "青松镇砖瓦厂"),  # a kind of works
    ("P3县青松镇路灯坏了\n晚上很黑", "P3县青松镇", "青松镇"),  # the town alone
    ("P3县青松镇中心小学乱收费\n学校收费", "P3县青松镇中心小学", "P3县青松镇中心小学"),  # a town's school, as before
])
def test_a_common_name_right_after_a_town_is_that_towns_place(text, place, key):
    """A site of common words (果园小区, 砖瓦厂) written right after a town is the town's one: the place the message
    is about, not the town, keyed with the town so two towns' 果园小区 stay apart."""
    found = extract_places(pd.Series([text]))
    assert (found["place"][0], found["place_key"][0]) == (place, key)


@pytest.mark.parametrize("text", [
    "听说通知书是学校寄出的\n邮局却要收费",
    "原来那块空地为医院所有\n现在要建房",
])
def test_a_function_word_right_before_an_ending_ends_the_sentence_not_a_name(text):
    """是 / 为 right before a place's ending (通知书是学校) say what something is: a sentence, not a name."""
    place = extract_place(text)
    assert place is None or not {"是", "为"} & set(place.name)


def test_a_named_estate_inside_a_common_site_after_a_town_is_the_place():
    """A common site after a town (青松街道商贸广场) is the town's place only where the run names nothing more
    specific: the named estate inside it (翠竹苑) is what its owners write about."""
    found = extract_places(pd.Series(["请求撤销P3县青松街道商贸广场翠竹苑的协议\n我们是翠竹苑业主"]))
    assert found["place"][0].endswith("翠竹苑")


def test_a_second_area_between_the_town_and_a_common_site_keeps_the_towns_key():
    """青松镇红星街道果园小区 and 青松镇果园小区 are one estate: keyed with the town, not with the area between."""
    found = extract_places(pd.Series(["反映P3县青松镇红星街道果园小区噪音扰民\n果园小区晚上很吵",
                                      "P3县青松镇果园小区路灯坏了\n果园小区晚上很黑"]))
    assert found["place_key"][0] == found["place_key"][1] == "青松镇果园"



@pytest.mark.parametrize(("text", "name"), [
    ("请求解决翠湖星城及金沙湾国际社区居民出行问题", "翠湖星城"),  # 及 glued to 城 (城及) still parts two names
    ("反对将星岚公园改作商业用地", "星岚公园"),  # 将 glued to 星 (将星): the object's preposition
    ("建议将星华广场改为公园", "星华广场"),
    ("反对将军路拓宽", "将军路"),  # 军路 alone is no name: 将军路 stays whole
    ("关于地杨大厦电梯停运的投诉", "地杨大厦"),  # 地 after 关于 opens the name, no particle
    ("请求拆除华光中苑违建铁门", "华光中苑"),  # a side letter before a one-letter ending is the name's
    ("投诉光明西路违建严重", "光明西路"),
])
def test_a_name_is_read_whole_where_the_dictionary_cuts_it_at_a_function_letter(text, name):
    """Connectives, prepositions, particles and side letters the dictionary cut or glued wrongly around an
    invented name: 翠湖星城及金沙湾国际社区 is two names, 将星岚公园 and 关于地 | 杨 | 大厦 lose or keep their first
    letter by what stands before them, 华光 | 中 | 苑 keeps its side."""
    place = extract_place(text)
    assert place is not None and place.name == name


@pytest.mark.parametrize("text", ["作为市民的三馆一厅", "我们的县城何时通高铁", "为城区中小学招聘教师"])
def test_a_particle_after_a_noun_and_a_side_before_a_kind_stay_outside_names(text):
    """A particle after a noun or pronoun is one (市民的三馆), and 中 before 小学 is a kind's (中小学): no place."""
    assert extract_place(text) is None


def test_a_key_with_a_kind_word_before_its_ending_is_the_key_without_it():
    """岚沙文化公园 / 岚沙公园, 青岚实验小学 / 青岚小学 (a word saying which kind of park or school) meet at the
    shorter key; a side letter before a road's ending (营岚东路), a number (青岚二医院), a name (颐岚兰亭幼儿园) or a
    kind a district has one of under a name (青岚人民医院), a word the dictionary does not know (泉星: a community's
    name) keeps its key, as does a key whose shorter form no row has."""
    keys = pd.Series(["岚沙文化公园", "岚沙公园", "青岚实验小学", "青岚小学", "营岚东路", "营岚路", "青岚二医院",
                      "青岚医院", "颐岚兰亭幼儿园", "颐岚幼儿园", "青岚人民医院", "泉岚泉星公园", "泉岚公园", None],
                     dtype="string")
    merged = merge_inserted_keys(keys)
    assert merged[:4].tolist() == ["岚沙公园", "岚沙公园", "青岚小学", "青岚小学"]
    assert merged[4:13].tolist() == keys[4:13].tolist() and pd.isna(merged[13])


def test_keys_with_two_neighbouring_letters_swapped_are_one_key():
    """天岚中苑 / 岚天中苑 (two writers' spellings of one estate) meet at the key more rows have; keys of three
    letters (华天路 / 天华路, two roads as likely), digits and the ending are never swapped."""
    keys = pd.Series(["岚天中苑", "天岚中苑", "天岚中苑", "华天路", "天华路", None, "K9县2中", "K9县中2", "青岚苑甲",
                      "青岚甲苑"], dtype="string")
    merged = merge_swapped_keys(keys)
    assert merged[:3].tolist() == ["天岚中苑"] * 3
    assert merged[3:5].tolist() == ["华天路", "天华路"] and pd.isna(merged[5])
    assert merged[6:].tolist() == ["K9县2中", "K9县中2", "青岚苑甲", "青岚甲苑"]


def test_keys_whose_letters_sound_alike_are_one_key():
    """岚鑫麓城 / 岚心麓城, 岚星大道 / 岚兴大道, 岚娥中路 / 岚锷中路 (writers type a name by its pinyin; tones are not
    typed) meet at the key more rows have; a letter of another sound (岚锷南路), an ending of the same sound (岚心路 /
    岚心陆: the ending says the kind), a letter that orients or numbers places (东岚路 / 冬岚路), keys of two letters,
    and Latin letters keep their keys."""
    keys = pd.Series(["岚心麓城", "岚鑫麓城", "岚心麓城", "岚星大道", "岚兴大道", "岚兴大道", "岚娥中路", "岚锷中路",
                      "岚锷中路", "岚锷南路", None, "岚心路", "岚心陆", "东岚路", "冬岚路", "心城", "鑫城", "K9县岚心",
                      "k9县岚心"], dtype="string")
    merged = merge_homophone_keys(keys)
    assert merged[:9].tolist() == ["岚心麓城"] * 3 + ["岚兴大道"] * 3 + ["岚锷中路"] * 3
    assert merged[9] == "岚锷南路" and pd.isna(merged[10])
    assert merged[11:].tolist() == keys[11:].tolist()


@pytest.mark.parametrize("text, name", [
    ("K市梧桐路桥头王胖子烧烤店油烟扰民", "王胖子烧烤店"),  # 路桥 | 头: the bridge's head, not the shop's first letter
    ("B市解放路口李记米粉店占道经营", "李记米粉店"),
    ("关于C3县段滨江大道的绿化", "滨江大道"),  # C3县 | 段: the county's section
])
def test_a_position_word_after_a_place_or_a_code_is_not_the_next_names_first_letter(text, name):
    """A position letter that is a word of its own right after a place or a district code (桥头, 路口, A7县段) is
    that place's or code's: the next name starts after it."""
    place = extract_place(text)
    assert place is not None and place.name == name


@pytest.mark.parametrize("text", ["我是一个外地来星城打工的人", "今天八点来火车站买票", "反映大桥边上小区停水",
                                  "投诉楼下超市噪音扰民"])
def test_a_verb_of_coming_or_a_locative_word_before_an_ending_is_no_name(text):
    """来 glued to a name's first letter is the verb (外地来 | 星城: 星 alone names nothing), and a locative word alone
    before an ending (边上小区, 楼下超市) says where a place is, not which: no place."""
    assert extract_place(text) is None


@pytest.mark.parametrize("text, name", [("反映白沙镇台前村饮水问题", "台前村"), ("A1区东方家园土地被占", "东方家园"),
                                        ("A4区海外滩小区沉降", "海外滩小区")])
def test_a_locative_word_of_a_village_or_a_name_stays(text, name):
    """A village named by a position (台前村) and a name the dictionary tags as a locative (东方, 海外) stay."""
    place = extract_place(text)
    assert place is not None and place.name == name


@pytest.mark.parametrize("text, name", [
    ("投诉西地省星河泰达精密仪器制造有限公司拖欠货款", "星河泰达精密仪器制造有限公司"),
    ("举报岚峰鼎盛健康管理有限责任公司拖欠员工工资", "岚峰鼎盛健康管理有限责任公司"),
    ("西地省岚峰鼎盛商务信息服务有限公司涉嫌非法集资", "岚峰鼎盛商务信息服务有限公司"),
])
def test_a_company_s_field_before_its_legal_form_is_part_of_its_name(text, name):
    """What a company does, written before its legal form (制造 | 有限公司, 管理 | 有限责任公司), is its field, not a verb
    the name starts after: the registered name is the place, however long (not nothing, nor 天下商务… cut short)."""
    place = extract_place(text)
    assert place is not None and place.name == name


def test_a_legal_form_alone_is_no_company():
    assert extract_place("投诉有限公司乱收费") is None



@pytest.mark.parametrize("title, body, place", [
    ("B3区青石镇的路灯何时能装好？", "B3区青石镇从江南东路口到果园大道一段一直没有路灯，晚上出行不便", "青石镇"),
    ("反映B3区青石镇石塘村公路硬化问题", "1、石塘村到兴旺路的村级公路一直没有硬化", "石塘村"),
])
def test_a_bare_exports_glued_title_names_the_place_as_a_title_line_does(title, body, place):
    """Title and body in one text with nothing between them (a bare export's records): the title found where it
    ends (``titles.glued_title``) is the title, so its place beats a road the body names first, as it does when the
    title has a line of its own. Read as one title, the road won (江南东路, 兴旺路)."""
    def key(text: str) -> str:
        return place_columns(pd.DataFrame({"text": [text]}))["place_key"].iloc[0]

    assert key(title + body) == key(f"{title}\n{body}") == place


def test_runs_are_cut_at_codes_and_separators_in_one_pass_as_in_two():
    """The one RE2 split (:data:`_A_SPLIT_CODES`) cuts where replacing the codes by a space and splitting did."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from minsheng.engine.places import _A_ANY_DISTRICT, _A_SPLIT_CODES

    texts = pa.array(["A市A5区万科魅力之城小区，油烟", "AB1区丽发新城", "A1区", "西地省A市K8县县城 L10县火车站!",
                      "投诉A12区3栋", "", "，，A市", "B2县县青苹果幼儿园X9镇"], pa.large_string())
    two = pc.split_pattern_regex(pc.replace_substring_regex(texts, _A_ANY_DISTRICT, " "), "[^\u4e00-\u9fa5A-Za-z0-9]+")
    one = pc.split_pattern_regex(texts, _A_SPLIT_CODES)
    assert one.to_pylist() == two.to_pylist()
    assert one.to_pylist()[0] == ["", "万科魅力之城小区", "油烟"]


def test_runs_cache_starting_again_keeps_the_runs_it_had(monkeypatch):
    """A partition whose new runs overflow the cache of runs (it then starts again) still gets the places of
    its runs read before: they were cleared with the rest and are read again, not looked up (a KeyError)."""
    from minsheng.engine import places

    monkeypatch.setattr(places, "_PLACES_OF", {})
    monkeypatch.setattr(places, "_MAX_RUNS", 3)
    first = place_columns(pd.DataFrame({"text": ["投诉丽发新城附近搅拌站，汇金路口红绿灯"]}))
    both = place_columns(pd.DataFrame({"text": ["投诉丽发新城附近搅拌站，月湖公园建设，国金中心施工",
                                                "投诉丽发新城附近搅拌站，汇金路口红绿灯"]}))
    assert both["place"].tolist() == ["丽发新城", first["place"].iloc[0]] == ["丽发新城", "丽发新城"]
