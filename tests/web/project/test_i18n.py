"""Every browser is answered in Chinese, and Django's stock messages read as we worded them (compiled catalogue)."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.django_db
def test_an_english_browser_is_answered_in_chinese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.parametrize(("field", "value", "expected"), [
    (forms.CharField(max_length=5), "一二三四五六", "最多 5 个字，现在是 6 个字，请删减后再提交。"),
    (forms.SlugField(), "民 声", "只能使用英文字母、数字、下划线（_）和连字符（-）。"),
    (forms.CharField(), "", "此项必填。"),
])
def test_stock_messages_are_reworded(field, value, expected):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        field.clean(value)
    assert caught.value.messages == [expected]
