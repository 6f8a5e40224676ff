"""The method notes name the analysis options in words: no file paths, no internal flags, no True/False."""

from __future__ import annotations

from minsheng.reports._data import _options


def test_options_read_as_words():
    table = _options({"options": {"threshold": 0.8, "executor": "local", "model": "/home/analyst/models/router.joblib",
                                  "themes": True, "theme_model": None, "workers": 2}})
    rows = dict(zip(table["option"], table["value"], strict=True))
    assert rows == {"近似重复的相似度阈值（Jaccard）": "0.8", "执行方式": "本机多进程", "分派模型": "router.joblib",
                    "并行进程数": "2"}
