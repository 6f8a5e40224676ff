"""Place, organisation and group extraction from citizen messages, by regular expression.

Why regular expressions and not rjieba's part-of-speech tags: estate and shop names are invented words
(伊景园滨河苑, 魅力之城) that the dictionary splits or glues to their neighbours (``区麓``, ``市融``), while
the *suffix* of a Chinese place name is nearly always one of a few dozen words (小区, 花园, 路, 学校, 公司 …).
So a place is a run of name characters ending in such a suffix, starting after an administrative prefix,
punctuation, a function word or a verb (rjieba's tags are good enough for *those* words).

A name any city has (搅拌站, 菜市场, 互联网医院, 老旧小区: the dictionary knows the whole name, or it is a
facility suffix after common words only) is not a place by itself: a named place elsewhere in the message
wins, and with only a district code (``A3区经济学院``) the code becomes part of its key.

Some names have no suffix, and what follows them says what they are: a building's number (五矿万境25栋: an
estate), a bus's (205路公交车: a line, like a road). A bureau (农机局) is a place only where a title is about it;
where a title asks it (建议A市规划局…) or a body writes to it, it is whom one asks, and a public service any writer
turns to (公安局) never is. A site the body names that the title writes as it is (汇金路五矿万境) is the title's.

Anonymised administrative codes of the data (``A市``, ``A3区``, ``K8县``, ``西地省``) are too broad to make an
issue specific; they are kept apart as ``district`` and only qualify a place.

What :func:`extract_place` returns: the most specific place of the text (estate / school / company / shop
beats road beats village / community / town), its *key* — the name with generic suffixes and a leading brand
stripped so that ``万科魅力之城小区`` and ``魅力之城`` meet — and the district code if one was written.
When no place is written but a group of people is (``车贷受害者``, ``出租车司机``), that group is returned.

>>> extract_place("A市A5区万科魅力之城小区临街餐饮店油烟扰民")
Place(name='万科魅力之城小区', key='魅力之城', kind='place', level=3, district='A5区')
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import contains

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rjieba

from minsheng.engine.titles import glued_title_ends, with_title_ends
from minsheng.engine.tokens import STOP_WORDS, segment_batch

__all__ = ["BODY_OPENS", "KINDS_OF_PLACE", "PLACE_SUFFIXES", "VAGUE_NAMES", "NameByEnding", "Place", "arabic", "extract_place", "extract_places",
           "groups_of_verbs", "is_kind_of_place", "schools_as_keys", "verb_before_ending",
           "is_area", "is_specific", "merge_homophone_keys", "merge_inserted_keys", "merge_place_keys", "merge_swapped_keys", "name_as_written", "names_by_ending", "numbered_names",
           "place_columns", "place_key", "place_level", "spelling_variant"]

#: The kinds of place a suggestion about many of them can be named by, when a sentence opens with one of them
#: (中学, 小区, 工地 …); a one-letter suffix (苑, 城, 路) is part of a name, never a noun alone. Public and here,
#: beside the places' suffixes, because the digest's headlines and the themes' labels both name places by kind.
KINDS_OF_PLACE = ("幼儿园", "卫生院", "派出所", "工业园", "产业园", "小区", "学校", "中学", "小学", "大学", "学院",
                  "医院", "公司", "集团", "银行", "酒店", "宾馆", "超市", "市场", "工地", "项目", "楼盘", "公园",
                  "车站", "景区", "园区", "社区")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DISTRICT = re.compile(r"(?:[A-Z]\d{0,2}(?:市|区|县|镇)|西地省)")

# Suffixes by specificity: 3 = a site one can point at, 2 = a road or street, 1 = a village / community.
_SUFFIXES: dict[str, int] = {}
# A name followed by a building's number (五矿万境25栋, 深业喜汇3栋, with or without a district code between)
# or by a phase of its building (绿地海外滩二期, 未来方舟1期, 江山帝景哈佛4期) is an estate's however it ends:
# the number is replaced by this letter (one no text uses), a suffix of its own. Not after a letter that makes
# the phase a count or an order (第一期, 共30期, 分三期, 每期, 同一期).
_BUILDING = "\u9fa5"
_NOT_A_NAME_END = "第共分每首前后同近上下本这该此那一二三四五六七八九十"


def _cjk_except(letters: str) -> str:
    """An RE2 character class of the CJK letters U+4E00–U+9FA4 except ``letters``."""
    cuts = sorted(ord(c) for c in set(letters))
    ranges, lo = [], 0x4E00
    for c in cuts:
        if c > lo:
            ranges.append((lo, c - 1))
        lo = c + 1
    ranges.append((lo, 0x9FA4))
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


_A_BUILDING = (f"({_cjk_except(_NOT_A_NAME_END)})(?:[A-Z][0-9]{{0,2}}[市区县镇]|西地省)?"
               "(?:[0-9一二三四五六七八九十]{1,2}期)?(?:[0-9]{1,4}(?:栋|幢|号楼)|(?:[0-9一二三四五六七八九十]{1,2}期))")
_A_BUILDING_WORD = "栋|幢|号楼|[0-9一二三四五六七八九十]期"
for level, words in (
    (3, "小区 花园 家园 公寓 大厦 广场 华庭 华苑 苑 公馆 名城 新城 国际 城 湾 新村 雅居 山庄 中心 市场 商城 "
        "学校 中学 小学 幼儿园 大学 学院 医院 卫生院 公司 集团 银行 酒店 宾馆 超市 店 馆 厂 工地 项目 站 "
        "工业园 产业园 园区 景区 公园 派出所 车站 码头 楼盘 局 壹号 驾校 " + _BUILDING),
    (2, "路 街 大道 大街 巷 桥 隧道 高速 立交 河 湖 港"),
    (1, "社区 村 镇 乡 街道 组"),
):
    for w in words.split():
        _SUFFIXES[w] = level
_SUFFIXES_LONGEST_FIRST = sorted(_SUFFIXES, key=len, reverse=True)
#: The words a place name ends with (小区, 国际, 学院, 路 …): what kind of place it is.
PLACE_SUFFIXES = frozenset(_SUFFIXES)
_SUFFIX_RE = "|".join(_SUFFIXES_LONGEST_FIRST)
_SUFFIX_LENGTHS = sorted({len(w) for w in _SUFFIXES}, reverse=True)


def _suffix_of(name: str) -> str:
    """The longest place suffix ``name`` ends with, or ""."""
    return next((name[-k:] for k in _SUFFIX_LENGTHS if len(name) >= k and name[-k:] in _SUFFIXES), "")
_SUFFIX = re.compile(_SUFFIX_RE)
# A name starts after the last word that cannot be inside one: a petition verb, a preposition, particle,
# pronoun, adverb, time or direction word (by rjieba's tag), a year, or a verb that leaves a name of at least
# two letters behind it (``单方面改变麓谷明珠小区`` → ``麓谷明珠小区``, but ``丽发新城`` stays whole although
# the dictionary tags ``丽发`` as a verb).
_CUT_TAGS = _words("p c u uj ul uz ud ug uv r d y f t b")
_LEAD_WORDS = _words("关于 反映 投诉 举报 咨询 请问 建议 要求 希望 请求 恳请 强烈 市民 业主 居民 村民 家长 网友 "
                        "位于 地处 座落 坐落 靠近 附近 旁边 原 本 该 此 某 新建 我 我们 我家 本人 严重 去 到 道路")
# A preposition, connective or verb of coming or going the dictionary glued to the first letters of an invented
# name (在丽 | 发新城, 及翠 | 湖, 外省来星 | 城).
_GLUED_LEAD = frozenset("在从向对把被给到去来往于自及将")
# Of those, the letters that lead a verb's object (反对将 | 星河公园改作…, 要求把 | 翠岭路…): glued to a name's first
# letter after a verb, even into a dictionary word (将星), they are the preposition (:func:`_without_object_lead`).
_OBJECT_LEAD = frozenset("将把")
# Names that point at no particular place: every city has them.
_VAGUE_STEMS = _words("有限 有限责任 股份有限 物业 人民 市委市 党委 自来水 公交 地铁 客服 集团化 所在 政府 市 "
                         "县 区 省 街 镇 村 我们 本 该 此 这个 附近 周边 各 其他 其它 相关 当地 城市 城 新城 "
                         "分 总 老 新 大 小 公共 服务 便民 垃圾 公交车 停车 高速 农村 乡村 城乡 城区 市区 主城 "
                         "普惠性 普惠 公办 民办 私立 公立 乡镇 各个 各级 全市 全省 全县 全区")
#: Names that point at no particular place (物业, 普惠, 城区 …).
VAGUE_NAMES = _VAGUE_STEMS
_GROUPS = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9]{0,6}(?:受害者|受害人|投资人|出借人|业主|教师|老师|司机|退休人员|退役军人|"
    r"职工|员工|学生|家长|村民|农民工|商户|患者|残疾人|老人|租户|下岗工人|代课教师|民办教师))"
)
_GENERIC = ("小区", "花园", "家园", "公寓", "一期", "二期", "三期", "期", "项目", "楼盘", "工地", "社区", "股份有限公司",
            "有限责任公司", "有限公司", "分公司", "物业公司", "物业", "公司", "集团")
_BRANDS = ("万科", "保利", "恒大", "碧桂园", "中海", "融创", "绿地", "富力", "华润", "万达", "金科", "中建")


@dataclass(frozen=True)
class Place:
    """A place or group named in a message."""

    name: str          # as written, e.g. 魅力之城小区
    key: str           # grouping key, e.g. 魅力之城
    kind: str          # "place" or "group"
    level: int         # 3 site, 2 road, 1 village/community, 0 group
    district: str      # e.g. A5区, or ""

    @property
    def label(self) -> str:
        """Name with its district, for reports: ``A5区魅力之城小区``."""
        return f"{self.district}{self.name}" if self.district and not self.name.startswith(self.district) \
            else self.name


def place_level(name: str) -> int:
    """How specific a place is by its ending: 3 a site one can point at, 2 a road or street, 1 a village,
    community or subdistrict, 0 no place ending (a key without its 小区, a bus, a group)."""
    return _SUFFIXES.get(_suffix_of(name), 0)


def is_area(name: str) -> bool:
    """A village, community, town or subdistrict (``泉塘街道``, ``青山铺镇``): a place where many unrelated
    problems are, not one site."""
    return place_level(name) == 1


def is_specific(name: str) -> bool:
    """At least two letters of name before its place suffixes: ``西海岸幼儿园`` yes, ``幼儿园``, ``新城`` or
    ``国际社区幼儿园`` (kinds of place only: what 中海国际社区幼儿园 leaves without its brand) no."""
    stem = name[: len(name) - len(_suffix_of(name))]
    while len(suffix := _suffix_of(stem)) >= 2:  # a one-letter suffix may be a name's own (南湖路)
        stem = stem[: len(stem) - len(suffix)]
    return len(stem) >= 2


@functools.lru_cache(maxsize=200_000)
def place_key(name: str) -> str:
    """Grouping key of a place name: brand prefixes and generic suffixes removed (never below 2 letters)."""
    key = name
    changed = True
    while changed:
        changed = False
        for g in _GENERIC:
            if key.endswith(g) and len(key) - len(g) >= 2:
                key, changed = key[: -len(g)], True
    for brand in _BRANDS:  # 中海国际 stays whole: 国际 alone names nothing
        if key.startswith(brand) and is_specific(key[len(brand):]) and len(key) - len(brand) >= 3:
            return key[len(brand):]
    return key


_COMPANY_FORMS = ("股份有限", "有限责任", "有限")


def _legal_form(before: str, suffix: str) -> str:
    """The company's legal form ``before`` ends with where ``suffix`` is 公司 (有限, 有限责任, 股份有限), or "": read as
    the suffix's, not as a word of the name."""
    return next((f for f in _COMPANY_FORMS if before.endswith(f)), "") if suffix == "公司" else ""


@functools.lru_cache(maxsize=200_000)
def _trim(name: str, suffix: str) -> str | None:
    """The name proper, without the words before it; None when what is left is not a name."""
    body = name[: len(name) - len(suffix)]
    # A company's legal form (有限 | 公司) is no word of its name: what a company does, written before it
    # (华洋机电设备制造 | 有限公司, 楚府健康管理 | 有限公司), is its field, not a verb the name starts after.
    form = _legal_form(body, suffix)
    words = rjieba.tag(body[: len(body) - len(form)])
    start, rest, glued = 0, sum(len(w) for w, _ in words), -1
    for i, (w, tag) in enumerate(words):
        rest -= len(w)  # letters after this word
        if len(w) >= 2 and w[0] in _GLUED_LEAD and not rjieba.has_word(w):
            glued = i  # the last word glued to a preposition (在丽发新城), read below
        if w != "之" and (w in _LEAD_WORDS or (tag in _CUT_TAGS and not _in_name(w, tag, i == len(words) - 1, len(suffix) == 1))
                or w.isdigit() or w.endswith(("年", "月", "日", "号线"))
                or (w[0] in "号年月日" and i > 0 and words[i - 1][0][-1].isdigit())  # 10号, 60号令, 2014年棚(改)
                or (tag in ("v", "vn") and not _field_of(words, i, start)
                    and (rest >= 2 or (i == start and rjieba.has_word(w))
                                            or (tag == "v" and i > start and rest >= 1 and len(w) >= 2
                                                and rjieba.has_word(w))))
                or (tag == "m" and w[0] in "一几两多数每各")
                or (len(w) == 2 and w[0] in _NUMERALS and w[1] == "大")  # 三大公司: a count, not a name
                or ((w in _ROUTE_LETTERS or w in _GLUED_LEAD) and rest >= 2)  # 经高铁南站, 南二环往绕城高速:
                # "via", "towards" the place, whatever the tag
                or (w in _BETWEEN_TWO_NAMES and rest == 0)):  # 通知书是学校: a sentence says what is the place
            if _opens_name(w, tag, words[i - 1] if i else None, i == start, rest):
                continue
            start = i + 1
    if glued >= start:  # 在丽发新城, 学生去工厂: the name starts after the preposition
        start = glued
    kept = words[start:]
    stem = "".join(w for w, _ in kept)[int(glued == start):]
    if len(stem) < 2 or stem.isascii() or stem in _VAGUE_STEMS or (_is_locative(kept) and _SUFFIXES.get(suffix) != 1):
        return None
    return stem + form + suffix


def _is_locative(words: list[tuple[str, str]]) -> bool:
    """A name that is one locative word of a position (边上 | 小区, 楼下 | 超市: "the estate beside it"): where a
    place is, said of another, not its name. Not a locative word that is a name's (东方 | 家园, 海外 | 滩), nor a
    village's (台前村, 岭下村: the caller keeps areas)."""
    return len(words) == 1 and words[0][1] == "s" and words[0][0][-1] in "上下内外边旁口头前后"


def _opens_name(word: str, tag: str, before: tuple[str, str] | None, after_cut: bool, rest: int) -> bool:
    """A particle the dictionary cut off an invented name's first letter (关于 | 地 | 王 | 大厦): no particle follows
    a preposition or a petition verb (a pronoun or noun may: 我们的县城, 市民的三馆), and one letter left is no name."""
    return (tag[0] == "u" and len(word) == 1 and after_cut and rest == 1 and before is not None
            and (before[1] == "p" or (before[0] in _LEAD_WORDS and before[1] == "v")))


def _field_of(words: list[tuple[str, str]], i: int, start: int) -> bool:
    """A verbal noun between two nouns of a name is a field of it (商贸旅游职业技术学院), not a verb the name
    starts after: cut there, the name is left a kind any city has (职业技术学院) that a reader cannot place."""
    return (words[i][1] == "vn" and start < i < len(words) - 1 and words[i - 1][1][0] == "n"
            and words[i + 1][1][0] == "n")


_NUMERALS = frozenset("一二三四五六七八九十")
# One-letter prepositions of a route or a distance (经 via, 沿 along, 途 passing, 距 / 离 from): a word of their own
# before a place is never its first letter (the dictionary tags 经 a noun).
_ROUTE_LETTERS = frozenset("经沿途距离")


def _in_name(word: str, tag: str, last: bool, one_letter_end: bool = False) -> bool:
    """A word whose tag would end a name but which is part of it: a "time" word made of a direction and a
    numeral (东六路, 恒天九五工厂: numbered roads and sites, no 年/月/日), or an adverb of two letters right
    before the suffix (长永高速: the dictionary reads 长永 as "forever"; no adverb of a sentence stands there)."""
    if tag == "t":
        return any(ch in _NUMERALS for ch in word) and not word.endswith(("年", "月", "日", "时", "点", "号"))
    if tag == "f" and last and one_letter_end and word in _NAME_SIDES:  # 楚天中苑, 福元中路, 人民西路: a side
        return True  # before a one-letter ending is the name's (before 小学 it may be a kind's: 城区中小学)
    return tag == "d" and last and len(word) >= 2


_NAME_SIDES = frozenset("东西南北中")


_COMMON_TAGS = _words("n vn v a b d l i j an ad m q f t vg ng z")
_COMMON_SUFFIXES = _words("医院 卫生院 中心 学校 中学 小学 幼儿园 大学 学院 驾校 银行 公司 集团 市场 超市 店 馆 厂 站 小区 "
                          "公园 项目 工地 楼盘 广场 派出所")


@functools.lru_cache(maxsize=200_000)
def _is_common(name: str) -> bool:
    """A name any city has (搅拌站, 互联网医院, 老旧小区, 社区卫生服务中心) rather than one place's name.

    True when the whole name is a dictionary word, or when it is a facility suffix after nothing but common
    dictionary words (nouns, verbs, adjectives … — no place, person or organisation name and no word the
    dictionary does not know, which is what invented estate names are).
    """
    if rjieba.has_word(name):
        return True
    suffix = _suffix_of(name)
    stem = name[: len(name) - len(suffix)]
    if suffix and len(stem) >= 3 and _suffix_of(stem):
        return _is_common(stem)  # 星光花园小区 is as common as 星光花园
    if suffix not in _COMMON_SUFFIXES:
        return False
    words = rjieba.tag(name[: len(name) - len(suffix)])
    return all(tag in _COMMON_TAGS and (rjieba.has_word(w) or tag in ("a", "v", "vn", "d")) for w, tag in words)


def is_kind_of_place(name: str) -> bool:
    """A kind of place any county has (乡镇卫生院, 社区卫生服务中心), not one place: a place ending after common
    dictionary words only (:func:`_is_common`). Not a name the dictionary knows whole: that may be one
    estate's (星河湾)."""
    return bool(_suffix_of(name)) and not rjieba.has_word(name) and _is_common(name)


_PLACES_OF: dict[str, tuple[tuple[int, str, bool], ...]] = {}  # what _segment_places found in each run
_MAX_RUNS = 500_000  # runs kept in it; beyond, it starts again


def _segment_places(runs: list[str]) -> list[tuple[tuple[int, str, bool], ...]]:
    """(level, name, is common) of each place in each run of name characters, cached: clauses recur across
    messages (``A市暮云街道丽发新城社区附近搅拌站`` written by forty people, template phrases of a form
    letter), so most runs are read once per process instead of once per message.

    The runs not seen before are segmented by one rjieba call (:func:`_word_ends`): a call per run cost
    about 36 µs of overhead, more than the cut itself, and a third of place extraction.

    ``runs``: distinct, each of three letters or more and holding a place suffix (a name is two letters and a
    suffix at least), as the caller's RE2 pass keeps them: filtered again here, they cost 2 % of the time.
    """
    new = [r for r in runs if r not in _PLACES_OF]
    if len(_PLACES_OF) + len(new) > _MAX_RUNS:  # starts again: every run is new then
        _PLACES_OF.clear()
        new = runs
    for run, ends in zip(new, _word_ends(new), strict=True):
        _PLACES_OF[run] = _after_towns(run, tuple([(level, name, _is_common(name))
                                                   for name, level in _candidates(run, ends)]))
    return [_PLACES_OF[r] for r in runs]


# What a town has one of, keyed with the code and the town where a text names no site (_town_institutions)
_TOWN_KINDS = re.compile("(?:第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})(?:中学|小学|中|小)|中心小学|中心学校|中心校|"
                         "中心幼儿园|中学|小学|完小|幼儿园|卫生院)")


def _after_towns(run: str, found: tuple[tuple[int, str, bool], ...]) -> tuple[tuple[int, str, bool], ...]:
    """``found`` with a common name that ``run`` writes right after a town's name (星沙镇 + 板桥小区) as one place
    with the town: the town says which one, as a district code does (A3区经济学院), so it is a named place and
    not the town alone; keyed with the town, so two towns' 板桥小区 stay apart. Not where a named place as
    specific is written right after it (财智广场 + 兰亭苑: the estate inside the plaza is what its owners write
    about, and a named place beats a common one)."""
    towns = [name for _, name, common in found if not common and name.endswith(_TOWNS)
             and not _BETWEEN_TWO_NAMES.intersection(name)]
    if not towns:
        return found
    out = []
    for i, (level, name, common) in enumerate(found):
        town = (_town_before(run, name, towns)
                if common and level >= 2 and not _TOWN_KINDS.fullmatch(name)
                and not any(_inside(run, name, inner, c, lv >= level) for lv, inner, c in found[i + 1:]) else None)
        out.append((level, town + name, False) if town else (level, name, common))
    return tuple(out)


def _inside(run: str, name: str, inner: str, common: bool, as_specific: bool) -> bool:
    """Whether ``inner`` is a named place as specific as ``name`` that ``run`` writes right after it (财智广场 +
    兰亭苑: the estate inside the plaza), of no verb (村镇越权批准项目 after 碎石厂 is a clause, not a place in it)."""
    return (not common and as_specific and name + inner in run
            and not any(tag in ("v", "vn") for _, tag in rjieba.tag(inner[:len(inner) - len(_suffix_of(inner))])))


_A_TOWN_END = re.compile("镇|乡|街道")  # the endings of _TOWNS


def _town_before(run: str, name: str, towns: list[str]) -> str | None:
    """The town ``run`` writes right before ``name``; where a second area stands between (星沙镇 + 泉塘街道 +
    板桥小区, as two names or cut as one), the first: the key is then the one of the town-only spelling
    (星沙镇板桥小区), so the two spellings of one estate meet."""
    town = next((t for t in towns if t + name in run), None)
    if town is None:
        return None
    if outer := next((t for t in towns if t + town + name in run), None):
        return outer
    first = _A_TOWN_END.search(town, 2)
    return town[:first.end()] if first and len(town) - first.end() >= 3 else town


def _word_ends(runs: list[str]) -> list[bytes]:
    """For each run, a flag per position ``0 .. len(run)``: 1 where a word of rjieba's cut of the run ends.

    One call on the runs joined by a separator gives the same words as a call per run: rjieba cuts each
    block of letters and digits on its own, a run is one such block, and the separator is none.
    """
    if not runs:
        return []
    lengths = np.fromiter(map(len, rjieba.cut("\x01".join(runs))), dtype=np.int64)
    size = np.fromiter(map(len, runs), dtype=np.int64, count=len(runs))
    start = np.cumsum(size + 1) - size - 1  # of each run in the joined text
    ends = np.zeros(int(size.sum()) + len(runs), dtype=np.uint8)
    ends[np.cumsum(lengths)] = 1
    ends[start] = 0  # the separator's end is no word end within the run
    flags = ends.tobytes()
    return [flags[s: s + n + 1] for s, n in zip(start.tolist(), size.tolist(), strict=True)]


def _candidates(segment: str, ends: bytes) -> list[tuple[str, int]]:
    """Places in a run of name characters: each suffix closes a name that starts after the previous one.

    Found suffix-first (one scan, no backtracking) and trimmed through a cache: estates and roads recur, so
    most names are trimmed once per run rather than once per message.
    """
    found, start = [], 0
    # A run that opens with what a district has one of (after a code: L10县火车站, C3县人民医院) names it, though
    # fewer than two letters (火车站) or a vague word (人民医院) stand before its ending.
    if (one := _ONE_OF_A_DISTRICT.match(segment)) and ends[one.end()]:
        found.append((one.group(0), 3))
        start = one.end()
    # A suffix ends a word of the run's segmentation: in 长株潭城际铁路, 经济学院组织, 公积金组合贷 the letters
    # 城, 组 begin a word (城际, 组织, 组合), they end no name; a position or function word glued to it
    # (汇金路口) does not count. ``ends``: where the words of the run's segmentation end (:func:`_word_ends`).
    matches = []  # (start, end, suffix) of each: the match's span and letters read once, not at each use
    for m in _SUFFIX.finditer(segment, start):  # a loop, each span and letters read once (8 % of the places' time)
        at, end = m.span()
        if ends[end] or (ends[end + 1] and segment[end] in _POSITIONS):
            word = segment[max(0, at - 1):end]
            if word not in _ENDS_A_WORD and not (word in _AREA_WORDS and not ends[at]):
                matches.append((at, end, m.group(0)))
    # A bus is named by its number (205路公交车, 公交车15路): a line like a road, no name before 路.
    buses = [b for b in _BUS_ROUTE.finditer(segment) if segment.startswith(_BUS_AFTER, b.end())
             or segment.endswith(_BUS_BEFORE, 0, b.start())] if "路" in segment else []
    if buses:
        found.extend((b.group("number") + "路", 2) for b in buses)
        taken = {b.end() for b in buses}
        matches = [m for m in matches if m[1] not in taken]
    level, first = 0, None
    for k, m in enumerate(matches):
        m_at, m_end, suffix = m
        m_level = _SUFFIXES[suffix]
        if first is None or suffix != _BUILDING:  # a building of a named estate: as specific as the estate
            level = max(level, m_level)
        first = first or m
        # 珠江俪城公园一号: the development's name goes on
        end = m_end + _numbered_one(segment, m_end, suffix) if segment.startswith("一号", m_end) else m_end
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        if (nxt is not None and nxt[0] - end <= (len(nxt[2]) > 1)
                and segment[end:nxt[0]] not in _BETWEEN_TWO_NAMES):
            continue  # 河 in 伊景园滨河苑, 港 in 京港澳高速: the name goes on to the next suffix
        if (nxt is not None and nxt[0] - end == 1 and segment[end] in "东西南北中"
                and nxt[2] in ("路", "街", "大道", "大街") and suffix in WATERS):
            continue  # 咸嘉湖西路, 靳江河东路: a road named after a lake and its side is one road
        if m_level == 2:
            level = 2  # 车站路, 绕城高速: a road named after a site is a road
        if segment.startswith(_AREAS, end):
            level = 1  # 武广新城片区的伊景园滨河苑: the area around a place is as broad as a community
        elif (suffix in WATERS and nxt is not None and nxt[0] - end <= 4
              and _SUFFIXES[nxt[2]] >= 2):
            level = 1  # 梅溪湖看云路映日路口: a lake named before a road or site of its shore is the area
        if first is m and m_at - start == 1 and suffix in _WORD_ENDINGS:
            # A word of two letters ending in a site's or water's letter (环城, 龙湖, 长城, 嘉苑) opens the run: it
            # closes no name, so it is the next name's beginning (环城西路学校, 长城水郡小区), not cut off from it
            # (西路学校, 水郡). Not a road's letter: after a code, 南路 may be the end of an anonymised road's
            # name (A1区南路), and at the run's very start a lone letter may be the code's name's end (A1区路).
            level, first = 0, None
            continue
        # Two letters before the first suffix, or before the last of a site or road whose first suffix is its
        # second letter (岩桥中学, 西湖小区: the run's first letters after a code); not an area's (西湖街道 is
        # broader than the village its title then names).
        first_at, first_end, first_suffix = first
        if first_at - start >= 2 or (m_at - start >= 2 and m_level >= 2):
            # Trimmed before its first suffix (丽发新城社区 is as specific as 丽发新城), or as a whole when
            # that leaves too little (京港 | 澳高速).
            form = len(_legal_form(segment[:first_at], first_suffix)) if first_suffix == "公司" else 0
            name = _trim(segment[max(start, first_at - 10 - form):first_end], first_suffix)  # ten letters before the form
            if name is not None and _starts_inside_a_word(segment, first_end - len(name), ends):
                name = None
            if name is not None and first_end - len(name) == start:
                name = _without_position(segment, name, start, ends, first_suffix)
            if name is not None:
                name = _without_object_lead(segment, name + segment[first_end:end], end)
                found.append((_with_village(segment, ends, name, end), level))
            elif first is not m and (name := _trim(segment[max(start, m_at - 12):m_end], suffix)):
                found.append((_with_village(segment, ends, name + segment[m_end:end], end), level))
        start, level, first = end, 0, None
    return found


# Position letters that are never a name's first letter where they are a word of their own: after a place or a
# district code they say which part of it (路桥 | 头, A7县 | 段, A市 | 内). Not a side (东六路) nor 上 / 下 (上河村).
_TAIL_POSITIONS = frozenset("口边旁段内外头")


def _without_position(segment: str, name: str, at: int, ends: bytes, suffix: str) -> str | None:
    """``name`` (starting at ``at`` of ``segment``, where the run or the name before it ends) without a first
    letter that is a position word of its own (珍珠路桥 | 头 | 邓猛子烧烤店, A7县 | 段 | 环城绿化带): it is the place's or
    the code's before it, the tail of another word; None when what is left is too short to name anything."""
    if name[0] not in _TAIL_POSITIONS or not ends[at + 1]:
        return name
    return name[1:] if len(name) - 1 - len(suffix) >= 2 else None


def _without_object_lead(segment: str, name: str, end: int) -> str:
    """``name`` (ending at ``end`` of ``segment``) without a first letter that leads a verb's object (反对 + 将星河公园
    → 星河公园, the dictionary read 将星 as a word): after a verb or adverb, where at least two letters are left
    before the name's ending (将军路 stays whole)."""
    at = end - len(name)
    if (name[0] not in _OBJECT_LEAD or at < 2
            or len(name) - 1 - len(_suffix_of(name)) < 2):
        return name
    before = rjieba.tag(segment[max(0, at - 4):at])
    return name[1:] if before and (before[-1][1] in ("v", "d") or before[-1][0] in _LEAD_WORDS) else name


def _with_village(segment: str, ends: bytes, name: str, end: int) -> str:
    """``name`` (ending at ``end`` of ``segment``) without the building letter; a village's group (牛角冲组) with
    the village written right before it (联合村牛角冲组): a group alone is a name a reader cannot place, and the
    village, a verb and 村 (联合村, 胜利村), is no name of its own to ``_trim``."""
    at = end - len(name)
    if name.endswith("组") and at >= 3 and segment[at - 1] == "村" and ends[at]:
        begin = max(i for i in range(at - 1) if i == 0 or ends[i])
        if at - 1 - begin >= 2:
            name = segment[begin:at] + name
    if name[-1] == name[-2] and name[-1] in _SUFFIXES:  # 石湾村村级路: 村村 is "every village", one 村 is the name's
        name = name[:-1]
    return name.replace(_BUILDING, "")


def _numbered_one(segment: str, at: int, suffix: str) -> int:
    """How many letters of "number one" after a site's suffix belong to its name: developments are named so
    (珠江俪城公园一号), and the number then ends the name or a building of it follows (公园一号31栋). Only in
    Chinese numerals: 1号 numbers a door, an exit or a building (中心广场1号, 地铁站1号出口); the formal 壹号 is a
    brand's only, a place ending of its own (梅溪湖壹号, 利保壹号公馆). Not where a unit of the place follows
    (五一广场一号线, 湖畔新村一号别墅: then it numbers that unit), nor after a road (a door's number). ``at``: where
    ``suffix`` ends in ``segment``."""
    if not segment.startswith("一号", at) or _SUFFIXES[suffix] != 3:
        return 0
    return 0 if segment.startswith(_UNITS, at + 2) else 2


# Endings of a lake, river or harbour: a name of the area on its shore too (梅溪湖, 咸嘉湖西路)
WATERS = ("湖", "河", "港")


# One-letter endings of a site or water (城, 湖, 苑, 桥 …) that a word of two letters may end with (环城, 龙湖)
_WORD_ENDINGS = frozenset(w for w, level in _SUFFIXES.items()
                           if len(w) == 1 and level >= 2 and w not in "路街巷" + _BUILDING)


# Endings of an area that holds villages and communities
_TOWNS = ("镇", "乡", "街道")


# A function word between two place endings separates two names (心萌芽幼儿园将小区绿地圈占, 学校和医院): the name
# does not go on over it to the next ending.
_BETWEEN_TWO_NAMES = frozenset("将的在和与及或被把对向从给让为是")


# What a number inside a place numbers: a building, door, exit, line, unit, house, shop or parking space of it.
_UNITS = ("栋", "幢", "楼", "座", "室", "门", "口", "出口", "入口", "线", "单元", "期", "地块", "别墅", "房", "铺", "车位",
          "窗")


def _starts_inside_a_word(segment: str, at: int, ends: bytes) -> bool:
    """Whether position ``at`` of ``segment`` falls inside a dictionary word of the segment's own cut: a name
    trimmed there is a piece of that word (街天桥 of 过街天桥), not a name. ``_trim`` reads the name's words
    without what stands before them, so it cannot see that."""
    if at <= 0 or ends[at]:
        return False
    begin = max(i for i in range(at) if i == 0 or ends[i])
    end = next(i for i in range(at + 1, len(ends)) if ends[i])
    return rjieba.has_word(segment[begin:end])


_BUS_ROUTE = re.compile(r"(?<![0-9])(?P<number>[0-9]{1,4})路")
_BUS_NAME = re.compile(r"[0-9]{1,4}路")
_BUS_BEFORE, _BUS_AFTER = ("公交", "公交车", "巴士"), ("公交", "车", "巴士", "班次", "线路")
# Letters of a position or function words that rjieba glues to a suffix (汇金路口, 唐家洲路段, 滨河苑为): the
# suffix still ends the name.
_POSITIONS = frozenset("口边旁上下段内外头东西南北的为是在和与及或被把将")
# Words after a name that make it an area (武广新城片区, 星沙一带), or a landmark: a river by its bank (靳江河西岸含东山湾路:
# the road, not the river, is the place).
_AREAS = ("片区", "一带", "区域", "板块", "东岸", "西岸", "南岸", "北岸", "两岸", "沿岸")
# Words that end in a suffix letter without naming a place (xiang跑路, 要求先修路).
_ENDS_A_WORD = frozenset(["跑路", "修路", "出路", "线路", "电路", "道路", "走路", "让路", "带路", "上路", "开路", "铺路", "思路", "套路", "网站", "开店", "关店", "建厂",
                           "农村"])
# Areas in general, not one (城乡, 村组, 乡镇, 城镇): a dictionary word of two letters for kinds of area is a
# common noun, and its last letter ends no name where the run's cut reads the two as one word (征收标准及村组,
# 怡润城乡开发建设有限公司: no village 标准及村组, no 怡润城乡 but a company). Not a letter twice (村村 "every
# village": 石湾村村级路 is 石湾村's road).
_AREA_LETTERS = "".join(w for w, level in _SUFFIXES.items() if level == 1 and len(w) == 1) + "城"
_AREA_WORDS = frozenset(a + b for a in _AREA_LETTERS for b in _AREA_LETTERS if a != b and rjieba.has_word(a + b))
_SPLIT = re.compile(r"[^\u4e00-\u9fa5A-Za-z0-9]+")


def extract_place(text: str, max_chars: int = 120) -> Place | None:
    """The most specific place (or failing that, group) named in the first ``max_chars`` of ``text``.

    The title (the first line) wins over the body; within it, the most specific place, earlier ones on ties.
    One text through :func:`extract_places`' code path.
    """
    if not isinstance(text, str) or not text:
        return None
    row = _extract([text], max_chars).iloc[0]
    if pd.isna(row["place_key"]):
        return None
    return Place(row["name"], row["place_key"], row["place_kind"], int(row["level"]), row["district"] or "")


# The same patterns as above for pyarrow's RE2 (literal letters in the classes, no Python escapes).
_A_DISTRICT = "[A-Z][0-9]{0,2}[区县镇]"
_A_ANY_DISTRICT = _DISTRICT.pattern.replace(r"\d", "[0-9]")
_A_CITY = "[A-Z][0-9]{0,2}市|西地省"
# Where runs of name characters are cut: what no name holds, and a district code (too broad to name a place). One
# pass: the codes replaced by a space and the text then split cost half as much again (a code starts with a letter of
# a name, a separator with none, so the two passes found the same cuts).
_A_SPLIT_CODES = f"(?:{_A_ANY_DISTRICT}|[^\u4e00-\u9fa5A-Za-z0-9])+"
_INSTITUTIONS = ("学院", "大学", "医院", "局")
_A_DOUBLED = ("([A-Z][0-9]{0,2}[区县])(?:[区县]([^城委级域里长政直属内划两])"
              "|市([^城委级域里长政直属内划两场民区中容貌]))")  # A8县市水木天成 too (not 市场, 市民, 市区)


def _extract(texts: list[str] | pa.Array, max_chars: int = 120) -> pd.DataFrame:
    """Columns ``place``, ``place_key``, ``place_kind``, ``district``, ``name``, ``level`` of each text.

    Vectorised, because this runs on every message of a million: the texts are cut into title and body and
    into runs of name characters by pyarrow (RE2, no Python loop per text); only the *distinct* runs that hold
    a place suffix are read in Python (:func:`_segment_places`, cached across partitions), and the best place
    of each text is chosen by sorting: the first part (title before body) that names a place, then the most
    specific level, then the earliest. A common name (搅拌站, 菜市场, 老旧小区) could be anywhere: a named
    place in the body beats it, so "投诉小区附近搅拌站噪音扰民" joins the other messages about 丽发新城's
    mixing plant, and it stands alone only with a district code (``A3区经济学院``), its key then keeping
    the code, so 老旧小区 in two districts never meet. Groups of people are looked for only where no place
    was found.
    """
    n = len(texts)
    texts = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
    head = pc.utf8_slice_codeunits(texts.fill_null(""), 0, max_chars)
    # A division word the anonymisation left after a code (L10县县青苹果幼儿园, A6区县乌山镇) is the code's: not
    # the first letter of a name. Not where it begins a word of its own (县城, 县委, 区域 …).
    doubled = pc.match_substring_regex(head, "[区县][区县市]")
    if pc.any(doubled).as_py():
        head = pc.replace_with_mask(head, doubled, pc.replace_substring_regex(head.filter(doubled), _A_DOUBLED,
                                                                              "\\1\\2\\3"))
    district = pc.struct_field(pc.extract_regex(head, f"(?P<d>{_A_DISTRICT})"), [0]).fill_null("")
    building = pc.match_substring_regex(head, _A_BUILDING_WORD)  # the few texts with a building's number
    marked = (pc.replace_with_mask(head, building, pc.replace_substring_regex(
        head.filter(building), _A_BUILDING, "\\1" + _BUILDING)) if pc.any(building).as_py() else head)
    lines = pc.split_pattern(marked, "\n", max_splits=1)  # title, body
    pieces, first = pc.list_flatten(lines), lines.offsets.to_numpy()[:-1]
    has_body = pc.list_value_length(lines).to_numpy() > 1
    # the titles, and the bodies of the texts that have one (a text of one line has its title only: its runs
    # were split a second time as its body's and then dropped, a third of the body pass on the synthetic corpus)
    bodied = np.flatnonzero(has_body)
    parts = (pieces.take(pa.array(first)), pieces.take(pa.array(first[bodied] + 1)))
    name = np.full(n, None, dtype=object)
    level = np.zeros(n, dtype=np.int64)
    found = np.full(n, -1, dtype=np.int64)  # 0: a named place, 1: a common name (only with a district)
    in_title = np.zeros(n, dtype=bool)  # the place found is the title's
    cand = []
    for p in (0, 1):
        if p == 1 and not has_body.any():
            break
        runs = pc.split_pattern_regex(parts[p], _A_SPLIT_CODES)
        flat = pc.list_flatten(runs)
        owner = pc.list_parent_indices(runs).to_numpy()
        if p == 1:
            owner = bodied[owner]
        # the suffixes searched in the runs of three letters or more only (the others are never kept)
        keep = pc.greater_equal(pc.utf8_length(flat), 3).to_numpy(zero_copy_only=False)
        long = np.flatnonzero(keep)
        keep[long] = pc.match_substring_regex(flat.take(pa.array(long)), _SUFFIX_RE).to_numpy(zero_copy_only=False)
        coded = pc.dictionary_encode(pc.filter(flat, pa.array(keep)))
        found_in = _segment_places(coded.dictionary.to_pylist())  # each distinct run once
        per_run = np.array([len(f) for f in found_in], dtype=np.int64)
        places = [f for fs in found_in for f in fs]
        if not places:
            continue
        # One candidate row per place per occurrence of its run: (text, part, common, -level, order, place).
        run_of = coded.indices.to_numpy()
        occ = np.repeat(np.arange(len(run_of)), per_run[run_of])
        within = np.arange(len(occ)) - np.repeat(np.cumsum(per_run[run_of]) - per_run[run_of], per_run[run_of])
        at = (np.cumsum(per_run) - per_run)[run_of[occ]] + within
        lv, nm, common = (np.asarray(x, dtype=object) for x in zip(*places, strict=True))
        frame = pd.DataFrame({"row": owner[keep][occ], "part": p, "common": common[at].astype(np.int64),
                              "neg_level": -lv[at].astype(np.int64), "order": occ * 64 + within, "name": nm[at]})
        bureau = frame["name"].str.endswith("局").to_numpy()
        if bureau.any():  # a bureau is the problem's place when a title names it (in the body it is whom one asks)
            frame = _bureaus(frame, bureau, parts[0] if p == 0 else None)
        if p == 1:
            # a police station the body names is whom one reported to (报警, 立案), not where the problem is
            frame = frame[~frame["name"].str.endswith("派出所").to_numpy()]
            _named_in_title(frame, parts[0], cand[0] if cand else None)
        cand.append(frame)
    if cand:
        c = pd.concat(cand, ignore_index=True)
        # A named place in either part beats a common name; then the title; the most specific; among areas a
        # village or community before the town or subdistrict that holds it (雨厂坪镇泉水村: the village); the
        # earliest.
        c["town"] = c["name"].str.endswith(_TOWNS).to_numpy() & (c["neg_level"].to_numpy() == -1)
        _after_introduction(c, head, has_body)
        c = c.sort_values(["row", "common", "part", "neg_level", "town", "order"], kind="stable").drop_duplicates("row")
        rows = c["row"].to_numpy()
        name[rows], level[rows], found[rows] = c["name"].to_numpy(), -c["neg_level"].to_numpy(), c["common"]
        in_title[rows] = c["part"].to_numpy() == 0
    district = np.asarray(district.to_pylist(), dtype=object)
    _numbered_schools(head, name, level, found, district)
    own_key = _town_institutions(head, name, level, found, district)
    own_key.update(_place_schools(parts[0], name, level, found, district, in_title))
    key = np.full(n, None, dtype=object)
    kind = np.full(n, None, dtype=object)
    city = np.zeros(n, dtype=bool)  # read for the common names only (found 1), so searched in their texts only
    only_common = np.flatnonzero(found == 1)
    city[only_common] = pc.match_substring_regex(head.take(pa.array(only_common)), _A_CITY).to_numpy(zero_copy_only=False)
    shown = district.copy()  # the code a place is shown with
    for i in np.flatnonzero(found >= 0).tolist():
        if found[i] == 0:  # a bus (205路) is whom its riders are, as a group of people is
            key[i], kind[i] = place_key(name[i]), "group" if _BUS_NAME.fullmatch(name[i]) else "place"
        elif _ONE_OF_A_DISTRICT.fullmatch(name[i]):  # L10县火车站, A市人民医院: with the code written right before
            if written := re.search(f"({_DISTRICT.pattern}){name[i]}", head[i].as_py()):  # it; else any district's
                shown[i] = written.group(1)
                key[i], kind[i] = shown[i] + name[i], "place"
        elif district[i] and ((number := _school_number(name[i])) or not _is_generic(name[i])):
            key[i], kind[i] = district[i] + (number or place_key(name[i])), "place"  # 二中 is a dictionary word
        elif city[i] and name[i].endswith(_INSTITUTIONS) and _all_nouns(name[i][:-len(_suffix_of(name[i]))]):
            # A city has one 经济学院, one 中医院 under that name (a district code is rarely written for it);
            # many 搅拌站, 老旧小区. Keyed without the code, so 涉外经济学院 meets 经济学院.
            key[i], kind[i] = place_key(name[i]), "place"
            # Shown with the city the head writes right before it (K市职业技术学院): the name alone is a kind
            # of college a reader cannot place.
            if written := re.search(f"({_A_CITY}){re.escape(name[i])}", head[i].as_py()):
                shown[i] = written.group(1)
    for i, k in own_key.items():
        key[i], kind[i] = k, "place"
    without = np.flatnonzero(kind == None).tolist()  # noqa: E711 (elementwise)
    if without:  # a group word in the head at all (RE2, vectorised) before Python reads it
        without = np.asarray(without)
        heads = head.take(pa.array(without))
        without = without[pc.match_substring_regex(heads, _A_GROUP_WORD).to_numpy(zero_copy_only=False)].tolist()
        heads = head.take(pa.array(without, pa.int64())).to_pylist()
        for i, h in zip(without, heads, strict=True):
            group = _find_group(h)
            name[i], key[i], kind[i], level[i] = (group, group, "group", 0) if group else (None, None, None, 0)
    label = [f"{d}{nm}" if d and nm and not nm.startswith(d) else nm for d, nm in zip(shown, name, strict=True)]
    found_any = kind != None  # noqa: E711
    return pd.DataFrame({
        "place": np.where(found_any, np.asarray(label, dtype=object), None),
        "place_key": key, "place_kind": kind,
        "district": np.where(found_any, district, None),
        "name": name, "level": level,
    })


#: A writer introducing themself ("我是A5区新点苑业主", "本人系…", "我叫何义荣，…") or greeting whom they write to
#: ("尊敬的詹书记：您好"): in a text of one line (title and body joined, no line break), where the body opens.
BODY_OPENS = "(?:我|本人)们?(?:叫|是|系|曾是|曾经是|原是|作为)|尊敬的|敬爱的|您好|你好"
_INTRODUCTION = re.compile(BODY_OPENS)


def _after_introduction(c: pd.DataFrame, head: pa.Array, has_body: np.ndarray) -> None:
    """Count as the body's the candidate places (``row``, ``name``, ``part``) of a text of one line that are first
    written at or after the writer's introduction of themself, six letters or more into the text: what comes
    before it is the title ("K7县五一桥是…重要文物，不能拆|我叫何义荣，县图书馆退休干部"), so the title's place beats
    the writer's library, estate or employer, as it does where the title has a line of its own. Read in Python only
    for the texts of one line that introduce their writer (found with RE2 first)."""
    rows = c["row"].to_numpy()
    one_line = np.unique(rows[~has_body[rows]])
    if not len(one_line):
        return
    heads = head.take(pa.array(one_line))
    intro = pc.match_substring_regex(heads, BODY_OPENS).to_numpy(zero_copy_only=False)
    if not intro.any():
        return
    opens = {}
    for r, text in zip(one_line[intro].tolist(), heads.filter(pa.array(intro)).to_pylist(), strict=True):
        if (m := _INTRODUCTION.search(text, 6)) is not None:
            opens[r] = (text, m.start())
    wanted = np.flatnonzero(np.isin(rows, list(opens)))
    names = c["name"].to_numpy()
    later = [i for i in wanted.tolist()
             if (text_at := opens[rows[i]])[0].find(names[i].replace(_BUILDING, "")) >= text_at[1]]
    c.loc[c.index[later], "part"] = 1


# A school a district code names by its number (B7县二中, C市三中, K7县第一中学, A3区2小): one school of that
# district, where 二中 alone is one in every county. Not 中心, 中年, 中央, 中院 (a court), 中队 … after the numeral.
_NUMBERED_SCHOOL = ("(?P<code>" + _A_ANY_DISTRICT + ")(?P<school>第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})"
                    "(?:中学|小学|中|小))(?:[^心年间央期旬部国医药介标断止考院队级层型等学时]|$)")  # RE2: no lookahead
_SCHOOL_NUMBER = re.compile("第?([一二三四五六七八九十]{1,3}|[0-9]{1,2})([中小])学?")


_SCHOOL_WRITTEN = re.compile("第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})[中小]学?")


def schools_as_keys(text: str) -> str:
    """``text`` with each school written by its number as its key writes it (A7县一中, A7县第一中学 → A7县1中), so
    that whoever holds a school's key can tell whether a text names it."""
    return _SCHOOL_WRITTEN.sub(lambda m: _school_number(m.group(0)) or m.group(0), text)


def _school_number(name: str) -> str | None:
    """``2中`` for 二中, 第二中学, 2中学; ``1小`` for 一小, 第一小学: the one key of a school numbered any way;
    None for any other name."""
    m = _SCHOOL_NUMBER.fullmatch(name)
    return f"{_cn_number(m.group(1))}{m.group(2)}" if m else None


def _numbered_schools(head: pa.Array, name: np.ndarray, level: np.ndarray, found: np.ndarray,
                      district: np.ndarray) -> None:
    """Where a text names no place of its own but a school by its district's code and number (B7县二中违规乱补课),
    that school is its place, keyed by the code (set in place in the arrays of :func:`_extract`).

    Why: messages about 补课 at B7县二中, K7县一中 and C3县十中 had no place, so their shared words made them one
    hot issue of three schools in three counties."""
    rows = np.flatnonzero(found != 0)  # searched in the texts without a named place only
    rows = rows[pc.match_substring_regex(head.take(pa.array(rows)), _NUMBERED_SCHOOL).to_numpy(zero_copy_only=False)]
    if not len(rows):
        return
    for i, m in zip(rows.tolist(), pc.extract_regex(head.take(pa.array(rows)), _NUMBERED_SCHOOL).to_pylist(),
                    strict=True):
        code, school = m.values()
        name[i], level[i], found[i], district[i] = school, 3, 1, code


# A town's school or clinic, named by the town (D10县洪桥镇二中, 青山镇中心小学, 白沙乡卫生院): one institution, the
# town's, where 二中 or 中心小学 alone is one in every county and the town alone is an area of many problems.
_TOWN_INSTITUTION = re.compile(
    f"(?P<code>{_DISTRICT.pattern})(?P<town>[^\\W\\d_A-Za-z乡镇城村区县市省]{{2,4}}?(?:镇|乡|街道))"
    "(?P<kind>第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})(?:中学|小学|中|小)(?![心年间央期旬部国医药介标断止考院队级层型等学时])"
    "|中心小学|中心学校|中心校|中心幼儿园|中学|小学|完小|幼儿园|卫生院)")
_A_TOWN_INSTITUTION = ("(?:镇|乡|街道)(?:第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})(?:中|小)|中心小学|中心学校|中心校|"
                       "中心幼儿园|中学|小学|完小|幼儿园|卫生院)")


def _town_institutions(head: pa.Array, name: np.ndarray, level: np.ndarray, found: np.ndarray,
                       district: np.ndarray) -> dict[int, str]:
    """Where a text names no site of its own (none, a common name, or a town, village or community only) but a town's school or
    clinic right after a district code (:data:`_TOWN_INSTITUTION`: D10县洪桥镇二中), that institution is its place (set in place in the arrays of
    :func:`_extract`); returns the key of each such row: the code, the town and the school's number
    (``D10县洪桥镇2中``) or kind (``青山镇中心小学``), so that two towns' 二中 are two places."""
    open_rows = np.flatnonzero((level <= 1) | (found != 0))  # no site of its own
    hint = open_rows[pc.match_substring_regex(head.take(pa.array(open_rows)), _A_TOWN_INSTITUTION)
                     .to_numpy(zero_copy_only=False)] if len(open_rows) else open_rows
    keys = {}
    for i, text in zip(hint.tolist(), head.take(pa.array(hint, pa.int64())).to_pylist(), strict=True):
        for m in _TOWN_INSTITUTION.finditer(text):  # the code is where the town's name starts
            code, town = m.group("code"), m.group("town")
            kind = m.group("kind")
            name[i], level[i], found[i] = town + kind, 3, 0
            district[i] = code or district[i]
            keys[i] = code + town + (_school_number(kind) or kind)
            break
    return keys


# A school named by a place and its number right after a code (A7县泉塘三小, A7县泉塘第三小学): that place's school.
_NUMBERED_KIND = "第?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})(?:中学|小学|中|小)"
_PLACE_SCHOOL = re.compile(f"(?P<code>{_DISTRICT.pattern})(?P<place>[^\\W\\d_A-Za-z第的在和与及对把被给向从乡镇城村区县市省"
                           f"一二三四五六七八九十]{{2,4}}?)(?P<kind>{_NUMBERED_KIND})(?![心年间央期旬部国医药介标断止考院队级层型等学时])")
_A_PLACE_SCHOOL = f"{_A_ANY_DISTRICT}[^0-9A-Za-z第的在和与及乡镇城村区县市省一二三四五六七八九十]{{2,4}}{_NUMBERED_KIND}"


def _place_schools(title: pa.Array, name: np.ndarray, level: np.ndarray, found: np.ndarray, district: np.ndarray,
                   in_title: np.ndarray) -> dict[int, str]:
    """Where a title names a school by a place and its number right after a code (A7县泉塘三小广播扰民) and no other
    site of its own, that school is the message's place (set in the arrays of :func:`_extract`), keyed by code,
    place and number (``A7县泉塘3小``) however it is written (泉塘第三小学 too); returns the key of each such row.

    Why: 三小 is no place ending, so the title's school was lost to an estate its body names (泉塘三期安置区) and
    the two messages about one school's loudspeakers were apart."""
    hint = np.flatnonzero(pc.match_substring_regex(title, _A_PLACE_SCHOOL).to_numpy(zero_copy_only=False))
    keys = {}
    for i, text in zip(hint.tolist(), title.take(pa.array(hint, pa.int64())).to_pylist(), strict=True):
        m = _PLACE_SCHOOL.search(text)
        if m is None or (in_title[i] and found[i] == 0 and level[i] == 3 and name[i] not in m.group(0)):
            continue  # the title's own site is another (not the school, nor the place it is named by)
        name[i], level[i], found[i], district[i] = m.group("place") + m.group("kind"), 3, 0, m.group("code")
        keys[i] = m.group("code") + m.group("place") + _school_number(m.group("kind"))
    return keys


def _bureaus(frame: pd.DataFrame, bureau: np.ndarray, titles: pa.Array | None) -> pd.DataFrame:
    """``frame`` (candidate places of one part) with its bureaus (``bureau``: names ending in 局) kept only
    where a title is about them (西地省农机局建别墅, 请查处西地省农机局): not one the title asks (请求A6区规划局
    为…, 建议A市规划局…), nor a public service any writer turns to (公安局, 税务局) or a branch of one (分局),
    nor one named only in the body (尊敬的县交通局领导: whom one writes to). A bureau the dictionary does not
    know is a fragment (住建局 → 建局). Kept ones count as named places of the title below its other places,
    with the district code written before them (A3区规划局 and A7县规划局 are two bureaus)."""
    keep = ~bureau
    if titles is not None:
        at = np.flatnonzero(bureau & (frame["common"].to_numpy() == 1))
        names = frame["name"].to_numpy()[at]
        written = map(_bureau_as_written, names, titles.take(pa.array(frame["row"].to_numpy()[at])).to_pylist())
        named = np.array(list(written), dtype=object)
        keep[at] = named != None  # noqa: E711 (elementwise)
        frame = frame.assign(name=frame["name"].to_numpy().copy())
        frame.loc[frame.index[at[keep[at]]], "name"] = named[keep[at]]
    frame = frame[keep].copy()
    frame.loc[bureau[keep], ["common", "neg_level"]] = (0, -1)
    return frame


def _bureau_as_written(name: str, title: str) -> str | None:
    """``name`` with the district code the title writes before it, or None when the title does not name the
    bureau as what it is about (see :func:`_bureaus`)."""
    stem = name[:-1]
    if (opens := _INTRODUCTION.search(title, 6)) is not None:  # a text of one line: its title ends where its body opens
        title = title[:opens.start()]
    if stem.endswith("分") or stem in _GENERIC_QUALIFIERS or (at := title.find(name)) < 0:
        return None
    before = title[:at]
    code = _CODE_BEFORE.search(before)
    if _DISTRICT.sub("", before).endswith(_ASKS):
        return None
    return code.group(0) + name if code else name


_ASKS = ("请", "请求", "建议", "恳请", "希望", "呼吁", "要求", "请问", "咨询", "致", "给", "向", "对")
_CODE_BEFORE = re.compile(r"[A-Z]\d{0,2}[区县镇]$")


def _named_in_title(body: pd.DataFrame, titles: pa.Array, title: pd.DataFrame | None) -> None:
    """Count as the title's the sites of the body that the title writes as they are (五矿万境 in a title that
    names it beside its road, 汇金路五矿万境, with the body's 五矿万境25栋 saying it is an estate): the title
    names them, the body only says what they are. After the title's own places on ties, so only texts whose
    title (candidates ``title``) names no site of its own are read."""
    site = (body["neg_level"].to_numpy() <= -3) & (body["common"].to_numpy() == 0)
    if title is not None:
        own = title["row"].to_numpy()[(title["neg_level"].to_numpy() <= -3) & (title["common"].to_numpy() == 0)]
        site &= ~np.isin(body["row"].to_numpy(), own)
    site = np.flatnonzero(site)
    if not len(site):
        return
    rows = body["row"].to_numpy()[site]
    inside = np.fromiter(map(contains, titles.take(pa.array(rows)).to_pylist(), body["name"].to_numpy()[site]),
                         dtype=bool, count=len(site))
    promoted = body.index[site[inside]]
    body.loc[promoted, "part"] = 0
    body.loc[promoted, "order"] += 1 << 40


# What qualifies a kind of institution without naming one: how many (部分银行) or which public service
# (公安派出所, 社保中心): a district has many of them, and a message names them as whom it asks, not where
# its problem is.
_GENERIC_QUALIFIERS = _words("部分 很多 多家 一些 所有 大部分 各家 各类 相关 公安 交警 税务 社保 医保 公积金 工商 城管 "
                             "国土 住建 人社 民政 环保 卫健 政务 司法 邮政 电信 移动 联通 手机 网上")


# What a district or county has one of (its people's hospital, its railway or bus station, its library): with the
# code, one place (L10县火车站, C3县人民医院), though the dictionary knows the name whole as it knows 麻将馆.
_ONE_OF_A_DISTRICT = re.compile("(?:人民|第[一二三四五六七八九十]人民|中|中医|妇幼保健)医院|(?:火车|高铁|汽车|客运)[东南西北]?站"
                                "|图书馆|博物馆|体育馆")


def _is_generic(name: str) -> bool:
    """A kind of institution qualified by a quantity or a public service (``部分银行``, ``公安派出所``), or
    a kind of place the dictionary knows whole (``麻将馆``, ``便利店``): with a district code it is still no
    one place (``A4区公安派出所`` in a message about the 58车贷 fraud is whom the writer asks)."""
    stem = name[: len(name) - len(_suffix_of(name))]
    return rjieba.has_word(name) or stem in _GENERIC_QUALIFIERS or (bool(stem) and stem[0] in "各多某几")


@functools.lru_cache(maxsize=20_000)
def _all_nouns(stem: str) -> bool:
    """Only nouns (理工, 涉外经济, 中医药; a verbal noun after one: 商贸旅游): a name, not a clause (点开始,
    居民区小学旁)."""
    return all(tag[0] in "nj" or (tag == "vn" and i > 0) for i, (_, tag) in enumerate(rjieba.tag(stem)))


def _find_group(head: str) -> str | None:
    """The group of people a text is about (``车贷受害人``), from its first group word, or None."""
    blanked = _DISTRICT.sub(" ", head)
    for m in _GROUPS.finditer(blanked):
        if _WRITER.search(blanked[max(0, m.start() - 6):m.start()]):
            continue  # 作为一名个体工商户: who writes, not whom the message is about
        trimmed = _trim(m.group(1), "")
        stem = trimmed and _without_quantities(trimmed)
        return (stem if stem and _is_group(stem) and not _is_action(stem, blanked[m.end():m.end() + 8])
                and not _acts_on_people(trimmed, blanked, m.end()) else None)
    return None


# Words that stand before a verb and never before a noun (how, whether, may, must not, at will, on purpose, already,
# often, each other, begin to …), and the aspect particles after one: closed classes, so a word the text writes
# between them is read as a verb whatever the dictionary's tag says (it tags 办理, 体罚, 利用 as nouns).
_BEFORE_VERB = _words("如何 怎么 怎样 怎能 怎么样 能否 可否 是否 可以 不能 不得 不准 不许 不要 不再 不会 不肯 随意 随便 "
                      "相互 互相 开始 "
                      "擅自 私自 肆意 强制 强行 故意 公然 恶意 多次 屡次 反复 经常 一直 正在 已经 曾经 无法 难以 无权 "
                      "不 没 未 已 能 须 必须 应 应该 专门")
_AFTER_VERB = frozenset(["了", "着", "过"])
_BEFORE_VERBS = tuple(sorted(_BEFORE_VERB, key=len, reverse=True))
# Who does something to people: a person or a body, the subject of the verb a group phrase then holds
# (老师体罚学生, 政府补贴大学生, 领导督导教师, 学校利用学生).
_ACTORS = _words("领导 政府 学校 校方 园方 校长 班主任 老板 公司 医院 厂家 商家 开发商 物业 局 附中 附小")


@functools.lru_cache(maxsize=20_000)
def _qualifier_words(stem: str) -> tuple[str, ...]:
    """The words of a group phrase's qualifier: the phrase's cut without the group word's (大学生 holds 学生)."""
    word = next((w for w in GROUP_WORDS if stem.endswith(w)), "")
    cut = rjieba.cut(stem)
    while cut and word:
        word = word[len(cut.pop()):]
    return tuple(cut)


def _acts_on_people(stem: str, head: str, end: int) -> bool:
    """Whether a group phrase (``stem``, ending at ``end`` of ``head``) is a verb and its object: the
    people it names are what someone does something to (如何办理老人…, 老师体罚学生, 学校利用学生做广告,
    政府补贴大学生), not a kind of people (出租车司机, 代课教师, 车贷受害人).

    Read from closed classes of words around the qualifier's last word (two letters or more), not from the
    dictionary's tag for it (which calls 办理, 体罚, 利用 nouns): a verb where the head writes it after a word
    that only verbs follow (:data:`_BEFORE_VERB`: 如何, 擅自, 不 …) or before an aspect particle (了, 着, 过), or
    where the phrase or its qualifier follows whoever acts (:data:`_ACTORS`, a group word: 老师, 学生 …)."""
    cut = _qualifier_words(stem)
    if len(cut) < 1 or len(cut[-1]) < 2:
        return False
    verb = cut[-1]
    start = end - len(stem)
    before = [w for w in rjieba.cut(head[max(0, start - 8):start]) if w.strip()]
    inside = cut[:-1]
    actor = (inside[-1] if inside else before[-1] if before else "")
    if actor and (actor in _ACTORS or actor.endswith(_ACTOR_ENDINGS) or actor.endswith(GROUP_WORDS)):
        return True
    if not inside and before and before[-1] in _BEFORE_VERB:
        return True
    for at in (m.start() for m in re.finditer(re.escape(verb), head)):  # as written anywhere in the head
        if head[at + len(verb):at + len(verb) + 1] in _AFTER_VERB or head[max(0, at - 3):at].endswith(_BEFORE_VERBS):
            return True
    return False


# A word is a verb by the data when at least this many texts, and this share of those that write it, write it as
# one (办理: 227 of 570 texts on the three DEV files, 0.40; of the qualifiers of true groups the most was 毕业,
# 13 of 163, 0.08, and 异地, 4 of 64).
VERB_TEXTS, VERB_SHARE = 3, 0.2


def groups_of_verbs(groups: Iterable[str], texts: pa.Array, places: Iterable[str] = ()) -> set[str]:
    """The ``groups`` (group phrases :func:`extract_places` found, 办理老人) whose qualifier holds a word that
    ``texts`` write as a verb: after a word only verbs follow (:data:`_BEFORE_VERB`) or before 了, in at least
    :data:`VERB_TEXTS` texts and :data:`VERB_SHARE` of the texts that write it; and the ``places`` (keys) that are
    such a word whole before a generic ending (:func:`verb_before_ending`: 甩锅 of 开始甩锅社区).

    Why from the whole input: one message may never write its verb so (A市办理老人公交卡 … 凭身份证即时办理), but
    the messages together do (如何办理, 办理了), and the dictionary's tag calls 办理 a noun. A kind of people's
    qualifier (出租车, 代课, 特岗) is written so in no text or hardly any; a place's name neither (跳马 of 跳马镇 is
    a verb in the dictionary, and no text writes it as one)."""
    words_of = {g: [w for w in _qualifier_words(g) if len(w) >= 2 and w.isalpha()] for g in dict.fromkeys(groups)}
    words_of |= {k: [k] for k in dict.fromkeys(places) if k not in words_of}
    words = sorted({w for ws in words_of.values() for w in ws}, key=len, reverse=True)
    if not words or not len(texts):
        return set()
    alt = "|".join(re.escape(w) for w in words)
    before = "|".join(sorted(_BEFORE_VERB, key=len, reverse=True))
    written, as_verb = _qualifier_texts(texts, alt, before)
    pattern = re.compile(f"(?:{before})({alt})|({alt})了")
    verb_in = Counter()
    for t in as_verb.to_pylist():
        verb_in.update({a or b for a, b in pattern.findall(t)})
    often = [w for w in words if verb_in[w] >= VERB_TEXTS]  # the texts that write these only are counted
    wrote = Counter()
    for t in written.to_pylist() if often else ():
        wrote.update(w for w in often if w in t)
    verbs = {w for w in often if verb_in[w] >= VERB_SHARE * wrote[w]}
    return {g for g, ws in words_of.items() if any(w in verbs for w in ws)}


# Not a verb's tags: adjectives (和谐, 幸福 社区: 不 goes before them as before a verb), names and place words (西山,
# 明江: what most estates are called; each one looked for in every text cost the synthetic corpus's stage 1 CPU-s a
# 100,000 rows)
_NOT_VERB_TAGS = _words("a ad an z s ns nr nrt nrfg nz nt")


_ADMINISTRATIVE = re.compile("[省市区县镇乡村]")  # a code's or a division's letter in a key: a name's (县东长)


def verb_before_ending(name: str, key: str) -> bool:
    """Whether a place written ``name`` (A3区甩锅社区) may be a verb and its object rather than a name: its ``key`` is
    one word as rjieba cuts it (甩锅, a word the dictionary does not know; not an adjective), and the name writes it
    right before a generic ending that the key leaves out (社区, 小区, 公司, 项目 …: a noun that stands alone, the
    object a verb takes: 开始甩锅社区, passing the buck to the community). Whether the word is a verb the input tells
    (:func:`groups_of_verbs`); before a road's or a town's ending (解放路, 跳马镇) a word is a name's."""
    if len(key) < 2 or not any(name.endswith(key + g) for g in _GENERIC) or _ADMINISTRATIVE.search(key):
        return False
    tagged = rjieba.tag(key)
    return len(tagged) == 1 and tagged[0][1] not in _NOT_VERB_TAGS


def _qualifier_texts(texts: pa.Array, alt: str, before: str) -> tuple[pa.Array, pa.Array]:
    """The ``texts`` that write a qualifier word (the alternation ``alt``), and of those the ones that write one
    as a verb (after a word of ``before``, or before 了), in order.

    Why the second from the first: a text that writes a qualifier as a verb writes it, and a few per cent of
    the texts write one (59,440 of 1,018,000 synthetic texts); the verb pattern searched over every text was
    0.50 of the hot-issue stage's serial CPU-s at that size, over those alone 0.03."""
    written = texts.filter(pc.match_substring_regex(texts, f"(?:{alt})"))
    return written, written.filter(pc.match_substring_regex(written, f"(?:{before})(?:{alt})|(?:{alt})了"))


_ACTOR_ENDINGS = ("学校", "中学", "小学", "学院", "大学", "幼儿园", "附中", "附小", "公司", "集团", "医院", "政府", "领导",
                  "局", "厂")


# Tags of a word that is no noun yet passes for a group's qualifier: the dictionary's adjectives (强迫, 方便,
# 尊重 are tagged so, as 年轻 and 合同 are).
_ADJECTIVE_TAGS = _words("a ad an z")


def _is_action(stem: str, after: str) -> bool:
    """Whether a group phrase (``强迫员工``) is an action on people: one adjective-tagged word before the group
    word and a verb or adverb after it, so that the people are the object of the first word and the subject of
    the next (强迫员工加班, 方便学生出行: a pivot, what was done to them) rather than a kind of people
    (合同教师的待遇, 广大学生及家长). A qualifier of a noun is no verb (出租车司机反映); a phrase the dictionary
    knows whole is a group (贫困学生)."""
    word = _group_word(stem)
    qualifier = rjieba.tag(stem[: len(stem) - len(word)])
    if len(qualifier) != 1 or qualifier[0][1] not in _ADJECTIVE_TAGS or rjieba.has_word(stem):
        return False
    following = rjieba.tag(after)
    return bool(following) and (following[0][1][0] == "v" or following[0][1] in ("d", "ad"))


_WRITER = re.compile(r"(?:我是|作为|身为|本人是)(?:一名|一个|一位|名|个)?$")


GROUP_WORDS = tuple(sorted(_GROUPS.pattern.split("(?:")[1].split(")")[0].split("|"), key=len, reverse=True))
_A_GROUP_WORD = "|".join(GROUP_WORDS)
_GROUP_WORD_SET = frozenset(GROUP_WORDS)
_GROUP_WORD_LENGTHS = sorted({len(w) for w in GROUP_WORDS}, reverse=True)


def _group_word(stem: str) -> str:
    """The group word ``stem`` ends with (the longest), or "": looked up by length, not tried word by word."""
    return next((stem[-k:] for k in _GROUP_WORD_LENGTHS if len(stem) >= k and stem[-k:] in _GROUP_WORD_SET), "")
_NOT_IN_GROUP_TAGS = _words("v vn vd d p r m q u uj ul c f t")


# How many people, not which (:func:`_without_quantities`): the dictionary tags these nouns, adjectives or
# idioms (广大, 全体, 近百名).
_QUANTITIES = _words("大量 广大 全体 部分 大部分 众多 很多 许多 所有 个别 少数 多数 大批 一批 一些 多名 数名 近百名 上百名 "
                     "近千名 上千名 近万名 上万名 成千上万 数以万计")


def _without_quantities(stem: str) -> str:
    """A group phrase without the words that say how many of them (煤矿全体职工 → 煤矿职工; 广大投资人 → 投资人,
    a bare group word): a count does not set a group apart."""
    words = rjieba.cut(stem)
    return "".join(w for w in words if w not in _QUANTITIES) if any(w in _QUANTITIES for w in words) else stem


def _is_group(stem: str) -> bool:
    """A group of people named by what sets them apart (``出租车司机``, ``车贷受害人``), not a bare group word
    (``受害人``, ``投资人``, nor ``人员`` that trimming leaves of 退休人员), a kind of place (``小区业主``) or a
    clause (``老板规定司机``)."""
    word = _group_word(stem)
    qualifier = stem[: len(stem) - len(word)]
    if not word or len(qualifier) < 2 or qualifier in _VAGUE_STEMS or _SUFFIX.search(qualifier):
        return False
    tagged = rjieba.tag(qualifier)
    # a qualifier opening on a one-letter noun was cut out of a longer phrase (合作社在 | 岗失业职工)
    if len(tagged[0][0]) == 1 and tagged[0][1] == "n" and len(tagged) > 1:
        return False
    return not any(tag in _NOT_IN_GROUP_TAGS for _, tag in tagged)


def extract_places(texts: Iterable[str]) -> pd.DataFrame:
    """:func:`extract_place` over a partition: columns ``place``, ``place_key``, ``place_kind``, ``district``.

    Per record, so it runs partition by partition; missing values where nothing was found.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    return _extract(texts)[["place", "place_key", "place_kind", "district"]]


def place_columns(frame: pd.DataFrame, glued: bool | None = None) -> pd.DataFrame:
    """:func:`extract_places` of a partition's ``text``, aligned to the partition's index (for ``map``), and
    ``title_end``: where a bare export's title glued to its body ends (:func:`~minsheng.engine.titles
    .glued_title_ends`, 0 for none), given back before the places are found (its title, not the body's first
    place, names the place). ``glued`` is the run's decision whether the titles were glued (taken at ingest,
    :func:`~minsheng.engine.titles.glued_export`); None decides from the partition. The hot stage reads the
    ends back (:func:`~minsheng.engine.titles.with_title_ends`) instead of searching the texts again. Not in
    :func:`extract_places`, whose callers also pass sentences.

    A column of strings goes to Arrow as it is: through a list of Python strings and back it cost a third of a
    second per 100,000 texts."""
    text = frame["text"]
    texts = (pa.array(text.array, pa.large_string()).fill_null("") if isinstance(text.dtype, pd.StringDtype)
             else pa.array(text.fillna("").astype(str).tolist(), pa.large_string()))
    ends = glued_title_ends(texts, glued)
    found = _extract(with_title_ends(texts, ends))[["place", "place_key", "place_kind", "district"]]
    return found.assign(title_end=ends).set_axis(frame.index)


_BEFORE_NAME = re.compile(f"(?:{_DISTRICT.pattern}|[^\u4e00-\u9fa5])?([\u4e00-\u9fa5]{{1,2}})$")
_NAME_TAGS = _words("ns nr nrt nrfg nz nt")


def name_as_written(label: str, texts: Iterable[str]) -> str:
    """``label`` (a place, maybe after its district code) with what every text naming it writes right before
    it, where the extraction cut that off: one letter read as a word of its own (愿 | 景山水印象, 自 | 梦强数码:
    the dictionary knows no word of them), or a two-letter name or time word (未来 | 方舟, 莲湖 | 汽车饰品城,
    where 湖 closed a name of its own: only before a kind of place written in dictionary words).

    Why from the texts: one message cannot tell 莲湖 the lake from 莲湖 the market's name, nor 愿 "to wish"
    from an estate's first letter, while several members all writing 莲湖汽车饰品城 can. So at least two
    texts name it, and what stands before those letters differs between them or is a district code,
    punctuation or the start of the text: letters one writer repeats in all his texts (看云路一师润芳园) are
    not shown to be a name's. Never a function word, a petition verb, nor a code's division letter.

    >>> name_as_written("A5区汽车饰品城", ["A5区的莲湖汽车饰品城脏乱差", "A5区洞井乡楚莲社区莲湖汽车饰品城"])
    'A5区莲湖汽车饰品城'
    """
    code = _DISTRICT.match(label)
    district = code.group(0) if code else ""
    core = label[len(district):]
    stem = place_key(core)  # 景山水印象 of 景山水印象小区: what the members write, with or without 小区
    if len(stem) < 2 or not core.startswith(stem):  # a brand before it (万科魅力之城) is written already
        return label
    naming = [t for t in texts if stem in t]
    if len(naming) < 2:
        return label
    before = [t[max(0, m.start() - 3):m.start()] for t in naming for m in re.finditer(f"(?={re.escape(stem)})", t)]
    common = os.path.commonprefix([b[::-1] for b in before])[::-1]
    bounded = _BEFORE_NAME.search(common)
    if bounded is None or (bounded.group(0) == bounded.group(1) and len(common) > len(bounded.group(1))):
        return label  # nothing common, or more than two letters common to all: where a name starts is unknown
    head = bounded.group(1)
    if any(ch in _NOT_NAME_LETTERS for ch in head) or head in _LEAD_WORDS:
        return label
    if len(head) == 1:
        return district + head + core
    word, tag = rjieba.tag(head)[-1]
    if word != head or (tag not in _NAME_TAGS and tag != "t"):
        return label
    if _suffix_of(head) and not all(rjieba.has_word(w) for w, _ in rjieba.tag(core)):
        return label  # 汇金路 | 五矿万境: a place of its own before a name
    return district + head + core


# Letters that are no name's first: function words, pronouns, prepositions, and the division letters of a code.
_NOT_NAME_LETTERS = frozenset("这该那本此其我你他的了在个请问是和与及对从到把被有无各某等向往于给去省市区县镇乡村")


# Letters that tell places of one name apart (东一路 / 东七路, 汽车南站 / 汽车北站, 星沙一区 / 星沙二区): two
# names that differ by two of them are two places, whatever their messages say.
_ORDINAL_LETTERS = frozenset("0123456789一二三四五六七八九十东南西北中上下前后左右内外新老大小")


def spelling_variant(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` may be one name spelt two ways (金茂路 / 金贸路, 星沙中茂城 / 星沙中贸城, 商铺廊桥 /
    商业廊桥): as long, three letters or more, one letter apart in the name proper (not in the place ending,
    not a code's letter, not two letters that number or orient places: 东一路 / 东七路).

    Never enough alone: 楚府路 and 楚雅路 are two roads. Whoever asks must know the messages agree (they are
    one hot issue), as :func:`minsheng.engine.hot_issues.find_hot_issues` does when it names an issue."""
    if len(a) != len(b) or len(a) < 3 or a == b:
        return False
    apart = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(apart) != 1:
        return False
    at = apart[0]
    ending = max(len(_suffix_of(a)), len(_suffix_of(b)))
    return (at < len(a) - ending and not a[at].isascii() and not b[at].isascii()
            and not (a[at] in _ORDINAL_LETTERS and b[at] in _ORDINAL_LETTERS))


def merge_place_keys(keys: pd.Series) -> pd.Series:
    """Map a key onto the longest shorter key it starts or ends with (``保利西海岸`` → ``西海岸``,
    ``南山十里天池玉佩路`` → ``南山十里天池``).

    Only keys of three or more letters that still name something (two letters before a place suffix: never
    ``幼儿园`` alone) are used; whoever groups by the merged key still decides by the texts which messages
    are one problem (hot issues: :func:`minsheng.engine.hot_issues.find_hot_issues`). Cost is linear in the
    number of distinct keys, so it also tells cheaply whether two clusters name one place or case (the
    digest's suggestions about 伊景园滨河苑 and 滨河苑)::

        >>> merge_place_keys(pd.Series(["伊景园滨河苑", "滨河苑", "丽发新城"])).tolist()
        ['滨河苑', '滨河苑', '丽发新城']
    """
    return _merged(keys, _into_inner_keys)


def _into_inner_keys(names: list[str], counts: np.ndarray) -> dict[str, str]:
    """:func:`merge_place_keys`' rule: each of the distinct ``names`` onto the longest shorter one it starts or
    ends with, followed to the end of the chain."""
    distinct = set(names)
    mapping = {}
    for k in names:
        inner = [k[i:] for i in range(1, len(k) - 2) if not (k[i - 1].isdigit() and k[i].isdigit())]  # not 115路 → 15路
        inner += [k[:j] for j in range(len(k) - 1, 2, -1) if not (k[j - 1].isdigit() and k[j].isdigit())]
        found = [c for c in inner if c in distinct and is_specific(c)]
        if found:
            mapping[k] = max(found, key=len)
    for k in mapping:  # to the end of the chain (工定向商品房伊景园滨河苑 → 房伊景园滨河苑 → … → 滨河苑):
        while mapping[k] in mapping:  # each step is shorter, so it ends
            mapping[k] = mapping[mapping[k]]
    return mapping


def _merged(keys: pd.Series, rule: Callable[[list[str], np.ndarray], dict[str, str]]) -> pd.Series:
    """``keys`` with each distinct key renamed as ``rule`` maps it (given the distinct keys and how many rows
    hold each): one look-up per distinct key, not every row through Python (0.5 s a 200,000 rows); missing
    keys and the dtype as they were. The one way :func:`merge_place_keys`, :func:`merge_inserted_keys` and
    :func:`merge_swapped_keys` apply their rules."""
    code, uniques = pd.factorize(keys)
    names = np.asarray(uniques, dtype=object).tolist()
    mapping = rule(names, np.bincount(code[code >= 0], minlength=len(names))) if names else {}
    if not mapping:
        return keys
    values = np.array([mapping.get(k, k) for k in names] + [None], dtype=object)[code]
    values[code < 0] = keys.to_numpy(dtype=object)[code < 0]
    out = pd.Series(values, index=keys.index, name=keys.name)
    return out.astype(keys.dtype) if isinstance(keys.dtype, pd.StringDtype) else out


_SWAP_MIN = 4  # letters of a key whose neighbours may be swapped: one of three is a name's only (华天路 / 天华路)


def merge_swapped_keys(keys: pd.Series) -> pd.Series:
    """``keys`` with a key that is another with two neighbouring letters swapped (天楚中苑 / 楚天中苑: two writers of
    one estate) as the one more rows have (the first in code order on ties). Letters only (not digits or a code's),
    never the key's last (its ending), keys of :data:`_SWAP_MIN` letters or more (华天路 / 天华路 may be two roads).
    Like :func:`merge_place_keys`, never enough alone: whoever groups by the key decides by the texts.

    Vectorised over the distinct keys (one Arrow pass per position), not a loop over them::

        >>> merge_swapped_keys(pd.Series(["天楚中苑", "楚天中苑", "楚天中苑", "华天路", "天华路"])).tolist()
        ['楚天中苑', '楚天中苑', '楚天中苑', '华天路', '天华路']
    """
    return _merged(keys, _into_unswapped_keys)


def _into_unswapped_keys(names: list[str], counts: np.ndarray) -> dict[str, str]:
    """:func:`merge_swapped_keys`' rule over the distinct ``names`` (``counts``: rows per name)."""
    distinct = pa.array(names, type=pa.string())
    if len(distinct) < 2:
        return {}
    length = pc.utf8_length(distinct).to_numpy(zero_copy_only=False)
    best = np.arange(len(distinct))
    for i in range(int(length.max()) - 2):  # the letters i and i + 1, both before the last
        left, right = pc.utf8_slice_codeunits(distinct, i, i + 1), pc.utf8_slice_codeunits(distinct, i + 1, i + 2)
        swapped = pc.binary_join_element_wise(pc.utf8_slice_codeunits(distinct, 0, i), right, left,
                                              pc.utf8_slice_codeunits(distinct, i + 2), "")
        other = pc.index_in(swapped, value_set=distinct).to_numpy(zero_copy_only=False)
        pair = pc.binary_join_element_wise(left, right, "")  # the two letters swapped: letters, none ASCII
        ok = ((length >= _SWAP_MIN) & (i + 2 < length) & ~np.isnan(other)
              & pc.utf8_is_alpha(pair).to_numpy(zero_copy_only=False)
              & ~pc.match_substring_regex(pair, "[A-Za-z0-9]").to_numpy(zero_copy_only=False))
        rows = np.flatnonzero(ok)
        if len(rows):
            to = other[rows].astype(np.intp)
            better = (counts[to] > counts[best[rows]]) | ((counts[to] == counts[best[rows]]) & (to < best[rows]))
            best[rows[better]] = to[better]
    return {names[i]: names[j] for i, j in enumerate(best.tolist()) if i != j}


_SOUND_MIN = 3  # letters of a key read by sound: two-letter keys are too many names apart


def merge_homophone_keys(keys: pd.Series) -> pd.Series:
    """``keys`` with a key that sounds as another does, letter by letter (黄星大道 / 黄兴大道, 高鑫麓城 / 高心麓城, 蔡娥中路 /
    蔡锷中路: writers type a name by its pinyin and take the first letter offered), as the one more rows have (the
    first in code order on ties). Each letter is read without its tone (an input method asks none) by its first
    reading in pypinyin's table of letters; the key's ending (its place suffix, else its last letter: 路, 站, 园),
    letters that number or orient places (东一路 / 冬一路: :data:`_ORDINAL_LETTERS`), digits and Latin letters stay
    as written; keys of :data:`_SOUND_MIN` letters or more. Like :func:`merge_place_keys`, never enough alone:
    whoever groups by the key decides by the texts which messages are one problem.

    One pass per distinct key (a translation in C), not a comparison of every two::

        >>> merge_homophone_keys(pd.Series(["高心麓城", "高鑫麓城", "高心麓城", "东一路", "冬一路"])).tolist()
        ['高心麓城', '高心麓城', '高心麓城', '东一路', '冬一路']
    """
    return _merged(keys, _into_homophone_keys)


def _into_homophone_keys(names: list[str], counts: np.ndarray) -> dict[str, str]:
    """:func:`merge_homophone_keys`' rule over the distinct ``names`` (``counts``: rows per name)."""
    sounds = _sounds()
    ending = [(_suffix_of(k) or k[-1]) if len(k) >= _SOUND_MIN else None for k in names]
    sound = [None if e is None else k[: len(k) - len(e)].translate(sounds) + "|" + e
             for k, e in zip(names, ending, strict=True)]
    best: dict[str, int] = {}  # per sound, the key more rows have (the first on ties)
    for i, s in enumerate(sound):
        if s is not None and counts[i] > counts[best.setdefault(s, i)]:
            best[s] = i
    return {k: names[best[s]] for k, s in zip(names, sound, strict=True) if s is not None and names[best[s]] != k}


@functools.lru_cache(maxsize=1)
def _sounds() -> dict[int, str]:
    """A translation table: each Chinese letter (not an ordinal one) to a private-use letter per toneless syllable
    (星, 兴 and 腥 to one), from pypinyin's table of single letters (their first reading; ü kept apart from u).

    pypinyin is imported without its phrase table (``PYPINYIN_NO_PHRASES``), which single letters do not read and
    whose load cost 0.6 s; the variable is set for the import only."""
    import unicodedata

    before = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "1"
    try:
        from pypinyin.pinyin_dict import pinyin_dict
    finally:
        if before is None:
            del os.environ["PYPINYIN_NO_PHRASES"]
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = before
    tones = dict.fromkeys(map(ord, "\u0300\u0301\u0304\u030c"))  # grave, acute, macron, caron; not ü's diaeresis
    syllable: dict[str, str] = {}
    table = {}
    for code, readings in pinyin_dict.items():
        if chr(code) in _ORDINAL_LETTERS:
            continue
        toneless = unicodedata.normalize("NFD", readings.split(",")[0]).translate(tones)
        table[code] = syllable.setdefault(toneless, chr(0xE000 + len(syllable)))
    return table


# The tags of a common word that may say which kind of a place a name is (文化 公园, 湿地 公园, 实验 小学, 配套
# 幼儿园): a noun, a verbal noun, an adjective or a state word; not a person's or a place's name (兰亭, 嘉树), a
# numeral (楚雅二医院), an abbreviation (中贸), a direction (附中) or a word the dictionary does not know (泉星).
_KIND_WORD_TAGS = _words("n vn a z")


@functools.lru_cache(maxsize=10_000)
def _kind_word(word: str) -> bool:
    """Whether ``word`` (two letters) is one dictionary word of :data:`_KIND_WORD_TAGS`, no ordinal letter in it
    (泉塘泉星公园: 泉星, a community's name the dictionary does not know, is tagged a noun all the same)."""
    tagged = rjieba.tag(word)
    return (rjieba.has_word(word) and len(tagged) == 1 and tagged[0][1] in _KIND_WORD_TAGS
            and not any(c in _ORDINAL_LETTERS for c in word))


def merge_inserted_keys(keys: pd.Series) -> pd.Series:
    """``keys`` with a key that is another with a common word written before its place ending (星沙文化公园 /
    星沙公园, 洋湖湿地公园 / 洋湖公园, 红太阳实验小学 / 红太阳小学: the word says which kind of park or school the
    name is) as that other key. Only before an ending of two letters or more (公园, 小学, 幼儿园, 市场: before 路 or
    城 a letter tells two roads apart, 营盘东路), the name before the word two letters or more, the word one common
    word of two letters (:func:`_kind_word`: not 楚雅二医院, 颐美兰亭幼儿园), and not a kind of which a district
    has several of one name (人民医院, 中医医院: :data:`_ONE_OF_A_DISTRICT`). Like :func:`merge_place_keys`, never
    enough alone: whoever groups by the key decides by the texts which messages are one problem.

        >>> merge_inserted_keys(pd.Series(["星沙文化公园", "星沙公园", "营盘东路", "营盘路"])).tolist()
        ['星沙公园', '星沙公园', '营盘东路', '营盘路']
    """
    return _merged(keys, _into_shorter_kind_keys)


def _into_shorter_kind_keys(names: list[str], counts: np.ndarray) -> dict[str, str]:
    """:func:`merge_inserted_keys`' rule over the distinct ``names``."""
    distinct = set(names)
    mapping = {}
    for k in names:
        ending = _suffix_of(k)
        at = len(k) - len(ending) - 2  # where the word before the ending starts
        if len(ending) < 2 or at < 2:
            continue
        short, word = k[:at] + ending, k[at:at + 2]
        if (short in distinct and _kind_word(word) and not _ONE_OF_A_DISTRICT.fullmatch(word + ending)
                and not any(c.isascii() for c in word)):
            mapping[k] = short
    return mapping


# A number glued to a kind of thing is part of a name (58车贷, 3号线, 12345热线, 205路, 31栋, 3期, 2中), not a
# quantity (2019年, 3个, 10分钟, 29百, 99平): the word after the digits is a noun of two letters or more in the
# dictionary, not a counted one, or a place suffix or part of a building or a school's number (2中, 1小).
_NUMBERED_PARTS = PLACE_SUFFIXES | frozenset("栋楼期室座中小")
_COUNTED = frozenset(["多人", "余人", "小时", "月份", "年度", "年级", "周岁"])
_CN_NUMERAL = "一二三四五六七八九十"
# What a Chinese numeral numbers when it is a name: a line, a building, a phase, a bus, a school (二中, 十一中学;
# not 其中, 集中: the numeral must come first, and 统一, 之一, 这一 are words).
_CN_NUMBERED_KIND = "号线|号楼|期|栋|路|[中小](?=[学强违收补要的，,。 ]|$)"
_CN_NUMBERED = re.compile(f"(?<![第{_CN_NUMERAL}其集统这那之])([{_CN_NUMERAL}]{{1,3}})(?={_CN_NUMBERED_KIND})")
# Texts where digits run into a word or follow a Chinese one (3号线, 热线12345), or a
# Chinese numeral names a line, a phase, a building, a bus or a school: the cheap test before a text is
# segmented again. Written for both RE2 (pyarrow, on an array) and Python's re (on a list: one text at a time
# costs pyarrow a compile each).
_A_NUMBERED = f"[0-9][A-Za-z\u4e00-\u9fa5]|[\u4e00-\u9fa5][0-9]|[{_CN_NUMERAL}](?:号线|号楼|期|栋|路|中|小)"
_NUMBERED = re.compile(_A_NUMBERED)
_CN_NUMBERED_HINT = re.compile(f"[{_CN_NUMERAL}](?:号线|号楼|期|栋|路|中|小)")  # where _CN_NUMBERED may match
_CN_DIGIT = {c: i for i, c in enumerate("〇" + _CN_NUMERAL[:-1])}


@functools.lru_cache(maxsize=50_000)
def _names_a_kind(word: str) -> bool:
    if len(word) == 1:
        return word in _NUMBERED_PARTS
    tagged = rjieba.tag(word)
    return (len(tagged) == 1 and tagged[0][1][0] == "n" and word.isalpha() and word not in STOP_WORDS
            and word not in _COUNTED)


def _cn_number(numeral: str) -> str:
    """``三`` → ``3``, ``十一`` → ``11``, ``二十三`` → ``23``; the numeral itself when it is no number."""
    if numeral.isdigit():  # written in Arabic digits already (6中, 12小)
        return str(int(numeral))
    tens, _, ones = numeral.rpartition("十")
    if "十" not in numeral:
        return str(_CN_DIGIT[numeral]) if len(numeral) == 1 else numeral
    if len(tens) > 1 or len(ones) > 1:
        return numeral
    return str(10 * (_CN_DIGIT[tens] if tens else 1) + (_CN_DIGIT[ones] if ones else 0))


def arabic(text: str) -> str:
    """Chinese numerals that number a line, a phase, a building, a bus or a school in Arabic digits, so that
    ``地铁三号线`` and ``地铁3号线``, ``二期`` and ``2期``, ``二中`` and ``2中`` are one name (``一路`` alone
    stays: it means "all the way")."""
    if not _CN_NUMBERED_HINT.search(text):  # most texts: a search without the lookbehind tried everywhere
        return text
    return _CN_NUMBERED.sub(lambda m: m.group(0) if m.group(0) == "一" and text[m.end():m.end() + 1] == "路"
                            else _cn_number(m.group(0)), text)


def numbered_names(texts: list[str] | pa.Array) -> tuple[np.ndarray, list[str]]:
    """(text, name) of each name written with a number in ``texts``, in text order: a digit run and the word
    right after it in one clause, as one token (``58车贷``, ``3号线``), or the word before it when no kind of
    thing nor a unit follows (``热线12345`` is ``12345热线``); Chinese numerals in Arabic digits (:func:`arabic`).

    Why: the words alone drop the number (:func:`~minsheng.engine.tokens.is_content_word`): 3号线 and 1号线
    were one word 号线, and the victims of the 58车贷 fraud shared only 车贷, too little to reach a leader (on
    the DEV gold set, 58车贷 came out as three issues and two messages in none). Hot issues and the digest
    compare the name beside its words. Only the texts that pass a cheap regular expression (digits next to a
    letter, a Chinese numeral before a kind of name) are segmented again."""
    empty = (np.empty(0, dtype=np.int64), [])
    if isinstance(texts, pa.Array):
        where = np.flatnonzero(pc.match_substring_regex(texts, _A_NUMBERED).to_numpy(zero_copy_only=False))
        texts = texts.take(pa.array(where)).to_pylist()
    else:
        where = np.fromiter((i for i, t in enumerate(texts) if _NUMBERED.search(t)), np.int64)
        texts = [texts[i] for i in where.tolist()]
    if not texts:
        return empty
    text_of, codes, uniques = segment_batch([arabic(t) for t in texts])
    codes = np.r_[codes, codes[:1]] if len(codes) else codes  # a word after the last one: none is a kind
    number = np.array([u.isdigit() and u.isascii() for u in uniques])
    at = np.flatnonzero(number[codes[:-1]])
    kind = np.zeros(len(uniques), dtype=bool)
    near = np.unique(np.r_[codes[at + 1], codes[np.maximum(at - 1, 0)]])  # only the words next to a number
    kind[near] = [_names_a_kind(u) for u in uniques[near]]
    # 热线12345 is 12345热线: the number after its word, when no kind of thing nor a unit (元, 个) follows
    unit = np.array([len(u) == 1 and u.isalpha() for u in uniques])
    before = (at > 0) & kind[codes[np.maximum(at - 1, 0)]] & ~kind[codes[at + 1]] & ~unit[codes[at + 1]]
    after = kind[codes[at + 1]]
    name_at, word_at = np.r_[at[after], at[before]], np.r_[at[after] + 1, at[before] - 1]
    if not len(name_at):
        return empty
    pair, distinct = pd.factorize(codes[name_at] * len(uniques) + codes[word_at])
    glued = np.array([uniques[p // len(uniques)] + uniques[p % len(uniques)] for p in distinct], dtype=object)
    order = np.argsort(name_at, kind="stable")
    return where[text_of[name_at][order]], glued[pair][order].tolist()


#: Endings of estates, companies, schools and shops that a name written before them has: what
#: :func:`extract_places` may not return (it keeps one place per text, and trims by the dictionary), e.g.
#: 佳兆业水新都小区, 望新公司, 光蓝雍景阁.
_NAME_ENDINGS = ("小区", "公司", "集团", "学校", "中学", "小学", "学院", "医院", "幼儿园", "花园", "广场", "大厦", "公寓",
                 "项目", "楼盘", "市场", "超市", "酒店", "苑", "阁")
_NAME_END = re.compile(f"([\u4e00-\u9fa5A-Za-z0-9]{{2,6}})({'|'.join(_NAME_ENDINGS)})")
#: Characters that open or close the words before a name ending when they are not a name (这个小区, 请问小区).
_NOT_NAME = frozenset("这该那本此其我你他的了在个请问是和与对从到把被有无各某等")
#: Numbered names that are places: a line, a bus, a building, a school (3号线, 276路, 2栋, 2中).
_NUMBERED_PLACE = ("路", "栋", "号线", "号楼", "中", "小", "中学", "小学")
_NUMBERED_PLACE_AT = re.compile(f"[0-9{_CN_NUMERAL}](?:{'|'.join(_NUMBERED_PLACE)})")  # texts worth segmenting


@dataclass(frozen=True)
class NameByEnding:
    """A name found by its ending: ``name`` as written (numbered ones in Arabic digits), and for an unnumbered
    one its ``head`` (the two letters before the ending) and ``ending``: whoever asks decides by them whether
    the name is one place's (新都 + 小区) or words any writer uses (物业 + 公司)."""

    name: str
    head: str = ""
    ending: str = ""


def names_by_ending(text: str) -> list[NameByEnding]:
    """Every name in ``text`` before a place or organisation ending (:data:`_NAME_ENDINGS`) whose two letters
    before the ending are no function word (这个小区, 请问小区 are none), then every numbered line, bus,
    building or school (:func:`numbered_names`: 276路, 2栋, 二中 as 2中)."""
    out = []
    for m in _NAME_END.finditer(text):
        head = m.group(1)[-2:]
        if head[0] not in _NOT_NAME and head[-1] not in _NOT_NAME:
            out.append(NameByEnding(m.group(1) + m.group(2), head, m.group(2)))
    _, names = numbered_names([text]) if _NUMBERED_PLACE_AT.search(text) else (None, [])
    return out + [NameByEnding(n) for n in dict.fromkeys(names) if n.lstrip("0123456789") in _NUMBERED_PLACE]
