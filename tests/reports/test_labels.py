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
