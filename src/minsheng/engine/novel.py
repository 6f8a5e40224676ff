"""Novel ideas (金点子): single messages with a specific, constructive proposal that nobody else made.

What a planner most easily misses: a digest ranks by people, so an idea raised once sinks below every
complaint raised twice. This stage looks only at asks that are in **no** suggestion of two or more people
(their claim met no centroid, or only one person's), and scores each message's best such ask.

What the score rewards (each part is listed in the ``why`` column, so a reader can check it):

* ``+1`` per proposal verb, at most 2 — it *proposes* something to build, open, set up or change
  (增设, 设立, 开通, 建立, 推行, 试点, 改为, 引入, 延伸, 优化, 整合 …), not merely asks for a problem to go away.
  Only a verb the writer asks for counts: one after the writer's own ask (建议, 希望, 恳请, 能否, 应当 …,
  :func:`~minsheng.engine.asks.ask_at`) and not negated (没有增设). Without one the message is no novel idea:
  a sentence that merely holds such a verb reports or thanks ("楼道没有增设安全措施", "感谢政府开通…", "按照
  …建设规划的要求，…将全面推进…建设"); on messages_hot.csv such sentences were more than half of the 50 shown;
* up to ``+1.5`` for specificity — the share of its words that are rare in the corpus (inverse document
  frequency above the median of the vocabulary), times the number of such words, capped: a proposal names
  what, where and how, in words other writers do not use;
* ``+0.3`` for a number or quantity (a route number, a time, an amount): the proposal is concrete;
* ``+0.5`` for a reason or benefit (因为, 以便, 从而, 既能, 方便, 减少, 提高 …): it says why;
* ``+0.3`` for a readable length (15–90 characters), ``-1`` for under 10;
* ``-1.5`` for a private grievance (退费, 拖欠, 欠款, 赔偿, 维权, 诈骗, 举报, 我家 …): a wrong to one
  person is a case to handle, not an idea for the plan;
* ``+0.2·ln(1 + likes)``: others agreed with it without writing.

Output (``novel.csv``, :data:`NOVEL_COLUMNS`): ``rank``, ``id`` (the message), ``score``, ``proposal`` (the
ask), ``title``, ``department``, ``place``, ``why`` (the parts of the score).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from minsheng.engine.asks import ask_at
from minsheng.engine.counts import count_column
from minsheng.engine.normalise import full_width_punctuation
from minsheng.engine.sentences import strip_opening, title_and_body
from minsheng.engine.titles import texts_as_read
from minsheng.engine.tokens import tokenize

__all__ = ["NOVEL_COLUMNS", "novel_ideas", "score_proposal"]

NOVEL_COLUMNS = ["rank", "id", "score", "proposal", "title", "department", "place", "why"]
#: Dtypes of an empty novel.csv, so that a run with no proposal records rank and score as numbers, not text.
_EMPTY = {"rank": "Int64", "score": "float64"}

_PROPOSE = re.compile(r"增设|设立|开通|建立|推行|推广|试点|改为|改成|引入|延伸|延长|调整|新建|建设|规划|优化|整合|"
                      r"打通|实行|设置|安装|修建|开放|增开|接入|统一|共享|取消|简化|合并|配建|改造|提升|鼓励")
#: A proposal verb negated: what is missing is reported, not proposed ("没有增设", "未开通", "不调整").
_NEGATED = re.compile(r"(?:没有|没|未|不|无|尚未|并未)$")
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万]+(?:路|号线|个|条|座|米|公里|分钟|小时|元|天|年)")
_REASON = re.compile(r"因为|由于|以便|便于|从而|既能|既可|这样|可以让|方便|减少|提高|缓解|节约|避免|有利于|有助于")
_GRIEVANCE = re.compile(r"退费|退款|拖欠|欠款|赔偿|维权|诈骗|欺诈|举报|投诉|我家|本人|我的|骗|讨薪|工资|补偿款")


def score_proposal(text: str, rare: frozenset[str], likes: int = 0) -> tuple[float, str]:
    """The score of one ask (see the module docstring) and the parts that make it up, as the ``why`` text."""
    parts = score_parts(text, rare, likes)
    return _total(parts), _why(parts)


def score_parts(text: str, rare: frozenset[str], likes: int = 0) -> list[tuple[str, float]]:
    """The parts of one ask's score by name, ``proposal`` first when the writer asks for one."""
    parts = []
    start = ask_at(text)
    proposed = [] if start < 0 else [m.group(0) for m in _PROPOSE.finditer(text, start)
                                     if not _NEGATED.search(text[max(start, m.start() - 3):m.start()])]
    n_propose = len(set(proposed))
    if n_propose:
        parts.append(("proposal", min(2, n_propose) * 1.0))
    words = tokenize(text)
    if words:
        rare_words = {w for w in words if w in rare}
        parts.append(("specific", min(1.5, 0.3 * len(rare_words) * len(rare_words) / max(1, len(set(words))) * 3)))
    if _NUMBER.search(text):
        parts.append(("concrete", 0.3))
    if _REASON.search(text):
        parts.append(("reason", 0.5))
    if 15 <= len(text) <= 90:
        parts.append(("length", 0.3))
    elif len(text) < 10:
        parts.append(("too short", -1.0))
    if _GRIEVANCE.search(text):
        parts.append(("private grievance", -1.5))
    if likes > 0:
        parts.append(("likes", round(0.2 * float(np.log1p(likes)), 2)))
    return parts


def _total(parts: list[tuple[str, float]]) -> float:
    return round(sum(v for _, v in parts), 3)


def _why(parts: list[tuple[str, float]]) -> str:
    return " ".join(f"{k}{v:+.2f}" for k, v in parts)


def novel_ideas(records: pd.DataFrame, claims: pd.DataFrame, suggested: np.ndarray, idf: dict[str, float],
                *, top: int = 50) -> pd.DataFrame:
    """The ``top`` novel ideas of a corpus.

    ``claims`` carry ``cluster`` (-1: no suggestion) and ``record`` (position in ``records``); ``suggested``
    is a boolean per cluster id: True when the cluster is a suggestion of two or more people. ``idf`` maps the
    digest vocabulary to inverse document frequency (rare words are those above the median). An idea's title is
    its message's title as the run reads it (:func:`~minsheng.engine.titles.texts_as_read`).
    """
    if claims.empty:
        return _empty()
    cluster = claims["cluster"].to_numpy()
    alone = (cluster < 0) | ~suggested[np.clip(cluster, 0, None)]
    asks = claims[alone & (claims["kind"].to_numpy() == "ask")]
    if asks.empty:
        return _empty()
    # A message whose other claims are in a suggestion still counts: its lone ask is what nobody else said.
    values = np.fromiter(idf.values(), dtype=float, count=len(idf))
    cut = float(np.median(values)) if len(values) else 0.0
    rare = frozenset(w for w, v in idf.items() if v > cut and not w.startswith("@"))
    likes = count_column(records, "likes")
    parts = [score_parts(t, rare, int(likes[r])) for t, r in zip(asks["text"], asks["record"], strict=True)]
    proposes = np.array([any(name == "proposal" for name, _ in p) for p in parts], dtype=bool)
    asks = asks.assign(score=[_total(p) for p in parts], why=[_why(p) for p in parts])
    asks = asks[(asks["score"].to_numpy() > 0) & proposes]  # a proposal the writer asks for
    best = asks.sort_values(["score", "record"], ascending=[False, True], kind="stable").drop_duplicates("record")
    best = best.head(top)
    rows = best["record"].to_numpy()
    # Columns taken at the few rows listed before they are converted: every record's text as a Python string
    # cost ~0.7 CPU-s at a million records, in the digest's serial stretch, for fifty of them.
    titles = [title_and_body(t)[0] for t in texts_as_read(records, rows)]

    def get(column: str) -> np.ndarray:
        return (records[column].iloc[rows].to_numpy() if column in records.columns
                else np.full(len(rows), "", dtype=object))

    out = pd.DataFrame({
        "rank": np.arange(1, len(best) + 1), "id": records["id"].iloc[rows].astype(str).to_numpy(),
        "score": best["score"].to_numpy(), "proposal": [full_width_punctuation(strip_opening(t)) for t in best["text"]], "title": titles,
        "department": get("department"), "place": get("place"), "why": best["why"].to_numpy(),
    })
    return out[NOVEL_COLUMNS]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_EMPTY.get(c, "string")) for c in NOVEL_COLUMNS})
