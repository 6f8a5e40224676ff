"""Reply quality: what a reply did (acted, explained, forwarded, deflected) decides its score, not its words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from minsheng.engine import replies
from minsheng.engine.errors import InputError
from minsheng.engine.ingest import ColumnMap, read_records
from minsheng.engine.replies import (
    REPLY_COLUMNS,
    agreement_with_grades,
    classify_replies,
    read_grades,
    replies_by_department,
    score_replies,
)

REPLIED = Path(__file__).resolve().parents[3] / "shared" / "data" / "teddy2020" / "messages_replied.csv"
GRADES = Path(__file__).resolve().parents[1] / "data" / "reply_grades.csv"
GENERIC = "网友您好，您的留言已收悉，我们将转交相关部门处理。"


@pytest.fixture(scope="module")
def replied():
    if not REPLIED.exists():
        pytest.skip("teddy2020 data not available")
    frame, _ = read_records([REPLIED], columns=ColumnMap(id="id", text=("title", "body"), time="time",
                                                         user="user", channel=None,
                                                         extra=("reply", "reply_time")))
    return frame.head(400).reset_index(drop=True)


def test_a_form_letter_scores_below_the_real_specific_reply(replied):
    # The real replies that quote the message's own subject line: specific by construction, picked at run time.
    title = replied["text"].str.split("\n").str[0]
    quotes = pd.Series([t[:8] in r for t, r in zip(title, replied["reply"], strict=True)], index=replied.index)
    specific = replied[quotes & (replied["reply"].str.len() > 200)].head(20)
    assert len(specific) >= 5
    generic = specific.assign(reply=GENERIC)
    both = pd.concat([specific, generic.assign(id=generic["id"] + "-generic")], ignore_index=True)
    scores = score_replies(both).set_index("id")
    for i in specific["id"]:
        real, form = scores.loc[i], scores.loc[f"{i}-generic"]
        assert form["kind"] == "仅转办"
        assert form["total"] < real["total"]
        assert form["relevance"] < real["relevance"]
        assert form["timeliness"] == real["timeliness"]  # same dates: only the content differs


def test_the_table_has_the_documented_columns(replied):
    scores = score_replies(replied)
    assert list(scores.columns) == REPLY_COLUMNS
    assert len(scores) == len(replied)
    for c in ("relevance", "completeness", "interpretability", "timeliness"):
        assert scores[c].between(0, 1).all(), c
    assert scores["total"].between(0, 100).all()
    assert (scores["timeliness_days"] > 0).all()


def _one(reply: str, days: float = 3, **extra) -> pd.Series:
    t = pd.Timestamp("2019-05-01")
    extra.setdefault("text", ["A市A3区星光花园小区门口路灯长期不亮\n小区门口的路灯坏了三个月，晚上出行不安全"])
    frame = pd.DataFrame({"id": ["1"], "time": [t], "reply": [reply], "reply_time": [t + pd.Timedelta(days=days)],
                          **extra})
    return score_replies(frame).iloc[0]


def test_elements_are_recognised():
    full = _one("您好！经现场核实，星光花园小区门口路灯因电缆被盗导致不亮。A3区城市管理局已安排维修，"
                "预计5月10日前恢复照明。根据《城市照明管理规定》，路灯由区城管局负责维护。"
                "如有疑问请拨打联系电话0000-00000000。")
    assert set(full["elements"].split(";")) >= {"措施", "单位", "联系方式", "依据"}
    assert full["interpretability"] > _one(GENERIC)["interpretability"]


@pytest.mark.parametrize("number", ["0746****2903", "138****5678"])
def test_a_masked_phone_number_is_still_a_way_to_get_in_touch(number):
    """Replies are masked at ingest like the texts: what a number was for stays visible."""
    assert classify_replies([f"如有疑问请拨打联系电话{number}。"])["contact"][0]


def test_late_replies_lose_timeliness_but_not_their_score():
    # How good an answer is and how fast it came are reported apart (see the module docstring).
    quick, slow, very_slow = (_one(GENERIC, days=d) for d in (2, 30, 90))
    assert quick["timeliness"] == 1 and 0 < slow["timeliness"] < 1 and very_slow["timeliness"] == 0
    assert quick["total"] == slow["total"] == very_slow["total"]


ACTED = "经现场核实，该路段路灯因电缆被盗不亮。区城管局已安排维修，预计5月10日前恢复照明。"
EXPLAINED = "根据《城市照明管理规定》，小区内部道路照明由物业负责维护，不属于市政路灯管理范围，因此我局无法直接维修。"
FORWARDED = "网友您好！您的留言已收悉，已转交区城管局调查处理，如有情况将及时反馈。感谢您对我们工作的支持！"
DEFLECTED = "网友您好！具体情况请咨询所在街道办事处。谢谢！"


def test_what_a_reply_did_is_its_kind():
    kinds = classify_replies([ACTED, EXPLAINED, FORWARDED, DEFLECTED, "您好，留言已收悉。2019年5月3日",
                              "我们将进一步加强城市管理工作，努力为市民创造良好的生活环境"])["kind"].tolist()
    assert kinds == ["已办理", "有解释", "仅转办", "仅指引", "无内容", "泛泛回应"]
    totals = [_one(r)["total"] for r in (ACTED, EXPLAINED, FORWARDED, DEFLECTED)]
    assert totals[0] > totals[1] > totals[3] > totals[2] > 0


def test_a_question_is_answered_by_where_and_how_a_complaint_by_action():
    question = "咨询A市身份证过期换领问题\n身份证过期了，请问在哪里换领，要带什么？"
    where = "身份证过期换领可到市政务服务中心办理，地址：M1区勤政街36号。"
    asked, reported = _one(where, text=[question]), _one(where)
    # To the question the place to go is the answer; to a complaint about a street lamp it is a deflection.
    assert asked["kind"] == "有解释" and reported["kind"] == "仅指引"
    assert asked["total"] > reported["total"]
    # The same explanation answers a question better than it answers a complaint, and never beats an action.
    assert _one(ACTED, text=[question])["total"] > _one(EXPLAINED, text=[question])["total"] > _one(EXPLAINED)["total"]
    # A plain statement of the facts answers a question; to a complaint it is a general reply.
    facts = "目前，A市每个社区街道都设有废旧电池回收箱，市政务服务中心也设有一个。"
    assert _one(facts, text=[question])["kind"] == _one(facts)["kind"] == "泛泛回应"
    assert _one(EXPLAINED, text=[question])["total"] > _one(facts, text=[question])["total"] > _one(facts)["total"]


def test_a_forwarding_note_before_a_real_answer_does_not_hide_it():
    assert _one(FORWARDED + ACTED)["kind"] == "已办理"
    # The note adds only length, which the fitted score keeps at a share of its effect (the weights' length_share):
    # nothing but that term, and under an eighth of a grade.
    w = json.loads((Path(replies.__file__).parent / replies.WEIGHTS).read_text(encoding="utf-8"))
    length_term = 25 * w["length_share"] * w["log_length"] * (np.log1p(len(FORWARDED + ACTED)) - np.log1p(len(ACTED)))
    assert abs(_one(FORWARDED + ACTED)["total"] - _one(ACTED)["total"] - length_term) < 0.01
    assert length_term < 25 / 8


def test_words_shared_with_the_message_and_length_earn_nothing():
    # The same action told without any of the message's words scores as high as told with them ...
    plain = _one("经现场核实，电缆被盗，区城管局已安排抢修，5月10日前修复。")
    echoing = _one("经现场核实，星光花园小区门口路灯长期不亮，晚上出行不安全，区城管局已安排抢修，5月10日前修复。")
    # (the echo's words and length move a text model's score a little, not a grade: under a fifth of one)
    assert abs(plain["total"] - echoing["total"]) < 5
    # ... and courtesy or general promises around a forwarding note do not lift it.
    padded = FORWARDED + "我们高度重视群众反映的问题，感谢您对我们工作的关心、理解、监督与支持！" * 10
    # The candidate's cost, stated: padding lifts it through length's half share (ten times the courtesy line,
    # about 0.3 of a grade), though never to content.
    assert _one(FORWARDED)["total"] <= _one(padded)["total"] < _one(FORWARDED)["total"] + 10


TWO_ASKS = "A市A3区绿荫小区门口路灯不亮\n绿荫小区门口的路灯坏了三个月，请尽快修复。另外请在绿荫小区北门增设公交站台。"
LAMP_FIXED = "经现场核实，路灯因电缆被盗不亮，已于5月3日修复。"


def test_a_reply_that_meets_part_of_the_asks_scores_below_one_that_meets_them_all():
    both = _one(LAMP_FIXED + "北门增设公交站台已纳入今年线网调整计划，预计9月建成。", text=[TWO_ASKS])
    lamp_only = _one(LAMP_FIXED, text=[TWO_ASKS])
    assert both["kind"] == lamp_only["kind"] == "已办理"
    assert both["total"] > lamp_only["total"]
    # General talk after the answer (下一步将进一步加强…) is not about this case: it lowers the score.
    assert _one(LAMP_FIXED + "下一步，我们将进一步加强路灯巡查。", text=[TWO_ASKS])["total"] < lamp_only["total"]


def test_a_question_answered_outranks_a_general_action():
    question = "咨询A市绿荫小区划入哪所小学\n请问绿荫小区的孩子在哪所小学就读？"
    answered = _one("根据划片招生原则，绿荫小区属于星辰小学学区，可持房产证到星辰小学报名。", text=[question])
    general = _one("近年来，我局已开展学区划分工作，下一步将进一步加强招生管理。", text=[question])
    assert answered["kind"] == "有解释"
    assert answered["total"] > general["total"]


def test_asks_answered_counts_asks_not_shared_words():
    from minsheng.engine.replies import asks_answered

    met = asks_answered([TWO_ASKS] * 3 + ["谢谢\n谢谢"],
                        [LAMP_FIXED, LAMP_FIXED * 5, "您反映的绿荫小区北门增设公交站台问题", LAMP_FIXED])
    assert met[0] == met[1]  # saying it five times meets the same asks
    assert 0 < met[0] < 1
    assert met[2] == 0  # restating the ask answers nothing
    assert np.isnan(met[3])  # an ask that names nothing distinctive


# Each grades file, its size and the agreement it must keep (tests/data/reply_grades*.md, README): the 100 the
# cues were first written on, 30 graded after them, 64 by a second reader, 64 blind to the first round of
# changes and tuned on in the second, 64 blind to the second round and tuned on in the third (by two readers),
# 64 by a new reader blind to the third round, 64 by another blind to the fourth, 64 by a third blind to every
# scorer before 2026-12-03, 80 by a fourth blind to d6745a7 (0.631, not fitted on), 80 by a fifth, blind too (0.579). The weights of the total are fitted on all of them since (in-sample now; the
# leave-one-set-out figures, heldout6 0.526 and heldout7 0.590, are in the README), so the bars guard against
# a regression, about 0.05 below what the scorer reaches.
GRADED_SETS = [("reply_grades.csv", 100, 0.75), ("reply_grades_heldout.csv", 30, 0.68),
               ("reply_grades_heldout2.csv", 64, 0.63), ("reply_grades_heldout3.csv", 64, 0.73),
               ("reply_grades_heldout4.csv", 64, 0.6), ("reply_grades_heldout4_reader2.csv", 64, 0.58),
               ("reply_grades_heldout5.csv", 64, 0.72), ("reply_grades_heldout6.csv", 64, 0.48),
               ("reply_grades_heldout7.csv", 64, 0.55), ("reply_grades_heldout8.csv", 64, 0.58),
               ("reply_grades_heldout9.csv", 80, 0.6), ("reply_grades_heldout10.csv", 80, 0.53),
               ("reply_grades_heldout11.csv", 80, 0.51),  # a sixth blind reader, scored once: 0.562
               ("reply_grades_heldout12.csv", 80, 0.5),  # a seventh, scored once: 0.552 (length alone 0.651)
               ("reply_grades_heldout13.csv", 80, 0.64),  # an eighth, scored once: 0.678 (length alone 0.519)
               ("reply_grades_heldout14.csv", 80, 0.47),  # a ninth, scored once: 0.527 (length alone 0.607)
               ("reply_grades_heldout15.csv", 80, 0.47),  # a tenth, scored once: 0.527 (length alone 0.445)
               ("reply_grades_heldout16.csv", 80, 0.55),  # an eleventh, scored once: 0.608 (length alone 0.478)
               ("reply_grades_heldout17.csv", 80, 0.46),  # a twelfth, scored once: 0.512 (length alone 0.460)
               ("reply_grades_heldout18.csv", 80, 0.58),  # a thirteenth, scored once: 0.635 (length alone 0.454)
               ("reply_grades_heldout19.csv", 80, 0.6)]  # a fourteenth, scored once: 0.647 (length alone 0.581)


@pytest.mark.parametrize(("name", "n", "bar"), GRADED_SETS)
def test_scores_agree_with_the_hand_grades(replied, name, n, bar):
    frame, _ = read_records([REPLIED], columns=ColumnMap(id="id", text=("title", "body"), time="time",
                                                         extra=("reply", "reply_time")))
    grades = read_grades(GRADES.with_name(name))
    graded = frame[frame["id"].astype(str).isin(grades["id"])]
    result = agreement_with_grades(score_replies(graded), graded.set_index("id")["reply"], grades)
    assert result["n_graded"] == n
    assert result["spearman_grade"] >= bar
    assert result["by_kind"].get("仅转办", {}).get(4, 0) == 0  # a reply that only forwards is never a top answer


def test_the_command_reports_every_grades_file(replied, capsys):
    from minsheng.cli import main

    code = main(["evaluate", str(REPLIED), "--replies", str(GRADES), str(GRADES.with_name("reply_grades_heldout3.csv")),
                 "--json", "--quiet"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["sets"]) == ["reply_grades", "reply_grades_heldout3"]
    assert [r["n_graded"] for r in result["sets"].values()] == [100, 64]
    assert result["n_scored"] == 1942 and 0 < result["spearman_length_all"] < 1


def test_bad_grades_name_the_row_and_field(tmp_path):
    bad = tmp_path / "grades.csv"
    bad.write_text("id,grade\n1,3\n2,5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_grades(bad)
    assert (err.value.row, err.value.field) == (3, "grade")
    (tmp_path / "nogrades.csv").write_text("id,score\n1,3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_grades(tmp_path / "nogrades.csv")
    assert err.value.field == "grade"


def test_a_reply_given_to_many_messages_is_a_template(replied):
    frame = replied.head(5).assign(reply=GENERIC)
    assert score_replies(frame)["is_template"].all()
    assert not score_replies(replied.head(5))["is_template"].any()


def test_per_department_aggregates(replied):
    frame = replied.assign(department=["住建局" if i % 2 else "教育局" for i in range(len(replied))])
    scores = score_replies(frame)
    agg = replies_by_department(scores)
    assert set(agg["department"]) == {"住建局", "教育局"}
    assert agg["n_replies"].sum() == len(frame)
    assert agg["total"].is_monotonic_decreasing


def test_missing_reply_column_names_the_field(replied):
    with pytest.raises(InputError) as err:
        score_replies(replied.drop(columns="reply"))
    assert err.value.field == "reply"
    with pytest.raises(InputError) as err:
        score_replies(replied, reply_time_col="answered_at")
    assert err.value.field == "answered_at"


def test_the_command_writes_both_tables(tmp_path, replied):
    from minsheng.cli import main

    src = tmp_path / "replied.csv"
    replied.head(50).drop(columns=["source", "row", "channel"]).to_csv(src, index=False)
    code = main(["replies", str(src), "--id-col", "id", "--text-col", "text", "--time-col", "time",
                 "--extra-col", "reply", "--extra-col", "reply_time", "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 0
    assert list(pd.read_csv(tmp_path / "out" / "replies.csv").columns) == REPLY_COLUMNS
    assert pd.read_csv(tmp_path / "out" / "replies_by_department.csv")["n_replies"].sum() == 50


def test_what_is_not_an_action_about_this_message():
    # The date the person wrote on is not an action; a forwarding note does not swallow its sentence's answer.
    assert classify_replies(["您好！5月23日，您在平台反映的问题已转交县公安局核实、办理。"])["kind"][0] == "仅转办"
    assert classify_replies(["您的留言转由我单位办理，现回复如下：该路口增设红绿灯已做好规划，计划两年内完工。"]
                            )["kind"][0] == "已办理"
    # What a department did in earlier years is background; "we do not know" answers nothing.
    history = "2017年，经县人民政府同意，我县开展了农村学校改造工程，分阶段改善办学条件。"
    assert not classify_replies([history], years=[2019])["action"][0]
    assert classify_replies([history], years=[2017])["action"][0]
    assert classify_replies(["我们目前不知道是否有这方面的相关政策。"], [True])["kind"][0] == "仅指引"
    # An action named with its agent in between (经安监、质监部门核实) is still an action; the opening formula
    # 经调查处理，现将有关情况回复如下 is not.
    assert classify_replies(["经安监、质监部门核实，锅炉压力符合标准，无爆炸危险。"])["kind"][0] == "已办理"
    assert classify_replies(["函件收悉，经调查处理，现将有关情况回复如下：夜市场很大程度上是市场行为。"]
                            )["kind"][0] != "已办理"


def test_looking_into_it_is_not_yet_an_outcome():
    # Someone sent to look, and a case only "if" it is confirmed: in hand, nothing found or done yet.
    looking = "已派执法人员到大庆坪乡现场调查取证，如存在占用农田行为，我局将依法立案查处。"
    assert _one(looking)["kind"] == "在办理"
    assert _one(ACTED)["total"] > _one(looking)["total"]  # below an outcome; the n-grams may cross 有解释
    # A check that reports what it found is an answer, and an arranged repair visit is an outcome.
    assert _one("经现场核实，该厂生产过程中未发现有废气产生。")["kind"] == "已办理"
    assert _one("已安排工作人员上门维修。")["kind"] == "已办理"


def test_action_and_where_to_go_in_other_words():
    assert _one("经多部门召开联席会议协调，已为你缴清机关事业单位养老保险费用。")["kind"] == "已办理"
    assert _one("经与村委会核实，该路拟进入2018年农村公路硬化计划，暂由村组负责修碎石路。")["kind"] == "已办理"
    question = "B9市办理老年优待证的咨询\n我母亲现年65岁了，请问去哪里办老年优待证？"
    window = "年满65周岁的老年人需带齐本人照片和身份证原件到市民中心1号楼一楼卫健服务窗口进行办理。"
    assert _one(window, text=[question])["kind"] == "有解释"
    # "We cannot look into it, call 12315" answers nothing, whatever reason it gives.
    assert _one("因无您的联系方式，也无相关证据材料，我局无法进行调查。请拨打投诉举报电话12315反映。")["kind"] == "仅指引"
    # Nor does a check that says it could not find out anything (an action cue in the sentence does not save it).
    assert _one("经区人社局核查，由于没有您的联系方式，暂未能了解该公司的具体情况。")["kind"] == "仅指引"
    # Courtesy ends at a comma, full-width or not: what follows it is the answer.
    assert _one("我局高度重视,已责令物业公司限期清理。")["kind"] == "已办理"


def test_a_question_asked_in_the_body_is_a_question():
    from minsheng.engine.replies import asks_question

    assert asks_question(["希望G市能提取公积金用于租房\n想提取公积金付房租被告知不能提取，请问能否解决一下？",
                          "A市星光花园小区路灯不亮\n为什么三个月了还没人修？"]).tolist() == [True, False]


def test_receipts_pointers_and_headers_answer_nothing():
    # A hotline receipt, "being handled" and nothing else, or a pointer to an answer given elsewhere: forwarded only.
    assert _one("您所反映的问题我们已经受理，事件编号：2019051234。并已交办给县公安局进行处理。")["kind"] == "仅转办"
    assert _one("您好，此事正在调查处理中。")["kind"] == "仅转办"
    assert _one("您反映的问题县交通运输局已经答复，请查看原帖。")["kind"] == "仅转办"
    # A header with nothing after it is no answer; "not ours" and "your letter is void" send the person away.
    assert _one("经我办协调，您反映的情况城关镇回复如下：")["kind"] == "无内容"
    assert _one("我县范围内查无此线路，不属我局管辖范围。")["kind"] == "仅指引"
    assert _one("您的来信未留真实姓名与联系方式，视为无效信件。")["kind"] == "仅指引"
    # Work under way that names its end is an outcome; so is an agreement reached between the parties.
    assert _one("两村代表已达成共识，道路正在正常施工当中，预计8月份可修通。")["kind"] == "已办理"


def test_passed_on_declined_or_noted_in_other_words_answers_nothing():
    # A pointer to an answer published earlier, whatever else the sentence says; a conditional appeal after it
    # ("if you disagree, ask for a review") is no action either.
    assert _one("你所反映的情况，县住建局已于2019年5月2日在网上进行了公开答复，该信件不再进入处理程序。"
                "你若不服县住建局作出的处理意见，可向市信访局申请复查。")["kind"] in ("仅转办", "仅指引")
    assert _one("就您所反映的问题，市公安局已在《关于户口迁移的咨询》一帖中作了回复，详情请查看原帖。")["kind"] == "仅转办"
    # A letter sent on to another office, a suggestion "reported upward" or kept "for the next review".
    assert _one("由于该路段的规划不在我局职责范围内，我局已发函至区住建局。")["kind"] in ("仅转办", "仅指引")
    assert _one("我局会将您的建议如实上报上级主管部门研究。")["kind"] == "仅转办"
    assert _one("您关于优化公交线路的建议已收集，待下一轮线网调整时将认真予以考虑。")["kind"] == "仅转办"
    # "Send us the details first" answers nothing.
    assert _one("请您提供具体企业名称和地址，以便我们核查。")["kind"] == "仅指引"


def test_a_check_that_found_something_in_other_words_is_an_outcome():
    # A check on the named place and what it found, or measures taken, is an outcome even without 经调查.
    assert _one("我局执法人员对该汽修厂进行了检查，现场未发现改装车辆的情况。")["kind"] == "已办理"
    assert _one("学校采取了应急措施，清洗了水塔，食堂改用桶装水。")["kind"] == "已办理"
    # Only promised ("we will check it") is not.
    assert _one("下一步，我局将对该厂进行检查。")["kind"] != "已办理"


def test_the_content_the_kind_was_read_from_is_kept():
    """What is left once courtesy and forwarding are gone: what a study of the reply's specifics reads."""
    cues = classify_replies(["网友您好！您的留言已收悉。已转交县城管局。经现场核实，路灯已于5月3日修复。感谢您的支持！"])
    assert cues["kind"][0] == "已办理"
    assert cues["content"][0] == "经现场核实，路灯已于5月3日修复"


def test_leave_one_set_out_scores_a_set_without_its_grades():
    """A model scored on a held-out set is fitted on the other sets: the held-out grades cannot move it."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "scripts" / "reply_loso.py"
    spec = importlib.util.spec_from_file_location("reply_loso", path)
    loso = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loso)
    kinds = ["已办理", "有解释", "仅转办"] * 4
    frame = pd.DataFrame({"kind": kinds, "question": [False] * 12, "answered": [1.0, 0.5, float("nan")] * 4,
                          "general": [0.0, 0.5, 0.0] * 4, "short": [False] * 12, "found_only": [0.0] * 12,
                          "content": ["路灯已修复", "路灯属于物业管理", ""] * 4, "length": [30, 40, 20] * 4})
    train, test = frame.iloc[:9].assign(grade=[4, 3, 1] * 3), frame.iloc[9:].assign(grade=[1, 1, 4])
    assert "shipped" in loso.MODELS  # the scorer's own model, n-grams and length with the design
    for model in loso.MODELS:
        score = loso.predict(loso.fit(train, model), test, model)
        assert list(score) == sorted(score, reverse=True)  # 已办理 > 有解释 > 仅转办, as trained
        refit = loso.fit(pd.concat([train, test.assign(grade=[4, 3, 1])]).iloc[:9], model)
        assert (score == loso.predict(refit, test, model)).all()


def test_too_little_content_is_no_answer_but_a_short_outcome_is():
    # Under 25 characters of content and no outcome: the remains of a note or one bare line, scored no higher
    # than a forwarding note. A short outcome is an answer, however short.
    leftover = _one("网友您好！您的留言已收悉，有关情况我们将认真研究。谢谢！")
    assert leftover["kind"] in ("泛泛回应", "有解释")
    assert leftover["total"] <= _one(FORWARDED)["total"]
    assert _one("经现场核实，路灯因电缆被盗不亮，已于5月3日修复。")["total"] > _one(EXPLAINED)["total"]
    # Above the floor saying it twice earns at most length's half share: a tenth of a grade.
    line = "目前该项工作正在研究论证之中，相关部门将结合全市规划统筹考虑。"
    assert abs(_one(line)["total"] - _one(line + line)["total"]) < 2.5 + 0.1


def test_analyze_scores_a_reply_column_its_header_names(tmp_path):
    """A file of messages with their published answers (答复意见, 答复时间) gets its replies scored by `minsheng
    analyze` without a flag; --no-replies leaves them out."""
    from minsheng.cli import main

    rows = [{"留言编号": str(i), "留言主题": f"小区{i}号楼门口路灯不亮", "留言详情": "晚上出行不便，请尽快修复路灯。",
             "留言时间": f"2019-03-{i % 28 + 1:02d} 10:00:00",
             "答复意见": "经查，该路灯线路老化，我局已于3月20日更换线路，路灯已恢复照明。" if i % 2 else "已转交相关部门办理。",
             "答复时间": f"2019-04-{i % 28 + 1:02d} 10:00:00"} for i in range(30)]
    src = tmp_path / "messages.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    assert main(["analyze", str(src), "--out", str(tmp_path / "out"), "--quiet", "--no-report"]) == 0
    scored = pd.read_csv(tmp_path / "out" / "replies.csv")
    assert len(scored) == 30 and scored["total"].notna().all()
    assert scored.loc[scored["id"] % 2 == 1, "total"].min() > scored.loc[scored["id"] % 2 == 0, "total"].max()
    assert main(["analyze", str(src), "--out", str(tmp_path / "plain"), "--quiet", "--no-report", "--no-replies"]) == 0
    assert not (tmp_path / "plain" / "replies.csv").exists()


def test_a_plan_with_its_what_is_in_hand_a_general_promise_is_not():
    # A future action that names what will be done and where is the matter taken in hand (在办理); a promise to
    # do better in general is general talk, and an explanation with a plan stays an explanation.
    planned = "区城管执法大队将在星光花园小区门口开展夜间占道经营专项整治行动，对违规摊点依法查处。"
    assert _one(planned)["kind"] == "在办理"
    assert _one("我局将进一步加强管理，切实做好辖区路灯的日常维护工作，为群众创造良好的出行环境。")["kind"] == "泛泛回应"
    assert _one("下一步，我局将组织开展路灯巡查维修工作，不断提升城市照明管理水平和服务质量。")["kind"] == "泛泛回应"
    assert _one("由于该路段属于小区内部道路，按照规定由物业负责维护，" + planned)["kind"] == "有解释"


def test_a_fact_that_settles_the_ask_is_an_explanation():
    # A time of day, what a place is planned as or belongs to: facts that answer, though no rule or reason is named.
    assert _one("城区路灯冬季亮灯时间为晚17:30，熄灯时间为早6:50，能够满足市民夜间出行需要。")["kind"] == "有解释"
    assert _one("星光花园小区东侧空地规划为公园绿地，与小区门口道路同步建设。")["kind"] == "有解释"
    assert _one("路灯照明事关群众出行安全，我们一直高度关注，力争让群众满意。")["kind"] != "有解释"


def test_a_forwarding_note_before_the_answer_does_not_hide_it():
    # The forwarding line is dropped and the answer after it graded: a check that reports its finding is an outcome.
    reply = ("您的留言已收悉，已交有关部门调查核处，如有相关情况将及时反馈。尊敬的网友：您好！我局已核实相关情况，"
             "该段路灯由小区物业负责维护，物业公司已更换损坏灯具。")
    assert _one(reply)["kind"] == "已办理"


def test_an_outcome_that_is_only_a_finding_or_a_date_ranks_below_an_action():
    found = classify_replies(["经调查，该路灯属于小区物业管理范围，不属于市政路灯。"])
    done = classify_replies(["经调查，该路灯电缆被盗，区城管局已于5月3日更换电缆，恢复照明。"])
    assert found["kind"].tolist() == done["kind"].tolist() == ["已办理"]
    assert found["found_only"].tolist() == [True] and done["found_only"].tolist() == [False]


@pytest.mark.parametrize("reply", [
    "该项目已于2011年完成了设计，因资金原因未能实施，现在施工单位已作好围挡，预计在今年10月份建设完成。",
    "2016年我局对该路段进行了规划，目前已安排施工队进场，预计年底完工。",
    "该小区2015年建成，当前物业已将楼道杂物清理完毕。",
    "2018年曾对该厂进行过处罚，近期我局已责令其停产整改。",
    "此路2012年纳入改造计划，现已完成路面修复。",
])
def test_a_past_step_then_a_present_outcome_in_one_sentence_is_an_outcome(reply):
    # An earlier year dates its sentence only until a word that sets the time to now (现在, 目前, 近期, 现已 …):
    # the outcome after it is about this message, not background (round 20's residual, graded 4, read 泛泛回应).
    assert classify_replies([reply], years=[2019])["kind"][0] == "已办理"


def test_a_past_only_sentence_stays_background():
    for history in ("2017年，经县人民政府同意，我县开展了农村学校改造工程，已经完成了一期建设。",
                    "2016年，我局对该路段进行了规划，2017年已安排施工，道路于当年建成通车。"):
        assert not classify_replies([history], years=[2019])["action"][0]



@pytest.mark.parametrize("reply, answer", [
    # The answer ends in an office word and is followed by more text (reply 47645, graded 4).
    ("您好！您小孩就读范围属于立云学校。欢迎继续就您关注的相关事项致电C1区教育局。2019.4.3", "属于立云学校"),
    # ... or is the reply's last line, or comes before the date: what it says (a pronoun, a verb) is no name.
    ("您好！您小孩就读范围属于立云学校", "属于立云学校"),
    ("尊敬的网友：您反映的情况已收悉，我局立即交办给市人民医院。2018年7月30日", "交办给市人民医院"),
])
def test_a_sentence_that_ends_in_an_office_word_is_content_not_the_signature(reply, answer):
    assert answer in classify_replies([reply], questions=[True])["content"][0]
    # The office that signs a reply is still none: at its end, before a date, or before the greeting of a second
    # reply pasted after it.
    signed = [f"{reply}\nA7县城市管理和行政执法局\n2015年10月21日", f"{reply}。A7县城市管理和行政执法局",
              f"{reply}。A5区亭街道办事处网友：您好，您的留言已收悉。{reply}"]
    for content in classify_replies(signed, questions=[True] * 3)["content"]:
        assert answer in content and "执法局" not in content and "亭街道办事处" not in content


@pytest.mark.parametrize("reply, kept", [
    # 申请 (and 邀请, 将请) is no courtesy 请: the request to apply, the invitation, the plan are read.
    ("符合上述条件的，可向地税部门申请减半征收耕地占用税，需提交相关意见。", "申请减半征收"),
    ("开发商拟于4月中旬举办工地开放观摩活动，邀请所有购房者现场观摩监督。", "邀请所有购房者"),
    ("交付样板房将于5月中旬建成开放，届时将请所有业主参观并征询意见。", "所有业主参观"),
    # 监督 inside an office's name (市场监督管理局) ends no courtesy phrase: the pointer is read as one.
    ("请您向区市场监督管理局咨询。", ""),
])
def test_a_courtesy_phrase_starts_and_ends_on_a_word(reply, kept):
    cues = classify_replies([reply], questions=[True])
    if kept:
        assert kept in cues["content"][0]
    else:
        assert cues["kind"][0] == "仅指引"
    # Courtesy that asks for suggestions or oversight is still dropped.
    for courtesy in ("请您继续为我市旅游发展提出宝贵意见建议。", "欢迎您继续对我们的工作进行监督。"):
        assert classify_replies([reply + courtesy], questions=[True])["content"][0] == cues["content"][0]


def test_words_that_are_courtesy_only_as_an_address_are_read_elsewhere():
    # 市民/网友 is an address before a colon or a greeting, a word in a sentence (…为市民居住集中区域).
    content = classify_replies(["尊敬的市民朋友：您好！经现场查勘，该路段为市民居住集中区域，因此不宜设置减速带。"
                                "网友您好，广大网友：感谢您的支持。"])["content"][0]
    assert "为市民居住集中区域" in content and "网友" not in content and "朋友" not in content
    # "Considered when …" is a suggestion noted for later only as a promise; 同时…还要考虑 and 出于安全考虑 explain.
    for reason in ("A市图书馆作为公共文化服务单位，在保障读者基本阅读权利、优化服务的同时，还要考虑公共财政投入效率等因素。",
                   "运管处在设立站牌时出于安全考虑，站牌一般设置为垂直于马路，乘客可以站在站台内查看线路情况。"):
        assert classify_replies([reason])["content"][0] == reason.rstrip("。")
    assert classify_replies(["您的建议已收集，在完善发展规划时会适时考虑您的建议。"])["kind"][0] == "仅转办"


def test_every_header_that_announces_the_answer_is_none():
    # 报告如下, 作(做)如下回复, 作以下答复 announce the answer as 回复如下 does; 作以下调整 is what was done.
    for header in ("现将调查情况报告如下：", "现就提出的问题作如下答复：", "关于您咨询的机构编制相关问题作以下答复：",
                   "对于您所反映的情况，我局作如下答复："):
        content = classify_replies([header + "经查，该桥已纳入2016年危桥改造计划。"])["content"][0]
        assert "如下" not in content and "以下" not in content and "危桥改造计划" in content
    assert "作以下调整" in classify_replies(["我局将作以下调整：一是增开两班公交。"])["content"][0]


def test_a_date_that_starts_or_ends_a_period_is_content_not_a_signature_nor_a_deed():
    # 自2015年1月1日起 dates a rule: read (it was dropped as the reply's date), and no action about this message.
    cues = classify_replies(["根据人社部发[2014]90号文件第七条：自2015年1月1日起，取消收取档案保管费。",
                             "机动车检验收费从6月10日起实行市场调节价，执行至2019年3月31日止。",
                             "经现场核实，该路灯已修复。2019年4月3日"])
    assert "2015年1月1日起" in cues["content"][0] and "2019年3月31日止" in cues["content"][1]
    assert cues["action"].tolist() == [False, False, True] and "2019年4月3日" not in cues["content"][2]
