"""Personal-data masking: what must be masked is, what only looks like it is not."""

import string
import unicodedata
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import examples

from minsheng.engine.masking import (
    _AT_BUILDING,
    _AT_LETTER,
    _FOLD,
    _PLATE,
    _ROOM,
    _matches_at,
    _starts,
    is_resident_id,
    mask_as_written,
    mask_names,
    mask_personal_data,
    mask_quoted,
    masks_in,
    passes_luhn,
)


def test_valid_resident_id_is_masked_keeping_ends():
    text, counts = mask_personal_data("身份证11010519491231002X，请核实")
    assert text == "身份证1101**********002X,请核实".replace(",", "，")
    assert counts["id_card"] == 1


def test_order_number_with_bad_checksum_is_left_alone():
    assert not is_resident_id("110105194912310021")
    text, counts = mask_personal_data("订单号110105194912310021未到账")
    assert "110105194912310021" in text
    assert sum(counts.values()) == 0


def test_bank_card_needs_luhn():
    assert not passes_luhn("4111111111111112")
    assert "4111111111111112" in mask_personal_data("卡号4111111111111112")[0]
    good = "4111111111111111"  # the classic Luhn-valid test number
    assert passes_luhn(good)
    text, counts = mask_personal_data(f"卡号{good}")
    assert text == "卡号4111********1111"
    assert counts["bank_card"] == 1


def test_long_number_with_no_card_issuer_prefix_is_not_a_card():
    text, counts = mask_personal_data("订单号190243199309165120")  # passes Luhn, starts with 1
    assert "190243199309165120" in text and not counts


def test_mobile_numbers_in_several_spellings():
    for raw in ("13812345678", "138-1234-5678", "138 1234 5678", "+86 13812345678"):
        text, counts = mask_personal_data(f"电话{raw}。")
        assert "138****5678" in text, raw
        assert counts["mobile"] == 1


def test_landline_and_email():
    text, counts = mask_personal_data("座机0731-88886666，邮箱zhang.san@gov.cn")
    assert "0731-****6666" in text
    assert "z***@gov.cn" in text
    assert counts["landline"] == 1 and counts["email"] == 1


def test_short_numbers_and_years_are_not_personal_data():
    text, counts = mask_personal_data("2020年8月16日拨打12345热线，等了30分钟")
    assert text == "2020年8月16日拨打12345热线，等了30分钟"
    assert not counts


def test_zero_placeholders_left_by_earlier_anonymisation_are_not_counted():
    text, counts = mask_personal_data("咨询电话0000-00000000")
    assert text == "咨询电话0000-00000000" and not counts


@pytest.mark.parametrize(("text", "masked"), [
    ("楚江世纪城达江苑10栋1806室从事传销活动", "楚江世纪城达江苑10栋****室从事传销活动"),
    ("3栋2单元5楼505室漏水", "3栋*单元*楼***室漏水"),
    ("1栋1单元1501号房", "1栋*单元****号房"),
    ("5号楼301的住户", "5号楼***的住户"),
    ("景塘家园二栋2单元3306室", "景塘家园二栋*单元****室"),
    ("家住步梯5 栋201 房", "家住步梯5 栋*** 房"),
    ("约谈G1栋1624业主", "约谈G1栋****业主"),
])
def test_a_home_address_is_masked_below_its_building(text, masked):
    """The estate and building stay readable (places and hot issues use them); unit, floor and room do not."""
    out, counts = mask_personal_data(text)
    assert (out, counts["address"]) == (masked, 1)
    assert mask_as_written(text)[0] == masked and masks_in(masked)["address"] == 1


@pytest.mark.parametrize("text", ["五矿万境25栋的业主", "10栋2018年交房", "25栋1楼", "共有3栋200户", "3栋2单元",
                                  "6栋24层的房子", "讲座1203人"])
def test_a_building_without_a_room_is_not_an_address_to_mask(text):
    assert mask_personal_data(text) == (text, Counter())


@pytest.mark.parametrize(("text", "masked"), [
    ("报案时，副局长邓峰其，经侦毛均不受理", "报案时，副局长邓*其，经侦毛均不受理"),
    ("组长何伟明将两份通知", "组长何**将两份通知"),
    ("一名叫“李婷岩”的股东", "一名叫“李**”的股东"),
    ("联系人：梁国建，联系电话", "联系人：梁**，联系电话"),
    ("董事长兼法人范可风于2019年跑路", "董事长兼法人范**于2019年跑路"),
])
def test_a_full_name_after_what_the_person_is_keeps_only_its_surname(text, masked):
    assert mask_names(text) == (masked, 1)
    assert mask_as_written(text)[0] == text  # what an officer must act on keeps the name
    assert mask_personal_data(text)[0] == text  # and so does the text the analysis reads


@pytest.mark.parametrize("text", ["该院儿科医生严重不足", "有限公司负责人陈述以下情况", "案场经理李经理始终跟进",
                                  "负责人向我介绍了情况", "股东方面的认可", "请胡书记关注此案"])
def test_words_after_a_post_that_are_no_name_stay(text):
    assert mask_names(text) == (text, 0)


@pytest.mark.parametrize(("text", "masked"), [
    ("您好！我叫李建义，来自湖北", "您好！我叫李**，来自湖北"),  # 李建义 is a word of the dictionary
    ("本人黄友秀，女，现龄55岁", "本人黄**，女，现龄55岁"),
    ("我是何珣，男，现年30岁", "我是何*，男，现年30岁"),
    ("本人姓名：陈巍，电话", "本人姓名：陈*，电话"),
])
def test_a_writer_who_introduces_themselves_keeps_only_their_surname(text, masked):
    assert mask_names(text) == (masked, 1)


@pytest.mark.parametrize(("text", "masked"), [
    ("您好，本人杨俊，身份证号码", "您好，本人杨*，身份证号码"),  # 杨俊 is a word of the dictionary (a name)
    ("本人唐桂花，女，现年55岁", "本人唐**，女，现年55岁"),  # 桂花 is one too
    ("举报内容：本人唐明新举报A市某公司", "举报内容：本人唐**举报A市某公司"),
    ("本人李召于2012年和同事", "本人李*于2012年和同事"),
    ("本人彭齐成是某公司员工", "本人彭**是某公司员工"),
    ("本人陈可实名举报招标", "本人陈*实名举报招标"),
    ("本人余建山和靳某", "本人余**和靳某"),
])
def test_a_writer_s_own_name_is_found_by_what_follows_it_not_by_the_dictionary(text, masked):
    assert mask_names(text) == (masked, 1)


@pytest.mark.parametrize(("text", "masked"), [
    ("本人刘龙继任现场技术总工", "本人刘*继任现场技术总工"),
    ("我是王向龙不喜欢这样", "我是王**不喜欢这样"),
    ("本人李明华因工作调动", "本人李**因工作调动"),
    ("本人王小明在2019年购买", "本人王**在2019年购买"),
    ("本人周建国已经退休", "本人周**已经退休"),  # the tagger reads 周|建国: the given name as a word
])
def test_a_writer_s_own_name_running_into_what_they_say_keeps_only_its_surname(text, masked):
    """No listed word follows these names: the tagger reads a person's name and then a verb, a preposition or an
    adverb, the sentence going on after its subject."""
    assert mask_names(text) == (masked, 1)


@pytest.mark.parametrize("text", ["我是曹家镇卢家村村民", "本人曾多次前往银行", "我是余易贷出借人", "我是金科天悦的住户",
                                  "本人于今年8月", "我叫李某，男", "本人发现楼道漏水", "我是业主，", "本人曾多次与该公司沟通",
                                  "本人向您反映一个问题", "我是金陵镇（原莲花乡）村民", "本人谢某（男，汉族）", "我是程序员，",
                                  "本人任大队民办教师", "我是高三学生", "本人曾是移动员工",
                                  "我是罗涵庄村民", "我是龙腾大厦业主", "我是金澎名都的住户", "我是张家界的导游"])
def test_what_follows_i_am_that_is_no_name_stays(text):
    assert mask_names(text) == (text, 0)


@pytest.mark.parametrize(("text", "masked", "kind"), [
    ("电话：0746—6222903，K市", "电话：0746****2903，K市", "landline"),
    ("电话0731 8123456。", "电话0731****3456。", "landline"),
    ("咨询电话：0736- 7898402。", "咨询电话：0736-****8402。", "landline"),
    ("手机138—1234—5678", "手机138****5678", "mobile"),
])
def test_a_number_written_with_a_dash_or_a_space_is_masked(text, masked, kind):
    assert mask_as_written(text)[0] == masked and masks_in(masked)[kind] == 1
    out, counts = mask_personal_data(text)
    assert out == masked and counts == Counter({kind: 1})


def test_the_tables_a_result_hands_on_name_roles_not_people(tmp_path):
    """write_result masks names and doors' numbers in every table (hot issues, suggestions, their quotes), not in
    the records; masking the tables again (the platform does before it loads them) finds nothing more."""
    import pandas as pd

    from minsheng.engine.result import AnalysisResult, mask_tables, read_result, write_result

    text = "报案时，副局长邓峰其不受理，韶山路123号门前"
    hot = pd.DataFrame({"rank": [1], "description": [text], "place_or_group": ["韶山路123号"], "member_ids": ["1;2"]})
    masked = mask_tables(AnalysisResult(records=pd.DataFrame({"id": ["1"], "text": [text]}), hot_issues=hot))
    write_result(masked, tmp_path)
    back = read_result(tmp_path)
    assert back.hot_issues["description"].tolist() == ["报案时，副局长邓*其不受理，韶山路***号门前"]
    assert back.hot_issues["place_or_group"].tolist() == ["韶山路***号"]
    assert back.records["text"].tolist() == [text]
    assert (back.summary["names_masked_in_tables"], back.summary["doors_masked_in_tables"]) == (1, 2)



def test_a_suggestions_headline_reads_some_one_where_a_detail_was_masked(tmp_path):
    """A suggestion's headline stands for many writers: where a door's number, a name or a plate was masked (in the
    text, or by the tables' own masking) it says 某, so a planner does not read "**号" or "楚M*****号车" in the
    digest; its quotes keep the writers' words as masked."""
    import pandas as pd

    from minsheng.engine.result import AnalysisResult, mask_tables

    text = "A4区陡岭支路12号金属包装厂内违章建筑盼拆除"
    suggestions = pd.DataFrame({"rank": [1, 2], "headline": [text, "楚M*****号车每天占用消防通道"],
                                "quote_1": [text, "楚M*****号车"], "member_ids": ["1", "2"]})
    masked = mask_tables(AnalysisResult(records=pd.DataFrame({"id": ["1"], "text": [text]}), suggestions=suggestions))
    assert masked.suggestions["headline"].tolist() == ["A4区陡岭支路某号金属包装厂内违章建筑盼拆除", "楚某号车每天占用消防通道"]
    assert masked.suggestions["quote_1"].tolist() == ["A4区陡岭支路**号金属包装厂内违章建筑盼拆除", "楚M*****号车"]

def test_a_name_learnt_after_a_post_is_masked_wherever_it_is_written(tmp_path):
    """A name is known once a post stands before it; then a table sentence that names no post hides it too, and a
    two-letter name always written with the same letter after it takes that letter (邓峰|其)."""
    import pandas as pd

    from minsheng.engine.masking import names_in
    from minsheng.engine.result import AnalysisResult, read_result, write_result

    texts = pd.Series(["报案时，副局长邓峰其，经侦毛均不受理", "要求发全国协查，得到邓峰其的回答是：四个月后",
                       "组长何伟明将两份通知送到", "何伟明天天来", "没有人名的句子"])
    assert names_in(texts) == {"邓峰", "邓峰其", "何伟明"}
    hot = pd.DataFrame({"rank": [1, 2], "description": [texts[1], "请尽快处理"]})
    write_result(AnalysisResult(records=pd.DataFrame({"id": list("12345"), "text": texts}), hot_issues=hot), tmp_path)
    back = read_result(tmp_path)
    assert back.hot_issues["description"].tolist() == ["要求发全国协查，得到邓**的回答是：四个月后", "请尽快处理"]
    assert back.summary["names_masked_in_tables"] == 1
    assert back.records["text"].tolist() == texts.tolist()  # what officers act on keeps the names


def test_table_cells_read_in_python_are_only_those_an_re2_scan_finds_and_mask_the_same(monkeypatch):
    """mask_names_frame reads in Python only the cells one RE2 scan of their column finds a post, a known name or 号
    in (a million records' member lists are ids), and masks what reading every cell masked: full-width spaces and
    digits, a name learnt elsewhere, a column of numbers and texts."""
    import pandas as pd

    from minsheng.engine import masking

    cells = ["报案时，副局长\u3000邓峰其不受理", "韶山路12\u3000号门前", "得到何伟明的回答", "1;2;3;4", None,
             "五一大道１２０号", "没有人名的句子"]
    frame = pd.DataFrame({"text": cells, "ids": ["1;2"] * len(cells), "mixed": [1, "组长何伟明说", 2.5, None, "x", 7, "y"]})
    known = frozenset({"何伟明"})

    def by_cell(value):
        if not isinstance(value, str):
            return value
        return masking.mask_doors(masking.mask_names(value, known)[0])[0]

    searched = []

    class Counted:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, text):
            searched.append(text)
            return self.pattern.search(text)

        def __getattr__(self, name):
            return getattr(self.pattern, name)

    monkeypatch.setattr(masking, "_BEFORE_NAME", Counted(masking._BEFORE_NAME))
    out, counts = masking.mask_names_frame(frame, known)
    assert out["text"].fillna("-").tolist() == [by_cell(v) or "-" for v in cells]
    assert out["text"].tolist()[:3] == ["报案时，副局长\u3000邓*其不受理", "韶山路**\u3000号门前", "得到何**的回答"]
    assert out["mixed"].tolist() == [by_cell(v) for v in frame["mixed"]]
    assert out["ids"].tolist() == frame["ids"].tolist()
    assert counts == {"names": 3, "doors": 2}
    # only the cells with a post, a known name or 号 of the text column; every text of the mixed one
    assert sorted(searched) == sorted([cells[0], cells[1], cells[2], cells[5], "组长何伟明说", "x", "y"])


def test_no_name_is_learnt_from_texts_without_a_post():
    import pandas as pd

    from minsheng.engine.masking import names_in

    assert names_in(pd.Series(["邓峰其的回答", None, ""], dtype=object)) == frozenset()


@pytest.mark.parametrize(("text", "masked"), [
    ("我家住韶山路123号，楼下噪音扰民", "我家住韶山路***号，楼下噪音扰民"),
    ("解放西路12-3号门口积水", "解放西路**-*号门口积水"),
    ("潇湘村5组17号的老人", "潇湘村5组**号的老人"),
    ("东四十条胡同８号院", "东四十条胡同*号院"),
    ("五一大道１２０号", "五一大道***号"),
])
def test_a_door_number_on_a_road_is_masked_in_what_is_handed_on(text, masked):
    """A street door's number with its road finds a home as surely as a flat's room; the analysis reads it as
    written (places), so it is masked where rooms are not enough: tables, exports and reports."""
    from minsheng.engine.masking import mask_doors

    assert mask_doors(text) == (masked, 1)
    assert mask_personal_data(text)[0] == mask_as_written(text)[0] == text  # the analysis and officers read it


@pytest.mark.parametrize("text", ["地铁3号线延长到韶山路", "解放路3号楼的电梯", "按照市政府令第12号文", "12月3号开会",
                                  "五一路口2号出口", "道路12号线"])
def test_what_only_looks_like_a_door_number_stays(text):
    from minsheng.engine.masking import mask_doors

    assert mask_doors(text) == (text, 0)



@pytest.mark.parametrize(("text", "masked"), [
    ("车牌号码为苏E2G81C。", "车牌号码为苏E*****。"),
    ("白色车）赣A50397一汽丰田", "白色车）赣A*****一汽丰田"),
    ("鄂A600HV、湘A·1234X", "鄂A*****、湘A·*****"),
    ("新能源车粤BD12345停在消防通道", "新能源车粤B******停在消防通道"),
    ("车牌湘ａ１２３４５", "车牌湘a*****"),  # full-width, as a phone would type it
    ("分别有楚AT8J09、楚h86270", "分别有楚A*****、楚h*****"),  # teddy2020 anonymises the province as 楚
    ("一辆秦A·1234X停在路口", "一辆秦A·*****停在路口"),  # an old state's name, a surname to the tagger
    ("车牌号为蜀B 12345的货车", "车牌号为蜀B *****的货车"),  # Sichuan's other abbreviation
])
def test_a_licence_plate_keeps_its_province_and_city_only(text, masked):
    out, counts = mask_as_written(text)
    assert out == masked and counts["plate"] == masked.count("*****") and masks_in(out)["plate"] == counts["plate"]
    assert mask_quoted(text) == masked
    assert mask_personal_data(unicodedata.normalize("NFKC", text))[1]["plate"] == counts["plate"]  # as normalised


@pytest.mark.parametrize("text", ["川A和iPhone都有", "新Apple手机", "苏E2G开头", "粤BABCDE",
                                  "国家标准GB3096-2008", "执行GB50016规范", "消毒柜型号ztd100b-809",
                                  "型号hro7558", "国道g354A8县段", "采用dn200pe管", "城管人员CG0027",
                                  "经G0401A市绕城高速", "采购型号为KFR35GW的空调", "编号为ABC12345的文件"])
def test_what_only_looks_like_a_plate_stays(text):
    assert mask_as_written(text) == (text, Counter())


@pytest.mark.parametrize(("text", "masked"), [
    ("金麓西岸和苑2-1-2单元1916", "金麓西岸和苑2-*-*单元****"),
    ("华盛世纪新城3-2-1606，住户", "华盛世纪新城3-*-****，住户"),
    ("家住5－2－301室", "家住5-*-***室"),
    ("月湖小区1-23-1-602/1-23-1-202", "月湖小区1-**-*-***/1-**-*-***"),
    ("四期：a33-1-601", "四期：a33-*-***"),
    ("青青家园7-104叫了外卖", "青青家园7-***叫了外卖"),
    ("金茂府5-4304一房二卖", "金茂府5-****一房二卖"),
    ("今A栋3-201去充水电", "今A栋3-***去充水电"),
])
def test_a_flat_written_with_dashes_is_masked_below_its_building(text, masked):
    out, counts = mask_as_written(text)
    assert out == masked and counts["address"] == masks_in(out)["address"] >= 1
    assert mask_personal_data(unicodedata.normalize("NFKC", text))[0] == unicodedata.normalize("NFKC", masked)


@pytest.mark.parametrize("text", ["收费100-200元", "80-100分贝", "3-400的物业费", "66-110千伏", "2019-6-12办理",
                                  "2016-01-04版本", "CJJ27-2005", "GB3096—2008", "cjj/t47-2016", "7-9-10栋",
                                  "105-106-107打通", "401-406号", "D7-2-1地块", "7:30-18:00", "1-15楼", "20-30分钟",
                                  "300-500张", "5-6000元"])
def test_ranges_dates_and_standards_with_dashes_stay(text):
    assert mask_as_written(text) == (text, Counter())
    assert mask_personal_data(text)[1] == Counter()


# Local parts and domains as people write them: one letter, dots, plus tags, underscores first; one-letter labels.
_LOCAL = st.text(string.ascii_letters + string.digits + "._%+-", min_size=1, max_size=8)
_LABEL = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=5)


@examples(200)
@given(_LOCAL, st.lists(_LABEL, min_size=1, max_size=3), st.sampled_from(["cn", "com", "org"]),
       st.sampled_from(["邮箱", "联系 ", "。"]), st.sampled_from(["谢谢", " ", "。", ""]))
def test_every_e_mail_address_is_masked_to_its_first_letter(local, labels, tld, before, after):
    """Before: an address shorter than seven characters (a@b.cn) was never looked at, and one opening with a
    character no number opens with (_a@b.cn) showed two of its letters."""
    domain = ".".join([*labels, tld])
    text = f"{before}{local}@{domain}{after}"
    shown = f"{before}{local[0]}***@{domain}{after}"
    for mask in (mask_personal_data, mask_as_written):
        assert mask(text) == (shown, Counter(email=1)), mask
    assert mask_quoted(text) == shown


@pytest.mark.parametrize("text", ["版本号1.2.3", "文件名a.b", "见附件a.doc", "v2.0.1版", "@张三 你好", "a@b", "x@1.2",
                                  "邮箱@qq.com"])
def test_what_only_looks_like_an_e_mail_is_left_alone(text):
    assert mask_personal_data(text) == (text, Counter()) and mask_quoted(text) == text


def test_pseudonyms_of_a_column_are_each_writers_own_wherever_writers_are_missing():
    """The column is written as Arrow bytes with a null where the writer is missing: each present writer gets the
    pseudonym it gets alone, whatever is missing around it (none, the first, every other, all but one)."""
    import pandas as pd

    from minsheng.engine.masking import pseudonyms

    writers = [f"用户{i}" if i % 3 else f"1380000{i:04d}" for i in range(40)]
    alone = {w: pseudonyms(pd.Series([w]), key="k").iloc[0] for w in writers}
    for missing in (set(), {0}, set(range(0, 40, 2)), set(range(1, 40))):
        column = pd.Series([None if i in missing else w for i, w in enumerate(writers)], index=range(100, 140))
        named = pseudonyms(column, key="k")
        assert str(named.dtype) == "str" and named.index.equals(column.index)
        assert [None if pd.isna(v) else v for v in named] == [None if i in missing else alone[w]
                                                             for i, w in enumerate(writers)]
        assert all(len(alone[w]) == 17 and alone[w][0] == "u" and alone[w][1:].isalpha() for w in writers)


# Rooms and plates near what they are easily confused with: building words, 号 alone, letters first or last, a
# character beyond the BMP (its position counts as one), full-width letters and digits as mask_as_written reads them.
_PLACES = st.text("栋幢座号楼单元室层房年 0123456789-—·.湘楚讲AbGxＡ１\U0001F600\ud800", max_size=40)


@examples(400)
@given(_PLACES)
def test_rooms_and_plates_tried_only_where_one_can_start_are_found_as_a_scan_finds_them(text):
    """A room and a plate are tried only at a building's word or a Latin letter (a table lookup, not re's scan of
    every position): the matches are a scan's, the same spans in the same order, in the text and in its fold."""
    for written in (text, text.translate(_FOLD)):
        starts = _starts(written)
        for pattern, kind in ((_ROOM, _AT_BUILDING), (_PLATE, _AT_LETTER)):
            found = [m.span() for m in _matches_at(pattern, written, starts[kind])]
            assert found == [m.span() for m in pattern.finditer(written)], pattern.pattern[:20]


@pytest.mark.parametrize(("text", "masked"), [
    ("A栋1203室，车牌湘A12345", "A栋****室，车牌湘A*****"),
    ("湘A12345在3号楼502", "湘A*****在3号楼***"),
    ("车牌湘Ａ１２３４５，住5 栋201 房", "车牌湘A*****，住5 栋*** 房"),
])
def test_rooms_and_plates_at_a_text_s_edges_and_full_width(text, masked):
    assert mask_personal_data(unicodedata.normalize("NFKC", text))[0] == unicodedata.normalize("NFKC", masked)
    assert mask_as_written(text)[0] == masked


def test_a_phone_field_is_masked_whatever_its_shape():
    """``mask_phone`` masks a phone field's value whether or not it is a number a phone plan dials: the recipient's
    validator accepted 07341234567 and 01012345678 (kept in records made before it took :func:`is_phone`'s rule), and a rule read from
    ``is_phone`` showed them in full to offered providers and in the export's 联系电话（脱敏）."""
    from minsheng.engine.masking import is_phone, mask_phone

    assert not is_phone("07341234567") and not is_phone("12345678")
    assert [mask_phone(v) for v in ("07341234567", "01012345678", "12345678", "8123456")] == [
        "073****4567", "010****5678", "123*5678", "*******"]
    assert [mask_phone(v) for v in ("13812345678", "07348123456")] == ["138****5678", "073****3456"]
