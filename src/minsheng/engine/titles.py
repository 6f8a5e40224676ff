"""Subject lines restored where a source joined title and body with nothing between them.

Why: a hot issue is described by its most central message's title and what its body asks, and the digest
weighs a title apart from body sentences; both read a message's first line as its title. Some exports write
subject and body into one column with no separator (a public copy of a petition site's data:
"咨询独生子女退休职工奖励费我是下岗职工，今年三月…"); read as one line, a description cut at 60 characters ended
inside the body ("…现在想回B9市买房。本想这是可以用公") and its body's ask was never read. Where the body's opening
is unmistakable — a greeting, an official addressed, the writer introducing themself, a question opened with
请问 — the line break goes back in for what is shown (hot-issue descriptions, the digest's claims, theme labels,
the asks a reply is scored against), where the run decided the input glued its titles (:func:`glued_export`, once
per run; every reader takes the ends through :func:`title_ends`). Elsewhere the text stays as written: a text
that is advice alone ("建议放宽二套房限购政策，因为…") has no title. Not at ingest, for every stage: restored there, the router's cross-validated macro-F1 on the 2,075 labelled
messages moved 0.9069 → 0.9050 (seed 0; its own title-end model learns from the titled texts it sees, and the
restored ones are a skewed sample of them).

Measured on 5,219 titled teddy2020 messages glued back together (title + body, duplicates dropped), split by
message id parity before the rules were read against the odd half. The even half was measured after each of five
rounds of rules (each read on the odd half's misses or on what the theme labels showed): 30.5 % of the texts
split, 93.0 % of them exactly at the title's end; with 本人在/于/曾… 31.9 %, 92.8 %; with 我想请问/我想咨询… (the
match starting at 我, not at 请问) 32.2 %, 92.9 %; with an official greeted as 书记好 32.4 %, 92.9 %; with one
comma allowed in a title before a greeting or an address (a title may hold one: "…强迫员工加班，且加班费不当月
发放尊敬的…") **35.2 % split, 92.8 % exact, 3.7 % within two characters, 3.5 % elsewhere** (mostly a second
header line such as "关于…的投诉信" taken into the title, or an office before the official addressed: "…不合法
社保厅|彭厅长"). A comma before any opening split 37 % of the odd half but put 5.3 % of the splits elsewhere
(…，请问; 2019年7月25日，笔者…); allowing 、 gained on the odd half and lost on the even half: neither adopted.
A body that opens by repeating its title word for word (:func:`_repeated_title`; read on
messages_labeled_text.csv, where 40 of 1,720 texts do, not on either half) is split there too: even half 36.5 %
split, 93.2 % exact, 3.3 % elsewhere; odd half 34.5 → 36.2 % split, 95.0 → 95.3 % exact.
A question or exclamation, the last before an opening, ends the title there (2026-12-04): even half 36.5 → 36.9 %
split, 93.2 → 93.6 % exact; odd half 36.2 → 36.9 %, 95.3 → 95.7 %. A title naming its topic (``_TOPIC_TITLE``:
反映/咨询/关于/投诉/举报 … 问题/一事/事宜/的情况, not followed by 反映, 咨询 … that continue a title) ends at the topic
word even without an opening: even half 36.9 → 42.2 % split, 93.6 → 94.9 % exact, 2.9 → 2.5 % elsewhere; odd half
36.9 → 42.5 %, 95.7 → 96.7 %, 2.6 → 2.1 % (both rules read on the changed splits of both halves: neither half is
blind for them). A body that opens by writing the title's opening again, after codes, a date or a short lead of its own
(:func:`_repeated_opening`: "G市泰达润景园电梯故障频发|G市泰达润景园在…", "…出租|2019年5月，A3区望兴家园…"), and a
list's first item ("…有失公平|1、违法行政"), each where no rule above fired (2026-12-04; read on the flawed
descriptions of messages_labeled_text, then measured once): even half 42.2 → 53.2 % split, 94.9 → 93.4 % exact,
2.5 → 3.7 % elsewhere; odd half 42.5 → 52.8 %, 96.7 → 94.6 %, 2.1 → 3.6 %: of the 558 new splits 87 % are exact.
The writer giving their name (我叫), after a title with one comma at most ("…文物，不能拆|我叫何义荣，…"): even half
53.2 → 53.4 % split (7 new, 6 exact), odd half 52.8 → 53.0 % (5 new, 5 exact). An official addressed with a
semicolon ("…何时能到位|贺厅长；我们是…"), and a title that lists with 、 ahead of a greeting or an address
("…铅污染源、空气污染源|尊敬的省环保厅蒋厅长"): even half 53.4 → 53.8 % (9 new, 5 exact: the others leave an office
addressed before the official in the title, "…侵权市委|胡书记"), odd half 53.0 → 53.4 % (11 new, all exact).
A body that names again, after its district codes, what the title names, or writes the title's codes as its first
sentence's subject (:func:`_restated_name`, 2026-12-05; read on three flawed descriptions of messages_labeled_text, its
lead filter on the odd half's new misplaced splits): even half 53.8 → 57.4 % split, 93.1 → 91.8 % exact, 4.0 → 5.1 %
elsewhere (95 new splits, about 69 exact; the misplaced ones are late, leaving a lead the body writes first in the
title: 地处, 我孩子于, 一个朋友应邀去); odd half 53.4 → 56.7 %, 94.7 → 94.3 %, 3.6 → 3.6 %.
A body that writes the title's last clause again as a clause of its own (:func:`_restated_clause`, 2026-12-05; read on a
description a blind reader found running on, then on the new splits of both halves: neither is blind for it): even
half 57.4 → 58.4 % split (26 new, 22 exact), 91.9 → 91.7 % exact; odd half 56.7 → 57.2 % (12 new, 11 exact), 94.3 %.
``scripts/glued_titles_eval.py`` prints these figures (``--half odd --show N`` lists misplaced splits).

The router has a learnt title-end model of its own (:mod:`minsheng.engine.routing._titles`, trained on the titled
messages it sees, 87.6 % exact on every text) for its features; this one, exact where it fires, is for what
people read. Taught by these rules' own splits of a bare export, that model gives a sure end (softmax ≥ 0.9) to a fifth
of the texts the rules leave, 95 % exactly (``scripts/glued_titles_model_eval.py``); tried for the hot issues and not
adopted: +0.003 recall on one DEV file of two for a fit of tens of seconds a run (docs/engine/hot-issues.md, h-hot24).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from minsheng.engine.masking import SURNAMES

_OFFICIAL = r"(?:省长|市长|区长|县长|局长|厅长|镇长|乡长|书记|主任|处长|科长|部长|主席|领导)"
#: Where a body opens: a greeting, an official addressed (by a surname at most, so that the leftmost match is where
#: the address starts, not a letter of the title before it), the writer introducing themself, 请问.
_GREETING = r"尊敬的|敬爱的|各位(?:领导|网友|同志)"
_ADDRESSED = rf"(?:[{SURNAMES}]|相关|有关)?{_OFFICIAL}(?:们)?\s*"
_BODY_OPENS = re.compile(
    rf"{_GREETING}|亲爱的|{_ADDRESSED}(?:[：:，,！!；;]|您好|你好|好)"
    r"|(?:领导|同志)(?:们)?(?:你们|您们|大家)?好|(?:您|你|你们|您们|大家)好(?!吗)"
    r"|我是|我们是|我叫|本人(?:是|在|于|系|曾|今年|家住|住)|笔者|我?想?请问|我想(?:问|咨询|了解|反映)")
#: The openings no title holds, which may follow a title with a comma in it: a greeting, an address and a colon, the
#: writer giving their name (我叫).
_STRONG = re.compile(rf"{_GREETING}|{_ADDRESSED}[：:]|我叫")
#: A clause end before the opening makes the text a sentence, not a subject line ("建议…，我是…"); one comma is a
#: title's own before a strong opening.
_HARD_BEFORE = re.compile(r"[、；;：:。（(“\"]")
_COMMA = re.compile(r"[，,]")
_ASKED = re.compile(r"[？?！!]+")
#: A title that names its topic ("反映…污染水源问题", "咨询…贷款问题", "关于…一事"), ended where the topic word is not
#: followed by what goes on in a title (…问题反映, …问题咨询, …问题该找谁, a clause mark, 的): the body follows.
_TOPIC_TITLE = re.compile(r"(?:反映|咨询|关于|投诉|举报)[^，,。！!？?；;：:\n]{4,34}?(?:的问题|问题|一事|事宜|的情况)")
_TOPIC_GOES_ON = re.compile(r"[，,。！!？?；;：:、）)”\"的和及与并该来]|反映|咨询|投诉|举报|建议|求助|请求|思考|过程|后续|多")
#: How long a subject line is: 99 % of teddy2020's titles have at most 32 characters, few fewer than six.
_SHORTEST, _LONGEST = 6, 40
_HEAD = _LONGEST + 8  # the letters read for a title's end: a line break there is a title line's
#: How many one-line texts of a batch are read, and what share of them must show a glued title, before the batch's
#: titles are given back (:func:`glued_export`): teddy2020's glued exports 55-60 %, its bodies alone 5-6 %.
_SAMPLED, _GLUED_SHARE = 400, 0.25


def glued_title(text: str) -> int:
    """The length of the title at the start of ``text`` when title and body were joined with nothing between
    them, else 0: the first place within a title's length where a body opens (:data:`_BODY_OPENS`), after no
    clause end — or after one comma when the body opens with a greeting or an address (:data:`_STRONG`).

    >>> glued_title("咨询独生子女退休职工奖励费我是下岗职工，今年三月办理退休手续")
    13
    >>> glued_title("建议放宽二套房限购政策，因为现在负担太重。"), glued_title("小区停水\\n请尽快恢复")
    (0, 0)
    >>> glued_title("C市二中存在强行补课现象C市二中存在强行补课现象，明明教育局不允许")
    12
    """
    head = text[:_HEAD]
    if "\n" in head:  # a first line of a title's length: it has its title
        return 0
    repeated = _repeated_title(text)
    if repeated:
        return repeated
    k = _opened(head) or _repeated_opening(head) or _restated_name(head) or _first_item(head) or _restated_clause(text)
    item = _ITEM_BEFORE.search(head, 0, k) if k else None
    return item.start() if item and item.start() >= _SHORTEST else k


def _opened(head: str) -> int:
    """Where the body opens after a title that names its topic, a greeting, an address, an introduction or a
    question (the rules of :func:`glued_title` before its fallbacks), else 0."""
    topic = _TOPIC_TITLE.match(head)
    if (topic and topic.end() < len(head) and not _HARD_BEFORE.search(topic.group(0))
            and not _TOPIC_GOES_ON.match(head, topic.end())):
        return topic.end()
    m = _BODY_OPENS.search(head, _SHORTEST)
    if not m or m.start() > _LONGEST:
        return 0
    before = head[:m.start()]
    asked = list(_ASKED.finditer(before, _SHORTEST))
    if asked and not _HARD_BEFORE.search(before, 0, asked[-1].start()):
        # a question or an exclamation, the last before the body opens, ends the title: what follows it is the
        # body's ("…借教敛财，为何不管？|D5区胡宁小…本人", "…鱼塘田地！|各级领导大家好"), where the opening alone
        # left the body's first words in the title or, after the question mark, found no title at all
        return asked[-1].end()
    strong = _STRONG.match(head, m.start())
    # a title may list with 、 ("…铅污染源、空气污染源|尊敬的…厅长"), ahead of a greeting or an address only
    if _HARD_BEFORE.search(before.replace("、", "", 1) if strong else before):
        return 0
    # a title may hold a comma ("…加班，且加班费不当月发放"): then only a greeting or an address ends it
    commas = len(_COMMA.findall(before))
    return m.start() if commas == 0 or (commas == 1 and strong) else 0


#: A district code (the anonymisation's): a body repeating a title's opening often writes more of them first.
_CODE = r"(?:西地省|[A-Z][0-9]{0,2}[市区县])"
_CODES = re.compile(f"{_CODE}*")
#: What a body writes before the words of its title it repeats ("A市|A4区大道…", "2019年5月，|A3区…", "我家住|…").
_BEFORE_REPEAT = re.compile(rf"(?:{_CODE}|[0-9]{{4}}年(?:[0-9]{{1,2}}月)?(?:[0-9]{{1,2}}[日号])?[，,]?|近日[，,]?"
                            r"|我家住|家住|我们|我|本人于?|位于|地处|关于|在|大家好[，,]|您好[，,])$")
#: Where a body may open before the repeat: a date, "today", "lately" ("…摆设|2019年12月23日，A市…").
_NOW = re.compile(r"[0-9]{4}[年.]|今天|今日|近日|最近")
#: A list's first number right before where the body opens ("A市参保问题的咨询|1.本人于…"): the body's, not the title's.
_ITEM_BEFORE = re.compile(r"(?<![0-9])[1一][、.．]$")
_FIRST_ITEM = re.compile(r"(?<![0-9])[1一][、.．](?=[\u4e00-\u9fa5])")


def _repeated_opening(head: str) -> int:
    """Where the body starts that opens by writing the title's opening again (its district codes and the two
    letters after them, four letters at least: "G市泰达润景园电梯故障频发|G市泰达润景园在交房…", "强烈要求加快取消…
    运输证|强烈要求西地省…"), else 0: before the codes, date or short lead ("我家住", "位于") the body writes
    first, or at an opening, a question's end or a date between (:data:`_BODY_OPENS`, :data:`_NOW`), whichever
    is first. Not after a clause end, nor right after a comma (a sentence that names its subject twice).

    Measured on the glued titled messages (``scripts/glued_titles_eval.py``, rule read on the flawed descriptions
    of messages_labeled_text, then measured once on each half, :func:`_first_item` with it): even half 42.2 →
    53.2 % split, 288 new splits of which 252 (88 %) exactly at the title's end; odd half 42.5 → 52.8 %, 270 new,
    232 (86 %) exact."""
    lead = _CODES.match(head).end()
    opening = head[:max(lead + 2, 4)]
    k = head.find(opening, _SHORTEST)
    if k < 0 or k > _LONGEST:
        return 0
    return _body_start(head, k)


def _body_start(head: str, k: int) -> int:
    """Where the body starts that repeats the title at ``k``: before the codes, date or short lead the body writes
    first, or at an opening, a question's end or a date between, whichever is first; 0 after a clause end or right
    after a comma (a sentence that names its subject twice)."""
    while (b := _BEFORE_REPEAT.search(head, 0, k)) and b.start() >= _SHORTEST:
        k = b.start()
    ends = [k]
    if o := _BODY_OPENS.search(head, _SHORTEST, k):
        ends.append(o.start())
    if (q := _ASKED.search(head, _SHORTEST, k)) and q.end() < k:
        ends.append(q.end())
    if d := _NOW.search(head, _SHORTEST, k):
        ends.append(d.start())
    k = min(ends)
    return 0 if _HARD_BEFORE.search(head, 0, k) or _COMMA.match(head, k - 1) else k


_CODE_RUN = re.compile(f"{_CODE}+")
#: A body's lead before it names its place again, which would be left in the title: a time (日前, 5月份, 22日),
#: the writer (我居住于, 本人), where (位于, 地址), or a preposition or 的 right before the name.
_LEAD = re.compile(r"我(?:于|在|居住|住|家|向|就|是)|本人|位于|居住|地址|日前|近期|近日|昨天|前天|前些天|月份|[0-9]日|报道|"
                   r"投诉人|关于|[在于的向对至就路而]$")
_LETTERS = re.compile(r"[\u4e00-\u9fa5]{4}")


def _restated_name(head: str) -> int:
    """Where the body starts that opens by naming again, after its district codes, what the title names
    ("反映K3县光明小区的棚改问题…的报告|K3县光明小区系国有工矿区", "…劳动局监察大队不作为|K4县劳动局监察大队…": the
    four letters after the codes are in the title), or by writing the title's own codes as the subject of a
    sentence ("K7县的煤气罐…怎么这么贵|K7县，早两年…"), else 0. Not after a clause end or right after a comma, nor
    after a title with two commas: a sentence may name its place twice."""
    lead = _CODE_RUN.match(head)
    for m in _CODE_RUN.finditer(head, _SHORTEST, _LONGEST + 1):
        k = m.start()
        title, after = head[:k], head[m.end():m.end() + 4]
        restated = bool(_LETTERS.fullmatch(after)) and after in title
        subject = bool(lead) and m.group(0) == lead.group(0) and after[:1] in "，,"
        if (restated or subject) and len(_COMMA.findall(title)) <= 1 and not _LEAD.search(title[-12:]):
            return _body_start(head, k)
    return 0


def _first_item(head: str) -> int:
    """Where a list's first item opens the body ("…政策有失公平|1、违法行政。", "A市参保问题的咨询|1."), after no
    clause end, else 0."""
    m = _FIRST_ITEM.search(head, _SHORTEST)
    if not m or m.start() > _LONGEST or re.search(r"[。；;：:，,]", head[:m.start()]):
        return 0
    return m.start()


#: What ends a clause: a title's clause that the body writes again must end there too.
_CLAUSE_END = re.compile(r"[，,、；;：:。（(“\"？?！!\s]")
#: How far into the body a title's last clause is looked for, and how long it is at least.
_CLAUSE_REACH, _CLAUSE_SHORTEST = 80, 4


def _restated_clause(text: str) -> int:
    """Where the body starts that writes the title's last clause again as a whole clause of its own ("…倒建筑垃圾，严重
    破坏A3区山景区|在…小路上，有人到倒建筑垃圾，严重破坏A3区山景区。"), for a title of two clauses, the first with no
    clause end but its comma: the longest such clause (four letters at least) whose copy in the next 80 letters ends
    where a clause does, and a question or exclamation mark right after it; else 0. A title of one clause that its
    body opens by repeating is :func:`_repeated_title`'s; a clause end required after the copy keeps a body that
    only goes on with the clause's first words ("…，聚众赌博|噪音扰民…聚众赌博的") from cutting the title short."""
    comma = _COMMA.search(text, _SHORTEST, _LONGEST)
    if not comma or _HARD_BEFORE.search(text, 0, comma.start()) or _ASKED.search(text, 0, comma.start()):
        return 0
    best = 0
    for k in range(comma.end() + _CLAUSE_SHORTEST, min(_LONGEST, len(text)) + 1):
        if _CLAUSE_END.match(text, k - 1):
            break
        clause = text[comma.end():k]
        j = text.find(clause, k, k + _CLAUSE_REACH)
        if j < 0:  # a longer clause's copy would hold this one's within the reach: none is written again
            break
        while j >= 0 and not _whole_clause(text, j, j + len(clause), k):
            j = text.find(clause, j + 1, k + _CLAUSE_REACH)
        best = k if j >= 0 else best
    asked = _ASKED.match(text, best) if best else None
    return asked.end() if asked else best


def _whole_clause(text: str, start: int, end: int, body: int) -> bool:
    """Whether ``text[start:end]`` is a clause of its own: after a clause end or where the body starts, and before a
    clause end or the text's end."""
    opens = start == body or bool(_CLAUSE_END.match(text, start - 1))
    return opens and (end == len(text) or bool(_CLAUSE_END.match(text, end)))


def _repeated_title(text: str) -> int:
    """The length of a title that the body opens by repeating word for word ("C市二中存在强行补课现象C市二中存在强行
    补课现象，明明…", as petition sites print a post), else 0: the longest such prefix within a title's length, so
    that a title that itself repeats a word ("好好好") is not cut short. 40 of the 1,720 texts of
    messages_labeled_text.csv open so; shown whole, the digest's headline read the title twice."""
    if not text:
        return 0
    # Only where the first letter recurs, longest first: str.rfind finds those positions in C (a Python step at
    # every length cost about 5 µs a text, for the third of the synthetic texts without an early line break).
    k = min(_LONGEST, len(text) // 2) + 1
    while (k := text.rfind(text[0], _SHORTEST, k)) >= 0:
        if text.startswith(text[:k], k):
            return k
    return 0


def restore_title(text: str) -> str:
    """``text`` with a line break put back after a glued title (:func:`glued_title`), else unchanged.

    >>> restore_title("咨询独生子女退休职工奖励费我是下岗职工")
    '咨询独生子女退休职工奖励费\\n我是下岗职工'
    """
    k = glued_title(text)
    return f"{text[:k]}\n{text[k:]}" if k else text


def restore_titles(texts: pa.Array, glued: bool | None = None) -> pa.Array:
    """:func:`restore_title` of each text of ``texts`` (Arrow strings in and out) whose title line may be glued to its
    body: where most texts have no line break within a title's length, as in an export that wrote title and body
    into one column; else ``texts`` as they are. ``glued`` is that decision when it was taken already (for a whole
    run, :func:`glued_export`); None takes it from ``texts``.

    Why: the places and hot issues read a text's first line as its title (the title's place beats the body's; a
    title's words are what messages are compared on). In a bare export the first line was the whole text, so a
    place the body names first became the message's, and the glued messages of one issue fell apart
    (docs/engine/hot-issues.md, h-hot19). The run decides once, at ingest, and the places' workers keep each
    title's end with the records (``title_end``, :func:`glued_title_ends`), which the hot stage reads back
    (:func:`with_title_ends`) instead of searching every text again.
    """
    return with_title_ends(texts, glued_title_ends(texts, glued))


def one_line(texts: pa.Array) -> np.ndarray:
    """Whether each text has no line break within a title's length (:data:`_HEAD`)."""
    head = pc.utf8_slice_codeunits(texts.fill_null(""), 0, _HEAD)
    return pc.invert(pc.match_substring(head, "\n")).to_numpy(zero_copy_only=False)


def glued_export(texts: pa.Array, lines: np.ndarray | None = None) -> bool:
    """Whether ``texts`` are an export that glued each title to its body (:func:`restore_titles` then restores
    them): most texts have no line break within a title's length, and :func:`glued_title` finds a title in at
    least :data:`_GLUED_SHARE` of up to :data:`_SAMPLED` of them spread over ``texts``.

    Why most: a file whose texts have their titles on a line of their own glued none, and its texts of one line
    are messages without a title (30 % of the synthetic corpus's, all advice): read as glued, 0.8 % of them were
    split inside a sentence, at 20 µs a text. Why the sample: a file of bodies alone (a consultation's page asks
    for no title) has no title lines either; :func:`glued_title` finds one in 5-6 % of teddy2020's bodies read
    alone (a false cut each) and in 55-60 % of its glued exports, so the sample decides whether titles were glued
    at all, and a file of bodies costs the sample only. Taken once per run, over all its records (at ingest), so
    that the places and the hot issues read the same titles."""
    lines = one_line(texts) if lines is None else lines
    if lines.sum() * 2 <= len(texts):
        return False
    rows = np.flatnonzero(lines)
    # the sample taken through Arrow: a file of bodies alone makes no Python string of its other texts
    sample = texts.take(pa.array(rows[np.linspace(0, len(rows) - 1, min(len(rows), _SAMPLED)).astype(int)]))
    return sum(bool(t) and glued_title(t) > 0 for t in sample.to_pylist()) >= _GLUED_SHARE * len(sample)


def title_ends(records, rows: np.ndarray | None = None) -> np.ndarray:
    """Where the title glued to the body of each record (at ``rows``, or of all) ends, 0 where the text is read as
    written: the one way every stage learns how the run reads a text's title (:func:`as_read`).

    The records' ``title_end`` where they carry it: the run's decision, taken once at ingest (:func:`glued_export`
    over all its texts) and applied by the places' workers (:func:`~minsheng.engine.places.place_columns`). For
    records that do not (a stage called on records alone), the same decision taken here over all of them, the
    ends then found at ``rows`` only. Why no flag: a boolean passed by hand from the run to every function that
    reads a title defaulted to "glued" wherever a caller forgot it, and a one-line text of a file with title
    lines (advice without a title) was cut inside its ask ("…强烈建议加大|职业教育投入") in theme labels, hot-issue
    descriptions and replies after the digest had stopped doing so.

    >>> import pandas as pd
    >>> title_ends(pd.DataFrame({"text": ["小区停水\\n请尽快恢复", "咨询独生子女退休职工奖励费我是下岗职工"]})).tolist()
    [0, 0]
    >>> title_ends(pd.DataFrame({"text": ["咨询独生子女退休职工奖励费我是下岗职工", "x"], "title_end": [13, 0]})).tolist()
    [13, 0]
    """
    if "title_end" in records.columns:
        ends = records["title_end"].to_numpy(np.int64, na_value=0)
        return ends if rows is None else ends[rows]
    texts = _arrow_texts(records["text"])
    if not glued_export(texts):
        return np.zeros(len(texts) if rows is None else len(rows), np.int64)
    return glued_title_ends(texts if rows is None else texts.take(pa.array(rows, pa.int64())), True).astype(np.int64)


def as_read(text: str, end: int) -> str:
    """``text`` as the run reads it: a line break after its first ``end`` letters (a title glued to its body,
    :func:`title_ends`), else as written. Every reader of a title (claims, labels, descriptions, replies) reads the
    first line of what this gives and searches no text for a glued title itself.

    >>> as_read("咨询独生子女退休职工奖励费我是下岗职工", 13), as_read("建议加大职业教育投入", 0)
    ('咨询独生子女退休职工奖励费\\n我是下岗职工', '建议加大职业教育投入')
    """
    return f"{text[:end]}\n{text[end:]}" if end else text


def texts_as_read(records, rows: np.ndarray | None = None) -> list[str]:
    """The records' texts (at ``rows``, or all; "" where missing) as Python strings, as the run reads them
    (:func:`as_read` at :func:`title_ends`)."""
    from minsheng.engine.dedup import texts_at

    at = np.arange(len(records)) if rows is None else np.asarray(rows)
    texts, ends = texts_at(records["text"], at), title_ends(records, at)
    for i in np.flatnonzero(ends).tolist():  # only those: a file with title lines has none
        texts[i] = as_read(texts[i], int(ends[i]))
    return texts


def _arrow_texts(text) -> pa.Array:
    """A column of texts (a pandas Series, missing texts as "") as one Arrow array."""
    arrow = pa.array(text.fillna("").astype(str), pa.large_string())
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


def glued_title_ends(texts: pa.Array, glued: bool | None = None) -> np.ndarray:
    """:func:`glued_title` of each text (int32; 0: no title glued) of an export that glued its titles to their
    bodies (``glued``, or when None :func:`glued_export` of ``texts``); all 0 for any other."""
    ends = np.zeros(len(texts), dtype=np.int32)
    lines = None
    if glued is None:
        lines = one_line(texts)
        glued = glued_export(texts, lines)
    if not glued:
        return ends
    rows = np.flatnonzero(one_line(texts) if lines is None else lines)
    ends[rows] = [glued_title(t) if t else 0 for t in texts.take(pa.array(rows)).to_pylist()]
    return ends


def with_title_ends(texts: pa.Array, ends: np.ndarray) -> pa.Array:
    """``texts`` with a line break put in after the first ``ends[i]`` letters of text ``i`` where that is above 0:
    :func:`restore_title` of each text, from ends found before (:func:`glued_title_ends`). Arrow throughout, a
    slice and a join per distinct end (at most a few dozen): no Python string is made."""
    ends = np.asarray(ends)
    rows = np.flatnonzero(ends > 0)
    if not len(rows):
        return texts
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    glued = texts.take(pa.array(rows))
    at = ends[rows]
    parts, order = [], []
    for k in np.unique(at).tolist():
        these = np.flatnonzero(at == k)
        part = glued.take(pa.array(these))
        parts.append(pc.binary_join_element_wise(pc.utf8_slice_codeunits(part, 0, k),
                                                 pc.utf8_slice_codeunits(part, k),
                                                 pa.scalar("\n", part.type)))
        order.append(these)
    restored = pa.concat_arrays(parts).take(pa.array(np.argsort(np.concatenate(order))))
    mask = np.zeros(len(texts), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(texts, pa.array(mask), restored)
