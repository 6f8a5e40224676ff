"""Claims (诉求): the sentences of a message and what each one does — ask, problem, question, praise or context.

Why sentences and not messages: one message often raises several asks ("修路灯，另外公交站也该挪一挪"), and a
planner's digest counts asks, not envelopes. Why rules and not a learned classifier: the cue words of Chinese
petitions are few and stable (建议/希望/恳请/要求/呼吁 for an ask, 何时/能否/是否/？ for a question, 扰民/拖欠/
违规 for a problem), they are the words the issue names, and a rule's mistake can be read and fixed as a kind
of failure, never as an example.

Splitting: the first line is the title (a message's own summary, usually its main ask); the rest is cut at
sentence ends (。！？；… and line breaks). A sentence longer than ``MAX_CLAUSE`` characters is cut at commas into
pieces of at most that length, so a 300-character run-on sentence becomes several claims, each readable alone.

Kinds, first match wins, in this order:

* ``question`` when the sentence *opens* as one (请问, 咨询, 何时, 为什么 …: "请问何时解决？");
* ``ask`` — a request or proposal: 建议, 希望, 请求, 恳请, 要求, 呼吁, 应当/应该, 能否/能不能/可否, 尽快, 请+verb …
* ``question`` — otherwise 何时, 什么时候, 为什么, 为何, 是否, 怎么, 吗, a question mark (a question to a government is
  nearly always an ask in disguise: "郝家坪小学何时扩建？");
* ``problem`` — a complaint or report: 扰民, 污染, 拖欠, 违规, 不合理, 隐患, 停水, 乱 …;
* ``praise`` — 感谢, 点赞, 表扬 (courtesy alone — "谢谢！" — is context);
* ``context`` — everything else (greetings, who the writer is, background).

>>> _, _, kind, _, text = claim_arrays(["建议A市南站候车厅增设改签窗口\\n南站客流量巨大。现在改签要出站，很不方便。"])
>>> [(CLAIM_KINDS[k], t) for k, t in zip(kind, text)]
[('ask', '建议A市南站候车厅增设改签窗口'), ('context', '南站客流量巨大。'), ('problem', '现在改签要出站，很不方便。')]

The cues are searched for in batches (Arrow's RE2 over all the sentences no earlier cue decided), never sentence
by sentence: per sentence in Python the searches were most of the cost of splitting a million messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial

import numpy as np

__all__ = ["CLAIM_KINDS", "MAX_CLAUSE", "claim_arrays", "classify_many"]

CLAIM_KINDS = ("ask", "question", "problem", "praise", "context")
MAX_CLAUSE = 60  # characters; longer sentences are cut at commas
MIN_CHARS = 5  # a claim needs at least this many letters (CJK or Latin) to say anything

# A sentence and the mark that ends it (。！？；… or a line break, which is dropped), found by one scan.
_SENTENCE = re.compile(r"[^。！？!?；;…\n\r]+[。！？!?；;…]?|[。！？!?；;…]")
_COMMA = re.compile(r"(?<=[，,、：:])")
#: A word that links a clause to the one before it, written at the clause's start ("首先，目前…", "但是…"): a
#: sentence (a headline, digest_wording) or a piece (:func:`_pieces`) that opens with one, or ends with one alone, is not whole.
CONNECTIVE = re.compile(r"^(?:所以|但是|但|而且|另外|同时|因此|并且|其次|首先|还有|那么|可是|然而|此外|再者|"
                        r"最后|以及|或者|否则|因为|由于|如果|例如|比如|即|就是|和|与|及|也)")
_LETTER = re.compile(r"[\u4e00-\u9fa5A-Za-z]")
# MIN_CHARS letters, found without counting all of them (a search stops at the fifth).
_ENOUGH_LETTERS = re.compile(rf"[\u4e00-\u9fa5A-Za-z](?:[^\u4e00-\u9fa5A-Za-z]*[\u4e00-\u9fa5A-Za-z]){{{MIN_CHARS - 1}}}")

# An ask is a match of either pattern. Two patterns, because one that mixes plain words with anchored cues
# (^望, "，请") gives the regex engine no first characters to scan for: it tried every word at every position,
# two and a half times slower than the two searches.
_ASK = re.compile(
    r"建议|提议|希望|期望|期盼|盼望|恳请|恳求|请求|要求|呼吁|应当|应该|理应|亟需|急需|务必|能否|能不能|可否|可不可以|"
    r"是否可以|是否能|尽快|尽早|早日|加快|督促|敦促|取缔|取消|撤销|增设|增加|设立|开通|放宽|规范|整治|严查|查处|"
    r"彻查|拆除|退还|恢复|解决|改善|优化|完善|落实|公开|公示|给予|帮助|协调|盼(?!复)"
)
_ASK_PLEASE = re.compile(r"(?:^|[，,。！!\s]|恳|敬)请(?!问|假|示|客|教|柬|愿)|^望")
_QUESTION = re.compile(r"何时|什么时候|为什么|为何|是否|怎么|怎样|如何|哪里|哪些|多久|多少|请问|咨询|吗[？?。！!]?$|[？?]")
_ASKS_A_QUESTION = re.compile(r"^(?:请问|咨询|想问|何时|什么时候|为什么|为何|是否|怎么|如何)")
PROBLEM = re.compile(
    r"投诉|举报|反映|扰民|噪音|噪声|污染|油烟|粉尘|扬尘|恶臭|拖欠|欠款|违规|违法|违建|违章|非法|不合理|不公|隐患|"
    r"停水|停电|漏水|开裂|渗水|堵|乱|脏|差|坏|不亮|失修|破损|难|贵|慢|少|缺|没有|无人|不作为|推诿|拖延|欺诈|诈骗|"
    r"虚假|霸王|强制|强行|捆绑|损害|侵占|严重|影响|困扰|不便|不方便|危险|安全"
)
_PRAISE = re.compile(r"感谢|点赞|表扬|称赞|赞扬|辛苦了|为.{0,6}点赞")
_GREETING = re.compile(r"^(?:尊敬的|敬爱的|亲爱的)?[\u4e00-\u9fa5]{0,8}(?:领导|书记|市长|县长|局长|主任|区长|同志)?[，,：:！!]?\s*(?:您好|你好)[！!，,。]?$|^(?:尊敬的|敬爱的)[^，,。]{0,12}[：:，,]?$")


def _pieces(sentence: str) -> Iterable[str]:
    """A sentence, or its comma-separated clauses packed into pieces of at most ``MAX_CLAUSE`` characters."""
    if len(sentence) <= MAX_CLAUSE:
        yield sentence
        return
    clauses: list[str] = []
    size = 0
    for clause in _COMMA.split(sentence):
        if clauses and size + len(clause) > MAX_CLAUSE:
            # a connective alone opens the next clause ("…的问题呢，首先，目前仅有…"): it goes with that one
            carry = [clauses.pop()] if len(clauses) > 1 and CONNECTIVE.fullmatch(clauses[-1][:-1].strip()) else []
            yield "".join(clauses)
            clauses, size = carry, sum(map(len, carry))
        clauses.append(clause)
        size += len(clause)
    if clauses:
        yield "".join(clauses)


# -- in batches ---------------------------------------------------------------------------------------------
# Python's ``\s`` (str.isspace) as RE2 ranges: RE2's own ``\s`` is ASCII only.
_SPACE_RANGES = r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"


def _re2(pattern: re.Pattern) -> str:
    """``pattern`` for Arrow's RE2, matching where Python's does when searched for in a stripped sentence:
    ``\\uXXXX`` as ``\\x{XXXX}``, ``\\s`` as Python's whitespace, and a negative lookahead of single characters
    (RE2 has none) as "another character or the end" (``盼(?!复)`` → ``盼(?:[^复]|$)``)."""
    out, in_class, p, i = [], False, pattern.pattern, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            nxt = p[i + 1]
            if nxt == "u":
                out.append(r"\x{" + p[i + 2:i + 6] + "}")
                i += 6
                continue
            out.append(_SPACE_RANGES if (nxt == "s" and in_class) else f"[{_SPACE_RANGES}]" if nxt == "s" else c + nxt)
            i += 2
            continue
        if not in_class and p.startswith("(?!", i):
            end = p.index(")", i)
            chars = p[i + 3:end].split("|")
            if not all(len(x) == 1 and x not in "\\[]^-()" for x in chars):
                raise ValueError(f"no RE2 form for the lookahead of {p!r}")
            out.append("(?:[^" + "".join(chars) + "]|$)")
            i = end + 1
            continue
        in_class = (in_class and c != "]") or (not in_class and c == "[")
        out.append(c)
        i += 1
    if "(?<" in p:
        raise ValueError(f"no RE2 form for the lookbehind of {p!r}")
    return "".join(out)


def classify_many(sentences: Sequence[str], *, read: Callable[[np.ndarray, str], np.ndarray] | None = None
                  ) -> np.ndarray:
    """The kind of every sentence (see the module docstring for the cue words and their order), as indices
    into :data:`CLAIM_KINDS`: each cue is searched for in one Arrow (RE2) call over the sentences no earlier
    cue decided.

    ``read(kinds, kind)``, when given, says which sentences' kinds the caller still reads should the next cue
    give them ``kind`` (``kinds``: those found so far), once the asks are known: the cues after the ask (question,
    problem, praise) are searched for in those sentences only, and the others keep what they had (a kind the
    caller does not read). The digest keeps a message's first asks, then questions, then problems: once it has
    enough asks, its other sentences' kinds are not read.

    >>> [CLAIM_KINDS[k] for k in classify_many(["请问何时解决？", "建议增设窗口", "感谢政府为我们小区修好了路灯", "您好！"])]
    ['question', 'ask', 'praise', 'context']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kinds = np.full(len(sentences), CLAIM_KINDS.index("context"), dtype=np.int8)
    stripped = [s.strip() for s in sentences]
    todo = np.arange(len(stripped))
    arr = pa.array(stripped, pa.large_string())

    def decide(patterns: tuple[re.Pattern, ...], kind: str | None) -> np.ndarray:
        """Give ``kind`` to the undecided sentences matching any of ``patterns``; returns their positions.
        The patterns are searched for as one alternation: one pass over the sentences (a pass per pattern cost
        twice the time for the two cues of an ask)."""
        nonlocal todo, arr
        either = "|".join(f"(?:{_RE2[pattern]})" for pattern in patterns)
        hit = pc.match_substring_regex(arr, either).to_numpy(zero_copy_only=False)
        if kind is not None:
            kinds[todo[hit]] = CLAIM_KINDS.index(kind)
        found = todo[hit]
        todo = todo[~hit]
        arr = arr.filter(pa.array(~hit))
        return found

    def unread(kind: str) -> None:
        """Leave out of the next cue's search the sentences whose kind the caller would not read."""
        nonlocal todo, arr
        if read is None or not len(todo):
            return
        keep = read(kinds, kind)[todo]
        if not keep.all():
            todo, arr = todo[keep], arr.filter(pa.array(keep))

    if len(todo):
        decide((_GREETING,), None)  # context
        decide((_ASKS_A_QUESTION,), "question")
        decide((_ASK, _ASK_PLEASE), "ask")
        unread("question")
        decide((_QUESTION,), "question")
        unread("problem")
        decide((PROBLEM,), "problem")
        unread("praise")
        praise = decide((_PRAISE,), None)
        kinds[[i for i in praise.tolist() if len(_LETTER.findall(stripped[i])) > 4]] = CLAIM_KINDS.index("praise")
    return kinds


_RE2 = {p: _re2(p) for p in (_GREETING, _ASKS_A_QUESTION, _ASK, _ASK_PLEASE, _QUESTION, PROBLEM, _PRAISE,
                              _ENOUGH_LETTERS)}


def claim_arrays(texts: Sequence, *, max_sentences: int = 40,
                 read: Callable[[np.ndarray, np.ndarray, np.ndarray, str], np.ndarray] | None = None
                 ) -> tuple[np.ndarray, ...]:
    """The claims of every text at once: ``(text index, pos, kind index into CLAIM_KINDS, is_title, text)``,
    in text order then position. A text's first line is its title (as the ingest stage joins title and body)
    and its claim 0; a single-line text has no title. A text's claims past position ``max_sentences`` are
    dropped (the asks of a petition come early). ``read(owner, is_title, kinds, kind)``: :func:`classify_many`'s
    ``read`` given the claims' owners and titles (the kinds of the claims it leaves out are not decided).
    ``texts`` are as the run reads them (:func:`~minsheng.engine.titles.texts_as_read`: a title glued to its body
    is on a line of its own where the run decided the input glued titles); no text is searched for a glued title
    here. Why: where the file's titles have lines of their own, a text of one line is advice without a title, and
    the search found a "title" inside 0.8 % of those (a claim cut mid-sentence) at a quarter of the split's cost.

    >>> owner, pos, kind, is_title, text = claim_arrays(["小区停水\\n请尽快恢复供水。谢谢！", None, "小区路灯不亮。"])
    >>> owner.tolist(), pos.tolist(), [CLAIM_KINDS[k] for k in kind], text
    ([0, 0, 2], [0, 1, 0], ['problem', 'ask', 'problem'], ['小区停水', '请尽快恢复供水。', '小区路灯不亮。'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    title_of, titles, count, pieces = [], [], [], []
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            count.append(0)
            continue
        title, newline, body = text.strip().partition("\n")
        if newline and _LETTER.search(title):
            title_of.append(i)
            titles.append(title.strip())
        else:
            body = text
        raw = [r.strip() for r in _SENTENCE.findall(body)]
        if any(len(r) > MAX_CLAUSE for r in raw):
            raw = [p for r in raw for p in _pieces(r)]
        count.append(len(raw))
        pieces.extend(raw)
    n = len(count)
    owner = np.repeat(np.arange(n), count)
    if pieces:
        enough = pc.match_substring_regex(pa.array(pieces, pa.large_string()), _RE2[_ENOUGH_LETTERS])
        enough = enough.to_numpy(zero_copy_only=False)
    else:
        enough = np.zeros(0, dtype=bool)
    owner = owner[enough]
    has_title = np.zeros(n, dtype=np.int64)
    has_title[title_of] = 1
    # position among a text's claims: after its title, the kept pieces in order
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
    pos = rank + has_title[owner]
    keep = pos <= max_sentences
    body_at = np.flatnonzero(enough)[keep]
    owner = np.concatenate([np.asarray(title_of, dtype=np.int64), owner[keep]])
    pos = np.concatenate([np.zeros(len(title_of), dtype=np.int64), pos[keep]])
    is_title = np.concatenate([np.ones(len(title_of), dtype=bool), np.zeros(len(body_at), dtype=bool)])
    order = np.lexsort((pos, owner))
    text = [*titles, *(pieces[i] for i in body_at.tolist())]
    text = [text[i] for i in order.tolist()]
    owner, is_title = owner[order], is_title[order]
    kinds = classify_many(text, read=None if read is None else partial(read, owner, is_title))
    return owner, pos[order], kinds, is_title, text
