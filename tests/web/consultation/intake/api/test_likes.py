"""The partner API takes likes (点赞数) as the file import does: a count, or one written as a cell is (1.2万)."""

from __future__ import annotations

import pytest

from minsheng.consultation.intake.models import Suggestion

from .test_post_suggestions import post


@pytest.mark.parametrize(("likes", "stored"), [(12, 12), (0, 0), (7.0, 7), ("35", 35), ("1.2万", 12000),
                                               ("3,456", 3456), (" 8 ", 8), (None, 0)])
def test_likes_are_stored_as_the_file_import_reads_them(client, cast, likes, stored):
    item = {"external_id": "l-1", "text": "建议增加夜班公交", **({} if likes is None else {"likes": likes})}
    response = post(client, cast.key, item)
    assert response.status_code == 201, response.json()
    assert Suggestion.objects.get(external_id="l-1").likes == stored


@pytest.mark.parametrize(("likes", "code", "words"), [
    (-1, "out_of_range", "likes（点赞数）不能是负数"),
    ("-3", "out_of_range", "likes（点赞数）不能是负数"),
    (2**31, "out_of_range", "likes（点赞数）不能超过 2147483647"),
    ("很多", "invalid_type", "likes（点赞数）应为不小于 0 的整数，或“1.2万”这样的写法"),
    (2.5, "invalid_type", "likes（点赞数）应为不小于 0 的整数，或“1.2万”这样的写法"),
    (True, "invalid_type", "likes（点赞数）应为不小于 0 的整数，或“1.2万”这样的写法"),
    ([3], "invalid_type", "likes（点赞数）应为不小于 0 的整数，或“1.2万”这样的写法"),
])
def test_bad_likes_are_the_items_own_error_in_chinese(client, cast, likes, code, words):
    items = [{"external_id": "ok", "text": "建议多建养老服务中心"},
             {"external_id": "bad", "text": "建议增加夜班公交", "likes": likes}]
    body = post(client, cast.key, {"items": items}).json()
    assert body["results"][1]["error"] == {"code": code, "field": "likes", "message": words}
    assert list(Suggestion.objects.values_list("external_id", flat=True)) == ["ok"]
    single = post(client, cast.key, items[1])
    assert single.status_code == 422 and single.json()["error"]["field"] == "likes"


def test_the_api_description_documents_likes(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    item = next(s for s in schema["components"]["schemas"].values() if "likes" in s.get("properties", {}))
    likes = item["properties"]["likes"]
    assert "1.2万" in likes["description"] and likes["oneOf"][0]["minimum"] == 0
