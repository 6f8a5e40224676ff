"""Themes: deterministic for a seed, stable across seeds, new records assigned without refitting."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from minsheng.engine.errors import InputError
from minsheng.engine.themes import (
    THEME_COLUMNS,
    UNASSIGNED,
    ThemeModel,
    assign_themes,
    fit_themes,
    theme_stability,
    theme_table,
)

# Six domains with four concrete suggestions each; every suggestion has its own words, every domain a few
# shared ones, and all messages share filler, so clusters overlap the way real suggestions do.
DOMAINS = {
    "交通": [["公交", "线路", "班次", "站台"], ["地铁", "换乘", "出入口", "电梯"],
             ["红绿灯", "路口", "拥堵", "信号"], ["停车场", "车位", "收费", "占道"]],
    "教育": [["学位", "入学", "学区", "划片"], ["课外", "培训", "减负", "作业"],
             ["教师", "工资", "待遇", "编制"], ["校车", "接送", "安全", "校门"]],
    "医疗": [["挂号", "排队", "门诊", "专家"], ["医保", "报销", "异地", "药费"],
             ["社区医院", "全科", "家庭医生", "签约"], ["养老院", "护理", "床位", "老人"]],
    "环境": [["噪音", "施工", "夜间", "扰民"], ["油烟", "烧烤", "餐馆", "排烟"],
             ["垃圾", "分类", "清运", "臭味"], ["污水", "河道", "排放", "黑臭"]],
    "就业": [["就业", "招聘", "岗位", "毕业生"], ["社保", "缴费", "养老保险", "基数"],
             ["拖欠", "工资", "农民工", "讨薪"], ["创业", "贷款", "补贴", "小微"]],
    "住房": [["房价", "限购", "首付", "刚需"], ["物业", "维修", "电梯", "业委会"],
             ["公租房", "保障", "申请", "轮候"], ["拆迁", "补偿", "安置", "棚改"]],
}
FILLER = ["我们", "这里", "最近", "情况", "希望", "尽快", "改善", "市民", "生活", "方便", "考虑"]
PLACES = ["东城", "西湖", "南山", "北岸", "中心", "新区"]


def make_corpus(n: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """``n`` generated suggestions and their true suggestion index (0..23)."""
    rng = random.Random(seed)
    issues = [(d, words) for d, group in DOMAINS.items() for words in group]
    texts, truth = [], []
    for _ in range(n):
        k = rng.randrange(len(issues))
        domain, words = issues[k]
        chosen = rng.sample(words, 3) + [domain] + rng.sample(FILLER, 3) + [rng.choice(PLACES)]
        rng.shuffle(chosen)
        texts.append("，".join(chosen) + "。")
        truth.append(k)
    return texts, np.asarray(truth)


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(1500, seed=7)


@pytest.fixture(scope="module")
def model(corpus):
    return ThemeModel(n_broad=6, n_fine=24, n_components=40, random_state=0).fit(corpus[0])


def test_it_finds_the_generated_suggestions(model, corpus):
    texts, truth = corpus
    assert adjusted_rand_score(truth, model.predict(texts)) > 0.8


def test_it_is_deterministic_for_a_seed(corpus, model):
    again = ThemeModel(n_broad=6, n_fine=24, n_components=40, random_state=0).fit(corpus[0])
    assert list(again.predict(corpus[0])) == list(model.predict(corpus[0]))
    assert again.keywords_ == model.keywords_


def test_it_is_stable_across_seeds(corpus):
    ari = theme_stability(corpus[0], seeds=(0, 1), n_broad=6, n_fine=24, n_components=40)
    assert ari["fine_ari"] >= 0.8
    assert ari["broad_ari"] >= 0.8


def test_fine_themes_nest_in_their_broad_parent(model, corpus):
    ids = model.predict(corpus[0])
    parents = dict(zip(model.fine_ids_, model.parent_, strict=True))
    assert all(parents[i] == i[:3] for i in ids)
    assert len(set(model.broad_ids_)) == 6


def test_new_records_are_assigned_without_refitting(model):
    centroids = model.fine_centroids_.copy()
    new, truth = make_corpus(200, seed=99)  # different draws of the same suggestions
    ids = model.predict(new)
    assert np.array_equal(centroids, model.fine_centroids_)
    assert adjusted_rand_score(truth, ids) > 0.8
    # Partition-wise assignment equals whole-batch assignment.
    halves = np.concatenate([model.predict(new[:77]), model.predict(new[77:])])
    assert list(halves) == list(ids)


def test_searching_the_nearest_broad_themes_finds_the_nearest_centroid(model, corpus):
    Z = model.embed(make_corpus(1000, seed=5)[0])
    full = (Z @ model.centroids_.T).argmax(axis=1)
    near = model._nearest_centroid(Z, *model._search_groups())
    assert np.mean(near == full) >= 0.99
    sims = np.einsum("ij,ij->i", Z, model.centroids_[near])
    assert np.all(sims <= (Z @ model.centroids_.T).max(axis=1) + 1e-6)  # never better than the true nearest


def test_text_without_known_words_is_unassigned(model):
    assert list(model.predict(["", "，。！", "的了吗"])) == [UNASSIGNED] * 3


def test_keywords_are_words_of_the_theme(model, corpus):
    texts, truth = corpus
    ids = model.predict(texts)
    # The largest fine theme's keywords include the words of the suggestion most of its members came from.
    top = pd.Series(ids).value_counts().index[0]
    majority = pd.Series(truth[ids == top]).mode()[0]
    issue_words = [w for group in DOMAINS.values() for w in group][majority]
    assert len(set(model.keywords_[top]) & set(issue_words)) >= 3
    assert not set(model.keywords_[top]) & set(FILLER[:1] + ["的", "，"])


def test_a_record_without_a_user_is_one_person_of_its_own(model, corpus):
    """n_users counts each record without a user as one person, never as a writer whose name happens to look like
    a placeholder: the users are coded as the column holds them, not as a million Python strings with names made up
    for the missing ones."""
    texts, _ = corpus
    frame = pd.DataFrame({"id": range(len(texts)), "text": texts, "user": "u1"})
    frame = frame.join(assign_themes(frame, model))
    same = np.flatnonzero(frame["theme_id"].to_numpy() == frame.loc[0, "theme_id"])[1]
    frame.loc[0, "user"], frame.loc[same, "user"] = None, "#row0"  # the name the code once made up for row 0
    table = theme_table(frame, model).set_index("theme_id")
    for theme_id, n_users in table["n_users"].items():
        members = frame.loc[frame["theme_id"].str.startswith(theme_id), "user"]
        assert n_users == members.nunique() + members.isna().sum()


def test_themes_table(model, corpus):
    texts, _ = corpus
    frame = pd.DataFrame({"id": range(len(texts)), "text": texts,
                          "user": [f"u{i % 1000}" for i in range(len(texts))]})
    frame = frame.join(assign_themes(frame, model))
    table = theme_table(frame, model)
    assert list(table.columns) == THEME_COLUMNS
    fine, broad = table[table.level == "fine"], table[table.level == "broad"]
    assert fine["n_messages"].sum() == len(texts) == broad["n_messages"].sum()
    assert (table["n_users"] <= table["n_messages"]).all()
    assert set(fine["parent_id"]) == set(broad["theme_id"])
    for _, row in fine.iterrows():
        reps = [row.representative_1, row.representative_2, row.representative_3]
        assert len(set(reps)) == 3
        members = set(frame.loc[frame.theme_id == row.theme_id, "text"])
        assert set(reps) <= members


def test_fit_themes_samples_one_message_per_duplicate_group(corpus):
    texts, _ = corpus
    copies = ["强烈要求取消收费站，还我畅通道路！"] * 3000
    frame = pd.DataFrame({"text": texts + copies,
                          "is_representative": [True] * len(texts) + [True] + [False] * 2999})
    model = fit_themes(frame, n_broad=6, n_fine=24, n_components=40)
    assert model.sample_size_ == len(texts) + 1  # the campaign is one message of the sample, not 3,000


@pytest.mark.parametrize("copies", [1, 25])
def test_one_distinct_text_is_one_theme_without_a_decomposition(copies):
    """A one-suggestion campaign, or 25 copies of one (one representative): TruncatedSVD divided by a total
    variance of zero (RuntimeWarning). One text has one direction, and its copies are assigned to it."""
    text = "建议放宽二套房限购政策，因为现在负担太重。"
    frame = pd.DataFrame({"text": [text] * copies, "is_representative": [True] + [False] * (copies - 1)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = fit_themes(frame)
        assigned = assign_themes(frame, model)
    assert assigned["theme_id"].nunique() == 1 and UNASSIGNED not in set(assigned["theme_id"])
    assert np.allclose(assigned["theme_score"], 1.0, atol=1e-5)
    assert model.predict(["完全无关的内容"])[0] == UNASSIGNED


def test_missing_text_column_names_the_field():
    with pytest.raises(InputError) as err:
        fit_themes(pd.DataFrame({"body": ["x"]}))
    assert err.value.field == "text"


def test_the_command_fits_saves_and_reuses_a_model(tmp_path, corpus):
    from minsheng.cli import main

    texts, _ = corpus
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": range(len(texts)), "text": texts}).to_csv(src, index=False)
    args = [str(src), "--id-col", "id", "--text-col", "text", "--quiet", "--n-broad", "6", "--n-fine", "24"]
    assert main(["themes", *args, "--out", str(tmp_path / "a"), "--model-out", str(tmp_path / "m.joblib")]) == 0
    assert main(["themes", *args, "--out", str(tmp_path / "b"), "--model", str(tmp_path / "m.joblib")]) == 0
    first = pd.read_parquet(tmp_path / "a" / "records.parquet")
    again = pd.read_parquet(tmp_path / "b" / "records.parquet")
    assert list(first["theme_id"]) == list(again["theme_id"])
    assert list(pd.read_csv(tmp_path / "a" / "themes.csv").columns) == THEME_COLUMNS


def test_a_saved_model_assigns_by_path_with_places(tmp_path, model, corpus):
    import joblib

    texts, _ = corpus
    path = tmp_path / "m.joblib"
    joblib.dump(model, path)
    frame = pd.DataFrame({"text": [*texts[:50], "A市A3区星光花园小区夜间施工噪音扰民"]})
    by_path = assign_themes(frame, str(path), places=True)
    assert list(by_path["theme_id"]) == list(assign_themes(frame, model)["theme_id"])
    assert by_path["place_key"].iloc[-1] == "星光"
    with pytest.raises(InputError):
        joblib.dump({"not": "a model"}, tmp_path / "x.joblib")
        assign_themes(frame, str(tmp_path / "x.joblib"))


def test_without_n_fine_the_fine_themes_are_the_suggestions_the_data_holds():
    """The generator plants 864 specific suggestions (object x action within 12 themes); fine themes must find
    them without being told how many there are, the same way for two seeds."""
    from minsheng.engine.synth import generate

    frame = generate(20_000, seed=3)
    texts = (frame["title"] + "\n" + frame["body"]).tolist()
    model = ThemeModel(random_state=0).fit(texts)
    assert 200 <= model.n_fine_ < len(model.centroids_)  # joined, not one theme per micro-cluster
    assert adjusted_rand_score(frame["gt_topic"], model.predict(texts)) > 0.7
    assert theme_stability(texts, seeds=(0, 1))["fine_ari"] >= 0.8


def test_a_model_saved_before_micro_clusters_still_assigns(model, corpus):
    """Older models had one centroid per fine theme and no micro-clusters: loading one must still work."""
    import pickle

    state = pickle.loads(pickle.dumps(model)).__dict__
    del state["centroids_"], state["centroid_rows_"]
    old = ThemeModel.__new__(ThemeModel)
    old.__setstate__(state)
    ids = old.predict(corpus[0][:50])
    nearest = model.fine_ids_[(model.embed(corpus[0][:50]) @ model.fine_centroids_.T).argmax(axis=1)]
    assert list(ids) == list(nearest)
