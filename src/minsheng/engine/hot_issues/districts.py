"""What a title says about where and what: the district (city or county) code it writes (:func:`district_codes`)
and the kinds of question it asks (:func:`questions_asked`). Two messages whose titles differ in either are two
questions, unless they share a name (:func:`_apart_general`).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The district code a title writes first (A市, B7县, C4市), or the county of its city it writes after it (A市A5区
# is A5区); a code in the body is often the writer's home (我是B市人) or part of a road's name, not the problem's.
_A_CODE = "[A-Z][0-9]{0,2}[区县市]"
_A_COUNTY = "[A-Z][0-9]{1,2}[区县市]"


# A code the writer calls home (B9市东富镇人咨询身份证挂失, C5市人在C市买了房, 我是G市G3县人,): the code, with its
# city before it, of "… 人" followed by what a writer says next (a verb of asking, a preposition, a pause), not
# by a name's letters (B9市人人乐超市, A市人华影视) or a word 人 opens (人民, 人社局); 居民 is not read so (A7县居民
# 养老保险 is the county's case).
_HOME = ("((?:[A-Z]市)?[A-Z][0-9]{0,2}[区县市])((?:[\u4e00-\u9fa5]{0,4}?[镇乡村])?人"
         "(?:在[A-Z]|咨询|反映|请问|想|要|能|如何|怎么|怎样|异地|办|问|投诉|求|申请|[,，.。?？!！、;；:：\\s]|$))")


def district_codes(title: pa.Array) -> np.ndarray:
    """Per title (:func:`.title_places._first_line`): the district it names as a number (the code's letter × 100 + its number, 0 for a
    city), −1 when the title writes none. Two messages whose numbers are :func:`_apart_codes` are about two
    places.

    Why: messages that name no place of their own (or one the place stage cannot read) link by their words;
    补课 at B7县二中 and at K7县一中, or at C3县十中 and at K6县绍基学校, share them, but two counties' schools
    are two problems, whatever their shared words. A code the writer calls home (:data:`_HOME`) is none: the
    question is where they ask, or general (B9市东富镇人 asking how to report a lost ID card)."""
    code = _district_numbers(title)
    home = np.flatnonzero(pc.match_substring_regex(title, _HOME).to_numpy(zero_copy_only=False))
    if len(home):  # read again without the home (few titles: rewriting all of them cost 0.07 s a 200,000)
        code[home] = _district_numbers(pc.replace_substring_regex(title.take(pa.array(home)), _HOME, r"\2"))
    return code


def _district_numbers(title: pa.Array) -> np.ndarray:
    """:func:`district_codes` of titles as written."""
    first, county = (_code_numbers(title, pattern) for pattern in (_A_CODE, _A_COUNTY))
    of_city = (first >= 0) & (first % 100 == 0) & (county >= 0) & (county // 100 == first // 100)
    return np.where(of_city, county, first)


def _code_numbers(titles: pa.Array, pattern: str) -> np.ndarray:
    """The number (see :func:`district_codes`) of the first code matching ``pattern`` in each title, −1 where
    none; each distinct code read once."""
    found = pc.dictionary_encode(pc.struct_field(pc.extract_regex(titles, f"(?P<c>{pattern})"), [0]))
    value = np.array([(ord(c[0]) - ord("A")) * 100 + (int(c[1:-1]) if len(c) > 2 else 0)
                      for c in found.dictionary.to_pylist()], dtype=np.int64)
    out = np.full(len(titles), -1, dtype=np.int64)
    rows = np.flatnonzero(pc.is_valid(found.indices).to_numpy(zero_copy_only=False))
    out[rows] = value[found.indices.to_numpy(zero_copy_only=False)[rows].astype(np.int64)]
    return out


def _one_district(leader: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``leader`` with the members whose district ``code`` is apart from their group's leading their own, and
    per row its group's code (:func:`_leading_codes`).

    Why: a member is never apart from its leader, but a leader whose title writes no code (or a city's) takes
    members of two counties (教师招聘 in A7县 and in A8县 under an A市 leader)."""
    own = _leading_codes(leader, code)
    apart = _apart_codes(code, own) | ((own == -2) & (code % 100 > 0))  # two counties as often: each apart
    return np.where(apart, np.arange(len(leader)), leader), np.where(apart, code, own)


def _leading_codes(group: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Per row: the district code of its ``group`` (a number per row, −1: none): the county most of its rows
    write, a city's when none writes a county, −1 when none writes a code; −2 when two counties are written
    as often (none leads)."""
    has = np.flatnonzero((code >= 0) & (group >= 0))
    if not len(has):
        return np.full(len(group), -1, dtype=np.int64)
    pairs, counts = np.unique(np.c_[group[has], code[has]], axis=0, return_counts=True)
    city = pairs[:, 1] % 100 == 0
    order = np.lexsort((-counts, city, pairs[:, 0]))  # per group: counties first, the most written first
    starts = np.r_[True, pairs[order][1:, 0] != pairs[order][:-1, 0]]
    first = order[starts]
    second = order[np.minimum(np.flatnonzero(starts) + 1, len(order) - 1)]
    tied = ((pairs[second, 0] == pairs[first, 0]) & (second != first) & ~city[first] & ~city[second]
            & (counts[second] == counts[first]))
    leading = np.full(int(group.max()) + 2, -1, dtype=np.int64)  # the last: no group
    leading[pairs[first, 0]] = np.where(tied, -2, pairs[first, 1])
    return leading[group]


def _apart_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise: whether district numbers (:func:`district_codes`) name two places: both written, and two
    cities, or two counties (a city holds its counties: A市 and A3区 may be one place)."""
    a, b = np.broadcast_arrays(np.asarray(a), np.asarray(b))
    apart = (a >= 0) & (b >= 0) & (a != b)  # one code is one place: the rest only where two are written
    two = np.nonzero(apart)  # few pairs write two codes (none of the synthetic corpus's millions)
    x, y = a[two], b[two]
    apart[two] = (x // 100 != y // 100) | ((x % 100 > 0) & (y % 100 > 0))
    return apart


# The kinds of question a title asks (one bit each): when, why, how, whether, which or what. Two policy questions
# that ask kinds apart ask two things (whether the rate will fall / how to pay arrears; when a rule is carried out /
# how to sit the exam under it), whatever topic word they share.
_ASKED = ("何时|什么时候|多久|多长时间|哪天|哪一天|几时",
          "为什么|为何|凭什么|为啥|怎么(?:会|还|没|不|就|又|这么|那么)",  # 怎么还没发: a protest, not a how
          "如何|怎么办|怎样|怎么(?:才|去|申请|办|操作|处理|报|交|缴|领|查|算|弄|更换|换)|流程|手续|程序|步骤",
          "是否|能否|可否|可不可以|能不能|要不要|会不会|有没有|[能可会要算][^\\s，,。？?！!]{0,12}吗|吗[？?]?$",
          "哪里|哪些|哪个|多少|什么(?:[^时]|$)")
_ASKED_CHARS = 40  # a title's first letters: a text of one line whose title was not cut runs on into its body
# A title that consults (咨询A市士官转业政策, 请问…, B9市东富镇人咨询身份证挂失一事, …落户A市的咨询) in its first clause:
# its writer's own question; not a complaint that asks after it (…审批太慢，几个月还没放款，请问要多久). Its bit beside
# the kinds (:data:`CONSULTS`); who consults is an array of its own (:func:`questions_asked`).
_CONSULT = "^[^，,。！!？?；;\\s]*(?:咨询|请问|想问|问问|问一下|请教)"
CONSULTS = 1 << len(_ASKED)


def questions_asked(title: pa.Array, writer: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per title: the kinds of question it asks (:data:`_ASKED`) as bits, 0 when it asks none, and
    :data:`CONSULTS` where it consults; and who consults: its ``writer`` (a number per title, −1: none) where it
    consults, −1 elsewhere. Two titles that both ask and share no kind, or that two writers (or writers not
    known) consult with, are :func:`_asked_apart`."""
    head = pc.utf8_slice_codeunits(title, 0, _ASKED_CHARS)
    asked = np.zeros(len(title), dtype=np.int64)
    rows = np.flatnonzero(pc.fill_null(pc.match_substring_regex(head, "|".join((*_ASKED, _CONSULT))), False).to_numpy(
        zero_copy_only=False))  # one pass over all, the kinds over the few that ask (1 % of the synthetic corpus)
    if len(rows):
        head = head.take(pa.array(rows))
        for bit, pattern in enumerate((*_ASKED, _CONSULT)):
            asked[rows] |= pc.match_substring_regex(head, pattern).to_numpy(zero_copy_only=False).astype(np.int64) << bit
    consulter = np.full(len(title), -1, dtype=np.int64)
    if len(rows) and writer is not None:
        consults = rows[(asked[rows] & CONSULTS) > 0]
        consulter[consults] = np.asarray(writer)[consults]
    return asked, consulter


def _asked_apart(a: np.ndarray, b: np.ndarray, consulter_a: np.ndarray, consulter_b: np.ndarray) -> np.ndarray:
    """Elementwise: whether two titles' questions (:func:`questions_asked`: kinds ``a``, ``b``, and who consults)
    are of two kinds: both ask, no kind in common; or both consult (:data:`CONSULTS`), not one known writer's.

    Why: placeless questions on one policy (养老保险, 未婚生育, 工勤技能考试) share its words and ask different
    things; readers found them two questions. Whether the kind agrees tells some of them apart where no word
    measure did: over the blind readings' judged placeless pairs (`tests/data/hot_review_ab*.csv`), 5 of 30
    incoherent pairs ask kinds apart, 0 of 32 coherent ones. A title that consults asks about its writer's own
    case: two writers' consultations under one policy (two soldiers' transfers, two fund loans, two hukou moves,
    two licence renewals) are two cases, one answer each, whatever words the policy gives them; one writer's are
    one, sent again. A name they share (58车贷, 3号线) is still one case (:func:`_apart_general`). Read on the read
    pairs (tests/data/hot_pairs_labelled_dev.csv; docs/engine/hot-issues.md, h-hot29)."""
    a, b, consulter_a, consulter_b = map(np.asarray, (a, b, consulter_a, consulter_b))
    kinds = CONSULTS - 1
    ka, kb = a & kinds, b & kinds
    return ((ka > 0) & (kb > 0) & ((ka & kb) == 0)) | (((a & b & CONSULTS) > 0)
                                                       & ((consulter_a != consulter_b) | (consulter_a < 0)))


def _apart_general(code_a: np.ndarray, code_b: np.ndarray, words_a, words_b, a: np.ndarray, b: np.ndarray,
                   names: np.ndarray, asked_a: tuple[np.ndarray, np.ndarray] | None = None,
                   asked_b: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Per pair of messages (or groups) without a place: :func:`_apart_codes`, or one writes a district (a city
    or a county) and the other none, and rows ``a`` of ``words_a`` and ``b`` of ``words_b`` share no word that
    is a name (``names``: per column, modulo its length, as :func:`.vectors._apart` lays pieces out), or their
    questions are apart (``asked_a``, ``asked_b``: each the kinds and who consults, :func:`_asked_apart`).

    Why: a question that names no place and no district asks about a policy (is the housing subsidy given by
    quota?), one that writes a county or a city tells that district's case (E6县 gives no subsidy, F市's
    hospital gives no birth certificate), in the same words: readers found such pairs two questions. A name
    they share (58车贷, a company) is one case, told to the county's police and to the province alike."""
    code_a, code_b = np.asarray(code_a), np.asarray(code_b)
    apart = _apart_codes(code_a, code_b)
    general = (code_a < 0) != (code_b < 0)  # one writes a district, the other none
    if asked_a is not None:
        general |= _asked_apart(asked_a[0], asked_b[0], asked_a[1], asked_b[1])
    general = np.flatnonzero(general & ~apart)
    if len(general):
        both = words_a[a[general]].multiply(words_b[b[general]]).tocoo()
        shared = np.bincount(both.row[names[both.col % len(names)]], minlength=len(general)) > 0
        apart[general[~shared]] = True
    return apart


# A code, and a second division letter the anonymisation left after it ("A8县市水木天成": 水木天成, not 市水木天成).
_CODE = r"(?:[A-Z]\d{0,2}[市区县镇]|西地省)"
_DISTRICT_CODE = re.compile(_CODE + r"(?:[市区县](?![城乡镇村]))?")
_LEADING_CODE = re.compile(f"^{_CODE}")
_CODE_BEFORE = re.compile(rf"({_CODE})[市区县]?$")  # a code right before a name (its stray second division letter,
# A8县市, not shown)
