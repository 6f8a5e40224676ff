"""Theme labels: a broad theme is named by what its messages share, not by its largest fine theme."""

from __future__ import annotations

import random

import pandas as pd

from minsheng.engine.themes import ThemeModel, _unnamed, assign_themes, theme_table

ESTATES = ["金色家园", "阳光新城", "翠湖花园", "东方明珠苑", "锦绣江南", "碧水湾", "书香门第", "望江楼"]


def _messages(rng: random.Random, n: int, title: str, body: str) -> list[str]:
    return [title.format(e=rng.choice(ESTATES)) + "\n" + body for _ in range(n)]


def test_a_broad_theme_is_named_by_the_title_nearest_its_centre_not_by_its_largest_fine_theme():
    rng = random.Random(0)
    texts = (_messages(rng, 40, "{e}小区旁工地夜间施工扰民", "工地晚上十点以后还在打桩施工，噪音很大，居民无法休息。")
             + _messages(rng, 30, "{e}楼下酒吧噪音扰民", "酒吧音乐声很大一直到凌晨，噪音严重影响居民休息。")
             + _messages(rng, 30, "{e}广场舞音响噪音扰民", "每天晚上广场舞音响声音很大，噪音影响居民休息和孩子学习。")
             + _messages(rng, 6, "夜间噪音扰民严重影响居民休息", "希望有关部门加强噪音管理，还居民安静的夜晚。")
             + _messages(rng, 60, "{e}附近公交线路太少", "公交车班次太少，等车要一个小时，出行很不方便。")
             + _messages(rng, 50, "{e}到地铁站没有接驳公交", "地铁站离小区太远，希望开通接驳公交线路方便出行。"))
    frame = pd.DataFrame({"text": texts})
    model = ThemeModel(n_broad=2, n_fine=5, n_components=10, random_state=0).fit(texts)
    table = theme_table(frame.join(assign_themes(frame, model)), model).set_index("theme_id")
    noise = next(b for b in model.broad_ids_ if "噪音" in model.keywords_[b] or "扰民" in table.label[b])
    largest = table[table.parent_id == noise].sort_values("n_messages").label.iloc[-1]
    # the general title of six messages speaks for the site works, the bar and the square dancing, which the
    # largest fine theme's label (one kind of noise at one estate) does not
    assert table.label[noise] == "夜间噪音扰民严重影响居民休息等"
    assert not table.label[noise].startswith(largest)
    assert table.loc[table.level == "fine", "label"].map(lambda x: not x.endswith("等")).all()


def test_a_name_opening_a_title_gives_way_to_the_kind_of_place_it_is():
    # as the theme's messages are read (Commonness.share): the share of them that write the word anywhere
    common = ["投诉开发商欺骗业主", "公司拖欠员工工资", "家属区路灯", "伊景园滨河苑"]

    def share(word: str) -> float:
        return 0.3 if any(word in text for text in common) else 0.0

    assert _unnamed("东盈商业广场开发商欺骗、愚弄全体业主", share, 0.05) == "开发商欺骗、愚弄全体业主"
    assert _unnamed("投诉海红公司拖欠员工工资", share, 0.05) == "投诉公司拖欠员工工资"
    # words the dictionary knows as ordinary words are no name (电影公司 is a kind of company)
    assert _unnamed("电影公司家属区跪求两盏路灯", share, 0.05) == "电影公司家属区跪求两盏路灯"
    # a name most of the theme's messages write is the theme's own
    assert _unnamed("伊景园滨河苑开发商强制捆绑销售车位", share, 0.05) == "伊景园滨河苑开发商强制捆绑销售车位"
    # no kind of place after the name: nothing to put in its place
    assert _unnamed("东盈商业广场欺骗业主", share, 0.05) == "东盈商业广场欺骗业主"
