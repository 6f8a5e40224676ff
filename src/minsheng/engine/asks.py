"""What a writer asks, read from one sentence of a message: the ask a writer states (:func:`stated_ask`:
"…，期盼着今年出具配套入学的相关文件"), else the question a writer puts (:func:`stated_question`), and the first
of these in a whole message (:func:`message_ask`, the ``；诉求：…`` of a hot issue's description).

Its own module because two tables read asks alike: the hot issues (:mod:`.hot_issues.naming`) and the
suggestion digest (:mod:`.digest_wording`, which also ranks a headline by :func:`writer_asks` and keeps of a
description sentence the part that reads alone: :func:`alone_part`). With the readers here, below both (and
only above :mod:`.sentences`), neither of them imports the other to reach them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from minsheng.engine.sentences import CLAUSE_END, clip_sentence, opens_badly, readable, strip_opening

__all__ = ["REFERS_BACK", "alone_part", "ask_at", "message_ask", "repeats", "stated_ask", "stated_question", "topic_only", "writer_asks"]

#: 望 or 盼 as a plea, not in a name (望江二栋, 盼盼路): before whom it is asked of, or how.
_PLEA_WANG = r"[望盼](?=有关|相关|政府|领导|部门|尽快|尽早|早日|能|可以|贵|上级|各级|市|区|县)"
#: Who writes an ask as one of a group, how earnestly (both optional before a verb of asking), and the verbs of
#: asking themselves: shared by ``_WRITER_ASK`` and ``_ASK_CLAUSE``, each adding its own.
_ASKERS = r"我们|大家|居民|业主|家长|市民|群众|村民"
_EARNEST = r"现|特此|在此|再次|强烈|恳切地?|诚恳地?|真诚地?|迫切|一致|也|还"
_ASK_VERBS = r"建议|提议|希望|恳请|请求|呼吁|盼望|期盼|期望|" + _PLEA_WANG
_NOT_PLEASE = r"问|假|示|客|教|柬"  # 请问, 请假, 请示 …: a 请 that asks nothing of the reader
# The writer's own ask: a verb of asking that opens a clause (after a subject or adverb at most: "我们强烈要求",
# "现请求", "恳请"), a modal of proposal anywhere (能否, 应当), or a clause that opens with the verb asked for
# ("取缔…", "加快…"). Not any 要求 or 解决: "学校要求学生补课" and "至今没有解决" ask nothing.
_WRITER_ASK = re.compile(
    r"(?:^|[，,；;：:。！!])\s*(?:(?:" + _ASKERS + r"|我|本人|网友)[们都也]?)?(?:" + _EARNEST + r"|坚决)?"
    r"(?:" + _ASK_VERBS + r"|要求|请(?!" + _NOT_PLEASE + r")|敦促|督促)"
    r"|能否|可否|能不能|可不可以|是否可以|是否能|应当|应该|理应|亟需|务必"
    r"|(?:^|[，,；;。！!])(?:尽快|尽早|早日|取消|取缔|增设|增加|开通|恢复|放宽|整治|严查|查处|彻查|规范|落实|加快|加大|"
    r"加强|完善|优化|设立|退还|拆除|禁止|降低|提高|延长|减免|统一|推进|建立|出台|修建|打通|改造|清理|关闭|搬迁|撤销)")
# What others said or ordered, right before a bare 要求 in the same sentence (:func:`_told`).
_TOLD_BEFORE = re.compile(r"(?:通知|文件|规定|告示|公告|通告|声称|宣称|扬言|告知|回复|答复|表示)[^。！!？?；;]{0,20}$")
# A topic, not an ask: "咨询住房公积金贷款问题", "关于地铁7号线的相关建议", "投诉保利香槟国际开发商" say what the
# message is about; what is asked is in another sentence.
_TOPIC = re.compile(
    r"(?:问题|建议|意见|情况|事宜|事项|政策|疑问|疑惑|心声|之痛|一事|的事|的要求)[?？]?$"
    r"|^(?:关于|咨询|反映|询问|请教|求助|投诉|举报).{0,24}(?:开发商|物业|公司|集团|学校|医院|银行|单位|部门|老板|商家|工作人员)$")
# A sentence that points back at what came before it: it needs its neighbour to be understood.
REFERS_BACK = re.compile(r"^(?:其他|其余|其中|上述|以上|此|该|这|那|它|其|而|却|可(?![以否能])|又|还|并|都|只是|就)"
                          r"|这个|这些|这里|这种|这家|这样|此事|此类")
_IDENTITY = re.compile(r"^(?:我|我们|本人|笔者)(?:是|家|系|作为|住|情况)|^(?:作为|身为)")
_ADDRESSED = re.compile(r"^[^，,。：:]{1,10}[：:](?!\d)")  # "本人情况:", "A市房产局:" open a letter, not a sentence
#: How much of a line's character pairs another holds for the line to say the same again (:func:`repeats`).
_REPEAT_SHARE = 0.5
#: Who is demanded of when "要求" reports someone else's demand ("开发商…，要求业主先付款后签约"): the writer's side.
_DEMANDED = r"业主|本人|我|学生|家长|居民|村民|员工|职工|老师|购房者|住户|商户|司机"
#: Who writes or is written of (业主, 学生, 员工 …): the people of a complaint, never what it is about.
PEOPLE = frozenset((_ASKERS + "|" + _DEMANDED).split("|"))
#: A clause the writer opens with a verb of asking (after a subject or adverb at most), where a description
#: sentence may start when what comes before it does not read alone (:func:`alone_part`).
_ASK_CLAUSE = re.compile(r"[，,；;：:。！!、]\s*(?=(?:" + _ASKERS + r")?(?:" + _EARNEST + r")?"
                         r"(?:" + _ASK_VERBS + r"|恳求|要求(?!" + _DEMANDED + r")|请(?!" + _NOT_PLEASE + r"|过)|能否|可否))")
#: A plea complete in its first clause (stated_ask), and a clause after it that tells the story again.
_PLEA_DONE = re.compile(r"[^，,；;：:]*?(?:重视|关注|处理|解决|帮助|帮忙|做主|作主|过问|调查|查处|核实|管管?)"
                        r"(?:一下|此事|这件事|这个问题|此问题)?(?=[，,；;：:]|$)")
_STORY_AGAIN = re.compile(r"[，,；;：:]\s*(?:我|本人|他|她|它|该|这|那|所有|目前|现在|至今|已经|去年|今年|当时|\d)")
#: A demand told as part of the story: after a clause with a marker of narrated time, or refused in the next clause.
_NARRATED = re.compile(r"这时候?|当时|随后|后来|于是")
#: Advice given to the writer, told in the message (an official's answer quoted): "建议你通过司法途径予以解决".
_ADVISED = re.compile(r"(?:建议|劝)你(?![们好])")
_CLAUSE_OR_LIST = re.compile(r"[，,；;：:、]")
_REFUSED = re.compile(r"推托|推脱|推诿|拒绝|不予理|置之不理|不理睬|答复说|回复说|称要|说要|毫无结果|无果|未果|没有结果|没有下文|石沉大海")
#: A clause that reports what someone answered or did in response, where an ask told with its story ends
#: ("…发全国协查，得到XXX的回答是：四个月后…", "…，被告知…", "…，对方表示…", "…，物业回复称…"): the answer got
#: (得到…答复 followed by what it was), the writer told, or one who answers opening the clause with a verb of
#: saying (说 but not 说明, 说清). Not a reply asked for ("，并给予答复", "希望得到合理答复").
_NO_END = r"[^，,；;：:。！!？?]"
_ANSWERED = re.compile(
    r"[，,；;：:、]\s*(?:但是?|却|可是?|结果|然而|而|只|均|都|也)?"
    r"(?:(?:得到|收到|获得)" + _NO_END + r"{0,12}?(?:答复|回答|回复|答案)(?:" + _NO_END + r"{0,2}?[是为]|\s*[：:])"
    r"|(?:对方|他们|她们|他|她|工作人员|客服|负责人|经理|老板|民警|警察|警官|物业|开发商|业委会|社区|街道|学校|银行|"
    r"公司|相关部门|有关部门|该部门|部门|领导)" + _NO_END + r"{0,6}?(?:说(?![明清法])|称(?![为之])|表示|告知|声称)"
    r"|" + _NO_END + r"{0,12}?(?:被告知|被告之|被答复|被回复|答复说|回复说|回答说|答复称|回复称|答复道|回复道))")
#: A question opened after a clause of the sentence (a story or an introduction first): from its 请问 on.
_ASKED_AFTER = re.compile(r"[，,]\s*(?=(?:我想|想)?请问)")
#: A question (stated_question): how it opens, its words, and the rhetorical ones that ask nothing.
_OPENS_AS_QUESTION = re.compile(r"(?:请问|想问|咨询|何时|什么时候|为什么|为何|是否|能否|可否|不知.{0,20}?(?:是否|能否|可否))")
_QUESTION_WORD = re.compile(r"请问|何时|什么时候|为什么|为何|是否|能否|可否|能不能|可不可以|怎么|怎样|如何|有没有|有何|"
                            r"有什么|哪|多少|多久|吗|呢")
_RHETORICAL = re.compile(r"难道|难到|试问|深思|岂|凭什么|还有没有|天理|王法|良心|何在|有没有人管|谁来管|谁管|竟|怎么就|怎么能|怎能|"
                         r"用得着|哪去了|哪里去了?|(?:为什么|为何)(?:还|就)|你(?!好)|非得|真就|难不成|"
                         # a why that reproaches: inaction that goes on (为什么投诉几次了，有关部门还不处理), a wrong done
                         # again, or one measured with indignation (为什么我们县就少了那么多呢, …相差如此大)
                         r"(?:为什么|为何)[^。？?！!]{0,30}?(?:(?:还|一直|迟迟|仍|还是)(?:不|没有?|未)(?:人)?(?:去)?"
                         r"(?:处理|管|解决|答复|回复|理|查|整治|作为|落实|监管)|屡次|屡禁|又|如此|那么多|这么多)|"
                         # a question that taunts (…又落实在哪里, 又乱扣多少) or asks what officials are doing
                         r"又[^，,。？?！!]{0,10}?(?:哪|多少|什么|谁|怎么)|"
                         # a question that answers itself by a negation (他们没签合同吗) or blames (是谁允许的)
                         r"(?:没有?|不是)[^，,。？?！!]{0,12}[吗么][？?]?$|谁(?:允许|批准|同意|给)的?|"
                         r"(?:找|靠|向)谁(?:来)?(?:保障|做主|作主|说理|讨)|谁来(?:保障|做主|作主|负责)|"
                         r"(?:领导|部门|政府|干部|官员)[^，,。？?！!]{0,6}(?:在做什么|在干什么|干什么|做什么去了|在哪)")
#: A why (为什么有出现裂痕, 今年为什么翻了一倍, 请问…为什么不建设…监控): a grievance put as a question, which asks nothing
#: of the reader — the blind readers of the descriptions filed none as an ask — unless it asks why the writer cannot do
#: something (为何不能转回A市, 为何不可直接供水, 为什么提取不了): a consultation, which asks to be allowed.
_WHY = re.compile(r"为什么|为何")
_WHY_NOT_ALLOWED = re.compile(r"[^，,。？?！!]{0,8}?(?:不能|不可|不准|不让|不允许|无法|没法|不了)")
#: A plea that asks nothing to be done: a courtesy (请海涵, 请见谅, 敬请批评指正) or a reproach (请扪心自问).
_NO_DEMAND = re.compile(r"海涵|见谅|包涵|指正|扪心自问|良心")
#: Words of any ask, which say nothing of what is asked ("希望相关部门尽快处理", "求政府实质性解决").
_GENERIC_ASK = re.compile(r"建议|希望|恳请|恳求|请求|要求|呼吁|盼望|期盼|期望|请|望|求|能否|可否|能够|可以|能|给予|帮助|"
                          r"政府|领导|上级|主管|监管|执法|机构|相关|有关|职能|部门|单位|尽快|尽早|早日|及时|酌情|实质性|认真|彻底|"
                          r"处理|解决|重视|关注|落实|回复|答复|给个说法|谢谢|感谢|一下|此事|问题|我们|市民|百姓|的|地|"
                          r"予以|协助|加以|过问|做主|作主|为民|百忙|之中|来信|看看|看|书记|市长|省长|区长|县长|局长|"
                          r"了解|听到|声音|诉说|诉求|心声|上述|以上|民生|合法|权益|维护|公道|办事|曝光|媒体|明白|调查|"
                          r"各位|县里|市里|区里|省里|贵(?:局|厅|委|办|院|部门|单位)|考虑|说法|合理|正面|满意|收到|给我|一个|您|抽空|帮帮我?|"
                          r"帮忙|好吗")


def writer_asks(line: str) -> bool:
    """Whether the writer asks something in ``line`` (see ``_WRITER_ASK``): "恳请尽快取缔…", "能否增加…",
    not "学校要求学生补课" (the school's demand) nor "至今没有解决" (a report)."""
    return bool(_WRITER_ASK.search(line))


def ask_at(line: str) -> int:
    """Where the writer's own ask starts in ``line`` (see :func:`writer_asks`), or -1 when the writer asks
    nothing there: what follows is what the writer wants done, what comes before is the story. A verb done
    (取消了, 开通了), a modal that describes (应该是, 应当为) and a demand told (:func:`_told`) ask nothing."""
    for m in _WRITER_ASK.finditer(line):
        after = line[m.end():m.end() + 1]
        if after == "了" or (after in "是为" and m.group(0).endswith(("应该", "应当", "理应"))) or _told(line, m):
            continue
        return m.start()
    return -1


def _told(line: str, m: re.Match) -> bool:
    """Whether the ask ``m`` found is a bare 要求 that carries on what the sentence before it reports: a notice,
    a rule or a reply of others ("城管下达通知，要求商户…", "物业贴出告示称，要求业主…") tells their demand; the
    writer's own would have a writer or a verb of asking (我们要求, 恳请)."""
    return (m.group(0).lstrip("，,；;：:。！! ") == "要求"
            and bool(_TOLD_BEFORE.search(line, max(0, m.start() - 40), m.start())))


def topic_only(line: str) -> bool:
    """Whether ``line`` names a topic rather than an ask: "咨询住房公积金贷款问题", "关于…的建议",
    "投诉…开发商" — but not "请尽快解决小区停水问题", where the writer asks."""
    return bool(_TOPIC.search(line.rstrip("。！!"))) and not writer_asks(line)


def _reads_alone(line: str) -> bool:
    """A sentence of a description or quote that needs nothing before it: readable, not a header, greeting,
    list number or address ("本人情况:"), not who the writer is, not pointing back ("这个地方…", "其他…"), not
    a bare topic, and not opened by a clause too short to say anything ("很头痛，望…")."""
    if len(line) < 8 or not readable(line) or opens_badly(line) or topic_only(line):
        return False
    if _ADDRESSED.match(line) or _IDENTITY.match(line) or REFERS_BACK.search(line):
        return False
    head = CLAUSE_END.split(line, 1)[0]
    return len(head) > 3 or len(head) == len(line) or writer_asks(head)


def alone_part(line: str) -> str:
    """``line`` when it reads alone (:func:`_reads_alone`), else its part from the clause that opens with a verb
    of asking when that does ("也没有整改，希望可以取缔歌厅" → "希望可以取缔歌厅"), else ``""``: the context
    before an ask needs what came before it, the ask does not. Only a verb of asking (``_ASK_CLAUSE``): a
    clause opening with the verb asked for ("退还所收费用…") is as often what someone else did or ordered."""
    if _reads_alone(line):
        return line
    m = _ASK_CLAUSE.search(line)
    tail = _unanswered(line[m.end():]) if m else ""
    return tail if _says_what_is_asked(tail) else ""


def _unanswered(ask: str) -> str:
    """``ask`` up to the clause that reports what someone answered or did in response (``_ANSWERED``): the
    writer's ask ends there, the story goes on ("要求推进案件进展，发全国协查，得到XXX的回答是：…" →
    "要求推进案件进展，发全国协查")."""
    m = _ANSWERED.search(ask)
    return ask[:m.start()] if m else ask


def _says_what_is_asked(ask: str) -> bool:
    """Whether ``ask`` reads alone and says what is asked: four letters beside the words of any ask
    (``_GENERIC_ASK``; "望相关部门酌情处理", "希望能够得到答复" leave the what in a clause cut off, or say none)."""
    return _reads_alone(ask) and len(re.findall(r"[\u4e00-\u9fa5]", re.sub(_GENERIC_ASK, "", ask))) >= 4


#: The courtesies that close a letter, after its ask ("…拿到自己的社保卡，祝领导新年快乐，谢谢"): no part of the ask.
_COURTESY_TAIL = re.compile(r"(?:[，,；;、]\s*(?:祝[^，,；;]*|(?:万分|非常|十分|再次|先)?(?:感谢|谢谢|多谢)[^，,；;]{0,8}|此致|敬礼))+"
                            r"[。！!…\s]*$")


#: An ask that points at a list after it ("…能回复或解决以下问题"): what is asked is in the list, not in the ask.
_POINTS_AHEAD = re.compile(r"(?:以下|如下|下列|下面)(?:几个|几点|[0-9一二三四五六七八九十]+[个点条])?"
                           r"(?:问题|事项|事情|几点|诉求|要求|请求|建议|意见|疑问)?[:：]?$")


def stated_ask(sentence: str, limit: int = 50) -> str:
    """What ``sentence`` asks, from the clause a verb of asking opens (after a subject or adverb at most) to
    the sentence's end, cut at the last clause end within ``limit`` characters after which it still says what
    is asked: "…所有业主也就停止了维权，期盼着今年出具
    配套入学的相关文件" → "期盼着今年出具配套入学的相关文件"; ``""`` when no clause opens so (希望 as a noun,
    翘首以盼, 盼盼路, 符合…要求), when what follows says nothing beyond the words of any ask ("希望能够得到答复",
    "请求有关部门帮助"), or when it does not read alone (:func:`_says_what_is_asked`, as :func:`alone_part` asks).
    A plea complete in its first clause ("望各级领导重视") ends there when the next clause tells the story again
    ("…重视，我们的投资款有千万": a subject, a time), not what to do ("…做主，协调相关部门拆除违章建筑"). An ask
    ends before a clause that reports what someone answered (:func:`_unanswered`: "…，得到XXX的回答是：…")."""
    sentence = sentence.strip()
    for m in _ASK_CLAUSE.finditer("，" + sentence):
        tail = sentence[m.end() - 1:]
        before = _CLAUSE_OR_LIST.split(sentence[:max(0, m.start() - 1)])[-1]
        after = CLAUSE_END.split(tail, 2)[1:2]
        if (_NARRATED.search(before) or (after and _REFUSED.search(after[0])) or _ADVISED.match(tail)
                or (after and after[0].lstrip().startswith("却"))):
            # a demand the story tells (客服这时候…，建议刷单; 业主要求…，物业推托; 要求通过他们反映，可毫无结果; 要求满2年
            # 工作经历，却…), or advice the writer was given (建议你通过司法途径…): not the writer's ask
            continue
        if _NO_DEMAND.search(CLAUSE_END.split(tail, 1)[0]):
            continue  # a courtesy or a reproach in a plea's form (请你们海涵; 请你们扪心自问): nothing to do
        tail = _COURTESY_TAIL.sub("", _unanswered(tail))
        if _POINTS_AHEAD.search(tail.strip()):
            continue  # "…能回复或解决以下问题": the asks are the list's, which the next sentences read
        plea = _PLEA_DONE.match(tail)
        if plea and _STORY_AGAIN.match(tail[plea.end():]):
            tail = plea.group(0)
        # the longest cut that says what is asked: a clause more may point back ("…，该邻居不但拒绝调解"), or
        # leave a condition, a reason or a basis without what it qualifies (:func:`_dangling`)
        said = next((cut for cut in _cuts(tail, limit) if _says_what_is_asked(cut) and not _dangling(cut)), "")
        if said:
            return said
    return ""


#: How a clause opens that needs the clause after it: a condition, a concession, a reason.
_NEEDS_MORE = re.compile(r"(?:如果|假如|若是?|倘若|即使|即便|只要|除非|由于|因为|鉴于)")
#: A basis cited without what is to be done on it ("依照《…》等有关法律法规", "履行第十三条规定的").
_BASIS_LEFT = re.compile(r"(?:(?:依照|按照|根据|依据|遵照)[^，,；;：:]*(?:法律|法规|规定|条例|办法|政策|文件|精神|》)|的)$")


def _dangling(cut: str) -> bool:
    """Whether the last clause of an ask cut at a clause end needs what was cut off: a condition or a reason
    that opens it ("…，如果不是严重影响到业主的生活起居", "…，由于这几年经济飞速发展"), or a basis it cites with
    nothing done on it yet, or a 的 that its noun was cut from ("…依照《合同法》等有关法律法规", "…第十三条规定的")."""
    last = CLAUSE_END.split(cut)[-1].strip()
    return bool(_NEEDS_MORE.match(last) or _BASIS_LEFT.search(last))


def _cuts(text: str, limit: int) -> Iterator[str]:
    """``text`` cut at each clause end within ``limit`` characters (:func:`clip_sentence`), longest first."""
    cut = clip_sentence(text, limit)
    while cut:
        yield cut
        cut = clip_sentence(cut, len(cut) - 1)


def stated_question(sentence: str, limit: int = 50) -> str:
    """What ``sentence`` asks as a question, for a message with no stated ask (:func:`stated_ask`): the clause
    holding its last question word to the sentence's end ("…人口密集，在…大背景下有何具体行动？" → "在…有何具体
    行动？"), when the sentence ends with a question mark or opens as a question (请问, 为何, 是否 …, 不知…能否),
    reads alone and names what it asks ("请问后续该如何处理？" names nothing), a sentence whose clause opens with 请问
    being read from there ("我们是…的职工，时间过去一年了，请问…何时能到位"); ``""`` for a rhetorical question
    (难道…, 凭什么…, 还有没有王法, 竟…, 怎么就…), a question put to 你 (dialogue told, or rhetoric: a question to a government
    says 您 or names it), a why that protests (:func:`_protests`: "今年为什么翻了一倍？") and a question mark with no
    question word ("…还打得赢你们？")."""
    sentence = sentence.strip()
    if (asked := _ASKED_AFTER.search(sentence)) is not None:
        sentence = sentence[asked.end():]  # "我们是…的职工，时间过去一年了，请问…何时能到位": the question is from 请问
    opened = _OPENS_AS_QUESTION.match(strip_opening(sentence))
    if not (sentence.endswith(("？", "?")) or opened) or _RHETORICAL.search(sentence) or _protests(sentence):
        return ""
    cues = [m.start() for m in _QUESTION_WORD.finditer(sentence)]
    if not cues:
        return ""
    # from the clause of its last question word: "请问…领导：石碑中学…，能否如期建成？" asks the end
    start = max((m.end() for m in CLAUSE_END.finditer(sentence, 0, cues[-1])), default=0)
    line = clip_sentence(strip_opening(sentence[start:]), limit)
    said = re.sub(_GENERIC_ASK, "", _QUESTION_WORD.sub("", line))
    return line if line and _reads_alone(line) and len(re.findall(r"[\u4e00-\u9fa5]", said)) >= 4 else ""


def _protests(sentence: str) -> bool:
    """Whether ``sentence`` asks why to protest (``_WHY``): "…为什么有出现裂痕？", "请问政府，C4市所有乡镇为什么不建设
    道路交通电子监控？" — not "为何不能转回A市？" (why the writer may not)."""
    why = _WHY.search(sentence)
    return bool(why) and not _WHY_NOT_ALLOWED.match(sentence, why.end())


def repeats(line: str, other: str) -> bool:
    """Whether ``line`` says ``other`` again: one holds the other, or most of ``line``'s character pairs are
    in ``other`` (two titles of one complaint: "小区油烟扰民" beside "小区门面油烟直排扰民"); a line that
    adds what is asked ("请在文化路增设临时停车位" beside "文化路停车难") does not."""
    if not line or not other or line in other or other in line:
        return True
    a, b = ({x[i:i + 2] for i in range(len(x) - 1)} for x in (line, other))
    return bool(a) and len(a & b) >= _REPEAT_SHARE * len(a)


#: Where a sentence of a message ends: a full stop typed half-width too, not 5.15.
# A sentence ends at its mark, at a full stop not inside a number, and before a list number ("…业主损失.2.地下车库…",
# "请问1.东六路…": a number of one or two digits, a point or 、 and a letter; not 1.5米, 3、4栋).
_SENTENCE_END = re.compile(r"([。！？!?；;\n]|(?<!\d)\.(?!\d)|[.．]?(?<![\dA-Za-z])(?<!\d[.．])\d{1,2}[.．、](?=[\u4e00-\u9fa5]))")


def message_ask(body: str, title: str = "") -> str:
    """What a message's body asks, as an issue's description shows it (``；诉求：…``): the first sentence with
    an ask the writer states, read as the suggestion digest reads asks (:func:`stated_ask`), else the first
    question it asks (:func:`stated_question`: "为何不能…直接将贷款放给银行？"); ``""`` when none.
    The whole body is read: a petition tells its story first and asks at the end. Cut at a clause end within
    50 characters, else 60: an ask of one long clause (a named unit and a decade of pensions) has no cut
    within 50, while most asks read better without the clause that 60 would add. An ask that says the
    ``title`` again ("…到底什么时候开工建设？" under that title) is not shown: the description opens with the title.
    Scored against asks marked by hand (:func:`minsheng.engine.hot_eval.score_asks`)."""
    parts = _SENTENCE_END.split(body)  # sentence, end, sentence, end …, sentence: a question keeps its mark
    sentences = [s + (end if end in "？?" else "") for s, end in zip(parts[::2], [*parts[1::2], ""], strict=True)]
    for read in (stated_ask, stated_question):
        ask = next(filter(None, (read(s) or read(s, 60) for s in sentences)), "")
        if ask:
            return "" if title and repeats(ask, title) else ask
    return ""
