"""The OpenAPI schema and the docs page are served locally and describe the real routes."""

from __future__ import annotations

import json

from django.urls import resolve


def test_the_schema_lists_every_api_route(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in spec["paths"]:
        concrete = path.replace("{slug}", "plan").replace("{receipt}", "ABCDE23456")
        assert resolve(concrete).url_name.startswith("api-")
    assert spec["components"]["schemas"]["Batch"]["properties"]["items"]["maxItems"] == 1000


def test_the_docs_page_loads_only_local_assets(client, db):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/minsheng/api_docs.js" in html
    assert "http://" not in html and "https://" not in html


def test_the_schema_gives_partners_the_texts_real_minimum(client, cast):
    """The schema said minLength 1 while the API refuses fewer than MIN_WORD_CHARS letters or digits (422
    too_short): a partner reading it sent texts that were refused. Its figure is the rule's own constant, and the
    shortest text it allows, all letters, is stored while one letter less is refused."""
    from minsheng.consultation.intake.clean import MIN_WORD_CHARS

    text = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["SuggestionIn"]["properties"]["text"]
    assert text["minLength"] == MIN_WORD_CHARS
    assert f"至少 {MIN_WORD_CHARS} 个文字或数字" in text["description"] and "too_short" in text["description"]

    def post(external_id, body):
        return client.post("/api/v1/campaigns/plan/suggestions", content_type="application/json",
                           data=json.dumps({"external_id": external_id, "text": body}, ensure_ascii=False),
                           HTTP_AUTHORIZATION=f"Bearer {cast.key}")

    assert post("min", "路" * text["minLength"]).status_code == 201
    short = post("less", "路" * (text["minLength"] - 1))
    assert short.status_code == 422 and short.json()["error"]["code"] == "too_short"
