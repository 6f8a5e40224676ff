"""The audit's hostile items: each one is its own 4xx while the good items of the same batch are stored."""

from __future__ import annotations

import json

import pytest

from minsheng.consultation.intake.models import Suggestion

from .test_post_suggestions import post

HOSTILE = [
    ({"submitted_at": "2020-02-30T10:00:00"}, "submitted_at", "invalid_datetime"),
    ({"submitted_at": "2020-13-01T10:00:00"}, "submitted_at", "invalid_datetime"),
    ({"submitted_at": "0001-01-01T00:00:00"}, "submitted_at", "out_of_range"),
    ({"submitted_at": "9999-12-31T23:59:59-12:00"}, "submitted_at", "out_of_range"),
    ({"submitted_at": "2000-01-01T10:26:30.62+19:15"}, "submitted_at", "invalid_datetime"),
    ({"submitted_at": "2020-06-01T10:00:00-12:30"}, "submitted_at", "invalid_datetime"),
    ({"text": "建议\ud800"}, "text", "invalid_character"),
    ({"external_id": "x\ud800"}, "external_id", "invalid_character"),
    ({"author_name": "张\x00三"}, "author_name", "invalid_character"),
    ({"region": "珠晖\x00区"}, "region", "invalid_character"),
    ({"external_id": "id\x00"}, "external_id", "invalid_character"),
    ({"text": "\ufdfa" * 5000}, "text", "too_long"),
    ({"text": "\u200b\u200c\u200d\ufeff \u2060"}, "text", "empty"),
]


def _body(items) -> str:
    # json.dumps escapes a lone surrogate as \\ud800, exactly what a partner's JSON library would send
    return json.dumps({"items": items}, ensure_ascii=True)


@pytest.mark.parametrize(("change", "field", "code"), HOSTILE)
def test_one_hostile_item_is_its_own_error_and_the_rest_is_stored(client, cast, change, field, code):
    items = [{"external_id": "good-1", "text": "建议增加公交线路"}, {"external_id": "bad", "text": "正常的建议内容", **change},
             {"external_id": "good-2", "text": "建议延长地铁运营时间"}]
    response = post(client, cast.key, None, raw=_body(items))
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results[1]["error"]["field"] == field and results[1]["error"]["code"] == code
    assert response.json()["created"] == 2
    assert set(Suggestion.objects.values_list("external_id", flat=True)) == {"good-1", "good-2"}


def test_json_nested_fifty_thousand_deep_is_a_400(client, cast):
    response = post(client, cast.key, None, raw="[" * 50_000 + "]" * 50_000)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_json"


def test_region_and_author_name_are_masked_like_the_text(client, cast):
    item = {"external_id": "m", "text": "建议增设路灯", "region": "珠晖区 13812345678", "author_name": "张三13912345678"}
    assert post(client, cast.key, item).status_code == 201
    stored = Suggestion.objects.get(external_id="m")
    assert "13812345678" not in stored.region and "13912345678" not in stored.author_name
    assert stored.region.startswith("珠晖区") and stored.author_name.startswith("张三")


def test_a_single_hostile_item_is_a_422_not_a_500(client, cast):
    response = post(client, cast.key, None, raw=json.dumps({"external_id": "s", "text": "建议\ud800"}))
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_character"


