"""Department labels read off the published replies: the unit a reply names says where the message went.

A reply to a citizen's message usually names the unit that handled it (A市教育局, A3区人力资源和社会保障局,
市住建局 …). :data:`UNIT_PATTERNS` maps unit words to the seven first-level categories of the labelled data,
and :func:`reply_labels` labels a message when its reply names units of exactly one category.

How the map was decided (fixed before anything was measured with it, issue 12 item 5): from the remit of
each kind of government unit and from ``taxonomy.csv``'s level-2 nodes under each category — not from a
cross-validation score. The unit words are the ones the replies use (a regex count of words ending in
局/委/厅/处/支队/中心 over ``messages_replied.csv``'s replies, no labels involved):

* 城乡建设 (城乡规划, 住房保障与房地产, 城市建设和市政管理, 房屋征收): 住建/住房和城乡建设/建设局, 房产局,
  住房保障局, 房屋交易, 规划局/规划分局, 城管/城市管理(和行政执法)局, 市政局, 征收办/征收局;
* 环境保护 (环保管理, 环境污染): 环保局/环境保护局/厅, 生态环境局/厅, 环境监察, 环保督察;
* 交通运输 (交通运输, 客货运输, 出租车管理, 邮政管理): 交通运输局/厅, 交通局, 运管处/运输管理, 公路局,
  邮政管理局;
* 教育文体 (教育行政管理, 考试招生, 体育, 文化): 教育局/厅, 教育体育局/教体局, 体育局, 招生考试院/招考;
* 劳动和社会保障 (社会保险, 就业, 劳动关系, 工资): 人力资源和社会保障局/厅, 人社局/厅, 社保局/社会保险局/社保中心,
  劳动监察/劳动保障监察, 劳动人事争议仲裁, 就业服务;
* 商贸旅游 (市场监管, 质监检验检疫, 商业贸易, 旅游管理): 市场监督管理局/市场监管局, 工商局/分局,
  质量技术监督/质监局, 商务局, 旅游局/旅游发展委员会, 物价局;
* 卫生计生 (公共卫生, 人口计生, 食品药品监管, 医政监管): 卫生健康委/卫健委/卫健局, 卫计委/卫生和计划生育,
  卫生局 (not 环境卫生), 计生局/计生委, 疾控/疾病预防控制, 食品药品监督/食药监.

Units whose remit lies in a category the labelled data do not have also count, so that a reply naming,
say, 市公安局 and 市教育局 is left unlabelled: ``taxonomy.csv`` files 交通管理 under 政法, so 公安, 派出所,
交警 and 车管所 are 政法 (not 交通运输); 民政局 民政, 国土/自然资源 国土资源, 财政 and 发改 经济管理,
农业/林业/水利 农村农业, 纪委 纪检监察.

Left out on purpose, because one unit serves two categories or the labelled data split them: 文化旅游
(文化 is 教育文体, 旅游 商贸旅游), 医疗保障局/医保 (劳动和社会保障 or 卫生计生), 公交 companies, 环卫
(城市管理 or 环境), 应急管理/安监 (安全生产 is under 城乡建设 and 经济管理), 住房公积金, 街道 and 镇 (they
handle everything), and the pronouns (我局, 我委). Content words that are not units (社会保险, 计生, 房屋征收,
质监 — 质监站 is a building-quality station) are not unit words.

Measured (ninth round of :mod:`._router`'s docstring): 500 labels, about four in five right by a hand-read
sample; as extra training examples they lowered the cross-validated macro-F1 on every fold, so no router
uses them. The map stays as the record of what was tried and for reading replies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The seven categories of the labelled data, and the categories outside them (their units veto a label).
UNIT_PATTERNS: dict[str, tuple[str, ...]] = {
    "城乡建设": ("住建", "住房和城乡建设", "城乡建设局", "建设局", "房产局", "住房保障局", "房屋交易",
             "规划局", "规划分局", "城管", "城市管理局", "管理和行政执法局", "市政局", "征收办", "征收局"),
    "环境保护": ("环保局", "环境保护局", "环境保护厅", "生态环境局", "生态环境厅", "环境监察", "环保督察",
             "环保厅"),
    "交通运输": ("交通运输局", "交通运输厅", "交通局", "运管处", "运管局", "运输管理", "公路局",
             "邮政管理局"),
    "教育文体": ("教育局", "教育厅", "教育体育局", "教体局", "体育局", "招生考试院", "招考"),
    "劳动和社会保障": ("人力资源和社会保障", "人社局", "人社厅", "社保局", "社会保险局", "社会保险事业", "社保中心", "劳动监察",
                "劳动保障监察", "劳动人事争议仲裁", "就业服务"),
    "商贸旅游": ("市场监督管理局", "市场监管局", "市场和质量监督管理局", "工商局", "工商分局", "质量技术监督",
             "质监局", "商务局", "旅游局", "旅游发展委员会", "物价局"),
    "卫生计生": ("卫生健康委", "卫健委", "卫健局", "卫计委", "卫生和计划生育", "(?<!环境)卫生局", "计生局", "计生委", "计划生育局",
             "疾控", "疾病预防控制", "食品药品监督", "食药监"),
    # Outside the labelled categories (taxonomy.csv): they only keep a reply from being labelled.
    "政法": ("公安", "派出所", "交警", "交通警察", "车管所"),
    "民政": ("民政局", "民政厅"),
    "国土资源": ("国土资源局", "国土局", "国土分局", "自然资源"),
    "经济管理": ("财政局", "财政厅", "发展和改革", "发改委", "发改局"),
    "农村农业": ("农业局", "农业农村局", "林业局", "水利局"),
    "纪检监察": ("纪委", "监察委"),
}
LABELLED_CATEGORIES = ("城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生")
# Words that contain a unit word but are not that unit.
_NOT_UNITS = re.compile("文化旅游|文旅|医疗保障|医保局|旅游和文化|文化广电和旅游")

_PATTERNS = {category: re.compile("|".join(words)) for category, words in UNIT_PATTERNS.items()}


def reply_categories(reply: str) -> set[str]:
    """Categories (of :data:`UNIT_PATTERNS`, also those outside the labelled seven) whose units ``reply`` names."""
    reply = _NOT_UNITS.sub("", reply if isinstance(reply, str) else "")
    return {category for category, pattern in _PATTERNS.items() if pattern.search(reply)}


def reply_labels(replies: Sequence[str]) -> list[str | None]:
    """A label per reply: the category when the reply names units of exactly one category and it is one of
    the labelled seven, else None.

    >>> reply_labels(["您的留言已收悉，A市教育局现答复如下", "市公安局与市教育局联合调查", "我局已调查处理"])
    ['教育文体', None, None]
    """
    out: list[str | None] = []
    for reply in replies:
        found = reply_categories(reply)
        out.append(next(iter(found)) if len(found) == 1 and found <= set(LABELLED_CATEGORIES) else None)
    return out
