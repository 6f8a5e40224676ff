"""Chinese names for the columns, figures and kinds the reports show.

One table for all three formats, so the HTML, the workbook and the PDF call a number by the same name.
Unknown keys fall back to themselves: a producer may add a column before this table learns its name.
"""

from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd

COLUMNS = {
    "channel": "渠道", "messages": "建议数", "share": "占比", "department": "部门",
    "mean_confidence": "平均置信度", "needs_review": "待人工复核", "review_share": "复核占比",
    "theme_id": "主题编号", "level": "层级", "parent": "上级主题编号", "parent_label": "上级主题",
    "label": "主题", "keywords": "关键词",
    "n_messages": "建议数", "n_people": "人数", "representative_1": "代表性原话一",
    "representative_2": "代表性原话二", "representative_3": "代表性原话三",
    "rank": "排名", "issue_id": "热点编号", "heat": "热度", "time_start": "开始时间", "time_end": "结束时间",
    "place_or_group": "地点或群体", "description": "描述", "n_users": "人数", "likes": "点赞",
    "dislikes": "反对", "member_ids": "部分建议编号",
    "campaign_id": "活动编号", "people": "参与人数", "distinct_arguments": "不同论点数",
    "burst_per_minute": "每分钟峰值", "burst_per_hour": "每小时峰值", "first_time": "首条时间",
    "last_time": "末条时间", "template": "模板原文", "sample_additions": "附加内容示例",
    "replies": "答复数", "relevance": "相关性", "completeness": "完整性", "timeliness": "及时性",
    "score": "综合得分", "overall": "综合得分", "n_replies": "答复数", "interpretability": "解释性",
    "total": "综合得分（百分制）", "median_days": "答复用时中位数（天）", "share_late": "超过15天占比",
    "share_template": "模板化答复占比", "timeliness_days": "答复用时（天）", "elements": "包含要素",
    "points_covered": "要点覆盖率", "is_template": "模板化答复",
    "source": "来源文件", "row": "行号", "id": "编号", "reason": "原因", "rows": "行数",
    "kind": "类型", "count": "数量", "masked_at_intake": "录入时已脱敏", "masked_in_analysis": "分析时脱敏", "stage": "阶段", "seconds": "耗时（秒）", "peak_rss_mb": "峰值内存（MB）",
    "time": "时间", "metric": "指标", "value": "数值", "field": "字段", "option": "参数",
    "campaign_addition": "附加内容",
    "suggestion_id": "建议编号", "headline": "建议", "voices": "不同声音", "campaigns": "组织化来信（规模）",
    "reposts": "重复发帖", "places": "地点", "districts": "区县", "weekly": "每周数量",
    "department_confidence": "部门置信度", "department_share": "归属该部门的占比", "coherence": "一致性",
    "ask_spread": "诉求分散度", "mixed": "内容可能混杂",
    "quote_1": "原话一", "quote_2": "原话二", "quote_3": "原话三", "quote_4": "原话四", "quote_5": "原话五",
    "proposal": "建议内容", "title": "标题", "place": "地点", "why": "得分构成",
    "place_confidence": "地点置信度", "parent_id": "上级主题编号", "dup_group": "重复组编号",
    "share_acted": "已办理占比", "share_forwarded": "仅转办或指引占比",
    "region": "地区", "top_themes": "建议最多的主题", "top_suggestions": "提出最多的建议",
}

#: Analysis options recorded in summary.json, explained for the method notes.
OPTIONS = {
    "threshold": "近似重复的相似度阈值（Jaccard）", "num_perm": "MinHash 置换数", "bands": "LSH 分段数",
    "shingle": "字符片段长度", "min_campaign_people": "组织化活动最少参与人数", "batch_rows": "每批行数",
    "max_text_chars": "单条最长字符数", "executor": "执行方式", "workers": "并行进程数",
    "review_threshold": "人工复核置信度阈值", "model": "分派模型", "theme_model": "主题模型",
    "scheduler": "Dask 调度器", "n_broad": "大类主题数", "n_fine": "细分主题数", "theme_seed": "主题随机种子",
    "theme_sample": "主题拟合抽样条数", "window_days": "热点时间窗（天）", "reply_col": "答复列",
    "reply_time_col": "答复时间列",
}
#: Option values that are codes, in words.
OPTION_VALUES = {"local": "本机多进程", "dask": "Dask 集群", "True": "是", "False": "否"}

#: The parts of a novel idea's score (``why`` in novel.csv, see ``engine/novel.py``), in words.
SCORE_PARTS = {
    "proposal": "提出具体办法", "specific": "用词具体", "concrete": "含数字或数量", "reason": "说明理由",
    "length": "篇幅适中", "too short": "过短", "private grievance": "个人诉求", "likes": "点赞",
}
_SCORE_PART = re.compile(r"([a-z ]+)([+-]\d+(?:\.\d+)?)")


def score_parts(why: str) -> str:
    """``proposal+2.00 specific+0.67`` → ``提出具体办法 +2.00；用词具体 +0.67``: what a reader can check."""
    return "；".join(f"{SCORE_PARTS.get(k.strip(), k.strip())} {v}" for k, v in _SCORE_PART.findall(str(why)))


MASKED_KINDS = {
    "phone": "电话号码", "mobile": "手机号码", "landline": "固定电话", "id_card": "身份证号",
    "bank_card": "银行卡号", "email": "电子邮箱", "address": "地址", "name": "姓名",
}

STAGES = {
    "ingest": "读取", "ingest_normalise_sign": "读取、规范化、脱敏与签名", "normalise": "规范化与脱敏", "normalize": "规范化与脱敏", "dedup": "去重",
    "duplicates": "去重", "campaigns": "组织化活动识别", "route": "部门分派", "routing": "部门分派",
    "themes": "主题发现", "hot_issues": "热点识别", "digest": "建议摘编", "replies": "答复评价", "report": "报告", "write": "写出结果",
}


def column_label(name: str) -> str:
    """The Chinese header for a column, or the column's own name when none is known."""
    return COLUMNS.get(name, name)


def is_number_column(series: pd.Series) -> bool:
    """Numbers (not booleans): right-aligned and sorted by value in every format."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


PERCENT_COLUMNS = {"share", "review_share", "share_late", "share_template", "share_acted", "share_forwarded"}


def display(column: str, value: object) -> str:
    """A cell as a reader expects it: thousands separators, percentages, minutes, blanks for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if column in PERCENT_COLUMNS and isinstance(value, numbers.Real):
        return f"{value:.1%}"
    if isinstance(value, numbers.Integral) or (
            isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.1f}"
    return str(value)
