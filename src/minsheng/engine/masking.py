"""Personal-data masking: phones, resident ID numbers, bank cards, e-mail addresses, home addresses and names.

Every later stage and every output sees masked text only, so masking runs inside normalisation.
Numbers are validated before they are masked (ID checksum, Luhn) so that order numbers, dates and
amounts are left alone: a masker that eats every long digit run makes the text useless to analysts.

Masks keep the first and last digits, the way Chinese government sites display them
(``138****5678``, ``4301**********1234``), so a reader still sees that a number was there. A home address is
masked below its building: the unit, floor and room (``10栋1806室`` → ``10栋****室``, ``3栋2单元505`` →
``3栋*单元***``), so the estate and building a complaint is about stay readable (place names and hot issues use
them) while nobody can be found at their door.

A person's full name written after what they are (副局长邓峰其, 办案警官毛浚, 法人范可风, 名叫何伟明), or by a writer
introducing themselves (我叫李建义, 本人黄友秀，女), keeps only its surname (邓**, 毛*) in what the analysis hands on (:func:`mask_names`, applied to every table of a written result:
hot issues, suggestions and their quotes, themes, campaigns), where the role matters, not the person; a name learnt
so anywhere in the records is masked wherever a table writes it (:func:`names_in`: "得到邓峰其的回答"). Not in the
text the analysis reads: a name is a word like any other there, and changing words moves the theme fit; nor in
what the platform shows an officer who must act on a complaint (:func:`mask_as_written`). Every file that
quotes a writer masks through :func:`mask_quoted`; a column kept beside the text (a reply) through :func:`mask_column`.

>>> mask_personal_data("请联系13812345678或邮箱zhang.san@example.com")[0]
'请联系138****5678或邮箱z***@example.com'
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KINDS = ("id_card", "bank_card", "mobile", "landline", "email", "address", "plate")

# Issuer prefixes of cards used in China: UnionPay 62, Visa 4, Mastercard 5, JCB/Amex 3. Order and
# waybill numbers usually start with 1 or 2, so this keeps their 1-in-10 chance of passing Luhn harmless.
_CARD_FIRST_DIGITS = "3456"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_PATTERN = re.compile(
    r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?<![0-9A-Za-z])(?P<digits>\d{15,19}[Xx]?)(?![0-9A-Za-z])"
    r"|(?<![0-9])(?P<mobile>(?:\+?86[- ]?)?1[3-9]\d(?:[-—– ]?\d{4}){2})(?![0-9])"
    r"|(?<![0-9])(?P<landline>(?:\(0\d{2,3}\) ?|（0\d{2,3}）|0\d{2,3}(?:[-—–] ?| ))\d{7,8})(?![0-9])"
)


def is_resident_id(number: str) -> bool:
    """True for an 18-character mainland resident ID number with a valid check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def passes_luhn(number: str) -> bool:
    """Luhn check used by bank card numbers."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _keep_ends(value: str, head: int, tail: int) -> str:
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def _mask_match(match: re.Match, counts: Counter) -> str:
    kind = match.lastgroup
    value = match.group()
    if kind != "email" and set(re.sub(r"\D", "", value)) <= {"0"}:
        return value  # an anonymised placeholder such as 0000-00000000, not a number
    if kind == "email":
        local, _, domain = value.partition("@")
        counts["email"] += 1
        return f"{local[0]}***@{domain}"
    if kind == "digits":
        if is_resident_id(value):
            counts["id_card"] += 1
            return _keep_ends(value, 4, 4)
        if 16 <= len(value) <= 19 and value[0] in _CARD_FIRST_DIGITS and passes_luhn(value):
            counts["bank_card"] += 1
            return _keep_ends(value, 4, 4)
        return value  # an order number, a serial: not personal data
    if kind == "mobile":
        digits = re.sub(r"\D", "", value)[-11:]
        counts["mobile"] += 1
        return digits[:3] + "****" + digits[-4:]
    counts["landline"] += 1
    if value.startswith("("):  # the area code in brackets is kept whole: (0734)8123456 lost its ")"
        return value[:value.index(")") + 1] + "****" + value[-4:]
    return _keep_ends(value, len(value) - 8, 4) if len(value) > 8 else "*" * len(value)


# Runs of characters that could hold a number or an address. Most of a Chinese text is not such a run,
# so the full pattern (slow: many alternatives tried at every position) only sees these short spans: six
# characters or more, the shortest e-mail address (a@b.cn), opening with anything a number or an address opens
# with (_a@b.cn too, else its mask would show two letters).
_CANDIDATE = re.compile(r"[0-9A-Za-z(+._%\-][0-9A-Za-z@._%+()\-—– ]{5,}")


# A home address below its building: after a building's number (10栋, 5号楼, 3座), a unit and floor at most and
# a room number of two to four digits (with 室, 房, 号房 or nothing after it); not a year, an amount or a count of
# floors (10栋2018年, 6栋24层).
# The building's own digit is checked in _mask_room: a pattern that opens with the building word is scanned three
# times faster than one behind a look-behind.
_ROOM = re.compile(r"(?P<building>栋|幢|号楼|座)"
                   r"(?P<room>(?:\s*[0-9]{1,2}\s*单元)?(?:\s*[0-9]{1,2}\s*[楼层])?\s*[0-9]{2,4}(?:\s*(?:号房|号|室|房))?)"
                   r"(?![0-9]|年|月|日|元|万|个|户|人|平|米|岁|天|次|辆|栋|幢|号楼|层|楼)")


# What numbers a building: digits, a Chinese numeral (二栋2单元3306室) or a letter (G1栋, B栋1203), a space
# allowed before the building word (5 栋201 房).
_BUILDING_NUMBER = frozenset("0123456789一二三四五六七八九十ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _mask_room(match: re.Match, counts: Counter) -> str:
    at = match.start() - 1
    if at > 0 and match.string[at] == " ":
        at -= 1
    if at < 0 or match.string[at] not in _BUILDING_NUMBER:
        return match.group()  # 座 of 讲座, 栋 of 栋梁: no building's number before it
    counts["address"] += 1
    return match.group("building") + re.sub(r"[0-9]", "*", match.group("room"))


# A flat written with dashes, the building first (3-2-501, 2-1-2单元1916, 1-23-1-602, a33-1-601; 7-104, 35-1507):
# a unit, a floor or a phase of one or two digits each and a room of three or four, or a building and a room whose
# last two digits number a door on a floor (01 to 39). Not a range (100-200, 80-100分贝, 3-400的物业费), a date
# (2019-6-12, 2016-01-04), a standard (CJJ27-2005, GB3096—2008, cjj/t47-2016: no room after a dash is a year), nor buildings listed (7-9-10栋, 105-106-107).
_DASH = r"\s*[-—–]\s*"
_DASHED_ROOM = re.compile(
    r"(?<![0-9A-Za-z.\-—–])(?P<building>[A-Za-z]?[0-9]{1,3})"
    rf"(?P<room>(?:{_DASH}[0-9]{{1,2}}){{1,3}}(?:{_DASH}|\s*单元\s*)[0-9]{{3,4}}"
    rf"|(?<![0-9]{{3}}){_DASH}(?!19[0-9]{{2}}|20[0-9]{{2}})[0-9]{{1,2}}(?:0[1-9]|[123][0-9]))"
    r"(?![0-9.]|\s*[-—–]\s*[0-9]|\s*[年月日时点元角万千百个人平米岁天次辆分秒度吨斤克期届级页条款项名套户家张只头台件份周倍班路伏%])")


def _mask_dashed_room(match: re.Match, counts: Counter) -> str:
    counts["address"] += 1
    return match.group("building") + re.sub(r"[0-9]", "*", match.group("room"))


# A vehicle's plate: a province's letter and the city's, then five letters and digits, or six on a new-energy plate
# (湘A12345, 湘A·1234X, 粤BD12345), at least three of them digits (川A and a word in English is no plate). The
# province and city are kept, the rest masked (湘A*****): a place, not a car. Any Chinese letter may stand for the
# province: data anonymised for release writes one that is no province's today (teddy2020's 楚A12345), and an old
# or a foreign plate another; one not listed in :data:`_PROVINCES` is a province's only as :func:`_stands_for_a_place`
# decides.
_PROVINCES = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
# The pattern opens with the city's letter, the province's looked behind at: a pattern that opens with any Chinese
# letter is tried at nearly every position (masking took twice the CPU), one that opens with a Latin letter is
# scanned for its first letter at C speed.
_PLATE = re.compile(r"(?P<city>[A-Za-z])(?<=[\u4e00-\u9fa5][A-Za-z])"
                    r"(?P<sep>[·•.\- ]?)(?P<rest>[0-9A-Za-z]{5,6})(?![0-9A-Za-z])")


def _stands_for_a_place(match: re.Match) -> bool:
    """Whether the Chinese letter before a plate-like code, a province's letter not listed, stands for a place: the
    tagger reads it alone as a place, an abbreviation or a name (楚, 秦 and 鲁 are surnames too), it ends no word with
    the letter before it (型号hro7558, 国道g354, 采用dn200pe, 人员CG0027, 规范gb50016) and no dash and number follow
    the code (标准gb3096-2008, 型号ztd100b-809: a standard's year, a model's variant). On the 20,058 distinct texts of
    teddy2020 the rule finds the 74 plates of 楚 and refuses the 19 codes of the same shape: standards, model
    numbers, a pipe, a road (经G0401A市: 经 is no place to the tagger), a staff number (docs/security.md, h-qa11)."""
    import rjieba  # here: most texts hold no plate of an unlisted letter

    at, text = match.start() - 1, match.string  # the province's letter, before the match
    letter = text[at]
    if re.match(r"\s*[-—–]\s*[0-9]", text[match.end():match.end() + 3]):
        return False
    if at > 0 and rjieba.has_word(text[at - 1:at + 1]):
        return False
    return rjieba.tag(letter)[0][1] in ("ns", "j", "nr")


def _mask_plate(match: re.Match, counts: Counter) -> str:
    if sum(c.isdigit() for c in match.group("rest")) < 3:
        return match.group()
    if match.string[match.start() - 1] not in _PROVINCES and not _stands_for_a_place(match):
        return match.group()
    counts["plate"] += 1
    return match.group("city") + match.group("sep") + "*" * len(match.group("rest"))


# The masks of addresses and plates, each found in the text after numbers were masked; a flat with dashes only
# near a dash, the dashes found by str.find (a pattern that opens with a look-behind and a digit is tried at every
# position: 2.2 CPU-s more per 200,000 texts; a pattern of the three dashes, 0.2). A room and a plate only where
# one can start: at a building's word (栋, 幢, 座, 号 of 号楼) and at a Latin letter, those positions found by one
# table lookup over the text's code points (:func:`_starts`). Python's re tests the opening character class at
# every position: the two scans were 0.29 of masking's 0.44 CPU-s per 200,000 bench texts.
_DASHES = ("-", "—", "–")
_AT_BUILDING, _AT_LETTER = 1, 2
_ROOM_REACH = 8  # a building's number and the spaces before its first dash (a33 - 1-601)


@functools.cache
def _start_table() -> np.ndarray:
    table = np.zeros(0x110000, dtype=np.uint8)
    table[[ord(c) for c in "栋幢座号"]] = _AT_BUILDING
    table[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]] = _AT_LETTER
    return table


def _starts(text: str) -> dict[int, list[int]]:
    """The positions in ``text`` where a room (:data:`_AT_BUILDING`) or a plate (:data:`_AT_LETTER`) may start.
    The place masks keep a text's length and these characters, so the positions hold through all of them."""
    kinds = _start_table()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    at = np.flatnonzero(kinds != 0)  # a bool array's nonzero: ten times a uint8 array's
    return {kind: at[kinds[at] == kind].tolist() for kind in (_AT_BUILDING, _AT_LETTER)}


def _found(text: str, letter: str) -> Iterator[int]:
    at = text.find(letter)
    while at >= 0:
        yield at
        at = text.find(letter, at + 1)


def _matches_at(pattern: re.Pattern, text: str, positions: list[int]) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose every match starts at one of ``positions`` (ascending, a
    kind of :func:`_starts`): tried there only, in order and not overlapping."""
    last = 0
    for at in positions:
        match = pattern.match(text, at) if at >= last else None
        if match is not None:
            last = match.end()
            yield match


def _matches_near(pattern: re.Pattern, text: str, letters: tuple[str, ...]) -> Iterator[re.Match]:
    """``pattern.finditer(text)``'s matches that start at most :data:`_ROOM_REACH` letters before one of
    ``letters`` and reach it, in order and not overlapping: searched only around those letters."""
    last = 0
    for at in sorted(at for letter in letters for at in _found(text, letter)):
        if at < last:
            continue
        match = pattern.search(text, max(last, at - _ROOM_REACH), at + 48)
        if match is not None and match.start() <= at:
            last = match.end()
            yield match


def _rooms(text: str, starts: dict[int, list[int]]) -> Iterator[re.Match]:
    return _matches_at(_ROOM, text, starts[_AT_BUILDING])


def _dashed_rooms(text: str, starts: dict[int, list[int]]) -> Iterator[re.Match]:
    return _matches_near(_DASHED_ROOM, text, _DASHES)


def _plates(text: str, starts: dict[int, list[int]]) -> Iterator[re.Match]:
    return _matches_at(_PLATE, text, starts[_AT_LETTER])


# Each place mask: where its matches are found in a text (given the text's :func:`_starts`), how one is masked.
_PLACE_MASKS = ((_rooms, _mask_room), (_dashed_rooms, _mask_dashed_room), (_plates, _mask_plate))


def _sub(matches, mask, text: str, counts: Counter, starts: dict[int, list[int]]) -> str:
    pieces, last = [], 0
    for match in matches(text, starts):
        pieces += [text[last:match.start()], mask(match, counts)]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


# What a person is, written before their full name: a post, a role in a case, or "named". A surname follows.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
             "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤邢翟")
# A writer introducing themselves names themselves: after 我叫, 姓名 or 联系人 a name stands whatever the
# dictionary says of it (杨俊, 李建义 are words there; after 名叫 or 名为 an estate or a shop may stand); after 本人 or 我是 only a name the sentence then leaves
# (本人黄友秀，女; 我是何珣，男), not a place or a firm (我是曹家镇卢家村村民, 本人曾多次).
_WHAT_A_PERSON_IS = (r"(?:局长|书记|主任|经理|科长|所长|队长|院长|校长|行长|站长|组长|村长|支书|董事长|总经理|"
                     r"警官|民警|律师|医生|法人代表|法人|负责人|股东|监事|老板|实际控制人|名叫|叫做|名为|"
                     r"(?P<said>联系人|真实名字|姓名|我叫|署名|落款)|(?P<self>本人|我是))")
_BEFORE_NAME = re.compile(_WHAT_A_PERSON_IS + rf"[：:“\"]?\s*(?=[{SURNAMES}])")
_NAME_ENDS = frozenset("，,、。；;（(：:男女 ")
# What a writer goes on with after naming themselves (本人唐明新举报…, 本人彭齐成是…, 本人李召于2012年…), besides
# :data:`_NAME_ENDS`; and the last letters of a place, not a name (我是金陵镇（原莲花乡）…).
_OWN_NAME_NEXT = frozenset("是系和与于")
_OWN_NAME_NEXT_WORDS = frozenset(("举报", "实名", "反映", "投诉", "现年", "今年", "家住", "现住", "住在", "出生", "身份",
                                  "性别", "联系"))
_PLACE_ENDS = frozenset("镇乡村县市区省州路街湾苑园厂店司校院")
_NOT_IN_OWN_NAME = frozenset("的了我你您他她们")


#: The same in RE2 (no look-ahead), to find the few texts worth reading in Python.
_TITLE_THEN_SURNAME = _BEFORE_NAME.pattern.replace(rf"(?=[{SURNAMES}])", rf"[{SURNAMES}]")
_NOT_IN_NAME = frozenset("的了在是和与说将把被于等及也都就还又其他她们我你对向从到给让已曾")


def _titled_names(text: str) -> Iterator[tuple[int, str]]:
    """(position, name) of each full name after what the person is (:data:`_BEFORE_NAME`): the first word there,
    when it starts with a surname, has two or three letters and is no word of the dictionary (钱财, 陈述, 方面 and
    李经理 are; 邓峰其, 何伟明 are not)."""
    import rjieba  # here: the platform imports this module at start-up and masks no names there

    for match in _BEFORE_NAME.finditer(text):
        if match.group("said"):
            run = re.match(r"[\u4e00-\u9fa5]{2,3}", text[match.end():match.end() + 3])
            if run and "某" not in run.group():
                yield match.end(), run.group()
            continue
        if match.group("self"):
            name = _own_name(text, match.end())
            if name:
                yield match.end(), name
            continue
        words = rjieba.cut(text[match.end():match.end() + 8]) + ["", ""]
        name, following = words[0], words[1]
        if len(name) == 4 and not rjieba.has_word(name):
            name = name[:3]  # 范可风于: a name glued to the particle after it
        elif len(name) == 2 and len(following) == 1 and "\u4e00" <= following <= "\u9fa5" and following not in _NOT_IN_NAME:
            name += following  # 梁国|建: the dictionary's word was the name's first two letters
        if 2 <= len(name) <= 3 and all("\u4e00" <= c <= "\u9fa5" for c in name) and not rjieba.has_word(name):
            yield match.end(), name


def _own_name(text: str, at: int) -> str | None:
    """The name a writer gives themselves at ``at``, after 本人 or 我是: three letters, else two, from a surname,
    followed by what ends a name (本人杨俊，; 我是何珣，男) or by what a writer goes on with (本人唐明新举报…,
    本人李召于2012年…), decided by the letters around it and not by the dictionary, whose words many names are
    (杨俊, 桂花); but not a word of the dictionary that is no name (本人曾多次与…, 我是程序员，), nor after a
    one-letter word that is no surname there (本人向您反映…, 本人于…, 本人任大队…), nor a place (我是金陵镇（…) or 某."""
    import rjieba

    for size in (3, 2):
        name, after = text[at:at + size], text[at + size:at + size + 2]
        if (len(name) < size or not all("\u4e00" <= c <= "\u9fa5" for c in name) or "某" in name
                or name[-1] in _PLACE_ENDS or any(c in _NOT_IN_OWN_NAME for c in name[1:])):
            continue
        if not (after[:1] in _NAME_ENDS or after[:1] in _OWN_NAME_NEXT or after in _OWN_NAME_NEXT_WORDS):
            continue
        if rjieba.has_word(name) and not rjieba.tag(name)[0][1].startswith("nr"):
            continue
        first, kind = rjieba.tag(text[at:at + 8])[0]
        if len(first) == 1 and kind[:1] in ("p", "d", "v", "c", "r", "u"):
            continue
        return name
    return _name_running_on(text, at)


def _name_running_on(text: str, at: int) -> str | None:
    """A writer's own name that runs straight into what they go on to say (本人刘龙继任现场技术总工, 我是王向龙不喜欢…,
    本人李明华因工作调动): the tagger's first word is a person's name of two or three letters and the next a verb, a
    preposition or an adverb, as a sentence goes on after its subject. Not a place the tagger takes for a name: a
    noun follows one (我是罗涵庄村民, 我是龙腾大厦业主), or 都, which ends as many places as it starts clauses
    (我是金澎名都的住户); nor one whose last letter ends a place (我是金陵镇). On 20,058 teddy2020 texts it finds
    the two names above and nothing else the listed followers left (17 places and 某 the tagger called names)."""
    import rjieba

    tags = rjieba.tag(text[at:at + 10]) + [("", ""), ("", "")]
    if len(tags[0][0]) == 1 and tags[0][1] == "nr" and 1 <= len(tags[1][0]) <= 2 and tags[1][1] != "x":
        tags = [(tags[0][0] + tags[1][0], "nr")] + tags[2:]  # 周|建国|已经: a given name the tagger read as a word
    (name, kind), (following, next_kind) = tags[0], tags[1]
    if (kind == "nr" and 2 <= len(name) <= 3 and name[-1] not in _PLACE_ENDS and "某" not in name
            and not any(c in _NOT_IN_OWN_NAME for c in name[1:])
            and next_kind[:1] in ("v", "p", "d") and following != "都"):
        return name
    return None


def names_in(texts: pd.Series) -> frozenset[str]:
    """The full names written after what a person is anywhere in ``texts`` (:func:`_titled_names`), to be masked
    wherever else they stand ("得到邓峰其的回答" names no post). A two-letter name always followed by the same
    letter in ``texts``, at least twice, takes it as its third (邓峰|其: 其 is read as a pronoun after one
    name alone): a name is written the same way each time.

    Only the texts where a post stands before a surname are read in Python (an RE2 scan first: 0.6 CPU-s per
    million texts), and for the letters after a name only the texts that hold one."""
    texts = pa.array(texts, type=pa.large_string(), from_pandas=True)
    titled = texts.filter(pc.match_substring_regex(texts, _TITLE_THEN_SURNAME).fill_null(False))
    names = {name for text in titled.to_pylist() for _, name in _titled_names(text) if "某" not in name}  # 李某: anonymous
    short = _known(frozenset(n for n in names if len(n) == 2))
    if short is not None:
        holding = texts.filter(pc.match_substring_regex(texts, short.pattern).fill_null(False)).to_pylist()
        after: dict[str, list[str]] = {}
        for text in holding:
            for m in short.finditer(text):
                after.setdefault(m.group(), []).append(text[m.end():m.end() + 1])
        names |= {n + c[0] for n, c in after.items()
                  if len(c) >= 2 and len(set(c)) == 1 and "\u4e00" <= c[0] <= "\u9fa5"}
    return frozenset(names)


@functools.lru_cache(maxsize=8)
def _known(names: frozenset[str]) -> re.Pattern | None:
    """One pattern for ``names``, the longest first (邓峰其 before 邓峰)."""
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True)))) if names else None


def mask_name(name: str) -> str:
    """A person's name, the surname kept: what an export holds where a list needs someone told apart.

    >>> mask_name("邓峰其"), mask_name("李奶奶"), mask_name("")
    ('邓**', '李**', '')
    """
    return name[:1] + "*" * (len(name) - 1)


# What a phone plan dials (the number alone, spaces, dashes and brackets read away): a mainland mobile (1[3-9] and
# nine digits, +86 or 0086 before it or not) or a landline with its area code (010, 02x, or four digits from 03xx)
# and a local number that starts 2-9, an extension after a dash. Not any run of digits: a platform's user id of
# seven or more digits is no number anyone can call, and was taken for one (accepted as a contact, masked as a phone).
_PHONE_PLAN = re.compile(r"(?:(?:\+|00)86-?)?1[3-9]\d-?\d{4}-?\d{4}|0(?:10|2\d|[3-9]\d{2})-?[2-9]\d{6,7}(?:-\d{1,6})?")
_PHONE_READ_AWAY = str.maketrans({" ": None, "\u3000": None, "(": None, ")": None, "（": None, "）": None,
                                  "—": "-", "–": "-", "－": "-"})


def is_phone(value: str) -> bool:
    """Whether ``value`` is a number a phone plan dials: a mainland mobile or a landline with its area code.

    >>> [is_phone(v) for v in ("138 1234 5678", "+86 138-1234-5678", "(0734)8123456", "010-81234567-12")]
    [True, True, True, True]
    >>> [is_phone(v) for v in ("12345678", "100234567", "10023456789", "8123456", "2020123456789", "")]
    [False, False, False, False, False, False]
    """
    return _PHONE_PLAN.fullmatch(value.strip().translate(_PHONE_READ_AWAY)) is not None


def mask_phone(number: str) -> str:
    """A value known to be a phone number (a form's field), masked as :func:`mask_as_written` masks one in a
    text; one it does not find there (a landline typed without its dash) keeps its first three and last four digits.
    It masks whatever the field holds, phone plan or not (:func:`is_phone` decides what may be dialled, not what may
    be shown): a field's value is someone's number whatever its shape, and a rule stricter than the field's own
    validator showed 07341234567 in full.

    >>> mask_phone("13812345678"), mask_phone("0734-8123456"), mask_phone("07348123456"), mask_phone("")
    ('138****5678', '0734****3456', '073****3456', '')
    >>> mask_phone("07341234567"), mask_phone("01012345678"), mask_phone("8123456")
    ('073****4567', '010****5678', '*******')
    """
    masked, counts = mask_as_written(number)
    if counts or not number:
        return masked
    digits = re.sub(r"\D", "", number)
    return _keep_ends(digits, 3, 4) if len(digits) > 7 else "*" * len(digits)


def mask_names(text: str, known: frozenset[str] = frozenset()) -> tuple[str, int]:
    """``text`` with the full names after what the person is (:func:`_titled_names`), and the ``known`` names
    (:func:`names_in`) wherever they stand, masked but their surname, and how many.

    >>> mask_names("报案时，副局长邓峰其，经侦毛均不受理")
    ('报案时，副局长邓*其，经侦毛均不受理', 1)
    >>> mask_names("得到邓峰其的回答", frozenset({"邓峰", "邓峰其"}))
    ('得到邓**的回答', 1)
    """
    spans = [(at, at + len(name)) for at, name in _titled_names(text)]
    pattern = _known(known)
    if pattern is not None:
        spans += [m.span() for m in pattern.finditer(text)]
    pieces, last, count = [], 0, 0
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < last:
            continue  # a known name where a post's name was masked already
        count += 1
        pieces += [text[last:start], mask_name(text[start:end])]
        last = end
    pieces.append(text[last:])
    return "".join(pieces), count


def mask_names_frame(frame: pd.DataFrame, known: frozenset[str] = frozenset()) -> tuple[pd.DataFrame, Counter]:
    """``frame`` with :func:`mask_names` and :func:`mask_doors` applied to every text cell (other columns
    untouched), and how many names and doors were masked."""
    out, counts = frame.copy(), Counter()
    pattern = _known(known)
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            hit, maybe = np.zeros(len(column), dtype=bool), np.flatnonzero(_may_mask(column, pattern))
            hit[maybe] = [isinstance(v, str) and (_BEFORE_NAME.search(v) is not None or (
                pattern is not None and pattern.search(v) is not None) or _DOOR_HINT.search(v) is not None)
                for v in column.iloc[maybe]]
            if hit.any():
                masked = []
                for value in column[hit]:
                    value, names = mask_names(value, known)
                    value, doors = mask_doors(value)
                    counts.update(names=names, doors=doors)
                    masked.append(value)
                out.loc[hit, name] = masked
    return out, counts


def _may_mask(column: pd.Series, known: re.Pattern | None) -> np.ndarray:
    """Which cells of ``column`` the Python patterns of :func:`mask_names_frame` need to read: those holding what
    a person is (:data:`_BEFORE_NAME` without what follows it), a known name, or 号 (:data:`_DOOR_HINT`), found by
    one RE2 scan of the column; every cell when the column is not all text.

    Why: at a million records the tables' member lists (hot issues, suggestions: 28 MB of ids) were read cell by
    cell by three Python patterns, 2.3 of the 4.7 CPU-s of writing the result, serial at the run's end. Each RE2
    pattern here finds a superset of its Python one, so the cells masked are the same."""
    try:
        values = pa.array(column, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or lists among the texts: read each cell in Python
        return np.ones(len(column), dtype=bool)
    maybe = pc.or_(pc.match_substring_regex(values, _WHAT_A_PERSON_IS), pc.match_substring(values, "号"))
    if known is not None:
        maybe = pc.or_(maybe, pc.match_substring_regex(values, known.pattern))
    return maybe.fill_null(False).to_numpy(zero_copy_only=False)


# A door's number on a road, a lane or in a village's group (韶山路123号, 解放西路12-3号, 潇湘村5组17号): with the
# road's name it finds a home as surely as a flat's room, but a road and its number also make the places the
# analysis finds, so it is masked like a name: in what is handed on (tables, exports, reports), not in the text
# the analysis reads nor in what an officer who must go there is shown. Not a line, a building, a decree or a
# document (3号线, 3号楼, 第12号令, 12号文), and not a date (12月3号: no road before it).
_DOOR = re.compile(r"(?:(?<=[路街巷弄道村组])|(?<=胡同))[0-9]{1,4}(?:-[0-9]{1,4})?(?=\s*号(?!线|楼|令|文|窗))")
_DOOR_HINT = re.compile(r"[0-9０-９]\s*号")


_MASKED = re.compile(r"[A-Za-z0-9]*\*+[A-Za-z0-9*]*")  # a mask with the letters and digits kept beside it


def some_for_masks(line: str) -> str:
    """``line`` with 某 for each masked detail, for a line that stands for many writers (a suggestion's headline):
    "陡岭支路**号" → "陡岭支路某号", "王**" → "王某", "楚M*****号车" → "楚某号车", "138****5678" → "某". The
    masks' stars say a number was there to one who reads a letter; a headline with them read "31栋***麻将馆扰民不
    止", and 某 is how a detail left out on purpose is written.

    >>> some_for_masks("A4区陡岭支路**号金属包装厂内违章建筑盼拆除")
    'A4区陡岭支路某号金属包装厂内违章建筑盼拆除'
    """
    return re.sub("某{2,}", "某", _MASKED.sub("某", line)) if "*" in line else line


def mask_doors(text: str) -> tuple[str, int]:
    """``text`` with the digits of a door's number on a road masked, full-width digits too, and how many.

    >>> mask_doors("家住韶山路123号，门口积水")
    ('家住韶山路***号，门口积水', 1)
    """
    if _DOOR_HINT.search(text) is None:  # no digit before 号, folded or not: no door (a tenth of the time)
        return text, 0
    pieces, last = [], 0
    for match in _DOOR.finditer(text.translate(_FOLD)):  # one character for one: positions line up
        pieces += [text[last:match.start()], re.sub(r"[0-9]", "*", match.group())]
        last = match.end()
    return "".join(pieces) + text[last:], len(pieces) // 2


def mask_personal_data(text: str) -> tuple[str, Counter]:
    """Return ``text`` with personal data masked and a Counter of what was masked, by kind."""
    counts: Counter = Counter()

    def mask_span(span: re.Match) -> str:
        return _PATTERN.sub(lambda m: _mask_match(m, counts), span.group())

    text = _CANDIDATE.sub(mask_span, text)
    starts = _starts(text)
    for matches, mask in _PLACE_MASKS:
        text = _sub(matches, mask, text, counts, starts)
    return text, counts


def mask_column(values: pd.Series) -> pd.Series:
    """``values`` with personal data masked in every string cell as written (:func:`mask_as_written`: full-width
    digits and dashes too, 0736－7898402), other cells as they are: a column kept beside the text (a reply, a
    contact) reaches the output masked as the text does.

    The strings are masked joined by ``\\x01``, which no pattern crosses: one call at C speed, not one per cell;
    each distinct string once (a column of department names or channels repeats a few values over a million rows:
    masking each cell cost 0.49 CPU-s per 200,000 of them). Which cells are strings is asked of the distinct
    values too, not of each cell.

    >>> mask_column(pd.Series(["投诉人住钻石新村20栋201", None, 7, "请致电0735－5531003"])).tolist()
    ['投诉人住钻石新村20栋***', None, 7, '请致电0735****1003']
    """
    try:
        codes, distinct = pd.factorize(values)
    except TypeError:  # a cell that cannot be hashed (a JSON list): each cell asked
        codes, distinct = pd.factorize(values.map(lambda v: v if isinstance(v, str) else None))
    text = np.fromiter((isinstance(v, str) for v in distinct), bool, len(distinct))
    strings = (codes >= 0) & text[np.maximum(codes, 0)] if len(distinct) else np.zeros(len(values), bool)
    if not strings.any():
        return values
    masked = np.array(mask_as_written("\x01".join(distinct[text]))[0].split("\x01"), dtype=object)
    out = values.astype(object).copy()
    position = np.cumsum(text) - 1  # of each distinct string among the strings masked
    out[strings] = masked[position[codes[strings]]]
    return out


#: The environment variable holding the key of :func:`pseudonyms` (any text; the platform passes its own).
PSEUDONYM_KEY = "MINSHENG_PSEUDONYM_KEY"


# A pseudonym's sixteen hexadecimal digits written as letters (0-9 as g-p): no run of them is ever read as a
# phone number (a reply that names its writer is masked after the pseudonym is written into it).
_LETTERS = np.frombuffer(b"ghijklmnopabcdef", dtype=np.uint8)
_SHIFTS = np.arange(60, -4, -4, dtype=np.uint64)


def pseudonyms(values: pd.Series, key: str | None = None) -> pd.Series:
    """``values`` (who wrote each message: an account, a nickname, a phone number used as an id) each replaced by a
    pseudonym, missing ones kept missing: the same writer the same pseudonym, in every run with the same key, so
    writers are still counted apart (hot issues, campaigns, a report's people) and an incremental run's old and
    new records agree, while no file written names them. A keyed hash, SipHash-2-4 through pandas' own hashing
    (64 bits, one C call for the column, each distinct value once: BLAKE2b value by value cost 0.6 CPU-s per
    200,000 rows), keyed by ``key``, else :data:`PSEUDONYM_KEY` from the environment, else by nothing secret, and
    then a pseudonym of a phone number can be found again by hashing every number. Letters only, so that no
    masker or reader takes a pseudonym for a number.

    >>> pseudonyms(pd.Series(["13812345678", None, "13812345678"]), key="k").tolist()
    ['uegodbmjpcomplkpm', nan, 'uegodbmjpcomplkpm']
    """
    present = values.notna()
    if not present.any():
        return values
    secret = (key if key is not None else os.environ.get(PSEUDONYM_KEY, "")).encode()
    hashed = pd.util.hash_pandas_object(values[present].astype(str), index=False, categorize=True,
                                        hash_key=hashlib.blake2b(secret, digest_size=8).hexdigest()).to_numpy()
    # "u" and sixteen letters a row, written as an Arrow string column's bytes (a missing writer: no bytes, null):
    # no Python string a row (its making and pandas' look at each for the column's type were a third of this).
    have = present.to_numpy()
    words = np.empty((len(hashed), 17), np.uint8)
    words[:, 0] = ord("u")
    words[:, 1:] = _LETTERS[((hashed[:, None] >> _SHIFTS) & np.uint64(15)).astype(np.intp)]
    offsets = np.zeros(len(values) + 1, np.int64)
    np.cumsum(have * 17, out=offsets[1:])
    valid = None if have.all() else pa.py_buffer(np.packbits(have, bitorder="little"))
    column = pa.LargeStringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(words), valid)
    return pd.Series(pd.arrays.ArrowStringArray(column, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
                     index=values.index, name=values.name)


def _whole_writer(writer: str) -> bool:
    return len(writer) >= 4 or (len(writer) >= 2 and all("\u4e00" <= c <= "\u9fa5" for c in writer))


def mask_writers(values: pd.Series, writers: pd.Series, names: pd.Series) -> pd.Series:
    """``values`` (a column kept beside the text: a reply) with its own row's writer, as ``writers`` holds them, written
    as ``names`` holds them (their pseudonyms, :func:`pseudonyms`): a reply addresses the writer by the id or
    nickname the writer column holds ("网友A0001234您好", "张小三您好"). Writers of fewer than four letters are left
    alone (an id such as U1 is found inside other words), but for a nickname of two or three Chinese letters.

    >>> mask_writers(pd.Series(["网友A0001234您好", "您好", "张小三您好", None]),
    ...              pd.Series(["A0001234", "A0005678", "张小三", "A0009"]), pd.Series(["u1", "u2", "u3", "u4"])).tolist()
    ['网友u1您好', '您好', 'u3您好', nan]
    """
    held = [isinstance(v, str) and isinstance(w, str) and _whole_writer(w) and w in v
            for v, w in zip(values, writers, strict=True)]
    if not any(held):
        return values
    out = values.astype(object).copy()
    for at in np.flatnonzero(held):
        out.iat[at] = out.iat[at].replace(writers.iat[at], names.iat[at])
    return out


# Full-width ASCII (！ to ～) and the ideographic space, folded one character for one, so a number written
# in full-width digits is found while every position still lines up with the text as written.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# What every mask of mask_as_written needs somewhere: a digit or a Latin letter, as written or full-width (the
# numbers' and addresses' patterns read ASCII digits of the folded text, a plate a letter, an e-mail both). A
# text without one (most labels, headlines and quotes a report shows) is returned as it is, unfolded and unread.
_ALNUM = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")


def mask_as_written(text: str) -> tuple[str, Counter]:
    """Mask personal data but keep everything else as the person wrote it (full-width punctuation, emoji,
    traditional characters): what the platform displays back to people. Analysis normalises separately.

    >>> mask_as_written("站点😊，电话１３８１２３４５６７８，谢谢！")[0]
    '站点😊，电话138****5678，谢谢！'
    """
    counts: Counter = Counter()
    if _ALNUM.search(text) is None:  # every mask needs a digit or a Latin letter, folded or not
        return text, counts
    folded, pieces, last = text.translate(_FOLD), [], 0
    for span in _CANDIDATE.finditer(folded):
        for match in _PATTERN.finditer(span.group()):
            masked = _mask_match(match, counts)
            if masked != match.group():
                start, end = span.start() + match.start(), span.start() + match.end()
                pieces += [text[last:start], masked]
                last = end
    # an address, a plate: digits and the words around them are the same width folded or not, so positions line up
    if pieces:
        pieces.append(text[last:])
        text = "".join(pieces)
        folded = text.translate(_FOLD)
    starts = _starts(folded)
    for matches, mask in _PLACE_MASKS:
        pieces, last = [], 0
        for match in matches(folded, starts):
            masked = mask(match, counts)
            if masked != match.group():
                pieces += [text[last:match.start()], masked]
                last = match.end()
        if pieces:  # folded again only when a mask changed the text
            pieces.append(text[last:])
            text = "".join(pieces)
            folded = text.translate(_FOLD)
    return text, counts


def mask_quoted(text: str) -> str:
    """``text`` as every file handed out quotes a writer (reports, the platform's exports): numbers, addresses
    below the building, a door's number on a road and full names (a post's, a writer's own) masked. One rule,
    so a report and an export of the same text never differ in what they show.

    >>> mask_quoted("我叫李建义，住韶山路12号，电话０７４６—６２２２９０３")
    '我叫李**，住韶山路**号，电话0746****2903'
    """
    return mask_doors(mask_names(mask_as_written(text)[0])[0])[0]


# The masks written above, read back: text stored masked (the platform masks at intake, before anything is
# analysed) still tells how much was masked, by kind. Ten stars between four and four characters are taken for
# an ID number: a bank card of exactly 18 digits is rare, an ID number common.
_MASKS = re.compile(
    r"(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]\*{3}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?<![0-9*])(?:(?P<id_card>\d{4}\*{10}\d{3}[0-9Xx])|(?P<bank_card>\d{4}(?:\*{8,9}|\*{11})\d{4})"
    r"|(?P<mobile>1[3-9]\d\*{4}\d{4})"
    r"|(?P<landline>(?:[(（]0\d{2,3}[)）]? ?|0\d{2,3}-?)\*{4}\d{4}))(?![0-9*])"
    r"|(?P<address>(?<=[0-9０-９一二三四五六七八九十A-Za-z])\s*(?:栋|幢|号楼|座)(?:\s*\*{1,2}\s*单元)?(?:\s*\*{1,2}\s*[楼层])?\s*\*{2,4}"
    rf"|(?<![0-9A-Za-z])[A-Za-z]?[0-9]{{1,3}}(?:{_DASH}\*{{1,2}}){{0,3}}(?:{_DASH}|\s*单元\s*)\*{{3,4}})(?![0-9*])"
    r"|(?P<plate>(?<=[\u4e00-\u9fa5])[A-Za-z][·•.\- ]?\*{5,6})(?![0-9A-Za-z*])"
)


def masks_in(text: str) -> Counter:
    """Count the masks :func:`mask_personal_data` or :func:`mask_as_written` left in ``text``, by kind.

    >>> sorted(masks_in("电话138****5678，邮箱z***@example.com").items())
    [('email', 1), ('mobile', 1)]
    """
    counts: Counter = Counter()
    if "*" in text:
        counts.update(match.lastgroup for match in _MASKS.finditer(text))
    return counts
