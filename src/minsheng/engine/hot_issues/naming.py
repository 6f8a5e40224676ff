"""What an issue is called and how it is described: its ``place_or_group`` (the place most of its messages name,
or the name its titles share: :func:`_shared_name`), how sure that is, and one sentence from the data: the title of
its most central message, what that message asks, and how many people over which months (:func:`_describe`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from itertools import compress, repeat
from operator import contains

import numpy as np
import pandas as pd
import pyarrow as pa
import rjieba

from minsheng.engine.asks import message_ask
from minsheng.engine.hot_issues.districts import _CODE, _DISTRICT_CODE, _LEADING_CODE
from minsheng.engine.masking import SURNAMES
from minsheng.engine.normalise import full_width_punctuation
from minsheng.engine.places import (
    GROUP_WORDS,
    PLACE_SUFFIXES,
    VAGUE_NAMES,
    WATERS,
    arabic,
    is_kind_of_place,
    name_as_written,
    place_key,
    schools_as_keys,
    spelling_variant,
)
from minsheng.engine.sentences import title_and_body
from minsheng.engine.tokens import is_content_word


def _name_and_describe_task(task: tuple[pa.Array, list[tuple]], idf_of: dict[str, float],
                            unseen: float) -> list[tuple]:
    """:func:`_name_and_describe` of a task's issues, each with its members' (start, end) in the task's Arrow
    texts (runs in a worker).

    Why Arrow: the parent turned every described member's text into a Python string and pickled those strings
    to the workers (0.18 of its CPU-s at 200,000 synthetic rows, 158,000 members, with the workers waiting);
    Arrow texts are pickled as their buffers, and each worker makes the strings of its own task."""
    texts, issues = task
    # each issue's strings made as it is named, not the whole task's at once (the worker's share of the peak)
    return _name_and_describe(((issue, places, texts.slice(a, b - a).to_numpy(zero_copy_only=False), *rest)
                               for issue, places, (a, b), *rest in issues), idf_of, unseen)


def _name_and_describe(issues: Iterable[tuple], idf_of: dict[str, float], unseen: float) -> list[tuple]:
    """(issue, place_or_group, place_confidence, description, member_ids) of each issue (runs in a worker).

    Each issue comes as (issue, (the keys and the labels of the places its messages name), their texts,
    likes, their compared vectors or None, people, first and last time, member ids).

    Places are counted by their key, the one messages link by, and the issue is named by the label its
    messages write most for that key: A3区金星路, 金星路 and 金星路佑母塘路 are one road, which counted label
    by label (the district written or not) named the issue in none of four messages. Keys one letter apart
    (:func:`~minsheng.engine.places.spelling_variant`) count as one within an issue, whose messages agree:
    金茂路 and 金贸路, one each, named their issue not at all."""
    out = []
    for issue, (keys, places), texts, likes, X, people, start, end, member_ids in issues:
        written_as, keys = keys, _variants_as_one(keys)
        common = Counter(k for k in keys if isinstance(k, str)).most_common(1)
        # A place names the issue when most of its messages write it, not when one of twenty does, nor when
        # messages joined by their words alone are shown under the estate half of them never name.
        named = (common and (common[0][1] >= 2 or len(texts) == 1)
                 and _written_by_most({a for a, k in set(zip(written_as, keys, strict=True))
                                       if k == common[0][0] or _one_place(a, common[0][0])},
                                      common[0][1], texts))
        written = (Counter(p for k, p in zip(keys, places, strict=True) if k == common[0][0]).most_common(1)[0]
                   if named else None)
        # the place as its members write it (莲湖汽车饰品城 where each message's own place is 汽车饰品城)
        name = name_as_written(written[0], texts) if named else _shared_name(texts, idf_of, unseen)
        # How sure the name is: the share of the issue's messages that name it as written (as their place, or
        # in their title for a shared name); 0 without a name.
        bare = _LEADING_CODE.sub("", name)  # a name found after a code counts with or without it
        sure = (round(written[1] / len(texts), 2) if named else
                round(float(np.mean([bare in t.split("\n", 1)[0] for t in texts])), 2) if name else 0.0)
        out.append((issue, name, sure, _describe(name, texts, likes, X, people, start, end), member_ids))
    return out


_VARIANTS_AMONG = 20
# The share of an issue's messages that must write a place for it to name the issue: most of them.
_NAMED_BY = 0.5


def _one_place(a: str, b: str) -> bool:
    """Whether two keys of one issue write one place: one holds the other (星沙中茂城, 中茂城), or the longer one's
    tail is the other spelt another way (星沙中贸城, 中茂城: :func:`~minsheng.engine.places.spelling_variant`)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and (short in long_ or spelling_variant(short, long_[-len(short):]))


def _swapped(name: str) -> list[str]:
    """``name`` and, for a name of three letters or more, each spelling of it with two neighbouring letters
    swapped (利聚人 / 聚利人: the writers of one fraud typed both), numbers never: a typo as common as one letter
    amiss (:func:`~minsheng.engine.places.spelling_variant`)."""
    forms = [name]
    if len(name) >= 3:
        forms += [name[:i] + name[i + 1] + name[i] + name[i + 2:] for i in range(len(name) - 1)
                  if name[i] != name[i + 1] and not (name[i].isdigit() or name[i + 1].isdigit())]
    return forms


def _written_by_most(keys: set[str], placed: int, texts: np.ndarray) -> bool:
    """Whether most of an issue's messages (more than :data:`_NAMED_BY`) write a place: the ``placed`` members
    whose place it is, or those whose text holds one of its ``keys`` (spellings :func:`_variants_as_one` took as
    one, or with two neighbouring letters swapped; without the district code; a school's number as the text
    writes it, 二中 for 2中), counted over :func:`_centre_sample` of the members."""
    if placed > _NAMED_BY * len(texts):
        return True
    bare = [f for k in keys for f in _swapped(_DISTRICT_CODE.sub("", k, count=1) if _DISTRICT_CODE.match(k) else k)]
    numbered = [b for b in bare if any(c.isdigit() for c in b)]
    sample = [str(texts[i]) for i in _centre_sample(len(texts))]
    wrote = sum(1 for t in sample if any(b in t for b in bare)
                or (numbered and any(b in arabic(t) or b in schools_as_keys(t) for b in numbered)))
    return wrote > _NAMED_BY * len(sample)


def _variants_as_one(keys: np.ndarray) -> np.ndarray:
    """``keys`` with each spelling variant of a key (:func:`~minsheng.engine.places.spelling_variant`) as that
    key, the one more messages write (the first on ties). Among the issue's most written keys only
    (:data:`_VARIANTS_AMONG`): pairs of all of them would cost the square of a large issue's places, and a key
    fewer messages write does not name an issue."""
    counts = Counter(k for k in keys if isinstance(k, str))
    if len(counts) < 2:
        return keys
    ranked = [k for k, _ in counts.most_common(_VARIANTS_AMONG)]
    as_one = {k: next((o for o in ranked[:i] if spelling_variant(o, k)), k) for i, k in enumerate(ranked)}
    return np.array([as_one.get(k, k) if isinstance(k, str) else k for k in keys], dtype=object)


_CENTRE_SAMPLE = 500
# Whether a text asks something (to choose among equally central members): one of these words stands in it.
_ASK_WORD = re.compile(r"要求|希望|建议|请求|恳请|呼吁|盼")


def _centre_sample(n: int) -> np.ndarray:
    """The members an issue's centre is found from: an issue of thousands has its centre as well known from
    500 members spread over it."""
    return np.linspace(0, n - 1, _CENTRE_SAMPLE).astype(int) if n > _CENTRE_SAMPLE else np.arange(n)


def _describe(place: str, texts: np.ndarray, likes: np.ndarray, V, people: int, start, end) -> str:
    """One sentence from the data — the title of the most central message (nearest the members' mean
    vector; among equally central ones, one whose body asks something, then the most liked; the most liked
    when the texts were not compared) — what its body asks (the first sentence with an ask the writer states,
    :func:`~minsheng.engine.asks.message_ask`, as the digest reads asks), then people and months:
    ``A2区丽发新城附近修建搅拌站，噪音和粉尘扰民；诉求：…（41人，2019-11 至 2020-01）``.

    ``V`` holds the compared vectors of the members :func:`_centre_sample` picks (None when some member was
    not compared, or there is only one)."""
    best = int(np.argmax(likes)) if len(texts) else 0
    if V is not None:
        pick = _centre_sample(len(texts))
        centre = np.bincount(V.indices, weights=V.data, minlength=V.shape[1]) / V.shape[0]
        closeness = np.round(V @ centre, 5)
        # equally central (two members always are): the one that asks something, then the most liked
        tied = pick[closeness == closeness.max()]
        # a body after a title line (the texts are as the run reads them: a glued title given back where the run
        # decided the input glued them, :func:`~minsheng.engine.titles.title_ends`): one long line has no title
        asks = np.array([bool(_ASK_WORD.search(str(texts[t]).partition("\n")[2][:400]))
                         for t in tied])
        best = int(tied[np.lexsort((-likes[tied], ~asks))[0]])
    title, body = title_and_body(str(texts[best]))
    if place and not _written_in(place_key(_DISTRICT_CODE.sub("", place)), title):  # 丽发新城小区 is named by 丽发新城社区
        title = f"{place}：{title}"
    ask = message_ask(body, title)
    when = ""
    if pd.notna(start):
        a, b = pd.Timestamp(start).strftime("%Y-%m"), pd.Timestamp(end).strftime("%Y-%m")
        when = f"，{a}" if a == b else f"，{a} 至 {b}"
    return full_width_punctuation(f"{title}{'；诉求：' + ask if ask else ''}（{people}人{when}）")


def _written_in(key: str, title: str) -> bool:
    """Whether ``title`` writes the place ``key``, as it is or spelt one letter apart (金茂路 for the issue's 金贸路:
    :func:`~minsheng.engine.places.spelling_variant`): then the description does not name the place before it."""
    n = len(key)
    return key in title or any(spelling_variant(key, title[i:i + n]) for i in range(len(title) - n + 1))


_NAME_TAGS = frozenset(["nr", "nrt", "nrfg", "ns", "nt", "nz"])
# A dictionary word tagged as the name of a place, an organisation, a brand or a foreign name (九华, 博世) may name an
# issue where a text writes it as one; a Chinese person's name (nr, nrfg) does not: a writer signs with it.
_PLACE_NAME_TAGS = frozenset(["nrt", "ns", "nt", "nz"])
_NOT_FIRST = frozenset("fpdcurvazy")  # first letters of rjieba tags a name does not start with
_LAST = frozenset("ne")  # ... and the tags it ends with: nouns (n, nr, ns, nt, nz …) and Latin words
# A name ends with a name word or with what kind of body it names (湖楚财富, 鑫庆医药), not with a common noun
# glued after it (江山帝景新房, 滨江天著毛坯房).
_KIND_WORDS = frozenset(["公司", "集团", "财富", "医药", "科技", "投资", "平台", "学院", "大学", "学校", "医院", "银行", "中心", "英语", "教育", "培训", "置业", "地产", "物业", "商城", "广场", "市场", "超市", "酒店", "工厂", "项目", "线", "号线", "专线", "高速", "铁路", "大道"])


def _is_name_word(word: str, tag: str) -> bool:
    """A proper name (person, place, organisation, brand), a word the dictionary does not know (invented
    names: 湖楚, 鑫庆), or one with digits (58车贷) — not a common word (补贴, 公积金, 加快)."""
    return tag in _NAME_TAGS or any(ch.isdigit() for ch in word) or not rjieba.has_word(word)


# What a title may share that is no place nor group: a document or licence (驾驶证, 执业许可证, 录取通知书), an app or
# account, a way of paying (扫码).
_NO_PLACE_NOR_GROUP = re.compile(r"(?:证|证书|通知书|文件|执照|许可|app|APP|App|软件|小程序|公众号|账号|扫码)$")


_NAME_SAMPLE = 30  # an issue's texts whose titles are searched for a shared name


def _shared_name(texts: np.ndarray, idf_of: dict[str, float], unseen: float) -> str:
    """The name an issue without a place goes by, found in its titles: the run of one to three words that
    most titles contain and that holds a name word (:func:`_is_name_word`), weighed by its rarest word's
    rarity in the whole input (so ``温斯顿英语`` or ``58车贷``). Empty when there is none: policy advice
    (人才新政补贴, 公积金贷款) has no place or group, and its description says what it is about."""
    # titles as shown (:func:`title_and_body`): a text whose title is glued to its body is otherwise all title,
    # and two messages of one writer share runs of their bodies (甲方所在地人民法院, 多钱) that their titles lack
    sample = texts[:_NAME_SAMPLE]
    titles = [_DISTRICT_CODE.sub(" ", title_and_body(str(t))[0].rstrip("…")) for t in sample]
    need = len(titles) // 2 + 1  # most of them (two of two, three of four)
    # Each distinct title once, with how many times it is written (a fifth of an issue's titles repeat one
    # before them): a repeated title finds no run the first one did not, and a cover counts its copies.
    repeats = Counter(titles)
    distinct, times = list(repeats), list(repeats.values())

    def covered(part: str, pairs: frozenset = frozenset()) -> int:  # the titles holding ``part``: in C, this loop
        exact = sum(compress(times, map(contains, distinct, repeat(part))))  # was the cost
        if exact >= need or not any(part[i:i + 2] in pairs for i in range(len(part) - 1)):
            return exact
        # ... or it with two neighbouring letters swapped (利聚人 / 聚利人: one name typed two ways), where titles
        # write both orders of two of its letters (``pairs``)
        forms = _swapped(part) if len(part) >= 3 else [part, part[::-1]]
        return sum(t for title, t in zip(distinct, times, strict=True) if any(f in title for f in forms))

    tagged_titles = [rjieba.tag(title) for title in distinct]
    best, _ = _best_shared_run(tagged_titles, sample, covered, need, idf_of, unseen)
    # A name most titles write as it is first; only where none is, one they write with two letters swapped (not
    # 万润清江天著 over the 清江天著 both titles write, after 润万 in one and 万润 in the other).
    pairs = frozenset() if best else _swapped_pairs(distinct, times, need)
    if pairs:
        best, _ = _best_shared_run(tagged_titles, sample, partial(covered, pairs=pairs), need, idf_of, unseen,
                                   pairs=pairs)
    if best:  # of its spellings with two letters swapped, as most titles write it, then texts, then letter pairs
        best = max(_swapped(best), key=lambda f: (sum(compress(times, map(contains, distinct, repeat(f)))),
                                                  sum(f in str(t) for t in sample),
                                                  sum(str(t).count(f[i:i + 2]) for t in sample
                                                      for i in range(len(f) - 1)), f == best))
    name = _whole_name(best, tagged_titles) if best else _name_after_code(sample, need)
    return "" if name and is_kind_of_place(name) else name  # 乡镇卫生院 says what, not where: the description does


_NAME_RUN = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]+")


def _letter_after(name: str, tagged_titles: list[list[tuple[str, str]]]) -> bool:
    """Whether some title writes a one-letter word other than a particle, preposition or conjunction right after
    the words of ``name``: the last letter of a longer name the dictionary cut there (彩虹 + 都 of 彩虹都, as 保利大都
    + 汇: :func:`_whole_name`), so ``name`` alone is a fragment of it."""
    for tagged in tagged_titles:
        text, at = "".join(w for w, _ in tagged), 0
        for k, (w, _) in enumerate(tagged):
            at += len(w)
            if text[:at].endswith(name) and k + 1 < len(tagged):
                after, tag = tagged[k + 1]
                if len(after) == 1 and after.isalpha() and not after.isascii() and tag[0] not in "upcyx":
                    return True
    return False


_ENDING_TAGS = frozenset(["n", "ns", "nt", "nz", "nrt", "j"])  # what a name ends with: a noun, not a verbal one (vn)
_FUNCTION_TAGS = frozenset("udpcrfmqxywt")  # what no name holds: particles, pronouns, positions, numbers, times …


def _name_after_code(texts: np.ndarray, need: int) -> str:
    """The name right after a district code that ``need`` of the texts' titles write (M5市开成公馆, G市润景园,
    C4市山枣中学), with that code; empty when there is none.

    Why: a code is followed by what the message is about, and where most titles of an issue write the same
    letters after one, those letters are the name the members share, whatever the tagger makes of them (开成 is a
    verb to it, 润景园 two words, 山枣中学 common words). What follows a code may be a subject too (A市社保卡,
    D8县借教敛财, K7县的煤气罐, A3区山上有人倒垃圾), so the shared letters must read as a name: they end with a
    noun, hold no function word or one-letter verb after their first word, and end with a place's ending or hold
    a word the dictionary does not know or tags as a name (九华); a group of people (A8县教师) is not a place."""
    titles = [title_and_body(str(t))[0].rstrip("…") for t in texts]
    best = ""
    for title in dict.fromkeys(titles):
        for code in _DISTRICT_CODE.finditer(title):
            run = _NAME_RUN.match(title, code.end())
            if not run or _DISTRICT_CODE.match(run.group()):
                continue
            letters, length = run.group(), 0
            while length < len(letters) and sum((letters[:length + 1] in t) for t in titles) >= need:
                length += 1
            words, end, tagged = [], 0, rjieba.tag(letters)
            for k, (w, tag) in enumerate(tagged):
                end += len(w)
                if end > length:
                    break
                words.append((w, tag))
                name = letters[:end]
                if (len(name) > len(best) and _reads_as_a_name(words, texts)
                        and not _letter_after(name, [tagged[:k + 2]])):
                    best = re.match(_CODE, code.group()).group() + name
    return best


def _reads_as_a_name(words: list[tuple[str, str]], texts: np.ndarray) -> bool:
    """Whether the words after a code read as the name of a place or body (:func:`_name_after_code`): a place's
    ending after two letters or more (开成公馆; after common words too, 山枣中学, where they name no division or
    what any county has: 乡镇卫生院, 社区医院), a word the dictionary tags as a place's or body's name (九华), one
    it does not know that some text writes before a place's or body's ending (not 借教 of 借教敛财), or words that
    some text writes so as a whole (润景园 before 小区: a name the dictionary cuts into a verb and a noun)."""
    name = "".join(w for w, _ in words)
    last, last_tag = words[-1]
    if (len(name) < 2 or last_tag not in _ENDING_TAGS or last in GROUP_WORDS or name in VAGUE_NAMES
            or _NO_PLACE_NOR_GROUP.search(name) or words[0][1][0] in _FUNCTION_TAGS
            or (len(words) == 1 and rjieba.has_word(name) and last_tag not in _PLACE_NAME_TAGS
                and not _a_waters_name(name, texts))
            or any(t[0] in _FUNCTION_TAGS or (t[0] == "v" and len(w) == 1) for w, t in words[1:])):
        return False
    ending = next((s for s in sorted(PLACE_SUFFIXES, key=len, reverse=True) if name.endswith(s)), "")
    if len(name) - len(ending) >= 2 and ending:
        return not (is_kind_of_place(name) and _DIVISION_LETTERS.search(name[:-len(ending)]))
    return (any((t in _PLACE_NAME_TAGS and rjieba.has_word(w))
                or (_is_name_word(w, t) and t not in _NAME_TAGS and _placed_in(w, texts, False)) for w, t in words)
            or (len(words) > 1 and _placed_in(name, texts, False)) or _a_waters_name(name, texts))


def _a_waters_name(name: str, texts: np.ndarray) -> bool:
    """Whether a dictionary word of two letters that most titles write right after a code is a lake's or river's
    name (月湖, a common noun to the dictionary): it ends with a water's letter and some text writes it before a
    place's ending (月湖小区), as the area on its shore is named."""
    return len(name) == 2 and name.endswith(WATERS) and _placed_in(name, texts, False)


_DIVISION_LETTERS = re.compile("[省市区县乡镇村社]")  # a stem naming divisions (乡镇卫生院) is a kind of place


def _swapped_pairs(titles: list[str], times: list[int], need: int) -> frozenset[str]:
    """The pairs of neighbouring letters (of names: no digits, no marks) that one title writes in one order and
    another title in the other, in at least ``need`` titles together (each title counted ``times``): the cheap
    test before titles are searched again for names typed two ways."""
    held = [{t[i:i + 2] for i in range(len(t) - 1)} for t in titles]
    union = set().union(*held) if held else set()
    both = [p for p in union if p[0] != p[1] and p[::-1] in union and p.isalpha()]
    return frozenset(p for p in both
                     if sum(n for h, n in zip(held, times, strict=True) if p in h or p[::-1] in h) >= need
                     and any(p in a and p[::-1] in b for i, a in enumerate(held) for j, b in enumerate(held) if i != j))


def _best_shared_run(tagged_titles: list, sample: np.ndarray, covered: Callable[[str], int], need: int,
                     idf_of: dict[str, float], unseen: float,
                     pairs: frozenset[str] | None = None) -> tuple[str, float]:
    """The best run of :func:`_shared_name` (and its score) among the titles' runs of one to three words whose
    ``covered`` reaches ``need`` (and that hold one of ``pairs`` of letters, when given); ("", 0.0) when none
    does."""
    best, best_score = "", 0.0
    seen = set()
    word_cover: dict[str, int] = {}
    for tagged in tagged_titles:
        for w, _ in tagged:
            if w not in word_cover:
                word_cover[w] = covered(w)
        for i in range(len(tagged)):
            if word_cover[tagged[i][0]] < need:
                continue  # a run is in no more titles than each of its words
            for j in range(i + 1, min(i + 4, len(tagged) + 1)):
                if word_cover[tagged[j - 1][0]] < need:
                    break
                run = "".join(w for w, _ in tagged[i:j])
                if run in seen or not run.isalnum() or len(run) < 2 or (
                        pairs is not None and not any(run[k:k + 2] in pairs for k in range(len(run) - 1))):
                    continue
                if i and (tagged[i - 1][1] == "m" or tagged[i - 1][0].isdigit()):
                    continue  # the tail of a numbered name (1号线南) here; another title may write it whole
                seen.add(run)
                last, last_tag = tagged[j - 1]
                if (tagged[i][1][0] in _NOT_FIRST or last_tag[0] not in _LAST or run in VAGUE_NAMES
                        or _not_a_persons_name(last, last_tag)
                        or run in PLACE_SUFFIXES or run in _KIND_WORDS or _NO_PLACE_NOR_GROUP.search(run)
                        or any(t == "v" and len(w) == 1 for w, t in tagged[i + 1:j - 1])
                        or (j == i + 1 and rjieba.has_word(last) and last_tag != "ns"
                            and (last_tag not in _PLACE_NAME_TAGS or _letter_after(last, tagged_titles)))
                        or not (_is_name_word(last, last_tag) or last in _KIND_WORDS or last in PLACE_SUFFIXES
                                or (last in GROUP_WORDS and j > i + 1))
                        or not any(_is_name_word(w, t) for w, t in tagged[i:j] if len(w) > 1)
                        or (j == i + 1 and not _placed_in(last, sample, rjieba.has_word(last)))):
                    # a name, then what it is (湖楚财富, 温斯顿英语, 融圣国际小区, 特岗教师), not a clause (下穿长永, or a
                    # one-letter verb inside: 医生发卫生室), not a document or an app (驾驶证), not one word of
                    # the dictionary other than a place's (卫生室, 彩虹, 公交查询: its name tags are loose), not
                    # the tail of a numbered name (1号线南) nor a word any place could have (普惠) nor
                    # a kind of place alone (幼儿园), nor a place word of the dictionary that the texts never
                    # write as a place or a body's name (上环, 福利, 借教 of 借教敛财: :func:`_placed_in`); the cheap
                    # tests first
                    continue
                rare = [idf_of.get(w, unseen) for w, _ in tagged[i:j] if is_content_word(w)]
                if not rare:
                    continue
                cover = covered(run)
                score = cover * max(rare) + 0.01 * len(run)
                if cover >= need and score > best_score:
                    best, best_score = run, score
    return best, best_score


def _not_a_persons_name(word: str, tag: str) -> bool:
    """Whether a word the tagger calls a person's name (nr, nrfg) of three letters or more starts with no surname:
    a common word it mis-tags (养老金, 通知书, 介绍信), which ends no name of a place or body (国企老工人养老金 is a
    subject). Read at a run's end only: brands and sites it tags so too (步步高超市, 碧桂园小区) are names."""
    return (tag in ("nr", "nrfg") and len(word) >= 3 and word[0] not in SURNAMES
            and word not in PLACE_SUFFIXES and word not in _KIND_WORDS)  # 幼儿园 is tagged so in 普惠性幼儿园


# Where a text writes a word as a place: right after a district or city code (D8县神州), right before a place
# ending (上环路), or after a word that gives an address (位于, 住在).
_ADDRESS_BEFORE = r"(?:[A-Z]\d{0,2}[市区县镇]|西地省|位于|地处|坐落于|座落于|住在|家住)"
_SUFFIX_PATTERN = "|".join(sorted(PLACE_SUFFIXES, key=len, reverse=True))
_KIND_PATTERN = "|".join(sorted(_KIND_WORDS, key=len, reverse=True))


def _placed_in(word: str, texts: np.ndarray, known: bool) -> bool:
    """Whether some text writes ``word`` as a place or a body's name: a place ending or what kind of body it
    names after it (湖楚财富), or for a word the dictionary ``known`` as a place, :data:`_ADDRESS_BEFORE` before
    it (D8县神州; any subject may follow a code: D8县借教敛财).

    Why: the dictionary tags as places words that are mostly something else in these messages (上环, a
    contraceptive ring, is a district of Hong Kong; 福利, 美其名 are tagged so too), and a word it does not
    know may be a verb it lacks (借教敛财) as well as an invented name. A name of a place or company the
    messages are about is written somewhere as one is; a word no text writes so names nothing of theirs."""
    after = f"{re.escape(word)}(?:{_SUFFIX_PATTERN}|{_KIND_PATTERN})"
    pattern = re.compile(f"{_ADDRESS_BEFORE}{re.escape(word)}|{after}" if known else after)
    return any(pattern.search(str(t)) for t in texts)


def _whole_name(name: str, tagged_titles: list[list[tuple[str, str]]]) -> str:
    """``name`` with the one-letter words that follow it in every title that holds it, up to three (保利大都 + 汇,
    天马 + 御都: the dictionary ends an estate's or a brand's name before its last letters, which are no words of
    their own); not a function word, position, number or mark (的, 在, 上, 3), and not where the whole is a
    dictionary word."""
    tails = set()
    for tagged in tagged_titles:
        ends = np.cumsum([len(w) for w, _ in tagged]).tolist()
        title = "".join(w for w, _ in tagged)
        at = title.find(name)
        if at < 0:
            continue
        k = next((k for k, e in enumerate(ends) if e == at + len(name)), None)
        if k is None:
            return name
        tail = ""
        for w, tag in tagged[k + 1:k + 4]:
            if len(w) != 1 or not w.isalpha() or w.isascii() or tag[0] in _NOT_IN_NAME_TAGS:
                break
            tail += w
        tails.add(tail)
    if len(tails) != 1:
        return name
    tail = tails.pop()
    return name + tail if tail and not rjieba.has_word(name + tail) else name


# First letters of rjieba tags of words that do not go on a name: particles, prepositions, conjunctions,
# pronouns, positions, numbers and measures, marks.
_NOT_IN_NAME_TAGS = frozenset("upcrfmqxyew")
