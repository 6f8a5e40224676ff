"""How a sentence of a message shows alone: cut at a clause end, without the header, greeting or list number
that opens it, and whether it reads as a sentence (balanced brackets, no connective needing the sentence before).

Its own module because both the hot issues (:mod:`.hot_issues.naming`, also through :mod:`.asks`) and the
suggestion digest (:mod:`.digest_wording`) show member sentences: these helpers sit below both, with no import
of either.
"""

from __future__ import annotations

import re

from minsheng.engine.claims import CONNECTIVE as _CONNECTIVE

__all__ = ["CLAUSE_END", "HEADLINE_CHARS", "LEADING_MARKS", "clip_sentence", "fragment", "opens_badly", "readable",
           "strip_opening", "title_and_body"]

#: The longest headline a suggestion shows (:func:`clip_sentence`'s default cut).
HEADLINE_CHARS = 40
# What opens a line without being part of its sentence: a header ("标题："), a greeting ("你好，", "尊敬的王书记："),
# an addressee alone ("领导：", "各位领导：", "李局长："),
# a list number ("1、", "2.", "1，", "（一）", "①"); a year after "2." is a number's sentence ("2.2019年6月…").
_OPENING = re.compile(
    r"^(?:\s*(?:(?:标题|主题|题目|事由)\s*[:：]"
    r"|(?:尊敬的|敬爱的)?[^，,。！!：:？?]{0,12}?(?:您好|你好)[，,。！!：:\s]*"
    r"|(?:尊敬的|敬爱的)[^，,。：:]{0,16}[：:，,]"
    r"|(?:各位)?[^，,。！!：:？?]{0,6}?(?:领导|书记|市长|县长|区长|镇长|局长|主任|同志)们?[：:]"
    r"|[(（][一二三四五六七八九十\d]{1,2}[)）][、.．，,]?"
    r"|[一二三四五六七八九十\d]{1,2}\s*(?:、|[.．](?!\d)|[.．](?=\d{4}年))|\d[，,](?!\d)"
    r"|[①-⑳]))+\s*")
_HEADER = re.compile(r"^\s*(?:标题|主题|题目|事由)\s*[:：]|您好|你好")
#: A clause end: where a sentence may be cut. Public because :mod:`.asks` and :mod:`.digest_table` cut at the
#: same marks as :func:`clip_sentence`.
CLAUSE_END = re.compile(r"[，,；;：:。！!？?]")
_TRAILING = re.compile(r"[，,；;：:、。！!\s]+$")
#: What a line must not open with: punctuation, spaces, a dangling 的. Public because :mod:`.digest_wording`
#: strips it from a line it has generalised, as :func:`clip_sentence` does.
LEADING_MARKS = re.compile(r"^[，,；;：:、。！!？?\s的]+")


def clip_sentence(text: str, limit: int = HEADLINE_CHARS) -> str:
    """``text`` without trailing punctuation (a question mark stays), cut at the last clause end within
    ``limit`` characters; unchanged when it is short enough, ``""`` when no clause end allows a clean cut."""
    text = LEADING_MARKS.sub("", text.strip())
    keep_q = text.rstrip().endswith(("？", "?"))
    text = _TRAILING.sub("", text.rstrip("？? ")) + ("？" if keep_q else "")
    if len(text) <= limit:
        return text
    ends = [m.start() for m in CLAUSE_END.finditer(text)]
    # a cut after a short conditional clause keeps a fragment of the next thought ("…的车位，不买车位")
    cuts = [e for i, e in enumerate(ends) if 6 <= e <= limit and not fragment(text[(ends[i - 1] + 1 if i else 0):e])]
    cuts = cuts or [e for e in ends if 6 <= e <= limit]
    return _TRAILING.sub("", text[: cuts[-1]]) if cuts else ""


def fragment(clause: str) -> bool:
    """Whether ``clause`` is a short conditional or negated piece that needs the clause after it
    ("不买车位" in "…捆绑车位，不买车位，就不能买房"), or a connective alone ("…的问题呢，首先，目前…": 首先 opens
    the next clause)."""
    clause = clause.strip()
    return 0 < len(clause) <= 4 and (clause[0] in "不没若如只才就否" or _CONNECTIVE.fullmatch(clause) is not None)


def strip_opening(text: str) -> str:
    """``text`` without the header, greeting or list number that opens it (see ``_OPENING``):
    ``"1、能否加强发车时间的准点性"`` → ``"能否加强发车时间的准点性"``, ``"你好，请问…"`` → ``"请问…"``."""
    return _OPENING.sub("", text, count=1)


def opens_badly(line: str) -> bool:
    """Whether ``line`` opens with a header, a greeting or a list number, or holds a greeting: not a sentence a
    planner reads alone (the project's readable-headline check and the description both use it)."""
    return bool(_OPENING.match(line) or _HEADER.search(line))


def readable(line: str) -> bool:
    """A sentence a planner can read alone: brackets and quotes balanced, not opened by a connective that
    needs the sentence before it (所以, 但是, 另外 …), some Chinese in it, not a list of words."""
    pairs = (("(", ")"), ("（", "）"), ("“", "”"), ("《", "》"), ("【", "】"))
    if any(line.count(a) != line.count(b) for a, b in pairs):
        return False
    if _CONNECTIVE.match(line) or not re.search(r"[\u4e00-\u9fa5]{4}", line):
        return False
    return not re.search(r"(?:[\u4e00-\u9fa5]{2,4}[·、/ ]){2,}[\u4e00-\u9fa5]{2,4}$", line)


def title_and_body(text: str, limit: int = 60) -> tuple[str, str]:
    """A message's title as it is shown (a hot issue's description, a proposal's title) and the rest of its text.

    The first line of ``text`` as the run reads it (:func:`~minsheng.engine.titles.as_read`: a title glued to its
    body is on a line of its own where the run decided the input glued titles). A first line longer than ``limit`` is a text with no title (advice written as one paragraph, a body whose title was
    lost): its first sentence ("…不能在B9市贷款买房？"), else its part before the last comma within ``limit``,
    else its first ``limit`` characters and an ellipsis — never cut inside a word ("…本想这是可以用公"); what is
    left of the line goes with the body, which is read for the ask.

    >>> title_and_body("咨询独生子女退休职工奖励费\\n我是下岗职工，今年三月办理退休手续")
    ('咨询独生子女退休职工奖励费', '我是下岗职工，今年三月办理退休手续')
    """
    line, _, body = text.strip().partition("\n")
    line = line.strip()
    if len(line) <= limit:
        return line, body
    sentence = _FIRST_SENTENCE.match(line)
    if sentence and len(sentence.group()) <= limit:
        title, rest = sentence.group(), line[sentence.end():]
    else:
        commas = [m.start() for m in _COMMA_END.finditer(line, 12, limit)]
        title, rest = ((line[:commas[-1]], line[commas[-1] + 1:]) if commas
                       else (line[:limit - 1] + "…", line[limit - 1:]))
    return title, f"{rest}\n{body}" if body else rest


_FIRST_SENTENCE = re.compile(r"[^。！？!?]{6,}?[。！？!?]+")
_COMMA_END = re.compile(r"[，,；;]")
