"""How a suggestion of the digest is worded: its headline, description, quotes and place line, from its members'
sentences (:func:`suggestion_texts`, one task per suggestion, run in the workers), and the sentence helpers a
theme's label shares (:func:`phrase_label`, :func:`title_line`, :func:`generalise`, :func:`broken_start`).

What each column says is documented with the table that holds it (:mod:`.digest_table`); this module chooses the
sentences. It reads nothing of other suggestions: :func:`.digest_table.suggestion_table` counts the members and
sends each suggestion's candidates here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd
import rjieba

from minsheng.engine.asks import PEOPLE, REFERS_BACK, alone_part, repeats, topic_only, writer_asks
from minsheng.engine.commonness import FIRST_PERSON, OWN_CASE, Commonness, named_places
from minsheng.engine.digest import (
    QUESTION_SHARE,
    TOPIC_SHARE,
    TOPIC_WORDS,
    first_sentence,
    is_noun,
    member_word_share,
)
from minsheng.engine.normalise import full_width_punctuation
from minsheng.engine.places import KINDS_OF_PLACE, arabic, names_by_ending
from minsheng.engine.sentences import (
    CLAUSE_END,
    HEADLINE_CHARS,
    LEADING_MARKS,
    clip_sentence,
    opens_badly,
    readable,
    strip_opening,
)

__all__ = ["broken_start", "generalise", "phrase_label", "places_line", "set_of_questions", "suggestion_texts", "title_line"]

MANY_PLACES = 3  # a suggestion whose members write this many places, none most members', is one kind at many places
_PLACES_SHOWN = 3  # places named in its count line, those most members write
_TOPIC_PEOPLE = 5  # a suggestion of this many people has nouns most write (of two or three, one member's are half)
_SET_PEOPLE = 5  # a set of questions counted in its description has this many people or more (four: too few to tell)
_MATTER_PEOPLE = 6  # … and a set held by a matter, complaints among its questions (five: complaints worded apart)
_LINES = ("路", "大道", "街", "巷", "线")  # a place key ending so runs past many sites (a road, a bus or metro line)
_SITES_READ = 5  # places most members have, looked for in the others' openings (a site under variant names)
# What a headline candidate gains or loses beside its centrality (the cosine of its own words to the centre, about
# 0.3-0.9): the writer's own ask or a question (what the planner must answer) wins over a problem nearly as
# central; a problem over context; a bare topic, a first-person opening or a back-reference loses.
_ASK_BONUS, _QUESTION_BONUS, _KIND_ASK_BONUS, _CONTEXT_MALUS = 0.12, 0.06, 0.03, -0.15
_TOPIC_MALUS, _PERSON_MALUS, _BACK_MALUS = -0.12, -0.15, -0.15
# What a candidate loses by the part of its words few members write (:func:`_stray_words`, 0-1, "few": below
# ``_STRAY_SHARE`` of them): the group's ask over a stray's side question that repeats one central word.
_STRAY_WEIGHT, _STRAY_SHARE = 0.3, 0.2
# Single characters that start a Chinese sentence on their own (verbs of asking, prepositions, pronouns …);
# any other lone first character is a piece cut off a word ("市伊", "开区", "地省" start that way).
_LONE_OK = set("请望盼求对在为给将把让被从向与和及我你他她它这那各每有无不是要能可该多少新老大小加增设建改"
               "使由于以如若但而且又再还也都只就才即便因故呢吗吧啊哪谁何啥几第一二三四五六七八九十")
_NAME_SUFFIX = tuple("区市县镇省")  # a lone letter before a word opening with these is a name's tail (经开|区政府)
# A list number after a colon, opening a list inside the sentence ("建议：1增加左转车道", "诉求：（1）…"): it is no
# part of what is asked. A digit before a measure word is a quantity ("：3号楼", "：1个月") and stays.
_LIST_AFTER_COLON = re.compile(r"(?<=[\u4e00-\u9fa5][：:])\s*(?:[(（][1一][)）]|[1一][、.．](?!\d)|①"
                               r"|1(?=[\u4e00-\u9fa5])(?![个年月日号栋楼层元万千百点米次天人户岁名位条项件台辆套间份级期周小分秒公]))")
_DISTRICT = re.compile(r"[A-Z]\d{0,2}(?:市|区|县|镇)|西地省")
_REASON = re.compile(r"因为|由于|导致|造成|影响|严重|以致|致使|无法|不能")
_LOCATIVE = frozenset("到在从往至于来去回赴进入离")  # a district code after these is what the sentence is about
# Words a code's 市/区/县/镇 begins (A市民, A5区政府): the letter goes, the word stays. Not 市长/区长, which
# are as often the start of a name (A市长郡中学).
_CODE_WORDS = ("市民", "市内", "市区", "市场", "市政", "市容", "市中心", "市级", "市委", "市属", "区域", "区内",
               "区政府", "区委", "区属", "区级", "县城", "县内", "县政府", "县委", "县级", "镇政府", "镇上", "镇内")




def _unnumbered(text: str) -> str:
    """``text`` without the list number that opens a list after a colon (``_LIST_AFTER_COLON``):
    ``"建议：1增加左转车道"`` → ``"建议：增加左转车道"``; ``"地址：1号楼"`` stays."""
    return _LIST_AFTER_COLON.sub("", text, count=1)


def generalise(text: str) -> str:
    """``text`` without its district codes (``A市``, ``A3区``, ``西地省``), for a suggestion about many places.

    Only the codes, which are whole words: cutting an estate's name out of a sentence leaves fragments
    (``申小区``); a sentence that names one member's place is generalised by :func:`_place_fit` or passed over.
    Where the code's 市/区/县 begins a word (``A市民``, ``A市内``, ``A5区政府``), only the letter goes
    (``市民可以…``, not ``民可以…``); after a word that makes it the sentence's object (到, 在, 从 …:
    "户口迁移到A市的流程") or before 的 inside the sentence ("咨询一下A市的户口政策") the code stays, since without
    it the sentence breaks.

    >>> generalise("A市民可以在网上办理无犯罪记录证明吗？"), generalise("A3区万家丽路施工扰民")
    ('市民可以在网上办理无犯罪记录证明吗？', '万家丽路施工扰民')
    """
    if not _DISTRICT.search(text):
        return text
    out, at = [], 0
    for m in _DISTRICT.finditer(text):
        if m.start() and (text[m.start() - 1] in _LOCATIVE or text.startswith("的", m.end())):
            continue
        out.append(text[at:m.start()])
        at = m.end() - 1 if text.startswith(_CODE_WORDS, m.end() - 1) and m.group(0) != "西地省" else m.end()
    text = "".join(out) + text[at:]
    text = re.sub(r"^(?:关于|在|对)(?=[，,])", "", text)
    return LEADING_MARKS.sub("", re.sub(r"[，,]{2,}", "，", text))


def phrase_label(texts: list[str], fallback: str = "") -> str:
    """A readable label for a group of messages (a theme) taken from the data, as a suggestion's headline is:
    the first of ``texts`` (as the run reads them, :func:`~minsheng.engine.titles.as_read`) (most central first) whose title, without district codes and clipped at a clause
    end, is a readable sentence of at least 6 characters that is not a bare topic ("咨询…问题") — else the
    first readable one; ``fallback`` (the keywords) when none is. Punctuation is full-width, for display.

    >>> phrase_label(["A市A5区魅力之城小区油烟扰民\\n底层餐馆油烟直排。"], "油烟·扰民·餐馆")
    '魅力之城小区油烟扰民'
    """
    lines = []
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            continue
        line = title_line(text)[0]
        if len(line) >= 6 and readable(line) and not opens_badly(line):
            lines.append(line)
    line = next((x for x in lines if not topic_only(x)), lines[0] if lines else "")
    return full_width_punctuation(line) if line else fallback


def title_line(text: str) -> tuple[str, bool]:
    """A message's title as a label shows it (its first line as the run reads it, :func:`~minsheng.engine.titles
    .as_read`; no district codes, clipped at a clause end) and whether it had to be clipped: a first line that long
    is mostly a title glued to a body nothing split."""
    whole = clip_sentence(generalise(strip_opening(text.strip().split("\n", 1)[0])), 10_000)
    return (clip_sentence(whole), True) if len(whole) > HEADLINE_CHARS else (whole, False)



def suggestion_texts(tasks: list[dict], model) -> list[tuple[str, str, list[str]]]:
    """Headline, description and quotes of each suggestion of ``tasks`` (as :func:`.digest_table.suggestion_table` makes
    them: its candidate claims ``cands``, the claims ``members`` (records and texts) of its members read, the first
    ``HEAD_CHARS`` characters of up to ``digest_table._MEMBER_SAMPLE`` member texts ``heads``, the place keys ``keys`` of its
    members counted once, ``people``, ``first_time``, ``last_time`` and the message ``ids`` of the candidates'
    records), with the digest's ``model``. One task reads nothing of another's: the workers word suggestions in
    any grouping, with the same result."""
    _read_candidates(tasks, model)
    out = []
    for task in tasks:
        cands = task["cands"]
        common = Commonness(task["heads"])
        keys = Counter(k for k in task["keys"] if isinstance(k, str))
        one_place = any(common.common(k) for k, _ in keys.most_common(3))
        cands.update(_place_fit(cands, common))
        # in a suggestion of a few people, half of them is one member: his nouns are no matter they share
        headline, at = _headline(cands, not one_place, common,
                                 task["topic"] if task["people"] >= _TOPIC_PEOPLE else ())
        # a place-free suggestion (a policy question) has no place to show one member's as the whole: a
        # member's own case illustrates it
        many = bool(keys) and not one_place
        summary = _summary(task["people"], len(keys) if many else 0, task["first_time"], task["last_time"])
        description = _description(cands, headline, at, many_places=many, common=common, summary=summary)
        # one kind of problem at many places: where, said first (the count line replaces the summary)
        spread_over = None
        if many and task["questions"] < QUESTION_SHARE and _many_places(keys, task["people"]):
            # one site under its variant names is one place (merging only lowers the count of places: read
            # only where the keys alone pass)
            sites = _sites(task["keys"], keys, task["read_at"], task["heads"])
            if _many_places(Counter(k for k in sites if isinstance(k, str)), task["people"]):
                spread_over = _spread_over(sites, task["names"], task["topic"], headline)
        if spread_over is not None and description == summary:
            description = _when(task["first_time"], task["last_time"])
        out.append((full_width_punctuation(headline), full_width_punctuation(description),
                    _quotes(cands, task["own"], task["ids"], at), spread_over))
    return out


def _many_places(keys: Counter, people: int) -> bool:
    """Whether ``people`` whose place keys are ``keys`` (counted once per person) are at many places: at least
    ``MANY_PLACES`` of them, one for every other person or more, and none written by more than a third of the
    people (a site most of them name under variant names, 诺亚山林小区 and 星湖湾 beside it, is one place)."""
    top = keys.most_common(1)
    return len(keys) >= max(MANY_PLACES, people / 2) and bool(top) and 3 * top[0][1] <= people


def _sites(keys: list, owned: Counter, read_at: np.ndarray, heads: list[str]) -> list:
    """Each person's place key (``keys``, counted once per person; ``owned``: how many people have each), with
    one site under its variant names as one: a person whose opening (its title, or its first sentence: the
    start of ``heads``, the texts of the people at ``read_at``) writes the key of another member's place is at
    that place (the one most openings write, when it writes several). Not its body: a body names the office
    written to (交通局) and the places nearby. 鹏基诺亚山林 and a fragment of the same title, 爱尔眼科医院后花园, are 诺亚山林: one
    hospital siting counted as three places before. A road or a line (``_LINES``: 三一大道, 15路) is no site:
    two crossings of one road are two places. Only the ``_SITES_READ`` places most people have are looked for: a
    variant joins a place others write, and the cost stays per suggestion."""
    out = list(keys)
    big = [k for k, _ in owned.most_common(_SITES_READ) if len(k) >= 2 and not k.endswith(_LINES)]
    openings = [arabic(first_sentence(h)) for h in heads]
    writes = {k: [j for j, o in enumerate(openings) if k in o] for k in big}
    for k in sorted(big, key=lambda k: (len(writes[k]), owned[k])):  # the place most openings write last: it wins
        for j in writes[k]:
            out[read_at[j]] = k
    return out


def _spread_over(keys: list, names: list, topic: list[str], headline: str) -> tuple[str, int, list[str]]:
    """``(topic, K, names)`` of a suggestion at many places (:func:`_many_places`), whose members (counted once
    per person) have the place ``keys`` and ``names``: what they complain of, the nouns of ``topic`` (those most
    members write) that the ``headline`` says, in its order, not a kind of place (小区, 工地: where, not what)
    nor people (学生, 业主: who, not what: "21人反映各地学生问题" about paid extra classes);
    at how many places; the ``_PLACES_SHOWN`` places most of them write, each by the name its writers most use."""
    said = sorted((w for w in topic if w in headline and w not in KINDS_OF_PLACE and w not in PEOPLE), key=headline.find)
    named = [(k, n) for k, n in zip(keys, names, strict=True) if isinstance(k, str) and isinstance(n, str) and n]
    by_key, written = Counter(k for k, _ in named), defaultdict(Counter)
    for k, n in named:  # one pass: a suggestion of thousands of people may name thousands of places
        written[k][n] += 1
    shown = []
    for k, _ in by_key.most_common():  # the places most members write, each as most of them write it
        name = written[k].most_common(1)[0][0]
        if _names_a_place(name, topic):
            shown.append(name)
            if len(shown) == _PLACES_SHOWN:
                break
    return "".join(said[:TOPIC_WORDS]), len(by_key), shown


def _names_a_place(name: str, topic: list[str]) -> bool:
    """Whether a place finder's ``name`` may be listed as where a problem is: not people (博世员工, 江花县学生:
    who, not where), nor a road whose name before 路 is what the members write of (``topic``) or an estate
    (红绿灯路, 嘉园小区路: the start of "…路口", a crossing named by what stands at it; 车站路 is a road). The place
    finder reads such fragments; the count of places keeps them (a person there is somewhere), the list does not."""
    bare = _unlettered(name)
    if bare.endswith(tuple(PEOPLE)):
        return False
    stem = bare[:-1] if bare.endswith("路") else ""
    return not stem or not (stem in topic or stem.endswith(("小区", "社区")))


def places_line(people: int, spread_over: tuple[str, int, list[str]], alike: int | None = None) -> str:
    """The count line of one kind of problem at many places (:func:`_spread_over`), what a planner reads before
    any member's sentence: "10人反映各地垃圾问题，涉及8处（西湖小区、万鑫嘉园小区、火宝山社区等）。" — the
    people count is of K places' problems of one kind, not of one ask; for a ``mixed`` suggestion whose largest
    group asking one same thing is ``alike`` (fewer than its people), "10人所问不尽相同，最多3人问同一件事，涉及8处（…）。"."""
    topic, k, names = spread_over
    shown = "、".join(_unlettered(n) for n in names) + ("等" if k > len(names) else "")
    where = f"涉及{k}处（{shown}）"
    if alike is not None and alike < people:
        return f"{people}人所问不尽相同，最多{alike}人问同一件事，{where}。"
    return f"{people}人反映各地{topic}问题，{where}。" if topic else f"{people}人反映同类问题，{where}。"


def set_of_questions(people: int, alike: float, questions: float, matter: bool = False) -> bool:
    """Whether a suggestion not flagged mixed is a set of different questions to count: ``QUESTION_SHARE`` of
    its members ask a question, and of its ``people`` (``_SET_PEOPLE`` or more) at most a third are in its
    largest group asking one same thing (``alike``, counted without the words most members write:
    :func:`.digest.split_mixed`). Nearer half, that count is as often one question worded many ways (six ask
    how to renew a licence from another city, counted 3) as a set; a third or less was a set in every case read
    (sixteen questions on retirees' pay, counted 3; six on different wages owed, counted 1).

    A suggestion whose members share only the nouns of a ``matter`` (:func:`.digest.ask_spread`: 公积金 贷款,
    养老保险; no act, no problem) is such a set whatever its share of questions, when fewer than half ask one same
    thing: its members ask and complain of different things about it (fourteen on 公积金 loans, five of them one
    ask, 40 % questions: no count line before, 2026-12-05 h-digest10), from ``_MATTER_PEOPLE``.

    Five questions of which no two ask alike are a set ("5人所问不尽相同，最多1人"): a death benefit, a purchase
    subsidy, late pensions and two other 补贴 stood for five people asking one thing (2026-12-05 h-digest13). Four
    are too few: the four writers of one 超生上户 piece each tell their own case and pair with no other. Five
    complaints of one matter are not counted either: five about taxi fares (的士) share only 的士 and count 1."""
    if people < _SET_PEOPLE or alike <= 0:
        return False
    if matter:
        return people >= _MATTER_PEOPLE and 2 * alike < people
    return questions >= QUESTION_SHARE and 3 * alike <= people


def _unlettered(name: str) -> str:
    """A place key without the district code that opens it ("A2区西湖小区" → "西湖小区")."""
    m = _DISTRICT.match(name)
    return name[m.end():] if m and len(name) - m.end() >= 2 else name


def _read_candidates(tasks: list[dict], model) -> None:
    """Each task's candidates read, for all the tasks at once (one segmentation, one place finder's call): their
    ``text`` without the opening (:func:`strip_opening`), their own vectors (the task's ``own``), the cosine
    ``own`` of those to the centre, the part of their words few members write (``stray``, from the share of the
    members that writes each word: :func:`~minsheng.engine.digest.member_word_share`) and the places they name
    (``place_name``, ``place_named``: :func:`named_places`). Each value is the candidate's own, whatever the
    tasks read with it."""
    text = [strip_opening(str(t)) for task in tasks for t in task["cands"]["text"]]
    cluster = np.concatenate([task["cands"]["cluster"] for task in tasks]) if tasks else np.empty(0, np.int64)
    own = model.own_vectors(text)
    centrality = np.asarray(own.multiply(model.centroids_[cluster]).sum(axis=1)).ravel()
    sizes = [len(task["members"][0]) for task in tasks]
    members = pd.DataFrame({"cluster": np.repeat([task["cands"]["cluster"][0] for task in tasks], sizes),
                            "record": np.concatenate([task["members"][0] for task in tasks]),
                            "text": np.concatenate([task["members"][1] for task in tasks])})
    share, row = member_word_share(members, model)
    stray = _stray_words(own, cluster, share, row)
    word = model.words_by_index()
    place_name, place_named = named_places(text)
    place_name = np.asarray(place_name, dtype=object)
    at = 0
    for task in tasks:
        cands = task["cands"]
        lo, hi = at, at + len(cands["cluster"])
        at = hi
        cands.update(text=np.asarray(text[lo:hi], dtype=object), own=centrality[lo:hi], stray=stray[lo:hi],
                     place_name=place_name[lo:hi], place_named=place_named[lo:hi], _row=np.arange(hi - lo))
        task["own"] = own[lo:hi]
        task["topic"] = _shared_nouns(share, row.get(cands["cluster"][0], -1), word)


def _shared_nouns(share, at: int, word: dict[int, str]) -> list[str]:
    """The nouns (:func:`_names_a_thing`) that ``TOPIC_SHARE`` of the members of one suggestion write (row ``at`` of ``share``,
    :func:`~minsheng.engine.digest.member_word_share`), those most write first: what they are about."""
    if at < 0:
        return []
    lo, hi = share.indptr[at], share.indptr[at + 1]  # the row's slices: not a CSR row made per suggestion
    data, indices = share.data[lo:hi], share.indices[lo:hi]
    most = np.argsort(-data, kind="stable")
    return [word[j] for j in indices[most][data[most] >= TOPIC_SHARE - 1e-6].tolist() if _names_a_thing(word[j])]


def _names_a_thing(word: str) -> bool:
    """A noun, an abbreviation or a verb used as a noun (施工, 工资: rjieba's vn): what a complaint is about."""
    return is_noun(word) or all(tag == "vn" for _, tag in rjieba.tag(word))


def _kind_bonus(line: str, kind: str) -> float:
    if writer_asks(line):
        return _ASK_BONUS
    return {"question": _QUESTION_BONUS, "ask": _KIND_ASK_BONUS, "problem": 0.0}.get(kind, _CONTEXT_MALUS)


def _stray_words(own, cluster: np.ndarray, share, row: dict) -> np.ndarray:
    """Per candidate sentence, the part of its words (weighted as in its own vector) that fewer than
    ``_STRAY_SHARE`` of its suggestion's members write (:func:`~minsheng.engine.digest.member_word_share`): 0
    for a sentence every word of which many members write, near 1 for a stray's side question. Only rare words
    count against a sentence, so a sentence that says more than the others (object and action) is not beaten
    by a shorter one that leaves the object out."""
    at = np.fromiter((row.get(c, -1) for c in cluster.tolist()), np.int64, count=len(cluster))
    if not len(at) or share.shape[0] == 0:
        return np.zeros(len(cluster))
    S = share[np.maximum(at, 0)].multiply((at >= 0)[:, None]).tocsr()
    S.data = (S.data >= _STRAY_SHARE).astype(np.float32)
    common = np.asarray(own.multiply(S).sum(axis=1)).ravel()
    total = np.asarray(own.sum(axis=1)).ravel()
    stray = np.divide(total - common, total, out=np.zeros_like(total), where=total > 0)
    return np.where(at >= 0, stray, 0.0)


def _penalty(line: str) -> float:
    """What a candidate loses for reading as other than an ask: a bare topic, a first-person opening or one
    writer's own case (:data:`FIRST_PERSON`) or a detail masked in it (a plate, room or phone: "楚M*****号车",
    one writer's, and a hole in the line), a back-reference ("该小区…", "这个地方…")."""
    return ((_TOPIC_MALUS if topic_only(line) else 0.0)
            + (_PERSON_MALUS if FIRST_PERSON.search(line) or "**" in line else 0.0)
            + (_BACK_MALUS if REFERS_BACK.search(line) else 0.0))


def _place_fit(cands: dict, common: Commonness) -> dict:
    """Per candidate: ``other_place`` — it names a place most members do not (the place it names, or its
    message's, written in it) — and ``general``: such a sentence that opens with the place's name, the name
    replaced by the kind of place it is ("长郡楚府中学强制学生周六补课" → "中学强制学生周六补课"), else None.
    A name only replaced where the sentence starts with it whole, so no fragment (申奥美域 → 申小区) is left."""
    n = len(cands["text"])
    other = np.zeros(n, dtype=bool)
    general = np.full(n, None, dtype=object)
    for i, (text, named, name, rkey) in enumerate(zip(cands["text"], cands["place_named"], cands["place_name"],
                                                      cands["record_key"], strict=True)):
        keys = [k for k in (named, rkey) if isinstance(k, str) and len(k) >= 2 and k in text]
        unextracted = [k for k in _unextracted_names(text, common) if k not in keys]
        keys += unextracted
        if all(common.common(k) for k in keys):
            continue
        other[i] = True
        line = generalise(text)
        for full in (n for n in (name, *unextracted) if isinstance(n, str)):
            kind = next((k for k in KINDS_OF_PLACE if full.endswith(k)), "")
            # the name as the line writes it once district codes are gone (西地省望新公司 -> 望新公司)
            written = next((full[j:] for j in range(len(full) - len(kind) - 1) if line.startswith(full[j:])), "")
            if kind and written:
                line = kind + line[len(written):]
                if not any(k in line for k in keys if not common.common(k)):
                    general[i] = line
                break
    return {"other_place": other, "general": general}


def _unextracted_names(text: str, common: Commonness) -> list[str]:
    """Names in ``text`` by their ending (:func:`~minsheng.engine.places.names_by_ending`) that few members
    write: a numbered one (276路, 2栋, 二中), or one whose two letters before the ending with the ending are not
    common to the suggestion nor the two letters written by more than a quarter of members (请问, 物业 are;
    新都, 望新 are not)."""
    return [n.name for n in names_by_ending(text)
            if not n.ending or not (common.common(n.head + n.ending) or common.share(n.head) > 0.25)]


def _headline(cands: dict, codes: bool, common: Commonness | None = None, topic: Sequence[str] = ()
              ) -> tuple[str, int | None]:
    """The suggestion's ask, in one member sentence, and its position in ``cands`` (None when none reads).

    The sentence whose *own* words are nearest the suggestion's centre (a bare "请尽快处理" says nothing however
    central its message is), with the writer's own ask or a question first — a problem nearly as central
    gives way to them, context and bare topics ("咨询…问题", "关于…的建议") further still (``_kind_bonus``,
    ``_penalty``); titles first on ties. A header, greeting or list number opening a sentence is dropped; a
    sentence that had to be clipped gives way to a whole one nearly as central. A sentence naming a place that
    most members do not name (``other_place``, :func:`_place_fit`) is used generalised when it can be (a title
    also as a description sentence is, :func:`_general_line`, when the kind of place left stands as a word:
    :func:`_kind_stands`), else passed over unless nothing else reads; district codes are dropped when ``codes`` (many places), and then a
    sentence telling one member's case (:func:`_one_case`: "小区近百户楼板开裂") loses as a first-person one does.
    A name only one member writes that no place finder caught (``common``'s :meth:`~Commonness.own_names`:
    "投诉袁岭家佳兆业施工扰民" over ten sites' night works; the title a join of pieces brought, "盛长上东区房子有质量
    问题" over twelve estates) weighs as words few members write and takes its share of the centrality: the
    vectors cannot see such a name (too rare to be a word of the vocabulary), so the line looked as if it were made
    of the words all members write. A line naming none of the ``topic`` nouns (those half the members write:
    :func:`_shared_nouns`, 养猪场) loses as context does: a plea any letter may end on ("希望有关领导能帮忙解决问题")
    headed six pig-farm complaints whose every sentence on the farm named one member's village."""
    best, best_score, at = "", -np.inf, None
    n = len(cands["text"])
    other = cands.get("other_place", np.zeros(n, dtype=bool))
    general = cands.get("general", np.full(n, None, dtype=object))
    for i, (text, kind, is_title, own, stray) in enumerate(zip(cands["text"], cands["kind"], cands["is_title"],
                                                               cands["own"], cands.get("stray", np.zeros(n)),
                                                               strict=True)):
        text = _unnumbered(strip_opening(str(text)))
        s = float(own) - _STRAY_WEIGHT * float(stray) + _kind_bonus(text, kind) + (0.05 if is_title else 0.0)
        if s <= best_score:  # what follows only rejects or lowers: a sentence already beaten is not read
            continue
        if other[i]:
            # a title naming one member's place anywhere in it is generalised as a description sentence is, when
            # the kind of place stands as a word of its own ("请求对某某小区…" → "请求对小区…", not "洋湖小学")
            wide = (_general_line(cands, i, common) if general[i] is None and is_title and common is not None
                    else "")
            if general[i] is not None:
                text = general[i]
            elif wide and _kind_stands(wide, cands.get("place_name", [None] * n)[i]):
                text = wide
            else:
                s -= 10.0  # one member's place names a suggestion of many places only when no sentence avoids it
        s += _penalty(text)
        whole = clip_sentence(generalise(text) if codes else text, 10_000)
        line = clip_sentence(whole)
        if len(line) < 6 or not readable(line) or opens_badly(line) or broken_start(line):
            continue
        if codes and _one_case(whole):
            s += _PERSON_MALUS  # one estate's count or date shown as the whole: one writer's case, as "我家…"
        if topic and not any(w in line for w in topic):
            s += _CONTEXT_MALUS  # says nothing of what the members write about
        if line != whole:
            s -= 0.04  # clipped: the rest of the sentence is lost
        if s > best_score and common is not None:
            # names no other member writes take their share of what the line says from its centrality, and count
            # as stray words do: "投诉袁岭家佳兆业施工扰民" is one writer's site, not the ten sites' ask
            u = common.own_names(line)
            s -= u * (float(own) + _STRAY_WEIGHT * (1 - float(stray)))
        if s > best_score:
            best, best_score, at = line, s, i
    if not best and n:  # nothing clips cleanly: the most central claim's first clause
        best = CLAUSE_END.split(strip_opening(str(cands["text"][0])))[0][:HEADLINE_CHARS]
    return best, at


def _kind_stands(line: str, name) -> bool:
    """Whether the kind of place that :func:`_general_line` put for ``name`` in ``line`` opens the line or
    follows a verb, preposition, conjunction, particle or adverb: not the tail of what is left of a name
    ("洋湖小学", "名都项目公司")."""
    kind = next((k for k in KINDS_OF_PLACE if isinstance(name, str) and name.endswith(k)), "")
    tagged = rjieba.tag(line)
    at = next((j for j, (w, _) in enumerate(tagged) if w == kind), None)
    return at is not None and (at == 0 or tagged[at - 1][1][:1] in ("v", "p", "c", "u", "d"))


def broken_start(line: str) -> bool:
    """Whether ``line`` opens with a lone character that does not start a sentence (``_LONE_OK``, or a verb
    with its object: "挖了一条沟", "扔垃圾"): a piece cut off a word ("市伊…", "开区政府…"), or the head of a
    phrase that needs the sentence before it ("更重要的是，…", "特咨询各位领导：…", "拿去公安局…")."""
    words = [(w, t) for w, t in rjieba.tag(line[:12]) if w.strip()]
    first, tag = words[0] if words else ("", "")
    if len(first) != 1 or not re.match(r"[\u4e00-\u9fa5]", first) or first in _LONE_OK:
        return False
    # a one-letter verb opens a sentence when its aspect, number or object follows ("挖了一条沟", "修一条路",
    # "扔垃圾"); not before another verb, an adverb or a lone letter ("拿去…", "拒不…", "到时…": pieces of a
    # sentence), nor as a name's tail (开|区政府)
    after, after_tag = words[1] if len(words) > 1 else ("", "")
    opens = after_tag in ("ul", "uz", "ug", "m") or (
        after_tag.startswith("n") and len(after) >= 2 and not after.startswith(_NAME_SUFFIX))
    return not (tag == "v" and opens)


def _description(cands: dict, headline: str, at: int | None = None, *, many_places: bool = False,
                 common: Commonness | None = None, summary: str = "") -> str:
    """What people want and why, in two member sentences of two different messages (extractive): the writer's
    ask (or question) whose own words are nearest the suggestion's centre, less its words few members write
    (``stray``: a sentence that speaks for more than one writer), then a sentence that gives a reason (因为,
    导致, 严重 …) from another message. Each reads alone (:func:`~minsheng.engine.asks.alone_part`), says
    something about the suggestion (own centrality at least a third of the best), and repeats neither the headline nor the
    headline's sentence. A sentence naming one member's place is used generalised (:func:`_general_line`:
    "魅力之城小区临街…" → "小区临街…", district codes dropped), else passed over; in a suggestion of
    ``many_places``, one that still tells one member's case (:func:`_one_case`: a date or a count of one
    estate's households shown as the whole, or the writer's own 我家…, 我的…) is passed over too.
    Failing both, a member title that passes the same checks (what is complained of, without the why); when no
    sentence fits, ``summary`` (:func:`_summary`: who, where, when, from the data) — never empty."""
    n = len(cands["text"])
    other = cands.get("other_place", np.zeros(n, dtype=bool))
    record = cands.get("record", np.arange(n))
    own = cands["own"].astype(float)
    floor = own.max(initial=0.0) / 3
    body = np.flatnonzero((own >= floor) & (np.arange(n) != (-1 if at is None else at)))
    said = own - _STRAY_WEIGHT * cands.get("stray", np.zeros(n)).astype(float)
    raw = [clip_sentence(str(cands["text"][i]), 80) for i in body]
    lines = [_general_line(cands, i, common) if other[i] else generalise(x) if many_places else x
             for i, x in zip(body, raw, strict=True)]
    # a code left before a name no place finder saw ("A6区老政府宿舍…") is one member's place as well
    case = np.fromiter((many_places and (_one_case(x) or bool(OWN_CASE.search(x))
                                         or (not other[i] and _local_code(r, common)))
                        for i, x, r in zip(body, lines, raw, strict=True)), bool, count=len(lines))
    order = np.argsort(-said[body], kind="stable")  # what the members say
    body, lines, case = body[order], [lines[j] for j in order], case[order]
    lines = [alone_part(x) for x in lines]
    fit = [bool(x) and not c and not repeats(x, headline) for x, c in zip(lines, case, strict=True)]
    kind = cands["kind"][body]
    title = cands["is_title"][body].astype(bool)
    picked: list[str] = []
    used: set = set()
    # The ask: the writer's ask or a question, else any sentence the claims call an ask; the reason: a sentence
    # with a cue of cause or effect, else any problem. Body sentences first: a title is read only when no body
    # sentence fits, and only when it asks or gives a reason (else it names one member's case: "某小区停水").
    # One member's place or case never: a shorter description (one sentence, or the summary) misleads less
    # than one estate's numbers shown as the whole.
    for tiers in ((lambda x, k: writer_asks(x) or k == "question", lambda x, k: k == "ask"),
                  (lambda x, k: bool(_REASON.search(x)), lambda x, k: k == "problem")):
        j = next((j for titles in (False, True) for tier in tiers[: 2 - titles] for j in range(len(body))
                  if fit[j] and title[j] == titles and record[body[j]] not in used
                  and not any(repeats(lines[j], p) for p in picked) and tier(lines[j], kind[j])), None)
        if j is not None:
            picked.append(lines[j])
            used.add(record[body[j]])
    if not picked:
        # Failing an ask and a reason, a member's title that reads alone and passed the place and case checks
        # says what is complained of ("A7县保利香槟国际违规建设及欺骗业主的行为"): more than the count line.
        j = next((j for j in range(len(body)) if fit[j] and title[j]), None)
        if j is not None:
            picked.append(lines[j])
    if not picked:
        return summary
    return "".join(p if p.endswith(("。", "？", "！", "?", "!")) else p + "。" for p in picked)


def _local_code(line: str, common: Commonness | None) -> bool:
    """Whether a district code in ``line`` opens the name of one member's place: the two characters after it
    are not written by a quarter of the members ("A6区老政府宿舍…", unlike "A市地铁…" in a suggestion about
    the metro). Without ``common`` every code is one member's."""
    for m in _DISTRICT.finditer(line):
        if m.start() and line[m.start() - 1] in _LOCATIVE:
            continue
        after = line[m.end():m.end() + 2]
        if common is None or len(after) < 2 or common.share(after) <= 0.25:
            return True
    return False


def _general_line(cands: dict, i: int, common: Commonness | None) -> str:
    """Candidate ``i``, which names one member's place, without that place (for a description speaking for
    all): the headline's generalisation when there is one (:func:`_place_fit`), else the place's whole name
    replaced by the kind of place it is wherever it stands, with the roads or districts written before it
    ("A5区劳动东路魅力之城小区临街…" → "小区临街…"); ``""`` when a name of a place few members write is left."""
    general = cands.get("general", np.full(len(cands["text"]), None, dtype=object))[i]
    if general is not None:
        return clip_sentence(general, 80)
    line = generalise(str(cands["text"][i]))
    name = cands.get("place_name", [None] * len(cands["text"]))[i]
    kind = next((k for k in KINDS_OF_PLACE if isinstance(name, str) and name.endswith(k)
                 and 0 < len(name) - len(k) <= _NAME_CHARS), "")
    if not kind:
        return ""
    line = _BEFORE_NAME.sub("", line.replace(name, "\0" + kind, 1), count=1).replace("\0", "")
    keys = [k for k in (cands["place_named"][i], cands["record_key"][i]) if isinstance(k, str) and len(k) >= 2]
    if common is not None:
        keys += [k for k in _unextracted_names(line, common) if not common.common(k)]
    return "" if any(k in line for k in keys) else clip_sentence(line, 80)


def _summary(people: int, n_places: int, start, end) -> str:
    """The description when no member sentence fits, from the data: how many people, over how many places
    (when several), in which months: "9人反映，涉及5处（2019-03 至 2019-12）。" — what a planner needs to
    weigh the suggestion, never a list of keywords; the places themselves are in ``places``."""
    where = f"，涉及{n_places}处" if n_places > 1 else ""
    return f"{people}人反映{where}{_months(start, end)}。"


def _months(start, end) -> str:
    """"（2019-03 至 2019-12）", "（2019-07）" for one month, "" without times."""
    if pd.isna(start) or pd.isna(end):
        return ""
    a, b = pd.Timestamp(start).strftime("%Y-%m"), pd.Timestamp(end).strftime("%Y-%m")
    return f"（{a}）" if a == b else f"（{a} 至 {b}）"


def _when(start, end) -> str:
    """When, as a description's sentence after the count line: "时间：2019-03 至 2019-12。" ("" without times)."""
    months = _months(start, end)
    return f"时间：{months[1:-1]}。" if months else ""


#: Roads, streets and districts written before a place's name at a clause's start ("劳动东路魅力之城小区"):
#: they go with the name when it is generalised (``\0`` marks where the name stood).
_BEFORE_NAME = re.compile(r"(?:^|(?<=[，,。；;：:]))(?:[\u4e00-\u9fa5\d]{1,6}?(?:大道|街道|路|街|镇|乡|村|区|县))+(?=\0)")

#: The longest name (without its kind) a description replaces by the kind of place: a longer "name" is a phrase
#: the place finder took whole ("国家大力推广普惠性幼儿园"), and replacing it would change what is said.
_NAME_CHARS = 6

#: What tells one member's case rather than the suggestion's: a district code, a date, a count of people or
#: households, a building or room number.
_ONE_CASE = re.compile(r"[A-Z]\d{0,2}(?:市|区|县)|\d{4}年|\d{1,2}月\d{1,2}[日号]"
                       r"|(?:\d+|近?[一二三四五六七八九十两百千]+)余?(?:户|人|名|栋|号楼|单元|室)")


def _one_case(line: str) -> bool:
    """Whether ``line`` tells one member's case (``_ONE_CASE``): fine for a suggestion about one place, one
    place shown as the whole for a suggestion about many."""
    return bool(_ONE_CASE.search(line))


def _quotes(cands: dict, own, ids: np.ndarray, at: int | None = None, k: int = 5, lam: float = 0.5) -> list[str]:
    """Up to ``k`` member sentences, one per message, by maximal marginal relevance over their own words:
    λ·relevance − (1−λ)·likeness to the headline's sentence and to those already chosen, so the quotes show
    the range of what people said (the dust beside the noise, the legality beside the nuisance) rather than
    the headline again in other words. Relevance is the mean of the sentence's own centrality and its
    score in context (a short complaint of a central message is a fair quote)."""
    n = len(cands["text"])
    record = cands["record"]
    lengths = np.fromiter(map(len, cands["text"]), dtype=int, count=n)
    floor = cands["own"].max(initial=0.0) / 4  # "请尽快处理" says nothing, however central its message
    pool = np.asarray([i for i in range(n) if i != at and lengths[i] >= 8 and cands["own"][i] >= floor
                       and _quotable(str(cands["text"][i]))], dtype=np.int64)
    if not len(pool):
        return []
    rows = cands["_row"][pool]
    P = own[rows]
    rel = (cands["own"][pool].astype(float) + cands["score"][pool].astype(float)) / 2
    sim = (P @ P.T).toarray()
    penalty = (np.asarray((P @ own[cands["_row"][at]].T).todense()).ravel() if at is not None
               else np.zeros(len(pool)))
    recs = record[pool]
    chosen: list[int] = []
    free = np.ones(len(pool), dtype=bool)
    while len(chosen) < k:
        free &= penalty <= 0.95  # near-copies of what is shown already are never shown
        if not free.any():
            break
        i = int(np.argmax(np.where(free, lam * rel - (1 - lam) * penalty, -np.inf)))
        chosen.append(i)
        free &= recs != recs[i]  # one sentence per message
        penalty = np.maximum(penalty, sim[:, i])
    texts = cands["text"][pool]
    return [f"{full_width_punctuation(clip_sentence(texts[i], 120) or texts[i][:120])}（{ids[recs[i]]}）"
            for i in chosen]


def _quotable(line: str) -> bool:
    """A quote needs less than a description sentence (it is read with its message id), but no greeting or
    header, and some Chinese."""
    return not opens_badly(line) and bool(re.search(r"[\u4e00-\u9fa5]{4}", line))


