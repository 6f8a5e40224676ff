"""Masking for display keeps the person's own writing; only personal data changes."""

from __future__ import annotations

import pytest

from minsheng.engine.masking import mask_as_written, mask_personal_data


@pytest.mark.parametrize(("text", "shown"), [
    ("站点😊，老人…谢谢！", "站点😊，老人…谢谢！"),
    ("請聯繫１３８１２３４５６７８（王）", "請聯繫138****5678（王）"),
    ("邮箱：ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ。", "邮箱：z***@example.com。"),
    ("身份证430405194503120023，电话（0734）8123456！", "身份证4304**********0023，电话(0734)****3456！"),
    ("(0734)8123456", "(0734)****3456"),  # the closing bracket was dropped: (0734****3456
    ("(010)81234567、(0734) 8123456", "(010)****4567、(0734)****3456"),
])
def test_only_personal_data_changes(text, shown):
    assert mask_as_written(text)[0] == shown


def test_it_finds_what_the_analysis_masking_finds():
    text = "电话１３８１２３４５６７８和13912345678，卡号6222021234567890128"
    assert mask_as_written(text)[1] == mask_personal_data("电话13812345678和13912345678，卡号6222021234567890128")[1]
