"""Reply quality (答复评价): does a department's reply answer *this* message, fully, with reasons, in time?

Scheme (every part in [0, 1]; ``total`` in [0, 100]):

**relevance** = 0.8 · min(1, cos / 0.4) + 0.2 · place, where ``cos`` is the cosine between the message and the
reply as TF-IDF vectors over rjieba words (stop words removed; IDF learned on the messages and replies of the
input), and ``place`` is 1 when the place or organisation the message names (:mod:`minsheng.engine.places`)
appears in the reply. A cosine of 0.4 is what a reply that quotes and discusses the message reaches; a form
letter stays near 0. Without a named place, relevance is ``min(1, cos / 0.4)``.

**completeness** = 0.4 · points + 0.15 · (action + unit + contact + basis), with cues found in the reply:

- *points*: share of the message's five most distinctive words (highest TF-IDF) that the reply uses — a
  proxy for "addresses each point raised";
- *action*: a concrete step taken or scheduled (已安排, 责令整改, 现场核实, 预计…完成 …);
- *unit*: a named responsible unit (…局, …街道办事处, …大队, …管理处 …), not just 相关部门;
- *contact*: a telephone number (also masked, ``0000-00000000``) or 联系电话/咨询电话/地址;
- *basis*: a legal or policy basis (根据《…》, 依据, 按照…规定, 条例, 第…条).

The elements found are listed in ``elements`` (要点, 措施, 单位, 联系方式, 依据; 要点 when at least half the
points are covered).

**interpretability** = min(1, distinct explanation cues / 3) · min(1, length / 150): cues are 因为, 由于,
原因, 根据, 依据, 经调查, 经核实, 经了解, 经查, 鉴于, 因此, 所以, 为此, 导致 …; a reply under 150 characters
can hardly explain anything.

**timeliness** = 1 within 7 days, falling linearly to 0 at 60 days (``timeliness_days`` is the raw delay;
both are missing when a time is unknown).

**total** = 100 · (0.35 · relevance + 0.30 · completeness + 0.15 · interpretability + 0.20 · timeliness);
when timeliness is unknown the other weights are rescaled to sum to 1.

``is_template`` flags a reply whose text (blanks and punctuation removed) was given to at least three
different messages: a form letter, whatever its score.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from minsheng.engine.errors import require_columns
from minsheng.engine.places import extract_places
from minsheng.engine.tokens import tokenize

__all__ = ["REPLY_COLUMNS", "replies_by_department", "score_replies"]

REPLY_COLUMNS = ["id", "relevance", "completeness", "interpretability", "timeliness_days", "timeliness",
                 "total", "elements", "points_covered", "is_template"]

_ACTION = re.compile(
    r"已(?:经)?(?:安排|责令|要求|组织|督促|完成|整改|处理|清理|修复|维修|拆除|查处|约谈|处罚|立案|协调|派|上门|"
    r"到现场|现场|核实|整治|解决|办理|更换|安装|下达|发放|补发|退还|恢复|联系|告知|答复|落实|启动|开展)|"
    r"责令|限期|预计|计划于|将于|争取在|拟于|截至|目前已|正在(?:办理|施工|整改|推进|协调)|现场(?:核实|查看|检查)|"
    r"立即|马上|加强(?:巡查|管理|监管|巡逻)|专项整治|督促")
_UNIT = re.compile(
    r"(?<!相关)(?<!有关)[\u4e00-\u9fa5A-Za-z0-9]{1,12}(?:局|委员会|办公室|办事处|街道|大队|中队|支队|管理处|"
    r"服务中心|管理所|派出所|卫生院|医院|学校|公司|镇政府|乡政府|人民政府|管委会|指挥部|社区|居委会|村委会)")
_CONTACT = re.compile(r"\d{3,4}[-—]\d{7,8}|\d{11}|[0*]{3,4}[-—][0*]{7,8}|联系电话|咨询电话|电话[:：]|热线|地址[:：]")
_BASIS = re.compile(r"《[^》]{2,40}》|根据|依据|依照|按照[^，。]{0,20}(?:规定|要求|政策|标准)|条例|第[一二三四五六七八九十百\d]+条|"
                    r"法律|法规|规定|政策")
_EXPLAIN = ("因为", "由于", "原因", "根据", "依据", "经调查", "经核实", "经了解", "经查", "鉴于", "因此", "所以",
            "为此", "导致", "是因", "考虑到", "目的是", "旨在")
_NON_WORD = re.compile(r"[\W_]+")


def score_replies(frame: pd.DataFrame, reply_col: str = "reply", reply_time_col: str | None = "reply_time",
                  ) -> pd.DataFrame:
    """Score every reply of ``frame`` (``id``, ``text``, ``time`` and the reply columns); one row per record.

    ``reply_time_col=None`` scores without timeliness. Records without a reply get zeros and total 0.
    """
    require_columns(frame, "id", "text", reply_col, reply_time_col)
    if reply_time_col is not None:
        require_columns(frame, "time")
    message = frame["text"].fillna("").astype(str).to_numpy()
    reply = frame[reply_col].fillna("").astype(str).to_numpy()
    n = len(frame)

    msg_tokens = [tokenize(t) for t in message]
    reply_tokens = [tokenize(t) for t in reply]
    if any(msg_tokens) or any(reply_tokens):
        vec = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True)  # tokens are already words
        vec.fit(msg_tokens + reply_tokens)
        M, R = vec.transform(msg_tokens), vec.transform(reply_tokens)
        cos = np.asarray(M.multiply(R).sum(axis=1)).ravel()
        points = _points_covered(M, R)
    else:
        cos, points = np.zeros(n), np.zeros(n)

    place_key = extract_places(message)["place_key"].to_numpy()
    has_place = pd.notna(place_key)
    place_hit = np.array([bool(k) and k in r for k, r in zip(np.where(has_place, place_key, ""), reply,
                                                              strict=True)])
    fit = np.minimum(1.0, cos / 0.4)
    relevance = np.where(has_place, 0.8 * fit + 0.2 * place_hit, fit)

    text = pd.Series(reply)
    found = pd.DataFrame({
        "措施": text.str.contains(_ACTION), "单位": text.str.contains(_UNIT),
        "联系方式": text.str.contains(_CONTACT), "依据": text.str.contains(_BASIS),
    })
    completeness = 0.4 * points + 0.15 * found.sum(axis=1).to_numpy()
    found.insert(0, "要点", points >= 0.5)
    elements = found.apply(lambda row: ";".join(c for c in found.columns if row[c]), axis=1)

    cues = sum(text.str.contains(c, regex=False).astype(int) for c in _EXPLAIN)
    interpretability = np.minimum(1.0, cues.to_numpy() / 3) * np.minimum(1.0, text.str.len().to_numpy() / 150)

    if reply_time_col is not None:
        t0 = pd.to_datetime(frame["time"], errors="coerce").to_numpy()
        t1 = pd.to_datetime(frame[reply_time_col], errors="coerce").to_numpy()
        days = (t1 - t0) / np.timedelta64(1, "D")
        timeliness = np.clip(1 - (days - 7) / 53, 0, 1)
    else:
        days = timeliness = np.full(n, np.nan)
    known = ~np.isnan(timeliness)
    weighted = 0.35 * relevance + 0.30 * completeness + 0.15 * interpretability
    total = 100 * np.where(known, weighted + 0.20 * np.nan_to_num(timeliness), weighted / 0.8)

    empty = np.array([not r.strip() for r in reply])
    squashed = pd.Series([_NON_WORD.sub("", r) for r in reply])
    messages_per_reply = pd.Series(message).groupby(squashed.to_numpy()).transform("nunique").to_numpy()
    out = pd.DataFrame({
        "id": frame["id"].astype(str).to_numpy(),
        "relevance": relevance, "completeness": completeness, "interpretability": interpretability,
        "timeliness_days": days, "timeliness": timeliness, "total": total,
        "elements": elements.to_numpy(), "points_covered": points,
        "is_template": (messages_per_reply >= 3) & ~empty,
    })
    zero = ["relevance", "completeness", "interpretability", "total", "points_covered"]
    out.loc[empty, zero] = 0.0
    out.loc[empty, "elements"] = ""
    for c in ["relevance", "completeness", "interpretability", "timeliness", "total", "points_covered"]:
        out[c] = out[c].astype(float).round(3)
    out["timeliness_days"] = out["timeliness_days"].astype(float).round(2)
    if "department" in frame.columns:
        out.insert(1, "department", frame["department"].to_numpy())
    return out


def _points_covered(M, R, k: int = 5) -> np.ndarray:
    """Share of each message's ``k`` highest-weighted words that occur in its reply."""
    M, R = M.tocsr(), R.tocsr()
    out = np.zeros(M.shape[0])
    for i in range(M.shape[0]):
        start, end = M.indptr[i], M.indptr[i + 1]
        if start == end:
            continue
        weights, cols = M.data[start:end], M.indices[start:end]
        top = cols[np.argsort(-weights, kind="stable")[:k]]
        out[i] = np.isin(top, R.indices[R.indptr[i]:R.indptr[i + 1]]).mean()
    return out


def replies_by_department(scores: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean scores per department (``department`` column of ``scores`` or ``frame``; else one row 全部).

    Columns: department, n_replies, relevance, completeness, interpretability, timeliness, total (means),
    median_days, share_late (over 15 days), share_template; sorted by mean total, best first.
    """
    s = scores.copy()
    if "department" not in s.columns:
        s["department"] = (frame["department"].to_numpy() if frame is not None and "department" in frame.columns
                           else "全部")
    s["department"] = s["department"].fillna("未分派")
    s["late"] = s["timeliness_days"] > 15
    agg = s.groupby("department").agg(
        n_replies=("id", "size"), relevance=("relevance", "mean"), completeness=("completeness", "mean"),
        interpretability=("interpretability", "mean"), timeliness=("timeliness", "mean"),
        total=("total", "mean"), median_days=("timeliness_days", "median"), share_late=("late", "mean"),
        share_template=("is_template", "mean"))
    agg = agg.round(3).sort_values(["total", "n_replies"], ascending=[False, False], kind="stable")
    return agg.reset_index()
