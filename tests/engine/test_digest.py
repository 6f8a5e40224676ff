"""The suggestion digest: claims, clustering into suggestions, the documented table, novel ideas, measures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from minsheng.engine.claims import _RE2, CLAIM_KINDS, claim_arrays, classify_many
from minsheng.engine.digest import (
    DigestModel,
    _gram,
    _numbered_df,
    _strings,
    digest_claims,
    run_digest,
    with_context,
)
from minsheng.engine.digest_eval import bcubed, readable_headline
from minsheng.engine.digest_table import SUGGESTION_COLUMNS
from minsheng.engine.novel import NOVEL_COLUMNS, score_proposal
from minsheng.engine.sentences import clip_sentence

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "teddy2020"
GOLD = Path(__file__).resolve().parents[1] / "data" / "digest_gold.csv"


def _claims(texts, **kw) -> list[tuple]:
    owner, pos, kind, is_title, text = claim_arrays(texts, **kw)
    return list(zip(owner.tolist(), pos.tolist(), [CLAIM_KINDS[k] for k in kind], is_title.tolist(), text, strict=True))


def _kinds(sentences) -> list[str]:
    return [CLAIM_KINDS[k] for k in classify_many(sentences)]


def test_claims_title_first_and_kinds():
    claims = _claims(["建议A市南站候车厅增设改签窗口\n南站客流量巨大。现在改签要出站，很不方便。请问何时解决？谢谢！"])
    assert claims == [(0, 0, "ask", True, "建议A市南站候车厅增设改签窗口"), (0, 1, "context", False, "南站客流量巨大。"),
                      (0, 2, "problem", False, "现在改签要出站，很不方便。"), (0, 3, "question", False, "请问何时解决？")]
    # 谢谢！ is too short to be a claim


def test_claims_positions_titles_and_empty_texts():
    texts = [None, "", " \n ", "单行的留言不带标题。第二句话也够长吧……\r第三句话在新的一行；。",
             "短\r\n小区停水三天了！！物业不管。物业一直不管。", "标题\n一二三四五。甲乙丙丁戊。子丑寅卯辰。"]
    assert _claims(texts, max_sentences=2) == [
        (3, 0, "context", False, "单行的留言不带标题。"), (3, 1, "context", False, "第二句话也够长吧…"),
        (3, 2, "context", False, "第三句话在新的一行；"),
        (4, 0, "context", True, "短"), (4, 1, "problem", False, "小区停水三天了！"),
        (4, 2, "context", False, "物业一直不管。"),  # 物业不管 is too short
        (5, 0, "context", True, "标题"), (5, 1, "context", False, "一二三四五。"), (5, 2, "context", False, "甲乙丙丁戊。")]


def test_long_sentences_are_cut_at_commas():
    text = "标题\n" + "，".join(["这里的路灯已经坏了很久了晚上出行很不方便"] * 8) + "。"
    pieces = [c[-1] for c in _claims([text])[1:]]
    assert len(pieces) > 1 and all(len(p) <= 60 for p in pieces) and "".join(pieces) == text[3:]


@pytest.mark.parametrize(("sentence", "kind"), [
    ("请问何时解决？", "question"), ("建议增设窗口", "ask"), ("感谢政府为我们小区修好了路灯", "praise"),
    ("感谢！", "context"), ("尊敬的王局长：", "context"), ("您好！", "context"),
    ("李乱书记\u3000你好", "context"),  # Python's \s holds the ideographic space: a greeting, not a problem (乱)
    ("路灯坏了\u3000请修理", "ask"), ("路灯坏了请修理", "problem"),  # 请 after a space, not inside a word
    ("麻烦你们，请", "ask"), ("我想，请假手续", "context"),  # 请假 is no request; a 请 at the end is
    ("此事盼复", "context"), ("此事盼回音", "ask"), ("此事甚盼", "ask"),  # 盼复 is a sign-off
    ("这样合理吗", "question"), ("这样合理吗。", "question"), ("这样合理吗，我们", "context"),
    ("望回复", "ask"), ("远望山景", "context"), ("\x85望回复", "ask"), ("\u3000 请问何时开通", "question"),
])
def test_claim_kinds(sentence, kind):
    assert _kinds([sentence]) == [kind]


def test_cues_in_re2_match_where_python_does():
    """Arrow's RE2 and Python's re differ in ``\\s``, ``$`` and lookaheads: each cue's translation must not."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(0)
    parts = list("建议希望请问盼复望请假恳请敬请吗？?。！!；;…，,、：:\n\r \t\u3000\xa0\x1c\x85ab路灯不亮为了点赞何时乱") + [
        "您好！", "尊敬的领导：", "请问", "\r\n", "盼复", "盼望", "感谢政府", "小区停水", "能否", "是否", "谢谢！"]
    sentences = ["".join(rng.choice(parts, rng.integers(0, 30))).strip() for _ in range(3000)]
    for pattern, re2 in _RE2.items():
        got = pc.match_substring_regex(pa.array(sentences), re2).to_pylist()
        assert got == [bool(pattern.search(s)) for s in sentences], pattern.pattern


def test_digest_claims_keeps_title_and_first_asks():
    frame = pd.DataFrame({"text": ["小区停水\n我们是业主。请尽快恢复供水。另外希望公开停水原因。还要求赔偿。"],
                          "place_key": ["某小区"]})
    claims = digest_claims(frame, max_claims=2)
    assert claims["is_title"].tolist() == [True, False]
    assert claims["text"].tolist()[1] == "请尽快恢复供水。"


def _corpus() -> pd.DataFrame:
    """Three suggestions in people's own words, at two places and one place-free, plus unrelated noise."""
    a = [f"丽发新城附近搅拌站噪音扰民{i}\n{w}，请求搬走搅拌站。" for i, w in enumerate(
        ["搅拌站每天晚上施工噪音很大", "搅拌站粉尘大噪音吵得无法入睡", "小区旁边搅拌站灰尘噪音污染严重",
         "搅拌站离小区太近噪音扰民", "搅拌站日夜运转噪音扰民"])]
    b = [f"伊景园滨河苑捆绑销售车位{i}\n{w}，请取消捆绑销售车位。" for i, w in enumerate(
        ["开发商强制购房者捆绑购买车位", "不买车位就取消购房资格", "捆绑车位十二万太贵",
         "广铁职工买房被迫捆绑车位", "车位捆绑销售违反规定"])]
    c = [f"{w}，建议放宽二套房限购政策。" for w in
         ["现在改善住房负担太重", "二套房首付太高", "家里人口多需要换房", "限购让改善需求无法满足"]]
    noise = ["公园健身器材坏了\n请修理。", "图书馆开放时间太短\n建议延长。", "学校食堂饭菜不好\n希望改善。"]
    texts = a + b + c + noise
    place = ["丽发新城"] * 5 + ["伊景园滨河苑"] * 5 + [None] * 4 + [None] * 3
    return pd.DataFrame({"id": [f"m{i}" for i in range(len(texts))], "text": texts, "place_key": place,
                         "user": [f"u{i}" for i in range(len(texts))],
                         "time": pd.date_range("2020-08-16", periods=len(texts), freq="h"), "likes": 1})


def test_run_digest_finds_the_planted_suggestions(tmp_path):
    frame = _corpus()
    main, table, novel, _ = run_digest(frame, scratch=tmp_path, threshold=0.25)
    assert list(table.columns) == SUGGESTION_COLUMNS and list(novel.columns) == NOVEL_COLUMNS
    assert (tmp_path / "digest_model.joblib").exists()
    truth = ["a"] * 5 + ["b"] * 5 + ["c"] * 4 + ["n1", "n2", "n3"]
    found = np.where(pd.isna(main), [f"x{i}" for i in range(len(main))], main)
    p, r = bcubed(truth, found)
    assert p >= 0.9 and r >= 0.8, (p, r, list(main))
    top = table.iloc[0]
    assert top["people"] == 5 and top["messages"] == 5
    assert len(top["member_ids"].split(";")) == 5
    quotes = [q for q in top[[f"quote_{i}" for i in range(1, 6)]] if q]
    assert len(quotes) >= 2 and len(set(quotes)) == len(quotes)
    place_free = table[table["headline"].str.contains("限购")]
    assert len(place_free) == 1 and place_free.iloc[0]["people"] == 4


def test_the_tables_run_with_one_blas_thread(tmp_path, monkeypatch):
    """The mixed suggestions' split and the table run with one BLAS thread, as the workers do: their dense products
    are tiny, and a pool of BLAS threads woken for each spun more than it computed."""
    from threadpoolctl import threadpool_info

    from minsheng.engine import digest

    seen = []
    split_mixed = digest.split_mixed

    def watched(*args, **kwargs):
        seen.append(max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"), default=1))
        return split_mixed(*args, **kwargs)

    monkeypatch.setattr(digest, "split_mixed", watched)
    run_digest(_corpus(), scratch=tmp_path, threshold=0.25)
    assert seen == [1]


def test_people_count_a_campaign_once(tmp_path):
    frame = _corpus()
    frame["campaign_id"] = None
    frame.loc[:2, "campaign_id"] = "C001"  # three of the five batching-plant messages are one form letter
    _, table, _, _ = run_digest(frame, scratch=tmp_path, threshold=0.25)
    row = table[table["campaigns"] != ""].iloc[0]
    assert row["campaigns"] == "C001×3" and row["voices"] == 3 and row["people"] == 3 and row["n_users"] == 5


def test_headline_is_a_clipped_sentence_and_readable():
    assert clip_sentence("关于丽发新城附近的搅拌站，噪音很大，晚上无法睡觉，请有关部门尽快处理，谢谢领导！", 20) \
        == "关于丽发新城附近的搅拌站，噪音很大"
    assert readable_headline("丽发新城小区附近的搅拌站噪音严重扰民")
    assert not readable_headline("对外开放·文体·横线")
    assert not readable_headline("所以，请回复一下")
    assert not readable_headline("伊景园滨河苑（广铁职工")


@pytest.mark.parametrize(("text", "asked"), [
    ("楼道是唯一的过道，而且没有增设安全措施，存在安全隐患", "建议楼道增设安全措施"),  # missing, reported
    ("感谢政府开通公交专线，给大家带来方便", "希望开通公交专线到火车站"),  # thanks for what was done
    ("健身房取消了操课，且将大部分场地改为私教区域", "建议将大部分场地改为公共区域"),  # what another did
    ("按照小区规划，7栋北侧应该为绿化，可是物业擅自建立了垃圾站", "应该在7栋北侧建立消防通道"),  # a norm, a complaint
    ("街道办贴出告示，要求沿街商铺统一改造门头", "我们要求沿街商铺统一改造门头"),  # a notice's demand, told
    ("物业回复称，要求业主自行安装监控", "要求物业在车库安装监控"),  # a reply's demand, told
])
def test_novel_score_counts_only_a_proposal_the_writer_asks_for(text, asked):
    assert "proposal" not in score_proposal(text, frozenset())[1]
    assert "proposal" in score_proposal(asked, frozenset())[1]  # the same verb, asked for


def test_bcubed_on_known_cases():
    assert bcubed(["a", "a", "b"], [1, 1, 2]) == (1.0, 1.0)
    p, r = bcubed(["a", "a", "b", "b"], [1, 1, 1, 1])
    assert p == 0.5 and r == 1.0
    p, r = bcubed(["a", "a"], [1, 2])
    assert p == 1.0 and r == 0.5


def test_novel_score_rewards_a_specific_proposal_over_a_grievance():
    rare = frozenset(["改签", "窗口", "候车厅"])
    idea, why = score_proposal("建议在南站候车厅增设改签窗口，方便旅客不出站改签", rare)
    grievance, _ = score_proposal("请帮我追回拖欠的工资", rare)
    assert idea > grievance and "proposal" in why and "reason" in why


def test_gram_is_the_sparse_product_bit_for_bit():
    """The leader pass compares these cosines with a threshold: any rounding change would move claims."""
    from scipy.sparse import random as sparse_random
    from sklearn.preprocessing import normalize

    M = normalize(sparse_random(300, 2000, density=0.02, format="csr", dtype=np.float32, random_state=0))
    M = (M + normalize(sparse_random(1, 2000, density=0.02, format="csr", dtype=np.float32,
                                     random_state=1))[np.zeros(300, int)]).tocsr()  # words every row shares
    sparse = normalize(sparse_random(300, 2000, density=0.002, format="csr", dtype=np.float32, random_state=2))
    for X in (M, sparse):  # the dense product, and the sparse one it keeps for claims that share few words
        G = _gram(X)
        assert G.dtype == np.float32
        assert np.array_equal(G, (X @ X.T).toarray())


def test_row_reads_are_scipys_row_and_cell_reads():
    """_join_asks reads rows and cells from the matrices' arrays: the same columns and values as scipy's
    indexing, also for empty rows, absent columns and the first and last columns."""
    from scipy.sparse import csr_matrix
    from scipy.sparse import random as sparse_random

    from minsheng.engine.digest import _row, _row_values

    M = sparse_random(60, 50, density=0.1, format="csr", dtype=np.float64, random_state=3)
    M = csr_matrix(M.multiply(np.arange(60)[:, None] % 7 != 0))  # some empty rows
    M.sum_duplicates()
    rng = np.random.default_rng(0)
    for r in range(M.shape[0]):
        cols, vals = _row(M, r)
        assert np.array_equal(cols, M[r].indices) and np.array_equal(vals, M[r].data)
        for want in (rng.choice(50, 12, replace=False), np.array([0, 49]), np.array([], dtype=np.int32), cols):
            assert np.array_equal(_row_values(M, r, want), M[r, want].toarray().ravel())


def test_model_is_deterministic():
    claims = digest_claims(_corpus())
    a = DigestModel(threshold=0.25).fit(claims).assign(claims)[0]
    b = DigestModel(threshold=0.25).fit(claims).assign(claims)[0]
    assert (a == b).all()


@pytest.mark.skipif(not (DATA / "messages_hot.csv").exists(), reason="teddy2020 data not available")
def test_gold_set_scores_on_dev_messages(tmp_path):
    from minsheng.engine.digest_eval import evaluate_gold

    scores = evaluate_gold(DATA, GOLD, tmp_path)
    assert scores["gold_messages"] >= 150
    assert scores["bcubed_precision"] >= 0.85 and scores["bcubed_recall"] >= 0.65, scores
    assert scores["readable_headlines"] >= 0.9, scores


def test_ask_spread_flags_asks_sharing_only_an_institution():
    """Five different asks about one college are flagged mixed; one ask raised at five sites is not."""
    from minsheng.engine.digest import MIXED_SHARE, ask_spread, member_claims

    college = ["航空职业技术学院拿快递要二次收费\n学生取快递每件收一元，请取消。",
               "航空职业技术学院强制学生办理银行卡\n不办就不发补助，希望整改。",
               "航空职业技术学院国家奖学金迟迟不发\n已经拖了半年，请尽快发放。",
               "航空职业技术学院强制学生去工厂实习\n实习与专业无关，要求停止。",
               "航空职业技术学院宿舍夜间断电\n学生无法学习，建议恢复供电。"]
    sites = ["天健城工地夜间施工噪音扰民\n凌晨还在施工，请查处。", "金南家园工地夜间施工噪音扰民\n半夜施工吵得睡不着，请查处。",
             "君悦新天地工地夜间施工噪音扰民\n每天夜间施工，请查处。", "杏林小区工地夜间施工噪音扰民\n夜里施工噪音很大，请查处。",
             "保利广场工地夜间施工噪音扰民\n工地夜间施工不停，请查处。"]
    records = pd.DataFrame({"text": college + sites,
                            "place": ["航空职业技术学院"] * 5 + ["天健城", "金南家园", "君悦新天地", "杏林小区", "保利广场"]})
    records["place_key"] = records["place"]
    claims = digest_claims(records)
    claims = claims.assign(record=claims["record"].to_numpy(), cluster=(claims["record"] >= 5).astype(int))
    # max_df 0.6: in ten messages, the words of one ask are in half of them (0.2 is for a real corpus)
    model = DigestModel(max_df=0.6).fit(claims)
    members = member_claims(claims)
    spread = ask_spread(members.join(records[["place", "place_key"]], on="record"), model)["ask_spread"]
    assert spread[0] >= MIXED_SHARE > spread[1], spread.to_dict()


# Five different questions held together by one policy word, and five questions on moving a 户口, which share a
# noun and an act: one ask to the mixed flag (ask_spread), though counted without those two words (_glue).
_POLICY = ["咨询医保的问题\n在外地住院，异地就医怎么报销？", "关于医保问题的咨询\n辞职后断缴五个月，能补缴吗？",
           "咨询医保的问题\n农村合作医疗每年涨价，钱用到哪去了？", "医保问题咨询\n退休人员的卡怎么办理，要带什么材料？",
           "咨询医保的问题\n医保所电话一直没人接听，请问怎么回事？"]
_MOVING = ["咨询户口迁移的问题\n户口怎么迁移到A市，需要什么材料？", "请问户口迁移回老家怎么办理\n户口能迁移回去吗？",
           "咨询小孩户口迁移的手续\n小孩户口迁移要去哪里办？", "咨询户口迁移到县城的条件\n户口迁移需要买房吗？",
           "请问户口迁移证在哪里开\n办理户口迁移证需要多久？"]


def _spread_of_fives(texts: list[str]) -> pd.DataFrame:
    """The :func:`~minsheng.engine.digest.ask_spread` of suggestions made of each five messages in turn."""
    from minsheng.engine.digest import ask_spread, member_claims

    claims = digest_claims(pd.DataFrame({"text": texts}))
    claims = claims.assign(cluster=claims["record"].to_numpy() // 5)
    return ask_spread(member_claims(claims), DigestModel(max_df=0.6).fit(claims))


def test_ask_spread_compares_questions_without_the_policy_word_that_holds_them():
    """Five different questions that share only 医保 are flagged mixed, with 医保 as their topic; five people
    asking how to move their 户口 (two words in common) are one ask, and asks that are no questions (补课) have
    no topic."""
    from minsheng.engine.digest import MIXED_SHARE

    classes = ["一中暑假强制补课\n学校要求学生补课，请制止。", "二中周末有偿补课\n每个学生收补课费，请查处。",
               "三中寒假补课收费\n寒假补课每天五十元，请制止。", "四中国庆补课\n国庆只放三天，请查处补课。",
               "五中晚上补课到十点\n学生太累，请禁止补课。"]
    spread = _spread_of_fives(_POLICY + _MOVING + classes)
    assert spread.loc[0, "ask_spread"] >= MIXED_SHARE and spread.loc[0, "topic"] == "医保", spread
    assert spread.loc[1, "ask_spread"] < MIXED_SHARE and spread.loc[1, "topic"] == "", spread
    assert spread.loc[2, "topic"] == "", spread


_FUND = ["咨询公积金贷款的问题\n首套房用公积金贷款，首付要多少？", "公积金贷款问题咨询\n公积金贷款审批要多久才能下来？",
         "咨询公积金贷款的问题\n异地缴存的公积金能在本市贷款买房吗？", "关于公积金贷款的咨询\n公积金贷款能提前还款吗？",
         "咨询公积金贷款的问题\n夫妻两人的公积金贷款额度怎么算？"]
_WASTE = ["反映垃圾分类的问题\n单位分类后的垃圾又被混装运走。", "村里洼地填埋垃圾\n填埋场臭气熏天，地下水被污染。",
          "学校旁边焚烧垃圾\n浓烟让学生咳嗽头晕。", "楼下垃圾收集站\n收集站异味很浓，离居民楼太近。",
          "采石场倾倒建筑垃圾\n渣土车夜里来回跑，道路全是泥。"]


def test_ask_spread_reads_a_set_held_by_two_nouns_and_names_mixed_complaints():
    """Five different questions held by two nouns (公积金 and 贷款, no act between them) are a set of
    questions, named "公积金贷款" in the members' order; five complaints about 垃圾 at different places, each a
    different problem, are flagged mixed by their own words and named by what they share. 户口 迁移 (a noun and
    an act) is still one ask."""
    from minsheng.engine.digest import MIXED_SHARE

    spread = _spread_of_fives(_FUND + _MOVING + _WASTE)
    assert spread.loc[0, "ask_spread"] >= MIXED_SHARE and spread.loc[0, "topic"] == "公积金贷款", spread
    assert spread.loc[1, "ask_spread"] < MIXED_SHARE and spread.loc[1, "topic"] == "", spread
    assert spread.loc[2, "ask_spread"] >= MIXED_SHARE and spread.loc[2, "topic"] == "垃圾", spread


def test_a_set_of_questions_held_by_a_noun_and_an_act_is_counted_without_them():
    """Six people each ask their own case of moving their 社保 (a noun and an act: 社保 转移, all their titles say):
    counted by those two words, all six "asked one same thing" and the set had no count line; without them,
    at most two ask alike, and the description says so. Six people asking how to renew a driving licence
    elsewhere share more than a noun and an act (驾驶证 异地 换证 材料) and keep no count line."""
    from minsheng.engine.digest import split_mixed
    from minsheng.engine.digest_table import suggestion_table

    cases = ["咨询社保转移问题\n在广东交了八年，回老家后以前的缴费年限还算不算？",
             "关于社保转移的咨询\n个体户自己交的能不能并到单位一起交？",
             "社保转移问题咨询\n快退休了，这样会不会影响领养老金？",
             "请问社保转移的事\n手续办了三个月还没到账，为什么？",
             "咨询社保转移政策\n农村交的能转成城镇职工的吗？",
             "社保转移的问题\n公司倒闭了，断缴的几个月谁来补？"]
    renew = ["驾驶证异地换证要什么材料\n驾驶证快到期了，在外地换证需要带什么材料？",
             "咨询驾驶证异地换证的材料\n人在外地，驾驶证换证要准备哪些材料？",
             "驾驶证能在异地换证吗\n驾驶证到期，异地换证需要什么材料？",
             "异地换证需要的材料\n外地户口的驾驶证在本地换证，要什么材料？",
             "请问驾驶证异地换证\n驾驶证异地换证需要体检和哪些材料？",
             "驾驶证到期异地换证\n不在户籍地，驾驶证换证要带哪些材料？"]
    texts = cases + renew
    records = pd.DataFrame({"id": [f"m{i:02d}" for i in range(len(texts))], "text": texts,
                            "user": [f"u{i}" for i in range(len(texts))]})
    claims = digest_claims(records)
    claims = claims.assign(cluster=(claims["record"].to_numpy() >= len(cases)).astype(int), score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    model.centroids_ = model._centroids(model.embed(with_context(claims, records)), claims["cluster"].to_numpy())
    cluster, score, spread = split_mixed(claims, records, model)
    assert (cluster == claims["cluster"].to_numpy()).all()  # neither is flagged, nothing splits
    assert spread.loc[0, "shared"] <= 2 and not spread.loc[1, "shared"] < 5, spread
    table, _ = suggestion_table(records, claims.assign(cluster=cluster, score=score), model, spread=spread)
    by = table.set_index(table["member_ids"].str[:3])["description"]
    assert by["m00"].startswith("6人所问不尽相同，最多"), by["m00"]
    assert "所问不尽相同" not in by["m06"], by["m06"]


def test_a_mixed_suggestion_ranks_by_the_people_who_ask_one_thing():
    """Seven people asking seven different things about 医保 rank below five asking one thing, and their
    headline and description say so (how many ask the same thing); a suggestion flagged mixed three of whose
    four members ask one thing ranks as three and keeps the headline most of them write, with the count."""
    from minsheng.engine.digest_table import suggestion_table

    texts = [f"咨询医保的问题\n{q}" for q in ("异地就医怎么报销？", "断缴能补缴吗？", "合作医疗为什么涨价？",
                                            "退休人员的卡怎么办理？", "医保所电话没人接？", "药店能刷卡吗？",
                                            "新生儿怎么参保？")] + _MOVING + _FUND[:4]
    records = pd.DataFrame({"id": [f"m{i:02d}" for i in range(len(texts))], "text": texts,
                            "user": [f"u{i}" for i in range(len(texts))]})
    claims = digest_claims(records)
    claims = claims.assign(cluster=np.searchsorted([7, 12], claims["record"].to_numpy(), side="right"), score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    spread = pd.DataFrame({"ask_spread": [0.9, 0.0, 0.5], "topic": ["医保", "", ""], "shared": [1.0, np.nan, 3.0]})
    table, _ = suggestion_table(records, claims, model, spread=spread)
    by = table.set_index(table["member_ids"].str[:3])
    assert list(table["member_ids"].str[:3]) == ["m07", "m12", "m00"], table[["headline", "people"]]
    assert by.loc["m00", "people"] == 7 and by.loc["m00", "headline"] == "关于医保的多个问题"
    assert by.loc["m00", "description"].startswith("7人所问不尽相同，最多1人问同一件事。"), by.loc["m00"]
    assert by.loc["m12", "description"].startswith("4人所问不尽相同，最多3人问同一件事。"), by.loc["m12"]
    assert "多个问题" not in by.loc["m12", "headline"] and "公积金" in by.loc["m12", "headline"], by.loc["m12"]
    assert "问同一件事" not in by.loc["m07", "description"]


def test_a_suggestion_whose_writers_all_ask_one_thing_is_not_flagged_mixed():
    """A suggestion whose asks look apart (ask_spread over ``MIXED_SHARE``) but whose writers the split counted
    as all asking one thing (``shared`` = its people: one story told from different circumstances, 超生上户) is
    no mixed suggestion: its flag says what its count says. Three of four asking one thing stay mixed."""
    from minsheng.engine.digest_table import suggestion_table

    texts = _FUND[:4] + _MOVING
    records = pd.DataFrame({"id": [f"m{i:02d}" for i in range(len(texts))], "text": texts,
                            "user": [f"u{i}" for i in range(len(texts))]})
    claims = digest_claims(records)
    claims = claims.assign(cluster=(claims["record"].to_numpy() >= 4).astype(int), score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    for shared, mixed in ((4.0, False), (3.0, True)):
        spread = pd.DataFrame({"ask_spread": [0.9, 0.0], "topic": ["", ""], "shared": [shared, np.nan]})
        table, _ = suggestion_table(records, claims, model, spread=spread)
        row = table.set_index(table["member_ids"].str[:3]).loc["m00"]
        assert row["mixed"] == mixed and row["ask_spread"] == 0.9, row


def _asks(groups: dict[str, list[str]]) -> tuple[pd.DataFrame, list[str]]:
    """Records whose place columns come from the real place finder, with the key of the ask each one makes,
    after 800 synthetic suggestions (the words of a handful of messages must not be a fifth of the corpus, where
    they would be dropped as too common)."""
    from minsheng.engine.places import place_columns
    from minsheng.engine.synth import generate

    background = generate(800, seed=1)
    texts = (background["title"] + "\n" + background["body"]).tolist()
    truth = [f"synthetic{i}" for i in range(len(texts))]
    for key, members in groups.items():
        texts += members
        truth += [key] * len(members)
    frame = pd.DataFrame({"id": [f"m{i}" for i in range(len(texts))], "text": texts,
                          "user": [f"u{i}" for i in range(len(texts))],
                          "time": pd.date_range("2020-08-16", periods=len(texts), freq="h"), "likes": 0})
    return frame.join(place_columns(frame)), truth


def test_asks_sharing_only_an_institution_noun_are_different_suggestions(tmp_path):
    """Four people ask one college to stop charging for deliveries; five others, one each, ask five other
    colleges five other things. They meet on 职业技术学院 only: none of the five joins the delivery suggestion
    (all did, with the college's words counted as asked), and the four paraphrases stay one suggestion."""
    frame, truth = _asks({
        "delivery": ["A市航空职业技术学院拿快递要二次收费\n学生取快递每件还要再交一元，请取消二次收费。",
                     "航空职业技术学院快递代收点乱收费\n取一个快递收一元，希望取消快递收费。",
                     "投诉A市航空职业技术学院快递二次收费\n快递已付运费，学校代收点又收费，要求整改。",
                     "航空职业技术学院取快递收费不合理\n请有关部门查处快递二次收费。"],
        "internship": ["A市商贸职业技术学院强制学生去工厂实习\n实习与专业无关，要求学校停止。"],
        "scholarship": ["A市民政职业技术学院国家助学金迟迟不发\n已经拖了半年，请尽快发放。"],
        "bank": ["A市电子科技职业技术学院要求学生办各种银行卡\n不办就不让报到，请查处。"],
        "move": ["A市卫生职业技术学院为何还没搬至新校区\n老校区太挤，希望早日搬迁。"],
        "dorm": ["A市生物机电职业技术学院男生随意进出女生宿舍\n宿舍管理混乱，要求加强管理。"],
    })
    main, _, _, _ = run_digest(frame, scratch=tmp_path)
    got = pd.Series(main, index=truth)
    assert got["delivery"].nunique() == 1 and got["delivery"].notna().all(), list(zip(truth[-9:], main[-9:], strict=True))
    singles = got[["internship", "scholarship", "bank", "move", "dorm"]]
    assert not singles.isin(set(got["delivery"])).any(), list(zip(truth[-9:], main[-9:], strict=True))


def test_numbered_lines_are_different_suggestions(tmp_path):
    """People asking when metro line 3 opens and people asking when line 7 opens share every word but the
    number: two suggestions."""
    frame, truth = _asks({
        "line3": ["A市地铁3号线什么时候开通\n3号线已经修了好几年，请问何时开通运营？",
                  "请问地铁3号线何时能通车\n我们小区旁边的3号线站点早就建好了，希望早日通车。",
                  "地铁3号线开通时间\n3号线到底哪天开通？希望尽快公布时间。"],
        "line7": ["地铁7号线能不能早点开通\n每天上班堵在路上，盼着7号线通车。",
                  "关于A市7号线通车时间的疑问\n听说7号线年底开通，是真的吗？",
                  "7号线何时开通运营\n住在7号线沿线的居民都很关心开通日期。"],
    })
    main, _, _, _ = run_digest(frame, scratch=tmp_path)
    got = pd.Series(main, index=truth)
    assert got["line3"].nunique() == 1 and got["line7"].nunique() == 1 and got[["line3", "line7"]].notna().all()
    assert got["line3"].iloc[0] != got["line7"].iloc[0], list(zip(truth[-6:], main[-6:], strict=True))


def test_a_line_in_chinese_numerals_is_the_line_in_digits(tmp_path):
    """三号线 is 3号线 and 七号线 is 7号线 (:func:`~minsheng.engine.places.numbered_names`): written either
    way, the asks about one line are one suggestion and the two lines two. The digest read 三号线 as 三号 and
    线, so the lines met on 地铁 and 开通 and the writers of 三号线 were apart from those of 3号线."""
    frame, truth = _asks({
        "line3": ["A市地铁三号线什么时候开通\n三号线已经修了好几年，请问何时开通运营？",
                  "请问地铁3号线何时能通车\n我们小区旁边的3号线站点早就建好了，希望早日通车。",
                  "地铁三号线开通时间\n三号线到底哪天开通？希望尽快公布时间。"],
        "line7": ["地铁7号线能不能早点开通\n每天上班堵在路上，盼着七号线通车。",
                  "关于A市七号线通车时间的疑问\n听说七号线年底开通，是真的吗？",
                  "7号线何时开通运营\n住在7号线沿线的居民都很关心开通日期。"],
    })
    assert _numbered_df(frame["text"].tolist())[["3号线", "7号线"]].tolist() == [3, 3]
    main, _, _, _ = run_digest(frame, scratch=tmp_path)
    got = pd.Series(main, index=truth)
    assert got["line3"].nunique() == 1 and got["line7"].nunique() == 1 and got[["line3", "line7"]].notna().all()
    assert got["line3"].iloc[0] != got["line7"].iloc[0], list(zip(truth[-6:], main[-6:], strict=True))


def test_one_place_one_ask_worded_two_ways_is_joined_other_asks_and_places_are_not():
    """Two wordings of one ask about one estate (its name written in two variants) become one suggestion; a
    different ask at another estate, and the same ask at a different estate, stay apart."""
    groups = {
        "bundle": ("伊景园滨河苑职工购房捆绑销售车位", "伊景园滨河苑",
                   ["车位属于业主所有，不应该被捆绑销售。", "广铁集团职工购房时开发商捆绑销售车位违法。", "捆绑销售车位十二万，请取消。"]),
        "forced": ("工定向商品房伊景园滨河苑强制职工捆绑购买车位", "工定向商品房伊景园滨河苑",
                   ["广铁集团强制职工购房时捆绑购买车位。", "职工购房被强制捆绑购买车位。", "不捆绑购买车位就不让职工购房。"]),
        "elsewhere": ("丽发新城捆绑销售车位", "丽发新城",
                      ["开发商捆绑销售车位。", "捆绑销售车位请取消。", "车位不应该捆绑销售。"]),
        "noise": ("丽发新城附近搅拌站噪音扰民", "丽发新城",
                  ["搅拌站晚上噪音很大，请搬走。", "搅拌站粉尘噪音扰民。", "搅拌站日夜运转，请求搬走。"]),
    }
    texts, keys, truth = [], [], []
    for g, (title, key, bodies) in groups.items():
        for body in bodies:
            texts.append(f"{title}\n{body}")
            keys.append(key)
            truth.append(g)
    claims = digest_claims(pd.DataFrame({"text": texts, "place_key": keys}), max_claims=1)
    model = DigestModel(split=0, join=0, max_df=1.0).fit(claims)  # few claims: keep every word
    labels = pd.factorize(pd.Series(truth)[claims["record"].to_numpy()])[0]
    joined = model.set_params(join=0.45)._join(claims, model.embed(claims), labels)
    by = pd.Series(joined).groupby(pd.Series(truth)[claims["record"].to_numpy()].to_numpy()).unique()
    assert len(by["bundle"]) == 1 and by["bundle"][0] == by["forced"][0]
    assert by["elsewhere"][0] != by["bundle"][0] and by["noise"][0] != by["elsewhere"][0]


def _ask_groups(groups: dict) -> tuple[DigestModel, pd.DataFrame, np.ndarray, np.ndarray]:
    """A model fitted without joins on ``groups`` (name → (title, place key) of each message), the claims, each
    claim's group name and group number: the pieces :meth:`DigestModel._join_asks` is handed."""
    texts, keys, truth = [], [], []
    for g, items in groups.items():
        for title, key in items:
            texts.append(f"{title}\n{title}，请相关部门尽快处理。")
            keys.append(key)
            truth.append(g)
    claims = digest_claims(pd.DataFrame({"text": texts, "place_key": keys}), max_claims=1)
    model = DigestModel(split=0, join=0, join_asks=0, max_df=1.0).fit(claims)  # few claims: keep every word
    group = pd.Series(truth)[claims["record"].to_numpy()].to_numpy()
    return model.set_params(join_asks=0.4), claims, group, pd.factorize(group)[0]


def test_one_ask_at_many_places_is_joined_unless_split_or_about_another_object():
    """Night construction noise at six sites, in two suggestions of three sites each, becomes one; two asks that
    share the action but not the object (加快体育强省建设 / 加快省图书馆建设) stay apart, and so do two pieces
    the split separated (one first-pass suggestion)."""
    groups = {
        "night1": [("丽发新城工地夜间施工扰民", "丽发新城"), ("金麓国际工地深夜施工噪音", "金麓国际"),
                   ("青松花园工地晚上施工扰民", "青松花园")],
        "night2": [("翡翠林居工地凌晨施工扰民", "翡翠林居"), ("润芳园工地夜里施工噪音大", "润芳园"),
                   ("魅力之城工地半夜施工扰民", "魅力之城")],
        "sports": [("请加快体育强省建设力度", None), ("请加快体育强省建设步伐", None), ("加快体育强省建设", None)],
        "library": [("请加快省图书馆建设力度", None), ("请加快省图书馆建设步伐", None), ("加快省图书馆建设", None)],
    }
    model, claims, group, labels = _ask_groups(groups)
    Z = model.embed(claims)
    joined = pd.Series(model._join_asks(claims, Z, labels, labels)).groupby(group).unique()
    assert joined["night1"][0] == joined["night2"][0]
    assert joined["sports"][0] != joined["library"][0] != joined["night1"][0]
    one_origin = np.where(np.isin(group, ["night1", "night2"]), 0, labels)
    apart = pd.Series(model._join_asks(claims, Z, labels, one_origin)).groupby(group).unique()
    assert apart["night1"][0] != apart["night2"][0]


def test_when_an_ask_happens_or_a_longer_spelling_is_no_object_that_keeps_two_suggestions_apart():
    """Every member of one piece writes 夜间 and of the other 凌晨 (when the works go on, not what they are), or
    公交车 where the other writes 公交 (one thing, spelled one character longer): each pair is one ask and is
    joined; an object one side lacks (体育强省 / 省图书馆) still keeps two suggestions apart."""
    groups = {
        "night": [("丽发新城工地夜间施工扰民", "丽发新城"), ("金麓国际夜间施工噪音扰民", "金麓国际"),
                  ("青松花园工地夜间施工扰民", "青松花园")],
        "dawn": [("翡翠林居工地凌晨施工扰民", "翡翠林居"), ("润芳园凌晨施工噪音扰民", "润芳园"),
                 ("魅力之城工地凌晨施工扰民", "魅力之城")],
        "bus": [("205路公交早高峰不按时发车", None), ("207路公交早高峰经常不按时发车", None),
                ("212路公交早高峰不按时发车", None)],
        "coach": [("225路公交车早高峰不按时发车", None), ("15路公交车早高峰经常不按时发车", None),
                  ("204路公交车早高峰不按时发车", None)],
        "sports": [("请加快体育强省建设力度", None), ("请加快体育强省建设步伐", None), ("加快体育强省建设", None)],
        "library": [("请加快省图书馆建设力度", None), ("请加快省图书馆建设步伐", None), ("加快省图书馆建设", None)],
    }
    model, claims, group, labels = _ask_groups(groups)
    joined = pd.Series(model._join_asks(claims, model.embed(claims), labels, labels)).groupby(group).unique()
    assert joined["night"][0] == joined["dawn"][0]
    assert joined["bus"][0] == joined["coach"][0]
    assert joined["sports"][0] != joined["library"][0]


def test_members_split_evenly_between_departments_name_every_tied_one():
    """One letter routed to each of two departments: the suggestion belongs to neither, so both are named
    (it went to whichever came first); a plurality still names one."""
    from minsheng.engine.digest_members import departments
    from minsheng.engine.result import TIED_DEPARTMENTS

    names = pd.Index(["交通运输局", "教育局", "民政局"])
    dept = np.array([1, 0, 1, 0, 2, -1])
    conf = np.array([0.9, 0.5, 0.7, 0.3, 0.8, np.nan])
    # suggestion 4: records 0 and 1; suggestion 9: records 0, 1, 2 and 5
    got = departments(dept, names, conf, np.array([4, 4, 9, 9, 9, 9]), np.array([0, 1, 0, 1, 2, 5]))
    tie, plural = got[4], got[9]
    assert tie["department"] == TIED_DEPARTMENTS.join(["交通运输局", "教育局"]) and tie["department_share"] == 0.5
    assert tie["department_confidence"] == 0.7
    assert plural == {"department": "教育局", "department_confidence": 0.8, "department_share": 0.5}


def test_one_users_reposts_do_not_make_their_estate_the_suggestions_place(tmp_path):
    """Barbecue fumes at five estates; one user posts his estate's letter four times. By messages his estate
    is written in half the members and the headline kept it; by people it is one of five, so the headline
    does not name it."""
    repost = "魅力之城小区楼下烧烤摊油烟扰民\n每天晚上烤串到凌晨两点。"
    frame, truth = _asks({"fumes": [repost] * 4 + [
        "一师润芳园小区烧烤摊油烟扰民\n窗户都不敢开。", "翡翠林居楼下烧烤摊油烟太大\n老人孩子被熏得咳嗽。",
        "金麓国际门口烧烤摊扰民\n业主多次投诉无果。", "青松花园小区楼下烧烤摊噪音扰民\n夏天更加严重。"]})
    frame.loc[frame.index[-8:-4], "user"] = "u-repost"
    main, table, _, _ = run_digest(frame, scratch=tmp_path)
    got = pd.Series(main, index=truth)["fumes"]
    assert got.nunique() == 1 and got.notna().all(), list(got)
    headline = table.set_index("suggestion_id").loc[got.iloc[0], "headline"]
    assert "烧烤摊" in headline and "魅力之城" not in headline, headline


def test_letters_with_no_duplicate_group_are_no_reposts_of_each_other(tmp_path):
    """Records that carry no ``dup_group`` (none found, or a caller's table without one) are each their own
    letter: none counts as a re-post (they counted as copies of one another, so a suggestion of 4 different
    letters showed 3 re-posts)."""
    frame, _ = _asks({"fumes": ["一师润芳园小区烧烤摊油烟扰民\n窗户都不敢开。", "翡翠林居楼下烧烤摊油烟太大\n老人孩子被熏得咳嗽。",
                                "金麓国际门口烧烤摊扰民\n业主多次投诉无果。", "青松花园小区楼下烧烤摊噪音扰民\n夏天更加严重。"]})
    frame["dup_group"] = np.nan
    _, table, _, _ = run_digest(frame, scratch=tmp_path)
    assert len(table) and table["messages"].gt(1).any()
    assert table["reposts"].eq(0).all(), table[["messages", "reposts"]]


def test_workers_give_the_digest_of_one_process(tmp_path):
    """Several partitions on workers (the fit beside the claims' splitting, the suggestions worded in the workers)
    give the same tables and main suggestions as one process."""
    from minsheng.engine.executor import make_executor

    frame = _corpus()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone = run_digest(frame, scratch=tmp_path / "a", threshold=0.25, batch_rows=5)
    pooled = run_digest(frame, scratch=tmp_path / "b", threshold=0.25, batch_rows=5,
                        executor=lambda: make_executor("local", workers=2))
    assert list(alone[0]) == list(pooled[0])
    pd.testing.assert_frame_equal(alone[1], pooled[1])
    pd.testing.assert_frame_equal(alone[2], pooled[2])


def test_workers_handing_everything_through_files_give_the_digest_of_one_process(tmp_path, monkeypatch):
    """With the pool's handoff folder and every partition and result handed through a file (as a million records'
    are), the digest is that of one process: the records' writers, found by a worker and read by both the mixed
    suggestions' split and the table, are handed over once (a second read found its file gone)."""
    from minsheng.engine import executor

    monkeypatch.setattr(executor, "_HANDOFF_BYTES", 1)
    frame = _corpus()
    frame["user"] = [f"u{i % 7}" for i in range(len(frame))]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone = run_digest(frame, scratch=tmp_path / "a", threshold=0.25, batch_rows=5)
    pooled = run_digest(frame, scratch=tmp_path / "b", threshold=0.25, batch_rows=5,
                        executor=lambda: executor.make_executor("local", workers=2, folder=tmp_path / "handoff"))
    assert list(alone[0]) == list(pooled[0])
    pd.testing.assert_frame_equal(alone[1], pooled[1])
    pd.testing.assert_frame_equal(alone[2], pooled[2])


def test_the_digest_takes_each_partition_when_it_is_mapped(tmp_path):
    """The partitions of distinct texts are those of one frame of them (values and index), but each is taken from
    the records when a map reaches it: none holds more than its own rows' text (one frame of every distinct text
    was 330 MB held through the stage at a million records)."""
    from minsheng.engine.dedup import DistinctParts, text_codes

    records = pd.DataFrame({"text": pd.Series([f"第{i // 2 % 700}条建议：{'很长的内容' * (i // 2 % 7)}" for i in range(2800)],
                                              dtype="str"), "place_key": [f"P{i % 13}" for i in range(2800)]})
    _, first = text_codes(records["text"])
    whole = records.iloc[first].reset_index(drop=True)
    parts = DistinctParts(records, first, 300)
    assert len(parts) == 3 and len(list(parts)) == 3
    for k, part in enumerate(parts):
        pd.testing.assert_frame_equal(part, whole.iloc[k * 300: (k + 1) * 300])
        text = part["text"].array._pa_array  # a slice of one frame of them holds all its buffers
        assert text.get_total_buffer_size() <= text.nbytes + 64
    with pytest.raises(IndexError):
        parts[3]


def test_a_connective_alone_goes_with_the_clause_it_opens():
    """A long sentence is cut into pieces at commas; "首先，" ends no piece (it opens what follows), and a clipped
    description never ends on it."""
    sentence = ("现在小区的入住率也直线上升，那么公交公司是否可以考虑一下周边居民出行困难的问题呢，首先，"
                "目前仅仅只有乐路口有一个公交站牌是停靠公交车的，还是25路车")
    _, _, _, _, text = claim_arrays([sentence + "。"])
    assert text[0].endswith("问题呢，") and text[1].startswith("首先，目前")
    assert clip_sentence(sentence, 45) == "现在小区的入住率也直线上升，那么公交公司是否可以考虑一下周边居民出行困难的问题呢"


def test_one_off_proposals_left_alone_by_the_digest_are_novel_ideas(tmp_path):
    """The synthetic one-off proposals (synth.novel_ideas, what the demo's 金点子 page shows): each one the digest
    puts in no suggestion of two or more people is listed, with the proposal it asks for."""
    from minsheng.engine.synth import generate, novel_ideas

    planted = novel_ideas(10, seed=3)
    frame = pd.concat([generate(300, seed=3), planted], ignore_index=True)
    frame["text"] = (frame["title"].fillna("") + "\n" + frame["body"]).str.strip()
    main, table, novel, _ = run_digest(frame[["id", "text", "user", "time"]], scratch=tmp_path)
    shared = set(table.loc[table["people"] >= 2, "suggestion_id"])
    alone = {i for i, m in zip(frame["id"], main, strict=True) if i in set(planted["id"]) and m not in shared}
    assert len(alone) >= 3  # most are alone; two at one generated place may be joined
    assert alone <= set(novel["id"])
    listed = novel.set_index("id").loc[sorted(alone)]
    assert listed["why"].str.startswith("proposal").all()


def test_a_set_of_questions_held_by_one_policy_word_is_headed_as_such():
    """The table heads a mixed set of questions by its policy noun, not by one member's question; an ask
    raised by five people keeps a headline from the data."""
    from minsheng.engine.digest_table import suggestion_table

    records = pd.DataFrame({"id": [f"m{i}" for i in range(10)], "text": _POLICY + _MOVING})
    claims = digest_claims(records)
    claims = claims.assign(cluster=claims["record"].to_numpy() // 5, score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    table, _ = suggestion_table(records, claims, model)
    heads = dict(zip(table["member_ids"].str[:2], table["headline"], strict=True))
    assert heads["m0"] == "关于医保的多个问题" and "户口" in heads["m5"], table[["headline", "mixed"]]


def test_a_mixed_suggestion_is_split_into_the_asks_it_holds():
    """Eight 医保 questions: two people ask about reimbursement away from home, two about the rural scheme's
    fees, four ask one thing each. The two pairs become suggestions of their own (their centres appended to
    the model), the four stay as the rest of the set; five people asking one thing (户口迁移) stay whole."""
    from minsheng.engine.digest import split_mixed

    mixed = ["咨询医保异地就医报销\n在外地住院，异地就医怎么报销？", "医保异地就医报销问题\n去外省看病，异地就医能报销吗？",
             "咨询农村医保缴费标准\n农村医保每年缴费涨价，为什么？", "农村医保缴费问题咨询\n农村医保缴费标准是多少？",
             "医保所电话没人接\n医保所电话一直没人接听，请问怎么回事？", "咨询医保卡办理\n退休人员的医保卡怎么办理？",
             "医保断缴问题\n辞职后断缴五个月，能补缴吗？", "咨询医保定点药店\n药店能不能刷医保，哪些能刷？"]
    records = pd.DataFrame({"text": mixed + _MOVING, "user": [f"u{i}" for i in range(len(mixed) + len(_MOVING))]})
    claims = digest_claims(records)
    claims = claims.assign(cluster=(claims["record"].to_numpy() >= len(mixed)).astype(int), score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    # the clusters are set by hand: their centres are rows 0 and 1
    model.centroids_ = model._centroids(model.embed(with_context(claims, records)), claims["cluster"].to_numpy())
    cluster, score, spread = split_mixed(claims, records, model)
    # the spread of the suggestion left whole and of the rest of the split one (read again), for the table; the
    # rest's four ask one thing each
    assert list(spread.index) == [1, 0] and spread.loc[0, "shared"] == 1 and spread.loc[0, "topic"] == "医保", spread
    of = pd.Series(cluster).groupby(claims["record"].to_numpy()).agg(set)
    assert all(len(s) == 1 for s in of), of  # a member's claims move together
    got = of.map(min).to_numpy()
    assert got[0] == got[1] and got[2] == got[3] and len({got[0], got[2], 0}) == 3, got
    assert (got[4:8] == 0).all() and (got[8:] == 1).all(), got
    assert model.centroids_.shape[0] == model.n_clusters_ == 4
    assert (score[cluster >= 2] > 0).all()


def test_sub_asks_whose_objects_the_others_also_tell_are_one_ask():
    """Three pieces of one ask (register a child), each opening with its own circumstance (二胎, 结婚证, 结扎),
    are one story when every piece's object is told in the messages of a fifth of the members outside it;
    a piece with an object only its own members write (异地 loans among 公积金 questions) is another ask."""
    from scipy.sparse import csr_matrix

    from minsheng.engine.digest import DigestModel, _one_story

    rare = DigestModel().object_rare  # a fifth
    # members' whole-message words, columns: 0 二胎, 1 结婚证, 2 结扎, 3 异地, 4 上户
    told = np.array([[1, 0, 1, 1, 1], [1, 0, 0, 1, 1], [0, 1, 1, 0, 1], [1, 1, 0, 0, 1],
                     [0, 1, 1, 0, 1], [0, 1, 1, 0, 1], [1, 0, 0, 0, 1], [0, 0, 0, 0, 1]], dtype=np.float32)
    arg = np.array([0, 0, 1, 1, 2, 2, -1, -1])
    story = {0: np.array([0]), 1: np.array([1]), 2: np.array([2])}
    assert _one_story(csr_matrix(told), arg, story, rare)
    # the first piece's object 异地 is written by none of the others: two different asks
    assert not _one_story(csr_matrix(told), arg, {**story, 0: np.array([3])}, rare)
    # 二胎 told by one of the six outside its piece (under a fifth) keeps that piece apart too
    told[3, 0] = 0
    assert not _one_story(csr_matrix(told), arg, story, rare)


def test_people_asking_one_thing_are_counted_by_their_titles_when_bodies_differ():
    """Five long messages on one ask (传销 activity, 打击传销 in each title) join a suggestion by body sentences
    worded five ways, so the suggestion is flagged mixed; counted by those sentences alone they asked five
    different things (最多1人) and the suggestion went down. Each member's opening (its title) is read with its
    ask: they ask one thing, and it is ranked by its people (``shared`` NaN: all one group)."""
    from minsheng.engine.digest import MIXED_SHARE, split_mixed

    bodies = ["邻居交了三万块入会费，请派出所帮忙把钱追回来。", "请网警查封天天发拉人头返利消息的微信群。",
              "请查一查那家每天聚集年轻人上课喊口号的店面。", "亲戚手机被收走联系不上，请公安尽快解救。",
              "请工商部门取缔囤货发展下线的公司。"]
    mixed = [f"请求打击传销活动\n{b}" for b in bodies]
    records = pd.DataFrame({"text": mixed + _MOVING, "user": [f"u{i}" for i in range(len(mixed) + len(_MOVING))]})
    claims = digest_claims(records)
    first = claims["pos"].to_numpy() == claims.groupby("record")["pos"].transform("min").to_numpy()
    # the pyramid complaints are in their suggestion by their bodies only; their titles are nowhere
    cluster = np.where(claims["record"].to_numpy() >= len(mixed), 1, np.where(first, -1, 0))
    claims = claims.assign(cluster=cluster, score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    model.centroids_ = model._centroids(model.embed(with_context(claims[cluster >= 0], records)), cluster[cluster >= 0])
    got, _, spread = split_mixed(claims, records, model)
    assert spread.loc[0, "ask_spread"] >= MIXED_SHARE, spread
    assert (got == cluster).all()  # no split: one ask
    assert not spread.loc[0, "shared"] < 4, spread


def test_one_kind_of_complaint_at_many_places_says_so_with_the_places():
    """Five complaints about 垃圾 at five estates are counted as five places' problems of one kind, with the
    places, not as five people asking one thing; five people at one estate and five questions with no place
    have no such line."""
    from minsheng.engine.digest_table import suggestion_table

    waste = ["西湖小区垃圾分类形同虚设\n分类后的垃圾又被混装运走。", "万鑫嘉园旁边填埋垃圾\n填埋场臭气熏天，地下水被污染。",
             "火宝山社区焚烧垃圾\n浓烟让学生咳嗽头晕。", "金科时代中心楼下垃圾收集站\n收集站异味很浓，离居民楼太近。",
             "青松花园外倾倒建筑垃圾\n渣土车夜里来回跑，道路全是泥。"]
    water = ["嘉顺苑经常停水\n一个月停了五次水。", "嘉顺苑又停水了\n停水也不提前通知。", "嘉顺苑停水问题\n停水三天没人管。",
             "嘉顺苑停水严重\n老人没水做饭。", "嘉顺苑频繁停水\n请自来水公司给个说法。"]
    places = ["A2区西湖小区", "万鑫嘉园", "火宝山社区", "金科时代中心", "青松花园"] + ["嘉顺苑"] * 5 + [None] * 5
    records = pd.DataFrame({"id": [f"m{i:02d}" for i in range(15)], "text": waste + water + _MOVING,
                            "user": [f"u{i}" for i in range(15)], "place": places,
                            "place_key": [p.removeprefix("A2区") if p else None for p in places]})
    claims = digest_claims(records)
    claims = claims.assign(cluster=claims["record"].to_numpy() // 5, score=1.0)
    model = DigestModel(max_df=0.6).fit(claims)
    table, _ = suggestion_table(records, claims, model)
    by = table.set_index(table["member_ids"].str[:3])["description"]
    assert by["m00"].startswith("5人反映各地垃圾问题，涉及5处（"), by["m00"]
    assert "西湖小区" in by["m00"] and "A2区" not in by["m00"], by["m00"]
    assert "涉及" not in by["m05"] and "涉及" not in by["m10"], by


def test_a_mixed_headline_with_no_topic_stays_within_the_headline_length():
    """"多个问题，如：" before a member's long headline is clipped so that the whole stays within
    ``HEADLINE_CHARS`` (it ran seven characters over)."""
    from minsheng.engine.digest_table import suggestion_table
    from minsheng.engine.sentences import HEADLINE_CHARS

    long = [f"小区地下车库积水，请相关部门尽快督促开发商解决车库长期积水和{x}的问题\n{y}"
            for x, y in (("电梯经常停运", "积水很深。"), ("外墙瓷砖脱落", "瓷砖掉了。"), ("绿化带被占", "绿化没了。"),
                         ("物业乱收费", "收费太高。"))]
    records = pd.DataFrame({"id": [f"m{i}" for i in range(4)], "text": long, "user": [f"u{i}" for i in range(4)]})
    claims = digest_claims(records).assign(cluster=0, score=1.0)
    model = DigestModel(max_df=0.9).fit(claims)
    spread = pd.DataFrame({"ask_spread": [0.9], "topic": [""], "shared": [1.0]})
    table, _ = suggestion_table(records, claims, model, spread=spread)
    headline = table.loc[0, "headline"]
    assert headline.startswith("多个问题，如：") and len(headline) <= HEADLINE_CHARS, headline
    assert len(headline) > len("多个问题，如：") + 5, headline



def test_a_message_without_a_title_is_counted_by_its_first_sentence():
    """Five messages without a title on one ask (传销), whose kept claims are body sentences worded five ways
    (a message without a title keeps only its first asks as claims, not its opening): each member's opening is
    read from its text, so they are counted as asking one thing, not as five different asks."""
    from minsheng.engine.digest import MIXED_SHARE, _opening, split_mixed

    bodies = ["邻居交了三万块入会费，请派出所帮忙把钱追回来。", "请网警查封天天发拉人头返利消息的微信群。",
              "请查一查那家每天聚集年轻人上课喊口号的店面。", "亲戚手机被收走联系不上，请公安尽快解救。",
              "请工商部门取缔囤货发展下线的公司。"]
    mixed = [f"传销活动猖獗亟待打击。{b}" for b in bodies]
    assert _opening(mixed[0]) == "传销活动猖獗亟待打击"
    records = pd.DataFrame({"text": mixed + _MOVING, "user": [f"u{i}" for i in range(len(mixed) + len(_MOVING))]})
    claims = digest_claims(records)
    assert not (claims["pos"].to_numpy()[claims["record"].to_numpy() < len(mixed)] == 0).any()  # openings: no claims
    cluster = (claims["record"].to_numpy() >= len(mixed)).astype(int)
    claims = claims.assign(cluster=cluster, score=1.0)
    # a vocabulary that knows the openings' words, as one fitted on many messages does
    known = digest_claims(pd.DataFrame({"text": ["打击传销活动\n传销猖獗。", "传销窝点\n亟待查处。", *_MOVING]}))
    model = DigestModel(max_df=0.6).fit(pd.concat([claims, known], ignore_index=True))
    model.centroids_ = model._centroids(model.embed(with_context(claims, records)), cluster)
    got, _, spread = split_mixed(claims, records, model)
    assert spread.loc[0, "ask_spread"] >= MIXED_SHARE, spread
    assert (got == cluster).all()  # no split: one ask
    assert not spread.loc[0, "shared"] < 4, spread


def test_one_site_under_variant_names_is_one_place():
    """A hospital sited at one estate, written of under three names by three of six people (the estate, the
    estate with its developer, a fragment of one title the place finder took), is one place most of them are
    at: no "各地 … 涉及6处" line; the openings that write another member's place are at that place."""
    from minsheng.engine.digest_table import suggestion_table
    from minsheng.engine.digest_wording import _sites

    texts = ["坚决反对在诺亚山林小区门口设置医院\n医院污染小区环境。", "鹏基诺亚山林即将成为爱尔眼科医院后花园\n医疗垃圾危害大。",
             "鹏基诺亚山林小区门口建医院合法吗\n业主都反对。", "星湖湾小区旁边建医院合理吗\n选址不合理。",
             "金色溪泉湾小区旁开设卫生所\n业主坚决反对。", "白田佳苑门口建诊所\n居民担心污染。"]
    keys = ["诺亚山林", "爱尔眼科医院后", "鹏基诺亚山林", "星湖湾", "金色溪泉湾", "白田佳苑"]
    sites = _sites(keys, Counter(keys), np.arange(6), texts)
    assert sites[:3] == ["诺亚山林"] * 3 and sites[3:] == keys[3:], sites
    records = pd.DataFrame({"id": [f"m{i}" for i in range(6)], "text": texts, "user": [f"u{i}" for i in range(6)],
                            "place": keys, "place_key": keys})
    claims = digest_claims(records).assign(cluster=0, score=1.0)
    model = DigestModel(max_df=0.9).fit(claims)
    description = suggestion_table(records, claims, model)[0].loc[0, "description"]
    assert "涉及" not in description, description


def test_a_set_of_questions_sharing_only_its_matter_is_counted_by_what_else_they_share():
    """Six questions that share only the word of their matter (退休) are chained into one group when groups may
    be joined by that word, and are six asks when they may not; two of them that share one more word are one
    ask. Such a count is shown on a suggestion not flagged mixed only when most of its people ask other things."""
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    from minsheng.engine.digest import _ask_groups
    from minsheng.engine.digest_wording import set_of_questions

    word = dict(enumerate(["退休", "工资", "医保", "补缴", "认证", "加薪", "待遇", "差距"]))
    rows = np.zeros((6, 8), np.float32)
    rows[:, 0] = 0.6  # the matter, written by all
    rows[np.arange(6), np.arange(1, 7)] = 1.0  # each member's own question
    V = csr_matrix(normalize(rows))
    idx = np.arange(6)
    _, chained, _ = _ask_groups(V, idx, 2)
    assert len(set(chained.tolist())) == 1, chained
    _, apart, _ = _ask_groups(V, idx, 2, topic="set", word=word)
    assert len(set(apart.tolist())) == 6, apart
    rows[:2, 7] = 1.0  # two of them ask one same thing
    _, two, _ = _ask_groups(csr_matrix(normalize(rows)), idx, 2, topic="set", word=word)
    assert two[0] == two[1] and len(set(two.tolist())) == 5, two
    assert set_of_questions(16, 4, 0.6) and not set_of_questions(16, 4, 0.4)
    assert not set_of_questions(6, 3, 1.0) and not set_of_questions(5, 2, 1.0)


def test_five_different_questions_are_a_set_and_four_are_too_few():
    """Five people each asking their own question (five different 补贴) are counted as a set, one of them
    asking alike; four are too few to tell a set from one case told four ways (超生上户), and five complaints
    that share only a matter (的士 fares) are complaints worded apart, not a set."""
    from minsheng.engine.digest_wording import set_of_questions

    assert set_of_questions(5, 1, 1.0) and set_of_questions(5, 1, 0.6)
    assert not set_of_questions(4, 1, 1.0) and not set_of_questions(5, 1, 0.4)
    assert not set_of_questions(5, 1, 0.2, True) and set_of_questions(6, 1, 0.2, True)


def _topic_rows(shared: list[str], own: int, weight: float = 1.0):
    """Six members who all write the words ``shared`` (weight ``weight``) and each one word of its own, the
    first ``own`` of them one same word besides: (ask vectors, vocabulary by index)."""
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    words = [*shared, *(f"问{k}" for k in range(6)), "同"]
    rows = np.zeros((6, len(words)), np.float32)
    rows[:, :len(shared)] = weight
    rows[np.arange(6), len(shared) + np.arange(6)] = 1.0
    rows[:own, -1] = 1.0
    return csr_matrix(normalize(rows)), dict(enumerate(words))


def test_the_nouns_a_set_of_questions_is_about_make_no_two_of_them_ask_alike():
    """Six different questions on one matter named by three nouns (人才 购房 补贴), or by a noun and an act
    (户口 迁移: each asks of a case of its own), agree pairwise by those words alone: counted as six asking one
    thing before, where two ask alike. Questions that share more than that, an act among them (驾驶证 异地 换证),
    ask one thing and stay together."""
    from minsheng.engine.digest import _ask_groups

    for shared in (["人才", "购房", "补贴"], ["户口", "迁移"]):
        V, word = _topic_rows(shared, own=2)
        _, group, _ = _ask_groups(V, np.arange(6), 2, topic="set", word=word)
        assert group[0] == group[1] and len(set(group.tolist())) == 5, (shared, group)
    V, word = _topic_rows(["驾驶证", "异地", "换证"], own=2)
    assert _ask_groups(V, np.arange(6), 2, topic="set", word=word) is None  # all one group


def test_one_shared_word_naming_no_problem_is_a_mixed_suggestions_topic_not_its_ask():
    """A mixed suggestion whose members share one word: a thing (教师) is what they are about, so it neither
    pairs nor joins them (eight different complaints about teachers were counted as seven asking one thing); a
    problem word (油烟) is what they complain of, and two shared words (地铁 扫码) are one ask: both keep them one."""
    from minsheng.engine.digest import _ask_groups

    V, word = _topic_rows(["教师"], own=2, weight=0.6)
    _, group, _ = _ask_groups(V, np.arange(6), 2)
    assert len(set(group.tolist())) == 1, group  # joined by 教师 when nothing is said of it
    _, group, _ = _ask_groups(V, np.arange(6), 2, topic="mixed", word=word)
    assert group[0] == group[1] and len(set(group.tolist())) == 5, group
    for shared in (["油烟"], ["地铁", "扫码"]):
        V, word = _topic_rows(shared, own=2, weight=0.6)
        plain = _ask_groups(V, np.arange(6), 2)
        kept = _ask_groups(V, np.arange(6), 2, topic="mixed", word=word)
        assert (plain is None) == (kept is None) and (kept is None or (plain[1] == kept[1]).all()), shared


def test_the_many_places_line_lists_places_not_people_nor_a_crossing_named_by_its_problem():
    """A place finder's fragments are counted (a person there is somewhere) but not listed: people (博世员工),
    a road named by what the members complain of (红绿灯路, of "红绿灯路口") or by an estate (嘉园小区路); a road
    named by a station (车站路) is a road."""
    from minsheng.engine.digest_wording import _spread_over

    keys = ["红绿灯路", "红绿灯路", "嘉园小区路", "嘉园小区路", "博世员工", "大托路", "车站路", "木莲路"]
    topic, k, shown = _spread_over(keys, [f"A4区{x}" for x in keys], ["红绿灯"], "红绿灯设置不合理")
    assert (topic, k) == ("红绿灯", 6) and shown == ["A4区大托路", "A4区车站路", "A4区木莲路"], shown


def test_the_many_places_line_names_each_place_as_most_of_its_writers_do():
    """Places in the order of how many members name them, each by the name most of its writers use (the first
    written among equals), whatever order the members come in."""
    from minsheng.engine.digest_wording import _spread_over

    keys = ["丽发新城", "大托路", "丽发新城", "丽发新城", "大托路", "木莲路"]
    names = ["A2区丽发新城", "大托路", "丽发新城小区", "丽发新城小区", "A5区大托路", "木莲路"]
    _, k, shown = _spread_over(keys, names, [], "搅拌站噪音扰民")
    assert k == 3 and shown == ["丽发新城小区", "大托路", "木莲路"], shown


def test_words_every_kind_of_message_has_are_no_ask_a_mixed_suggestion_shares():
    """Seven different nuisances whose members share only 居民 影响 生活 (words of every kind of message) were
    one group of six by those words; a shared pair with a word of its own (地铁 扫码) is still one ask."""
    from minsheng.engine.digest import _ask_groups

    V, word = _topic_rows(["居民", "影响", "生活"], own=2, weight=0.6)
    common = np.arange(3)  # the three shared words are written in every kind of message
    assert _ask_groups(V, np.arange(6), 2, topic="mixed", word=word) is None  # all one group, as before
    _, group, _ = _ask_groups(V, np.arange(6), 2, topic="mixed", word=word, common=common)
    assert group[0] == group[1] and len(set(group.tolist())) == 5, group
    V, word = _topic_rows(["地铁", "扫码"], own=2, weight=0.6)
    kept = _ask_groups(V, np.arange(6), 2, topic="mixed", word=word, common=np.arange(1))  # 地铁 is common
    assert kept is None or len(set(kept[1].tolist())) == 1, kept


def test_a_matter_shared_by_questions_and_complaints_is_counted_when_few_ask_alike():
    """Members sharing only one or two nouns that name no problem (公积金 贷款, 养老保险) write of a matter, not
    one ask, whatever their share of questions: such a suggestion is counted when fewer than half ask one same
    thing. Shared words with an act or a problem (麻将馆 扰民, 停水) are one ask."""
    from scipy.sparse import csr_matrix

    from minsheng.engine.digest import _matters
    from minsheng.engine.digest_wording import set_of_questions

    word = dict(enumerate(["公积金", "贷款", "麻将馆", "扰民", "停水", "养老保险", "小区", "业主", "物业"]))
    shared = csr_matrix(np.array([[1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0, 0, 0],
                                  [0, 0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0, 0],
                                  [0, 0, 0, 0, 0, 0, 1, 1, 1]], np.float32))
    assert _matters(shared, word).tolist() == [True, False, False, True, False]
    assert set_of_questions(14, 5, 0.4, True) and not set_of_questions(14, 5, 0.4)
    assert not set_of_questions(14, 7, 0.4, True) and not set_of_questions(5, 2, 0.4, True)
    assert set_of_questions(16, 6, 0.6, True) and not set_of_questions(16, 6, 0.6)


def test_a_small_inputs_own_topic_is_not_a_word_of_every_kind_of_message():
    """Words over ``COMMON_SHARE`` of the messages are common only among the words written most in a large
    vocabulary: in a small input the one suggestion's own words pass 2 % (five of fifty messages)."""
    from minsheng.engine.digest import _common_words

    idf = np.log((1 + 1000) / (1 + np.arange(1, 301)[::-1] * 0.2)) + 1  # 300 words, the first written most
    assert _common_words(idf).tolist() == [0, 1, 2]  # 1 % of the vocabulary: three words, all over 2 %
    assert _common_words(idf[:50]).tolist() == []  # a small vocabulary: none


def test_messages_per_suggestion_counted_on_one_integer_key(monkeypatch):
    """The messages counted per suggestion (what ranks the suggestions read for mixed asks, and which ones are
    suggested) are those a two-column drop_duplicates and a groupby counted, now found on one integer key: that
    pass, patched to fail here, was the parent's serial work over every claim, twice, at a million records."""
    from minsheng.engine.digest import _messages

    rng = np.random.default_rng(0)
    n = 4000
    claims = pd.DataFrame({"record": rng.integers(0, 1500, n), "cluster": rng.integers(-1, 40, n)})
    claims = claims.iloc[rng.permutation(n)].reset_index(drop=True)  # claims of one record need not be adjacent
    counted = claims[claims["cluster"] >= 0].drop_duplicates().groupby("cluster").size()
    assert counted.min() >= 1 and counted.max() > claims.groupby("cluster")["record"].size().max() / 2

    def refused(*args, **kwargs):
        raise AssertionError("a two-column pass over every claim")

    monkeypatch.setattr(pd.DataFrame, "drop_duplicates", refused)
    pd.testing.assert_series_equal(_messages(claims["cluster"].to_numpy(), claims["record"].to_numpy()), counted)
    none = _messages(np.array([-1, -1]), np.array([0, 1]))
    assert none.empty


_LATE = {"东能华府": "合同约定去年年底交房，至今没有交房。", "江岸花城": "说好的交房日期过了一年。", "橘郡": "开发商一直拖着。",
         "盛腾雅苑": "安置房一拖再拖。", "南城": "合同约定今年六月，至今没有消息。", "能东华府": "规定日期早就过了。",
         "大汉汉园": "已过半年还没动静。", "橘子洲苑": "交房日期推迟了三次。", "金桂园": "开发商说资金紧张。"}


@pytest.mark.parametrize(("late", "line"), [(7, "11人所问不尽相同，最多7人问同一件事，涉及11处（"),
                                            (9, "13人反映各地交房问题，涉及13处（")])
def test_a_places_line_stands_for_all_only_when_they_ask_one_thing_there(late, line):
    """People write 交房 at as many estates: seven (or nine) that it is late, four something else each (false
    advertising, a fee before it, the property term, a school place). Not flagged mixed, but over a quarter ask
    unlike the rest: the places line counts the seven, not all eleven; nine of thirteen, two thirds, keep the line
    for all. Eight complaints of night works at eight sites, worded eight ways, are one ask there and keep
    "8人反映各地…问题"."""
    from minsheng.engine.digest import MIXED_SHARE, PLACES_SHARE, split_mixed
    from minsheng.engine.digest_table import suggestion_table

    sites = list(_LATE)[:late]
    handover = [f"{p}开发商逾期交房\n{_LATE[p]}" for p in sites] + [
        "恒大江湾交房后发现虚假宣传\n小区没有宣传的游泳池和学校。", "里约荟交房前乱收费\n开发商要求每户另交五千元装修押金。",
        "德勤思写字楼交房后改了产权\n交房后才知道产权只有四十年。", "魅力之城未交房孩子不能入学\n孩子上不了配套小学。"]
    works = ["天健城工地夜间施工扰民\n凌晨两点还在打桩，吵得睡不着。", "利保公馆项目夜间施工噪音扰民\n晚上十二点后还在施工。",
             "杏林小区旁工地半夜施工扰民\n半夜施工噪音太大，孩子无法入睡。", "金南家园工地通宵施工扰民\n通宵施工，噪音严重。",
             "桂芳佳园附近工地夜间施工扰民\n每天夜里施工到凌晨。", "福满新城彻夜施工扰民\n工地彻夜施工，居民苦不堪言。",
             "才子佳郡附近工地夜间施工噪音大\n夜间施工影响休息。", "银桂苑西侧工地夜间施工严重扰民\n夜里施工车辆来回，噪音大。"]
    places = [*sites, "恒大江湾", "里约荟", "德勤思", "魅力之城",
              "天健城", "利保公馆", "杏林小区", "金南家园", "桂芳佳园", "福满新城", "才子佳郡", "银桂苑"]
    records = pd.DataFrame({"id": [f"m{i:02d}" for i in range(len(places))], "text": handover + works,
                            "user": [f"u{i}" for i in range(len(places))], "place": places, "place_key": places})
    claims = digest_claims(records)
    claims = claims.assign(cluster=(claims["record"].to_numpy() >= len(handover)).astype(int), score=1.0)
    model = DigestModel(max_df=0.9).fit(claims)
    model.centroids_ = model._centroids(model.embed(with_context(claims, records)), claims["cluster"].to_numpy())
    cluster, score, spread = split_mixed(claims, records, model)
    assert PLACES_SHARE <= spread.loc[0, "ask_spread"] < MIXED_SHARE and spread.loc[0, "partly"] == late, spread
    table, _ = suggestion_table(records, claims.assign(cluster=cluster, score=score), model, spread=spread)
    by = table.set_index(table["member_ids"].str[:3])["description"]
    assert by["m00"].startswith(line), by["m00"]
    assert by[f"m{len(handover):02d}"].startswith("8人反映各地施工扰民问题，涉及8处（"), by


def test_member_claims_are_the_claims_of_each_suggestions_first_records_in_their_order():
    """The claims of the first ``_SPREAD_SAMPLE`` records of each suggestion (a record with two claims in one
    suggestion counts once, unassigned claims none), in the claims' order and with their columns: what a
    drop_duplicates of (cluster, record) and a merge gave."""
    from minsheng.engine.digest import _SPREAD_SAMPLE, member_claims

    rng = np.random.default_rng(3)
    n = 400
    claims = pd.DataFrame({"record": rng.integers(0, 120, n), "cluster": rng.integers(-1, 4, n),
                           "text": pd.Categorical(rng.choice(["甲", "乙", "丙"], n)), "kind": rng.choice(["ask", "question"], n),
                           "score": rng.random(n)})
    got = claims.loc[claims["cluster"] >= 0, ["cluster", "record", "text", "kind"]]
    firsts = got[["cluster", "record"]].drop_duplicates()
    firsts = firsts[firsts.groupby("cluster", sort=False).cumcount() < _SPREAD_SAMPLE]
    expected = got.merge(firsts, on=["cluster", "record"])
    expected = expected.assign(text=expected["text"].astype(str))
    assert len(expected) < (claims["cluster"] >= 0).sum()  # some suggestions have more records than are read
    pd.testing.assert_frame_equal(member_claims(claims), expected)


def test_a_blocks_places_are_taken_chunk_by_chunk_as_iloc_reads_them():
    """The table takes each block's places from an Arrow column chunk by chunk: the strings ``iloc`` gives, in the
    rows' order, a missing one None (no chunk joined for a few rows of a million)."""
    import pyarrow as pa

    from minsheng.engine.digest_table import _values_at

    chunks = pa.chunked_array([pa.array(["甲", None, "乙"]), pa.array(["丙"]), pa.array([None, "丁"])])
    column = pd.Series(pd.arrays.ArrowStringArray(chunks))
    rows = np.array([5, 0, 3, 1, 2, 5, 4])
    assert _values_at(column, rows) == ["丁", "甲", "丙", None, "乙", "丁", None]
    assert [v if isinstance(v, str) else None for v in column.iloc[rows].tolist()] == _values_at(column, rows)
    plain = pd.Series(["甲", None, "乙"], dtype=object)
    assert _values_at(plain, np.array([2, 1])) == ["乙", None]


@pytest.mark.parametrize("texts", [["小区路灯不亮\n请尽快修好路灯。晚上出行很不方便。", None, "建议增设公交站点，方便老人出行。"],
                                   [None, "", "好"]])
def test_a_partitions_split_claims_read_back_from_their_file_are_first_claims(tmp_path, texts):
    """The split map hands each partition's claims to the assignment through a file (an uncompressed Arrow
    file since h-speed34, Parquet before): what the assignment reads back is the frame first_claims made, with
    the dtypes a Parquet file gave back, also for a partition without a claim."""
    from minsheng.engine.digest import first_claims, split_part

    records = pd.DataFrame({"text": pd.Series(texts, dtype="str")})
    path = split_part((0, records), max_claims=2, folder=str(tmp_path))
    made = first_claims(records, max_claims=2)
    back = pd.read_feather(path)
    pd.testing.assert_frame_equal(back, pd.read_parquet(_parquet(made, tmp_path)), check_index_type=True)
    assert len(back) == len(made) and list(back.columns) == list(made.columns)


def _parquet(frame: pd.DataFrame, folder: Path) -> Path:
    path = folder / "made.parquet"
    frame.to_parquet(path, index=False)
    return path


@pytest.mark.skipif(not (DATA / "messages_hot.csv").exists(), reason="teddy2020 data not available")
@pytest.mark.parametrize("max_claims", [1, 2, 3])
def test_first_claims_decide_only_the_kinds_they_keep(monkeypatch, max_claims):
    """The question, problem and praise cues are searched for only in sentences whose kind first_claims reads (a
    title's; a body sentence's while its message lacks enough asks, then asks and questions): the claims kept are
    those found when every sentence's kind is decided, on real messages and on messages of every mix of kinds."""
    import minsheng.engine.digest as digest

    hot = pd.read_csv(DATA / "messages_hot.csv")
    texts = (hot["title"].astype(str) + "\n" + hot["body"].astype(str)).tolist() + [
        "小区路灯不亮\n请尽快修好。路灯何时能修好？晚上太黑了，很危险。感谢政府的关心和帮助！",
        "路灯何时能修好？为什么一直没人管？噪音扰民严重，影响休息。建议加强管理。",
        "感谢政府的关心和帮助！\n噪音扰民严重，影响休息。夜间施工违规。", "单行留言没有标题，噪音扰民严重。", None, ""]
    records = pd.DataFrame({"text": texts})
    found = digest.first_claims(records, max_claims=max_claims)
    monkeypatch.setattr(digest, "_kinds_read", lambda owner, *_, **__: np.ones(len(owner), dtype=bool))
    every_kind = digest.first_claims(records, max_claims=max_claims)
    pd.testing.assert_frame_equal(found, every_kind)
    assert {"ask", "question", "problem"} <= set(found["kind"])


@pytest.mark.parametrize("dtype", [object, "str"])
def test_strings_are_the_cells_with_missing_ones_empty(dtype):
    full = pd.Series(["路灯坏了", "修路"], dtype=dtype)
    assert _strings(full) == ["路灯坏了", "修路"]
    gaps = pd.Series(["路灯坏了", None, "修路", np.nan], dtype=dtype)
    assert _strings(gaps) == ["路灯坏了", "", "修路", ""]
    if dtype is object:  # a number among the strings is read as its text
        assert _strings(pd.Series(["修路", 3], dtype=object)) == ["修路", "3"]


def test_span_words_count_a_number_name_only_inside_the_span():
    # 坐|3|号线|地铁|去|学校 and 三号|线|很挤: a span that starts at 号线 (after its number) reads 号线 itself, one that
    # holds 3 and 号线 reads 3号线 only; an empty span and one inside a token have no words.
    model = DigestModel()
    model.vocabulary_ = {w: i for i, w in enumerate(["3号线", "号线", "地铁", "学校", "挤"])}
    model.idf_ = np.ones(5, np.float32)
    docs = ["坐3号线地铁去学校", "三号线地铁很挤"]
    X = model._span_tfidf(docs, np.array([0, 0, 0, 1, 1, 1]), np.array([0, 2, 3, 0, 1, 0]),
                          np.array([9, 9, 5, 7, 7, 0]))
    assert (X.toarray() > 0).astype(int).tolist() == [
        [1, 0, 1, 1, 0], [0, 1, 1, 1, 0], [0, 0, 0, 0, 0], [1, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]


def test_partitions_not_split_ahead_are_split_and_assigned_in_one_task(tmp_path, monkeypatch):
    """With the model fitted ahead (the pipeline's worker ahead), each partition it did not split is split and
    assigned in one task: no claims file is written for it and read back, no map of splits ends before the
    assignment starts; the digest is that of one process."""
    from minsheng.engine import digest
    from minsheng.engine.executor import InlineExecutor, _Done

    frame = _corpus()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone = run_digest(frame, scratch=tmp_path / "a", threshold=0.25, batch_rows=5)
    _, model, sample, _, parts = digest.digest_inputs(frame, batch_rows=5, threshold=0.25)
    assert len(parts) > 2
    fitted = _Done(digest.fit_model((model, sample, 2, str(tmp_path / "b" / "digest_model.joblib"))))
    first = _Done(digest.split_part((0, parts[0]), max_claims=2, folder=str(digest.digest_spill(tmp_path / "b"))))
    split = []
    monkeypatch.setattr(digest, "split_part", lambda item, **kw: split.append(item[0]))
    pooled = run_digest(frame, scratch=tmp_path / "b", threshold=0.25, batch_rows=5, executor=InlineExecutor,
                        ahead=(fitted, [first]))
    assert split == []
    assert not list((tmp_path / "b" / "digest_claims").iterdir())  # the split ahead was read (and removed)
    assert list(alone[0]) == list(pooled[0])
    pd.testing.assert_frame_equal(alone[1], pooled[1])
    pd.testing.assert_frame_equal(alone[2], pooled[2])


#: One ask written as one line, in a file whose other messages have a title line: advice with no title.
#: :func:`~minsheng.engine.titles.glued_title` finds a "title" inside each (its clause restated: "…希望尽早推动|体育场馆…").
_ONE_LINE_ADVICE = [f"体育场馆开放{w}，希望尽早推动体育场馆免费或低收费开放，{t}。" for w, t in zip(
    ["活动内容单调", "设施长期闲置", "收费太高", "时间太短", "停车和交通配套不足"],
    ["老百姓等了很久", "不能再拖了", "群众等了很久", "这是民生的大事", "现在负担太重"], strict=True)]


def _with_one_line_advice() -> pd.DataFrame:
    frame = _corpus()
    advice = pd.DataFrame({"id": [f"v{i}" for i in range(5)], "text": _ONE_LINE_ADVICE,
                           "user": [f"w{i}" for i in range(5)], "likes": 1,
                           "time": pd.date_range("2020-08-18", periods=5, freq="h")})
    return pd.concat([frame, advice], ignore_index=True)


def test_one_line_advice_in_a_file_of_titled_messages_keeps_its_ask_whole(tmp_path):
    """A file whose messages have title lines glued no title to a body (:func:`~minsheng.engine.titles
    .glued_export`): its one-line texts are read as written, as the places and hot issues read them, in one
    process and on workers. Searched for a glued title, the advice above was cut inside its ask and the
    suggestion's headline ended "…希望尽早推动"."""
    from minsheng.engine.executor import make_executor
    from minsheng.engine.titles import glued_title

    assert all(glued_title(t) for t in _ONE_LINE_ADVICE)
    frame = _with_one_line_advice()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone = run_digest(frame, scratch=tmp_path / "a", threshold=0.25)
    pooled = run_digest(frame, scratch=tmp_path / "b", threshold=0.25, batch_rows=5,
                        executor=lambda: make_executor("local", workers=2))
    for _, table, _, _ in (alone, pooled):
        lines = table.loc[table["headline"].str.startswith("体育场馆开放"), "headline"].tolist()
        assert lines and all("免费或低收费开放" in line for line in lines), lines


def test_a_glued_export_has_its_titles_given_back_and_the_runs_decision_is_followed():
    """Where the titles were glued (a bare export: decided over the records), a one-line text's title is given
    back; the run's decision (``title_end``) is followed either way."""
    from minsheng.engine.digest import first_claims

    frame = pd.DataFrame({"text": _ONE_LINE_ADVICE})
    glued = first_claims(frame)
    assert glued.loc[glued["is_title"], "text"].str.endswith("希望尽早推动").sum() == 5
    whole = first_claims(frame.assign(title_end=0))
    assert not whole["is_title"].any() and whole["text"].str.contains("免费或低收费开放").all()


def test_a_phrase_added_to_asks_of_every_kind_is_no_suggestion_of_its_own(tmp_path):
    """Place-free advice as the synthetic corpus writes it: each message its own ask, many then a sentence any
    advice may carry (a reason, a detail, a sign-off: "希望能够统筹考虑、分步实施。", "期待早日落实。"). Such a
    sentence, clustered on its own, is no member's title or first ask: it was listed as a suggestion of dozens
    of people asking nothing (ranks 1 and 2 here before). Every suggestion listed is the main ask of some of
    its members, and none is headed by those sentences."""
    from minsheng.engine import synth_vocab as V
    from minsheng.engine.synth import generate

    frame = generate(5000, seed=11)
    frame["text"] = (frame["title"].fillna("") + "\n" + frame["body"]).str.strip()
    main, table, _, _ = run_digest(frame[["id", "text", "user", "time"]], scratch=tmp_path)
    added = {x.strip("。！") for x in V.REASONS + V.CLOSINGS if len(x) > 4}
    assert not table["headline"].isin(added).any(), table.loc[table["headline"].isin(added), ["rank", "headline"]]
    main_of = pd.Series(main, index=frame["id"])
    first = [(main_of[ids.split(";")] == sid).mean() for sid, ids in zip(table["suggestion_id"], table["member_ids"],
                                                                        strict=True)]
    assert min(first) > 0, table.loc[np.argmin(first), ["rank", "headline", "people"]]


def test_a_headline_names_what_most_of_its_members_write_about(tmp_path):
    """Six complaints of pig farms at six villages, each naming its own village (messages_labeled_text.csv): the
    one sentence without a place was a plea any letter may end on, "希望有关领导能帮忙解决问题", and it headed the
    group; five 滴滴 letters were headed by "希望县政府部门给一个明确答复" (a clause clipped off its 滴滴). A
    headline naming none of the nouns most members write says nothing of what they share: it now loses as
    context does, to a sentence that names it."""
    from minsheng.engine.digest_eval import _digest
    from minsheng.engine.ingest import read_records

    records, _ = read_records([DATA / "messages_labeled_text.csv"])
    records, main, table, _, _ = _digest(records, tmp_path)
    text = records["text"].astype(str)
    for word in ("养猪场", "滴滴"):
        held = pd.Series(main[text.str.contains(word).to_numpy()]).value_counts()
        sid = held.index[0]
        assert held.iloc[0] >= 4, held
        headline = table.loc[table["suggestion_id"] == sid, "headline"].iloc[0]
        assert word in headline, (word, headline)


def _three_suggestions(heads: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, DigestModel]:
    """Records, claims and a model of three suggestions of three writers each, one per headline of ``heads``."""
    texts = [f"{heads[i // 3]}\n这件事已经反映过{'一二三四五六七八九'[i]}次了。" for i in range(9)]
    records = pd.DataFrame({"id": [f"m{i}" for i in range(len(texts))], "text": texts,
                            "user": [f"u{i}" for i in range(len(texts))]})
    claims = digest_claims(records)
    cluster = claims["record"].to_numpy() // 3
    claims = claims.assign(cluster=cluster, score=1.0)
    model = DigestModel(max_df=1.0).fit(claims)
    model.centroids_ = model._centroids(model.embed(with_context(claims, records)), cluster)
    return records, claims, model


def test_a_second_pass_reads_only_the_members_of_suggestions_it_words_again(monkeypatch):
    """After an action-only suggestion is split, the table is made again, and only the split suggestion's parts
    are worded again: their members' openings and places are what that pass reads of the records for the wording,
    not every listed suggestion's (the two suggestions naming an object, worded in the first pass, are read once)."""
    from minsheng.engine import digest_table

    records, claims, model, _ = _action_only_asked_about_two_things()
    split = sorted(set(claims.loc[claims["cluster"] == 0, "record"]))
    read, values_at = [], digest_table._values_at
    monkeypatch.setattr(digest_table, "_values_at", lambda column, rows: read.append(sorted(rows)) or values_at(column, rows))
    table, main = digest_table.suggestion_table(records, claims, model)
    # the places of the voices (keys, then names): the first pass reads all, the second the split suggestion's
    assert read == [list(range(len(records)))] * 2 + [split] * 2, read
    assert len(table) == 4 and not set(main[split]) & set(np.delete(main, split)), table[["headline", "member_ids"]]


def test_a_headline_naming_an_action_without_its_object_is_told():
    """A headline naming an action that other listed headlines name about one thing and another ("建议降低灵活就业
    人员缴费门槛" beside "…，解决养老保险的问题" and "…，解决劳动合同的问题") is action-only: its members ask that
    action about different things. A headline other ones hold whole with a reason more ("…，因为垃圾分类秋冬季雾霾
    频发") is not: they add to its ask."""
    from minsheng.engine.digest_table import _action_only

    action = "建议降低灵活就业人员缴费门槛"
    ask = ["建议安装在线监测设备，解决垃圾分类的问题", "关于垃圾分类，恳请有关部门安装在线监测设备"]
    heads = [action, action, f"{action}，解决养老保险的问题", f"{action}，解决劳动合同的问题", *ask,
             "希望安装在线监测设备，因为垃圾分类秋冬季雾霾频发", "建议安装在线监测设备，因为垃圾分类偷排现象时有发生"]
    records = pd.DataFrame({"id": [f"m{i}" for i in range(len(heads))], "text": heads,
                            "user": [f"u{i}" for i in range(len(heads))]})
    claims = digest_claims(records)
    model = DigestModel(split=0, join=0, max_df=1.0).fit(claims.assign(cluster=claims["record"], score=1.0))
    assert _action_only(model.own_vectors(heads)).tolist() == [True, True] + [False] * 6


def test_top_scores_read_purity_and_share_held_of_the_first_items():
    """evaluate-digest's top-30 figures: an item's purity is the share of its members from its main planted ask,
    its share held the share of that ask's messages in it; items beyond ``top`` are not read."""
    from minsheng.engine.digest_eval import top_scores

    frame = pd.DataFrame({"id": [f"m{i}" for i in range(8)], "gt_topic": ["a"] * 4 + ["b"] * 4})
    table = pd.DataFrame({"rank": [2, 1, 3], "member_ids": ["m4;m5", "m0;m1;m2;m4", "m6;m7"]})
    got = top_scores(frame, table, top=2)
    assert got == {"top": 2, "purity": round((0.75 + 1.0) / 2, 4), "share_held": round((0.75 + 0.5) / 2, 4),
                   "under_80": 2, "purity_under_90": 1}, got


def test_an_action_only_suggestion_is_split_by_what_its_members_ask_it_about():
    """A suggestion headed by an action without its object ("建议降低灵活就业人员缴费门槛", beside "…，解决养老保险的
    问题" and "…，解决劳动合同的问题" in the list) whose members ask it about 养老保险 and 劳动合同 is no longer one
    item of both: no item is headed by the bare action, and each object's members are in items naming it alone."""
    from minsheng.engine.digest_table import suggestion_table

    records, claims, model, head = _action_only_asked_about_two_things()
    texts = records["text"].tolist()
    table, main = suggestion_table(records, claims, model)
    assert not (table["headline"] == head).any(), table[["headline", "people"]]
    headline = table.set_index("suggestion_id")["headline"]
    for obj, other in (("养老保险", "劳动合同"), ("劳动合同", "养老保险")):
        got = headline[main[[r for r in range(len(texts)) if obj in texts[r]]]]
        assert got.str.contains(obj).all() and not got.str.contains(other).any(), (obj, got)


def _school_asks(with_bus: bool) -> tuple[DigestModel, pd.DataFrame, np.ndarray]:
    """One ask (学校食堂 + 推行集团化办学) written two ways, a bare title with a short thanks or a long letter
    naming the writer's district and school, and with ``with_bus`` the same action asked about 校车接送: the model
    (fitted, no joins), the claims and each claim's group."""
    towns = ["岳麓区", "开福区", "天心区", "雨花区", "芙蓉区", "望城区", "长沙县", "浏阳市"]
    titles = ["关于学校食堂，恳请有关部门推行集团化办学", "建议推行集团化办学，解决学校食堂的问题"]
    texts, truth = [], []
    for i in range(16):
        texts.append(f"{titles[i % 2]}\n谢谢。")
        truth.append("short")
    for what, group in (("学校食堂", "long"), ("校车接送", "bus"))[: 2 if with_bus else 1]:
        for i in range(16):
            town = towns[i % 8]
            title = titles[i % 2] if group == "long" else f"建议推行集团化办学，解决{what}的问题"
            problem = "饭菜质量差、价格贵" if group == "long" else "不安全、路线太少"
            texts.append(f"{title}\n我家住在{town}，孩子在{town}第{i + 1}小学读书，{what}{problem}，家长们意见很大，"
                         f"建议推行集团化办学，统一管理{what}。")
            truth.append(group)
    claims = digest_claims(pd.DataFrame({"text": texts, "place_key": None}), max_claims=1)
    model = DigestModel(split_min=4, join=0, join_asks=0, max_df=1.0).fit(claims)  # few claims: keep every word
    return model, claims, pd.Series(truth)[claims["record"].to_numpy()].to_numpy()


def test_the_split_keeps_one_ask_worded_two_ways_whole_and_parts_two_objects():
    """The split cut one ask by how its writers word it: the bare titles one piece, the long letters another
    (their places and school details shared by them only). Neither piece writes an object the other lacks, so it
    stays one suggestion; the same action asked about another thing (校车接送, written by all of its members and
    none of the others) is still split off."""
    model, claims, group = _school_asks(with_bus=False)
    labels = np.zeros(len(claims), dtype=np.int64)
    split = pd.Series(model._split(model.embed(claims), labels, claims)).groupby(group).unique()
    assert len(split["short"]) == 1 and split["short"][0] == split["long"][0]
    model, claims, group = _school_asks(with_bus=True)
    labels = np.zeros(len(claims), dtype=np.int64)
    split = pd.Series(model._split(model.embed(claims), labels, claims)).groupby(group).unique()
    assert split["short"][0] == split["long"][0] != split["bus"][0]
    assert all(len(v) == 1 for v in split)


def _one_action_about_two_objects() -> tuple[DigestModel, pd.DataFrame, np.ndarray]:
    """Two actions about 养老保险 (40 letters each) and a few letters (8) asking the second action about 劳动合同:
    the model (fitted, no joins; a piece needs a tenth of its suggestion's claims), the claims and each claim's
    ask. The few are under a tenth of the whole, but over a tenth of the second action's piece."""
    acts = ("完善欠薪保障机制", "畅通劳动维权渠道")
    forms = ("{obj}：{act}", "关于{obj}的建议：{act}")
    texts, truth = [], []
    for obj, act, n in (("养老保险", acts[0], 40), ("养老保险", acts[1], 40), ("劳动合同", acts[1], 8)):
        for i in range(n):
            texts.append(f"{forms[i % 2].format(obj=obj, act=act)}\n{obj}手续麻烦，建议{act}。")
            truth.append(f"{obj} {act}")
    claims = digest_claims(pd.DataFrame({"text": texts, "place_key": None}), max_claims=2)
    model = DigestModel(split_min=4, split_share=0.1, join=0, join_asks=0, max_df=1.0).fit(claims)
    return model, claims, pd.Series(truth)[claims["record"].to_numpy()].to_numpy()


def test_a_piece_of_the_split_is_split_again_by_its_own_centre():
    """The split of one suggestion parts the two actions; the few asking the second one about 劳动合同 are too few
    to be a piece of the whole (and their residual is the action's), so they stayed in the second action's piece,
    an item of 养老保险 with a group about another thing (synthetic 20,000: "建议畅通劳动维权渠道，解决养老保险的
    问题", 112 letters with 14 about 劳动合同). Split again by its own centre, that piece parts them: each writes an
    object the other lacks."""
    model, claims, ask = _one_action_about_two_objects()
    split = pd.Series(model._split(model.embed(claims), np.zeros(len(claims), dtype=np.int64), claims))
    got = split.groupby(ask).unique()
    assert all(len(v) == 1 for v in got), got
    assert len({v[0] for v in got}) == 3, got
    one = model.set_params(split_depth=1)._split(model.embed(claims), np.zeros(len(claims), dtype=np.int64), claims)
    assert len(np.unique(one)) == 2  # the first split alone leaves them together


def _action_only_asked_about_two_things():
    """Records, claims (the bare action's members in suggestion 0) and model of an action-only suggestion whose
    members ask it about 养老保险 and 劳动合同, beside one suggestion per object."""
    action = "降低灵活就业人员缴费门槛"
    texts, cluster = [], []
    for i, obj in enumerate(("养老保险", "劳动合同")):
        for k, ask in enumerate(("希望", "恳请有关部门", "呼吁")):
            texts.append(f"建议{action}，解决{obj}的问题\n{ask}尽快{action}。")
            cluster.append(i + 1)
            texts.append(f"建议{action}\n关于{obj}，{ask}{action}。{obj}{('手续麻烦', '缴费偏高', '转移困难')[k]}。")
            cluster.append(0)
    records = pd.DataFrame({"id": [f"m{i:02d}" for i in range(len(texts))], "text": texts,
                            "user": [f"u{i}" for i in range(len(texts))]})
    claims = digest_claims(records)
    of = np.asarray(cluster)[claims["record"].to_numpy()]
    claims = claims.assign(cluster=of, score=1.0)
    model = DigestModel(max_df=1.0).fit(claims)
    model.centroids_ = model._centroids(model.embed(with_context(claims, records)), of)
    return records, claims, model, f"建议{action}"


def test_an_action_only_split_reads_the_spread_of_what_is_left_of_it_alone(monkeypatch):
    """Splitting action-only suggestions (``split_mixed`` with ``only``) reads the spread of the asks of what is
    left of a split one and nothing more: each is split whatever its spread, so the spread of all of them, read
    first, was never used (a sixth of the call at 100,000). The split is the same."""
    from minsheng.engine import digest

    records, claims, model, head = _action_only_asked_about_two_things()
    read, spread_of = [], digest.ask_spread
    monkeypatch.setattr(digest, "ask_spread", lambda got, m: (read.append(sorted(set(got["cluster"]))) if len(got)
                                                             else None) or spread_of(got, m))
    cluster, _, spread = digest.split_mixed(claims, records, model, only={0: head})
    moved = cluster != claims["cluster"].to_numpy()
    assert moved.any() and (claims["cluster"].to_numpy()[moved] == 0).all(), cluster
    assert read == [[0]] * int((cluster == 0).any()), read
    assert set(spread.index) == ({0} if (cluster == 0).any() else set()), spread


def test_group_sums_add_each_groups_rows_as_their_selection_does():
    """The centres of ask groups summed by one product are the floats each group's rows summed alone give."""
    from scipy import sparse

    from minsheng.engine.digest import _group_sums

    rng = np.random.default_rng(0)
    for seed in range(40):
        for dtype in (np.float32, np.float64):
            n = int(rng.integers(2, 200))
            X = sparse.random(n, 3000, density=0.01, format="csr", dtype=dtype, random_state=seed)
            group = rng.integers(0, int(rng.integers(1, 6)), n)
            k = int(group.max()) + 1
            want = np.vstack([np.asarray(X[np.flatnonzero(group == j)].sum(axis=0)) for j in range(k)])
            got = _group_sums(X, group, k)
            assert got.dtype == want.dtype and np.array_equal(got, want)


def test_a_second_pass_counts_only_the_members_of_suggestions_it_words_again(monkeypatch):
    """What the table counts of each suggestion's members (places, weeks, departments, campaigns, member ids)
    is counted again, in a later pass, only for the suggestions whose members changed: the split action-only
    one's, not the two suggestions naming an object, whose counts are as the first pass gave them."""
    from minsheng.engine import digest_table

    records, claims, model, _ = _action_only_asked_about_two_things()
    split = sorted(set(claims.loc[claims["cluster"] == 0, "record"]))
    read, ids_of = [], digest_table.joined_ids
    monkeypatch.setattr(digest_table, "joined_ids", lambda ids, cluster, rows: read.append(sorted(rows))
                        or ids_of(ids, cluster, rows))
    table, main = digest_table.suggestion_table(records, claims, model)
    assert read == [list(range(len(records))), split], read
    assert sorted(table["member_ids"]) == ["m00;m02;m04", "m01;m03;m05", "m06;m08;m10", "m07;m09;m11"], table
