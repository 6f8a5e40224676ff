"""Every column an analysis writes has a Chinese name in the reports (the UI speaks Chinese everywhere)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from minsheng.engine.campaigns import CAMPAIGN_COLUMNS
from minsheng.engine.digest_table import SUGGESTION_COLUMNS
from minsheng.engine.hot_issues import HOT_COLUMNS
from minsheng.engine.novel import NOVEL_COLUMNS
from minsheng.engine.replies import REPLY_COLUMNS, replies_by_department
from minsheng.engine.themes import THEME_COLUMNS
from minsheng.reports._labels import column_label


def _by_department_columns() -> list[str]:
    scores = pd.DataFrame({"id": ["1"], "kind": ["已办理"], "relevance": [1.0], "completeness": [1.0],
                           "interpretability": [1.0], "timeliness_days": [3.0], "timeliness": [1.0], "total": [90.0],
                           "is_template": [False]})
    return list(replies_by_department(scores).columns)


@pytest.mark.parametrize("columns", [HOT_COLUMNS, SUGGESTION_COLUMNS, THEME_COLUMNS, NOVEL_COLUMNS, REPLY_COLUMNS,
                                     CAMPAIGN_COLUMNS, _by_department_columns()],
                         ids=["hot_issues", "suggestions", "themes", "novel", "replies", "campaigns", "by_department"])
def test_every_output_column_has_a_chinese_name(columns):
    assert [c for c in columns if not re.search(r"[\u4e00-\u9fa5]", column_label(c))] == []


def test_every_part_of_a_novel_score_reads_in_chinese():
    """novel.csv's ``why`` holds codes (proposal+2.00 …); the reports show each part in words."""
    from minsheng.engine.novel import score_proposal
    from minsheng.reports._labels import score_parts

    texts = ["建议在南站候车厅增设改签窗口，方便旅客，每天3趟", "请帮我追回拖欠的工资", "建议"]
    whys = [score_proposal(t, frozenset(["改签", "窗口"]), likes=5)[1] for t in texts]
    parts = {p.rstrip("+-.0123456789") for why in whys for p in re.findall(r"[a-z ]+[+-][\d.]+", why)}
    assert len(parts) >= 7  # every kind of part but one was produced
    shown = [score_parts(why) for why in whys]
    assert all(s and not re.search(r"[A-Za-z]", s) for s in shown), shown
