"""Subject lines glued to their body get their line break back (engine/titles.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from minsheng.engine.titles import (
    glued_export,
    glued_title,
    glued_title_ends,
    restore_title,
    restore_titles,
    texts_as_read,
    title_ends,
    with_title_ends,
)

TEDDY = Path(__file__).resolve().parents[3] / "shared" / "data" / "teddy2020"


@pytest.mark.parametrize(("text", "title"), [
    ("D12市砖厂协会违规操控市场价格尊敬的政府相关部门，今年以来", "D12市砖厂协会违规操控市场价格"),
    ("M14县出租车燃油补贴早就该发下来了彭县长：你好！我是一名出租车司机", "M14县出租车燃油补贴早就该发下来了"),
    ("关于G4县农村自建房办房产证的咨询请问农村自建房能办房产证吗？", "关于G4县农村自建房办房产证的咨询"),
    ("C市的士拒载有人管吗本人于2017年10月17晚在基建营附近", "C市的士拒载有人管吗"),
    ("反映A7县幼儿园开办的问题领导们好！我是A7县黄花镇的普通村民", "反映A7县幼儿园开办的问题"),
    # a body that opens by repeating its title word for word
    ("K1区北欧春天小区旁边工地晚上经常施工很晚K1区北欧春天小区旁边工地晚上经常施工很晚，严重影响了周边居民",
     "K1区北欧春天小区旁边工地晚上经常施工很晚"),
    ("小区哈哈超市噪音扰民小区哈哈超市噪音扰民，每天早上六点", "小区哈哈超市噪音扰民"),  # not cut at 哈哈
])
def test_a_body_that_opens_unmistakably_ends_the_title(text, title):
    assert text[:glued_title(text)] == title


@pytest.mark.parametrize("text", [
    "建议放宽二套房限购政策，因为现在负担太重。",  # advice alone: no title
    "小区停水，我是3栋的业主，请尽快恢复",  # a clause before the opening: a sentence, not a subject line
    "小区停水\n尊敬的领导：请尽快恢复",  # has its line break
    "请问公积金能贷款吗",  # an opening at the start is no title's end
    "A市新奥燃气强行给我家换气表后，气的用量翻倍",  # 我家 is written in titles too
    "好好好好好学习天天向上的孩子们在学校",  # a word repeated is no title repeated: too short
])
def test_texts_without_an_unmistakable_opening_stay_as_written(text):
    assert glued_title(text) == 0
    assert restore_title(text) == text


def test_a_glued_title_opens_the_hot_issue_and_its_body_is_read_for_the_ask():
    """A file with one text column (subject and body joined): the description opens with the subject and shows
    the ask of the body, not the first 60 characters of both."""
    from minsheng.engine.hot_issues.naming import _describe

    text = "咨询独生子女退休职工奖励费我是下岗职工，今年三月办理退休手续。请问能否补发奖励费？"
    texts = texts_as_read(pd.DataFrame({"text": [text, text]}))  # as the hot stage reads them
    described = _describe("", pd.Series(texts).to_numpy(), pd.Series([0, 0]).to_numpy(), None, 2, None, None)
    assert described.startswith("咨询独生子女退休职工奖励费；诉求：请问能否补发奖励费？")


@pytest.mark.skipif(not (TEDDY / "messages_replied.csv").exists(), reason="teddy2020 data not available")
def test_glued_titles_of_real_messages_are_found_where_they_end():
    """Titled teddy2020 messages glued back together: where a title is restored it is the writer's, nearly always
    (the module's docstring has the figures; this holds the floor)."""
    frames = [pd.read_csv(TEDDY / f, dtype=str).fillna("") for f in ("messages_replied.csv", "messages_labeled.csv")]
    pairs = pd.concat([f[["title", "body"]] for f in frames]).map(str.strip).drop_duplicates()
    pairs = pairs[(pairs["title"] != "") & (pairs["body"] != "")]
    cuts = [glued_title(t + b) for t, b in zip(pairs["title"], pairs["body"], strict=True)]
    split = [(k, len(t)) for k, t in zip(cuts, pairs["title"], strict=True) if k]
    assert len(split) >= 0.25 * len(pairs)
    assert sum(k == n for k, n in split) >= 0.9 * len(split)
    assert sum(abs(k - n) > 2 for k, n in split) <= 0.06 * len(split)


def test_a_theme_is_labelled_by_a_glued_title_without_its_body():
    from minsheng.engine.digest_wording import phrase_label

    def label(text: str) -> str:  # a theme of a file of such texts: the run decided they glued their titles
        return phrase_label(texts_as_read(pd.DataFrame({"text": [text]})))

    assert label("农民工维权为什么如此难？尊敬的刘主席：我是一名农民工兄弟，早在今年四、五月") == "农民工维权为什么如此难？"
    assert label("请问液化气罐报废时间到底是多久我想请问一下国家规定液化气罐到底报废时间是多久") == "请问液化气罐报废时间到底是多久"


def test_title_ends_are_the_runs_decision_or_taken_over_all_the_records():
    glued = "咨询独生子女退休职工奖励费我是下岗职工，今年三月办理退休手续"
    advice = "体育场馆开放收费太高，希望尽早推动体育场馆免费或低收费开放，群众等了很久。"
    assert glued_title(advice)  # searched alone, the advice is cut inside its ask
    titled = ["小区停水\n请尽快恢复供水", "路灯不亮\n请修理", "噪音扰民\n请处理"]
    assert title_ends(pd.DataFrame({"text": [*titled, advice]})).tolist() == [0, 0, 0, 0]
    assert title_ends(pd.DataFrame({"text": [glued, advice]})).tolist() == [13, glued_title(advice)]
    assert title_ends(pd.DataFrame({"text": [glued, advice]}), [1]).tolist() == [glued_title(advice)]
    given = pd.DataFrame({"text": [glued, advice], "title_end": [0, 0]})  # the run's decision is followed
    assert title_ends(given).tolist() == [0, 0] and texts_as_read(given) == [glued, advice]


def test_a_run_whose_titles_have_lines_reads_one_line_advice_whole_everywhere(tmp_path):
    """A file whose messages have title lines glued no title to a body: its one-line advice is read as written by
    every reader of a title, the theme labels and the hot issues' descriptions as the digest. Searched for a glued
    title each, the labels and descriptions ended "…，希望尽早推动" (cut inside the ask)."""
    import re

    from tests.engine.test_digest import _with_one_line_advice

    from minsheng.engine.pipeline import AnalyzeOptions, analyze

    frame = _with_one_line_advice()
    frame = pd.concat([frame, frame.assign(id=frame["id"] + "x", user=frame["user"] + "x")], ignore_index=True)
    frame.to_csv(tmp_path / "f.csv", index=False)
    result = analyze([tmp_path / "f.csv"], AnalyzeOptions(workers=1))
    shown = [*result.themes["label"], *result.hot_issues["description"], *result.suggestions["headline"]]
    assert sum("体育场馆开放" in line for line in shown) >= 5
    assert not [line for line in shown if re.search("希望尽早推动(?!体育)", str(line))]


def test_a_title_with_a_comma_ends_only_where_a_greeting_or_an_address_opens_the_body():
    text = "星沙博世公司强迫员工加班，且加班费不当月发放尊敬的领导：我是星沙博世汽配的员工"
    assert text[:glued_title(text)] == "星沙博世公司强迫员工加班，且加班费不当月发放"
    assert glued_title("建议放宽二套房限购政策，我是一名普通市民") == 0  # 我是 after a comma: a sentence goes on


@pytest.mark.parametrize(("text", "title"), [
    ("R3县青云祖庙借教敛财，为何不管？R3县王区长：您好，这座庙", "R3县青云祖庙借教敛财，为何不管？"),  # not …？R3县
    ("R5区桃园村组长强行私填鱼塘田地！各级领导大家好，我是村民", "R5区桃园村组长强行私填鱼塘田地！"),  # not …！各级
    ("R2区山湖小区违章何时拆除？绿地何时还业主？尊敬的胡书记您好", "R2区山湖小区违章何时拆除？绿地何时还业主？"),
])
def test_a_question_or_exclamation_before_the_body_opens_ends_the_title(text, title):
    assert text[:glued_title(text)] == title


@pytest.mark.parametrize(("text", "title"), [
    ("反映R4县界岭加油站油库漏油污染水源问题石某向市环保局举报加油站漏油一事", "反映R4县界岭加油站油库漏油污染水源问题"),
    ("咨询R市商业贷款转公积金贷款问题深圳市缴存公积金，是否能在R市办理？", "咨询R市商业贷款转公积金贷款问题"),
    ("关于R2区小孩幼升小的问题咨询领导：我家孩子今年", "关于R2区小孩幼升小的问题咨询"),  # the title goes on: 咨询
])
def test_a_title_that_names_its_topic_ends_at_the_topic(text, title):
    assert text[:glued_title(text)] == title


@pytest.mark.parametrize(("text", "title"), [
    # the body writes the title's opening (its codes and two letters) again
    ("R市泰和润园电梯故障频发R市泰和润园在交房不足三年，电梯故障频发", "R市泰和润园电梯故障频发"),
    ("强烈要求加快取消自用货车运输证强烈要求省里加快取消", "强烈要求加快取消自用货车运输证"),
    # … after more codes, a date or a short lead of its own
    ("R3区望江家园地下室隔成小房出租R市R3区望江家园8栋地下室", "R3区望江家园地下室隔成小房出租"),
    ("R3区望江家园地下室隔成小房出租2019年5月，R3区望江家园", "R3区望江家园地下室隔成小房出租"),
    ("R2区南湖路森园餐馆油烟扰民我家住R2区南湖路森园", "R2区南湖路森园餐馆油烟扰民"),
    # a list's first item opens the body
    ("R省乡镇换届选拔政策有失公平1、违法行政。在R省", "R省乡镇换届选拔政策有失公平"),
])
def test_a_body_that_repeats_the_titles_opening_or_opens_a_list_ends_the_title(text, title):
    assert text[:glued_title(text)] == title


@pytest.mark.parametrize("text", [
    "R3区望江家园停水，R3区望江家园的居民都没水用",  # a sentence that names its subject twice: no title
    "小区门口1、2栋之间的路灯坏了很久了",  # 1、2栋 is no list
])
def test_a_subject_named_twice_in_one_sentence_is_no_glued_title(text):
    assert glued_title(text) == 0


def test_the_writer_giving_their_name_opens_the_body_even_after_a_comma():
    text = "R7县五一桥是县里的重要文物，不能拆我叫王某，县图书馆退休干部"
    assert text[:glued_title(text)] == "R7县五一桥是县里的重要文物，不能拆"


@pytest.mark.parametrize(("text", "title"), [
    ("R4县工勤技能考试政策何时能到位贺厅长；我们是参加考试的职工", "R4县工勤技能考试政策何时能到位"),
    ("R9县与R7县交界处有铅污染源、空气污染源尊敬的省环保厅蒋厅长：您好！", "R9县与R7县交界处有铅污染源、空气污染源"),
])
def test_an_official_addressed_with_a_semicolon_or_after_a_listing_title_opens_the_body(text, title):
    assert text[:glued_title(text)] == title


@pytest.mark.parametrize(("text", "title"), [
    # the body names again, after its codes, what the title names (four letters of it)
    ("申请公开H3县青山小区的改造方案的函H3县青山小区建于上世纪八十年代，现有住户300多户", "申请公开H3县青山小区的改造方案的函"),
    ("举报B5市医疗器械公司违规销售，监管部门不作为B5市监管部门不作为，本人多次反映", "举报B5市医疗器械公司违规销售，监管部门不作为"),
    # or writes the title's own codes as the subject of its first sentence
    ("E3县的菜价为什么比省城还贵E3县，人均收入并不高", "E3县的菜价为什么比省城还贵"),
])
def test_a_body_that_names_the_titles_place_again_ends_the_title(text, title):
    assert text[:glued_title(text)] == title


def test_a_place_named_again_after_a_lead_is_no_title_end():
    # the lead the body writes first (我家住在, 位于) would be left in the title
    assert glued_title("建议H3县青山小区增设路灯我家住在H3县青山小区，晚上出行很不方便") == 0
    assert glued_title("投诉H3县青山小区违建门面违建地址位于H3县青山小区南门，多次反映无果") == 0
    # while the same name with no lead before it ends the title
    assert glued_title("建议H3县青山小区增设路灯H3县青山小区晚上出行很不方便") == len("建议H3县青山小区增设路灯")


def test_a_lists_first_number_before_the_body_opens_is_the_bodys():
    assert restore_title("F市公积金问题的咨询1.本人于F市缴纳公积金五年") == "F市公积金问题的咨询\n1.本人于F市缴纳公积金五年"


@pytest.mark.parametrize(("text", "title"), [
    # the body writes the title's last clause again, as a clause of its own
    ("B3区河边有人倾倒垃圾，严重污染B3区河道在桥下的小路上，每晚有人倾倒垃圾，严重污染B3区河道。", "B3区河边有人倾倒垃圾，严重污染B3区河道"),
    # a question mark after the clause stays the title's
    ("E5县车站附近路灯坏了，谁来负责修理？上周车站外面的路灯全灭了，谁来负责修理，没人回答", "E5县车站附近路灯坏了，谁来负责修理？"),
])
def test_a_body_that_writes_the_titles_last_clause_again_ends_the_title(text, title):
    assert text[:glued_title(text)] == title


def test_a_clause_the_body_only_writes_inside_a_clause_of_its_own_is_no_title_end():
    # 资料齐全 is written again, but inside "其它资料齐全": the title goes on (可以上户吗？)
    assert glued_title("外甥未婚生育一子，资料齐全可以落户吗？我有一个外甥，现在两人分手了，其它资料齐全，可以落户吗") == 0
    # nor where the copy goes on where the title's clause stopped ("…聚众赌博|噪音扰民…聚众赌博的")
    assert glued_title("D2区某小区住户私开麻将馆，聚众赌博噪音扰民楼下两家聚众赌博的人很多") == 0


def test_restore_titles_gives_back_glued_title_lines_where_most_texts_have_none():
    texts = pa.array(["咨询独生子女退休职工奖励费我是下岗职工", "小区停水\n我是业主", None, "建议放宽二套房限购政策，因为负担太重"],
                     pa.large_string())
    restored = restore_titles(texts)
    assert restored.type == texts.type
    assert restored.to_pylist() == ["咨询独生子女退休职工奖励费\n我是下岗职工", "小区停水\n我是业主", None,
                                    "建议放宽二套房限购政策，因为负担太重"]
    # most texts with a title line: the file glued no title, its texts of one line have none (advice alone)
    titled = pa.array(["小区停水\n我是业主", "路灯不亮\n晚上很黑", "咨询独生子女退休职工奖励费我是下岗职工"], pa.large_string())
    assert restore_titles(titled) is titled


def test_restore_titles_leaves_a_file_of_bodies_alone_where_few_texts_look_glued():
    """A consultation's page asks for no title: one body in five read as a glued title is a false cut, not an export."""
    bodies = ["建议放宽二套房限购政策，因为现在负担太重。", "希望增加社区养老服务中心的床位。", "公交车班次太少，建议加密。",
              "建议学校延长课后服务时间，方便双职工家庭。", "咨询独生子女退休职工奖励费我是下岗职工"]
    texts = pa.array(bodies, pa.large_string())
    assert glued_title(bodies[-1]) > 0
    assert restore_titles(texts) is texts


def test_title_ends_found_once_give_back_the_texts_restore_titles_gives():
    """The run decides once whether titles were glued and keeps each title's end (places' workers); the hot stage
    puts the line breaks back from those ends without searching the texts again: the same texts, nulls,
    letters beyond the BMP and a chunked column included."""
    texts = ["咨询独生子女退休职工奖励费我是下岗职工", "小区停水\n我是业主", None, "", "建议放宽二套房限购政策，因为负担太重",
             "😀投诉星沙博世公司强迫员工加班尊敬的领导：您好", "C市二中存在强行补课现象C市二中存在强行补课现象，明明"]
    arrow = pa.chunked_array([pa.array(texts[:3], pa.large_string()), pa.array(texts[3:], pa.large_string())])
    ends = glued_title_ends(arrow, True)
    assert ends.tolist() == [glued_title(t) if t and "\n" not in t else 0 for t in texts]
    assert ends[0] == 13 and ends[5] > 0 and ends[6] == 12
    want = [restore_title(t) if t else t for t in texts]
    assert with_title_ends(arrow, ends).to_pylist() == want
    assert restore_titles(arrow, True).to_pylist() == want
    # decided for the run: a partition whose own texts would not say "glued" (most have a title line) is read as
    # the run decided, and one the run decided is no glued export stays as it is
    titled = pa.array(["小区停水\n我是业主", "路灯不亮\n晚上很黑", "咨询独生子女退休职工奖励费我是下岗职工"], pa.large_string())
    assert not glued_export(titled) and restore_titles(titled) is titled
    assert restore_titles(titled, True).to_pylist()[2] == "咨询独生子女退休职工奖励费\n我是下岗职工"
    glued = pa.array(["咨询独生子女退休职工奖励费我是下岗职工"], pa.large_string())
    assert glued_export(glued) and restore_titles(glued, False) is glued
    assert not glued_title_ends(glued, False).any()
