"""The OpenAPI schema and the docs page are served locally and describe the real routes."""

from __future__ import annotations

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
